//! Away (`/away?from=YYYY-MM-DD&to=YYYY-MM-DD`, both days included, in the zone shown): every
//! shift of one's own in those days, across every schedule (from `/oncalls`, so levels
//! included), with one person to cover all of them or one per shift; then the overrides, one
//! request per schedule with several overrides in it, and what became of each, item by item.

use crate::browser::zone::Style;
use crate::client::clock::use_clock;
use crate::client::loads;
use crate::client::me::use_me;
use crate::client::{resource, settled, use_client};
use crate::components::link::RouteLink;
use crate::components::loaded::Loaded;
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use crate::pages::changes::{self, Target};
use crate::pages::cover::PersonSearch;
use leptos::prelude::*;
use oncall_core::api::endpoints;
use oncall_core::api::ApiError;
use oncall_core::cover::{self, Writes};
use oncall_core::oncalls;
use oncall_core::overrides;
use oncall_core::routes::{with_param, Route};
use oncall_core::time::{
    add_days, date_param, from_local, local, parse_date_param, start_of_day, Window,
};

/// Days one away may span (PagerDuty reads `/oncalls` over at most 90).
const LONGEST_DAYS: i64 = 31;

/// Each schedule (and its kind) with the times to cover on it.
type Plan = Vec<(Target, Vec<Window>)>;

/// What became of one shift.
#[derive(Clone, PartialEq)]
struct Covered {
    schedule: String,
    window: Window,
    outcome: Result<String, String>,
}

#[component]
pub fn AwayPage() -> impl IntoView {
    let nav = use_nav();
    let zone = use_zone();
    let clock = use_clock();
    let me = use_me();
    let window = Memo::new(move |_| {
        let zone = zone.get();
        let day = |name: &str| {
            nav.param(name)
                .and_then(|d| parse_date_param(&d))
                .map(|c| from_local(&zone, c))
        };
        let tomorrow = add_days(&zone, start_of_day(&zone, clock.epoch_untracked()), 1);
        let start = day("from").unwrap_or(tomorrow);
        let last = day("to")
            .filter(|d| *d >= start)
            .unwrap_or_else(|| add_days(&zone, start, 6));
        let end = add_days(&zone, last, 1).min(add_days(&zone, start, LONGEST_DAYS));
        Window { start, end }
    });
    let plan = resource(move |c| {
        let window = window.get();
        async move {
            let me = match me {
                Some(me) => settled(me.0).await?,
                None => return Err(ApiError::Unauthorized),
            };
            let list = c
                .all(&endpoints::user_oncalls(&me.id, window), None)
                .await?;
            let shifts = oncalls::distinct_shifts(&list.items);
            // Each schedule's kind asked for at once, not one round trip after another.
            let kinds = cover::away(&shifts, window)
                .into_iter()
                .map(|(schedule, times)| {
                    let c = &c;
                    async move {
                        let shift_based = loads::is_shift_based(c, &schedule.id, window).await?;
                        let target = Target {
                            id: schedule.id,
                            name: schedule.summary,
                            shift_based,
                        };
                        Ok::<_, ApiError>((target, times))
                    }
                });
            let plan: Plan = futures::future::join_all(kinds)
                .await
                .into_iter()
                .collect::<Result<_, _>>()?;
            Ok((me.id, plan))
        }
    });
    let writes = crate::auth::use_auth().map_or(Writes::ReadOnlyConfig, |a| a.writes());
    let day_value = move |at| date_param(local(&zone.get(), at));
    let choose = move |name: &'static str, ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if parse_date_param(&value).is_some() {
            nav.set_query(
                with_param(&nav.query_untracked(), name, Some(&value)),
                false,
            );
        }
    };
    view! {
        <section class="panel away" aria-labelledby="away-heading">
            <h1 id="away-heading">"Away"</h1>
            <p class="muted">"Every shift of yours in these days, on every schedule, and who covers each."</p>
            <div class="filters">
                <label>"From " <input type="date" prop:value=move || day_value(window.get().start) on:change=move |ev| choose("from", ev) /></label>
                <label>"To " <input type="date" prop:value=move || day_value(window.get().end - 1) on:change=move |ev| choose("to", ev) /></label>
            </div>
            {writes.why_not().map(|why| view! { <p class="muted quiet-line">{why}</p> })}
            <Loaded
                resource=plan
                label="your shifts"
                render=move |(me, plan): (String, Plan)| view! { <Shifts me plan writes /> }
            />
        </section>
    }
}

#[component]
fn Shifts(me: String, plan: Plan, writes: Writes) -> impl IntoView {
    let zone = use_zone();
    if plan.is_empty() {
        return view! {
            <p class="empty">"You have no shifts in these days that an override can cover. "
                <RouteLink route=Route::Home>"My on-call"</RouteLink>" lists all of yours."</p>
        }
        .into_any();
    }
    let found = RwSignal::new(Vec::<(String, String)>::new());
    let for_all = RwSignal::new(String::new());
    // One choice per shift, in the plan's order: "" is whoever covers all.
    let count: usize = plan.iter().map(|(_, times)| times.len()).sum();
    let each = RwSignal::new(vec![String::new(); count]);
    let results = RwSignal::new(None::<Vec<Covered>>);
    let sending = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let options = move |first: &'static str| {
        view! {
            <option value="">{first}</option>
            {move || found.get().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
        }
    };
    let mut index = 0;
    let listed = plan
        .iter()
        .map(|(schedule, times)| {
            let rows = times
                .iter()
                .map(|w| {
                    let i = index;
                    index += 1;
                    let z = zone.get_untracked();
                    let text = format!("{} – {}", z.format(w.start, Style::DayTime), z.format(w.end, Style::DayTime));
                    view! {
                        <li>
                            <span class="hours">{text}</span>
                            {(writes == Writes::Allowed).then(|| view! {
                                <select aria-label="Who covers this shift"
                                    prop:value=move || each.with(|e| e.get(i).cloned().unwrap_or_default())
                                    on:change=move |ev| each.update(|e| if let Some(slot) = e.get_mut(i) { *slot = event_target_value(&ev) })>
                                    {options("Whoever covers all")}
                                </select>
                            })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li>
                    <h2>{schedule.name.clone()}</h2>
                    <ul class="plain day-shifts">{rows}</ul>
                </li>
            }
        })
        .collect_view();
    let client = StoredValue::new_local(use_client());
    let arrange = {
        let (plan, me) = (plan.clone(), me.clone());
        move |_| {
            if sending.get_untracked() {
                return;
            }
            let all = for_all.get_untracked();
            let chosen = each.get_untracked();
            if chosen.iter().any(|c| c.is_empty()) && all.is_empty() {
                problem.set(Some(
                    "Choose who covers all of them, or someone for each shift.".into(),
                ));
                return;
            }
            let Some(client) = client.get_value() else {
                return;
            };
            problem.set(None);
            sending.set(true);
            let (plan, me) = (plan.clone(), me.clone());
            // PagerDuty shows the overrides in the zone they were arranged in.
            let time_zone = zone.get_untracked().name().to_string();
            leptos::task::spawn_local(async move {
                let mut done = vec![];
                let mut i = 0;
                for (schedule, times) in &plan {
                    let covers: Vec<overrides::Cover> = times
                        .iter()
                        .map(|w| {
                            let who = match chosen.get(i).filter(|c| !c.is_empty()) {
                                Some(c) => c.clone(),
                                None => all.clone(),
                            };
                            i += 1;
                            overrides::Cover {
                                start: w.start,
                                end: w.end,
                                user_id: who,
                            }
                        })
                        .collect();
                    // The overrides there now: a copy of one made here is told apart from them.
                    let before = changes::read(&client, schedule, span(times), true)
                        .await
                        .unwrap_or_default();
                    let sent = changes::send_covers(
                        &client,
                        schedule,
                        &covers,
                        Some(&me),
                        &time_zone,
                        &before,
                    )
                    .await;
                    for (k, c) in covers.iter().enumerate() {
                        let outcome = match &sent {
                            Ok(items) => match items.get(k) {
                                Some(Ok(made)) => Ok(made
                                    .first()
                                    .map(|o| o.user.summary.clone())
                                    .unwrap_or_default()),
                                Some(Err(why)) => Err(why.clone()),
                                None => Err("PagerDuty's answer did not mention it".into()),
                            },
                            Err(why) => Err(why.clone()),
                        };
                        done.push(Covered {
                            schedule: schedule.name.clone(),
                            window: Window {
                                start: c.start,
                                end: c.end,
                            },
                            outcome,
                        });
                    }
                    client.changed(&schedule.id);
                }
                results.set(Some(done));
                sending.set(false);
            });
        }
    };
    let report = move || {
        results.get().map(|done| {
            let z = zone.get();
            let (made, total) = (done.iter().filter(|r| r.outcome.is_ok()).count(), done.len());
            let items = done
                .into_iter()
                .map(|r| {
                    let when = format!("{} – {}", z.format(r.window.start, Style::DayTime), z.format(r.window.end, Style::DayTime));
                    match r.outcome {
                        Ok(who) => view! { <li class="made">{format!("Covered: {}, {when}, by {who}.", r.schedule)}</li> }.into_any(),
                        Err(why) => view! { <li class="not-made">{format!("Not covered: {}, {when}. {why}", r.schedule)}</li> }.into_any(),
                    }
                })
                .collect_view();
            view! {
                <div class="away-report" role="status">
                    <p><strong>{format!("{made} of {total} shifts covered.")}</strong></p>
                    <ul class="plain">{items}</ul>
                </div>
            }
        })
    };
    view! {
        // Who covers all first, then each shift (with its own choice), then the one button.
        {(writes == Writes::Allowed).then(|| view! {
            <div class="find-cover">
                <PersonSearch me=me.clone() found />
                <label>"Who covers all of them "
                    <select prop:value=move || for_all.get() on:change=move |ev| for_all.set(event_target_value(&ev))>
                        {options("Choose someone (search above)")}
                    </select>
                </label>
            </div>
        })}
        <ul class="plain away-plan">{listed}</ul>
        {(writes == Writes::Allowed).then(|| view! {
            <div class="find-cover">
                {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                <button class="primary" on:click=arrange disabled=move || sending.get()>
                    {move || if sending.get() { "Arranging cover…".to_string() } else { format!("Arrange cover for {count} shift{}", if count == 1 { "" } else { "s" }) }}
                </button>
            </div>
        })}
        {report}
    }
    .into_any()
}

/// From the first time's start to the last's end.
fn span(times: &[Window]) -> Window {
    Window {
        start: times.iter().map(|w| w.start).min().unwrap_or_default(),
        end: times.iter().map(|w| w.end).max().unwrap_or_default(),
    }
}
