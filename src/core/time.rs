//! Instants, ISO 8601, and calendar days in a time zone.
//!
//! Time zones come from the browser (`Intl`, see `browser::zone`) through the [`Zone`] trait,
//! so no tz database is bundled and the maths here is tested on the host with rule-based
//! zones, DST days of 23 and 25 hours included.

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;

/// A time zone: its offset from UTC at an instant.
pub trait Zone {
    fn offset(&self, at: Millis) -> Millis;
}

/// A zone that asks `Z` once per quarter hour and remembers the answer: offsets change only at
/// transitions, and every zone's transitions fall on a quarter hour of UTC. The browser's zone
/// reads each offset through `Intl` (microseconds each); counting a month of hours asks it
/// millions of times. Keep one for a computation, not for the life of the page.
pub struct Cached<Z> {
    zone: Z,
    seen: std::cell::RefCell<std::collections::HashMap<i64, Millis>>,
}

const QUARTER_HOUR: Millis = 15 * MINUTE;

impl<Z: Zone> Cached<Z> {
    pub fn new(zone: Z) -> Self {
        Self {
            zone,
            seen: Default::default(),
        }
    }
}

impl<Z: Zone> Zone for Cached<Z> {
    fn offset(&self, at: Millis) -> Millis {
        let quarter = at.div_euclid(QUARTER_HOUR);
        *self
            .seen
            .borrow_mut()
            .entry(quarter)
            .or_insert_with(|| self.zone.offset(quarter * QUARTER_HOUR))
    }
}

/// Coordinated Universal Time.
#[derive(Clone, Copy, Debug)]
pub struct Utc;

impl Zone for Utc {
    fn offset(&self, _: Millis) -> Millis {
        0
    }
}

/// A local calendar date and wall-clock time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Civil {
    /// The civil date-time of `utc_ms` read as UTC.
    pub fn from_millis(ms: Millis) -> Self {
        let days = ms.div_euclid(DAY);
        let in_day = ms.rem_euclid(DAY) / SECOND;
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: (in_day / 3600) as u32,
            minute: (in_day / 60 % 60) as u32,
            second: (in_day % 60) as u32,
        }
    }

    /// This civil date-time as if it were UTC.
    pub fn to_millis(self) -> Millis {
        days_from_civil(self.year, self.month, self.day) * DAY
            + Millis::from(self.hour) * HOUR
            + Millis::from(self.minute) * MINUTE
            + Millis::from(self.second) * SECOND
    }

    /// Day of the week, Monday = 0.
    pub fn weekday(self) -> u32 {
        (days_from_civil(self.year, self.month, self.day) + 3).rem_euclid(7) as u32
    }
}

/// Parses ISO 8601 as PagerDuty writes it: `2015-11-09T08:00:00-05:00`, `…Z`, fractional
/// seconds, or a bare date (midnight UTC). Anything else is `None`, never a panic.
pub fn parse_iso(text: &str) -> Option<Millis> {
    let text = text.trim();
    let date = text.get(..10)?;
    let (y, rest) = date.split_once('-')?;
    let (m, d) = rest.split_once('-')?;
    let (year, month, day) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let midnight = days_from_civil(year, month, day) * DAY;
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(midnight);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(zone_at);
    let mut fields = clock.split(':');
    let hour: Millis = fields.next()?.parse().ok()?;
    let minute: Millis = fields.next()?.parse().ok()?;
    let (second, fraction) = match fields.next() {
        Some(s) => {
            let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
            let millis: String = frac.chars().chain("000".chars()).take(3).collect();
            (
                whole.parse::<Millis>().ok()?,
                millis.parse::<Millis>().ok()?,
            )
        }
        None => (0, 0),
    };
    if hour > 24 || minute > 59 || second > 60 {
        return None;
    }
    let offset = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let h: Millis = digits[..2].parse().ok()?;
            let m: Millis = digits[2..].parse().ok()?;
            sign * (h * HOUR + m * MINUTE)
        }
    };
    Some(midnight + hour * HOUR + minute * MINUTE + second * SECOND + fraction - offset)
}

/// `2026-11-29T08:00:00Z`, for query parameters.
pub fn format_iso_utc(ms: Millis) -> String {
    let c = Civil::from_millis(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// The local date-time of `at` in `zone`.
pub fn local(zone: &impl Zone, at: Millis) -> Civil {
    Civil::from_millis(at + zone.offset(at))
}

/// The instant of a local wall-clock time. In a DST gap the later offset is used (the clock
/// has jumped past it); in an overlap, the earlier instant.
pub fn from_local(zone: &impl Zone, civil: Civil) -> Millis {
    let wall = civil.to_millis();
    let guess = wall - zone.offset(wall);
    let candidates = [
        guess,
        wall - zone.offset(guess),
        wall - zone.offset(guess - DAY / 4),
    ];
    candidates
        .into_iter()
        .filter(|t| t + zone.offset(*t) == wall)
        .min()
        .unwrap_or(wall - zone.offset(guess))
}

/// Local midnight at the start of the day containing `at`.
pub fn start_of_day(zone: &impl Zone, at: Millis) -> Millis {
    add_days(zone, at, 0)
}

/// Local midnight `n` calendar days after the day starting at (or containing) `day`.
pub fn add_days(zone: &impl Zone, day: Millis, n: i64) -> Millis {
    let c = local(zone, day);
    let shifted = Civil::from_millis(days_from_civil(c.year, c.month, c.day) * DAY + n * DAY);
    from_local(
        zone,
        Civil {
            hour: 0,
            minute: 0,
            second: 0,
            ..shifted
        },
    )
}

/// A local date as written in URLs: `2026-11-30`.
pub fn date_param(civil: Civil) -> String {
    format!("{:04}-{:02}-{:02}", civil.year, civil.month, civil.day)
}

/// Reads [`date_param`]'s form back, as local midnight.
pub fn parse_date_param(text: &str) -> Option<Civil> {
    let c = Civil::from_millis(parse_iso(text.get(..10)?)?);
    (date_param(c) == text).then_some(c)
}

/// A half-open span of time, `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: Millis,
    pub end: Millis,
}

impl Window {
    pub fn contains(&self, at: Millis) -> bool {
        self.start <= at && at < self.end
    }

    pub fn len(&self) -> Millis {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// `within` cut at `points` (those inside it), each piece named by `name_at` its start; `None`
/// leaves the piece out. Neighbouring pieces with the same name are one.
pub fn runs<V: PartialEq>(
    within: Window,
    mut points: Vec<Millis>,
    name_at: impl Fn(Millis) -> Option<V>,
) -> Vec<(Window, V)> {
    points.retain(|&p| within.contains(p));
    points.push(within.start);
    points.push(within.end);
    crate::order::sort_by_key(&mut points, |&p| crate::order::Key::number(p));
    points.dedup();
    let mut out: Vec<(Window, V)> = vec![];
    for pair in points.windows(2) {
        let piece = Window {
            start: pair[0],
            end: pair[1],
        };
        let Some(name) = name_at(piece.start) else {
            continue;
        };
        match out.last_mut() {
            Some((last, n)) if last.end == piece.start && *n == name => last.end = piece.end,
            _ => out.push((piece, name)),
        }
    }
    out
}

/// How much of a schedule one screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Day,
    Week,
    TwoWeeks,
}

impl Span {
    pub fn days(self) -> i64 {
        match self {
            Span::Day => 1,
            Span::Week => 7,
            Span::TwoWeeks => 14,
        }
    }

    /// The name used in URLs (`?span=week`).
    pub fn as_str(self) -> &'static str {
        match self {
            Span::Day => "day",
            Span::Week => "week",
            Span::TwoWeeks => "2weeks",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Span::Day, Span::Week, Span::TwoWeeks]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// The window of this span that contains `at`: its day, or its week from Monday.
    pub fn window(self, zone: &impl Zone, at: Millis) -> Window {
        let today = start_of_day(zone, at);
        let start = match self {
            Span::Day => today,
            Span::Week | Span::TwoWeeks => {
                add_days(zone, today, -i64::from(local(zone, today).weekday()))
            }
        };
        Window {
            start,
            end: add_days(zone, start, self.days()),
        }
    }

    /// The window `steps` spans before (negative) or after (positive) `window`.
    pub fn step(self, zone: &impl Zone, window: Window, steps: i64) -> Window {
        let start = add_days(zone, window.start, steps * self.days());
        Window {
            start,
            end: add_days(zone, start, self.days()),
        }
    }
}

/// The local days of `window`, each as its own window (23, 24 or 25 hours long).
pub fn days(zone: &impl Zone, window: Window) -> Vec<Window> {
    let mut out = Vec::new();
    let mut start = start_of_day(zone, window.start);
    while start < window.end && out.len() < 400 {
        let end = add_days(zone, start, 1);
        out.push(Window {
            start: start.max(window.start),
            end: end.min(window.end),
        });
        start = end;
    }
    out
}

/// Howard Hinnant's `civil_from_days`, proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Central European Time with EU summer time: +1, and +2 from the last Sunday of March
    /// 01:00 UTC to the last Sunday of October 01:00 UTC.
    pub struct Oslo;

    impl Zone for Oslo {
        fn offset(&self, at: Millis) -> Millis {
            let year = Civil::from_millis(at).year;
            let last_sunday = |month: u32| {
                let end = Civil {
                    year,
                    month,
                    day: 31,
                    hour: 1,
                    minute: 0,
                    second: 0,
                };
                end.to_millis() - Millis::from(end.weekday() + 1) % 7 * DAY
            };
            if (last_sunday(3)..last_sunday(10)).contains(&at) {
                2 * HOUR
            } else {
                HOUR
            }
        }
    }

    /// Eastern Time with US daylight saving: -5, and -4 from the second Sunday of March 07:00
    /// UTC (02:00 local) to the first Sunday of November 06:00 UTC (02:00 local).
    pub struct NewYork;

    impl Zone for NewYork {
        fn offset(&self, at: Millis) -> Millis {
            let year = Civil::from_millis(at).year;
            let nth_sunday = |month: u32, n: i64, hour: u32| {
                let first = Civil {
                    year,
                    month,
                    day: 1,
                    hour,
                    minute: 0,
                    second: 0,
                };
                first.to_millis()
                    + (Millis::from((7 - first.weekday() + 6) % 7) + 7 * (n - 1)) * DAY
            };
            if (nth_sunday(3, 2, 7)..nth_sunday(11, 1, 6)).contains(&at) {
                -4 * HOUR
            } else {
                -5 * HOUR
            }
        }
    }

    /// A zone far west of UTC, without DST, to catch sign errors.
    pub struct Honolulu;

    impl Zone for Honolulu {
        fn offset(&self, _: Millis) -> Millis {
            -10 * HOUR
        }
    }

    fn at(text: &str) -> Millis {
        parse_iso(text).expect("valid test instant")
    }

    #[test]
    fn runs_cut_a_window_at_its_points_and_join_neighbours_of_one_name() {
        let w = Window { start: 0, end: 100 };
        // Points outside the window are ignored; pieces named alike are joined; None is left out.
        let named = runs(w, vec![150, 30, 60, 80, -5], |t| match t {
            0 | 30 => Some("a"),
            60 => None,
            _ => Some("b"),
        });
        assert_eq!(
            named,
            vec![
                (Window { start: 0, end: 60 }, "a"),
                (
                    Window {
                        start: 80,
                        end: 100
                    },
                    "b"
                )
            ]
        );
        assert!(runs(Window { start: 5, end: 5 }, vec![], |_| Some(())).is_empty());
    }

    #[test]
    fn a_cached_zone_answers_as_the_zone_does_across_its_changes() {
        let (oslo, new_york) = (Cached::new(Oslo), Cached::new(NewYork));
        let start = at("2026-03-01T00:00:00Z");
        for step in 0..(365 * 24 * 4) {
            let t = start + step * QUARTER_HOUR + (step % 7) * MINUTE;
            assert_eq!(oslo.offset(t), Oslo.offset(t), "{}", format_iso_utc(t));
            assert_eq!(
                new_york.offset(t),
                NewYork.offset(t),
                "{}",
                format_iso_utc(t)
            );
        }
    }

    #[test]
    fn pagerduty_timestamps_parse_with_any_offset() {
        assert_eq!(at("2015-11-09T08:00:00-05:00"), at("2015-11-09T13:00:00Z"));
        assert_eq!(
            at("2015-11-09T13:00:00.250Z") - at("2015-11-09T13:00:00Z"),
            250
        );
        assert_eq!(at("2015-11-09T14:30:00+0130"), at("2015-11-09T13:00:00Z"));
        assert_eq!(at("2024-02-29"), 1_709_164_800_000);
        for bad in [
            "",
            "2015-13-01T00:00:00Z",
            "yesterday",
            "2015-11-09T25:00:00Z",
            "2015-11-09T08:00:00+5",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
        assert_eq!(
            format_iso_utc(at("2015-11-09T08:00:00-05:00")),
            "2015-11-09T13:00:00Z"
        );
    }

    #[test]
    fn the_spring_forward_day_has_23_hours_and_the_fall_back_day_25() {
        let spring = start_of_day(&Oslo, at("2026-03-29T12:00:00Z"));
        assert_eq!(spring, at("2026-03-28T23:00:00Z"));
        assert_eq!(add_days(&Oslo, spring, 1) - spring, 23 * HOUR);
        let autumn = start_of_day(&Oslo, at("2026-10-25T12:00:00Z"));
        assert_eq!(autumn, at("2026-10-24T22:00:00Z"));
        assert_eq!(add_days(&Oslo, autumn, 1) - autumn, 25 * HOUR);
        let lengths: Vec<Millis> = days(
            &Oslo,
            Window {
                start: spring,
                end: add_days(&Oslo, spring, 3),
            },
        )
        .iter()
        .map(|d| d.len() / HOUR)
        .collect();
        assert_eq!(lengths, vec![23, 24, 24]);
    }

    #[test]
    fn a_week_starts_on_monday_in_the_zone_not_in_utc() {
        // Monday 00:30 in Oslo is still Sunday in UTC.
        let monday_early = at("2026-11-29T23:30:00Z");
        let week = Span::Week.window(&Oslo, monday_early);
        assert_eq!(week.start, at("2026-11-29T23:00:00Z"));
        assert_eq!(week.len(), 7 * DAY);
        let honolulu = Span::Day.window(&Honolulu, at("2026-11-29T05:00:00Z"));
        assert_eq!(honolulu.start, at("2026-11-28T10:00:00Z"));
    }

    #[test]
    fn stepping_a_window_crosses_dst_by_calendar_days() {
        let week = Span::Week.window(&Oslo, at("2026-03-25T12:00:00Z"));
        let next = Span::Week.step(&Oslo, week, 1);
        assert_eq!(next.start, week.end);
        assert_eq!(next.len(), 7 * DAY);
        assert_eq!(
            week.len(),
            7 * DAY - HOUR,
            "the week with the spring change is an hour short"
        );
        assert_eq!(
            Span::TwoWeeks.step(&Oslo, next, -1).start,
            at("2026-03-15T23:00:00Z")
        );
    }

    #[test]
    fn dates_in_urls_round_trip_and_nonsense_is_refused() {
        let c = parse_date_param("2026-11-30").expect("a date");
        assert_eq!((c.year, c.month, c.day, c.hour), (2026, 11, 30, 0));
        assert_eq!(date_param(c), "2026-11-30");
        for bad in [
            "2026-02-31",
            "30-11-2026",
            "2026-11-30T10:00",
            "",
            "2026-1-3",
        ] {
            assert_eq!(parse_date_param(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn spans_round_trip_through_urls() {
        for span in [Span::Day, Span::Week, Span::TwoWeeks] {
            assert_eq!(Span::parse(span.as_str()), Some(span));
        }
        assert_eq!(Span::parse("month"), None);
    }

    #[test]
    fn civil_dates_round_trip_over_centuries() {
        for ms in [
            -86_400_000 * 800,
            0,
            951_782_400_000,
            1_700_000_000_000,
            4_102_444_800_000,
        ] {
            assert_eq!(Civil::from_millis(ms).to_millis(), ms);
        }
        assert_eq!(
            Civil::from_millis(at("2026-11-30T00:00:00Z")).weekday(),
            0,
            "a Monday"
        );
    }
}
