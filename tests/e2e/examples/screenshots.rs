//! Takes the README's screenshots: `cargo run -p oncall-e2e --example screenshots [DIR]`
//! (needs the release build in `dist/`). Writes PNGs to DIR (default `tests/screenshots`).

use oncall_e2e::{Browser, Fake};
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
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    shoot("sign-in.png").await;

    browser.click_button("Sign in with PagerDuty").await;
    browser.wait_for("#approve").await;
    shoot("consent.png").await;

    browser.click("#approve").await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    browser.wait_for(".days").await;
    shoot("my-on-call.png").await;

    let app = fake.app_url.trim_end_matches('/').to_string();
    browser.goto(&format!("{app}/schedules")).await;
    browser
        .wait_for_text("table.list", "Incident Commanders")
        .await;
    browser.wait_for_text("table.list", "Weekend Cover").await;
    shoot("schedules.png").await;

    browser
        .goto(&format!("{app}/schedule?id=PS00003&span=week"))
        .await;
    browser.wait_for(".timeline .final .shift").await;
    shoot("schedule.png").await;

    browser
        .goto(&format!("{app}/schedule?id=PS0000A&span=week"))
        .await;
    browser.wait_for(".timeline .final .shift").await;
    shoot("schedule-shift-based.png").await;

    browser.goto(&format!("{app}/team?id=PT00000")).await;
    browser.wait_for("table.members tbody tr.member").await;
    shoot("team.png").await;

    browser.goto(&format!("{app}/services")).await;
    browser
        .wait_for_text("table.list", "Orphaned Webhooks")
        .await;
    browser.wait_for("table.list .person").await;
    shoot("services.png").await;

    browser.goto(&format!("{app}/service?id=PV00001")).await;
    browser.wait_for("ol.levels").await;
    shoot("service.png").await;

    browser
        .goto(&format!("{app}/escalation-policy?id=PE00007"))
        .await;
    browser.wait_for("ol.levels").await;
    shoot("escalation-policy-gap.png").await;

    browser.goto(&format!("{app}/coverage")).await;
    browser.wait_for("ul.gaps.critical").await;
    browser.click("ul.gaps:not(.critical) > li summary").await;
    shoot("coverage.png").await;

    browser
        .goto(&format!("{app}/hours?team=PT00004&tz=UTC"))
        .await;
    browser.wait_for("ul.hours > li").await;
    shoot("hours.png").await;

    browser
        .goto(&format!(
            "{app}/board?schedules=PS0000B,PS0000C,PS0000D,PS00005"
        ))
        .await;
    browser.wait_for_count("ol.lanes > li", 4).await;
    shoot("board.png").await;

    // With write access (another fake, another browser): taking a shift, and away.
    let writer = Fake::start_with(oncall_e2e::write_access()).await;
    let second = Browser::open().await;
    second.sign_in(&writer).await;
    let shoot_second = |name: &'static str| {
        let dir = dir.clone();
        let client = second.client.clone();
        async move {
            let png = client.screenshot().await.expect("screenshot");
            std::fs::write(dir.join(name), png).expect("write screenshot");
            println!("wrote {}", dir.join(name).display());
        }
    };
    let link = oncall_e2e::coming_shift(&writer, 1, |u| u != 0);
    second.goto(&writer.app(&link.href())).await;
    second.wait_for_text(".cover .change", "→ you").await;
    shoot_second("take-a-shift.png").await;
    second.goto(&writer.app("/away")).await;
    second.wait_for("ul.away-plan select").await;
    shoot_second("away.png").await;

    fake.set_config_json(r#"{"scope": "READ"}"#);
    browser.refresh().await;
    browser.wait_for(".setup").await;
    shoot("setup.png").await;
}
