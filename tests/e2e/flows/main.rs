//! End to end: the built app in headless Chromium against the fake PagerDuty, one test binary
//! with a module per kind of flow. Needs the release build in `dist/` (`trunk build --release
//! --offline`) and Debian's `chromium` and `chromium-driver`; the README's test command
//! provides all three. Every test that opens a browser fails if the page panicked or threw
//! (see `oncall_e2e::Browser`'s drop).

mod account;
mod cover;
mod deploy;
mod embedding;
mod escalation;
mod first_screen;
mod harness;
mod phone;
mod resilience;
mod sign_in;
mod size;
mod split;
mod views;
