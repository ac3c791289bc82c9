//! One person: how to reach them, and what they are on call for over the next two weeks.

use crate::browser::zone::Style;
use crate::client::clock::{use_clock, wake_at_next_change};
use crate::client::resource;
use crate::components::link::{PagerDutyLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::types::{OnCall, Reference, User};
use oncall_core::api::{endpoints, ApiError};
use oncall_core::contact::Reach;
use oncall_core::cover::{CoverLink, Writes};
use oncall_core::oncalls;
use oncall_core::routes::Route;
use oncall_core::shifts::{self, Shift};
use oncall_core::text::mailto;
use oncall_core::time::{Window, DAY};

const DAYS: i64 = 14;

#[component]
pub fn UserPage() -> impl IntoView {
    let nav = use_nav();
    let id = nav.id();
    let clock = use_clock();
    let person = resource(move |c| {
        let (id, start) = (id.get(), clock.epoch());
        let horizon = Window {
            start,
            end: start + DAYS * DAY,
        };
        async move {
            // Checks the ID too, before it goes into the query of the second request.
            let user = endpoints::user(&id)?;
            let (user, oncalls) = futures::future::join(
                c.get(&user),
                c.all(&endpoints::user_oncalls(&id, horizon), None),
            )
            .await;
            Ok((user?.user, oncalls?.items, horizon))
        }
    });
    // Their contact methods load beside their shifts, in a panel of their own: what the
    // signed-in user may not see (403) is a sentence there, and the rest of the page works.
    let reach = resource(move |c| {
        let id = id.get();
        clock.renewing();
        async move {
            match c.get(&endpoints::user_contact_methods(&id)?).await {
                Ok(envelope) => Ok(Some(
                    envelope.contact_methods.iter().map(Reach::from).collect(),
                )),
                Err(ApiError::Forbidden(_)) => Ok(None),
                Err(error) => Err(error),
            }
        }
    });
    view! {
        <section class="panel" aria-labelledby="person-heading">
            <Loaded resource=person label="this person's shifts" render={move |(user, oncalls, horizon): (User, Vec<OnCall>, Window)| view! { <Person user oncalls horizon /> }} />
        </section>
        <section class="panel" aria-labelledby="reach-heading">
            <h2 id="reach-heading">"How to reach them"</h2>
            <Loaded resource=reach label="their contact methods" render=contact_methods />
        </section>
    }
}

/// The ways to reach a person, each a link where one can be made; `None`: PagerDuty does not
/// let the signed-in user see them.
fn contact_methods(methods: Option<Vec<Reach>>) -> AnyView {
    match methods {
        None => view! {
            <p class="empty">"PagerDuty does not let your account see this person's contact methods. Their email and PagerDuty profile are above; a PagerDuty admin can show you more."</p>
        }
        .into_any(),
        Some(methods) if methods.is_empty() => view! {
            <p class="empty">"This person has no contact methods in PagerDuty that you can see."</p>
        }
        .into_any(),
        Some(methods) => view! {
            <ul class="plain reach">
                {methods
                    .into_iter()
                    .map(|m| {
                        let shown = match m.href {
                            Some(href) => view! { <a href=href>{m.shown}</a> }.into_any(),
                            None => view! { <span>{m.shown}</span> }.into_any(),
                        };
                        view! {
                            <li>
                                <span class="kind">{m.kind}</span>
                                " "
                                {shown}
                                {(!m.label.is_empty()).then(|| view! { <span class="muted">{format!(" · {}", m.label)}</span> })}
                                {m.blocked.then(|| view! { <span class="muted">" · PagerDuty no longer sends to it"</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
}

#[component]
fn Person(user: User, oncalls: Vec<OnCall>, horizon: Window) -> impl IntoView {
    let zone = use_zone();
    let shifts = oncalls::distinct_shifts(&oncalls);
    let clock = use_clock();
    let known = shifts.clone();
    wake_at_next_change(move |now| shifts::next_change(known.iter().map(|(s, _)| s), now));
    let status = {
        let shifts = shifts.clone();
        move || {
            let now = clock.now();
            let now_for: Vec<&str> = shifts
                .iter()
                .filter(|(s, _)| s.covers(now))
                .filter_map(|(_, r)| r.as_ref().map(|r| r.summary.as_str()))
                .collect();
            if now_for.is_empty() {
                "Not on call right now.".to_string()
            } else {
                format!("On call now for {}.", now_for.join(", "))
            }
        }
    };
    // With write access, each shift to come links to taking it (or asking for cover, on one's
    // own page: "mine" as the ID token says; the cover view asks PagerDuty).
    let user_id = user.id.clone();
    let taking = crate::auth::use_auth()
        .filter(|a| a.writes() == Writes::Allowed)
        .map(|a| {
            let mine = a.session().and_then(|s| s.user_id).as_deref() == Some(user.id.as_str());
            (use_nav(), mine)
        });
    view! {
        <h1 id="person-heading">{user.display_name().to_string()}</h1>
        <p class="muted">
            {user.job_title.clone().map(|t| format!("{t} · "))}
            {user.time_zone.clone().map(|t| format!("Time zone: {t} · "))}
            {mailto(&user.email).map(|href| view! { <a href=href>{user.email.clone()}</a> })}
            " " <PagerDutyLink url=user.html_url.clone()>"PagerDuty profile"</PagerDutyLink>
        </p>
        <p class="status" role="status">{status}</p>
        <h2>{format!("Shifts in the next {DAYS} days")}</h2>
        {move || {
            // Follows the zone: it may change once the user's own zone is known.
            let z = zone.get();
            // Each part of a day carries its whole shift, which is what a cover link asks for.
            let tagged: Vec<(Shift, (Option<Reference>, Shift))> =
                shifts.iter().map(|(s, r)| (s.clone(), (r.clone(), s.clone()))).collect();
            let days = shifts::by_day(&z, &tagged, horizon);
            if days.is_empty() {
            view! { <p class="empty">"No shifts in the next two weeks (schedules outside escalation policies are not listed here)."</p> }.into_any()
        } else {
            view! {
                <ol class="days">
                    {days.into_iter().map(|(day, on_day)| view! {
                        <li>
                            <h3 class="day-heading">{z.format(day.start, Style::LongDay)}</h3>
                            <ul class="day-shifts">
                                {on_day.into_iter().map(|(s, (r, whole))| {
                                    let take = taking.zip(r.as_ref()).zip(whole.end).filter(|_| whole.end_or_max() > clock.now_untracked()).map(|(((nav, mine), r), end)| {
                                        let link = CoverLink { schedule: r.id.clone(), start: whole.start, end, for_user: Some(user_id.clone()) };
                                        view! { <a class="action" href=nav.href(&link.href())>{if mine { "Ask for cover" } else { "Take" }}</a> }
                                    });
                                    view! {
                                        <li>
                                            <span class="hours">{format!("{} – {}", z.format(s.start, Style::Time), z.format(s.end_or_max(), Style::Time))}</span>
                                            {r.map(|r| view! { <RouteLink route=Route::Schedule(r.id.clone())>{r.summary.clone()}</RouteLink> })}
                                            {take}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }
        }}
    }
}
