//! When to try a request again, and when to refresh the token: pure decisions, so every
//! branch is tested on the host and the browser glue only sleeps and sends.

use crate::api::ApiError;
use crate::session::Session;

/// Refresh the access token this long before PagerDuty says it expires.
pub const REFRESH_MARGIN_MS: f64 = 5.0 * 60.0 * 1000.0;
/// Tries of one request in all, the first included.
pub const MAX_ATTEMPTS: u32 = 4;
/// The longest wait between tries.
pub const MAX_DELAY_MS: u64 = 30_000;

/// What to do after a failed try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again; `rate_limited` says why, for the notice.
    Retry {
        after_ms: u64,
        rate_limited: bool,
    },
    GiveUp,
}

/// After `attempt` tries (1 = the first failed), decide on `error`. `jitter` is a random number
/// in `[0, 1)` ("full jitter": many tabs or pages must not retry in lockstep).
pub fn decide(error: &ApiError, attempt: u32, jitter: f64) -> Decision {
    if attempt >= MAX_ATTEMPTS {
        return Decision::GiveUp;
    }
    let backoff = |base_ms: u64| {
        let ceiling = base_ms
            .saturating_mul(1 << attempt.min(16))
            .min(MAX_DELAY_MS);
        ((ceiling as f64) * jitter.clamp(0.0, 1.0)).round() as u64
    };
    match error {
        // PagerDuty says when the window resets: wait exactly that, plus a little spread.
        ApiError::RateLimited {
            retry_after_s: Some(s),
        } => Decision::Retry {
            after_ms: (u64::from(*s) * 1000).min(MAX_DELAY_MS * 2)
                + (250.0 * jitter.clamp(0.0, 1.0)) as u64,
            rate_limited: true,
        },
        // Sometimes a 429 comes with no headers (or no body): back off exponentially.
        ApiError::RateLimited {
            retry_after_s: None,
        } => Decision::Retry {
            after_ms: backoff(1_000).max(500),
            rate_limited: true,
        },
        ApiError::Server(_) | ApiError::Network => Decision::Retry {
            after_ms: backoff(500).max(100),
            rate_limited: false,
        },
        _ => Decision::GiveUp,
    }
}

/// Whether to refresh before the next request: the token expires within the margin.
pub fn needs_refresh(session: &Session, now_ms: f64) -> bool {
    session.refresh_token.is_some()
        && session
            .expires_at_ms
            .is_some_and(|at| at - now_ms <= REFRESH_MARGIN_MS)
}

/// When to refresh ahead of time, in milliseconds from now (never negative).
pub fn refresh_in_ms(session: &Session, now_ms: f64) -> Option<f64> {
    session.refresh_token.as_ref()?;
    Some((session.expires_at_ms? - REFRESH_MARGIN_MS - now_ms).max(0.0))
}

/// A refreshed session keeps what the refresh answer does not say again.
pub fn merge_refreshed(old: &Session, mut new: Session) -> Session {
    if new.refresh_token.is_none() {
        new.refresh_token = old.refresh_token.clone();
    }
    if new.user_id.is_none() {
        new.user_id = old.user_id.clone();
    }
    new.api_base_url = old.api_base_url.clone();
    new
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

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
    fn a_rate_limit_with_a_reset_waits_for_exactly_that() {
        let limited = ApiError::RateLimited {
            retry_after_s: Some(7),
        };
        assert_eq!(
            decide(&limited, 1, 0.0),
            Decision::Retry {
                after_ms: 7_000,
                rate_limited: true
            }
        );
        assert_eq!(
            decide(&limited, 1, 0.5),
            Decision::Retry {
                after_ms: 7_125,
                rate_limited: true
            }
        );
    }

    #[test]
    fn a_bare_429_backs_off_exponentially_within_bounds() {
        let bare = ApiError::RateLimited {
            retry_after_s: None,
        };
        let ceilings: Vec<u64> = (1..MAX_ATTEMPTS)
            .map(|a| match decide(&bare, a, 1.0) {
                Decision::Retry { after_ms, .. } => after_ms,
                Decision::GiveUp => 0,
            })
            .collect();
        assert_eq!(ceilings, vec![2_000, 4_000, 8_000]);
        assert_eq!(
            decide(&bare, 1, 0.0),
            Decision::Retry {
                after_ms: 500,
                rate_limited: true
            },
            "never zero"
        );
    }

    #[test]
    fn server_errors_and_network_failures_are_retried_a_bounded_number_of_times() {
        for error in [ApiError::Server(503), ApiError::Network] {
            assert!(matches!(
                decide(&error, 1, 0.5),
                Decision::Retry {
                    rate_limited: false,
                    ..
                }
            ));
            assert_eq!(decide(&error, MAX_ATTEMPTS, 0.5), Decision::GiveUp);
        }
    }

    #[test]
    fn other_errors_are_never_retried() {
        for error in [
            ApiError::Unauthorized,
            ApiError::Forbidden(None),
            ApiError::NotFound,
            ApiError::Decode("x".into()),
        ] {
            assert_eq!(decide(&error, 1, 0.5), Decision::GiveUp, "{error:?}");
        }
    }

    #[test]
    fn delays_stay_under_the_ceiling_however_late_the_attempt() {
        for attempt in 1..MAX_ATTEMPTS {
            if let Decision::Retry { after_ms, .. } = decide(&ApiError::Server(500), attempt, 1.0) {
                assert!(after_ms <= MAX_DELAY_MS);
            }
        }
        let huge = ApiError::RateLimited {
            retry_after_s: Some(u32::MAX),
        };
        assert!(
            matches!(decide(&huge, 1, 0.0), Decision::Retry { after_ms, .. } if after_ms <= 2 * MAX_DELAY_MS)
        );
    }

    #[test]
    fn a_token_is_refreshed_within_five_minutes_of_expiry_and_only_with_a_refresh_token() {
        let now = 1_000_000.0;
        assert!(!needs_refresh(
            &session(Some(now + REFRESH_MARGIN_MS + 1.0), true),
            now
        ));
        assert!(needs_refresh(
            &session(Some(now + REFRESH_MARGIN_MS), true),
            now
        ));
        assert!(needs_refresh(&session(Some(now - 1.0), true), now));
        assert!(!needs_refresh(&session(Some(now), false), now));
        assert!(!needs_refresh(&session(None, true), now));
        assert_eq!(
            refresh_in_ms(&session(Some(now + 600_000.0), true), now),
            Some(300_000.0)
        );
        assert_eq!(refresh_in_ms(&session(Some(now), true), now), Some(0.0));
        assert_eq!(refresh_in_ms(&session(None, true), now), None);
    }

    #[test]
    fn a_refresh_keeps_the_api_host_user_and_refresh_token_it_did_not_repeat() {
        let old = session(Some(1.0), true);
        let mut new = session(Some(2.0), false);
        new.api_base_url = "https://api.pagerduty.com".into();
        new.user_id = None;
        let merged = merge_refreshed(&old, new);
        assert_eq!(merged.api_base_url, "https://api.eu.pagerduty.com");
        assert_eq!(merged.user_id.as_deref(), Some("PU1"));
        assert_eq!(merged.refresh_token, Some(Secret::new("r")));
        assert_eq!(merged.expires_at_ms, Some(2.0));
    }
}
