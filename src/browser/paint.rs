//! Drawing in slices: work queued here runs a few milliseconds per frame, so that drawing a
//! long list (a two-week timeline of 10,000 shifts) never blocks the page for long: input,
//! scrolling and focus keep working while the rest is drawn.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

/// At most this long per frame (a frame is 16 ms; the browser needs the rest). Work sliced
/// another way (reading a large answer) gives the page back as often.
pub const BUDGET_MS: f64 = 8.0;

type Step = Box<dyn FnOnce()>;

thread_local! {
    static QUEUE: RefCell<VecDeque<Step>> = const { RefCell::new(VecDeque::new()) };
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Runs `step` in a later frame, after every step queued before it.
pub fn later(step: impl FnOnce() + 'static) {
    QUEUE.with(|q| q.borrow_mut().push_back(Box::new(step)));
    if !RUNNING.replace(true) {
        leptos::prelude::request_animation_frame(run);
    }
}

/// Runs queued steps until the frame's budget is spent, then waits for the next frame.
fn run() {
    let started = now();
    loop {
        let Some(step) = QUEUE.with(|q| q.borrow_mut().pop_front()) else {
            RUNNING.set(false);
            return;
        };
        step();
        if now() - started >= BUDGET_MS {
            leptos::prelude::request_animation_frame(run);
            return;
        }
    }
}
