//! The long-running check: a wall view left open across many handovers, its memory sampled
//! after the third and after the last. A page left on a wall for days must hold what it held
//! after its first few handovers.
//!
//! The view is a portal's "on call now" card for a one-minute rotation
//! (`/schedules?ids=PSDENSE&embed=1`), or the board on a wall (`/board?schedules=PSDENSE`, a
//! lane of 1,440 shifts a day): every handover moves "now" and renews the data, whose window
//! starts at the current minute (so each renewal makes new requests, as on a real wall), and
//! draws the view again. Real minutes, not simulated ones: the clock, the timers and the cache
//! all run as they would on a wall.

use oncall_e2e::{Browser, Fake};
use serde_json::{json, Value};
use std::time::Duration;

/// One sample of what the page holds, after a forced garbage collection.
#[derive(Clone, Copy, Debug)]
pub struct Held {
    pub js_heap: f64,
    pub wasm: f64,
    pub nodes: f64,
    pub listeners: f64,
}

async fn held(browser: &Browser) -> Held {
    browser
        .devtools("HeapProfiler.collectGarbage", json!({}))
        .await;
    let heap = browser.devtools("Runtime.getHeapUsage", json!({})).await;
    let dom = browser.devtools("Memory.getDOMCounters", json!({})).await;
    let wasm = browser
        .execute("return window.wasmMemory ? window.wasmMemory.buffer.byteLength : 0;")
        .await;
    let number = |v: &Value| v.as_f64().unwrap_or(0.0);
    Held {
        js_heap: number(&heap["usedSize"]),
        wasm: number(&wasm),
        nodes: number(&dom["nodes"]),
        listeners: number(&dom["jsEventListeners"]),
    }
}

/// A view to leave open: its address, what shows it is drawn, and where it says who is on call
/// now.
pub struct View {
    pub address: &'static str,
    pub drawn: &'static str,
    pub now: &'static str,
    /// Minutes between the view's own data reloads, when it has its own rhythm (the board's
    /// quarter hour): it is compared from its second reload on, when the allocator has made
    /// room for the old data on screen and the new arriving (wasm memory only ever grows to a
    /// high-water mark). `None`: from the third handover.
    pub reloads_every: Option<u64>,
}

/// A portal's "on call now" card.
pub const CARD: View = View {
    address: "/schedules?ids=PSDENSE&embed=1",
    drawn: "table.chosen tbody tr td .person",
    now: "table.chosen tbody tr td",
    reloads_every: None,
};

/// The board, as on a wall screen.
pub const BOARD: View = View {
    address: "/board?schedules=PSDENSE&size=large",
    drawn: "ol.lanes .lane-now",
    now: "ol.lanes .lane-now",
    reloads_every: Some(15),
};

/// Who is on call now, read by a script: a WebDriver element look-up would leave chromedriver
/// holding every cell it ever found (measured: 8 DOM nodes and 0.13 MB of JS heap a handover,
/// all of it the driver's, none of it the page's). Read once a handover, not polled: each script
/// the driver runs adds to the page's JS heap while DevTools is attached (polled every 50 ms,
/// about 0.08 MB a minute, which the same page left alone did not grow).
async fn now_cell(browser: &Browser, view: &View) -> String {
    browser
        .execute(&format!(
            "const c = document.querySelector('{}'); return c ? c.textContent : '';",
            view.now
        ))
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Opens `view` on `fake` (which must have the one-minute rotation, `PSDENSE`) and waits
/// through `handovers` handovers; the baseline sample (after the third handover, or after the
/// view's second reload of its own, see [`View::reloads_every`]) with its name, and the sample
/// after the last.
pub async fn run(fake: &Fake, view: &View, handovers: usize) -> ((Held, String), Held) {
    // Without the back/forward cache: Chromium keeps the page signed in from (My on-call) for
    // ten minutes after the card is opened, which the counters would count as the card's own
    // (measured: 121 nodes and 7 listeners that left at the eleventh handover, in any build).
    let browser = Browser::open_with(&["--disable-features=BackForwardCache"]).await;
    // The wasm's memory, from the loader's start event, in every document this browser opens
    // (any build: nothing in the app is made for this).
    browser
        .devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": "addEventListener('TrunkApplicationStarted', (e) => { window.wasmMemory = e.detail.wasm.memory; });"}),
        )
        .await;
    browser.sign_in(fake).await;
    browser.goto(&fake.app(view.address)).await;
    browser.wait_for(view.drawn).await;
    let mut status = now_cell(&browser, view).await;
    let mut baseline = None;
    let mut reloads = 0;
    let mut last = None;
    let mut drawn = 0;
    for n in 1..=handovers.max(3) {
        // The rotation hands over on the minute: sample a few seconds after the next one, when
        // the renewal's answer has been drawn. Nothing is asked of the page in between.
        let into_minute = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() % 60);
        tokio::time::sleep(Duration::from_secs(60 - into_minute + 5)).await;
        let shown = now_cell(&browser, view).await;
        if shown != status {
            drawn += 1;
        }
        status = shown;
        let now = held(&browser).await;
        eprintln!(
            "wall: handover {n} of {handovers}: {status}; JS heap {:.2} MB, wasm {:.1} MB, {} nodes, {} listeners",
            now.js_heap / 1e6,
            now.wasm / 1e6,
            now.nodes,
            now.listeners
        );
        // The minute this handover turned: a reload of the view's own came with it when that
        // minute is a multiple of its period.
        let minute = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() / 60);
        if view
            .reloads_every
            .is_some_and(|every| minute.is_multiple_of(every))
        {
            reloads += 1;
        }
        let settled = match view.reloads_every {
            None => n == 3,
            Some(_) => reloads == 2 && baseline.is_none(),
        };
        if settled {
            let name = match view.reloads_every {
                None => "after handover 3".to_string(),
                Some(_) => format!("after its 2nd reload (handover {n})"),
            };
            baseline = Some((held(&browser).await, name));
        }
        if n == handovers.max(3) {
            last = Some(held(&browser).await);
        }
    }
    assert!(
        drawn >= handovers.max(3) - 1,
        "the page drew {drawn} of {handovers} handovers"
    );
    (
        baseline.expect("a baseline: enough handovers (a board needs two reloads, 16 to 30)"),
        last.expect("sampled after the last"),
    )
}
