//! The wasm in pieces: every view but My on-call has its code in a module of its own, fetched
//! ahead of need, and a module that does not arrive is a sentence with a way on.

use oncall_core::routes::{Page, Route};
use oncall_e2e::{dist, eventually, signed_in, Browser};
use serde_json::json;
use std::time::Duration;

/// The split modules the build made (`split_<view>-<hash>.wasm`, `chunk_<n>-<hash>.wasm`).
fn split_modules() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dist())
        .expect("dist")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| (n.starts_with("split_") || n.starts_with("chunk_")) && n.ends_with(".wasm"))
        .collect();
    names.sort();
    names
}

/// The split modules this page has fetched so far.
async fn fetched_modules(browser: &Browser) -> Vec<String> {
    let fetched = browser
        .execute(
            "return performance.getEntriesByType('resource')
               .map((e) => new URL(e.name).pathname.split('/').pop())
               .filter((n) => /^(split|chunk)_.*\\.wasm$/.test(n));",
        )
        .await;
    let mut names: Vec<String> = serde_json::from_value(fetched).unwrap_or_default();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_views_code_arrives_while_idle_so_opening_a_view_fetches_none() {
    let (_fake, browser) = signed_in().await;
    let modules = split_modules();
    assert!(
        modules.len() >= 5,
        "one module per view at least: {modules:?}"
    );
    eventually(
        async || fetched_modules(&browser).await == modules,
        "every split module fetched once the page is idle",
    )
    .await;
    // Now from My on-call to a schedule's timeline, by links: no module is asked for again.
    browser.click("nav.primary-nav a[href$='schedules']").await;
    browser.click("a[href*='schedule?id=']").await;
    browser.wait_for(".timeline .shift").await;
    assert_eq!(
        fetched_modules(&browser).await,
        modules,
        "nothing more fetched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_views_code_that_does_not_arrive_is_explained_and_try_again_loads_it() {
    code_that_does_not_arrive("*split_team-*").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_modules_digests_that_do_not_arrive_are_explained_and_try_again_loads_them() {
    // Every module is fetched under its digest, from one file: without it, no view's code.
    code_that_does_not_arrive("*modules-*.json").await;
}

/// A team's view whose code is kept from arriving by `blocked`: a sentence, the rest of the
/// page working, and "Try again" once it can arrive.
async fn code_that_does_not_arrive(blocked: &str) {
    let (fake, browser) = signed_in().await;
    browser.block_urls(&[blocked]).await;
    browser
        .goto(&fake.view(&Route::Team("PT00000".into())))
        .await;
    browser
        .wait_for_text("[role=alert]", "This part of the page did not arrive")
        .await;
    assert_eq!(
        browser.count(".app-header").await,
        1,
        "the rest of the page works"
    );
    browser.block_urls(&[]).await;
    browser.click_button("Try again").await;
    browser.wait_for_text(".count", "members").await;
    assert_eq!(browser.count("[role=alert]").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_a_views_code_waits_for_the_connection_and_arrives_by_itself() {
    let (_fake, browser) = signed_in().await;
    // The team's module kept from arriving ahead of time, then the connection lost.
    browser.block_urls(&["*split_team-*"]).await;
    browser.click("nav.primary-nav a[href$='teams']").await;
    browser.wait_for_text("ul.cards", "Platform").await;
    browser.set_offline(true).await;
    browser.click("ul.cards a[href*='team?id=']").await;
    browser.wait_for_text(".banner", "You are offline").await;
    assert_eq!(
        browser.count("[role=alert]").await,
        0,
        "no error while offline"
    );
    browser.block_urls(&[]).await;
    browser.set_offline(false).await;
    browser.wait_for_text(".count", "members").await;
    browser
        .wait_for_notice_to_go("the offline notice goes")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_a_view_fetches_its_code_while_the_main_module_downloads() {
    let (fake, browser) = signed_in().await;
    // A slow link (the main module takes most of a second), so that "while it downloads" is
    // not a race on loopback: without the loader's early start, a view's module is asked for
    // only once the main module has arrived and started.
    browser.throttle_network(50, 250_000, 250_000).await;
    for page in Page::ALL {
        if page == Page::Home {
            continue;
        }
        // A fresh load of the view's address, as from a link; the cache holds nothing.
        browser
            .devtools("Network.clearBrowserCache", json!({}))
            .await;
        browser
            .goto(&fake.app(&crate::phone::example(&fake, page)))
            .await;
        // Once the app has started and asked for its data (the main module has arrived).
        let script = "const all = performance.getEntriesByType('resource');
             const main = all.find((e) => /oncall-[0-9a-f]+_bg\\.wasm$/.test(e.name));
             const split = all.filter((e) => /\\/split_[a-z]+-[0-9a-f]+\\.wasm$/.test(e.name));
             const api = all.some((e) => e.name.includes('/users/me'));
             const digests = all.filter((e) => /\\/modules-[0-9a-f]+\\.json$/.test(e.name));
             return main && api ? [main.responseEnd, split.map((e) => e.startTime), digests.length] : null;";
        eventually(
            async || !browser.execute(script).await.is_null(),
            "the page started",
        )
        .await;
        let timing = browser.execute(script).await;
        let main_arrived = timing[0].as_f64().expect("the main module's timing");
        let started: Vec<f64> = serde_json::from_value(timing[1].clone()).unwrap_or_default();
        assert!(
            started.iter().any(|&start| start < main_arrived),
            "{page:?}: its module was asked for before the main module had arrived: {timing}"
        );
        assert_eq!(
            timing[2], 1,
            "{page:?}: the modules' digests asked for once (the loader's early answer taken): {timing}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portals_card_fetches_only_its_own_views_code() {
    let (fake, browser) = signed_in().await;
    browser.goto(&fake.app("/teams?embed=1")).await;
    browser.wait_for_text("ul.cards", "Platform").await;
    // Long enough for the page to be idle, when a full page would fetch every module.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let fetched = fetched_modules(&browser).await;
    assert!(
        fetched.iter().any(|n| n.starts_with("split_lists-")),
        "the lists' module: {fetched:?}"
    );
    assert!(
        !fetched.iter().any(|n| n.starts_with("split_team-")),
        "no other view's module: {fetched:?}"
    );
}
