//! Loading that spans several requests: a schedule of either kind, and people's names.

use crate::api::types::{ScheduleEnvelope, ScheduleV3Envelope, UserEnvelope};
use crate::api::ApiError;
use crate::client::Client;
use crate::form;
use crate::time::{format_iso_utc, Window};
use crate::timeline::Timeline;
use std::collections::HashMap;

/// A schedule's timeline for `window`. Shift-based (v3) first; PagerDuty answers 400 for a
/// schedule that has not been upgraded, and then the layered (v2) API has it.
pub async fn timeline(client: &Client, id: &str, window: Window) -> Result<Timeline, ApiError> {
    let (since, until) = (format_iso_utc(window.start), format_iso_utc(window.end));
    let id_path = form::encode(id);
    let v3 = client
        .get::<ScheduleV3Envelope>(
            &format!("/v3/schedules/{id_path}"),
            &[
                ("include[]", "final_schedule"),
                ("since", &since),
                ("until", &until),
            ],
        )
        .await;
    match v3 {
        Ok(envelope) => {
            let names = names(client, &Timeline::v3_user_ids(&envelope.schedule)).await;
            Ok(Timeline::from_v3(&envelope.schedule, &names))
        }
        Err(ApiError::Other { status: 400, .. } | ApiError::NotFound | ApiError::Forbidden(_)) => {
            let envelope = client
                .get::<ScheduleEnvelope>(
                    &format!("/schedules/{id_path}"),
                    &[("since", &since), ("until", &until)],
                )
                .await?;
            Ok(Timeline::from_v2(&envelope.schedule))
        }
        Err(other) => Err(other),
    }
}

/// Names for user IDs, fetched together; an ID that cannot be looked up keeps no name.
pub async fn names(client: &Client, ids: &[String]) -> HashMap<String, String> {
    let lookups = ids.iter().map(|id| async move {
        let user = client
            .get::<UserEnvelope>(&format!("/users/{}", form::encode(id)), &[])
            .await;
        user.ok()
            .map(|u| (id.clone(), u.user.display_name().to_string()))
    });
    futures::future::join_all(lookups)
        .await
        .into_iter()
        .flatten()
        .collect()
}
