//! The board: several schedules (`?schedules=A,B,C`, or a team's with `?team=`) on one time
//! axis, the next 24 hours, 3 days or 7 days (`?span=`), one lane per schedule with who is on
//! call now, until when and who is next, each person's nights shaded in their own time zone,
//! and a line at "now". For a wall: `?size=large`, the embed themes, and a "now" that moves on
//! by itself (the page renews every quarter hour, so the data stays current for days).

use crate::browser::zone::{BrowserZone, Style};
use crate::client::account::{self, Rota};
use crate::client::clock::{use_clock, wake_at_next_change};
use crate::client::resource;
use crate::components::link::RouteLink;
use crate::components::loaded::Loaded;
use crate::components::team_choice::{chosen_team, TeamChoice};
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::hours::{self, Rules};
use oncall_core::routes::{self, with_param, Route};
use oncall_core::shifts::{self, Shift};
use oncall_core::time::{Cached, Millis, Window, DAY, HOUR, MINUTE};
use std::collections::HashMap;
use std::sync::Arc;

/// The spans offered: name in the address, length, label, and the distance between ticks.
const SPANS: [(&str, Millis, &str, Millis); 3] = [
    ("24h", DAY, "Next 24 hours", 3 * HOUR),
    ("3d", 3 * DAY, "Next 3 days", 12 * HOUR),
    ("7d", 7 * DAY, "Next 7 days", DAY),
];

/// How often the now line moves on (and the page renews what it shows).
const STEP: Millis = 15 * MINUTE;

/// A shift shorter than this share of the axis is drawn together with its short neighbours.
const NARROWEST: Millis = 300;

#[component]
pub fn BoardPage() -> impl IntoView {
    let nav = use_nav();
    let clock = use_clock();
    let team = chosen_team();
    let zone = use_zone();
    let ids = Memo::new(move |_| routes::id_list(&nav.query(), "schedules"));
    let span = Memo::new(move |_| {
        let asked = nav.param("span").unwrap_or_default();
        SPANS
            .iter()
            .position(|(name, ..)| *name == asked)
            .unwrap_or(0)
    });
    let large = Memo::new(move |_| nav.param("size").as_deref() == Some("large"));
    // From the start of the hour (the now line sits near the left edge), over the span.
    let axis = Memo::new(move |_| {
        let start = clock.epoch() - clock.epoch().rem_euclid(HOUR);
        Window {
            start,
            end: start + SPANS[span.get()].1,
        }
    });
    // The quarter hour the page is in: the data is loaded again when it turns (an override made
    // meanwhile shows within a quarter hour), not at every renewal. A handover needs no new
    // data, only a new "now": drawing every lane again for each one (a minute apart on a busy
    // rotation) is what a wall cannot afford.
    let quarter = Memo::new(move |_| clock.epoch().div_euclid(STEP));
    let rota = resource(move |c| {
        let (team, (ids, _), axis) = (team.get(), ids.get(), axis.get());
        quarter.track();
        async move {
            if team.is_empty() && ids.is_empty() {
                return Ok(None);
            }
            // A day past the axis, so that the lane whose shift ends last still knows who is next.
            let known = Window {
                start: axis.start,
                end: axis.end + DAY,
            };
            // Shared, not copied, by the lanes and their clocks: a busy rotation is thousands
            // of shifts, and a copy per lane and per redraw was what a wall's memory grew by.
            account::rota(&c, &team, &ids, known)
                .await
                .map(|r| Some(Arc::new(r)))
        }
    });
    // The now line moves on every quarter hour, and at every handover.
    wake_at_next_change(move |now| Some(now - now.rem_euclid(STEP) + STEP));
    let choose_span = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        let value = (chosen != SPANS[0].0).then_some(chosen.as_str());
        nav.set_query(with_param(&nav.query_untracked(), "span", value), false);
    };
    let toggle_size = move |_| {
        let value = (!large.get_untracked()).then_some("large");
        nav.set_query(with_param(&nav.query_untracked(), "size", value), false);
    };
    view! {
        <section class="panel board" class:large=large aria-labelledby="board-heading">
            <h1 id="board-heading">"Board"</h1>
            <div class="filters">
                {move || ids.with(|(ids, _)| ids.is_empty()).then(|| view! { <TeamChoice none="Choose a team" /> })}
                <label>
                    "Show "
                    <select on:change=choose_span prop:value=move || SPANS[span.get()].0>
                        {SPANS.map(|(name, _, label, _)| view! { <option value=name>{label}</option> })}
                    </select>
                </label>
                <button class="secondary" on:click=toggle_size aria-pressed=move || large.get().to_string()>"Large type"</button>
            </div>
            {move || ids.with(|(_, more)| *more).then(|| view! {
                <p class="notice" role="status">{format!("This link names more than {} schedules; the first {} are shown.", routes::MAX_CHOSEN_SCHEDULES, routes::MAX_CHOSEN_SCHEDULES)}</p>
            })}
            <Loaded
                resource=rota
                label="the schedules"
                render={move |rota: Option<Arc<Rota>>| match rota {
                    None => view! { <p class="empty">"Choose a team, or pick schedules on the schedules list and press “Show on one board”."</p> }.into_any(),
                    Some(rota) => {
                        let (axis, tick) = (axis.get_untracked(), SPANS[span.get_untracked()].3);
                        // Drawn again in another zone when the header's zone changes.
                        (move || view! { <Lanes rota=rota.clone() axis tick zone=zone.get() /> }).into_any()
                    }
                }}
            />
        </section>
    }
}

/// Where `at` falls on `axis`, as a CSS percentage.
fn percent(axis: Window, at: Millis) -> String {
    share(at.clamp(axis.start, axis.end) - axis.start, axis.len())
}

/// `part` of `whole`, as a CSS percentage.
fn share(part: Millis, whole: Millis) -> String {
    format!("{:.3}%", part as f64 * 100.0 / whole.max(1) as f64)
}

#[component]
fn Lanes(rota: Arc<Rota>, axis: Window, tick: Millis, zone: BrowserZone) -> impl IntoView {
    let clock = use_clock();
    crate::browser::mark_painted("board");
    let ticks = (1..)
        .map(|k| axis.start + k * tick)
        .take_while(|t| *t < axis.end)
        .map(|t| {
            let style = if tick >= DAY { Style::Day } else { Style::Time };
            view! { <span class="tick" style:left=percent(axis, t)>{zone.format(t, style)}</span> }
        })
        .collect_view();
    let failed = rota.failed.clone();
    // Each person's zone, its offsets remembered while the lanes are drawn.
    let zones: HashMap<&str, Cached<BrowserZone>> = rota
        .people
        .iter()
        .filter_map(|(id, u)| {
            let zone = BrowserZone::new(u.time_zone.as_deref()?)?;
            Some((id.as_str(), Cached::new(zone)))
        })
        .collect();
    let lanes = (0..rota.schedules.len())
        .map(|index| lane(&rota, index, axis, &zone, &zones))
        .collect_view();
    view! {
        {(!failed.is_empty()).then(|| view! {
            <p class="error" role="alert">{failed.into_iter().map(|(r, why)| format!("{} could not be read: {why} ", r.summary)).collect::<String>()}</p>
        })}
        <div class="board-area">
            <div class="board-axis" aria-hidden="true">{ticks}</div>
            <ol class="plain lanes">{lanes}</ol>
            <div class="now-line" aria-hidden="true" style:left=move || percent(axis, clock.now())></div>
        </div>
    }
}

/// One schedule's lane: its name, who is on call now and next, and its shifts on the axis.
fn lane(
    rota: &Arc<Rota>,
    index: usize,
    axis: Window,
    zone: &BrowserZone,
    zones: &HashMap<&str, Cached<BrowserZone>>,
) -> impl IntoView {
    let timeline = &rota.schedules[index];
    let clock = use_clock();
    let at = |t: Millis| zone.format(t, Style::DayTime);
    let night = Rules::default().night;
    let on_axis: Vec<&Shift> = timeline
        .final_shifts
        .iter()
        .filter(|s| s.overlaps(axis) && s.person.user_id().is_some())
        .collect();
    // Shifts too short to see at this width (a rotation of minutes) are one block that says
    // how many: a lane draws what a screen can show, not thousands of slivers.
    let clipped: Vec<Shift> = on_axis
        .iter()
        .map(|s| Shift {
            start: s.start.max(axis.start),
            end: Some(s.end_or_max().min(axis.end)),
            person: s.person.clone(),
        })
        .collect();
    let marks = shifts::marks(&clipped, &vec![0; clipped.len()], axis.len() / NARROWEST);
    let blocks = marks
        .into_iter()
        .map(|mark| {
            let index = match mark {
                shifts::Mark::One { index, .. } => index,
                shifts::Mark::Many { start, end, count, .. } => {
                    let title = format!("{count} shifts, {} – {}", at(start), at(end));
                    return view! {
                        <li class="shift many" style:left=percent(axis, start) style:width=share(end - start, axis.len()) title=title>
                            <span class="name">{format!("{count} shifts")}</span>
                        </li>
                    }
                    .into_any();
                }
            };
            let s = on_axis[index];
            // The part on the axis, drawn; the whole shift, in its title.
            let width = Window {
                start: clipped[index].start,
                end: clipped[index].end_or_max(),
            };
            let shaded = s
                .person
                .user_id()
                .and_then(|id| zones.get(id))
                .map(|z| hours::nights(z, night, width))
                .unwrap_or_default()
                .into_iter()
                .map(|n| {
                    view! { <span class="night" style:left=share(n.start - width.start, width.len()) style:width=share(n.len(), width.len())></span> }
                })
                .collect_view();
            let until = s.end.map(at).unwrap_or_else(|| "for good".into());
            let title = format!("{}: {} – {until}", s.person.name(), at(s.start));
            view! {
                <li class="shift" style:left=percent(axis, width.start) style:width=share(width.len(), axis.len()) title=title>
                    {shaded}
                    <span class="name">{s.person.name().to_string()}</span>
                </li>
            }
            .into_any()
        })
        .collect_view();
    let gaps = shifts::gaps(&timeline.final_shifts, axis)
        .into_iter()
        .map(|g| view! { <li class="gap" style:left=percent(axis, g.start) style:width=share(g.len(), axis.len()) title=format!("Nobody: {} – {}", at(g.start), at(g.end))></li> })
        .collect_view();
    let changes = rota.clone();
    wake_at_next_change(move |now| {
        shifts::next_change(&changes.schedules[index].final_shifts, now)
    });
    let known = rota.clone();
    let zone_name = zone.clone();
    let status = move || {
        let now = clock.now();
        let when = |t: Millis| zone_name.format(t, Style::DayTime);
        let known = &known.schedules[index].final_shifts;
        let current = shifts::on_call_at(known, now);
        let next = shifts::next_after(known, now);
        let now_text = if current.is_empty() {
            "Nobody on call now".to_string()
        } else {
            current
                .iter()
                .map(|s| match s.end {
                    Some(end) => format!("{} until {}", s.person.name(), when(end)),
                    None => s.person.name().to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let next_text = next
            .map(|s| format!(" · next: {} from {}", s.person.name(), when(s.start)))
            .unwrap_or_default();
        format!("{now_text}{next_text}")
    };
    let (name, time_zone) = (timeline.name.clone(), timeline.time_zone.clone());
    view! {
        <li class="lane">
            <h2 class="lane-name">
                <RouteLink route=Route::Schedule(timeline.id.clone())>{name}</RouteLink>
                {time_zone.map(|z| view! { <span class="muted">{format!(" · {z}")}</span> })}
            </h2>
            <p class="lane-now">{status}</p>
            <ul class="plain track">{gaps}{blocks}</ul>
        </li>
    }
}
