//! Answers kept for this tab's session, so moving between views does not ask again; the
//! refresh generation that views track; and the notice shown while requests wait.

use crate::http::HttpResponse;
use leptos::prelude::*;
use std::collections::HashMap;

/// How long an answer is reused when moving between views; the refresh button skips it.
pub const FRESH_MS: f64 = 5.0 * 60.0 * 1000.0;

/// The cache, the refresh generation and the waiting notice, shared through context.
#[derive(Clone, Copy)]
pub struct ApiCache {
    answers: StoredValue<HashMap<String, (f64, HttpResponse)>, LocalStorage>,
    generation: RwSignal<u64>,
    /// The notice and the request that showed it: only that request may clear it.
    notice: RwSignal<Option<(u64, String)>>,
    next_notice: StoredValue<u64>,
    /// When the oldest answer shown since the last renewal was fetched, and that renewal's
    /// generation (a newer generation's first answer starts it again).
    as_of: RwSignal<Option<(u64, f64)>>,
}

impl ApiCache {
    pub fn new() -> Self {
        Self {
            answers: StoredValue::new_local(HashMap::new()),
            generation: RwSignal::new(0),
            notice: RwSignal::new(None),
            next_notice: StoredValue::new(0),
            as_of: RwSignal::new(None),
        }
    }

    /// Makes every view that tracks it load again, reusing answers still fresh: what a page
    /// left open does at a handover, or when it is shown again.
    pub fn renew(&self) {
        self.generation.update(|g| *g += 1);
    }

    /// When the oldest answer the page shows was fetched.
    pub fn as_of(&self) -> Option<f64> {
        self.as_of.with(|a| a.map(|(_, at)| at))
    }

    /// Counts an answer fetched at `at` towards [`ApiCache::as_of`].
    fn shown(&self, at: f64) {
        let generation = self.generation.get_untracked();
        let current = self.as_of.get_untracked();
        let next = match current {
            Some((g, oldest)) if g == generation => oldest.min(at),
            _ => at,
        };
        if current != Some((generation, next)) {
            self.as_of.set(Some((generation, next)));
        }
    }

    /// Forgets every cached answer and makes every view that tracks it load again.
    pub fn refresh(&self) {
        self.answers.update_value(HashMap::clear);
        self.renew();
    }

    /// The notice to show, if any.
    pub fn notice(&self) -> Option<String> {
        self.notice
            .with(|n| n.as_ref().map(|(_, text)| text.clone()))
    }

    /// Shows `text` for the request `owner` (0 = not yet known: one is assigned).
    pub(super) fn show_notice(&self, owner: &mut u64, text: String) {
        if *owner == 0 {
            self.next_notice.update_value(|n| *n += 1);
            *owner = self.next_notice.get_value();
        }
        self.notice.set(Some((*owner, text)));
    }

    /// Clears the notice if `owner` showed it; another request's notice stays.
    pub(super) fn clear_notice(&self, owner: u64) {
        let mine = self
            .notice
            .with_untracked(|n| n.as_ref().is_some_and(|(id, _)| *id == owner));
        if owner != 0 && mine {
            self.notice.set(None);
        }
    }

    /// Read inside a resource's fetcher so that [`ApiCache::refresh`] reruns it.
    pub fn track(&self) {
        self.generation.track();
    }
}

impl Default for ApiCache {
    fn default() -> Self {
        Self::new()
    }
}

impl ApiCache {
    /// The answer for `url` if it is younger than [`FRESH_MS`] at `now`.
    pub(super) fn fresh(&self, url: &str, now: f64) -> Option<HttpResponse> {
        let hit = self.answers.with_value(|c| {
            c.get(url)
                .filter(|(at, _)| now - at < FRESH_MS)
                .map(|(at, r)| (*at, r.clone()))
        });
        hit.map(|(at, response)| {
            self.shown(at);
            response
        })
    }

    pub(super) fn keep(&self, url: String, at: f64, response: HttpResponse) {
        self.shown(at);
        self.answers.update_value(|c| {
            c.insert(url, (at, response));
        });
    }
}
