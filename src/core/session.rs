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

/// Renew the access token this long before PagerDuty says it expires.
pub const REFRESH_MARGIN_MS: f64 = 5.0 * 60.0 * 1000.0;

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

    /// Whether to renew before the next request: the token expires within
    /// [`REFRESH_MARGIN_MS`], and there is a refresh token to renew it with.
    pub fn needs_refresh(&self, now_ms: f64) -> bool {
        self.refresh_token.is_some()
            && self
                .expires_at_ms
                .is_some_and(|at| at - now_ms <= REFRESH_MARGIN_MS)
    }

    /// When to renew ahead of time, in milliseconds from now (never negative).
    pub fn refresh_in_ms(&self, now_ms: f64) -> Option<f64> {
        self.refresh_token.as_ref()?;
        Some((self.expires_at_ms? - REFRESH_MARGIN_MS - now_ms).max(0.0))
    }

    /// This session renewed by `new`, keeping what the refresh answer did not say again.
    pub fn refreshed(&self, mut new: Session) -> Session {
        if new.refresh_token.is_none() {
            new.refresh_token = self.refresh_token.clone();
        }
        if new.user_id.is_none() {
            new.user_id = self.user_id.clone();
        }
        new.api_base_url = self.api_base_url.clone();
        new
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

    fn session(expires_at_ms: Option<f64>, refresh: bool) -> Session {
        Session {
            access_token: Secret::new("a"),
            refresh_token: refresh.then(|| Secret::new("r")),
            expires_at_ms,
            scope: "read".into(),
            api_base_url: "https://api.eu.pagerduty.com".into(),
            user_id: Some("PU1".into()),
        }
    }

    #[test]
    fn a_token_is_refreshed_within_five_minutes_of_expiry_and_only_with_a_refresh_token() {
        let now = 1_000_000.0;
        assert!(!session(Some(now + REFRESH_MARGIN_MS + 1.0), true).needs_refresh(now));
        assert!(session(Some(now + REFRESH_MARGIN_MS), true).needs_refresh(now));
        assert!(session(Some(now - 1.0), true).needs_refresh(now));
        assert!(!session(Some(now), false).needs_refresh(now));
        assert!(!session(None, true).needs_refresh(now));
        assert_eq!(
            session(Some(now + 600_000.0), true).refresh_in_ms(now),
            Some(300_000.0)
        );
        assert_eq!(session(Some(now), true).refresh_in_ms(now), Some(0.0));
        assert_eq!(session(None, true).refresh_in_ms(now), None);
    }

    #[test]
    fn a_refresh_keeps_the_api_host_user_and_refresh_token_it_did_not_repeat() {
        let old = session(Some(1.0), true);
        let mut new = session(Some(2.0), false);
        new.api_base_url = "https://api.pagerduty.com".into();
        new.user_id = None;
        let merged = old.refreshed(new);
        assert_eq!(merged.api_base_url, "https://api.eu.pagerduty.com");
        assert_eq!(merged.user_id.as_deref(), Some("PU1"));
        assert_eq!(merged.refresh_token, Some(Secret::new("r")));
        assert_eq!(merged.expires_at_ms, Some(2.0));
    }
}
