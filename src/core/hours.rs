//! On-call hours per person over a period: in total, and how many were working hours, nights
//! and weekends, each counted in the person's own time zone; with the hours two schedules had
//! them at once (counted once), their shifts and their longest unbroken stretch. And the same
//! as a CSV file for a spreadsheet.
//!
//! A time belongs to one kind only, checked in this order: a **weekend** is all of Saturday
//! and Sunday; a **night** is the night window (22:00–07:00) on any other day; **working** is
//! the working window (09:00–18:00) Monday to Friday; anything else is **other**. Local days of
//! 23 and 25 hours are what they are: nothing is assumed to last 24 hours.

use crate::form;
use crate::order::{self, Key};
use crate::shifts::Shift;
use crate::time::{self, Civil, Millis, Window, Zone, HOUR, MINUTE};

/// A daily window in local minutes after midnight, `[from, to)`; `to < from` crosses midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Daily {
    pub from: u32,
    pub to: u32,
}

impl Daily {
    fn contains(self, minute: u32) -> bool {
        if self.from <= self.to {
            (self.from..self.to).contains(&minute)
        } else {
            minute >= self.from || minute < self.to
        }
    }

    /// `09:00-18:00`, as in the address.
    pub fn param(self) -> String {
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        format!("{}-{}", hm(self.from), hm(self.to))
    }

    /// Reads [`Daily::param`]'s form (`9:00-18:00` too); `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let minutes = |hm: &str| -> Option<u32> {
            let (h, m) = hm.trim().split_once(':')?;
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
        };
        let (from, to) = text.split_once('-')?;
        let (from, to) = (minutes(from)?, minutes(to)?);
        (from != to).then_some(Self {
            from: from % (24 * 60),
            to: to % (24 * 60),
        })
    }
}

/// How the hours are sorted into kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    pub working: Daily,
    pub night: Daily,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            working: Daily {
                from: 9 * 60,
                to: 18 * 60,
            },
            night: Daily {
                from: 22 * 60,
                to: 7 * 60,
            },
        }
    }
}

impl Rules {
    /// The rules an address asks for (`?work=08:00-16:00&night=23:00-06:00`), the default
    /// for what it does not say or says wrongly.
    pub fn from_query(query: &str) -> Self {
        let default = Self::default();
        let read = |name| form::query_value(query, name).and_then(|v| Daily::parse(&v));
        Self {
            working: read("work").unwrap_or(default.working),
            night: read("night").unwrap_or(default.night),
        }
    }

    /// The kind of local time `civil`.
    pub fn kind_at(&self, civil: Civil) -> Kind {
        let minute = civil.hour * 60 + civil.minute;
        if civil.weekday() >= 5 {
            Kind::Weekend
        } else if self.night.contains(minute) {
            Kind::Night
        } else if self.working.contains(minute) {
            Kind::Working
        } else {
            Kind::Other
        }
    }

    /// The minutes after local midnight at which the kind may change.
    fn edges(&self) -> [u32; 4] {
        [
            self.working.from,
            self.working.to,
            self.night.from,
            self.night.to,
        ]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Working,
    Night,
    Weekend,
    Other,
}

/// `window` cut where its kind changes in `zone`, each piece with its kind.
pub fn pieces(zone: &impl Zone, rules: &Rules, window: Window) -> Vec<(Window, Kind)> {
    cut(zone, &rules.edges(), window, |civil| rules.kind_at(civil))
}

/// The parts of `window` that are night in `zone` (any day, weekends too): what the board shades.
pub fn nights(zone: &impl Zone, night: Daily, window: Window) -> Vec<Window> {
    cut(zone, &[night.from, night.to], window, |c| {
        night.contains(c.hour * 60 + c.minute)
    })
    .into_iter()
    .filter_map(|(w, is_night)| is_night.then_some(w))
    .collect()
}

/// `window` cut at local midnight and at `edges` (minutes after it) of every local day, each
/// piece named by `classify` at its start ([`time::runs`]).
fn cut<K: PartialEq>(
    zone: &impl Zone,
    edges: &[u32],
    window: Window,
    classify: impl Fn(Civil) -> K,
) -> Vec<(Window, K)> {
    let mut cuts: Vec<Millis> = vec![];
    for day in time::days(zone, window) {
        let c = time::local(zone, day.start);
        cuts.push(day.start);
        cuts.extend(edges.iter().map(|&minute| {
            let edge = Civil {
                hour: minute / 60,
                minute: minute % 60,
                second: 0,
                ..c
            };
            time::from_local(zone, edge)
        }));
    }
    time::runs(window, cuts, |t| Some(classify(time::local(zone, t))))
}

/// One person's hours over the period, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// On call at all (two schedules at once count once).
    pub total: Millis,
    pub working: Millis,
    pub night: Millis,
    pub weekend: Millis,
    pub other: Millis,
    /// On call through two or more schedules at once: counted once in `total`, said here.
    pub overlap: Millis,
    /// Shifts: a run of one schedule's final schedule with them on call, however PagerDuty cut
    /// it into entries.
    pub shifts: usize,
    /// The longest time on call without a break, through any schedules.
    pub longest: Millis,
}

/// Tallies one person's `shifts` (each with the schedule it came from) within `period`.
pub fn tally(zone: &impl Zone, rules: &Rules, period: Window, shifts: &[(usize, &Shift)]) -> Tally {
    let (mut tally, on_call) = stretches(period, shifts);
    for w in on_call {
        add(&mut tally, zone, rules, w);
    }
    tally
}

/// The first half of [`tally`]: the shift count and the overlap in a [`Tally`], and the times
/// the person was on call at all, through any schedule (each to be [`add`]ed). A caller with
/// thousands of them can add them a slice at a time.
pub fn stretches(period: Window, shifts: &[(usize, &Shift)]) -> (Tally, Vec<Window>) {
    // One schedule's entries that meet are one shift.
    let mut runs: Vec<(usize, Window)> = shifts
        .iter()
        .filter_map(|(schedule, s)| {
            let w = Window {
                start: s.start.max(period.start),
                end: s.end_or_max().min(period.end),
            };
            (!w.is_empty()).then_some((*schedule, w))
        })
        .collect();
    order::sort_by_key(&mut runs, |(s, w)| Key::numbers(*s as i64, w.start));
    let mut merged: Vec<(usize, Window)> = vec![];
    for (schedule, w) in runs {
        match merged.last_mut() {
            Some((s, last)) if *s == schedule && w.start <= last.end => {
                last.end = last.end.max(w.end)
            }
            _ => merged.push((schedule, w)),
        }
    }
    let sum: Millis = merged.iter().map(|(_, w)| w.len()).sum();
    // Every schedule together: the time they were on call at all.
    let mut union: Vec<Window> = merged.iter().map(|(_, w)| *w).collect();
    order::sort_by_key(&mut union, |w| Key::number(w.start));
    let mut joined: Vec<Window> = vec![];
    for w in union {
        match joined.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => joined.push(w),
        }
    }
    let total: Millis = joined.iter().map(Window::len).sum();
    let tally = Tally {
        shifts: merged.len(),
        overlap: sum - total,
        ..Tally::default()
    };
    (tally, joined)
}

/// The second half of [`tally`]: one stretch on call, sorted into kinds.
pub fn add(tally: &mut Tally, zone: &impl Zone, rules: &Rules, on_call: Window) {
    tally.total += on_call.len();
    tally.longest = tally.longest.max(on_call.len());
    for (piece, kind) in pieces(zone, rules, on_call) {
        *match kind {
            Kind::Working => &mut tally.working,
            Kind::Night => &mut tally.night,
            Kind::Weekend => &mut tally.weekend,
            Kind::Other => &mut tally.other,
        } += piece.len();
    }
}

/// One row of the table and the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub email: String,
    /// The zone the hours were sorted in (the person's own, or the one shown if theirs is not
    /// known).
    pub zone: String,
    pub tally: Tally,
}

/// Hours with two decimals, as people and spreadsheets read them: `12.50`.
pub fn hours_text(ms: Millis) -> String {
    let hundredths = (ms * 100 + HOUR / 2) / HOUR;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// `rows` by most hours first, then by name.
pub fn sort(rows: &mut Vec<Row>) {
    order::sort_by_key(rows, |r| {
        Key::number_then_text(-r.tally.total, order::joined(&[&r.name, &r.id]))
    });
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, and made inert
/// when a spreadsheet would read it as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return): an apostrophe goes first.
pub fn csv_field(text: &str) -> String {
    let inert = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    };
    if inert.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", inert.replace('"', "\"\""))
    } else {
        inert
    }
}

/// The columns, in order.
pub const COLUMNS: [&str; 14] = [
    "Name",
    "Email",
    "Time zone",
    "Hours on call",
    "Working hours",
    "Night hours",
    "Weekend hours",
    "Other hours",
    "Overlapping hours",
    "Shifts",
    "Longest stretch (hours)",
    "Period start",
    "Period end",
    "Rules",
];

/// The table as a CSV file (RFC 4180: CRLF line ends, a header row, one row per person). Each
/// row also says the period (`start`, `end` as ISO 8601) and the rules, so that a row copied
/// elsewhere still says what it counts. It starts with a byte-order mark: without one, Excel
/// reads UTF-8 as its local code page, and "Zoë Ångström" arrives garbled.
pub fn csv(rows: &[Row], start: &str, end: &str, rules: &Rules) -> String {
    let rules_text = format!(
        "working {} Mon-Fri; night {}; weekend Sat-Sun; in each person's time zone",
        rules.working.param(),
        rules.night.param()
    );
    let mut out = String::from("\u{FEFF}");
    out.push_str(&COLUMNS.join(","));
    out.push_str("\r\n");
    for row in rows {
        let t = &row.tally;
        let cells = [
            csv_field(&row.name),
            csv_field(&row.email),
            csv_field(&row.zone),
            hours_text(t.total),
            hours_text(t.working),
            hours_text(t.night),
            hours_text(t.weekend),
            hours_text(t.other),
            hours_text(t.overlap),
            t.shifts.to_string(),
            hours_text(t.longest),
            csv_field(start),
            csv_field(end),
            csv_field(&rules_text),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The longest period the page counts at once, in days: PagerDuty's final schedule is read for
/// all of it, for every schedule.
pub const MAX_DAYS: i64 = 93;

/// The period an address asks for (`?from=2026-11-01&to=2026-11-30`, both days included, in
/// `zone`), else the last calendar month before `now`. Also says when what was asked for could
/// not be used, and why.
pub fn period(zone: &impl Zone, query: &str, now: Millis) -> (Window, Option<&'static str>) {
    // Local midnight on the first of the month `at` is in.
    let month_start = |at: Millis| {
        let first = Civil {
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            ..time::local(zone, at)
        };
        time::from_local(zone, first)
    };
    let this_month = month_start(now);
    let last_month = Window {
        start: month_start(this_month - MINUTE),
        end: this_month,
    };
    let date = |name| form::query_value(query, name).and_then(|v| time::parse_date_param(&v));
    let (from, to) = match (date("from"), date("to")) {
        (None, None) if form::query_value(query, "from").is_none() => return (last_month, None),
        (Some(from), Some(to)) => (from, to),
        _ => {
            return (
                last_month,
                Some("The dates in the address could not be read: showing last month."),
            )
        }
    };
    let start = time::from_local(zone, from);
    let end = time::add_days(zone, time::from_local(zone, to), 1);
    if end <= start {
        return (
            last_month,
            Some("The period in the address ends before it starts: showing last month."),
        );
    }
    if time::days(zone, Window { start, end }).len() as i64 > MAX_DAYS {
        let end = time::add_days(zone, start, MAX_DAYS);
        return (
            Window { start, end },
            Some("At most three months are counted at once: the period is cut to 93 days."),
        );
    }
    (Window { start, end }, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shifts::Person;
    use crate::time::tests::{NewYork, Oslo};
    use crate::time::{parse_iso, Utc};

    fn at(text: &str) -> Millis {
        parse_iso(text).expect("a test instant")
    }

    fn shift(from: &str, to: &str) -> Shift {
        Shift {
            start: at(from),
            end: Some(at(to)),
            person: Person::User {
                id: "U1".into(),
                name: "Ana".into(),
            },
        }
    }

    fn month(from: &str, to: &str) -> Window {
        Window {
            start: at(from),
            end: at(to),
        }
    }

    const ALL_TIME: Window = Window {
        start: 0,
        end: Millis::MAX / 2,
    };

    #[test]
    fn a_shift_across_midnight_into_the_weekend_is_cut_at_each_rule() {
        // Friday 2026-11-27 17:00 to Saturday 10:00, UTC: 1 h working, 4 h other (18–22),
        // 2 h night (22–24), 10 h weekend.
        let s = shift("2026-11-27T17:00:00Z", "2026-11-28T10:00:00Z");
        let t = tally(&Utc, &Rules::default(), ALL_TIME, &[(0, &s)]);
        assert_eq!(
            (t.total, t.working, t.other, t.night, t.weekend),
            (17 * HOUR, HOUR, 4 * HOUR, 2 * HOUR, 10 * HOUR)
        );
        assert_eq!((t.shifts, t.longest, t.overlap), (1, 17 * HOUR, 0));
    }

    #[test]
    fn a_day_of_23_and_a_day_of_25_hours_are_counted_as_they_were() {
        // Oslo's clocks went forward on Sunday 2026-03-29 and back on Sunday 2026-10-25: a whole
        // local Sunday on call is 23 and 25 hours, all of it weekend.
        let spring = shift("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z");
        let autumn = shift("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z");
        for (s, hours) in [(spring, 23), (autumn, 25)] {
            let t = tally(&Oslo, &Rules::default(), ALL_TIME, &[(0, &s)]);
            assert_eq!((t.total, t.weekend), (hours * HOUR, hours * HOUR));
        }
        // New York's clocks go back on Sunday 2026-11-01. The Monday night after is counted from
        // local 22:00 (03:00 UTC, UTC-5 now) to local 07:00 (12:00 UTC).
        let monday_night = shift("2026-11-03T00:00:00Z", "2026-11-03T14:00:00Z");
        let t = tally(&NewYork, &Rules::default(), ALL_TIME, &[(0, &monday_night)]);
        // Local: Mon 19:00 → Tue 09:00: 3 h other, 9 h night, 2 h other (07–09).
        assert_eq!((t.night, t.other, t.working), (9 * HOUR, 5 * HOUR, 0));
        // A Saturday night in New York before the change is weekend, whatever UTC says.
        let saturday = shift("2026-10-31T04:00:00Z", "2026-10-31T08:00:00Z");
        let t = tally(&NewYork, &Rules::default(), ALL_TIME, &[(0, &saturday)]);
        assert_eq!((t.weekend, t.night), (4 * HOUR, 0), "Sat 00:00–04:00 EDT");
    }

    #[test]
    fn the_same_shift_in_two_zones_is_two_different_mixes() {
        // Tuesday 2026-12-01 06:00–15:00 UTC.
        let s = shift("2026-12-01T06:00:00Z", "2026-12-01T15:00:00Z");
        let oslo = tally(&Oslo, &Rules::default(), ALL_TIME, &[(0, &s)]);
        // Oslo (UTC+1) 07:00–16:00: 2 h other, 7 h working.
        assert_eq!(
            (oslo.working, oslo.other, oslo.night),
            (7 * HOUR, 2 * HOUR, 0)
        );
        let ny = tally(&NewYork, &Rules::default(), ALL_TIME, &[(0, &s)]);
        // New York (UTC-5) 01:00–10:00: 6 h night, 2 h other, 1 h working.
        assert_eq!((ny.night, ny.other, ny.working), (6 * HOUR, 2 * HOUR, HOUR));
    }

    #[test]
    fn two_schedules_at_once_count_once_and_say_how_long_they_overlapped() {
        let a = shift("2026-12-01T09:00:00Z", "2026-12-01T17:00:00Z");
        let b = shift("2026-12-01T15:00:00Z", "2026-12-01T20:00:00Z");
        // One schedule cut into two entries that meet: one shift.
        let c1 = shift("2026-12-02T09:00:00Z", "2026-12-02T12:00:00Z");
        let c2 = shift("2026-12-02T12:00:00Z", "2026-12-02T13:00:00Z");
        let t = tally(
            &Utc,
            &Rules::default(),
            ALL_TIME,
            &[(0, &a), (1, &b), (0, &c1), (0, &c2)],
        );
        assert_eq!(t.total, 11 * HOUR + 4 * HOUR);
        assert_eq!(t.overlap, 2 * HOUR);
        assert_eq!(t.shifts, 3);
        assert_eq!(t.longest, 11 * HOUR, "09:00–20:00 through both schedules");
    }

    #[test]
    fn an_override_counts_for_whoever_was_on_call() {
        // A layered schedule whose final schedule PagerDuty rendered with Bo's override over
        // Ana's day: the hours follow the final schedule, not the layer.
        let detail: crate::api::types::ScheduleEnvelope = serde_json::from_value(serde_json::json!({
            "schedule": {
                "id": "PS1", "name": "Primary",
                "schedule_layers": [{"name": "Layer 1", "rendered_schedule_entries": [
                    {"start": "2026-12-01T00:00:00Z", "end": "2026-12-02T00:00:00Z", "user": {"id": "ANA", "summary": "Ana"}}
                ]}],
                "overrides_subschedule": {"name": "Overrides", "rendered_schedule_entries": [
                    {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T14:00:00Z", "user": {"id": "BO", "summary": "Bo"}}
                ]},
                "final_schedule": {"name": "Final Schedule", "rendered_schedule_entries": [
                    {"start": "2026-12-01T00:00:00Z", "end": "2026-12-01T10:00:00Z", "user": {"id": "ANA", "summary": "Ana"}},
                    {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T14:00:00Z", "user": {"id": "BO", "summary": "Bo"}},
                    {"start": "2026-12-01T14:00:00Z", "end": "2026-12-02T00:00:00Z", "user": {"id": "ANA", "summary": "Ana"}}
                ]}
            }
        }))
        .expect("a schedule");
        let timeline = crate::timeline::Timeline::from_v2(&detail.schedule);
        let of = |id: &str| -> Vec<(usize, &Shift)> {
            timeline
                .final_shifts
                .iter()
                .filter(|s| s.person.user_id() == Some(id))
                .map(|s| (0, s))
                .collect()
        };
        let ana = tally(&Utc, &Rules::default(), ALL_TIME, &of("ANA"));
        let bo = tally(&Utc, &Rules::default(), ALL_TIME, &of("BO"));
        assert_eq!(
            (ana.total, ana.shifts, ana.longest),
            (20 * HOUR, 2, 10 * HOUR)
        );
        assert_eq!((bo.total, bo.working), (4 * HOUR, 4 * HOUR));
    }

    #[test]
    fn only_the_period_counts() {
        let s = shift("2026-10-31T20:00:00Z", "2026-11-01T04:00:00Z");
        let t = tally(
            &Utc,
            &Rules::default(),
            month("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"),
            &[(0, &s)],
        );
        assert_eq!((t.total, t.weekend, t.shifts), (4 * HOUR, 4 * HOUR, 1));
    }

    #[test]
    fn rules_come_from_the_address_and_round_trip() {
        let r = Rules::from_query("?work=08:30-16:00&night=23:00-06:00");
        assert_eq!(r.working, Daily { from: 510, to: 960 });
        assert_eq!(
            (r.working.param(), r.night.param()),
            ("08:30-16:00".into(), "23:00-06:00".into())
        );
        assert_eq!(
            Rules::from_query("?work=nonsense&night=25:00-01:00"),
            Rules::default()
        );
        assert_eq!(Daily::parse("9:00-24:00"), Some(Daily { from: 540, to: 0 }));
        assert_eq!(Daily::parse("10:00-10:00"), None);
    }

    #[test]
    fn the_csv_is_rfc_4180_and_formulas_are_inert() {
        assert_eq!(csv_field("Ana Lima"), "Ana Lima");
        assert_eq!(csv_field("Lima, Ana"), "\"Lima, Ana\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        for formula in ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(
                csv_field(formula).trim_start_matches('"').starts_with('\''),
                "{formula}"
            );
        }
        let row = Row {
            id: "U1".into(),
            name: "=cmd|' /C calc'!A0".into(),
            email: "ana@example.com".into(),
            zone: "Europe/Oslo".into(),
            tally: Tally {
                total: 90 * MINUTE,
                working: HOUR,
                other: 30 * MINUTE,
                shifts: 1,
                longest: 90 * MINUTE,
                ..Tally::default()
            },
        };
        let file = csv(
            &[row],
            "2026-11-01T00:00:00+01:00",
            "2026-12-01T00:00:00+01:00",
            &Rules::default(),
        );
        let body = file
            .strip_prefix('\u{FEFF}')
            .expect("a byte-order mark first");
        let lines: Vec<&str> = body.split("\r\n").collect();
        assert_eq!(lines.len(), 3, "header, one row, and the final line end");
        assert_eq!(lines[0].split(',').count(), COLUMNS.len());
        assert!(lines[1].starts_with(
            "'=cmd|' /C calc'!A0,ana@example.com,Europe/Oslo,1.50,1.00,0.00,0.00,0.50,0.00,1,1.50,"
        ));
        assert_eq!(lines[2], "");
    }

    #[test]
    fn the_period_is_last_month_unless_the_address_says_otherwise() {
        let now = at("2026-12-07T10:00:00Z");
        assert_eq!(
            period(&Oslo, "", now),
            (month("2026-10-31T23:00:00Z", "2026-11-30T23:00:00Z"), None)
        );
        // January asks for December of the year before.
        let (w, _) = period(&Utc, "", at("2027-01-15T00:00:00Z"));
        assert_eq!(w, month("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"));
        // Both days included, in the zone shown: October in Oslo is 31 days and one hour.
        let (w, why) = period(&Oslo, "?from=2026-10-01&to=2026-10-31", now);
        assert_eq!((w.len(), why), (31 * 24 * HOUR + HOUR, None));
        let (w, why) = period(&Utc, "?from=2026-01-01&to=2026-12-31", now);
        assert_eq!(w.len(), MAX_DAYS * 24 * HOUR);
        assert!(why.is_some());
        for bad in [
            "?from=2026-11-31&to=2026-12-01",
            "?from=2026-12-05&to=2026-12-01",
            "?from=x",
        ] {
            let (w, why) = period(&Utc, bad, now);
            assert_eq!(
                w,
                month("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"),
                "{bad}"
            );
            assert!(why.is_some(), "{bad}");
        }
    }

    #[test]
    fn nights_are_shaded_in_the_persons_zone_weekends_too() {
        // Saturday 2026-12-05 12:00 UTC to Sunday 12:00 UTC, in Oslo (UTC+1): one night,
        // 22:00–07:00 local, 21:00–06:00 UTC.
        let day = month("2026-12-05T12:00:00Z", "2026-12-06T12:00:00Z");
        assert_eq!(
            nights(&Oslo, Rules::default().night, day),
            vec![month("2026-12-05T21:00:00Z", "2026-12-06T06:00:00Z")]
        );
        // In New York (UTC-5) the window starts at 07:00 local, as a night ends: only the
        // next night is in it.
        assert_eq!(
            nights(&NewYork, Rules::default().night, day),
            vec![month("2026-12-06T03:00:00Z", "2026-12-06T12:00:00Z")]
        );
    }

    #[test]
    fn hours_are_written_with_two_decimals() {
        assert_eq!(hours_text(0), "0.00");
        assert_eq!(hours_text(90 * MINUTE), "1.50");
        assert_eq!(hours_text(HOUR / 3), "0.33");
        assert_eq!(hours_text(725 * HOUR), "725.00");
    }
}
