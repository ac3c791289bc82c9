//! The parts of PagerDuty's JSON the app reads, as `openapiv3.json` defines them.
//!
//! Decoding is lenient where the spec allows: optional and nullable fields default, unknown
//! fields are ignored, and a reference's `summary` stands in for a missing `name`.

use serde::{Deserialize, Deserializer};

/// A null or missing string becomes empty.
fn string_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
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
}

impl User {
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.summary
        } else {
            &self.name
        }
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
        if self.name.is_empty() {
            &self.summary
        } else {
            &self.name
        }
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
        if self.name.is_empty() {
            &self.summary
        } else {
            &self.name
        }
    }
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
