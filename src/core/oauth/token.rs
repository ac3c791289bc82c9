//! The token endpoint (RFC 6749 §4.1.3, §5, §6) and PagerDuty's revoke endpoint.

use super::callback::Exchange;
use crate::config::Config;
use crate::form;
use crate::hosts::{self, Region};
use crate::http::{HttpRequest, HttpResponse, Method, FORM_CONTENT_TYPE};
use crate::secret::Secret;
use crate::session::Session;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;

/// The authorization-code exchange. No `client_secret`: this is a public client.
pub fn exchange_request(config: &Config, exchange: &Exchange) -> HttpRequest {
    form_post(
        config,
        hosts::TOKEN_PATH,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &config.client_id),
            ("code", exchange.code.expose()),
            ("redirect_uri", &config.redirect_uri),
            ("code_verifier", exchange.verifier.secret().expose()),
        ],
    )
}

/// A refresh without a secret, as PagerDuty's own browser app does it.
pub fn refresh_request(config: &Config, refresh_token: &Secret) -> HttpRequest {
    form_post(
        config,
        hosts::TOKEN_PATH,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &config.client_id),
            ("refresh_token", refresh_token.expose()),
        ],
    )
}

/// Revokes a token at sign-out (undocumented; PagerDuty's own SPA uses it).
pub fn revoke_request(config: &Config, token: &Secret) -> HttpRequest {
    form_post(
        config,
        hosts::REVOKE_PATH,
        &[("token", token.expose()), ("client_id", &config.client_id)],
    )
}

fn form_post(config: &Config, path: &str, fields: &[(&str, &str)]) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: format!("{}{path}", config.identity_base_url),
        headers: vec![("Content-Type", FORM_CONTENT_TYPE.to_string())],
        body: Some(form::encode_pairs(fields.iter().copied())),
    }
}

/// Why no session came out of a token response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("The sign-in code expired or was already used (PagerDuty codes last 30 seconds). Sign in again.")]
    CodeRejected,
    #[error("PagerDuty refused the sign-in ({error}{}). Sign in again; if it keeps failing, check the app's client ID and redirect URL.", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Rejected {
        error: String,
        description: Option<String>,
    },
    #[error("PagerDuty signed you in but granted no read access (it granted only \"{granted}\"). Whoever manages this app in PagerDuty must give it Read access (or set \"scope\" in config.json to one the app has), then sign in again.")]
    MissingScope { granted: String },
    #[error(
        "PagerDuty's sign-in service answered with an error (HTTP {0}). Try again in a minute."
    )]
    Server(u16),
    #[error("PagerDuty's sign-in service sent an answer this app could not read. Try again.")]
    Malformed,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: String,
    refresh_token: Option<String>,
    expires_in: Option<f64>,
    scope: Option<String>,
    id_token: Option<String>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
    error_description: Option<String>,
}

/// Turns a token endpoint response into a session.
///
/// `requested` is the scope we asked for: RFC 6749 §5.1 lets the server omit `scope` when it
/// granted exactly that. PagerDuty answers an invalid scope with a token for `openid` only,
/// which then fails every API call with 403, so that is caught here, once, with a sentence.
pub fn read_response(
    config: &Config,
    response: &HttpResponse,
    now_ms: f64,
) -> Result<Session, TokenError> {
    if !response.is_success() {
        return Err(
            match serde_json::from_str::<ErrorResponse>(&response.body) {
                Ok(e) if e.error == "invalid_grant" => TokenError::CodeRejected,
                Ok(e) if response.status < 500 => TokenError::Rejected {
                    error: e.error,
                    description: e.error_description,
                },
                _ => TokenError::Server(response.status),
            },
        );
    }
    let token: TokenResponse =
        serde_json::from_str(&response.body).map_err(|_| TokenError::Malformed)?;
    if !token.token_type.eq_ignore_ascii_case("bearer") || token.access_token.is_empty() {
        return Err(TokenError::Malformed);
    }
    let scope = token
        .scope
        .unwrap_or_else(|| config.scope.as_str().to_string());
    if !scope
        .split_whitespace()
        .any(|s| s == "read" || s == "write")
    {
        return Err(TokenError::MissingScope { granted: scope });
    }
    let claims = token
        .id_token
        .as_deref()
        .map(IdClaims::read)
        .unwrap_or_default();
    Ok(Session {
        access_token: Secret::new(token.access_token),
        refresh_token: token
            .refresh_token
            .filter(|t| !t.is_empty())
            .map(Secret::new),
        expires_at_ms: token
            .expires_in
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(|seconds| now_ms + seconds * 1000.0),
        scope,
        api_base_url: config.api_base_url_for(claims.region),
        user_id: claims.user_id,
    })
}

/// What the app reads from the ID token.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct IdClaims {
    /// From `aud`: see [`region_from_id_token`].
    pub region: Option<Region>,
    /// The signed-in user's ID, so their shifts can be asked for before `/users/me` answers.
    pub user_id: Option<String>,
}

impl IdClaims {
    pub fn read(id_token: &str) -> Self {
        let claims = payload(id_token).unwrap_or_default();
        Self {
            region: region_of(&claims.aud.0),
            user_id: claims
                .user_id
                .0
                .filter(|id| !id.is_empty() && id.len() < 64),
        }
    }
}

/// The ID token's claims the app reads. Any other claim is passed over, and so is either of
/// these in an unexpected shape: that can cost the page a region or a user ID, never the
/// sign-in. (Read into types of their own, not `serde_json::Value`, which would bring a
/// second JSON reader into the first download for one token.)
#[derive(Default, Deserialize)]
#[serde(default)]
struct Claims {
    aud: Audiences,
    user_id: Text,
}

/// A claim that is a string; any other JSON value reads as none.
#[derive(Default)]
struct Text(Option<String>);

/// `aud`: one string, or an array of them (its other values read as none).
#[derive(Default)]
struct Audiences(Vec<String>);

/// Reads any JSON value as the strings it holds: a string is one, an array is those of its
/// items that are strings (`many`), anything else is none.
struct Strings {
    many: bool,
}

impl<'de> serde::de::Visitor<'de> for Strings {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(vec![v.to_string()])
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut strings = Vec::new();
        while let Some(Text(item)) = seq.next_element::<Text>()? {
            strings.extend(item.filter(|_| self.many));
        }
        Ok(strings)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::IgnoredAny;
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let strings = d.deserialize_any(Strings { many: false })?;
        // An array of strings is not a string.
        Ok(Text(strings.into_iter().next()))
    }
}

impl<'de> Deserialize<'de> for Audiences {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Strings { many: true }).map(Audiences)
    }
}

fn payload(id_token: &str) -> Option<Claims> {
    let payload = id_token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    // From text, as every other answer is read: `from_slice` would be a second JSON reader.
    serde_json::from_str(std::str::from_utf8(&bytes).ok()?).ok()
}

/// The service region named by the ID token's `aud`.
///
/// The token came straight from the identity server over TLS, so its claims are read without
/// checking the signature (OpenID Connect Core §3.1.3.7). It can only choose between
/// PagerDuty's two known API hosts: a claim can never send our token anywhere else.
pub fn region_from_id_token(id_token: &str) -> Option<Region> {
    region_of(&payload(id_token)?.aud.0)
}

fn region_of(audiences: &[String]) -> Option<Region> {
    let names = |host: &str| audiences.iter().any(|a| a.trim_end_matches('/') == host);
    if names(hosts::API_EU) {
        Some(Region::Eu)
    } else if names(hosts::API_US) {
        Some(Region::Us)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use crate::oauth::pkce::Verifier;

    fn config(extra: &str) -> Config {
        config::parse(
            &format!(
                r#"{{"client_id":"client+id","redirect_uri":"https://oncall.example.com/"{extra}}}"#
            ),
            "unused",
        )
        .expect("valid")
    }

    fn ok(body: &str) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: vec![],
            body: body.into(),
        }
    }

    fn id_token(claims: &str) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn the_exchange_is_a_form_post_without_a_secret() {
        let exchange = Exchange {
            code: Secret::new("code+/="),
            verifier: Verifier::from_text("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            return_to: "/".into(),
        };
        let request = exchange_request(&config(""), &exchange);
        assert_eq!(request.method, Method::Post);
        assert_eq!(request.url, "https://identity.pagerduty.com/oauth/token");
        assert_eq!(request.header("content-type"), Some(FORM_CONTENT_TYPE));
        assert_eq!(
            request.body.as_deref(),
            Some(
                "grant_type=authorization_code&client_id=client%2Bid&code=code%2B%2F%3D\
                 &redirect_uri=https%3A%2F%2Foncall.example.com%2F\
                 &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
            )
        );
        assert!(
            !format!("{request:?}").contains("dBjft"),
            "Debug must not print the body"
        );
    }

    #[test]
    fn revoke_and_refresh_escape_the_plus_in_pagerduty_tokens() {
        let token = Secret::new("pdus+_1XBPWQQ_abc");
        let revoke = revoke_request(&config(""), &token);
        assert_eq!(revoke.url, "https://identity.pagerduty.com/oauth/revoke");
        assert_eq!(
            revoke.body.as_deref(),
            Some("token=pdus%2B_1XBPWQQ_abc&client_id=client%2Bid")
        );
        let refresh = refresh_request(&config(""), &token);
        assert_eq!(
            refresh.body.as_deref(),
            Some(
                "grant_type=refresh_token&client_id=client%2Bid&refresh_token=pdus%2B_1XBPWQQ_abc"
            )
        );
    }

    #[test]
    fn the_docs_example_response_becomes_a_us_session() {
        let body = format!(
            r#"{{"client_info":"prefix_legacy_app","id_token":"{}","token_type":"bearer",
               "access_token":"pdus+_0XBPWQQ_daed","refresh_token":"pdus+_1XBPWQQ_2fd6",
               "scope":"openid write","expires_in":864000}}"#,
            id_token(r#"{"aud":["https://api.pagerduty.com","client+id"],"subdomain":"acme"}"#)
        );
        let session = read_response(&config(""), &ok(&body), 1_000.0).expect("session");
        assert_eq!(session.access_token.expose(), "pdus+_0XBPWQQ_daed");
        assert_eq!(
            session.refresh_token.as_ref().map(Secret::expose),
            Some("pdus+_1XBPWQQ_2fd6")
        );
        assert_eq!(session.expires_at_ms, Some(1_000.0 + 864_000_000.0));
        assert_eq!(session.scope, "openid write");
        assert_eq!(session.api_base_url, "https://api.pagerduty.com");
        assert_eq!(session.user_id, None, "this example token names no user");
    }

    #[test]
    fn the_user_id_claim_is_kept_so_shifts_can_load_at_once() {
        let token = id_token(
            r#"{"aud":"https://api.pagerduty.com","user_id":"PXPGF42","account_id":"PACCT"}"#,
        );
        assert_eq!(
            IdClaims::read(&token),
            IdClaims {
                region: Some(Region::Us),
                user_id: Some("PXPGF42".into())
            }
        );
        assert_eq!(IdClaims::read("garbage"), IdClaims::default());
    }

    #[test]
    fn a_claim_in_an_unexpected_shape_costs_only_itself() {
        let read = |claims: &str| IdClaims::read(&id_token(claims));
        let us = |user_id: Option<&str>| IdClaims {
            region: Some(Region::Us),
            user_id: user_id.map(str::to_string),
        };
        for odd in [r#"7"#, r#"["P1"]"#, r#"{"id":"P1"}"#, "null", "true", "1.5"] {
            assert_eq!(
                read(&format!(
                    r#"{{"user_id":{odd},"aud":"https://api.pagerduty.com"}}"#
                )),
                us(None),
                "user_id {odd}"
            );
        }
        assert_eq!(
            read(
                r#"{"aud":[7,{"a":["b"]},null,["https://api.eu.pagerduty.com"],"https://api.pagerduty.com/"],"user_id":"P\u0031"}"#
            ),
            us(Some("P1")),
            "only the array's own strings are audiences"
        );
        assert_eq!(
            read(
                r#"{"aud":{"https://api.pagerduty.com":1},"user_id":"P1","extra":{"deep":[1,[2]]}}"#
            ),
            IdClaims {
                region: None,
                user_id: Some("P1".into())
            }
        );
        assert_eq!(read(r#"["not","an","object"]"#), IdClaims::default());
        assert_eq!(
            read(&format!(r#"{{"user_id":"{}"}}"#, "P".repeat(64))),
            IdClaims::default(),
            "an ID this long is not PagerDuty's"
        );
    }

    #[test]
    fn an_eu_audience_selects_the_eu_api_unless_config_says_otherwise() {
        let body = format!(
            r#"{{"token_type":"Bearer","access_token":"a","scope":"read","id_token":"{}"}}"#,
            id_token(r#"{"aud":["https://api.eu.pagerduty.com","c"],"region":"Europe"}"#)
        );
        let eu = read_response(&config(""), &ok(&body), 0.0).expect("session");
        assert_eq!(eu.api_base_url, "https://api.eu.pagerduty.com");
        assert_eq!(eu.expires_at_ms, None);
        let pinned = read_response(&config(r#","region":"us""#), &ok(&body), 0.0).expect("session");
        assert_eq!(pinned.api_base_url, "https://api.pagerduty.com");
        let proxied = read_response(
            &config(r#","api_base_url":"http://127.0.0.1:9001""#),
            &ok(&body),
            0.0,
        )
        .expect("session");
        assert_eq!(proxied.api_base_url, "http://127.0.0.1:9001");
    }

    #[test]
    fn an_audience_outside_pagerduty_cannot_choose_the_api_host() {
        assert_eq!(
            region_from_id_token(&id_token(r#"{"aud":"https://evil.example.com"}"#)),
            None
        );
        assert_eq!(
            region_from_id_token(&id_token(r#"{"aud":"https://api.eu.pagerduty.com"}"#)),
            Some(Region::Eu)
        );
        assert_eq!(region_from_id_token("not-a-jwt"), None);
        assert_eq!(region_from_id_token("a.%%%.c"), None);
        assert_eq!(region_from_id_token(&id_token(r#"{"aud":7}"#)), None);
    }

    #[test]
    fn an_openid_only_token_is_refused_with_the_fix() {
        let body = r#"{"token_type":"bearer","access_token":"a","scope":"openid"}"#;
        let error = read_response(&config(""), &ok(body), 0.0).unwrap_err();
        assert_eq!(
            error,
            TokenError::MissingScope {
                granted: "openid".into()
            }
        );
        assert!(error.to_string().contains("Read access"));
    }

    #[test]
    fn an_omitted_scope_means_the_requested_one() {
        let body = r#"{"token_type":"bearer","access_token":"a"}"#;
        let session = read_response(&config(""), &ok(body), 0.0).expect("session");
        assert_eq!(session.scope, "read");
    }

    #[test]
    fn token_errors_become_sentences() {
        let error = |status, body: &str| {
            read_response(
                &config(""),
                &HttpResponse {
                    status,
                    headers: vec![],
                    body: body.into(),
                },
                0.0,
            )
            .unwrap_err()
        };
        assert_eq!(
            error(400, r#"{"error":"invalid_grant"}"#),
            TokenError::CodeRejected
        );
        assert_eq!(
            error(401, r#"{"error":"invalid_client","error_description":"Unknown client"}"#)
                .to_string(),
            "PagerDuty refused the sign-in (invalid_client: Unknown client). Sign in again; if it keeps failing, check the app's client ID and redirect URL."
        );
        assert_eq!(error(503, "<html>down</html>"), TokenError::Server(503));
        assert_eq!(error(400, "not json"), TokenError::Server(400));
        assert_eq!(
            error(200, r#"{"token_type":"mac","access_token":"a"}"#),
            TokenError::Malformed
        );
        assert_eq!(
            error(200, r#"{"token_type":"bearer"}"#),
            TokenError::Malformed
        );
    }
}
