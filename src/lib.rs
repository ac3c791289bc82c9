//! On-call schedules and team members from PagerDuty, in the browser.
//!
//! Three layers, each importing only the ones below it:
//!
//! 1. **The pure core**, the `oncall-core` crate in `src/core/`, always named as
//!    `oncall_core::…` so that a reader sees where code lives: OAuth with PKCE, sessions,
//!    PagerDuty's endpoints and types, routes, time. It has no browser or Leptos dependency
//!    and is tested on the host.
//! 2. **The browser glue**, [`browser`]: storage, `fetch`, the address bar, frames and the
//!    sign-in popup, each a small function over web-sys. Tested in headless Chromium.
//! 3. **The app**: [`auth`] (the sign-in state and its actions), [`client`] (the signed-in
//!    API client and its cache), [`navigation`] (the current view), [`pages`] (one per
//!    [`routes::Route`]), [`components`], and [`app`] (start-up and layout).
//!
//! The page's addresses, from the inside out: [`routes`] names every view and its path;
//! [`address`] writes a view into the address bar as a path or after a `#`;
//! [`browser::location`] reads and writes the address bar; [`navigation`] ties them together
//! for the running page.

pub mod app;
pub mod auth;
pub mod browser;
pub mod client;
pub mod components;
pub mod navigation;
pub mod pages;
