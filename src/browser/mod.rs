//! The thin glue between the pure core and the browser: storage, `fetch`, the address bar.
//!
//! Everything here compiles on the host (web-sys is only bindings) but runs only in a page;
//! it is tested with wasm-bindgen-test in headless Chromium (`tests/browser.rs`).

pub mod fetch;
pub mod location;
pub mod storage;
pub mod zone;

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
