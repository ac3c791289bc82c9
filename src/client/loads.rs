//! Loads that take several requests, in one place: a schedule of either kind (and the names
//! its people need), an escalation policy with who is on call at each level, the signed-in
//! person's shifts and where they stand in each policy, and the services and policies lists.
//! Each is a plain async function of a [`Client`]; views call them from `client::resource`.

use super::{settled, ApiResource, Client, Listing, Progress};
use crate::browser::{self, now_ms};
use leptos::prelude::{document, RwSignal};
use oncall_core::api::types::{EscalationPolicy, OnCall, Reference, User};
use oncall_core::api::{self, endpoints, ApiError};
use oncall_core::levels::{self, YourLevel};
use oncall_core::routes::Route;
use oncall_core::schedule_reader::{Entries, Reader, V2Reader, V3Reader};
use oncall_core::time::{Millis, Window, DAY, MINUTE};
use oncall_core::timeline::Timeline;
use std::collections::HashMap;

thread_local! {
    /// Schedules PagerDuty has said are layered (v3 answered 400), for as long as the page is
    /// open: asked for with the layered API straight away from then on, so a renewal costs one
    /// request, not a refused one and then the real one. At most one ID per schedule seen.
    static LAYERED: std::cell::RefCell<std::collections::HashSet<String>> =
        std::cell::RefCell::new(std::collections::HashSet::new());
}

/// Forgets which schedules are layered (the Refresh button: a schedule may have been upgraded
/// to shift-based meanwhile).
pub fn forget_schedule_kinds() {
    LAYERED.with(|l| l.borrow_mut().clear());
}

/// A schedule's timeline for `window`. Shift-based (v3) first; PagerDuty answers 400 for a
/// schedule that has not been upgraded, and then the layered (v2) API has it.
pub async fn timeline(client: &Client, id: &str, window: Window) -> Result<Timeline, ApiError> {
    timeline_named(client, id, window, true).await
}

/// [`timeline`], with a shift-based schedule's people named (a request per person) only when
/// `named`: what only counts who is on call, and when, needs no names.
pub async fn timeline_named(
    client: &Client,
    id: &str,
    window: Window,
    named: bool,
) -> Result<Timeline, ApiError> {
    if let Some(text) = shift_based_answer(client, id, window).await? {
        let (schedule, undecodable) = read_in_slices(V3Reader::new(text), V3Reader::finish).await?;
        let names = match named {
            true => names(client, &Timeline::v3_user_ids(&schedule)).await,
            false => HashMap::new(),
        };
        let mut timeline = Timeline::from_v3(&schedule, &names);
        timeline.unreadable += undecodable;
        return Ok(timeline);
    }
    let text = answer(client, &endpoints::schedule(id, window)?).await?;
    read_in_slices(V2Reader::new(text), V2Reader::finish).await
}

/// Whether schedule `id` is shift-based (v3), as PagerDuty answers for it over `window`.
pub async fn is_shift_based(client: &Client, id: &str, window: Window) -> Result<bool, ApiError> {
    Ok(shift_based_answer(client, id, window).await?.is_some())
}

/// The shift-based (v3) API's answer for schedule `id` over `window`, or `None` when the
/// schedule is layered: v3 answers 400 for one that has not been upgraded (remembered in
/// [`LAYERED`]), and 404 or 403 for one it does not show, which the layered API then answers.
async fn shift_based_answer(
    client: &Client,
    id: &str,
    window: Window,
) -> Result<Option<String>, ApiError> {
    if LAYERED.with(|l| l.borrow().contains(id)) {
        return Ok(None);
    }
    match answer(client, &endpoints::schedule_v3(id, window)?).await {
        Ok(text) => Ok(Some(text)),
        Err(ApiError::Other { status: 400, .. }) => {
            LAYERED.with(|l| l.borrow_mut().insert(id.to_string()));
            Ok(None)
        }
        Err(ApiError::NotFound | ApiError::Forbidden(_)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The text of an answer, for a reader to decode.
async fn answer<T>(client: &Client, endpoint: &endpoints::Get<T>) -> Result<String, ApiError> {
    let query = endpoints::pairs(&endpoint.query);
    let response = client.send(&endpoint.path, &query).await?;
    match api::status_error(&response) {
        Some(error) => Err(error),
        None => Ok(response.body),
    }
}

/// Reads a schedule's answer a slice at a time, giving the page back to the browser every few
/// milliseconds: two weeks of a busy schedule (100,000 entries, 25 MB) read at once would
/// block it for a quarter of a second. A hidden tab reads it in one go (its timers are slowed
/// to one a second, and nobody is waiting on its input).
async fn read_in_slices<E: Entries + Default, T>(
    mut reader: Reader<E>,
    finish: fn(Reader<E>) -> Result<T, String>,
) -> Result<T, ApiError> {
    const SLICE_BYTES: usize = 64 * 1024;
    let mut since = now_ms();
    while reader.step(SLICE_BYTES) {
        if now_ms() - since >= browser::paint::BUDGET_MS && !document().hidden() {
            browser::sleep(0).await;
            since = now_ms();
        }
    }
    finish(reader).map_err(ApiError::Decode)
}

/// Names for user IDs, fetched together; an ID that cannot be looked up keeps no name.
pub async fn names(client: &Client, ids: &[String]) -> HashMap<String, String> {
    let lookups = ids.iter().map(|id| async move {
        let user = match endpoints::user(id) {
            Ok(endpoint) => client.get(&endpoint).await,
            Err(error) => Err(error),
        };
        user.ok()
            .map(|u| (id.clone(), u.user.display_name().to_string()))
    });
    futures::future::join_all(lookups)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// How far ahead a policy's "next" looks.
pub const POLICY_LOOKAHEAD_DAYS: i64 = 7;

/// A policy and its `/oncalls` entries from `start` over [`POLICY_LOOKAHEAD_DAYS`], and where
/// they end.
pub async fn policy(
    c: &Client,
    id: &str,
    start: Millis,
) -> Result<(EscalationPolicy, Vec<OnCall>, Millis), ApiError> {
    let window = Window {
        start,
        end: start + POLICY_LOOKAHEAD_DAYS * DAY,
    };
    let (policy, oncalls) = futures::future::join(
        c.get(&endpoints::escalation_policy(id)?),
        c.all(&endpoints::policy_oncalls(&[id.to_string()], window), None),
    )
    .await;
    Ok((policy?.escalation_policy, oncalls?.items, window.end))
}

/// `/oncalls` looks at most 90 days ahead.
pub const MY_HORIZON_DAYS: i64 = 90;

/// The signed-in person, and their shifts from `start` over [`MY_HORIZON_DAYS`]. The ID token
/// usually names them (`known_id`), so their shifts and their profile load side by side; only
/// without it must the shifts wait for `/users/me`.
pub async fn my_shifts(
    c: &Client,
    me: ApiResource<User>,
    known_id: Option<String>,
    start: Millis,
) -> Result<(User, Vec<OnCall>, Window), ApiError> {
    let horizon = Window {
        start,
        end: start + MY_HORIZON_DAYS * DAY,
    };
    let shifts =
        |id: String| async move { c.all(&endpoints::user_oncalls(&id, horizon), None).await };
    let (user, list) = match known_id {
        Some(id) => {
            let (user, list) = futures::future::join(settled(me), shifts(id.clone())).await;
            let user = user?;
            // The shifts shown are those of whom PagerDuty says is signed in: an ID token that
            // names someone else is not taken at its word.
            let list = if user.id == id {
                list?
            } else {
                shifts(user.id.clone()).await?
            };
            (user, list)
        }
        None => {
            let user = settled(me).await?;
            let list = shifts(user.id.clone()).await?;
            (user, list)
        }
    };
    Ok((user, list.items, horizon))
}

/// Where the person stands in each policy of `moments` (policy, their level, when): how deep
/// the policy is and who is on call at each level at that moment (two requests per policy).
pub async fn your_levels(
    c: &Client,
    moments: Vec<(Reference, u32, Millis)>,
) -> Result<Vec<YourLevel>, ApiError> {
    let asks = moments.iter().map(|(policy, _, at)| {
        let window = Window {
            start: *at,
            end: *at + MINUTE,
        };
        let id = policy.id.clone();
        async move {
            let (p, o) = futures::future::join(
                c.get(&endpoints::escalation_policy_levels(&id)?),
                c.all(
                    &endpoints::policy_oncalls(std::slice::from_ref(&id), window),
                    None,
                ),
            )
            .await;
            Ok::<_, ApiError>((id, p?.levels(), o?.items))
        }
    });
    let mut depths = vec![];
    let mut theirs = vec![];
    for answer in futures::future::join_all(asks).await {
        let (id, depth, items) = answer?;
        depths.push((id, depth));
        theirs.extend(items);
    }
    let depth = |id: &str| depths.iter().find(|(p, _)| p == id).map(|(_, d)| *d);
    Ok(levels::your_levels(
        &moments,
        &theirs,
        depth,
        now_ms() as Millis,
    ))
}

/// The two lists of "who do I page": services, or escalation policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Directory {
    Services,
    EscalationPolicies,
}

/// One row of a [`Directory`]: a service or a policy, and the policy whose first level it
/// shows.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectoryRow {
    pub route: Route,
    pub name: String,
    /// A service's status.
    pub status: String,
    pub teams: Vec<Reference>,
    pub policy: Option<Reference>,
}

/// A [`Directory`] with who is on call at each row's first level.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectoryData {
    pub rows: Listing<DirectoryRow>,
    /// `Err`: who is on call could not be loaded; the list still shows.
    pub oncalls: Result<Vec<OnCall>, String>,
}

/// Every row of `kind` matching the search `q`, of `team` when not empty, and who is on call
/// over the day from `start` (now, and whoever takes over before the next renewal).
pub async fn directory(
    c: &Client,
    kind: Directory,
    q: &str,
    team: &str,
    start: Millis,
    progress: RwSignal<Progress>,
) -> Result<DirectoryData, ApiError> {
    if !team.is_empty() {
        api::check_id(team)?;
    }
    let window = Window {
        start,
        end: start + DAY,
    };
    let (rows, oncalls) = futures::future::join(
        directory_rows(c, kind, q, team, progress),
        c.all(&endpoints::earliest_oncalls(window), None),
    )
    .await;
    let oncalls = match oncalls {
        Ok(list) => Ok(list.items),
        Err(ApiError::Unauthorized) => return Err(ApiError::Unauthorized),
        Err(e) => Err(e.to_string()),
    };
    Ok(DirectoryData {
        rows: rows?,
        oncalls,
    })
}

async fn directory_rows(
    c: &Client,
    kind: Directory,
    q: &str,
    team: &str,
    progress: RwSignal<Progress>,
) -> Result<Listing<DirectoryRow>, ApiError> {
    Ok(match kind {
        Directory::Services => c
            .all(&endpoints::services(q, team), Some(progress))
            .await?
            .map(|s| DirectoryRow {
                route: Route::Service(s.id.clone()),
                name: s.display_name().to_string(),
                status: s.status,
                teams: s.teams,
                policy: s.escalation_policy,
            }),
        Directory::EscalationPolicies => c
            .all(&endpoints::escalation_policies(q, team), Some(progress))
            .await?
            .map(|p| {
                let name = p.display_name().to_string();
                DirectoryRow {
                    route: Route::EscalationPolicy(p.id.clone()),
                    name: name.clone(),
                    status: String::new(),
                    teams: p.teams,
                    policy: Some(Reference {
                        id: p.id,
                        summary: name,
                        html_url: None,
                    }),
                }
            }),
    })
}
