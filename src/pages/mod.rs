//! One module per view, and [`view_for`], the only place a view's kind meets its page. Each
//! page reads its own parameters from the address (`use_nav().id()`, `param(…)`), so it stays
//! mounted while only they change.

pub mod escalation_policies;
pub mod escalation_policy;
pub mod home;
pub mod not_found;
pub mod schedule;
pub mod schedules;
pub mod service;
pub mod services;
pub mod setup;
pub mod signed_out;
pub mod team;
pub mod teams;
pub mod user;

use crate::components::deferred::{deferred, Missing};
use leptos::prelude::*;
use oncall_core::routes::Page;

/// The signed-in page for `page` (`None`: no view has that path).
pub fn view_for(page: Option<Page>) -> AnyView {
    match page {
        Some(Page::Home) => view! { <home::HomePage /> }.into_any(),
        Some(Page::Schedules) => view! { <schedules::SchedulesPage /> }.into_any(),
        Some(Page::Schedule) => deferred(|| Box::pin(schedule_page())),
        Some(Page::Teams) => view! { <teams::TeamsPage /> }.into_any(),
        Some(Page::Team) => view! { <team::TeamPage /> }.into_any(),
        Some(Page::User) => view! { <user::UserPage /> }.into_any(),
        Some(Page::EscalationPolicies) => {
            view! { <escalation_policies::EscalationPoliciesPage /> }.into_any()
        }
        Some(Page::EscalationPolicy) => {
            view! { <escalation_policy::EscalationPolicyPage /> }.into_any()
        }
        Some(Page::Services) => view! { <services::ServicesPage /> }.into_any(),
        Some(Page::Service) => view! { <service::ServicePage /> }.into_any(),
        None => view! { <not_found::NotFound /> }.into_any(),
    }
}

#[leptos::wasm_split::wasm_split(timeline, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_timeline))]
fn schedule_page() -> Result<AnyView, Missing> {
    Ok(view! { <schedule::SchedulePage /> }.into_any())
}
