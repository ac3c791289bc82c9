//! Shows a loading resource: a placeholder while it loads, its data, or its error.

use crate::api::ApiError;
use leptos::prelude::*;

/// Renders `resource` with `render` once it has loaded. While it loads, a placeholder keeps
/// the space; an error is a sentence for this panel only, with a retry button, and the rest
/// of the page keeps working.
#[component]
pub fn Loaded<T, V, R>(
    resource: LocalResource<Result<T, ApiError>>,
    /// What is loading, for the placeholder and the error ("team members").
    label: &'static str,
    render: R,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Transition fallback=move || view! {
            <p class="skeleton" role="status" aria-live="polite">{format!("Loading {label}…")}</p>
        }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => render(data).into_any(),
                        Err(error) => view! {
                            <div class="error" role="alert">
                                <p>{format!("Could not load {label}. {error}")}</p>
                                <button class="secondary" on:click=move |_| resource.refetch()>"Retry"</button>
                            </div>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
}
