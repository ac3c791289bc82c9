//! Coverage: where nobody is on call over the next 7, 14 or 30 days, across the account or for
//! a team (`?team=`, `?days=`). First the times an incident reaches nobody at all, in red; then
//! each schedule's or level's gaps, saying who PagerDuty moves the incident on to.

use crate::browser::zone::{BrowserZone, Style};
use crate::client::account::{self, CoverageData};
use crate::client::clock::use_clock;
use crate::client::resource;
use crate::components::link::RouteLink;
use crate::components::loaded::Loaded;
use crate::components::team_choice::{chosen_team, TeamChoice};
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::types::Reference;
use oncall_core::cover::{CoverLink, Writes};
use oncall_core::coverage::{Gap, Place, Verdict};
use oncall_core::routes::{with_param, Route};
use oncall_core::text::{duration, thousands};
use oncall_core::time::{date_param, local, Window, DAY};

/// The ranges offered, in days; the first is not the default.
const RANGES: [i64; 3] = [7, 14, 30];
const DEFAULT_DAYS: i64 = 14;

#[component]
pub fn CoveragePage() -> impl IntoView {
    let nav = use_nav();
    let clock = use_clock();
    let team = chosen_team();
    let zone = use_zone();
    let days = Memo::new(move |_| {
        nav.param("days")
            .and_then(|d| d.parse::<i64>().ok())
            .filter(|d| RANGES.contains(d))
            .unwrap_or(DEFAULT_DAYS)
    });
    let window = Memo::new(move |_| {
        let start = clock.epoch();
        Window {
            start,
            end: start + days.get() * DAY,
        }
    });
    let data = resource(move |c| {
        let (team, window) = (team.get(), window.get());
        async move { account::coverage(&c, &team, window).await }
    });
    let choose_days = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        let value = (chosen != DEFAULT_DAYS.to_string()).then_some(chosen.as_str());
        nav.set_query(with_param(&nav.query_untracked(), "days", value), false);
    };
    view! {
        <section class="panel" aria-labelledby="coverage-heading">
            <h1 id="coverage-heading">"Coverage"</h1>
            <div class="filters">
                <label>
                    "Next "
                    <select on:change=choose_days prop:value=move || days.get().to_string()>
                        {RANGES.map(|d| view! { <option value=d.to_string()>{format!("{d} days")}</option> })}
                    </select>
                </label>
                <TeamChoice none="Every team" />
            </div>
            <Loaded
                resource=data
                label="every schedule and escalation policy"
                render={move |data: CoverageData| {
                    let window = window.get_untracked();
                    // Drawn again in another zone when the header's zone changes.
                    move || view! { <Report data=data.clone() window zone=zone.get() /> }
                }}
            />
        </section>
    }
}

#[component]
fn Report(data: CoverageData, window: Window, zone: BrowserZone) -> impl IntoView {
    crate::browser::mark_painted("coverage");
    let range = format!(
        "{} – {}",
        zone.format(window.start, Style::DayTime),
        zone.format(window.end, Style::DayTime)
    );
    let checked = format!(
        "Checked {} schedule{} and {} escalation polic{} from {range} ({}), with {} request{} to PagerDuty.",
        thousands(data.schedules),
        if data.schedules == 1 { "" } else { "s" },
        thousands(data.policies),
        if data.policies == 1 { "y" } else { "ies" },
        zone.name(),
        thousands(data.requests as usize),
        if data.requests == 1 { "" } else { "s" },
    );
    let (critical, rest): (Vec<Gap>, Vec<Gap>) = data
        .gaps
        .into_iter()
        .partition(|g| matches!(g.verdict, Verdict::ReachesNobody { .. }));
    let (unused, covered): (Vec<Gap>, Vec<Gap>) = rest
        .into_iter()
        .partition(|g| g.verdict == Verdict::OnNoPolicy);
    let none = critical.is_empty() && covered.is_empty() && unused.is_empty();
    let unreadable = data.unreadable;
    view! {
        <p class="muted count" role="status">{checked}</p>
        {data.truncated.then(|| view! { <p class="notice">"PagerDuty lists at most 10,000 of a kind; the rest were not checked."</p> })}
        {(!unreadable.is_empty()).then(|| view! {
            <p class="notice">{format!(
                "PagerDuty would not show {}: a level pointing there is taken to have someone.",
                unreadable.iter().map(|r| r.summary.as_str()).collect::<Vec<_>>().join(", ")
            )}</p>
        })}
        {none.then(|| view! {
            <p class="all-covered">{format!("No gaps: someone is on call on every schedule and at every level from {range}.")}</p>
        })}
        {(!critical.is_empty()).then(|| view! {
            <h2 class="critical-heading">"An incident reaches nobody"</h2>
            <p class="muted">"Nobody at any level of these policies: PagerDuty notifies no one."</p>
            {groups(critical, &zone, true)}
        })}
        {(!covered.is_empty()).then(|| view! {
            <h2>"Gaps"</h2>
            <p class="muted">"Nobody on these schedules or levels. PagerDuty passes over a level with nobody on it at once, so each says who an incident reaches instead."</p>
            {groups(covered, &zone, false)}
        })}
        {(!unused.is_empty()).then(|| view! {
            <h2>"Schedules on no escalation policy"</h2>
            <p class="muted">"No policy you can see pages these, so their gaps page nobody, and neither does anyone on them."</p>
            {groups(unused, &zone, false)}
        })}
    }
}

/// "Mon 7 Dec, 18:00 – Tue 8 Dec, 08:00 (14 h)"
fn when(window: Window, zone: &BrowserZone) -> String {
    format!(
        "{} – {} ({})",
        zone.format(window.start, Style::DayTime),
        zone.format(window.end, Style::DayTime),
        duration(window.len())
    )
}

/// The services that page through a policy, as links.
fn services(services: Vec<Reference>) -> AnyView {
    if services.is_empty() {
        return view! { <div class="muted">"No service you can see uses it."</div> }.into_any();
    }
    view! {
        <div>
            <span class="muted">"Services: "</span>
            <ul class="plain inline">
                {services.into_iter().map(|s| view! { <li><RouteLink route=Route::Service(s.id)>{s.summary}</RouteLink></li> }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

/// Gaps grouped by where they are, each group in the order its first gap comes, folded to one
/// line (unless `open`): a fortnight of nightly gaps is one row, open to see each night.
fn groups(gaps: Vec<Gap>, zone: &BrowserZone, open: bool) -> impl IntoView {
    let mut groups: Vec<(Place, Vec<Gap>)> = vec![];
    for gap in gaps {
        match groups.iter_mut().find(|(place, _)| *place == gap.place) {
            Some((_, list)) => list.push(gap),
            None => groups.push((gap.place.clone(), vec![gap])),
        }
    }
    view! {
        <ul class="plain gaps" class:critical=open>
            {groups.into_iter().map(|(place, gaps)| group(place, gaps, zone, open)).collect_view()}
        </ul>
    }
}

fn group(place: Place, gaps: Vec<Gap>, zone: &BrowserZone, open: bool) -> impl IntoView {
    let total: i64 = gaps.iter().map(|g| g.window.len()).sum();
    let count = gaps.len();
    let nobody_then = gaps.iter().any(|g| g.verdict.is_critical());
    let nav = use_nav();
    let (name, title) = match place.clone() {
        Place::Schedule(s) => (
            view! { <RouteLink route=Route::Schedule(s.id)>{s.summary}</RouteLink> }.into_any(),
            String::new(),
        ),
        Place::Level { policy, level, missing } => (
            view! { <RouteLink route=Route::EscalationPolicy(policy.id)>{policy.summary}</RouteLink> }.into_any(),
            format!(", level {level}: points at {}, a schedule that no longer exists", missing.summary),
        ),
        Place::Policy(p) => (
            view! { <RouteLink route=Route::EscalationPolicy(p.id)>{p.summary}</RouteLink> }.into_any(),
            String::new(),
        ),
    };
    let paged_by = match gaps.first().map(|g| &g.verdict) {
        Some(Verdict::ReachesNobody { services: list }) => Some(services(list.clone())),
        _ => None,
    };
    let schedule = match &place {
        Place::Schedule(s) => Some(s.id.clone()),
        _ => None,
    };
    // With write access, a schedule's gap can be taken (an override for the person looking).
    let writes = crate::auth::use_auth().is_some_and(|a| a.writes() == Writes::Allowed);
    let rows = gaps
        .into_iter()
        .map(|g| {
            let take = schedule.as_ref().filter(|_| writes).map(|id| {
                let link = CoverLink { schedule: id.clone(), start: g.window.start, end: g.window.end, for_user: None };
                view! { " · " <a class="action" href=nav.href(&link.href())>"Take this shift"</a> }
            });
            // A schedule's gap links to that day of its timeline.
            let day = date_param(local(zone, g.window.start));
            let link = schedule.as_ref().map(|id| {
                let path = Route::Schedule(id.clone()).href(&nav.query_untracked());
                nav.href(&format!("{path}&start={day}&span=day"))
            });
            let text = when(g.window, zone);
            view! {
                <li class:nobody=g.verdict.is_critical()>
                    {match link {
                        Some(href) => view! { <a href=href>{text}</a> }.into_any(),
                        None => view! { <span>{text}</span> }.into_any(),
                    }}
                    // Under "An incident reaches nobody" each row would only say it again.
                    {(!open).then(|| view! { " · " <span class="verdict">{verdict_text(&g.verdict)}</span> })}
                    {take}
                </li>
            }
        })
        .collect_view();
    view! {
        <li class:nobody=nobody_then>
            <details open=open>
                <summary>
                    {name}{title}
                    <span class="muted">{format!(" · {count} gap{}, {} in all", if count == 1 { "" } else { "s" }, duration(total))}</span>
                </summary>
                {paged_by}
                <ul class="plain">{rows}</ul>
            </details>
        </li>
    }
}

fn names(policies: &[Reference]) -> String {
    policies
        .iter()
        .map(|p| p.summary.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What happens to an incident during a gap, in words.
fn verdict_text(verdict: &Verdict) -> String {
    match verdict {
        Verdict::CoveredBy(levels) => {
            let each: Vec<String> = levels
                .iter()
                .map(|(p, level)| format!("covered by level {level} of {}", p.summary))
                .collect();
            each.join("; ")
        }
        Verdict::InPolicyGap { nobody, covered } => {
            let mut text = format!("{} reaches nobody then", names(nobody));
            if !covered.is_empty() {
                text.push_str("; ");
                text.push_str(&verdict_text(&Verdict::CoveredBy(covered.clone())));
            }
            text
        }
        Verdict::OnNoPolicy => "on no escalation policy".into(),
        Verdict::ReachesNobody { .. } => "the policy reaches nobody".into(),
    }
}
