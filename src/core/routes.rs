//! Every in-app URL, spelled once.

use crate::form;

/// A kind of view, without its parameters: what the app dispatches on. A page reads its
/// parameters (an ID, a window) from the address itself, so it stays mounted while only they
/// change; [`Route`] is the same view with its parameters, for links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// My on-call: the signed-in person's shifts.
    Home,
    Schedules,
    Schedule,
    Teams,
    Team,
    /// What a person is on call for.
    User,
    EscalationPolicies,
    /// Every level of a policy, now and next.
    EscalationPolicy,
    Services,
    /// A service and the levels of its policy: what a portal embeds beside a service.
    Service,
    /// Where nobody is on call, account-wide or for a team, over the next days.
    Coverage,
    /// On-call hours per person over a period, and their CSV file.
    Hours,
    /// Several schedules on one time axis, for a wall.
    Board,
    /// One shift to take: what a cover link opens (`/cover?schedule&start&end&for`).
    Cover,
    /// Away: cover for every shift of one's own over some days.
    Away,
}

impl Page {
    /// Every view, for whatever must visit them all (the phone-width check, say).
    pub const ALL: [Page; 15] = [
        Page::Home,
        Page::Schedules,
        Page::Schedule,
        Page::Teams,
        Page::Team,
        Page::User,
        Page::EscalationPolicies,
        Page::EscalationPolicy,
        Page::Services,
        Page::Service,
        Page::Coverage,
        Page::Hours,
        Page::Board,
        Page::Cover,
        Page::Away,
    ];

    /// The views the header links to, in its order, each named by its title.
    pub const NAV: [Page; 7] = [
        Page::Home,
        Page::Schedules,
        Page::Services,
        Page::EscalationPolicies,
        Page::Teams,
        Page::Coverage,
        Page::Hours,
    ];

    /// The path inside the app (the router adds the base path), without a query.
    ///
    /// Every path is one segment deep, with IDs in the query: the page's directory is then
    /// always the app's own, so its relative asset URLs resolve from any deep link, at `/` or
    /// under any sub-path, without a rebuild or a `<base>` tag.
    pub fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Schedules => "/schedules",
            Page::Schedule => "/schedule",
            Page::Teams => "/teams",
            Page::Team => "/team",
            Page::User => "/user",
            Page::EscalationPolicies => "/escalation-policies",
            Page::EscalationPolicy => "/escalation-policy",
            Page::Services => "/services",
            Page::Service => "/service",
            Page::Coverage => "/coverage",
            Page::Hours => "/hours",
            Page::Board => "/board",
            Page::Cover => "/cover",
            Page::Away => "/away",
        }
    }

    /// The view an in-app path shows, if any.
    pub fn at(path: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|page| page.path() == path)
    }

    /// What the view is called in the page title.
    pub fn title(self) -> &'static str {
        match self {
            Page::Home => "My on-call",
            Page::Schedules => "Schedules",
            Page::Schedule => "Schedule",
            Page::Teams => "Teams",
            Page::Team => "Team",
            Page::User => "Person",
            Page::EscalationPolicies => "Escalation policies",
            Page::EscalationPolicy => "Escalation policy",
            Page::Services => "Services",
            Page::Service => "Service",
            Page::Coverage => "Coverage",
            Page::Hours => "On-call hours",
            Page::Board => "Board",
            Page::Cover => "Take a shift",
            Page::Away => "Away",
        }
    }
}

/// A view with its parameters: what a link points at. [`Route::path`] is the only place
/// in-app addresses are built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Schedules,
    Schedule(String),
    Teams,
    Team(String),
    User(String),
    EscalationPolicies,
    EscalationPolicy(String),
    Services,
    Service(String),
    Coverage,
    Hours,
    Board,
    /// Its shift is in the query: [`crate::cover::CoverLink::href`].
    Cover,
    Away,
}

impl Route {
    /// Which view this is.
    pub fn page(&self) -> Page {
        match self {
            Route::Home => Page::Home,
            Route::Schedules => Page::Schedules,
            Route::Schedule(_) => Page::Schedule,
            Route::Teams => Page::Teams,
            Route::Team(_) => Page::Team,
            Route::User(_) => Page::User,
            Route::EscalationPolicies => Page::EscalationPolicies,
            Route::EscalationPolicy(_) => Page::EscalationPolicy,
            Route::Services => Page::Services,
            Route::Service(_) => Page::Service,
            Route::Coverage => Page::Coverage,
            Route::Hours => Page::Hours,
            Route::Board => Page::Board,
            Route::Cover => Page::Cover,
            Route::Away => Page::Away,
        }
    }

    fn id(&self) -> Option<&str> {
        match self {
            Route::Schedule(id)
            | Route::Team(id)
            | Route::User(id)
            | Route::EscalationPolicy(id)
            | Route::Service(id) => Some(id),
            Route::Home
            | Route::Schedules
            | Route::Teams
            | Route::EscalationPolicies
            | Route::Services
            | Route::Coverage
            | Route::Hours
            | Route::Board
            | Route::Cover
            | Route::Away => None,
        }
    }

    /// The path inside the app, with the ID in the query. IDs are escaped, so an ID from the
    /// API can never add a path segment or another parameter.
    pub fn path(&self) -> String {
        let page = self.page().path();
        match self.id() {
            Some(id) => format!("{page}?id={}", form::encode(id)),
            None => page.into(),
        }
    }

    /// The route an in-app path and query show, if any (a missing ID reads as empty).
    pub fn at(path: &str, query: &str) -> Option<Route> {
        let id = || form::query_value(query, "id").unwrap_or_default();
        Some(match Page::at(path)? {
            Page::Home => Route::Home,
            Page::Schedules => Route::Schedules,
            Page::Schedule => Route::Schedule(id()),
            Page::Teams => Route::Teams,
            Page::Team => Route::Team(id()),
            Page::User => Route::User(id()),
            Page::EscalationPolicies => Route::EscalationPolicies,
            Page::EscalationPolicy => Route::EscalationPolicy(id()),
            Page::Services => Route::Services,
            Page::Service => Route::Service(id()),
            Page::Coverage => Route::Coverage,
            Page::Hours => Route::Hours,
            Page::Board => Route::Board,
            Page::Cover => Route::Cover,
            Page::Away => Route::Away,
        })
    }

    /// The path with the view-wide query parameters (the time zone) carried over.
    pub fn href(&self, current_query: &str) -> String {
        let carried: Vec<(String, String)> = form::decode_pairs(current_query)
            .into_iter()
            .filter(|(k, _)| CARRIED.contains(&k.as_str()))
            .collect();
        if carried.is_empty() {
            return self.path();
        }
        let query = form::encode_pairs(carried.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let path = self.path();
        let joiner = if path.contains('?') { '&' } else { '?' };
        format!("{path}{joiner}{query}")
    }
}

/// At most this many schedules are shown for `?ids=` (each loads its own final schedule).
pub const MAX_CHOSEN_SCHEDULES: usize = 50;

/// The schedules a link asks for by ID (`/schedules?ids=PS1,PS2`, as a portal embeds "on call
/// now" for its own schedules): in the given order, without repeats or blanks, at most
/// [`MAX_CHOSEN_SCHEDULES`]; and whether more were asked for.
pub fn chosen_schedules(query: &str) -> (Vec<String>, bool) {
    id_list(query, "ids")
}

/// The IDs a comma-separated parameter `name` lists (`?schedules=PS1,PS2`): in the given order,
/// without repeats or blanks, at most [`MAX_CHOSEN_SCHEDULES`]; and whether more were listed.
pub fn id_list(query: &str, name: &str) -> (Vec<String>, bool) {
    let mut ids: Vec<String> = Vec::new();
    let asked = form::query_value(query, name).unwrap_or_default();
    for id in asked.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        if !ids.iter().any(|known| known == id) {
            ids.push(id.to_string());
        }
    }
    let more = ids.len() > MAX_CHOSEN_SCHEDULES;
    ids.truncate(MAX_CHOSEN_SCHEDULES);
    (ids, more)
}

/// Query parameters every link keeps, so a shared link shows the same view.
const CARRIED: [&str; 1] = ["tz"];

/// `query` (with or without `?`) with `name` set to `value`, or removed when `value` is `None`;
/// other parameters keep their order. Returns a query with its `?`, or an empty string.
pub fn with_param(query: &str, name: &str, value: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = form::decode_pairs(query)
        .into_iter()
        .filter(|(k, _)| k != name)
        .collect();
    if let Some(value) = value {
        pairs.push((name.to_string(), value.to_string()));
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!(
            "?{}",
            form::encode_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_one_path_and_ids_cannot_escape_it() {
        assert_eq!(Route::Home.path(), "/");
        assert_eq!(Route::Schedules.path(), "/schedules");
        assert_eq!(Route::Schedule("PS1".into()).path(), "/schedule?id=PS1");
        assert_eq!(Route::Teams.path(), "/teams");
        assert_eq!(Route::Team("PT1".into()).path(), "/team?id=PT1");
        assert_eq!(Route::EscalationPolicies.path(), "/escalation-policies");
        assert_eq!(
            Route::EscalationPolicy("PE1".into()).path(),
            "/escalation-policy?id=PE1"
        );
        assert_eq!(Route::Services.path(), "/services");
        assert_eq!(Route::Service("PV1".into()).path(), "/service?id=PV1");
        assert_eq!(
            Route::User("../x?y&z".into()).path(),
            "/user?id=..%2Fx%3Fy%26z"
        );
        for route in [
            Route::Home,
            Route::Schedules,
            Route::Teams,
            Route::User("a/b".into()),
        ] {
            let path = route.path();
            let path = path.split('?').next().unwrap_or_default();
            assert_eq!(path.matches('/').count(), 1, "{path} is one segment deep");
        }
    }

    #[test]
    fn every_path_reads_back_as_its_route() {
        for route in [
            Route::Home,
            Route::Schedules,
            Route::Schedule("P1".into()),
            Route::Teams,
            Route::Team("P&2".into()),
            Route::User("P 3".into()),
            Route::EscalationPolicies,
            Route::EscalationPolicy("P/4".into()),
            Route::Services,
            Route::Service("P5".into()),
            Route::Coverage,
            Route::Hours,
            Route::Board,
            Route::Cover,
            Route::Away,
        ] {
            let path = route.href("?tz=UTC&span=day");
            let (path, query) = path.split_once('?').unwrap_or((&path, ""));
            assert_eq!(Route::at(path, &format!("?{query}")), Some(route));
        }
        assert_eq!(Route::at("/team", ""), Some(Route::Team(String::new())));
        for page in Page::ALL {
            assert_eq!(Page::at(page.path()), Some(page));
        }
        // A new view must be in Page::ALL (the phone check visits ALL): this match stops
        // compiling until it is listed here, and the count below until it is listed there.
        for page in Page::ALL {
            match page {
                Page::Home
                | Page::Schedules
                | Page::Schedule
                | Page::Teams
                | Page::Team
                | Page::User
                | Page::EscalationPolicies
                | Page::EscalationPolicy
                | Page::Services
                | Page::Service
                | Page::Coverage
                | Page::Hours
                | Page::Board
                | Page::Cover
                | Page::Away => {}
            }
        }
        assert_eq!(Page::ALL.len(), 15, "every Page variant is in Page::ALL");
        for page in Page::NAV {
            assert_eq!(
                Route::at(page.path(), "").map(|r| r.page()),
                Some(page),
                "a header link needs no parameter"
            );
        }
        assert_eq!(Route::at("/teams/P1", ""), None);
        assert_eq!(Route::at("/index.html", ""), None);
    }

    #[test]
    fn a_route_is_its_page_with_its_parameters() {
        assert_eq!(Route::Team("PT1".into()).page(), Page::Team);
        assert_eq!(
            Route::at("/team", "?id=PT1").map(|r| r.page()),
            Page::at("/team")
        );
        assert_eq!(Page::Team.title(), "Team");
        assert_eq!(Page::at("/teams/P1"), None);
    }

    #[test]
    fn links_carry_the_time_zone_and_nothing_else() {
        let query = "?span=week&tz=America%2FNew_York&start=2026-11-30";
        assert_eq!(Route::Teams.href(query), "/teams?tz=America%2FNew_York");
        assert_eq!(Route::Teams.href("?q=ops"), "/teams");
        assert_eq!(
            Route::Team("PT1".into()).href("?tz=UTC"),
            "/team?id=PT1&tz=UTC"
        );
    }

    #[test]
    fn chosen_schedules_keep_their_order_once_each_up_to_the_limit() {
        assert_eq!(
            chosen_schedules("?ids=PS2,PS1%2CPS2,,%20PS3%20&embed=1"),
            (vec!["PS2".into(), "PS1".into(), "PS3".into()], false)
        );
        assert_eq!(chosen_schedules("?q=ops"), (vec![], false));
        assert_eq!(
            id_list("?schedules=PS1,PS2&ids=PS9", "schedules").0,
            vec!["PS1".to_string(), "PS2".into()]
        );
        let many: Vec<String> = (0..60).map(|i| format!("P{i}")).collect();
        let (ids, more) = chosen_schedules(&format!("?ids={}", many.join(",")));
        assert_eq!((ids.len(), more), (MAX_CHOSEN_SCHEDULES, true));
        assert_eq!(ids[0], "P0");
    }

    #[test]
    fn a_parameter_can_be_set_replaced_and_removed() {
        assert_eq!(
            with_param("?span=week&tz=UTC", "tz", Some("Europe/Oslo")),
            "?span=week&tz=Europe%2FOslo"
        );
        assert_eq!(with_param("", "q", Some("ops team")), "?q=ops+team");
        assert_eq!(with_param("?q=ops", "q", None), "");
    }
}
