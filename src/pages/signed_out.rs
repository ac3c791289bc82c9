//! The front door: sign in, or see why the last sign-in did not finish.

use crate::auth::{Auth, AuthContext};
use leptos::prelude::*;
use oncall_core::config::Scope;

#[component]
pub fn SignedOutPage() -> impl IntoView {
    let ctx = expect_context::<AuthContext>();
    let start_error = RwSignal::new(None::<String>);
    let state = ctx.state();
    let message = move || match &*state.read() {
        Auth::SignedOut {
            notice: Some(notice),
        } => Some((notice.to_string(), "notice")),
        Auth::Failed { error, .. } => Some((error.to_string(), "error")),
        Auth::InPopup => Some((
            "Finish signing in in the window that just opened.".to_string(),
            "notice",
        )),
        _ => None,
    };
    let failed = move || matches!(&*state.read(), Auth::Failed { .. });
    // PagerDuty's own words, quoted apart from ours; only a refusal of this tab's own
    // sign-in carries any (see `CallbackError::pagerduty_says`).
    let quote = move || match &*state.read() {
        Auth::Failed { error, .. } => error.pagerduty_says().map(str::to_string),
        _ => None,
    };
    let read_only = ctx.with_config(|c| c.scope == Scope::Read);
    let leaving = ctx.leaving();
    view! {
        <main class="sign-in">
            <h1>"PagerDuty on call"</h1>
            <p class="lede">"Your on-call shifts, your schedules and your teams, at a glance."</p>
            {move || {
                message()
                    .map(|(text, class)| {
                        view! {
                            <p class=class role=if class == "error" { "alert" } else { "status" }>
                                {text}
                            </p>
                        }
                    })
            }}
            {move || quote().map(|text| view! {
                <figure class="pagerduty-says">
                    <blockquote>{text}</blockquote>
                    <figcaption>"PagerDuty"</figcaption>
                </figure>
            })}
            <button
                class="primary"
                on:click=move |_| {
                    if let Err(error) = ctx.sign_in() {
                        start_error.set(Some(error.to_string()));
                    }
                }
                disabled=move || leaving.get()
            >
                {move || if failed() { "Try again" } else { "Sign in with PagerDuty" }}
            </button>
            {move || start_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            // The same words as index.html's first screen, then what depends on config.json,
            // below them: the app's screen adds to the first one without moving it.
            <p class="fine-print">
                "Your sign-in stays in this browser tab and is sent only to PagerDuty. You can revoke this page's access in PagerDuty at any time."
            </p>
            <p class="fine-print">
                {if read_only {
                    "This page asks PagerDuty for read-only access: it sees what you can see and never changes anything."
                } else {
                    "This page asks PagerDuty for read and write access, but only ever reads."
                }}
            </p>
        </main>
    }
}
