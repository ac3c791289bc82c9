//! A "now" that stays true on a page left open: on a wall screen, in a portal, in a tab come
//! back to after lunch.
//!
//! Two signals, each read where it matters so that the dependency is visible there:
//!
//! - [`Clock::now`]: the time views draw "on call now" at. It moves on when what a view shows
//!   next changes: a view says when with [`wake_at_next_change`], from the next handover its
//!   data already knows.
//! - [`Clock::epoch`]: the minute the page's data is loaded from. Every renewal sets it, and
//!   every load that must be renewed reads it, so it loads again then (answers younger than the
//!   cache's five minutes are reused, older ones asked again). The old data stays on screen
//!   until the new is there (views load inside a `Transition`).
//!
//! A renewal happens at a handover, when the tab becomes visible after [`STALE_AFTER_MS`],
//! when the person presses Refresh, and, embedded in a portal, every [`EMBED_EVERY_MS`] while
//! visible; never while hidden, and never by polling for handovers.
//!
//! The clock also keeps "as of": when the oldest answer shown since the last renewal was
//! fetched (the client tells it of every answer it hands out).

use crate::browser::now_ms;
use leptos::prelude::*;
use oncall_core::time::{Millis, MINUTE};
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
    epoch: RwSignal<Millis>,
    /// Renewals so far, and when the last one was.
    renewals: StoredValue<(u64, f64)>,
    /// The pending wake-up: when, and its timer.
    wake: StoredValue<Option<(Millis, TimeoutHandle)>, LocalStorage>,
    /// When the oldest answer shown since the last renewal was fetched, and that renewal.
    as_of: RwSignal<Option<(u64, f64)>>,
}

/// `at` to the minute: loads opened within the same minute ask the same URLs and share the
/// cache.
fn minute_of(at: f64) -> Millis {
    let at = at as Millis;
    at - at.rem_euclid(MINUTE)
}

impl Clock {
    /// Starts the clock for the signed-in page, with its renewals (see the module).
    pub fn start(embedded: bool) -> Self {
        let clock = Self {
            now: RwSignal::new(now_ms() as Millis),
            epoch: RwSignal::new(minute_of(now_ms())),
            renewals: StoredValue::new((0, now_ms())),
            wake: StoredValue::new_local(None),
            as_of: RwSignal::new(None),
        };
        let shown = window_event_listener(leptos::ev::visibilitychange, move |_| {
            let since = now_ms() - clock.renewals.get_value().1;
            if !hidden() && since > STALE_AFTER_MS {
                clock.renew();
            }
        });
        let every = embedded
            .then(|| {
                set_interval_with_handle(
                    move || {
                        if !hidden() {
                            clock.renew();
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

    /// [`Clock::now`] without drawing again when it moves.
    pub fn now_untracked(&self) -> Millis {
        self.now.get_untracked()
    }

    /// The minute to load data from; reading it makes a load run again at every renewal.
    pub fn epoch(&self) -> Millis {
        self.epoch.get()
    }

    /// [`Clock::epoch`] without loading again when it moves: for what is worked out once from
    /// data that is itself renewed.
    pub fn epoch_untracked(&self) -> Millis {
        self.epoch.get_untracked()
    }

    /// For a load that does not depend on the time but should still be renewed with the page
    /// (a team's members on a wall): it runs again at every renewal.
    pub fn renewing(&self) {
        self.epoch.track();
    }

    /// Moves "now" to the present and renews every load that reads [`Clock::epoch`].
    pub fn renew(&self) {
        let at = now_ms();
        self.renewals.update_value(|(count, last)| {
            *count += 1;
            *last = at;
        });
        self.now.set(at as Millis);
        // Set even when the minute is the same: a renewal is a renewal.
        self.epoch.set(minute_of(at));
    }

    /// When the oldest answer the page shows was fetched.
    pub fn as_of(&self) -> Option<f64> {
        self.as_of.with(|a| a.map(|(_, at)| at))
    }

    /// Counts an answer fetched at `fetched` towards [`Clock::as_of`].
    pub(super) fn answered(&self, fetched: f64) {
        let renewal = self.renewals.get_value().0;
        let current = self.as_of.get_untracked();
        let oldest = match current {
            Some((r, oldest)) if r == renewal => oldest.min(fetched),
            _ => fetched,
        };
        if current != Some((renewal, oldest)) {
            self.as_of.set(Some((renewal, oldest)));
        }
    }

    /// Moves the clock on at `at`, unless an earlier wake-up is already set. `None` or a past
    /// time: nothing to wait for.
    fn wake_at(&self, at: Option<Millis>) {
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
                clock.renew();
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
}

fn hidden() -> bool {
    document().hidden()
}

/// The signed-in page's clock.
pub fn use_clock() -> Clock {
    expect_context::<Clock>()
}

/// Wakes the page when the calling view's data next changes: `next` says, from a "now", when
/// that is (the next handover its shifts know of). Asked again every time the clock moves, for
/// as long as the view is shown. Every view that draws "now" calls this once, where it is
/// made, never inside what it draws.
pub fn wake_at_next_change(next: impl Fn(Millis) -> Option<Millis> + 'static) {
    let clock = use_clock();
    Effect::new(move |_| clock.wake_at(next(clock.now())));
}
