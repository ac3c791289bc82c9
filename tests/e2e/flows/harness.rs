//! The harness's own promise: a test whose page threw or panicked fails, even if the test
//! itself never looks.

use oncall_e2e::signed_out;
use std::time::Duration;

/// Opens the signed-out page, runs `script` in it, and gives the page a moment to fail.
async fn page_that_runs(script: &str) {
    let (_fake, browser) = signed_out().await;
    browser.execute(script).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[should_panic(expected = "the page panicked or threw")]
async fn an_uncaught_exception_fails_the_test() {
    page_that_runs("setTimeout(() => { throw new Error('thrown by the test'); }, 0);").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[should_panic(expected = "the page panicked or threw")]
async fn an_unhandled_rejection_fails_the_test() {
    page_that_runs("Promise.reject(new Error('rejected by the test'));").await;
}

/// Opens the signed-out page and stops its wasm with a trap, as a panic does, from `how` (a
/// timer or a promise's callback): the page must say so. The trap is real: wasm-bindgen's
/// allocator, asked for an alignment that is not a power of two, aborts. (Its instance comes
/// from the glue's `initSync`, which hands back the one already started.) The call is made from
/// a script of the page's own: an error thrown by a script WebDriver runs is hidden from the
/// page ("Script error.").
async fn page_that_crashes(how: &str) {
    let (_fake, browser) = signed_out().await;
    browser.wait_for("button.primary").await;
    let crash = "window.wasmBindings.initSync({}).__wbindgen_malloc(8, 3)";
    let script = how.replace("CRASH", crash);
    browser
        .execute(&format!(
            "const script = document.createElement('script'); script.textContent = {}; \
             document.head.append(script);",
            serde_json::to_string(&script).expect("a script")
        ))
        .await;
    browser
        .wait_for_text(".panic-banner[role=alert]", "Reload it to carry on")
        .await;
    assert_eq!(browser.count(".panic-banner").await, 1, "one banner");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[should_panic(expected = "the page panicked or threw")]
async fn a_crash_in_an_event_shows_the_banner_and_fails_the_test() {
    // Twice: one banner.
    page_that_crashes("setTimeout(() => CRASH, 0); setTimeout(() => CRASH, 0);").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[should_panic(expected = "the page panicked or threw")]
async fn a_crash_in_a_task_shows_the_banner_and_fails_the_test() {
    page_that_crashes("Promise.resolve().then(() => CRASH);").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_request_alone_does_not_fail_the_test() {
    page_that_runs("fetch('/no-such-file').catch(() => {});").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[should_panic(expected = "checks nothing")]
async fn waiting_for_empty_text_is_refused() {
    // Every text contains "": such a wait passes on any page, so the harness refuses it.
    let (_fake, browser) = signed_out().await;
    browser.wait_for_text("body", "").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[should_panic(expected = "counting")]
async fn a_count_that_webdriver_cannot_make_fails_instead_of_saying_none() {
    // An invalid selector is a WebDriver error: reading it as "0 found" would let
    // `assert_eq!(count(..), 0)` pass without looking.
    let (_fake, browser) = signed_out().await;
    browser.count("img[").await;
}
