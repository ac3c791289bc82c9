//! One module per view, and [`view_for`], the only place a view's kind meets its page. Each
//! page reads its own parameters from the address (`use_nav().id()`, `param(…)`), so it stays
//! mounted while only they change.
//!
//! My on-call, the sign-in and the shell are in the first download; every other view's code is
//! a wasm module of its own ([`split_page!`]), fetched ahead of need: for the view in the
//! address by the loader, while the main module downloads (its `viewModules` follows the
//! `split_page!` lines below), and by [`prefetch`] for a link's view when the pointer or the
//! keyboard reaches it, and for all of them once the signed-in page is idle.

pub mod away;
pub mod board;
pub mod changes;
pub mod cover;
pub mod coverage;
pub mod escalation_policies;
pub mod escalation_policy;
pub mod home;
pub mod hours;
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
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use oncall_core::routes::Page;

/// The signed-in page for `page` (`None`: no view has that path).
pub fn view_for(page: Option<Page>) -> AnyView {
    match page {
        Some(Page::Home) => view! { <home::HomePage /> }.into_any(),
        Some(Page::Schedules) => deferred(|| Box::pin(schedules_page())),
        Some(Page::Schedule) => deferred(|| Box::pin(schedule_page())),
        Some(Page::Teams) => deferred(|| Box::pin(teams_page())),
        Some(Page::Team) => deferred(|| Box::pin(team_page())),
        Some(Page::User) => deferred(|| Box::pin(user_page())),
        Some(Page::EscalationPolicies) => deferred(|| Box::pin(policies_page())),
        Some(Page::EscalationPolicy) => deferred(|| Box::pin(policy_page())),
        Some(Page::Services) => deferred(|| Box::pin(services_page())),
        Some(Page::Service) => deferred(|| Box::pin(service_page())),
        Some(Page::Coverage) => deferred(|| Box::pin(coverage_page())),
        Some(Page::Hours) => deferred(|| Box::pin(hours_page())),
        Some(Page::Board) => deferred(|| Box::pin(board_page())),
        Some(Page::Cover) => deferred(|| Box::pin(cover_page())),
        Some(Page::Away) => deferred(|| Box::pin(away_page())),
        None => view! { <not_found::NotFound /> }.into_any(),
    }
}

/// A page whose code is a wasm module of its own, `$module` (see `components::deferred`).
macro_rules! split_page {
    ($module:ident, $name:ident, $preload:ident, $page:path) => {
        #[wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $name() -> Result<AnyView, Missing> {
            Ok(untrack(|| $page().into_any()))
        }
    };
}

split_page!(
    timeline,
    schedule_page,
    preload_schedule,
    schedule::SchedulePage
);
split_page!(team, team_page, preload_team, team::TeamPage);
split_page!(person, user_page, preload_user, user::UserPage);
split_page!(service, service_page, preload_service, service::ServicePage);
split_page!(
    policy,
    policy_page,
    preload_policy,
    escalation_policy::EscalationPolicyPage
);
split_page!(
    lists,
    schedules_page,
    preload_schedules,
    schedules::SchedulesPage
);
split_page!(lists, teams_page, preload_teams, teams::TeamsPage);
split_page!(
    lists,
    services_page,
    preload_services,
    services::ServicesPage
);
split_page!(
    lists,
    policies_page,
    preload_policies,
    escalation_policies::EscalationPoliciesPage
);
split_page!(
    coverage,
    coverage_page,
    preload_coverage,
    coverage::CoveragePage
);
split_page!(hours, hours_page, preload_hours, hours::HoursPage);
split_page!(board, board_page, preload_board, board::BoardPage);
split_page!(cover, cover_page, preload_cover, cover::CoverPage);
split_page!(cover, away_page, preload_away, away::AwayPage);

/// Starts fetching the module `page`'s view is in, unless it has arrived or is on its way; a
/// failed fetch is tried again by the next call (or by the view, which says so).
pub fn prefetch(page: Page) {
    leptos::task::spawn_local(async move {
        let _: Result<(), SplitLoaderError> = match page {
            Page::Home => Ok(()),
            Page::Schedules => preload_schedules().await,
            Page::Schedule => preload_schedule().await,
            Page::Teams => preload_teams().await,
            Page::Team => preload_team().await,
            Page::User => preload_user().await,
            Page::EscalationPolicies => preload_policies().await,
            Page::EscalationPolicy => preload_policy().await,
            Page::Services => preload_services().await,
            Page::Service => preload_service().await,
            Page::Coverage => preload_coverage().await,
            Page::Hours => preload_hours().await,
            Page::Board => preload_board().await,
            Page::Cover => preload_cover().await,
            Page::Away => preload_away().await,
        };
    });
}

/// Fetches every view's module once the page is idle: the browser has nothing to do and no
/// request has been on its way for a second, so that the modules never share a slow link with
/// the first view's data (on slow 4G they made My on-call 0.7 s later, measured).
pub fn prefetch_all_when_idle() {
    const QUIET_MS: f64 = 1_000.0;
    leptos::task::spawn_local(async {
        loop {
            crate::browser::idle().await;
            let quiet = crate::browser::fetch::quiet_ms();
            if quiet >= QUIET_MS {
                break;
            }
            crate::browser::sleep((QUIET_MS - quiet) as u64 + 1).await;
        }
        Page::ALL.iter().copied().for_each(prefetch);
    });
}
