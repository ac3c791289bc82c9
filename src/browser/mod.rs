//! The thin glue between the pure core and the browser: small functions over web-sys, each
//! doing one thing the core cannot (it has no browser): [`storage`] (`sessionStorage` behind
//! the core's `Store` seam), [`fetch`] (sends the core's `HttpRequest`s), [`location`] (the
//! address bar), [`frame`] (being framed: the top window, the opener, height messages),
//! [`popup`] (the framed page's sign-in window), [`zone`] (`Intl` time zones), and the few
//! helpers below. Above it, `auth`, `client`, `navigation` and the views use these.
//!
//! Everything here compiles on the host (web-sys is only bindings) but runs only in a page;
//! it is tested with wasm-bindgen-test in headless Chromium (`tests/browser-glue`).

pub mod fetch;
pub mod frame;
pub mod location;
pub mod paint;
pub mod popup;
pub mod storage;
pub mod zone;

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Writes a panic's message to the console before the wasm stops, in a debug build. A release
/// build stops at a panic without formatting anything (.ci/trunk-wasm); in both, the page's
/// loader shows the crash banner when the wasm stops (.ci/trunk-post-build).
pub fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("oncall panicked: {info}").into());
    }));
}

/// Whether the loader showed one of `index.html`'s first screens (`.boot`).
pub fn first_screen_shown() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".boot:not([hidden])").ok().flatten())
        .is_some()
}

/// Removes `index.html`'s first screens: the app's own has taken their place.
pub fn remove_first_screen() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    while let Ok(Some(frame)) = document.query_selector(".boot") {
        frame.remove();
    }
}

/// Offers `text` as a file download (e.g. an `.ics` calendar) without any server.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |_| "This browser did not allow the download.".to_string();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("No page to download from.")?;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Resolves after `ms` milliseconds (a `setTimeout` as a future).
pub async fn sleep(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.min(i32::MAX as u64) as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolves when the browser is next idle (`requestIdleCallback`, waiting at most 10 s for it),
/// or after a second where it cannot say (Safari).
pub async fn idle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            return;
        };
        if js_sys::Reflect::has(&window, &"requestIdleCallback".into()).unwrap_or(false) {
            let options = web_sys::IdleRequestOptions::new();
            options.set_timeout(10_000);
            let _ = window.request_idle_callback_with_options(&resolve, &options);
        } else {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 1_000);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether the browser believes it is online.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Resolves when the browser's `online` event fires (at once if already online).
pub async fn until_online() {
    if is_online() {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let options = web_sys::AddEventListenerOptions::new();
            options.set_once(true);
            let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
                "online", &resolve, &options,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A random number in `[0, 1)` for jitter (not for secrets: those use getrandom).
pub fn jitter() -> f64 {
    js_sys::Math::random()
}

use wasm_bindgen::JsCast;

/// Records a User Timing mark (`performance.mark`) just before the next paint, with the wasm
/// heap size in its `detail`, so the benchmark can read when a view's data was drawn and how
/// much memory it took. The first drawing of a view is `oncall:{name}`; later ones replace
/// one `oncall:{name}:latest`, so a page drawing itself again at every handover for days keeps
/// two marks, not thousands.
pub fn mark_painted(name: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
            return;
        };
        let heap = wasm_bindgen::memory()
            .dyn_ref::<js_sys::WebAssembly::Memory>()
            .and_then(|m| {
                m.buffer()
                    .dyn_ref::<js_sys::ArrayBuffer>()
                    .map(|b| b.byte_length())
            })
            .unwrap_or(0);
        let detail = js_sys::Object::new();
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&detail, &"wasmHeap".into(), &f64::from(heap).into());
        let _ = js_sys::Reflect::set(&options, &"detail".into(), &detail);
        let first = format!("oncall:{name}");
        let label = if performance.get_entries_by_name(&first).length() == 0 {
            first
        } else {
            let latest = format!("{first}:latest");
            performance.clear_marks_with_mark_name(&latest);
            latest
        };
        let mark = js_sys::Reflect::get(&performance, &"mark".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(mark) = mark {
            let _ = mark.call2(&performance, &label.into(), &options);
        }
    });
}
