//! Where nobody is on call, across the account: every gap in a schedule's final schedule, every
//! level that points at a schedule that no longer exists, and every time a whole escalation
//! policy reaches nobody. Each gap says whether it matters: PagerDuty moves an incident past a
//! level with nobody on it at once, so a gap another level covers is "covered by level N", and
//! only a policy with nobody at any level lets an incident go nowhere.

use crate::api::types::{EscalationPolicy, Reference, Service};
use crate::order::{self, Key};
use crate::shifts::{self, Shift};
use crate::time::{self, Millis, Window};
use std::collections::HashMap;

/// What is known of one schedule's final schedule over the range.
#[derive(Clone, Debug, PartialEq)]
pub enum Final {
    /// Its shifts: where none covers a time, nobody is on call then.
    Shifts(Vec<Shift>),
    /// PagerDuty answered 404: a policy still points at a schedule that was deleted.
    Deleted,
}

/// Where a gap is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Schedule(Reference),
    /// A level of `policy` with nobody on it, because it points at a schedule that is gone
    /// (`missing`) and nothing else on it has anyone.
    Level {
        policy: Reference,
        level: u32,
        missing: Reference,
    },
    /// A whole policy: nobody at any level.
    Policy(Reference),
}

/// What happens to an incident during a gap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every level of the policy is empty: an incident notifies nobody. Names the services
    /// that page through it.
    ReachesNobody { services: Vec<Reference> },
    /// Each policy that uses the gap's schedule or level still reaches someone: the level that
    /// does (the gap's own level when another target there has someone).
    CoveredBy(Vec<(Reference, u32)>),
    /// The gap is inside a time when the `nobody` policies reach nobody (each also listed on
    /// its own); the others that use it still reach the level named.
    InPolicyGap {
        nobody: Vec<Reference>,
        covered: Vec<(Reference, u32)>,
    },
    /// No escalation policy the person can see uses the schedule: no incident reaches it.
    OnNoPolicy,
}

impl Verdict {
    /// A gap that lets an incident reach nobody.
    pub fn is_critical(&self) -> bool {
        matches!(
            self,
            Verdict::ReachesNobody { .. } | Verdict::InPolicyGap { .. }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    pub window: Window,
    pub place: Place,
    pub verdict: Verdict,
}

/// Every schedule's gaps, each kept sorted: the question "is anyone on call at `t`" is then a
/// binary search.
struct Gaps<'a> {
    by_schedule: HashMap<&'a str, Vec<Window>>,
}

impl<'a> Gaps<'a> {
    fn new(finals: &'a [(Reference, Final)], window: Window) -> Self {
        let by_schedule = finals
            .iter()
            .map(|(r, f)| {
                let gaps = match f {
                    Final::Shifts(shifts) => shifts::gaps(shifts, window),
                    Final::Deleted => vec![window],
                };
                (r.id.as_str(), gaps)
            })
            .collect();
        Self { by_schedule }
    }

    /// `None`: the schedule was not read (PagerDuty would not show it): not counted as a gap,
    /// since nothing is known of it.
    fn of(&self, schedule: &str) -> Option<&[Window]> {
        self.by_schedule.get(schedule).map(Vec::as_slice)
    }

    fn empty_at(&self, schedule: &str, t: Millis) -> bool {
        self.of(schedule).is_some_and(|gaps| {
            let i = gaps.partition_point(|g| g.end <= t);
            gaps.get(i).is_some_and(|g| g.contains(t))
        })
    }

    /// Whether level `index` of `policy` has anyone at `t`: a person named on it always does.
    fn level_covered(&self, policy: &EscalationPolicy, index: usize, t: Millis) -> bool {
        policy.escalation_rules[index]
            .targets
            .iter()
            .any(|target| !target.is_schedule() || !self.empty_at(&target.id, t))
    }

    /// The first level (1-based) of `policy` with anyone on it at `t`, from level `from` on,
    /// then from the top: where PagerDuty takes an incident that finds level `from` empty.
    fn covering_level(&self, policy: &EscalationPolicy, from: usize, t: Millis) -> Option<u32> {
        let count = policy.escalation_rules.len();
        (from..count)
            .chain(0..from.min(count))
            .find(|&i| self.level_covered(policy, i, t))
            .map(|i| i as u32 + 1)
    }

    /// The times at which anything `policy` depends on changes, inside `within`.
    fn moments(&self, policy: &EscalationPolicy, within: Window) -> Vec<Millis> {
        let mut points = vec![within.start];
        for target in policy
            .escalation_rules
            .iter()
            .flat_map(|r| &r.targets)
            .filter(|t| t.is_schedule())
        {
            for gap in self.of(&target.id).unwrap_or_default() {
                points.extend(
                    [gap.start, gap.end]
                        .into_iter()
                        .filter(|&p| within.contains(p)),
                );
            }
        }
        points
    }
}

fn reference(policy: &EscalationPolicy) -> Reference {
    Reference {
        id: policy.id.clone(),
        summary: policy.display_name().to_string(),
        html_url: policy.html_url.clone(),
    }
}

/// Every gap within `window`: the gaps of `shown` schedules, the empty levels of policies that
/// point at a deleted schedule, and the times each of `policies` reaches nobody. `finals` holds
/// every schedule read (those `shown`, and those the policies point at); `services` name the
/// policies' services. Soonest first, with the times a policy reaches nobody before all else.
pub fn gaps(
    finals: &[(Reference, Final)],
    shown: &[String],
    policies: &[EscalationPolicy],
    services: &[Service],
    window: Window,
) -> Vec<Gap> {
    let known = Gaps::new(finals, window);
    let mut out: Vec<Gap> = vec![];
    let uses = |policy: &EscalationPolicy, schedule: &str| -> Vec<usize> {
        policy
            .escalation_rules
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.targets
                    .iter()
                    .any(|t| t.is_schedule() && t.id == schedule)
            })
            .map(|(i, _)| i)
            .collect()
    };
    // What an incident finds at `t` on each policy that has `levels`: the level that takes it,
    // or nobody.
    let verdict_at = |users: &[(&EscalationPolicy, Vec<usize>)], t: Millis| -> Verdict {
        if users.is_empty() {
            return Verdict::OnNoPolicy;
        }
        let mut covered = vec![];
        let mut nobody = vec![];
        for (policy, levels) in users {
            let level = levels
                .iter()
                .filter_map(|&l| known.covering_level(policy, l, t))
                .next();
            match level {
                Some(level) => covered.push((reference(policy), level)),
                None => nobody.push(reference(policy)),
            }
        }
        if nobody.is_empty() {
            Verdict::CoveredBy(covered)
        } else {
            Verdict::InPolicyGap { nobody, covered }
        }
    };

    for (schedule, _) in finals.iter().filter(|(r, _)| shown.contains(&r.id)) {
        let users: Vec<(&EscalationPolicy, Vec<usize>)> = policies
            .iter()
            .map(|p| (p, uses(p, &schedule.id)))
            .filter(|(_, levels)| !levels.is_empty())
            .collect();
        for gap in known.of(&schedule.id).unwrap_or_default() {
            let points = users
                .iter()
                .flat_map(|(p, _)| known.moments(p, *gap))
                .collect();
            for (window, verdict) in time::runs(*gap, points, |t| Some(verdict_at(&users, t))) {
                out.push(Gap {
                    window,
                    place: Place::Schedule(schedule.clone()),
                    verdict,
                });
            }
        }
    }

    let deleted = |id: &str| {
        finals
            .iter()
            .any(|(r, f)| r.id == id && *f == Final::Deleted)
    };
    for policy in policies {
        let moments = known.moments(policy, window);
        // A level pointing at a deleted schedule, while nothing else on it has anyone.
        for (index, rule) in policy.escalation_rules.iter().enumerate() {
            let Some(missing) = rule
                .targets
                .iter()
                .find(|t| t.is_schedule() && deleted(&t.id))
            else {
                continue;
            };
            let users = [(policy, vec![index])];
            let empty = |t| (!known.level_covered(policy, index, t)).then(|| verdict_at(&users, t));
            for (window, verdict) in time::runs(window, moments.clone(), empty) {
                out.push(Gap {
                    window,
                    place: Place::Level {
                        policy: reference(policy),
                        level: index as u32 + 1,
                        missing: Reference {
                            id: missing.id.clone(),
                            summary: missing.summary.clone(),
                            html_url: missing.html_url.clone(),
                        },
                    },
                    verdict,
                });
            }
        }
        // The whole policy.
        let reaches_nobody = |t| known.covering_level(policy, 0, t).is_none().then_some(());
        let services: Vec<Reference> = services
            .iter()
            .filter(|s| {
                s.escalation_policy
                    .as_ref()
                    .is_some_and(|p| p.id == policy.id)
            })
            .map(|s| Reference {
                id: s.id.clone(),
                summary: s.display_name().to_string(),
                html_url: s.html_url.clone(),
            })
            .collect();
        if policy.escalation_rules.is_empty() {
            continue;
        }
        for (window, ()) in time::runs(window, moments, reaches_nobody) {
            out.push(Gap {
                window,
                place: Place::Policy(reference(policy)),
                verdict: Verdict::ReachesNobody {
                    services: services.clone(),
                },
            });
        }
    }

    order::sort_by_key(&mut out, |g| {
        let first = matches!(g.verdict, Verdict::ReachesNobody { .. });
        let name = match &g.place {
            Place::Schedule(r) | Place::Policy(r) => order::joined(&[&r.summary, &r.id]),
            Place::Level { policy, .. } => order::joined(&[&policy.summary, &policy.id]),
        };
        Key::numbers_then_text(i64::from(!first), g.window.start, name)
    });
    out
}

/// The policies a coverage check needs for `team` (every one when empty): the team's own,
/// and any other that uses one of the team's schedules (`schedules`).
pub fn policies_for<'a>(
    policies: &'a [EscalationPolicy],
    team: &str,
    schedules: &[String],
) -> Vec<&'a EscalationPolicy> {
    policies
        .iter()
        .filter(|p| {
            team.is_empty()
                || p.teams.iter().any(|t| t.id == team)
                || p.escalation_rules
                    .iter()
                    .flat_map(|r| &r.targets)
                    .any(|t| t.is_schedule() && schedules.contains(&t.id))
        })
        .collect()
}

/// Every schedule the policies point at, once each, in the order met.
pub fn target_schedules<'a>(
    policies: impl IntoIterator<Item = &'a EscalationPolicy>,
) -> Vec<Reference> {
    let mut out: Vec<Reference> = vec![];
    for target in policies
        .into_iter()
        .flat_map(|p| &p.escalation_rules)
        .flat_map(|r| &r.targets)
        .filter(|t| t.is_schedule())
    {
        if !out.iter().any(|r| r.id == target.id) {
            out.push(Reference {
                id: target.id.clone(),
                summary: target.summary.clone(),
                html_url: target.html_url.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::EscalationPolicyEnvelope;
    use crate::shifts::Person;
    use crate::time::HOUR;

    const T0: Millis = 1_764_547_200_000; // 2025-12-01T00:00:00Z
    const DAY_WINDOW: Window = Window {
        start: T0,
        end: T0 + 24 * HOUR,
    };

    fn r(id: &str) -> Reference {
        Reference {
            id: id.into(),
            summary: format!("Name of {id}"),
            html_url: None,
        }
    }

    fn on(id: &str, from_h: i64, to_h: i64) -> Shift {
        Shift {
            start: T0 + from_h * HOUR,
            end: Some(T0 + to_h * HOUR),
            person: Person::User {
                id: id.into(),
                name: id.into(),
            },
        }
    }

    /// A policy whose levels each name these targets: `S…` a schedule, anything else a user.
    fn policy(id: &str, levels: &[&[&str]]) -> EscalationPolicy {
        let rules: Vec<serde_json::Value> = levels
            .iter()
            .map(|targets| {
                let targets: Vec<serde_json::Value> = targets
                    .iter()
                    .map(|t| {
                        let kind = if t.starts_with('S') {
                            "schedule_reference"
                        } else {
                            "user_reference"
                        };
                        serde_json::json!({"id": t, "type": kind, "summary": format!("Name of {t}")})
                    })
                    .collect();
                serde_json::json!({"escalation_delay_in_minutes": 10, "targets": targets})
            })
            .collect();
        serde_json::from_value::<EscalationPolicyEnvelope>(serde_json::json!({
            "escalation_policy": {"id": id, "name": format!("Name of {id}"), "escalation_rules": rules, "teams": [{"id": "T1", "summary": "Team"}]}
        }))
        .expect("a policy")
        .escalation_policy
    }

    fn service(id: &str, policy: &str) -> Service {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": format!("Name of {id}"), "status": "active",
            "escalation_policy": {"id": policy, "summary": "p"}
        }))
        .expect("a service")
    }

    fn in_gap(nobody: &[&str], covered: &[(&str, u32)]) -> Verdict {
        Verdict::InPolicyGap {
            nobody: nobody.iter().map(|p| r(p)).collect(),
            covered: covered.iter().map(|(p, l)| (r(p), *l)).collect(),
        }
    }

    fn hours(g: &Gap) -> (i64, i64) {
        ((g.window.start - T0) / HOUR, (g.window.end - T0) / HOUR)
    }

    #[test]
    fn a_schedule_gap_another_level_covers_is_not_a_policy_gap() {
        // S1 has nobody 18–24; level 2 names a person.
        let finals = vec![(r("S1"), Final::Shifts(vec![on("A", 0, 18)]))];
        let p = policy("P1", &[&["S1"], &["U9"]]);
        let gaps = gaps(&finals, &["S1".into()], &[p], &[], DAY_WINDOW);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert_eq!(hours(&gaps[0]), (18, 24));
        assert_eq!(gaps[0].place, Place::Schedule(r("S1")));
        assert_eq!(
            gaps[0].verdict,
            Verdict::CoveredBy(vec![(r("P1"), 2)]),
            "PagerDuty moves the incident on to level 2"
        );
        assert!(!gaps[0].verdict.is_critical());
    }

    #[test]
    fn another_target_on_the_same_level_covers_it() {
        let finals = vec![
            (r("S1"), Final::Shifts(vec![on("A", 0, 12)])),
            (r("S2"), Final::Shifts(vec![on("B", 6, 24)])),
        ];
        let p = policy("P1", &[&["S1", "S2"]]);
        let gaps = gaps(&finals, &["S1".into(), "S2".into()], &[p], &[], DAY_WINDOW);
        let summary: Vec<_> = gaps.iter().map(|g| (hours(g), g.verdict.clone())).collect();
        assert_eq!(
            summary,
            vec![
                // S2 is empty 0–6, while S1 covers level 1.
                ((0, 6), Verdict::CoveredBy(vec![(r("P1"), 1)])),
                ((12, 24), Verdict::CoveredBy(vec![(r("P1"), 1)])),
            ]
        );
    }

    #[test]
    fn a_policy_that_reaches_nobody_comes_first_and_names_its_services() {
        // Level 1: S1 08–18. Level 2: S2 09–20. Nobody 00–08 and 20–24.
        let finals = vec![
            (r("S1"), Final::Shifts(vec![on("A", 8, 18)])),
            (r("S2"), Final::Shifts(vec![on("B", 9, 20)])),
        ];
        let p = policy("P1", &[&["S1"], &["S2"]]);
        let services = [service("V1", "P1"), service("V2", "OTHER")];
        let gaps = gaps(
            &finals,
            &["S1".into(), "S2".into()],
            &[p],
            &services,
            DAY_WINDOW,
        );
        let policy_gaps: Vec<_> = gaps
            .iter()
            .take_while(|g| matches!(g.place, Place::Policy(_)))
            .map(hours)
            .collect();
        assert_eq!(policy_gaps, vec![(0, 8), (20, 24)], "red, and first");
        assert_eq!(
            gaps[0].verdict,
            Verdict::ReachesNobody {
                services: vec![Reference {
                    id: "V1".into(),
                    summary: "Name of V1".into(),
                    html_url: None
                }]
            }
        );
        // S1's gap 00–08 is inside the policy gap; 18–20 level 2 covers.
        let s1: Vec<_> = gaps
            .iter()
            .filter(|g| g.place == Place::Schedule(r("S1")))
            .map(|g| (hours(g), g.verdict.clone()))
            .collect();
        assert_eq!(
            s1,
            vec![
                ((0, 8), in_gap(&["P1"], &[])),
                ((18, 20), Verdict::CoveredBy(vec![(r("P1"), 2)])),
                ((20, 24), in_gap(&["P1"], &[])),
            ]
        );
        // S2 is empty 18–20? No: 00–09 and 20–24; 08–09 level 1 (S1) covers it from above.
        let s2: Vec<_> = gaps
            .iter()
            .filter(|g| g.place == Place::Schedule(r("S2")))
            .map(|g| (hours(g), g.verdict.clone()))
            .collect();
        assert_eq!(
            s2,
            vec![
                ((0, 8), in_gap(&["P1"], &[])),
                ((8, 9), Verdict::CoveredBy(vec![(r("P1"), 1)])),
                ((20, 24), in_gap(&["P1"], &[])),
            ]
        );
    }

    #[test]
    fn a_schedule_on_two_policies_says_what_each_does() {
        // S1 is empty 18–24; P1 has nobody else, P2 has a person at level 2.
        let finals = vec![(r("S1"), Final::Shifts(vec![on("A", 0, 18)]))];
        let policies = [policy("P1", &[&["S1"]]), policy("P2", &[&["S1"], &["U1"]])];
        let gaps = gaps(&finals, &["S1".into()], &policies, &[], DAY_WINDOW);
        let s1: Vec<_> = gaps
            .iter()
            .filter(|g| g.place == Place::Schedule(r("S1")))
            .map(|g| (hours(g), g.verdict.clone()))
            .collect();
        assert_eq!(s1, vec![((18, 24), in_gap(&["P1"], &[("P2", 2)]))]);
    }

    #[test]
    fn a_level_pointing_at_a_deleted_schedule_is_a_gap_the_next_level_covers() {
        let finals = vec![(r("SGONE"), Final::Deleted)];
        let p = policy("P1", &[&["SGONE"], &["U1"]]);
        let gaps = gaps(&finals, &[], std::slice::from_ref(&p), &[], DAY_WINDOW);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert_eq!(hours(&gaps[0]), (0, 24));
        assert_eq!(
            gaps[0].place,
            Place::Level {
                policy: r("P1"),
                level: 1,
                missing: r("SGONE")
            }
        );
        assert_eq!(gaps[0].verdict, Verdict::CoveredBy(vec![(r("P1"), 2)]));
        // Alone on the policy, it is a policy that reaches nobody at all.
        let alone = policy("P2", &[&["SGONE"]]);
        let gaps = super::gaps(&finals, &[], &[alone], &[], DAY_WINDOW);
        assert!(gaps.iter().any(|g| g.place == Place::Policy(r("P2"))
            && hours(g) == (0, 24)
            && g.verdict.is_critical()));
    }

    #[test]
    fn a_schedule_on_no_policy_and_an_unread_schedule() {
        let finals = vec![(r("S1"), Final::Shifts(vec![on("A", 0, 20)]))];
        let gaps = gaps(&finals, &["S1".into()], &[], &[], DAY_WINDOW);
        assert_eq!(gaps.len(), 1);
        assert_eq!(
            (hours(&gaps[0]), &gaps[0].verdict),
            ((20, 24), &Verdict::OnNoPolicy)
        );
        // A level pointing at a schedule that was not read (PagerDuty would not show it) is
        // not counted empty: nothing is known of it.
        let p = policy("P1", &[&["SHIDDEN"]]);
        assert!(super::gaps(&[], &[], &[p], &[], DAY_WINDOW).is_empty());
    }

    #[test]
    fn a_full_day_has_no_gaps_and_a_later_empty_level_is_covered_from_the_top() {
        let finals = vec![
            (r("S1"), Final::Shifts(vec![on("A", 0, 24)])),
            (r("S2"), Final::Shifts(vec![on("B", 0, 12)])),
        ];
        let p = policy("P1", &[&["S1"], &["S2"]]);
        let all = gaps(
            &finals,
            &["S1".into(), "S2".into()],
            std::slice::from_ref(&p),
            &[],
            DAY_WINDOW,
        );
        assert_eq!(all.len(), 1);
        assert_eq!(
            (hours(&all[0]), &all[0].verdict),
            ((12, 24), &Verdict::CoveredBy(vec![(r("P1"), 1)]))
        );
        assert!(gaps(&finals, &["S1".into()], &[p], &[], DAY_WINDOW).is_empty());
    }

    #[test]
    fn a_team_check_takes_its_policies_and_those_using_its_schedules() {
        let ours = policy("P1", &[&["S1"]]);
        let mut theirs = policy("P2", &[&["S2"], &["S9"]]);
        theirs.teams = vec![r("T2")];
        let mut unrelated = policy("P3", &[&["S3"]]);
        unrelated.teams = vec![r("T2")];
        let all = [ours, theirs, unrelated];
        let chosen: Vec<&str> = policies_for(&all, "T1", &["S2".into()])
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(chosen, ["P1", "P2"]);
        assert_eq!(policies_for(&all, "", &[]).len(), 3);
        let targets: Vec<String> = target_schedules(&all).into_iter().map(|r| r.id).collect();
        assert_eq!(targets, ["S1", "S2", "S9", "S3"]);
    }
}
