//! Shown instead of the app when it cannot run: `config.json` is missing or wrong, or the
//! page is framed by a site `config.json` does not name.

use leptos::prelude::*;
use oncall_core::config::ConfigProblem;

const EXAMPLE: &str = r#"{
  "client_id": "your PagerDuty app's client ID",
  "scope": "read",
  "region": "us"
}"#;

/// A site that `embed_parent_origins` does not list frames the page: it does not run there
/// (that site could dress its buttons in its own interface), and offers its own tab instead.
#[component]
pub fn FramedElsewhere() -> impl IntoView {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    view! {
        <main class="setup">
            <p role="alert">
                "This page only runs inside the portals its configuration names, and this site is not one of them. "
                <a href=href target="_blank" rel="noopener noreferrer">"Open it in its own tab"</a>
                "."
            </p>
        </main>
    }
}

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
