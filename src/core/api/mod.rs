//! PagerDuty's REST API v2: request building, pagination and error decoding.
//!
//! [`Api`] is the *authorized* client: the only value that holds the access token. It builds
//! requests; the browser glue sends them.

pub mod endpoints;
pub mod types;

use crate::form;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::secret::Secret;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The media type that selects API version 2. CORS allows only a few request headers
/// (`Authorization`, `Content-Type`, `From`, …): never add another custom one.
pub const ACCEPT: &str = "application/vnd.pagerduty+json;version=2";

/// PagerDuty's largest page.
pub const MAX_LIMIT: u32 = 100;
/// Classic pagination refuses `offset + limit` beyond this (HTTP 400).
pub const MAX_OFFSET_PLUS_LIMIT: u32 = 10_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    base_url: String,
    token: Secret,
}

impl Api {
    pub fn new(base_url: impl Into<String>, token: Secret) -> Self {
        Self {
            base_url: base_url.into(),
            token,
        }
    }

    /// A GET of `path` (starting with `/`) with query pairs. Array parameters are passed as
    /// repeated `name[]` pairs, as PagerDuty expects.
    pub fn get(&self, path: &str, query: &[(&str, &str)]) -> HttpRequest {
        let mut url = format!("{}{path}", self.base_url);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&form::encode_pairs(query.iter().copied()));
        }
        HttpRequest {
            method: Method::Get,
            url,
            headers: vec![
                ("Accept", ACCEPT.to_string()),
                ("Authorization", format!("Bearer {}", self.token.expose())),
            ],
            body: None,
        }
    }

    /// A POST of the JSON `body` to `path`: a change, made by the person signed in.
    pub fn post_json(&self, path: &str, body: String) -> HttpRequest {
        let mut request = self.get(path, &[]);
        request.method = Method::Post;
        request
            .headers
            .push(("Content-Type", "application/json".to_string()));
        request.body = Some(body);
        request
    }

    /// A DELETE of `path`.
    pub fn delete(&self, path: &str) -> HttpRequest {
        HttpRequest {
            method: Method::Delete,
            ..self.get(path, &[])
        }
    }
}

/// An API call that did not give us data, in terms a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("Your PagerDuty sign-in has expired or was revoked. Sign in again.")]
    Unauthorized,
    #[error("PagerDuty says your account may not see this{}. Ask a PagerDuty admin for access, or check that this app has Read access.", detail(.0))]
    Forbidden(Option<String>),
    #[error("Your PagerDuty account does not include this feature{}.", detail(.0))]
    NotInPlan(Option<String>),
    #[error("PagerDuty could not find this. It may have been deleted, or you may not have access to it.")]
    NotFound,
    #[error("PagerDuty asked us to slow down. Try again in a minute.")]
    RateLimited { retry_after_s: Option<u32> },
    #[error("PagerDuty had a problem answering (HTTP {0}). Try again.")]
    Server(u16),
    #[error("PagerDuty refused the request (HTTP {status}){}.", detail(.message))]
    Other {
        status: u16,
        message: Option<String>,
    },
    /// What the address held is left out of the sentence: a crafted link must not put its own
    /// words ("Account locked, call …") into the page.
    #[error("The link names something that is not a PagerDuty ID (those are letters and digits, like PXPGF42). Check the link you followed.")]
    NotAnId,
    #[error("PagerDuty sent data this app could not read ({0}).")]
    Decode(String),
    #[error("Could not reach PagerDuty. Check your connection and try again.")]
    Network,
    /// A mistake in this page's own code, not anything PagerDuty or the person did.
    #[error("Something went wrong inside this page ({0}). Reload it; if it happens again, tell whoever runs this page.")]
    Bug(&'static str),
    /// The view that asked for it was left; nobody will read the answer.
    #[error("The request was cancelled.")]
    Cancelled,
}

/// `id` if it is written in PagerDuty's ID alphabet (letters and digits), so that an ID taken
/// from the page's address can go into an API path: `..`, `/`, `%2F` or `?` never can.
pub fn check_id(id: &str) -> Result<&str, ApiError> {
    let valid = (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if valid {
        Ok(id)
    } else {
        Err(ApiError::NotAnId)
    }
}

fn detail(message: &Option<String>) -> String {
    message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorObject,
}

#[derive(Deserialize)]
struct ErrorObject {
    message: Option<String>,
    #[serde(default, deserialize_with = "messages")]
    errors: Vec<String>,
}

/// An error's `errors`: a list of sentences (REST v2), or sentences by field (v3:
/// `{"overrides[0].end_time": ["must be after start_time"]}`, read as "overrides[0].end_time:
/// must be after start_time"). Read by a visitor of its own, not through `serde_json::Value`,
/// whose decoder would otherwise be in the first download for this alone.
fn messages<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    use serde::de::{MapAccess, SeqAccess, Visitor};
    struct Messages;
    impl<'de> Visitor<'de> for Messages {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of sentences, or lists of sentences by field")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut all = vec![];
            while let Some(one) = seq.next_element::<String>()? {
                all.push(one);
            }
            Ok(all)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            let mut all = vec![];
            while let Some((field, said)) = map.next_entry::<String, Vec<String>>()? {
                all.extend(said.into_iter().map(|s| format!("{field}: {s}")));
            }
            Ok(all)
        }
    }
    d.deserialize_any(Messages)
}

/// Reads PagerDuty's `{"error": {"message", "code", "errors"}}`, if the body is one.
fn error_message(body: &str) -> Option<String> {
    let ErrorBody { error } = serde_json::from_str(body).ok()?;
    let mut parts: Vec<String> = error.message.into_iter().collect();
    parts.extend(error.errors);
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Checks the status, then decodes the body as `T`.
pub fn decode<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, ApiError> {
    check_status(response)?;
    serde_json::from_str(&response.body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// The error an answer's status means, or `None` for a success.
pub fn status_error(response: &HttpResponse) -> Option<ApiError> {
    check_status(response).err()
}

fn check_status(response: &HttpResponse) -> Result<(), ApiError> {
    let message = || error_message(&response.body);
    Err(match response.status {
        200..=299 => return Ok(()),
        401 => ApiError::Unauthorized,
        402 => ApiError::NotInPlan(message()),
        403 => ApiError::Forbidden(message()),
        404 => ApiError::NotFound,
        429 => ApiError::RateLimited {
            retry_after_s: response
                .header("ratelimit-reset")
                .and_then(|s| s.trim().parse().ok()),
        },
        500..=599 => ApiError::Server(response.status),
        status => ApiError::Other {
            status,
            message: message(),
        },
    })
}

/// One page of a classic offset-paginated list, with the items under `key`.
#[derive(Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub offset: u32,
    pub more: bool,
    pub total: Option<u32>,
}

/// Reads a page in one pass over the text: the array under `key` as `T`s, the paging fields,
/// and nothing else. Decoding straight from the text (not through a `serde_json::Value`)
/// keeps one decoder per item type, the one `decode` uses too: each extra one is kilobytes of
/// download.
struct PageSeed<'k, T> {
    key: &'k str,
    item: std::marker::PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for PageSeed<'_, T> {
    type Value = Option<Page<T>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a page of a list")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut items, mut offset, mut more, mut total) = (None, 0, false, None);
        while let Some(name) = map.next_key::<String>()? {
            match name.as_str() {
                _ if name == self.key => items = Some(map.next_value::<Vec<T>>()?),
                "offset" => offset = map.next_value::<Option<u32>>()?.unwrap_or_default(),
                "more" => more = map.next_value::<Option<bool>>()?.unwrap_or_default(),
                "total" => total = map.next_value()?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(items.map(|items| Page {
            items,
            offset,
            more,
            total,
        }))
    }
}

/// Decodes a list page whose array is named `key` (`schedules`, `teams`, `members`, …).
pub fn decode_page<T: DeserializeOwned>(
    response: &HttpResponse,
    key: &str,
) -> Result<Page<T>, ApiError> {
    check_status(response)?;
    let mut reader = serde_json::Deserializer::from_str(&response.body);
    let seed = PageSeed {
        key,
        item: std::marker::PhantomData,
    };
    let page = serde::Deserializer::deserialize_map(&mut reader, seed)
        .and_then(|page| reader.end().map(|()| page))
        .map_err(|e| ApiError::Decode(format!("{key}: {e}")))?;
    page.ok_or_else(|| ApiError::Decode(format!("no \"{key}\" in the answer")))
}

/// Where the next page starts, or `None` when the list is complete or PagerDuty's
/// offset ceiling is reached (then the caller must say the list was cut).
pub fn next_offset<T>(page: &Page<T>) -> Option<u32> {
    page.info().next_offset()
}

/// What a page says about the list, whatever its items are: where it starts, how many items
/// it has, whether more follow, and the total when asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageInfo {
    pub offset: u32,
    pub count: u32,
    pub more: bool,
    pub total: Option<u32>,
}

impl<T> Page<T> {
    pub fn info(&self) -> PageInfo {
        PageInfo {
            offset: self.offset,
            count: u32::try_from(self.items.len()).unwrap_or(u32::MAX),
            more: self.more,
            total: self.total,
        }
    }
}

impl PageInfo {
    /// See [`next_offset`].
    pub fn next_offset(&self) -> Option<u32> {
        let next = self.offset.checked_add(self.count)?;
        (self.more && self.count > 0 && next + MAX_LIMIT <= MAX_OFFSET_PLUS_LIMIT).then_some(next)
    }
}

/// The pages still to load after the first one, and whether PagerDuty's offset ceiling cuts
/// the list short. With `total` known, every remaining page can be requested at once.
pub fn remaining_offsets(total: u32, first_page_len: u32) -> (Vec<u32>, bool) {
    let mut offsets = Vec::new();
    let mut offset = first_page_len.clamp(1, MAX_LIMIT);
    let step = offset;
    while offset < total && offset + step <= MAX_OFFSET_PLUS_LIMIT {
        offsets.push(offset);
        offset += step;
    }
    (offsets, offset < total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::Team;

    #[test]
    fn with_a_total_the_remaining_pages_are_planned_at_once() {
        assert_eq!(remaining_offsets(250, 100), (vec![100, 200], false));
        assert_eq!(remaining_offsets(100, 100), (vec![], false));
        assert_eq!(remaining_offsets(0, 0), (vec![], false));
        let (offsets, cut) = remaining_offsets(12_345, 100);
        assert_eq!(
            (offsets.len(), offsets.last().copied(), cut),
            (99, Some(9_900), true)
        );
        assert!(!remaining_offsets(10_000, 100).1, "exactly 10,000 fits");
    }

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn requests_carry_the_version_header_and_the_bearer_token() {
        let api = Api::new("https://api.pagerduty.com", Secret::new("pdus+_0XBPWQQ_x"));
        let request = api.get("/teams/P1/members", &[("include[]", "users")]);
        assert_eq!(
            request.url,
            "https://api.pagerduty.com/teams/P1/members?include%5B%5D=users"
        );
        assert_eq!(
            request.header("accept"),
            Some("application/vnd.pagerduty+json;version=2")
        );
        assert_eq!(
            request.header("authorization"),
            Some("Bearer pdus+_0XBPWQQ_x")
        );
        assert_eq!(
            request.headers.len(),
            2,
            "CORS allows no other custom header"
        );
    }

    #[test]
    fn a_change_is_json_with_the_same_token_and_nothing_else() {
        let api = Api::new("https://api.pagerduty.com", Secret::new("pdus+_0XBPWQQ_x"));
        let post = api.post_json("/schedules/PS1/overrides", "{}".into());
        assert_eq!(post.method, Method::Post);
        assert_eq!(
            post.url,
            "https://api.pagerduty.com/schedules/PS1/overrides"
        );
        assert_eq!(post.header("content-type"), Some("application/json"));
        assert_eq!(post.header("authorization"), Some("Bearer pdus+_0XBPWQQ_x"));
        assert_eq!(post.body.as_deref(), Some("{}"));
        let delete = api.delete("/schedules/PS1/overrides/Q1");
        assert_eq!((delete.method, delete.body), (Method::Delete, None));
        assert_eq!(delete.headers.len(), 2);
    }

    #[test]
    fn the_spec_example_team_page_decodes() {
        let page: Page<Team> = decode_page(
            &response(200, r#"{"teams":[{"id":"PQ9K7I8","type":"team","summary":"Engineering","self":"https://api.pagerduty.com/teams/PQ9K7I8","html_url":"https://subdomain.pagerduty.com/teams/PQ9K7I8","name":"Engineering","description":"All engineering"}],"limit":100,"offset":0,"more":false,"total":null}"#),
            "teams",
        )
        .expect("page");
        assert_eq!(page.items[0].name, "Engineering");
        assert_eq!((page.offset, page.more, page.total), (0, false, None));
        assert_eq!(next_offset(&page), None);
    }

    #[test]
    fn paging_continues_while_more_and_stops_at_the_offset_ceiling() {
        let page = |offset, len, more| Page {
            items: vec![(); len],
            offset,
            more,
            total: None,
        };
        assert_eq!(next_offset(&page(0, 100, true)), Some(100));
        assert_eq!(next_offset(&page(9_800, 100, true)), Some(9_900));
        assert_eq!(next_offset(&page(9_900, 100, true)), None);
        assert_eq!(
            next_offset(&page(0, 0, true)),
            None,
            "an empty page must not loop"
        );
    }

    #[test]
    fn statuses_become_actionable_errors() {
        let body =
            r#"{"error":{"message":"Access Denied","code":2010,"errors":["Missing scope: read"]}}"#;
        assert_eq!(
            decode::<()>(&response(401, body)).unwrap_err(),
            ApiError::Unauthorized
        );
        assert_eq!(
            decode::<()>(&response(403, body)).unwrap_err(),
            ApiError::Forbidden(Some("Access Denied Missing scope: read".into()))
        );
        assert!(matches!(
            decode::<()>(&response(402, "")).unwrap_err(),
            ApiError::NotInPlan(None)
        ));
        assert_eq!(
            decode::<()>(&response(404, "")).unwrap_err(),
            ApiError::NotFound
        );
        assert_eq!(
            decode::<()>(&response(502, "<html>")).unwrap_err(),
            ApiError::Server(502)
        );
        let mut limited = response(
            429,
            r#"{"error":{"message":"Rate Limit Exceeded","code":2020}}"#,
        );
        limited
            .headers
            .push(("ratelimit-reset".into(), "12".into()));
        assert_eq!(
            decode::<()>(&limited).unwrap_err(),
            ApiError::RateLimited {
                retry_after_s: Some(12)
            }
        );
        assert_eq!(
            decode::<()>(&response(429, "")).unwrap_err(),
            ApiError::RateLimited {
                retry_after_s: None
            }
        );
        // v3 names the field each reason is about.
        let v3 = r#"{"error":{"message":"Invalid Request","code":2001,"errors":{"overrides[0].end_time":["must be after start_time"]}}}"#;
        assert_eq!(
            decode::<()>(&response(400, v3)).unwrap_err(),
            ApiError::Other {
                status: 400,
                message: Some(
                    "Invalid Request overrides[0].end_time: must be after start_time".into()
                )
            }
        );
    }

    #[test]
    fn only_ids_in_pagerdutys_alphabet_reach_an_api_path() {
        for id in ["PXPGF42", "PT00000", "PS1A2B3C", "P1"] {
            assert_eq!(check_id(id), Ok(id));
        }
        for bad in [
            "",
            "..",
            "../users",
            "P 1",
            "P%2F1",
            "P?x=1",
            "PÅ1",
            &"P".repeat(33),
        ] {
            assert!(matches!(check_id(bad), Err(ApiError::NotAnId)), "{bad:?}");
        }
        let crafted = "Account locked, call +1 555 0100";
        let sentence = check_id(crafted).unwrap_err().to_string();
        assert!(sentence.contains("not a PagerDuty ID"), "{sentence}");
        assert!(
            !sentence.contains("Account") && !sentence.contains("555"),
            "the address's words stay out of the page: {sentence}"
        );
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        assert!(matches!(
            decode_page::<Team>(&response(200, "{\"teams\": [1"), "teams"),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            decode_page::<Team>(&response(200, "{}"), "teams"),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            decode_page::<Team>(&response(200, "[]"), "teams"),
            Err(ApiError::Decode(_))
        ));
    }
}
