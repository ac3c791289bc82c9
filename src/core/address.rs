//! Where the app is: its base on the host, the address of a view inside it, and the two ways
//! of writing that address in the address bar.
//!
//! A host that answers every path under the app's folder with `index.html` (nginx with
//! `try_files`, CloudFront with a rewrite, GitHub Pages with a `404.html` copy) can show clean
//! addresses: `/tools/oncall/team?id=P1`. A plain file server cannot: reloading that address
//! gets the host's 404. There the app writes the view after a `#` instead,
//! `/tools/oncall/#/team?id=P1`, which every host serves, because the browser never sends the
//! fragment. Either way of writing is read on entry, so a link works wherever it can load.

use crate::form;

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

    /// The in-app part of a full path (`/tools/oncall/teams` → `/teams`). The page itself,
    /// asked for by name (`/tools/oncall/index.html`), is the home view.
    pub fn in_app_path<'a>(&self, full_path: &'a str) -> &'a str {
        let root = self.path.trim_end_matches('/');
        match full_path.strip_prefix(root) {
            Some("/index.html") => "/",
            Some(rest) if rest.starts_with('/') => rest,
            _ => "/",
        }
    }

    /// Whether `full_path` is at or under the base (the base without its final `/` counts).
    fn contains(&self, full_path: &str) -> bool {
        full_path.starts_with(&self.path) || full_path == self.path.trim_end_matches('/')
    }

    /// The view a link on this page points to, if it is one of the app's own: same origin,
    /// under the base, and no fragment other than a hash-written view (`#main` is a place on
    /// the page, left to the browser).
    pub fn link_target(
        &self,
        origin: &str,
        pathname: &str,
        search: &str,
        hash: &str,
    ) -> Option<Address> {
        let inside = origin == self.origin && self.contains(pathname);
        let plain_fragment = !hash.is_empty() && !hash.starts_with("#/");
        (inside && !plain_fragment).then(|| self.address(pathname, search, hash))
    }

    /// The view an address bar shows, written either way. A hash-written view wins over the
    /// path; the page's own query (a portal's `?embed=1`) is kept beneath the view's.
    pub fn address(&self, pathname: &str, search: &str, hash: &str) -> Address {
        match hash.strip_prefix('#').filter(|h| h.starts_with('/')) {
            Some(view) => {
                let mut address = Address::parse(view);
                address.query = merge_queries(search, &address.query);
                address
            }
            None => Address {
                path: self.in_app_path(pathname).to_string(),
                query: search.to_string(),
            },
        }
    }
}

/// `/a/b/c` → `/a/b/`; `/a/b/` → `/a/b/`; anything odd → `/`.
pub fn directory_of(path: &str) -> String {
    match path.rfind('/') {
        Some(i) if path.starts_with('/') && !path.starts_with("//") => path[..=i].to_string(),
        _ => "/".to_string(),
    }
}

/// A view inside the app: a path of one segment and a query, e.g. `/team` and `?id=P1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// Starts with `/`.
    pub path: String,
    /// Empty, or starts with `?`.
    pub query: String,
}

impl Address {
    /// Reads `/team?id=P1`; a missing path is the home view.
    pub fn parse(in_app: &str) -> Self {
        let (path, query) = match in_app.find('?') {
            Some(i) => in_app.split_at(i),
            None => (in_app, ""),
        };
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        let query = if query == "?" { "" } else { query };
        Self {
            path,
            query: query.to_string(),
        }
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.path, self.query)
    }
}

/// `outer`'s parameters, then `inner`'s; a name in both keeps `inner`'s value.
fn merge_queries(outer: &str, inner: &str) -> String {
    if outer.trim_start_matches('?').is_empty() {
        return inner.to_string();
    }
    let inner_pairs = form::decode_pairs(inner);
    let pairs: Vec<(String, String)> = form::decode_pairs(outer)
        .into_iter()
        .filter(|(name, _)| !inner_pairs.iter().any(|(n, _)| n == name))
        .chain(inner_pairs.iter().cloned())
        .collect();
    if pairs.is_empty() {
        return String::new();
    }
    let encoded = form::encode_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    format!("?{encoded}")
}

/// How views are written in the address bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// `/tools/oncall/team?id=P1`: needs a host that answers every path under the base with
    /// `index.html`.
    Path,
    /// `/tools/oncall/#/team?id=P1`: works on any host.
    Hash,
}

impl Routing {
    /// The same-origin URL (path, query, fragment) that shows `address`.
    pub fn url(self, base: &Base, address: &Address) -> String {
        let path = address.path.trim_start_matches('/');
        match self {
            Routing::Path => format!("{}{path}{}", base.path, address.query),
            Routing::Hash if path.is_empty() && address.query.is_empty() => base.path.clone(),
            Routing::Hash => format!("{}#/{path}{}", base.path, address.query),
        }
    }
}

/// An inner path the app asks its host for at start-up, to learn whether the host falls back to
/// `index.html` (relative to the base; any in-app path would do).
pub const PROBE_PATH: &str = "schedules";

/// Whether `html` is this page: `index.html` carries `<meta name="pagerduty-oncall" …>`, which
/// a host's own 404 page cannot contain, since a URL echoed there cannot hold `<`. Read in any
/// spelling a minifier leaves (attributes in any order, unquoted where they need no quotes).
fn is_this_page(html: &str) -> bool {
    html.split("<meta ").skip(1).any(|tag| {
        let tag = tag.split('>').next().unwrap_or_default();
        tag.split_ascii_whitespace()
            .any(|a| a == "name=pagerduty-oncall" || a == "name=\"pagerduty-oncall\"")
    })
}

/// Routing for a host whose answer to [`PROBE_PATH`] was `body` (`None`: no answer). The
/// status does not matter: GitHub Pages answers with its `404.html`, a copy of the page, and
/// status 404, and the page still loads there.
pub fn routing_for_probe(body: Option<&str>) -> Routing {
    match body {
        Some(body) if is_this_page(body) => Routing::Path,
        _ => Routing::Hash,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(path: &str) -> Base {
        Base {
            origin: "https://x.example.com".into(),
            path: path.into(),
        }
    }

    fn address(in_app: &str) -> Address {
        Address::parse(in_app)
    }

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
        let sub = base("/tools/oncall/");
        assert_eq!(sub.url(), "https://x.example.com/tools/oncall/");
        assert_eq!(sub.in_app_path("/tools/oncall/teams/P1"), "/teams/P1");
        assert_eq!(sub.in_app_path("/tools/oncall"), "/");
        assert_eq!(sub.in_app_path("/tools/oncallx"), "/");
        assert_eq!(sub.in_app_path("/tools/oncall/index.html"), "/");
        let root = base("/");
        assert_eq!(root.in_app_path("/teams"), "/teams");
        assert_eq!(root.in_app_path("/index.html"), "/");
    }

    #[test]
    fn an_address_has_a_path_and_a_query() {
        assert_eq!(address("/team?id=P1").path, "/team");
        assert_eq!(address("/team?id=P1").query, "?id=P1");
        assert_eq!(address("").to_string(), "/");
        assert_eq!(address("teams").to_string(), "/teams");
        assert_eq!(address("/?").to_string(), "/");
        assert_eq!(address("/?tz=UTC").to_string(), "/?tz=UTC");
    }

    #[test]
    fn each_routing_writes_the_view_its_own_way() {
        let sub = base("/tools/oncall/");
        let team = address("/team?id=P1&tz=UTC");
        assert_eq!(
            Routing::Path.url(&sub, &team),
            "/tools/oncall/team?id=P1&tz=UTC"
        );
        assert_eq!(
            Routing::Hash.url(&sub, &team),
            "/tools/oncall/#/team?id=P1&tz=UTC"
        );
        assert_eq!(Routing::Path.url(&sub, &address("/")), "/tools/oncall/");
        assert_eq!(Routing::Hash.url(&sub, &address("/")), "/tools/oncall/");
        assert_eq!(
            Routing::Hash.url(&sub, &address("/?tz=UTC")),
            "/tools/oncall/#/?tz=UTC"
        );
        assert_eq!(Routing::Path.url(&base("/"), &address("/teams")), "/teams");
    }

    #[test]
    fn a_path_cannot_leave_the_origin_whichever_the_routing() {
        // Read from a hostile fragment, the path is still written under the base.
        let hostile = base("/").address("/", "", "#//evil.example.com/x");
        assert_eq!(
            Routing::Path.url(&base("/"), &hostile),
            "/evil.example.com/x"
        );
        assert!(Routing::Hash
            .url(&base("/"), &hostile)
            .starts_with("/#/evil.example.com"));
    }

    #[test]
    fn both_ways_of_writing_read_back_as_the_same_view() {
        let sub = base("/tools/oncall/");
        for (pathname, search, hash) in [
            ("/tools/oncall/team", "?id=P1", ""),
            ("/tools/oncall/", "", "#/team?id=P1"),
            ("/tools/oncall/index.html", "", "#/team?id=P1"),
        ] {
            assert_eq!(
                sub.address(pathname, search, hash),
                address("/team?id=P1"),
                "{pathname}{search}{hash}"
            );
        }
        for routing in [Routing::Path, Routing::Hash] {
            let view = address("/schedule?id=P1&span=week");
            let url = Routing::url(routing, &sub, &view);
            let (rest, hash) = url.split_once('#').unwrap_or((&url, ""));
            let (pathname, search) = rest.split_once('?').unwrap_or((rest, ""));
            let search = if search.is_empty() {
                String::new()
            } else {
                format!("?{search}")
            };
            let hash = if hash.is_empty() {
                String::new()
            } else {
                format!("#{hash}")
            };
            assert_eq!(sub.address(pathname, &search, &hash), view, "{url}");
        }
    }

    #[test]
    fn a_portals_query_is_kept_beneath_a_hash_written_view() {
        let sub = base("/oncall/");
        let view = sub.address("/oncall/", "?embed=1&theme=dark", "#/teams?theme=light");
        assert_eq!(view.path, "/teams");
        assert_eq!(view.query, "?embed=1&theme=light");
        assert_eq!(
            sub.address("/oncall/", "?embed=1", "#/teams").query,
            "?embed=1"
        );
        // A fragment that is not a view (the skip link's `#main`) leaves the path in charge.
        assert_eq!(
            sub.address("/oncall/teams", "?tz=UTC", "#main"),
            address("/teams?tz=UTC")
        );
    }

    #[test]
    fn only_the_apps_own_links_are_taken_over() {
        let sub = base("/tools/oncall/");
        let origin = "https://x.example.com";
        let target = |o: &str, p: &str, s: &str, h: &str| sub.link_target(o, p, s, h);
        assert_eq!(
            target(origin, "/tools/oncall/team", "?id=P1", ""),
            Some(address("/team?id=P1"))
        );
        assert_eq!(
            target(origin, "/tools/oncall/", "", "#/teams"),
            Some(address("/teams"))
        );
        assert_eq!(target(origin, "/tools/oncall", "", ""), Some(address("/")));
        assert_eq!(target(origin, "/tools/oncall/", "", "#main"), None);
        assert_eq!(target(origin, "/tools/other/", "", ""), None);
        assert_eq!(target(origin, "/tools/oncallx", "", ""), None);
        assert_eq!(
            target("https://evil.example.com", "/tools/oncall/", "", ""),
            None
        );
    }

    #[test]
    fn the_probe_recognises_the_page_whatever_the_status() {
        let page = r#"<!DOCTYPE html><html><head><meta name="pagerduty-oncall" content="index" />"#;
        assert_eq!(routing_for_probe(Some(page)), Routing::Path);
        // As the release build writes it, minified.
        let minified = r#"<!doctype html><html lang=en><meta charset=utf-8><meta content=index name=pagerduty-oncall><title>On call"#;
        assert_eq!(routing_for_probe(Some(minified)), Routing::Path);
        let elsewhere = "<p>name=pagerduty-oncall was not found</p><meta charset=utf-8>";
        assert_eq!(routing_for_probe(Some(elsewhere)), Routing::Hash);
        let python_404 = "<!DOCTYPE HTML><html><head><title>Error response</title></head><body><h1>Error response</h1><p>Error code: 404</p><p>Message: File not found.</p></body></html>";
        assert_eq!(routing_for_probe(Some(python_404)), Routing::Hash);
        let echoed = "<p>/pagerduty-oncall/schedules was not found</p>";
        assert_eq!(routing_for_probe(Some(echoed)), Routing::Hash);
        assert_eq!(routing_for_probe(None), Routing::Hash);
    }
}
