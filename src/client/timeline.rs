//! Loads that take several requests: a schedule of either kind, and people's names.

use super::Client;
use crate::api::{check_id, endpoints, ApiError};
use crate::time::Window;
use crate::timeline::Timeline;
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
            let envelope = client.get(&endpoints::schedule(id, window)).await?;
            Ok(Timeline::from_v2(&envelope.schedule))
        }
        Err(other) => Err(other),
    }
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
