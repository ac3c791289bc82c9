//! The tab's sign-in state, shared with every view through context, and the only code that
//! changes it. Views read it through [`AuthContext::state`]; they act through its methods.

use super::{Notice, PopupError, SignInError, Start};
use crate::browser::storage::SessionStorage;
use crate::browser::{fetch, frame, location, now_ms, popup};
use crate::navigation::Nav;
use leptos::prelude::*;
use leptos::task::spawn_local;
use oncall_core::address::Address;
use oncall_core::config::{Config, RedirectTarget};
use oncall_core::oauth::callback::{self, CallbackParams, Exchange};
use oncall_core::oauth::pkce::random_state;
use oncall_core::oauth::{authorize, token};
use oncall_core::routes::with_param;
use oncall_core::secret::Secret;
use oncall_core::session::Session;
use oncall_core::storage;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// The query parameter with which a framed page hands its sign-in to the top window.
pub const SIGN_IN_PARAM: &str = "sign_in";

/// How long a popup sign-in may take.
const POPUP_TIMEOUT_MS: f64 = 5.0 * 60.0 * 1000.0;

/// Where this tab stands with PagerDuty.
#[derive(Clone, Debug, PartialEq)]
pub enum Auth {
    SignedOut {
        notice: Option<Notice>,
    },
    /// Back from PagerDuty with a checked code; the exchange is under way.
    Completing,
    /// Framed: the sign-in runs in a popup window.
    InPopup,
    /// This is the popup: the callback went back to the page that opened it.
    HandedBack,
    /// The sign-in did not finish; the button starts over and returns to `return_to`.
    Failed {
        error: SignInError,
        return_to: String,
    },
    SignedIn(Session),
    /// Revoking this session's tokens at PagerDuty. No request uses it any more, no refresh
    /// may store a new one, and one still under way has its fresh tokens revoked too.
    SigningOut(Session),
}

/// How a refresh went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Refreshed {
    /// A fresh token is in place (by this call or a concurrent one).
    Yes,
    /// PagerDuty refused: the session has ended and the person is asked to sign in again.
    Ended,
    /// PagerDuty could not be reached: the session stays, the request may be retried.
    Unreachable,
}

/// The sign-in state and the actions on it. Copy, like a signal: every view holds the same.
#[derive(Clone, Copy)]
pub struct AuthContext {
    config: StoredValue<Config>,
    nav: Nav,
    state: RwSignal<Auth>,
    /// Set between the click on "Sign in" (or "Sign out") and leaving: a double click starts
    /// one sign-in, not two.
    leaving: RwSignal<bool>,
    /// The refresh under way, which every caller awaits, so a rotated refresh token is never
    /// presented twice. A JS promise, because it is shared by nature (`futures`' `Shared`
    /// did the same for 0.5 KB more download).
    refreshing: StoredValue<Option<js_sys::Promise>, LocalStorage>,
}

impl AuthContext {
    /// The context for a page load that [`super::arrive`]d at `start`. A checked code is
    /// exchanged at once; a dead stored session is forgotten.
    pub fn new(config: Config, nav: Nav, start: Start) -> Self {
        let mut exchange = None;
        let initial = match start {
            Start::Exchange(checked) => {
                exchange = Some(checked);
                Auth::Completing
            }
            Start::HandBack { .. } => Auth::HandedBack,
            Start::SignedIn(session) => Auth::SignedIn(session),
            Start::SignedOut {
                notice,
                forget_stored,
            } => {
                if forget_stored {
                    storage::clear_session(&this_store(&nav));
                }
                Auth::SignedOut { notice }
            }
            Start::Failed(error) => Auth::Failed {
                error,
                return_to: "/".into(),
            },
        };
        let this = Self {
            config: StoredValue::new(config),
            nav,
            state: RwSignal::new(initial),
            leaving: RwSignal::new(false),
            refreshing: StoredValue::new_local(None),
        };
        if let Some(exchange) = exchange {
            spawn_local(this.complete_sign_in(exchange));
        }
        this.sign_in_if_asked();
        // A page restored from the back-forward cache after leaving for PagerDuty must offer
        // the button again.
        let _ = window_event_listener(leptos::ev::pageshow, move |event| {
            if event.persisted() {
                this.leaving.set(false);
            }
        });
        this
    }

    /// Sent here by a framed copy of this page to sign in full-window (`redirect_target:
    /// top`): the marker leaves the address at once, so a reload or a shared link does not
    /// repeat it, and a signed-in or framed page ignores it.
    fn sign_in_if_asked(&self) {
        let query = self.nav.query_untracked();
        if oncall_core::form::query_value(&query, SIGN_IN_PARAM).is_none() {
            return;
        }
        self.nav
            .set_query(with_param(&query, SIGN_IN_PARAM, None), true);
        let signed_out = self
            .state
            .with_untracked(|a| matches!(a, Auth::SignedOut { .. }));
        if signed_out && !frame::is_framed() {
            if let Err(error) = self.sign_in() {
                self.fail(error, self.nav.here());
            }
        }
    }

    /// This app's records in this tab's `sessionStorage`.
    fn store(&self) -> SessionStorage {
        this_store(&self.nav)
    }

    /// The state, for views to read (tracked).
    pub fn state(&self) -> ReadSignal<Auth> {
        self.state.read_only()
    }

    /// Whether the page is on its way out (to PagerDuty, or signing out): buttons wait.
    pub fn leaving(&self) -> ReadSignal<bool> {
        self.leaving.read_only()
    }

    /// Reads the configuration.
    pub fn with_config<R>(&self, f: impl FnOnce(&Config) -> R) -> R {
        self.config.with_value(f)
    }

    /// Whether the page may offer to change schedules: write access in `config.json` and in
    /// the token PagerDuty issued (`oncall_core::cover::Writes`).
    pub fn writes(&self) -> oncall_core::cover::Writes {
        let granted = self.session().map(|s| s.scope).unwrap_or_default();
        self.with_config(|c| oncall_core::cover::Writes::of(c.scope, &granted))
    }

    /// The signed-in session, if any (untracked).
    pub fn session(&self) -> Option<Session> {
        self.state.with_untracked(|a| match a {
            Auth::SignedIn(session) => Some(session.clone()),
            _ => None,
        })
    }

    /// Whether the tokens are being revoked: requests still on their way are dropped quietly.
    pub fn is_signing_out(&self) -> bool {
        self.state
            .with_untracked(|a| matches!(a, Auth::SigningOut(_)))
    }

    /// Starts a sign-in that returns to where the person is now (or was, after a failure).
    pub fn sign_in(&self) -> Result<(), SignInError> {
        if self.leaving.get_untracked() {
            return Ok(());
        }
        let return_to = match self.state.get_untracked() {
            Auth::Failed { return_to, .. } => return_to,
            _ => self.nav.here(),
        };
        let framed = frame::is_framed();
        let target = self.config.with_value(|c| c.redirect_target);
        if framed && target == RedirectTarget::Top {
            // PagerDuty's answer will land in the top window, whose storage this frame may not
            // share (a cross-site frame's is partitioned): the top window opens this view and
            // runs the sign-in itself.
            let mut view = Address::parse(&return_to);
            view.query = with_param(&view.query, SIGN_IN_PARAM, Some("1"));
            let url = format!(
                "{}{}",
                self.nav.base().origin,
                self.nav.href(&view.to_string())
            );
            self.leaving.set(true);
            if !frame::navigate_top(&url) {
                self.leaving.set(false);
                return Err(SignInError::TopRefused);
            }
            return Ok(());
        }
        // Framed, PagerDuty's login page cannot be shown here (it refuses to be framed) and
        // storage may be partitioned: sign in in a popup, opened *before* anything else so
        // that popup blockers see it come straight from the click.
        let popup_nonce = if framed { Some(random_state()?) } else { None };
        let window = match &popup_nonce {
            Some(nonce) => Some(popup::open(nonce).ok_or(PopupError::Blocked)?),
            None => None,
        };
        let start = self
            .config
            .with_value(|config| authorize::start(config, &return_to, now_ms()))?;
        if let (Some(window), Some(nonce)) = (window, popup_nonce) {
            if window.location().set_href(&start.url).is_err() {
                let _ = window.close();
                return Err(PopupError::Blocked.into());
            }
            let this = *self;
            this.leaving.set(true);
            this.state.set(Auth::InPopup);
            spawn_local(async move {
                let own_origin = this.nav.base().origin;
                let answer = popup::answer(&window, &own_origin, &nonce, POPUP_TIMEOUT_MS).await;
                this.leaving.set(false);
                // The pending record never left this frame's memory.
                let checked = answer.map_err(SignInError::from).and_then(|answer| {
                    let params = CallbackParams::from_query(&answer.query);
                    Ok(callback::validate(params, Some(start.pending), now_ms())?)
                });
                match checked {
                    Ok(exchange) => {
                        this.state.set(Auth::Completing);
                        this.complete_sign_in(exchange).await;
                    }
                    Err(error) => this.fail(error, "/".into()),
                }
            });
            return Ok(());
        }
        storage::save_pending(&self.store(), &start.pending)?;
        self.leaving.set(true);
        location::assign(&start.url);
        Ok(())
    }

    /// Shows why the sign-in did not finish, with the button to try again.
    pub fn fail(&self, error: SignInError, return_to: String) {
        self.state.set(Auth::Failed { error, return_to });
    }

    /// Exchanges the checked code, exactly once, and lands on the view the person came from.
    async fn complete_sign_in(self, exchange: Exchange) {
        let config = self.config.get_value();
        let request = token::exchange_request(&config, &exchange);
        let Exchange { return_to, .. } = exchange;
        let session = match fetch::send(&request).await {
            Ok(response) => token::read_response(&config, &response, now_ms()).map_err(Into::into),
            Err(error) => Err(SignInError::from(error)),
        };
        match session {
            Ok(session) => {
                // Should storage refuse, the session still works in memory until a reload.
                let _ = storage::save_session(&self.store(), &session);
                self.nav.replace(Address::parse(&return_to));
                self.state.set(Auth::SignedIn(session));
            }
            Err(error) => self.fail(error, return_to),
        }
    }

    /// Replaces `stale` (a token that failed, or is about to expire) with a fresh one, using
    /// the refresh token and no secret, as PagerDuty's own browser app does. Concurrent
    /// callers await one shared refresh. When PagerDuty refuses (its docs say refresh needs a
    /// secret; the token may be revoked), the session ends with "sign in again".
    pub async fn refresh(&self, stale: &Secret) -> Refreshed {
        match self.session() {
            None => return Refreshed::Ended,
            Some(current) if &current.access_token != stale => return Refreshed::Yes,
            Some(_) => {}
        }
        let under_way = self.refreshing.with_value(Clone::clone);
        let promise = under_way.unwrap_or_else(|| {
            let this = *self;
            let started =
                future_to_promise(async move { Ok(JsValue::from(this.renew().await as u8)) });
            self.refreshing.set_value(Some(started.clone()));
            started
        });
        let outcome = JsFuture::from(promise).await.ok().and_then(|v| v.as_f64());
        match outcome {
            Some(code) if code == Refreshed::Yes as u8 as f64 => Refreshed::Yes,
            Some(code) if code == Refreshed::Ended as u8 as f64 => Refreshed::Ended,
            _ => Refreshed::Unreachable,
        }
    }

    /// The one refresh request behind [`AuthContext::refresh`].
    async fn renew(self) -> Refreshed {
        let outcome = self.renew_session().await;
        self.refreshing.set_value(None);
        outcome
    }

    async fn renew_session(self) -> Refreshed {
        let Some(old) = self.session() else {
            return Refreshed::Ended;
        };
        let Some(refresh_token) = old.refresh_token.clone() else {
            self.session_ended();
            return Refreshed::Ended;
        };
        let config = self.config.get_value();
        let Ok(response) = fetch::send(&token::refresh_request(&config, &refresh_token)).await
        else {
            return Refreshed::Unreachable;
        };
        match token::read_response(&config, &response, now_ms()) {
            // Signed out (or signing out) while the answer travelled: the fresh tokens are
            // nobody's, so they are revoked rather than stored.
            Ok(fresh) if self.session().as_ref() != Some(&old) => {
                revoke(&config, &fresh).await;
                Refreshed::Ended
            }
            Ok(fresh) => {
                let session = old.refreshed(fresh);
                let _ = storage::save_session(&self.store(), &session);
                self.state.set(Auth::SignedIn(session));
                Refreshed::Yes
            }
            Err(_) => {
                self.session_ended();
                Refreshed::Ended
            }
        }
    }

    /// The token stopped working (expired, or revoked in PagerDuty): forget it and ask the
    /// person to sign in again. The address bar keeps the view, so sign-in returns to it.
    pub fn session_ended(&self) {
        if self.session().is_none() {
            // Signing out, or signed out already: that has the last word.
            return;
        }
        storage::clear_session(&self.store());
        self.state.set(Auth::SignedOut {
            notice: Some(Notice::Ended),
        });
    }

    /// Revokes the tokens at PagerDuty, then forgets them whatever PagerDuty answered. From
    /// the click on, no request or refresh uses the session; a refresh already under way is
    /// waited for, and revokes what it brings back itself.
    pub fn sign_out(&self) {
        let Some(session) = self.session() else {
            return;
        };
        let this = *self;
        this.leaving.set(true);
        this.state.set(Auth::SigningOut(session.clone()));
        spawn_local(async move {
            let under_way = this.refreshing.with_value(Clone::clone);
            if let Some(refresh) = under_way {
                let _ = JsFuture::from(refresh).await;
            }
            let config = this.config.get_value();
            let revoked = revoke(&config, &session).await;
            storage::clear_session(&this.store());
            this.nav.replace(Address::parse("/"));
            this.leaving.set(false);
            this.state.set(Auth::SignedOut {
                notice: Some(Notice::SignedOut { revoked }),
            });
        });
    }

    /// Renews the token a few minutes before it expires, so a tab left open for days keeps
    /// working. Requests also check before they go, for timers a background tab delayed.
    pub fn renew_ahead_of_expiry(&self) {
        let this = *self;
        let rearm = RwSignal::new(0u32);
        Effect::new(move |previous: Option<Option<TimeoutHandle>>| {
            if let Some(Some(handle)) = previous {
                handle.clear();
            }
            rearm.track();
            let session = match this.state.get() {
                Auth::SignedIn(session) => session,
                _ => return None,
            };
            let wait = session.refresh_in_ms(now_ms())?;
            // setTimeout fires at once past 2^31 ms; wake up early and look again instead.
            let wait = wait.min(2_000_000_000.0);
            set_timeout_with_handle(
                move || {
                    if session.needs_refresh(now_ms()) {
                        spawn_local(async move {
                            this.refresh(&session.access_token).await;
                        });
                    } else {
                        rearm.update(|n| *n += 1);
                    }
                },
                std::time::Duration::from_millis(wait as u64),
            )
            .ok()
        });
    }
}

/// Revokes a session's tokens at PagerDuty, the refresh token first (RFC 7009 §2.1: revoking
/// it first means no new access token can be minted from it meanwhile). Whether PagerDuty
/// confirmed both.
async fn revoke(config: &Config, session: &Session) -> bool {
    let mut revoked = true;
    for token in [session.refresh_token.as_ref(), Some(&session.access_token)]
        .into_iter()
        .flatten()
    {
        let request = token::revoke_request(config, token);
        revoked &= matches!(fetch::send(&request).await, Ok(r) if r.is_success());
    }
    revoked
}

fn this_store(nav: &Nav) -> SessionStorage {
    SessionStorage::for_app(&nav.base().path)
}

/// The sign-in context, provided by the shell.
pub fn use_auth() -> Option<AuthContext> {
    use_context::<AuthContext>()
}
