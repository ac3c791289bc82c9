//! A faithful fake of PagerDuty for the demo and the end-to-end tests.
//!
//! Three loopback servers, each its own origin so CORS is as real as in production:
//! the identity server (OAuth), the REST API, and a static server for the built app that
//! also answers `config.json` pointing at the other two.

pub mod api;
pub mod data;
pub mod identity;
pub mod overrides;
pub mod params;
pub mod state;
pub mod time;

use axum::extract::State as AxState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use state::{Counters, Faults, Shared, State};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower::Layer;
use tower_http::services::{ServeDir, ServeFile};

/// The app registration the fake knows: PagerDuty compares redirect URIs byte for byte.
#[derive(Clone, Debug)]
pub struct Registration {
    pub client_id: String,
    pub redirect_uris: Vec<String>,
    /// Origins allowed to call the token and API endpoints from a browser.
    pub allowed_origins: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Options {
    /// The built site (`dist/`) to serve.
    pub dist: Option<PathBuf>,
    /// What the app's host answers for a path with no file behind it.
    pub fallback: Fallback,
    /// Ports on 127.0.0.1; 0 picks a free one.
    pub app_port: u16,
    pub identity_port: u16,
    pub api_port: u16,
    pub size: data::Size,
    pub client_id: String,
    pub token_lifetime_s: i64,
    pub faults: Faults,
    /// Where the app is served: `/` or a sub-path like `/tools/oncall/`.
    pub base_path: String,
    /// Port of the portal: a page on its own origin that frames the app.
    pub portal_port: u16,
    /// Whether the served config.json lists the portal in `embed_parent_origins`.
    pub portal_allowed: bool,
    /// The portal's page as given (a test serving the docs' own snippet), instead of the
    /// fake's portal that frames `?src=` and records every height message.
    pub portal_html: Option<String>,
    /// Other places the app is served from (e.g. nginx in a test), as full URLs with their
    /// base path: registered as redirect URIs, their origins allowed by CORS.
    pub extra_sites: Vec<String>,
    /// A Content-Security-Policy header for every page of the app, with `{identity}`, `{api}`
    /// and `{app}` replaced by the fake's origins. Violations the browser reports to
    /// `/_csp-report` are kept (see [`FakePagerDuty::csp_reports`]).
    pub csp: Option<String>,
    /// Serve the API over HTTPS, offering HTTP/2 (as PagerDuty's API is served), with a
    /// certificate made at start-up for 127.0.0.1: a browser must be told to accept it.
    pub tls: bool,
    /// Send `Access-Control-Max-Age` with CORS preflight answers (PagerDuty's own value is not
    /// documented; without it Chromium keeps a preflight for 5 seconds).
    pub preflight_max_age: bool,
    /// The served `config.json`'s `"scope"` (`read` when `None`, as the app's default).
    pub scope: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            dist: None,
            fallback: Fallback::default(),
            app_port: 0,
            identity_port: 0,
            api_port: 0,
            size: data::Size::default(),
            client_id: "fake-client-id".into(),
            tls: false,
            preflight_max_age: true,
            scope: None,
            token_lifetime_s: 864_000,
            faults: Faults::default(),
            csp: None,
            base_path: "/".into(),
            portal_port: 0,
            portal_allowed: true,
            portal_html: None,
            extra_sites: vec![],
        }
    }
}

/// What a static host answers for a path with no file, as the hosts in the README's recipes do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Fallback {
    /// The site's `index.html`, status 200: nginx's `try_files`, CloudFront with a rewrite.
    #[default]
    IndexHtml,
    /// Another file of the site, status 404: GitHub Pages answers with the site's `404.html`.
    NotFoundPage(String),
    /// The host's own 404: a plain file server.
    None,
}

/// The app's base path, with one `/` at each end.
fn base_path(options: &Options) -> String {
    let trimmed = options.base_path.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// Serves `router` over TLS with HTTP/2 and HTTP/1.1 offered (ALPN), with a self-signed
/// certificate for 127.0.0.1 and localhost made now.
fn serve_tls(listener: TcpListener, router: Router) -> std::io::Result<JoinHandle<()>> {
    let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .map_err(|e| invalid(e.to_string()))?;
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.key_pair.serialize_der().into());
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(|e| invalid(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let config = axum_server::tls_rustls::RustlsConfig::from_config(std::sync::Arc::new(config));
    let listener = listener.into_std()?;
    Ok(tokio::spawn(async move {
        let _ = axum_server::tls_rustls::from_tcp_rustls(listener, config)
            .serve(router.into_make_service())
            .await;
    }))
}

/// A running fake. Dropping it stops the servers.
pub struct FakePagerDuty {
    /// The app's origin and base path, e.g. `http://127.0.0.1:8080/`.
    pub app_url: String,
    pub identity_url: String,
    pub api_url: String,
    /// `{portal_url}?src=<app URL>` frames the app the way an internal portal would.
    pub portal_url: String,
    pub client_id: String,
    shared: Shared,
    app: AppFiles,
    tasks: Vec<JoinHandle<()>>,
}

impl FakePagerDuty {
    pub async fn start(options: Options) -> std::io::Result<Self> {
        let bind = |port: u16| TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)));
        let (app_listener, identity_listener, api_listener) = (
            bind(options.app_port).await?,
            bind(options.identity_port).await?,
            bind(options.api_port).await?,
        );
        let portal_listener = bind(options.portal_port).await?;
        let url = |l: &TcpListener| l.local_addr().map(|a| format!("http://{a}"));
        let portal_origin = url(&portal_listener)?;
        let app_origin = url(&app_listener)?;
        let identity_url = url(&identity_listener)?;
        let api_url = if options.tls {
            url(&api_listener)?.replace("http://", "https://")
        } else {
            url(&api_listener)?
        };

        let mut registration = Registration {
            client_id: options.client_id.clone(),
            redirect_uris: vec![format!("{app_origin}{}", base_path(&options))],
            allowed_origins: vec![app_origin.clone()],
        };
        for site in &options.extra_sites {
            registration.redirect_uris.push(site.clone());
            if let Some(end) = site
                .find("://")
                .and_then(|i| site[i + 3..].find('/').map(|j| i + 3 + j))
            {
                registration.allowed_origins.push(site[..end].to_string());
            }
        }
        let shared = Shared::new(State {
            data: std::sync::Arc::new(data::Data::generate(&options.size, state::now())),
            size: options.size.clone(),
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            faults: options.faults.clone(),
            counters: Counters::default(),
            token_lifetime_s: options.token_lifetime_s,
            last_callback: None,
            api_log: Vec::new(),
            overrides_made: 0,
        });
        let app = AppFiles {
            csp: options.csp.as_ref().map(|policy| {
                policy
                    .replace("{identity}", &identity_url)
                    .replace("{api}", &api_url)
                    .replace("{app}", &app_origin)
            }),
            csp_reports: Default::default(),
            dist: options.dist.clone(),
            fallback: options.fallback.clone(),
            config: std::sync::Arc::new(std::sync::Mutex::new(
                serde_json::json!({
                    "client_id": options.client_id,
                    "scope": options.scope.as_deref().unwrap_or("read"),
                    "identity_base_url": identity_url,
                    "api_base_url": api_url,
                    // The portal by both its names: as `localhost` it frames the app cross-site.
                    "embed_parent_origins": if options.portal_allowed {
                        vec![portal_origin.clone(), portal_origin.replace("127.0.0.1", "localhost")]
                    } else {
                        vec![]
                    },
                })
                .to_string(),
            )),
        };
        let identity = identity::router(identity::Identity {
            shared: shared.clone(),
            registration: registration.clone(),
            identity_url: identity_url.clone(),
            api_url: api_url.clone(),
        });
        let api = api::router(api::Api {
            shared: shared.clone(),
            api_url: api_url.clone(),
            allowed_origins: registration.allowed_origins.clone(),
            preflight_max_age: options.preflight_max_age,
        });
        let serve = |listener: TcpListener, router: Router| {
            tokio::spawn(async move {
                let _ = axum::serve(listener, router).await;
            })
        };
        let tasks = vec![
            serve(app_listener, app.router(base_path(&options))),
            serve(identity_listener, identity),
            if options.tls {
                serve_tls(api_listener, api)?
            } else {
                serve(api_listener, api)
            },
            serve(
                portal_listener,
                match options.portal_html.clone() {
                    Some(html) => {
                        Router::new().fallback(move || async move { axum::response::Html(html) })
                    }
                    None => Router::new().fallback(portal_page),
                },
            ),
        ];
        Ok(Self {
            app_url: format!("{app_origin}{}", base_path(&options)),
            identity_url,
            api_url,
            portal_url: format!("{portal_origin}/"),
            client_id: options.client_id,
            shared,
            app,
            tasks,
        })
    }

    pub fn set_faults(&self, faults: Faults) {
        self.shared.lock().faults = faults;
    }

    pub fn counters(&self) -> Counters {
        self.shared.lock().counters.clone()
    }

    /// Revokes every token, as a user revoking the app in PagerDuty's UI would.
    pub fn revoke_all(&self) {
        api::revoke_everything(&mut self.shared.lock());
    }

    /// How many access tokens still work.
    pub fn live_access_tokens(&self) -> usize {
        self.shared.lock().access.len()
    }

    /// The email of the user the login form suggests.
    pub fn demo_email(&self) -> String {
        self.shared.lock().data.users[0].email.clone()
    }

    pub fn demo_name(&self) -> String {
        self.shared.lock().data.users[0].name.clone()
    }

    /// The last URL the identity server sent the browser back to, code and all.
    pub fn last_callback_url(&self) -> Option<String> {
        self.shared.lock().last_callback.clone()
    }

    /// Serves this text as `config.json` from now on (for set-up page tests).
    pub fn set_config_json(&self, text: &str) {
        *self.app.config.lock().unwrap_or_else(|p| p.into_inner()) = text.to_string();
    }

    /// Reads the faults switched on now (counted ones count down).
    pub fn with_faults<R>(&self, f: impl FnOnce(&Faults) -> R) -> R {
        f(&self.shared.lock().faults)
    }

    /// Every API request so far, as path and query.
    pub fn api_log(&self) -> Vec<String> {
        self.shared.lock().api_log.clone()
    }

    /// The CSP violation reports the browser sent.
    pub fn csp_reports(&self) -> Vec<String> {
        self.app
            .csp_reports
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Renames a user (for tests of hostile names).
    pub fn rename_user(&self, index: usize, name: &str) {
        if let Some(user) = std::sync::Arc::make_mut(&mut self.shared.lock().data)
            .users
            .get_mut(index)
        {
            user.name = name.to_string();
        }
    }

    /// Changes the account's data as someone else would meanwhile (an override made in
    /// PagerDuty's own UI while the page is open, say).
    pub fn change_data(&self, f: impl FnOnce(&mut data::Data)) {
        f(std::sync::Arc::make_mut(&mut self.shared.lock().data));
    }

    /// Runs `f` on the fake's account data (for tests that compare against it).
    pub fn with_data<R>(&self, f: impl FnOnce(&data::Data) -> R) -> R {
        f(&self.shared.lock().data)
    }
}

impl Drop for FakePagerDuty {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// The static app server: `config.json` from memory, everything else from `dist/`.
#[derive(Clone)]
struct AppFiles {
    dist: Option<PathBuf>,
    fallback: Fallback,
    config: std::sync::Arc<std::sync::Mutex<String>>,
    csp: Option<String>,
    csp_reports: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl AppFiles {
    /// Everything under `base`: `config.json` from memory, CSP reports, and files from `dist/`,
    /// with the [`Fallback`] chosen for unknown paths. Outside `base`, nothing is found, as on
    /// a real host.
    fn router(&self, base: String) -> Router {
        Router::new()
            .fallback(app_request)
            .with_state((self.clone(), base.trim_end_matches('/').to_string()))
    }
}

async fn app_request(
    AxState((app, prefix)): AxState<(AppFiles, String)>,
    request: axum::extract::Request,
) -> Response {
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let Some(rest) = path_and_query
        .strip_prefix(prefix.as_str())
        .filter(|r| r.starts_with('/'))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let path = rest.split('?').next().unwrap_or("/").to_string();
    let mut response = match (request.method().as_str(), path.as_str()) {
        ("GET", "/config.json") => config_json(AxState(app.clone())).await,
        ("POST", "/_csp-report") => {
            let body = axum::body::to_bytes(request.into_body(), 1 << 16)
                .await
                .unwrap_or_default();
            csp_report(AxState(app.clone()), body).await.into_response()
        }
        _ => match &app.dist {
            Some(dist) => {
                let mut request = request;
                match rest.parse() {
                    Ok(uri) => *request.uri_mut() = uri,
                    Err(_) => return StatusCode::BAD_REQUEST.into_response(),
                }
                // The build's precompressed copies (brotli -q 11, gzip -9) for browsers that
                // ask, as a host set up for it serves them (the nginx recipe in
                // docs/deploy.md: gzip_static); anything else compressed on the way.
                let files = ServeDir::new(dist).precompressed_br().precompressed_gzip();
                let compress = tower_http::compression::CompressionLayer::new();
                let answer = match &app.fallback {
                    Fallback::IndexHtml => {
                        let index = ServeFile::new(dist.join("index.html"));
                        let service = compress.layer(files.fallback(index));
                        tower::ServiceExt::oneshot(service, request)
                            .await
                            .map(IntoResponse::into_response)
                    }
                    Fallback::NotFoundPage(name) => {
                        let page = ServeFile::new(dist.join(name));
                        let service = compress.layer(files.not_found_service(page));
                        tower::ServiceExt::oneshot(service, request)
                            .await
                            .map(IntoResponse::into_response)
                    }
                    Fallback::None => tower::ServiceExt::oneshot(compress.layer(files), request)
                        .await
                        .map(IntoResponse::into_response),
                };
                match answer {
                    Ok(response) => response,
                    Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                }
            }
            None => StatusCode::NOT_FOUND.into_response(),
        },
    };
    if let Some(value) = app
        .csp
        .as_deref()
        .and_then(|c| HeaderValue::from_str(c).ok())
    {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// An internal portal: frames `?src=` and records the height messages the frame sends, as the
/// README's embedding snippet does.
async fn portal_page(axum::extract::RawQuery(query): axum::extract::RawQuery) -> Response {
    let src = params::Params::parse(query.as_deref().unwrap_or_default())
        .get("src")
        .unwrap_or_default()
        .to_string();
    let page = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Team portal</title></head>
<body><h1>Team portal</h1>
<iframe id="oncall" title="On call" src="{}" style="width:100%;height:300px;border:0"></iframe>
<script>
  window.heights = [];
  window.addEventListener("message", function (event) {{
    var message;
    try {{ message = JSON.parse(event.data); }} catch (e) {{ return; }}
    if (message.kind !== "pagerduty-oncall:height") return;
    window.heights.push({{ origin: event.origin, height: message.height }});
    document.getElementById("oncall").style.height = message.height + "px";
  }});
</script></body></html>"#,
        params::html(&src)
    );
    axum::response::Html(page).into_response()
}

async fn csp_report(AxState(app): AxState<AppFiles>, body: axum::body::Bytes) -> StatusCode {
    app.csp_reports
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(String::from_utf8_lossy(&body).into_owned());
    StatusCode::NO_CONTENT
}

async fn config_json(AxState(app): AxState<AppFiles>) -> Response {
    let text = app.config.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let mut response = (StatusCode::OK, text).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
