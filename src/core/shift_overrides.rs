//! Overrides on shift-based (v3) schedules: which assignments a cover replaces, and the
//! requests that read, create and remove them (`/v3/schedules/{id}/overrides`).
//!
//! A v3 override replaces one member of one slot, a rotation or a custom shift, over a time:
//! `{"type": "override_shift", "rotation_id" | "custom_shift_id", "start_time", "end_time",
//! "overridden_member", "overriding_member"}`. So a cover (someone on call over a time) becomes
//! one item per slot it touches, each naming whom it replaces: the assignments of the final
//! schedule over that time say which (their `source`). A create is all or nothing: 201 with every
//! override made, or 400 naming the field at fault. What is read back is put in the layered
//! API's shape ([`Override`]), so every rule of [`crate::cover`] holds for both kinds.

use crate::api::endpoints::Get;
use crate::api::types::{ComputedShift, Reference, ShiftMember, ShiftSource};
use crate::api::{check_id, ApiError};
use crate::form;
use crate::overrides::{self, Cover, Override, Post};
use crate::shifts;
use crate::time::{format_iso_utc, parse_iso, Millis, Window};
use serde::Deserialize;

/// What an override replaces a member of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    Rotation(String),
    CustomShift(String),
}

impl Slot {
    /// The slot an assignment came from, as an override of it must name it.
    pub fn of(source: &ShiftSource) -> Option<Slot> {
        match (&source.rotation_id, &source.shift_id) {
            (Some(id), _) => Some(Slot::Rotation(id.clone())),
            (None, Some(id)) => Some(Slot::CustomShift(id.clone())),
            (None, None) => None,
        }
    }
}

/// One `override_shift`: on `slot`, from `start` to `end`, `overriding` instead of
/// `overridden` (`None`: the slot's empty member, or no one at all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub slot: Slot,
    pub start: Millis,
    pub end: Millis,
    pub overridden: Option<String>,
    pub overriding: String,
}

/// The items that put `cover.user_id` on call over its time, given the schedule's
/// `assignments` over it and its `rotations`' IDs. `replacing`: only that person's
/// assignments (a cover link's "for", one's own shift); without, everything there that is not
/// the person already, and the times no slot holds at all (on the first rotation, replacing its
/// empty member). Pieces of one slot and one member that touch go as one item. Empty when there
/// is nothing to replace: the person replaced is not on call then.
pub fn plan(
    assignments: &[ComputedShift],
    rotations: &[String],
    cover: &Cover,
    replacing: Option<&str>,
) -> Vec<Item> {
    let window = Window {
        start: cover.start,
        end: cover.end,
    };
    let mut held: Vec<Window> = vec![];
    let mut items: Vec<Item> = vec![];
    for a in assignments {
        let (Some(start), Some(end)) = (parse_iso(&a.start_time), parse_iso(&a.end_time)) else {
            continue;
        };
        let part = Window {
            start: start.max(window.start),
            end: end.min(window.end),
        };
        if part.start >= part.end {
            continue;
        }
        held.push(part);
        let member = a.member.user_id().map(str::to_string);
        let wanted = match replacing {
            Some(who) => member.as_deref() == Some(who),
            None => member.as_deref() != Some(cover.user_id.as_str()),
        };
        let Some(slot) = a.source.as_ref().and_then(Slot::of) else {
            continue;
        };
        if wanted {
            items.push(Item {
                slot,
                start: part.start,
                end: part.end,
                overridden: member,
                overriding: cover.user_id.clone(),
            });
        }
    }
    if replacing.is_none() {
        if let Some(first) = rotations.first() {
            for gap in shifts::uncovered(held, window) {
                items.push(Item {
                    slot: Slot::Rotation(first.clone()),
                    start: gap.start,
                    end: gap.end,
                    overridden: None,
                    overriding: cover.user_id.clone(),
                });
            }
        }
    }
    items.sort_by_key(|a| (a.start, a.end));
    let mut joined: Vec<Item> = vec![];
    for item in items {
        let touching = joined.iter_mut().rev().find(|j| {
            j.end == item.start && j.slot == item.slot && j.overridden == item.overridden
        });
        match touching {
            Some(j) => j.end = item.end,
            None => joined.push(item),
        }
    }
    joined
}

fn path(schedule_id: &str, rest: &str) -> Result<String, ApiError> {
    Ok(format!(
        "/v3/schedules/{}/overrides{rest}",
        form::encode(check_id(schedule_id)?)
    ))
}

fn member(user_id: Option<&str>) -> serde_json::Value {
    match user_id {
        Some(id) => serde_json::json!({"type": "user_member", "user_id": id}),
        None => serde_json::json!({"type": "empty_member"}),
    }
}

/// `POST /v3/schedules/{id}/overrides` with every item in one request, instants in UTC.
pub fn create(schedule_id: &str, items: &[Item]) -> Result<Post, ApiError> {
    let overrides = items
        .iter()
        .map(|i| {
            check_id(&i.overriding)?;
            if let Some(id) = &i.overridden {
                check_id(id)?;
            }
            let mut o = serde_json::json!({
                "type": "override_shift",
                "start_time": format_iso_utc(i.start),
                "end_time": format_iso_utc(i.end),
                "overridden_member": member(i.overridden.as_deref()),
                "overriding_member": member(Some(&i.overriding)),
            });
            let (key, id) = match &i.slot {
                Slot::Rotation(id) => ("rotation_id", id),
                Slot::CustomShift(id) => ("custom_shift_id", id),
            };
            o[key] = check_id(id)?.into();
            Ok(o)
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Post {
        path: path(schedule_id, "")?,
        body: serde_json::json!({ "overrides": overrides }).to_string(),
    })
}

/// One override of a shift-based schedule, as PagerDuty writes it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ShiftOverride {
    pub id: String,
    pub start_time: String,
    pub end_time: String,
    pub overriding_member: ShiftMember,
}

impl ShiftOverride {
    /// In the layered API's shape: who is on call instead, named by `name` (v3 gives only IDs).
    pub fn as_override(&self, name: impl Fn(&str) -> String) -> Override {
        let user = match self.overriding_member.user_id() {
            Some(id) => Reference {
                id: id.to_string(),
                summary: name(id),
                html_url: None,
            },
            None => Reference {
                id: String::new(),
                summary: "nobody".into(),
                html_url: None,
            },
        };
        Override {
            id: Some(self.id.clone()),
            start: self.start_time.clone(),
            end: self.end_time.clone(),
            user,
        }
    }

    /// The user on call instead, if any.
    pub fn user_id(&self) -> Option<&str> {
        self.overriding_member.user_id()
    }
}

/// The list's answer, and a create's 201: `{"overrides": [...]}`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ShiftOverrides {
    #[serde(default)]
    pub overrides: Vec<ShiftOverride>,
}

/// The overrides overlapping `window`, at their full length (`overflow`): a shift's worth, far
/// below the largest page (100).
pub fn list(schedule_id: &str, window: Window) -> Result<Get<ShiftOverrides>, ApiError> {
    let mut query = overrides::overlapping(window);
    query.push(("limit", "100".into()));
    Ok(Get::with(path(schedule_id, "")?, query))
}

/// `DELETE /v3/schedules/{id}/overrides/{override_id}`: its path.
pub fn delete(schedule_id: &str, override_id: &str) -> Result<String, ApiError> {
    path(
        schedule_id,
        &format!("/{}", form::encode(check_id(override_id)?)),
    )
}

/// A create's 201: every override made, in the order asked.
pub fn created(body: &str) -> Result<Vec<ShiftOverride>, ApiError> {
    serde_json::from_str::<ShiftOverrides>(body)
        .map(|o| o.overrides)
        .map_err(|e| ApiError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::HOUR;

    const T: Millis = 1_796_749_200_000;

    fn assignment(start: Millis, end: Millis, user: Option<&str>, rotation: &str) -> ComputedShift {
        ComputedShift {
            start_time: format_iso_utc(start),
            end_time: format_iso_utc(end),
            member: ShiftMember {
                kind: match user {
                    Some(_) => "user_member".into(),
                    None => "empty_member".into(),
                },
                user_id: user.map(str::to_string),
            },
            source: Some(ShiftSource {
                kind: "schedule_rotation".into(),
                rotation_id: Some(rotation.into()),
                shift_id: None,
            }),
        }
    }

    fn cover(start: Millis, end: Millis, user: &str) -> Cover {
        Cover {
            start,
            end,
            user_id: user.into(),
        }
    }

    fn item(slot: &str, start: Millis, end: Millis, from: Option<&str>, to: &str) -> Item {
        Item {
            slot: Slot::Rotation(slot.into()),
            start,
            end,
            overridden: from.map(str::to_string),
            overriding: to.into(),
        }
    }

    #[test]
    fn a_cover_for_someone_replaces_only_their_assignments_cut_to_its_time() {
        // Two commanders at once: Ana on A, Bo on B; Ana's day runs on into a second turn.
        let on = [
            assignment(T, T + 10 * HOUR, Some("PANA"), "RA"),
            assignment(T, T + 10 * HOUR, Some("PBO"), "RB"),
            assignment(T + 10 * HOUR, T + 20 * HOUR, Some("PANA"), "RA"),
        ];
        let wanted = cover(T + 2 * HOUR, T + 12 * HOUR, "PCY");
        assert_eq!(
            plan(&on, &["RA".into()], &wanted, Some("PANA")),
            [item("RA", T + 2 * HOUR, T + 12 * HOUR, Some("PANA"), "PCY")],
            "one item: the two turns touch"
        );
        assert!(
            plan(&on, &["RA".into()], &wanted, Some("PDAN")).is_empty(),
            "Dan is not on call then: nothing to replace"
        );
    }

    #[test]
    fn without_someone_named_it_takes_every_slot_not_already_theirs_and_the_empty_times() {
        let on = [
            assignment(T, T + 10 * HOUR, Some("PANA"), "RA"),
            assignment(T, T + 4 * HOUR, None, "RB"),
            assignment(T + 4 * HOUR, T + 10 * HOUR, Some("PCY"), "RB"),
        ];
        let rotations = ["RA".to_string(), "RB".to_string()];
        let night = cover(T + 8 * HOUR, T + 14 * HOUR, "PCY");
        assert_eq!(
            plan(&on, &rotations, &night, None),
            [
                item("RA", T + 8 * HOUR, T + 10 * HOUR, Some("PANA"), "PCY"),
                item("RA", T + 10 * HOUR, T + 14 * HOUR, None, "PCY"),
            ],
            "Cy's own assignment stays; the night nobody holds goes on the first rotation"
        );
        let morning = cover(T, T + 2 * HOUR, "PDAN");
        assert_eq!(
            plan(&on, &rotations, &morning, None),
            [
                item("RA", T, T + 2 * HOUR, Some("PANA"), "PDAN"),
                item("RB", T, T + 2 * HOUR, None, "PDAN"),
            ]
        );
    }

    #[test]
    fn a_custom_shift_is_named_as_one_and_an_assignment_without_a_source_is_left() {
        let mut custom = assignment(T, T + HOUR, Some("PANA"), "X");
        custom.source = Some(ShiftSource {
            kind: "custom_shift".into(),
            rotation_id: None,
            shift_id: Some("CS1".into()),
        });
        let mut unknown = assignment(T + HOUR, T + 2 * HOUR, Some("PANA"), "X");
        unknown.source = None;
        let planned = plan(
            &[custom, unknown],
            &[],
            &cover(T, T + 2 * HOUR, "PBO"),
            Some("PANA"),
        );
        assert_eq!(planned.len(), 1);
        assert_eq!(planned[0].slot, Slot::CustomShift("CS1".into()));
        let post = create("PS1", &planned).expect("IDs");
        assert_eq!(post.path, "/v3/schedules/PS1/overrides");
        let body: serde_json::Value = serde_json::from_str(&post.body).expect("JSON");
        assert_eq!(body["overrides"][0]["custom_shift_id"], "CS1");
        assert!(body["overrides"][0].get("rotation_id").is_none());
    }

    #[test]
    fn the_body_names_both_members_and_an_empty_one_has_no_user() {
        let post = create("PS1", &[item("RA", T, T + HOUR, None, "PBO")]).expect("IDs");
        let body: serde_json::Value = serde_json::from_str(&post.body).expect("JSON");
        let o = &body["overrides"][0];
        assert_eq!(o["type"], "override_shift");
        assert_eq!(o["rotation_id"], "RA");
        assert_eq!(o["start_time"], "2026-12-08T17:00:00Z");
        assert_eq!(
            o["overridden_member"],
            serde_json::json!({"type": "empty_member"})
        );
        assert_eq!(
            o["overriding_member"],
            serde_json::json!({"type": "user_member", "user_id": "PBO"})
        );
        assert!(create("PS1", &[item("R/../x", T, T + HOUR, None, "PBO")]).is_err());
        assert!(create("PS1", &[item("RA", T, T + HOUR, Some("P B"), "PBO")]).is_err());
    }

    #[test]
    fn what_is_read_back_takes_the_layered_shape() {
        let body = r#"{"overrides":[{"id":"AGO4642RBB5RBGG65Q6I5X34VI","type":"override_shift","rotation_id":"RA","start_time":"2026-12-08T17:00:00Z","end_time":"2026-12-08T18:00:00Z","overridden_member":{"type":"user_member","user_id":"PANA"},"overriding_member":{"type":"user_member","user_id":"PBO"}}]}"#;
        let made = created(body).expect("reads");
        let o = made[0].as_override(|id| format!("Name of {id}"));
        assert_eq!(o.id.as_deref(), Some("AGO4642RBB5RBGG65Q6I5X34VI"));
        assert_eq!(
            (o.user.id.as_str(), o.user.summary.as_str()),
            ("PBO", "Name of PBO")
        );
        assert_eq!(o.start, "2026-12-08T17:00:00Z");
        assert!(created("{\"overrides\": [1]}").is_err());
        assert_eq!(
            delete("PS1", "AGO4642RBB5RBGG65Q6I5X34VI").expect("IDs"),
            "/v3/schedules/PS1/overrides/AGO4642RBB5RBGG65Q6I5X34VI"
        );
    }
}
