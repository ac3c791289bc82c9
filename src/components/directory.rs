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
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::endpoints;
use oncall_core::api::types::OnCall;
use oncall_core::levels;
use oncall_core::routes::{with_param, Route};
use oncall_core::text::thousands;

pub use crate::client::loads::Directory as Kind;

#[component]
pub fn Directory(kind: Kind) -> impl IntoView {
    let nav = use_nav();
    let clock = use_clock();
    let server_query = Memo::new(move |_| nav.param("q").unwrap_or_default());
    let team = Memo::new(move |_| nav.param("team").unwrap_or_default());
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
    // The teams to narrow to; an account without teams (402) simply has no choice to make.
    let teams = resource(move |c| {
        clock.renewing();
        async move { c.all(&endpoints::teams(""), None).await }
    });
    let choose = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        let query = with_param(
            &nav.query_untracked(),
            "team",
            (!chosen.is_empty()).then_some(chosen.as_str()),
        );
        nav.set_query(query, false);
    };
    let team_choice = move || {
        let teams = teams.get()?.ok()?.items;
        let chosen = team.get();
        (!teams.is_empty()).then(|| {
            view! {
                <label class="team-choice">
                    "Team "
                    <select on:change=choose>
                        <option value="" selected=chosen.is_empty()>"Every team"</option>
                        {teams
                            .into_iter()
                            .map(|t| {
                                let selected = t.id == chosen;
                                let name = t.display_name().to_string();
                                view! { <option value=t.id selected=selected>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
        })
    };
    view! {
        <section class="panel" aria-labelledby="directory-heading">
            <h1 id="directory-heading">{heading}</h1>
            <div class="filters">
                <SearchBox filter label=search />
                {team_choice}
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
    // Only the first level's entries are kept per row; the page draws itself again at the
    // next handover among them.
    let (oncalls, problem) = match data.oncalls {
        Ok(all) => (
            all.into_iter()
                .filter(|o| o.escalation_level == Some(1))
                .collect::<Vec<_>>(),
            None,
        ),
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
