//! Overrides on layered (v2) schedules, as PagerDuty keeps them (`openapiv3.json`,
//! `/schedules/{id}/overrides`): several created in one request, answered 201 even when some
//! failed, each item with its own `status` and `errors`; overlapping ones are not refused (the
//! last created wins, as the final schedule shows); listed over a range (`overflow` keeps their
//! full length, `editable` only those the asker may remove); removed with 204, or 200 when one
//! under way is cut short at now, and a past one cannot be. Who may: an admin or a user on any
//! schedule, a Limited User only on schedules they are on, a Stakeholder never (403, code 2010).
//!
//! The account's data is shared with answers being made, so a change copies it first
//! (`Arc::make_mut`): an answer already being written keeps the schedule it started with.

use crate::data::{Data, Override, Role};
use crate::time;
use serde_json::{json, Value};

/// What a person may do with a schedule's overrides.
pub fn may_override(data: &Data, schedule: usize, user: usize) -> bool {
    match data.users[user].role {
        Role::Admin | Role::User => true,
        Role::Limited => data.schedules[schedule]
            .layers
            .iter()
            .any(|l| l.members.contains(&Some(user))),
        Role::Stakeholder => false,
    }
}

/// Creates each override of a POST body's `overrides` on `schedule` that can be, in order, and
/// answers each: `{status: 201, override}` or `{status: 400, errors, override}` (the item as it
/// was sent). `next_id` numbers new overrides.
pub fn create(
    data: &mut Data,
    schedule: usize,
    body: &Value,
    next_id: &mut u64,
    refused: &mut u32,
) -> Vec<Value> {
    let items = body["overrides"].as_array().cloned().unwrap_or_default();
    items
        .into_iter()
        .map(|item| {
            let start = item["start"].as_str().and_then(time::parse);
            let end = item["end"].as_str().and_then(time::parse);
            let user_id = item["user"]["id"].as_str().unwrap_or_default();
            let user = data.user_by_id(user_id);
            let mut errors = vec![];
            match (start, end) {
                (None, _) => errors.push("Start is not a valid date-time".to_string()),
                (_, None) => errors.push("End is not a valid date-time".to_string()),
                (Some(s), Some(e)) if e <= s => {
                    errors.push("Override must end after its start".to_string())
                }
                _ => {}
            }
            if user.is_none() {
                errors.push("User not found".to_string());
            }
            if errors.is_empty() && *refused > 0 {
                *refused -= 1;
                errors.push("The override could not be saved. Try again.".to_string());
            }
            match (start, end, user) {
                (Some(start), Some(end), Some(user)) if errors.is_empty() => {
                    *next_id += 1;
                    let made = Override {
                        id: format!("Q{:013X}", *next_id),
                        start,
                        end,
                        user,
                    };
                    data.schedules[schedule].overrides.push(made.clone());
                    json!({"status": 201, "override": override_json(data, &made)})
                }
                _ => json!({"status": 400, "errors": errors, "override": item}),
            }
        })
        .collect()
}

/// An override as PagerDuty writes one.
pub fn override_json(data: &Data, o: &Override) -> Value {
    let user = &data.users[o.user];
    json!({
        "id": o.id,
        "start": time::format(o.start),
        "end": time::format(o.end),
        "user": {"id": user.id, "type": "user_reference", "summary": user.name},
    })
}

/// The overrides of `schedule` overlapping `[since, until)`, cut to it unless `overflow`;
/// `editable_by`: only those that person may remove (not ended, and theirs to change).
pub fn list(
    data: &Data,
    schedule: usize,
    since: i64,
    until: i64,
    overflow: bool,
    editable_by: Option<(usize, i64)>,
) -> Vec<Value> {
    data.schedules[schedule]
        .overrides
        .iter()
        .filter(|o| o.end > since && o.start < until)
        .filter(|o| match editable_by {
            Some((user, now)) => o.end > now && may_override(data, schedule, user),
            None => true,
        })
        .map(|o| {
            let shown = match overflow {
                true => o.clone(),
                false => Override {
                    start: o.start.max(since),
                    end: o.end.min(until),
                    ..o.clone()
                },
            };
            override_json(data, &shown)
        })
        .collect()
}

/// What a DELETE did.
#[derive(Debug, PartialEq)]
pub enum Removal {
    /// It had not started: gone (204).
    Deleted,
    /// It was under way: it now ends at `now` (200, with the override as it is now).
    CutShort(Value),
    /// It had ended: a past override cannot be removed (400).
    Past,
    NotFound,
}

pub fn remove(data: &mut Data, schedule: usize, override_id: &str, now: i64) -> Removal {
    let overrides = &mut data.schedules[schedule].overrides;
    let Some(i) = overrides.iter().position(|o| o.id == override_id) else {
        return Removal::NotFound;
    };
    let o = &mut overrides[i];
    if o.end <= now {
        return Removal::Past;
    }
    if o.start < now {
        o.end = now;
        let cut = o.clone();
        return Removal::CutShort(override_json(data, &cut));
    }
    overrides.remove(i);
    Removal::Deleted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Size, LIMITED_USER, STAKEHOLDER};

    const NOW: i64 = 1_800_000_000;

    fn item(start: i64, end: i64, user: &str) -> Value {
        json!({"start": time::format(start), "end": time::format(end), "user": {"id": user, "type": "user_reference"}, "time_zone": "UTC"})
    }

    #[test]
    fn several_in_one_request_each_with_its_own_status_and_the_final_schedule_follows() {
        let mut d = Data::generate(&Size::default(), NOW);
        let before = d.schedules[0].overrides.len();
        let ana = d.users[7].id.clone();
        let mut next = 0;
        let body = json!({"overrides": [
            item(NOW + 3600, NOW + 7200, &ana),
            item(NOW + 7200, NOW + 3600, &ana),
            item(NOW + 3600, NOW + 7200, "PNOBODY"),
        ]});
        let answers = create(&mut d, 0, &body, &mut next, &mut 0);
        let statuses: Vec<u64> = answers
            .iter()
            .map(|a| a["status"].as_u64().unwrap_or(0))
            .collect();
        assert_eq!(statuses, [201, 400, 400]);
        assert_eq!(answers[1]["errors"][0], "Override must end after its start");
        assert_eq!(answers[2]["errors"][0], "User not found");
        assert_eq!(
            d.schedules[0].overrides.len(),
            before + 1,
            "only the good one is kept"
        );
        // The final schedule has Ana for that hour: the override beats the layers.
        let entries = d.schedules[0].final_entries(NOW + 3600, NOW + 7200);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].user, Some(7));
        // A second, overlapping override is not refused: the last created wins.
        let bo = d.users[8].id.clone();
        create(
            &mut d,
            0,
            &json!({"overrides": [item(NOW + 3600, NOW + 5400, &bo)]}),
            &mut next,
            &mut 0,
        );
        let entries = d.schedules[0].final_entries(NOW + 3600, NOW + 7200);
        assert_eq!(entries[0].user, Some(8));
    }

    #[test]
    fn listed_over_a_range_cut_to_it_unless_overflow() {
        let mut d = Data::generate(&Size::default(), NOW);
        d.schedules[1].overrides.clear();
        let ana = d.users[7].id.clone();
        create(
            &mut d,
            1,
            &json!({"overrides": [item(NOW, NOW + 10 * 3600, &ana)]}),
            &mut 0,
            &mut 0,
        );
        let cut = list(&d, 1, NOW + 3600, NOW + 2 * 3600, false, None);
        assert_eq!(cut[0]["start"], time::format(NOW + 3600));
        let whole = list(&d, 1, NOW + 3600, NOW + 2 * 3600, true, None);
        assert_eq!(whole[0]["start"], time::format(NOW));
        assert!(list(&d, 1, NOW + 20 * 3600, NOW + 30 * 3600, true, None).is_empty());
    }

    #[test]
    fn removing_deletes_a_future_one_cuts_one_under_way_and_refuses_a_past_one() {
        let mut d = Data::generate(&Size::default(), NOW);
        let ana = d.users[7].id.clone();
        let made = create(
            &mut d,
            1,
            &json!({"overrides": [
                item(NOW + 3600, NOW + 7200, &ana),
                item(NOW - 3600, NOW + 3600, &ana),
                item(NOW - 7200, NOW - 3600, &ana),
            ]}),
            &mut 0,
            &mut 0,
        );
        let id = |i: usize| {
            made[i]["override"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(remove(&mut d, 1, &id(0), NOW), Removal::Deleted);
        match remove(&mut d, 1, &id(1), NOW) {
            Removal::CutShort(o) => assert_eq!(o["end"], time::format(NOW)),
            other => panic!("{other:?}"),
        }
        assert_eq!(remove(&mut d, 1, &id(2), NOW), Removal::Past);
        assert_eq!(remove(&mut d, 1, &id(0), NOW), Removal::NotFound);
    }

    #[test]
    fn a_stakeholder_may_not_and_a_limited_user_only_on_their_own_schedules() {
        let d = Data::generate(&Size::default(), NOW);
        assert!(may_override(&d, 0, 0), "the admin");
        assert!((0..d.schedules.len()).all(|s| !may_override(&d, s, STAKEHOLDER)));
        let theirs: Vec<usize> = (0..d.schedules.len())
            .filter(|&s| may_override(&d, s, LIMITED_USER))
            .collect();
        assert!(
            !theirs.is_empty() && theirs.len() < d.schedules.len(),
            "{theirs:?}"
        );
        for s in theirs {
            assert!(d.schedules[s]
                .layers
                .iter()
                .any(|l| l.members.contains(&Some(LIMITED_USER))));
        }
    }
}

/// The same over HTTP, as the app will ask: the API's router, served in-process.
#[cfg(test)]
mod over_http {
    use crate::api::{router, Api, ACCEPT};
    use crate::data::{Data, Size, LIMITED_USER, STAKEHOLDER};
    use crate::state::{now, Counters, Faults, Shared, State, TokenGrant};
    use crate::time;
    use axum::body::Body;
    use axum::http::{header, Method, Request, StatusCode};
    use serde_json::{json, Value};
    use std::collections::HashMap;
    use tower::ServiceExt;

    /// The API for an account where `user` holds the token `T` with `scope`.
    fn api(user: usize, scope: &str) -> (axum::Router, Shared) {
        let mut access = HashMap::new();
        access.insert(
            "T".to_string(),
            TokenGrant {
                user,
                scope: scope.into(),
                client_id: "c".into(),
                expires_at: now() + 3600,
                partner: String::new(),
            },
        );
        let shared = Shared::new(State {
            data: std::sync::Arc::new(Data::generate(&Size::default(), now())),
            size: Size::default(),
            codes: HashMap::new(),
            access,
            refresh: HashMap::new(),
            faults: Faults::default(),
            counters: Counters::default(),
            token_lifetime_s: 3600,
            api_log: vec![],
            last_callback: None,
            overrides_made: 0,
        });
        let api = Api {
            shared: shared.clone(),
            api_url: "http://api.test".into(),
            allowed_origins: vec![],
            preflight_max_age: false,
        };
        (router(api), shared)
    }

    async fn send(
        app: &axum::Router,
        method: Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, "Bearer T")
            .header(header::ACCEPT, ACCEPT)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("a request");
        let response = app.clone().oneshot(request).await.expect("an answer");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("a body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    fn body(start: i64, end: i64, user: &str) -> Value {
        json!({"overrides": [{"start": time::format(start), "end": time::format(end), "user": {"id": user, "type": "user_reference"}, "time_zone": "UTC"}]})
    }

    #[tokio::test]
    async fn created_listed_and_removed_with_the_specs_shapes() {
        let (app, shared) = api(0, "read write");
        let start = now() + 86_400;
        let (status, created) = send(
            &app,
            Method::POST,
            "/schedules/PS00001/overrides",
            body(start, start + 3600, "PU00007"),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created[0]["status"], 201);
        let id = created[0]["override"]["id"]
            .as_str()
            .expect("an ID")
            .to_string();
        let since = time::format(start - 60);
        let (status, listed) = send(
            &app,
            Method::GET,
            &format!(
                "/schedules/PS00001/overrides?since={since}&until={}",
                time::format(start + 7200)
            ),
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            listed["overrides"]
                .as_array()
                .is_some_and(|l| l.iter().any(|o| o["id"] == id.as_str())),
            "{listed}"
        );
        let (status, _) = send(
            &app,
            Method::DELETE,
            &format!("/schedules/PS00001/overrides/{id}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert!(shared.lock().data.schedules[1]
            .overrides
            .iter()
            .all(|o| o.id != id));
    }

    #[tokio::test]
    async fn read_scope_a_stakeholder_and_a_limited_user_off_their_schedules_are_refused() {
        let start = now() + 86_400;
        let refused = |answer: &Value| answer["error"]["code"] == 2010;
        let (app, _) = api(0, "read");
        let (status, answer) = send(
            &app,
            Method::POST,
            "/schedules/PS00001/overrides",
            body(start, start + 60, "PU00007"),
        )
        .await;
        assert_eq!(
            (status, refused(&answer)),
            (StatusCode::FORBIDDEN, true),
            "{answer}"
        );
        let (app, _) = api(STAKEHOLDER, "read write");
        let (status, answer) = send(
            &app,
            Method::POST,
            "/schedules/PS00001/overrides",
            body(start, start + 60, "PU00007"),
        )
        .await;
        assert_eq!(
            (status, refused(&answer)),
            (StatusCode::FORBIDDEN, true),
            "{answer}"
        );
        // The Limited User: allowed on a schedule they are on, refused on one they are not.
        let (app, shared) = api(LIMITED_USER, "read write");
        let (theirs, other) = {
            let s = shared.lock();
            let on = |i: usize| {
                s.data.schedules[i]
                    .layers
                    .iter()
                    .any(|l| l.members.contains(&Some(LIMITED_USER)))
            };
            let all: Vec<usize> = (0..s.data.schedules.len())
                .filter(|&i| !s.data.schedules[i].v3)
                .collect();
            let theirs = all
                .iter()
                .copied()
                .find(|&i| on(i))
                .expect("a schedule of theirs");
            let other = all
                .iter()
                .copied()
                .find(|&i| !on(i))
                .expect("a schedule not theirs");
            (
                s.data.schedules[theirs].id.clone(),
                s.data.schedules[other].id.clone(),
            )
        };
        let me = "PU00003";
        let (status, _) = send(
            &app,
            Method::POST,
            &format!("/schedules/{theirs}/overrides"),
            body(start, start + 60, me),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, answer) = send(
            &app,
            Method::POST,
            &format!("/schedules/{other}/overrides"),
            body(start, start + 60, me),
        )
        .await;
        assert_eq!(
            (status, refused(&answer)),
            (StatusCode::FORBIDDEN, true),
            "{answer}"
        );
    }

    #[tokio::test]
    async fn one_under_way_is_cut_short_and_a_bad_item_fails_inside_a_201() {
        let (app, _) = api(0, "read write");
        let t = now();
        let (status, created) = send(&app, Method::POST, "/schedules/PS00001/overrides", json!({"overrides": [
            {"start": time::format(t - 600), "end": time::format(t + 3600), "user": {"id": "PU00007", "type": "user_reference"}},
            {"start": time::format(t + 3600), "end": time::format(t), "user": {"id": "PU00007", "type": "user_reference"}},
        ]})).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(
            (created[0]["status"].as_u64(), created[1]["status"].as_u64()),
            (Some(201), Some(400))
        );
        let id = created[0]["override"]["id"]
            .as_str()
            .expect("an ID")
            .to_string();
        let (status, cut) = send(
            &app,
            Method::DELETE,
            &format!("/schedules/PS00001/overrides/{id}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{cut}");
        let end = cut["override"]["end"]
            .as_str()
            .and_then(time::parse)
            .expect("an end");
        assert!((t..=t + 5).contains(&end), "cut at now: {cut}");
    }

    #[tokio::test]
    async fn a_lost_answer_is_a_change_made_whose_body_never_arrives() {
        let (app, shared) = api(0, "read write");
        shared.lock().faults.lost_change_answers = 1;
        let start = now() + 86_400;
        let request = Request::builder()
            .method(Method::POST)
            .uri("/schedules/PS00001/overrides")
            .header(header::AUTHORIZATION, "Bearer T")
            .header(header::ACCEPT, ACCEPT)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body(start, start + 3600, "PU00007").to_string()))
            .expect("a request");
        let response = app.clone().oneshot(request).await.expect("an answer");
        assert_eq!(response.status(), StatusCode::CREATED);
        assert!(
            axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .is_err(),
            "the body is lost"
        );
        // It was made all the same, and the fault is spent: the next change is answered.
        let made = |s: &crate::state::State| {
            s.data.schedules[1]
                .overrides
                .iter()
                .filter(|o| o.start == start && o.user == 7)
                .count()
        };
        assert_eq!(made(&shared.lock()), 1);
        let (status, _) = send(
            &app,
            Method::POST,
            "/schedules/PS00001/overrides",
            body(start + 3600, start + 7200, "PU00007"),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }
}
