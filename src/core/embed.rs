//! Running inside another page: the popup sign-in's message, and embed mode's options.

use crate::form;
use serde::{Deserialize, Serialize};

/// What the sign-in popup sends back to the framed page that opened it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopupResult {
    /// Always [`PopupResult::KIND`], so other messages on the window are told apart.
    pub kind: String,
    /// The callback's query string, as the popup received it.
    pub query: String,
}

impl PopupResult {
    pub const KIND: &'static str = "pagerduty-oncall:callback";

    pub fn new(query: &str) -> Self {
        Self {
            kind: Self::KIND.into(),
            query: query.into(),
        }
    }

    /// Reads a message event's data, accepting it only from `own_origin` exactly: the popup is
    /// this app on its own origin, and nothing else may hand the frame a code.
    pub fn accept(data: &str, event_origin: &str, own_origin: &str) -> Option<Self> {
        if event_origin != own_origin || own_origin.is_empty() || own_origin == "null" {
            return None;
        }
        let message: Self = serde_json::from_str(data).ok()?;
        (message.kind == Self::KIND).then_some(message)
    }
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

    #[test]
    fn a_popup_result_is_accepted_only_from_this_apps_own_origin() {
        let data = serde_json::to_string(&PopupResult::new("?code=abc&state=s")).expect("json");
        assert_eq!(
            PopupResult::accept(&data, APP, APP),
            Some(PopupResult::new("?code=abc&state=s"))
        );
        for origin in [
            "https://evil.example.com",
            "https://oncall.example.com:8443",
            "http://oncall.example.com",
            "null",
            "",
        ] {
            assert_eq!(PopupResult::accept(&data, origin, APP), None, "{origin}");
        }
        assert_eq!(
            PopupResult::accept(&data, "null", "null"),
            None,
            "opaque origins never match"
        );
    }

    #[test]
    fn other_messages_on_the_window_are_ignored() {
        assert_eq!(
            PopupResult::accept(r#"{"kind":"something-else","query":"?code=x"}"#, APP, APP),
            None
        );
        assert_eq!(PopupResult::accept("not json", APP, APP), None);
        assert_eq!(PopupResult::accept(&height_message(10), APP, APP), None);
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
