//! End to end: the views people open this page for, against the fake PagerDuty.

use fake_pagerduty::data::Size;
use fake_pagerduty::state::Faults;
use fake_pagerduty::Options;
use oncall_core::routes::Route;
use oncall_e2e::{
    eventually, one_minute_turns, signed_in, signed_in_with, wait_for_my_status, Browser,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_on_call_lists_my_shifts_by_day_and_downloads_them_as_ics() {
    let (fake, browser) = signed_in().await;
    wait_for_my_status(&browser, &fake).await;
    browser.wait_for_text("ol.days", "Platform Primary").await;
    assert!(
        browser.count("ol.days > li").await >= 5,
        "several days of shifts in 90 days"
    );

    let ics = browser.download_text("Download .ics").await;
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.contains("SUMMARY:On call: Platform Primary"), "{ics}");
    assert!(ics.matches("BEGIN:VEVENT").count() >= 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedules_list_shows_who_is_on_call_now_and_next_and_filters_instantly() {
    let (fake, browser) = signed_in().await;
    browser.goto(&fake.view(&Route::Schedules)).await;
    browser
        .wait_for_text("table.list", "Incident Commanders (shift-based)")
        .await;
    browser.wait_for_text(".count", "Showing 14 of 14").await;
    // Every layered schedule has someone now or a gap, and a next person.
    assert_eq!(browser.count("table.list tbody tr").await, 14);

    browser.type_into("#search-input", "platform").await;
    browser.wait_for_text(".count", "Showing 2 of 14").await;
    // Enter asks PagerDuty with `query`.
    browser.type_into("#search-input", "\u{E007}").await;
    browser.wait_for_text(".count", "Showing 2 of 2").await;
    assert!(browser.url().await.contains("q=platform"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layered_schedule_draws_its_final_row_layers_overrides_gaps_and_now() {
    let (fake, browser) = signed_in().await;
    // Mobile Releases: a business-hours layer over a daytime one, so nights are gaps.
    browser
        .goto(&fake.app("/schedule?id=PS00003&span=week"))
        .await;
    browser
        .wait_for_text("#schedule-heading", "Mobile Releases")
        .await;
    browser.wait_for(".timeline .final .shift").await;
    assert!(browser.count(".timeline .final .gap").await >= 6);
    assert_eq!(
        browser.count(".timeline .now").await,
        4,
        "the now line crosses every row"
    );
    let rows: Vec<String> = row_labels(&browser).await;
    assert_eq!(
        rows,
        vec![
            "Final schedule",
            "Layer 1",
            "Layer 2 (business hours)",
            "Overrides"
        ]
    );

    // A shift shows who and when on focus.
    browser
        .execute("document.querySelector('.timeline .final a.shift').focus();")
        .await;
    let tip = browser.text(".timeline .final a.shift:focus .tip").await;
    assert!(tip.contains(':') && tip.contains('–'), "{tip}");

    // Next and Previous move by a week and keep it in the URL; Back returns to the week shown
    // before.
    let this_week = browser.text(".window-title").await;
    browser.click_button("Next").await;
    eventually(
        async || browser.text(".window-title").await != this_week,
        "the window moves on",
    )
    .await;
    let next_week = browser.text(".window-title").await;
    assert!(browser.url().await.contains("start="));
    browser.click_button("Previous").await;
    eventually(
        async || browser.text(".window-title").await == this_week,
        "Previous shows this week again",
    )
    .await;
    browser.back().await;
    eventually(
        async || browser.text(".window-title").await == next_week,
        "Back shows the week shown before",
    )
    .await;
}

async fn row_labels(browser: &Browser) -> Vec<String> {
    let labels = browser.execute("return [...document.querySelectorAll('.timeline .row:not(.axis) .row-label')].map(e => e.textContent);").await;
    labels
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shift_based_schedule_shows_people_side_by_side_and_empty_slots() {
    let (fake, browser) = signed_in().await;
    browser
        .goto(&fake.app("/schedule?id=PS0000A&span=week"))
        .await;
    browser
        .wait_for_text("#schedule-heading", "Incident Commanders")
        .await;
    browser.wait_for(".timeline .final .track.lanes-2").await;
    assert!(
        browser.count(".timeline .final .shift.nobody").await >= 1,
        "empty_member slots are drawn"
    );
    // Names come from /users/{id}: v3 shifts carry only IDs.
    browser.wait_for_text("ul.legend", &fake.demo_name()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_of_200_members_loads_every_page() {
    let (fake, browser) = signed_in_with(Options {
        size: Size {
            users: 260,
            big_team: 200,
            ..Size::default()
        },
        ..Options::default()
    })
    .await;
    let members = fake.with_data(|d| d.teams[0].members.len());
    assert!(members >= 200, "{members} members");
    browser
        .goto(&fake.view(&Route::Team("PT00000".into())))
        .await;
    browser
        .wait_for_text(".count", &format!("{members} of {members} members"))
        .await;
    browser
        .wait_for_count("table.members tbody tr.member", members)
        .await;
    browser.wait_for_text("ul.plain", "Platform Primary").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_of_3000_draws_the_rows_in_view_and_finds_any_member() {
    let (fake, browser) = signed_in_with(Options {
        size: Size {
            users: 3_000,
            big_team: 3_000,
            ..Size::default()
        },
        ..Options::default()
    })
    .await;
    let (count, last_id, last_name) = fake.with_data(|d| {
        let members = &d.teams[0].members;
        let last = &d.users[members[members.len() - 1].0];
        (members.len(), last.id.clone(), last.name.clone())
    });
    assert!(count >= 3_000, "{count} members");
    let grouped = format!("{},{:03}", count / 1000, count % 1000);
    let shown = format!("{grouped} of {grouped} members");
    browser
        .goto(&fake.view(&Route::Team("PT00000".into())))
        .await;
    browser.wait_for_text(".count", &shown).await;
    browser
        .wait_for("table.members.windowed tbody tr.member")
        .await;
    let drawn = browser.count("table.members tbody tr.member").await;
    assert!(drawn < 100, "{drawn} rows drawn of {count}");
    let last = format!("table.members tbody a[href*='id={last_id}']");
    assert_eq!(
        browser.count(&last).await,
        0,
        "the last row is not drawn yet"
    );
    assert_eq!(
        browser
            .execute(
                "return document.querySelector('table.members').getAttribute('aria-rowcount');"
            )
            .await,
        serde_json::json!((count + 1).to_string())
    );

    // Scrolling to the end draws the end, numbered for assistive technology.
    browser
        .execute("window.scrollTo(0, document.documentElement.scrollHeight);")
        .await;
    browser.wait_for(&last).await;
    assert_eq!(
        browser
            .execute(&format!(
                "return document.querySelector(\"{last}\").closest('tr').getAttribute('aria-rowindex');"
            ))
            .await,
        serde_json::json!((count + 1).to_string())
    );
    assert!(browser.count("table.members tbody tr.member").await < 100);

    // The filter searches every member, drawn or not.
    browser.execute("window.scrollTo(0, 0);").await;
    browser.type_into("#search-input", &last_name).await;
    browser.wait_for(&last).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_time_zone_switch_changes_times_and_travels_in_the_url() {
    let (fake, browser) = signed_in().await;
    browser
        .goto(&fake.app("/schedule?id=PS00000&span=day&tz=UTC"))
        .await;
    browser.wait_for(".timeline .final .shift").await;
    let utc_first = first_shift_start(&browser).await;

    browser.choose_zone("Asia/Tokyo").await;
    eventually(
        async || {
            browser.url().await.contains("tz=Asia%2FTokyo")
                && first_shift_start(&browser).await != utc_first
        },
        "the view switches to Tokyo",
    )
    .await;

    // Links keep the zone; a reload of the deep link shows the same view.
    browser.click("nav.primary-nav a[href^='/teams']").await;
    assert!(browser.url().await.contains("tz=Asia%2FTokyo"));
    browser.refresh().await;
    browser.wait_for_text("ul.cards", "Platform").await;
    assert_eq!(
        browser
            .execute("return document.querySelector('#zone-input').value;")
            .await,
        "Asia/Tokyo"
    );

    // A zone the browser does not know is explained, not applied.
    browser.choose_zone("Mars/Olympus_Mons").await;
    browser
        .wait_for_text(".zone-picker .error", "not a time zone this browser knows")
        .await;
    assert!(browser.url().await.contains("tz=Asia%2FTokyo"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schedule_opened_directly_loads_its_window_once_in_the_persons_zone() {
    // The person's zone (Europe/Oslo) is not the browser's (UTC). Opened directly, the page
    // draws before their profile arrives: it must not load a UTC day first and then theirs.
    let (fake, browser) = signed_in().await;
    browser
        .goto(&fake.app("/schedule?id=PS00000&span=day"))
        .await;
    browser.wait_for(".timeline .final .shift").await;
    eventually(
        async || {
            browser
                .execute("return document.querySelector('#zone-input').value;")
                .await
                == "Europe/Oslo"
        },
        "the view is in the person's zone",
    )
    .await;
    let windows: std::collections::BTreeSet<String> = fake
        .api_log()
        .iter()
        .filter(|r| r.contains("schedules/PS00000?"))
        .filter_map(|r| r.split("since=").nth(1))
        .map(|since| since.split('&').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(windows.len(), 1, "one window requested: {windows:?}");
    assert!(
        windows
            .iter()
            .all(|w| w.contains("T23%3A00%3A00Z") || w.contains("T22%3A00%3A00Z")),
        "the day starts at midnight in Oslo: {windows:?}"
    );
}

async fn first_shift_start(browser: &Browser) -> String {
    // The second shift: the first is cut to local midnight, which reads 00:00 in every zone.
    // The list is drawn when it is first opened, so open it (again, after a redraw).
    for _ in 0..400 {
        let v = browser.execute("const d = document.querySelector('.shift-table'); if (d && !d.open) d.open = true; const c = document.querySelector('.shift-table tbody tr:nth-child(2) td:nth-child(2)'); return c ? c.textContent : '';").await;
        if let Some(text) = v.as_str().filter(|t| !t.is_empty()) {
            return text.to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the list of shifts never showed its rows");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_links_to_what_that_person_is_on_call_for() {
    let (fake, browser) = signed_in().await;
    browser
        .goto(&fake.view(&Route::Team("PT00000".into())))
        .await;
    let name = browser
        .text("table.members tbody tr:nth-child(2) th a")
        .await;
    assert!(!name.is_empty(), "the second member has a name");
    browser
        .click("table.members tbody tr:nth-child(2) th a")
        .await;
    browser.wait_for_text("#person-heading", &name).await;
    browser
        .wait_for_text("section.panel", "Shifts in the next 14 days")
        .await;
    assert!(browser.url().await.contains("/user?id=PU"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_without_teams_says_so_and_the_rest_keeps_working() {
    let (fake, browser) = signed_in().await;
    fake.set_faults(Faults {
        no_teams_feature: true,
        ..Faults::default()
    });
    browser.goto(&fake.view(&Route::Teams)).await;
    browser
        .wait_for_text(".error", "does not include this feature")
        .await;
    browser.click("nav.primary-nav a[href^='/schedules']").await;
    browser
        .wait_for_text("table.list", "Platform Primary")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_between_views_reuses_what_is_fresh_and_refresh_reloads() {
    let (fake, browser) = signed_in().await;
    browser.click("nav.primary-nav a[href^='/teams']").await;
    browser.wait_for_text("ul.cards", "Platform").await;
    browser.click("nav.primary-nav a[href='/']").await;
    browser.wait_for("ol.days").await;
    let before = fake.counters().api_requests;
    browser.click("nav.primary-nav a[href^='/teams']").await;
    browser.wait_for_text("ul.cards", "Platform").await;
    assert_eq!(
        fake.counters().api_requests,
        before,
        "the teams list came from the session cache"
    );
    browser.click_button("Refresh").await;
    eventually(
        async || fake.counters().api_requests > before,
        "Refresh asks PagerDuty again",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_sub_path_deep_links_reload_and_links_stay_inside_it() {
    let (fake, browser) = signed_in_with(Options {
        base_path: "/tools/oncall/".into(),
        ..Options::default()
    })
    .await;
    assert!(fake.app_url.ends_with("/tools/oncall/"));
    browser
        .goto(&fake.app("/schedule?id=PS00000&span=day&tz=UTC"))
        .await;
    browser.wait_for(".timeline .final .shift").await;
    browser.refresh().await;
    browser
        .wait_for_text("#schedule-heading", "Platform Primary")
        .await;
    browser
        .click("nav.primary-nav a[href^='/tools/oncall/teams']")
        .await;
    browser.wait_for_text("ul.cards", "Platform").await;
    let url = browser.url().await;
    assert!(url.contains("/tools/oncall/teams?tz=UTC"), "{url}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_naming_schedules_shows_who_is_on_call_now_for_those_only() {
    let (fake, browser) = signed_in().await;
    let schedules = fake.with_data(|d| {
        d.schedules
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect::<Vec<_>>()
    });
    let (first, third) = (&schedules[0], &schedules[2]);
    // The full list says who is on call now for the first schedule.
    browser.goto(&fake.view(&Route::Schedules)).await;
    browser.wait_for_text("table.list tbody", &first.1).await;
    let now_in_list = browser
        .execute(&format!(
            "return [...document.querySelectorAll('table.list tbody tr')]
                .find(r => r.querySelector('th').textContent.includes({:?}))
                .querySelector('td').textContent;",
            first.1
        ))
        .await;

    browser
        .goto(&fake.app(&format!(
            "/schedules?ids={},{},PNOSUCH,{}",
            third.0, first.0, third.0
        )))
        .await;
    browser.wait_for_count("table.chosen tbody tr", 3).await;
    browser
        .wait_for_text("table.chosen tbody tr:nth-child(1) th", &third.1)
        .await;
    browser
        .wait_for_text("table.chosen tbody tr:nth-child(2) th", &first.1)
        .await;
    browser
        .wait_for_text(
            "table.chosen tbody tr:nth-child(3) td.error",
            "could not find",
        )
        .await;
    assert_eq!(
        browser.text("table.chosen tbody tr:nth-child(3) th").await,
        "PNOSUCH",
        "a schedule that cannot be loaded is named by its ID"
    );
    assert_eq!(
        browser
            .execute("return document.querySelector('table.chosen tbody tr:nth-child(2) td').textContent;")
            .await,
        now_in_list,
        "the same person is on call now as in the full list"
    );
    assert_eq!(browser.count("input#search-input").await, 0);
    browser.click("a[href='/schedules']").await;
    browser
        .wait_for_text("table.list tbody", &schedules[schedules.len() - 1].1)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_shows_how_to_reach_them_and_says_when_it_cannot() {
    let (fake, browser) = signed_in().await;
    // The demo user has a work email, a mobile that takes calls and texts, and the app.
    let me = fake.with_data(|d| d.users[0].clone());
    let phone = me
        .contact_methods
        .iter()
        .find(|m| m.kind == "phone_contact_method")
        .map(|m| format!("+{}{}", m.country_code.unwrap_or_default(), m.address))
        .expect("a phone");
    browser.goto(&fake.view(&Route::User(me.id.clone()))).await;
    browser.wait_for("ul.reach li").await;
    let shown = browser
        .execute("return [...document.querySelectorAll('ul.reach li')].map(li => [li.querySelector('.kind').textContent, li.querySelector('a') ? li.querySelector('a').getAttribute('href') : null]);")
        .await;
    assert_eq!(
        shown,
        serde_json::json!([
            ["Email", format!("mailto:{}", me.email)],
            ["Phone", format!("tel:{phone}")],
            ["SMS", format!("sms:{phone}")],
            ["Push", null]
        ])
    );

    // Someone with no contact methods at all.
    let last = fake
        .with_data(|d| d.users.last().map(|u| u.id.clone()))
        .expect("users");
    browser.goto(&fake.view(&Route::User(last))).await;
    browser
        .wait_for_text(
            "#reach-heading + *",
            "no contact methods in PagerDuty that you can see",
        )
        .await;

    // A role that may not see other people's contact methods: a sentence, and the rest works.
    fake.set_faults(Faults {
        contact_methods_forbidden: true,
        ..Faults::default()
    });
    let other = fake.with_data(|d| d.users[1].clone());
    browser
        .goto(&fake.view(&Route::User(other.id.clone())))
        .await;
    browser
        .wait_for_text(
            "#reach-heading + *",
            "does not let your account see this person's contact methods",
        )
        .await;
    browser.wait_for_text("#person-heading", &other.name).await;
    assert_eq!(browser.count(".error").await, 0, "not an error panel");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_feed_and_a_schedules_feed_can_be_subscribed_to_and_stay_out_of_the_address() {
    let (fake, browser) = signed_in().await;
    let href = "return document.querySelector('a.calendar') && document.querySelector('a.calendar').getAttribute('href');";
    // My on-call: my own feed, as webcal:// so the calendar app subscribes.
    let me = fake.with_data(|d| d.users[0].id.clone());
    browser.wait_for("a.calendar").await;
    assert_eq!(
        browser.execute(href).await,
        serde_json::json!(fake_pagerduty::api::feed("users", &me).0)
    );
    // A schedule's feed on its view.
    browser
        .goto(&fake.view(&Route::Schedule("PS00000".into())))
        .await;
    browser.wait_for(".timeline .final .shift").await;
    assert_eq!(
        browser.execute(href).await,
        serde_json::json!(fake_pagerduty::api::feed("schedules", "PS00000").0)
    );
    // Someone else's profile carries no feed of theirs.
    let other = fake.with_data(|d| d.users[1].id.clone());
    browser.goto(&fake.view(&Route::User(other))).await;
    browser.wait_for("ul.reach li").await;
    assert_eq!(browser.execute(href).await, serde_json::Value::Null);
    // The feeds are credentials: never in the page's own address, title or storage.
    let kept = browser
        .execute("return location.href + document.title + JSON.stringify(Object.assign({}, sessionStorage)) + JSON.stringify(Object.assign({}, localStorage));")
        .await;
    assert!(!kept.to_string().contains("f33d5ecret"), "{kept}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dense_timeline_draws_runs_and_lists_every_shift_a_slice_at_a_time() {
    // One-minute turns: 1,440 shifts a day, each far narrower than a pixel.
    let (fake, browser) = signed_in_with(one_minute_turns()).await;
    browser
        .goto(&fake.app("/schedule?id=PSDENSE&span=day&tz=UTC"))
        .await;
    // Read in one step: the view is drawn again at every handover, each minute here.
    browser.wait_for(".timeline .final .shift.many").await;
    let label = browser
        .execute("const run = document.querySelector('.timeline .final .shift.many'); return run ? run.getAttribute('aria-label') : '';")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        label.contains("shifts") && label.contains("too short"),
        "{label}"
    );
    assert!(
        browser.count(".timeline .final .shift").await < 20,
        "drawn as runs, not 1,440 slivers"
    );
    // The list has every shift, drawn when opened, more than one slice.
    let rows = ".shift-table tbody tr";
    assert_eq!(browser.count(rows).await, 0, "nothing drawn until opened");
    browser
        .execute("document.querySelector('.shift-table').open = true;")
        .await;
    eventually(async || browser.count(rows).await == 1440, "all 1,440 rows").await;
    // Drawn again in place for another zone (no page load): the same number, none left over.
    // (Its rows may read the same: one-minute turns from local midnight read 00:00, 00:01…
    // in every zone, and the dates agree for part of each day. Each drawing is numbered.)
    let drawing = "const d = document.querySelector('.shift-table'); if (d && !d.open) d.open = true; const l = document.querySelector('.shift-table [data-drawing]'); return l && l.querySelector('tr') ? l.getAttribute('data-drawing') : '';";
    let utc = browser.execute(drawing).await;
    browser
        .execute("const i = document.querySelector('#zone-input'); i.value = 'Asia/Tokyo'; i.dispatchEvent(new Event('change'));")
        .await;
    eventually(
        async || {
            let now = browser.execute(drawing).await;
            now.as_str().is_some_and(|t| !t.is_empty()) && now != utc
        },
        "the list drawn for Tokyo",
    )
    .await;
    assert!(browser.url().await.contains("tz=Asia%2FTokyo"));
    eventually(
        async || browser.count(rows).await == 1440,
        "all 1,440 rows again",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(browser.count(rows).await, 1440);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layered_schedule_is_asked_of_the_v3_api_once_per_page() {
    // PagerDuty answers 400 from the v3 API for a layered schedule: the page remembers, so
    // the next load (here: the next day) asks the layered API alone.
    let (fake, browser) = signed_in().await;
    browser
        .goto(&fake.app("/schedule?id=PS00003&span=day"))
        .await;
    browser.wait_for(".timeline .final .shift").await;
    let layered = |log: &[String]| {
        log.iter()
            .filter(|r| r.starts_with("/schedules/PS00003?"))
            .count()
    };
    let first = layered(&fake.api_log());
    browser.click_button("Next").await;
    eventually(
        async || layered(&fake.api_log()) > first,
        "the next day is loaded",
    )
    .await;
    browser.wait_for(".timeline .final .shift").await;
    let v3 = fake
        .api_log()
        .iter()
        .filter(|r| r.starts_with("/v3/schedules/PS00003"))
        .count();
    assert_eq!(v3, 1, "one refused v3 request, not one per load");
}
