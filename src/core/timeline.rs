//! Both kinds of schedule, as one picture: a final row and the rows beneath it.

use crate::api::types::{
    OnCall, RenderedEntry, ScheduleDetail, ScheduleEnvelope, ScheduleV3, SubSchedule,
};
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
struct V2Shifts {
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

    fn add(&mut self, row: V2Row, entry: Option<&RenderedEntry>) {
        match entry.and_then(entry_shift) {
            Some(shift) => self.row(row).push(shift),
            None => self.unreadable += 1,
        }
    }
}

/// Where a `rendered_schedule_entries` array sits in a layered schedule.
#[derive(Clone, Copy, Debug, PartialEq)]
enum V2Row {
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

    fn from_v2_shifts(detail: &ScheduleDetail, mut shifts: V2Shifts) -> Self {
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
        crate::order::sort_by_key(&mut ids, |id| (0, 0, id.clone()));
        ids.dedup();
        ids
    }
}

/// `/oncalls` entries as shifts, each with the schedule it is for.
pub fn oncall_shifts(oncalls: &[OnCall]) -> Vec<(Shift, Option<crate::api::types::Reference>)> {
    oncalls
        .iter()
        .filter_map(|o| {
            let start = match o.start.as_deref() {
                Some(s) => parse_iso(s)?,
                None => i64::MIN / 2,
            };
            let end = match o.end.as_deref() {
                Some(e) => Some(parse_iso(e)?),
                None => None,
            };
            let person = Person::User {
                id: o.user.id.clone(),
                name: o.user.display_name().to_string(),
            };
            Some((Shift { start, end, person }, o.schedule.clone()))
        })
        .collect()
}

/// [`oncall_shifts`] once per shift: `/oncalls` repeats a shift for each escalation policy and
/// level it serves, so the same person, time and schedule can come several times. In start
/// order (then schedule).
pub fn distinct_oncall_shifts(
    oncalls: &[OnCall],
) -> Vec<(Shift, Option<crate::api::types::Reference>)> {
    let mut shifts = oncall_shifts(oncalls);
    let key = |(s, r): &(Shift, Option<crate::api::types::Reference>)| {
        let schedule = r.as_ref().map_or("", |r| r.id.as_str());
        (
            s.start,
            s.end.unwrap_or(i64::MAX),
            crate::order::joined(&[schedule, &s.person.sort_text()]),
        )
    };
    crate::order::sort_by_key(&mut shifts, key);
    shifts.dedup_by(|a, b| key(a) == key(b));
    shifts
}

/// A layered schedule's answer (`GET /schedules/{id}`), read a slice at a time.
///
/// Two weeks of a busy schedule is 100,000 rendered entries, 25 MB of JSON: decoded in one
/// call it blocks the page for a quarter of a second. The reader walks the JSON's structure
/// itself, [`V2Reader::step`] by [`V2Reader::step`], each over a bounded number of bytes: an
/// entry of a `rendered_schedule_entries` array becomes a shift as it is passed; the rest of
/// the text (names, zone, links: a few kilobytes once the entries are left out) is decoded by
/// serde when the end is reached ([`V2Reader::finish`]).
pub struct V2Reader {
    text: String,
    /// The next byte to read.
    pos: usize,
    /// Inside a string, which began at this byte (after its quote).
    string: Option<usize>,
    /// The last string read, by its byte range: a key when a `:` follows.
    last_string: (usize, usize),
    /// The objects and arrays the reader is in, outermost first.
    stack: Vec<Frame>,
    /// The entries array being read: its row, its depth, and where its current entry began.
    entries: Option<(V2Row, usize, Option<usize>)>,
    /// The text without the entries, and how much of `text` has been copied into it.
    rest: String,
    copied: usize,
    shifts: V2Shifts,
}

enum Frame {
    /// An object and its latest key (a byte range of the text).
    Object((usize, usize)),
    /// An array and the index of its current element.
    Array(usize),
}

const ENTRIES: &str = "rendered_schedule_entries";

impl V2Reader {
    pub fn new(text: String) -> Self {
        Self {
            text,
            pos: 0,
            string: None,
            last_string: (0, 0),
            stack: Vec::new(),
            entries: None,
            rest: String::new(),
            copied: 0,
            shifts: V2Shifts::default(),
        }
    }

    /// Reads about `bytes` more of the text (a string it is in, to its end); whether there is
    /// more to read.
    pub fn step(&mut self, bytes: usize) -> bool {
        let end = self.text.len().min(self.pos.saturating_add(bytes));
        while self.pos < end {
            self.advance();
        }
        self.pos < self.text.len()
    }

    /// The timeline, once every byte was read; a sentence when the answer is not a schedule.
    pub fn finish(mut self) -> Result<Timeline, String> {
        while self.step(usize::MAX) {}
        let tail = self.text.get(self.copied..).unwrap_or_default();
        self.rest.push_str(tail);
        let envelope: ScheduleEnvelope =
            serde_json::from_str(&self.rest).map_err(|e| e.to_string())?;
        Ok(Timeline::from_v2_shifts(&envelope.schedule, self.shifts))
    }

    fn key(&self, frame: Option<&Frame>) -> &str {
        match frame {
            Some(Frame::Object((a, b))) => self.text.get(*a..*b).unwrap_or_default(),
            _ => "",
        }
    }

    /// The row an entries array opened here belongs to, if this is one.
    fn entries_row(&self) -> Option<V2Row> {
        let key = |i: usize| self.key(self.stack.get(i));
        if key(0) != "schedule" || self.key(self.stack.last()) != ENTRIES {
            return None;
        }
        match (self.stack.len(), key(1), self.stack.get(2)) {
            (3, "final_schedule", _) => Some(V2Row::Final),
            (3, "overrides_subschedule", _) => Some(V2Row::Overrides),
            (4, "schedule_layers", Some(Frame::Array(i))) => Some(V2Row::Layer(*i)),
            _ => None,
        }
    }

    /// Reads one byte, or a run of a string's bytes.
    fn advance(&mut self) {
        let bytes = self.text.as_bytes();
        let at = self.pos;
        if let Some(start) = self.string {
            match bytes[at..].iter().position(|&b| b == b'"' || b == b'\\') {
                Some(n) if bytes[at + n] == b'"' => {
                    self.string = None;
                    self.last_string = (start, at + n);
                    self.pos = at + n + 1;
                }
                // An escape: the next byte is part of the string, whatever it is.
                Some(n) => self.pos = (at + n + 2).min(bytes.len()),
                None => self.pos = bytes.len(),
            }
            return;
        }
        self.pos = at + 1;
        match bytes[at] {
            b'"' => self.string = Some(at + 1),
            b':' => {
                if let Some(Frame::Object(key)) = self.stack.last_mut() {
                    *key = self.last_string;
                }
            }
            b',' => {
                if let Some(Frame::Array(index)) = self.stack.last_mut() {
                    *index += 1;
                }
            }
            b'{' => {
                if let Some((_, depth, start)) = &mut self.entries {
                    if self.stack.len() == *depth {
                        *start = Some(at);
                    }
                }
                self.stack.push(Frame::Object((0, 0)));
            }
            b'[' => {
                if self.entries.is_none() {
                    if let Some(row) = self.entries_row() {
                        // The array stays in the rest, empty.
                        self.rest.push_str(&self.text[self.copied..=at]);
                        self.entries = Some((row, self.stack.len() + 1, None));
                    }
                }
                self.stack.push(Frame::Array(0));
            }
            b'}' | b']' => {
                self.stack.pop();
                let depth = self.stack.len();
                match self.entries {
                    Some((row, d, Some(start))) if depth == d => {
                        let entry = serde_json::from_str(&self.text[start..=at]).ok();
                        self.shifts.add(row, entry.as_ref());
                        self.entries = Some((row, d, None));
                    }
                    Some((_, d, _)) if depth + 1 == d => {
                        self.entries = None;
                        self.copied = at;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
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

    const LAYERED: &str = r#"{"schedule":{"id":"S","name":"Ops \"[on]{call}\"","summary":"Ops","time_zone":"Europe/Oslo","web_cal_url":"webcal://x/ics",
        "teams":[{"id":"T","summary":"rendered_schedule_entries","rendered_schedule_entries":[{"start":"2026-11-29T00:00:00Z"}]}],
        "schedule_layers":[{"name":"","rendered_schedule_entries":[{"start":"2026-11-29T00:00:00Z","end":"2026-11-30T00:00:00Z","user":{"id":"U1","summary":"Ann \\\"{Annie}\\\" ]["}}]},
                           {"name":"Nights","rendered_schedule_entries":[]}],
        "overrides_subschedule":{"name":"Overrides","rendered_schedule_entries":[{"start":"2026-11-29T10:00:00Z","end":"2026-11-29T12:00:00Z","user":{"id":"U2","summary":"Bo"}}]},
        "final_schedule":{"name":"Final Schedule","rendered_schedule_entries":[
            {"start":"2026-11-29T00:00:00Z","end":"2026-11-29T10:00:00Z","user":{"id":"U1","summary":"Ann"}},
            {"start":"2026-11-29T10:00:00Z","end":null,"user":null},
            {"end":"2026-11-29T12:00:00Z"},
            {"start":"not a date","end":"2026-11-29T12:00:00Z","user":{"id":"U2","summary":"Bo"}}]}}}"#;

    fn read_in_steps(text: &str, bytes: usize) -> Result<Timeline, String> {
        let mut reader = V2Reader::new(text.to_string());
        while reader.step(bytes) {}
        reader.finish()
    }

    #[test]
    fn the_reader_reads_a_layered_schedule_in_any_steps() {
        let mut whole = read_in_steps(LAYERED, usize::MAX).expect("reads");
        assert_eq!(whole.name, "Ops \"[on]{call}\"");
        assert_eq!(
            whole
                .rows
                .iter()
                .map(|(n, s)| (n.as_str(), s.len()))
                .collect::<Vec<_>>(),
            vec![("Layer 1", 1), ("Nights", 0), ("Overrides", 1)],
            "only the schedule's own rows, not an array of that name elsewhere"
        );
        assert_eq!(whole.rows[0].1[0].person.name(), r#"Ann \"{Annie}\" ]["#);
        assert_eq!(whole.final_shifts.len(), 2);
        assert_eq!(whole.final_shifts[1].person, Person::Nobody);
        assert_eq!(whole.final_shifts[1].end, None);
        assert_eq!(
            whole.unreadable, 2,
            "an entry without a start and one with a bad date are counted"
        );
        for bytes in [1, 2, 7, 64, 1000] {
            assert_eq!(read_in_steps(LAYERED, bytes), Ok(whole.clone()), "{bytes}");
        }
        // What serde makes of the whole text, less the entry it cannot decode at all.
        let serde_text = LAYERED.replace(r#"{"end":"2026-11-29T12:00:00Z"},"#, "");
        let detail = serde_json::from_str::<ScheduleEnvelope>(&serde_text)
            .expect("decodes")
            .schedule;
        whole.unreadable -= 1;
        assert_eq!(Timeline::from_v2(&detail), whole);
    }

    #[test]
    fn the_reader_turns_down_what_is_not_a_schedule() {
        for text in [
            "",
            "<html>Bad gateway</html>",
            r#"{"schedule":{"id":"S","final_schedule":{"rendered_schedule_entries":[{"start":"2026"#,
            r#"]]]}}}"#,
            r#"{"schedule":{"id":"S"}}}}]]"#,
            r#"{"error":{"message":"Not Found","code":2100}}"#,
        ] {
            assert!(read_in_steps(text, 3).is_err(), "{text}");
        }
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

    #[test]
    fn permanent_oncalls_have_open_ends() {
        let oncalls: Vec<OnCall> = serde_json::from_str(r#"[{"user":{"id":"U","summary":"Ann"},"start":null,"end":null},{"user":{"id":"U"},"start":"2026-11-29T00:00:00Z","end":"bad"}]"#).expect("decodes");
        let shifts = oncall_shifts(&oncalls);
        assert_eq!(shifts.len(), 1);
        let twice = [oncalls.clone(), oncalls.clone()].concat();
        assert_eq!(
            distinct_oncall_shifts(&twice).len(),
            1,
            "one shift, however often listed"
        );
        assert_eq!(shifts[0].0.end, None);
        assert!(shifts[0].0.covers(0));
    }
}
