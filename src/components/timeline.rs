//! A schedule as a picture: the final row (with lanes where people overlap), then each layer
//! and the overrides; gaps hatched, the current time marked, every shift focusable.

use crate::browser::zone::{BrowserZone, Style};
use crate::components::link::PersonLink;
use crate::navigation::use_nav;
use crate::routes::Route;
use crate::shifts::{self, Person, Shift};
use crate::time::{self, Millis, Window};
use crate::timeline::Timeline;
use leptos::prelude::*;

/// How many person colours the stylesheet defines (`.person-0` … `.person-11`).
const COLOURS: usize = 12;

#[component]
pub fn TimelineView(
    timeline: Timeline,
    window: Window,
    zone: BrowserZone,
    now: Millis,
) -> impl IntoView {
    crate::browser::mark_painted("timeline");
    let percent = move |t: Millis| {
        ((t - window.start) as f64 * 100.0 / window.len().max(1) as f64).clamp(0.0, 100.0)
    };
    let final_shifts = shifts::clip(&timeline.final_shifts, window);
    let gaps = shifts::gaps(&timeline.final_shifts, window);
    let days = time::days(&zone, window);
    let mut people: Vec<Person> = final_shifts
        .iter()
        .map(|s| s.person.clone())
        .filter(|p| *p != Person::Nobody)
        .collect();
    people.sort();
    people.dedup();
    let now_at = window.contains(now).then(|| percent(now));
    let axis_zone = zone.clone();
    let rows_zone = zone.clone();
    let table_zone = zone.clone();
    let gap_zone = zone.clone();

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
                                <span class="day" style:left=format!("{:.4}%", percent(day.start)) style:width=format!("{:.4}%", percent(day.end) - percent(day.start))>
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
                                style:left=format!("{:.4}%", percent(gap.start)) style:width=format!("{:.4}%", percent(gap.end) - percent(gap.start))>
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
                    view! { <Row label=name.clone() shifts=shifts::clip(row, window) window zone=rows_zone.clone() now_at final_row=false /> }
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
        <details class="shift-table">
            <summary>"Shifts as a list"</summary>
            <table>
                <thead><tr><th scope="col">"Who"</th><th scope="col">"From"</th><th scope="col">"To"</th></tr></thead>
                <tbody>
                    {final_shifts
                        .iter()
                        .map(|s| view! {
                            <tr>
                                <td>{s.person.name().to_string()}</td>
                                <td>{table_zone.format(s.start, Style::DayTime)}</td>
                                <td>{table_zone.format(s.end_or_max(), Style::DayTime)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}

#[component]
fn Row(
    label: String,
    shifts: Vec<Shift>,
    window: Window,
    zone: BrowserZone,
    now_at: Option<f64>,
    final_row: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let percent = move |t: Millis| {
        ((t - window.start) as f64 * 100.0 / window.len().max(1) as f64).clamp(0.0, 100.0)
    };
    let (lane_of, lanes) = shifts::lanes(&shifts);
    let nav = use_nav();
    let search = nav.query_untracked();
    let empty = shifts.is_empty();
    let class = if final_row { "row final" } else { "row" };
    view! {
        <div class=class>
            <div class="row-label">{label.clone()}</div>
            <div class="track" class:lanes-2={lanes == 2} class:lanes-3={lanes >= 3}>
                {children.map(|c| c())}
                {shifts
                    .iter()
                    .zip(lane_of)
                    .map(|(shift, lane)| {
                        let text = format!(
                            "{}: {} – {}",
                            shift.person.name(),
                            zone.format(shift.start, Style::DayTime),
                            zone.format(shift.end_or_max(), Style::DayTime)
                        );
                        let left = format!("{:.4}%", percent(shift.start));
                        let width = format!("{:.4}%", (percent(shift.end_or_max()) - percent(shift.start)).max(0.2));
                        let top = format!("{:.4}%", lane as f64 * 100.0 / lanes as f64);
                        let height = format!("{:.4}%", 100.0 / lanes as f64);
                        let name = shift.person.name().to_string();
                        match shift.person.user_id() {
                            Some(id) => {
                                let href = nav.href(&Route::User(id.to_string()).href(&search));
                                let class = format!("shift person-{}", shifts::colour_slot(&shift.person, COLOURS));
                                let label = text.clone();
                                view! {
                                    <a class=class href=href aria-label=label style:left=left style:width=width style:top=top style:height=height>
                                        <span class="shift-name">{name}</span>
                                        <span class="tip">{text}</span>
                                    </a>
                                }
                                .into_any()
                            }
                            None => {
                                let label = text.clone();
                                view! {
                                <span class="shift nobody" tabindex="0" role="img" aria-label=label title=name style:left=left style:width=width style:top=top style:height=height>
                                    <span class="tip">{text}</span>
                                </span>
                            }
                            .into_any()
                            }
                        }
                    })
                    .collect_view()}
                {now_at.map(|at| view! { <span class="now" style:left=format!("{at:.4}%") title="Now"></span> })}
                {empty.then(|| view! { <span class="row-empty">"No shifts in this window"</span> })}
            </div>
        </div>
    }
}
