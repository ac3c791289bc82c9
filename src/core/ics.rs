//! iCalendar (RFC 5545) for a list of shifts, generated in the browser for download.

use crate::shifts::Shift;
use crate::time::{Civil, Millis};

/// One calendar event.
pub struct Event<'a> {
    pub shift: &'a Shift,
    /// What the shift is for, e.g. the schedule's name.
    pub title: &'a str,
    /// A link back to PagerDuty, if known.
    pub url: Option<&'a str>,
    /// Stable across downloads, so re-importing updates instead of duplicating.
    pub uid: String,
}

/// A whole `VCALENDAR`, with CRLF line ends and lines folded at 75 octets (§3.1).
pub fn calendar(events: &[Event<'_>], now: Millis) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//PagerDuty on call//oncall//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
    ];
    for event in events {
        let Some(end) = event.shift.end else { continue };
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", text(&event.uid)));
        lines.push(format!("DTSTAMP:{}", stamp(now)));
        lines.push(format!("DTSTART:{}", stamp(event.shift.start)));
        lines.push(format!("DTEND:{}", stamp(end)));
        lines.push(format!(
            "SUMMARY:{}",
            text(&format!("On call: {}", event.title))
        ));
        if let Some(url) = event.url.and_then(crate::hosts::https_link) {
            lines.push(format!("URL:{}", text(url)));
        }
        lines.push("TRANSP:OPAQUE".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines
        .iter()
        .map(|l| fold(l))
        .collect::<Vec<_>>()
        .join("\r\n")
        + "\r\n"
}

/// UTC `DATE-TIME` form: `20261129T080000Z`.
fn stamp(ms: Millis) -> String {
    let c = Civil::from_millis(ms);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `TEXT` escaping (§3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shifts::Person;
    use crate::time::parse_iso;

    #[test]
    fn a_shift_becomes_a_utc_event_with_escaped_text() {
        let shift = Shift {
            start: parse_iso("2026-11-30T09:00:00+01:00").unwrap_or_default(),
            end: parse_iso("2026-11-30T17:00:00+01:00"),
            person: Person::User {
                id: "PU1".into(),
                name: "Zoë".into(),
            },
        };
        let ics = calendar(
            &[Event {
                shift: &shift,
                title: "Payments; EU, \"core\"",
                url: Some("https://acme.pagerduty.com/schedules/PS1"),
                uid: "PS1-1764489600000@oncall".into(),
            }],
            0,
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("\r\nDTSTART:20261130T080000Z\r\nDTEND:20261130T160000Z\r\n"));
        assert!(ics.contains("SUMMARY:On call: Payments\\; EU\\, \"core\"\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let folded = fold(&format!("SUMMARY:{}", "å".repeat(60)));
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("SUMMARY:{}", "å".repeat(60))
        );
    }

    #[test]
    fn only_https_links_go_into_the_calendar() {
        let shift = Shift {
            start: 0,
            end: Some(1),
            person: Person::Nobody,
        };
        let event = |url| Event {
            shift: &shift,
            title: "x",
            url: Some(url),
            uid: "u".into(),
        };
        let https = calendar(&[event("https://acme.pagerduty.com/schedules/PS1")], 0);
        assert!(https.contains("URL:https://acme.pagerduty.com/schedules/PS1\r\n"));
        for refused in [
            "http://acme.pagerduty.com/schedules/PS1",
            "javascript:alert(1)",
        ] {
            assert!(
                !calendar(&[event(refused)], 0).contains("URL:"),
                "{refused}"
            );
        }
    }

    #[test]
    fn open_ended_shifts_are_left_out() {
        let shift = Shift {
            start: 0,
            end: None,
            person: Person::Nobody,
        };
        let ics = calendar(
            &[Event {
                shift: &shift,
                title: "x",
                url: None,
                uid: "u".into(),
            }],
            0,
        );
        assert!(!ics.contains("VEVENT"));
    }
}
