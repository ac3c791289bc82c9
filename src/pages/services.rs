//! Every service, with who is on call now at the first level of its escalation policy.

use crate::components::directory::{Directory, Kind};
use leptos::prelude::*;

#[component]
pub fn ServicesPage() -> impl IntoView {
    view! { <Directory kind=Kind::Services /> }
}
