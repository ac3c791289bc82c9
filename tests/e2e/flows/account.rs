//! End to end: the account at a glance. Coverage gaps everywhere, on-call hours per person
//! (checked against figures computed here from the fake's own data, with the browser's `Intl`
//! for the zones, not the app's code), its CSV file, and several schedules on one board.

use fake_pagerduty::data::Data;
use oncall_core::routes::Route;
use oncall_e2e::{one_minute_turns, signed_in, signed_in_with, Browser, Fake};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The Site Reliability team: shift-based and layered schedules, and the three follow-the-sun
/// ones, with people in Europe, the Americas and Asia-Pacific.
const SRE: &str = "PT00004";
/// A team with one round-the-clock schedule, whose policy has it and then a person.
const PAYMENTS: &str = "PT00001";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coverage_finds_the_seeded_gaps_and_says_which_matter() {
    let (fake, browser) = signed_in().await;
    let before = fake.api_log().len();
    browser.click("nav.primary-nav a[href^='/coverage']").await;
    browser
        .wait_for_text(".count", "Checked 14 schedules and 10 escalation policies")
        .await;
    // It says how many requests it made, and the fake counted as many: the four lists, and the
    // schedules they do not include (shift-based, deleted); the team choice's list is its own.
    let said = browser.text(".count").await;
    let requests: usize = said
        .split(" with ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("a request count: {said}"));
    let counted = fake.api_log()[before..]
        .iter()
        .filter(|r| !r.starts_with("/teams?"))
        .count();
    assert_eq!(
        requests,
        counted,
        "{said}\n{:#?}",
        &fake.api_log()[before..]
    );
    // First, in red: the policy of two daytime rotations reaches nobody at night, naming the
    // service that pages through it.
    let first = browser.text("ul.gaps.critical > li:first-child").await;
    assert!(first.contains("Night Desk escalation"), "{first}");
    assert!(first.contains("Services: Night Desk"), "{first}");
    browser
        .wait_for_text("ul.gaps.critical > li", "(14 h)")
        .await;
    assert_eq!(
        browser
            .count("ul.gaps.critical > li:not(:has(a[href*='PE00009']))")
            .await,
        0,
        "only that policy ever reaches nobody"
    );
    // Mobile Releases is empty at night, and its policy's level 2 names a person.
    let mobile = browser
        .text("ul.gaps > li:has(a[href*='schedule?id=PS00003'])")
        .await;
    assert!(mobile.contains("Mobile Releases"), "{mobile}");
    browser
        .click("ul.gaps > li:has(a[href*='schedule?id=PS00003']) summary")
        .await;
    browser
        .wait_for_text(
            "ul.gaps > li:has(a[href*='schedule?id=PS00003']) details li",
            "covered by level 2 of Mobile escalation",
        )
        .await;
    // The policy that points at a deleted schedule.
    let legacy = browser
        .text("ul.gaps > li:has(a[href*='escalation-policy?id=PE00007'])")
        .await;
    assert!(
        legacy
            .contains("level 1: points at Old Billing Rotation, a schedule that no longer exists"),
        "{legacy}"
    );
    // A gap links to that day of its schedule.
    browser
        .click("ul.gaps > li:has(a[href*='schedule?id=PS00003']) details li a")
        .await;
    browser
        .wait_for_text("#schedule-heading", "Mobile Releases")
        .await;
    assert!(browser.url().await.contains("span=day"));
    // A team without gaps says so, with the range it checked.
    browser
        .goto(&fake.app(&format!("/coverage?team={PAYMENTS}&days=7")))
        .await;
    browser.wait_for_text(".all-covered", "No gaps").await;
    assert!(browser.url().await.contains("days=7"));
    // A portal's card.
    browser
        .goto(&fake.app(&format!("/coverage?team={SRE}&embed=1")))
        .await;
    browser.wait_for_text(".count", "Checked").await;
    assert_eq!(browser.count(".app-header:not(.hidden)").await, 0);
}

/// Hours per person as computed here: `[total, working, night, weekend]` in hours, from every
/// schedule of `team` between `since` and `until` (seconds), each hour sorted by the browser's
/// own `Intl` in the person's zone. All of the fake's shifts and zones are whole hours.
async fn expected_hours(
    browser: &Browser,
    fake: &Fake,
    team: usize,
    since: i64,
    until: i64,
) -> BTreeMap<String, [f64; 4]> {
    let (hours, zones) = fake.with_data(|d: &Data| {
        let mut hours: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
        for s in d.schedules.iter().filter(|s| s.teams.contains(&team)) {
            let entries: Vec<_> = if s.v3 {
                s.computed_assignments(since, until)
                    .into_iter()
                    .map(|a| a.entry)
                    .collect()
            } else {
                s.final_entries(since, until)
            };
            for e in entries {
                let Some(u) = e.user else { continue };
                let set = hours.entry(d.users[u].email.clone()).or_default();
                set.extend((e.start..e.end).step_by(3600));
            }
        }
        let zones: BTreeMap<String, String> = d
            .users
            .iter()
            .map(|u| (u.email.clone(), u.time_zone.clone()))
            .collect();
        (hours, zones)
    });
    let people: Vec<Value> = hours
        .iter()
        .map(|(email, set)| json!([email, zones[email], set.iter().collect::<Vec<_>>()]))
        .collect();
    let script = "const [people] = arguments; const out = {};
        for (const [email, zone, hours] of people) {
          const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
          const t = [0, 0, 0, 0];
          for (const h of hours) {
            const parts = Object.fromEntries(f.formatToParts(new Date(h * 1000)).map(p => [p.type, p.value]));
            const hour = Number(parts.hour), weekend = parts.weekday === 'Sat' || parts.weekday === 'Sun';
            t[0] += 1;
            if (weekend) t[3] += 1;
            else if (hour >= 22 || hour < 7) t[2] += 1;
            else if (hour >= 9 && hour < 18) t[1] += 1;
          }
          out[email] = t;
        }
        return out;";
    let computed = browser
        .client
        .execute(script, vec![json!(people)])
        .await
        .expect("the browser sorts the hours");
    serde_json::from_value(computed).expect("hours per person")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hours_for_a_team_over_a_month_with_two_clock_changes_and_the_csv_agree() {
    let (fake, browser) = signed_in().await;
    // 10 October to 9 November 2026 in UTC: Europe's clocks go back on 25 October, America's
    // on 1 November.
    browser
        .goto(&fake.app(&format!(
            "/hours?team={SRE}&from=2026-10-10&to=2026-11-09&tz=UTC"
        )))
        .await;
    browser.wait_for_text(".window-title", "UTC").await;
    browser.wait_for("ul.hours > li").await;
    let since = 1_791_590_400; // 2026-10-10T00:00:00Z
    let until = since + 31 * 86_400;
    let expected = expected_hours(&browser, &fake, 4, since, until).await;
    assert!(expected.len() >= 10, "people in three zones: {expected:?}");

    let csv = browser.download_text("Download CSV").await;
    // A byte-order mark first, for Excel.
    let csv = csv.strip_prefix('\u{FEFF}').expect("a byte-order mark");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0]
        .starts_with("Name,Email,Time zone,Hours on call,Working hours,Night hours,Weekend hours"));
    assert_eq!(
        lines.len() - 1,
        expected.len(),
        "one row per person:\n{csv}"
    );
    for line in &lines[1..] {
        // No name or zone in the fake has a comma or a quote: plain fields.
        let cells: Vec<&str> = line.split(',').collect();
        let email = cells[1];
        let figures: Vec<f64> = cells[3..7]
            .iter()
            .map(|c| c.parse().expect("hours"))
            .collect();
        let want = expected[email];
        assert_eq!(
            figures,
            want.to_vec(),
            "{email}: total, working, night, weekend"
        );
        assert_eq!(cells[11], "2026-10-10T00:00:00+00:00", "{line}");
    }
    let first_total = lines[1].split(',').nth(3).expect("a total");
    browser
        .wait_for_text(
            "ul.hours > li:first-child .total",
            &format!("{first_total} h"),
        )
        .await;
    // Someone on two schedules at once is counted once, and the overlap is said.
    let overlapping = lines[1..]
        .iter()
        .filter(|l| l.split(',').nth(8).is_some_and(|o| o != "0.00"))
        .count();
    assert!(overlapping > 0, "the SRE schedules overlap:\n{csv}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_follow_the_sun_schedules_on_one_board() {
    let (fake, browser) = signed_in().await;
    // From the schedules list: filter to the three, then show them together.
    browser.goto(&fake.view(&Route::Schedules)).await;
    browser.wait_for_text(".count", "Showing 14 of 14").await;
    browser.type_into("#search-input", "Sun:").await;
    browser
        .wait_for_text(".count", "Show these 3 on one board")
        .await;
    browser.click("a.board-link").await;
    browser.wait_for_count("ol.lanes > li", 3).await;
    assert!(browser
        .url()
        .await
        .contains("/board?schedules=PS0000B%2CPS0000C%2CPS0000D"));
    let lanes = browser.text("ol.lanes").await;
    for zone in ["Europe/Oslo", "America/New_York", "Australia/Sydney"] {
        assert!(lanes.contains(zone), "{zone}: {lanes}");
    }
    // Round the clock between them: exactly one lane has someone now, with an end and a next.
    let now: Vec<String> = browser
        .execute("return [...document.querySelectorAll('.lane-now')].map(e => e.textContent);")
        .await
        .as_array()
        .expect("lanes")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        now.iter().filter(|t| !t.starts_with("Nobody")).count(),
        1,
        "{now:?}"
    );
    assert!(now.iter().all(|t| t.contains(" · next: ")), "{now:?}");
    // Following the sun, everyone is on call in their own daytime: no shift has a night in
    // its person's zone to shade. The now line is drawn.
    assert!(browser.count("ul.track .shift").await >= 3);
    assert_eq!(browser.count("ul.track .shift .night").await, 0);
    assert_eq!(browser.count(".now-line").await, 1);
    // Three days, large type, for a wall.
    browser.click_button("Large type").await;
    browser.wait_for(".board.large").await;
    browser
        .execute("const s = document.querySelector('.board select'); s.value = '3d'; s.dispatchEvent(new Event('change'));")
        .await;
    browser.wait_for_count(".board-axis .tick", 5).await;
    let url = browser.url().await;
    assert!(
        url.contains("size=large") && url.contains("span=3d"),
        "{url}"
    );
    // A team's board: its round-the-clock rotations have nights, shaded in each person's zone.
    browser.goto(&fake.app(&format!("/board?team={SRE}"))).await;
    browser.wait_for_text("ol.lanes", "SRE Primary").await;
    assert!(browser.count("ul.track .shift .night").await >= 1);
    // Without schedules or a team, a sentence says what to do.
    browser.goto(&fake.view(&Route::Board)).await;
    browser.wait_for_text(".empty", "Choose a team").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_on_a_wall_moves_on_at_a_handover_by_itself() {
    let (fake, browser) = signed_in_with(one_minute_turns()).await;
    browser
        .goto(&fake.app("/board?schedules=PSDENSE&size=large"))
        .await;
    browser.wait_for_text(".lane-now", " until ").await;
    // 1,440 one-minute shifts a day are drawn as the blocks a screen can show, each saying how
    // many shifts it holds.
    browser.wait_for_text("ul.track > li.many", " shifts").await;
    let blocks = browser.count("ul.track > li.shift").await;
    assert!(blocks < 400, "{blocks} blocks for one lane");
    let before = browser.text(".lane-now").await;
    let line = browser
        .execute("return document.querySelector('.now-line').style.left;")
        .await;
    browser.execute("window.__sameLoad = true;").await;
    browser.wait_for_handover(".lane-now", &before).await;
    assert_eq!(
        browser.execute("return window.__sameLoad === true;").await,
        json!(true),
        "no reload"
    );
    // The line at now moved on with it.
    assert_ne!(
        browser
            .execute("return document.querySelector('.now-line').style.left;")
            .await,
        line
    );
}
