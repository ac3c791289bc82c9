//! End to end: a session that survives real life. Token lifecycle, API faults, tabs,
//! hostile input and a strict Content-Security-Policy, against the fake's fault switches.

use fake_pagerduty::state::Faults;
use fake_pagerduty::Options;
use oncall_core::routes::Route;
use oncall_core::storage::PENDING_KEY;
use oncall_e2e::{dist, eventually, signed_in, signed_in_with, Browser, Fake};
use std::time::Duration;

use oncall_core::storage::SESSION_KEY as SESSION;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_mid_session_refreshes_once_and_retries_the_request() {
    let (fake, browser) = signed_in().await;
    let before = browser.session_item(SESSION).await;
    fake.set_faults(Faults {
        unauthorized: 1,
        ..Faults::default()
    });
    browser.goto(&fake.view(&Route::Teams)).await;
    browser.wait_for_text("ul.cards", "Platform").await;
    assert_eq!(fake.counters().refreshes, 1);
    assert_ne!(
        browser.session_item(SESSION).await,
        before,
        "the rotated tokens were stored"
    );
    assert_eq!(
        fake.live_access_tokens(),
        1,
        "the old token was replaced, not added to"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_during_a_refresh_revokes_everything_and_stays_signed_out() {
    let (fake, browser) = signed_in().await;
    // The next API answer is a 401, so the page refreshes its token; PagerDuty carries the
    // refresh out at once but its answer is still on the way when the person signs out.
    fake.set_faults(Faults {
        unauthorized: 1,
        refresh_answer_delay_ms: 1_500,
        ..Faults::default()
    });
    browser.click("nav.primary-nav a[href$='teams']").await;
    eventually(
        async || fake.counters().refreshes == 1,
        "a refresh under way",
    )
    .await;
    browser.click_button("Sign out").await;
    browser
        .wait_for_text(oncall_e2e::SIGN_IN_BUTTON, "Sign in with PagerDuty")
        .await;
    // Past the refresh's answer: the tab stays signed out, and nothing it was given lives on.
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    assert_eq!(browser.count(".user-name").await, 0, "signed back in");
    assert_eq!(browser.session_item(SESSION).await, None);
    assert_eq!(
        fake.live_access_tokens(),
        0,
        "the refreshed tokens were revoked too"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_the_app_in_pagerduty_asks_to_sign_in_again_and_returns_to_the_view() {
    let (fake, browser) = signed_in().await;
    browser
        .goto(&fake.view(&Route::Team("PT00001".into())))
        .await;
    browser.wait_for_text("#team-heading", "Payments").await;

    fake.revoke_all();
    browser.click_button("Refresh").await;
    browser
        .wait_for_text(".sign-in .notice", "expired or was revoked")
        .await;
    assert_eq!(browser.session_item(SESSION).await, None);
    assert_eq!(
        fake.counters().refreshes,
        1,
        "one refresh was tried, no loop"
    );

    browser.click_button("Sign in with PagerDuty").await;
    browser.click("#approve").await;
    browser.wait_for_text("#team-heading", "Payments").await;
    assert!(
        browser.url().await.ends_with("/team?id=PT00001"),
        "{}",
        browser.url().await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_refresh_demands_a_secret_the_person_signs_in_again() {
    let (fake, browser) = signed_in().await;
    fake.set_faults(Faults {
        unauthorized: 1,
        refresh_needs_secret: true,
        ..Faults::default()
    });
    browser.goto(&fake.view(&Route::Teams)).await;
    browser
        .wait_for_text(".sign-in .notice", "Sign in again")
        .await;
    assert_eq!(fake.counters().refreshes, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_about_to_expire_is_renewed_before_it_does() {
    // 301 s: inside the five-minute margin a second after sign-in.
    let (fake, browser) = signed_in_with(Options {
        token_lifetime_s: 301,
        ..Options::default()
    })
    .await;
    let first = browser.session_item(SESSION).await;
    eventually(
        async || fake.counters().refreshes >= 1,
        "a refresh ahead of expiry",
    )
    .await;
    eventually(
        async || browser.session_item(SESSION).await != first,
        "the new token stored",
    )
    .await;
    browser.goto(&fake.view(&Route::Teams)).await;
    browser.wait_for_text("ul.cards", "Platform").await;
    assert_eq!(
        fake.counters().unauthorized_api_requests,
        0,
        "no request ever went out with a stale token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_is_waited_out_with_a_notice() {
    let (fake, browser) = signed_in().await;
    fake.set_faults(Faults {
        rate_limited: 1,
        rate_limit_reset_s: Some(2),
        ..Faults::default()
    });
    browser.goto(&fake.view(&Route::Teams)).await;
    browser
        .wait_for_text(".banner", "PagerDuty asked us to slow down; retrying in")
        .await;
    browser.wait_for_text("ul.cards", "Platform").await;
    browser
        .wait_for_notice_to_go("the notice goes once every request is through")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bare_429_without_headers_backs_off_and_recovers() {
    let (fake, browser) = signed_in().await;
    fake.set_faults(Faults {
        rate_limited: 2,
        rate_limit_reset_s: None,
        ..Faults::default()
    });
    browser.goto(&fake.view(&Route::Teams)).await;
    browser.wait_for_text("ul.cards", "Platform").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_then_explained_with_a_button_that_works() {
    let (fake, browser) = signed_in().await;
    fake.set_faults(Faults {
        server_errors: 100,
        ..Faults::default()
    });
    browser.goto(&fake.view(&Route::Teams)).await;
    browser
        .wait_for_text(".error", "PagerDuty had a problem answering (HTTP 500)")
        .await;
    // /users/me and /teams each try four times, then stop for good.
    eventually(
        async || fake.with_faults(|f| f.server_errors) == 92,
        "eight tries",
    )
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        100 - fake.with_faults(|f| f.server_errors),
        8,
        "bounded: no ninth try"
    );
    fake.set_faults(Faults::default());
    browser.click_button("Try again").await;
    browser.wait_for_text("ul.cards", "Platform").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_breaks_one_panel_and_the_rest_keeps_working() {
    let (fake, browser) = signed_in().await;
    fake.set_faults(Faults {
        malformed_path: Some("/teams/PT00000/members".into()),
        ..Faults::default()
    });
    browser
        .goto(&fake.view(&Route::Team("PT00000".into())))
        .await;
    browser
        .wait_for_text(".error", "PagerDuty sent data this app could not read")
        .await;
    browser.wait_for_text("#team-heading", "Platform").await;
    browser.wait_for_text("ul.plain", "Platform Primary").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_signing_in_at_once_keep_their_own_sign_ins() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.click_button("Sign in with PagerDuty").await;
    browser.wait_for("#approve").await;
    let first = browser.client.window().await.expect("window");

    let second = browser
        .client
        .new_window(true)
        .await
        .expect("new tab")
        .handle;
    browser
        .client
        .switch_to_window(second)
        .await
        .expect("switch");
    browser.goto(&fake.view(&Route::Teams)).await;
    browser.click_button("Sign in with PagerDuty").await;
    browser.click("#approve").await;
    browser.wait_for_text("ul.cards", "Platform").await;

    browser
        .client
        .switch_to_window(first)
        .await
        .expect("switch back");
    browser.click("#approve").await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    assert_eq!(fake.counters().code_exchanges, 2);
    assert_eq!(fake.counters().rejected_exchanges, 0);
    assert_eq!(fake.live_access_tokens(), 2, "one session per tab");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_sign_in_is_cleaned_up() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.click_button("Sign in with PagerDuty").await;
    browser.wait_for("#approve").await;
    // The person gives up and comes back to the page without signing in.
    browser.goto(&fake.app_url).await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    assert_eq!(browser.session_item(PENDING_KEY).await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_in_the_address_that_is_not_a_pagerduty_id_is_explained_and_never_sent() {
    let (fake, browser) = signed_in().await;
    for (route, panel) in [
        (Route::Team("..".into()), "the team"),
        (Route::User("../users/me".into()), "this person"),
        (Route::Schedule("PS1?x=1".into()), "the schedule"),
    ] {
        let before = fake.api_log().len();
        browser.goto(&fake.view(&route)).await;
        browser
            .wait_for_text(".error", "is not a PagerDuty ID")
            .await;
        let sent: Vec<String> = fake.api_log().split_off(before);
        assert!(
            sent.iter().all(|request| request.starts_with("/users/me")),
            "{panel}: nothing but the page's own /users/me went out: {sent:?}"
        );
    }
    // A crafted address cannot put its own words into the page.
    browser
        .goto(&fake.view(&Route::User("Account locked, call +1 555 0100".into())))
        .await;
    browser.wait_for_text(".error", "not a PagerDuty ID").await;
    let page = browser.text("main").await;
    assert!(
        !page.contains("555") && !page.contains("Account locked"),
        "the address's words stay out of the page: {page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_on_call_shows_the_shifts_of_whom_pagerduty_says_is_signed_in() {
    // The ID token names another person than /users/me does: the page believes PagerDuty's
    // API, not the token's claim, about whose shifts to show.
    let fake = Fake::start().await;
    let (me, other) = fake.with_data(|d| (d.users[0].id.clone(), d.users[49].id.clone()));
    fake.set_faults(Faults {
        id_token_names_user: Some(49),
        ..Faults::default()
    });
    let browser = Browser::open().await;
    browser.sign_in(&fake).await;
    browser.wait_for_text("ol.days", "Platform Primary").await;
    let asked: Vec<String> = fake
        .api_log()
        .into_iter()
        .filter(|r| r.starts_with("/oncalls?") && r.contains("user_ids"))
        .collect();
    assert!(
        asked
            .last()
            .is_some_and(|r| r.contains(&me) && !r.contains(&other)),
        "the last shifts asked for are the signed-in person's: {asked:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_from_the_api_are_shown_as_text() {
    let fake = Fake::start().await;
    let hostile =
        "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";
    fake.rename_user(0, hostile);
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.click_button("Sign in with PagerDuty").await;
    browser.click("#approve").await;
    browser.wait_for_text(".user-name", "<img src=x").await;
    assert_eq!(browser.text(".user-name").await, hostile);
    browser
        .goto(&fake.view(&Route::Team("PT00000".into())))
        .await;
    browser.wait_for_text("table.members", "<script>").await;
    assert_eq!(browser.count("img").await, 0);
    assert_eq!(
        browser.execute("return document.title;").await,
        "Team · On call · PagerDuty",
        "no script ran"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_runs_under_a_strict_content_security_policy() {
    let policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                  connect-src 'self' {identity} {api}; img-src 'self'; frame-ancestors 'none'; \
                  base-uri 'none'; form-action 'none'; report-uri /_csp-report";
    let (fake, browser) = signed_in_with(Options {
        csp: Some(policy.into()),
        ..Options::default()
    })
    .await;
    browser
        .goto(&fake.app("/schedule?id=PS00003&span=week"))
        .await;
    browser.wait_for(".timeline .final .shift").await;
    // Positions are set through the CSSOM, which style-src 'self' allows.
    let left = browser
        .execute("return getComputedStyle(document.querySelector('.timeline .final .shift')).left;")
        .await;
    assert_ne!(left, "auto");
    browser
        .goto(&fake.view(&Route::Team("PT00000".into())))
        .await;
    browser.wait_for_text("table.members", "Zoë Ångström").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        fake.csp_reports(),
        Vec::<String>::new(),
        "no CSP violations"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_never_reach_local_storage_the_title_or_the_page() {
    let (fake, browser) = signed_in().await;
    browser.goto(&fake.view(&Route::Teams)).await;
    browser.wait_for_text("ul.cards", "Platform").await;
    let session = browser.session_item(SESSION).await.expect("a session");
    let token: serde_json::Value = serde_json::from_str(&session).expect("json");
    let access = token["access_token"].as_str().expect("token").to_string();
    assert!(access.starts_with("pdus+_0XBPWQQ_"));
    assert_eq!(browser.local_storage_json().await, "{}");
    let html = browser
        .execute("return document.documentElement.outerHTML + document.title + location.href;")
        .await;
    assert!(!html.as_str().unwrap_or_default().contains(&access));
    assert!(!html.as_str().unwrap_or_default().contains("pdus+"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_work_waits_for_the_connection_and_resumes_by_itself() {
    let (fake, browser) = signed_in().await;
    browser.set_offline(true).await;
    browser.click("nav.primary-nav a[href^='/teams']").await;
    browser.wait_for_text(".banner", "You are offline").await;
    let before = fake.counters().api_requests;
    browser.set_offline(false).await;
    browser.wait_for_text("ul.cards", "Platform").await;
    assert!(
        fake.counters().api_requests > before,
        "the request went out once back online"
    );
    browser
        .wait_for_notice_to_go("the offline notice goes")
        .await;
}

/// A copy of the build in a folder of its own (named `label`), with `alter` applied to the
/// files `chosen` picks by name.
fn altered_site(
    label: &str,
    chosen: impl Fn(&str) -> bool,
    alter: impl Fn(&str, &mut Vec<u8>),
) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("oncall-altered-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("folder");
    for entry in std::fs::read_dir(dist()).expect("dist").flatten() {
        let mut bytes = std::fs::read(entry.path()).expect("read");
        let name = entry.file_name().to_string_lossy().into_owned();
        // The build's precompressed copies hold the bytes before the change: left out, so
        // that what is sent is the altered file.
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        if chosen(&name) {
            alter(&name, &mut bytes);
        }
        std::fs::write(dir.join(&name), bytes).expect("write");
    }
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_altered_on_the_way_is_refused_with_a_sentence() {
    // Still valid code, but not the bytes the page was built with: a custom section added to
    // the wasm, a comment to the JS glue.
    let altered = [
        altered_site(
            "wasm",
            |name| name.ends_with("_bg.wasm"),
            |_, bytes| bytes.extend([0, 5, 4, b'n', b'o', b't', b'e']),
        ),
        altered_site(
            "glue",
            |name| name.starts_with("oncall-") && name.ends_with(".js"),
            |_, bytes| bytes.extend(b"\n// altered\n"),
        ),
        // As a browser that ignores a modulepreload link's integrity (older Safari) sees it:
        // the loader's own check must refuse the altered glue.
        altered_site(
            "glue-without-preload-check",
            |name| name == "index.html" || (name.starts_with("oncall-") && name.ends_with(".js")),
            |name, bytes| {
                if name == "index.html" {
                    let html = String::from_utf8_lossy(bytes).into_owned();
                    let stripped: String = html
                        .lines()
                        .map(|line| {
                            if line.contains("rel=\"modulepreload\"") {
                                let start = line.find(" integrity=\"").expect("an integrity");
                                let end =
                                    line[start + 12..].find('"').expect("its end") + start + 13;
                                format!("{}{}", &line[..start], &line[end..])
                            } else {
                                line.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    *bytes = stripped.into_bytes();
                } else {
                    bytes.extend(b"\n// altered\n");
                }
            },
        ),
    ];
    for site in altered {
        let fake = Fake::start_with(Options {
            dist: Some(site.clone()),
            ..Options::default()
        })
        .await;
        let browser = Browser::open().await;
        browser.goto(&fake.app_url).await;
        browser
            .wait_for_text("p[role=alert]", "did not arrive intact")
            .await;
        assert_eq!(browser.count("button").await, 0, "{}", site.display());
        let _ = std::fs::remove_dir_all(site);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_views_module_altered_on_the_way_is_refused() {
    let site = altered_site(
        "module",
        |name| name.starts_with("split_team-") && name.ends_with(".wasm"),
        |_, bytes| bytes.extend([0, 5, 4, b'n', b'o', b't', b'e']),
    );
    let fake = Fake::start_with(Options {
        dist: Some(site.clone()),
        ..Options::default()
    })
    .await;
    let browser = Browser::open().await;
    browser.sign_in(&fake).await;
    browser
        .goto(&fake.view(&Route::Team("PT00000".into())))
        .await;
    browser
        .wait_for_text("[role=alert]", "This part of the page did not arrive")
        .await;
    assert_eq!(
        browser.count("table.members").await,
        0,
        "the altered module never ran"
    );
    let _ = std::fs::remove_dir_all(site);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wasm_is_downloaded_once_under_its_integrity() {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    let fetched = browser
        .execute("return performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm')).length;")
        .await;
    assert_eq!(fetched, 1, "the preload is the download the page uses");
}
