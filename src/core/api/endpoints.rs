//! Every request the app makes of PagerDuty's REST API, one function each: the path (IDs
//! escaped, so an ID can never add a segment), the query (with PagerDuty's parameter names,
//! checked against `openapiv3.json` by the tests below), and for a list, the key its items come
//! under. The type parameter is what the answer decodes as, so a page cannot ask for one thing
//! and read another. Pages call these; nothing else spells an API path.

use super::types::{
    ContactMethodsEnvelope, EscalationPolicy, EscalationPolicyEnvelope, OnCall,
    PolicyLevelsEnvelope, Reference, Schedule, ScheduleDetail, ScheduleEnvelope,
    ScheduleV3Envelope, Service, ServiceEnvelope, Team, TeamEnvelope, TeamMember, User,
    UserEnvelope,
};
use super::{check_id, ApiError, MAX_LIMIT};
use crate::form;
use crate::time::{format_iso_utc, Window};
use std::marker::PhantomData;

/// Query pairs: PagerDuty's parameter name and its value (arrays as repeated `name[]`).
pub type Query = Vec<(&'static str, String)>;

/// A GET of one resource, decoded as `T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Get<T> {
    pub path: String,
    pub query: Query,
    answer: PhantomData<fn() -> T>,
}

/// A GET of a paged list whose items, of type `T`, come under `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<T> {
    pub path: String,
    pub query: Query,
    pub key: &'static str,
    item: PhantomData<fn() -> T>,
}

impl<T> Get<T> {
    /// A GET of `path` with `query`, for a module of the core that spells its own paths (IDs
    /// checked there as here).
    pub(crate) fn with(path: String, query: Query) -> Self {
        Self::new(path, query)
    }

    fn new(path: String, query: Query) -> Self {
        Self {
            path,
            query,
            answer: PhantomData,
        }
    }
}

impl<T> List<T> {
    fn new(path: String, query: Query, key: &'static str) -> Self {
        Self {
            path,
            query,
            key,
            item: PhantomData,
        }
    }

    /// The query of the page at `offset`: the largest page PagerDuty serves, and the total, so
    /// that every other page can be asked for at once.
    pub fn page_query(&self, offset: u32) -> Query {
        page_query(&self.query, offset)
    }
}

/// `query` for the page at `offset` (see [`List::page_query`]), for code that loads pages
/// whatever their items are.
pub fn page_query(query: &Query, offset: u32) -> Query {
    let mut query = query.clone();
    query.extend([
        ("limit", MAX_LIMIT.to_string()),
        ("offset", offset.to_string()),
        ("total", "true".to_string()),
    ]);
    query
}

/// `query` as borrowed pairs, as request building takes them.
pub fn pairs(query: &Query) -> Vec<(&str, &str)> {
    query.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// `prefix/id suffix`, for an `id` in PagerDuty's alphabet only ([`check_id`]): whether it came
/// from the address or from an answer, it can never hold `..`, `/` or a query.
fn id_path(prefix: &str, id: &str, suffix: &str) -> Result<String, ApiError> {
    Ok(format!("{prefix}/{}{suffix}", form::encode(check_id(id)?)))
}

fn window_query(window: Window) -> Query {
    vec![
        ("since", format_iso_utc(window.start)),
        ("until", format_iso_utc(window.end)),
    ]
}

/// `query` as PagerDuty's `query` parameter, when there is one.
fn search(query: &str) -> Query {
    if query.is_empty() {
        vec![]
    } else {
        vec![("query", query.to_string())]
    }
}

/// The signed-in user, with their teams.
pub fn me() -> Get<UserEnvelope> {
    Get::new("/users/me".into(), vec![("include[]", "teams".into())])
}

/// One person.
pub fn user(id: &str) -> Result<Get<UserEnvelope>, ApiError> {
    Ok(Get::new(id_path("/users", id, "")?, vec![]))
}

/// How to reach a person: every contact method the signed-in user may see.
pub fn user_contact_methods(id: &str) -> Result<Get<ContactMethodsEnvelope>, ApiError> {
    Ok(Get::new(id_path("/users", id, "/contact_methods")?, vec![]))
}

/// A person's on-call shifts within `window` (at most 90 days, as PagerDuty allows).
pub fn user_oncalls(user_id: &str, window: Window) -> List<OnCall> {
    let mut query = vec![("user_ids[]", user_id.to_string())];
    query.extend(window_query(window));
    List::new("/oncalls".into(), query, "oncalls")
}

/// Layered (v2) schedules matching `search`, of `team_id` when not empty, each with its final
/// schedule over `window`.
pub fn schedules_with_final(
    search_text: &str,
    team_id: &str,
    window: Window,
) -> List<ScheduleDetail> {
    let mut query = vec![("include[]", "final_schedule".to_string())];
    query.extend(window_query(window));
    query.extend(search_in_team(search_text, team_id));
    List::new("/schedules".into(), query, "schedules")
}

/// Shift-based (v3) schedules matching `search` (names only).
pub fn schedules_v3(search_text: &str) -> List<Reference> {
    List::new("/v3/schedules".into(), search(search_text), "schedules")
}

/// A team's layered schedules.
pub fn team_schedules(team_id: &str) -> List<Schedule> {
    List::new(
        "/schedules".into(),
        vec![("team_ids[]", team_id.to_string())],
        "schedules",
    )
}

/// A layered (v2) schedule's layers, overrides and final schedule over `window`.
pub fn schedule(id: &str, window: Window) -> Result<Get<ScheduleEnvelope>, ApiError> {
    Ok(Get::new(
        id_path("/schedules", id, "")?,
        window_query(window),
    ))
}

/// A shift-based (v3) schedule's computed shifts over `window`; PagerDuty answers 400 for a
/// schedule that has not been upgraded.
pub fn schedule_v3(id: &str, window: Window) -> Result<Get<ScheduleV3Envelope>, ApiError> {
    let mut query = vec![("include[]", "final_schedule".to_string())];
    query.extend(window_query(window));
    Ok(Get::new(id_path("/v3/schedules", id, "")?, query))
}

/// Teams matching `search`.
pub fn teams(search_text: &str) -> List<Team> {
    List::new("/teams".into(), search(search_text), "teams")
}

/// Users whose name or email matches `search_text`: who could cover a shift.
pub fn users(search_text: &str) -> List<User> {
    List::new("/users".into(), search(search_text), "users")
}

/// One team.
pub fn team(id: &str) -> Result<Get<TeamEnvelope>, ApiError> {
    Ok(Get::new(id_path("/teams", id, "")?, vec![]))
}

/// A team's members, each with their user expanded (name, zone, email) and role.
pub fn team_members(team_id: &str) -> Result<List<TeamMember>, ApiError> {
    Ok(List::new(
        id_path("/teams", team_id, "/members")?,
        vec![("include[]", "users".into())],
        "members",
    ))
}

/// `search`, and a team to narrow to, as PagerDuty's `query` and `team_ids[]`.
fn search_in_team(search_text: &str, team_id: &str) -> Query {
    let mut query = search(search_text);
    if !team_id.is_empty() {
        query.push(("team_ids[]", team_id.to_string()));
    }
    query
}

/// Escalation policies matching `search`, of `team_id` when not empty.
pub fn escalation_policies(search_text: &str, team_id: &str) -> List<EscalationPolicy> {
    List::new(
        "/escalation_policies".into(),
        search_in_team(search_text, team_id),
        "escalation_policies",
    )
}

/// One escalation policy: its levels and their targets, its services and teams.
pub fn escalation_policy(id: &str) -> Result<Get<EscalationPolicyEnvelope>, ApiError> {
    Ok(Get::new(id_path("/escalation_policies", id, "")?, vec![]))
}

/// The same resource as [`escalation_policy`], read for its number of levels only.
pub fn escalation_policy_levels(id: &str) -> Result<Get<PolicyLevelsEnvelope>, ApiError> {
    Ok(Get::new(id_path("/escalation_policies", id, "")?, vec![]))
}

/// Services matching `search`, of `team_id` when not empty.
pub fn services(search_text: &str, team_id: &str) -> List<Service> {
    List::new(
        "/services".into(),
        search_in_team(search_text, team_id),
        "services",
    )
}

/// One service, with a reference to its escalation policy.
pub fn service(id: &str) -> Result<Get<ServiceEnvelope>, ApiError> {
    Ok(Get::new(id_path("/services", id, "")?, vec![]))
}

/// Who is on call over `window` on every escalation policy the user can see, each person's
/// first entry per policy and level only (`earliest`): who is on call now, and who takes over
/// next, in the fewest entries. What the lists show.
pub fn earliest_oncalls(window: Window) -> List<OnCall> {
    let mut query = vec![("earliest", "true".to_string())];
    query.extend(window_query(window));
    List::new("/oncalls".into(), query, "oncalls")
}

/// Every on-call entry of `policy_ids` overlapping `window`, at every level. Not `earliest`:
/// "next" needs the shift that follows someone's current one, which it would drop.
pub fn policy_oncalls(policy_ids: &[String], window: Window) -> List<OnCall> {
    let mut query: Query = policy_ids
        .iter()
        .map(|id| ("escalation_policy_ids[]", id.clone()))
        .collect();
    query.extend(window_query(window));
    List::new("/oncalls".into(), query, "oncalls")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const WINDOW: Window = Window {
        start: 1_764_460_800_000,
        end: 1_764_547_200_000,
    };

    /// PagerDuty's OpenAPI spec, from `shared/` beside the repository (where the project keeps
    /// it; CI has a copy there too), or from `ONCALL_OPENAPI`.
    fn spec() -> Value {
        let path = std::env::var_os("ONCALL_OPENAPI")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../../shared/pagerduty/openapiv3.json")
            });
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "PagerDuty's openapiv3.json is needed at {} (or set ONCALL_OPENAPI): {e}",
                path.display()
            )
        });
        serde_json::from_str(&text).expect("the spec is JSON")
    }

    /// The spec's path template for a concrete path (`/teams/P%201/members` →
    /// `/teams/{id}/members`).
    fn template<'a>(spec: &'a Value, path: &str) -> (&'a str, &'a Value) {
        let segments: Vec<&str> = path.split('/').collect();
        spec["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .find(|(template, _)| {
                let parts: Vec<&str> = template.split('/').collect();
                parts.len() == segments.len()
                    && parts
                        .iter()
                        .zip(&segments)
                        .all(|(t, s)| t == s || (t.starts_with('{') && t.ends_with('}')))
            })
            .map(|(t, item)| (t.as_str(), item))
            .unwrap_or_else(|| panic!("{path} is not in PagerDuty's spec"))
    }

    /// The GET operation's parameters at `path`, with `$ref`s resolved: name → definition.
    fn parameters<'a>(spec: &'a Value, path: &str) -> Vec<(&'a str, &'a Value)> {
        let (template, item) = template(spec, path);
        let get = item
            .get("get")
            .unwrap_or_else(|| panic!("{template} has no GET"));
        get["parameters"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|p| match p.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let name = reference.rsplit('/').next().unwrap_or_default();
                    &spec["components"]["parameters"][name]
                }
                None => p,
            })
            .map(|p| (p["name"].as_str().unwrap_or_default(), p))
            .collect()
    }

    /// Fails unless every query parameter is one the spec names for that GET, and every value
    /// of an enumerated one (`include[]`) is among its values.
    fn assert_in_spec(spec: &Value, path: &str, query: &Query) {
        let known = parameters(spec, path);
        for (name, value) in query {
            let (_, definition) = known
                .iter()
                .find(|(known, _)| known == name)
                .unwrap_or_else(|| panic!("GET {path} has no parameter {name:?} in the spec"));
            let schema = &definition["schema"];
            let allowed = schema["items"]["enum"]
                .as_array()
                .or(schema["enum"].as_array());
            if let Some(allowed) = allowed {
                assert!(
                    allowed.iter().any(|v| v.as_str() == Some(value)),
                    "GET {path}: {name}={value} is not one of {allowed:?}"
                );
            }
        }
    }

    fn assert_get<T>(spec: &Value, get: &Get<T>) {
        assert_in_spec(spec, &get.path, &get.query);
    }

    fn assert_list<T>(spec: &Value, list: &List<T>) {
        assert_in_spec(spec, &list.path, &list.page_query(100));
        let (template, item) = template(spec, &list.path);
        assert!(
            has_property(spec, &item["get"]["responses"]["200"], list.key, 6),
            "GET {template} answers no {:?} list",
            list.key
        );
    }

    /// Whether `schema` (following `$ref`s, `depth` deep) has a property named `key`.
    fn has_property(spec: &Value, schema: &Value, key: &str, depth: u32) -> bool {
        if depth == 0 {
            return false;
        }
        match schema {
            Value::Object(map) => {
                if map
                    .get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|p| p.contains_key(key))
                {
                    return true;
                }
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    let target = reference
                        .trim_start_matches("#/")
                        .split('/')
                        .fold(spec, |node, part| &node[part]);
                    return has_property(spec, target, key, depth - 1);
                }
                map.values().any(|v| has_property(spec, v, key, depth - 1))
            }
            Value::Array(items) => items.iter().any(|v| has_property(spec, v, key, depth - 1)),
            _ => false,
        }
    }

    #[test]
    fn every_request_uses_the_specs_paths_and_parameter_names() {
        let spec = spec();
        assert_get(&spec, &me());
        assert_get(&spec, &user("PU1").expect("an ID"));
        assert_get(&spec, &user_contact_methods("PU1").expect("an ID"));
        assert_get(&spec, &schedule("PS1", WINDOW).expect("an ID"));
        assert_get(&spec, &schedule_v3("PS1", WINDOW).expect("an ID"));
        assert_get(&spec, &team("PT1").expect("an ID"));
        assert_list(&spec, &user_oncalls("PU1", WINDOW));
        assert_list(&spec, &schedules_with_final("ops", "PT1", WINDOW));
        assert_list(&spec, &schedules_v3("ops"));
        assert_list(&spec, &team_schedules("PT1"));
        assert_list(&spec, &teams("ops"));
        assert_list(&spec, &users("ana"));
        assert_list(&spec, &team_members("PT1").expect("an ID"));
        assert_get(&spec, &escalation_policy("PE1").expect("an ID"));
        assert_get(&spec, &escalation_policy_levels("PE1").expect("an ID"));
        assert_get(&spec, &service("PV1").expect("an ID"));
        assert_list(&spec, &escalation_policies("ops", "PT1"));
        assert_list(&spec, &services("ops", "PT1"));
        assert_list(&spec, &earliest_oncalls(WINDOW));
        assert_list(
            &spec,
            &policy_oncalls(&["PE1".into(), "PE2".into()], WINDOW),
        );
    }

    #[test]
    fn overrides_are_read_created_and_removed_as_the_spec_says() {
        use crate::overrides;
        let spec = spec();
        let list = overrides::list("PS1", WINDOW).expect("an ID");
        assert_get(&spec, &list);
        assert_get(&spec, &overrides::editable("PS1", WINDOW).expect("an ID"));
        let (_, item) = template(&spec, &list.path);
        assert!(item.get("post").is_some(), "POST {}", list.path);
        let delete = overrides::delete("PS1", "Q1").expect("IDs");
        let (_, item) = template(&spec, &delete);
        assert!(item.get("delete").is_some(), "DELETE {delete}");
        // Every field of an override sent is one the spec's Override names, but `time_zone`,
        // which PagerDuty's documentation adds.
        let post = overrides::create(
            "PS1",
            &[overrides::Cover {
                start: WINDOW.start,
                end: WINDOW.end,
                user_id: "PU1".into(),
            }],
            "UTC",
        )
        .expect("IDs");
        let body: Value = serde_json::from_str(&post.body).expect("JSON");
        let sent = body["overrides"][0].as_object().expect("an override");
        let schema = &spec["components"]["schemas"]["Override"];
        for field in sent.keys().filter(|k| *k != "time_zone") {
            assert!(
                has_property(&spec, schema, field, 6),
                "the spec's Override has no {field:?}"
            );
        }
        assert!(has_property(
            &spec,
            &spec["paths"]["/schedules/{id}/overrides"]["post"]["requestBody"],
            "overrides",
            6
        ));
    }

    #[test]
    fn shift_based_overrides_are_read_created_and_removed_as_the_spec_says() {
        use crate::shift_overrides::{self, Item, Slot};
        let spec = spec();
        let list = shift_overrides::list("PS1", WINDOW).expect("an ID");
        assert_get(&spec, &list);
        let (path, item) = template(&spec, &list.path);
        assert_eq!(path, "/v3/schedules/{id}/overrides");
        let post = &item["post"]["requestBody"]["content"]["application/json"]["schema"];
        let delete = shift_overrides::delete("PS1", "Q1").expect("IDs");
        let (_, item) = template(&spec, &delete);
        assert!(item.get("delete").is_some(), "DELETE {delete}");
        // Every field sent is one the request's schema names, and each member's too.
        let items =
            [Slot::Rotation("RA".into()), Slot::CustomShift("CS".into())].map(|slot| Item {
                slot,
                start: WINDOW.start,
                end: WINDOW.end,
                overridden: Some("PU1".into()),
                overriding: "PU2".into(),
            });
        let sent = shift_overrides::create("PS1", &items).expect("IDs");
        let body: Value = serde_json::from_str(&sent.body).expect("JSON");
        // `$ref`s followed.
        let resolve = |v: &Value| -> Value {
            let mut v = v.clone();
            while let Some(r) = v.get("$ref").and_then(Value::as_str) {
                v = r
                    .trim_start_matches("#/")
                    .split('/')
                    .fold(&spec, |node, part| &node[part])
                    .clone();
            }
            v
        };
        let request = resolve(post);
        let schema = resolve(&resolve(&request["properties"]["overrides"])["items"]);
        let required = schema["required"].as_array().expect("required fields");
        for o in body["overrides"].as_array().expect("a list") {
            let o = o.as_object().expect("an override");
            for field in required {
                assert!(
                    o.contains_key(field.as_str().unwrap_or_default()),
                    "{field} is required"
                );
            }
            for (field, value) in o {
                let property = &resolve(&schema["properties"][field]);
                assert!(
                    !property.is_null(),
                    "the spec's override_shift has no {field:?}"
                );
                if let Some(allowed) = property["enum"].as_array() {
                    assert!(allowed.contains(value), "{field}: {value}");
                }
                if let Some(member) = value.as_object().filter(|_| field.ends_with("_member")) {
                    for key in member.keys() {
                        assert!(!property["properties"][key].is_null(), "{field}.{key}");
                    }
                }
            }
        }
        // What is read from assignments and answers is in the spec's schemas.
        let schemas = &spec["components"]["schemas"];
        for field in ["rotation_id", "shift_id"] {
            assert!(
                has_property(&spec, &schemas["ShiftSource"], field, 2),
                "{field}"
            );
        }
        assert!(has_property(
            &spec,
            &schemas["ComputedShiftAssignment"],
            "source",
            2
        ));
        for field in ["id", "start_time", "end_time", "overriding_member"] {
            assert!(
                has_property(&spec, &schemas["OverrideShift"], field, 2),
                "{field}"
            );
        }
    }

    #[test]
    fn a_team_narrows_a_list_only_when_one_is_named() {
        assert!(services("", "").query.is_empty());
        assert_eq!(
            pairs(&escalation_policies("db", "PT1").query),
            vec![("query", "db"), ("team_ids[]", "PT1")]
        );
        assert_eq!(
            pairs(&policy_oncalls(&["A".into(), "B".into()], WINDOW).query)[..2],
            [
                ("escalation_policy_ids[]", "A"),
                ("escalation_policy_ids[]", "B")
            ]
        );
    }

    #[test]
    fn only_a_pagerduty_id_goes_into_a_path() {
        assert_eq!(user("PU1").expect("an ID").path, "/users/PU1");
        assert_eq!(
            team_members("PT1").expect("an ID").path,
            "/teams/PT1/members"
        );
        // From the address or from an answer alike, nothing that could leave its segment.
        for bad in ["../admin?x=1", "P/1", "..", "", "PU1@evil", "P%2F1"] {
            assert_eq!(user(bad).err(), Some(ApiError::NotAnId), "{bad:?}");
            assert_eq!(team_members(bad).err(), Some(ApiError::NotAnId), "{bad:?}");
            assert_eq!(
                schedule(bad, WINDOW).err(),
                Some(ApiError::NotAnId),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn an_empty_search_sends_no_query_parameter() {
        assert!(teams("").query.is_empty());
        assert_eq!(
            teams("ops & sre").query,
            vec![("query", "ops & sre".into())]
        );
    }

    #[test]
    fn a_page_asks_for_the_largest_page_and_the_total() {
        assert_eq!(
            pairs(&teams("ops").page_query(200)),
            vec![
                ("query", "ops"),
                ("limit", "100"),
                ("offset", "200"),
                ("total", "true")
            ]
        );
    }

    #[test]
    fn windows_are_sent_as_utc_instants() {
        let list = user_oncalls("PU1", WINDOW);
        assert_eq!(
            pairs(&list.query),
            vec![
                ("user_ids[]", "PU1"),
                ("since", "2025-11-30T00:00:00Z"),
                ("until", "2025-12-01T00:00:00Z")
            ]
        );
    }
}
