//! What a page load means for the sign-in, and why a sign-in can fail: pure decisions, so
//! every way a tab can arrive is tested on the host. The browser layer (`crate::auth` in the
//! app) gathers an [`Arrival`], acts on the [`Start`] it gets back, and shows a
//! [`SignInError`] or a [`Notice`] as the sentence it displays as.

use crate::http::NetworkError;
use crate::oauth::callback::{self, CallbackError, CallbackParams, Exchange};
use crate::oauth::pkce::NoRandomness;
use crate::oauth::token::TokenError;
use crate::session::{PendingSignIn, Session};
use crate::storage::StorageError;

/// Everything a page load knows about the sign-in, read before anything acts on it.
#[derive(Debug)]
pub struct Arrival {
    /// What the address bar says (a callback from PagerDuty, or nothing).
    pub callback: CallbackParams,
    /// The sign-in this tab started, already *taken* out of storage: whatever is decided, it
    /// is spent, so a reload can never present the same code twice.
    pub pending: Option<PendingSignIn>,
    /// The session this tab kept, if any.
    pub stored: Option<Session>,
    /// This window was opened by another one that named it as its sign-in popup, with this
    /// nonce ([`crate::embed::popup_name`]): only then is an answer handed back to the opener.
    pub popup_nonce: Option<String>,
    pub now_ms: f64,
}

/// Where the tab starts.
#[derive(Debug)]
pub enum Start {
    /// Exchange this checked code, exactly once.
    Exchange(Exchange),
    /// This is a framed page's sign-in popup: hand the callback's query, with the opener's
    /// nonce, to the opener (which holds the pending record) and close.
    HandBack {
        nonce: String,
    },
    SignedIn(Session),
    /// Signed out. `forget_stored` says the stored session is dead and must be removed.
    SignedOut {
        notice: Option<Notice>,
        forget_stored: bool,
    },
    Failed(SignInError),
}

/// Decides where a page load starts.
pub fn start(arrival: Arrival) -> Start {
    let Arrival {
        callback: params,
        pending,
        stored,
        popup_nonce,
        now_ms,
    } = arrival;
    if params.is_callback() {
        // The popup of a framed page: the frame kept the pending record, this window has none.
        // A window some other page opened, or named otherwise, hands nothing to its opener.
        if let Some(nonce) = popup_nonce.filter(|_| pending.is_none()) {
            return Start::HandBack { nonce };
        }
        return match (callback::validate(params, pending, now_ms), stored) {
            (Ok(exchange), _) => Start::Exchange(exchange),
            // An old callback link opened in a tab that is already signed in: nothing to do.
            (Err(CallbackError::NoPendingSignIn), Some(session)) if !session.is_expired(now_ms) => {
                Start::SignedIn(session)
            }
            (Err(error), _) => Start::Failed(error.into()),
        };
    }
    match stored {
        // An expired token with a refresh token is renewed before the first request.
        Some(session) if !session.is_expired(now_ms) || session.refresh_token.is_some() => {
            Start::SignedIn(session)
        }
        Some(_) => Start::SignedOut {
            notice: Some(Notice::Expired),
            forget_stored: true,
        },
        None => Start::SignedOut {
            notice: None,
            forget_stored: false,
        },
    }
}

/// Why a sign-in did not finish. Each displays as a sentence that says what to do next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error(transparent)]
    Callback(#[from] CallbackError),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error(transparent)]
    Unreachable(#[from] NetworkError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
    #[error(transparent)]
    Popup(#[from] PopupError),
    #[error("The page around this one did not let it go to PagerDuty. Open this page in its own tab to sign in.")]
    TopRefused,
}

impl SignInError {
    /// PagerDuty's own words about a refusal of this tab's sign-in, to quote beside the
    /// sentence.
    pub fn pagerduty_says(&self) -> Option<&str> {
        match self {
            SignInError::Callback(error) => error.pagerduty_says(),
            _ => None,
        }
    }
}

/// Why the sign-in window of a framed page gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PopupError {
    #[error("Your browser blocked the sign-in window. Allow pop-ups for this page and press the button again, or open this page in its own tab.")]
    Blocked,
    #[error("The sign-in window was closed before you finished. Try again, and approve the app in that window.")]
    Closed,
    #[error("Signing in took too long, so it was stopped. Try again.")]
    TimedOut,
}

/// Why a signed-out page says something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The page loaded with a session whose token had expired and could not be renewed.
    Expired,
    /// PagerDuty refused the token or its renewal mid-session (expired, or revoked).
    Ended,
    /// The person signed out; whether PagerDuty confirmed it revoked the tokens.
    SignedOut { revoked: bool },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Notice::Expired => "Your PagerDuty sign-in has expired. Sign in again.",
            Notice::Ended => "Your PagerDuty sign-in has expired or was revoked. Sign in again to carry on where you were.",
            Notice::SignedOut { revoked: true } => "You are signed out, and PagerDuty has revoked this page's access.",
            Notice::SignedOut { revoked: false } => "You are signed out of this page. PagerDuty could not be reached to revoke its access; you can revoke it under My Profile → User Settings in PagerDuty.",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::pkce::Verifier;
    use crate::secret::Secret;

    const NOW: f64 = 1_000_000.0;

    fn pending() -> PendingSignIn {
        PendingSignIn {
            verifier: Verifier::from_text("verifier"),
            state: "s1".into(),
            return_to: "/teams".into(),
            created_at_ms: NOW - 1_000.0,
        }
    }

    fn session(expires_at_ms: f64, refresh: bool) -> Session {
        Session {
            access_token: Secret::new("a"),
            refresh_token: refresh.then(|| Secret::new("r")),
            expires_at_ms: Some(expires_at_ms),
            scope: "read".into(),
            api_base_url: crate::hosts::API_US.into(),
            user_id: None,
        }
    }

    fn arrive(query: &str, pending: Option<PendingSignIn>, stored: Option<Session>) -> Start {
        start(Arrival {
            callback: CallbackParams::from_query(query),
            pending,
            stored,
            popup_nonce: None,
            now_ms: NOW,
        })
    }

    #[test]
    fn a_callback_with_its_pending_record_is_exchanged_and_returns_to_the_view() {
        match arrive("?code=c&state=s1", Some(pending()), None) {
            Start::Exchange(exchange) => {
                assert_eq!(exchange.code.expose(), "c");
                assert_eq!(exchange.return_to, "/teams");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_popup_without_a_pending_record_hands_the_answer_back_with_its_nonce() {
        let started = start(Arrival {
            callback: CallbackParams::from_query("?code=c&state=s1"),
            pending: None,
            stored: None,
            popup_nonce: Some("nonce".into()),
            now_ms: NOW,
        });
        assert!(
            matches!(&started, Start::HandBack { nonce } if nonce == "nonce"),
            "{started:?}"
        );
    }

    #[test]
    fn a_window_opened_by_a_page_that_did_not_name_it_hands_nothing_back() {
        // What another page on the same origin gets when it opens the authorize URL itself:
        // the window has an opener, but not this app's name and nonce.
        let started = arrive("?code=c&state=theirs", None, None);
        assert!(
            matches!(
                started,
                Start::Failed(SignInError::Callback(CallbackError::NoPendingSignIn))
            ),
            "{started:?}"
        );
    }

    #[test]
    fn an_old_callback_link_in_a_signed_in_tab_stays_signed_in() {
        let started = arrive("?code=c&state=s1", None, Some(session(NOW + 1.0, false)));
        assert!(matches!(started, Start::SignedIn(_)), "{started:?}");
    }

    #[test]
    fn a_crafted_error_link_in_a_signed_in_tab_changes_nothing() {
        let link = "?error=access_denied&error_description=Re-enter+your+password+at+evil.example";
        let started = arrive(link, None, Some(session(NOW + 1.0, false)));
        assert!(matches!(started, Start::SignedIn(_)), "{started:?}");
        let started = arrive(link, None, None);
        assert!(
            matches!(
                &started,
                Start::Failed(SignInError::Callback(CallbackError::NoPendingSignIn))
            ),
            "a stale link, not the link's text: {started:?}"
        );
    }

    #[test]
    fn an_old_callback_link_without_a_session_says_so() {
        let started = arrive("?code=c&state=s1", None, None);
        assert!(
            matches!(
                started,
                Start::Failed(SignInError::Callback(CallbackError::NoPendingSignIn))
            ),
            "{started:?}"
        );
    }

    #[test]
    fn a_stored_session_is_kept_while_it_works_or_can_be_renewed() {
        assert!(matches!(
            arrive("", None, Some(session(NOW + 1.0, false))),
            Start::SignedIn(_)
        ));
        assert!(matches!(
            arrive("", None, Some(session(NOW - 1.0, true))),
            Start::SignedIn(_)
        ));
    }

    #[test]
    fn an_expired_session_that_cannot_be_renewed_is_forgotten_with_a_notice() {
        assert!(matches!(
            arrive("", None, Some(session(NOW - 1.0, false))),
            Start::SignedOut {
                notice: Some(Notice::Expired),
                forget_stored: true
            }
        ));
        assert!(matches!(
            arrive("", Some(pending()), None),
            Start::SignedOut {
                notice: None,
                forget_stored: false
            }
        ));
    }

    #[test]
    fn every_notice_and_error_is_a_sentence() {
        for text in [
            Notice::Expired.to_string(),
            Notice::Ended.to_string(),
            Notice::SignedOut { revoked: true }.to_string(),
            Notice::SignedOut { revoked: false }.to_string(),
            SignInError::from(PopupError::Closed).to_string(),
            SignInError::TopRefused.to_string(),
        ] {
            assert!(text.ends_with('.'), "{text}");
        }
    }
}
