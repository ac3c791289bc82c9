//! What one person is on call for, over the next two weeks.

use crate::api::types::{OnCall, User};
use crate::api::{check_id, endpoints};
use crate::browser::now_ms;
use crate::browser::zone::Style;
use crate::client::resource;
use crate::components::link::{PagerDutyLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use crate::routes::Route;
use crate::shifts;
use crate::text::mailto;
use crate::time::{Millis, Window, DAY};
use crate::timeline::oncall_shifts;
use leptos::prelude::*;

const DAYS: i64 = 14;

#[component]
pub fn UserPage() -> impl IntoView {
    let nav = use_nav();
    let id = Memo::new(move |_| nav.param("id").unwrap_or_default());
    let now = now_ms() as Millis;
    let horizon = Window {
        start: now,
        end: now + DAYS * DAY,
    };
    let person = resource(move |c| {
        let id = id.get();
        async move {
            let id = check_id(&id)?;
            let (user, oncalls) = futures::future::join(
                c.get(&endpoints::user(id)),
                c.all(&endpoints::user_oncalls(id, horizon), None),
            )
            .await;
            Ok((user?.user, oncalls?.items))
        }
    });
    view! {
        <section class="panel" aria-labelledby="person-heading">
            <Loaded resource=person label="this person's shifts" render={move |(user, oncalls): (User, Vec<OnCall>)| view! { <Person user oncalls now horizon /> }} />
        </section>
    }
}

#[component]
fn Person(user: User, oncalls: Vec<OnCall>, now: Millis, horizon: Window) -> impl IntoView {
    let zone = use_zone();
    let mut shifts = oncall_shifts(&oncalls);
    shifts.sort_by(|(a, sa), (b, sb)| {
        (a.start, sa.as_ref().map(|r| &r.id)).cmp(&(b.start, sb.as_ref().map(|r| &r.id)))
    });
    shifts.dedup_by(|(a, sa), (b, sb)| {
        a == b && sa.as_ref().map(|r| &r.id) == sb.as_ref().map(|r| &r.id)
    });
    let now_for: Vec<String> = shifts
        .iter()
        .filter(|(s, _)| s.covers(now))
        .filter_map(|(_, r)| r.as_ref().map(|r| r.summary.clone()))
        .collect();
    view! {
        <h1 id="person-heading">{user.display_name().to_string()}</h1>
        <p class="muted">
            {user.job_title.clone().map(|t| format!("{t} · "))}
            {user.time_zone.clone().map(|t| format!("Time zone: {t} · "))}
            {mailto(&user.email).map(|href| view! { <a href=href>{user.email.clone()}</a> })}
            " " <PagerDutyLink url=user.html_url.clone()>"PagerDuty profile"</PagerDutyLink>
        </p>
        <p class="status" role="status">
            {if now_for.is_empty() { "Not on call right now.".to_string() } else { format!("On call now for {}.", now_for.join(", ")) }}
        </p>
        <h2>{format!("Shifts in the next {DAYS} days")}</h2>
        {move || {
            // Follows the zone: it may change once the user's own zone is known.
            let z = zone.get();
            let days = shifts::by_day(&z, &shifts, horizon);
            if days.is_empty() {
            view! { <p class="empty">"No shifts in the next two weeks (schedules outside escalation policies are not listed here)."</p> }.into_any()
        } else {
            view! {
                <ol class="days">
                    {days.into_iter().map(|(day, on_day)| view! {
                        <li>
                            <h3 class="day-heading">{z.format(day.start, Style::LongDay)}</h3>
                            <ul class="day-shifts">
                                {on_day.into_iter().map(|(s, r)| view! {
                                    <li>
                                        <span class="hours">{format!("{} – {}", z.format(s.start, Style::Time), z.format(s.end_or_max(), Style::Time))}</span>
                                        {r.map(|r| view! { <RouteLink route=Route::Schedule(r.id.clone())>{r.summary.clone()}</RouteLink> })}
                                    </li>
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
