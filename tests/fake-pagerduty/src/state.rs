//! What the fake remembers: its account, its grants, and the faults tests have switched on.

use crate::data::{Data, Size};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// How long an authorization code lives, as at PagerDuty.
pub const CODE_LIFETIME_S: i64 = 30;

/// Faults the tests (or the demo's admin endpoint) switch on. Counted faults apply to that
/// many API requests and then stop.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Added before every identity and API answer.
    pub latency_ms: u64,
    /// The next N API requests answer 401 (as after a revoke in PagerDuty's UI).
    pub unauthorized: u32,
    /// The next N API requests answer 429.
    pub rate_limited: u32,
    /// With `rate_limited`: the `ratelimit-reset` seconds, or no rate-limit headers at all.
    pub rate_limit_reset_s: Option<u32>,
    /// The next N API requests answer 500.
    pub server_errors: u32,
    /// The next N API requests answer 200 with JSON cut in half.
    pub malformed: u32,
    /// `/teams` answers 402: the account's plan has no teams.
    pub no_teams_feature: bool,
    /// Refresh without a `client_secret` fails, as PagerDuty's docs say it should.
    pub refresh_needs_secret: bool,
    /// Codes issued from now on live this long instead of PagerDuty's 30 seconds.
    pub code_lifetime_s: Option<i64>,
    /// Every API request whose path starts with this answers 200 with JSON cut in half.
    pub malformed_path: Option<String>,
    /// Every API request whose path starts with this answers 503: one panel's data failing
    /// while the rest of the page loads.
    pub failing_path: Option<String>,
    /// A refresh is carried out at once (the presented refresh token is spent, new tokens are
    /// live) but its answer reaches the browser this much later: a refresh still in flight
    /// when something else happens, such as a sign-out.
    pub refresh_answer_delay_ms: u64,
    /// Other users' contact methods answer 403, as for a role that may not see them.
    pub contact_methods_forbidden: bool,
    /// ID tokens issued from now on name this user (an index into the users) in `user_id`,
    /// not the one who signed in: a token the page must not take at its word.
    pub id_token_names_user: Option<usize>,
    /// The next N changes (POST, DELETE) are carried out, and then their answer is lost: the
    /// status line goes out and the connection drops before the body, as a network that fails
    /// at the wrong moment does. The page must learn from a read that the change was made.
    pub lost_change_answers: u32,
    /// The next N changes are carried out, and then the connection is closed before any byte of
    /// the answer: a browser may send the request again by itself (Chromium does, on a reused
    /// connection, even a POST), which PagerDuty carries out a second time.
    pub dropped_change_connections: u32,
    /// The next N override items asked for are refused inside the 201, each with its own
    /// status and error, as PagerDuty answers for an item it could not create.
    pub refused_override_items: u32,
}

#[derive(Clone, Debug)]
pub struct CodeGrant {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub user: usize,
    pub scope: String,
    pub expires_at: i64,
    pub used: bool,
    /// Tokens issued for this code: revoked if the code is ever presented again (RFC 6749 §4.1.2).
    pub issued: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct TokenGrant {
    pub user: usize,
    pub scope: String,
    pub client_id: String,
    pub expires_at: i64,
    /// The refresh token that goes with this access token (or the access token of a refresh
    /// token), so revoking one revokes the pair.
    pub partner: String,
}

/// What happened, for tests to assert on. Never holds a token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub authorize_pages: u32,
    pub codes_issued: u32,
    pub code_exchanges: u32,
    pub rejected_exchanges: u32,
    pub refreshes: u32,
    pub revocations: u32,
    pub api_requests: u32,
    pub unauthorized_api_requests: u32,
    /// POSTs and DELETEs received (each one the browser sent, resent ones too).
    pub changes: u32,
}

pub struct State {
    /// Shared with answers being made (renaming a user copies it first).
    pub data: std::sync::Arc<Data>,
    pub size: Size,
    pub codes: HashMap<String, CodeGrant>,
    pub access: HashMap<String, TokenGrant>,
    pub refresh: HashMap<String, TokenGrant>,
    pub faults: Faults,
    pub counters: Counters,
    pub token_lifetime_s: i64,
    /// Every API request's path and query, in order (never a token: those go in headers).
    pub api_log: Vec<String>,
    /// The last redirect back to the app (with its code), so tests can replay it.
    pub last_callback: Option<String>,
    /// Overrides created so far, numbering the next one's ID.
    pub overrides_made: u64,
}

/// Shared, cheap to clone; every lock is short and never held across an await.
#[derive(Clone)]
pub struct Shared(Arc<Mutex<State>>);

impl Shared {
    pub fn new(state: State) -> Self {
        Self(Arc::new(Mutex::new(state)))
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in one handler must not take the whole fake down with a poisoned lock.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
