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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[should_panic(expected = "the page panicked or threw")]
async fn a_panic_of_the_app_fails_the_test() {
    // What the app's panic hook does, from the console line to the mark on <body>.
    page_that_runs(
        "console.error('oncall panicked: by the test'); document.body.dataset.panicked = 'true';",
    )
    .await;
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
