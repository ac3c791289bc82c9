//! The browser glue, in a real browser: sessionStorage, history, fetch, randomness.

#![cfg(target_arch = "wasm32")]

use oncall::browser::{fetch, location, storage::SessionStorage};
use oncall_core::address::{Address, Routing};
use oncall_core::http::{HttpRequest, Method};
use oncall_core::oauth::pkce::Verifier;
use oncall_core::session::PendingSignIn;
use oncall_core::storage::{self, Store};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn raw_session_storage() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

#[wasm_bindgen_test]
fn session_storage_keeps_removes_and_never_touches_local_storage() {
    let store = SessionStorage::for_app("/glue/");
    store.set("glue-test", "value").expect("stored");
    assert_eq!(store.get("glue-test").as_deref(), Some("value"));
    assert_eq!(
        raw_session_storage()
            .get_item("glue-test@/glue/")
            .unwrap()
            .as_deref(),
        Some("value"),
        "kept under this deployment's own key"
    );
    assert_eq!(
        SessionStorage::for_app("/other/").get("glue-test"),
        None,
        "another deployment on the origin does not see it"
    );
    store.remove("glue-test");
    assert_eq!(store.get("glue-test"), None);
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(local.length().unwrap(), 0);
}

#[wasm_bindgen_test]
fn a_pending_sign_in_in_session_storage_is_taken_once() {
    let store = SessionStorage::for_app("/");
    let pending_key = storage::scoped_key(storage::PENDING_KEY, "/");
    let pending = PendingSignIn {
        verifier: Verifier::generate().expect("the browser has randomness"),
        state: "glue-state".into(),
        return_to: "/teams".into(),
        created_at_ms: oncall::browser::now_ms(),
    };
    storage::save_pending(&store, &pending).expect("stored");
    let raw = raw_session_storage()
        .get_item(&pending_key)
        .unwrap()
        .expect("present");
    assert!(raw.contains("glue-state"));
    assert_eq!(storage::take_pending(&store), Some(pending));
    assert_eq!(raw_session_storage().get_item(&pending_key).unwrap(), None);
    assert_eq!(storage::take_pending(&store), None);
}

#[wasm_bindgen_test]
fn replacing_the_url_strips_the_query_without_a_history_entry() {
    let window = web_sys::window().unwrap();
    let history = window.history().unwrap();
    let original = location::path_query_hash();
    history
        .push_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some("?code=abc&state=xyz"),
        )
        .unwrap();
    let length = history.length().unwrap();
    assert_eq!(location::search(), "?code=abc&state=xyz");
    location::replace(&location::base().path);
    assert_eq!(location::search(), "");
    assert_eq!(history.length().unwrap(), length, "replace adds no entry");
    location::replace(&original);
}

#[wasm_bindgen_test]
fn a_view_written_after_the_hash_is_read_back_and_pushed_as_one_entry() {
    let window = web_sys::window().unwrap();
    let history = window.history().unwrap();
    let original = location::path_query_hash();
    let base = location::base();
    let length = history.length().unwrap();
    let view = Address::parse("/team?id=P1&tz=Europe%2FOslo");
    location::push(&Routing::Hash.url(&base, &view));
    assert_eq!(history.length().unwrap(), length + 1, "push adds one entry");
    assert_eq!(location::hash(), "#/team?id=P1&tz=Europe%2FOslo");
    assert_eq!(location::address(&base), view);
    location::replace(&Routing::Path.url(&base, &view));
    assert_eq!(location::hash(), "");
    assert_eq!(location::search(), "?id=P1&tz=Europe%2FOslo");
    assert_eq!(location::address(&base), view);
    location::replace(&original);
}

#[wasm_bindgen_test]
fn the_base_is_this_pages_origin_and_directory() {
    let base = location::base();
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    assert_eq!(base.origin, origin);
    assert!(
        base.path.starts_with('/') && base.path.ends_with('/'),
        "{base:?}"
    );
    assert!(
        base.url().starts_with("http://127.0.0.1:"),
        "{}",
        base.url()
    );
}

#[wasm_bindgen_test]
async fn fetch_reads_status_headers_and_body() {
    let request = HttpRequest {
        method: Method::Get,
        url: "data:application/json,%7B%22ok%22%3Atrue%7D".into(),
        headers: vec![],
        body: None,
    };
    let response = fetch::send(&request).await.expect("a data: URL answers");
    assert_eq!(response.status, 200);
    assert_eq!(response.body, r#"{"ok":true}"#);
    assert_eq!(response.header("Content-Type"), Some("application/json"));
}

#[wasm_bindgen_test]
async fn an_unreachable_host_is_a_network_error_that_names_it() {
    let request = HttpRequest {
        method: Method::Post,
        url: "http://127.0.0.1:9/oauth/token".into(),
        headers: vec![("Content-Type", "application/x-www-form-urlencoded".into())],
        body: Some("grant_type=authorization_code".into()),
    };
    let error = fetch::send(&request)
        .await
        .expect_err("nothing listens on port 9");
    assert_eq!(error.host, "http://127.0.0.1:9");
    assert!(error
        .to_string()
        .contains("Could not reach http://127.0.0.1:9"));
}

#[wasm_bindgen_test]
async fn a_load_that_awaits_a_resource_of_a_view_already_gone_is_cancelled_not_a_panic() {
    use leptos::prelude::*;
    use oncall_core::api::ApiError;
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let resource = owner.with(|| {
        oncall::client::ApiResource::<u32>::new(std::rc::Rc::new(|| {
            Box::pin(async { Ok::<u32, ApiError>(7) })
        }))
    });
    assert_eq!(oncall::client::settled(resource).await, Ok(7));
    // The view that owned it is replaced before a load that awaits it first runs.
    owner.cleanup();
    drop(owner);
    assert!(resource.is_disposed());
    assert_eq!(
        oncall::client::settled(resource).await,
        Err(ApiError::Cancelled)
    );
}
