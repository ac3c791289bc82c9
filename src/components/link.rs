//! Links inside the app that keep the view's time zone.

use crate::auth::use_auth;
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::hosts::pagerduty_web_link;
use oncall_core::routes::Route;

/// A link to a view, written the page's way (under its base, as a path or after a `#`); a
/// plain click changes the view in place (see `Nav`). It is marked as the current page while
/// its view is shown.
#[component]
pub fn RouteLink(route: Route, children: Children) -> impl IntoView {
    let nav = use_nav();
    let current = {
        let route = route.clone();
        move || {
            let shown =
                nav.path().with(|path| Route::at(path, &nav.query())) == Some(route.clone());
            shown.then_some("page")
        }
    };
    let href = move || nav.href(&route.href(&nav.query()));
    view! { <a href=href aria-current=current>{children()}</a> }
}

/// A person's name, linking to what they are on call for.
#[component]
pub fn PersonLink(id: String, name: String) -> impl IntoView {
    view! { <RouteLink route=Route::User(id)>{name}</RouteLink> }
}

/// A link out to PagerDuty's own page, in a new tab, with no referrer or opener; none unless
/// the address is one of PagerDuty's for this account's region
/// ([`pagerduty_web_link`]).
#[component]
pub fn PagerDutyLink(url: Option<String>, children: Children) -> impl IntoView {
    let api = use_auth()
        .and_then(|a| a.session())
        .map(|s| s.api_base_url)
        .unwrap_or_default();
    url.filter(|u| pagerduty_web_link(u, &api).is_some())
        .map(|url| {
            view! {
                <a class="external" href=url target="_blank" rel="noopener noreferrer">
                    {children()}
                </a>
            }
        })
}
