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
            (Some(error), _) => Self::Error { error, description },
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("You did not allow this app to read your PagerDuty data, so you are not signed in.")]
    AccessDenied,
    #[error("PagerDuty did not sign you in: {0}")]
    Refused(String),
    #[error("This sign-in link was already used, or was opened in a different tab. Start a new sign-in.")]
    NoPendingSignIn,
    #[error("This sign-in took too long to finish. Start a new sign-in.")]
    Stale,
    #[error("This sign-in answer does not belong to the sign-in this tab started, so it was refused. Start a new sign-in.")]
    StateMismatch,
}

/// Checks a callback against the pending record this tab stored when it left.
///
/// The caller must already have *removed* `pending` from storage: whatever happens here, that
/// record is spent, so a reload or a second effect can never exchange the same code twice.
pub fn validate(
    params: CallbackParams,
    pending: Option<PendingSignIn>,
    now_ms: f64,
) -> Result<Exchange, CallbackError> {
    let (code, state) = match params {
        CallbackParams::None => return Err(CallbackError::NoPendingSignIn),
        CallbackParams::Error { error, description } => {
            return Err(if error == "access_denied" {
                CallbackError::AccessDenied
            } else {
                CallbackError::Refused(description.unwrap_or(error))
            })
        }
        CallbackParams::Code { code, state } => (code, state),
    };
    let pending = pending.ok_or(CallbackError::NoPendingSignIn)?;
    // PagerDuty's docs never mention `state`; when it is echoed it must match.
    if state.is_some_and(|state| state != pending.state) {
        return Err(CallbackError::StateMismatch);
    }
    if pending.is_stale(now_ms) {
        return Err(CallbackError::Stale);
    }
    Ok(Exchange {
        code,
        verifier: pending.verifier,
        return_to: pending.return_to,
    })
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
    fn a_code_without_state_is_accepted_because_pkce_binds_it() {
        let params = CallbackParams::from_query("code=abc");
        assert!(validate(params, Some(pending()), 2_000.0).is_ok());
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
    fn a_denial_is_explained_before_anything_else() {
        let params = CallbackParams::from_query(
            "?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.",
        );
        assert_eq!(
            validate(params, None, 0.0).unwrap_err(),
            CallbackError::AccessDenied
        );
    }

    #[test]
    fn other_errors_show_pagerdutys_description_or_code() {
        let with_text =
            CallbackParams::from_query("error=invalid_scope&error_description=Bad+scope&code=x");
        assert_eq!(
            validate(with_text, Some(pending()), 0.0)
                .unwrap_err()
                .to_string(),
            "PagerDuty did not sign you in: Bad scope"
        );
        let bare = CallbackParams::from_query("error=server_error");
        assert_eq!(
            validate(bare, None, 0.0).unwrap_err(),
            CallbackError::Refused("server_error".into())
        );
    }

    #[test]
    fn callback_detection_covers_codes_and_errors() {
        assert!(CallbackParams::from_query("code=a").is_callback());
        assert!(CallbackParams::from_query("error=a").is_callback());
        assert!(!CallbackParams::from_query("codes=a").is_callback());
    }
}
