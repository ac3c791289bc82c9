//! When to try a failed request again: pure decisions, so every branch is tested on the host
//! and the browser glue only sleeps and sends. (When to renew the token is the session's rule:
//! see [`crate::session::Session::needs_refresh`].)

use crate::api::ApiError;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
