//! A schedule as a picture: the final row (with lanes where people overlap), then each layer
//! and the overrides; gaps hatched, the current time marked, every shift focusable.

use crate::browser::zone::{BrowserZone, Style};
use crate::components::link::PersonLink;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::cover::{CoverLink, Writes};
use oncall_core::routes::Route;
use oncall_core::shifts::{self, Mark, Shift};
use oncall_core::time::{self, Millis, Window};
use oncall_core::timeline::Timeline;
use std::sync::Arc;

/// How many person colours the stylesheet defines (`.person-0` … `.person-11`).
const COLOURS: usize = 12;

#[component]
pub fn TimelineView(
    timeline: Arc<Timeline>,
    window: Window,
    zone: BrowserZone,
    now: Millis,
    /// `shifts::gaps` of the final row in `window`, which the page has counted already.
    gaps: Vec<Window>,
) -> impl IntoView {
    crate::browser::mark_painted("timeline");
    let percent = move |t: Millis| {
        ((t - window.start) as f64 * 100.0 / window.len().max(1) as f64).clamp(0.0, 100.0)
    };
    // Shared by the row and the list: a two-week final row can be 50,000 shifts.
    let final_shifts = Arc::new(shifts::clip(&timeline.final_shifts, window));
    let days = time::days(&zone, window);
    let people = shifts::people(&final_shifts);
    let now_at = window.contains(now).then(|| percent(now));
    let axis_zone = zone.clone();
    let rows_zone = zone.clone();
    let table_zone = zone.clone();
    let gap_zone = zone.clone();
    let listed = final_shifts.clone();
    let details = NodeRef::<leptos::html::Details>::new();
    let list = NodeRef::<leptos::html::Div>::new();
    // With write access, each shift still to come links to taking it (or, for one's own, to
    // asking for cover).
    let auth = crate::auth::use_auth();
    let cover = auth
        .filter(|a| a.writes() == Writes::Allowed)
        .map(|a| Cover {
            timeline: timeline.clone(),
            me: a.session().and_then(|s| s.user_id),
            now,
            nav: use_nav(),
        });
    let redraw_list = move || {
        draw_list(
            details.get_untracked(),
            list.get_untracked().map(Into::into),
            &listed,
            &table_zone,
            cover.clone(),
        )
    };
    // Drawn for this view's shifts, also when Leptos keeps the element of an earlier one.
    Effect::new({
        let redraw_list = redraw_list.clone();
        move |_| {
            details.track();
            list.track();
            redraw_list();
        }
    });

    view! {
        <figure class="timeline" aria-labelledby="timeline-caption">
            <figcaption id="timeline-caption" class="visually-hidden">
                {format!("{} from {} to {}", timeline.name, zone.format(window.start, Style::DayTime), zone.format(window.end, Style::DayTime))}
            </figcaption>
            <div class="row axis" aria-hidden="true">
                <div class="row-label"></div>
                <div class="track">
                    {days
                        .iter()
                        .map(|day| {
                            view! {
                                <span class="day" style:left=pct(percent(day.start)) style:width=pct(percent(day.end) - percent(day.start))>
                                    {axis_zone.format(day.start, Style::Day)}
                                </span>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            <Row label="Final schedule".into() shifts=final_shifts.clone() window zone=rows_zone.clone() now_at final_row=true>
                {gaps
                    .iter()
                    .map(|gap| {
                        let text = format!("Nobody on call: {} – {}", gap_zone.format(gap.start, Style::DayTime), gap_zone.format(gap.end, Style::DayTime));
                        let (label, title) = (text.clone(), text.clone());
                        view! {
                            <span class="gap" tabindex="0" role="img" aria-label=label title=title
                                style:left=pct(percent(gap.start)) style:width=pct(percent(gap.end) - percent(gap.start))>
                                <span class="tip">{text}</span>
                            </span>
                        }
                    })
                    .collect_view()}
            </Row>
            {timeline
                .rows
                .iter()
                .map(|(name, row)| {
                    view! { <Row label=name.clone() shifts=Arc::new(shifts::clip(row, window)) window zone=rows_zone.clone() now_at final_row=false /> }
                })
                .collect_view()}
        </figure>
        <ul class="legend" aria-label="People in this window">
            {people
                .into_iter()
                .map(|person| {
                    let class = format!("swatch person-{}", shifts::colour_slot(&person, COLOURS));
                    let (id, name) = (person.user_id().unwrap_or_default().to_string(), person.name().to_string());
                    view! { <li><span class=class aria-hidden="true"></span><PersonLink id name /></li> }
                })
                .collect_view()}
        </ul>
        <details class="shift-table" node_ref=details on:toggle=move |_| redraw_list()>
            <summary>"Shifts as a list"</summary>
            <div node_ref=list></div>
        </details>
    }
}

/// The shifts as a table in `list` while `details` is open, drawn when it opens (and again
/// when the view is drawn for a new zone or window), a slice per frame: a list of 10,000
/// shifts costs nothing until someone asks for it, and never blocks the page.
/// What a shift in the list needs to link to taking it.
#[derive(Clone)]
struct Cover {
    timeline: Arc<Timeline>,
    /// Who is signed in, as the ID token says: only for the link's words ("Take" or "Ask for
    /// cover"); the cover view asks PagerDuty.
    me: Option<String>,
    now: Millis,
    nav: crate::navigation::Nav,
}

impl Cover {
    /// The link for `s`, as far as the window shows it: a shift that runs past the window's
    /// edge is offered up to the edge (a part of a shift is for taking too).
    fn link(&self, s: &Shift) -> AnyView {
        let (Some(id), Some(end)) = (s.person.user_id(), s.end) else {
            return ().into_any();
        };
        if end <= self.now {
            return ().into_any();
        }
        let link = CoverLink {
            schedule: self.timeline.id.clone(),
            start: s.start,
            end,
            for_user: Some(id.to_string()),
        };
        let words = match self.me.as_deref() == Some(id) {
            true => "Ask for cover",
            false => "Take",
        };
        view! { <a class="action" href=self.nav.href(&link.href())>{words}</a> }.into_any()
    }
}

fn draw_list(
    details: Option<web_sys::HtmlDetailsElement>,
    list: Option<web_sys::Element>,
    listed: &Arc<Vec<Shift>>,
    zone: &BrowserZone,
    cover: Option<Cover>,
) {
    let (Some(details), Some(list)) = (details, list) else {
        return;
    };
    list.set_inner_html("");
    if !details.open() {
        return;
    }
    // Fixed markup (no data in it), so HTML is the smallest way to write it.
    list.set_inner_html(match cover {
        Some(_) => r#"<table><thead><tr><th scope="col">Who</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Cover</th></tr></thead><tbody></tbody></table>"#,
        None => r#"<table><thead><tr><th scope="col">Who</th><th scope="col">From</th><th scope="col">To</th></tr></thead><tbody></tbody></table>"#,
    });
    if let Some(body) = list.query_selector("tbody").ok().flatten() {
        let zone = zone.clone();
        draw_rest(body, listed.clone(), 0, move |s: &Shift| {
            view! {
                <tr>
                    <td>{s.person.name().to_string()}</td>
                    <td>{zone.format(s.start, Style::DayTime)}</td>
                    <td>{zone.format(s.end_or_max(), Style::DayTime)}</td>
                    {cover.as_ref().map(|c| view! { <td>{c.link(s)}</td> })}
                </tr>
            }
            .into_any()
        });
    }
}

/// `x` (0 to 100) as a CSS percentage with four decimals, without float formatting (which
/// costs kilobytes of download).
fn pct(x: f64) -> String {
    let n = (x.clamp(0.0, 100.0) * 10_000.0).round() as i64;
    format!("{}.{:04}%", n / 10_000, n % 10_000)
}

/// Shifts drawn at once when a row appears; the rest follow in slices (see
/// `browser::paint`), so that no frame blocks the page for long.
const SLICE: usize = 100;

/// What a shift in a row needs to draw itself.
#[derive(Clone)]
struct Drawing {
    window: Window,
    lanes: usize,
    zone: BrowserZone,
    nav: crate::navigation::Nav,
    search: String,
}

impl Drawing {
    fn percent(&self, t: Millis) -> f64 {
        (t - self.window.start) as f64 * 100.0 / self.window.len().max(1) as f64
    }

    /// One shift: a focusable link to the person (or a marked empty slot), placed by CSSOM
    /// (`style:left`), never by style attributes, so it works under `style-src 'self'`.
    /// A run of shifts too short to see one by one at this span: one block saying how many.
    fn many(&self, lane: usize, start: Millis, end: Millis, count: usize) -> AnyView {
        let text = format!(
            "{count} shifts, {} – {}: too short to show one by one here (choose a day)",
            self.zone.format(start, Style::DayTime),
            self.zone.format(end, Style::DayTime)
        );
        let label = text.clone();
        view! {
            <span class="shift many" tabindex="0" role="img" aria-label=label
                style:left=pct(self.percent(start)) style:width=pct((self.percent(end) - self.percent(start)).max(0.2))
                style:top=pct(lane as f64 * 100.0 / self.lanes as f64) style:height=pct(100.0 / self.lanes as f64)>
                <span class="tip">{text}</span>
            </span>
        }
        .into_any()
    }

    fn mark(&self, shifts: &[Shift], mark: &Mark) -> AnyView {
        match *mark {
            Mark::One { index, lane } => self.shift(&shifts[index], lane),
            Mark::Many {
                lane,
                start,
                end,
                count,
            } => self.many(lane, start, end, count),
        }
    }

    fn shift(&self, shift: &Shift, lane: usize) -> AnyView {
        let zone = &self.zone;
        let text = format!(
            "{}: {} – {}",
            shift.person.name(),
            zone.format(shift.start, Style::DayTime),
            zone.format(shift.end_or_max(), Style::DayTime)
        );
        let left = pct(self.percent(shift.start));
        let width = pct((self.percent(shift.end_or_max()) - self.percent(shift.start)).max(0.2));
        let top = pct(lane as f64 * 100.0 / self.lanes as f64);
        let height = pct(100.0 / self.lanes as f64);
        let name = shift.person.name().to_string();
        let label = text.clone();
        match shift.person.user_id() {
            Some(id) => {
                let href = self.nav.href(&Route::User(id.to_string()).href(&self.search));
                let class = format!("shift person-{}", shifts::colour_slot(&shift.person, COLOURS));
                view! {
                    <a class=class href=href aria-label=label style:left=left style:width=width style:top=top style:height=height>
                        <span class="shift-name">{name}</span>
                        <span class="tip">{text}</span>
                    </a>
                }
                .into_any()
            }
            None => view! {
                <span class="shift nobody" tabindex="0" role="img" aria-label=label title=name style:left=left style:width=width style:top=top style:height=height>
                    <span class="tip">{text}</span>
                </span>
            }
            .into_any(),
        }
    }
}

/// Draws `items[skip..]` into `element`, emptied first, a slice at a time in later frames
/// (`browser::paint`). Leptos may keep an element when it draws a view again (a new zone or
/// window); so each drawing marks the element with a number of its own, and a slice queued
/// by an earlier drawing, or for an element no longer in the page, draws nothing. The
/// elements are static: once mounted, their view state can go.
fn draw_rest<T: 'static>(
    element: web_sys::Element,
    items: Arc<Vec<T>>,
    skip: usize,
    draw: impl Fn(&T) -> AnyView + Clone + 'static,
) {
    use leptos::tachys::view::{Mountable, Render};
    thread_local!(static DRAWINGS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) });
    let drawing = DRAWINGS.with(|d| {
        d.set(d.get() + 1);
        d.get().to_string()
    });
    element.set_inner_html("");
    let _ = element.set_attribute("data-drawing", &drawing);
    for from in (skip..items.len()).step_by(SLICE) {
        let (items, draw, element, drawing) = (
            items.clone(),
            draw.clone(),
            element.clone(),
            drawing.clone(),
        );
        crate::browser::paint::later(move || {
            let current = element.get_attribute("data-drawing");
            if !element.is_connected() || current.as_deref() != Some(drawing.as_str()) {
                return;
            }
            let slice: Vec<AnyView> = items[from..(from + SLICE).min(items.len())]
                .iter()
                .map(&draw)
                .collect();
            slice.build().mount(&element, None);
        });
    }
}

#[component]
fn Row(
    label: String,
    shifts: Arc<Vec<Shift>>,
    window: Window,
    zone: BrowserZone,
    now_at: Option<f64>,
    final_row: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let (lane_of, lanes) = shifts::lanes(&shifts);
    let nav = use_nav();
    let drawing = Drawing {
        window,
        lanes,
        zone,
        nav,
        search: nav.query_untracked(),
    };
    let empty = shifts.is_empty();
    let class = if final_row { "row final" } else { "row" };
    // What a pixel can show: shifts narrower than the 0.2 % a shift is drawn at, at least,
    // are drawn as runs.
    let placed = Arc::new(shifts::marks(&shifts, &lane_of, window.len() / 500));
    let first: Vec<AnyView> = placed
        .iter()
        .take(SLICE)
        .map(|mark| drawing.mark(&shifts, mark))
        .collect();
    let rest = NodeRef::<leptos::html::Span>::new();
    Effect::new(move |_| {
        if let Some(element) = rest.get() {
            let (placed, drawing, shifts) = (placed.clone(), drawing.clone(), shifts.clone());
            draw_rest(element.into(), placed, SLICE, move |mark| {
                drawing.mark(&shifts, mark)
            });
        }
    });
    view! {
        <div class=class>
            <div class="row-label">{label.clone()}</div>
            <div class="track" class:lanes-2={lanes == 2} class:lanes-3={lanes >= 3}>
                {children.map(|c| c())}
                <span class="shifts">{first}</span>
                <span class="shifts" node_ref=rest></span>
                {now_at.map(|at| view! { <span class="now" style:left=pct(at) title="Now"></span> })}
                {empty.then(|| view! { <span class="row-empty">"No shifts in this window"</span> })}
            </div>
        </div>
    }
}
