//! The benchmark: `.ci/bench` (or `cargo run --release -p oncall-e2e --example bench`
//! after a release build in `dist/`). Starts the fake PagerDuty with added latency and a large
//! account, drives headless Chromium through sign-in and the heavy views, and prints a table.
//! Not a test: timings on a shared machine are reported, never asserted.
//!
//! Options: --latency-ms N (100), --members N (10000), --second-team N (1000),
//! --shifts N (5000), --v3-shifts N (10000), --policies N (300), --services N (500),
//! --runs N (5).
//!
//! `--phone N` runs only the phone comparison instead (a cold load, sign-in and a service
//! view, unthrottled and on Lighthouse's slow 4G), N times each; `--lighthouse N` only
//! Lighthouse, N times.
//!
//! `--wall N` runs only the long-running check instead: a portal's "on call now" card left open
//! across N handovers of a one-minute rotation (N minutes and a little more), its memory after the
//! third handover and after the last. `--wall-board N` leaves the board open instead, as on a
//! wall screen.

#[path = "bench/wall.rs"]
mod wall;

use fake_pagerduty::data::Size;
use fake_pagerduty::state::Faults;
use fake_pagerduty::Options;
use oncall_e2e::{asset_sizes, Browser, Fake};
use serde_json::{json, Value};
use std::time::Duration;

struct Args {
    latency_ms: u64,
    members: usize,
    second_team: usize,
    shifts: usize,
    v3_shifts: usize,
    policies: usize,
    services: usize,
    runs: usize,
    wall: usize,
    wall_board: usize,
    phone: usize,
    lighthouse: usize,
}

fn args() -> Args {
    let mut a = Args {
        latency_ms: 100,
        members: 10_000,
        second_team: 1_000,
        shifts: 5_000,
        v3_shifts: 10_000,
        policies: 300,
        services: 500,
        runs: 5,
        wall: 0,
        wall_board: 0,
        phone: 0,
        lighthouse: 0,
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
            "--v3-shifts" => a.v3_shifts = n as usize,
            "--policies" => a.policies = n as usize,
            "--services" => a.services = n as usize,
            "--runs" => a.runs = (n as usize).max(1),
            "--wall" => a.wall = n as usize,
            "--wall-board" => a.wall_board = n as usize,
            "--phone" => a.phone = n as usize,
            "--lighthouse" => a.lighthouse = n as usize,
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

/// Every figure of every run, by name, in the order first recorded.
#[derive(Default)]
struct Figures(Vec<(String, Vec<f64>)>);

impl Figures {
    fn record(&mut self, name: &str, value: f64) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value),
            None => self.0.push((name.to_string(), vec![value])),
        }
    }

    /// "median (min–max)" of a figure over the runs, with `unit`.
    fn show(&self, name: &str, unit: &str) -> String {
        let Some((_, values)) = self.0.iter().find(|(n, _)| n == name) else {
            return "–".into();
        };
        let mut v = values.clone();
        v.sort_by(f64::total_cmp);
        let median = if v.len() % 2 == 1 {
            v[v.len() / 2]
        } else {
            (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
        };
        let fmt = |x: f64| {
            if unit == " MB" {
                format!("{:.1}", x / 1_000_000.0)
            } else if unit == " ×" {
                format!("{x:.2}")
            } else {
                format!("{x:.0}")
            }
        };
        format!(
            "**{}{unit}** ({}–{})",
            fmt(median),
            fmt(v[0]),
            fmt(v[v.len() - 1])
        )
    }
}

thread_local!(static LATENCY: std::cell::Cell<u64> = const { std::cell::Cell::new(100) });

#[tokio::main]
async fn main() {
    let a = args();
    LATENCY.with(|l| l.set(a.latency_ms));
    if a.wall > 0 {
        return wall_report(&wall::CARD, a.wall).await;
    }
    if a.wall_board > 0 {
        return wall_report(&wall::BOARD, a.wall_board).await;
    }
    if a.phone > 0 {
        let mut f = Figures::default();
        phone_runs(a.phone, &mut f).await;
        return phone_report(&f);
    }
    if a.lighthouse > 0 {
        let fake = Fake::start().await;
        let mut f = Figures::default();
        lighthouse_runs(a.lighthouse, &fake, &mut f);
        return lighthouse_report(&f);
    }
    println!("## Benchmark\n");
    println!("Machine: {} cores; Chromium headless; fake PagerDuty on loopback with {} ms added to every identity and API answer. Every timing is the median of {} runs, each in a fresh browser, with the lowest and highest beside it.\n", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0), a.latency_ms, a.runs);

    println!("### Download (first load)\n\n| asset | raw | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|");
    let sizes = asset_sizes();
    let (first, split): (Vec<_>, Vec<_>) = sizes.iter().partition(|s| s.first_load);
    for s in &first {
        println!("| `{}` | {} | {} | {} |", s.name, s.raw, s.gzip, s.brotli);
    }
    let total = |files: &[&oncall_e2e::AssetSize], f: fn(&oncall_e2e::AssetSize) -> usize| {
        files.iter().map(|s| f(s)).sum::<usize>()
    };
    println!(
        "| **first load** | {} | {} | **{}** (budget 200 KB) |\n",
        kb(total(&first, |s| s.raw)),
        kb(total(&first, |s| s.gzip)),
        kb(total(&first, |s| s.brotli))
    );
    println!("| split module (arrives when needed) | raw | gzip -9 | brotli -q 11 |");
    println!("|---|---:|---:|---:|");
    for s in &split {
        println!("| `{}` | {} | {} | {} |", s.name, s.raw, s.gzip, s.brotli);
    }
    println!(
        "| **all split modules** | {} | {} | **{}** |\n",
        kb(total(&split, |s| s.raw)),
        kb(total(&split, |s| s.gzip)),
        kb(total(&split, |s| s.brotli))
    );

    let fake = Fake::start_with(Options {
        size: Size {
            users: a.members.max(a.second_team).max(50),
            big_team: a.members,
            second_team: a.second_team,
            dense_shifts: a.shifts,
            dense_v3_shifts: a.v3_shifts,
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
    let mut f = Figures::default();
    let mut facts = Facts::default();
    for run in 0..a.runs {
        eprintln!("run {} of {}", run + 1, a.runs);
        let browser = Browser::open().await;
        one_run(&browser, &fake, &mut f, &mut facts).await;
    }
    // The same 100 pages over HTTP/2 (as PagerDuty serves its API), with and without
    // Access-Control-Max-Age on the preflights.
    for (max_age, label) in [(true, "h2"), (false, "h2 no max-age")] {
        let fake = Fake::start_with(Options {
            size: Size {
                users: a.members.max(50),
                big_team: a.members,
                ..Size::default()
            },
            faults: Faults {
                latency_ms: a.latency_ms,
                ..Faults::default()
            },
            tls: true,
            preflight_max_age: max_age,
            ..Options::default()
        })
        .await;
        for run in 0..a.runs {
            eprintln!("{label}: run {} of {}", run + 1, a.runs);
            let browser = Browser::open_with(&["--ignore-certificate-errors"]).await;
            browser.sign_in(&fake).await;
            list_pages(&browser, &fake, a.latency_ms, label, &mut f).await;
        }
    }
    phone_runs(a.runs, &mut f).await;
    lighthouse_runs(a.runs, &fake, &mut f);
    report(&f, &facts, &a);
}

/// Lighthouse on the signed-out first load, `runs` times, if it is installed.
fn lighthouse_runs(runs: usize, fake: &Fake, f: &mut Figures) {
    if let Some(lighthouse) = lighthouse::command() {
        for run in 0..runs {
            eprintln!("Lighthouse run {} of {runs}", run + 1);
            lighthouse::run(&lighthouse, &fake.app_url, f);
        }
    }
}

/// A team of 100 pages loaded, then loaded again with Refresh (the same URLs, so preflights
/// the browser kept are not sent again): the time from the first request to the last answer,
/// and that in round trips of the added latency.
async fn list_pages(browser: &Browser, fake: &Fake, latency_ms: u64, label: &str, f: &mut Figures) {
    let path = "/teams/PT00000/members";
    browser.goto(&fake.app("/team?id=PT00000")).await;
    mark(browser, "team-members").await;
    let pages = resources(browser, path).await;
    let span = |p: &[(f64, f64, f64)]| p.iter().map(|e| e.1).fold(0.0, f64::max) - started(p);
    let first = span(&pages);
    f.record(&format!("{label} first"), first);
    // Where the time goes: the first page, then how spread out the others' starts and ends are.
    let mut by_start = pages.clone();
    by_start.sort_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((head, rest)) = by_start.split_first() {
        let starts: Vec<f64> = rest.iter().map(|r| r.0).collect();
        let ends: Vec<f64> = rest.iter().map(|r| r.1).collect();
        let (s0, s1) = (
            starts.iter().copied().fold(f64::MAX, f64::min),
            starts.iter().copied().fold(0.0, f64::max),
        );
        let (e0, e1) = (
            ends.iter().copied().fold(f64::MAX, f64::min),
            ends.iter().copied().fold(0.0, f64::max),
        );
        f.record(&format!("{label} first page"), head.2);
        f.record(&format!("{label} starts spread"), s1 - s0);
        f.record(&format!("{label} first answer of the rest"), e0 - s0);
        f.record(&format!("{label} last answer of the rest"), e1 - s0);
    }
    f.record(
        &format!("{label} first trips"),
        first / latency_ms.max(1) as f64,
    );
    let before = browser
        .execute("return performance.now();")
        .await
        .as_f64()
        .unwrap_or(0.0);
    browser.click_button("Refresh").await;
    let count = pages.len();
    let mut again = vec![];
    for _ in 0..600 {
        again = resources(browser, path)
            .await
            .into_iter()
            .filter(|r| r.0 > before)
            .collect();
        if again.len() >= count && again.iter().all(|r| r.1 > 0.0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let refreshed = span(&again);
    f.record(&format!("{label} refresh"), refreshed);
    f.record(
        &format!("{label} refresh trips"),
        refreshed / latency_ms.max(1) as f64,
    );
}

/// Counts that are the same in every run.
#[derive(Default)]
struct Facts {
    shift_pages: usize,
    member_pages: usize,
    levels: usize,
    service_pages: usize,
    list_oncall_pages: usize,
    level_oncall_pages: usize,
    timeline_drawn_in: usize,
}

async fn one_run(browser: &Browser, fake: &Fake, f: &mut Figures, facts: &mut Facts) {
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
    let (painted, heap_home) = mark(browser, "my-shifts").await;
    let token = resources(browser, "/oauth/token").await;
    let api = resources(browser, "/users/me").await;
    let token_rt = token.first().map(|t| t.2).unwrap_or(0.0);
    let api_rt = api.first().map(|t| t.2).unwrap_or(0.0);
    // The user's shifts: the first page says how many there are, the rest come together, so
    // more than one page is one more round trip that nothing can save.
    let oncalls = resources(browser, "/oncalls?user_ids").await;
    facts.shift_pages = oncalls.len();
    let api_trips = if oncalls.len() > 1 { 2.0 } else { 1.0 };
    let floor = token_rt + api_rt * api_trips;
    let token_start = token.first().map(|t| t.0).unwrap_or(0.0);
    let token_end = token.first().map(|t| t.1).unwrap_or(0.0);
    let first_view = api.first().into_iter().chain(&oncalls);
    let (api_start, api_end) =
        first_view.fold((f64::MAX, 0.0f64), |(s, e), r| (s.min(r.0), e.max(r.1)));
    f.record("token sent", token_start);
    f.record("token rt", token_rt);
    f.record("api rt", api_rt);
    f.record("floor", floor);
    f.record("painted", painted);
    f.record("token to api", api_start - token_end);
    f.record("last answer to painted", painted - api_end);
    f.record("token to painted", painted - token_start);
    f.record("vs floor", (painted - token_start) / floor.max(1.0));
    f.record("heap home", heap_home);

    // Lists: every page of the big team, in parallel, against the same pages one by one.
    browser.goto(&fake.app("/team?id=PT00000")).await;
    let (members_painted, heap_members) = mark(browser, "team-members").await;
    let pages = resources(browser, "/teams/PT00000/members").await;
    facts.member_pages = pages.len();
    let first_start = started(&pages);
    let last_end = pages.iter().map(|p| p.1).fold(0.0, f64::max);
    let parallel = last_end - first_start;
    let one_page = pages.iter().map(|p| p.2).fold(f64::MAX, f64::min);
    let (tasks, longest) = long_tasks(browser, first_start).await;
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
    f.record("parallel", parallel);
    f.record("round trips", parallel / one_page.max(1.0));
    f.record(
        "h1 first trips",
        parallel / LATENCY.with(|l| l.get()).max(1) as f64,
    );
    f.record("sequential", sequential);
    f.record("speed-up", sequential / parallel.max(1.0));
    f.record("members listed", members_painted - first_start);
    f.record("members long tasks", tasks as f64);
    f.record("members longest", longest);
    f.record("heap members", heap_members);

    browser.goto(&fake.app("/team?id=PT00001")).await;
    let (_, heap) = mark(browser, "team-members").await;
    let start = started(&resources(browser, "/teams/PT00001/members").await);
    let (n, l) = long_tasks(browser, start).await;
    f.record("second team long tasks", n as f64);
    f.record("second team longest", l);
    f.record("heap second team", heap);

    browser
        .goto(&fake.app("/schedule?id=PSDENSE&span=2weeks"))
        .await;
    let (_, heap) = mark(browser, "timeline").await;
    // Long rows are drawn a slice per frame after the first: wait until nothing is added.
    let mut drawn_count = 0;
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = browser.count(".timeline .shift").await;
        if now == drawn_count {
            break;
        }
        drawn_count = now;
    }
    let drawn = browser
        .execute("return performance.now();")
        .await
        .as_f64()
        .unwrap_or(0.0)
        - 300.0;
    facts.timeline_drawn_in = drawn_count;
    let start = started(&resources(browser, "/schedules/PSDENSE").await);
    let (n, l) = long_tasks(browser, start).await;
    f.record("timeline long tasks", n as f64);
    f.record("timeline longest", l);
    f.record("timeline drawn", drawn - start);
    f.record("heap timeline", heap);

    // A shift-based schedule as big: read a slice at a time too (src/core/schedule_reader.rs).
    browser
        .goto(&fake.app("/schedule?id=PSDENSE3&span=2weeks"))
        .await;
    let (_, heap) = mark(browser, "timeline").await;
    browser.wait_for(".timeline .shift").await;
    let start = started(&resources(browser, "/v3/schedules/PSDENSE3").await);
    let (n, l) = long_tasks(browser, start).await;
    f.record("v3 timeline long tasks", n as f64);
    f.record("v3 timeline longest", l);
    f.record("heap v3 timeline", heap);

    service_view(browser, fake, f, facts).await;
    account_views(browser, fake, f).await;
}

/// Coverage (the whole account, 14 days) and on-call hours (the big team's schedules, last
/// month: the two dense rotations among them) on the big account: from navigation to drawn,
/// the requests made to PagerDuty (the browser's count, which the page's own sentence must
/// match), how long they took in round trips of the added latency, and long tasks.
async fn account_views(browser: &Browser, fake: &Fake, f: &mut Figures) {
    for (label, address) in [("coverage", "/coverage"), ("hours", "/hours?team=PT00000")] {
        browser.goto(&fake.app(address)).await;
        let (drawn, heap) = mark(browser, label).await;
        // The team choice's own list, and the shell's `/users/me` on a fresh document, aside.
        let api: Vec<(f64, f64, f64)> = resources(browser, &fake.api_url)
            .await
            .into_iter()
            .zip(
                browser
                    .execute(&format!("return performance.getEntriesByType('resource').filter(e => e.name.includes({:?})).map(e => e.name.includes('/teams?') || e.name.includes('/users/me'));", fake.api_url))
                    .await
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            )
            .filter(|(_, teams)| !teams.as_bool().unwrap_or(false))
            .map(|(r, _)| r)
            .collect();
        let first = started(&api);
        let last = api.iter().map(|r| r.1).fold(0.0, f64::max);
        let (n, longest) = long_tasks(browser, first).await;
        f.record(&format!("{label} drawn"), drawn);
        f.record(&format!("{label} requests"), api.len() as f64);
        f.record(
            &format!("{label} round trips"),
            (last - first) / LATENCY.with(|l| l.get()).max(1) as f64,
        );
        f.record(&format!("{label} long tasks"), n as f64);
        f.record(&format!("{label} longest"), longest);
        f.record(&format!("heap {label}"), heap);
        if label == "coverage" {
            let said = browser.text(".count").await;
            assert!(
                said.contains(&format!("with {} request", api.len())),
                "the page counts its requests as the browser does: {said} ({} seen)",
                api.len()
            );
        }
    }
}

fn report(f: &Figures, facts: &Facts, a: &Args) {
    let ms = |name: &str| f.show(name, " ms");
    println!("### Time to data\n\n| measure | ms |\n|---|---:|");
    println!(
        "| callback page load → token request sent (config.json, wasm start-up) | {} |",
        ms("token sent")
    );
    println!("| token round trip | {} |", ms("token rt"));
    println!("| API round trip (`/users/me`) | {} |", ms("api rt"));
    println!(
        "| network floor (token + API round trips; {} page(s) of your shifts) | {} |",
        facts.shift_pages,
        ms("floor")
    );
    println!(
        "| callback page load → your shifts drawn | {} |",
        ms("painted")
    );
    println!(
        "| token answer → first API request sent (sign-in handling, first render) | {} |",
        ms("token to api")
    );
    println!(
        "| last answer of the first view → your shifts drawn (decode, draw) | {} |",
        ms("last answer to painted")
    );
    println!(
        "| token request sent → your shifts drawn | {} |",
        ms("token to painted")
    );
    println!(
        "| … as a multiple of the floor (budget 1.2 ×) | {} |\n",
        f.show("vs floor", " ×")
    );

    println!(
        "### Lists ({} members, {} pages of 100)\n\n| measure | value |\n|---|---:|",
        a.members, facts.member_pages
    );
    println!(
        "| every page, parallel (cap {}) | {} |",
        oncall_concurrency(),
        ms("parallel")
    );
    println!(
        "| … in round trips of one page (budget 3; 4 over HTTP/2) | {} |",
        f.show("round trips", " ×")
    );
    println!(
        "| the same pages one after another | {} |",
        ms("sequential")
    );
    println!("| speed-up (budget ≥ 4 ×) | {} |", f.show("speed-up", " ×"));
    println!(
        "| first page requested → {} members listed (rows in view drawn) | {} |",
        a.members,
        ms("members listed")
    );
    println!(
        "| long tasks after the first request | {}, longest {} |\n",
        f.show("members long tasks", ""),
        ms("members longest")
    );

    println!(
        "### The same {} pages by protocol (round trips of the {} ms added latency; goal ≤ 4 over HTTP/2)\n\n| protocol | first load | round trips | after Refresh | round trips |\n|---|---:|---:|---:|---:|",
        facts.member_pages, a.latency_ms
    );
    println!(
        "| HTTP/1.1 (Chromium: 6 connections) | {} | {} | – | – |",
        ms("parallel"),
        f.show("h1 first trips", " ×")
    );
    for (label, name) in [
        ("h2", "HTTP/2 over TLS, preflights kept 600 s"),
        (
            "h2 no max-age",
            "HTTP/2 over TLS, no `Access-Control-Max-Age`",
        ),
    ] {
        println!(
            "| {name} | {} | {} | {} | {} |",
            ms(&format!("{label} first")),
            f.show(&format!("{label} first trips"), " ×"),
            ms(&format!("{label} refresh")),
            f.show(&format!("{label} refresh trips"), " ×")
        );
    }
    println!("\nWhere the HTTP/2 first load's time goes (preflights kept):\n\n| measure | ms |\n|---|---:|");
    println!(
        "| the first page (its preflight, then the page: two round trips) | {} |",
        ms("h2 first page")
    );
    println!(
        "| the other {} pages' requests all start within | {} |",
        facts.member_pages.saturating_sub(1),
        ms("h2 starts spread")
    );
    println!(
        "| from their start, the first of their answers (preflight and page: two round trips) | {} |",
        ms("h2 first answer of the rest")
    );
    println!(
        "| from their start, the last of their answers | {} |\n",
        ms("h2 last answer of the rest")
    );

    println!(
        "### Rendering\n\n| view | long tasks | longest | wasm heap after |\n|---|---:|---:|---:|"
    );
    println!("| my shifts | – | – | {} |", f.show("heap home", " MB"));
    println!(
        "| team of {} members | {} | {} | {} |",
        a.members,
        f.show("members long tasks", ""),
        ms("members longest"),
        f.show("heap members", " MB")
    );
    println!(
        "| team of {} members | {} | {} | {} |",
        a.second_team,
        f.show("second team long tasks", ""),
        ms("second team longest"),
        f.show("heap second team", " MB")
    );
    println!(
        "| timeline, two weeks, {} shifts in the final row and as many in its layer (drawn as {} marks, all by {} after the request) | {} | {} | {} |",
        a.shifts,
        facts.timeline_drawn_in,
        ms("timeline drawn"),
        f.show("timeline long tasks", ""),
        ms("timeline longest"),
        f.show("heap timeline", " MB")
    );
    println!(
        "| shift-based timeline, two weeks, {} assignments | {} | {} | {} |\n",
        a.v3_shifts,
        f.show("v3 timeline long tasks", ""),
        ms("v3 timeline longest"),
        f.show("heap v3 timeline", " MB")
    );

    println!(
        "### Service view ({} services, {} policies; a policy of {} levels)\n\n| measure | value |\n|---|---:|",
        a.services, a.policies, facts.levels
    );
    println!(
        "| navigation → every level's now and next drawn | {} |",
        ms("levels drawn")
    );
    println!(
        "| network floor (service, then policy and `/oncalls` together) | {} |",
        ms("levels floor")
    );
    println!(
        "| `/oncalls` pages for the levels | {} |",
        facts.level_oncall_pages
    );
    println!(
        "| long tasks from navigation | {}, longest {} |",
        f.show("levels long tasks", ""),
        ms("levels longest")
    );
    println!("| wasm heap after | {} |", f.show("heap levels", " MB"));
    println!(
        "| services list: {} pages of services and {} of `/oncalls`, all answered, after navigation | {} |\n",
        facts.service_pages,
        facts.list_oncall_pages,
        ms("services list")
    );
    println!(
        "### The account at a glance ({} services, {} policies; the big team's schedules include both dense rotations)\n\n| | coverage, 14 days, whole account | on-call hours, last month, big team |\n|---|---:|---:|",
        a.services, a.policies
    );
    for (name, unit) in [
        ("drawn", " ms"),
        ("requests", ""),
        ("round trips", " ×"),
        ("long tasks", ""),
        ("longest", " ms"),
    ] {
        let row = match name {
            "drawn" => "navigation → drawn",
            "requests" => "requests to PagerDuty",
            "round trips" => "first request → last answer, in round trips of the added latency",
            "long tasks" => "long tasks from the first request",
            _ => "longest task",
        };
        println!(
            "| {row} | {} | {} |",
            f.show(&format!("coverage {name}"), unit),
            f.show(&format!("hours {name}"), unit)
        );
    }
    println!(
        "| wasm heap after | {} | {} |\n",
        f.show("heap coverage", " MB"),
        f.show("heap hours", " MB")
    );
    phone_report(f);
    lighthouse_report(f);
}

fn lighthouse_report(f: &Figures) {
    let ms = |name: &str| f.show(name, " ms");
    if f.0.iter().any(|(n, _)| n == "lh performance") {
        println!("### Lighthouse 12.2.3 (signed-out first load, default mobile emulation)\n\n| measure | value |\n|---|---:|");
        println!(
            "| Performance (goal ≥ 98) | {} |",
            f.show("lh performance", "")
        );
        println!(
            "| Accessibility (goal 100) | {} |",
            f.show("lh accessibility", "")
        );
        println!(
            "| Best Practices (goal 100) | {} |",
            f.show("lh best-practices", "")
        );
        println!("| Largest Contentful Paint | {} |", ms("lh lcp"));
        println!("| Total Blocking Time | {} |", ms("lh tbt"));
        for (name, _) in f.0.iter().filter(|(n, _)| n.starts_with("lh failed: ")) {
            println!("| {} | |", name.trim_start_matches("lh failed: "));
        }
        println!();
    } else {
        println!("(Lighthouse skipped: `tests/lighthouse` has no `node_modules`; `.ci/bench` installs it.)\n");
    }
}

/// The service view of the ten-level policy, on the big account: from navigation to every
/// level's "now and next" drawn, against the network floor (the service, then its policy and
/// its `/oncalls` side by side: two round trips), and long tasks; then the services list.
async fn service_view(browser: &Browser, fake: &Fake, f: &mut Figures, facts: &mut Facts) {
    browser.goto(&fake.app("/service?id=PV00001")).await;
    let (drawn, heap) = mark(browser, "levels").await;
    let service = resources(browser, "/services/PV00001").await;
    let policy = resources(browser, "/escalation_policies/").await;
    let oncalls = resources(browser, "/oncalls?escalation_policy_ids").await;
    let rt = |r: &[(f64, f64, f64)]| r.iter().map(|e| e.2).fold(0.0, f64::max);
    let (n, longest) = long_tasks(browser, 0.0).await;
    facts.levels = browser.count("ol.levels > li").await;
    facts.level_oncall_pages = oncalls.len();
    f.record("levels drawn", drawn);
    f.record("levels floor", rt(&service) + rt(&policy).max(rt(&oncalls)));
    f.record("levels long tasks", n as f64);
    f.record("levels longest", longest);
    f.record("heap levels", heap);

    browser.goto(&fake.app("/services")).await;
    browser.wait_for_text(".count", "Showing ").await;
    let pages = resources(browser, "/services?").await;
    let oncalls = resources(browser, "/oncalls?earliest").await;
    facts.service_pages = pages.len();
    facts.list_oncall_pages = oncalls.len();
    let done = pages
        .iter()
        .chain(&oncalls)
        .map(|p| p.1)
        .fold(0.0, f64::max);
    f.record("services list", done);
}

/// A phone on a slow network: the same three waits with and without Lighthouse's "slow 4G"
/// throttling, `runs` times each, on an account of the default size and no added latency
/// (the throttling is the network).
async fn phone_runs(runs: usize, f: &mut Figures) {
    let fake = Fake::start().await;
    for run in 0..runs {
        for throttled in [false, true] {
            eprintln!("phone (throttled: {throttled}): run {} of {runs}", run + 1);
            let browser = Browser::open().await;
            phone_run(&browser, &fake, throttled, f).await;
        }
    }
}

fn phone_report(f: &Figures) {
    let ms = |name: &str| f.show(name, " ms");
    println!(
        "### A phone on a slow network\n\nEach from its page's navigation, in a fresh browser; slow 4G is DevTools throttling of every request (150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up) and of the CPU (4 ×), on an account of the default size with no added latency.\n\n| wait | unthrottled | slow 4G |\n|---|---:|---:|"
    );
    for (wait, name) in [
        ("page load → sign-in button working", "sign-in ready"),
        (
            "callback page load → My on-call's shifts drawn",
            "my on-call drawn",
        ),
        ("service page load → its levels drawn", "levels drawn"),
    ] {
        println!(
            "| {wait} | {} | {} |",
            ms(&format!("unthrottled: {name}")),
            ms(&format!("slow 4G: {name}"))
        );
    }
    println!();
}

/// Lighthouse's "slow 4G" profile: 150 ms round trips, 1.6 Mbit/s down,
/// 750 kbit/s up, and the CPU four times slower, applied through DevTools to every request.
async fn throttle(browser: &Browser) {
    browser
        .throttle_network(150, 1_600_000 / 8, 750_000 / 8)
        .await;
    browser
        .devtools("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
        .await;
}

/// From a cold browser: the page's load to the sign-in button working, the callback page's
/// load to My on-call's shifts drawn, and a service page's load to its levels drawn (each a
/// mark's time from its own page's navigation).
async fn phone_run(browser: &Browser, fake: &Fake, throttled: bool, f: &mut Figures) {
    let label = if throttled { "slow 4G" } else { "unthrottled" };
    if throttled {
        throttle(browser).await;
    }
    // When the app's sign-in button (not the first screen's) is there and enabled, seen from
    // the document's start: the same for any build of the page.
    browser
        .devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "new MutationObserver((_, observer) => {
                if (document.querySelector(':not(.boot) > button.primary:not([disabled])')) {
                    window.signInReady = performance.now();
                    observer.disconnect();
                }
            }).observe(document, { subtree: true, childList: true, attributes: true });" }),
        )
        .await;
    browser.goto(&fake.app_url).await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    let ready = browser.execute("return window.signInReady;").await;
    f.record(
        &format!("{label}: sign-in ready"),
        ready.as_f64().unwrap_or(f64::NAN),
    );
    browser.click_button("Sign in with PagerDuty").await;
    browser.click("#approve").await;
    let (drawn, _) = mark(browser, "my-shifts").await;
    f.record(&format!("{label}: my on-call drawn"), drawn);
    browser.goto(&fake.app("/service?id=PV00001")).await;
    let (levels, _) = mark(browser, "levels").await;
    f.record(&format!("{label}: levels drawn"), levels);
}

fn oncall_concurrency() -> usize {
    oncall::client::CONCURRENCY
}

/// Lighthouse (npm `lighthouse` 12.2.3, pinned in `tests/lighthouse/package.json`; 13 needs
/// Node 22) on the signed-out first load, with its default mobile emulation, in Debian's
/// Chromium.
mod lighthouse {
    use super::Figures;
    use serde_json::Value;
    use std::path::PathBuf;
    use std::process::Command;

    /// The installed CLI, if `.ci/bench` (or `npm ci --prefix tests/lighthouse`) put it there.
    pub fn command() -> Option<PathBuf> {
        let cli = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../lighthouse/node_modules/.bin/lighthouse");
        cli.exists().then_some(cli)
    }

    pub fn run(cli: &PathBuf, url: &str, f: &mut Figures) {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let output = Command::new(cli)
            .arg(url)
            .args([
                "--quiet",
                "--output=json",
                "--output-path=stdout",
                "--only-categories=performance,accessibility,best-practices",
                "--chrome-flags=--headless=new --no-sandbox --disable-background-networking --disable-component-update --disable-sync --disable-quic --no-first-run",
            ])
            .env("CHROME_PATH", chromium)
            .output()
            .expect("Lighthouse runs");
        let report: Value = match serde_json::from_slice(&output.stdout) {
            Ok(report) => report,
            Err(e) => {
                eprintln!(
                    "Lighthouse gave no report ({e}): {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                return;
            }
        };
        for category in ["performance", "accessibility", "best-practices"] {
            let score = report["categories"][category]["score"]
                .as_f64()
                .unwrap_or(0.0);
            f.record(&format!("lh {category}"), (score * 100.0).round());
            // What costs points, once per audit, for the table.
            let refs = report["categories"][category]["auditRefs"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for r in refs
                .iter()
                .filter(|r| r["weight"].as_f64().unwrap_or(0.0) > 0.0)
            {
                let id = r["id"].as_str().unwrap_or_default();
                let audit = &report["audits"][id];
                if audit["score"].as_f64().is_some_and(|s| s < 0.9) {
                    let title = audit["title"].as_str().unwrap_or(id);
                    let shown = audit["displayValue"].as_str().unwrap_or_default();
                    f.record(&format!("lh failed: {category}: {title} {shown}"), 1.0);
                }
            }
        }
        let audit = |id: &str| report["audits"][id]["numericValue"].as_f64().unwrap_or(0.0);
        f.record("lh lcp", audit("largest-contentful-paint"));
        f.record("lh tbt", audit("total-blocking-time"));
    }
}

/// The long-running check, and its table.
async fn wall_report(view: &wall::View, handovers: usize) {
    // One-minute turns: 14 days of them.
    let fake = Fake::start_with(Options {
        size: Size {
            dense_shifts: 14 * 24 * 60,
            ..Size::default()
        },
        ..Options::default()
    })
    .await;
    let ((third, baseline), last) = wall::run(&fake, view, handovers).await;
    let change = |a: f64, b: f64| {
        if a == 0.0 {
            "–".to_string()
        } else {
            format!("{:+.1} %", (b - a) / a * 100.0)
        }
    };
    let mb = |x: f64| format!("{:.1} MB", x / 1_000_000.0);
    println!("### A wall view left open\n");
    println!(
        "`{}`, one-minute turns, {handovers} handovers; each sample after a forced garbage collection.\n",
        view.address
    );
    println!("| | {baseline} | after handover {handovers} | change |\n|---|---:|---:|---:|");
    println!(
        "| JS heap | {} | {} | {} |",
        mb(third.js_heap),
        mb(last.js_heap),
        change(third.js_heap, last.js_heap)
    );
    println!(
        "| wasm memory | {} | {} | {} |",
        mb(third.wasm),
        mb(last.wasm),
        change(third.wasm, last.wasm)
    );
    println!(
        "| DOM nodes | {} | {} | {} |",
        third.nodes,
        last.nodes,
        change(third.nodes, last.nodes)
    );
    println!(
        "| event listeners | {} | {} | {} |",
        third.listeners,
        last.listeners,
        change(third.listeners, last.listeners)
    );
}
