//! The rules of the answer cache, pure: how long an answer is reused, and when it is dropped.
//!
//! A page left open (a wall, a portal) asks again at every handover, and loads that follow the
//! clock ask for a window that starts at the current minute: each renewal is a new URL. An
//! answer is therefore dropped as soon as nobody can be given it again: when it is older than
//! the reuse window ([`FRESH_MS`]), or when a newer answer for the same request over another
//! window arrives (a view asks for the present, never for an older minute). What the cache holds
//! is then bounded by the requests made in the last five minutes, however long the page is open.

use std::collections::HashMap;

/// How long an answer is reused when moving between views; the refresh button skips it.
pub const FRESH_MS: f64 = 5.0 * 60.0 * 1000.0;

/// Query parameters that move a request's time window; without them, two URLs ask the same
/// question of different times.
const WINDOW_PARAMS: [&str; 2] = ["since", "until"];

/// Answers by URL, with when each was fetched.
#[derive(Debug)]
pub struct Answers<V> {
    entries: HashMap<String, (f64, V)>,
}

impl<V> Default for Answers<V> {
    fn default() -> Self {
        Self {
            entries: HashMap::new(),
        }
    }
}

impl<V: Clone> Answers<V> {
    /// The answer for `url` and when it was fetched, if it is younger than [`FRESH_MS`] at
    /// `now`.
    pub fn fresh(&self, url: &str, now: f64) -> Option<(f64, V)> {
        self.entries
            .get(url)
            .filter(|(at, _)| now - at < FRESH_MS)
            .map(|(at, v)| (*at, v.clone()))
    }

    /// Keeps `answer`, fetched at `at`, for `url`; drops every answer that is too old to be
    /// given again at `at`, and every older answer to the same request over another window.
    pub fn keep(&mut self, url: String, at: f64, answer: V) {
        let question = request_of(&url);
        self.entries.retain(|kept, (kept_at, _)| {
            at - *kept_at < FRESH_MS && (request_of(kept) != question || *kept_at > at)
        });
        self.entries.insert(url, (at, answer));
    }

    /// Forgets the answers whose URL `stale` picks (those a change has made wrong).
    pub fn forget(&mut self, stale: impl Fn(&str) -> bool) {
        self.entries.retain(|url, _| !stale(url));
    }

    /// Forgets every answer.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The request a URL makes, whatever window it asks about: the URL without its `since` and
/// `until` parameters.
fn request_of(url: &str) -> String {
    let Some((path, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !WINDOW_PARAMS.contains(&name)
        })
        .collect();
    format!("{path}?{}", rest.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: f64 = 60_000.0;

    #[test]
    fn an_answer_is_reused_for_five_minutes_and_not_after() {
        let mut answers = Answers::default();
        answers.keep("https://api/teams?limit=100".into(), 0.0, "teams");
        assert_eq!(
            answers.fresh("https://api/teams?limit=100", FRESH_MS - 1.0),
            Some((0.0, "teams"))
        );
        assert_eq!(answers.fresh("https://api/teams?limit=100", FRESH_MS), None);
        assert_eq!(answers.fresh("https://api/teams?limit=25", 1.0), None);
    }

    #[test]
    fn a_page_renewing_every_minute_for_a_day_holds_what_one_renewal_asks() {
        let mut answers = Answers::default();
        for minute in 0..24 * 60 {
            let at = minute as f64 * MINUTE;
            let since = format!("2026-12-07T{:02}:{:02}:00Z", minute / 60, minute % 60);
            answers.keep(
                format!("https://api/oncalls?since={since}&until=x&user_ids[]=U1"),
                at,
                minute,
            );
            answers.keep(
                format!("https://api/schedules/PS1?since={since}&time_zone=UTC"),
                at,
                minute,
            );
            answers.keep("https://api/users/me".into(), at, minute);
        }
        assert_eq!(answers.len(), 3, "one answer per request, the newest");
    }

    #[test]
    fn answers_nobody_can_be_given_again_are_dropped_when_the_next_one_is_kept() {
        let mut answers = Answers::default();
        answers.keep("https://api/teams".into(), 0.0, 1);
        answers.keep("https://api/services".into(), 2.0 * MINUTE, 2);
        answers.keep("https://api/users/me".into(), FRESH_MS + MINUTE, 3);
        assert_eq!(answers.len(), 2, "the teams answer expired");
        assert_eq!(
            answers.fresh("https://api/services", FRESH_MS + MINUTE),
            Some((2.0 * MINUTE, 2))
        );
    }

    #[test]
    fn windows_of_different_requests_do_not_push_each_other_out() {
        let mut answers = Answers::default();
        answers.keep("https://api/schedules/PS1?since=a&until=b".into(), 0.0, 1);
        answers.keep("https://api/schedules/PS2?since=a&until=b".into(), 1.0, 2);
        answers.keep(
            "https://api/oncalls?since=a&schedule_ids[]=PS1".into(),
            2.0,
            3,
        );
        answers.keep(
            "https://api/oncalls?since=a&schedule_ids[]=PS2".into(),
            3.0,
            4,
        );
        assert_eq!(answers.len(), 4);
        // A later answer to the same request over another window replaces the earlier one; an
        // answer that arrives late (fetched before the kept one) does not push it out.
        answers.keep("https://api/schedules/PS1?since=c&until=d".into(), 5.0, 5);
        answers.keep("https://api/schedules/PS2?since=z&until=z".into(), 0.5, 6);
        assert_eq!(
            answers.fresh("https://api/schedules/PS1?since=a&until=b", 6.0),
            None
        );
        assert_eq!(
            answers.fresh("https://api/schedules/PS2?since=a&until=b", 6.0),
            Some((1.0, 2))
        );
        assert_eq!(answers.len(), 5);
        answers.clear();
        assert!(answers.is_empty());
    }
}
