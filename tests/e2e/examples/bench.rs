//! The benchmark: `.ci/bench` (or `cargo run --release -p oncall-e2e --example bench`
//! after a release build in `dist/`). Starts the fake PagerDuty with added latency and a large
//! account, drives headless Chromium through sign-in and the heavy views, and prints a table.
//! Not a test: timings on a shared machine are reported, never asserted.
//!
//! Options: --latency-ms N (100), --members N (10000), --second-team N (1000),
//! --shifts N (5000), --policies N (300), --services N (500).

use fake_pagerduty::data::Size;
use fake_pagerduty::state::Faults;
use fake_pagerduty::Options;
use oncall_e2e::{asset_sizes, Browser, Fake};
use serde_json::Value;
use std::time::Duration;

struct Args {
    latency_ms: u64,
    members: usize,
    second_team: usize,
    shifts: usize,
    policies: usize,
    services: usize,
}

fn args() -> Args {
    let mut a = Args {
        latency_ms: 100,
        members: 10_000,
        second_team: 1_000,
        shifts: 5_000,
        policies: 300,
        services: 500,
    };
    let mut it = std::env::args().skip(1);
    while let (Some(flag), Some(value)) = (it.next(), it.next()) {
        let n: u64 = value
            .parse()
            .unwrap_or_else(|_| panic!("{flag} takes a number"));
        match flag.as_str() {
            "--latency-ms" => a.latency_ms = n,
            "--members" => a.members = n as usize,
            "--second-team" => a.second_team = n as usize,
            "--shifts" => a.shifts = n as usize,
            "--policies" => a.policies = n as usize,
            "--services" => a.services = n as usize,
            _ => panic!("unknown option {flag}"),
        }
    }
    a
}

/// Waits for a User Timing mark the app records when a view's data is drawn; returns the
/// mark's time (ms since this document's navigation) and the wasm heap it recorded.
async fn mark(browser: &Browser, name: &str) -> (f64, f64) {
    for _ in 0..1200 {
        let v = browser
            .execute(&format!("const m = performance.getEntriesByName('oncall:{name}'); return m.length ? [m[0].startTime, m[0].detail.wasmHeap] : null;"))
            .await;
        if let Some(pair) = v.as_array() {
            return (
                pair[0].as_f64().unwrap_or(0.0),
                pair[1].as_f64().unwrap_or(0.0),
            );
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the app never marked {name}");
}

/// Resource timing entries whose URL contains `part`: (start, end, duration).
async fn resources(browser: &Browser, part: &str) -> Vec<(f64, f64, f64)> {
    let v = browser
        .execute(&format!("return performance.getEntriesByType('resource').filter(e => e.name.includes({part:?})).map(e => [e.startTime, e.responseEnd, e.duration]);"))
        .await;
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| Some((e[0].as_f64()?, e[1].as_f64()?, e[2].as_f64()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// When the first of `requests` (from [`resources`]) started.
fn started(requests: &[(f64, f64, f64)]) -> f64 {
    requests.iter().map(|r| r.0).fold(f64::MAX, f64::min)
}

/// Long tasks (Chromium's long-task API) that started at or after `since`: (count, longest ms).
async fn long_tasks(browser: &Browser, since: f64) -> (usize, f64) {
    let v = browser
        .execute_async(&format!(
            "const done = arguments[arguments.length - 1]; const seen = [];
             new PerformanceObserver(list => seen.push(...list.getEntries())).observe({{type: 'longtask', buffered: true}});
             setTimeout(() => {{ const t = seen.filter(e => e.startTime >= {since}); done([t.length, t.reduce((m, e) => Math.max(m, e.duration), 0)]); }}, 300);"
        ))
        .await;
    let a = v.as_array().cloned().unwrap_or_default();
    (
        a.first().and_then(Value::as_u64).unwrap_or(0) as usize,
        a.get(1).and_then(Value::as_f64).unwrap_or(0.0),
    )
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

#[tokio::main]
async fn main() {
    let a = args();
    println!("## Benchmark\n");
    println!("Machine: {} cores; Chromium headless; fake PagerDuty on loopback with {} ms added to every identity and API answer.\n", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0), a.latency_ms);

    println!("### Download (first load)\n\n| asset | raw | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|");
    let sizes = asset_sizes();
    for s in &sizes {
        println!("| `{}` | {} | {} | {} |", s.name, s.raw, s.gzip, s.brotli);
    }
    let total = |f: fn(&oncall_e2e::AssetSize) -> usize| sizes.iter().map(f).sum::<usize>();
    println!(
        "| **total** | {} | {} | **{}** (budget 160 KB) |\n",
        kb(total(|s| s.raw)),
        kb(total(|s| s.gzip)),
        kb(total(|s| s.brotli))
    );

    let fake = Fake::start_with(Options {
        size: Size {
            users: a.members.max(a.second_team).max(50),
            big_team: a.members,
            second_team: a.second_team,
            dense_shifts: a.shifts,
            policies: a.policies,
            services: a.services,
        },
        faults: Faults {
            latency_ms: a.latency_ms,
            ..Faults::default()
        },
        ..Options::default()
    })
    .await;
    let browser = Browser::open().await;
    // Paging 100 pages one by one takes a while at 100 ms each.
    browser
        .client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(600)),
            None,
            None,
        ))
        .await
        .expect("timeouts");

    // Time to data: from the callback page's navigation to the user's shifts drawn.
    browser.goto(&fake.app_url).await;
    browser.click_button("Sign in with PagerDuty").await;
    browser.click("#approve").await;
    let (painted, heap_home) = mark(&browser, "my-shifts").await;
    let token = resources(&browser, "/oauth/token").await;
    let api = resources(&browser, "/users/me").await;
    let token_rt = token.first().map(|t| t.2).unwrap_or(0.0);
    let api_rt = api.first().map(|t| t.2).unwrap_or(0.0);
    // The user's shifts: the first page says how many there are, the rest come together, so
    // more than one page is one more round trip that nothing can save.
    let shift_pages = resources(&browser, "/oncalls?user_ids").await.len();
    let api_trips = if shift_pages > 1 { 2.0 } else { 1.0 };
    let floor = token_rt + api_rt * api_trips;
    let token_start = token.first().map(|t| t.0).unwrap_or(0.0);
    println!("### Time to data\n\n| measure | ms |\n|---|---:|");
    println!("| callback page load → token request sent (config.json, wasm start-up) | {token_start:.0} |");
    println!(
        "| token round trip | {token_rt:.0} |\n| API round trip (`/users/me`) | {api_rt:.0} |"
    );
    println!("| network floor (token + {api_trips} API round trip(s): {shift_pages} page(s) of your shifts) | {floor:.0} |");
    println!("| callback page load → your shifts drawn | {painted:.0} |");
    // Where the time over the floor goes: before the first API request, and after the answers.
    let oncalls = resources(&browser, "/oncalls?user_ids").await;
    let token_end = token.first().map(|t| t.1).unwrap_or(0.0);
    let first_view = api.first().into_iter().chain(&oncalls);
    let (api_start, api_end) =
        first_view.fold((f64::MAX, 0.0f64), |(s, e), r| (s.min(r.0), e.max(r.1)));
    println!(
        "| token answer → first API request sent (sign-in handling, first render) | {:.0} |",
        api_start - token_end
    );
    println!(
        "| last answer of the first view ({} pages of your shifts) → your shifts drawn (decode, draw) | {:.0} |",
        oncalls.len(),
        painted - api_end
    );
    println!(
        "| token request sent → your shifts drawn | {:.0} ({:.2} × floor; budget 1.2 ×) |\n",
        painted - token_start,
        (painted - token_start) / floor.max(1.0)
    );

    if std::env::var_os("BENCH_ONLY_TIME_TO_DATA").is_some() {
        return;
    }
    // Lists: every page of the big team, in parallel, against the same pages one by one.
    browser.goto(&fake.app("/team?id=PT00000")).await;
    let (members_painted, heap_members) = mark(&browser, "team-members").await;
    let pages = resources(&browser, "/teams/PT00000/members").await;
    let first_start = started(&pages);
    let last_end = pages.iter().map(|p| p.1).fold(0.0, f64::max);
    let parallel = last_end - first_start;
    let one_page = pages.iter().map(|p| p.2).fold(f64::MAX, f64::min);
    let (tasks, longest) = long_tasks(&browser, first_start).await;
    let sequential = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const s = JSON.parse(sessionStorage.getItem('pagerduty-oncall.session@/'));
             (async () => { const t0 = performance.now(); let offset = 0;
               for (;;) { const r = await fetch(s.api_base_url + '/teams/PT00000/members?include%5B%5D=users&limit=100&offset=' + offset,
                   { headers: { 'Accept': 'application/vnd.pagerduty+json;version=2', 'Authorization': 'Bearer ' + s.access_token }, cache: 'no-store' });
                 const body = await r.json(); offset += body.members.length; if (!body.more || !body.members.length) break; }
               done(performance.now() - t0); })();",
        )
        .await
        .as_f64()
        .unwrap_or(0.0);
    println!(
        "### Lists ({} members, {} pages of 100)\n\n| measure | value |\n|---|---:|",
        a.members,
        pages.len()
    );
    println!("| every page, parallel (cap {}) | {parallel:.0} ms ({:.1} round trips of {one_page:.0} ms; budget 3) |", oncall_concurrency(), parallel / one_page.max(1.0));
    println!("| the same pages one after another | {sequential:.0} ms |");
    println!(
        "| speed-up | {:.1} × (budget ≥ 4 ×) |",
        sequential / parallel.max(1.0)
    );
    println!(
        "| first page requested → {} members listed (rows in view drawn) | {:.0} ms |",
        a.members,
        members_painted - first_start
    );
    println!("| long tasks after the first request | {tasks}, longest {longest:.0} ms |\n");

    // Rendering: a team of the second size, and a timeline with many shifts.
    println!("### Rendering\n\n| view | long tasks (longest) | wasm heap after |\n|---|---:|---:|");
    println!("| my shifts | – | {} |", mb(heap_home));
    println!(
        "| team of {} members | {tasks} ({longest:.0} ms) | {} |",
        a.members,
        mb(heap_members)
    );
    browser.goto(&fake.app("/team?id=PT00001")).await;
    let (_, heap) = mark(&browser, "team-members").await;
    let start = started(&resources(&browser, "/teams/PT00001/members").await);
    let (n, l) = long_tasks(&browser, start).await;
    println!(
        "| team of {} members | {n} ({l:.0} ms) | {} |",
        a.second_team,
        mb(heap)
    );
    browser
        .goto(&fake.app("/schedule?id=PSDENSE&span=2weeks"))
        .await;
    let (_, heap) = mark(&browser, "timeline").await;
    let shifts = browser.count(".timeline .shift").await;
    let start = started(&resources(&browser, "/schedules/PSDENSE").await);
    let (n, l) = long_tasks(&browser, start).await;
    println!(
        "| timeline, two weeks, {shifts} shifts drawn | {n} ({l:.0} ms) | {} |\n",
        mb(heap)
    );

    service_view(&browser, &fake, &a).await;
}

/// The service view of the ten-level policy, on the big account: from navigation to every
/// level's "now and next" drawn, against the network floor (the service, then its policy and
/// its `/oncalls` side by side: two round trips), and long tasks.
async fn service_view(browser: &Browser, fake: &Fake, a: &Args) {
    browser.goto(&fake.app("/service?id=PV00001")).await;
    let (drawn, heap) = mark(browser, "levels").await;
    let service = resources(browser, "/services/PV00001").await;
    let policy = resources(browser, "/escalation_policies/").await;
    let oncalls = resources(browser, "/oncalls?escalation_policy_ids").await;
    let rt = |r: &[(f64, f64, f64)]| r.iter().map(|e| e.2).fold(0.0, f64::max);
    let floor = rt(&service) + rt(&policy).max(rt(&oncalls));
    let (n, longest) = long_tasks(browser, 0.0).await;
    let levels = browser.count("ol.levels > li").await;
    println!(
        "### Service view ({} services, {} policies; a policy of {levels} levels)\n\n| measure | value |\n|---|---:|",
        a.services, a.policies
    );
    println!("| navigation → every level's now and next drawn | {drawn:.0} ms |");
    println!("| network floor (service, then policy and `/oncalls` together) | {floor:.0} ms |");
    println!(
        "| requests for the levels: `/oncalls` pages | {} |",
        oncalls.len()
    );
    println!("| long tasks from navigation | {n}, longest {longest:.0} ms |");
    println!("| wasm heap after | {} |", mb(heap));

    browser.goto(&fake.app("/services")).await;
    browser
        .wait_for_text(".count", &format!("Showing {} of", a.services))
        .await;
    let pages = resources(browser, "/services?").await;
    let oncalls = resources(browser, "/oncalls?earliest").await;
    let done = pages
        .iter()
        .chain(&oncalls)
        .map(|p| p.1)
        .fold(0.0, f64::max);
    println!(
        "| services list: {} pages of services and {} of `/oncalls`, all answered | {done:.0} ms after navigation |\n",
        pages.len(),
        oncalls.len()
    );
}

fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_000_000.0)
}

fn oncall_concurrency() -> usize {
    oncall::client::CONCURRENCY
}
