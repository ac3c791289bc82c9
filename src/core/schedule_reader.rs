//! A layered schedule's answer read a slice at a time, so that a huge one never blocks the
//! page: the reader walks the JSON itself and turns each rendered entry into a shift as it
//! passes ([`V2Reader`]).

use crate::api::types::ScheduleEnvelope;
use crate::timeline::{Timeline, V2Row, V2Shifts};

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
}
