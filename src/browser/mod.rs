//! The thin glue between the pure core and the browser: storage, `fetch`, the address bar.
//!
//! Everything here compiles on the host (web-sys is only bindings) but runs only in a page;
//! it is tested with wasm-bindgen-test in headless Chromium (`tests/browser.rs`).

pub mod fetch;
pub mod location;
pub mod storage;

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Makes a panic visible instead of silently killing the page: the message goes to the
/// console and a banner asks the person to reload. `data-panicked` on `<body>` lets the
/// end-to-end tests fail on any panic.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("oncall panicked: {info}").into());
        let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        else {
            return;
        };
        let _ = body.set_attribute("data-panicked", "true");
        if let Some(document) = body.owner_document() {
            if let Ok(banner) = document.create_element("p") {
                banner.set_class_name("panic-banner");
                let _ = banner.set_attribute("role", "alert");
                banner.set_text_content(Some(
                    "Something went wrong in this page. Reload it to carry on; you stay signed in.",
                ));
                let _ = body.prepend_with_node_1(&banner);
            }
        }
    }));
}
