//! A search box: filters what is loaded as you type, and asks PagerDuty on Enter.

use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::routes::with_param;

/// `filter` follows every keystroke (instant, client-side). With `server` (the default),
/// submitting puts the text in the URL as `?q=`, which the page sends to PagerDuty as `query`
/// to search every record, not only those loaded.
#[component]
pub fn SearchBox(
    filter: RwSignal<String>,
    label: &'static str,
    #[prop(default = true)] server: bool,
) -> impl IntoView {
    let nav = use_nav();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !server {
            return;
        }
        let text = filter.get_untracked();
        let text = text.trim();
        let query = with_param(
            &nav.query_untracked(),
            "q",
            (!text.is_empty()).then_some(text),
        );
        nav.set_query(query, false);
    };
    view! {
        <form class="search" role="search" on:submit=submit>
            <label for="search-input">{label}</label>
            <input
                id="search-input"
                type="search"
                autocomplete="off"
                prop:value=move || filter.get()
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            {server.then(|| view! { <button type="submit" class="secondary">"Search PagerDuty"</button> })}
        </form>
    }
}

/// Case-insensitive "contains", for instant filtering.
pub fn matches(name: &str, filter: &str) -> bool {
    let filter = filter.trim();
    filter.is_empty() || lower(name).contains(&lower(filter))
}

/// `text` in lower case, by the browser (Rust's own `to_lowercase` brings Unicode's case
/// tables into the download, about 5 KB compressed).
fn lower(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}
