//! Every schedule the user can see, with who is on call now and next; or only the schedules a
//! link names (`?ids=PS1,PS2`), as a portal shows "on call now" for its own.

use crate::browser::zone::Style;
use crate::client::clock::{use_clock, wake_at_next_change};
use crate::client::{loads, resource, settled, Listing, Progress};
use crate::components::link::{PersonLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::components::search::{matches, SearchBox};
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::endpoints;
use oncall_core::api::types::{Reference, ScheduleDetail};
use oncall_core::api::ApiError;
use oncall_core::cover::{CoverLink, Writes};
use oncall_core::routes::{self, with_param, Route, MAX_CHOSEN_SCHEDULES};
use oncall_core::shifts::{self, Shift};
use oncall_core::text::thousands;
use oncall_core::time::{Millis, Window, DAY, MINUTE};
use oncall_core::timeline::Timeline;

/// How far ahead "next" looks.
const LOOKAHEAD: Millis = 8 * DAY;

#[derive(Clone, Debug, PartialEq)]
struct Schedules {
    layered: Listing<ScheduleDetail>,
    shift_based: Vec<Reference>,
}

#[component]
pub fn SchedulesPage() -> impl IntoView {
    let nav = use_nav();
    let chosen = Memo::new(move |_| routes::chosen_schedules(&nav.query()));
    move || {
        let (ids, more) = chosen.get();
        if ids.is_empty() {
            view! { <AllSchedules /> }.into_any()
        } else {
            view! { <ChosenSchedules ids more /> }.into_any()
        }
    }
}

/// Only the schedules named in the link, in its order, each loading its own final schedule.
#[component]
fn ChosenSchedules(ids: Vec<String>, more: bool) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="schedules-heading">
            <h1 id="schedules-heading">"On call now"</h1>
            {more.then(|| view! {
                <p class="notice" role="status">{format!("This link names more than {MAX_CHOSEN_SCHEDULES} schedules; the first {MAX_CHOSEN_SCHEDULES} are shown.")}</p>
            })}
            // The same head as the full list's, written out again: shared as a function or a
            // component it cost 1.7 KB more download (measured), inline it costs nothing.
            <table class="list chosen">
                <thead>
                    <tr>
                        <th scope="col">"Schedule"</th>
                        <th scope="col">"On call now"</th>
                        <th scope="col">"Next"</th>
                    </tr>
                </thead>
                <tbody>
                    {ids
                        .into_iter()
                        .map(|id| view! { <tr><LoadedCells id name=None /></tr> })
                        .collect_view()}
                </tbody>
            </table>
            <p><RouteLink route=Route::Schedules>"All schedules"</RouteLink></p>
        </section>
    }
}

/// Every schedule, with an instant filter and a search sent to PagerDuty.
#[component]
fn AllSchedules() -> impl IntoView {
    let nav = use_nav();
    let server_query = Memo::new(move |_| nav.param("q").unwrap_or_default());
    let filter = RwSignal::new(server_query.get_untracked());
    let progress = RwSignal::new(Progress::default());
    let clock = use_clock();
    let list = resource(move |c| {
        let (q, start) = (server_query.get(), clock.epoch());
        async move {
            let window = Window {
                start,
                end: start + LOOKAHEAD,
            };
            let (layered, shift_based) = futures::future::join(
                c.all(
                    &endpoints::schedules_with_final(&q, "", window),
                    Some(progress),
                ),
                c.all(&endpoints::schedules_v3(&q), None),
            )
            .await;
            // Accounts without shift-based schedules may not offer the v3 API at all.
            let shift_based = match shift_based {
                Ok(list) => list.items,
                Err(ApiError::Unauthorized) => return Err(ApiError::Unauthorized),
                Err(_) => vec![],
            };
            Ok(Schedules {
                layered: layered?,
                shift_based,
            })
        }
    });
    view! {
        <section class="panel" aria-labelledby="schedules-heading">
            <h1 id="schedules-heading">"Schedules"</h1>
            <SearchBox filter label="Find a schedule" />
            <Loaded
                resource=list
                label="schedules"
                progress
                render={move |data: Schedules| view! { <ScheduleTable data filter /> }}
            />
        </section>
    }
}

#[component]
fn ScheduleTable(data: Schedules, filter: RwSignal<String>) -> impl IntoView {
    let total = data.layered.items.len() + data.shift_based.len();
    if total == 0 {
        return view! { <p class="empty">"No schedules found. You may not have access to any, or the search matched none."</p> }.into_any();
    }
    let truncated = data.layered.truncated;
    let rows_layered: Vec<Timeline> = data.layered.items.iter().map(Timeline::from_v2).collect();
    let rows_v3 = data.shift_based;
    let names: Vec<String> = rows_layered
        .iter()
        .map(|t| t.name.clone())
        .chain(rows_v3.iter().map(|r| r.summary.clone()))
        .collect();
    let ids: Vec<String> = rows_layered
        .iter()
        .map(|t| t.id.clone())
        .chain(rows_v3.iter().map(|r| r.id.clone()))
        .collect();
    // The schedules the filter lets through, for the board: filter, then show them together.
    let matching = Memo::new(move |_| {
        let filter = filter.get();
        names
            .iter()
            .zip(&ids)
            .filter(|(n, _)| matches(n, &filter))
            .map(|(_, id)| id.clone())
            .collect::<Vec<String>>()
    });
    let shown = move || matching.with(Vec::len);
    let nav = use_nav();
    let board = move || {
        let ids = matching.get();
        let query = with_param(
            &nav.query_untracked(),
            "schedules",
            Some(&ids[..ids.len().min(MAX_CHOSEN_SCHEDULES)].join(",")),
        );
        let query = form_query_without(&query, &["q", "ids"]);
        nav.href(&format!("{}{query}", Route::Board.path()))
    };
    view! {
        {truncated.then(|| view! { <p class="notice" role="status">"PagerDuty lists at most 10,000 schedules; search to find the rest."</p> })}
        <p class="muted count" aria-live="polite">
            {move || format!("Showing {} of {}", thousands(shown()), thousands(total))}
            {move || (shown() > 0).then(|| view! { " · " <a class="board-link" href=board>{if shown() == 1 { "Show it on a board".to_string() } else { format!("Show these {} on one board", thousands(shown().min(MAX_CHOSEN_SCHEDULES))) }}</a> })}
        </p>
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Schedule"</th>
                    <th scope="col">"On call now"</th>
                    <th scope="col">"Next"</th>
                </tr>
            </thead>
            <tbody>
                {rows_layered
                    .into_iter()
                    .map(|t| {
                        let name = t.name.clone();
                        view! { <tr class:hidden=move || !matches(&name, &filter.get())><NowNextCells timeline=t /></tr> }
                    })
                    .collect_view()}
                {rows_v3
                    .into_iter()
                    .map(|r| {
                        let name = r.summary.clone();
                        let (id, summary) = (r.id, Some(r.summary));
                        view! { <tr class:hidden=move || !matches(&name, &filter.get())><LoadedCells id name=summary /></tr> }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// `query` without the parameters `names` (a search, a list of IDs), which the board has no use for.
fn form_query_without(query: &str, names: &[&str]) -> String {
    names
        .iter()
        .fold(query.to_string(), |q, name| with_param(&q, name, None))
}

/// The name, now and next cells of one schedule row; now and next follow the clock.
#[component]
fn NowNextCells(timeline: Timeline) -> impl IntoView {
    let zone = use_zone();
    let clock = use_clock();
    let shifts = timeline.final_shifts;
    let known = shifts.clone();
    wake_at_next_change(move |now| shifts::next_change(&known, now));
    // With write access: "Take" for someone else's shift, now or next (who is looking as the ID
    // token says; the cover view asks PagerDuty).
    let taking = crate::auth::use_auth()
        .filter(|a| a.writes() == Writes::Allowed)
        .map(|a| (a.session().and_then(|s| s.user_id), use_nav()));
    let schedule = timeline.id.clone();
    let cells = move || {
        let now = clock.now();
        let current: Vec<&Shift> = shifts::on_call_at(&shifts, now);
        let next = shifts::next_after(&shifts, now);
        let take = |s: &Shift| {
            let (me, nav) = taking.as_ref()?;
            let (id, end) = (s.person.user_id()?, s.end?);
            (me.as_deref() != Some(id)).then(|| {
                let link = CoverLink {
                    schedule: schedule.clone(),
                    start: s.start.max(now - now.rem_euclid(MINUTE)),
                    end,
                    for_user: Some(id.to_string()),
                };
                view! { <a class="action" href=nav.href(&link.href())>"Take"</a> }
            })
        };
        let person = |s: &Shift| view! { <PersonLink id=s.person.user_id().unwrap_or_default().to_string() name=s.person.name().to_string() />{take(s)} };
        view! {
            <td>
                {if current.is_empty() {
                    view! { <span class="nobody-text">"Nobody"</span> }.into_any()
                } else {
                    current
                        .into_iter()
                        .map(|s| view! { <span class="person">{person(s)}</span> })
                        .collect_view()
                        .into_any()
                }}
            </td>
            <td>
                {match next {
                    Some(s) => view! {
                        {person(s)}
                        <span class="muted when">{zone.get().format(s.start, Style::DayTime)}</span>
                    }
                    .into_any(),
                    None => view! { <span class="muted">"No change in the next 8 days"</span> }.into_any(),
                }}
            </td>
        }
    };
    view! {
        <th scope="row">
            <RouteLink route=Route::Schedule(timeline.id.clone())>{timeline.name.clone()}</RouteLink>
            {timeline.shift_based.then(|| view! { <span class="badge">"shift-based"</span> })}
            {timeline.time_zone.clone().map(|z| view! { <span class="muted zone">{z}</span> })}
        </th>
        {cells}
    }
}

/// A row whose final schedule is loaded on its own (a shift-based schedule, or one named in
/// the link); until it arrives the row shows the name, or the ID when no name is known yet.
#[component]
fn LoadedCells(id: String, name: Option<String>) -> impl IntoView {
    let clock = use_clock();
    let timeline = resource({
        let id = id.clone();
        move |c| {
            let (id, start) = (id.clone(), clock.epoch());
            let window = Window {
                start,
                end: start + LOOKAHEAD,
            };
            async move { loads::timeline(&c, &id, window).await }
        }
    });
    let label = name.unwrap_or_else(|| id.clone());
    let name_cell = move || {
        let (id, label) = (id.clone(), label.clone());
        view! { <th scope="row"><RouteLink route=Route::Schedule(id)>{label}</RouteLink></th> }
    };
    let waiting = name_cell.clone();
    view! {
        <Transition fallback=move || view! {
            {waiting()}
            <td class="skeleton-cell">"…"</td>
            <td class="skeleton-cell">"…"</td>
        }>
            {move || {
                let name_cell = name_cell.clone();
                Suspend::new(async move {
                    match settled(timeline).await {
                        Ok(t) => view! { <NowNextCells timeline=t /> }.into_any(),
                        Err(e) => view! {
                            {name_cell()}
                            <td colspan="2" class="error">{e.to_string()}</td>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
}
