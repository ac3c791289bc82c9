//! One team: its members with their role, time zone and contact, and its schedules.

use crate::api::types::{Schedule, Team, TeamMember};
use crate::client::{resource, Listing, Progress};
use crate::components::link::{PagerDutyLink, PersonLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::components::search::{matches, SearchBox};
use crate::form;
use crate::navigation::use_nav;
use crate::routes::Route;
use crate::time::thousands;
use leptos::prelude::*;

/// `GET /teams/{id}` answers `{"team": {...}}`.
#[derive(serde::Deserialize)]
struct TeamEnvelope {
    team: Team,
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let nav = use_nav();
    let id = Memo::new(move |_| nav.param("id").unwrap_or_default());
    let progress = RwSignal::new(Progress::default());
    let filter = RwSignal::new(String::new());
    let team = resource(move |c| {
        let id = id.get();
        async move {
            c.get::<TeamEnvelope>(&format!("/teams/{}", form::encode(&id)), &[])
                .await
                .map(|e| e.team)
        }
    });
    let members = resource(move |c| {
        let id = id.get();
        async move {
            c.all::<TeamMember>(
                &format!("/teams/{}/members", form::encode(&id)),
                &[("include[]", "users")],
                "members",
                Some(progress),
            )
            .await
        }
    });
    let schedules = resource(move |c| {
        let id = id.get();
        async move {
            c.all::<Schedule>(
                "/schedules",
                &[("team_ids[]", id.as_str())],
                "schedules",
                None,
            )
            .await
        }
    });
    view! {
        <nav class="crumbs"><RouteLink route=Route::Teams>"← All teams"</RouteLink></nav>
        <section class="panel" aria-labelledby="team-heading">
            <Loaded resource=team label="the team" render={move |team: Team| view! {
                <h1 id="team-heading">{team.display_name().to_string()}</h1>
                {team.description.clone().filter(|d| !d.is_empty()).map(|d| view! { <p class="muted">{d}</p> })}
                <p class="links"><PagerDutyLink url=team.html_url.clone()>"Open in PagerDuty"</PagerDutyLink></p>
            }} />
        </section>
        <div class="columns wide-first">
            <section class="panel" aria-labelledby="members-heading">
                <h2 id="members-heading">"Members"</h2>
                <SearchBox filter label="Find a member" server=false />
                <Loaded resource=members label="team members" progress render={move |list: Listing<TeamMember>| view! { <MemberTable list filter /> }} />
            </section>
            <section class="panel" aria-labelledby="team-schedules-heading">
                <h2 id="team-schedules-heading">"Schedules"</h2>
                <Loaded resource=schedules label="the team's schedules" render={move |list: Listing<Schedule>| {
                    if list.items.is_empty() {
                        view! { <p class="empty">"This team has no schedules you can see."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain">
                                {list.items.into_iter().map(|s| view! {
                                    <li><RouteLink route=Route::Schedule(s.id.clone())>{s.display_name().to_string()}</RouteLink></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }} />
            </section>
        </div>
    }
}

#[component]
fn MemberTable(list: Listing<TeamMember>, filter: RwSignal<String>) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p class="empty">"This team has no members."</p> }.into_any();
    }
    let total = list.items.len();
    let names: Vec<String> = list
        .items
        .iter()
        .map(|m| m.user.display_name().to_string())
        .collect();
    let shown = move || names.iter().filter(|n| matches(n, &filter.get())).count();
    // A long table is drawn a slice per frame, so no single task holds the page for long.
    // The <For> is keyed by slice, so each step compares a few keys and appends one slice.
    let members = StoredValue::new(list.items);
    let drawn = RwSignal::new(total.min(ROWS_PER_FRAME));
    draw_more(drawn, total);
    view! {
        {list.truncated.then(|| view! { <p class="notice" role="status">"PagerDuty lists at most 10,000 members here; the rest are not shown."</p> })}
        <p class="muted count" aria-live="polite">{move || format!("{} of {} members", thousands(shown()), thousands(total))}</p>
        <table class="list members">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Time zone"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col"><span class="visually-hidden">"PagerDuty profile"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=move || 0..drawn.get().div_ceil(ROWS_PER_FRAME) key=|chunk| *chunk let:chunk>
                    {members.with_value(|all| {
                        let rows = chunk * ROWS_PER_FRAME..((chunk + 1) * ROWS_PER_FRAME).min(all.len());
                        all[rows].iter().map(|m| member_row(m, filter)).collect_view()
                    })}
                </For>
            </tbody>
        </table>
    }
    .into_any()
}

/// Rows added per animation frame when drawing a long table.
const ROWS_PER_FRAME: usize = 150;

/// Grows `drawn` to `total` one slice per frame; marks the table drawn when it is complete.
fn draw_more(drawn: RwSignal<usize>, total: usize) {
    if drawn.get_untracked() >= total {
        crate::browser::mark_painted("team-members");
        return;
    }
    request_animation_frame(move || {
        if drawn
            .try_update(|d| *d = (*d + ROWS_PER_FRAME).min(total))
            .is_some()
        {
            draw_more(drawn, total);
        }
    });
}

fn member_row(member: &TeamMember, filter: RwSignal<String>) -> impl IntoView + use<> {
    let user = member.user.clone();
    let name = user.display_name().to_string();
    let hidden_name = name.clone();
    let mail = (!user.email.is_empty()).then(|| format!("mailto:{}", user.email));
    view! {
        <tr class:hidden=move || !matches(&hidden_name, &filter.get())>
            <th scope="row"><PersonLink id=user.id.clone() name /></th>
            <td class="role">{member.role.clone()}</td>
            <td>{user.time_zone.clone().unwrap_or_default()}</td>
            <td>{mail.map(|href| view! { <a href=href>{user.email.clone()}</a> })}</td>
            <td><PagerDutyLink url=user.html_url.clone()>"Profile"</PagerDutyLink></td>
        </tr>
    }
}
