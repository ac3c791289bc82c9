//! Takes the README's screenshots: `cargo run -p fake-pagerduty --example screenshots [DIR]`
//! (needs the release build in `dist/`). Writes PNGs to DIR (default `tests/screenshots`).

#[path = "../tests/harness/mod.rs"]
mod harness;

use harness::{Browser, Fake};
use std::path::PathBuf;

#[tokio::main]
async fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../screenshots"));
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    let shoot = |name: &'static str| {
        let dir = dir.clone();
        let client = browser.client.clone();
        async move {
            let png = client.screenshot().await.expect("screenshot");
            std::fs::write(dir.join(name), png).expect("write screenshot");
            println!("wrote {}", dir.join(name).display());
        }
    };

    browser.goto(&fake.app_url).await;
    browser.wait_for("button.primary").await;
    shoot("sign-in.png").await;

    browser.click_button("Sign in with PagerDuty").await;
    browser.wait_for("#approve").await;
    shoot("consent.png").await;

    browser.click("#approve").await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    browser.wait_for_text(".teams .members", "Manager").await;
    shoot("signed-in.png").await;

    fake.set_config_json(r#"{"scope": "READ"}"#);
    browser.refresh().await;
    browser.wait_for(".setup").await;
    shoot("setup.png").await;
}
