//! Every escalation policy, with who is on call now at its first level.

use crate::components::directory::{Directory, Kind};
use leptos::prelude::*;

#[component]
pub fn EscalationPoliciesPage() -> impl IntoView {
    view! { <Directory kind=Kind::EscalationPolicies /> }
}
