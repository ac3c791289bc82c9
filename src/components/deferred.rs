//! A view whose code is not in the first download: it arrives, as a wasm module of its own,
//! the first time the view is needed (or earlier, when the page is idle; see [`prefetch`]).
//!
//! The build splits the wasm where a function is marked `#[wasm_split(…)]` (see
//! `.ci/trunk-wasm`). Such a function is `fallible` here: a module that does not arrive is a
//! sentence and a button on the page, never a panic, and trying again fetches it afresh.

use crate::browser;
use crate::client::notice::{Notices, Ticket, Waiting};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A split module that did not arrive (offline, or the deploy changed under the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Missing;

impl From<leptos::wasm_split::SplitLoaderError> for Missing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Missing
    }
}

/// The split function that draws a view.
pub type Draw = Pin<Box<dyn Future<Output = Result<AnyView, Missing>> + Send>>;

/// Draws what `draw` returns once its module has arrived; meanwhile a quiet "Loading…" in the
/// place the view will take. Offline, it waits for the connection as the page's requests do
/// (with the same notice), and tries again by itself.
///
/// `draw` is a function pointer, not a closure type: each closure would be a type of its own,
/// and the suspense, its future and its view built again for each view (measured: 14 copies).
pub fn deferred(draw: fn() -> Draw) -> AnyView {
    let attempt = RwSignal::new(0u32);
    let notices = use_context::<Notices>();
    view! {
        <Suspense fallback=loading>
            {move || {
                attempt.track();
                Suspend::new(async move {
                    match draw().await {
                        Ok(view) => view,
                        Err(Missing) if !browser::is_online() => {
                            wait_for_connection(notices, attempt);
                            loading().into_any()
                        }
                        Err(Missing) => view! {
                            <div class="error" role="alert">
                                <p>
                                    "This part of the page did not arrive. Check the connection \
                                     and try again; if a new version was deployed meanwhile, \
                                     reload the page."
                                </p>
                                <button class="secondary" on:click=move |_| attempt.update(|n| *n += 1)>
                                    "Try again"
                                </button>
                            </div>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

fn loading() -> impl IntoView {
    view! { <p class="quiet" role="status">"Loading…"</p> }
}

/// Offline: says so as the page's requests do, and tries again once the connection is back
/// (unless the view was left meanwhile).
fn wait_for_connection(notices: Option<Notices>, attempt: RwSignal<u32>) {
    let mut ticket = Ticket::default();
    if let Some(notices) = notices {
        notices.raise(&mut ticket, Waiting::Offline);
    }
    leptos::task::spawn_local(async move {
        browser::until_online().await;
        // Still shown (and so the signed-in page, whose notice it is, still there)?
        if attempt.try_update(|n| *n += 1).is_some() {
            if let Some(notices) = notices {
                notices.clear(&ticket);
            }
        }
    });
}
