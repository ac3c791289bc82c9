//! Reading and validating the redirect back from PagerDuty, before anything touches the code.

use super::pkce::Verifier;
use crate::form;
use crate::secret::Secret;
use crate::session::PendingSignIn;

/// What the address bar says about a sign-in.
#[derive(Debug, PartialEq, Eq)]
pub enum CallbackParams {
    /// An ordinary page load.
    None,
    /// PagerDuty (or the user) refused: RFC 6749 §4.1.2.1.
    Error {
        error: String,
        description: Option<String>,
        state: Option<String>,
    },
    Code {
        code: Secret,
        state: Option<String>,
    },
}

impl CallbackParams {
    /// Reads the query string (with or without `?`). An `error` wins over a `code`.
    pub fn from_query(query: &str) -> Self {
        let mut code = None;
        let mut state = None;
        let mut error = None;
        let mut description = None;
        for (name, value) in form::decode_pairs(query) {
            let slot = match name.as_str() {
                "code" => &mut code,
                "state" => &mut state,
                "error" => &mut error,
                "error_description" => &mut description,
                _ => continue,
            };
            // The first value counts; a repeated parameter cannot override it.
            slot.get_or_insert(value);
        }
        match (error, code) {
            (Some(error), _) => Self::Error {
                error,
                description,
                state,
            },
            (None, Some(code)) if !code.is_empty() => Self::Code {
                code: Secret::new(code),
                state,
            },
            _ => Self::None,
        }
    }

    pub fn is_callback(&self) -> bool {
        !matches!(self, Self::None)
    }
}

/// The names of the query parameters a callback brings, to strip from the address bar.
pub const CALLBACK_PARAMS: [&str; 5] = ["code", "state", "error", "error_description", "subdomain"];

/// A checked callback, ready for exactly one token exchange.
#[derive(Debug)]
pub struct Exchange {
    pub code: Secret,
    pub verifier: Verifier,
    pub return_to: String,
}

/// Why a callback was not exchanged. Each is a sentence for the person; none leaks the code.
/// What PagerDuty said in its own words is kept apart ([`CallbackError::pagerduty_says`]), to
/// be shown as a quote: only for the sign-in this tab started, never for a link from elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("You did not allow this app to read your PagerDuty data, so you are not signed in.")]
    AccessDenied { description: Option<String> },
    #[error("PagerDuty did not sign you in ({error}). Try again; if it keeps failing, whoever manages this app in PagerDuty should check its settings.")]
    Refused {
        error: String,
        description: Option<String>,
    },
    #[error("This sign-in link was already used, or was opened in a different tab. Start a new sign-in.")]
    NoPendingSignIn,
    #[error("This sign-in took too long to finish. Start a new sign-in.")]
    Stale,
    #[error("This sign-in answer does not belong to the sign-in this tab started, so it was refused. Start a new sign-in.")]
    StateMismatch,
}

impl CallbackError {
    /// PagerDuty's own description of a refusal, to quote beside the sentence.
    pub fn pagerduty_says(&self) -> Option<&str> {
        match self {
            CallbackError::AccessDenied { description }
            | CallbackError::Refused { description, .. } => description.as_deref(),
            _ => None,
        }
    }
}

/// Checks a callback against the pending record this tab stored when it left.
///
/// Nothing in the answer counts unless this tab started a sign-in and the answer carries its
/// `state` (RFC 6749 §4.1.2 requires the server to echo it; PagerDuty does). An error that
/// does not is a link from elsewhere and is treated as a stale one, so a crafted link cannot
/// put its own text on this page. The caller must already have *removed* `pending` from
/// storage: whatever happens here, that record is spent, so a reload or a second effect can
/// never exchange the same code twice.
pub fn validate(
    params: CallbackParams,
    pending: Option<PendingSignIn>,
    now_ms: f64,
) -> Result<Exchange, CallbackError> {
    let pending = pending.ok_or(CallbackError::NoPendingSignIn)?;
    let ours = |state: &Option<String>| state.as_deref() == Some(pending.state.as_str());
    match params {
        CallbackParams::None => Err(CallbackError::NoPendingSignIn),
        CallbackParams::Error { state, .. } if !ours(&state) => Err(CallbackError::NoPendingSignIn),
        CallbackParams::Error {
            error, description, ..
        } => Err(if error == "access_denied" {
            CallbackError::AccessDenied { description }
        } else {
            CallbackError::Refused { error, description }
        }),
        CallbackParams::Code { state, .. } if !ours(&state) => Err(CallbackError::StateMismatch),
        CallbackParams::Code { .. } if pending.is_stale(now_ms) => Err(CallbackError::Stale),
        CallbackParams::Code { code, .. } => Ok(Exchange {
            code,
            verifier: pending.verifier,
            return_to: pending.return_to,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> PendingSignIn {
        PendingSignIn {
            verifier: Verifier::from_text("verifier"),
            state: "expected-state".into(),
            return_to: "/teams".into(),
            created_at_ms: 1_000.0,
        }
    }

    #[test]
    fn an_ordinary_page_load_is_not_a_callback() {
        assert_eq!(CallbackParams::from_query(""), CallbackParams::None);
        assert_eq!(CallbackParams::from_query("?tz=UTC"), CallbackParams::None);
        assert_eq!(CallbackParams::from_query("?code="), CallbackParams::None);
    }

    #[test]
    fn a_code_with_matching_state_is_exchanged_with_the_stored_verifier() {
        let params =
            CallbackParams::from_query("?code=abc%2B1&state=expected-state&subdomain=acme");
        let exchange = validate(params, Some(pending()), 2_000.0).expect("valid");
        assert_eq!(exchange.code.expose(), "abc+1");
        assert_eq!(exchange.verifier, Verifier::from_text("verifier"));
        assert_eq!(exchange.return_to, "/teams");
    }

    #[test]
    fn a_code_without_state_is_refused() {
        let params = CallbackParams::from_query("code=abc");
        assert_eq!(
            validate(params, Some(pending()), 2_000.0).unwrap_err(),
            CallbackError::StateMismatch
        );
    }

    #[test]
    fn a_different_state_is_refused() {
        let params = CallbackParams::from_query("code=abc&state=forged");
        assert_eq!(
            validate(params, Some(pending()), 2_000.0).unwrap_err(),
            CallbackError::StateMismatch
        );
    }

    #[test]
    fn a_repeated_state_cannot_override_the_first() {
        let params = CallbackParams::from_query("code=abc&state=forged&state=expected-state");
        assert_eq!(
            validate(params, Some(pending()), 2_000.0).unwrap_err(),
            CallbackError::StateMismatch
        );
    }

    #[test]
    fn without_a_pending_record_nothing_is_exchanged() {
        let params = CallbackParams::from_query("code=abc&state=expected-state");
        assert_eq!(
            validate(params, None, 2_000.0).unwrap_err(),
            CallbackError::NoPendingSignIn
        );
    }

    #[test]
    fn a_stale_pending_record_is_refused() {
        let params = CallbackParams::from_query("code=abc&state=expected-state");
        let late = 1_000.0 + crate::session::PENDING_MAX_AGE_MS + 1.0;
        assert_eq!(
            validate(params, Some(pending()), late).unwrap_err(),
            CallbackError::Stale
        );
    }

    #[test]
    fn a_denial_for_this_sign_in_quotes_pagerduty() {
        let params = CallbackParams::from_query(
            "?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=expected-state",
        );
        let error = validate(params, Some(pending()), 2_000.0).unwrap_err();
        assert_eq!(
            error,
            CallbackError::AccessDenied {
                description: Some(
                    "The resource owner or authorization server denied the request.".into()
                )
            }
        );
        assert_eq!(
            error.pagerduty_says(),
            Some("The resource owner or authorization server denied the request.")
        );
        assert!(
            !error.to_string().contains("resource owner"),
            "quoted apart"
        );
    }

    #[test]
    fn an_error_nobody_asked_for_is_a_stale_link_and_shows_none_of_its_text() {
        let crafted =
            "error=access_denied&error_description=Re-enter+your+password+at+evil.example";
        let forged = format!("{crafted}&state=forged");
        for (query, pending) in [
            (crafted, None),
            (forged.as_str(), None),
            (crafted, Some(pending())),
            (forged.as_str(), Some(pending())),
        ] {
            let error = validate(CallbackParams::from_query(query), pending, 2_000.0).unwrap_err();
            assert_eq!(error, CallbackError::NoPendingSignIn, "{query}");
            assert_eq!(error.pagerduty_says(), None);
        }
    }

    #[test]
    fn other_errors_for_this_sign_in_name_the_error_and_quote_the_description() {
        let with_text = CallbackParams::from_query(
            "error=invalid_scope&error_description=Bad+scope&code=x&state=expected-state",
        );
        let error = validate(with_text, Some(pending()), 0.0).unwrap_err();
        assert_eq!(error.to_string(), "PagerDuty did not sign you in (invalid_scope). Try again; if it keeps failing, whoever manages this app in PagerDuty should check its settings.");
        assert_eq!(error.pagerduty_says(), Some("Bad scope"));
        let bare = CallbackParams::from_query("error=server_error&state=expected-state");
        assert_eq!(
            validate(bare, Some(pending()), 0.0).unwrap_err(),
            CallbackError::Refused {
                error: "server_error".into(),
                description: None
            }
        );
    }

    #[test]
    fn callback_detection_covers_codes_and_errors() {
        assert!(CallbackParams::from_query("code=a").is_callback());
        assert!(CallbackParams::from_query("error=a").is_callback());
        assert!(!CallbackParams::from_query("codes=a").is_callback());
    }
}
