//! Every team the user can see, with search.

use crate::client::clock::use_clock;
use crate::client::{resource, Listing, Progress};
use crate::components::link::RouteLink;
use crate::components::loaded::Loaded;
use crate::components::search::{matches, SearchBox};
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::endpoints;
use oncall_core::api::types::Team;
use oncall_core::routes::Route;
use oncall_core::text::thousands;

#[component]
pub fn TeamsPage() -> impl IntoView {
    let nav = use_nav();
    let server_query = Memo::new(move |_| nav.param("q").unwrap_or_default());
    let filter = RwSignal::new(server_query.get_untracked());
    let progress = RwSignal::new(Progress::default());
    let clock = use_clock();
    let teams = resource(move |c| {
        let q = server_query.get();
        clock.renewing();
        async move { c.all(&endpoints::teams(&q), Some(progress)).await }
    });
    view! {
        <section class="panel" aria-labelledby="teams-heading">
            <h1 id="teams-heading">"Teams"</h1>
            <SearchBox filter label="Find a team" />
            <Loaded resource=teams label="teams" progress render={move |list: Listing<Team>| view! { <TeamList list filter /> }} />
        </section>
    }
}

#[component]
fn TeamList(list: Listing<Team>, filter: RwSignal<String>) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p class="empty">"No teams found. Your account may have none you can see, or the search matched none."</p> }.into_any();
    }
    let total = list.items.len();
    let names: Vec<String> = list
        .items
        .iter()
        .map(|t| t.display_name().to_string())
        .collect();
    let shown = move || names.iter().filter(|n| matches(n, &filter.get())).count();
    view! {
        {list.truncated.then(|| view! { <p class="notice" role="status">"PagerDuty lists at most 10,000 teams; search to find the rest."</p> })}
        <p class="muted count" aria-live="polite">{move || format!("Showing {} of {}", thousands(shown()), thousands(total))}</p>
        <ul class="cards">
            {list
                .items
                .into_iter()
                .map(|team| {
                    let name = team.display_name().to_string();
                    let hidden_name = name.clone();
                    view! {
                        <li class:hidden=move || !matches(&hidden_name, &filter.get())>
                            <RouteLink route=Route::Team(team.id.clone())>{name}</RouteLink>
                            {team.description.clone().filter(|d| !d.is_empty()).map(|d| view! { <p class="muted">{d}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
