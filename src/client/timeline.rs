//! Loads that take several requests: a schedule of either kind, and people's names.

use super::Client;
use crate::api::{self, check_id, endpoints, ApiError};
use crate::browser::{self, now_ms};
use crate::time::Window;
use crate::timeline::{Timeline, V2Reader};
use leptos::prelude::document;
use std::collections::HashMap;

/// A schedule's timeline for `window`. Shift-based (v3) first; PagerDuty answers 400 for a
/// schedule that has not been upgraded, and then the layered (v2) API has it.
pub async fn load(client: &Client, id: &str, window: Window) -> Result<Timeline, ApiError> {
    let id = check_id(id)?;
    let v3 = client.get(&endpoints::schedule_v3(id, window)).await;
    match v3 {
        Ok(envelope) => {
            let names = names(client, &Timeline::v3_user_ids(&envelope.schedule)).await;
            Ok(Timeline::from_v3(&envelope.schedule, &names))
        }
        Err(ApiError::Other { status: 400, .. } | ApiError::NotFound | ApiError::Forbidden(_)) => {
            let layered = endpoints::schedule(id, window);
            let query = endpoints::pairs(&layered.query);
            let response = client.get_response(&layered.path, &query).await?;
            if let Some(error) = api::status_error(&response) {
                return Err(error);
            }
            read_layered(response.body).await
        }
        Err(other) => Err(other),
    }
}

/// Reads a layered schedule's answer a slice at a time, giving the page back to the browser
/// every few milliseconds: two weeks of a busy schedule (100,000 entries, 25 MB) read at once
/// would block it for a quarter of a second. A hidden tab reads it in one go (its timers are
/// slowed to one a second, and nobody is waiting on its input).
async fn read_layered(text: String) -> Result<Timeline, ApiError> {
    const SLICE_BYTES: usize = 64 * 1024;
    let mut reader = V2Reader::new(text);
    let mut since = now_ms();
    while reader.step(SLICE_BYTES) {
        if now_ms() - since >= browser::paint::BUDGET_MS && !document().hidden() {
            browser::sleep(0).await;
            since = now_ms();
        }
    }
    reader.finish().map_err(ApiError::Decode)
}

/// Names for user IDs, fetched together; an ID that cannot be looked up keeps no name.
pub async fn names(client: &Client, ids: &[String]) -> HashMap<String, String> {
    let lookups = ids.iter().map(|id| async move {
        let user = client.get(&endpoints::user(id)).await;
        user.ok()
            .map(|u| (id.clone(), u.user.display_name().to_string()))
    });
    futures::future::join_all(lookups)
        .await
        .into_iter()
        .flatten()
        .collect()
}
