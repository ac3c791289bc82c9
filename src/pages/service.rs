//! One service and the levels of its escalation policy, now and next: what a portal embeds
//! beside a service (`/service?id=…&embed=1`).

use crate::client::clock::use_clock;
use crate::client::loads;
use crate::client::{resource, settled};
use crate::components::levels::Levels;
use crate::components::link::{PagerDutyLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::endpoints;
use oncall_core::api::types::Service;
use oncall_core::routes::Route;

#[component]
pub fn ServicePage() -> impl IntoView {
    let nav = use_nav();
    let clock = use_clock();
    let id = nav.id();
    let service = resource(move |c| {
        let id = id.get();
        clock.renewing();
        async move { Ok(c.get(&endpoints::service(&id)?).await?.service) }
    });
    // The levels load in a panel of their own: a failure there leaves the service shown.
    let levels = resource(move |c| {
        let start = clock.epoch();
        async move {
            let service = settled(service).await?;
            match service.escalation_policy {
                Some(policy) => Ok(Some(loads::policy(&c, &policy.id, start).await?)),
                None => Ok(None),
            }
        }
    });
    view! {
        <section class="panel" aria-labelledby="service-heading">
            <Loaded resource=service label="this service" render=service_view />
        </section>
        <section class="panel" aria-label="Who is on call">
            <Loaded resource=levels label="who is on call" render=move |policy| match policy {
                Some((policy, oncalls, horizon)) => {
                    let (id, name) = (policy.id.clone(), policy.display_name().to_string());
                    view! {
                    <p class="policy-name">"Escalation policy: "<RouteLink route=Route::EscalationPolicy(id)>{name}</RouteLink></p>
                    <Levels policy oncalls horizon />
                }.into_any() }
                None => view! {
                    <p class="gap-now"><strong>"This service has no escalation policy you can see."</strong>" PagerDuty may notify nobody for it, or the policy is hidden from your account: ask a PagerDuty admin."</p>
                }.into_any(),
            } />
        </section>
    }
}

fn service_view(service: Service) -> impl IntoView {
    let status = service.status.clone();
    view! {
        <h1 id="service-heading">
            {service.display_name().to_string()}
            {(!status.is_empty()).then(|| view! { <span class=format!("badge status-{status}")>{status.clone()}</span> })}
        </h1>
        <p class="muted">
            {service.description.clone().filter(|d| !d.is_empty()).map(|d| format!("{d} · "))}
            {service.teams.into_iter().map(|t| view! { <RouteLink route=Route::Team(t.id)>{t.summary}</RouteLink>" · " }).collect_view()}
            <PagerDutyLink url=service.html_url.clone()>"Open in PagerDuty"</PagerDutyLink>
        </p>
    }
}
