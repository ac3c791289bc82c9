//! An escalation policy level by level, and the one-line "on call now" of a list row: both
//! drawn from `/oncalls` entries at the clock's "now", so they stay true across a handover.

use crate::browser::zone::Style;
use crate::client::clock::{use_clock, wake_at_next_change};
use crate::client::loads::POLICY_LOOKAHEAD_DAYS;
use crate::components::link::{PersonLink, RouteLink};
use crate::components::zone::use_zone;
use leptos::prelude::*;
use oncall_core::api::types::{EscalationPolicy, OnCall, Target};
use oncall_core::cover::{CoverLink, Writes};
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

/// With write access: who is looking (as the ID token says, only to leave out "Take" on their
/// own shifts), for a link to take a shift on a level.
#[derive(Clone)]
struct Taking {
    me: Option<String>,
    nav: crate::navigation::Nav,
}

impl Taking {
    /// Write access, or `None`.
    fn here() -> Option<Taking> {
        let auth = crate::auth::use_auth()?;
        (auth.writes() == Writes::Allowed).then(|| Taking {
            me: auth.session().and_then(|s| s.user_id),
            nav: crate::navigation::use_nav(),
        })
    }

    /// "Take" for `p`'s shift from `from` (through a schedule, and ending), unless it is theirs.
    fn link(&self, p: &OnDuty, from: Millis) -> Option<impl IntoView> {
        let (via, end) = (p.via.as_ref()?, p.until?);
        if self.me.as_deref() == Some(p.id.as_str()) {
            return None;
        }
        let link = CoverLink {
            schedule: via.id.clone(),
            start: from - from.rem_euclid(oncall_core::time::MINUTE),
            end,
            for_user: Some(p.id.clone()),
        };
        Some(view! { <a class="action" href=self.nav.href(&link.href())>"Take"</a> })
    }
}

/// People on call from `from`, each a link, with until when and through which schedule (and,
/// with write access, a link to take their shift).
fn people(
    people: Vec<OnDuty>,
    when: &impl Fn(Millis) -> String,
    from: Millis,
    taking: &Option<Taking>,
) -> impl IntoView {
    view! {
        <ul class="plain on-duty">
            {people
                .into_iter()
                .map(|p| {
                    let until = match p.until {
                        Some(t) => format!(" until {}", when(t)),
                        None => " (always, named on this level)".into(),
                    };
                    let take = taking.as_ref().and_then(|t| t.link(&p, from));
                    view! {
                        <li>
                            <PersonLink id=p.id name=p.name />
                            <span class="muted">{until}{p.via.map(|s| format!(" · {}", s.summary))}</span>
                            {take}
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
    let taking = Taking::here();
    move || {
        let now = clock.now();
        crate::browser::mark_painted("levels");
        let z = zone.get();
        let when = |t: Millis| z.format(t, Style::DayTime);
        if count == 0 {
            return view! { <p class="empty">"This escalation policy has no levels: nobody is notified."</p> }.into_any();
        }
        let all = levels::levels(&policy, &oncalls, now, horizon);
        let reaches_nobody = levels::taken_by(&all, 1).is_none();
        let skipped = |number: u32| -> String {
            match levels::taken_by(&all, number) {
                Some(l) if l.number > number => format!(
                    "An incident goes straight to level {} ({}).",
                    l.number,
                    names(&l.now)
                ),
                Some(l) => format!(
                    "PagerDuty passes over it: level {} ({}) is the last notified.",
                    l.number,
                    names(&l.now)
                ),
                None => String::new(),
            }
        };
        let drawn = all
            .iter()
            .map(|level| {
                let last = level.number as usize == count;
                let then = match (last, loops) {
                    (false, _) => format!("escalates after {} min", level.delay_minutes),
                    (true, 0) => "the last level".into(),
                    (true, n) => format!("after {} min the policy starts again ({n} more {})", level.delay_minutes, if n == 1 { "time" } else { "times" }),
                };
                let empty = level.now.is_empty();
                let targets = level.targets.iter().cloned().map(|t| view! { <li>{target_link(t)}</li> }).collect_view();
                let next = match level.next.clone() {
                    Some(h) if h.people.is_empty() => view! {
                        <p class="gap-next">{format!("From {}: nobody at this level.", when(h.at))}</p>
                    }.into_any(),
                    Some(h) => view! {
                        <p class="next-heading">{format!("Next, from {}:", when(h.at))}</p>
                        {people(h.people, &when, h.at, &taking)}
                    }.into_any(),
                    None if !empty && level.now.iter().all(|p| p.until.is_none()) => ().into_any(),
                    None => view! { <p class="muted">{format!("No change in the next {POLICY_LOOKAHEAD_DAYS} days.")}</p> }.into_any(),
                };
                let now_part = if !empty {
                    view! { <p class="now-heading">"On call now:"</p> {people(level.now.clone(), &when, now, &taking)} }.into_any()
                } else if reaches_nobody {
                    view! { <p class="gap-now"><strong>"Nobody is on call at this level now."</strong>" Nor at any other: an incident notifies no one, a coverage gap. Check the schedules above in PagerDuty."</p> }.into_any()
                } else {
                    view! { <p class="skipped-now"><strong>{format!("Nobody at level {} now.", level.number)}</strong>" "{skipped(level.number)}</p> }.into_any()
                };
                view! {
                    <li class="level" class:uncovered=empty && reaches_nobody class:skipped=empty && !reaches_nobody>
                        <h2>{format!("Level {}", level.number)} <span class="muted">{format!(" · {then}")}</span></h2>
                        <div class="targets"><span class="muted">"Notifies "</span><ul class="plain inline">{targets}</ul></div>
                        {now_part}
                        {next}
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="plain levels">{drawn}</ol> }.into_any()
    }
}

/// Names of people on duty, for a sentence: "Ana Lima, Bo Li".
fn names(people: &[OnDuty]) -> String {
    people
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who an incident reaches first now, for a list row: level 1, or the first level below it with
/// anyone on it (PagerDuty passes over an empty level at once). "Nobody" at every level is a gap.
pub fn first_level_now(entries: &[OnCall], policy_id: &str, now: Millis) -> AnyView {
    let Some((level, people)) = levels::first_reached(entries, policy_id, now) else {
        return view! { <span class="nobody-text">"Nobody"</span> }.into_any();
    };
    view! {
        {(level > 1).then(|| view! { <span class="muted">{format!("Nobody at level 1 · level {level}: ")}</span> })}
        {people
            .into_iter()
            .map(|p| view! { <span class="person"><PersonLink id=p.id name=p.name /></span> })
            .collect_view()}
    }
    .into_any()
}
