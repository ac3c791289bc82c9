//! What `/oncalls` says about shifts: each entry as a shift with the schedule it is for, once
//! per shift however many policies and levels repeat it.

use crate::api::types::{OnCall, Reference};
use crate::order::{self, Key};
use crate::shifts::{Person, Shift};
use crate::time::parse_iso;

/// `/oncalls` entries as shifts, each with the schedule it is for.
pub fn shifts(oncalls: &[OnCall]) -> Vec<(Shift, Option<Reference>)> {
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

/// [`shifts`] once per shift: `/oncalls` repeats a shift for each escalation policy and
/// level it serves, so the same person, time and schedule can come several times. In start
/// order (then schedule).
pub fn distinct_shifts(oncalls: &[OnCall]) -> Vec<(Shift, Option<Reference>)> {
    let mut shifts = shifts(oncalls);
    let key = |(s, r): &(Shift, Option<Reference>)| {
        let schedule = r.as_ref().map_or("", |r| r.id.as_str());
        Key::numbers_then_text(
            s.start,
            s.end.unwrap_or(i64::MAX),
            order::joined(&[schedule, &s.person.sort_text()]),
        )
    };
    order::sort_by_key(&mut shifts, key);
    shifts.dedup_by(|a, b| key(a) == key(b));
    shifts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permanent_oncalls_have_open_ends() {
        let oncalls: Vec<OnCall> = serde_json::from_str(r#"[{"user":{"id":"U","summary":"Ann"},"start":null,"end":null},{"user":{"id":"U"},"start":"2026-11-29T00:00:00Z","end":"bad"}]"#).expect("decodes");
        let shifts = shifts(&oncalls);
        assert_eq!(shifts.len(), 1);
        let twice = [oncalls.clone(), oncalls.clone()].concat();
        assert_eq!(
            distinct_shifts(&twice).len(),
            1,
            "one shift, however often listed"
        );
        assert_eq!(shifts[0].0.end, None);
        assert!(shifts[0].0.covers(0));
    }
}
