use crate::components::link::RouteLink;
use leptos::prelude::*;
use oncall_core::routes::Route;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="panel">
            <h1>"Page not found"</h1>
            <p>"This address is not a page of this app. It may be an old or mistyped link."</p>
            <p><RouteLink route=Route::Home>"Go to your on-call overview"</RouteLink></p>
        </section>
    }
}
