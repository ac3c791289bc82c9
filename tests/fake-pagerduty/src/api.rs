//! The REST API: the endpoints the app reads, in the shapes of PagerDuty's `openapiv3.json`.

use crate::data::{coverage, Data, Entry, Schedule, Target, WEB};
use crate::overrides::{self, Removal};
use crate::params::Params;
use crate::state::{now, Faults, Shared, State, TokenGrant};
use crate::time;
use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

pub const ACCEPT: &str = "application/vnd.pagerduty+json;version=2";
/// Request headers PagerDuty's CORS preflight has been seen to allow: no others.
const ALLOWED_HEADERS: &str =
    "Authorization, Content-Type, From, X-EARLY-ACCESS, X-PagerDuty-Api-Local, User-Agent";
const RATE_LIMIT: u32 = 960;
const COLORS: [&str; 5] = ["green", "purple", "teal", "orange", "red"];

#[derive(Clone)]
pub struct Api {
    pub shared: Shared,
    pub api_url: String,
    pub allowed_origins: Vec<String>,
    pub preflight_max_age: bool,
}

pub fn router(api: Api) -> Router {
    Router::new()
        .route("/_fake/faults", post(set_faults))
        .route("/_fake/revoke-all", post(revoke_all))
        .route("/_fake/counters", get(counters))
        .fallback(dispatch)
        .with_state(api)
}

type Answer = Result<Value, Failure>;

/// A private calendar feed's two addresses (`webcal://` and `https://`), as PagerDuty gives
/// them: the secret in the path is what makes them credentials.
pub fn feed(kind: &str, id: &str) -> (String, String) {
    let path = format!("acme.pagerduty.com/private/f33d5ecret{id}/feed/{kind}/{id}");
    (format!("webcal://{path}"), format!("https://{path}"))
}

/// PagerDuty's error answer: `{"error": {"message", "code", "errors"}}`.
#[derive(Debug)]
struct Failure {
    status: StatusCode,
    message: &'static str,
    code: u32,
    errors: Vec<String>,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body =
            json!({"error": {"message": self.message, "code": self.code, "errors": self.errors}});
        (self.status, axum::Json(body)).into_response()
    }
}

fn failure(status: StatusCode, message: &'static str, code: u32, errors: &[&str]) -> Failure {
    Failure {
        status,
        message,
        code,
        errors: errors.iter().map(|e| e.to_string()).collect(),
    }
}

fn error(status: StatusCode, message: &'static str, code: u32, errors: &[&str]) -> Response {
    failure(status, message, code, errors).into_response()
}

fn not_found() -> Failure {
    failure(StatusCode::NOT_FOUND, "Not Found", 2100, &[])
}

fn invalid(reason: &str) -> Failure {
    failure(
        StatusCode::BAD_REQUEST,
        "Invalid Input Provided",
        2001,
        &[reason],
    )
}

async fn dispatch(
    AxState(api): AxState<Api>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let latency = api.shared.lock().faults.latency_ms;
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let mut response = if method == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, DELETE"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOWED_HEADERS),
        );
        if api.preflight_max_age {
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
        r
    } else if method == Method::POST || method == Method::DELETE {
        change(&api, &method, &uri, &headers, &body)
    } else if method != Method::GET {
        error(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method Not Allowed",
            2000,
            &["This fake reads, and writes only overrides."],
        )
    } else {
        answer(&api, &uri, &headers)
    };
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    if let Some(origin) = origin.filter(|o| api.allowed_origins.iter().any(|a| a == o)) {
        if let Ok(value) = HeaderValue::from_str(origin) {
            let h = response.headers_mut();
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
            h.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("ratelimit-limit, ratelimit-remaining, ratelimit-reset"),
            );
            h.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
    }
    response
}

/// Everything a request must pass before it is served: the log, `Accept`, a live token, the
/// switched-on faults, and the read scope. The token's grant, or the answer that stops it.
fn admit(s: &mut State, uri: &Uri, headers: &HeaderMap) -> Result<TokenGrant, Box<Response>> {
    s.counters.api_requests += 1;
    s.api_log.push(
        uri.path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
    );
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !accept
        .split(',')
        .any(|a| a.trim().replace(' ', "") == ACCEPT)
    {
        return Err(Box::new(error(
            StatusCode::NOT_ACCEPTABLE,
            "Not Acceptable",
            2001,
            &["Send Accept: application/vnd.pagerduty+json;version=2"],
        )));
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let grant = s
        .access
        .get(token)
        .filter(|g| g.expires_at > now())
        .cloned();
    let Some(grant) = grant else {
        s.counters.unauthorized_api_requests += 1;
        return Err(Box::new(error(
            StatusCode::UNAUTHORIZED,
            "Authentication failed",
            2006,
            &["The access token is missing, invalid, expired or revoked."],
        )));
    };
    if s.faults
        .malformed_path
        .as_deref()
        .is_some_and(|p| uri.path().starts_with(p))
    {
        return Err(Box::new(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{\"members\": [{\"user\": {\"id\": \"PU0",
            )
                .into_response(),
        ));
    }
    if s.faults
        .failing_path
        .as_deref()
        .is_some_and(|p| uri.path().starts_with(p))
    {
        return Err(Box::new(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable",
            2000,
            &["This part of the fake is switched off."],
        )));
    }
    if let Some(response) = take_fault(&mut s.faults) {
        if response.status() == StatusCode::UNAUTHORIZED {
            s.counters.unauthorized_api_requests += 1;
        }
        return Err(Box::new(response));
    }
    if !grant
        .scope
        .split_whitespace()
        .any(|x| x == "read" || x == "write")
    {
        return Err(Box::new(error(
            StatusCode::FORBIDDEN,
            "Access Denied",
            2010,
            &["The token does not have the read scope."],
        )));
    }
    Ok(grant)
}

fn answer(api: &Api, uri: &Uri, headers: &HeaderMap) -> Response {
    let mut s = api.shared.lock();
    let grant = match admit(&mut s, uri, headers) {
        Ok(grant) => grant,
        Err(stopped) => return *stopped,
    };
    let p = Params::parse(uri.query().unwrap_or_default());
    let segments: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    // The answer is made without the lock: the account does not change, and a browser asking
    // for a hundred pages at once must not find them served one at a time.
    let data = s.data.clone();
    let no_teams = s.faults.no_teams_feature;
    let contact_methods_forbidden = s.faults.contact_methods_forbidden;
    let remaining = RATE_LIMIT.saturating_sub(s.counters.api_requests % RATE_LIMIT);
    drop(s);
    let ctx = Ctx {
        data: &data,
        api: &api.api_url,
        me: grant.user,
        no_teams,
    };
    let result = match segments.as_slice() {
        ["users", "me"] => Ok(json!({"user": ctx.user(ctx.me, true)})),
        ["users"] => ctx.users(&p),
        ["users", id, "contact_methods"] => ctx.contact_methods(id, contact_methods_forbidden),
        ["users", id] => ctx
            .data
            .user_by_id(id)
            .map(|u| json!({"user": ctx.user(u, true)}))
            .ok_or_else(not_found),
        ["schedules"] => ctx.schedules(&p),
        ["schedules", id] => ctx.schedule(id, &p),
        ["schedules", id, "overrides"] => ctx.overrides(id, &p),
        ["v3", "schedules"] => ctx.v3_schedules(&p),
        ["v3", "schedules", id] => ctx.v3_schedule(id, &p),
        ["v3", "schedules", id, "overrides"] => ctx.v3_overrides(id, &p),
        ["oncalls"] => ctx.oncalls(&p),
        ["escalation_policies"] => ctx.policies(&p),
        ["escalation_policies", id] => ctx
            .data
            .policies
            .iter()
            .position(|x| x.id == *id)
            .map(|i| json!({"escalation_policy": ctx.policy(i)}))
            .ok_or_else(not_found),
        ["services"] => ctx.services(&p),
        ["services", id] => ctx
            .data
            .services
            .iter()
            .position(|x| x.id == *id)
            .map(|i| json!({"service": ctx.service(i)}))
            .ok_or_else(not_found),
        ["teams"] => ctx.teams(&p),
        ["teams", id] => ctx.team_index(id).map(|t| json!({"team": ctx.team(t)})),
        ["teams", id, "members"] => ctx.members(id, &p),
        _ => Err(not_found()),
    };
    let response = match result {
        Ok(body) => (StatusCode::OK, axum::Json(body)).into_response(),
        Err(failure) => failure.into_response(),
    };
    with_rate_limit_headers(response, remaining, 60)
}

/// A POST or DELETE: overrides, of layered schedules (`/schedules/{id}/overrides`) or
/// shift-based ones (`/v3/schedules/{id}/overrides`), are all that can be changed here.
/// Admitted as any request is, then the token must carry `write` and the person's role allow
/// the schedule.
fn change(api: &Api, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Response {
    let mut s = api.shared.lock();
    s.counters.changes += 1;
    let grant = match admit(&mut s, uri, headers) {
        Ok(grant) => grant,
        Err(stopped) => return *stopped,
    };
    let denied = |why: &str| error(StatusCode::FORBIDDEN, "Access Denied", 2010, &[why]);
    if !grant.scope.split_whitespace().any(|x| x == "write") {
        return denied("The token does not have the write scope.");
    }
    let segments: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    let (v3, schedule_id, override_id) = match (method, segments.as_slice()) {
        (&Method::POST, ["schedules", id, "overrides"]) => (false, *id, None),
        (&Method::DELETE, ["schedules", id, "overrides", o]) => (false, *id, Some(*o)),
        (&Method::POST, ["v3", "schedules", id, "overrides"]) => (true, *id, None),
        (&Method::DELETE, ["v3", "schedules", id, "overrides", o]) => (true, *id, Some(*o)),
        _ => return not_found().into_response(),
    };
    let Some(schedule) = s.data.schedules.iter().position(|x| x.id == schedule_id) else {
        return not_found().into_response();
    };
    // Each API knows only its own kind of schedule, as `GET` does.
    match (v3, s.data.schedules[schedule].v3) {
        (false, true) => return not_found().into_response(),
        (true, false) => {
            return invalid("This schedule has not been upgraded to a shift-based schedule; use /schedules/{id}/overrides.").into_response()
        }
        _ => {}
    }
    if !overrides::may_override(&s.data, schedule, grant.user) {
        return denied("Your role does not allow you to change this schedule.");
    }
    let state = &mut *s;
    let data = std::sync::Arc::make_mut(&mut state.data);
    let answer = match override_id {
        None => {
            let Ok(body) = serde_json::from_slice::<Value>(body) else {
                return invalid("The body is not JSON.").into_response();
            };
            if body["overrides"].as_array().is_none_or(|a| a.is_empty()) {
                return invalid("overrides must be a list of at least one override.")
                    .into_response();
            }
            if v3 {
                match overrides::create_v3(data, schedule, &body, &mut state.overrides_made) {
                    Ok(made) => {
                        let made: Vec<Value> = made
                            .iter()
                            .map(|o| {
                                overrides::shift_override_json(data, schedule, o, &api.api_url)
                            })
                            .collect();
                        (StatusCode::CREATED, axum::Json(json!({"overrides": made})))
                            .into_response()
                    }
                    Err(errors) => {
                        let mut by_field = serde_json::Map::new();
                        for (field, why) in errors {
                            let list = by_field.entry(field).or_insert_with(|| json!([]));
                            if let Some(list) = list.as_array_mut() {
                                list.push(json!(why));
                            }
                        }
                        let body = json!({"error": {"message": "Invalid Request", "code": 2001, "errors": by_field}});
                        (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
                    }
                }
            } else {
                let answers = overrides::create(
                    data,
                    schedule,
                    &body,
                    &mut state.overrides_made,
                    &mut state.faults.refused_override_items,
                );
                (StatusCode::CREATED, axum::Json(json!(answers))).into_response()
            }
        }
        Some(id) => match overrides::remove(data, schedule, id, now()) {
            Removal::Deleted => StatusCode::NO_CONTENT.into_response(),
            // v3 documents only 204: one under way is cut short at now all the same.
            Removal::CutShort(_) if v3 => StatusCode::NO_CONTENT.into_response(),
            Removal::CutShort(o) => {
                (StatusCode::OK, axum::Json(json!({"override": o}))).into_response()
            }
            Removal::Past => {
                invalid("An override that has ended cannot be removed.").into_response()
            }
            Removal::NotFound => not_found().into_response(),
        },
    };
    if answer.status().is_success() && state.faults.lost_change_answers > 0 {
        state.faults.lost_change_answers -= 1;
        return lost(answer, true);
    }
    if answer.status().is_success() && state.faults.dropped_change_connections > 0 {
        state.faults.dropped_change_connections -= 1;
        return lost(answer, false);
    }
    answer
}

/// Instead of `answer`, a connection that drops: the change is made, and the browser never
/// learns so. With `begun`, the status line and a first byte go out first (its `fetch` then
/// fails while reading); without, nothing does (and a browser may send the request again).
fn lost(answer: Response, begun: bool) -> Response {
    use futures::StreamExt;
    let first: Vec<Result<Bytes, std::io::Error>> = match begun {
        true => vec![Ok(Bytes::from_static(b"["))],
        false => vec![],
    };
    // A moment between the first byte and the drop, so that the byte leaves first.
    let dropped = futures::stream::iter(first).chain(futures::stream::once(async move {
        if begun {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "the answer was lost",
        ))
    }));
    let mut lost = Response::new(axum::body::Body::from_stream(dropped));
    *lost.status_mut() = answer.status();
    lost.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    lost
}

/// PagerDuty's rate-limit headers: the limit, what is left, and seconds until the window resets.
fn with_rate_limit_headers(mut response: Response, remaining: u32, reset_s: u32) -> Response {
    let h = response.headers_mut();
    h.insert("ratelimit-limit", HeaderValue::from(RATE_LIMIT));
    h.insert("ratelimit-remaining", HeaderValue::from(remaining));
    h.insert("ratelimit-reset", HeaderValue::from(reset_s));
    response
}

/// Applies (and counts down) a switched-on fault.
fn take_fault(f: &mut Faults) -> Option<Response> {
    if f.unauthorized > 0 {
        f.unauthorized -= 1;
        return Some(error(
            StatusCode::UNAUTHORIZED,
            "Authentication failed",
            2006,
            &[],
        ));
    }
    if f.rate_limited > 0 {
        f.rate_limited -= 1;
        return Some(match f.rate_limit_reset_s {
            Some(reset) => with_rate_limit_headers(
                error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Rate Limit Exceeded",
                    2020,
                    &[],
                ),
                0,
                reset,
            ),
            None => StatusCode::TOO_MANY_REQUESTS.into_response(),
        });
    }
    if f.server_errors > 0 {
        f.server_errors -= 1;
        return Some(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            2000,
            &[],
        ));
    }
    if f.malformed > 0 {
        f.malformed -= 1;
        return Some(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{\"schedules\": [{\"id\": \"PS0",
            )
                .into_response(),
        );
    }
    None
}

struct Ctx<'a> {
    data: &'a Data,
    api: &'a str,
    me: usize,
    no_teams: bool,
}

/// Classic offset pagination: `limit` (default `default_limit`, at most `max_limit`),
/// `offset`, `total=true`; `offset + limit` may not pass 10000.
fn paginate(
    items: Vec<Value>,
    p: &Params,
    key: &str,
    default_limit: usize,
    max_limit: usize,
) -> Answer {
    let total = items.len();
    paginate_lazily(total, p, key, default_limit, max_limit, |range| {
        items[range].to_vec()
    })
}

/// [`paginate`] for long lists: only the requested page is rendered to JSON, so a page of a
/// 10,000-member team costs what a page costs (the fake must never be the bottleneck).
fn paginate_lazily(
    total: usize,
    p: &Params,
    key: &str,
    default_limit: usize,
    max_limit: usize,
    render: impl FnOnce(std::ops::Range<usize>) -> Vec<Value>,
) -> Answer {
    let number = |name: &str, default: usize| match p.get(name) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| invalid(&format!("{name} must be a non-negative integer"))),
    };
    let limit = number("limit", default_limit)?.clamp(1, max_limit);
    let offset = number("offset", 0)?;
    if offset + limit > 10_000 {
        return Err(invalid("Offset + limit must not exceed 10000. Use cursor-based pagination or narrow the query."));
    }
    let page = render(offset.min(total)..(offset + limit).min(total));
    Ok(json!({
        key: page,
        "limit": limit,
        "offset": offset,
        "more": offset + limit < total,
        "total": if p.get("total") == Some("true") { json!(total) } else { Value::Null },
    }))
}

fn matches_query(name: &str, p: &Params) -> bool {
    p.get("query")
        .is_none_or(|q| name.to_lowercase().contains(&q.to_lowercase()))
}

/// `since`/`until` (defaults: now, and `default_span` seconds later).
fn window(p: &Params, default_span: i64) -> Result<(i64, i64), Failure> {
    let read = |name: &str| match p.get(name) {
        None | Some("") => Ok(None),
        Some(v) => time::parse(v)
            .map(Some)
            .ok_or_else(|| invalid(&format!("{name} is not an ISO 8601 date-time"))),
    };
    let since = read("since")?.unwrap_or_else(now);
    let until = read("until")?.unwrap_or(since + default_span);
    if until < since {
        return Err(invalid("until must be after since"));
    }
    Ok((since, until))
}

impl Ctx<'_> {
    fn reference(&self, kind: &str, path: &str, id: &str, summary: &str) -> Value {
        json!({
            "id": id,
            "type": format!("{kind}_reference"),
            "summary": summary,
            "self": format!("{}/{path}/{id}", self.api),
            "html_url": format!("{WEB}/{path}/{id}"),
        })
    }

    fn user_ref(&self, u: usize) -> Value {
        let user = &self.data.users[u];
        self.reference("user", "users", &user.id, &user.name)
    }

    fn team_ref(&self, t: usize) -> Value {
        let team = &self.data.teams[t];
        self.reference("team", "teams", &team.id, &team.name)
    }

    fn schedule_ref(&self, s: &Schedule) -> Value {
        self.reference("schedule", "schedules", &s.id, &s.name)
    }

    fn policy_ref(&self, p: usize) -> Value {
        let ep = &self.data.policies[p];
        self.reference("escalation_policy", "escalation_policies", &ep.id, &ep.name)
    }

    /// The policies that have schedule `s` at some level.
    fn policy_refs(&self, s: &Schedule) -> Vec<Value> {
        let index = self.data.schedules.iter().position(|x| x.id == s.id);
        index
            .map(|i| self.data.policies_of(i))
            .unwrap_or_default()
            .into_iter()
            .map(|p| self.policy_ref(p))
            .collect()
    }

    fn service_ref(&self, v: usize) -> Value {
        let service = &self.data.services[v];
        let mut r = self.reference("service", "services", &service.id, &service.name);
        r["html_url"] = json!(format!("{WEB}/service-directory/{}", service.id));
        r
    }

    fn target_ref(&self, target: &Target) -> Value {
        match target {
            Target::User(u) => self.user_ref(*u),
            Target::Schedule(s) => self.schedule_ref(&self.data.schedules[*s]),
            Target::DeletedSchedule { id, name } => {
                self.reference("schedule", "schedules", id, name)
            }
        }
    }

    /// An escalation policy as `GET /escalation_policies` and `/escalation_policies/{id}`
    /// answer it.
    fn policy(&self, p: usize) -> Value {
        let ep = &self.data.policies[p];
        json!({
            "id": ep.id,
            "type": "escalation_policy",
            "summary": ep.name,
            "self": format!("{}/escalation_policies/{}", self.api, ep.id),
            "html_url": format!("{WEB}/escalation_policies/{}", ep.id),
            "name": ep.name,
            "description": ep.description,
            "num_loops": ep.num_loops,
            "on_call_handoff_notifications": "if_has_services",
            "escalation_rules": ep.rules.iter().enumerate().map(|(k, r)| json!({
                "id": format!("PR{p:04X}{k:02}"),
                "escalation_delay_in_minutes": r.delay_minutes,
                "targets": r.targets.iter().map(|t| self.target_ref(t)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "services": (0..self.data.services.len())
                .filter(|&v| self.data.services[v].policy == Some(p))
                .map(|v| self.service_ref(v))
                .collect::<Vec<_>>(),
            "teams": ep.team.map(|t| self.team_ref(t)).into_iter().collect::<Vec<_>>(),
        })
    }

    fn service(&self, v: usize) -> Value {
        let service = &self.data.services[v];
        let mut body = self.service_ref(v);
        body["type"] = json!("service");
        let extra = json!({
            "name": service.name,
            "description": service.description,
            "status": service.status,
            "auto_resolve_timeout": 14400,
            "acknowledgement_timeout": 1800,
            "created_at": "2025-06-02T09:00:00Z",
            "last_incident_timestamp": null,
            "escalation_policy": service.policy.map(|p| self.policy_ref(p)),
            "teams": service.team.map(|t| self.team_ref(t)).into_iter().collect::<Vec<_>>(),
            "integrations": [],
            "alert_creation": "create_alerts_and_incidents",
            "incident_urgency_rule": {"type": "constant", "urgency": "high"},
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        body
    }

    fn in_teams(&self, team: Option<usize>, p: &Params) -> bool {
        let team_ids = p.all("team_ids[]");
        team_ids.is_empty()
            || team.is_some_and(|t| team_ids.contains(&self.data.teams[t].id.as_str()))
    }

    fn policies(&self, p: &Params) -> Answer {
        let mut order: Vec<usize> = (0..self.data.policies.len())
            .filter(|&i| matches_query(&self.data.policies[i].name, p))
            .filter(|&i| self.in_teams(self.data.policies[i].team, p))
            .collect();
        order.sort_by(|&a, &b| self.data.policies[a].name.cmp(&self.data.policies[b].name));
        paginate_lazily(order.len(), p, "escalation_policies", 25, 100, |range| {
            order[range].iter().map(|&i| self.policy(i)).collect()
        })
    }

    fn services(&self, p: &Params) -> Answer {
        let mut order: Vec<usize> = (0..self.data.services.len())
            .filter(|&i| matches_query(&self.data.services[i].name, p))
            .filter(|&i| self.in_teams(self.data.services[i].team, p))
            .collect();
        order.sort_by(|&a, &b| self.data.services[a].name.cmp(&self.data.services[b].name));
        paginate_lazily(order.len(), p, "services", 25, 100, |range| {
            order[range].iter().map(|&i| self.service(i)).collect()
        })
    }

    /// `GET /users/{id}/contact_methods`: every method, each with the fields of its type.
    fn contact_methods(&self, id: &str, forbidden: bool) -> Answer {
        let u = self.data.user_by_id(id).ok_or_else(not_found)?;
        if forbidden && u != self.me {
            return Err(failure(
                StatusCode::FORBIDDEN,
                "Access Denied",
                2010,
                &["You do not have permission to view this user's contact methods."],
            ));
        }
        let user = &self.data.users[u];
        let methods: Vec<Value> = user
            .contact_methods
            .iter()
            .map(|m| {
                let mut method = json!({
                    "id": m.id,
                    "type": m.kind,
                    "summary": m.label,
                    "self": format!("{}/users/{}/contact_methods/{}", self.api, user.id, m.id),
                    "html_url": null,
                    "label": m.label,
                    "address": m.address,
                });
                let extra = match m.kind {
                    "email_contact_method" => json!({"send_short_email": false, "enabled": true}),
                    "push_notification_contact_method" => json!({
                        "device_type": m.device_type,
                        "created_at": "2025-06-01T09:00:00Z",
                        "blacklisted": false,
                        "sounds": [],
                    }),
                    _ => json!({
                        "country_code": m.country_code,
                        "enabled": true,
                        "blacklisted": false,
                    }),
                };
                if let (Some(method), Some(extra)) = (method.as_object_mut(), extra.as_object()) {
                    method.extend(extra.clone());
                }
                method
            })
            .collect();
        Ok(json!({ "contact_methods": methods }))
    }

    fn user(&self, u: usize, full: bool) -> Value {
        let user = &self.data.users[u];
        if !full {
            return self.user_ref(u);
        }
        let mut body = self.user_detail(u);
        // PagerDuty returns the feed only to the person themselves (or an admin who asks).
        if u == self.me {
            let (webcal, https) = feed("users", &user.id);
            body["web_cal_url"] = json!(webcal);
            body["http_cal_url"] = json!(https);
        }
        body
    }

    fn user_detail(&self, u: usize) -> Value {
        let user = &self.data.users[u];
        json!({
            "id": user.id,
            "type": "user",
            "summary": user.name,
            "self": format!("{}/users/{}", self.api, user.id),
            "html_url": format!("{WEB}/users/{}", user.id),
            "name": user.name,
            "email": user.email,
            "time_zone": user.time_zone,
            "color": COLORS[u % COLORS.len()],
            "role": user.role.as_str(),
            "avatar_url": "https://pd-static-assets.pagerduty.com/users/blank-avatar.png",
            "description": null,
            "invitation_sent": false,
            "job_title": user.job_title,
            "contact_methods": user.contact_methods.iter().map(|m| self.reference(m.kind, &format!("users/{}/contact_methods", user.id), &m.id, m.label)).collect::<Vec<_>>(),
            "notification_rules": [],
            "teams": user.teams.iter().map(|&t| self.team_ref(t)).collect::<Vec<_>>(),
        })
    }

    fn team(&self, t: usize) -> Value {
        let team = &self.data.teams[t];
        json!({
            "id": team.id,
            "type": "team",
            "summary": team.name,
            "self": format!("{}/teams/{}", self.api, team.id),
            "html_url": format!("{WEB}/teams/{}", team.id),
            "name": team.name,
            "description": team.description,
            "parent": null,
        })
    }

    fn schedule_summary(&self, s: &Schedule) -> Value {
        let mut users: Vec<usize> = s
            .layers
            .iter()
            .flat_map(|l| l.members.iter().flatten().copied())
            .collect();
        users.sort_unstable();
        users.dedup();
        json!({
            "id": s.id,
            "type": "schedule",
            "summary": s.name,
            "self": format!("{}/schedules/{}", self.api, s.id),
            "html_url": format!("{WEB}/schedules/{}", s.id),
            "name": s.name,
            "time_zone": s.time_zone,
            "description": s.description,
            "escalation_policies": self.policy_refs(s),
            "users": users.into_iter().map(|u| self.user_ref(u)).collect::<Vec<_>>(),
            "teams": s.teams.iter().map(|&t| self.team_ref(t)).collect::<Vec<_>>(),
        })
    }

    fn users(&self, p: &Params) -> Answer {
        let team_ids = p.all("team_ids[]");
        let items = self
            .data
            .users
            .iter()
            .enumerate()
            .filter(|(_, u)| {
                matches_query(&u.name, p) || p.get("query").is_some_and(|q| u.email.contains(q))
            })
            .filter(|(_, u)| {
                team_ids.is_empty()
                    || u.teams
                        .iter()
                        .any(|&t| team_ids.contains(&self.data.teams[t].id.as_str()))
            })
            .map(|(i, _)| self.user(i, true))
            .collect();
        paginate(items, p, "users", 25, 100)
    }

    fn schedules(&self, p: &Params) -> Answer {
        let team_ids = p.all("team_ids[]");
        // With include[]=final_schedule and a range, each item carries its rendered final schedule.
        let rendered = if p.includes("final_schedule") && p.get("since").is_some() {
            Some(window(p, 14 * 86_400)?)
        } else {
            None
        };
        let items = self
            .data
            .schedules
            .iter()
            .filter(|s| !s.v3 && matches_query(&s.name, p))
            .filter(|s| {
                team_ids.is_empty()
                    || s.teams
                        .iter()
                        .any(|&t| team_ids.contains(&self.data.teams[t].id.as_str()))
            })
            .map(|s| {
                let mut item = self.schedule_summary(s);
                if let Some((since, until)) = rendered {
                    let entries = s.final_entries(since, until);
                    item["final_schedule"] = json!({
                        "name": "Final Schedule",
                        "rendered_schedule_entries": self.entries_json(&entries),
                        "rendered_coverage_percentage": coverage(&entries, since, until),
                    });
                }
                item
            })
            .collect();
        paginate(items, p, "schedules", 25, 100)
    }

    fn find_schedule(&self, id: &str) -> Result<&Schedule, Failure> {
        self.data
            .schedules
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(not_found)
    }

    fn entries_json(&self, entries: &[Entry]) -> Vec<Value> {
        entries
            .iter()
            .filter_map(|e| Some(json!({"start": time::format(e.start), "end": time::format(e.end), "user": self.user_ref(e.user?)})))
            .collect()
    }

    fn schedule(&self, id: &str, p: &Params) -> Answer {
        let s = self.find_schedule(id)?;
        if s.v3 {
            return Err(not_found());
        }
        let (since, until) = window(p, 14 * 86_400)?;
        let mut body = self.schedule_summary(s);
        let layers: Vec<Value> = s
            .layers
            .iter()
            .map(|l| {
                let entries = l.entries(since, until);
                json!({
                    "id": l.id,
                    "name": l.name,
                    "start": time::format(l.start),
                    "end": null,
                    "rotation_virtual_start": time::format(l.rotation_virtual_start),
                    "rotation_turn_length_seconds": l.turn_seconds,
                    "users": l.members.iter().flatten().map(|&u| json!({"user": self.user_ref(u)})).collect::<Vec<_>>(),
                    "restrictions": l.daily.map(|(start, length)| vec![json!({
                        "type": "daily_restriction",
                        "start_time_of_day": format!("{:02}:{:02}:00", start / 3600, start / 60 % 60),
                        "duration_seconds": length,
                    })]).unwrap_or_default(),
                    "rendered_schedule_entries": self.entries_json(&entries),
                    "rendered_coverage_percentage": coverage(&entries, since, until),
                })
            })
            .collect();
        let overrides = s.override_entries(since, until);
        let final_entries = s.final_entries(since, until);
        body["schedule_layers"] = json!(layers);
        body["overrides_subschedule"] = json!({
            "name": "Overrides",
            "rendered_schedule_entries": self.entries_json(&overrides),
            "rendered_coverage_percentage": coverage(&overrides, since, until),
        });
        let (webcal, https) = feed("schedules", &s.id);
        body["web_cal_url"] = json!(webcal);
        body["http_cal_url"] = json!(https);
        body["final_schedule"] = json!({
            "name": "Final Schedule",
            "rendered_schedule_entries": self.entries_json(&final_entries),
            "rendered_coverage_percentage": coverage(&final_entries, since, until),
        });
        Ok(json!({"schedule": body}))
    }

    /// `GET /schedules/{id}/overrides`: those overlapping `[since, until)`, cut to it unless
    /// `overflow=true`; `editable=true` leaves only those the asker may remove.
    fn overrides(&self, id: &str, p: &Params) -> Answer {
        let schedule = self
            .data
            .schedules
            .iter()
            .position(|s| s.id == id && !s.v3)
            .ok_or_else(not_found)?;
        let (since, until) = window(p, 14 * 86_400)?;
        let flag = |name| p.get(name) == Some("true");
        let editable = flag("editable").then_some((self.me, now()));
        let list = overrides::list(
            self.data,
            schedule,
            since,
            until,
            flag("overflow"),
            editable,
        );
        Ok(json!({"overrides": list}))
    }

    /// `GET /v3/schedules/{id}/overrides`: `since` and `until` required; those overlapping the
    /// range, cut to it unless `overflow=true`, a page at a time (25 by default, 100 at most).
    fn v3_overrides(&self, id: &str, p: &Params) -> Answer {
        let s = self.find_schedule(id)?;
        if !s.v3 {
            return Err(invalid("This schedule has not been upgraded to a shift-based schedule; use /schedules/{id}/overrides."));
        }
        if p.get("since").is_none() || p.get("until").is_none() {
            return Err(invalid("since and until are required."));
        }
        let (since, until) = window(p, 0)?;
        let schedule = self
            .data
            .schedules
            .iter()
            .position(|x| x.id == id)
            .unwrap_or(0);
        let overflow = p.get("overflow") == Some("true");
        let items: Vec<Value> = s
            .overrides
            .iter()
            .filter(|o| o.end > since && o.start < until)
            .map(|o| {
                let shown = match overflow {
                    true => o.clone(),
                    false => crate::data::Override {
                        start: o.start.max(since),
                        end: o.end.min(until),
                        ..o.clone()
                    },
                };
                overrides::shift_override_json(self.data, schedule, &shown, self.api)
            })
            .collect();
        paginate(items, p, "overrides", 25, 100)
    }

    fn v3_schedules(&self, p: &Params) -> Answer {
        let items = self
            .data
            .schedules
            .iter()
            .filter(|s| s.v3 && matches_query(&s.name, p))
            .map(|s| {
                json!({
                    "id": s.id,
                    "type": "schedule_v3_reference",
                    "summary": s.name,
                    "self": format!("{}/v3/schedules/{}", self.api, s.id),
                    "html_url": format!("{WEB}/schedules/{}", s.id),
                })
            })
            .collect();
        paginate(items, p, "schedules", 100, 1000)
    }

    fn v3_schedule(&self, id: &str, p: &Params) -> Answer {
        let s = self.find_schedule(id)?;
        if !s.v3 {
            return Err(invalid("This schedule has not been upgraded to a shift-based schedule; use /schedules/{id}."));
        }
        let mut body = json!({
            "id": s.id,
            "type": "schedule_v3",
            "name": s.name,
            "time_zone": s.time_zone,
            "description": s.description,
            "teams": s.teams.iter().map(|&t| self.team_ref(t)).collect::<Vec<_>>(),
            "escalation_policies": self.policy_refs(s),
            "rotations": s.layers.iter().map(|l| json!({"id": l.id, "type": "schedule_rotation"})).collect::<Vec<_>>(),
            "self": format!("{}/v3/schedules/{}", self.api, s.id),
            "html_url": format!("{WEB}/schedules/{}", s.id),
        });
        if p.includes("final_schedule") && p.get("since").is_some() && p.get("until").is_some() {
            let (since, until) = window(p, 0)?;
            let assignments = s.computed_assignments(since, until);
            let entries: Vec<Entry> = assignments.iter().map(|a| a.entry).collect();
            body["final_schedule"] = json!({
                "type": "final_schedule",
                "rendered_coverage_percentage": coverage(&entries, since, until),
                "computed_shift_assignments": assignments.iter().map(|a| json!({
                    "type": "computed_shift_assignment",
                    "start_time": time::format(a.entry.start),
                    "end_time": time::format(a.entry.end),
                    "member": overrides::member_json(self.data, a.entry.user),
                    "source": match &a.override_id {
                        Some(id) => json!({"type": "schedule_rotation_override", "rotation_id": s.layers[a.rotation].id, "override_id": id}),
                        None => json!({"type": "schedule_rotation", "rotation_id": s.layers[a.rotation].id}),
                    },
                })).collect::<Vec<_>>(),
            });
        }
        Ok(json!({"schedule": body}))
    }

    /// `GET /oncalls`: for every level of every policy, each person a level names (on call for
    /// good: no start or end) and each shift of the schedules it names, overlapping
    /// `[since, until]` (both default to now). Filters: `escalation_policy_ids[]`,
    /// `schedule_ids[]` (which leaves out people named directly), `user_ids[]`; `earliest`
    /// keeps each person's first entry per policy and level.
    fn oncalls(&self, p: &Params) -> Answer {
        let (since, until) = window(p, 0)?;
        if until - since > 90 * 86_400 {
            return Err(invalid(
                "The range between since and until must not exceed 90 days.",
            ));
        }
        let policy_ids = p.all("escalation_policy_ids[]");
        let user_ids = p.all("user_ids[]");
        let schedule_ids = p.all("schedule_ids[]");
        let full_users = p.includes("users");
        // Shifts are reported whole, not cut to the window: render a margin around it.
        let margin = 14 * 86_400;
        let mut rendered: HashMap<usize, Vec<Entry>> = HashMap::new();
        let mut shifts_of = |s: usize| -> Vec<Entry> {
            rendered
                .entry(s)
                .or_insert_with(|| {
                    let schedule = &self.data.schedules[s];
                    if schedule.v3 {
                        schedule
                            .computed_assignments(since - margin, until + margin)
                            .into_iter()
                            .map(|a| a.entry)
                            .collect()
                    } else {
                        schedule.final_entries(since - margin, until + margin)
                    }
                })
                .clone()
        };
        // (sort key, entry, (user, policy, level)).
        let mut rows: Vec<(i64, Value, (usize, usize, usize))> = vec![];
        for (pi, policy) in self.data.policies.iter().enumerate() {
            if !policy_ids.is_empty() && !policy_ids.contains(&policy.id.as_str()) {
                continue;
            }
            for (li, rule) in policy.rules.iter().enumerate() {
                for target in &rule.targets {
                    let (schedule, entries) = match target {
                        Target::User(u) if schedule_ids.is_empty() => (None, vec![(*u, None)]),
                        Target::Schedule(s)
                            if schedule_ids.is_empty()
                                || schedule_ids.contains(&self.data.schedules[*s].id.as_str()) =>
                        {
                            let overlapping = shifts_of(*s)
                                .into_iter()
                                .filter(|e| {
                                    e.start <= until
                                        && e.end > since
                                        && !(since == until && e.end == since)
                                })
                                .filter_map(|e| e.user.map(|u| (u, Some((e.start, e.end)))))
                                .collect();
                            (Some(&self.data.schedules[*s]), overlapping)
                        }
                        _ => continue,
                    };
                    for (u, span) in entries {
                        if !(user_ids.is_empty()
                            || user_ids.contains(&self.data.users[u].id.as_str()))
                        {
                            continue;
                        }
                        rows.push((
                            span.map_or(i64::MIN, |(start, _)| start),
                            json!({
                                "escalation_policy": self.policy_ref(pi),
                                "escalation_level": li + 1,
                                "schedule": schedule.map(|s| self.schedule_ref(s)),
                                "user": self.user(u, full_users),
                                "start": span.map(|(start, _)| time::format(start)),
                                "end": span.map(|(_, end)| time::format(end)),
                            }),
                            (u, pi, li),
                        ));
                    }
                }
            }
        }
        rows.sort_by_key(|(start, _, (u, policy, level))| (*start, *policy, *level, *u));
        if p.get("earliest") == Some("true") {
            let mut seen = HashSet::new();
            rows.retain(|(_, _, key)| seen.insert(*key));
        }
        paginate(
            rows.into_iter().map(|(_, v, _)| v).collect(),
            p,
            "oncalls",
            25,
            100,
        )
    }

    fn teams(&self, p: &Params) -> Answer {
        if self.no_teams {
            return Err(failure(
                StatusCode::PAYMENT_REQUIRED,
                "Account does not have the teams feature",
                2012,
                &[],
            ));
        }
        let items = (0..self.data.teams.len())
            .filter(|&t| matches_query(&self.data.teams[t].name, p))
            .map(|t| self.team(t))
            .collect();
        paginate(items, p, "teams", 25, 100)
    }

    fn team_index(&self, id: &str) -> Result<usize, Failure> {
        if self.no_teams {
            return Err(failure(
                StatusCode::PAYMENT_REQUIRED,
                "Account does not have the teams feature",
                2012,
                &[],
            ));
        }
        self.data
            .teams
            .iter()
            .position(|t| t.id == id)
            .ok_or_else(not_found)
    }

    fn members(&self, id: &str, p: &Params) -> Answer {
        let t = self.team_index(id)?;
        let full = p.includes("users");
        let members = &self.data.teams[t].members;
        paginate_lazily(members.len(), p, "members", 25, 100, |range| {
            members[range]
                .iter()
                .map(|&(u, role)| json!({"user": self.user(u, full), "role": role}))
                .collect()
        })
    }
}

async fn set_faults(AxState(api): AxState<Api>, body: Bytes) -> Response {
    match serde_json::from_slice::<Faults>(&body) {
        Ok(faults) => {
            api.shared.lock().faults = faults;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

async fn revoke_all(AxState(api): AxState<Api>) -> Response {
    revoke_everything(&mut api.shared.lock());
    StatusCode::NO_CONTENT.into_response()
}

pub fn revoke_everything(s: &mut State) {
    s.access.clear();
    s.refresh.clear();
}

async fn counters(AxState(api): AxState<Api>, _q: RawQuery) -> Response {
    let c = api.shared.lock().counters.clone();
    axum::Json(json!({
        "authorize_pages": c.authorize_pages,
        "codes_issued": c.codes_issued,
        "code_exchanges": c.code_exchanges,
        "rejected_exchanges": c.rejected_exchanges,
        "refreshes": c.refreshes,
        "revocations": c.revocations,
        "api_requests": c.api_requests,
        "unauthorized_api_requests": c.unauthorized_api_requests,
    }))
    .into_response()
}
