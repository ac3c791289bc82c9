//! The identity server: `/oauth/authorize` (login and consent), `/oauth/token`, `/oauth/revoke`.
//!
//! Strict where PagerDuty is (PKCE S256 required, 30-second single-use codes bound to the
//! client, the exact redirect URI and the challenge) and quirky where PagerDuty is (an invalid
//! scope still yields a token, for `openid` only; `state` echoed; tokens containing `+`).

use crate::params::{encode, html, random_token, random_uuid, Params};
use crate::state::{now, CodeGrant, Shared, TokenGrant, CODE_LIFETIME_S};
use crate::Registration;
use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::json;
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct Identity {
    pub shared: Shared,
    pub registration: Registration,
    pub identity_url: String,
    pub api_url: String,
}

pub fn router(identity: Identity) -> Router {
    Router::new()
        .route(
            "/oauth/authorize",
            get(authorize_page).post(authorize_decision),
        )
        .route("/oauth/token", post(token).options(preflight))
        .route("/oauth/revoke", post(revoke).options(preflight))
        .with_state(identity)
}

/// The checked authorize request, carried through the login form as hidden fields.
struct AuthorizeRequest {
    redirect_uri: String,
    scope: String,
    challenge: String,
    state: Option<String>,
}

impl Identity {
    /// RFC 6749 §4.1.2.1: a bad client or redirect URI is shown, never redirected to; any other
    /// problem goes back to the (now trusted) redirect URI as an error.
    fn check(&self, p: &Params) -> Result<AuthorizeRequest, Box<Response>> {
        let client_id = p.get("client_id").unwrap_or_default();
        let redirect_uri = p.get("redirect_uri").unwrap_or_default();
        if client_id != self.registration.client_id {
            return Err(Box::new(error_page(&format!(
                "Unknown client_id \"{client_id}\"."
            ))));
        }
        if !self
            .registration
            .redirect_uris
            .iter()
            .any(|r| r == redirect_uri)
        {
            return Err(Box::new(error_page(&format!(
                "The redirect_uri \"{redirect_uri}\" is not registered for this app (exact match required)."
            ))));
        }
        let state = p.get("state").map(str::to_string);
        let back = |error: &str, description: &str| {
            Err(Box::new(redirect_with(
                redirect_uri,
                &[("error", error), ("error_description", description)],
                state.as_deref(),
            )))
        };
        if p.get("response_type") != Some("code") {
            return back(
                "unsupported_response_type",
                "Only response_type=code is supported.",
            );
        }
        let challenge = p.get("code_challenge").unwrap_or_default();
        if challenge.len() != 43 {
            return back(
                "invalid_request",
                "PKCE is required: send a code_challenge.",
            );
        }
        if p.get("code_challenge_method") != Some("S256") {
            return back("invalid_request", "code_challenge_method must be S256.");
        }
        Ok(AuthorizeRequest {
            redirect_uri: redirect_uri.to_string(),
            scope: p.get("scope").unwrap_or_default().to_string(),
            challenge: challenge.to_string(),
            state,
        })
    }

    async fn delay(&self) {
        let ms = self.shared.lock().faults.latency_ms;
        if ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
    }

    fn cors(&self, headers: &HeaderMap, response: &mut Response) {
        let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
        if origin.is_some_and(|o| self.registration.allowed_origins.iter().any(|a| a == o)) {
            if let Some(Ok(value)) = origin.map(HeaderValue::from_str) {
                let h = response.headers_mut();
                h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
                h.insert(header::VARY, HeaderValue::from_static("Origin"));
            }
        }
    }
}

fn redirect_with(redirect_uri: &str, pairs: &[(&str, &str)], state: Option<&str>) -> Response {
    let mut query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if let Some(state) = state {
        query.push(format!("state={}", encode(state)));
    }
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{redirect_uri}{sep}{}", query.join("&"))).into_response()
}

fn error_page(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(page(
            "Sign-in error",
            &format!("<p role=\"alert\">{}</p>", html(message)),
        )),
    )
        .into_response()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title} · Fake PagerDuty</title><style>body{{font:16px system-ui,sans-serif;max-width:28rem;margin:10vh auto;padding:1rem}}\
         label{{display:block;margin:.75rem 0 .25rem}}input{{width:100%;padding:.5rem;font:inherit}}\
         .buttons{{display:flex;gap:.75rem;margin-top:1.25rem}}button{{font:inherit;padding:.5rem 1rem}}\
         .app{{background:#eef5f1;padding:.75rem;border-radius:8px}}</style></head><body><h1>{title}</h1>{body}</body></html>"
    )
}

async fn authorize_page(AxState(id): AxState<Identity>, RawQuery(raw): RawQuery) -> Response {
    id.delay().await;
    let p = Params::parse(raw.as_deref().unwrap_or_default());
    let request = match id.check(&p) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    id.shared.lock().counters.authorize_pages += 1;
    let default_email = id.shared.lock().data.users[0].email.clone();
    let hidden: String = [
        ("client_id", id.registration.client_id.as_str()),
        ("redirect_uri", request.redirect_uri.as_str()),
        ("response_type", "code"),
        ("scope", request.scope.as_str()),
        ("code_challenge", request.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ]
    .iter()
    .chain(request.state.as_deref().map(|s| ("state", s)).iter())
    .map(|(k, v)| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", html(v)))
    .collect();
    let access = if request.scope.split_whitespace().any(|s| s == "write") {
        "read and change"
    } else {
        "read"
    };
    let body = format!(
        "<form method=\"post\" action=\"/oauth/authorize\">{hidden}\
         <p>Sign in to <strong>acme</strong> (a fake PagerDuty account for demos and tests).</p>\
         <label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" value=\"{}\" autocomplete=\"username\">\
         <label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" value=\"demo\" autocomplete=\"current-password\">\
         <p class=\"app\">The app <strong>{}</strong> wants to {access} your PagerDuty data.</p>\
         <div class=\"buttons\"><button id=\"approve\" name=\"decision\" value=\"approve\">Allow</button>\
         <button id=\"deny\" name=\"decision\" value=\"deny\">Deny</button></div></form>",
        html(&default_email),
        html(&id.registration.client_id),
    );
    Html(page("Sign in to PagerDuty", &body)).into_response()
}

async fn authorize_decision(AxState(id): AxState<Identity>, body: Bytes) -> Response {
    id.delay().await;
    let response = decide(&id, body);
    if let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
    {
        id.shared.lock().last_callback = Some(location.to_string());
    }
    response
}

fn decide(id: &Identity, body: Bytes) -> Response {
    let p = Params::parse(&String::from_utf8_lossy(&body));
    let request = match id.check(&p) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    if p.get("decision") != Some("approve") {
        return redirect_with(
            &request.redirect_uri,
            &[
                ("error", "access_denied"),
                (
                    "error_description",
                    "The resource owner or authorization server denied the request.",
                ),
            ],
            request.state.as_deref(),
        );
    }
    let mut s = id.shared.lock();
    let email = p.get("email").unwrap_or_default().trim().to_lowercase();
    let Some(user) = s
        .data
        .users
        .iter()
        .position(|u| u.email.to_lowercase() == email)
    else {
        drop(s);
        return (StatusCode::UNAUTHORIZED, Html(page("Sign in to PagerDuty", "<p role=\"alert\">No user with that email in this account. Go back and try again.</p>"))).into_response();
    };
    if p.get("password").unwrap_or_default().is_empty() {
        drop(s);
        return (
            StatusCode::UNAUTHORIZED,
            Html(page(
                "Sign in to PagerDuty",
                "<p role=\"alert\">Enter a password (any will do here).</p>",
            )),
        )
            .into_response();
    }
    // PagerDuty's quirk: a scope the app does not have still signs in, for `openid` only.
    let granted = match request
        .scope
        .split_whitespace()
        .find(|s| *s == "read" || *s == "write")
    {
        Some(scope) => format!("openid {scope}"),
        None => "openid".to_string(),
    };
    let code = random_token(24);
    let lifetime = s.faults.code_lifetime_s.unwrap_or(CODE_LIFETIME_S);
    s.codes.insert(
        code.clone(),
        CodeGrant {
            client_id: id.registration.client_id.clone(),
            redirect_uri: request.redirect_uri.clone(),
            challenge: request.challenge,
            user,
            scope: granted,
            expires_at: now() + lifetime,
            used: false,
            issued: vec![],
        },
    );
    s.counters.codes_issued += 1;
    drop(s);
    redirect_with(
        &request.redirect_uri,
        &[("code", &code), ("subdomain", crate::data::SUBDOMAIN)],
        request.state.as_deref(),
    )
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

async fn token(AxState(id): AxState<Identity>, headers: HeaderMap, body: Bytes) -> Response {
    id.delay().await;
    let params = Params::parse(&String::from_utf8_lossy(&body));
    let mut response = token_answer(&id, &headers, &params);
    let held = id.shared.lock().faults.refresh_answer_delay_ms;
    if held > 0 && params.get("grant_type") == Some("refresh_token") {
        tokio::time::sleep(std::time::Duration::from_millis(held)).await;
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    id.cors(&headers, &mut response);
    response
}

fn token_answer(id: &Identity, headers: &HeaderMap, p: &Params) -> Response {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !form.starts_with("application/x-www-form-urlencoded") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The body must be form-encoded.",
        );
    }
    if p.get("client_id") != Some(id.registration.client_id.as_str()) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Unknown client.",
        );
    }
    match p.get("grant_type") {
        Some("authorization_code") => exchange(id, p),
        Some("refresh_token") => refresh(id, p),
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Use authorization_code or refresh_token.",
        ),
    }
}

fn exchange(id: &Identity, p: &Params) -> Response {
    let mut guard = id.shared.lock();
    let s = &mut *guard;
    s.counters.code_exchanges += 1;
    let code = p.get("code").unwrap_or_default();
    let verifier = p.get("code_verifier").unwrap_or_default();
    let problem = match s.codes.get_mut(code) {
        None => Some("The authorization code is invalid."),
        Some(grant) if grant.used => {
            // A replayed code: revoke whatever it issued (RFC 6749 §4.1.2).
            for token in std::mem::take(&mut grant.issued) {
                if let Some(t) = s.access.remove(&token) {
                    s.refresh.remove(&t.partner);
                }
            }
            Some("The authorization code has already been used.")
        }
        Some(grant) => {
            // Whatever the outcome, this code is spent.
            grant.used = true;
            if grant.expires_at < now() {
                Some("The authorization code has expired.")
            } else if p.get("redirect_uri") != Some(grant.redirect_uri.as_str()) {
                Some("redirect_uri does not match the authorization request.")
            } else if verifier.len() < 43
                || URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != grant.challenge
            {
                Some("The code_verifier does not match the code_challenge.")
            } else {
                None
            }
        }
    };
    if let Some(problem) = problem {
        s.counters.rejected_exchanges += 1;
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", problem);
    }
    let Some((user, scope)) = s.codes.get(code).map(|g| (g.user, g.scope.clone())) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The authorization code is invalid.",
        );
    };
    let body = issue(id, s, user, &scope);
    if let (Some(grant), Some(access)) = (s.codes.get_mut(code), body["access_token"].as_str()) {
        grant.issued.push(access.to_string());
    }
    axum::Json(body).into_response()
}

fn refresh(id: &Identity, p: &Params) -> Response {
    let mut guard = id.shared.lock();
    let s = &mut *guard;
    s.counters.refreshes += 1;
    if s.faults.refresh_needs_secret && p.get("client_secret").is_none() {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client_secret is required.",
        );
    }
    let presented = p.get("refresh_token").unwrap_or_default();
    // Rotation: the presented refresh token is spent whatever happens next.
    let Some(grant) = s.refresh.remove(presented) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The refresh token is invalid or was revoked.",
        );
    };
    s.access.remove(&grant.partner);
    let body = issue(id, s, grant.user, &grant.scope);
    axum::Json(body).into_response()
}

/// Issues an access and refresh token pair and the token response body.
fn issue(
    id: &Identity,
    s: &mut crate::state::State,
    user: usize,
    scope: &str,
) -> serde_json::Value {
    let access = format!("pdus+_0XBPWQQ_{}", random_uuid());
    let refresh = format!("pdus+_1XBPWQQ_{}", random_uuid());
    let lifetime = s.token_lifetime_s;
    let grant = |partner: &str| TokenGrant {
        user,
        scope: scope.to_string(),
        client_id: id.registration.client_id.clone(),
        expires_at: now() + lifetime,
        partner: partner.to_string(),
    };
    s.access.insert(access.clone(), grant(&refresh));
    s.refresh.insert(
        refresh.clone(),
        TokenGrant {
            expires_at: now() + 210 * 86_400,
            ..grant(&access)
        },
    );
    let named = s.faults.id_token_names_user.unwrap_or(user);
    let claims = json!({
        "iss": id.identity_url,
        "aud": [id.api_url, id.registration.client_id],
        "sub": s.data.users[named].id,
        "user_id": s.data.users[named].id,
        "account_id": "PACCT01",
        "subdomain": crate::data::SUBDOMAIN,
        "region": "UnitedStates",
        "iat": now(),
        "exp": now() + lifetime,
    });
    let id_token = format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        random_token(32)
    );
    json!({
        "client_info": "prefix_legacy_app",
        "id_token": id_token,
        "token_type": "bearer",
        "access_token": access,
        "refresh_token": refresh,
        "scope": scope,
        "expires_in": lifetime,
    })
}

async fn revoke(AxState(id): AxState<Identity>, headers: HeaderMap, body: Bytes) -> Response {
    id.delay().await;
    let p = Params::parse(&String::from_utf8_lossy(&body));
    let mut response = if p.get("client_id") != Some(id.registration.client_id.as_str()) {
        oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Unknown client.",
        )
    } else {
        let mut s = id.shared.lock();
        let token = p.get("token").unwrap_or_default();
        // RFC 7009 §2.2: an unknown token is not an error. Revoking either half revokes both.
        if let Some(t) = s.access.remove(token) {
            s.refresh.remove(&t.partner);
        }
        if let Some(t) = s.refresh.remove(token) {
            s.access.remove(&t.partner);
        }
        s.counters.revocations += 1;
        (StatusCode::OK, axum::Json(json!({}))).into_response()
    };
    id.cors(&headers, &mut response);
    response
}

async fn preflight(AxState(id): AxState<Identity>, headers: HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    id.cors(&headers, &mut response);
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Content-Type"),
    );
    response
}
