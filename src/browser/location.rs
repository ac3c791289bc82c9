//! The address bar: reading it, and changing it.

pub use oncall_core::address::Base;
use oncall_core::address::{directory_of, Address};

/// The base at start-up: the directory of the page's own path. In-app paths are one segment
/// deep (see `Route::path`), so at `/tools/oncall/` and at `/tools/oncall/teams` alike this is
/// `/tools/oncall/`, wherever the site was copied to, with nothing fixed at build time.
pub fn base() -> Base {
    Base {
        origin: location().and_then(|l| l.origin().ok()).unwrap_or_default(),
        path: directory_of(&pathname()),
    }
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

fn pathname() -> String {
    location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default()
}

/// The query string, with its `?`.
pub fn search() -> String {
    location().and_then(|l| l.search().ok()).unwrap_or_default()
}

/// The fragment, with its `#`.
pub fn hash() -> String {
    location().and_then(|l| l.hash().ok()).unwrap_or_default()
}

/// The path, query and fragment, e.g. `/tools/oncall/#/teams?tz=UTC`.
pub fn path_query_hash() -> String {
    format!("{}{}{}", pathname(), search(), hash())
}

/// The view the address bar shows, however it is written.
pub fn address(base: &Base) -> Address {
    base.address(&pathname(), &search(), &hash())
}

/// Replaces the current history entry's URL (same origin): the old URL, with whatever it
/// carried, is gone from history, so Back cannot return to it.
pub fn replace(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Adds a history entry for `url` (same origin) without loading it.
pub fn push(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Leaves the page for `url`.
pub fn assign(url: &str) {
    if let Some(location) = location() {
        let _ = location.assign(url);
    }
}
