//! Nothing here: the tests in `tests/` run in headless Chromium with
//! `cargo test -p browser-glue-tests --target wasm32-unknown-unknown`.
