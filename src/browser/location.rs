//! The address bar: reading it, and changing it without leaving history behind.

/// The page's base: its origin and the directory `index.html` is served from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base {
    pub origin: String,
    /// Starts and ends with `/`, e.g. `/` or `/tools/oncall/`.
    pub path: String,
}

impl Base {
    /// The default redirect URI: origin + base path, no query, no fragment.
    pub fn url(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }

    /// The base path as the router wants it: empty at the root, else without the final `/`.
    pub fn router_base(&self) -> String {
        self.path.trim_end_matches('/').to_string()
    }

    /// The in-app part of a full path (`/tools/oncall/teams` → `/teams`).
    pub fn in_app_path<'a>(&self, full_path: &'a str) -> &'a str {
        match full_path.strip_prefix(self.router_base().as_str()) {
            Some(rest) if rest.starts_with('/') => rest,
            _ => "/",
        }
    }

    /// The full path of an in-app path (`/teams` → `/tools/oncall/teams`).
    pub fn full_path(&self, in_app: &str) -> String {
        format!("{}{in_app}", self.router_base())
    }
}

/// The base at start-up: the directory of the page's own path. In-app paths are one segment
/// deep (see `Route::path`), so at `/tools/oncall/` and at `/tools/oncall/teams` alike this is
/// `/tools/oncall/`, wherever the site was copied to, with nothing fixed at build time.
pub fn base() -> Base {
    let location = web_sys::window().map(|w| w.location());
    let origin = location
        .as_ref()
        .and_then(|l| l.origin().ok())
        .unwrap_or_default();
    let pathname = location
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    Base {
        origin,
        path: directory_of(&pathname),
    }
}

/// `/a/b/c` → `/a/b/`; `/a/b/` → `/a/b/`; anything odd → `/`.
pub fn directory_of(path: &str) -> String {
    match path.rfind('/') {
        Some(i) if path.starts_with('/') && !path.starts_with("//") => path[..=i].to_string(),
        _ => "/".to_string(),
    }
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The query string, with its `?`.
pub fn search() -> String {
    location().and_then(|l| l.search().ok()).unwrap_or_default()
}

/// The path and query, e.g. `/tools/oncall/teams?tz=UTC`.
pub fn path_and_query() -> String {
    let path = location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    format!("{path}{}", search())
}

/// Replaces the current history entry's URL (same origin): the old URL, with whatever it
/// carried, is gone from history, so Back cannot return to it.
pub fn replace(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Leaves the page for `url`.
pub fn assign(url: &str) {
    if let Some(location) = location() {
        let _ = location.assign(url);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_is_the_directory_of_the_page_path() {
        assert_eq!(directory_of("/tools/oncall/teams"), "/tools/oncall/");
        assert_eq!(directory_of("/tools/oncall/"), "/tools/oncall/");
        assert_eq!(directory_of("/"), "/");
        assert_eq!(directory_of("/schedule"), "/");
        assert_eq!(directory_of(""), "/");
        assert_eq!(directory_of("//evil.example.com/x"), "/");
    }

    #[test]
    fn in_app_paths_are_relative_to_the_base() {
        let base = Base {
            origin: "https://x.example.com".into(),
            path: "/tools/oncall/".into(),
        };
        assert_eq!(base.url(), "https://x.example.com/tools/oncall/");
        assert_eq!(base.in_app_path("/tools/oncall/teams/P1"), "/teams/P1");
        assert_eq!(base.in_app_path("/tools/oncall"), "/");
        assert_eq!(base.in_app_path("/tools/oncallx"), "/");
        assert_eq!(base.full_path("/teams"), "/tools/oncall/teams");
        let root = Base {
            origin: "https://x.example.com".into(),
            path: "/".into(),
        };
        assert_eq!(root.router_base(), "");
        assert_eq!(root.in_app_path("/teams"), "/teams");
        assert_eq!(root.full_path("/"), "/");
    }
}
