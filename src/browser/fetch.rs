//! Sends an [`HttpRequest`] with the browser's `fetch`, through `web_sys` directly: gloo-net's
//! wrapper brought its streams support (wasm-streams) into the first download with it, for
//! none of which this page has a use.

use oncall_core::hosts;
use oncall_core::http::{HttpRequest, HttpResponse, Method, NetworkError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Headers, ReferrerPolicy, Request, RequestCache, RequestCredentials, RequestInit,
    Response,
};

/// Sends `request` and reads the whole answer. No cookies go out (`credentials: omit`): the
/// bearer token is the only credential. Nothing is cached: answers carry personal data.
pub async fn send(request: &HttpRequest) -> Result<HttpResponse, NetworkError> {
    send_with(request, None).await
}

thread_local! {
    /// Requests on their way, and when the last one ended.
    static TRAFFIC: std::cell::Cell<(u32, f64)> = const { std::cell::Cell::new((0, 0.0)) };
}

/// Counts one request as on its way for as long as it lives (an aborted one too).
struct OnItsWay;

impl OnItsWay {
    fn start() -> Self {
        TRAFFIC.with(|t| t.set((t.get().0 + 1, t.get().1)));
        OnItsWay
    }
}

impl Drop for OnItsWay {
    fn drop(&mut self) {
        TRAFFIC.with(|t| t.set((t.get().0.saturating_sub(1), crate::browser::now_ms())));
    }
}

/// How long the page has had no request on its way, in milliseconds (0 while one is): what
/// can wait for a quiet network (the views' modules) waits for this.
pub fn quiet_ms() -> f64 {
    TRAFFIC.with(|t| match t.get() {
        (0, last) => crate::browser::now_ms() - last,
        _ => 0.0,
    })
}

/// [`send`], cancelled when `signal` aborts (the view that asked was left).
pub async fn send_with(
    request: &HttpRequest,
    signal: Option<&AbortSignal>,
) -> Result<HttpResponse, NetworkError> {
    let _counted = OnItsWay::start();
    let network_error = || NetworkError {
        host: hosts::origin_of(&request.url)
            .unwrap_or("the server")
            .to_string(),
    };
    let sent = fetch(request, signal).await.map_err(|_| network_error())?;
    read(sent).await.map_err(|_| network_error())
}

/// The browser's `fetch` of `request`: no cookies, no cache, no referrer.
async fn fetch(request: &HttpRequest, signal: Option<&AbortSignal>) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_method(match request.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Delete => "DELETE",
    });
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    init.set_signal(signal);
    let headers = Headers::new()?;
    for (name, value) in &request.headers {
        headers.append(name, value)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    let built = Request::new_with_str_and_init(&request.url, &init)?;
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    JsFuture::from(window.fetch_with_request(&built))
        .await?
        .dyn_into::<Response>()
}

/// [`send`], unless the loader sent `request` already while the wasm downloaded
/// (`.ci/trunk-post-build`) under `name` (`config` or `probe`): then its answer, taken once.
/// `origin` makes the request's path absolute, to check that it is the same address.
pub async fn send_or_take_early(
    name: &str,
    request: &HttpRequest,
    origin: &str,
) -> Result<HttpResponse, NetworkError> {
    match early(name, &format!("{origin}{}", request.url)).await {
        Some(answer) => answer,
        None => send(request).await,
    }
}

/// The loader's answer under `name`, taken once; `None` when the loader did not ask, or
/// asked for another address than `url`.
async fn early(name: &str, url: &str) -> Option<Result<HttpResponse, NetworkError>> {
    let window: wasm_bindgen::JsValue = web_sys::window()?.into();
    let early = js_sys::Reflect::get(&window, &"oncallEarly".into()).ok()?;
    let key = wasm_bindgen::JsValue::from_str(name);
    let promise: js_sys::Promise = js_sys::Reflect::get(&early, &key).ok()?.dyn_into().ok()?;
    let _ = js_sys::Reflect::delete_property(early.dyn_ref::<js_sys::Object>()?, &key);
    let network_error = || NetworkError {
        host: hosts::origin_of(url).unwrap_or("the server").to_string(),
    };
    let answer = JsFuture::from(promise).await;
    let Ok(response) = answer.and_then(|r| r.dyn_into::<Response>()) else {
        return Some(Err(network_error()));
    };
    if response.url() != url {
        return None;
    }
    Some(read(response).await.map_err(|_| network_error()))
}

/// Reads a whole answer.
async fn read(response: Response) -> Result<HttpResponse, JsValue> {
    let mut headers = vec![];
    for entry in js_sys::try_iter(&response.headers())?.into_iter().flatten() {
        let pair: js_sys::Array = entry?.dyn_into()?;
        if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            headers.push((name.to_ascii_lowercase(), value));
        }
    }
    // As bytes, decoded here: the browser's `text()` decodes on the page's thread in one go
    // and the text is then copied again into the wasm, two long tasks for a 25 MB answer.
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let body = String::from_utf8(bytes)
        .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned());
    Ok(HttpResponse {
        status: response.status(),
        headers,
        body,
    })
}
