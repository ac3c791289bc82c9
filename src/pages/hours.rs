//! On-call hours: for a team (`?team=`) or some schedules (`?schedules=A,B`), over a period
//! (`?from=&to=`, both days included; last calendar month by default), one row per person with
//! their hours on call, sorted into working hours, nights and weekends in their own time zone
//! (`?work=09:00-18:00&night=22:00-07:00`), a bar of the three, and a CSV file of it all.

use crate::browser::now_ms;
use crate::browser::zone::{BrowserZone, Style};
use crate::client::account::{self, Rota};
use crate::client::clock::use_clock;
use crate::client::resource;
use crate::components::link::{PersonLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::components::team_choice::{chosen_team, TeamChoice};
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::types::Reference;
use oncall_core::hours::{self, Row, Rules, Tally};
use oncall_core::routes::{self, with_param, Route};
use oncall_core::shifts::Shift;
use oncall_core::time::{self, date_param, local, Cached, Window};
use std::collections::HashMap;

#[component]
pub fn HoursPage() -> impl IntoView {
    let nav = use_nav();
    let zone = use_zone();
    let clock = use_clock();
    let team = chosen_team();
    let schedules = Memo::new(move |_| routes::id_list(&nav.query(), "schedules").0);
    let rules = Memo::new(move |_| Rules::from_query(&nav.query()));
    // The period, and why the address's could not be used as it was.
    let period =
        Memo::new(move |_| hours::period(&zone.get(), &nav.query(), clock.epoch_untracked()));
    let counted = resource(move |c| {
        let (team, ids, (window, _)) = (team.get(), schedules.get(), period.get());
        let (rules, shown) = (rules.get(), zone.get());
        async move {
            if team.is_empty() && ids.is_empty() {
                return Ok(None);
            }
            let rota = account::rota(&c, &team, &ids, window).await?;
            Ok(Some(count(rota, window, &rules, &shown).await))
        }
    });
    // The period's first and last day as the date inputs show them.
    let day_value = move |at: time::Millis| date_param(local(&zone.get(), at));
    let first_day = move || day_value(period.get().0.start);
    let last_day = move || day_value(time::add_days(&zone.get(), period.get().0.end, -1));
    // Changing one end writes both, so the address always names a whole period.
    let set = move |name: &'static str, value: String| {
        if value.is_empty() {
            return;
        }
        let (from, to) = match name {
            "from" => (value, last_day()),
            _ => (first_day(), value),
        };
        let query = with_param(&nav.query_untracked(), "from", Some(&from));
        nav.set_query(with_param(&query, "to", Some(&to)), false);
    };
    view! {
        <section class="panel" aria-labelledby="hours-heading">
            <h1 id="hours-heading">"On-call hours"</h1>
            <div class="filters">
                {move || schedules.with(Vec::is_empty).then(|| view! { <TeamChoice none="Choose a team" /> })}
                <label>"From " <input type="date" prop:value=first_day on:change=move |ev| set("from", event_target_value(&ev)) /></label>
                <label>"To " <input type="date" prop:value=last_day on:change=move |ev| set("to", event_target_value(&ev)) /></label>
            </div>
            {move || period.get().1.map(|why| view! { <p class="notice" role="status">{why}</p> })}
            <p class="muted rules">{move || {
                let r = rules.get();
                format!(
                    "Working hours {} Monday to Friday, nights {}, weekends all of Saturday and Sunday, each in the person's own time zone (set them in the address: ?work={}&night={}).",
                    r.working.param(), r.night.param(), r.working.param(), r.night.param()
                )
            }}</p>
            <Loaded
                resource=counted
                label="the schedules and their people"
                render={move |counted: Option<Counted>| match counted {
                    None => view! { <p class="empty">"Choose a team, or link to schedules with ?schedules=ID,ID."</p> }.into_any(),
                    Some(counted) => view! { <Table counted period=period.get_untracked().0 rules=rules.get_untracked() /> }.into_any(),
                }}
            />
        </section>
    }
}

/// The counted hours, and what they were counted from.
#[derive(Clone, Debug, PartialEq)]
struct Counted {
    rows: Vec<Row>,
    /// The schedules counted: ID and name.
    schedules: Vec<(String, String)>,
    /// Schedules that could not be read, and why.
    failed: Vec<(Reference, String)>,
}

/// Every person's tally, most hours first. A month of a busy rotation is thousands of shifts
/// a person: the page is given back to the browser every few milliseconds, so it keeps
/// answering while it counts (a hidden tab counts in one go).
async fn count(rota: Rota, period: Window, rules: &Rules, shown: &BrowserZone) -> Counted {
    let mut theirs: HashMap<&str, Vec<(usize, &Shift)>> = HashMap::new();
    for (i, schedule) in rota.schedules.iter().enumerate() {
        for shift in &schedule.final_shifts {
            if let Some(id) = shift.person.user_id() {
                theirs.entry(id).or_default().push((i, shift));
            }
        }
    }
    let mut rows: Vec<Row> = vec![];
    let mut since = now_ms();
    for (id, shifts) in theirs {
        let user = rota.people.get(id);
        let zone = user
            .and_then(|u| u.time_zone.as_deref())
            .and_then(BrowserZone::new)
            .unwrap_or_else(|| shown.clone());
        let name = user
            .map(|u| u.display_name().to_string())
            .or_else(|| shifts.first().map(|(_, s)| s.person.name().to_string()))
            .unwrap_or_default();
        let cached = Cached::new(zone.clone());
        let (mut tally, stretches) = hours::stretches(period, &shifts);
        for stretch in stretches {
            hours::add(&mut tally, &cached, rules, stretch);
            if now_ms() - since >= crate::browser::paint::BUDGET_MS && !document().hidden() {
                crate::browser::sleep(0).await;
                since = now_ms();
            }
        }
        if tally.total > 0 {
            rows.push(Row {
                id: id.to_string(),
                name,
                email: user.map(|u| u.email.clone()).unwrap_or_default(),
                tally,
                zone: zone.name().to_string(),
            });
        }
    }
    hours::sort(&mut rows);
    Counted {
        rows,
        schedules: rota
            .schedules
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        failed: rota.failed.clone(),
    }
}

#[component]
fn Table(counted: Counted, period: Window, rules: Rules) -> impl IntoView {
    let zone = use_zone().get_untracked();
    let rows = counted.rows;
    crate::browser::mark_painted("hours");
    let last_day = time::add_days(&zone, period.end, -1);
    let title = format!(
        "{} – {} ({})",
        zone.format(period.start, Style::Day),
        zone.format(last_day, Style::Day),
        zone.name()
    );
    let failed = counted.failed;
    let download_problem = RwSignal::new(None::<String>);
    let file = {
        let rows = rows.clone();
        let name = format!(
            "on-call-hours-{}-to-{}.csv",
            date_param(local(&zone, period.start)),
            date_param(local(&zone, last_day))
        );
        let (start, end) = (iso(&zone, period.start), iso(&zone, period.end));
        move |_| {
            let text = hours::csv(&rows, &start, &end, &rules);
            download_problem
                .set(crate::browser::download(&name, "text/csv;charset=utf-8", &text).err());
        }
    };
    let widest = rows.iter().map(|r| r.tally.total).max().unwrap_or(0).max(1);
    let schedules = counted
        .schedules
        .into_iter()
        .map(
            |(id, name)| view! { <li><RouteLink route=Route::Schedule(id)>{name}</RouteLink></li> },
        )
        .collect_view();
    view! {
        <p class="window-title">{title}</p>
        <div class="schedules-counted"><span class="muted">"Schedules: "</span><ul class="plain inline">{schedules}</ul></div>
        {(!failed.is_empty()).then(|| view! {
            <p class="error" role="alert">{failed.into_iter().map(|(r, why)| format!("{} could not be read: {why} ", r.summary)).collect::<String>()}</p>
        })}
        {if rows.is_empty() {
            view! { <p class="empty">"Nobody was on call on these schedules in this period."</p> }.into_any()
        } else {
            view! {
                <p><button class="secondary" on:click=file>"Download CSV"</button></p>
                {move || download_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                <ul class="plain hours">{rows.into_iter().map(|r| person(r, widest)).collect_view()}</ul>
                <p class="legend muted">
                    <span class="key working"></span>"working " <span class="key night"></span>"night " <span class="key weekend"></span>"weekend " <span class="key other"></span>"other"
                </p>
            }.into_any()
        }}
    }
}

/// An instant as ISO 8601 with the zone's offset, for the file: `2026-11-01T00:00:00+01:00`.
fn iso(zone: &BrowserZone, at: time::Millis) -> String {
    use oncall_core::time::Zone;
    let offset = zone.offset(at) / time::MINUTE;
    let c = local(zone, at);
    format!(
        "{}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        date_param(c),
        c.hour,
        c.minute,
        c.second,
        if offset < 0 { '-' } else { '+' },
        offset.abs() / 60,
        offset.abs() % 60
    )
}

/// One person: their hours, a bar of the kinds, and the figures behind it.
fn person(row: Row, widest: time::Millis) -> impl IntoView {
    let t: Tally = row.tally;
    let h = hours::hours_text;
    let share = |part: time::Millis| format!("{:.3}%", part as f64 * 100.0 / widest as f64);
    view! {
        <li class="person-hours">
            <div class="who">
                <PersonLink id=row.id name=row.name />
                <span class="total">{format!("{} h", h(t.total))}</span>
            </div>
            <div class="bar" role="img" aria-label=format!("{} working, {} night, {} weekend, {} other hours", h(t.working), h(t.night), h(t.weekend), h(t.other))>
                <span class="working" style:width=share(t.working)></span>
                <span class="night" style:width=share(t.night)></span>
                <span class="weekend" style:width=share(t.weekend)></span>
                <span class="other" style:width=share(t.other)></span>
            </div>
            <p class="figures muted">
                {format!(
                    "Working {} · night {} · weekend {} · other {} · {} shift{} · longest {} h{} · {}",
                    h(t.working), h(t.night), h(t.weekend), h(t.other), t.shifts,
                    if t.shifts == 1 { "" } else { "s" },
                    h(t.longest),
                    if t.overlap > 0 { format!(" · {} h on two schedules at once, counted once", h(t.overlap)) } else { String::new() },
                    row.zone,
                )}
            </p>
        </li>
    }
}
