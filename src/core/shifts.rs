//! Who is on call when: the maths behind "now", "next", gaps and the timeline.

use crate::order::{self, Key};
use crate::time::{self, Millis, Window, Zone};

/// Who holds a shift.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Person {
    User {
        id: String,
        name: String,
    },
    /// A deliberately empty slot (v3 `empty_member`): nobody is on call.
    Nobody,
}

impl Person {
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Person::User { id, .. } => Some(id),
            Person::Nobody => None,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Person::User { name, .. } => name,
            Person::Nobody => "Nobody",
        }
    }

    /// Text that orders people as their derived `Ord` does: by ID, then name; nobody last.
    pub fn sort_text(&self) -> String {
        match self {
            Person::User { id, name } => order::joined(&[id, name]),
            Person::Nobody => "\u{10FFFF}".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shift {
    pub start: Millis,
    /// `None`: open-ended (PagerDuty's `end: null`, a permanent assignment).
    pub end: Option<Millis>,
    pub person: Person,
}

impl Shift {
    pub fn end_or_max(&self) -> Millis {
        self.end.unwrap_or(Millis::MAX)
    }

    pub fn covers(&self, at: Millis) -> bool {
        self.start <= at && at < self.end_or_max()
    }

    pub fn overlaps(&self, window: Window) -> bool {
        self.start < window.end && self.end_or_max() > window.start
    }
}

/// The shifts overlapping `window`, cut to it, in start order.
pub fn clip(shifts: &[Shift], window: Window) -> Vec<Shift> {
    let mut out: Vec<Shift> = shifts
        .iter()
        .filter(|s| s.overlaps(window))
        .map(|s| Shift {
            start: s.start.max(window.start),
            end: Some(s.end_or_max().min(window.end)),
            person: s.person.clone(),
        })
        .collect();
    // As PagerDuty sends them, one after another: nothing to sort (and no key to make for
    // each of tens of thousands of shifts).
    if !out.is_sorted_by(|a, b| a.start < b.start) {
        order::sort_by_key(&mut out, |s| {
            Key::number_then_text(s.start, s.person.sort_text())
        });
    }
    out
}

/// Everyone with a shift in `shifts`, once each, in their derived order (by ID, then name).
pub fn people(shifts: &[Shift]) -> Vec<Person> {
    let mut seen = std::collections::HashSet::new();
    let mut people: Vec<Person> = shifts
        .iter()
        .filter(|s| s.person != Person::Nobody && seen.insert(&s.person))
        .map(|s| s.person.clone())
        .collect();
    order::sort_by_key(&mut people, |p| Key::text(p.sort_text()));
    people
}

/// Everyone on call at `at` (several at once in shift-based schedules), without duplicates.
pub fn on_call_at(shifts: &[Shift], at: Millis) -> Vec<&Shift> {
    let mut now: Vec<&Shift> = shifts
        .iter()
        .filter(|s| s.covers(at) && s.person != Person::Nobody)
        .collect();
    order::sort_by_key(&mut now, |s| Key::text(s.person.sort_text()));
    now.dedup_by(|a, b| a.person == b.person);
    now
}

/// The next hand-over after `at`: the earliest shift that starts later and is not simply a
/// continuation by someone already on call then.
pub fn next_after(shifts: &[Shift], at: Millis) -> Option<&Shift> {
    let current = on_call_at(shifts, at);
    shifts
        .iter()
        .filter(|s| s.start > at && s.person != Person::Nobody)
        .filter(|s| {
            !current
                .iter()
                .any(|c| c.person == s.person && c.end_or_max() >= s.start)
        })
        .min_by_key(|s| s.start)
}

/// The first moment after `now` at which one of `shifts` starts or ends: until then, who is on
/// call is what it is now. Views that show "now" draw themselves again at that moment.
pub fn next_change<'a>(shifts: impl IntoIterator<Item = &'a Shift>, now: Millis) -> Option<Millis> {
    shifts
        .into_iter()
        .flat_map(|s| [Some(s.start), s.end])
        .flatten()
        .filter(|&t| t > now)
        .min()
}

/// The parts of `window` when nobody is on call.
pub fn gaps(shifts: &[Shift], window: Window) -> Vec<Window> {
    let covered: Vec<Window> = shifts
        .iter()
        .filter(|s| s.person != Person::Nobody && s.overlaps(window))
        .map(|s| Window {
            start: s.start.max(window.start),
            end: s.end_or_max().min(window.end),
        })
        .collect();
    uncovered(covered, window)
}

/// The parts of `window` that none of `covered` (parts of `window`, in any order) covers.
pub fn uncovered(mut covered: Vec<Window>, window: Window) -> Vec<Window> {
    if !covered.is_sorted_by_key(|w| (w.start, w.end)) {
        order::sort_by_key(&mut covered, |w| Key::numbers(w.start, w.end));
    }
    let mut out = Vec::new();
    let mut reach = window.start;
    for w in covered {
        if w.start > reach {
            out.push(Window {
                start: reach,
                end: w.start,
            });
        }
        reach = reach.max(w.end);
    }
    if reach < window.end {
        out.push(Window {
            start: reach,
            end: window.end,
        });
    }
    out
}

/// Places overlapping shifts on separate lanes (first free lane, in start order), so
/// concurrent shifts never draw on top of each other. Returns each shift's lane and the count.
pub fn lanes(shifts: &[Shift]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..shifts.len()).collect();
    order::sort_by_key(&mut order, |&i| Key::number(shifts[i].start));
    let mut lane_ends: Vec<Millis> = Vec::new();
    let mut lane_of = vec![0; shifts.len()];
    for i in order {
        let shift = &shifts[i];
        let lane = match lane_ends.iter().position(|&end| end <= shift.start) {
            Some(free) => free,
            None => {
                lane_ends.push(Millis::MIN);
                lane_ends.len() - 1
            }
        };
        lane_ends[lane] = shift.end_or_max();
        lane_of[i] = lane;
    }
    (lane_of, lane_ends.len().max(1))
}

/// What a row of the timeline draws: one shift, or a run of shifts each too narrow to see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The shift at this index, on its lane.
    One { index: usize, lane: usize },
    /// `count` consecutive shifts on `lane` from `start` to `end`, each narrower than the
    /// threshold: drawn as one block that says how many, since a pixel cannot show them.
    Many {
        lane: usize,
        start: Millis,
        end: Millis,
        count: usize,
    },
}

/// The marks for `shifts` on the lanes [`lanes`] gave them, in time order: shifts at
/// least `narrowest` long stay themselves; neighbouring shorter ones on a lane become one
/// [`Mark::Many`]. Two weeks of one-minute turns is 20,000 shifts, and a screen is about a
/// thousand pixels wide: this keeps what is drawn to what can be seen.
pub fn marks(shifts: &[Shift], lane_of: &[usize], narrowest: Millis) -> Vec<Mark> {
    let mut order: Vec<usize> = (0..shifts.len()).collect();
    order::sort_by_key(&mut order, |&i| {
        Key::numbers(lane_of[i] as i64, shifts[i].start)
    });
    // Each mark with the index of its first shift, so that a "run" of one stays that shift.
    let mut out: Vec<(Mark, usize)> = Vec::new();
    for i in order {
        let (shift, lane) = (&shifts[i], lane_of[i]);
        let end = shift.end_or_max();
        if end.saturating_sub(shift.start) >= narrowest {
            out.push((Mark::One { index: i, lane }, i));
            continue;
        }
        match out.last_mut() {
            Some((
                Mark::Many {
                    lane: l,
                    end: e,
                    count,
                    ..
                },
                _,
            )) if *l == lane && shift.start.saturating_sub(*e) < narrowest => {
                *e = (*e).max(end);
                *count += 1;
            }
            _ => out.push((
                Mark::Many {
                    lane,
                    start: shift.start,
                    end,
                    count: 1,
                },
                i,
            )),
        }
    }
    let mut marks: Vec<Mark> = out
        .into_iter()
        .map(|(mark, first)| match mark {
            Mark::Many { lane, count: 1, .. } => Mark::One { index: first, lane },
            mark => mark,
        })
        .collect();
    // In time order across lanes, as keyboard focus moves through them.
    order::sort_by_key(&mut marks, |mark| match *mark {
        Mark::One { index, lane } => Key::numbers(shifts[index].start, lane as i64),
        Mark::Many { start, lane, .. } => Key::numbers(start, lane as i64),
    });
    marks
}

/// Shifts grouped by the local day they fall on, each with its tag (what it is for). A shift
/// over midnight appears on both days, cut at midnight. Days without shifts are left out.
pub fn by_day<T: Clone>(
    zone: &impl Zone,
    shifts: &[(Shift, T)],
    window: Window,
) -> Vec<(Window, Vec<(Shift, T)>)> {
    time::days(zone, window)
        .into_iter()
        .map(|day| {
            let mut on_day: Vec<(Shift, T)> = shifts
                .iter()
                .filter(|(s, _)| s.overlaps(day))
                .map(|(s, tag)| {
                    let cut = Shift {
                        start: s.start.max(day.start),
                        end: Some(s.end_or_max().min(day.end)),
                        person: s.person.clone(),
                    };
                    (cut, tag.clone())
                })
                .collect();
            order::sort_by_key(&mut on_day, |(s, _)| Key::number(s.start));
            (day, on_day)
        })
        .filter(|(_, shifts)| !shifts.is_empty())
        .collect()
}

/// A stable colour slot (0..`slots`) for a person, so the same person has the same colour in
/// every row and on every page.
pub fn colour_slot(person: &Person, slots: usize) -> usize {
    match person {
        Person::Nobody => 0,
        Person::User { id, .. } => {
            // FNV-1a: tiny, stable across builds and platforms.
            let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
            (hash % slots as u64) as usize
        }
    }
}

#[cfg(test)]
mod mark_tests {
    use super::*;

    fn shift(start: Millis, end: Millis, who: &str) -> Shift {
        Shift {
            start,
            end: Some(end),
            person: Person::User {
                id: who.into(),
                name: who.into(),
            },
        }
    }

    #[test]
    fn narrow_neighbours_become_one_mark_and_wide_shifts_stay_themselves() {
        let shifts = vec![
            shift(0, 100, "A"),
            shift(100, 101, "B"),
            shift(101, 102, "C"),
            shift(102, 103, "D"),
            shift(103, 300, "E"),
            shift(300, 301, "F"),
        ];
        let lanes = vec![0; shifts.len()];
        assert_eq!(
            marks(&shifts, &lanes, 10),
            vec![
                Mark::One { index: 0, lane: 0 },
                Mark::Many {
                    lane: 0,
                    start: 100,
                    end: 103,
                    count: 3
                },
                Mark::One { index: 4, lane: 0 },
                Mark::One { index: 5, lane: 0 },
            ]
        );
    }

    #[test]
    fn the_next_change_is_the_first_start_or_end_still_ahead() {
        let shifts = vec![
            shift(0, 100, "A"),
            shift(50, 300, "B"),
            shift(400, 500, "C"),
        ];
        assert_eq!(next_change(&shifts, 10), Some(50));
        assert_eq!(next_change(&shifts, 100), Some(300));
        assert_eq!(next_change(&shifts, 500), None);
    }

    #[test]
    fn twenty_thousand_one_minute_turns_are_a_handful_of_marks() {
        let minute = 60_000;
        let shifts: Vec<Shift> = (0..20_160)
            .map(|i| shift(i * minute, (i + 1) * minute, "A"))
            .collect();
        let lanes = vec![0; shifts.len()];
        let window = 20_160 * minute;
        let drawn = marks(&shifts, &lanes, window / 500);
        assert_eq!(drawn.len(), 1, "one run: no gap between them");
        assert_eq!(
            drawn[0],
            Mark::Many {
                lane: 0,
                start: 0,
                end: window,
                count: 20_160
            }
        );
        // Lanes are kept apart.
        let two = vec![shift(0, 1, "A"), shift(0, 1, "B")];
        assert_eq!(marks(&two, &[0, 1], 10).len(), 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::tests::Oslo;
    use crate::time::{parse_iso, HOUR};

    fn at(text: &str) -> Millis {
        parse_iso(text).expect("valid")
    }

    fn user(id: &str) -> Person {
        Person::User {
            id: id.into(),
            name: format!("User {id}"),
        }
    }

    fn shift(start: &str, end: &str, who: Person) -> Shift {
        Shift {
            start: at(start),
            end: Some(at(end)),
            person: who,
        }
    }

    fn day_of_shifts() -> Vec<Shift> {
        vec![
            shift("2026-11-29T00:00:00Z", "2026-11-29T09:00:00Z", user("A")),
            shift("2026-11-29T09:00:00Z", "2026-11-29T17:00:00Z", user("B")),
            shift("2026-11-29T12:00:00Z", "2026-11-29T14:00:00Z", user("C")),
            shift("2026-11-29T20:00:00Z", "2026-11-30T08:00:00Z", user("A")),
        ]
    }

    #[test]
    fn several_people_can_be_on_call_at_once() {
        let shifts = day_of_shifts();
        let names: Vec<&str> = on_call_at(&shifts, at("2026-11-29T13:00:00Z"))
            .iter()
            .map(|s| s.person.name())
            .collect();
        assert_eq!(names, vec!["User B", "User C"]);
        assert!(on_call_at(&shifts, at("2026-11-29T18:00:00Z")).is_empty());
    }

    #[test]
    fn next_is_the_next_hand_over_not_a_continuation() {
        let mut shifts = day_of_shifts();
        // A continues straight into another shift of their own: not a hand-over.
        shifts.push(shift(
            "2026-11-29T09:00:00Z",
            "2026-11-29T10:00:00Z",
            user("A"),
        ));
        let next = next_after(&shifts, at("2026-11-29T08:00:00Z")).expect("someone is next");
        assert_eq!(next.person, user("B"));
        assert_eq!(next_after(&shifts, at("2026-11-30T07:00:00Z")), None);
    }

    #[test]
    fn gaps_are_the_uncovered_parts_and_empty_slots_count_as_gaps() {
        let mut shifts = day_of_shifts();
        shifts.push(shift(
            "2026-11-29T17:00:00Z",
            "2026-11-29T18:00:00Z",
            Person::Nobody,
        ));
        let window = Window {
            start: at("2026-11-29T00:00:00Z"),
            end: at("2026-11-30T00:00:00Z"),
        };
        assert_eq!(
            gaps(&shifts, window),
            vec![Window {
                start: at("2026-11-29T17:00:00Z"),
                end: at("2026-11-29T20:00:00Z")
            }]
        );
        assert_eq!(gaps(&[], window), vec![window]);
        shifts.reverse();
        assert_eq!(gaps(&shifts, window).len(), 1, "in any order");
    }

    #[test]
    fn clipped_shifts_are_in_start_order_whatever_order_they_came_in() {
        let window = Window {
            start: at("2026-11-29T00:00:00Z"),
            end: at("2026-11-30T00:00:00Z"),
        };
        let mut shifts = day_of_shifts();
        let in_order = clip(&shifts, window);
        shifts.reverse();
        assert_eq!(clip(&shifts, window), in_order);
        let starts: Vec<Millis> = in_order.iter().map(|s| s.start).collect();
        assert!(starts.is_sorted());
    }

    #[test]
    fn people_are_listed_once_each_in_order_without_nobody() {
        let mut shifts = day_of_shifts();
        shifts.push(shift(
            "2026-11-29T17:00:00Z",
            "2026-11-29T18:00:00Z",
            Person::Nobody,
        ));
        shifts.reverse();
        assert_eq!(people(&shifts), vec![user("A"), user("B"), user("C")]);
        assert!(people(&[]).is_empty());
    }

    #[test]
    fn clipping_cuts_to_the_window_and_keeps_open_ended_shifts() {
        let permanent = Shift {
            start: at("2026-01-01T00:00:00Z"),
            end: None,
            person: user("P"),
        };
        let window = Window {
            start: at("2026-11-29T00:00:00Z"),
            end: at("2026-11-30T00:00:00Z"),
        };
        let clipped = clip(&[permanent], window);
        assert_eq!(
            clipped,
            vec![Shift {
                start: window.start,
                end: Some(window.end),
                person: user("P")
            }]
        );
    }

    #[test]
    fn overlapping_shifts_get_their_own_lanes() {
        let shifts = day_of_shifts();
        let (lane_of, count) = lanes(&shifts);
        assert_eq!(count, 2);
        assert_eq!(lane_of, vec![0, 0, 1, 0]);
        assert_eq!(lanes(&[]), (vec![], 1));
    }

    #[test]
    fn shifts_over_midnight_appear_on_both_local_days() {
        let shifts = vec![shift(
            "2026-11-29T20:00:00Z",
            "2026-11-30T08:00:00Z",
            user("A"),
        )];
        let shifts: Vec<(Shift, &str)> = shifts.into_iter().map(|s| (s, "Ops")).collect();
        let window = Window {
            start: at("2026-11-28T23:00:00Z"),
            end: at("2026-12-01T23:00:00Z"),
        };
        let grouped = by_day(&Oslo, &shifts, window);
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[1].1[0].1, "Ops", "the tag travels with the shift");
        assert_eq!(
            grouped[0].1[0].0.end,
            Some(at("2026-11-29T23:00:00Z")),
            "cut at Oslo midnight"
        );
        assert_eq!(grouped[1].1[0].0.start, at("2026-11-29T23:00:00Z"));
        assert_eq!(grouped[1].0.len(), 24 * HOUR);
    }

    #[test]
    fn a_person_keeps_one_colour() {
        let a = colour_slot(&user("PU0001A"), 12);
        assert_eq!(
            a,
            colour_slot(
                &Person::User {
                    id: "PU0001A".into(),
                    name: "renamed".into()
                },
                12
            )
        );
        assert!(a < 12);
        let spread: std::collections::HashSet<usize> = (0..40)
            .map(|i| colour_slot(&user(&format!("PU{i:05}")), 12))
            .collect();
        assert!(spread.len() >= 8, "ids spread over the palette: {spread:?}");
    }
}
