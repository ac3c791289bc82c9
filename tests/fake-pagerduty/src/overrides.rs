//! Overrides on layered (v2) schedules, as PagerDuty keeps them (`openapiv3.json`,
//! `/schedules/{id}/overrides`): several created in one request, answered 201 even when some
//! failed, each item with its own `status` and `errors`; overlapping ones are not refused (the
//! last created wins, as the final schedule shows); listed over a range (`overflow` keeps their
//! full length, `editable` only those the asker may remove); removed with 204, or 200 when one
//! under way is cut short at now, and a past one cannot be. Who may: an admin or a user on any
//! schedule, a Limited User only on schedules they are on, a Stakeholder never (403, code 2010).
//!
//! Shift-based (v3) schedules keep theirs at `/v3/schedules/{id}/overrides`: each names a
//! rotation and the member it replaces there ([`create_v3`]); a create is all or nothing (201
//! with every override, or 400 naming each field at fault), and a removal answers 204.
//!
//! The account's data is shared with answers being made, so a change copies it first
//! (`Arc::make_mut`): an answer already being written keeps the schedule it started with.

use crate::data::{Data, Override, Role, ShiftSlot};
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
                        shift: None,
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

/// A v3 member: a user, or the empty member.
pub fn member_json(data: &Data, user: Option<usize>) -> Value {
    match user {
        Some(u) => json!({"type": "user_member", "user_id": data.users[u].id}),
        None => json!({"type": "empty_member"}),
    }
}

/// A shift-based override as PagerDuty writes one.
pub fn shift_override_json(data: &Data, schedule: usize, o: &Override, api: &str) -> Value {
    let s = &data.schedules[schedule];
    let slot = o.shift.unwrap_or(ShiftSlot {
        rotation: 0,
        overridden: None,
    });
    json!({
        "id": o.id,
        "type": "override_shift",
        "rotation_id": s.layers.get(slot.rotation).map(|l| l.id.clone()),
        "start_time": time::format(o.start),
        "end_time": time::format(o.end),
        "overridden_member": member_json(data, slot.overridden),
        "overriding_member": member_json(data, Some(o.user)),
        "self": format!("{api}/v3/schedules/{}/overrides/{}", s.id, o.id),
        "html_url": format!("{}/schedules/{}", crate::data::WEB, s.id),
    })
}

/// Creates every override of a v3 POST body on `schedule`, or none: `Ok` with each one made, in
/// order, or `Err` with the reasons by field (`overrides[1].end_time`).
pub fn create_v3(
    data: &mut Data,
    schedule: usize,
    body: &Value,
    next_id: &mut u64,
) -> Result<Vec<Override>, Vec<(String, String)>> {
    let items = body["overrides"].as_array().cloned().unwrap_or_default();
    let mut errors: Vec<(String, String)> = vec![];
    let mut made: Vec<Override> = vec![];
    if items.is_empty() {
        errors.push(("overrides".into(), "must list at least one override".into()));
    }
    for (i, item) in items.iter().enumerate() {
        let mut fail = |field: &str, why: &str| {
            errors.push((format!("overrides[{i}].{field}"), why.to_string()))
        };
        if item["type"] != "override_shift" {
            fail("type", "must be override_shift");
        }
        let rotation = match (
            item["rotation_id"].as_str(),
            item["custom_shift_id"].as_str(),
        ) {
            (Some(_), Some(_)) | (None, None) => {
                fail("rotation_id", "give either rotation_id or custom_shift_id");
                None
            }
            (None, Some(_)) => {
                fail("custom_shift_id", "no such custom shift on this schedule");
                None
            }
            (Some(id), None) => {
                let found = data.schedules[schedule]
                    .layers
                    .iter()
                    .position(|l| l.id == id);
                if found.is_none() {
                    fail("rotation_id", "no such rotation on this schedule");
                }
                found
            }
        };
        let start = item["start_time"].as_str().and_then(time::parse);
        let end = item["end_time"].as_str().and_then(time::parse);
        match (start, end) {
            (None, _) => fail("start_time", "must be a date-time"),
            (_, None) => fail("end_time", "must be a date-time"),
            (Some(s), Some(e)) if e <= s => fail("end_time", "must be after start_time"),
            _ => {}
        }
        let mut member = |field: &str, empty_allowed: bool| -> Option<Option<usize>> {
            let m = &item[field];
            match (m["type"].as_str(), m["user_id"].as_str()) {
                (Some("empty_member"), _) if empty_allowed => Some(None),
                (Some("user_member"), Some(id)) => match data.user_by_id(id) {
                    Some(u) => Some(Some(u)),
                    None => {
                        fail(field, "must be a user of this account");
                        None
                    }
                },
                _ => {
                    fail(field, "must be a user_member with a user_id");
                    None
                }
            }
        };
        let overridden = member("overridden_member", true);
        let overriding = member("overriding_member", false).flatten();
        if let (Some(rotation), Some(start), Some(end), Some(overridden), Some(user)) =
            (rotation, start, end, overridden, overriding)
        {
            made.push(Override {
                id: String::new(),
                start,
                end,
                user,
                shift: Some(ShiftSlot {
                    rotation,
                    overridden,
                }),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for o in &mut made {
        *next_id += 1;
        o.id = format!("V3OVERRIDE{:016X}", *next_id);
    }
    data.schedules[schedule]
        .overrides
        .extend(made.iter().cloned());
    Ok(made)
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

    #[tokio::test]
    async fn shift_based_ones_have_their_own_api_the_specs_shapes_and_show_in_oncalls() {
        let (app, shared) = api(0, "read write");
        let (id, rotation, start, end, who) = {
            let s = shared.lock();
            let v3 = s
                .data
                .schedules
                .iter()
                .find(|x| x.v3)
                .expect("a v3 schedule");
            let t = now() + 86_400;
            let a = v3
                .computed_assignments(t, t + 2 * 86_400)
                .into_iter()
                .find(|a| a.rotation == 0 && a.entry.user.is_some())
                .expect("an assignment");
            let user = s.data.users[a.entry.user.unwrap_or_default()].id.clone();
            (
                v3.id.clone(),
                v3.layers[0].id.clone(),
                a.entry.start,
                a.entry.end,
                user,
            )
        };
        let body = json!({"overrides": [{"type": "override_shift", "rotation_id": rotation,
            "start_time": time::format(start), "end_time": time::format(end),
            "overridden_member": {"type": "user_member", "user_id": who},
            "overriding_member": {"type": "user_member", "user_id": "PU00009"}}]});
        // Each API knows only its own kind.
        let (status, _) = send(
            &app,
            Method::POST,
            &format!("/schedules/{id}/overrides"),
            body.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = send(
            &app,
            Method::POST,
            "/v3/schedules/PS00001/overrides",
            body.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, made) = send(
            &app,
            Method::POST,
            &format!("/v3/schedules/{id}/overrides"),
            body,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let o = &made["overrides"][0];
        assert_eq!(
            (o["type"].as_str(), o["rotation_id"].as_str()),
            (Some("override_shift"), Some(rotation.as_str()))
        );
        assert_eq!(o["overriding_member"]["user_id"], "PU00009");
        let override_id = o["id"].as_str().expect("an ID").to_string();
        // The final schedule names the override as the source, and /oncalls has the new person.
        let range = format!("since={}&until={}", time::format(start), time::format(end));
        let (_, schedule) = send(
            &app,
            Method::GET,
            &format!("/v3/schedules/{id}?include[]=final_schedule&{range}"),
            Value::Null,
        )
        .await;
        let sources: Vec<&Value> = schedule["schedule"]["final_schedule"]
            ["computed_shift_assignments"]
            .as_array()
            .expect("assignments")
            .iter()
            .filter(|a| a["member"]["user_id"] == "PU00009")
            .map(|a| &a["source"])
            .collect();
        assert_eq!(sources.len(), 1, "{schedule}");
        assert_eq!(sources[0]["type"], "schedule_rotation_override");
        assert_eq!(sources[0]["override_id"], override_id.as_str());
        let at = time::format(start + 60);
        let (_, oncalls) = send(
            &app,
            Method::GET,
            &format!("/oncalls?schedule_ids[]={id}&since={at}&until={at}"),
            Value::Null,
        )
        .await;
        let on: Vec<&str> = oncalls["oncalls"]
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|o| o["user"]["id"].as_str())
            .collect();
        assert!(
            on.contains(&"PU00009") && !on.contains(&who.as_str()),
            "{on:?}"
        );
        // Listed (since and until required), then removed with 204.
        let (status, _) = send(
            &app,
            Method::GET,
            &format!("/v3/schedules/{id}/overrides"),
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (_, listed) = send(
            &app,
            Method::GET,
            &format!("/v3/schedules/{id}/overrides?{range}&overflow=true"),
            Value::Null,
        )
        .await;
        assert_eq!(
            listed["overrides"][0]["id"],
            override_id.as_str(),
            "{listed}"
        );
        let (status, _) = send(
            &app,
            Method::DELETE,
            &format!("/v3/schedules/{id}/overrides/{override_id}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        // A bad item: 400, each reason under its field, nothing made.
        let (status, refused) = send(&app, Method::POST, &format!("/v3/schedules/{id}/overrides"), json!({"overrides": [{"type": "override_shift", "rotation_id": rotation,
            "start_time": time::format(end), "end_time": time::format(start),
            "overridden_member": {"type": "empty_member"}, "overriding_member": {"type": "user_member", "user_id": "PU00009"}}]})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused["error"]["errors"]["overrides[0].end_time"][0], "must be after start_time",
            "{refused}"
        );
        let (_, listed) = send(
            &app,
            Method::GET,
            &format!("/v3/schedules/{id}/overrides?{range}"),
            Value::Null,
        )
        .await;
        assert_eq!(listed["overrides"], json!([]));
    }
}

/// Shift-based (v3) overrides over HTTP: the spec's shapes, all or nothing, and the final
/// schedule and `/oncalls` that follow them.
#[cfg(test)]
mod shift_based {
    use crate::data::{Data, Size};
    use crate::time;
    use serde_json::{json, Value};

    const NOW: i64 = 1_800_000_000;

    /// The shift-based schedule, its first rotation's ID, and someone on it at `at` with when
    /// that assignment ends.
    fn commanders(d: &Data) -> (usize, String) {
        let s = d
            .schedules
            .iter()
            .position(|s| s.v3)
            .expect("a v3 schedule");
        (s, d.schedules[s].layers[0].id.clone())
    }

    fn item(rotation: &str, start: i64, end: i64, from: Value, to: &str) -> Value {
        json!({"type": "override_shift", "rotation_id": rotation, "start_time": time::format(start), "end_time": time::format(end),
               "overridden_member": from, "overriding_member": {"type": "user_member", "user_id": to}})
    }

    #[test]
    fn an_override_replaces_the_member_it_names_on_its_rotation_and_nobody_else() {
        let mut d = Data::generate(&Size::default(), NOW);
        let (s, rotation) = commanders(&d);
        // Someone on the first rotation, in a day ahead.
        let on = d.schedules[s]
            .computed_assignments(NOW + 86_400, NOW + 3 * 86_400)
            .into_iter()
            .find(|a| a.rotation == 0 && a.entry.user.is_some())
            .expect("an assignment");
        let (start, end) = (on.entry.start, on.entry.end);
        let who = d.users[on.entry.user.unwrap_or_default()].id.clone();
        let cy = d.users[9].id.clone();
        let before = d.schedules[s].computed_assignments(start, end);
        let made = super::create_v3(
            &mut d,
            s,
            &json!({"overrides": [item(&rotation, start + 3600, end, json!({"type": "user_member", "user_id": who}), &cy)]}),
            &mut 0,
        )
        .expect("made");
        let after = d.schedules[s].computed_assignments(start, end);
        let first: Vec<_> = after.iter().filter(|a| a.rotation == 0).collect();
        assert_eq!(first.len(), 2, "{first:?}");
        assert_eq!(
            first[0].entry.user, on.entry.user,
            "the hour before stays theirs"
        );
        assert_eq!(
            (first[1].entry.user, first[1].entry.start),
            (Some(9), start + 3600)
        );
        assert_eq!(first[1].override_id.as_deref(), Some(made[0].id.as_str()));
        let others = |list: &[crate::data::Assignment]| -> Vec<crate::data::Entry> {
            list.iter()
                .filter(|a| a.rotation != 0)
                .map(|a| a.entry)
                .collect()
        };
        assert_eq!(
            others(&after),
            others(&before),
            "the other rotation is untouched"
        );
        // Naming someone who is not on that rotation then changes nothing.
        let dan = d.users[10].id.clone();
        super::create_v3(
            &mut d,
            s,
            &json!({"overrides": [item(&rotation, start, end, json!({"type": "user_member", "user_id": dan}), &cy)]}),
            &mut 0,
        )
        .expect("made");
        assert_eq!(d.schedules[s].computed_assignments(start, end), after);
    }

    #[test]
    fn the_empty_member_is_also_a_time_the_rotation_has_nobody() {
        let mut d = Data::generate(&Size::default(), NOW);
        let (s, rotation) = commanders(&d);
        // The rotations are on from 06:00 UTC for 16 hours: the night after a day has nobody.
        let day = NOW - NOW.rem_euclid(86_400) + 86_400;
        let night = (day + 23 * 3600, day + 27 * 3600);
        assert!(d.schedules[s]
            .computed_assignments(night.0, night.1)
            .is_empty());
        let cy = d.users[9].id.clone();
        super::create_v3(
            &mut d,
            s,
            &json!({"overrides": [item(&rotation, night.0, night.1, json!({"type": "empty_member"}), &cy)]}),
            &mut 0,
        )
        .expect("made");
        let filled = d.schedules[s].computed_assignments(night.0, night.1);
        assert_eq!(filled.len(), 1);
        assert_eq!(
            (
                filled[0].entry.start,
                filled[0].entry.end,
                filled[0].entry.user
            ),
            (night.0, night.1, Some(9))
        );
    }

    #[test]
    fn a_bad_item_refuses_the_whole_request_naming_the_field() {
        let mut d = Data::generate(&Size::default(), NOW);
        let (s, rotation) = commanders(&d);
        let before = d.schedules[s].overrides.len();
        let who = json!({"type": "empty_member"});
        let errors = super::create_v3(
            &mut d,
            s,
            &json!({"overrides": [
                item(&rotation, NOW + 3600, NOW + 7200, who.clone(), "PU00009"),
                item(&rotation, NOW + 7200, NOW + 3600, who.clone(), "PU00009"),
                item("RNOSUCHROTATION", NOW + 3600, NOW + 7200, who.clone(), "PNOBODY"),
            ]}),
            &mut 0,
        )
        .expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "overrides[1].end_time",
                "overrides[2].rotation_id",
                "overrides[2].overriding_member"
            ]
        );
        assert_eq!(d.schedules[s].overrides.len(), before, "none was made");
    }
}
