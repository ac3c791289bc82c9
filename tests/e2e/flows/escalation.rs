//! End to end: who do I page? Services, escalation policies level by level, "your levels", a
//! "now" that stays true across a handover, and the faults around them.

use fake_pagerduty::state::Faults;
use oncall_core::routes::Route;
use oncall_e2e::{eventually, one_minute_turns, signed_in, signed_in_with};

/// "Core API" pages the ten-level policy; "Legacy Billing" the one whose first level points at
/// a deleted schedule; "Orphaned Webhooks" has no policy.
const CORE_API: &str = "PV00001";
const LEGACY_POLICY: &str = "PE00007";
const ORPHANED: &str = "PV0000B";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_a_service_name_to_a_phone_number_in_two_clicks() {
    let (_fake, browser) = signed_in().await;
    browser.click("nav.primary-nav a[href^='/services']").await;
    browser.wait_for_text("table.list", "Core API").await;
    // Click one: the service.
    browser
        .click(&format!("table.list a[href*='service?id={CORE_API}']"))
        .await;
    browser.wait_for_text("#service-heading", "Core API").await;
    browser
        .wait_for_text(".policy-name", "Core API escalation")
        .await;
    browser.wait_for_count("ol.levels > li", 10).await;
    let first = browser.text("ol.levels > li:first-child").await;
    assert!(first.contains("Level 1"), "{first}");
    assert!(first.contains("On call now:"), "{first}");
    assert!(first.contains("Next, from"), "{first}");
    assert!(first.contains("Platform Primary"), "{first}");
    // Click two: whoever is on call at level 1, and how to reach them.
    browser.click("ol.levels > li:first-child .on-duty a").await;
    browser.wait_for("#person-heading").await;
    let phone = browser.wait_for(".reach a[href^='tel:+']").await;
    assert!(phone.text().await.expect("text").starts_with('+'));
    assert!(browser.url().await.contains("/user?id=PU"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_policies_list_searches_narrows_to_a_team_and_shows_who_is_notified_first() {
    let (fake, browser) = signed_in().await;
    browser
        .click("nav.primary-nav a[href^='/escalation-policies']")
        .await;
    browser.wait_for_text(".count", "Showing 10 of 10").await;
    let legacy = browser
        .text(&format!(
            "table.list tr:has(a[href*='escalation-policy?id={LEGACY_POLICY}'])"
        ))
        .await;
    // Level 1 is empty, so the row names who an incident reaches first: level 2's person.
    assert!(
        legacy.contains("Nobody at level 1 · level 2: "),
        "the level that is reached: {legacy}"
    );
    // Narrow to a team: the choice goes into the address (a portal can link to it) and to
    // PagerDuty as team_ids[].
    browser
        .execute(
            "const s = document.querySelector('.team-choice select'); s.value = 'PT00005'; s.dispatchEvent(new Event('change'));",
        )
        .await;
    browser.wait_for_text(".count", "Showing 2 of 2").await;
    assert!(browser.url().await.contains("team=PT00005"));
    assert!(fake
        .api_log()
        .iter()
        .any(|r| r.starts_with("/escalation_policies?") && r.contains("=PT00005")));
    browser.refresh().await;
    browser.wait_for_text(".count", "Showing 2 of 2").await;
    browser
        .wait_for_text("table.list", "Customer Support escalation")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_level_passes_the_incident_on_and_a_service_without_a_policy_says_so() {
    let (fake, browser) = signed_in().await;
    browser
        .goto(&fake.view(&Route::EscalationPolicy(LEGACY_POLICY.into())))
        .await;
    browser
        .wait_for_text("#policy-heading", "Legacy escalation")
        .await;
    // Level 1 points at a deleted schedule, level 2 names a person: PagerDuty passes over
    // level 1 at once, so it is a warning naming who is reached, not a red gap.
    browser
        .wait_for_text("ol.levels > li.skipped", "Nobody at level 1 now.")
        .await;
    let skipped = browser.text("ol.levels > li.skipped").await;
    assert!(
        skipped.contains("Old Billing Rotation"),
        "names its target: {skipped}"
    );
    assert!(
        skipped.contains("An incident goes straight to level 2 ("),
        "{skipped}"
    );
    assert_eq!(browser.count("ol.levels > li.uncovered").await, 0);
    // Level 2 names a person directly: on call for good.
    browser
        .wait_for_text("ol.levels > li:nth-child(2)", "always, named on this level")
        .await;
    browser
        .wait_for_text("#policy-heading + p", "Repeats once")
        .await;
    // The deleted schedule's own page is a sentence, not a blank page.
    browser.click("ol.levels > li.skipped .targets a").await;
    browser.wait_for_text(".error", "Could not load").await;

    browser
        .goto(&fake.view(&Route::Service(ORPHANED.into())))
        .await;
    browser
        .wait_for_text("#service-heading", "Orphaned Webhooks")
        .await;
    browser
        .wait_for_text(
            ".gap-now",
            "This service has no escalation policy you can see.",
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_malformed_ids_are_sentences_with_a_way_on() {
    let (fake, browser) = signed_in().await;
    browser.goto(&fake.app("/service?id=PV99999")).await;
    browser
        .wait_for_text(".error", "Could not load this service.")
        .await;
    browser.wait_for_text(".error button", "Try again").await;
    let before = fake.api_log().len();
    browser
        .goto(&fake.app("/escalation-policy?id=..%2Fusers"))
        .await;
    browser.wait_for_text(".error", "not a PagerDuty ID").await;
    assert!(
        !fake.api_log()[before..]
            .iter()
            .any(|r| r.starts_with("/users?") || r == "/users"),
        "never sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_panel_leaves_the_rest_of_the_page_working() {
    let (fake, browser) = signed_in().await;
    fake.set_faults(Faults {
        failing_path: Some("/oncalls".into()),
        ..Faults::default()
    });
    browser
        .goto(&fake.view(&Route::Service(CORE_API.into())))
        .await;
    browser.wait_for_text("#service-heading", "Core API").await;
    browser
        .wait_for_text(".error", "Could not load who is on call.")
        .await;
    // The lists still list, and say what is missing.
    browser.goto(&fake.view(&Route::Services)).await;
    browser
        .wait_for_text(".error", "Could not load who is on call.")
        .await;
    browser.wait_for_text(".count", "Showing 13 of 13").await;
    fake.set_faults(Faults::default());
    browser
        .goto(&fake.view(&Route::Service(CORE_API.into())))
        .await;
    browser.wait_for_count("ol.levels > li", 10).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_on_call_says_which_level_i_am_at_and_who_backs_me_up() {
    let (_fake, browser) = signed_in().await;
    browser
        .wait_for_text("#levels-heading", "Your levels")
        .await;
    browser
        .wait_for_text(".your-levels", "Platform escalation")
        .await;
    let mine = browser.text(".your-levels").await;
    assert!(mine.contains("level 1"), "{mine}");
    assert!(
        mine.contains("Above you: nobody: you are notified first"),
        "{mine}"
    );
    assert!(mine.contains("Backing you up: "), "{mine}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn now_moves_on_at_the_next_handover_without_a_reload() {
    // A rotation with one-minute turns: the next handover is at most a minute away.
    let (fake, browser) = signed_in_with(one_minute_turns()).await;
    browser
        .goto(&fake.app("/schedule?id=PSDENSE&span=day"))
        .await;
    browser.wait_for_text(".status", "On call now: ").await;
    let before = browser.text(".status").await;
    browser.execute("window.__sameLoad = true;").await;
    let requests = fake.api_log().len();
    browser.wait_for_handover(".status", &before).await;
    assert_eq!(
        browser.execute("return window.__sameLoad === true;").await,
        serde_json::json!(true),
        "no reload"
    );
    assert!(browser.text(".as-of").await.starts_with("As of "));
    // The day's answer is younger than five minutes: the renewal at the handover reused it
    // (and asked nothing of the v3 API, which refused this layered schedule once already).
    assert_eq!(
        fake.api_log().len(),
        requests,
        "{:?}",
        fake.api_log().split_off(requests)
    );

    // A card whose window starts at the present asks again at the handover: the data is
    // renewed with the clock.
    browser.goto(&fake.app("/schedules?ids=PSDENSE")).await;
    let cell = "table.chosen tbody tr td";
    browser.wait_for(&format!("{cell} .person")).await;
    let before = browser.text(cell).await;
    let asked = |log: Vec<String>| {
        log.into_iter()
            .filter(|r| r.starts_with("/schedules/PSDENSE?"))
            .count()
    };
    let requests = asked(fake.api_log());
    browser.wait_for_handover(cell, &before).await;
    eventually(
        async || asked(fake.api_log()) > requests,
        "the card's window, moved on, is asked for again",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tab_shown_again_later_draws_the_present_and_renews_its_data() {
    let (fake, browser) = signed_in().await;
    // My on-call has asked about its own policies by now; count from here.
    browser.wait_for(".your-levels").await;
    let earlier = fake.api_log().len();
    browser
        .goto(&fake.view(&Route::Service(CORE_API.into())))
        .await;
    browser.wait_for_count("ol.levels > li", 10).await;
    let level_one = "ol.levels > li:first-child";
    let before = browser.text(level_one).await;
    let asked = || {
        fake.api_log()[earlier..]
            .iter()
            .filter(|r| r.starts_with("/oncalls?escalation_policy_ids") && r.contains("offset=0&"))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(asked().len(), 1, "{:?}", &fake.api_log()[earlier..]);
    // Eight days pass in the page's clock while the tab is hidden; then it is shown again (the
    // browser's own visibilitychange bubbles to the window, so this one must too).
    browser
        .execute(
            "const real = Date.now; Date.now = () => real() + 8 * 24 * 3600 * 1000; document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));",
        )
        .await;
    eventually(
        async || asked().len() == 2,
        "the levels to be asked for again",
    )
    .await;
    let since = |r: &str| {
        r.split("since=")
            .nth(1)
            .and_then(|s| s.split('&').next())
            .map(str::to_string)
    };
    let (first, second) = (since(&asked()[0]), since(&asked()[1]));
    assert!(
        second > first,
        "the window moved on: {first:?} -> {second:?}"
    );
    // Drawn for the new present: a week's rotation later, at least the "until" differs.
    eventually(
        async || {
            let now = browser.text(level_one).await;
            now.contains("On call now:") && now != before
        },
        "level 1 drawn for the new present",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_and_a_team_are_each_one_address_for_a_portal() {
    let (fake, browser) = signed_in().await;
    browser
        .goto(&fake.app(&format!("/service?id={CORE_API}&embed=1")))
        .await;
    browser.wait_for_count("ol.levels > li", 10).await;
    assert_eq!(
        browser
            .execute("return getComputedStyle(document.querySelector('.app-header')).display;")
            .await,
        serde_json::json!("none"),
        "compact: no header"
    );
    browser
        .goto(&fake.app("/services?team=PT00000&embed=1"))
        .await;
    browser.wait_for_text(".count", "Showing 2 of 2").await;
    browser.wait_for_text("table.list", "Deploy Pipeline").await;
    assert!(browser.count("table.list .person a").await >= 2);
}
