//! A schedule's answer read a slice at a time, so that a huge one never blocks the page: the
//! reader walks the JSON itself and hands each element of the arrays that hold the shifts to
//! the schedule's kind as it passes: a layered schedule's `rendered_schedule_entries`
//! ([`V2Reader`]), a shift-based one's `computed_shift_assignments` ([`V3Reader`]).

use crate::api::types::{
    ComputedShift, RenderedEntry, ScheduleEnvelope, ScheduleV3, ScheduleV3Envelope,
};
use crate::timeline::{Timeline, V2Row, V2Shifts};

/// A layered schedule's answer (`GET /schedules/{id}`), read a slice at a time.
///
/// Two weeks of a busy schedule is 100,000 rendered entries, 25 MB of JSON: decoded in one
/// call it blocks the page for a quarter of a second. The reader walks the JSON's structure
/// itself, [`Reader::step`] by [`Reader::step`], each over a bounded number of bytes: an
/// entry of a `rendered_schedule_entries` array becomes a shift as it is passed; the rest of
/// the text (names, zone, links: a few kilobytes once the entries are left out) is decoded by
/// serde when the end is reached ([`V2Reader::finish`]).
pub type V2Reader = Reader<Layered>;

/// A shift-based schedule's answer (`GET /v3/schedules/{id}`), read a slice at a time in the
/// same way: each of `final_schedule.computed_shift_assignments` is decoded as it is passed.
pub type V3Reader = Reader<ShiftBased>;

/// What one kind of schedule takes from the walk: which arrays hold its shifts, and each of
/// their elements.
pub trait Entries {
    /// Which array an element came from.
    type Row: Copy;
    /// The row of an array that opens at `path`, if its elements are to be handed over.
    fn row(&self, path: &Path) -> Option<Self::Row>;
    /// One element's JSON text.
    fn add(&mut self, row: Self::Row, entry: &str);
}

/// Where the walk is: the objects and arrays it is in, outermost first.
pub struct Path<'a> {
    text: &'a str,
    stack: &'a [Frame],
}

impl Path<'_> {
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// The key being read in the object at `depth` ("" for an array, or beyond the path).
    pub fn key(&self, depth: usize) -> &str {
        match self.stack.get(depth) {
            Some(Frame::Object((a, b))) => self.text.get(*a..*b).unwrap_or_default(),
            _ => "",
        }
    }

    /// The index being read in the array at `depth`.
    pub fn index(&self, depth: usize) -> Option<usize> {
        match self.stack.get(depth) {
            Some(Frame::Array(i)) => Some(*i),
            _ => None,
        }
    }

    /// Whether the path is exactly these keys, outermost first.
    pub fn is(&self, keys: &[&str]) -> bool {
        self.depth() == keys.len() && keys.iter().enumerate().all(|(d, k)| self.key(d) == *k)
    }
}

/// The walk itself, for either kind of schedule.
pub struct Reader<E: Entries> {
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
    entries: Option<(E::Row, usize, Option<usize>)>,
    /// The text without the entries, and how much of `text` has been copied into it.
    rest: String,
    copied: usize,
    sink: E,
}

enum Frame {
    /// An object and its latest key (a byte range of the text).
    Object((usize, usize)),
    /// An array and the index of its current element.
    Array(usize),
}

/// A layered schedule's rows, as its entries pass.
#[derive(Default)]
pub struct Layered(V2Shifts);

impl Entries for Layered {
    type Row = V2Row;

    fn row(&self, path: &Path) -> Option<V2Row> {
        const ENTRIES: &str = "rendered_schedule_entries";
        if path.key(0) != "schedule" || path.key(path.depth() - 1) != ENTRIES {
            return None;
        }
        match (path.depth(), path.key(1), path.index(2)) {
            (3, "final_schedule", _) => Some(V2Row::Final),
            (3, "overrides_subschedule", _) => Some(V2Row::Overrides),
            (4, "schedule_layers", Some(i)) => Some(V2Row::Layer(i)),
            _ => None,
        }
    }

    fn add(&mut self, row: V2Row, entry: &str) {
        let entry: Option<RenderedEntry> = serde_json::from_str(entry).ok();
        self.0.add(row, entry.as_ref());
    }
}

/// A shift-based schedule's assignments, as they pass.
#[derive(Default)]
pub struct ShiftBased {
    assignments: Vec<ComputedShift>,
    /// Assignments that are not one (a missing time, say): counted, as unreadable.
    undecodable: usize,
}

impl Entries for ShiftBased {
    type Row = ();

    fn row(&self, path: &Path) -> Option<()> {
        path.is(&["schedule", "final_schedule", "computed_shift_assignments"])
            .then_some(())
    }

    fn add(&mut self, (): (), entry: &str) {
        match serde_json::from_str(entry) {
            Ok(assignment) => self.assignments.push(assignment),
            Err(_) => self.undecodable += 1,
        }
    }
}

impl<E: Entries + Default> Reader<E> {
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
            sink: E::default(),
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

    /// Reads to the end; the text without the handed-over elements, and what took them.
    fn rest(mut self) -> (String, E) {
        while self.step(usize::MAX) {}
        let tail = self.text.get(self.copied..).unwrap_or_default();
        self.rest.push_str(tail);
        (self.rest, self.sink)
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
                if self.entries.is_none() && !self.stack.is_empty() {
                    let path = Path {
                        text: &self.text,
                        stack: &self.stack,
                    };
                    if let Some(row) = self.sink.row(&path) {
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
                        self.sink.add(row, &self.text[start..=at]);
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

impl Reader<Layered> {
    /// The timeline, once every byte was read; a sentence when the answer is not a schedule.
    pub fn finish(self) -> Result<Timeline, String> {
        let (rest, Layered(shifts)) = self.rest();
        let envelope: ScheduleEnvelope = serde_json::from_str(&rest).map_err(|e| e.to_string())?;
        Ok(Timeline::from_v2_shifts(&envelope.schedule, shifts))
    }
}

impl Reader<ShiftBased> {
    /// The schedule with its assignments, once every byte was read, and how many assignments
    /// could not be decoded; a sentence when the answer is not a schedule.
    pub fn finish(self) -> Result<(ScheduleV3, usize), String> {
        let (rest, sink) = self.rest();
        let envelope: ScheduleV3Envelope =
            serde_json::from_str(&rest).map_err(|e| e.to_string())?;
        let mut schedule = envelope.schedule;
        if let Some(final_schedule) = &mut schedule.final_schedule {
            final_schedule.computed_shift_assignments = sink.assignments;
        }
        Ok((schedule, sink.undecodable))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shifts::Person;

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

    const SHIFT_BASED: &str = r#"{"schedule":{"id":"S3","name":"Follow \"the\" [sun]","time_zone":"UTC",
        "teams":[{"id":"T","type":"team_reference","computed_shift_assignments":[{"x":1}]}],
        "final_schedule":{"computed_shift_assignments":[
            {"start_time":"2026-11-29T00:00:00Z","end_time":"2026-11-29T08:00:00Z","member":{"type":"user_member","user_id":"U1"}},
            {"start_time":"2026-11-29T00:00:00Z","end_time":"2026-11-29T08:00:00Z","member":{"type":"empty_member","user_id":null}},
            {"start_time":"2026-11-29T08:00:00Z","member":{"type":"user_member","user_id":"U2"}},
            {"start_time":"2026-11-29T08:00:00Z","end_time":"2026-11-29T16:00:00Z","member":{"type":"user_member","user_id":"U2","note":"{[\"]}"}}]},
        "web_cal_url":"webcal://x/ics"}}"#;

    fn read_v3_in_steps(text: &str, bytes: usize) -> Result<(ScheduleV3, usize), String> {
        let mut reader = V3Reader::new(text.to_string());
        while reader.step(bytes) {}
        reader.finish()
    }

    #[test]
    fn the_reader_reads_a_shift_based_schedule_in_any_steps() {
        let whole = read_v3_in_steps(SHIFT_BASED, usize::MAX).expect("reads");
        assert_eq!(whole.0.name, r#"Follow "the" [sun]"#);
        assert_eq!(
            whole.0.teams.len(),
            1,
            "an array of that name elsewhere stays as it is"
        );
        assert_eq!(
            whole.1, 1,
            "the assignment without an end is counted, not the schedule failed"
        );
        for bytes in [1, 2, 7, 64, 1000] {
            assert_eq!(
                read_v3_in_steps(SHIFT_BASED, bytes),
                Ok(whole.clone()),
                "{bytes}"
            );
        }
        // What serde makes of the whole text, less the assignment it cannot decode.
        let serde_text = SHIFT_BASED.replace(
            r#"{"start_time":"2026-11-29T08:00:00Z","member":{"type":"user_member","user_id":"U2"}},"#,
            "",
        );
        let decoded = serde_json::from_str::<ScheduleV3Envelope>(&serde_text)
            .expect("decodes")
            .schedule;
        assert_eq!(whole.0, decoded);
        assert_eq!(
            decoded
                .final_schedule
                .map(|f| f.computed_shift_assignments.len()),
            Some(3)
        );
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
            assert!(read_v3_in_steps(text, 3).is_err(), "{text}");
        }
    }
}
