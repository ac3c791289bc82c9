//! The deployer's `config.json`, read at start-up from beside `index.html`.
//!
//! Every problem is reported at once, each as a sentence naming the field and the fix, because
//! the person reading it is editing a file on a static host, not debugging Rust.

use crate::address::Routing;
use crate::hosts::{self, Region};
use serde_json::{Map, Value};

/// The name of the file, relative to the page's base path.
pub const FILE_NAME: &str = "config.json";

/// The OAuth scope the app asks for. PagerDuty compares it case-sensitively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }
}

/// A checked configuration with every default filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub client_id: String,
    pub scope: Scope,
    pub redirect_uri: String,
    /// The region named in the file, if any: an explicit choice beats the token's hint.
    pub region: Option<Region>,
    pub identity_base_url: String,
    /// An explicit API address (the fake PagerDuty, a proxy). Beats region and token.
    pub api_base_url: Option<String>,
    /// How a framed page signs in: a popup (default), or by sending the whole portal page.
    pub redirect_target: RedirectTarget,
    /// Origins of portals that may frame this page and receive its height.
    pub embed_parent_origins: Vec<String>,
    /// How views are written in the address bar; `None` ("auto"): as the host allows.
    pub routing: Option<Routing>,
}

/// Where the authorize page opens when this page runs inside a frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RedirectTarget {
    /// A popup window; the code comes back to the frame by `postMessage`.
    #[default]
    Popup,
    /// The top window goes to PagerDuty and comes back to this page, full-window.
    Top,
}

impl Config {
    /// The API host for a session: an explicit `api_base_url`, else an explicit `region`,
    /// else the region the identity server named for this account, else the US.
    pub fn api_base_url_for(&self, token_region: Option<Region>) -> String {
        match (&self.api_base_url, self.region, token_region) {
            (Some(url), _, _) => url.clone(),
            (None, Some(region), _) | (None, None, Some(region)) => {
                region.api_base_url().to_string()
            }
            (None, None, None) => hosts::API_US.to_string(),
        }
    }
}

/// One thing wrong with `config.json`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigProblem {
    #[error("config.json could not be loaded ({0}). Put a config.json file next to index.html; the README shows an example.")]
    Unreadable(String),
    #[error("config.json is not valid JSON ({0}). Check for a missing quote, comma or brace.")]
    NotJson(String),
    #[error("config.json must contain one JSON object, like {{\"client_id\": \"...\"}}.")]
    NotAnObject,
    #[error("\"client_id\" is missing. Copy the client ID of your PagerDuty app (Integrations → App Registration) into config.json.")]
    MissingClientId,
    #[error("\"{field}\" must be {expected}.")]
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
    #[error("\"scope\" is \"{0}\", but PagerDuty only knows \"read\" and \"write\" (lower case). Use \"read\".")]
    UnknownScope(String),
    #[error("\"region\" is \"{0}\", but it must be \"us\" or \"eu\": the service region of your PagerDuty account.")]
    UnknownRegion(String),
    #[error("\"{field}\" {reason}: \"{value}\".")]
    BadUrl {
        field: &'static str,
        reason: &'static str,
        value: String,
    },
    #[error("\"{0}\" is not a setting this app knows. The settings are: client_id, scope, redirect_uri, region, identity_base_url, api_base_url, redirect_target, embed_parent_origins, routing.")]
    UnknownField(String),
    #[error("\"redirect_target\" is \"{0}\", but it must be \"popup\" or \"top\".")]
    UnknownRedirectTarget(String),
    #[error("\"embed_parent_origins\" must be a list of origins like [\"https://portal.example.com\"] (scheme, host and port only): {0}.")]
    BadOrigin(String),
    #[error("\"routing\" is \"{0}\", but it must be \"auto\", \"path\" (the host serves index.html for every path under the page) or \"hash\" (any host).")]
    UnknownRouting(String),
}

const KNOWN_FIELDS: [&str; 9] = [
    "client_id",
    "scope",
    "redirect_uri",
    "region",
    "identity_base_url",
    "api_base_url",
    "redirect_target",
    "embed_parent_origins",
    "routing",
];

/// Parses `config.json`. `default_redirect_uri` is the page's own origin and base path.
pub fn parse(text: &str, default_redirect_uri: &str) -> Result<Config, Vec<ConfigProblem>> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| vec![ConfigProblem::NotJson(e.to_string())])?;
    let Value::Object(fields) = value else {
        return Err(vec![ConfigProblem::NotAnObject]);
    };
    let mut problems: Vec<ConfigProblem> = fields
        .keys()
        .filter(|key| !KNOWN_FIELDS.contains(&key.as_str()))
        .map(|key| ConfigProblem::UnknownField(key.clone()))
        .collect();

    let client_id = match string_field(&fields, "client_id", &mut problems) {
        Some(id) if !id.trim().is_empty() => id.trim().to_string(),
        Some(_) | None => {
            if !problems.iter().any(|p| {
                matches!(
                    p,
                    ConfigProblem::WrongType {
                        field: "client_id",
                        ..
                    }
                )
            }) {
                problems.push(ConfigProblem::MissingClientId);
            }
            String::new()
        }
    };
    let scope = match string_field(&fields, "scope", &mut problems).as_deref() {
        None | Some("read") => Scope::Read,
        Some("write") => Scope::Write,
        Some(other) => {
            problems.push(ConfigProblem::UnknownScope(other.to_string()));
            Scope::Read
        }
    };
    let region = match string_field(&fields, "region", &mut problems).as_deref() {
        None => None,
        Some("us") => Some(Region::Us),
        Some("eu") => Some(Region::Eu),
        Some(other) => {
            problems.push(ConfigProblem::UnknownRegion(other.to_string()));
            None
        }
    };
    let mut url_field = |field: &'static str, check: fn(&str) -> Result<String, &'static str>| {
        let value = string_field(&fields, field, &mut problems)?;
        check(&value)
            .map_err(|reason| {
                problems.push(ConfigProblem::BadUrl {
                    field,
                    reason,
                    value,
                })
            })
            .ok()
    };
    let redirect_uri = url_field("redirect_uri", hosts::parse_redirect_uri)
        .unwrap_or_else(|| default_redirect_uri.to_string());
    let identity_base_url = url_field("identity_base_url", hosts::parse_base_url)
        .unwrap_or_else(|| hosts::IDENTITY.to_string());
    let api_base_url = url_field("api_base_url", hosts::parse_base_url);
    let redirect_target = match string_field(&fields, "redirect_target", &mut problems).as_deref() {
        None | Some("popup") => RedirectTarget::Popup,
        Some("top") => RedirectTarget::Top,
        Some(other) => {
            problems.push(ConfigProblem::UnknownRedirectTarget(other.to_string()));
            RedirectTarget::Popup
        }
    };
    let embed_parent_origins = match fields.get("embed_parent_origins") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| {
                let text = item.as_str().unwrap_or_default();
                let origin = hosts::parse_base_url(text)
                    .ok()
                    .filter(|o| hosts::origin_of(o) == Some(o.as_str()));
                if origin.is_none() {
                    problems.push(ConfigProblem::BadOrigin(item.to_string()));
                }
                origin
            })
            .collect(),
        Some(other) => {
            problems.push(ConfigProblem::BadOrigin(other.to_string()));
            vec![]
        }
    };

    let routing = match string_field(&fields, "routing", &mut problems).as_deref() {
        None | Some("auto") => None,
        Some("path") => Some(Routing::Path),
        Some("hash") => Some(Routing::Hash),
        Some(other) => {
            problems.push(ConfigProblem::UnknownRouting(other.to_string()));
            None
        }
    };

    if problems.is_empty() {
        Ok(Config {
            client_id,
            scope,
            redirect_uri,
            region,
            identity_base_url,
            api_base_url,
            redirect_target,
            embed_parent_origins,
            routing,
        })
    } else {
        Err(problems)
    }
}

/// A string field, or `None` when absent or `null`; any other type is a problem.
fn string_field(
    fields: &Map<String, Value>,
    field: &'static str,
    problems: &mut Vec<ConfigProblem>,
) -> Option<String> {
    match fields.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            problems.push(ConfigProblem::WrongType {
                field,
                expected: "a string in double quotes",
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://oncall.example.com/tools/oncall/";

    fn problems(text: &str) -> Vec<ConfigProblem> {
        parse(text, PAGE).expect_err("config should be refused")
    }

    #[test]
    fn a_client_id_alone_gets_pagerdutys_real_hosts_and_read_scope() {
        let config = parse(r#"{"client_id": " abc123 "}"#, PAGE).expect("valid");
        assert_eq!(
            config,
            Config {
                client_id: "abc123".into(),
                scope: Scope::Read,
                redirect_uri: PAGE.into(),
                region: None,
                identity_base_url: "https://identity.pagerduty.com".into(),
                api_base_url: None,
                redirect_target: RedirectTarget::Popup,
                embed_parent_origins: vec![],
                routing: None,
            }
        );
        assert_eq!(config.api_base_url_for(None), "https://api.pagerduty.com");
    }

    #[test]
    fn every_field_can_be_set() {
        let config = parse(
            r#"{"client_id":"c","scope":"write","redirect_uri":"https://portal.example.com/cb",
                "region":"eu","identity_base_url":"http://127.0.0.1:9000/",
                "api_base_url":"http://127.0.0.1:9001"}"#,
            PAGE,
        )
        .expect("valid");
        assert_eq!(config.scope, Scope::Write);
        assert_eq!(config.redirect_uri, "https://portal.example.com/cb");
        assert_eq!(config.region, Some(Region::Eu));
        assert_eq!(config.identity_base_url, "http://127.0.0.1:9000");
        assert_eq!(
            config.api_base_url.as_deref(),
            Some("http://127.0.0.1:9001")
        );
    }

    #[test]
    fn the_api_host_prefers_explicit_config_then_the_token_then_the_us() {
        let mut config = parse(r#"{"client_id":"c"}"#, PAGE).expect("valid");
        assert_eq!(config.api_base_url_for(Some(Region::Eu)), hosts::API_EU);
        config.region = Some(Region::Us);
        assert_eq!(config.api_base_url_for(Some(Region::Eu)), hosts::API_US);
        config.api_base_url = Some("https://proxy.example.com".into());
        assert_eq!(
            config.api_base_url_for(Some(Region::Eu)),
            "https://proxy.example.com"
        );
    }

    #[test]
    fn a_missing_or_blank_client_id_says_where_to_find_it() {
        assert_eq!(problems("{}"), vec![ConfigProblem::MissingClientId]);
        assert_eq!(
            problems(r#"{"client_id": "  "}"#),
            vec![ConfigProblem::MissingClientId]
        );
        assert!(ConfigProblem::MissingClientId
            .to_string()
            .contains("App Registration"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let found = problems(
            r#"{"client_id": 42, "scope": "Read", "region": "us-east", "api_base_url": "http://api.example.com", "clientid": "x"}"#,
        );
        assert_eq!(
            found,
            vec![
                ConfigProblem::UnknownField("clientid".into()),
                ConfigProblem::WrongType {
                    field: "client_id",
                    expected: "a string in double quotes"
                },
                ConfigProblem::UnknownScope("Read".into()),
                ConfigProblem::UnknownRegion("us-east".into()),
                ConfigProblem::BadUrl {
                    field: "api_base_url",
                    reason: "must use https:// (plain http:// is allowed only for localhost)",
                    value: "http://api.example.com".into(),
                },
            ]
        );
    }

    #[test]
    fn messages_name_the_field_and_the_fix() {
        let sentences: Vec<String> = problems(
            r#"{"client_id":"c","scope":"READ","redirect_uri":"https://x.example.com/#cb"}"#,
        )
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            sentences,
            vec![
                "\"scope\" is \"READ\", but PagerDuty only knows \"read\" and \"write\" (lower case). Use \"read\".",
                "\"redirect_uri\" must not contain a query (?) or fragment (#): \"https://x.example.com/#cb\".",
            ]
        );
    }

    #[test]
    fn text_that_is_not_a_json_object_is_explained() {
        assert!(matches!(
            problems("{client_id: 1}")[..],
            [ConfigProblem::NotJson(_)]
        ));
        assert_eq!(problems("[]"), vec![ConfigProblem::NotAnObject]);
        assert!(matches!(problems("")[..], [ConfigProblem::NotJson(_)]));
    }

    #[test]
    fn embedding_settings_are_checked() {
        let config = parse(
            r#"{"client_id":"c","redirect_target":"top","embed_parent_origins":["https://portal.example.com","http://127.0.0.1:9000/"]}"#,
            PAGE,
        )
        .expect("valid");
        assert_eq!(config.redirect_target, RedirectTarget::Top);
        assert_eq!(
            config.embed_parent_origins,
            vec!["https://portal.example.com", "http://127.0.0.1:9000"]
        );
        let found = problems(
            r#"{"client_id":"c","redirect_target":"window","embed_parent_origins":["https://portal.example.com/wiki", 7]}"#,
        );
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(matches!(found[0], ConfigProblem::UnknownRedirectTarget(_)));
        assert!(
            problems(r#"{"client_id":"c","embed_parent_origins":"https://x.example.com"}"#)[0]
                .to_string()
                .contains("list of origins")
        );
    }

    #[test]
    fn routing_is_auto_unless_named() {
        let routing = |text: &str| parse(text, PAGE).map(|c| c.routing);
        assert_eq!(routing(r#"{"client_id":"c"}"#), Ok(None));
        assert_eq!(routing(r#"{"client_id":"c","routing":"auto"}"#), Ok(None));
        assert_eq!(
            routing(r#"{"client_id":"c","routing":"path"}"#),
            Ok(Some(Routing::Path))
        );
        assert_eq!(
            routing(r#"{"client_id":"c","routing":"hash"}"#),
            Ok(Some(Routing::Hash))
        );
        let found = problems(r#"{"client_id":"c","routing":"history"}"#);
        assert_eq!(found, vec![ConfigProblem::UnknownRouting("history".into())]);
        assert!(found[0].to_string().contains("\"hash\" (any host)"));
    }

    #[test]
    fn null_fields_mean_the_default() {
        let config = parse(r#"{"client_id":"c","scope":null,"region":null}"#, PAGE).expect("valid");
        assert_eq!((config.scope, config.region), (Scope::Read, None));
    }
}
