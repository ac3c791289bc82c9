//! Starting a sign-in: the pending record and the authorize URL (RFC 6749 §4.1.1, RFC 7636 §4.3).

use super::pkce::{self, NoRandomness, Verifier};
use crate::config::Config;
use crate::form;
use crate::hosts;
use crate::session::{safe_return_path, PendingSignIn};

/// Everything needed to leave for PagerDuty: store `pending`, then go to `url`.
#[derive(Debug)]
pub struct SignInStart {
    pub url: String,
    pub pending: PendingSignIn,
}

/// Begins a sign-in that will come back to `return_to` (an in-app path).
pub fn start(config: &Config, return_to: &str, now_ms: f64) -> Result<SignInStart, NoRandomness> {
    let verifier = Verifier::generate()?;
    let state = pkce::random_state()?;
    let url = authorize_url(config, &verifier.s256_challenge(), &state);
    Ok(SignInStart {
        url,
        pending: PendingSignIn {
            verifier,
            state,
            return_to: safe_return_path(return_to),
            created_at_ms: now_ms,
        },
    })
}

/// The authorize URL. `state` is not in PagerDuty's docs, but standard servers echo it and we
/// compare it on return as defence in depth; PKCE already binds the code to this tab.
pub fn authorize_url(config: &Config, challenge: &str, state: &str) -> String {
    let query = form::encode_pairs([
        ("client_id", config.client_id.as_str()),
        ("redirect_uri", config.redirect_uri.as_str()),
        ("response_type", "code"),
        ("scope", config.scope.as_str()),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
        ("state", state),
    ]);
    format!(
        "{}{}?{query}",
        config.identity_base_url,
        hosts::AUTHORIZE_PATH
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    fn config() -> Config {
        config::parse(
            r#"{"client_id":"my app+1","redirect_uri":"https://oncall.example.com/tools/"}"#,
            "unused",
        )
        .expect("valid")
    }

    #[test]
    fn the_authorize_url_carries_every_parameter_encoded() {
        assert_eq!(
            authorize_url(
                &config(),
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "st/ate"
            ),
            "https://identity.pagerduty.com/oauth/authorize?client_id=my+app%2B1\
             &redirect_uri=https%3A%2F%2Foncall.example.com%2Ftools%2F&response_type=code\
             &scope=read&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
             &code_challenge_method=S256&state=st%2Fate"
        );
    }

    #[test]
    fn a_start_binds_the_url_to_the_pending_record() {
        let start = start(&config(), "/teams", 42.0).expect("randomness");
        let query = start.url.split_once('?').expect("query").1;
        assert_eq!(
            form::query_value(query, "code_challenge"),
            Some(start.pending.verifier.s256_challenge())
        );
        assert_eq!(
            form::query_value(query, "state"),
            Some(start.pending.state.clone())
        );
        assert_eq!(start.pending.return_to, "/teams");
        assert_eq!(start.pending.created_at_ms, 42.0);
    }

    #[test]
    fn a_hostile_return_path_is_replaced_before_it_is_stored() {
        let start = start(&config(), "//evil.example.com", 0.0).expect("randomness");
        assert_eq!(start.pending.return_to, "/");
    }
}
