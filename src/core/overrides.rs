//! Overrides on layered (v2) schedules: the requests that read, create and remove them, and what
//! PagerDuty's answers mean. The groundwork of "Cover me" (issue 18); the views come next.
//!
//! PagerDuty answers a create with **201 even when some overrides failed**: a status and
//! errors per item, read one by one here. It does not refuse overlapping overrides (the last
//! created wins), so a caller reads those already in the range first ([`list`]). A removal is
//! 204 for one not yet started and 200 for one under way, which PagerDuty cuts short at now.

use crate::api::endpoints::{Get, Query};
use crate::api::types::Reference;
use crate::api::{check_id, ApiError};
use crate::form;
use crate::time::{format_iso_utc, Millis, Window};
use serde::Deserialize;

/// Someone to take a schedule from `start` to `end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cover {
    pub start: Millis,
    pub end: Millis,
    pub user_id: String,
}

/// A POST with a JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    pub path: String,
    pub body: String,
}

fn overrides_path(schedule_id: &str, rest: &str) -> Result<String, ApiError> {
    Ok(format!(
        "/schedules/{}/overrides{rest}",
        form::encode(check_id(schedule_id)?)
    ))
}

/// `POST /schedules/{id}/overrides` with every cover in one request. Instants go as UTC, so the
/// range is exact whatever zone the page shows; `time_zone` says which zone PagerDuty shows it
/// in (its documentation's field; the spec's schema leaves it out).
pub fn create(schedule_id: &str, covers: &[Cover], time_zone: &str) -> Result<Post, ApiError> {
    for c in covers {
        check_id(&c.user_id)?;
    }
    let overrides: Vec<serde_json::Value> = covers
        .iter()
        .map(|c| {
            serde_json::json!({
                "start": format_iso_utc(c.start),
                "end": format_iso_utc(c.end),
                "user": {"id": c.user_id, "type": "user_reference"},
                "time_zone": time_zone,
            })
        })
        .collect();
    Ok(Post {
        path: overrides_path(schedule_id, "")?,
        body: serde_json::json!({ "overrides": overrides }).to_string(),
    })
}

/// One override as PagerDuty writes it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Override {
    #[serde(default)]
    pub id: Option<String>,
    pub start: String,
    pub end: String,
    pub user: Reference,
}

/// `GET /schedules/{id}/overrides` answers `{"overrides": [...]}`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Overrides {
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// The overrides already overlapping `window`, at their full length (`overflow`), to show before
/// a person confirms a new one.
pub fn list(schedule_id: &str, window: Window) -> Result<Get<Overrides>, ApiError> {
    Ok(Get::with(
        overrides_path(schedule_id, "")?,
        overlapping(window),
    ))
}

/// The query of the overrides overlapping `window`, at their full length (either API's).
pub(crate) fn overlapping(window: Window) -> Query {
    vec![
        ("since", format_iso_utc(window.start)),
        ("until", format_iso_utc(window.end)),
        ("overflow", "true".into()),
    ]
}

/// The overrides over `window` the person asking may remove (`editable=true`: not ended, and
/// theirs to change), at their full length: what a schedule's view offers to remove.
pub fn editable(schedule_id: &str, window: Window) -> Result<Get<Overrides>, ApiError> {
    let mut get = list(schedule_id, window)?;
    get.query.push(("editable", "true".into()));
    Ok(get)
}

/// `DELETE /schedules/{id}/overrides/{override_id}`: its path.
pub fn delete(schedule_id: &str, override_id: &str) -> Result<String, ApiError> {
    overrides_path(
        schedule_id,
        &format!("/{}", form::encode(check_id(override_id)?)),
    )
}

/// Whether a kept answer at `url` may show `schedule_id` as it was before a change to its
/// overrides: the schedule itself (either API) and every `/oncalls` (My on-call, levels, lists).
pub fn made_stale(url: &str, schedule_id: &str) -> bool {
    let path = url.split('?').next().unwrap_or_default();
    let schedule = format!("/schedules/{schedule_id}");
    path.ends_with("/oncalls")
        || path.ends_with(&schedule)
        || path.contains(&format!("{schedule}/"))
}

/// What one item of a create became.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created(Override),
    /// Not created, with PagerDuty's reasons (the item as it was sent, when it says).
    Refused {
        status: u16,
        reasons: Vec<String>,
        asked: Option<Override>,
    },
}

#[derive(Deserialize)]
struct Item {
    status: u16,
    #[serde(default)]
    errors: Vec<String>,
    #[serde(rename = "override")]
    item: Option<Override>,
}

/// Reads a 201's body: one outcome per override asked for, in order.
pub fn outcomes(body: &str) -> Result<Vec<Outcome>, ApiError> {
    let items: Vec<Item> =
        serde_json::from_str(body).map_err(|e| ApiError::Decode(e.to_string()))?;
    Ok(items
        .into_iter()
        .map(|i| match (i.status, i.item) {
            (200..=299, Some(made)) => Outcome::Created(made),
            (status, asked) => Outcome::Refused {
                status,
                reasons: i.errors,
                asked,
            },
        })
        .collect())
}

/// What a removal did, by its status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removed {
    /// It had not started: gone.
    Deleted,
    /// It was under way: it now ends at the moment of removal.
    CutShort,
}

pub fn removed(status: u16) -> Option<Removed> {
    match status {
        204 => Some(Removed::Deleted),
        200 => Some(Removed::CutShort),
        _ => None,
    }
}

/// The sentence for a 403 on `schedule`: PagerDuty decides who may change what, and says no
/// with code 2010; the page names the schedule and who usually can.
pub fn refusal(schedule: &str) -> String {
    format!(
        "Your PagerDuty role does not allow you to change {schedule}. An admin, or the \
         schedule's team manager, usually can."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Window = Window {
        start: 1_764_547_200_000,
        end: 1_764_550_800_000,
    };

    #[test]
    fn a_create_carries_every_cover_as_utc_with_the_users_reference() {
        let post = create(
            "PS1",
            &[
                Cover {
                    start: W.start,
                    end: W.end,
                    user_id: "PU1".into(),
                },
                Cover {
                    start: W.end,
                    end: W.end + 3_600_000,
                    user_id: "PU2".into(),
                },
            ],
            "Europe/Oslo",
        )
        .expect("IDs");
        assert_eq!(post.path, "/schedules/PS1/overrides");
        let body: serde_json::Value = serde_json::from_str(&post.body).expect("JSON");
        assert_eq!(body["overrides"][0]["start"], "2025-12-01T00:00:00Z");
        assert_eq!(body["overrides"][0]["end"], "2025-12-01T01:00:00Z");
        assert_eq!(
            body["overrides"][1]["user"],
            serde_json::json!({"id": "PU2", "type": "user_reference"})
        );
        assert_eq!(body["overrides"][1]["time_zone"], "Europe/Oslo");
        // An ID that is not PagerDuty's never reaches a path or a body.
        assert_eq!(create("P/1", &[], "UTC"), Err(ApiError::NotAnId));
        let bad = Cover {
            start: 0,
            end: 1,
            user_id: "x\"}".into(),
        };
        assert_eq!(create("PS1", &[bad], "UTC"), Err(ApiError::NotAnId));
        assert_eq!(
            delete("PS1", "Q123").as_deref(),
            Ok("/schedules/PS1/overrides/Q123")
        );
    }

    #[test]
    fn a_201_is_read_item_by_item() {
        // The spec's own example: two created, one refused.
        let body = r#"[
          {"status": 201, "override": {"start": "2021-03-09T05:00:00Z", "end": "2021-03-09T17:00:00Z", "user": {"id": "P37CSDJ", "type": "user_reference", "summary": "Scott"}, "id": "Q3X6MJ1LUKD6QW"}},
          {"status": 201, "override": {"start": "2021-03-10T05:00:00Z", "end": "2021-03-10T17:00:00Z", "user": {"id": "P37CSDJ", "type": "user_reference", "summary": "Scott"}, "id": "Q37A85CJZP1DTT"}},
          {"status": 400, "errors": ["Override must end after its start"], "override": {"start": "2021-03-11T05:00:00Z", "end": "2021-03-11T04:00:00Z", "user": {"id": "P37CSDJ", "type": "user_reference"}}}
        ]"#;
        let read = outcomes(body).expect("decodes");
        assert!(
            matches!(&read[0], Outcome::Created(o) if o.id.as_deref() == Some("Q3X6MJ1LUKD6QW"))
        );
        assert!(matches!(&read[1], Outcome::Created(_)));
        match &read[2] {
            Outcome::Refused {
                status,
                reasons,
                asked,
            } => {
                assert_eq!(*status, 400);
                assert_eq!(reasons, &["Override must end after its start".to_string()]);
                assert_eq!(
                    asked.as_ref().map(|o| o.start.as_str()),
                    Some("2021-03-11T05:00:00Z")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(outcomes("{\"error\": {}}").is_err());
    }

    #[test]
    fn a_removal_says_which_it_was_and_a_refusal_names_the_schedule() {
        assert_eq!(removed(204), Some(Removed::Deleted));
        assert_eq!(removed(200), Some(Removed::CutShort));
        assert_eq!(removed(400), None);
        let sentence = refusal("Platform Primary");
        assert!(sentence.contains("Platform Primary") && sentence.contains("admin"));
    }

    #[test]
    fn a_change_makes_the_schedules_answers_and_every_oncalls_stale() {
        let api = "https://api.pagerduty.com";
        for url in [
            "/schedules/PS1?since=a&until=b",
            "/v3/schedules/PS1?since=a",
            "/schedules/PS1/overrides?since=a",
            "/oncalls?user_ids%5B%5D=PU1",
        ] {
            assert!(made_stale(&format!("{api}{url}"), "PS1"), "{url}");
        }
        for url in [
            "/schedules/PS12",
            "/schedules?query=PS1",
            "/users/PU1",
            "/schedules/PS2",
        ] {
            assert!(!made_stale(&format!("{api}{url}"), "PS1"), "{url}");
        }
    }

    #[test]
    fn the_list_asks_for_whole_overrides_over_the_range() {
        let get = list("PS1", W).expect("an ID");
        assert_eq!(get.path, "/schedules/PS1/overrides");
        assert_eq!(
            crate::api::endpoints::pairs(&get.query),
            vec![
                ("since", "2025-12-01T00:00:00Z"),
                ("until", "2025-12-01T01:00:00Z"),
                ("overflow", "true")
            ]
        );
    }
}
