//! Shows a loading resource: a placeholder while it loads, its data, or its error.

use crate::api::ApiError;
use crate::client::{settled, Progress};
use crate::text::thousands;
use leptos::prelude::*;

/// Renders `resource` with `render` once it has loaded. While it loads, a placeholder keeps
/// the space (and counts pages when `progress` is given); an error is a sentence for this
/// panel only, with a retry button, and the rest of the page keeps working.
#[component]
pub fn Loaded<T, V, R>(
    resource: LocalResource<Result<T, ApiError>>,
    /// What is loading, for the placeholder and the error ("team members").
    label: &'static str,
    render: R,
    #[prop(optional)] progress: Option<RwSignal<Progress>>,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    let status = move || {
        let counted = progress
            .map(|p| p.get())
            .filter(|p| p.total > 0)
            .map(|p| format!(" Loaded {} of {}.", thousands(p.loaded), thousands(p.total)));
        format!("Loading {label}…{}", counted.unwrap_or_default())
    };
    view! {
        <Transition fallback=move || view! {
            <div class="skeleton" role="status" aria-live="polite">
                <span class="skeleton-text">{status}</span>
                <span class="skeleton-bar"></span>
                <span class="skeleton-bar"></span>
                <span class="skeleton-bar short"></span>
            </div>
        }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match settled(resource).await {
                        Ok(data) => render(data).into_any(),
                        Err(error) => view! {
                            <div class="error" role="alert">
                                <p>{format!("Could not load {label}. {error}")}</p>
                                <button class="secondary" on:click=move |_| resource.refetch()>"Try again"</button>
                            </div>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
}
