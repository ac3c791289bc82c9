//! One module per view, and [`view_for`], the only place a route meets its page: adding a
//! view touches `routes.rs` (its path and title) and its page file, plus one line here.

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

use crate::routes::Route;
use leptos::prelude::*;

/// The signed-in page for `route` (`None`: no view has that path). A page reads its own
/// parameters from the address, so it stays mounted while only they change.
pub fn view_for(route: Option<Route>) -> AnyView {
    match route {
        Some(Route::Home) => view! { <home::HomePage /> }.into_any(),
        Some(Route::Schedules) => view! { <schedules::SchedulesPage /> }.into_any(),
        Some(Route::Schedule(_)) => view! { <schedule::SchedulePage /> }.into_any(),
        Some(Route::Teams) => view! { <teams::TeamsPage /> }.into_any(),
        Some(Route::Team(_)) => view! { <team::TeamPage /> }.into_any(),
        Some(Route::User(_)) => view! { <user::UserPage /> }.into_any(),
        Some(Route::EscalationPolicies) => {
            view! { <escalation_policies::EscalationPoliciesPage /> }.into_any()
        }
        Some(Route::EscalationPolicy(_)) => {
            view! { <escalation_policy::EscalationPolicyPage /> }.into_any()
        }
        Some(Route::Services) => view! { <services::ServicesPage /> }.into_any(),
        Some(Route::Service(_)) => view! { <service::ServicePage /> }.into_any(),
        None => view! { <not_found::NotFound /> }.into_any(),
    }
}
