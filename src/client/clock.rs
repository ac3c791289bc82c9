//! A "now" that stays true on a page left open: on a wall screen, in a portal, in a tab come
//! back to after lunch.
//!
//! Views draw "on call now" from [`Clock::now`], a signal, and tell the clock when what they
//! show next changes ([`Clock::wake_at`], the next handover the data already knows). At that
//! moment the clock moves on, so they draw themselves again, and the data is renewed: answers
//! younger than the cache's five minutes are reused, older ones asked again. The old data stays
//! on screen until the new is there (views load inside a `Transition`).
//!
//! No polling for handovers. Besides them, data is renewed when the tab becomes visible after
//! [`STALE_AFTER_MS`], and, embedded in a portal, every [`EMBED_EVERY_MS`] while visible;
//! never while hidden.

use super::ApiCache;
use crate::browser::now_ms;
use crate::time::{Millis, MINUTE};
use leptos::prelude::*;
use std::time::Duration;

/// A tab shown again after this long renews what it shows.
pub const STALE_AFTER_MS: f64 = 3.0 * 60_000.0;
/// Embedded, a visible page renews this often: the cache's own lifetime, so each renewal asks
/// PagerDuty once per view (a handful of requests every five minutes, far below its limit).
pub const EMBED_EVERY_MS: u64 = 5 * 60_000;
/// `setTimeout` takes at most 2^31 - 1 ms; later wake-ups are set again when this one fires.
const LONGEST_WAIT_MS: Millis = i32::MAX as Millis;

#[derive(Clone, Copy)]
pub struct Clock {
    now: RwSignal<Millis>,
    /// When the page last renewed its data.
    renewed: StoredValue<f64>,
    /// The pending wake-up: when, and its timer.
    wake: StoredValue<Option<(Millis, TimeoutHandle)>, LocalStorage>,
    cache: ApiCache,
}

impl Clock {
    /// Starts the clock for the signed-in page, with its renewals (see the module).
    pub fn start(cache: ApiCache, embedded: bool) -> Self {
        let clock = Self {
            now: RwSignal::new(now_ms() as Millis),
            renewed: StoredValue::new(now_ms()),
            wake: StoredValue::new_local(None),
            cache,
        };
        let shown = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if !hidden() && now_ms() - clock.renewed.get_value() > STALE_AFTER_MS {
                clock.tick();
            }
        });
        let every = embedded
            .then(|| {
                set_interval_with_handle(
                    move || {
                        if !hidden() {
                            clock.tick();
                        }
                    },
                    Duration::from_millis(EMBED_EVERY_MS),
                )
                .ok()
            })
            .flatten();
        on_cleanup(move || {
            shown.remove();
            if let Some(every) = every {
                every.clear();
            }
            if let Some((_, timer)) = clock.wake.try_update_value(Option::take).flatten() {
                timer.clear();
            }
        });
        clock
    }

    /// The time to draw "now" at; reading it makes a view draw again when it moves.
    pub fn now(&self) -> Millis {
        self.now.get()
    }

    /// The time to load data for, without drawing again when it moves: to the minute, so views
    /// opened within the same minute ask the same URLs and share the cache.
    pub fn minute(&self) -> Millis {
        let now = self.now.get_untracked();
        now - now.rem_euclid(MINUTE)
    }

    /// Moves the clock on at `at` (the next handover a view knows of), unless an earlier
    /// wake-up is already set. `None` or a past time: nothing to wait for.
    pub fn wake_at(&self, at: Option<Millis>) {
        let Some(at) = at else { return };
        let now = now_ms() as Millis;
        if at <= now
            || self
                .wake
                .with_value(|w| w.as_ref().is_some_and(|(t, _)| *t <= at))
        {
            return;
        }
        let clock = *self;
        // A moment after the handover, so that "now" is on the far side of it.
        let wait = (at - now + 500).min(LONGEST_WAIT_MS);
        let timer = set_timeout_with_handle(
            move || {
                clock.wake.try_set_value(None);
                clock.tick();
            },
            Duration::from_millis(wait as u64),
        );
        if let Ok(timer) = timer {
            if let Some((_, earlier)) = self
                .wake
                .try_update_value(|w| w.replace((at, timer)))
                .flatten()
            {
                earlier.clear();
            }
        }
    }

    /// Moves "now" to the present and renews the data.
    fn tick(&self) {
        self.renewed.set_value(now_ms());
        self.now.set(now_ms() as Millis);
        self.cache.renew();
    }
}

fn hidden() -> bool {
    document().hidden()
}

/// The signed-in page's clock.
pub fn use_clock() -> Clock {
    expect_context::<Clock>()
}
