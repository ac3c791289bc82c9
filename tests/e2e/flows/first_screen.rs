//! The first screen in `index.html`: painted before the app has arrived, the one this tab is
//! about to be, and replaced by the app in place.

use oncall_e2e::{dist, signed_in, Browser, Fake};
use serde_json::json;
use std::time::Duration;

/// Before any of the page's own scripts, in every document: the layout shifts the page makes,
/// which first screen the loader showed, and whether a sign-in button was ever visible.
const WATCH: &str = "
    window.shifts = 0;
    new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.shifts += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    document.addEventListener('DOMContentLoaded', () => {
        window.firstShown = [...document.querySelectorAll('.boot')].filter((b) => !b.hidden).map((b) => b.id);
    });
    window.sawSignIn = false;
    new MutationObserver(() => {
        for (const b of document.querySelectorAll('button')) {
            if (b.textContent.includes('Sign in with PagerDuty') && b.checkVisibility()) window.sawSignIn = true;
        }
    }).observe(document, { subtree: true, childList: true, attributes: true });
";

async fn watch(browser: &Browser) {
    browser
        .devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": WATCH }),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signed_out_first_screen_is_painted_early_and_replaced_without_a_shift() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    watch(&browser).await;
    browser.goto(&fake.app_url).await;
    // The app's own screen: the button works, and the fine print (which depends on
    // config.json, so the first screen leaves it out) is there.
    browser
        .wait_for("main.sign-in button.primary:not([disabled])")
        .await;
    browser
        .wait_for_text("main.sign-in:not(.boot)", "read-only access")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        browser.execute("return window.firstShown;").await,
        json!(["boot-signed-out"]),
        "the loader showed the signed-out first screen"
    );
    assert_eq!(browser.count(".boot").await, 0, "the first screen is gone");
    assert_eq!(browser.count("main.sign-in").await, 1);
    assert_eq!(
        browser.execute("return window.shifts;").await,
        json!(0),
        "no layout shift"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_reload_never_shows_the_sign_in_button() {
    let (fake, browser) = signed_in().await;
    watch(&browser).await;
    browser.refresh().await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    assert_eq!(
        browser.execute("return window.firstShown;").await,
        json!(["boot-signed-in"]),
        "the loader showed the signed-in first screen"
    );
    assert_eq!(
        browser.execute("return window.sawSignIn;").await,
        json!(false),
        "no sign-in button was ever visible"
    );
    assert_eq!(browser.count(".boot").await, 0);
}

#[test]
fn without_javascript_only_the_noscript_sentence_shows() {
    // Every first screen is `hidden` in the HTML itself; only the loader shows one. (The
    // release build's HTML is minified: an attribute is quoted only where it must be.)
    let html = std::fs::read_to_string(dist().join("index.html")).expect("index.html");
    let frames: Vec<&str> = html
        .split('<')
        .filter(|tag| tag.contains("id=boot-") || tag.contains("id=\"boot-"))
        .collect();
    assert_eq!(frames.len(), 2, "{frames:?}");
    for frame in frames {
        assert!(frame.contains(" hidden"), "{frame}");
    }
    assert!(html.contains("<noscript>This page needs JavaScript"));
}
