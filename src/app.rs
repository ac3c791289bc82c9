//! The top of the app: start-up (configuration, and how the host serves inner paths) and the
//! layout around the views. Signing in is [`crate::auth`]'s; the views are [`crate::pages`]'.

use crate::auth::{self, Auth, AuthContext};
use crate::browser::location::{self, Base};
use crate::browser::storage::SessionStorage;
use crate::browser::zone::Style;
use crate::browser::{fetch, frame};
use crate::client::clock::Clock;
use crate::client::me::Me;
use crate::client::notice::Notices;
use crate::client::ApiCache;
use crate::components::link::RouteLink;
use crate::components::zone::{provide_zone, use_zone, ZonePicker};
use crate::navigation::Nav;
use crate::pages::setup::{FramedElsewhere, SetupPage};
use crate::pages::{self, signed_out::SignedOutPage};
use leptos::prelude::*;
use oncall_core::address::{self, Routing};
use oncall_core::config::{self, Config, ConfigProblem};
use oncall_core::embed::{framing_allowed, Embed};
use oncall_core::http::{HttpRequest, Method};
use oncall_core::routes::{Page, Route};
use oncall_core::storage;
use oncall_core::time::Millis;

/// The page's title, as `index.html` has it.
const TITLE: &str = "On call · PagerDuty";

/// Which screen the sign-in state calls for; changes only when the screen must.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Screen {
    SignedOut,
    Completing,
    SignedIn,
    HandedBack,
}

/// The whole page: loads `config.json` and learns how the host serves inner paths, then hands
/// over to the sign-in shell.
#[component]
pub fn App() -> impl IntoView {
    let base = location::base();
    let address = location::address(&base);
    // The code of the view in the address, when it is not in the first download, is fetched
    // now, beside config.json, rather than once the page knows who is signed in.
    if let Some(page) = Page::at(&address.path) {
        pages::prefetch(page);
    }
    let embed = Embed::from_query(&address.query);
    frame::apply_theme(embed.theme);
    provide_context(embed);
    let loaded = LocalResource::new({
        let base = base.clone();
        move || start(base.clone())
    });
    // No <Suspense> here: a resource read anywhere in the shell (the signed-in user, say)
    // would hold the whole page back until it loaded.
    move || {
        let Some(loaded) = loaded.get() else {
            // The first screen in index.html stands in meanwhile (or, where the loader could
            // not show it, this line).
            return if crate::browser::first_screen_shown() {
                ().into_any()
            } else {
                view! { <p class="page-status" role="status">"Loading…"</p> }.into_any()
            };
        };
        // Drawn in the same task as the app's first screen, so the browser never paints
        // between the two: the screen changes in place.
        crate::browser::remove_first_screen();
        app_screen(loaded, &base)
    }
}

/// What the page shows once `config.json` and the host have answered.
fn app_screen(loaded: Result<(Config, Routing), Vec<ConfigProblem>>, base: &Base) -> AnyView {
    match loaded {
        Ok((config, routing)) => {
            let ancestors = frame::ancestor_origins();
            let here = framing_allowed(
                ancestors.as_deref(),
                &base.origin,
                &config.embed_parent_origins,
            );
            if frame::is_framed() && !here {
                view! { <FramedElsewhere /> }.into_any()
            } else {
                view! { <Shell config base=base.clone() routing /> }.into_any()
            }
        }
        Err(problems) => view! { <SetupPage problems /> }.into_any(),
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
    let store = SessionStorage::for_app(&base.path);
    if let Some(known) = storage::load_routing(&store, &base.path) {
        return known;
    }
    let request = HttpRequest {
        method: Method::Get,
        url: format!("{}{}", base.path, address::PROBE_PATH),
        headers: vec![],
        body: None,
    };
    let answer = fetch::send_or_take_early("probe", &request, &base.origin)
        .await
        .ok();
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
    let response = fetch::send_or_take_early("config", &request, &base.origin)
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

/// Decides, once per page load, what this load is (a callback from PagerDuty, a tab with a
/// session, a signed-out visit) and shows the screen the sign-in state calls for.
#[component]
fn Shell(config: Config, base: Base, routing: Routing) -> impl IntoView {
    let start = auth::arrive(&base);
    // The address bar is clean of any callback now: the view in it is the one to show.
    let nav = Nav::start(base, routing);
    provide_context(nav);
    let auth = AuthContext::new(config, nav, start);
    provide_context(auth);
    let state = auth.state();
    let screen = Memo::new(move |_| match &*state.read() {
        Auth::SignedOut { .. } | Auth::InPopup | Auth::Failed { .. } => Screen::SignedOut,
        Auth::HandedBack => Screen::HandedBack,
        Auth::Completing => Screen::Completing,
        Auth::SignedIn(_) | Auth::SigningOut(_) => Screen::SignedIn,
    });
    let status = |text: &'static str| {
        view! {
            <main class="sign-in">
                <p class="page-status" role="status">{text}</p>
            </main>
        }
        .into_any()
    };
    move || match screen.get() {
        Screen::SignedOut => view! { <SignedOutPage /> }.into_any(),
        Screen::Completing => status("Signing you in…"),
        Screen::SignedIn => view! { <SignedIn /> }.into_any(),
        Screen::HandedBack => {
            status("You are signed in. This window closes by itself; if it does not, close it.")
        }
    }
}

/// The signed-in app: header, navigation, routes.
#[component]
fn SignedIn() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let nav = expect_context::<Nav>();
    let path = nav.path();
    // What the signed-in client needs beside the token: the answers it keeps, the clock its
    // loads renew with, and the notice it raises while it waits.
    let cache = ApiCache::new();
    provide_context(cache);
    let notices = Notices::new();
    provide_context(notices);
    // Embedded: a compact page without the header, reporting its height to the portal.
    let compact = use_context::<Embed>().is_some_and(|e| e.compact);
    // "Now" moves on at handovers; a portal's card renews itself while it is visible.
    let clock = Clock::start(compact || frame::is_framed());
    provide_context(clock);
    // Every view's code, ahead of the click that needs it; not for a portal's card, which
    // shows one view (a portal may hold many).
    if !compact {
        pages::prefetch_all_when_idle();
    }
    // Who is signed in: loaded once, with the session's other first requests.
    let me = Me::load();
    provide_context(me);
    provide_zone(me);
    let refresh = move |_| {
        cache.clear();
        crate::client::loads::forget_schedule_kinds();
        clock.renew();
    };
    auth.renew_ahead_of_expiry();
    if frame::is_framed() {
        frame::report_height(auth.with_config(|c| c.embed_parent_origins.clone()));
    }
    let leaving = auth.leaving();
    let zone = use_zone();
    let name = move || {
        me.0.get()
            .and_then(|r| r.ok())
            .map(|u| u.display_name().to_string())
    };
    // The page for the view's path; it stays mounted while only the query changes.
    let shown = Memo::new(move |_| path.with(|p| Page::at(p)));
    let page = move || pages::view_for(shown.get());
    // The title names the view, for tabs, history and screen readers.
    Effect::new(move |_| {
        let view = shown.get().map_or("Page not found", Page::title);
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
                    {Page::NAV
                        .into_iter()
                        .filter_map(|page| Route::at(page.path(), ""))
                        .map(|route| {
                            let title = route.page().title();
                            view! { <RouteLink route>{title}</RouteLink> }
                        })
                        .collect_view()}
                </nav>
                <ZonePicker />
                <div class="account">
                    <button class="secondary" on:click=refresh title="Load everything again from PagerDuty">
                        "Refresh"
                    </button>
                    <span class="muted who">{name}</span>
                    <button
                        class="secondary"
                        on:click=move |_| auth.sign_out()
                        disabled=move || leaving.get()
                    >
                        {move || if leaving.get() { "Signing out…" } else { "Sign out" }}
                    </button>
                </div>
            </header>
            <p class="banner" role="status" aria-live="polite" class:hidden=move || notices.sentence().is_none()>
                {move || notices.sentence()}
            </p>
            <main id="main" tabindex="-1">{page}</main>
            <footer class="page-foot muted">
                // Subtle, for a page left open: how old the oldest thing shown is.
                <span class="as-of">
                    {move || clock.as_of().map(|at| format!("As of {}", zone.get().format(at as Millis, Style::Time)))}
                </span>
                // Embedded, the header (and its Sign out) is hidden: a card on a shared screen
                // must still be able to forget its tokens.
                {compact.then(|| view! {
                    <button class="link" on:click=move |_| auth.sign_out() disabled=move || leaving.get()>
                        {move || if leaving.get() { "Signing out…" } else { "Sign out" }}
                    </button>
                })}
            </footer>
        </>
    }
}
