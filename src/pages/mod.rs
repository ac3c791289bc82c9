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
        Some(Page::Team) => deferred(|| Box::pin(team_page())),
        Some(Page::User) => deferred(|| Box::pin(user_page())),
        Some(Page::EscalationPolicies) => {
            view! { <escalation_policies::EscalationPoliciesPage /> }.into_any()
        }
        Some(Page::EscalationPolicy) => deferred(|| Box::pin(policy_page())),
        Some(Page::Services) => view! { <services::ServicesPage /> }.into_any(),
        Some(Page::Service) => deferred(|| Box::pin(service_page())),
        None => view! { <not_found::NotFound /> }.into_any(),
    }
}


/// A page whose code is a wasm module of its own, `$module` (see `components::deferred`).
macro_rules! split_page {
    ($module:ident, $name:ident, $preload:ident, $page:path) => {
        #[leptos::wasm_split::wasm_split(
            $module,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            preload($preload)
        )]
        fn $name() -> Result<AnyView, Missing> {
            Ok(untrack(|| $page().into_any()))
        }
    };
}

split_page!(timeline, schedule_page, preload_schedule, schedule::SchedulePage);
split_page!(team, team_page, preload_team, team::TeamPage);
split_page!(person, user_page, preload_user, user::UserPage);
split_page!(service, service_page, preload_service, service::ServicePage);
split_page!(policy, policy_page, preload_policy, escalation_policy::EscalationPolicyPage);
