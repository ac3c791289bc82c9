//! Every view on a 390 px phone, without sideways scrolling. The views are visited by
//! iterating `Page::ALL`, so a new view is checked without anyone remembering to add it.

use oncall_core::routes::{Page, Route};
use oncall_e2e::{signed_in, Fake};

/// The phone: an iPhone 12 to 15's CSS width.
const PHONE_WIDTH: u32 = 390;

/// An address of `page` on the fake's demo data (path and query), showing real content: a wide
/// team, the ten-level policy, a person with every kind of contact method, a team's hours and
/// board, a shift to take. No wildcard: a new view does not compile here until it is given one.
pub(crate) fn example(fake: &Fake, page: Page) -> String {
    let route = match page {
        Page::Home => Route::Home,
        Page::Schedules => Route::Schedules,
        Page::Schedule => Route::Schedule("PS00003".into()),
        Page::Teams => Route::Teams,
        Page::Team => Route::Team("PT00000".into()),
        Page::User => Route::User(fake.with_data(|d| d.users[1].id.clone())),
        Page::EscalationPolicies => Route::EscalationPolicies,
        Page::EscalationPolicy => Route::EscalationPolicy("PE00006".into()),
        Page::Services => Route::Services,
        Page::Service => Route::Service("PV00001".into()),
        Page::Coverage => Route::Coverage,
        Page::Hours => return format!("{}?team=PT00004", Route::Hours.path()),
        Page::Board => return format!("{}?team=PT00004&size=large", Route::Board.path()),
        Page::Cover => return oncall_e2e::coming_shift(fake, 1, |u| u != 0).href(),
        Page::Away => Route::Away,
    };
    route.path()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_fits_a_390_px_phone_without_sideways_scrolling() {
    let (fake, browser) = signed_in().await;
    browser
        .client
        .set_window_size(PHONE_WIDTH, 844)
        .await
        .expect("the window takes a phone's size");
    let viewport = browser.execute("return window.innerWidth;").await;
    assert_eq!(viewport, PHONE_WIDTH, "the page is laid out for a phone");
    let addresses: Vec<String> = Page::ALL.iter().map(|&page| example(&fake, page)).collect();
    let too_wide = too_wide(&fake, &browser, &addresses).await;
    assert!(
        too_wide.is_empty(),
        "views wider than a {PHONE_WIDTH} px phone:\n{}",
        too_wide.join("\n")
    );
}

/// With write access, the views that offer actions: My on-call's cover links, one's own shift
/// with the form to find cover, someone else's shift on the shift-based schedule to take, away,
/// and a policy's levels with "Take".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actions_of_write_access_fit_a_390_px_phone_too() {
    let (fake, browser) = oncall_e2e::signed_in_with(oncall_e2e::write_access()).await;
    browser
        .client
        .set_window_size(PHONE_WIDTH, 844)
        .await
        .expect("the window takes a phone's size");
    let own = oncall_e2e::coming_shift(&fake, 0, |u| u == 0).href();
    let shift_based = fake
        .with_data(|d| d.schedules.iter().position(|s| s.v3))
        .expect("a shift-based schedule");
    let theirs = oncall_e2e::coming_shift(&fake, shift_based, |u| u != 0).href();
    let addresses = [
        "/".to_string(),
        own,
        theirs,
        "/away".to_string(),
        "/escalation-policy?id=PE00000".to_string(),
    ];
    let too_wide = too_wide(&fake, &browser, &addresses).await;
    assert!(
        too_wide.is_empty(),
        "views wider than a {PHONE_WIDTH} px phone:\n{}",
        too_wide.join("\n")
    );
}

/// Each of `addresses` that is wider than the phone, with what sticks out.
async fn too_wide(fake: &Fake, browser: &oncall_e2e::Browser, addresses: &[String]) -> Vec<String> {
    let mut too_wide = Vec::new();
    for address in addresses {
        browser.goto(&fake.app(address)).await;
        browser.wait_for("main h1").await;
        browser.wait_for_count(".skeleton", 0).await;
        let width = browser
            .execute("return document.documentElement.scrollWidth;")
            .await
            .as_u64()
            .unwrap_or(u64::MAX);
        if width > u64::from(PHONE_WIDTH) {
            // What sticks out, for the failure message.
            let culprits = browser
                .execute(&format!(
                    "const clipped = (e) => {{ for (let a = e.parentElement; a; a = a.parentElement) {{ if (getComputedStyle(a).overflowX !== 'visible') return true; }} return false; }};
                     return [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > {PHONE_WIDTH} + 0.5
                                  && getComputedStyle(e).position !== 'absolute' && !clipped(e))
                        .slice(0, 8)
                        .map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));"
                ))
                .await;
            too_wide.push(format!("{address} is {width} px wide: {culprits}"));
        }
    }
    too_wide
}
