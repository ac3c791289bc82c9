//! Shows a loading resource: a placeholder while it loads, its data, or its error.

use crate::client::{settled, ApiResource, Progress};
use leptos::prelude::*;
use oncall_core::api::ApiError;
use oncall_core::text::thousands;

/// A view of loaded data, or why there is none, still to come.
type Drawn = std::pin::Pin<Box<dyn std::future::Future<Output = Result<AnyView, ApiError>> + Send>>;

/// Renders `resource` with `render` once it has loaded. While it loads, a placeholder keeps
/// the space (and counts pages when `progress` is given); an error is a sentence for this
/// panel only, with a retry button, and the rest of the page keeps working.
///
/// Only the line that turns the data into a view depends on the data's type; the placeholder,
/// the error and the waiting are [`shown`], once for every panel of the app (written per
/// type, they cost several kilobytes of download each).
#[component]
pub fn Loaded<T, V, R>(
    resource: ApiResource<T>,
    /// What is loading, for the placeholder and the error ("team members").
    label: &'static str,
    render: R,
    #[prop(optional)] progress: Option<RwSignal<Progress>>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    let draw = move || -> Drawn {
        let render = render.clone();
        Box::pin(async move { settled(resource).await.map(|data| render(data).into_any()) })
    };
    shown(
        label,
        progress,
        std::sync::Arc::new(draw),
        std::sync::Arc::new(move || resource.refetch()),
    )
}

/// The panel around a [`Loaded`] view, for any type of data.
fn shown(
    label: &'static str,
    progress: Option<RwSignal<Progress>>,
    draw: std::sync::Arc<dyn Fn() -> Drawn + Send + Sync>,
    retry: std::sync::Arc<dyn Fn() + Send + Sync>,
) -> AnyView {
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
                let (draw, retry) = (draw.clone(), retry.clone());
                Suspend::new(async move {
                    match draw().await {
                        Ok(view) => view,
                        Err(error) => view! {
                            <div class="error" role="alert">
                                <p>{format!("Could not load {label}. {error}")}</p>
                                <button class="secondary" on:click=move |_| retry()>"Try again"</button>
                            </div>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
    .into_any()
}
