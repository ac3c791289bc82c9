//! The services and escalation policies lists: every one the user can see (all pages), a
//! search sent to PagerDuty, an instant filter, a team to narrow to (`?team=`), and who is on
//! call now at the first level of each, kept true across handovers. One table for both: they
//! differ only in what a row is.

use crate::client::clock::{use_clock, wake_at_next_change};
use crate::client::loads::{self, DirectoryData};
use crate::client::{resource, Progress};
use crate::components::levels::first_level_now;
use crate::components::link::RouteLink;
use crate::components::loaded::Loaded;
use crate::components::search::{matches, SearchBox};
use crate::components::team_choice::{chosen_team, TeamChoice};
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::types::OnCall;
use oncall_core::levels;
use oncall_core::routes::Route;
use oncall_core::text::thousands;

pub use crate::client::loads::Directory as Kind;

#[component]
pub fn Directory(kind: Kind) -> impl IntoView {
    let nav = use_nav();
    let clock = use_clock();
    let server_query = Memo::new(move |_| nav.param("q").unwrap_or_default());
    let team = chosen_team();
    let filter = RwSignal::new(server_query.get_untracked());
    let progress = RwSignal::new(Progress::default());
    let (heading, label, search) = match kind {
        Kind::Services => ("Services", "services", "Find a service"),
        Kind::EscalationPolicies => (
            "Escalation policies",
            "escalation policies",
            "Find a policy",
        ),
    };
    let list = resource(move |c| {
        let (q, team, start) = (server_query.get(), team.get(), clock.epoch());
        async move { loads::directory(&c, kind, &q, &team, start, progress).await }
    });
    view! {
        <section class="panel" aria-labelledby="directory-heading">
            <h1 id="directory-heading">{heading}</h1>
            <div class="filters">
                <SearchBox filter label=search />
                <TeamChoice none="Every team" />
            </div>
            <Loaded resource=list label progress render={move |data: DirectoryData| view! { <Table data filter kind /> }} />
        </section>
    }
}

#[component]
fn Table(data: DirectoryData, filter: RwSignal<String>, kind: Kind) -> impl IntoView {
    let clock = use_clock();
    let rows = data.rows.items;
    if rows.is_empty() {
        return view! { <p class="empty">"None found. Your account may have none you can see, or the search matched none."</p> }.into_any();
    }
    let total = rows.len();
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let shown = move || names.iter().filter(|n| matches(n, &filter.get())).count();
    // Every level's entries: a row names who an incident reaches first, level 1 or, when
    // nobody is on it, the first level with someone. The page draws itself again at the next
    // handover among them.
    let (oncalls, problem) = match data.oncalls {
        Ok(all) => (all, None),
        Err(e) => (vec![], Some(e)),
    };
    let known = problem.is_none();
    let next = oncalls.clone();
    wake_at_next_change(move |now| levels::next_change(&next, now));
    view! {
        {data.rows.truncated.then(|| view! { <p class="notice" role="status">"PagerDuty lists at most 10,000; search to find the rest."</p> })}
        {problem.map(|e| view! { <p class="error" role="alert">{format!("Could not load who is on call. {e}")}</p> })}
        <p class="muted count" aria-live="polite">{move || format!("Showing {} of {}", thousands(shown()), thousands(total))}</p>
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">{if kind == Kind::Services { "Service" } else { "Escalation policy" }}</th>
                    <th scope="col">"Notified first now"</th>
                    <th scope="col">"Team"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let name = row.name.clone();
                        let mine: Vec<OnCall> = row
                            .policy
                            .as_ref()
                            .map(|p| oncalls.iter().filter(|o| o.escalation_policy.as_ref().is_some_and(|e| e.id == p.id)).cloned().collect())
                            .unwrap_or_default();
                        let policy = row.policy.clone();
                        let now_cell = move || match (&policy, known) {
                            (None, _) => view! { <span class="nobody-text">"No escalation policy"</span> }.into_any(),
                            (Some(_), false) => view! { <span class="muted">"—"</span> }.into_any(),
                            (Some(p), true) => first_level_now(&mine, &p.id, clock.now()),
                        };
                        view! {
                            <tr class:hidden=move || !matches(&name, &filter.get())>
                                <th scope="row">
                                    <RouteLink route=row.route>{row.name}</RouteLink>
                                    {(!row.status.is_empty()).then(|| view! { <span class=format!("badge status-{}", row.status)>{row.status.clone()}</span> })}
                                </th>
                                <td>{now_cell}</td>
                                <td>{row.teams.into_iter().map(|t| view! { <RouteLink route=Route::Team(t.id)>{t.summary}</RouteLink>" " }).collect_view()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
