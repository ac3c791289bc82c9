//! My on-call: am I on call now, when next, and every shift of the next 90 days by day.

use crate::auth::use_auth;
use crate::browser::zone::{BrowserZone, Style};
use crate::browser::{download, now_ms};
use crate::client::clock::{use_clock, wake_at_next_change};
use crate::client::loads::{self, MY_HORIZON_DAYS};
use crate::client::me::use_me;
use crate::client::resource;
use crate::components::link::{PagerDutyLink, PersonLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::components::zone::use_zone;
use leptos::prelude::*;
use oncall_core::api::types::{OnCall, Reference, User};
use oncall_core::api::ApiError;
use oncall_core::cover::{CoverLink, Writes};
use oncall_core::hosts::calendar_feed;
use oncall_core::ics;
use oncall_core::levels::{self, OnDuty, YourLevel};
use oncall_core::oncalls;
use oncall_core::routes::Route;
use oncall_core::shifts::{self, Shift};
use oncall_core::time::{Millis, Window};

/// "Your levels" looks at this many policies at most (each costs two requests).
const MAX_POLICIES: usize = 10;

#[component]
pub fn HomePage() -> impl IntoView {
    let me = use_me().map(|m| m.0);
    let clock = use_clock();
    let known_id = use_auth().and_then(|a| a.session()).and_then(|s| s.user_id);
    let mine = resource(move |c| {
        let (known_id, start) = (known_id.clone(), clock.epoch());
        async move {
            let me = me.ok_or(ApiError::Bug("My on-call drawn outside the signed-in page"))?;
            loads::my_shifts(&c, me, known_id, start).await
        }
    });
    view! {
        <Loaded
            resource=mine
            label="your on-call shifts"
            render={move |(user, oncalls, horizon): (User, Vec<OnCall>, Window)| view! {
                <MyShifts user oncalls horizon />
            }}
        />
    }
}

/// Where the person stands in each escalation policy they are on call for now or next: their
/// level, who is notified before them, and who backs them up.
#[component]
fn YourLevels(oncalls: Vec<OnCall>) -> impl IntoView {
    let clock = use_clock();
    let moments: Vec<(Reference, u32, Millis)> =
        levels::your_moments(&oncalls, clock.epoch_untracked())
            .into_iter()
            .take(MAX_POLICIES)
            .collect();
    if moments.is_empty() {
        return ().into_any();
    }
    let zone = use_zone();
    let around = resource(move |c| {
        let moments = moments.clone();
        async move { loads::your_levels(&c, moments).await }
    });
    let names = |people: &[OnDuty]| {
        people
            .iter()
            .map(|p| view! { <PersonLink id=p.id.clone() name=p.name.clone() />" " })
            .collect_view()
    };
    view! {
        <section class="panel" aria-labelledby="levels-heading">
            <h2 id="levels-heading">"Your levels"</h2>
            <Loaded resource=around label="your escalation levels" render={move |yours: Vec<YourLevel>| view! {
                <ul class="plain your-levels">
                    {yours.into_iter().map(|y| {
                        let when = if y.now { "now".to_string() } else { format!("from {}", zone.get().format(y.at, Style::DayTime)) };
                        let above = if y.level == 1 {
                            view! { "nobody: you are notified first" }.into_any()
                        } else if y.above.is_empty() {
                            view! { <span class="nobody-text">"nobody on call (a coverage gap)"</span> }.into_any()
                        } else {
                            names(&y.above).into_any()
                        };
                        let below = match y.below {
                            None => view! { "nobody: yours is the last level" }.into_any(),
                            Some(people) if people.is_empty() => view! { <span class="nobody-text">"nobody on call (a coverage gap)"</span> }.into_any(),
                            Some(people) => names(&people).into_any(),
                        };
                        view! {
                            <li>
                                <RouteLink route=Route::EscalationPolicy(y.policy.id.clone())>{y.policy.summary.clone()}</RouteLink>
                                {format!(": level {}, {when}.", y.level)}
                                <br />"Above you: "{above}
                                <br />"Backing you up: "{below}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }} />
        </section>
    }
    .into_any()
}

#[component]
fn MyShifts(user: User, oncalls: Vec<OnCall>, horizon: Window) -> impl IntoView {
    let zone = use_zone();
    let clock = use_clock();
    let shifts = oncalls::distinct_shifts(&oncalls);
    let your_levels = view! { <YourLevels oncalls=oncalls.clone() /> };
    let schedule_name = |r: &Option<Reference>| {
        r.as_ref()
            .map_or("an escalation policy".to_string(), |r| r.summary.clone())
    };
    let plain: Vec<Shift> = shifts.iter().map(|(s, _)| s.clone()).collect();
    let on_call_now = {
        let shifts = shifts.clone();
        move || shifts.iter().any(|(s, _)| s.covers(clock.now()))
    };
    wake_at_next_change(move |now| levels::next_change(&oncalls, now));
    let status = {
        let shifts_now = shifts.clone();
        move || {
            let now = clock.now();
            let current: Vec<(Shift, Option<Reference>)> = shifts_now
                .iter()
                .filter(|(s, _)| s.covers(now))
                .cloned()
                .collect();
            let next = shifts::next_after(&plain, now).cloned();
            let zone = zone.get();
            if !current.is_empty() {
                let names: Vec<String> = current.iter().map(|(_, r)| schedule_name(r)).collect();
                let until = current
                    .iter()
                    .map(|(s, _)| s.end_or_max())
                    .max()
                    .unwrap_or(Millis::MAX);
                let until = if until == Millis::MAX {
                    "further notice".to_string()
                } else {
                    zone.format(until, Style::DayTime)
                };
                format!(
                    "You are on call now for {}, until {until}.",
                    names.join(", ")
                )
            } else if let Some(next) = &next {
                let what = shifts_now
                    .iter()
                    .find(|(s, _)| s == next)
                    .map(|(_, r)| schedule_name(r))
                    .unwrap_or_default();
                format!(
                    "Your next shift starts {} ({what}).",
                    zone.format(next.start, Style::DayTime)
                )
            } else {
                format!("You are not on call in the next {MY_HORIZON_DAYS} days.")
            }
        }
    };
    // Someone named directly on a policy is on call for good: that is their status above, not
    // a shift to list by day or put in a calendar.
    let shifts: Vec<(Shift, Option<Reference>)> = shifts
        .into_iter()
        .filter(|(s, _)| s.end.is_some())
        .collect();
    let download_problem = RwSignal::new(None::<String>);
    let for_ics = shifts.clone();
    let save_ics = move |_| {
        let events: Vec<ics::Event> = for_ics
            .iter()
            .map(|(shift, schedule)| ics::Event {
                shift,
                title: schedule
                    .as_ref()
                    .map_or("PagerDuty", |r| r.summary.as_str()),
                url: schedule.as_ref().and_then(|r| r.html_url.as_deref()),
                uid: format!(
                    "{}-{}@pagerduty-oncall",
                    schedule.as_ref().map_or("oncall", |r| r.id.as_str()),
                    shift.start
                ),
            })
            .collect();
        let text = ics::calendar(&events, now_ms() as Millis);
        download_problem.set(download("my-on-call-shifts.ics", "text/calendar", &text).err());
    };
    let has_shifts = !shifts.is_empty();
    let writes = use_auth().map_or(Writes::ReadOnlyConfig, |auth| auth.writes());
    let teams = user.teams.clone();
    // Your own feed, which PagerDuty gives you on your profile: subscribing keeps a calendar
    // current, where the .ics file is a copy of today's shifts.
    let feed = calendar_feed(user.web_cal_url.as_deref(), user.http_cal_url.as_deref());
    view! {
        <section class="panel hero" aria-labelledby="me-heading">
            <h1 id="me-heading" class="user-name">{user.display_name().to_string()}</h1>
            <p class="status" class:on-call=on_call_now role="status">{status}</p>
            <p class="muted">
                {user.email.clone()}
                " · " <PagerDutyLink url=user.html_url.clone()>"Your PagerDuty profile"</PagerDutyLink>
            </p>
        </section>
        {your_levels}
        <section class="panel" aria-labelledby="shifts-heading">
            <div class="panel-heading">
                <h2 id="shifts-heading">{format!("Your shifts, next {MY_HORIZON_DAYS} days")}</h2>
                <span class="actions">
                    // Written out here and on the schedule view: as a shared component it cost
                    // more download than twice the markup. A webcal:// feed opens the calendar
                    // app; an https:// one downloads. No referrer: the address is a credential.
                    {feed.map(|feed| view! { <a class="calendar" href=feed rel="noreferrer">"Subscribe in your calendar"</a> })}
                    {has_shifts.then(|| view! { <button class="secondary" on:click=save_ics>"Download .ics"</button> })}
                    {(has_shifts && writes == Writes::Allowed).then(|| view! { <RouteLink route=Route::Away>"I'm away"</RouteLink> })}
                </span>
            </div>
            {move || download_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {has_shifts.then(|| writes.why_not().map(|why| view! { <p class="muted quiet-line">{why}</p> }))}
            {if has_shifts {
                // Follows the zone: it may change once the user's own zone is known.
                let shifts = shifts.clone();
                let me = (writes == Writes::Allowed).then(|| user.id.clone());
                (move || view! { <DayList shifts=shifts.clone() horizon zone=zone.get() me=me.clone() /> }).into_any()
            } else {
                view! {
                    <p class="empty">
                        "You are not on any schedule in the next 90 days. "
                        <RouteLink route=Route::Schedules>"See who is"</RouteLink>"."
                    </p>
                }
                .into_any()
            }}
        </section>
        {(!teams.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="my-teams-heading">
                <h2 id="my-teams-heading">"Your teams"</h2>
                <ul class="chips">
                    {teams.into_iter().map(|t| view! { <li><RouteLink route=Route::Team(t.id.clone())>{t.summary.clone()}</RouteLink></li> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn DayList(
    shifts: Vec<(Shift, Option<Reference>)>,
    horizon: Window,
    zone: BrowserZone,
    /// Who is looking, when the page may change schedules: each shift then offers a cover link.
    me: Option<String>,
) -> impl IntoView {
    crate::browser::mark_painted("my-shifts");
    let nav = crate::navigation::use_nav();
    // Each part of a day carries its whole shift, which is what a cover link asks for.
    let tagged: Vec<(Shift, (Option<Reference>, Shift))> = shifts
        .into_iter()
        .map(|(s, r)| (s.clone(), (r, s)))
        .collect();
    let days = shifts::by_day(&zone, &tagged, horizon);
    view! {
        <ol class="days">
            {days
                .into_iter()
                .map(|(day, on_day)| {
                    view! {
                        <li>
                            <h3 class="day-heading">{zone.format(day.start, Style::LongDay)}</h3>
                            <ul class="day-shifts">
                                {on_day
                                    .into_iter()
                                    .map(|(shift, (schedule, whole))| {
                                        let hours = format!("{} – {}", zone.format(shift.start, Style::Time), zone.format(shift.end_or_max(), Style::Time));
                                        let ask = me.clone().zip(schedule.as_ref()).zip(whole.end).map(|((me, r), end)| {
                                            let link = CoverLink { schedule: r.id.clone(), start: whole.start, end, for_user: Some(me) };
                                            view! { <a class="action" href=nav.href(&link.href())>"Ask for cover"</a> }
                                        });
                                        view! {
                                            <li>
                                                <span class="hours">{hours}</span>
                                                {schedule.map(|r| view! { <RouteLink route=Route::Schedule(r.id.clone())>{r.summary.clone()}</RouteLink> })}
                                                {ask}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
