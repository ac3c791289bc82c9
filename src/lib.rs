//! On-call schedules and team members from PagerDuty, in the browser.
//!
//! The pure core (`config`, `oauth`, `session`, `api`, `form`, `hosts`, `http`, `routes`,
//! `address`) compiles and is tested on the host. `browser` is the thin glue to the page's
//! storage, address bar and `fetch`; `app`, `navigation`, `pages` and `components` are the
//! Leptos views.

pub mod address;
pub mod api;
pub mod config;
pub mod embed;
pub mod form;
pub mod hosts;
pub mod http;
pub mod oauth;
pub mod secret;
pub mod session;
pub mod storage;

pub mod app;
pub mod browser;
pub mod client;
pub mod components;
pub mod ics;
pub mod load;
pub mod navigation;
pub mod pages;
pub mod retry;
pub mod routes;
pub mod shifts;
pub mod time;
pub mod timeline;
