//! PagerDuty's addresses: the only module that spells them.

/// Where the OAuth authorize, token and revoke endpoints live (both regions).
pub const IDENTITY: &str = "https://identity.pagerduty.com";
/// The REST API for accounts in the US service region.
pub const API_US: &str = "https://api.pagerduty.com";
/// The REST API for accounts in the EU service region.
pub const API_EU: &str = "https://api.eu.pagerduty.com";

pub const AUTHORIZE_PATH: &str = "/oauth/authorize";
pub const TOKEN_PATH: &str = "/oauth/token";
/// Undocumented, but PagerDuty's own single-page app signs out through it.
pub const REVOKE_PATH: &str = "/oauth/revoke";

/// PagerDuty's service regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Us,
    Eu,
}

impl Region {
    pub fn api_base_url(self) -> &'static str {
        match self {
            Region::Us => API_US,
            Region::Eu => API_EU,
        }
    }
}

/// Checks an absolute base URL given in configuration and returns it without a trailing `/`.
///
/// It must be `https://host[:port][/path]`, with no query, fragment or credentials. Plain
/// `http` is allowed only on loopback (the fake PagerDuty, local proxies): a token must never
/// cross a network in the clear.
pub fn parse_base_url(input: &str) -> Result<String, &'static str> {
    let url = parse_http_url(input)?;
    if url.query_or_fragment {
        return Err("must not contain a query (?) or fragment (#)");
    }
    Ok(input.trim_end_matches('/').to_string())
}

/// Checks an absolute redirect URI: like [`parse_base_url`] but the path is kept as given,
/// since PagerDuty compares it byte for byte with the registered one.
pub fn parse_redirect_uri(input: &str) -> Result<String, &'static str> {
    let url = parse_http_url(input)?;
    if url.query_or_fragment {
        return Err("must not contain a query (?) or fragment (#)");
    }
    Ok(input.to_string())
}

/// The scheme-and-authority part of an absolute URL (`https://host:port`), or `None`.
pub fn origin_of(url: &str) -> Option<&str> {
    let rest_start = url.find("://")? + 3;
    let end = url[rest_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| rest_start + i);
    Some(&url[..end])
}

/// `url` if it may be offered as a link out of the page (to PagerDuty, or in a calendar file):
/// `https://` with a host, and nothing that could end or bend the attribute or line it goes in.
pub fn https_link(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let host_ok = !rest.is_empty() && !rest.starts_with(['/', '?', '#']);
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (host_ok && clean).then_some(url)
}

/// A link out to PagerDuty's own web app, from an answer's `html_url`: only `https://`, to a
/// host of PagerDuty's for the account's region (`<account>.pagerduty.com`, or only
/// `<account>.eu.pagerduty.com` when the account's API is the EU one), and with nothing in the
/// host part but the host: no user name (`https://x.pagerduty.com@evil.example` goes to
/// `evil.example`), no port, no whitespace or control characters. Anything else is no link.
pub fn pagerduty_web_link<'a>(url: &'a str, api_base_url: &str) -> Option<&'a str> {
    let rest = url.strip_prefix("https://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, after) = rest.split_at(end);
    let host_chars = host
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let suffix = if api_base_url == API_EU {
        ".eu.pagerduty.com"
    } else {
        ".pagerduty.com"
    };
    let account = host.strip_suffix(suffix)?;
    let account_ok = !account.is_empty() && !account.starts_with('.') && !account.ends_with('.');
    let clean = !after.chars().any(|c| c.is_whitespace() || c.is_control());
    (host_chars && account_ok && clean).then_some(url)
}

/// The calendar feed to subscribe to, from PagerDuty's `web_cal_url` and `http_cal_url`: the
/// `webcal://` one where it is well formed (it opens the person's calendar app to subscribe),
/// else the `https://` one. These addresses are credentials (anyone with one reads the feed),
/// so they only ever go into a link's `href`, never into the page's own address or a log.
pub fn calendar_feed(web_cal_url: Option<&str>, http_cal_url: Option<&str>) -> Option<String> {
    let webcal = web_cal_url.filter(|url| {
        url.strip_prefix("webcal://")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with(['/', '?', '#']))
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    });
    webcal
        .or_else(|| http_cal_url.and_then(https_link))
        .map(str::to_string)
}

struct HttpUrl {
    query_or_fragment: bool,
}

fn parse_http_url(input: &str) -> Result<HttpUrl, &'static str> {
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces");
    }
    let (secure, rest) = if let Some(rest) = input.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = input.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err("must start with https://");
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.contains('@') {
        return Err("must not contain a user name or password");
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Err("has no host name");
    }
    if !secure && !is_loopback(host) {
        return Err("must use https:// (plain http:// is allowed only for localhost)");
    }
    Ok(HttpUrl {
        query_or_fragment: rest[authority_end..].contains(['?', '#']),
    })
}

/// `localhost`, `[::1]`, or an IPv4 address in 127.0.0.0/8 written as one (four decimal
/// octets, no leading zeros): never a name that merely starts like one, such as
/// `127.0.0.1.example.com`, which any DNS can point anywhere.
/// (Written out rather than `Ipv4Addr::from_str`, whose general parser costs download.)
fn is_loopback(host: &str) -> bool {
    let octet = |part: &str| {
        (1..=3).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
            && part.parse::<u8>().is_ok()
    };
    let parts: Vec<&str> = host.split('.').collect();
    let ipv4_loopback = parts.len() == 4 && parts[0] == "127" && parts.iter().all(|p| octet(p));
    host == "localhost" || host == "::1" || ipv4_loopback
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_out_go_only_to_pagerduty_for_the_accounts_region() {
        let us = API_US;
        for good in [
            "https://acme.pagerduty.com/users/PU1",
            "https://acme.pagerduty.com",
            "https://acme-2.pagerduty.com/schedules?id=1#x",
        ] {
            assert_eq!(pagerduty_web_link(good, us), Some(good), "{good}");
        }
        for bad in [
            "https://acme.pagerduty.com@evil.example/users/PU1",
            "https://user:pw@acme.pagerduty.com/",
            "https://acme.pagerduty.com:8443/",
            "https://acme.pagerduty.com.evil.example/",
            "https://evil-pagerduty.com/",
            "https://pagerduty.com/",
            "https://.pagerduty.com/",
            "http://acme.pagerduty.com/",
            "javascript:alert(1)//acme.pagerduty.com",
            "https://ACME.pagerduty.com\\@evil.example",
            "https://acme.pagerduty.com/a b",
            "https://example.com/",
        ] {
            assert_eq!(pagerduty_web_link(bad, us), None, "{bad}");
        }
        // An EU account links to the EU web app only; a US (or proxied) one to any.
        let eu_link = "https://acme.eu.pagerduty.com/users/PU1";
        assert_eq!(pagerduty_web_link(eu_link, API_EU), Some(eu_link));
        assert_eq!(pagerduty_web_link(eu_link, us), Some(eu_link));
        assert_eq!(
            pagerduty_web_link("https://acme.pagerduty.com/users/PU1", API_EU),
            None
        );
    }

    #[test]
    fn base_urls_lose_their_trailing_slash() {
        assert_eq!(
            parse_base_url("https://api.pagerduty.com/"),
            Ok(API_US.to_string())
        );
        assert_eq!(
            parse_base_url("https://proxy.example.com/pd/"),
            Ok("https://proxy.example.com/pd".to_string())
        );
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        assert!(parse_base_url("http://api.example.com").is_err());
        assert!(parse_base_url("http://127.0.0.1:9001").is_ok());
        assert!(parse_base_url("http://localhost:9001").is_ok());
        assert!(parse_base_url("http://[::1]:9001").is_ok());
    }

    #[test]
    fn only_real_loopback_hosts_may_use_plain_http() {
        for loopback in [
            "http://127.0.0.1",
            "http://127.255.0.9:8080/pd",
            "http://localhost:9001",
            "http://[::1]:9001",
        ] {
            assert!(parse_base_url(loopback).is_ok(), "{loopback}");
        }
        for remote in [
            "http://127.0.0.1.example.com",
            "http://127.evil.example",
            "http://127.0.0.1.nip.io:8080",
            "http://localhost.example.com",
            "http://127.0.0.256",
            "http://127.0.0",
            "http://127.0.0.01",
            "http://[::1.example]",
            "http://128.0.0.1",
        ] {
            assert!(parse_base_url(remote).is_err(), "{remote} is not loopback");
        }
    }

    #[test]
    fn malformed_base_urls_say_what_is_wrong() {
        assert_eq!(
            parse_base_url("api.pagerduty.com"),
            Err("must start with https://")
        );
        assert_eq!(parse_base_url("https://"), Err("has no host name"));
        assert_eq!(
            parse_base_url("https://evil@api.pagerduty.com"),
            Err("must not contain a user name or password")
        );
        assert!(parse_base_url("https://api.pagerduty.com?x=1").is_err());
        assert!(parse_base_url("https://api.pagerduty.com/#x").is_err());
        assert!(parse_base_url("https://api pagerduty.com").is_err());
    }

    #[test]
    fn links_out_are_https_only() {
        assert_eq!(
            https_link("https://acme.pagerduty.com/schedules/PS1"),
            Some("https://acme.pagerduty.com/schedules/PS1")
        );
        for refused in [
            "http://acme.pagerduty.com/schedules/PS1",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://acme.pagerduty.com/a b",
            "https://acme.pagerduty.com/\r\nDTSTART:1",
            "//acme.pagerduty.com",
        ] {
            assert_eq!(https_link(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn a_calendar_feed_is_webcal_where_it_can_be_and_https_otherwise() {
        let webcal = "webcal://acme.pagerduty.com/private/s3cr3t/feed/PS1";
        let https = "https://acme.pagerduty.com/private/s3cr3t/feed/PS1";
        assert_eq!(
            calendar_feed(Some(webcal), Some(https)).as_deref(),
            Some(webcal)
        );
        assert_eq!(calendar_feed(None, Some(https)).as_deref(), Some(https));
        assert_eq!(
            calendar_feed(Some("webcal:///no-host"), Some(https)).as_deref(),
            Some(https)
        );
        assert_eq!(calendar_feed(Some("javascript:alert(1)"), None), None);
        assert_eq!(
            calendar_feed(None, Some("http://acme.pagerduty.com/feed")),
            None
        );
        assert_eq!(calendar_feed(None, None), None);
    }

    #[test]
    fn the_origin_is_scheme_and_authority() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/a/b?c"),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("https://example.com"),
            Some("https://example.com")
        );
        assert_eq!(origin_of("nonsense"), None);
    }
}
