//! My on-call: am I on call now, when next, and every shift of the next 90 days by day.

use crate::api::endpoints;
use crate::api::types::{OnCall, Reference, User};
use crate::auth::use_auth;
use crate::browser::zone::{BrowserZone, Style};
use crate::browser::{download, now_ms};
use crate::client::{resource, settled};
use crate::components::link::RouteLink;
use crate::components::loaded::Loaded;
use crate::components::zone::{use_zone, Me};
use crate::hosts::calendar_feed;
use crate::ics;
use crate::routes::Route;
use crate::shifts::{self, Shift};
use crate::time::{Millis, Window, DAY};
use crate::timeline::oncall_shifts;
use leptos::prelude::*;

/// `/oncalls` looks at most 90 days ahead.
const HORIZON_DAYS: i64 = 90;

#[component]
pub fn HomePage() -> impl IntoView {
    let me = expect_context::<Me>().0;
    let now = now_ms() as Millis;
    let horizon = Window {
        start: now,
        end: now + HORIZON_DAYS * DAY,
    };
    // The ID token named the user, so their shifts and their profile load side by side; only
    // without it must the shifts wait for /users/me.
    let known_id = use_auth().and_then(|a| a.session()).and_then(|s| s.user_id);
    let mine = resource(move |c| {
        let known_id = known_id.clone();
        async move {
            let shifts = |id: String| {
                let c = c.clone();
                async move { c.all(&endpoints::user_oncalls(&id, horizon), None).await }
            };
            let (user, list) = match known_id {
                Some(id) => {
                    let (user, list) = futures::future::join(settled(me), shifts(id)).await;
                    (user?, list?)
                }
                None => {
                    let user = settled(me).await?;
                    let list = shifts(user.id.clone()).await?;
                    (user, list)
                }
            };
            Ok((user, list.items))
        }
    });
    view! {
        <Loaded
            resource=mine
            label="your on-call shifts"
            render={move |(user, oncalls): (User, Vec<OnCall>)| view! { <MyShifts user oncalls now horizon /> }}
        />
    }
}

/// One shift per schedule and time: `/oncalls` repeats a shift for each escalation policy
/// and level it serves.
fn distinct_shifts(oncalls: &[OnCall]) -> Vec<(Shift, Option<Reference>)> {
    let mut shifts = oncall_shifts(oncalls);
    shifts.sort_by(|(a, sa), (b, sb)| {
        (a.start, sa.as_ref().map(|r| &r.id)).cmp(&(b.start, sb.as_ref().map(|r| &r.id)))
    });
    shifts.dedup_by(|(a, sa), (b, sb)| {
        a == b && sa.as_ref().map(|r| &r.id) == sb.as_ref().map(|r| &r.id)
    });
    shifts
}

#[component]
fn MyShifts(user: User, oncalls: Vec<OnCall>, now: Millis, horizon: Window) -> impl IntoView {
    let zone = use_zone();
    let shifts = distinct_shifts(&oncalls);
    let schedule_name = |r: &Option<Reference>| {
        r.as_ref()
            .map_or("an escalation policy".to_string(), |r| r.summary.clone())
    };
    let plain: Vec<Shift> = shifts.iter().map(|(s, _)| s.clone()).collect();
    let status = {
        let current: Vec<(Shift, Option<Reference>)> = shifts
            .iter()
            .filter(|(s, _)| s.covers(now))
            .cloned()
            .collect();
        let next = shifts::next_after(&plain, now).cloned();
        let shifts_now = shifts.clone();
        move || {
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
                format!("You are not on call in the next {HORIZON_DAYS} days.")
            }
        }
    };
    let on_call_now = shifts.iter().any(|(s, _)| s.covers(now));
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
                {user.html_url.clone().filter(|u| u.starts_with("https://")).map(|url| view! {
                    " · " <a href=url target="_blank" rel="noopener noreferrer">"Your PagerDuty profile"</a>
                })}
            </p>
        </section>
        <section class="panel" aria-labelledby="shifts-heading">
            <div class="panel-heading">
                <h2 id="shifts-heading">{format!("Your shifts, next {HORIZON_DAYS} days")}</h2>
                <span class="actions">
                    // Written out here and on the schedule view: as a shared component it cost
                    // more download than twice the markup. A webcal:// feed opens the calendar
                    // app; an https:// one downloads. No referrer: the address is a credential.
                    {feed.map(|feed| view! { <a class="calendar" href=feed rel="noreferrer">"Subscribe in your calendar"</a> })}
                    {has_shifts.then(|| view! { <button class="secondary" on:click=save_ics>"Download .ics"</button> })}
                </span>
            </div>
            {move || download_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {if has_shifts {
                // Follows the zone: it may change once the user's own zone is known.
                let shifts = shifts.clone();
                (move || view! { <DayList shifts=shifts.clone() horizon zone=zone.get() /> }).into_any()
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
) -> impl IntoView {
    crate::browser::mark_painted("my-shifts");
    let days = shifts::by_day(&zone, &shifts, horizon);
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
                                    .map(|(shift, schedule)| {
                                        let hours = format!("{} – {}", zone.format(shift.start, Style::Time), zone.format(shift.end_or_max(), Style::Time));
                                        view! {
                                            <li>
                                                <span class="hours">{hours}</span>
                                                {schedule.map(|r| view! { <RouteLink route=Route::Schedule(r.id.clone())>{r.summary.clone()}</RouteLink> })}
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
