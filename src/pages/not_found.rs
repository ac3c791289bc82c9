use crate::routes::Route;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="panel">
            <h1>"Page not found"</h1>
            <p>"This address is not a page of this app. It may be an old or mistyped link."</p>
            <p><A href=Route::Home.path()>"Go to your on-call overview"</A></p>
        </section>
    }
}
