//! Both kinds of schedule, as one picture: a final row and the rows beneath it. A layered
//! schedule too large to decode at once is read a slice at a time by
//! [`crate::schedule_reader`], which hands its shifts here.

use crate::api::types::{RenderedEntry, ScheduleDetail, ScheduleV3, SubSchedule};
use crate::hosts::calendar_feed;
use crate::shifts::{Person, Shift};
use crate::time::parse_iso;
use std::collections::HashMap;

/// A schedule ready to draw, whichever API it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub time_zone: Option<String>,
    pub html_url: Option<String>,
    pub calendar_url: Option<String>,
    /// Shift-based (v3): several people may be on call at once.
    pub shift_based: bool,
    /// The schedule's teams' IDs, as far as its answer says (v3 does; v2's single schedule
    /// answer does not, the list does).
    pub teams: Vec<String>,
    pub final_shifts: Vec<Shift>,
    /// Layers and overrides (v2); empty for v3.
    pub rows: Vec<(String, Vec<Shift>)>,
    /// Entries PagerDuty sent that could not be read (bad dates): shown, never silently lost.
    pub unreadable: usize,
}

/// One rendered entry as a shift; `None` when its dates cannot be read.
fn entry_shift(e: &RenderedEntry) -> Option<Shift> {
    let start = parse_iso(&e.start)?;
    let end = match e.end.as_deref() {
        Some(end) => Some(parse_iso(end)?),
        None => None,
    };
    Some(Shift {
        start,
        end,
        person: e.user.as_ref().map_or(Person::Nobody, |u| Person::User {
            id: u.id.clone(),
            name: u.summary.clone(),
        }),
    })
}

/// A layered schedule's rows as shifts, by where PagerDuty put them.
#[derive(Default)]
pub(crate) struct V2Shifts {
    final_shifts: Vec<Shift>,
    layers: Vec<Vec<Shift>>,
    overrides: Vec<Shift>,
    /// Entries PagerDuty sent that could not be read.
    unreadable: usize,
}

impl V2Shifts {
    fn row(&mut self, row: V2Row) -> &mut Vec<Shift> {
        match row {
            V2Row::Final => &mut self.final_shifts,
            V2Row::Overrides => &mut self.overrides,
            V2Row::Layer(i) => {
                if self.layers.len() <= i {
                    self.layers.resize_with(i + 1, Vec::new);
                }
                &mut self.layers[i]
            }
        }
    }

    pub(crate) fn add(&mut self, row: V2Row, entry: Option<&RenderedEntry>) {
        match entry.and_then(entry_shift) {
            Some(shift) => self.row(row).push(shift),
            None => self.unreadable += 1,
        }
    }
}

/// Where a `rendered_schedule_entries` array sits in a layered schedule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum V2Row {
    Final,
    Overrides,
    Layer(usize),
}

impl Timeline {
    pub fn from_v2(detail: &ScheduleDetail) -> Self {
        let mut shifts = V2Shifts::default();
        let mut add = |row, sub: &SubSchedule| {
            for entry in &sub.rendered_schedule_entries {
                shifts.add(row, Some(entry));
            }
        };
        if let Some(f) = &detail.final_schedule {
            add(V2Row::Final, f);
        }
        for (i, layer) in detail.schedule_layers.iter().enumerate() {
            add(V2Row::Layer(i), layer);
        }
        if let Some(o) = &detail.overrides_subschedule {
            add(V2Row::Overrides, o);
        }
        Self::from_v2_shifts(detail, shifts)
    }

    pub(crate) fn from_v2_shifts(detail: &ScheduleDetail, mut shifts: V2Shifts) -> Self {
        let mut layers = std::mem::take(&mut shifts.layers).into_iter();
        let mut rows: Vec<(String, Vec<Shift>)> = detail
            .schedule_layers
            .iter()
            .enumerate()
            .map(|(i, layer)| {
                let name = if layer.name.is_empty() {
                    format!("Layer {}", i + 1)
                } else {
                    layer.name.clone()
                };
                (name, layers.next().unwrap_or_default())
            })
            .collect();
        if detail.overrides_subschedule.is_some() {
            rows.push(("Overrides".into(), shifts.overrides));
        }
        let s = detail;
        Self {
            id: s.id.clone(),
            name: s.display_name().to_string(),
            description: s.description.clone().filter(|d| !d.is_empty()),
            time_zone: s.time_zone.clone(),
            html_url: s.html_url.clone(),
            calendar_url: calendar_feed(
                detail.web_cal_url.as_deref(),
                detail.http_cal_url.as_deref(),
            ),
            shift_based: false,
            teams: vec![],
            final_shifts: shifts.final_shifts,
            rows,
            unreadable: shifts.unreadable,
        }
    }

    /// `names` maps user IDs to names (v3 shifts carry only IDs).
    pub fn from_v3(schedule: &ScheduleV3, names: &HashMap<String, String>) -> Self {
        let mut unreadable = 0;
        let final_shifts = schedule
            .final_schedule
            .as_ref()
            .map(|f| &f.computed_shift_assignments[..])
            .unwrap_or_default()
            .iter()
            .filter_map(|a| {
                let (Some(start), Some(end)) = (parse_iso(&a.start_time), parse_iso(&a.end_time))
                else {
                    unreadable += 1;
                    return None;
                };
                let person = match a.member.user_id() {
                    Some(user_id) => Person::User {
                        id: user_id.to_string(),
                        name: names
                            .get(user_id)
                            .cloned()
                            .unwrap_or_else(|| user_id.to_string()),
                    },
                    None => Person::Nobody,
                };
                Some(Shift {
                    start,
                    end: Some(end),
                    person,
                })
            })
            .collect();
        Self {
            id: schedule.id.clone(),
            name: schedule.name.clone(),
            description: schedule.description.clone().filter(|d| !d.is_empty()),
            time_zone: schedule.time_zone.clone(),
            html_url: schedule.html_url.clone(),
            calendar_url: calendar_feed(
                schedule.web_cal_url.as_deref(),
                schedule.http_cal_url.as_deref(),
            ),
            shift_based: true,
            teams: schedule.teams.iter().map(|t| t.id.clone()).collect(),
            final_shifts,
            rows: vec![],
            unreadable,
        }
    }

    /// The distinct user IDs a v3 schedule needs names for.
    pub fn v3_user_ids(schedule: &ScheduleV3) -> Vec<String> {
        let mut ids: Vec<String> = schedule
            .final_schedule
            .iter()
            .flat_map(|f| &f.computed_shift_assignments)
            .filter_map(|a| a.member.user_id().map(String::from))
            .collect();
        crate::order::sort_by_key(&mut ids, |id| crate::order::Key::text(id.clone()));
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::{ScheduleEnvelope, ScheduleV3Envelope};

    #[test]
    fn a_layered_schedule_keeps_layers_then_overrides_beneath_the_final_row() {
        let body = r#"{"schedule":{"id":"S","name":"Ops","summary":"Ops","time_zone":"Europe/Oslo","web_cal_url":"webcal://x/ics",
            "schedule_layers":[{"name":"","rendered_schedule_entries":[{"start":"2026-11-29T00:00:00Z","end":"2026-11-30T00:00:00Z","user":{"id":"U1","summary":"Ann"}}]}],
            "overrides_subschedule":{"name":"Overrides","rendered_schedule_entries":[{"start":"2026-11-29T10:00:00Z","end":"2026-11-29T12:00:00Z","user":{"id":"U2","summary":"Bo"}}]},
            "final_schedule":{"name":"Final Schedule","rendered_schedule_entries":[
                {"start":"2026-11-29T00:00:00Z","end":"2026-11-29T10:00:00Z","user":{"id":"U1","summary":"Ann"}},
                {"start":"not a date","end":"2026-11-29T12:00:00Z","user":{"id":"U2","summary":"Bo"}}]}}}"#;
        let t = Timeline::from_v2(
            &serde_json::from_str::<ScheduleEnvelope>(body)
                .expect("decodes")
                .schedule,
        );
        assert_eq!(
            t.rows
                .iter()
                .map(|(n, s)| (n.as_str(), s.len()))
                .collect::<Vec<_>>(),
            vec![("Layer 1", 1), ("Overrides", 1)]
        );
        assert_eq!(t.final_shifts.len(), 1);
        assert_eq!(
            t.unreadable, 1,
            "the bad entry is counted, not dropped silently"
        );
        assert_eq!(t.calendar_url.as_deref(), Some("webcal://x/ics"));
        assert!(!t.shift_based);
    }

    #[test]
    fn a_shift_based_schedule_names_its_people_and_marks_empty_slots() {
        let body = r#"{"schedule":{"id":"V","type":"schedule_v3","name":"IC","time_zone":"UTC","final_schedule":{"type":"final_schedule","rendered_coverage_percentage":50,"computed_shift_assignments":[
            {"type":"computed_shift_assignment","start_time":"2026-11-29T06:00:00Z","end_time":"2026-11-29T22:00:00Z","member":{"type":"user_member","user_id":"U1"},"source":{"type":"schedule_rotation"}},
            {"type":"computed_shift_assignment","start_time":"2026-11-29T06:00:00Z","end_time":"2026-11-29T22:00:00Z","member":{"type":"user_member","user_id":"U9"},"source":{"type":"schedule_rotation"}},
            {"type":"computed_shift_assignment","start_time":"2026-11-29T06:00:00Z","end_time":"2026-11-29T22:00:00Z","member":{"type":"empty_member"},"source":{"type":"schedule_rotation"}}]}}}"#;
        let schedule = serde_json::from_str::<ScheduleV3Envelope>(body)
            .expect("decodes")
            .schedule;
        assert_eq!(Timeline::v3_user_ids(&schedule), vec!["U1", "U9"]);
        let names = HashMap::from([("U1".to_string(), "Ann".to_string())]);
        let t = Timeline::from_v3(&schedule, &names);
        let people: Vec<&str> = t.final_shifts.iter().map(|s| s.person.name()).collect();
        assert_eq!(
            people,
            vec!["Ann", "U9", "Nobody"],
            "an unknown ID shows as itself"
        );
        assert!(t.shift_based);
    }
}
