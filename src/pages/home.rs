//! The overview: who you are, the schedules you can see, and your teams with their members.

use crate::api::types::{Schedule, Team, TeamMember, User, UserEnvelope};
use crate::client::{use_client, Client, Listing};
use crate::components::loaded::Loaded;
use crate::form;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let Some(client) = use_client() else {
        return ().into_any();
    };
    // Independent requests: created together, so they run at the same time.
    let me = resource(&client, |c| async move {
        c.get::<UserEnvelope>("/users/me", &[])
            .await
            .map(|e| e.user)
    });
    let schedules = resource(&client, |c| async move {
        c.all::<Schedule>("/schedules", &[], "schedules").await
    });
    let teams = resource(&client, |c| async move {
        c.all::<Team>("/teams", &[], "teams").await
    });

    view! {
        <section class="panel" aria-labelledby="me-heading">
            <Loaded resource=me label="your profile" render={move |user: User| view! { <Profile user /> }} />
        </section>
        <div class="columns">
            <section class="panel" aria-labelledby="schedules-heading">
                <h2 id="schedules-heading">"Schedules"</h2>
                <Loaded
                    resource=schedules
                    label="schedules"
                    render={move |list: Listing<Schedule>| view! { <ScheduleList list /> }}
                />
            </section>
            <section class="panel" aria-labelledby="teams-heading">
                <h2 id="teams-heading">"Teams"</h2>
                <Loaded
                    resource=teams
                    label="teams"
                    render={move |list: Listing<Team>| view! { <TeamList list /> }}
                />
            </section>
        </div>
    }
    .into_any()
}

/// A resource that loads with the signed-in client.
fn resource<T, Fut>(client: &Client, load: impl Fn(Client) -> Fut + 'static) -> LocalResource<T>
where
    T: 'static,
    Fut: std::future::Future<Output = T> + 'static,
{
    let client = client.clone();
    LocalResource::new(move || load(client.clone()))
}

#[component]
fn Profile(user: User) -> impl IntoView {
    let zone = user
        .time_zone
        .clone()
        .unwrap_or_else(|| "no time zone set".into());
    view! {
        <h1 id="me-heading" class="user-name">{user.display_name().to_string()}</h1>
        <p class="muted">
            {user.email.clone()} " · " {zone}
            {user.html_url.clone().map(|url| view! {
                " · " <a href=url rel="noopener noreferrer" target="_blank">"Your PagerDuty profile"</a>
            })}
        </p>
    }
}

#[component]
fn ScheduleList(list: Listing<Schedule>) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p class="empty">"You cannot see any schedules in PagerDuty."</p> }
            .into_any();
    }
    view! {
        <Truncated truncated=list.truncated />
        <ul class="schedules">
            {list
                .items
                .into_iter()
                .map(|schedule| {
                    let zone = schedule.time_zone.clone().unwrap_or_default();
                    view! {
                        <li>
                            <span class="name">{schedule.display_name().to_string()}</span>
                            <span class="muted">{zone}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn TeamList(list: Listing<Team>) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p class="empty">"There are no teams you can see in PagerDuty."</p> }
            .into_any();
    }
    view! {
        <Truncated truncated=list.truncated />
        <ul class="teams">
            {list.items.into_iter().map(|team| view! { <TeamCard team /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn TeamCard(team: Team) -> impl IntoView {
    let client = use_client();
    let path = format!("/teams/{}/members", form::encode(&team.id));
    let members = client.map(|client| {
        resource(&client, move |c| {
            let path = path.clone();
            async move {
                c.all::<TeamMember>(&path, &[("include[]", "users")], "members")
                    .await
            }
        })
    });
    view! {
        <li class="team">
            <h3>{team.display_name().to_string()}</h3>
            {members.map(|members| view! {
                <Loaded
                    resource=members
                    label="team members"
                    render={move |list: Listing<TeamMember>| view! { <MemberList list /> }}
                />
            })}
        </li>
    }
}

#[component]
fn MemberList(list: Listing<TeamMember>) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p class="empty">"This team has no members."</p> }.into_any();
    }
    view! {
        <Truncated truncated=list.truncated />
        <ul class="members">
            {list
                .items
                .into_iter()
                .map(|member| {
                    view! {
                        <li>
                            <span class="name">{member.user.display_name().to_string()}</span>
                            <span class="role">{member.role.clone()}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Truncated(truncated: bool) -> impl IntoView {
    truncated.then(|| view! {
        <p class="notice" role="status">
            "PagerDuty lists at most 10,000 entries here; the rest are not shown. Use PagerDuty's own search to find them."
        </p>
    })
}
