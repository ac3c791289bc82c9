//! One schedule as a timeline, for a day, a week or two weeks, in the chosen time zone.

use crate::browser::zone::{BrowserZone, Style};
use crate::client::clock::{use_clock, wake_at_next_change};
use crate::client::{loads, resource};
use crate::components::link::{PagerDutyLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::components::timeline_view::TimelineView;
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::routes::{with_param, Route};
use oncall_core::shifts;
use oncall_core::time::{
    self, date_param, from_local, local, parse_date_param, Millis, Span, Window,
};
use oncall_core::timeline::Timeline;
use std::sync::Arc;

#[component]
pub fn SchedulePage() -> impl IntoView {
    let nav = use_nav();
    let zone = use_zone();
    let clock = use_clock();
    let span = Memo::new(move |_| {
        nav.param("span")
            .and_then(|s| Span::parse(&s))
            .unwrap_or(Span::Week)
    });
    let window = Memo::new(move |_| {
        let zone = zone.get();
        let anchor = nav
            .param("start")
            .and_then(|s| parse_date_param(&s))
            .map(|civil| from_local(&zone, civil))
            // Without a date: the present, which moves on with the page (a day view on a wall
            // turns to the next day at midnight).
            .unwrap_or_else(|| clock.epoch());
        span.get().window(&zone, anchor)
    });
    let id = nav.id();
    let timeline = resource(move |c| {
        let (id, window) = (id.get(), window.get());
        clock.renewing();
        // Shared, not copied, by every view of it: two weeks can be 100,000 shifts.
        async move { loads::timeline(&c, &id, window).await.map(Arc::new) }
    });

    view! {
        <nav class="crumbs"><RouteLink route=Route::Schedules>"← All schedules"</RouteLink></nav>
        <section class="panel" aria-labelledby="schedule-heading">
            <Loaded
                resource=timeline
                label="the schedule"
                render={move |t: Arc<Timeline>| view! {
                    <ScheduleBody timeline=t window=window.get_untracked() zone=zone.get_untracked() now=clock.now_untracked()>
                        <WindowControls span window zone />
                    </ScheduleBody>
                }}
            />
        </section>
    }
}

#[component]
fn ScheduleBody(
    timeline: Arc<Timeline>,
    window: Window,
    zone: BrowserZone,
    now: Millis,
    children: Children,
) -> impl IntoView {
    // "On call now" follows the clock across handovers; the timeline keeps its "now" marker.
    let clock = use_clock();
    let known = timeline.clone();
    wake_at_next_change(move |now| shifts::next_change(&known.final_shifts, now));
    let shown = timeline.clone();
    let status = move || {
        let now = clock.now();
        let current = shifts::on_call_at(&shown.final_shifts, now);
        let names: Vec<&str> = current.iter().map(|s| s.person.name()).collect();
        window.contains(now).then(|| view! {
            <p class="status" role="status">
                {if names.is_empty() { "Nobody is on call right now.".to_string() } else { format!("On call now: {}", names.join(", ")) }}
            </p>
        })
    };
    let gaps = shifts::gaps(&timeline.final_shifts, window);
    let gap_count = gaps.len();
    view! {
        <header class="schedule-header">
            <h1 id="schedule-heading">{timeline.name.clone()}</h1>
            {timeline.shift_based.then(|| view! { <span class="badge">"shift-based"</span> })}
            <p class="muted">
                {timeline.description.clone()}
                {timeline.time_zone.clone().map(|z| format!(" · Schedule time zone: {z}"))}
            </p>
            <p class="links">
                <PagerDutyLink url=timeline.html_url.clone()>"Open in PagerDuty"</PagerDutyLink>
                {timeline.calendar_url.clone().map(|feed| view! { <a class="calendar" href=feed rel="noreferrer">"Subscribe in your calendar"</a> })}
            </p>
            {status}
            {crate::auth::use_auth().and_then(|a| a.writes().why_not()).map(|why| view! { <p class="muted quiet-line">{why}</p> })}
            {(gap_count > 0).then(|| view! { <p class="notice">{format!("{gap_count} gap{} in coverage in this window (hatched).", if gap_count == 1 { "" } else { "s" })}</p> })}
            {(timeline.unreadable > 0).then(|| view! {
                <p class="notice">{format!("{} shift(s) from PagerDuty had unreadable times and are not shown.", timeline.unreadable)}</p>
            })}
        </header>
        {children()}
        <TimelineView timeline window zone now gaps />
    }
}

/// Span choice, previous/next and "today", all kept in the URL so a link shows the same view.
#[component]
fn WindowControls(
    span: Memo<Span>,
    window: Memo<Window>,
    zone: Memo<BrowserZone>,
) -> impl IntoView {
    let nav = use_nav();
    let go = move |query: String| nav.set_query(query, false);
    let go_to = move |start: Option<Millis>| {
        let zone = zone.get_untracked();
        let date = start.map(|s| date_param(local(&zone, s)));
        go(with_param(&nav.query_untracked(), "start", date.as_deref()));
    };
    let step = move |steps: i64| {
        let zone = zone.get_untracked();
        go_to(Some(
            span.get_untracked()
                .step(&zone, window.get_untracked(), steps)
                .start,
        ));
    };
    let choose_span = move |value: String| {
        if let Some(span) = Span::parse(&value) {
            go(with_param(
                &nav.query_untracked(),
                "span",
                Some(span.as_str()),
            ));
        }
    };
    let title = move || {
        let (zone, w) = (zone.get(), window.get());
        let last = time::add_days(&zone, w.end, -1);
        if span.get() == Span::Day {
            zone.format(w.start, Style::LongDay)
        } else {
            format!(
                "{} – {}",
                zone.format(w.start, Style::Day),
                zone.format(last, Style::Day)
            )
        }
    };
    view! {
        <nav class="window-controls" aria-label="Time window">
            <div class="buttons">
                <button class="secondary" on:click=move |_| step(-1) aria-label="Previous">"‹ Previous"</button>
                <button class="secondary" on:click=move |_| go_to(None)>"Today"</button>
                <button class="secondary" on:click=move |_| step(1) aria-label="Next">"Next ›"</button>
                <label class="visually-hidden" for="span-select">"Show"</label>
                <select id="span-select" on:change=move |ev| choose_span(event_target_value(&ev)) prop:value=move || span.get().as_str()>
                    <option value="day">"Day"</option>
                    <option value="week">"Week"</option>
                    <option value="2weeks">"Two weeks"</option>
                </select>
            </div>
            <p class="window-title" aria-live="polite">{title}</p>
        </nav>
    }
}
