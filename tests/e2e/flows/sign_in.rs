//! End to end: the built app in headless Chromium against the fake PagerDuty.
//!
//! Needs the release build in `dist/` (`trunk build --release --offline`) and Debian's
//! `chromium` and `chromium-driver`; the README's test command provides all three.

use fake_pagerduty::state::{Counters, Faults};
use oncall_core::storage::{PENDING_KEY, SESSION_KEY};
use oncall_e2e::{signed_in, wait_for_my_status, Browser, Fake};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_shows_the_user_their_schedules_and_their_teams_members() {
    let (fake, browser) = signed_in().await;

    assert_eq!(browser.text(".user-name").await, fake.demo_name());
    wait_for_my_status(&browser, &fake).await;
    browser.click("nav.primary-nav a[href='/schedules']").await;
    browser
        .wait_for_text("table.list", "Platform Primary")
        .await;
    browser.click("nav.primary-nav a[href='/teams']").await;
    browser.wait_for_text("ul.cards", "Site Reliability").await;
    browser.click("ul.cards a[href='/team?id=PT00000']").await;
    // Members come expanded with include[]=users: roles, zones, emails.
    browser.wait_for_text("table.members", "Zoë Ångström").await;
    browser
        .wait_for_text("table.members", "zoe.angstrom@example.com")
        .await;
    browser
        .wait_for_text("table.members .role", "Manager")
        .await;

    browser.goto(&fake.app_url).await;
    browser.wait_for(".user-name").await;
    let url = browser.url().await;
    assert_eq!(
        url, fake.app_url,
        "code and state are gone from the address bar"
    );
    assert_eq!(
        browser.session_item(PENDING_KEY).await,
        None,
        "the verifier is gone"
    );
    assert!(browser.session_item(SESSION_KEY).await.is_some());
    assert_eq!(
        browser.local_storage_json().await,
        "{}",
        "nothing in localStorage"
    );
    assert_eq!(fake.counters().code_exchanges, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_keeps_the_session_and_back_never_returns_to_the_callback() {
    let (fake, browser) = signed_in().await;

    browser.refresh().await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    browser.back().await;
    let url = browser.url().await;
    assert!(
        !url.contains("code="),
        "Back must not reach a callback URL, got {url}"
    );
    assert_eq!(fake.counters().code_exchanges, 1, "no second exchange");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_revokes_the_tokens_and_forgets_the_session() {
    let (fake, browser) = signed_in().await;
    assert_eq!(fake.live_access_tokens(), 1);

    browser.click_button("Sign out").await;
    browser
        .wait_for_text(".sign-in", "PagerDuty has revoked this page's access")
        .await;
    assert_eq!(fake.live_access_tokens(), 0);
    assert_eq!(fake.counters().revocations, 2, "access and refresh token");
    assert_eq!(browser.session_item(SESSION_KEY).await, None);
    browser.refresh().await;
    browser
        .wait_for_text(oncall_e2e::SIGN_IN_BUTTON, "Sign in with PagerDuty")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denying_access_explains_and_offers_to_try_again() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.click_button("Sign in with PagerDuty").await;
    browser.click("#deny").await;

    browser
        .wait_for_text(".sign-in .error", "You did not allow this app")
        .await;
    // PagerDuty's own words, quoted beside ours.
    browser
        .wait_for_text(
            ".sign-in .pagerduty-says blockquote",
            "The resource owner or authorization server denied the request.",
        )
        .await;
    browser
        .wait_for_text(oncall_e2e::SIGN_IN_BUTTON, "Try again")
        .await;
    assert_eq!(
        browser.url().await,
        fake.app_url,
        "the error is gone from the address bar"
    );
    assert_eq!(fake.counters().code_exchanges, 0);

    // Trying again works.
    browser.click_button("Try again").await;
    browser.click("#approve").await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
}

/// What a crafted link would put on the page if error callbacks were believed without a
/// pending sign-in and its `state`.
const CRAFTED: &str = "?error=access_denied&error_description=Your+session+expired.+Re-enter+your+password+at+evil.example&state=made-up";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crafted_error_link_shows_none_of_its_text() {
    // A signed-in tab stays signed in, on its view.
    let (fake, browser) = signed_in().await;
    browser.goto(&fake.app(&format!("/{CRAFTED}"))).await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    assert!(!browser.text("body").await.contains("evil.example"));
    assert!(
        !browser.url().await.contains("error"),
        "the link is gone from the address bar"
    );

    // A signed-out tab says the link is stale and offers a fresh sign-in, in its own words.
    let other = Browser::open().await;
    other.goto(&fake.app(&format!("/{CRAFTED}"))).await;
    other
        .wait_for_text(
            ".sign-in .error",
            "already used, or was opened in a different tab",
        )
        .await;
    assert!(!other.text("body").await.contains("evil.example"));
    assert_eq!(other.count(".pagerduty-says").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_with_a_forged_state_is_refused_without_a_token_request() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.click_button("Sign in with PagerDuty").await;
    browser.wait_for("#approve").await;
    // The attacker's authorize request: same tab, but a state that is not ours.
    let authorize = browser.url().await;
    let forged = regex_replace_state(&authorize, "forged-state");
    browser.goto(&forged).await;
    browser.click("#approve").await;

    browser
        .wait_for_text(
            ".sign-in .error",
            "does not belong to the sign-in this tab started",
        )
        .await;
    assert_eq!(fake.counters().codes_issued, 1);
    assert_eq!(fake.counters().code_exchanges, 0, "no token request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_callback_url_never_exchanges_the_code_again() {
    let (fake, browser) = signed_in().await;
    let callback = fake.last_callback_url().expect("the fake redirected back");
    assert!(callback.contains("code="));

    // In the signed-in tab: it stays signed in.
    browser.goto(&callback).await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    assert_eq!(browser.url().await, fake.app_url);

    // In a tab with no sign-in under way: it says so and offers a new sign-in.
    browser.clear_session_storage().await;
    browser.goto(&callback).await;
    browser
        .wait_for_text(
            ".sign-in .error",
            "already used, or was opened in a different tab",
        )
        .await;
    assert_eq!(
        fake.counters(),
        Counters {
            code_exchanges: 1,
            ..fake.counters()
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_click_on_sign_in_starts_one_sign_in() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    browser
        .execute("const b = document.querySelector(':not(.boot) > button.primary'); b.click(); b.click();")
        .await;
    browser.click("#approve").await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    assert_eq!(fake.counters().authorize_pages, 1);
    assert_eq!(fake.counters().code_exchanges, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_config_json_shows_a_setup_page_naming_the_field() {
    let fake = Fake::start().await;
    fake.set_config_json(r#"{"scope": "READ", "api_base_url": "http://api.example.com"}"#);
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser
        .wait_for_text(".setup", "\"client_id\" is missing")
        .await;
    let text = browser.text(".setup").await;
    assert!(text.contains("\"scope\" is \"READ\""), "{text}");
    assert!(
        text.contains("\"api_base_url\" must use https://"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_code_is_refused_with_a_way_to_start_again() {
    let fake = Fake::start().await;
    // Codes that are already past their lifetime when the app presents them.
    fake.set_faults(Faults {
        code_lifetime_s: Some(-1),
        ..Faults::default()
    });
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.click_button("Sign in with PagerDuty").await;
    browser.click("#approve").await;

    browser
        .wait_for_text(
            ".sign-in .error",
            "The sign-in code expired or was already used",
        )
        .await;
    assert_eq!(fake.counters().rejected_exchanges, 1);
    assert_eq!(browser.session_item(SESSION_KEY).await, None);

    fake.set_faults(Faults::default());
    browser.click_button("Try again").await;
    browser.click("#approve").await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
}

fn regex_replace_state(url: &str, state: &str) -> String {
    let (base, query) = url.split_once('?').expect("authorize URL has a query");
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with("state="))
        .collect();
    format!("{base}?{}&state={state}", kept.join("&"))
}
