//! Signing in and staying signed in.
//!
//! The decisions are pure and live in the core ([`start`] decides what a page load means;
//! [`SignInError`] and [`Notice`] are what the person is told). [`arrive`] gathers what a page
//! load knows and does the two things that must happen before anything else; [`AuthContext`]
//! holds the state and is the only code that changes it.

mod context;

pub use context::{use_auth, Auth, AuthContext, Refreshed, SIGN_IN_PARAM};
pub use oncall_core::auth::{start, Arrival, Notice, PopupError, SignInError, Start};

use crate::browser::storage::SessionStorage;
use crate::browser::{frame, location, now_ms, popup};
use oncall_core::address::Base;
use oncall_core::oauth::callback::CallbackParams;
use oncall_core::storage;

/// Reads this page load's sign-in situation and decides where it starts. A callback's pending
/// record is spent and the address bar cleaned *before* anything else, so that a reload, Back,
/// or a second run can never present the code again; the sign-in popup of a framed page hands
/// the answer to its opener and closes.
pub fn arrive(base: &Base) -> Start {
    let store = SessionStorage::for_app(&base.path);
    let query = location::search();
    let is_callback = CallbackParams::from_query(&query).is_callback();
    // Taken on every load: an abandoned sign-in (back without a callback) is dropped too.
    let pending = storage::take_pending(&store);
    if is_callback {
        location::replace(&base.path);
    }
    let opener = frame::opener();
    let popup_nonce = opener.as_ref().and_then(|_| popup::nonce());
    let arrival = |pending, popup_nonce| Arrival {
        callback: CallbackParams::from_query(&query),
        pending,
        stored: storage::load_session(&store),
        popup_nonce,
        now_ms: now_ms(),
    };
    match start(arrival(pending, popup_nonce)) {
        Start::HandBack { nonce } => {
            match opener.filter(|o| frame::hand_back(o, &query, &nonce, &base.origin)) {
                Some(_) => {
                    if let Some(window) = web_sys::window() {
                        let _ = window.close();
                    }
                    Start::HandBack { nonce }
                }
                // The opener is gone: this window answers for itself (it had no pending record,
                // or there would be nothing to hand back).
                None => start(arrival(None, None)),
            }
        }
        decided => decided,
    }
}
