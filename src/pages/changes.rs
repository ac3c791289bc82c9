//! The overrides the cover views read, make and remove, on either kind of schedule: layered (v2,
//! `/schedules/{id}/overrides`) and shift-based (v3, `/v3/schedules/{id}/overrides`, where each
//! override names the rotation and the person it replaces, read from the final schedule just
//! before sending). Whatever the kind, an override comes back in one shape ([`Override`]), so
//! the views and `oncall_core::cover`'s rules need not know which.
//!
//! Every change is sent once (`Client::change`: no cache, no retry). Without an answer, the
//! overrides are read back to learn what was made; afterwards, copies a browser's own resend
//! left are removed.

use crate::client::{loads, Client};
use oncall_core::api::endpoints;
use oncall_core::api::{status_error, ApiError};
use oncall_core::cover;
use oncall_core::http::HttpResponse;
use oncall_core::overrides::{self, Cover, Outcome, Override, Removed};
use oncall_core::shift_overrides::{self, Item};
use oncall_core::time::{parse_iso, Window};

/// A schedule whose overrides change: its ID, its name (for sentences), and its kind.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Target {
    pub id: String,
    pub name: String,
    pub shift_based: bool,
}

/// What became of one cover: the overrides made for it (one on a layered schedule; one per
/// rotation it touches on a shift-based one), or why not, in words.
pub(crate) type Made = Result<Vec<Override>, String>;

/// The overrides of `target` overlapping `window`, at their full length; `fresh`: asked of
/// PagerDuty now, never a kept answer (before a change, and to read one back).
pub(crate) async fn read(
    client: &Client,
    target: &Target,
    window: Window,
    fresh: bool,
) -> Result<Vec<Override>, ApiError> {
    if !target.shift_based {
        let list = overrides::list(&target.id, window)?;
        let answer = match fresh {
            true => client.get_now(&list).await,
            false => client.get(&list).await,
        };
        return answer.map(|l| l.overrides);
    }
    let list = shift_overrides::list(&target.id, window)?;
    let answer = match fresh {
        true => client.get_now(&list).await?,
        false => client.get(&list).await?,
    };
    let mut ids: Vec<String> = answer
        .overrides
        .iter()
        .filter_map(|o| o.user_id().map(str::to_string))
        .collect();
    ids.sort();
    ids.dedup();
    let names = loads::names(client, &ids).await;
    Ok(answer
        .overrides
        .iter()
        .map(|o| o.as_override(|id| names.get(id).cloned().unwrap_or_else(|| id.to_string())))
        .collect())
}

/// From the first cover's start to the last one's end.
fn span(covers: &[Cover]) -> Window {
    Window {
        start: covers.iter().map(|c| c.start).min().unwrap_or_default(),
        end: covers.iter().map(|c| c.end).max().unwrap_or_default(),
    }
}

/// Sends `covers` of `target` in one request, once, and says what became of each, in order. On
/// a shift-based schedule each cover replaces `replacing` (or, without, whoever is there and not
/// the person covering: see `shift_overrides::plan`). `Err` when the whole request was refused
/// or failed (nothing was made). `before`: the overrides there before, so that a copy a browser's
/// own resend made (Chromium sends a request again by itself when its connection closes before
/// any answer arrives, even a POST) is told from them and removed; a copy has the same start,
/// end and person as one made here, so removing it changes nothing anyone sees.
pub(crate) async fn send_covers(
    client: &Client,
    target: &Target,
    covers: &[Cover],
    replacing: Option<&str>,
    time_zone: &str,
    before: &[Override],
) -> Result<Vec<Made>, String> {
    let results = match target.shift_based {
        false => send_layered(client, target, covers, time_zone).await?,
        true => send_shift_based(client, target, covers, replacing).await?,
    };
    if results.iter().any(Result::is_ok) {
        if let Ok(now) = read(client, target, span(covers), true).await {
            for made in results.iter().flatten().flatten() {
                for id in cover::copies(&now, made, before) {
                    // A copy that stays is the same override twice: harmless, and no one to tell.
                    let _ = remove(client, target, &id, None).await;
                }
            }
        }
    }
    Ok(results)
}

/// Reads the overrides again to learn which `wanted` (per cover, the windows and people it
/// asked for) were made, when no answer said.
async fn read_back(
    client: &Client,
    target: &Target,
    covers: &[Cover],
    wanted: &[Vec<(Window, String)>],
) -> Result<Vec<Made>, String> {
    let now = read(client, target, span(covers), true).await.map_err(|_| {
        "PagerDuty did not answer, and could not be asked whether the overrides were made. Reload this page before you try again.".to_string()
    })?;
    Ok(wanted
        .iter()
        .map(|parts| {
            parts
                .iter()
                .map(|(w, who)| cover::made(&now, *w, who).cloned())
                .collect::<Option<Vec<Override>>>()
                .filter(|made| !made.is_empty())
                .ok_or_else(|| {
                    "PagerDuty did not answer, and has no such override: it was not made. Try again.".to_string()
                })
        })
        .collect())
}

/// Why a whole request failed, in words: a 403 names the schedule and who usually may.
fn refused(target: &Target, response: &HttpResponse) -> String {
    if response.status == 403 {
        return overrides::refusal(&target.name);
    }
    match status_error(response) {
        Some(ApiError::NotFound) => format!(
            "PagerDuty has no schedule {} any more: it may have been deleted. Nothing was changed.",
            target.name
        ),
        Some(e) => format!("Nothing was changed: {e}"),
        None => format!(
            "PagerDuty answered {}: nothing was changed.",
            response.status
        ),
    }
}

async fn send_layered(
    client: &Client,
    target: &Target,
    covers: &[Cover],
    time_zone: &str,
) -> Result<Vec<Made>, String> {
    let post = overrides::create(&target.id, covers, time_zone).map_err(|e| e.to_string())?;
    let wanted: Vec<Vec<(Window, String)>> = covers
        .iter()
        .map(|c| {
            vec![(
                Window {
                    start: c.start,
                    end: c.end,
                },
                c.user_id.clone(),
            )]
        })
        .collect();
    let answer = client
        .change(|api| api.post_json(&post.path, post.body.clone()))
        .await;
    match answer {
        Ok(response) if response.status == 201 => match overrides::outcomes(&response.body) {
            Ok(items) => Ok((0..covers.len())
                .map(|i| match items.get(i) {
                    Some(Outcome::Created(made)) => Ok(vec![made.clone()]),
                    Some(Outcome::Refused { reasons, .. }) if !reasons.is_empty() => {
                        Err(reasons.join("; "))
                    }
                    Some(Outcome::Refused { status, .. }) => Err(format!("refused ({status})")),
                    None => Err("PagerDuty's answer did not mention it".into()),
                })
                .collect()),
            Err(_) => read_back(client, target, covers, &wanted).await,
        },
        Ok(response) => Err(refused(target, &response)),
        Err(ApiError::Network) => read_back(client, target, covers, &wanted).await,
        Err(e) => Err(format!("Nothing was changed: {e}")),
    }
}

/// On a shift-based schedule: the final schedule over the covers, read now, says which rotation
/// and person each part replaces; every part of every cover goes in one request, made all or
/// none.
async fn send_shift_based(
    client: &Client,
    target: &Target,
    covers: &[Cover],
    replacing: Option<&str>,
) -> Result<Vec<Made>, String> {
    let schedule = endpoints::schedule_v3(&target.id, span(covers)).map_err(|e| e.to_string())?;
    let schedule = client
        .get_now(&schedule)
        .await
        .map_err(|e| format!("Nothing was changed: {e}"))?
        .schedule;
    let assignments = schedule
        .final_schedule
        .map(|f| f.computed_shift_assignments)
        .unwrap_or_default();
    let rotations: Vec<String> = schedule.rotations.into_iter().map(|r| r.id).collect();
    let plans: Vec<Vec<Item>> = covers
        .iter()
        .map(|c| shift_overrides::plan(&assignments, &rotations, c, replacing))
        .collect();
    let items: Vec<Item> = plans.iter().flatten().cloned().collect();
    let nothing = || {
        format!(
            "Nothing was changed: on {}, whoever this was to replace is not on call then (any more). Reload to see who is.",
            target.name
        )
    };
    if items.is_empty() {
        return Err(nothing());
    }
    let post = shift_overrides::create(&target.id, &items).map_err(|e| e.to_string())?;
    let wanted: Vec<Vec<(Window, String)>> = plans
        .iter()
        .map(|plan| {
            plan.iter()
                .map(|i| {
                    (
                        Window {
                            start: i.start,
                            end: i.end,
                        },
                        i.overriding.clone(),
                    )
                })
                .collect()
        })
        .collect();
    let answer = client
        .change(|api| api.post_json(&post.path, post.body.clone()))
        .await;
    let made = match answer {
        Ok(response) if response.status == 201 => match shift_overrides::created(&response.body) {
            Ok(made) if made.len() == items.len() => made,
            _ => return read_back(client, target, covers, &wanted).await,
        },
        Ok(response) => return Err(refused(target, &response)),
        Err(ApiError::Network) => return read_back(client, target, covers, &wanted).await,
        Err(e) => return Err(format!("Nothing was changed: {e}")),
    };
    // Made in the order asked: each cover's parts, one after another.
    let names = loads::names(
        client,
        &covers.iter().map(|c| c.user_id.clone()).collect::<Vec<_>>(),
    )
    .await;
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut made = made.iter();
    Ok(plans
        .iter()
        .map(|plan| {
            let mine: Vec<Override> = made
                .by_ref()
                .take(plan.len())
                .map(|o| o.as_override(name))
                .collect();
            match mine.is_empty() {
                true => Err(nothing()),
                false => Ok(mine),
            }
        })
        .collect())
}

/// Removes override `id` of `target`, sent once: what PagerDuty did, or why not in words. A
/// layered schedule says whether it was removed (204) or, under way, cut short at now (200); a
/// shift-based one answers 204 either way, so `start` (when the override begins, if known) tells.
pub(crate) async fn remove(
    client: &Client,
    target: &Target,
    id: &str,
    start: Option<&str>,
) -> Result<Removed, String> {
    let path = match target.shift_based {
        false => overrides::delete(&target.id, id),
        true => shift_overrides::delete(&target.id, id),
    }
    .map_err(|e| e.to_string())?;
    let began = start
        .and_then(parse_iso)
        .is_some_and(|s| s as f64 <= crate::browser::now_ms());
    match client.change(|api| api.delete(&path)).await {
        Ok(r) if target.shift_based && r.status == 204 && began => Ok(Removed::CutShort),
        Ok(r) => overrides::removed(r.status).ok_or_else(|| match status_error(&r) {
            Some(e) => format!("The override was not removed: {e}"),
            None => format!(
                "PagerDuty answered {}: the override was not removed.",
                r.status
            ),
        }),
        Err(e) => Err(format!(
            "The override may not have been removed: {e} Reload to see."
        )),
    }
}

/// Removes every override of one change (a cover on a shift-based schedule may have made
/// several), each once, stopping at the first that fails.
pub(crate) async fn remove_all(
    client: &Client,
    target: &Target,
    made: &[Override],
) -> Result<Removed, String> {
    let mut outcome = Removed::Deleted;
    for o in made {
        let Some(id) = &o.id else { continue };
        if remove(client, target, id, Some(&o.start)).await? == Removed::CutShort {
            outcome = Removed::CutShort;
        }
    }
    Ok(outcome)
}
