//! The parts of PagerDuty's JSON the app reads, as `openapiv3.json` defines them.
//!
//! Decoding is lenient where the spec allows: optional and nullable fields default, unknown
//! fields are ignored, and a reference's `summary` stands in for a missing `name`.

use serde::{Deserialize, Deserializer};

/// A null or missing string becomes empty.
fn string_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// PagerDuty's `name`, or the `summary` every object carries when `name` is missing (as in a
/// reference).
fn name_or_summary<'a>(name: &'a str, summary: &'a str) -> &'a str {
    if name.is_empty() {
        summary
    } else {
        name
    }
}

/// `{id, type, summary, self, html_url}`: how PagerDuty points at another object.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Reference {
    pub id: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub summary: String,
    pub html_url: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct User {
    pub id: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub name: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub summary: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub email: String,
    pub time_zone: Option<String>,
    pub html_url: Option<String>,
    pub job_title: Option<String>,
    #[serde(default)]
    pub teams: Vec<Reference>,
    /// The person's own on-call feed: PagerDuty returns these only on the detail endpoint, to
    /// the person themselves (or an admin who asks). Credentials: see `hosts::calendar_feed`.
    pub web_cal_url: Option<String>,
    pub http_cal_url: Option<String>,
}

impl User {
    pub fn display_name(&self) -> &str {
        name_or_summary(&self.name, &self.summary)
    }
}

/// `GET /users/me` answers `{"user": {...}}`.
#[derive(Debug, Deserialize)]
pub struct UserEnvelope {
    pub user: User,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Schedule {
    pub id: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub name: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub summary: String,
    pub time_zone: Option<String>,
    pub description: Option<String>,
    pub html_url: Option<String>,
    #[serde(default)]
    pub users: Vec<Reference>,
    #[serde(default)]
    pub teams: Vec<Reference>,
}

impl Schedule {
    pub fn display_name(&self) -> &str {
        name_or_summary(&self.name, &self.summary)
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Team {
    pub id: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub name: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub summary: String,
    pub description: Option<String>,
    pub html_url: Option<String>,
}

impl Team {
    pub fn display_name(&self) -> &str {
        name_or_summary(&self.name, &self.summary)
    }
}

/// One way to reach a person (`GET /users/{id}/contact_methods`): `type` is
/// `email_contact_method`, `phone_contact_method`, `sms_contact_method`,
/// `push_notification_contact_method` or `whatsapp_contact_method` (others may come).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ContactMethod {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub label: String,
    /// An email address, a phone number without its country code, or a device's name.
    #[serde(default, deserialize_with = "string_or_null")]
    pub address: String,
    /// The 1-to-3 digit country calling code of a phone number.
    pub country_code: Option<u16>,
    /// `android` or `ios`, for a push device.
    pub device_type: Option<String>,
    /// PagerDuty no longer sends to it.
    #[serde(default)]
    pub blacklisted: bool,
}

/// `GET /users/{id}/contact_methods` answers `{"contact_methods": [...]}` (not paginated).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ContactMethodsEnvelope {
    pub contact_methods: Vec<ContactMethod>,
}

/// Whom a level of an escalation policy notifies: a user, or whoever a schedule has on call
/// (`user_reference`, `schedule_reference`; the spec's `EscalationTargetReference`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    #[serde(rename = "type", default, deserialize_with = "string_or_null")]
    pub kind: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub summary: String,
    pub html_url: Option<String>,
}

impl Target {
    pub fn is_schedule(&self) -> bool {
        self.kind.starts_with("schedule")
    }
}

/// One level of an escalation policy (the spec's `EscalationRule`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct EscalationRule {
    #[serde(default)]
    pub escalation_delay_in_minutes: u32,
    #[serde(default)]
    pub targets: Vec<Target>,
}

/// `GET /escalation_policies` items and `GET /escalation_policies/{id}`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct EscalationPolicy {
    pub id: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub name: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub summary: String,
    pub description: Option<String>,
    pub html_url: Option<String>,
    /// How many times the policy starts again after its last level.
    #[serde(default)]
    pub num_loops: u32,
    #[serde(default)]
    pub escalation_rules: Vec<EscalationRule>,
    #[serde(default)]
    pub services: Vec<Reference>,
    #[serde(default)]
    pub teams: Vec<Reference>,
}

impl EscalationPolicy {
    pub fn display_name(&self) -> &str {
        name_or_summary(&self.name, &self.summary)
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct EscalationPolicyEnvelope {
    pub escalation_policy: EscalationPolicy,
}

/// `GET /escalation_policies/{id}` read for its number of levels only, as My on-call's "your
/// levels" needs it: the levels themselves are passed over, unread, so the first download
/// carries no reader for a whole policy.
#[derive(Clone, Debug, Deserialize)]
pub struct PolicyLevelsEnvelope {
    escalation_policy: PolicyLevels,
}

#[derive(Clone, Debug, Deserialize)]
struct PolicyLevels {
    #[serde(default)]
    escalation_rules: Vec<serde::de::IgnoredAny>,
}

impl PolicyLevelsEnvelope {
    /// How many levels the policy has.
    pub fn levels(&self) -> u32 {
        self.escalation_policy.escalation_rules.len() as u32
    }
}

/// `GET /services` items and `GET /services/{id}`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Service {
    pub id: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub name: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub summary: String,
    pub description: Option<String>,
    /// `active`, `warning`, `critical`, `maintenance` or `disabled`.
    #[serde(default, deserialize_with = "string_or_null")]
    pub status: String,
    pub html_url: Option<String>,
    /// Required by PagerDuty, but null when the policy is gone or hidden from this user.
    pub escalation_policy: Option<Reference>,
    #[serde(default)]
    pub teams: Vec<Reference>,
}

impl Service {
    pub fn display_name(&self) -> &str {
        name_or_summary(&self.name, &self.summary)
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ServiceEnvelope {
    pub service: Service,
}

/// `GET /teams/{id}` answers `{"team": {...}}`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct TeamEnvelope {
    pub team: Team,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct TeamMember {
    /// A `user_reference`, or the full user with `include[]=users`: both decode as [`User`]
    /// since every field but `id` is optional.
    pub user: User,
    /// `manager`, `responder` or `observer`; kept as text so a new role does not break decoding.
    #[serde(default, deserialize_with = "string_or_null")]
    pub role: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_of_users_me_decodes() {
        let body = r#"{"user":{"id":"PXPGF42","type":"user","summary":"Earline Greenholt","self":"https://api.pagerduty.com/users/PXPGF42","html_url":"https://subdomain.pagerduty.com/users/PXPGF42","name":"Earline Greenholt","email":"125.greenholt.earline@graham.name","time_zone":"America/Lima","color":"green","role":"admin","avatar_url":"https://pd-static-assets.pagerduty.com/users/blank-avatar.png","description":null,"invitation_sent":false,"job_title":"Director of Engineering","created_via_sso":"true,","contact_methods":[],"notification_rules":[],"teams":[{"id":"PQ9K7I8","type":"team_reference","summary":"Engineering","self":"https://api.pagerduty.com/teams/PQ9K7I8","html_url":"https://subdomain.pagerduty.com/teams/PQ9K7I8"}]}}"#;
        let me: UserEnvelope = serde_json::from_str(body).expect("decodes");
        assert_eq!(me.user.display_name(), "Earline Greenholt");
        assert_eq!(me.user.time_zone.as_deref(), Some("America/Lima"));
        assert_eq!(me.user.teams[0].summary, "Engineering");
    }

    #[test]
    fn the_spec_example_schedule_decodes() {
        let body = r#"{"id":"PI7DH85","type":"schedule","summary":"Daily Engineering Rotation","self":"https://api.pagerduty.com/schedules/PI7DH85","html_url":"https://subdomain.pagerduty.com/schedules/PI7DH85","name":"Daily Engineering Rotation","time_zone":"America/New_York","description":"Rotation schedule for engineering","escalation_policies":[],"users":[{"id":"PEYSGVF","type":"user_reference","summary":"PagerDuty Admin","self":"https://api.pagerduty.com/users/PEYSGVF","html_url":"https://subdomain.pagerduty.com/users/PEYSGVF"}]}"#;
        let schedule: Schedule = serde_json::from_str(body).expect("decodes");
        assert_eq!(schedule.display_name(), "Daily Engineering Rotation");
        assert_eq!(schedule.users[0].summary, "PagerDuty Admin");
    }

    #[test]
    fn members_decode_as_references_or_full_users() {
        let reference: TeamMember = serde_json::from_str(r#"{"user":{"id":"P0XJYI9","type":"user_reference","summary":"Jane Doe","self":"https://api.pagerduty.com/users/P0XJYI9","html_url":"https://subdomain.pagerduty.com/users/P0XJYI9"},"role":"manager"}"#).expect("decodes");
        assert_eq!(
            (
                reference.user.id.as_str(),
                reference.user.display_name(),
                reference.role.as_str()
            ),
            ("P0XJYI9", "Jane Doe", "manager")
        );
        let full: TeamMember = serde_json::from_str(r#"{"user":{"id":"P1","type":"user","summary":"Zoë","name":"Zoë Ångström","email":"z@example.com","time_zone":"Europe/Oslo"},"role":"observer"}"#).expect("decodes");
        assert_eq!(full.user.display_name(), "Zoë Ångström");
        assert_eq!(full.user.email, "z@example.com");
    }

    #[test]
    fn nulls_and_missing_optional_fields_are_tolerated() {
        let team: Team =
            serde_json::from_str(r#"{"id":"T","summary":"Ops","name":null,"description":null}"#)
                .expect("decodes");
        assert_eq!(team.display_name(), "Ops");
        let member: TeamMember =
            serde_json::from_str(r#"{"user":{"id":"U"},"role":null}"#).expect("decodes");
        assert_eq!((member.user.display_name(), member.role.as_str()), ("", ""));
    }
}

/// A rendered entry of a layer, the overrides or the final schedule (v2).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct RenderedEntry {
    pub start: String,
    pub end: Option<String>,
    pub user: Option<Reference>,
}

/// A named row of rendered entries: a layer, the overrides, or the final schedule.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct SubSchedule {
    #[serde(default, deserialize_with = "string_or_null")]
    pub name: String,
    #[serde(default)]
    pub rendered_schedule_entries: Vec<RenderedEntry>,
}

/// `GET /schedules/{id}` (layer-based) or a list item with `include[]=final_schedule`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct ScheduleDetail {
    // The schedule's own fields, spelled out rather than a flattened `Schedule`: serde's
    // flatten buffers every field through a generic value, kilobytes of download.
    pub id: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub name: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub summary: String,
    pub time_zone: Option<String>,
    pub description: Option<String>,
    pub html_url: Option<String>,
    #[serde(default)]
    pub schedule_layers: Vec<SubSchedule>,
    pub overrides_subschedule: Option<SubSchedule>,
    pub final_schedule: Option<SubSchedule>,
    pub http_cal_url: Option<String>,
    pub web_cal_url: Option<String>,
}

impl ScheduleDetail {
    pub fn display_name(&self) -> &str {
        name_or_summary(&self.name, &self.summary)
    }
}

#[derive(Debug, Deserialize)]
pub struct ScheduleEnvelope {
    pub schedule: ScheduleDetail,
}

/// A member of a v3 shift: a `user_member`, an `empty_member` (a deliberate gap), or a kind
/// this app does not know yet, which counts as nobody rather than failing the schedule. (A
/// plain struct, not an internally tagged enum: serde buffers those through a generic value.)
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ShiftMember {
    #[serde(rename = "type")]
    pub kind: String,
    pub user_id: Option<String>,
}

impl ShiftMember {
    /// The user on call, if this member is one.
    pub fn user_id(&self) -> Option<&str> {
        self.user_id
            .as_deref()
            .filter(|_| self.kind == "user_member")
    }
}

/// Where a v3 assignment comes from: a rotation (`rotation_id`) or a custom shift (`shift_id`),
/// or an override of either. An override of the assignment must name the same one.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct ShiftSource {
    #[serde(rename = "type", default)]
    pub kind: String,
    pub rotation_id: Option<String>,
    pub shift_id: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ComputedShift {
    pub start_time: String,
    pub end_time: String,
    pub member: ShiftMember,
    #[serde(default)]
    pub source: Option<ShiftSource>,
}

/// A v3 rotation, as a schedule lists it: only its ID is read.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct RotationRef {
    pub id: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct FinalScheduleV3 {
    #[serde(default)]
    pub computed_shift_assignments: Vec<ComputedShift>,
}

/// `GET /v3/schedules/{id}?include[]=final_schedule` (shift-based).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct ScheduleV3 {
    pub id: String,
    #[serde(default, deserialize_with = "string_or_null")]
    pub name: String,
    pub time_zone: Option<String>,
    pub description: Option<String>,
    pub html_url: Option<String>,
    #[serde(default)]
    pub teams: Vec<Reference>,
    pub final_schedule: Option<FinalScheduleV3>,
    /// Its rotations: where an override of a time nobody holds goes.
    #[serde(default)]
    pub rotations: Vec<RotationRef>,
    pub http_cal_url: Option<String>,
    pub web_cal_url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ScheduleV3Envelope {
    pub schedule: ScheduleV3,
}

/// One entry of `GET /oncalls`. `start`/`end` are null for a permanent assignment.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct OnCall {
    pub user: User,
    pub schedule: Option<Reference>,
    pub escalation_policy: Option<Reference>,
    pub escalation_level: Option<u32>,
    pub start: Option<String>,
    pub end: Option<String>,
}

#[cfg(test)]
mod schedule_tests {
    use super::*;

    #[test]
    fn the_spec_example_escalation_policy_and_service_decode() {
        let body = r#"{"escalation_policy": {"id": "PT20YPA", "type": "escalation_policy", "summary": "Another Escalation Policy", "on_call_handoff_notifications": "if_has_services", "self": "https://api.pagerduty.com/escalation_policies/PT20YPA", "html_url": "https://subdomain.pagerduty.com/escalation_policies/PT20YPA", "name": "Another Escalation Policy", "escalation_rules": [{"id": "PGHDV41", "escalation_delay_in_minutes": 30, "targets": [{"id": "PAM4FGS", "summary": "Kyler Kuhn", "type": "user_reference", "self": "https://api.pagerduty.com/users/PAM4FGS", "html_url": "https://subdomain.pagerduty.com/users/PAM4FGS"}, {"id": "PI7DH85", "summary": "Daily Engineering Rotation", "type": "schedule_reference", "self": "https://api.pagerduty.com/schedules/PI7DH85", "html_url": "https://subdomain.pagerduty.com/schedules/PI7DH85"}]}], "services": [{"id": "PIJ90N7", "type": "service_reference", "summary": "My Mail Service", "self": "https://api.pagerduty.com/services/PIJ90N7", "html_url": "https://subdomain.pagerduty.com/service-directory/PIJ90N7"}], "num_loops": 2, "teams": [{"id": "PQ9K7I8", "type": "team_reference", "summary": "Engineering", "self": "https://api.pagerduty.com/teams/PQ9K7I8", "html_url": "https://subdomain.pagerduty.com/teams/PQ9K7I8"}], "description": "This is yet another escalation policy"}}"#;
        let policy = serde_json::from_str::<EscalationPolicyEnvelope>(body)
            .expect("decodes")
            .escalation_policy;
        assert_eq!(policy.num_loops, 2);
        let levels = serde_json::from_str::<PolicyLevelsEnvelope>(body).expect("decodes");
        assert_eq!(levels.levels() as usize, policy.escalation_rules.len());
        let none =
            serde_json::from_str::<PolicyLevelsEnvelope>(r#"{"escalation_policy":{"id":"P"}}"#);
        assert_eq!(none.expect("decodes").levels(), 0);
        let rule = &policy.escalation_rules[0];
        assert_eq!(rule.escalation_delay_in_minutes, 30);
        assert!(!rule.targets[0].is_schedule() && rule.targets[1].is_schedule());
        assert_eq!(policy.services[0].summary, "My Mail Service");
        let service: Service = serde_json::from_str(r#"{"id":"PIJ90N7","type":"service","summary":"My Mail Service","name":"My Mail Service","status":"active","escalation_policy":{"id":"PT20YPA","type":"escalation_policy_reference","summary":"Another Escalation Policy"},"teams":[],"description":null}"#).expect("decodes");
        assert_eq!(
            service.escalation_policy.map(|p| p.id).as_deref(),
            Some("PT20YPA")
        );
        let orphan: Service =
            serde_json::from_str(r#"{"id":"P1","escalation_policy":null,"status":null}"#)
                .expect("decodes");
        assert_eq!(
            (orphan.escalation_policy, orphan.status.as_str()),
            (None, "")
        );
    }

    #[test]
    fn the_spec_example_layered_schedule_decodes() {
        let body = r#"{"schedule":{"id":"PI7DH85","type":"schedule","summary":"Daily Engineering Rotation","self":"https://api.pagerduty.com/schedules/PI7DH85","html_url":"https://subdomain.pagerduty.com/schedules/PI7DH85","name":"Daily Engineering Rotation","time_zone":"America/New_York","description":"Rotation schedule for engineering","escalation_policies":[],"users":[],"teams":[{"id":"PQ9K7I8","type":"team_reference","summary":"Engineering","self":"https://api.pagerduty.com/teams/PQ9K7I8","html_url":"https://subdomain.pagerduty.com/teams/PQ9K7I8"}],"schedule_layers":[{"name":"Layer 1","rendered_schedule_entries":[{"start":"2015-11-09T08:00:00-05:00","end":"2015-11-09T17:00:00-05:00","user":{"id":"PXPGF42","type":"user_reference","summary":"Regina Phalange","self":"https://api.pagerduty.com/users/PXPGF42","html_url":"https://subdomain.pagerduty.com/users/PXPGF42"}}],"rendered_coverage_percentage":37.5,"id":"PG68P1M","start":"2015-11-06T21:00:00-05:00","rotation_virtual_start":"2015-11-06T20:00:00-05:00","rotation_turn_length_seconds":86400,"users":[],"restrictions":[{"type":"daily_restriction","start_time_of_day":"08:00:00","duration_seconds":32400}]}],"overrides_subschedule":{"name":"Overrides","rendered_schedule_entries":[],"rendered_coverage_percentage":0},"final_schedule":{"name":"Final Schedule","rendered_schedule_entries":[{"start":"2015-11-10T08:00:00-05:00","end":"2015-11-10T17:00:00-05:00","user":{"id":"PXPGF42","type":"user_reference","summary":"Regina Phalange","self":"https://api.pagerduty.com/users/PXPGF42","html_url":"https://subdomain.pagerduty.com/users/PXPGF42"}}],"rendered_coverage_percentage":37.5}}}"#;
        let detail = serde_json::from_str::<ScheduleEnvelope>(body)
            .expect("decodes")
            .schedule;
        assert_eq!(detail.display_name(), "Daily Engineering Rotation");
        assert_eq!(detail.schedule_layers[0].rendered_schedule_entries.len(), 1);
        let final_schedule = detail.final_schedule.expect("final schedule");
        assert_eq!(
            final_schedule.rendered_schedule_entries[0]
                .user
                .as_ref()
                .map(|u| u.summary.as_str()),
            Some("Regina Phalange")
        );
    }

    #[test]
    fn v3_members_include_empty_slots_and_tolerate_new_kinds() {
        let body = r#"{"schedule":{"id":"PS1A2B3C","type":"schedule_v3","name":"Engineering On-Call","time_zone":"America/New_York","final_schedule":{"type":"final_schedule","rendered_coverage_percentage":50,"computed_shift_assignments":[
            {"type":"computed_shift_assignment","start_time":"2025-01-06T09:00:00Z","end_time":"2025-01-13T09:00:00Z","member":{"type":"user_member","user_id":"PUSER123"},"source":{"type":"schedule_rotation"}},
            {"type":"computed_shift_assignment","start_time":"2025-01-06T09:00:00Z","end_time":"2025-01-13T09:00:00Z","member":{"type":"empty_member"},"source":{"type":"schedule_rotation"}},
            {"type":"computed_shift_assignment","start_time":"2025-01-06T09:00:00Z","end_time":"2025-01-13T09:00:00Z","member":{"type":"robot_member","robot_id":"R2"},"source":{"type":"custom_shift"}}]}}}"#;
        let v3 = serde_json::from_str::<ScheduleV3Envelope>(body)
            .expect("decodes")
            .schedule;
        let members: Vec<(String, Option<String>)> = v3
            .final_schedule
            .unwrap_or_default()
            .computed_shift_assignments
            .into_iter()
            .map(|a| (a.member.kind.clone(), a.member.user_id().map(String::from)))
            .collect();
        assert_eq!(
            members,
            vec![
                ("user_member".into(), Some("PUSER123".into())),
                ("empty_member".into(), None),
                ("robot_member".into(), None)
            ]
        );
    }

    #[test]
    fn the_spec_example_oncall_decodes_and_permanent_ones_have_no_ends() {
        let body = r#"{"user":{"id":"PT23IWX","type":"user_reference","summary":"Tim Wright","self":"https://api.pagerduty.com/users/PT23IWX","html_url":"https://subdomain.pagerduty.com/users/PT23IWX"},"schedule":{"id":"PI7DH85","type":"schedule_reference","summary":"Daily Engineering Rotation","self":"https://api.pagerduty.com/schedules/PI7DH85","html_url":"https://subdomain.pagerduty.com/schedules/PI7DH85"},"escalation_policy":{"id":"PT20YPA","type":"escalation_policy_reference","summary":"Engineering Escalation Policy","self":"https://api.pagerduty.com/escalation_policies/PT20YPA","html_url":"https://subdomain.pagerduty.com/escalation_policies/PT20YPA"},"escalation_level":2,"start":"2015-03-06T15:28:51-05:00","end":"2015-03-07T15:28:51-05:00"}"#;
        let oncall: OnCall = serde_json::from_str(body).expect("decodes");
        assert_eq!(oncall.user.display_name(), "Tim Wright");
        assert_eq!(oncall.escalation_level, Some(2));
        let permanent: OnCall =
            serde_json::from_str(r#"{"user":{"id":"U"},"schedule":null,"start":null,"end":null}"#)
                .expect("decodes");
        assert_eq!((permanent.start, permanent.end), (None, None));
    }
}
