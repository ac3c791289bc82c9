//! One schedule as a timeline, for a day, a week or two weeks, in the chosen time zone.

use crate::browser::zone::{BrowserZone, Style};
use crate::client::clock::{use_clock, wake_at_next_change};
use crate::client::{loads, resource};
use crate::components::link::{PagerDutyLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::components::timeline_view::TimelineView;
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use crate::pages::changes::{self, Target};
use leptos::prelude::*;
use oncall_core::cover::Writes;
use oncall_core::overrides::{self, Override, Removed};
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

    let said = RwSignal::new(None);
    view! {
        <nav class="crumbs"><RouteLink route=Route::Schedules>"← All schedules"</RouteLink></nav>
        <section class="panel" aria-labelledby="schedule-heading">
            <Loaded
                resource=timeline
                label="the schedule"
                render={move |t: Arc<Timeline>| view! {
                    <ScheduleBody timeline=t window=window.get_untracked() zone=zone.get_untracked() now=clock.now_untracked() said>
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
    said: RwSignal<Option<Result<&'static str, String>>>,
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
    let removable = crate::auth::use_auth().is_some_and(|a| a.writes() == Writes::Allowed);
    let target = Target {
        id: timeline.id.clone(),
        name: timeline.name.clone(),
        shift_based: timeline.shift_based,
    };
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
        {removable.then(|| view! { <Removable target window said /> })}
        <TimelineView timeline window zone now gaps />
    }
}

/// With write access: the overrides in the window the person may remove, each with **Remove**,
/// once however often it is pressed; the schedule is read again after. A layered schedule says
/// which they may (`editable=true`); a shift-based one cannot be asked, so it lists those that
/// make them the one on call, not yet ended.
#[component]
fn Removable(
    target: Target,
    window: Window,
    /// What the last removal came to: the page's, since a removal draws this view again.
    said: RwSignal<Option<Result<&'static str, String>>>,
) -> impl IntoView {
    let zone = use_zone();
    let me = crate::client::me::use_me();
    let asked = target.clone();
    let editable = resource(move |c| {
        let target = asked.clone();
        let clock = use_clock();
        clock.renewing();
        async move {
            if !target.shift_based {
                return c
                    .get(&overrides::editable(&target.id, window)?)
                    .await
                    .map(|l| l.overrides);
            }
            let me = match me {
                Some(me) => crate::client::settled(me.0).await?.id,
                None => return Err(oncall_core::api::ApiError::Unauthorized),
            };
            let now = clock.epoch_untracked();
            let all = changes::read(&c, &target, window, false).await?;
            Ok(all
                .into_iter()
                .filter(|o| o.user.id == me)
                .filter(|o| oncall_core::time::parse_iso(&o.end).is_some_and(|end| end > now))
                .collect())
        }
    });
    let client = StoredValue::new_local(crate::client::use_client());
    let busy = RwSignal::new(None::<String>);
    let remove = move |made: Override| {
        let (Some(client), Some(id)) = (client.get_value(), made.id.clone()) else {
            return;
        };
        if busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(id.clone()));
        let target = target.clone();
        leptos::task::spawn_local(async move {
            let outcome = match changes::remove(&client, &target, &id, Some(&made.start)).await {
                Ok(Removed::Deleted) => Ok("Removed: the override is gone."),
                Ok(Removed::CutShort) => {
                    Ok("Removed: the override had begun, so it now ends at this minute.")
                }
                Err(why) => Err(why),
            };
            client.changed(&target.id);
            said.set(Some(outcome));
            busy.set(None);
        });
    };
    let listed = move || {
        let list = editable.get().and_then(Result::ok).unwrap_or_default();
        let z = zone.get();
        let at = |t: &str| {
            oncall_core::time::parse_iso(t)
                .map(|ms| z.format(ms, Style::DayTime))
                .unwrap_or_default()
        };
        (!list.is_empty()).then(|| {
            let remove = remove.clone();
            let items = list
                .into_iter()
                .map(|o| {
                    let text = format!("{} – {}: {}", at(&o.start), at(&o.end), o.user.summary);
                    let (remove, this) = (remove.clone(), o.clone());
                    let mine = o.id.clone();
                    view! {
                        <li>
                            <span>{text}</span>
                            <button class="secondary" on:click=move |_| remove(this.clone())
                                disabled=move || busy.with(|b| b.is_some() && *b == mine)>"Remove"</button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="removable" aria-labelledby="removable-heading">
                    <h2 id="removable-heading">"Overrides you can remove"</h2>
                    <ul class="plain">{items}</ul>
                </section>
            }
        })
    };
    view! {
        {listed}
        {move || said.get().map(|s| match s {
            Ok(done) => view! { <p class="done" role="status">{done}</p> }.into_any(),
            Err(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
        })}
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
