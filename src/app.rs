//! The top of the app: configuration, the sign-in state machine, and the signed-in shell.

use crate::address::{self, Address, Routing};
use crate::api::types::UserEnvelope;
use crate::browser::frame;
use crate::browser::location::{self, Base};
use crate::browser::storage::SessionStorage;
use crate::browser::{fetch, now_ms};
use crate::client::{self, Store};
use crate::components::link::RouteLink;
use crate::components::zone::{Me, ZonePicker};
use crate::config::RedirectTarget;
use crate::config::{self, Config, ConfigProblem};
use crate::embed::{Embed, PopupResult};
use crate::form;
use crate::http::{HttpRequest, Method};
use crate::navigation::Nav;
use crate::oauth::callback::{self, CallbackError, CallbackParams, Exchange};
use crate::oauth::{authorize, token};
use crate::pages::{
    home::HomePage, not_found::NotFound, schedule::SchedulePage, schedules::SchedulesPage,
    setup::SetupPage, signed_out::SignedOutPage, team::TeamPage, teams::TeamsPage, user::UserPage,
};
use crate::retry;
use crate::routes::{with_param, Route};
use crate::secret::Secret;
use crate::session::PendingSignIn;
use crate::session::Session;
use crate::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where this tab stands with PagerDuty.
#[derive(Clone, Debug, PartialEq)]
pub enum Auth {
    SignedOut {
        notice: Option<String>,
    },
    /// Back from PagerDuty with a checked code; the exchange is under way.
    Completing,
    /// Framed: the sign-in runs in a popup window.
    InPopup,
    /// This is the popup: the callback went back to the page that opened it.
    HandedBack,
    /// The sign-in did not finish; `message` says why, the button starts over.
    Failed {
        message: String,
        return_to: String,
    },
    SignedIn(Session),
}

/// Which screen [`Auth`] calls for; changes only when the screen must.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Screen {
    SignedOut,
    Completing,
    Failed,
    SignedIn,
    HandedBack,
}

/// The sign-in state and the actions on it, shared by every view.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub config: StoredValue<Config>,
    pub nav: Nav,
    pub auth: RwSignal<Auth>,
    /// Set between the click on "Sign in" and leaving the page: a double click starts one
    /// sign-in, not two.
    pub leaving: RwSignal<bool>,
    /// A token refresh is under way: others wait for it rather than start their own, so a
    /// rotated refresh token is never presented twice.
    pub refreshing: RwSignal<bool>,
}

/// The query parameter with which a framed page hands its sign-in to the top window.
const SIGN_IN_PARAM: &str = "sign_in";

/// The page's title, as `index.html` has it.
const TITLE: &str = "On call · PagerDuty";

/// Told when the browser refuses to open the sign-in window.
const POPUP_BLOCKED: &str = "Your browser blocked the sign-in window. Allow pop-ups for this page and press the button again, or open this page in its own tab.";
/// How long a popup sign-in may take.
const POPUP_TIMEOUT_MS: f64 = 5.0 * 60.0 * 1000.0;

/// What the person is told when their sign-in cannot be renewed.
const EXPIRED: &str =
    "Your PagerDuty sign-in has expired or was revoked. Sign in again to carry on where you were.";

/// How a refresh went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refreshed {
    /// A fresh token is in place (by this call or a concurrent one).
    Yes,
    /// PagerDuty refused: the session has ended and the person is asked to sign in again.
    Ended,
    /// PagerDuty could not be reached: the session stays, the request may be retried.
    Unreachable,
}

impl AuthContext {
    pub fn with_session<R>(&self, f: impl FnOnce(&Auth) -> R) -> R {
        self.auth.with_untracked(f)
    }

    /// The signed-in session, if any.
    pub fn session(&self) -> Option<Session> {
        self.auth.with_untracked(|a| match a {
            Auth::SignedIn(session) => Some(session.clone()),
            _ => None,
        })
    }

    /// Replaces `stale` (a token that failed, or is about to expire) with a fresh one, using
    /// the refresh token and no secret, as PagerDuty's own browser app does. Concurrent
    /// callers share one refresh. When PagerDuty refuses (its docs say refresh needs a
    /// secret; the token may be revoked), the session ends with "sign in again".
    pub async fn refresh(&self, stale: &Secret) -> Refreshed {
        loop {
            match self.session() {
                None => return Refreshed::Ended,
                Some(current) if &current.access_token != stale => return Refreshed::Yes,
                Some(_) if self.refreshing.get_untracked() => crate::browser::sleep(50).await,
                Some(_) => break,
            }
        }
        let Some(old) = self.session() else {
            return Refreshed::Ended;
        };
        let Some(refresh_token) = old.refresh_token.clone() else {
            self.session_ended(EXPIRED.into());
            return Refreshed::Ended;
        };
        self.refreshing.set(true);
        let config = self.config.get_value();
        let answer = fetch::send(&token::refresh_request(&config, &refresh_token)).await;
        self.refreshing.set(false);
        let Ok(response) = answer else {
            return Refreshed::Unreachable;
        };
        match token::read_response(&config, &response, now_ms()) {
            Ok(fresh) => {
                let session = retry::merge_refreshed(&old, fresh);
                let _ = storage::save_session(&SessionStorage::open(), &session);
                self.auth.set(Auth::SignedIn(session));
                Refreshed::Yes
            }
            Err(_) => {
                self.session_ended(EXPIRED.into());
                Refreshed::Ended
            }
        }
    }

    /// Starts a sign-in that returns to where the person is now (or was, after a failure).
    pub fn sign_in(&self) -> Result<(), String> {
        if self.leaving.get_untracked() {
            return Ok(());
        }
        let return_to = match self.auth.get_untracked() {
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
                return Err("The page around this one did not let it go to PagerDuty. Open this page in its own tab to sign in.".into());
            }
            return Ok(());
        }
        // Framed, PagerDuty's login page cannot be shown here (it refuses to be framed) and
        // storage may be partitioned: sign in in a popup, opened *before* anything else so
        // that popup blockers see it come straight from the click.
        let popup = if framed {
            Some(frame::open_popup().ok_or(POPUP_BLOCKED)?)
        } else {
            None
        };
        let start = self
            .config
            .with_value(|config| authorize::start(config, &return_to, now_ms()))
            .map_err(|e| e.to_string())?;
        if let Some(popup) = popup {
            if popup.location().set_href(&start.url).is_err() {
                let _ = popup.close();
                return Err(POPUP_BLOCKED.into());
            }
            self.await_popup(popup, start.pending);
            return Ok(());
        }
        storage::save_pending(&SessionStorage::open(), &start.pending)
            .map_err(|e| e.to_string())?;
        self.leaving.set(true);
        location::assign(&start.url);
        Ok(())
    }

    /// Waits for the popup to hand back the callback. The pending record never leaves this
    /// frame's memory. Only a message from this app's own origin, sent by that very popup, is
    /// accepted; a closed popup or five minutes without an answer end the attempt with a
    /// sentence and the button again.
    fn await_popup(&self, popup: web_sys::Window, pending: PendingSignIn) {
        let this = *self;
        this.leaving.set(true);
        this.auth.set(Auth::InPopup);
        let pending = std::rc::Rc::new(std::cell::RefCell::new(Some(pending)));
        let own_origin = this.nav.base().origin;
        let listener = {
            let (pending, popup) = (pending.clone(), popup.clone());
            window_event_listener(leptos::ev::message, move |event| {
                let Some(data) = event.data().as_string() else {
                    return;
                };
                let Some(result) = PopupResult::accept(&data, &event.origin(), &own_origin) else {
                    return;
                };
                let from_popup = event
                    .source()
                    .is_some_and(|s| frame::same_window(&s, &popup));
                if !from_popup {
                    return;
                }
                let Some(pending) = pending.borrow_mut().take() else {
                    return;
                };
                this.leaving.set(false);
                match callback::validate(
                    CallbackParams::from_query(&result.query),
                    Some(pending),
                    now_ms(),
                ) {
                    Ok(exchange) => {
                        this.auth.set(Auth::Completing);
                        spawn_local(complete_sign_in(this, exchange));
                    }
                    Err(error) => this.auth.set(Auth::Failed {
                        message: error.to_string(),
                        return_to: "/".into(),
                    }),
                }
            })
        };
        spawn_local(async move {
            let started = now_ms();
            loop {
                crate::browser::sleep(400).await;
                if pending.borrow().is_none() {
                    break;
                }
                let gave_up = if popup.closed().unwrap_or(true) {
                    Some("The sign-in window was closed before you finished. Try again, and approve the app in that window.")
                } else if now_ms() - started > POPUP_TIMEOUT_MS {
                    let _ = popup.close();
                    Some("Signing in took too long, so it was stopped. Try again.")
                } else {
                    None
                };
                if let Some(message) = gave_up {
                    pending.borrow_mut().take();
                    this.leaving.set(false);
                    this.auth.set(Auth::Failed {
                        message: message.into(),
                        return_to: "/".into(),
                    });
                    break;
                }
            }
            listener.remove();
        });
    }

    /// The token stopped working (expired, or revoked in PagerDuty): forget it and ask the
    /// person to sign in again. The address bar keeps the view, so sign-in returns to it.
    pub fn session_ended(&self, notice: String) {
        storage::clear_session(&SessionStorage::open());
        self.auth.set(Auth::SignedOut {
            notice: Some(notice),
        });
    }

    /// Revokes the tokens at PagerDuty, then forgets them whatever PagerDuty answered.
    pub fn sign_out(&self) {
        let Auth::SignedIn(session) = self.auth.get_untracked() else {
            return;
        };
        let this = *self;
        this.leaving.set(true);
        spawn_local(async move {
            let config = this.config.get_value();
            let tokens = [Some(&session.access_token), session.refresh_token.as_ref()];
            let mut revoked = true;
            for token in tokens.into_iter().flatten() {
                let request = token::revoke_request(&config, token);
                revoked &= matches!(fetch::send(&request).await, Ok(r) if r.is_success());
            }
            storage::clear_session(&SessionStorage::open());
            this.nav.replace(Address::parse("/"));
            this.leaving.set(false);
            let notice = if revoked {
                "You are signed out, and PagerDuty has revoked this page's access."
            } else {
                "You are signed out of this page. PagerDuty could not be reached to revoke its access; you can revoke it under My Profile → User Settings in PagerDuty."
            };
            this.auth.set(Auth::SignedOut {
                notice: Some(notice.to_string()),
            });
        });
    }
}

/// The whole page: loads `config.json` and learns how the host serves inner paths, then hands
/// over to the sign-in shell.
#[component]
pub fn App() -> impl IntoView {
    let base = location::base();
    let embed = Embed::from_query(&location::address(&base).query);
    frame::apply_theme(embed.theme);
    provide_context(embed);
    let loaded = LocalResource::new({
        let base = base.clone();
        move || start(base.clone())
    });
    // No <Suspense> here: a resource read anywhere in the shell (the signed-in user, say)
    // would hold the whole page back until it loaded.
    move || match loaded.get() {
        None => view! { <p class="page-status" role="status">"Loading…"</p> }.into_any(),
        Some(Ok((config, routing))) => {
            view! { <Shell config base=base.clone() routing /> }.into_any()
        }
        Some(Err(problems)) => view! { <SetupPage problems /> }.into_any(),
    }
}

/// The configuration, and how views are written in the address bar: as `config.json` says,
/// else as the host allows. Both questions go to the host at once; while they travel, the
/// browser's time-zone data is loaded (its first `Intl.DateTimeFormat` with a zone costs
/// about 13 ms), which would otherwise hold back the first API requests after sign-in.
async fn start(base: Base) -> Result<(Config, Routing), Vec<ConfigProblem>> {
    let warm_up_zones = async {
        crate::browser::zone::browser_zone();
    };
    let (config, probed, ()) = futures::future::join3(
        load_config(base.clone()),
        probe_routing(base),
        warm_up_zones,
    )
    .await;
    let config = config?;
    let routing = config.routing.unwrap_or(probed);
    Ok((config, routing))
}

/// Path routing if the host answers an inner path with this page, else hash routing. A page
/// that was itself loaded from an inner path has its answer already; otherwise the host is
/// asked once per tab, so a reload or the return from PagerDuty does not wait for it again.
async fn probe_routing(base: Base) -> Routing {
    let pathname = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    if base.in_app_path(&pathname) != "/" {
        return Routing::Path;
    }
    let store = SessionStorage::open();
    if let Some(known) = storage::load_routing(&store, &base.path) {
        return known;
    }
    let request = HttpRequest {
        method: Method::Get,
        url: format!("{}{}", base.path, address::PROBE_PATH),
        headers: vec![],
        body: None,
    };
    let answer = fetch::send(&request).await.ok();
    let routing = address::routing_for_probe(answer.as_ref().map(|r| r.body.as_str()));
    // A failed request proves nothing about the host: it is asked again next time.
    if answer.is_some() {
        storage::save_routing(&store, &base.path, routing);
    }
    routing
}

/// Fetches `config.json` from beside `index.html`, never from a cache.
async fn load_config(base: Base) -> Result<Config, Vec<ConfigProblem>> {
    let unreadable = |why: String| vec![ConfigProblem::Unreadable(why)];
    let request = HttpRequest {
        method: Method::Get,
        url: format!("{}{}", base.path, config::FILE_NAME),
        headers: vec![],
        body: None,
    };
    let response = fetch::send(&request)
        .await
        .map_err(|_| unreadable("the request failed".into()))?;
    if !response.is_success() {
        return Err(unreadable(format!(
            "HTTP {} for {}",
            response.status, request.url
        )));
    }
    if response.body.trim_start().starts_with('<') {
        return Err(unreadable(format!(
            "{} answered with a web page instead, so the file is probably missing",
            request.url
        )));
    }
    config::parse(&response.body, &base.url())
}

/// Decides, once per page load, what this load is: a callback from PagerDuty, a tab with a
/// session, or a signed-out visit.
#[component]
fn Shell(config: Config, base: Base, routing: Routing) -> impl IntoView {
    let store = SessionStorage::open();
    let params = CallbackParams::from_query(&location::search());
    let mut exchange = None;
    let initial = if params.is_callback() {
        // Spend the pending record and clean the address bar *before* anything else, so that
        // a reload, Back, or a second run can never present this code again.
        let pending = storage::take_pending(&store);
        let query = location::search();
        location::replace(&base.path);
        // The sign-in popup of a framed page: this window holds no pending record (the frame
        // kept it); hand the answer to the opener, on this origin only, and close.
        let opener = if pending.is_none() {
            frame::opener()
        } else {
            None
        };
        if let Some(opener) = opener.filter(|o| frame::hand_back(o, &query, &base.origin)) {
            let _ = opener;
            if let Some(window) = web_sys::window() {
                let _ = window.close();
            }
            exchange = None;
            Auth::HandedBack
        } else {
            match (
                callback::validate(params, pending, now_ms()),
                storage::load_session(&store),
            ) {
                (Ok(checked), _) => {
                    exchange = Some(checked);
                    Auth::Completing
                }
                // An old callback link opened in a tab that is already signed in: nothing to do.
                (Err(CallbackError::NoPendingSignIn), Some(session))
                    if !session.is_expired(now_ms()) =>
                {
                    Auth::SignedIn(session)
                }
                (Err(error), _) => Auth::Failed {
                    message: error.to_string(),
                    return_to: "/".into(),
                },
            }
        }
    } else {
        // An abandoned sign-in (the person came back without a callback) is dropped.
        drop(storage::take_pending(&store));
        match storage::load_session(&store) {
            // An expired token with a refresh token is renewed before the first request.
            Some(session) if !session.is_expired(now_ms()) || session.refresh_token.is_some() => {
                Auth::SignedIn(session)
            }
            Some(_) => {
                storage::clear_session(&store);
                Auth::SignedOut {
                    notice: Some("Your PagerDuty sign-in has expired. Sign in again.".into()),
                }
            }
            None => Auth::SignedOut { notice: None },
        }
    };
    // The address bar is clean of any callback now: the view in it is the one to show.
    let nav = Nav::start(base, routing);
    provide_context(nav);
    // Sent here by a framed copy of this page to sign in full-window (`redirect_target: top`):
    // the marker leaves the address at once, so a reload or a shared link does not repeat it.
    let asked_to_sign_in = form::query_value(&nav.query_untracked(), SIGN_IN_PARAM).is_some();
    if asked_to_sign_in {
        nav.set_query(
            with_param(&nav.query_untracked(), SIGN_IN_PARAM, None),
            true,
        );
    }
    let ctx = AuthContext {
        config: StoredValue::new(config),
        nav,
        auth: RwSignal::new(initial),
        leaving: RwSignal::new(false),
        refreshing: RwSignal::new(false),
    };
    provide_context(ctx);
    if let Some(exchange) = exchange {
        spawn_local(complete_sign_in(ctx, exchange));
    }
    let signed_out = ctx
        .auth
        .with_untracked(|a| matches!(a, Auth::SignedOut { .. }));
    if asked_to_sign_in && signed_out && !frame::is_framed() {
        if let Err(message) = ctx.sign_in() {
            ctx.auth.set(Auth::Failed {
                message,
                return_to: nav.here(),
            });
        }
    }
    // A page restored from the back-forward cache after leaving for PagerDuty must offer the
    // button again.
    let _ = window_event_listener(leptos::ev::pageshow, move |event| {
        if event.persisted() {
            ctx.leaving.set(false);
        }
    });

    let screen = Memo::new(move |_| match &*ctx.auth.read() {
        Auth::SignedOut { .. } | Auth::InPopup => Screen::SignedOut,
        Auth::HandedBack => Screen::HandedBack,
        Auth::Completing => Screen::Completing,
        Auth::Failed { .. } => Screen::Failed,
        Auth::SignedIn(_) => Screen::SignedIn,
    });
    move || {
        match screen.get() {
        Screen::SignedOut | Screen::Failed => view! { <SignedOutPage /> }.into_any(),
        Screen::Completing => view! {
            <main class="sign-in">
                <p class="page-status" role="status">"Signing you in…"</p>
            </main>
        }
        .into_any(),
        Screen::SignedIn => view! { <SignedIn /> }.into_any(),
        Screen::HandedBack => view! {
            <main class="sign-in">
                <p class="page-status" role="status">"You are signed in. This window closes by itself; if it does not, close it."</p>
            </main>
        }
        .into_any(),
    }
    }
}

/// Exchanges the checked code, exactly once, and lands on the view the person came from.
async fn complete_sign_in(ctx: AuthContext, exchange: Exchange) {
    let config = ctx.config.get_value();
    let request = token::exchange_request(&config, &exchange);
    let Exchange { return_to, .. } = exchange;
    let result = match fetch::send(&request).await {
        Ok(response) => {
            token::read_response(&config, &response, now_ms()).map_err(|e| e.to_string())
        }
        Err(error) => Err(error.to_string()),
    };
    match result {
        Ok(session) => {
            // Should storage refuse, the session still works in memory until a reload.
            let _ = storage::save_session(&SessionStorage::open(), &session);
            ctx.nav.replace(Address::parse(&return_to));
            ctx.auth.set(Auth::SignedIn(session));
        }
        Err(message) => ctx.auth.set(Auth::Failed { message, return_to }),
    }
}

/// The signed-in app: header, navigation, routes.
#[component]
fn SignedIn() -> impl IntoView {
    let ctx = expect_context::<AuthContext>();
    let path = ctx.nav.path();
    let store = Store::new();
    provide_context(store);
    // Who is signed in: loaded once, with the session's other first requests.
    let me = client::resource(|c| async move {
        c.get::<UserEnvelope>("/users/me", &[("include[]", "teams")])
            .await
            .map(|e| e.user)
    });
    provide_context(Me(me));
    refresh_ahead_of_expiry(ctx);
    // Embedded: a compact page without the header, reporting its height to the portal.
    let compact = use_context::<Embed>().is_some_and(|e| e.compact);
    if frame::is_framed() {
        frame::report_height(ctx.config.with_value(|c| c.embed_parent_origins.clone()));
    }
    let name = move || {
        me.get()
            .and_then(|r| r.ok())
            .map(|u| u.display_name().to_string())
    };
    // The page for the view's path; it stays mounted while only the query changes.
    let page = move || match path.get().as_str() {
        "/" => view! { <HomePage /> }.into_any(),
        "/schedules" => view! { <SchedulesPage /> }.into_any(),
        "/schedule" => view! { <SchedulePage /> }.into_any(),
        "/teams" => view! { <TeamsPage /> }.into_any(),
        "/team" => view! { <TeamPage /> }.into_any(),
        "/user" => view! { <UserPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    };
    // The title names the view, for tabs, history and screen readers.
    Effect::new(move |_| {
        let view = path.with(|p| Route::at(p, "").map_or("Page not found", |r| r.title()));
        document().set_title(&format!("{view} · {TITLE}"));
    });
    on_cleanup(|| document().set_title(TITLE));
    // The skip link moves focus without writing `#main` into the address bar, where it would
    // stand in for the view.
    let skip = |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        let main = document().get_element_by_id("main");
        if let Some(main) =
            main.and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok())
        {
            let _ = main.focus();
        }
    };
    view! {
        <>
            <a class="skip-link" href="#main" on:click=skip>"Skip to content"</a>
            <header class="app-header" class:hidden=compact>
                <nav class="primary-nav" aria-label="Main">
                    <RouteLink route=Route::Home>"My on-call"</RouteLink>
                    <RouteLink route=Route::Schedules>"Schedules"</RouteLink>
                    <RouteLink route=Route::Teams>"Teams"</RouteLink>
                </nav>
                <ZonePicker />
                <div class="account">
                    <button class="secondary" on:click=move |_| store.refresh() title="Load everything again from PagerDuty">
                        "Refresh"
                    </button>
                    <span class="muted who">{name}</span>
                    <button
                        class="secondary"
                        on:click=move |_| ctx.sign_out()
                        disabled=move || ctx.leaving.get()
                    >
                        {move || if ctx.leaving.get() { "Signing out…" } else { "Sign out" }}
                    </button>
                </div>
            </header>
            <p class="banner" role="status" aria-live="polite" class:hidden=move || store.notice().is_none()>
                {move || store.notice()}
            </p>
            <main id="main" tabindex="-1">{page}</main>
        </>
    }
}

/// Renews the token a few minutes before it expires, so a tab left open for days keeps
/// working. Requests also check before they go, for timers a background tab delayed.
fn refresh_ahead_of_expiry(ctx: AuthContext) {
    let rearm = RwSignal::new(0u32);
    Effect::new(move |previous: Option<Option<TimeoutHandle>>| {
        if let Some(Some(handle)) = previous {
            handle.clear();
        }
        rearm.track();
        let session = match ctx.auth.get() {
            Auth::SignedIn(session) => session,
            _ => return None,
        };
        let wait = retry::refresh_in_ms(&session, now_ms())?;
        // setTimeout fires at once past 2^31 ms; wake up early and look again instead.
        let wait = wait.min(2_000_000_000.0);
        set_timeout_with_handle(
            move || {
                if retry::needs_refresh(&session, now_ms()) {
                    spawn_local(async move {
                        ctx.refresh(&session.access_token).await;
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
