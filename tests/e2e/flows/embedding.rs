//! End to end: the page framed by a portal on another origin. Sign-in through a popup,
//! message origin checks, blocked and closed popups, embed mode and height messages.

use fake_pagerduty::Options;
use oncall_core::routes::Route;
use oncall_core::storage::{PENDING_KEY, SESSION_KEY};
use oncall_e2e::{eventually, free_port, Browser, Fake};
use std::time::Duration;

/// Opens the portal framing `path` of the app, and enters the frame.
async fn open_portal(browser: &Browser, fake: &Fake, path: &str) {
    open_portal_at(browser, &fake.portal_url, fake, path).await;
}

/// Opens `portal` framing the app at `path`, and enters the frame.
async fn open_portal_at(browser: &Browser, portal: &str, fake: &Fake, path: &str) {
    let src = fake_pagerduty::params::encode(&fake.app(path));
    browser.goto(&format!("{portal}?src={src}")).await;
    browser.wait_for("iframe#oncall").await;
    browser
        .client
        .enter_frame(0)
        .await
        .expect("enter the frame");
}

/// The fake's portal as `http://localhost:…`: another site than the app's `127.0.0.1`, so the
/// framed page is a third party there and Chromium partitions its storage by the portal's site.
fn cross_site_portal(fake: &Fake) -> String {
    let portal = fake.portal_url.replace("127.0.0.1", "localhost");
    assert!(portal.starts_with("http://localhost:"), "{portal}");
    portal
}

/// Switches to the window that is not `current`.
async fn other_window(
    browser: &Browser,
    current: &fantoccini::wd::WindowHandle,
) -> fantoccini::wd::WindowHandle {
    for _ in 0..200 {
        let windows = browser.client.windows().await.expect("windows");
        if let Some(other) = windows.into_iter().find(|w| w != current) {
            return other;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no second window opened");
}

/// Signs in from inside the portal's frame, through the popup, and waits for `css` to show
/// `text` in the frame.
async fn sign_in_framed_to(browser: &Browser, css: &str, text: &str) {
    let portal = browser.client.window().await.expect("window");
    browser.click(oncall_e2e::SIGN_IN_BUTTON).await;
    let popup = other_window(browser, &portal).await;
    browser
        .client
        .switch_to_window(popup)
        .await
        .expect("to the popup");
    browser.click("#approve").await;
    // The popup hands the code back and closes itself.
    browser.wait_for_windows(1).await;
    browser
        .client
        .switch_to_window(portal)
        .await
        .expect("back to the portal");
    browser
        .client
        .enter_frame(0)
        .await
        .expect("enter the frame");
    browser.wait_for_text(css, text).await;
}

async fn sign_in_framed(browser: &Browser, fake: &Fake) {
    sign_in_framed_to(browser, ".user-name", &fake.demo_name()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_framed_page_signs_in_through_a_popup() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    open_portal(&browser, &fake, "/").await;
    sign_in_framed(&browser, &fake).await;
    assert_eq!(fake.counters().code_exchanges, 1);
    assert_eq!(browser.session_item(PENDING_KEY).await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_read_after_the_popup_closed_still_signs_in() {
    // The popup posts its answer and closes itself. On a busy machine the frame can see the
    // window closed before it reads the message already on its way: here the frame reads it a
    // whole second late, as a busy main thread would.
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    open_portal(&browser, &fake, "/").await;
    browser
        .execute(
            "window.addEventListener('message', (event) => {
               if (event.held || !String(event.data).includes('pagerduty-oncall:callback')) return;
               event.stopImmediatePropagation();
               const { data, origin, source } = event;
               setTimeout(() => {
                 const late = new MessageEvent('message', { data, origin, source });
                 late.held = true;
                 window.dispatchEvent(late);
               }, 1000);
             }, true);",
        )
        .await;
    sign_in_framed(&browser, &fake).await;
    assert_eq!(fake.counters().code_exchanges, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_portal_with_partitioned_storage_signs_in_through_the_popup() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    open_portal_at(&browser, &cross_site_portal(&fake), &fake, "/teams").await;
    sign_in_framed_to(&browser, "ul.cards", "Platform").await;
    assert_eq!(fake.counters().code_exchanges, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_popup_another_page_opened_hands_that_page_nothing() {
    // Another page on the app's origin (a project site on a shared GitHub Pages origin, say)
    // starts its own authorization with the app's client ID and redirect URL, in a window it
    // names itself, and listens for the answer the app's popup hands back.
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    let theirs = browser.client.window().await.expect("window");
    let authorize = format!(
        "{}/oauth/authorize?client_id={}&redirect_uri={}&response_type=code&scope=read\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256\
         &state=theirs",
        fake.identity_url,
        fake.client_id,
        url::form_urlencoded::byte_serialize(fake.app_url.as_bytes()).collect::<String>()
    );
    browser
        .client
        .execute(
            "window.got = []; window.addEventListener('message', e => window.got.push(String(e.data))); \
             window.open(arguments[0], 'their-sign-in');",
            vec![serde_json::json!(authorize)],
        )
        .await
        .expect("their window opens");
    let popup = other_window(&browser, &theirs).await;
    browser
        .client
        .switch_to_window(popup)
        .await
        .expect("to their window");
    browser.click("#approve").await;
    // The app in that window was not opened by its own sign-in: it keeps the answer, says the
    // link is not for it, and stays open.
    browser
        .wait_for_text(
            ".sign-in .error",
            "already used, or was opened in a different tab",
        )
        .await;
    browser
        .client
        .switch_to_window(theirs)
        .await
        .expect("back to their page");
    assert_eq!(
        browser.execute("return window.got;").await,
        serde_json::json!([])
    );
    assert_eq!(browser.client.windows().await.expect("windows").len(), 2);
    assert_eq!(fake.counters().code_exchanges, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_message_from_another_origin_is_ignored() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    open_portal(&browser, &fake, "/").await;
    let portal = browser.client.window().await.expect("window");
    browser.click_button("Sign in with PagerDuty").await;
    let popup = other_window(&browser, &portal).await;

    // The portal (another origin) tries to hand the frame a code of its choosing.
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("to the portal");
    browser
        .execute(r#"document.getElementById("oncall").contentWindow.postMessage(JSON.stringify({kind: "pagerduty-oncall:callback", query: "?code=forged&state=forged"}), "*");"#)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        fake.counters().code_exchanges,
        0,
        "the forged message was ignored"
    );

    browser
        .client
        .switch_to_window(popup)
        .await
        .expect("to the popup");
    browser.click("#approve").await;
    browser.wait_for_windows(1).await;
    browser.client.switch_to_window(portal).await.expect("back");
    browser.client.enter_frame(0).await.expect("frame");
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    assert_eq!(fake.counters().code_exchanges, 1);
}

/// With `redirect_target: top`, signs in from a frame of `portal` showing `/teams`: the whole
/// window goes through PagerDuty and lands, full-window, on that view.
async fn sign_in_through_the_top_window(fake: &Fake, portal: &str) {
    fake.set_config_json(
        &serde_json::json!({
            "client_id": fake.client_id,
            "identity_base_url": fake.identity_url,
            "api_base_url": fake.api_url,
            "redirect_target": "top",
            "embed_parent_origins": [oncall_core::hosts::origin_of(portal)],
        })
        .to_string(),
    );
    let browser = Browser::open().await;
    open_portal_at(&browser, portal, fake, "/teams").await;
    browser.click_button("Sign in with PagerDuty").await;
    // No popup: the portal's own window goes, through this page, to PagerDuty.
    browser.client.enter_parent_frame().await.expect("top");
    browser.click("#approve").await;
    assert_eq!(browser.client.windows().await.expect("windows").len(), 1);
    browser.wait_for_text("ul.cards", "Platform").await;
    assert_eq!(
        browser.url().await,
        fake.view(&Route::Teams),
        "back on the page itself, full-window, at the view the frame showed"
    );
    assert_eq!(fake.counters().code_exchanges, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_target_top_from_a_cross_site_portal_lands_on_the_framed_view() {
    let fake = Fake::start().await;
    // The frame's storage is partitioned here, so it cannot keep the verifier for the top
    // window: the top window must start the sign-in itself.
    sign_in_through_the_top_window(&fake, &cross_site_portal(&fake)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_target_top_sends_the_whole_window_and_lands_on_the_framed_view() {
    let fake = Fake::start().await;
    sign_in_through_the_top_window(&fake, &fake.portal_url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_popup_left_open_too_long_is_closed_and_explained() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    open_portal(&browser, &fake, "/").await;
    let portal = browser.client.window().await.expect("window");
    browser.click_button("Sign in with PagerDuty").await;
    let _popup = other_window(&browser, &portal).await;
    // Five minutes pass in the frame's clock (the frame reads Date.now), and nobody approves.
    browser
        .execute("const real = Date.now; Date.now = () => real() + 6 * 60 * 1000;")
        .await;
    browser
        .wait_for_text(".sign-in .error", "Signing in took too long")
        .await;
    browser.wait_for_windows(1).await;
    browser.client.switch_to_window(portal).await.expect("back");
    browser.client.enter_frame(0).await.expect("frame");
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    assert_eq!(fake.counters().code_exchanges, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_popup_is_explained() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    open_portal(&browser, &fake, "/").await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    browser
        .execute("window.open = function () { return null; };")
        .await;
    browser.click_button("Sign in with PagerDuty").await;
    browser
        .wait_for_text(".sign-in .error", "Your browser blocked the sign-in window")
        .await;
    assert_eq!(fake.counters().authorize_pages, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_popup_closed_before_approving_is_explained_and_can_be_retried() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    open_portal(&browser, &fake, "/").await;
    let portal = browser.client.window().await.expect("window");
    browser.click_button("Sign in with PagerDuty").await;
    let popup = other_window(&browser, &portal).await;
    browser
        .client
        .switch_to_window(popup)
        .await
        .expect("to the popup");
    browser.wait_for("#approve").await;
    browser
        .client
        .close_window()
        .await
        .expect("close the popup");
    browser.client.switch_to_window(portal).await.expect("back");
    browser.client.enter_frame(0).await.expect("frame");
    browser
        .wait_for_text(".sign-in .error", "closed before you finished")
        .await;
    sign_in_framed(&browser, &fake).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embed_mode_is_compact_themed_and_reports_its_height_to_the_portal() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    open_portal(&browser, &fake, "/teams?embed=1&theme=dark").await;
    sign_in_framed_to(&browser, "ul.cards", "Platform").await;
    assert_eq!(
        browser
            .execute("return document.documentElement.dataset.theme;")
            .await,
        "dark"
    );
    assert_eq!(
        browser
            .execute("return getComputedStyle(document.querySelector('.app-header')).display;")
            .await,
        "none"
    );
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("to the portal");
    let app_origin = fake.app_url.trim_end_matches('/').to_string();
    for _ in 0..100 {
        if browser
            .execute("return window.heights.length;")
            .await
            .as_u64()
            .unwrap_or(0)
            > 0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let heights = browser.execute("return window.heights;").await;
    let first = &heights.as_array().expect("heights")[0];
    assert_eq!(first["origin"], app_origin.as_str());
    assert!(first["height"].as_u64().unwrap_or(0) > 100, "{heights}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_embedded_card_can_sign_out_without_its_header() {
    // A card on a shared screen: the header (and its Sign out) is hidden, yet the tokens
    // must be forgettable from the card itself.
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    open_portal(&browser, &fake, "/teams?embed=1").await;
    sign_in_framed_to(&browser, "ul.cards", "Platform").await;
    browser.click(".page-foot button").await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    eventually(
        async || fake.counters().revocations == 2,
        "both tokens revoked at PagerDuty",
    )
    .await;
    assert_eq!(fake.live_access_tokens(), 0);
    assert_eq!(browser.session_item(SESSION_KEY).await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_shows_on_call_now_for_its_own_schedules_with_a_hash_address() {
    let fake = Fake::start().await;
    let (id, name) = fake.with_data(|d| (d.schedules[1].id.clone(), d.schedules[1].name.clone()));
    let browser = Browser::open().await;
    // The portal's own query before the `#`, the view after it: the form for hosts without a
    // fallback to index.html.
    open_portal(&browser, &fake, &format!("/?embed=1#/schedules?ids={id}")).await;
    sign_in_framed_to(&browser, "table.chosen tbody th", &name).await;
    assert_eq!(browser.count("table.chosen tbody tr").await, 1);
    assert_eq!(
        browser
            .execute("return getComputedStyle(document.querySelector('.app-header')).display;")
            .await,
        "none",
        "embed mode from the portal's query"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_config_json_does_not_name_cannot_frame_the_page() {
    let fake = Fake::start_with(Options {
        portal_allowed: false,
        ..Options::default()
    })
    .await;
    let browser = Browser::open().await;
    open_portal(&browser, &fake, "/?embed=1").await;
    browser
        .wait_for_text(
            "main.setup",
            "only runs inside the portals its configuration names",
        )
        .await;
    assert_eq!(
        browser.count("button").await,
        0,
        "no Sign in or Sign out for the framing site to dress up"
    );
    let link = browser
        .execute(
            "const a = document.querySelector('main.setup a'); return [a.href, a.target, a.rel];",
        )
        .await;
    assert_eq!(
        link,
        serde_json::json!([fake.app("/?embed=1"), "_blank", "noopener noreferrer"]),
        "a way forward: the page in its own tab"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("to the portal");
    assert_eq!(browser.execute("return window.heights.length;").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_docs_portal_snippet_sizes_its_frame_and_listens_to_that_frame_alone() {
    let (app_port, portal_port) = (free_port(), free_port());
    let app = format!("http://127.0.0.1:{app_port}");
    // The snippet as the docs show it, pointed at this app, and beside it a second frame of the
    // same origin: a message from there has the right origin but is not from the snippet's frame.
    let snippet = oncall_e2e::docs_block("embedding.md", "<!-- tested-portal-snippet -->", "html")
        .replace(
            "https://tools.example.com/oncall/teams?embed=1&theme=auto",
            &format!("{app}/?embed=1"),
        )
        .replace("\"https://tools.example.com\"", &format!("\"{app}\""));
    assert!(
        snippet.contains(&app),
        "the snippet names its frame's address and origin"
    );
    let portal = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Portal</title></head><body>{snippet}<iframe id=\"other\" title=\"Other\" src=\"{app}/\"></iframe></body></html>"
    );
    let fake = Fake::start_with(Options {
        app_port,
        portal_port,
        portal_html: Some(portal),
        ..Options::default()
    })
    .await;
    let browser = Browser::open().await;
    browser.goto(&fake.portal_url).await;
    browser.wait_for("iframe#oncall").await;
    browser
        .client
        .enter_frame(0)
        .await
        .expect("the snippet's frame");
    sign_in_framed(&browser, &fake).await;
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("the portal");
    let height = "return document.getElementById('oncall').style.height;";
    eventually(
        async || browser.execute(height).await != serde_json::json!("300px"),
        "the frame takes the height the page reports",
    )
    .await;
    let sized = browser.execute(height).await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(
        browser.execute(height).await,
        sized,
        "the height settles: a taller frame does not make the page report more"
    );

    browser
        .client
        .enter_frame(1)
        .await
        .expect("the other frame");
    browser
        .execute("parent.postMessage(JSON.stringify({kind: 'pagerduty-oncall:height', height: 7}), '*');")
        .await;
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("the portal");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        browser.execute(height).await,
        sized,
        "not resized by another frame"
    );
}
