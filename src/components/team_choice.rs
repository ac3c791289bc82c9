//! A team to narrow a view to, kept in the address as `?team=` so a portal can link to it. An
//! account without teams (PagerDuty answers 402 on plans without them) has no choice to make.

use crate::client::clock::use_clock;
use crate::client::resource;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::endpoints;
use oncall_core::routes::with_param;

/// The team in the address (empty: none).
pub fn chosen_team() -> Memo<String> {
    let nav = use_nav();
    Memo::new(move |_| nav.param("team").unwrap_or_default())
}

/// A `<select>` of every team, with `none` ("Every team", "Choose a team") for no team.
#[component]
pub fn TeamChoice(none: &'static str) -> impl IntoView {
    let nav = use_nav();
    let clock = use_clock();
    let team = chosen_team();
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
    move || {
        let teams = teams.get()?.ok()?.items;
        let chosen = team.get();
        (!teams.is_empty()).then(|| {
            view! {
                <label class="team-choice">
                    "Team "
                    <select on:change=choose>
                        <option value="" selected=chosen.is_empty()>{none}</option>
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
    }
}
