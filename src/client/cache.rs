//! Answers kept for this tab's session, so moving between views does not ask again. Its one
//! job is the answers; the rules (how long, and when one is dropped) are
//! [`oncall_core::cache`]'s, tested on the host.

use leptos::prelude::*;
use oncall_core::cache::Answers;
use oncall_core::http::HttpResponse;

/// The signed-in page's answers, shared through context.
#[derive(Clone, Copy)]
pub struct ApiCache {
    answers: StoredValue<Answers<HttpResponse>, LocalStorage>,
}

impl ApiCache {
    pub fn new() -> Self {
        Self {
            answers: StoredValue::new_local(Answers::default()),
        }
    }

    /// The answer for `url` and when it was fetched, if it may still be reused at `now`.
    pub fn fresh(&self, url: &str, now: f64) -> Option<(f64, HttpResponse)> {
        self.answers.with_value(|a| a.fresh(url, now))
    }

    /// Keeps an answer fetched at `at`, dropping those nobody can be given again.
    pub fn keep(&self, url: String, at: f64, response: HttpResponse) {
        self.answers.update_value(|a| a.keep(url, at, response));
    }

    /// Forgets the answers `stale` picks by URL.
    pub fn forget(&self, stale: impl Fn(&str) -> bool) {
        self.answers.update_value(|a| a.forget(stale));
    }

    /// Forgets every answer (the Refresh button).
    pub fn clear(&self) {
        self.answers.update_value(Answers::clear);
    }
}

impl Default for ApiCache {
    fn default() -> Self {
        Self::new()
    }
}
