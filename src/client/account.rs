//! Loads that look across the account: coverage (every schedule's final schedule and every
//! policy), and the schedules and people behind on-call hours and the board. Only the views in
//! their own wasm modules call these, so their code travels with those views.

use super::{loads, Client};
use futures::StreamExt;
use oncall_core::api::types::{Reference, User};
use oncall_core::api::{self, endpoints, ApiError};
use oncall_core::coverage::{self, Final, Gap};
use oncall_core::time::Window;
use oncall_core::timeline::Timeline;
use std::collections::HashMap;

/// Schedules read at once, one request each: as many as the lists' pages in flight.
const AT_ONCE: usize = super::CONCURRENCY;

/// What a coverage check found, and what it cost.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageData {
    pub gaps: Vec<Gap>,
    pub schedules: usize,
    pub policies: usize,
    /// Requests sent to PagerDuty for it (answers still fresh in the page's cache cost none).
    pub requests: u32,
    /// Schedules a policy points at that PagerDuty would not show (403): nothing is said of them.
    pub unreadable: Vec<Reference>,
    /// A list was longer than PagerDuty's offset ceiling lets anyone read.
    pub truncated: bool,
}

/// Every gap within `window` for `team` (the whole account when empty): its layered schedules'
/// final schedules come with the list (`include[]=final_schedule`), shift-based ones and those
/// of other teams that its policies use one request each; every policy and service is listed
/// once.
pub async fn coverage(c: &Client, team: &str, window: Window) -> Result<CoverageData, ApiError> {
    if !team.is_empty() {
        api::check_id(team)?;
    }
    let (c, sent) = c.counting();
    let lists = (
        endpoints::schedules_with_final("", team, window),
        endpoints::schedules_v3(""),
        endpoints::escalation_policies("", ""),
        endpoints::services("", ""),
    );
    let (layered, shift_based, policies, services) = futures::join!(
        c.all(&lists.0, None),
        c.all(&lists.1, None),
        c.all(&lists.2, None),
        c.all(&lists.3, None),
    );
    let (layered, policies, services) = (layered?, policies?, services?);
    // Accounts without shift-based schedules may not offer the v3 API at all.
    let shift_based = match shift_based {
        Ok(list) => list.items,
        Err(ApiError::Unauthorized) => return Err(ApiError::Unauthorized),
        Err(_) => vec![],
    };
    let mut finals: Vec<(Reference, Final)> = layered
        .items
        .iter()
        .map(|detail| {
            let timeline = Timeline::from_v2(detail);
            (reference(&timeline), Final::Shifts(timeline.final_shifts))
        })
        .collect();
    let mut shown: Vec<String> = finals.iter().map(|(r, _)| r.id.clone()).collect();
    // Shift-based schedules: read each (the list has no teams), keep the team's.
    let mut unreadable = vec![];
    for (asked, answer) in read_all(&c, shift_based, window, false).await? {
        match answer {
            Ok(timeline) => {
                if team.is_empty() || timeline.teams.iter().any(|t| t == team) {
                    shown.push(timeline.id.clone());
                }
                finals.push((reference(&timeline), Final::Shifts(timeline.final_shifts)));
            }
            Err(ApiError::NotFound) => finals.push((asked, Final::Deleted)),
            Err(_) => unreadable.push(asked),
        }
    }
    let relevant: Vec<_> = coverage::policies_for(&policies.items, team, &shown)
        .into_iter()
        .cloned()
        .collect();
    // Schedules the policies point at that are not read yet (another team's, or deleted).
    let missing: Vec<Reference> = coverage::target_schedules(&relevant)
        .into_iter()
        .filter(|r| !finals.iter().any(|(known, _)| known.id == r.id))
        .collect();
    for (asked, answer) in read_all(&c, missing, window, false).await? {
        match answer {
            Ok(timeline) => finals.push((asked, Final::Shifts(timeline.final_shifts))),
            Err(ApiError::NotFound) => finals.push((asked, Final::Deleted)),
            Err(_) => unreadable.push(asked),
        }
    }
    let gaps = coverage::gaps(&finals, &shown, &relevant, &services.items, window);
    Ok(CoverageData {
        gaps,
        schedules: shown.len(),
        policies: relevant.len(),
        requests: sent.get(),
        unreadable,
        truncated: layered.truncated || policies.truncated || services.truncated,
    })
}

fn reference(timeline: &Timeline) -> Reference {
    Reference {
        id: timeline.id.clone(),
        summary: timeline.name.clone(),
        html_url: timeline.html_url.clone(),
    }
}

/// Each of `schedules` over `window`, [`AT_ONCE`] at a time, each with its own answer (one that
/// cannot be read does not stop the others); signing out or leaving stops them all. `named`:
/// with the names of a shift-based schedule's people.
async fn read_all(
    c: &Client,
    schedules: Vec<Reference>,
    window: Window,
    named: bool,
) -> Result<Vec<(Reference, Result<Timeline, ApiError>)>, ApiError> {
    let answers: Vec<(Reference, Result<Timeline, ApiError>)> =
        futures::stream::iter(schedules.into_iter().map(|r| async move {
            let answer = loads::timeline_named(c, &r.id, window, named).await;
            (r, answer)
        }))
        .buffered(AT_ONCE)
        .collect()
        .await;
    for (_, answer) in &answers {
        if let Err(e @ (ApiError::Unauthorized | ApiError::Cancelled)) = answer {
            return Err(e.clone());
        }
    }
    Ok(answers)
}

/// Schedules and the people on them, for on-call hours and the board.
#[derive(Clone, Debug, PartialEq)]
pub struct Rota {
    /// In the order asked for (a team's: by name).
    pub schedules: Vec<Timeline>,
    /// Schedules that could not be read, and why.
    pub failed: Vec<(Reference, String)>,
    /// Everyone on them, by ID: their name, email and time zone.
    pub people: HashMap<String, User>,
}

/// Which schedules: `ids` when given, else every schedule of `team` (layered and shift-based).
pub async fn rota(
    c: &Client,
    team: &str,
    ids: &[String],
    window: Window,
) -> Result<Rota, ApiError> {
    let wanted: Vec<Reference> = if !ids.is_empty() {
        ids.iter()
            .map(|id| Reference {
                id: id.clone(),
                summary: id.clone(),
                html_url: None,
            })
            .collect()
    } else {
        api::check_id(team)?;
        let lists = (endpoints::team_schedules(team), endpoints::schedules_v3(""));
        let (layered, shift_based) = futures::join!(c.all(&lists.0, None), c.all(&lists.1, None));
        let mut wanted: Vec<Reference> = layered?
            .items
            .into_iter()
            .map(|s| Reference {
                summary: s.display_name().to_string(),
                id: s.id,
                html_url: s.html_url,
            })
            .collect();
        // Shift-based ones are read to learn their teams; those not the team's are left out.
        wanted.extend(shift_based.map(|l| l.items).unwrap_or_default());
        wanted
    };
    let mut schedules = vec![];
    let mut failed = vec![];
    for (asked, answer) in read_all(c, wanted, window, true).await? {
        match answer {
            Ok(t) if ids.is_empty() && t.shift_based && !t.teams.iter().any(|id| id == team) => {}
            Ok(t) => schedules.push(t),
            Err(e) => failed.push((asked, e.to_string())),
        }
    }
    let mut ids: Vec<String> = schedules
        .iter()
        .flat_map(|t| &t.final_shifts)
        .filter_map(|s| s.person.user_id().map(str::to_string))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let people = users(c, &ids).await;
    Ok(Rota {
        schedules,
        failed,
        people,
    })
}

/// People by ID, fetched [`AT_ONCE`] at a time; one that cannot be looked up is left out.
async fn users(c: &Client, ids: &[String]) -> HashMap<String, User> {
    futures::stream::iter(ids.iter().map(|id| async move {
        let user = match endpoints::user(id) {
            Ok(endpoint) => c.get(&endpoint).await.ok(),
            Err(_) => None,
        };
        user.map(|u| (id.clone(), u.user))
    }))
    .buffered(AT_ONCE)
    .filter_map(|found| async move { found })
    .collect()
    .await
}
