//! Running inside another page: the popup sign-in's message, and embed mode's options.

use crate::form;
use serde::{Deserialize, Serialize};

/// The start of the sign-in window's name; the rest is the nonce of the sign-in that opened
/// it (see [`popup_name`]).
const POPUP_NAME_PREFIX: &str = "pagerduty-oncall-sign-in.";

/// The window name a framed page gives its sign-in popup: it carries a fresh nonce that only
/// that page knows, and the window keeps its name through PagerDuty and back.
pub fn popup_name(nonce: &str) -> String {
    format!("{POPUP_NAME_PREFIX}{nonce}")
}

/// The nonce in a window's name, if this app's sign-in named it ([`popup_name`]).
pub fn popup_nonce(window_name: &str) -> Option<&str> {
    let nonce = window_name.strip_prefix(POPUP_NAME_PREFIX)?;
    let well_formed = (16..=128).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    well_formed.then_some(nonce)
}

/// What the sign-in popup sends back to the framed page that opened it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopupResult {
    /// Always [`PopupResult::KIND`], so other messages on the window are told apart.
    pub kind: String,
    /// The callback's query string, as the popup received it.
    pub query: String,
    /// The nonce from the popup's name: proof that this answer is for the page that opened it.
    pub nonce: String,
}

impl PopupResult {
    pub const KIND: &'static str = "pagerduty-oncall:callback";

    pub fn new(query: &str, nonce: &str) -> Self {
        Self {
            kind: Self::KIND.into(),
            query: query.into(),
            nonce: nonce.into(),
        }
    }

    /// Reads a message event's data, accepting it only from `own_origin` exactly (the popup is
    /// this app on its own origin) and only with the `nonce` this page gave its popup.
    pub fn accept(data: &str, event_origin: &str, own_origin: &str, nonce: &str) -> Option<Self> {
        if event_origin != own_origin || own_origin.is_empty() || own_origin == "null" {
            return None;
        }
        let message: Self = serde_json::from_str(data).ok()?;
        (message.kind == Self::KIND && !nonce.is_empty() && message.nonce == nonce)
            .then_some(message)
    }
}

/// Whether a framed page may run here: every origin around it (`location.ancestorOrigins`,
/// nearest first) is the page's own or one that `config.json` lists in
/// `embed_parent_origins`. Otherwise any site could frame the page and dress its Sign in and
/// Sign out buttons in its own interface. `None`: the browser does not tell (Firefox has no
/// `ancestorOrigins`); the host's `frame-ancestors` header is then the only guard.
pub fn framing_allowed(ancestors: Option<&[String]>, own_origin: &str, allowed: &[String]) -> bool {
    ancestors.is_none_or(|ancestors| {
        ancestors.iter().all(|origin| {
            origin != "null" && (origin == own_origin || allowed.iter().any(|a| a == origin))
        })
    })
}

/// The height message a framed page sends its portal.
pub fn height_message(height: u32) -> String {
    format!(r#"{{"kind":"pagerduty-oncall:height","height":{height}}}"#)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// Embed mode, from the page's own query string (`?embed=1&theme=dark`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embed {
    pub compact: bool,
    pub theme: Theme,
}

impl Embed {
    pub fn from_query(query: &str) -> Self {
        let value = |name| form::query_value(query, name).unwrap_or_default();
        let compact = matches!(value("embed").as_str(), "1" | "true" | "yes");
        let theme = match value("theme").as_str() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::Auto,
        };
        Self { compact, theme }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "https://oncall.example.com";

    const NONCE: &str = "n0nce-of-this-sign-in_1234";

    #[test]
    fn a_popup_result_is_accepted_only_from_this_apps_own_origin() {
        let data =
            serde_json::to_string(&PopupResult::new("?code=abc&state=s", NONCE)).expect("json");
        assert_eq!(
            PopupResult::accept(&data, APP, APP, NONCE),
            Some(PopupResult::new("?code=abc&state=s", NONCE))
        );
        for origin in [
            "https://evil.example.com",
            "https://oncall.example.com:8443",
            "http://oncall.example.com",
            "null",
            "",
        ] {
            assert_eq!(
                PopupResult::accept(&data, origin, APP, NONCE),
                None,
                "{origin}"
            );
        }
        assert_eq!(
            PopupResult::accept(&data, "null", "null", NONCE),
            None,
            "opaque origins never match"
        );
    }

    #[test]
    fn a_popup_result_for_another_sign_in_is_ignored() {
        let other = serde_json::to_string(&PopupResult::new("?code=abc", "another-sign-in-nonce"))
            .expect("json");
        assert_eq!(PopupResult::accept(&other, APP, APP, NONCE), None);
        let none = serde_json::to_string(&PopupResult::new("?code=abc", "")).expect("json");
        assert_eq!(PopupResult::accept(&none, APP, APP, ""), None);
        let old_shape = r#"{"kind":"pagerduty-oncall:callback","query":"?code=x"}"#;
        assert_eq!(PopupResult::accept(old_shape, APP, APP, NONCE), None);
    }

    #[test]
    fn only_the_portals_config_json_names_may_frame_the_page() {
        let allowed = vec!["https://portal.example.com".to_string()];
        let frames =
            |origins: &[&str]| -> Vec<String> { origins.iter().map(|o| o.to_string()).collect() };
        let ok = |origins: &[&str]| framing_allowed(Some(&frames(origins)), APP, &allowed);
        assert!(ok(&["https://portal.example.com"]));
        assert!(
            ok(&[APP, "https://portal.example.com"]),
            "the page framing itself"
        );
        assert!(!ok(&["https://evil.example.com"]));
        assert!(
            !ok(&["https://portal.example.com", "https://evil.example.com"]),
            "a listed portal framed in turn by another site"
        );
        assert!(!ok(&["null"]), "a sandboxed frame has no origin to trust");
        assert!(!ok(&["https://portal.example.com.evil.example"]));
        assert!(!framing_allowed(
            Some(&frames(&["https://portal.example.com"])),
            APP,
            &[]
        ));
        assert!(
            framing_allowed(None, APP, &[]),
            "a browser that does not say is left to the frame-ancestors header"
        );
    }

    #[test]
    fn the_popups_name_carries_its_nonce_and_nothing_else_counts() {
        assert_eq!(popup_nonce(&popup_name(NONCE)), Some(NONCE));
        for name in [
            "",
            "pagerduty-oncall-sign-in",
            "pagerduty-oncall-sign-in.",
            "pagerduty-oncall-sign-in.short",
            "pagerduty-oncall-sign-in.has spaces in it, too many",
            "someone-else.n0nce-of-this-sign-in_1234",
        ] {
            assert_eq!(popup_nonce(name), None, "{name:?}");
        }
    }

    #[test]
    fn other_messages_on_the_window_are_ignored() {
        assert_eq!(
            PopupResult::accept(
                r#"{"kind":"something-else","query":"?code=x","nonce":"n0nce-of-this-sign-in_1234"}"#,
                APP,
                APP,
                NONCE
            ),
            None
        );
        assert_eq!(PopupResult::accept("not json", APP, APP, NONCE), None);
        assert_eq!(
            PopupResult::accept(&height_message(10), APP, APP, NONCE),
            None
        );
    }

    #[test]
    fn embed_mode_and_theme_come_from_the_query() {
        assert_eq!(
            Embed::from_query("?embed=1&theme=dark"),
            Embed {
                compact: true,
                theme: Theme::Dark
            }
        );
        assert_eq!(
            Embed::from_query("?theme=light"),
            Embed {
                compact: false,
                theme: Theme::Light
            }
        );
        assert_eq!(
            Embed::from_query("?embed=0&theme=purple"),
            Embed {
                compact: false,
                theme: Theme::Auto
            }
        );
        assert_eq!(
            height_message(640),
            r#"{"kind":"pagerduty-oncall:height","height":640}"#
        );
    }
}
