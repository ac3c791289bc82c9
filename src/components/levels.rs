//! An escalation policy level by level, and the one-line "on call now" of a list row: both
//! drawn from `/oncalls` entries at the clock's "now", so they stay true across a handover.

use crate::browser::zone::Style;
use crate::client::clock::{use_clock, wake_at_next_change};
use crate::client::loads::POLICY_LOOKAHEAD_DAYS;
use crate::components::link::{PersonLink, RouteLink};
use crate::components::zone::use_zone;
use leptos::prelude::*;
use oncall_core::api::types::{EscalationPolicy, OnCall, Target};
use oncall_core::levels::{self, OnDuty};
use oncall_core::routes::Route;
use oncall_core::time::Millis;

/// A person or schedule a level notifies, as a link to its view.
fn target_link(target: Target) -> AnyView {
    if target.is_schedule() {
        view! { <RouteLink route=Route::Schedule(target.id)>{target.summary}</RouteLink> }
            .into_any()
    } else {
        view! { <PersonLink id=target.id name=target.summary /> }.into_any()
    }
}

/// People on call, each a link, with until when and through which schedule.
fn people(people: Vec<OnDuty>, when: &impl Fn(Millis) -> String) -> impl IntoView {
    view! {
        <ul class="plain on-duty">
            {people
                .into_iter()
                .map(|p| {
                    let until = match p.until {
                        Some(t) => format!(" until {}", when(t)),
                        None => " (always, named on this level)".into(),
                    };
                    view! {
                        <li>
                            <PersonLink id=p.id name=p.name />
                            <span class="muted">{until}{p.via.map(|s| format!(" · {}", s.summary))}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// Every level of `policy` in order: its delay, whom it notifies, who is on call now (or that
/// nobody is: a coverage gap) and who takes over next. `oncalls` covers `[now, horizon)`.
#[component]
pub fn Levels(policy: EscalationPolicy, oncalls: Vec<OnCall>, horizon: Millis) -> impl IntoView {
    let clock = use_clock();
    let zone = use_zone();
    let loops = policy.num_loops;
    let count = policy.escalation_rules.len();
    let known = oncalls.clone();
    wake_at_next_change(move |now| levels::next_change(&known, now));
    move || {
        let now = clock.now();
        crate::browser::mark_painted("levels");
        let z = zone.get();
        let when = |t: Millis| z.format(t, Style::DayTime);
        if count == 0 {
            return view! { <p class="empty">"This escalation policy has no levels: nobody is notified."</p> }.into_any();
        }
        view! {
            <ol class="plain levels">
                {levels::levels(&policy, &oncalls, now, horizon)
                    .into_iter()
                    .map(|level| {
                        let last = level.number as usize == count;
                        let then = match (last, loops) {
                            (false, _) => format!("escalates after {} min", level.delay_minutes),
                            (true, 0) => "the last level".into(),
                            (true, n) => format!("after {} min the policy starts again ({n} more {})", level.delay_minutes, if n == 1 { "time" } else { "times" }),
                        };
                        let gap = level.now.is_empty();
                        let targets = level.targets.into_iter().map(|t| view! { <li>{target_link(t)}</li> }).collect_view();
                        let next = match level.next {
                            Some(h) if h.people.is_empty() => view! {
                                <p class="gap-next">{format!("From {}: nobody, a coverage gap.", when(h.at))}</p>
                            }.into_any(),
                            Some(h) => view! {
                                <p class="next-heading">{format!("Next, from {}:", when(h.at))}</p>
                                {people(h.people, &when)}
                            }.into_any(),
                            None if !gap && level.now.iter().all(|p| p.until.is_none()) => ().into_any(),
                            None => view! { <p class="muted">{format!("No change in the next {POLICY_LOOKAHEAD_DAYS} days.")}</p> }.into_any(),
                        };
                        view! {
                            <li class="level" class:uncovered=gap>
                                <h2>{format!("Level {}", level.number)} <span class="muted">{format!(" · {then}")}</span></h2>
                                <div class="targets"><span class="muted">"Notifies "</span><ul class="plain inline">{targets}</ul></div>
                                {if gap {
                                    view! { <p class="gap-now"><strong>"Nobody is on call at this level now."</strong>" An incident that reaches it notifies no one: a coverage gap. Check the schedules above in PagerDuty."</p> }.into_any()
                                } else {
                                    view! { <p class="now-heading">"On call now:"</p> {people(level.now, &when)} }.into_any()
                                }}
                                {next}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    }
}

/// Who is on call now at the first level of a policy, for a list row; "Nobody" is a gap.
pub fn first_level_now(entries: &[OnCall], policy_id: &str, now: Millis) -> AnyView {
    let people = levels::on_duty(entries, policy_id, 1, now);
    if people.is_empty() {
        return view! { <span class="nobody-text">"Nobody"</span> }.into_any();
    }
    people
        .into_iter()
        .map(|p| view! { <span class="person"><PersonLink id=p.id name=p.name /></span> })
        .collect_view()
        .into_any()
}
