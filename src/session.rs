//! What the app keeps between page loads, and the rules for it.
//!
//! Both records live in `sessionStorage` only: per tab, gone when the tab closes, never shared
//! with other tabs or written to disk like `localStorage`.

use crate::oauth::pkce::Verifier;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};

/// How long a started sign-in may take before its record is thrown away. The user has to log
/// in at PagerDuty in between, so this is minutes, not the code's 30 seconds.
pub const PENDING_MAX_AGE_MS: f64 = 10.0 * 60.0 * 1000.0;

/// A sign-in that has been sent to PagerDuty and not come back yet.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct PendingSignIn {
    pub verifier: Verifier,
    pub state: String,
    /// The in-app path to show after signing in (already checked by [`safe_return_path`]).
    pub return_to: String,
    pub created_at_ms: f64,
}

impl PendingSignIn {
    pub fn is_stale(&self, now_ms: f64) -> bool {
        let age = now_ms - self.created_at_ms;
        !(0.0..=PENDING_MAX_AGE_MS).contains(&age)
    }
}

/// A signed-in session.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Session {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// When the access token stops working, in milliseconds since the epoch, if PagerDuty said.
    pub expires_at_ms: Option<f64>,
    /// The scopes PagerDuty granted, as it listed them.
    pub scope: String,
    /// Where this account's REST API lives (US, EU, or a configured override).
    pub api_base_url: String,
    /// The signed-in user's ID from the ID token, when it named one.
    #[serde(default)]
    pub user_id: Option<String>,
}

impl Session {
    pub fn is_expired(&self, now_ms: f64) -> bool {
        self.expires_at_ms.is_some_and(|at| now_ms >= at)
    }
}

/// Returns `path` if it is safe to navigate to after sign-in, else `/`.
///
/// Only a path inside this app is allowed: it must start with one `/`, and may not be `//host`
/// or `/\host` (which browsers read as another site), nor contain a scheme or control
/// characters. Anything else could turn the sign-in into an open redirect.
pub fn safe_return_path(path: &str) -> String {
    let safe = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.contains("://")
        && !path.chars().any(|c| c.is_control() || c == '\\');
    if safe {
        path.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_in_app_paths_are_returned_to() {
        assert_eq!(safe_return_path("/teams/P1?tz=UTC"), "/teams/P1?tz=UTC");
        for hostile in [
            "//evil.example.com",
            "/\\evil.example.com",
            "https://evil.example.com",
            "/redirect?to=https://evil.example.com",
            "javascript:alert(1)",
            "",
            "teams",
            "/a\nb",
        ] {
            assert_eq!(
                safe_return_path(hostile),
                "/",
                "{hostile:?} must not be followed"
            );
        }
    }

    #[test]
    fn a_pending_sign_in_goes_stale_after_ten_minutes_or_from_the_future() {
        let pending = PendingSignIn {
            verifier: Verifier::from_text("v"),
            state: "s".into(),
            return_to: "/".into(),
            created_at_ms: 1_000_000.0,
        };
        assert!(!pending.is_stale(1_000_000.0 + PENDING_MAX_AGE_MS));
        assert!(pending.is_stale(1_000_000.0 + PENDING_MAX_AGE_MS + 1.0));
        assert!(pending.is_stale(999_000.0));
    }

    #[test]
    fn a_session_expires_at_its_instant_and_never_without_one() {
        let mut session = Session {
            access_token: Secret::new("a"),
            refresh_token: None,
            expires_at_ms: Some(5_000.0),
            scope: "openid read".into(),
            api_base_url: crate::hosts::API_US.into(),
            user_id: None,
        };
        assert!(!session.is_expired(4_999.0));
        assert!(session.is_expired(5_000.0));
        session.expires_at_ms = None;
        assert!(!session.is_expired(f64::MAX));
    }

    #[test]
    fn the_stored_session_never_shows_its_tokens_in_debug_output() {
        let session = Session {
            access_token: Secret::new("pdus+_0XBPWQQ_access"),
            refresh_token: Some(Secret::new("pdus+_1XBPWQQ_refresh")),
            expires_at_ms: None,
            scope: "read".into(),
            api_base_url: crate::hosts::API_US.into(),
            user_id: None,
        };
        let debug = format!("{session:?}");
        assert!(!debug.contains("pdus"), "{debug}");
    }
}
