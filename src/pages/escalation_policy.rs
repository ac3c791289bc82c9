//! One escalation policy: every level in order with who is on call now and next, its services
//! and teams, and a link to it in PagerDuty.

use crate::client::clock::use_clock;
use crate::client::loads;
use crate::client::resource;
use crate::components::levels::Levels;
use crate::components::link::{PagerDutyLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::types::{EscalationPolicy, OnCall};
use oncall_core::routes::Route;
use oncall_core::time::Millis;

#[component]
pub fn EscalationPolicyPage() -> impl IntoView {
    let nav = use_nav();
    let clock = use_clock();
    let id = nav.id();
    let policy = resource(move |c| {
        let (id, start) = (id.get(), clock.epoch());
        async move { loads::policy(&c, &id, start).await }
    });
    view! {
        <section class="panel" aria-labelledby="policy-heading">
            <Loaded resource=policy label="this escalation policy" render=policy_view />
        </section>
    }
}

fn policy_view(
    (policy, oncalls, horizon): (EscalationPolicy, Vec<OnCall>, Millis),
) -> impl IntoView {
    let repeats = match policy.num_loops {
        0 => "Does not repeat.".to_string(),
        1 => "Repeats once after its last level.".to_string(),
        n => format!("Repeats {n} times after its last level."),
    };
    let services = policy.services.clone();
    let teams = policy.teams.clone();
    view! {
        <h1 id="policy-heading">{policy.display_name().to_string()}</h1>
        <p class="muted">
            {policy.description.clone().filter(|d| !d.is_empty()).map(|d| format!("{d} · "))}
            {repeats}" "
            <PagerDutyLink url=policy.html_url.clone()>"Open in PagerDuty"</PagerDutyLink>
        </p>
        {(!teams.is_empty()).then(|| view! {
            <p>"Team: "{teams.into_iter().map(|t| view! { <RouteLink route=Route::Team(t.id)>{t.summary}</RouteLink>" " }).collect_view()}</p>
        })}
        <p>
            {if services.is_empty() { "No services use this policy.".into_any() } else {
                view! { "Services: "{services.into_iter().map(|s| view! { <RouteLink route=Route::Service(s.id)>{s.summary}</RouteLink>" " }).collect_view()} }.into_any()
            }}
        </p>
        <Levels policy oncalls horizon />
    }
}
