//! End to end: cover me. Taking a shift from a schedule's timeline (once, however often the
//! button is pressed) and undoing it; asking for cover with a link that a second person opens
//! in a second browser; a Stakeholder's refusal; a lost answer that PagerDuty stored; overrides
//! that changed while the page was open; and read access, which offers nothing and says why.
//! Every check of what changed is made on the fake's own data, not on what the page says.

use fake_pagerduty::data::{Override, STAKEHOLDER};
use fake_pagerduty::state::Faults;
use oncall_core::cover::CoverLink;
use oncall_e2e::{coming_shift, signed_in, signed_in_with, write_access, Browser, Fake};

/// "Platform Secondary": layered, weekly turns, the demo user not always on it.
const SECONDARY: usize = 1;

/// The overrides on schedule `s` by user number `user`, as the fake holds them.
fn overrides(fake: &Fake, s: usize, user: usize) -> Vec<Override> {
    fake.with_data(|d| {
        d.schedules[s]
            .overrides
            .iter()
            .filter(|o| o.user == user)
            .cloned()
            .collect()
    })
}

/// How many overrides user number `user` has on every schedule of the account.
fn all_overrides_of(fake: &Fake, user: usize) -> usize {
    fake.with_data(|d| {
        d.schedules
            .iter()
            .map(|s| s.overrides.iter().filter(|o| o.user == user).count())
            .sum()
    })
}

/// How many of `list` are over exactly `link`'s time.
fn made_for(link: &CoverLink, list: &[Override]) -> usize {
    list.iter()
        .filter(|o| o.start * 1000 == link.start && o.end * 1000 == link.end)
        .count()
}

/// The shift-based schedule ("Incident Commanders"): two rotations on call at once.
fn shift_based(fake: &Fake) -> usize {
    fake.with_data(|d| d.schedules.iter().position(|s| s.v3))
        .expect("a shift-based schedule")
}

/// Opens the list of shifts of `link`'s schedule over the two weeks from the day before it.
async fn open_shift_list(browser: &Browser, fake: &Fake, link: &CoverLink) {
    let day_before = oncall_core::time::format_iso_utc(link.start - 86_400_000);
    browser
        .goto(&fake.app(&format!(
            "/schedule?id={}&span=2weeks&start={}",
            link.schedule,
            &day_before[..10]
        )))
        .await;
    browser.click("details.shift-table summary").await;
}

/// The demo user's name, as the fake has it.
fn demo(fake: &Fake) -> String {
    fake.demo_name()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shift_is_taken_from_the_timeline_once_and_undone() {
    let (fake, browser) = signed_in_with(write_access()).await;
    let link = coming_shift(&fake, SECONDARY, |u| u != 0);
    let owner = fake.with_data(|d| {
        let id = link.for_user.as_deref().unwrap_or_default();
        d.users[d.user_by_id(id).expect("a user")].name.clone()
    });
    // The schedule over the two weeks around the shift: its list offers "Take" for all of it.
    open_shift_list(&browser, &fake, &link).await;
    // (Up to the window's edge, when the shift runs past it.)
    let starting = CoverLink {
        end: link.start + 1,
        ..link.clone()
    }
    .query();
    let starting = starting.split("&end=").next().unwrap_or_default();
    let take = format!("details.shift-table a.action[href*='{starting}&end=']");
    browser.wait_for_text(&take, "Take").await;
    browser.click(&take).await;
    // One confirmation that says exactly what changes.
    browser.wait_for_text(".cover .change", "→ you").await;
    let change = browser.text(".cover .change").await;
    assert!(change.contains(&owner), "{change}");
    assert!(overrides(&fake, SECONDARY, 0).is_empty());
    // Pressed twice in a row (a double click).
    browser
        .execute(
            "const b = [...document.querySelectorAll('button')].find(b => b.textContent.includes('Take this shift')); b.click(); b.click();",
        )
        .await;
    browser
        .wait_for_text(".cover .done", "Done: you are on call for")
        .await;
    // One override, from the shift's start (to its end, or the window's edge).
    let made = overrides(&fake, SECONDARY, 0);
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].start * 1000, link.start);
    // The timeline shows the demo user from then on, without a reload of the page: its final
    // row has a shift of theirs starting when the override does (as the page writes times).
    let done = browser.text(".cover .done").await;
    let from = done
        .split_once("Platform Secondary, ")
        .and_then(|(_, rest)| rest.split_once(" – "))
        .map(|(from, _)| from.to_string())
        .unwrap_or_else(|| panic!("a start time: {done}"));
    browser.click(".cover .schedule-name a").await;
    browser
        .wait_for(&format!(
            "div.row.final a.shift[aria-label^='{}: {from}']",
            demo(&fake)
        ))
        .await;
    // Back on the shift: it is theirs, and they undo it from there.
    browser.back().await;
    browser
        .wait_for_text(".cover .status", "You have taken this shift.")
        .await;
    browser.click_button("Undo").await;
    browser
        .wait_for_text(".cover .done", "Undone: the override is removed.")
        .await;
    assert!(overrides(&fake, SECONDARY, 0).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shift_on_a_shift_based_schedule_is_taken_in_one_place_once_and_undone() {
    let (fake, browser) = signed_in_with(write_access()).await;
    let v3 = shift_based(&fake);
    let link = coming_shift(&fake, v3, |u| u != 0);
    let owner = fake
        .with_data(|d| d.user_by_id(link.for_user.as_deref().unwrap_or_default()))
        .expect("a user");
    let (owner_name, rotation) = fake.with_data(|d| {
        let s = &d.schedules[v3];
        let at = link.start / 1000;
        let a = s
            .computed_assignments(at, at + 1)
            .into_iter()
            .find(|a| a.entry.user == Some(owner))
            .expect("the owner's assignment");
        (d.users[owner].name.clone(), a.rotation)
    });
    // From the schedule's list of shifts: the Take for the owner's shift (another commander is
    // on call at the same time, on the other rotation).
    open_shift_list(&browser, &fake, &link).await;
    let take = format!("details.shift-table a.action[href$='{}']", link.query());
    browser.wait_for_text(&take, "Take").await;
    browser.click(&take).await;
    browser.wait_for_text(".cover .change", "→ you").await;
    let change = browser.text(".cover .change").await;
    assert!(
        change.ends_with(&format!("{owner_name} → you")),
        "only the owner's place: {change}"
    );
    browser.click_button("Take this shift").await;
    browser
        .wait_for_text(".cover .done", "Done: you are on call for")
        .await;
    // One override in the fake, on the owner's rotation, replacing the owner, for the shift.
    let made = overrides(&fake, v3, 0);
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(
        (made[0].start * 1000, made[0].end * 1000),
        (link.start, link.end)
    );
    let slot = made[0].shift.expect("a shift-based override");
    assert_eq!((slot.rotation, slot.overridden), (rotation, Some(owner)));
    // The final schedule has the demo user in the owner's place, and the other commander stays.
    let (on, before) = fake.with_data(|d| {
        let at = link.start / 1000 + 60;
        let now: Vec<Option<usize>> = d.schedules[v3]
            .computed_assignments(at, at + 1)
            .iter()
            .map(|a| a.entry.user)
            .collect();
        (now, d.schedules[v3].layers.len())
    });
    assert!(
        on.contains(&Some(0)) && !on.contains(&Some(owner)),
        "{on:?}"
    );
    assert_eq!(
        on.len(),
        before,
        "every rotation still has its one assignment: {on:?}"
    );
    // Undone from the outcome.
    browser.click_button("Undo").await;
    browser
        .wait_for_text(".cover .done", "Undone: the override is removed.")
        .await;
    assert!(overrides(&fake, v3, 0).is_empty());
    // Taken again twice, never twice over: once with the answer lost after PagerDuty stored the
    // overrides (read back), once over a connection that closes before any answer (Chromium
    // sends the POST again; the page removes the copy).
    for faults in [
        Faults {
            lost_change_answers: 1,
            ..Faults::default()
        },
        Faults {
            dropped_change_connections: 1,
            ..Faults::default()
        },
    ] {
        fake.set_faults(faults);
        browser.click_button("Take this shift").await;
        browser
            .wait_for_text(".cover .done", "Done: you are on call for")
            .await;
        assert_eq!(
            fake.with_faults(|f| (f.lost_change_answers, f.dropped_change_connections)),
            (0, 0),
            "the answer was lost"
        );
        oncall_e2e::eventually(
            async || overrides(&fake, v3, 0).len() == 1,
            "exactly one override on the shift-based schedule",
        )
        .await;
        assert_eq!(made_for(&link, &overrides(&fake, v3, 0)), 1);
        browser.click_button("Undo").await;
        browser
            .wait_for_text(".cover .done", "Undone: the override is removed.")
            .await;
        assert!(overrides(&fake, v3, 0).is_empty());
    }
    // A link for someone who is not on call then: nothing to replace, said, and nothing made.
    let absent = fake.with_data(|d| {
        let on: Vec<usize> = d.schedules[v3]
            .layers
            .iter()
            .flat_map(|l| l.members.iter().flatten().copied())
            .collect();
        (1..d.users.len())
            .find(|u| !on.contains(u))
            .map(|u| d.users[u].id.clone())
            .expect("someone not on the schedule")
    });
    let elsewhere = CoverLink {
        for_user: Some(absent),
        ..link.clone()
    };
    browser.goto(&fake.app(&elsewhere.href())).await;
    browser.click_button("Take this shift").await;
    browser
        .wait_for_text(".cover .error", "is not on call then")
        .await;
    assert!(overrides(&fake, v3, 0).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cover_link_is_taken_by_a_second_person_in_a_second_browser() {
    let (fake, first) = signed_in_with(write_access()).await;
    // The demo user asks for cover for a shift of theirs on a layered schedule.
    let ask = "ul.day-shifts a.action[href*='schedule=PS00000']";
    first.wait_for_text(ask, "Ask for cover").await;
    let href = first
        .execute(&format!(
            "return document.querySelector(\"{ask}\").getAttribute('href');"
        ))
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    first.click(ask).await;
    first
        .wait_for_text(".cover .status", "Send this link")
        .await;
    let sent = first
        .execute("return document.querySelector('#cover-link').value;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        sent.starts_with(&fake.app("/cover?schedule=PS00000&start=")),
        "{sent}"
    );
    first.click_button("Copy a cover link").await;
    first.wait_for_text(".cover-link button", "Copied").await;
    // A second person, in a second browser, opens it: the link survives their sign-in.
    let second = Browser::open().await;
    second.goto(&sent).await;
    second.click_button("Sign in with PagerDuty").await;
    second.approve_as(&fake, 1).await;
    let name = fake.with_data(|d| d.users[1].name.clone());
    second
        .wait_for_text(".cover .change", &format!("{} → you", demo(&fake)))
        .await;
    second.click_button("Take this shift").await;
    second
        .wait_for_text(".cover .done", "Done: you are on call for")
        .await;
    assert_eq!(overrides(&fake, 0, 1).len(), 1);
    // The first person's My on-call, loaded again, no longer has that shift.
    first.goto(&fake.app("/")).await;
    first.wait_for_text(".user-name", &demo(&fake)).await;
    first.wait_for_count(".skeleton", 0).await;
    assert_eq!(
        first
            .count(&format!("ul.day-shifts a.action[href='{href}']"))
            .await,
        0,
        "{href}"
    );
    // Opened again by the first person: taken, by whom, and nothing to click.
    first.goto(&sent).await;
    first
        .wait_for_text(
            ".cover .status",
            &format!("{name} has taken this shift already."),
        )
        .await;
    assert_eq!(first.count(".cover button.primary").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stakeholder_is_told_their_role_does_not_allow_it_and_nothing_is_made() {
    let fake = Fake::start_with(write_access()).await;
    let browser = Browser::open().await;
    browser.sign_in_as(&fake, STAKEHOLDER).await;
    let link = coming_shift(&fake, SECONDARY, |u| u != STAKEHOLDER);
    browser.goto(&fake.app(&link.href())).await;
    browser.click_button("Take this shift").await;
    browser
        .wait_for_text(
            ".cover .error",
            "Your PagerDuty role does not allow you to change Platform Secondary",
        )
        .await;
    assert!(overrides(&fake, SECONDARY, STAKEHOLDER).is_empty());
    // Nothing they did is lost: the shift and its button are still there to try again.
    browser
        .wait_for_text(".cover button.primary", "Take this shift")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_that_was_stored_leaves_exactly_one_override() {
    let (fake, browser) = signed_in_with(write_access()).await;
    let link = coming_shift(&fake, SECONDARY, |u| u != 0);
    browser.goto(&fake.app(&link.href())).await;
    browser.wait_for_text(".cover .change", "→ you").await;
    // Meanwhile someone overrides the first hour in PagerDuty: the page says so before it
    // sends anything.
    let someone = fake.with_data(|d| {
        (2..d.users.len())
            .find(|&u| Some(d.users[u].id.as_str()) != link.for_user.as_deref())
            .expect("another user")
    });
    fake.change_data(|d| {
        d.schedules[SECONDARY].overrides.push(Override {
            id: "QMEANWHILE00001".into(),
            start: link.start / 1000,
            end: link.start / 1000 + 3600,
            user: someone,
            shift: None,
        })
    });
    browser.click_button("Take this shift").await;
    browser
        .wait_for_text(".cover .notice", "changed since the page was drawn")
        .await;
    assert!(overrides(&fake, SECONDARY, 0).is_empty());
    let theirs = fake.with_data(|d| d.users[someone].name.clone());
    browser.wait_for_text(".cover ul.overrides", &theirs).await;
    // Confirmed again, and the answer is lost after PagerDuty stored the override.
    fake.set_faults(Faults {
        lost_change_answers: 1,
        ..Faults::default()
    });
    browser.click_button("Take this shift").await;
    browser
        .wait_for_text(".cover .done", "Done: you are on call for")
        .await;
    assert_eq!(
        fake.with_faults(|f| f.lost_change_answers),
        0,
        "the answer was lost"
    );
    assert_eq!(made_for(&link, &overrides(&fake, SECONDARY, 0)), 1);
    assert_eq!(overrides(&fake, SECONDARY, 0).len(), 1);
    // Undone, and taken again over a connection that closes before any answer: Chromium sends
    // the POST again by itself, and PagerDuty stores a second, identical override. The page
    // finds the copy and removes it.
    browser.click_button("Undo").await;
    browser
        .wait_for_text(".cover .done", "Undone: the override is removed.")
        .await;
    assert!(overrides(&fake, SECONDARY, 0).is_empty());
    fake.set_faults(Faults {
        dropped_change_connections: 1,
        ..Faults::default()
    });
    let sent_before = fake.counters().changes;
    browser.click_button("Take this shift").await;
    browser
        .wait_for_text(".cover .done", "Done: you are on call for")
        .await;
    assert_eq!(fake.with_faults(|f| f.dropped_change_connections), 0);
    oncall_e2e::eventually(
        async || overrides(&fake, SECONDARY, 0).len() == 1,
        "exactly one override after a dropped connection",
    )
    .await;
    assert_eq!(made_for(&link, &overrides(&fake, SECONDARY, 0)), 1);
    eprintln!(
        "changes the fake received for one take over a dropped connection: {}",
        fake.counters().changes - sent_before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_access_offers_no_action_and_says_why() {
    let (fake, browser) = signed_in().await;
    browser
        .wait_for_text(".quiet-line", "needs write access")
        .await;
    assert_eq!(browser.count("a.action").await, 0);
    // A cover link still shows the shift, with nothing to click.
    let link = coming_shift(&fake, SECONDARY, |u| u != 0);
    browser.goto(&fake.app(&link.href())).await;
    browser
        .wait_for_text(".cover .quiet-line", "needs write access")
        .await;
    browser.wait_for_text(".cover .when", "–").await;
    assert_eq!(browser.count(".cover button").await, 0);
    // A link that cannot be read says what is wrong, with a way on.
    browser
        .goto(&fake.app("/cover?schedule=PS00001&start=2026-12-08T17:00:00&end=x"))
        .await;
    browser
        .wait_for_text(
            ".cover .error",
            "start time is not a date and time with a time zone",
        )
        .await;
    browser.wait_for_text(".cover a", "Go to My on-call").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shift_on_a_level_a_persons_page_and_the_list_is_taken_from_there() {
    let (fake, browser) = signed_in_with(write_access()).await;
    // The demo user's overrides (the account has some already).
    let mine = || all_overrides_of(&fake, 0);
    let before = mine();
    // The Platform policy: whoever is on call at a level, through a schedule, can be relieved.
    browser
        .goto(&fake.app("/escalation-policy?id=PE00000"))
        .await;
    browser.wait_for_text("ol.levels a.action", "Take").await;
    browser.click("ol.levels a.action").await;
    browser.wait_for_text(".cover .change", "→ you").await;
    browser.click_button("Take this shift").await;
    browser
        .wait_for_text(".cover .done", "Done: you are on call for")
        .await;
    assert_eq!(mine(), before + 1);
    // A person's page offers their shifts to come.
    let link = coming_shift(&fake, SECONDARY, |u| u != 0);
    let person = link.for_user.clone().unwrap_or_default();
    browser.goto(&fake.app(&format!("/user?id={person}"))).await;
    browser
        .wait_for_text("ul.day-shifts a.action[href*='schedule=PS00001']", "Take")
        .await;
    // And the schedules list, beside whoever is on call now or next.
    browser.goto(&fake.app("/schedules")).await;
    browser.wait_for_text("table a.action", "Take").await;
    browser.click("table a.action").await;
    browser.wait_for_text(".cover .change", "→ you").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cover_is_found_from_my_on_call_for_a_part_of_a_shift() {
    let (fake, browser) = signed_in_with(write_access()).await;
    let ask = "ul.day-shifts a.action[href*='schedule=PS00000']";
    browser.wait_for_text(ask, "Ask for cover").await;
    browser.click(ask).await;
    browser
        .wait_for_text(".find-cover h2", "Or choose who covers it")
        .await;
    // Someone found by name.
    let (id, name) = fake.with_data(|d| (d.users[1].id.clone(), d.users[1].name.clone()));
    let first_name = name.split(' ').next().unwrap_or_default().to_string();
    browser.type_into("#cover-search", &first_name).await;
    browser.click(".search-people button").await;
    browser
        .click(&format!(".find-cover ul.found input[value='{id}']"))
        .await;
    // The first hour of what is left of the shift (when that hour is on one day).
    let from = browser
        .execute("return document.querySelector('.find-cover .part input').value;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    let hour: u32 = from[11..13].parse().expect("an hour");
    let one_hour = hour < 23;
    if one_hour {
        let to = format!("{}{:02}{}", &from[..11], hour + 1, &from[13..]);
        browser
            .execute(&format!(
                "const i = document.querySelectorAll('.find-cover .part input')[1]; i.value = '{to}'; i.dispatchEvent(new Event('input', {{bubbles: true}}));"
            ))
            .await;
    }
    // (By its place: the name may be written in decomposed Unicode, which an XPath match
    // on the button's words does not find.)
    browser
        .wait_for_text(".find-cover button.primary", &format!("Give it to {name}"))
        .await;
    browser.click(".find-cover button.primary").await;
    browser
        .wait_for_text(
            ".cover .done",
            &format!("Done: {name} is on call for Platform Primary"),
        )
        .await;
    let made = overrides(&fake, 0, 1);
    assert_eq!(made.len(), 1, "{made:?}");
    if one_hour {
        assert_eq!(made[0].end - made[0].start, 3600);
    }
    // A part that ends before it starts is refused in words, before anything is sent. (The
    // form is drawn afresh after a change; the person just chosen is now on the schedule.)
    browser
        .click(&format!(".find-cover ul.people input[value='{id}']"))
        .await;
    browser
        .execute(
            "const i = document.querySelectorAll('.find-cover .part input')[1]; i.value = '2001-01-01T00:00'; i.dispatchEvent(new Event('input', {bubbles: true}));",
        )
        .await;
    browser.click(".find-cover button.primary").await;
    browser
        .wait_for_text(".find-cover .error", "The end must come after the start.")
        .await;
    assert_eq!(overrides(&fake, 0, 1).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn away_for_a_week_covers_every_shift_and_names_each_that_failed() {
    let (fake, browser) = signed_in_with(write_access()).await;
    // User 1's overrides, across the account (it has some already).
    let theirs = || all_overrides_of(&fake, 1);
    let seeded = theirs();
    browser.click("a[href^='/away']").await;
    browser.wait_for("ul.away-plan select").await;
    let schedules = browser.count("ul.away-plan > li").await;
    let shifts = browser.count("ul.away-plan select").await;
    assert!(shifts >= 1, "the demo user has shifts in the coming week");
    // Three schedules or more, the shift-based one among them.
    let v3 = shift_based(&fake);
    let v3_name = fake.with_data(|d| d.schedules[v3].name.clone());
    let plan = browser.text("ul.away-plan").await;
    assert!(
        schedules >= 3 && plan.contains(&v3_name),
        "{schedules}: {plan}"
    );
    // Nobody chosen: said, and nothing sent.
    let sent = fake.counters().changes;
    browser.click(".find-cover button.primary").await;
    browser
        .wait_for_text(".find-cover .error", "Choose who covers all of them")
        .await;
    assert_eq!(fake.counters().changes, sent);
    // One person for all of them, found by name.
    let (id, name) = fake.with_data(|d| (d.users[1].id.clone(), d.users[1].name.clone()));
    let first_name = name.split(' ').next().unwrap_or_default().to_string();
    browser.type_into("#cover-search", &first_name).await;
    browser.click(".search-people button").await;
    browser
        .wait_for(&format!(".find-cover select option[value='{id}']"))
        .await;
    browser
        .execute(&format!(
            "const s = document.querySelector('.find-cover > label select'); s.value = '{id}'; s.dispatchEvent(new Event('change', {{bubbles: true}}));"
        ))
        .await;
    // PagerDuty refuses one item inside its 201.
    fake.set_faults(Faults {
        refused_override_items: 1,
        ..Faults::default()
    });
    browser.click(".find-cover button.primary").await;
    browser
        .wait_for_text(".away-report", "shifts covered.")
        .await;
    let report = browser.text(".away-report").await;
    let covered = report.matches("Covered: ").count();
    let not = report.matches("Not covered: ").count();
    assert_eq!(covered + not, shifts, "{report}");
    // The refusal inside a 201 (a layered schedule's: v3 makes all of a request or none) is
    // named on its one shift.
    assert_eq!(
        report
            .matches("The override could not be saved. Try again.")
            .count(),
        1,
        "{report}"
    );
    assert!(report.contains(&format!("by {name}")), "{report}");
    // Every one covered is an override in the fake; the refused ones are not.
    assert_eq!(theirs() - seeded, covered, "{report}");
    // On the shift-based schedule, each covered shift replaced the demo user, on its rotation.
    let v3_covered = report.matches(&format!("Covered: {v3_name}")).count();
    let v3_made: Vec<_> = overrides(&fake, v3, 1);
    assert!(v3_covered >= 1, "{report}");
    assert_eq!(v3_made.len(), v3_covered, "{report}");
    assert!(v3_made
        .iter()
        .all(|o| o.shift.is_some_and(|s| s.overridden == Some(0))));
    eprintln!("away: {schedules} schedules, {shifts} shifts, {covered} covered:\n{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gap_found_by_coverage_is_taken_from_there() {
    let (fake, browser) = signed_in_with(write_access()).await;
    // Mobile Releases (PS00003) has nobody at night.
    const MOBILE: usize = 3;
    let before = overrides(&fake, MOBILE, 0).len();
    browser.goto(&fake.app("/coverage")).await;
    let gap = "ul.gaps > li:has(a[href*='schedule?id=PS00003'])";
    browser.click(&format!("{gap} summary")).await;
    browser
        .wait_for_text(&format!("{gap} details li a.action"), "Take this shift")
        .await;
    browser.click(&format!("{gap} details li a.action")).await;
    browser
        .wait_for_text(".cover .change", "nobody → you")
        .await;
    browser.click_button("Take this shift").await;
    browser
        .wait_for_text(".cover .done", "Done: you are on call for Mobile Releases")
        .await;
    assert_eq!(overrides(&fake, MOBILE, 0).len(), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_override_is_removed_from_the_schedules_view_of_either_kind() {
    let (fake, browser) = signed_in_with(write_access()).await;
    let demo = demo(&fake);
    for s in [SECONDARY, shift_based(&fake)] {
        let link = coming_shift(&fake, s, |u| u != 0);
        browser.goto(&fake.app(&link.href())).await;
        browser.click_button("Take this shift").await;
        browser
            .wait_for_text(".cover .done", "Done: you are on call for")
            .await;
        assert_eq!(overrides(&fake, s, 0).len(), 1);
        // The schedule over the week of the shift lists it among the overrides one can remove.
        browser.click(".cover .schedule-name a").await;
        browser.wait_for_text(".removable li", &demo).await;
        let mine = browser
            .execute(&format!(
                "return [...document.querySelectorAll('.removable li')].findIndex(li => li.textContent.includes({demo:?}));"
            ))
            .await
            .as_i64()
            .expect("an index");
        browser
            .click(&format!(".removable li:nth-child({}) button", mine + 1))
            .await;
        browser
            .wait_for_text(".done", "Removed: the override is gone.")
            .await;
        assert!(overrides(&fake, s, 0).is_empty());
        // Drawn again without it.
        oncall_e2e::eventually(
            async || {
                browser
                    .execute(&format!(
                        "return [...document.querySelectorAll('.removable li')].filter(li => li.textContent.includes({demo:?})).length;"
                    ))
                    .await
                    .as_u64()
                    == Some(0)
            },
            "the removed override leaves the list",
        )
        .await;
    }
}
