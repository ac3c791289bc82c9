//! The pure core of the on-call page: everything that decides, and nothing that touches a
//! browser. This crate has no Leptos, web-sys or wasm-bindgen dependency, so the compiler
//! keeps it pure, and `cargo test -p oncall-core` tests all of it on the host.
//!
//! - Signing in: [`oauth`] (PKCE, the authorize URL, the callback check, token requests and
//!   answers), [`auth`] (what a page load means for the sign-in), [`session`] (what is kept,
//!   and when it needs renewing), [`storage`] (under which keys, behind a seam), [`secret`].
//! - PagerDuty: [`hosts`] (its addresses), [`api`] (every endpoint the app calls, its types,
//!   paging and errors), [`retry`] (when to try a request again), [`http`] (requests as data),
//!   [`cache`] (how long answers are reused, and when dropped), [`contact`] (a person's contact methods as links), [`levels`] (who is on call at each
//!   level of an escalation policy, now and next), [`coverage`] (where nobody is, account-wide),
//!   [`hours`] (on-call hours per person, and their CSV file), [`overrides`] (who takes a
//!   shift: the requests and what their answers mean; [`shift_overrides`] for shift-based
//!   schedules), [`cover`] (the cover link, and what the
//!   page may offer for a shift).
//! - The page's addresses: [`routes`] (every in-app view and its path, spelled once),
//!   [`address`] (how a view is written in the address bar: path or `#`), [`form`] (URL
//!   encoding), [`embed`] (running inside a portal), [`config`] (`config.json`).
//! - Time and shifts: [`time`] (zones and calendars, with the browser's offsets passed in),
//!   [`shifts`], [`oncalls`] (`/oncalls` entries as shifts), [`timeline`] (a schedule ready to
//!   draw), [`schedule_reader`] (a huge layered schedule read a slice at a time), [`ics`],
//!   [`text`] (numbers for people).

pub mod address;
pub mod api;
pub mod auth;
pub mod cache;
pub mod config;
pub mod contact;
pub mod cover;
pub mod coverage;
pub mod embed;
pub mod form;
pub mod hosts;
pub mod hours;
pub mod http;
pub mod ics;
pub mod levels;
pub mod oauth;
pub mod oncalls;
pub mod order;
pub mod overrides;
pub mod retry;
pub mod routes;
pub mod schedule_reader;
pub mod secret;
pub mod session;
pub mod shift_overrides;
pub mod shifts;
pub mod storage;
pub mod text;
pub mod time;
pub mod timeline;
