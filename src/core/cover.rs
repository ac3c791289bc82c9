//! A shift someone takes: the cover link that carries it, whether this page may change
//! schedules at all, and what it can offer for one shift at one moment. Pure, so every rule is
//! tested on the host; the view (`pages/cover.rs`) only draws what is decided here.
//!
//! The link is a contract (portals and chat bots build it):
//! `/cover?schedule=<ID>&start=<ISO 8601>&end=<ISO 8601>[&for=<user ID>]`, times with a zone
//! (`Z` or an offset), so that it means the same instant wherever it is opened.

use crate::api::check_id;
use crate::api::types::Reference;
use crate::config::Scope;
use crate::form;
use crate::overrides::Override;
use crate::shifts::{self, Person, Shift};
use crate::time::{
    format_iso_utc, from_local, local, parse_iso, Civil, Millis, Window, Zone, MINUTE,
};

/// The longest stretch one link may ask for: a cover link is for a shift or a few, and a range
/// this long is far more likely a mistake in whatever built the link.
pub const LONGEST: Millis = 31 * crate::time::DAY;

/// What a cover link asks: that someone take `schedule` from `start` to `end`, and whom that
/// covers (the person who asked), when it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverLink {
    pub schedule: String,
    pub start: Millis,
    pub end: Millis,
    pub for_user: Option<String>,
}

impl CoverLink {
    pub fn window(&self) -> Window {
        Window {
            start: self.start,
            end: self.end,
        }
    }

    /// The in-app address of the link (the router adds the base path).
    pub fn href(&self) -> String {
        format!("{}?{}", crate::routes::Page::Cover.path(), self.query())
    }

    /// The link's query, as [`parse`] reads it (times in UTC).
    pub fn query(&self) -> String {
        let mut pairs = vec![
            ("schedule", self.schedule.clone()),
            ("start", format_iso_utc(self.start)),
            ("end", format_iso_utc(self.end)),
        ];
        if let Some(user) = &self.for_user {
            pairs.push(("for", user.clone()));
        }
        form::encode_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    }
}

/// Why a cover link cannot be read, in words for the person who opened it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("This cover link names no schedule. Ask whoever sent it for a new one.")]
    NoSchedule,
    #[error(
        "This cover link's schedule is not a PagerDuty ID. Ask whoever sent it for a new one."
    )]
    BadSchedule,
    #[error("This cover link's {0} is missing. Ask whoever sent it for a new one.")]
    Missing(&'static str),
    #[error("This cover link's {0} time is not a date and time with a time zone (such as 2026-12-08T18:00:00Z). Ask whoever sent it for a new one.")]
    BadTime(&'static str),
    #[error("This cover link ends before it starts. Ask whoever sent it for a new one.")]
    EndsFirst,
    #[error("This cover link asks for more than 31 days at once. Ask whoever sent it for a shorter range.")]
    TooLong,
    #[error(
        "This cover link's \"for\" is not a PagerDuty user ID. Ask whoever sent it for a new one."
    )]
    BadFor,
}

/// Reads a cover link's query.
pub fn parse(query: &str) -> Result<CoverLink, LinkError> {
    let value = |name| form::query_value(query, name).filter(|v| !v.trim().is_empty());
    let schedule = value("schedule").ok_or(LinkError::NoSchedule)?;
    check_id(&schedule).map_err(|_| LinkError::BadSchedule)?;
    let time = |name: &'static str| -> Result<Millis, LinkError> {
        let text = value(name).ok_or(LinkError::Missing(name))?;
        // A time without a zone means a different instant in every browser: refused, not guessed.
        let clock = text.split_once(['T', 't']).map(|(_, c)| c).unwrap_or("");
        if !clock.contains(['Z', 'z', '+', '-']) {
            return Err(LinkError::BadTime(name));
        }
        parse_iso(&text).ok_or(LinkError::BadTime(name))
    };
    let (start, end) = (time("start")?, time("end")?);
    if end <= start {
        return Err(LinkError::EndsFirst);
    }
    if end - start > LONGEST {
        return Err(LinkError::TooLong);
    }
    let for_user = match value("for") {
        Some(id) => Some(check_id(&id).map_err(|_| LinkError::BadFor)?.to_string()),
        None => None,
    };
    Ok(CoverLink {
        schedule,
        start,
        end,
        for_user,
    })
}

/// A `datetime-local` field's value (`2026-12-08T18:00`) as a wall-clock time.
pub fn parse_local(text: &str) -> Option<Civil> {
    let (date, clock) = text.trim().split_once('T')?;
    let date = crate::time::parse_date_param(date)?;
    let (h, m) = clock.get(..5)?.split_once(':')?;
    let (hour, minute): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (hour < 24 && minute < 60).then_some(Civil {
        hour,
        minute,
        second: 0,
        ..date
    })
}

/// `at` in `zone` as a `datetime-local` field's value, to the minute.
pub fn local_input(zone: &impl Zone, at: Millis) -> String {
    let c = local(zone, at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute
    )
}

/// Why a part of a shift cannot be given to someone, in words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartError {
    #[error("Write the start and the end as a date and a time.")]
    Unreadable,
    #[error("The end must come after the start.")]
    EndsFirst,
    #[error("Cover can only be arranged within the shift, from {0} to {1}.")]
    Outside(String, String),
}

/// The part of `shift` from `from` to `to` (wall-clock times in `zone`), checked to lie within
/// it; `write` writes an instant for the sentence that says where the shift lies.
pub fn part(
    zone: &impl Zone,
    shift: Window,
    from: &str,
    to: &str,
    write: impl Fn(Millis) -> String,
) -> Result<Window, PartError> {
    let (Some(from), Some(to)) = (parse_local(from), parse_local(to)) else {
        return Err(PartError::Unreadable);
    };
    let (start, end) = (from_local(zone, from), from_local(zone, to));
    if end <= start {
        return Err(PartError::EndsFirst);
    }
    if start < shift.start || end > shift.end {
        return Err(PartError::Outside(write(shift.start), write(shift.end)));
    }
    Ok(Window { start, end })
}

/// Away over `window`: each schedule the person is on call for in it, with the times (cut to
/// `window`, in order, touching ones joined) someone must cover. Shifts with no schedule (named
/// on a policy directly) or no end cannot be covered by an override and are left out.
pub fn away(
    shifts: &[(Shift, Option<Reference>)],
    window: Window,
) -> Vec<(Reference, Vec<Window>)> {
    let mut plan: Vec<(Reference, Vec<Window>)> = vec![];
    for (shift, schedule) in shifts {
        let (Some(schedule), Some(end)) = (schedule, shift.end) else {
            continue;
        };
        let part = Window {
            start: shift.start.max(window.start),
            end: end.min(window.end),
        };
        if part.start >= part.end {
            continue;
        }
        match plan.iter_mut().find(|(r, _)| r.id == schedule.id) {
            Some((_, times)) => times.push(part),
            None => plan.push((schedule.clone(), vec![part])),
        }
    }
    for (_, times) in &mut plan {
        times.sort_by_key(|w| w.start);
        let mut joined: Vec<Window> = vec![];
        for w in times.drain(..) {
            match joined.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => joined.push(w),
            }
        }
        *times = joined;
    }
    plan
}

/// Whether the page may offer to change schedules, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writes {
    Allowed,
    /// The deployer left `config.json` at read access (the default).
    ReadOnlyConfig,
    /// The config asks for write access, but the token PagerDuty issued does not carry it.
    NotGranted,
}

impl Writes {
    /// From the config's scope and the scopes PagerDuty listed for this sign-in.
    pub fn of(configured: Scope, granted: &str) -> Writes {
        match configured {
            Scope::Read => Writes::ReadOnlyConfig,
            Scope::Write if granted.split_whitespace().any(|s| s == "write") => Writes::Allowed,
            Scope::Write => Writes::NotGranted,
        }
    }

    /// Why no action is offered, once, in a quiet line.
    pub fn why_not(self) -> Option<&'static str> {
        match self {
            Writes::Allowed => None,
            Writes::ReadOnlyConfig => Some(
                "Taking and covering shifts needs write access, which whoever runs this page has not granted.",
            ),
            Writes::NotGranted => Some(
                "PagerDuty gave this sign-in read access only, so this page cannot change schedules. The app's registration in PagerDuty must allow write access.",
            ),
        }
    }
}

/// What the page can offer for a shift, now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// It has ended: nothing to take.
    Over,
    /// Someone has taken all of what is left of it already: the override, and whether it is
    /// the person looking (who may then undo it).
    Taken { by: Override, you: bool },
    /// The shift is the person's own (the link is for them), or they are on call for all of
    /// what is left of it anyway: they find cover rather than take it.
    AlreadyYours,
    /// It can be taken, from `from` (the start, or now for a shift under way) to its end.
    Open { from: Millis },
}

/// What is left of `link` at `now`: from its start, or from the current minute when it is
/// under way (an override cannot change the past).
pub fn remaining(link: &CoverLink, now: Millis) -> Option<Window> {
    let from = link.start.max(now - now.rem_euclid(MINUTE));
    (from < link.end).then_some(Window {
        start: from,
        end: link.end,
    })
}

/// What can be done about `link` at `now` for person `me`: `final_shifts` is the schedule's final
/// schedule over the link's range, `overrides` those already there.
pub fn standing(
    link: &CoverLink,
    now: Millis,
    me: &str,
    final_shifts: &[Shift],
    overrides: &[Override],
) -> Standing {
    let Some(left) = remaining(link, now) else {
        return Standing::Over;
    };
    // An override covering all that is left, by someone other than the person being covered.
    let taken = overrides.iter().rev().find(|o| {
        let (Some(start), Some(end)) = (parse_iso(&o.start), parse_iso(&o.end)) else {
            return false;
        };
        start <= left.start && end >= left.end && link.for_user.as_deref() != Some(&o.user.id)
    });
    if let Some(o) = taken {
        return Standing::Taken {
            by: o.clone(),
            you: o.user.id == me,
        };
    }
    // Their own link (for cover of their shift), or a time they are on call for all of anyway.
    let mine = |s: &Shift| s.person.user_id() == Some(me);
    let on = shifts::clip(final_shifts, left);
    let all_theirs = !on.is_empty() && on.iter().all(mine) && shifts::gaps(&on, left).is_empty();
    if link.for_user.as_deref() == Some(me) || all_theirs {
        return Standing::AlreadyYours;
    }
    Standing::Open { from: left.start }
}

/// Who is on call over `window` as one phrase, in order: "Ana Lima", "Ana Lima and Bo Chen",
/// "nobody".
pub fn who(final_shifts: &[Shift], window: Window) -> String {
    let mut names: Vec<&str> = vec![];
    for s in final_shifts.iter().filter(|s| s.overlaps(window)) {
        if let Person::User { name, .. } = &s.person {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    let gaps = !shifts::gaps(final_shifts, window).is_empty();
    match (names.as_slice(), gaps) {
        ([], _) => "nobody".into(),
        ([one], false) => one.to_string(),
        (names, gaps) => {
            let mut all: Vec<&str> = names.to_vec();
            if gaps {
                all.push("nobody");
            }
            let (last, rest) = all.split_last().unwrap_or((&"", &[]));
            format!("{} and {last}", rest.join(", "))
        }
    }
}

/// The override a create asked for, among those PagerDuty lists: how a lost answer is told
/// apart from a request that never arrived (the same start, end and person).
pub fn made<'a>(overrides: &'a [Override], window: Window, user: &str) -> Option<&'a Override> {
    overrides.iter().find(|o| {
        o.user.id == user
            && parse_iso(&o.start) == Some(window.start)
            && parse_iso(&o.end) == Some(window.end)
    })
}

/// The IDs of copies of `made` among `now`: the same start, end and person, another ID, and not
/// among those `before` the take (a request the browser sent again by itself made them).
pub fn copies(now: &[Override], made: &Override, before: &[Override]) -> Vec<String> {
    let same =
        |o: &Override| o.start == made.start && o.end == made.end && o.user.id == made.user.id;
    now.iter()
        .filter(|o| same(o) && o.id != made.id && !before.iter().any(|b| b.id == o.id))
        .filter_map(|o| o.id.clone())
        .collect()
}

/// Whether the overrides PagerDuty lists now differ from those the person was shown (by ID,
/// start, end and person): then they are told before they confirm.
pub fn changed(shown: &[Override], now: &[Override]) -> bool {
    let key = |o: &Override| {
        (
            o.id.clone(),
            o.start.clone(),
            o.end.clone(),
            o.user.id.clone(),
        )
    };
    let mut a: Vec<_> = shown.iter().map(key).collect();
    let mut b: Vec<_> = now.iter().map(key).collect();
    a.sort();
    b.sort();
    a != b
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: Millis = crate::time::HOUR;
    /// 2026-12-08T17:00:00Z.
    const T: Millis = 1_796_749_200_000;

    fn link(start: Millis, end: Millis, for_user: Option<&str>) -> CoverLink {
        CoverLink {
            schedule: "PS1".into(),
            start,
            end,
            for_user: for_user.map(str::to_string),
        }
    }

    fn shift(start: Millis, end: Millis, id: &str) -> Shift {
        Shift {
            start,
            end: Some(end),
            person: Person::User {
                id: id.into(),
                name: format!("Name of {id}"),
            },
        }
    }

    fn ov(id: &str, start: Millis, end: Millis, user: &str) -> Override {
        Override {
            id: Some(id.into()),
            start: format_iso_utc(start),
            end: format_iso_utc(end),
            user: Reference {
                id: user.into(),
                summary: format!("Name of {user}"),
                html_url: None,
            },
        }
    }

    #[test]
    fn a_link_reads_back_what_it_was_built_from() {
        let asked = link(T, T + 15 * H, Some("PU1"));
        assert_eq!(
            asked.query(),
            "schedule=PS1&start=2026-12-08T17%3A00%3A00Z&end=2026-12-09T08%3A00%3A00Z&for=PU1"
        );
        assert_eq!(parse(&asked.query()), Ok(asked.clone()));
        assert_eq!(asked.href(), format!("/cover?{}", asked.query()));
        // Offsets are instants too: 18:00 in Oslo is 17:00 UTC.
        let oslo =
            parse("schedule=PS1&start=2026-12-08T18:00:00%2B01:00&end=2026-12-09T09:00:00%2B01:00");
        assert_eq!(oslo, Ok(link(T, T + 15 * H, None)));
    }

    #[test]
    fn a_bad_link_gets_a_sentence_that_names_what_is_wrong() {
        let cases = [
            (
                "start=2026-12-08T17:00:00Z&end=2026-12-09T08:00:00Z",
                LinkError::NoSchedule,
            ),
            (
                "schedule=P%2F1&start=2026-12-08T17:00:00Z&end=2026-12-09T08:00:00Z",
                LinkError::BadSchedule,
            ),
            (
                "schedule=PS1&end=2026-12-09T08:00:00Z",
                LinkError::Missing("start"),
            ),
            (
                "schedule=PS1&start=2026-12-08T17:00:00&end=2026-12-09T08:00:00Z",
                LinkError::BadTime("start"),
            ),
            (
                "schedule=PS1&start=2026-12-08T17:00:00Z&end=2026-12-09",
                LinkError::BadTime("end"),
            ),
            (
                "schedule=PS1&start=tomorrow&end=2026-12-09T08:00:00Z",
                LinkError::BadTime("start"),
            ),
            (
                "schedule=PS1&start=2026-12-09T08:00:00Z&end=2026-12-08T17:00:00Z",
                LinkError::EndsFirst,
            ),
            (
                "schedule=PS1&start=2026-12-08T17:00:00Z&end=2026-12-08T17:00:00Z",
                LinkError::EndsFirst,
            ),
            (
                "schedule=PS1&start=2026-12-08T17:00:00Z&end=2027-02-08T17:00:00Z",
                LinkError::TooLong,
            ),
            (
                "schedule=PS1&start=2026-12-08T17:00:00Z&end=2026-12-09T08:00:00Z&for=a+b",
                LinkError::BadFor,
            ),
        ];
        for (query, expected) in cases {
            assert_eq!(parse(query), Err(expected.clone()), "{query}");
            assert!(expected.to_string().ends_with('.'));
        }
    }

    #[test]
    fn only_write_in_both_the_config_and_the_token_allows_changes() {
        assert_eq!(
            Writes::of(Scope::Read, "openid write"),
            Writes::ReadOnlyConfig
        );
        assert_eq!(Writes::of(Scope::Write, "openid read"), Writes::NotGranted);
        assert_eq!(
            Writes::of(Scope::Write, "openid writes"),
            Writes::NotGranted
        );
        assert_eq!(Writes::of(Scope::Write, "openid write"), Writes::Allowed);
        assert_eq!(Writes::Allowed.why_not(), None);
        assert!(Writes::NotGranted
            .why_not()
            .is_some_and(|w| w.contains("registration")));
    }

    #[test]
    fn what_can_be_done_depends_on_the_time_the_overrides_and_who_looks() {
        let asked = link(T, T + 15 * H, Some("PANA"));
        let ana = [shift(T - H, T + 16 * H, "PANA")];
        // Before it starts, by someone else: open from its start.
        assert_eq!(
            standing(&asked, T - 2 * H, "PBO", &ana, &[]),
            Standing::Open { from: T }
        );
        // Under way: open from the current minute.
        assert_eq!(
            standing(&asked, T + H + 30_000, "PBO", &ana, &[]),
            Standing::Open { from: T + H }
        );
        assert_eq!(
            standing(&asked, T + 15 * H, "PBO", &ana, &[]),
            Standing::Over
        );
        // Bo took it: Cy is told who, and Bo is told it is theirs.
        let bo = [ov("Q1", T, T + 15 * H, "PBO")];
        assert_eq!(
            standing(&asked, T - H, "PCY", &ana, &bo),
            Standing::Taken {
                by: bo[0].clone(),
                you: false
            }
        );
        assert_eq!(
            standing(&asked, T - H, "PBO", &ana, &bo),
            Standing::Taken {
                by: bo[0].clone(),
                you: true
            }
        );
        // An override for half of it leaves it open; so does one by the person being covered.
        let half = [ov("Q2", T, T + 7 * H, "PBO")];
        assert_eq!(
            standing(&asked, T - H, "PCY", &ana, &half),
            Standing::Open { from: T }
        );
        let own = [ov("Q3", T, T + 15 * H, "PANA")];
        assert_eq!(
            standing(&asked, T - H, "PCY", &ana, &own),
            Standing::Open { from: T }
        );
        // Ana opening her own link: she is on call anyway.
        assert_eq!(
            standing(&asked, T - H, "PANA", &ana, &[]),
            Standing::AlreadyYours
        );
        // With a gap in it, it is not all hers.
        let gappy = [
            shift(T, T + 5 * H, "PANA"),
            shift(T + 6 * H, T + 15 * H, "PANA"),
        ];
        // Their own link stays theirs (to find cover) with a gap in it; another link for a
        // time with a gap in it is open to them.
        assert_eq!(
            standing(&asked, T - H, "PANA", &gappy, &[]),
            Standing::AlreadyYours
        );
        let anyone = link(T, T + 15 * H, None);
        assert_eq!(
            standing(&anyone, T - H, "PANA", &gappy, &[]),
            Standing::Open { from: T }
        );
        // Once Bo has taken all of Ana's shift, Ana is told so.
        assert_eq!(
            standing(&asked, T - H, "PANA", &ana, &bo),
            Standing::Taken {
                by: bo[0].clone(),
                you: false
            }
        );
    }

    /// Europe/Oslo's rule, for the tests: UTC+1, UTC+2 from the last Sunday of March 01:00 UTC to
    /// the last Sunday of October 01:00 UTC (2026: 29 March, 25 October).
    struct Oslo;
    impl Zone for Oslo {
        fn offset(&self, at: Millis) -> Millis {
            let summer = 1_774_746_000_000..1_792_890_000_000;
            if summer.contains(&at) {
                2 * H
            } else {
                H
            }
        }
    }

    #[test]
    fn a_part_of_a_shift_is_read_in_the_zone_named_and_checked_against_the_shift() {
        let write = |t: Millis| format_iso_utc(t);
        // Sat 24 Oct 2026 18:00 to Mon 26 Oct 09:00 in Oslo: across the end of summer time.
        let shift = Window {
            start: 1_792_857_600_000,
            end: 1_793_001_600_000,
        };
        assert_eq!(local_input(&Oslo, shift.start), "2026-10-24T18:00");
        assert_eq!(local_input(&Oslo, shift.end), "2026-10-26T09:00");
        // Saturday 22:00 (summer, UTC+2) to Sunday 22:00 (winter, UTC+1): 25 hours.
        let sunday =
            part(&Oslo, shift, "2026-10-24T22:00", "2026-10-25T22:00", write).expect("inside");
        assert_eq!(sunday.len(), 25 * H);
        assert_eq!(format_iso_utc(sunday.start), "2026-10-24T20:00:00Z");
        assert_eq!(
            part(&Oslo, shift, "2026-10-25T22:00", "2026-10-25T21:00", write),
            Err(PartError::EndsFirst)
        );
        assert_eq!(
            part(&Oslo, shift, "tomorrow", "2026-10-25T21:00", write),
            Err(PartError::Unreadable)
        );
        assert_eq!(
            part(&Oslo, shift, "2026-10-24T17:00", "2026-10-25T21:00", write),
            Err(PartError::Outside(
                "2026-10-24T16:00:00Z".into(),
                "2026-10-26T08:00:00Z".into()
            ))
        );
        assert_eq!(parse_local("2026-10-24T24:00"), None);
        assert_eq!(
            parse_local("2026-10-24T07:05").map(|c| (c.hour, c.minute)),
            Some((7, 5))
        );
    }

    #[test]
    fn away_lists_each_schedules_times_within_the_range_joined_where_they_touch() {
        let r = |id: &str| Reference {
            id: id.into(),
            summary: format!("Schedule {id}"),
            html_url: None,
        };
        let week = Window {
            start: T,
            end: T + 7 * 24 * H,
        };
        let shifts = vec![
            (shift(T - 5 * H, T + 3 * H, "PME"), Some(r("PS1"))),
            (shift(T + 3 * H, T + 9 * H, "PME"), Some(r("PS1"))),
            (shift(T + 30 * H, T + 40 * H, "PME"), Some(r("PS2"))),
            (shift(T + 50 * H, T + 60 * H, "PME"), Some(r("PS1"))),
            (shift(T + 20 * H, T + 21 * H, "PME"), None),
            (
                shift(T + 7 * 24 * H - H, T + 8 * 24 * H, "PME"),
                Some(r("PS2")),
            ),
            (
                shift(T + 9 * 24 * H, T + 10 * 24 * H, "PME"),
                Some(r("PS3")),
            ),
        ];
        let plan = away(&shifts, week);
        let ids: Vec<&str> = plan.iter().map(|(r, _)| r.id.as_str()).collect();
        assert_eq!(
            ids,
            ["PS1", "PS2"],
            "PS3 is after the range; no schedule, nothing to cover"
        );
        assert_eq!(
            plan[0].1,
            vec![
                Window {
                    start: T,
                    end: T + 9 * H
                },
                Window {
                    start: T + 50 * H,
                    end: T + 60 * H
                }
            ]
        );
        assert_eq!(
            plan[1].1[1],
            Window {
                start: T + 7 * 24 * H - H,
                end: week.end
            }
        );
    }

    #[test]
    fn who_is_on_call_reads_as_a_phrase() {
        let w = Window {
            start: T,
            end: T + 10 * H,
        };
        assert_eq!(who(&[], w), "nobody");
        assert_eq!(who(&[shift(T - H, T + 11 * H, "PA")], w), "Name of PA");
        let two = [
            shift(T, T + 5 * H, "PA"),
            shift(T + 5 * H, T + 10 * H, "PB"),
        ];
        assert_eq!(who(&two, w), "Name of PA and Name of PB");
        let gap = [shift(T, T + 5 * H, "PA")];
        assert_eq!(who(&gap, w), "Name of PA and nobody");
    }

    #[test]
    fn a_lost_answer_is_told_apart_by_the_override_it_asked_for() {
        let w = Window {
            start: T,
            end: T + 15 * H,
        };
        let listed = [
            ov("Q1", T, T + 14 * H, "PBO"),
            ov("Q2", T, T + 15 * H, "PBO"),
        ];
        assert_eq!(
            made(&listed, w, "PBO").and_then(|o| o.id.as_deref()),
            Some("Q2")
        );
        assert_eq!(made(&listed, w, "PCY"), None);
        assert!(!changed(&listed, &[listed[1].clone(), listed[0].clone()]));
        // A copy of Q2 (a request sent twice): found; one that was there before is not touched.
        let copy = ov("Q3", T, T + 15 * H, "PBO");
        let now = [listed[0].clone(), listed[1].clone(), copy.clone()];
        assert_eq!(copies(&now, &listed[1], &[]), vec!["Q3".to_string()]);
        assert!(copies(&now, &listed[1], &[copy]).is_empty());
        assert!(copies(&now, &listed[0], &[]).is_empty());
        assert!(changed(&listed, &listed[..1]));
    }
}
