//! Being inside another page: frames, the sign-in popup, the top window, height messages.

use oncall_core::embed;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Whether this page runs inside a frame (a portal, a wiki, a dashboard).
pub fn is_framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.top() {
        Ok(Some(top)) => !js_sys::Object::is(&top, &window),
        // A top window we may not even look at is someone else's page.
        _ => true,
    }
}

/// The origins of the pages around this one, nearest first (`location.ancestorOrigins`), or
/// `None` where the browser does not tell (Firefox).
pub fn ancestor_origins() -> Option<Vec<String>> {
    // Not in web-sys's bindings: read it as the array-like it is.
    let location = web_sys::window()?.location();
    let list = js_sys::Reflect::get(&location, &JsValue::from_str("ancestorOrigins")).ok()?;
    if list.is_undefined() || list.is_null() {
        return None;
    }
    Some(
        js_sys::Array::from(&list)
            .iter()
            .map(|origin| origin.as_string().unwrap_or_default())
            .collect(),
    )
}

/// This window's opener, when it was opened by another window (the sign-in popup's case).
pub fn opener() -> Option<web_sys::Window> {
    let opener = web_sys::window()?.opener().ok()?;
    if opener.is_null() || opener.is_undefined() {
        return None;
    }
    // Not dyn_into: that is an `instanceof` test, and another window's object belongs to
    // another realm, so it always fails. An opener is a WindowProxy by definition.
    Some(opener.unchecked_into::<web_sys::Window>())
}

/// Hands the callback's query, with the opener's `nonce`, to the window that opened this
/// popup, on `own_origin` only.
pub fn hand_back(opener: &web_sys::Window, query: &str, nonce: &str, own_origin: &str) -> bool {
    let Ok(message) = serde_json::to_string(&embed::PopupResult::new(query, nonce)) else {
        return false;
    };
    opener
        .post_message(&JsValue::from_str(&message), own_origin)
        .is_ok()
}

/// Sends the whole page (the portal) to `url`: allowed from a frame during a click.
pub fn navigate_top(url: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.top().ok().flatten())
        .map(|top| top.location().set_href(url).is_ok())
        .unwrap_or(false)
}

/// Whether two windows are the same (a message's `source` and our popup).
pub fn same_window(a: &JsValue, b: &web_sys::Window) -> bool {
    js_sys::Object::is(a, b)
}

/// Reports the page's height to the portal whenever it changes, to `origins` only: the
/// browser delivers a message only when the parent's origin is the one named.
pub fn report_height(origins: Vec<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if origins.is_empty() || js_sys::Object::is(&parent, &window) {
        return;
    }
    let Some(root) = window.document().and_then(|d| d.document_element()) else {
        return;
    };
    let last = std::cell::Cell::new(0u32);
    let measure = root.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
        let height = measure.scroll_height().max(0) as u32;
        if height != last.replace(height) {
            let message = JsValue::from_str(&embed::height_message(height));
            for origin in &origins {
                let _ = parent.post_message(&message, origin);
            }
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&root);
        if let Some(body) = window.document().and_then(|d| d.body()) {
            observer.observe(&body);
        }
    }
    // Lives as long as the page.
    callback.forget();
}

/// Applies `theme` to the whole page (`<html data-theme>`); `auto` follows the system.
pub fn apply_theme(theme: embed::Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
}
