//! Links inside the app that keep the view's time zone.

use crate::app::AuthContext;
use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// `<A>` leaves an absolute href as it is, so the base path (`/tools/oncall`) is added here.
#[component]
pub fn RouteLink(route: Route, children: Children) -> impl IntoView {
    let location = use_location();
    let base = use_context::<AuthContext>().map(|ctx| ctx.base);
    let href = move || {
        let href = route.href(&location.search.get());
        base.map(|b| b.with_value(|b| b.full_path(&href)))
            .unwrap_or(href)
    };
    view! { <A href=href>{children()}</A> }
}

/// A person's name, linking to what they are on call for.
#[component]
pub fn PersonLink(id: String, name: String) -> impl IntoView {
    view! { <RouteLink route=Route::User(id)>{name}</RouteLink> }
}

/// A link out to PagerDuty's own page, in a new tab, with no referrer or opener.
#[component]
pub fn PagerDutyLink(url: Option<String>, children: Children) -> impl IntoView {
    url.filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(|url| {
            view! {
                <a class="external" href=url target="_blank" rel="noopener noreferrer">
                    {children()}
                </a>
            }
        })
}
