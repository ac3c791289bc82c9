//! Moving between views without reloading the page: the current view, links, Back and
//! Forward.
//!
//! The app keeps its own small router because a host without a fallback to `index.html` needs
//! views written after a `#` (see [`oncall_core::address`]), and leptos_router 0.8 only reads the
//! path. Every view is one path and a query, so this is all a router has to do here.

use crate::browser::location;
use leptos::prelude::*;
use oncall_core::address::{Address, Base, Routing};
use oncall_core::form;
use oncall_core::routes::Page;
use wasm_bindgen::JsCast;

/// The current view and the ways to change it; one per page, shared through context.
#[derive(Clone, Copy)]
pub struct Nav {
    base: StoredValue<Base>,
    routing: Routing,
    here: RwSignal<Address>,
    path: Memo<String>,
}

impl Nav {
    /// Reads the view from the address bar (written either way), rewrites it the way
    /// `routing` writes views, and from then on follows Back, Forward, a view typed after the
    /// `#`, and clicks on the app's own links.
    pub fn start(base: Base, routing: Routing) -> Self {
        let address = location::address(&base);
        let written = routing.url(&base, &address);
        if written != location::path_query_hash() {
            location::replace(&written);
        }
        let here = RwSignal::new(address);
        let nav = Self {
            base: StoredValue::new(base),
            routing,
            here,
            path: Memo::new(move |_| here.with(|a| a.path.clone())),
        };
        let _ = window_event_listener(leptos::ev::popstate, move |_| nav.follow_address_bar());
        let _ = window_event_listener(leptos::ev::hashchange, move |_| nav.follow_address_bar());
        let _ = window_event_listener(leptos::ev::click, move |event| nav.take_over(&event));
        // A view's code is fetched as soon as a link to it is pointed at or focused, so that
        // following the link does not wait for it.
        let _ = window_event_listener(leptos::ev::pointerover, move |event| {
            nav.prefetch_for(event.target())
        });
        let _ = window_event_listener(leptos::ev::focusin, move |event| {
            nav.prefetch_for(event.target())
        });
        nav
    }

    pub fn base(&self) -> Base {
        self.base.get_value()
    }

    /// The current view's path (`/team`), changing only when the path does: a page stays
    /// mounted while its query changes.
    pub fn path(&self) -> Memo<String> {
        self.path
    }

    /// The current view's query, with its `?` (tracked).
    pub fn query(&self) -> String {
        self.here.with(|h| h.query.clone())
    }

    pub fn query_untracked(&self) -> String {
        self.here.with_untracked(|h| h.query.clone())
    }

    /// One parameter of the current view's query (tracked).
    pub fn param(&self, name: &str) -> Option<String> {
        self.here.with(|h| form::query_value(&h.query, name))
    }

    /// The current view's `id` parameter, empty when there is none: what a page about one
    /// thing (a team, a schedule) loads. Changes only when the ID does.
    pub fn id(&self) -> Memo<String> {
        let nav = *self;
        Memo::new(move |_| nav.param("id").unwrap_or_default())
    }

    /// The current view, e.g. `/team?id=P1`, to come back to after signing in.
    pub fn here(&self) -> String {
        self.here.with_untracked(|h| h.to_string())
    }

    /// The `href` of an in-app address (`/team?id=P1`), written the page's way.
    pub fn href(&self, in_app: &str) -> String {
        self.base
            .with_value(|base| self.routing.url(base, &Address::parse(in_app)))
    }

    /// Shows `address` as a new history entry, from the top of the page, with the keyboard
    /// focus on the page's main region (as after a page load, a screen reader starts there).
    pub fn go(&self, address: Address) {
        let same = self.here.with_untracked(|h| h == &address);
        self.commit(address, same);
        let Some(window) = web_sys::window() else {
            return;
        };
        window.scroll_to_with_x_and_y(0.0, 0.0);
        let main = window.document().and_then(|d| d.get_element_by_id("main"));
        if let Some(main) = main.and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = main.focus_with_options(&options);
        }
    }

    /// Shows `address` in place of the current view, leaving no history entry.
    pub fn replace(&self, address: Address) {
        self.commit(address, true);
    }

    /// The same view with another query (a search, a time window): a history entry unless
    /// `replace`, and the page keeps its scroll position.
    pub fn set_query(&self, query: String, replace: bool) {
        let path = self.here.with_untracked(|h| h.path.clone());
        self.commit(Address { path, query }, replace);
    }

    fn commit(&self, address: Address, replace: bool) {
        let url = self
            .base
            .with_value(|base| self.routing.url(base, &address));
        if replace {
            location::replace(&url);
        } else {
            location::push(&url);
        }
        if self.here.with_untracked(|h| h != &address) {
            self.here.set(address);
        }
    }

    /// Back or Forward, or an edited fragment (a view typed after the `#` is shown, and
    /// written the page's way). A fragment that is not a view (`#main`) is a place on the page
    /// and changes nothing.
    fn follow_address_bar(&self) {
        let hash = location::hash();
        if !hash.is_empty() && !hash.starts_with("#/") {
            return;
        }
        let now = self.base.with_value(location::address);
        let written = self.base.with_value(|base| self.routing.url(base, &now));
        if written != location::path_query_hash() {
            location::replace(&written);
        }
        if self.here.with_untracked(|h| h != &now) {
            self.here.set(now);
        }
    }

    /// A plain left click on a link to one of the app's views changes the view in place. A
    /// click with a modifier (new tab, new window), a link with a target or a download, and a
    /// link anywhere else are left to the browser.
    fn take_over(&self, event: &web_sys::MouseEvent) {
        if event.default_prevented()
            || event.button() != 0
            || event.ctrl_key()
            || event.meta_key()
            || event.shift_key()
            || event.alt_key()
        {
            return;
        }
        let Some((link, address)) = self.link_at(event.target()) else {
            return;
        };
        let target = link.target();
        if !(target.is_empty() || target == "_self") || link.has_attribute("download") {
            return;
        }
        event.prevent_default();
        self.go(address);
    }

    /// The link `target` is in, and the in-app address it leads to (`None`: not a link, or one
    /// leading out of the app).
    fn link_at(
        &self,
        target: Option<web_sys::EventTarget>,
    ) -> Option<(web_sys::HtmlAnchorElement, Address)> {
        let link = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())?;
        let address = self.base.with_value(|base| {
            base.link_target(
                &link.origin(),
                &link.pathname(),
                &link.search(),
                &link.hash(),
            )
        })?;
        Some((link, address))
    }

    fn prefetch_for(&self, target: Option<web_sys::EventTarget>) {
        if let Some(page) = self
            .link_at(target)
            .and_then(|(_, address)| Page::at(&address.path))
        {
            crate::pages::prefetch(page);
        }
    }
}

/// The page's navigation, provided by the shell.
pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}
