//! Who is on call at each level of an escalation policy: now, and from the next handover.
//!
//! PagerDuty's `/oncalls` answers one entry per person, schedule, policy and level (a person
//! a level targets directly is on call for good: no `start` or `end`). Everything here works
//! from those entries and a time, so the page can draw "now" again at a handover without
//! asking PagerDuty.

use crate::api::types::{EscalationPolicy, OnCall, Reference, Target};
use crate::oncalls;
use crate::order::{self, Key};
use crate::shifts::{self, Shift};
use crate::time::Millis;

/// Someone on call at a level, until when (`None`: for good), and through which schedule
/// (`None`: the level names them directly).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnDuty {
    pub id: String,
    pub name: String,
    pub until: Option<Millis>,
    pub via: Option<Reference>,
}

/// The first time after now that a level's people change, and who they are then (empty: from
/// then on nobody is, a coverage gap).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handover {
    pub at: Millis,
    pub people: Vec<OnDuty>,
}

/// One level of a policy, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    /// 1 is the first level notified.
    pub number: u32,
    pub delay_minutes: u32,
    pub targets: Vec<Target>,
    /// Empty: nobody is on call at this level now, the thing a responder most needs to know.
    pub now: Vec<OnDuty>,
    /// `None`: nothing changes before the data ends (or ever, for people named directly).
    pub next: Option<Handover>,
}

/// A level's entries: each shift with the schedule it comes from.
type Entries = Vec<(Shift, Option<Reference>)>;

/// The entries of `policy_id` at `level`.
fn entries_at(oncalls: &[OnCall], policy_id: &str, level: u32) -> Entries {
    let ours: Vec<OnCall> = oncalls
        .iter()
        .filter(|o| {
            o.escalation_level == Some(level)
                && o.escalation_policy
                    .as_ref()
                    .is_some_and(|p| p.id == policy_id)
        })
        .cloned()
        .collect();
    oncalls::shifts(&ours)
}

/// Everyone on call at `at` among `entries`, once each, in name order. Someone's `until` is the
/// end of their unbroken time on call, through however many schedules and shifts.
fn on_duty_at(entries: &Entries, at: Millis) -> Vec<OnDuty> {
    let mut people: Vec<OnDuty> = vec![];
    for (shift, via) in entries.iter().filter(|(s, _)| s.covers(at)) {
        let Some(id) = shift.person.user_id() else {
            continue;
        };
        match people.iter_mut().find(|p| p.id == id) {
            Some(known) => {
                known.until = match (known.until, shift.end) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            None => people.push(OnDuty {
                id: id.to_string(),
                name: shift.person.name().to_string(),
                until: shift.end,
                via: via.clone(),
            }),
        }
    }
    for person in &mut people {
        while let Some(end) = person.until {
            let carried_on = entries
                .iter()
                .filter(|(s, _)| s.person.user_id() == Some(person.id.as_str()) && s.covers(end))
                .map(|(s, _)| s.end)
                .max_by_key(|end| end.unwrap_or(Millis::MAX));
            match carried_on {
                Some(later) => person.until = later,
                None => break,
            }
        }
    }
    order::sort_by_key(&mut people, |p| Key::text(order::joined(&[&p.name, &p.id])));
    people
}

fn ids(people: &[OnDuty]) -> Vec<&str> {
    people.iter().map(|p| p.id.as_str()).collect()
}

/// The first moment after `now` and before `horizon` (where the data ends) at which the
/// people on call differ from those on call now.
fn handover(entries: &Entries, now: Millis, horizon: Millis) -> Option<Handover> {
    let current = on_duty_at(entries, now);
    let mut moments: Vec<Millis> = entries
        .iter()
        .flat_map(|(s, _)| [Some(s.start), s.end])
        .flatten()
        .filter(|&t| t > now && t < horizon)
        .collect();
    order::sort_by_key(&mut moments, |&t| Key::number(t));
    moments.dedup();
    moments.into_iter().find_map(|at| {
        let people = on_duty_at(entries, at);
        (ids(&people) != ids(&current)).then_some(Handover { at, people })
    })
}

/// Every level of `policy` in order, with who is on call at `now` and from the next handover
/// before `horizon`, from `/oncalls` entries covering `[now, horizon)`.
pub fn levels(
    policy: &EscalationPolicy,
    oncalls: &[OnCall],
    now: Millis,
    horizon: Millis,
) -> Vec<Level> {
    policy
        .escalation_rules
        .iter()
        .zip(1u32..)
        .map(|(rule, number)| {
            let entries = entries_at(oncalls, &policy.id, number);
            Level {
                number,
                delay_minutes: rule.escalation_delay_in_minutes,
                targets: rule.targets.clone(),
                now: on_duty_at(&entries, now),
                next: handover(&entries, now, horizon),
            }
        })
        .collect()
}

/// Where an incident that reaches level `number` goes now: that level if anyone is on it,
/// else the next level with someone, else the first such level from the top. PagerDuty passes
/// over a level with nobody on it at once, so an empty level is a gap only when every level is
/// empty (`None`): then an incident notifies nobody.
pub fn taken_by(levels: &[Level], number: u32) -> Option<&Level> {
    let from = (number as usize).saturating_sub(1).min(levels.len());
    levels[from..]
        .iter()
        .chain(&levels[..from])
        .find(|l| !l.now.is_empty())
}

/// The first level of `policy_id` with anyone on call at `now`, and who, from `/oncalls`
/// entries (which name no empty level); `None`: nobody at any level the entries show.
pub fn first_reached(
    oncalls: &[OnCall],
    policy_id: &str,
    now: Millis,
) -> Option<(u32, Vec<OnDuty>)> {
    let mut numbers: Vec<u32> = oncalls
        .iter()
        .filter(|o| {
            o.escalation_policy
                .as_ref()
                .is_some_and(|p| p.id == policy_id)
        })
        .filter_map(|o| o.escalation_level)
        .collect();
    order::sort_by_key(&mut numbers, |&n| Key::number(i64::from(n)));
    numbers.dedup();
    numbers.into_iter().find_map(|level| {
        let people = on_duty(oncalls, policy_id, level, now);
        (!people.is_empty()).then_some((level, people))
    })
}

/// Who is on call at `level` of `policy_id` at `now`, for a list's one-line summary.
pub fn on_duty(oncalls: &[OnCall], policy_id: &str, level: u32, now: Millis) -> Vec<OnDuty> {
    on_duty_at(&entries_at(oncalls, policy_id, level), now)
}

/// When what these entries say about "now" next changes: the earliest start or end after
/// `now`. The page draws itself again then, without asking PagerDuty.
pub fn next_change(oncalls: &[OnCall], now: Millis) -> Option<Millis> {
    shifts::next_change(oncalls::shifts(oncalls).iter().map(|(s, _)| s), now)
}

/// Where the signed-in person stands in one escalation policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YourLevel {
    pub policy: Reference,
    pub level: u32,
    /// When this holds: now, or the start of their next shift on this policy.
    pub at: Millis,
    pub now: bool,
    /// Who is on call one level up (notified before them) at `at`; empty at level 1.
    pub above: Vec<OnDuty>,
    /// Who backs them up: one level down at `at`. `None`: there is no level below.
    pub below: Option<Vec<OnDuty>>,
}

/// For each policy `mine` (the person's own `/oncalls` entries) has, the earliest of their
/// entries that has not ended: the level, and when. One per policy, soonest first.
pub fn your_moments(mine: &[OnCall], now: Millis) -> Vec<(Reference, u32, Millis)> {
    let mut found: Vec<(Reference, u32, Millis)> = vec![];
    for o in mine {
        let (Some(policy), Some(level)) = (&o.escalation_policy, o.escalation_level) else {
            continue;
        };
        let Some((shift, _)) = oncalls::shifts(std::slice::from_ref(o)).pop() else {
            continue;
        };
        if shift.end_or_max() <= now {
            continue;
        }
        let at = shift.start.max(now);
        match found.iter_mut().find(|(p, _, _)| p.id == policy.id) {
            Some(known) if (at, level) < (known.2, known.1) => *known = (policy.clone(), level, at),
            Some(_) => {}
            None => found.push((policy.clone(), level, at)),
        }
    }
    order::sort_by_key(&mut found, |(p, _, at)| {
        Key::number_then_text(*at, order::joined(&[&p.summary, &p.id]))
    });
    found
}

/// Who is above and below the person at each moment [`your_moments`] found, from the entries
/// of those policies around those moments, and how many levels each policy has (`None`:
/// unknown, so "below" is only what the entries show).
pub fn your_levels(
    moments: &[(Reference, u32, Millis)],
    theirs: &[OnCall],
    depth: impl Fn(&str) -> Option<u32>,
    now: Millis,
) -> Vec<YourLevel> {
    moments
        .iter()
        .map(|(policy, level, at)| {
            let people = |l: u32| on_duty(theirs, &policy.id, l, *at);
            let below = match depth(&policy.id) {
                Some(levels) if *level >= levels => None,
                _ => Some(people(level + 1)),
            };
            YourLevel {
                policy: policy.clone(),
                level: *level,
                at: *at,
                now: *at <= now,
                above: if *level > 1 {
                    people(level - 1)
                } else {
                    vec![]
                },
                below,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::EscalationPolicyEnvelope;
    use crate::time::{format_iso_utc, HOUR};

    const T0: Millis = 1_764_547_200_000; // 2025-12-01T00:00:00Z

    fn entry(policy: &str, level: u32, user: &str, span: Option<(Millis, Millis)>) -> OnCall {
        let (start, end) = match span {
            Some((s, e)) => (Some(format_iso_utc(s)), Some(format_iso_utc(e))),
            None => (None, None),
        };
        serde_json::from_value(serde_json::json!({
            "user": {"id": user, "summary": format!("User {user}")},
            "schedule": span.map(|_| serde_json::json!({"id": "PS1", "summary": "Primary"})),
            "escalation_policy": {"id": policy, "summary": format!("Policy {policy}")},
            "escalation_level": level,
            "start": start,
            "end": end,
        }))
        .expect("an oncall")
    }

    fn policy(levels: usize) -> EscalationPolicy {
        let rules: Vec<serde_json::Value> = (0..levels)
            .map(|i| serde_json::json!({"escalation_delay_in_minutes": 10 + i, "targets": [{"id": "PS1", "type": "schedule_reference", "summary": "Primary"}]}))
            .collect();
        serde_json::from_value::<EscalationPolicyEnvelope>(serde_json::json!({
            "escalation_policy": {"id": "PE1", "name": "Checkout", "escalation_rules": rules, "num_loops": 1}
        }))
        .expect("a policy")
        .escalation_policy
    }

    #[test]
    fn each_level_has_its_people_now_and_at_the_next_handover() {
        let oncalls = vec![
            entry("PE1", 1, "A", Some((T0 - 2 * HOUR, T0 + 3 * HOUR))),
            entry("PE1", 1, "B", Some((T0 + 3 * HOUR, T0 + 9 * HOUR))),
            entry("PE1", 2, "C", None),
            entry("PE2", 1, "X", Some((T0 - HOUR, T0 + HOUR))),
        ];
        let levels = levels(&policy(3), &oncalls, T0, T0 + 24 * HOUR);
        assert_eq!(levels.len(), 3);
        assert_eq!((levels[0].number, levels[0].delay_minutes), (1, 10));
        assert_eq!(ids(&levels[0].now), ["A"]);
        assert_eq!(levels[0].now[0].until, Some(T0 + 3 * HOUR));
        assert_eq!(
            levels[0].now[0].via.as_ref().map(|r| r.summary.as_str()),
            Some("Primary")
        );
        let next = levels[0].next.as_ref().expect("a handover");
        assert_eq!((next.at, ids(&next.people)), (T0 + 3 * HOUR, vec!["B"]));
        // Named directly: on call for good, and nothing ever changes.
        assert_eq!(
            (ids(&levels[1].now), levels[1].now[0].until),
            (vec!["C"], None)
        );
        assert_eq!(levels[1].next, None);
        // Nobody at level 3: a coverage gap, and no handover to report.
        assert!(levels[2].now.is_empty() && levels[2].next.is_none());
    }

    #[test]
    fn a_handover_to_nobody_is_reported_and_a_continuation_is_not_one() {
        let oncalls = vec![
            // A through two schedules: the first ends at +2 h but A stays until +5 h.
            entry("PE1", 1, "A", Some((T0 - HOUR, T0 + 2 * HOUR))),
            entry("PE1", 1, "A", Some((T0 + HOUR, T0 + 5 * HOUR))),
            entry("PE1", 1, "B", Some((T0 + 8 * HOUR, T0 + 9 * HOUR))),
        ];
        let level = &levels(&policy(1), &oncalls, T0, T0 + 24 * HOUR)[0];
        assert_eq!(level.now[0].until, Some(T0 + 5 * HOUR));
        let next = level.next.as_ref().expect("a handover");
        assert_eq!(next.at, T0 + 5 * HOUR);
        assert!(next.people.is_empty(), "from +5 h nobody: a gap");
        // After the horizon the data says nothing, so no handover is made up there.
        let short = &levels(&policy(1), &oncalls, T0, T0 + 4 * HOUR)[0];
        assert_eq!(short.next, None);
    }

    #[test]
    fn an_empty_level_hands_the_incident_on_and_only_an_empty_policy_is_a_gap() {
        let oncalls = vec![
            entry("PE1", 2, "B", Some((T0 - HOUR, T0 + HOUR))),
            entry("PE1", 4, "D", None),
        ];
        let all = levels(&policy(4), &oncalls, T0, T0 + 24 * HOUR);
        let taken = |n| taken_by(&all, n).map(|l| l.number);
        assert_eq!(taken(1), Some(2), "level 1 is empty: straight to level 2");
        assert_eq!(taken(2), Some(2));
        assert_eq!(taken(3), Some(4));
        assert_eq!(taken(4), Some(4));
        assert_eq!(
            first_reached(&oncalls, "PE1", T0).map(|(l, p)| (l, ids(&p).join(","))),
            Some((2, "B".into()))
        );
        // After B's shift only D, named on level 4, is left.
        assert_eq!(
            first_reached(&oncalls, "PE1", T0 + 2 * HOUR).map(|(l, _)| l),
            Some(4)
        );
        let nobody = levels(&policy(2), &[], T0, T0 + HOUR);
        assert_eq!(
            taken_by(&nobody, 1),
            None,
            "every level empty: an incident goes nowhere"
        );
        assert_eq!(first_reached(&[], "PE1", T0), None);
    }

    #[test]
    fn the_next_change_is_the_earliest_start_or_end_still_ahead() {
        let oncalls = vec![
            entry("PE1", 1, "A", Some((T0 - HOUR, T0 + 3 * HOUR))),
            entry("PE1", 2, "B", Some((T0 + 2 * HOUR, T0 + 9 * HOUR))),
            entry("PE1", 3, "C", None),
        ];
        assert_eq!(next_change(&oncalls, T0), Some(T0 + 2 * HOUR));
        assert_eq!(next_change(&oncalls, T0 + 9 * HOUR), None);
        assert_eq!(ids(&on_duty(&oncalls, "PE1", 1, T0)), ["A"]);
        assert!(on_duty(&oncalls, "PE1", 1, T0 + 3 * HOUR).is_empty());
    }

    #[test]
    fn your_levels_name_who_is_above_and_below_you_then() {
        let mine = vec![
            entry("PE1", 2, "ME", Some((T0 - HOUR, T0 + HOUR))),
            entry("PE2", 1, "ME", Some((T0 + 5 * HOUR, T0 + 6 * HOUR))),
            entry("PE2", 1, "ME", Some((T0 + 7 * HOUR, T0 + 8 * HOUR))),
            entry("PE3", 1, "ME", Some((T0 - 5 * HOUR, T0 - HOUR))),
        ];
        let moments = your_moments(&mine, T0);
        assert_eq!(
            moments
                .iter()
                .map(|(p, l, at)| (p.id.as_str(), *l, *at))
                .collect::<Vec<_>>(),
            vec![("PE1", 2, T0), ("PE2", 1, T0 + 5 * HOUR)],
            "one per policy, the earliest not yet ended; the ended one is gone"
        );
        let theirs = vec![
            entry("PE1", 1, "UP", Some((T0 - HOUR, T0 + HOUR))),
            entry("PE1", 3, "DOWN", None),
            entry("PE2", 2, "LATER", Some((T0 + 4 * HOUR, T0 + 9 * HOUR))),
            entry("PE2", 2, "EARLIER", Some((T0, T0 + 4 * HOUR))),
        ];
        let depth = |id: &str| if id == "PE1" { Some(3) } else { Some(1) };
        let yours = your_levels(&moments, &theirs, depth, T0);
        assert!(yours[0].now && !yours[1].now);
        assert_eq!(ids(&yours[0].above), ["UP"]);
        assert_eq!(yours[0].below.as_deref().map(ids), Some(vec!["DOWN"]));
        // Level 1 of a one-level policy: nobody above, and no level below at all.
        assert!(yours[1].above.is_empty());
        assert_eq!(yours[1].below, None);
        // Without the policy's depth, "below" is whatever the entries show, even nobody.
        let unknown = your_levels(&moments, &theirs, |_| None, T0);
        assert_eq!(unknown[1].below.as_deref().map(ids), Some(vec!["LATER"]));
    }
}
