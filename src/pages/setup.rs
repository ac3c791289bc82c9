//! Shown instead of the app when `config.json` is missing or wrong.

use crate::config::ConfigProblem;
use leptos::prelude::*;

const EXAMPLE: &str = r#"{
  "client_id": "your PagerDuty app's client ID",
  "scope": "read",
  "region": "us"
}"#;

#[component]
pub fn SetupPage(problems: Vec<ConfigProblem>) -> impl IntoView {
    view! {
        <main class="setup">
            <h1>"This page needs to be set up"</h1>
            <p>
                "Whoever deployed this page must fix its "<code>"config.json"</code>
                " (next to index.html). No rebuild is needed: edit the file, then reload."
            </p>
            <ul class="problems" role="alert">
                {problems.into_iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}
            </ul>
            <p>"A minimal config.json:"</p>
            <pre><code>{EXAMPLE}</code></pre>
        </main>
    }
}
