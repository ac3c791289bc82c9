//! The sign-in window of a framed page: opened from the click, awaited as one future.

use crate::browser::{frame, now_ms, sleep};
use futures::future::{select, Either};
use leptos::prelude::window_event_listener;
use oncall_core::auth::PopupError;
use oncall_core::embed::{self, PopupResult};
use wasm_bindgen::JsValue;

/// What the sign-in window handed back: the callback's query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopupAnswer {
    pub query: String,
}

/// How often the closed and timed-out checks run while waiting.
const POLL_MS: u64 = 400;

/// How long an answer may still arrive after the window is seen closed. The popup posts its
/// answer and then closes itself; a busy page can see the window closed before it reads the
/// message already on its way, and must not call that "closed before you finished".
const ANSWER_GRACE_MS: u64 = 2_000;

/// Opens an empty sign-in window named with `nonce` ([`embed::popup_name`]). Must run
/// synchronously inside the click handler, before any `await`, or popup blockers refuse it.
/// `None` when the browser blocked it.
pub fn open(nonce: &str) -> Option<web_sys::Window> {
    web_sys::window()?
        .open_with_url_and_target_and_features(
            "about:blank",
            &embed::popup_name(nonce),
            "popup,width=520,height=720",
        )
        .ok()
        .flatten()
}

/// In the sign-in window: the nonce its opener named it with, if this app's sign-in opened it.
pub fn nonce() -> Option<String> {
    let name = web_sys::window()?.name().ok()?;
    embed::popup_nonce(&name).map(str::to_string)
}

/// Waits for `popup` to hand back PagerDuty's answer. Only a message from `own_origin` (this
/// app), sent by that very window, with the `nonce` it was named with, counts. A closed window
/// (once no answer followed it within [`ANSWER_GRACE_MS`]), or `timeout_ms` without an answer
/// (the window is then closed), ends the wait with the reason.
pub async fn answer(
    popup: &web_sys::Window,
    own_origin: &str,
    nonce: &str,
    timeout_ms: f64,
) -> Result<PopupAnswer, PopupError> {
    let mut resolve = None;
    let message = js_sys::Promise::new(&mut |ok, _| resolve = Some(ok));
    let listener = {
        let (popup, own_origin, nonce) = (popup.clone(), own_origin.to_string(), nonce.to_string());
        window_event_listener(leptos::ev::message, move |event| {
            let Some(data) = event.data().as_string() else {
                return;
            };
            let Some(result) = PopupResult::accept(&data, &event.origin(), &own_origin, &nonce)
            else {
                return;
            };
            let from_popup = event
                .source()
                .is_some_and(|s| frame::same_window(&s, &popup));
            if let Some(resolve) = resolve.as_ref().filter(|_| from_popup) {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&result.query));
            }
        })
    };
    let watch = async {
        let started = now_ms();
        loop {
            sleep(POLL_MS).await;
            if popup.closed().unwrap_or(true) {
                // An answer on its way wins this race (see `select` below).
                sleep(ANSWER_GRACE_MS).await;
                return PopupError::Closed;
            }
            if now_ms() - started > timeout_ms {
                let _ = popup.close();
                return PopupError::TimedOut;
            }
        }
    };
    let message = wasm_bindgen_futures::JsFuture::from(message);
    let outcome = match select(message, Box::pin(watch)).await {
        Either::Left((Ok(query), _)) => Ok(PopupAnswer {
            query: query.as_string().unwrap_or_default(),
        }),
        Either::Left((Err(_), _)) => Err(PopupError::Closed),
        Either::Right((reason, _)) => Err(reason),
    };
    listener.remove();
    outcome
}
