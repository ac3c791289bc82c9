//! The end-to-end harness: starts the fake PagerDuty and a headless Chromium, signs in, and
//! gives tests short, waiting helpers. A [`Browser`] checks when it is dropped that the page
//! never panicked nor threw an uncaught error, so no test can forget to.

use fake_pagerduty::{FakePagerDuty, Options};
use fantoccini::{elements::Element, wd::Capabilities, Client, ClientBuilder, Locator};
use oncall_core::cover::CoverLink;
use oncall_core::routes::Route;
use serde_json::{json, Value};
use std::ops::Deref;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// The app's sign-in button, not the stand-in that `index.html`'s first screen shows (disabled)
/// until the app has started.
pub const SIGN_IN_BUTTON: &str = ":not(.boot) > button.primary";

/// How long a step may take before the test fails: generous for a loaded 2-core CI machine,
/// and only ever reached when something is wrong.
const STEP: Duration = Duration::from_secs(20);

/// The built site: `ONCALL_DIST`, or `dist/` at the workspace root.
pub fn dist() -> PathBuf {
    let dist = std::env::var_os("ONCALL_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist"));
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: run `trunk build --release --offline` first (the README's test command does)",
        dist.display()
    );
    dist
}

/// The first ```` ```language ```` block after `marker` in `docs/{file}`, as written there: the
/// recipes and snippets the tests run are the ones the docs show.
pub fn docs_block(file: &str, marker: &str, language: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let after = text
        .split(marker)
        .nth(1)
        .unwrap_or_else(|| panic!("docs/{file} has {marker}"));
    let block = after
        .split(&format!("```{language}"))
        .nth(1)
        .unwrap_or_else(|| panic!("a {language} block after {marker} in docs/{file}"));
    block
        .split("```")
        .next()
        .expect("a closed block")
        .to_string()
}

pub struct Fake(FakePagerDuty);

impl Fake {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Self {
        let options = Options {
            dist: options.dist.or_else(|| Some(dist())),
            ..options
        };
        Self(
            FakePagerDuty::start(options)
                .await
                .expect("the fake PagerDuty starts"),
        )
    }
}

impl Fake {
    /// A URL of the app: `path` starts with `/`.
    pub fn app(&self, path: &str) -> String {
        format!("{}{path}", self.app_url.trim_end_matches('/'))
    }

    /// The URL of one of the app's views, as the app itself spells it.
    pub fn view(&self, route: &Route) -> String {
        self.app(&route.path())
    }

    /// The schedules the demo user is on call for at this moment, by the fake's own data, as
    /// `/oncalls` (and so My on-call) has them: only those an escalation policy pages. Which
    /// they are depends on the time of day (business-hours layers, follow-the-sun turns): a
    /// test that names one must ask here, never assume.
    pub fn demo_on_call_now(&self) -> Vec<String> {
        let now = fake_pagerduty::state::now();
        self.with_data(|d| {
            (0..d.schedules.len())
                .filter(|&s| !d.policies_of(s).is_empty())
                .filter(|&s| {
                    let schedule = &d.schedules[s];
                    match schedule.v3 {
                        true => schedule
                            .computed_assignments(now, now + 1)
                            .iter()
                            .any(|a| a.entry.user == Some(0)),
                        false => schedule
                            .final_entries(now, now + 1)
                            .iter()
                            .any(|e| e.user == Some(0)),
                    }
                })
                .map(|s| d.schedules[s].name.clone())
                .collect()
        })
    }
}

/// The fake with `config.json` granting write access (`"scope": "write"`): the page may take
/// shifts.
pub fn write_access() -> Options {
    Options {
        scope: Some("write".into()),
        ..Options::default()
    }
}

/// A shift still to come on schedule number `schedule`, by the fake's own final schedule (a
/// shift-based one's assignments, any rotation): the first that starts at least an hour from now, lasts at most a week, and whose
/// person `pick` accepts; as a cover link for that person.
pub fn coming_shift(fake: &Fake, schedule: usize, pick: impl Fn(usize) -> bool) -> CoverLink {
    let now = fake_pagerduty::state::now();
    fake.with_data(|d| {
        let s = &d.schedules[schedule];
        let (since, until) = (now + 3600, now + 30 * 86_400);
        let entries = match s.v3 {
            true => s
                .computed_assignments(since, until)
                .into_iter()
                .map(|a| a.entry)
                .collect(),
            false => s.final_entries(since, until),
        };
        let entry = entries
            .into_iter()
            .find(|e| {
                e.start > now + 3600 && e.end - e.start <= 7 * 86_400 && e.user.is_some_and(&pick)
            })
            .unwrap_or_else(|| panic!("{} has a shift to come", s.name));
        CoverLink {
            schedule: s.id.clone(),
            start: entry.start * 1000,
            end: entry.end * 1000,
            for_user: entry.user.map(|u| d.users[u].id.clone()),
        }
    })
}

/// Waits for My on-call's status to say what the fake's data says of the demo user now: the
/// schedules they are on call for ([`Fake::demo_on_call_now`]), or that their next shift is
/// coming. Asked again each time, so a handover meanwhile cannot make it wrong.
pub async fn wait_for_my_status(browser: &Browser, fake: &Fake) {
    eventually(
        async || {
            let shown = browser.text(".hero .status").await;
            match fake.demo_on_call_now().as_slice() {
                [] => shown.starts_with("Your next shift starts"),
                names => {
                    shown.starts_with("You are on call now for")
                        && names.iter().all(|n| shown.contains(n.as_str()))
                }
            }
        },
        "My on-call's status names the schedules the demo user is on call for now",
    )
    .await;
}

/// The fake PagerDuty and a browser signed in to the app it serves, showing My on-call.
pub async fn signed_in() -> (Fake, Browser) {
    signed_in_with(Options::default()).await
}

/// The fake PagerDuty and a browser showing the app's signed-out page, its sign-in button
/// ready.
pub async fn signed_out() -> (Fake, Browser) {
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    browser.goto(&fake.app_url).await;
    browser.wait_for(SIGN_IN_BUTTON).await;
    (fake, browser)
}

/// An account with one more schedule, `PSDENSE`, of one-minute turns: 1,440 shifts a day, a
/// handover at most a minute away.
pub fn one_minute_turns() -> Options {
    Options {
        size: fake_pagerduty::data::Size {
            dense_shifts: 14 * 24 * 60,
            ..Default::default()
        },
        ..Options::default()
    }
}

/// [`signed_in`] with the fake started with `options`.
pub async fn signed_in_with(options: Options) -> (Fake, Browser) {
    let fake = Fake::start_with(options).await;
    let browser = Browser::open().await;
    browser.sign_in(&fake).await;
    (fake, browser)
}

impl Deref for Fake {
    type Target = FakePagerDuty;
    fn deref(&self) -> &FakePagerDuty {
        &self.0
    }
}

pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    pub async fn open() -> Self {
        Self::open_with(&[]).await
    }

    /// A browser with more command-line switches (the benchmark's HTTP/2 fake needs
    /// `--ignore-certificate-errors` for its self-signed certificate; no test uses that).
    pub async fn open_with(extra_args: &[&str]) -> Self {
        let port = free_port();
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that the browser it starts can be ended with it.
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {chromedriver}: {e} (apt-get install chromium-driver)")
            });
        let args: Vec<&str> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--window-size=1280,900",
        ]
        .into_iter()
        .chain(extra_args.iter().copied())
        .collect();
        let caps: Capabilities = serde_json::from_value(json!({
            // The console, for the check on drop that the page never panicked or threw.
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": args
            }
        }))
        .expect("capabilities");
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = String::new();
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => return Self { client, driver },
                Err(e) => last_error = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not accept a session: {last_error}");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigation");
    }

    pub async fn refresh(&self) {
        self.client.refresh().await.expect("reload");
    }

    pub async fn back(&self) {
        self.client.back().await.expect("back");
    }

    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current URL")
            .to_string()
    }

    /// Waits for an element matching `css`, also across page loads: a look-up that a
    /// navigation cuts short ("aborted by navigation", or the frame it ran in detached) is
    /// asked again, since the page being replaced is not the element being missing.
    pub async fn wait_for(&self, css: &str) -> Element {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let last = match self.client.find(Locator::Css(css)).await {
                Ok(element) => return element,
                Err(error) if error.is_no_such_element() || cut_short(&error) => error,
                Err(error) => panic!("looking for {css}: {error}"),
            };
            if tokio::time::Instant::now() >= deadline {
                panic!("no {css} appeared: {last}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until an element matching `css` contains `text`, which must not be empty (every
    /// text contains the empty one: such a wait would check nothing).
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        assert!(
            !text.is_empty(),
            "waiting for {css} to contain \"\" checks nothing: wait for real text, or use wait_for"
        );
        let deadline = tokio::time::Instant::now() + STEP;
        let mut seen = Vec::new();
        while tokio::time::Instant::now() < deadline {
            seen.clear();
            if let Ok(elements) = self.client.find_all(Locator::Css(css)).await {
                for element in elements {
                    if let Ok(t) = element.text().await {
                        if t.contains(text) {
                            return;
                        }
                        seen.push(t);
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let body = self.text("body").await;
        panic!("no {css} containing {text:?}; saw {seen:?}; page: {body}");
    }

    /// Clicks the button labelled `label` and returns the file it offers, as text, caught as it
    /// is made instead of saved. A byte-order mark is kept (`Blob.text()` would drop it).
    pub async fn download_text(&self, label: &str) -> String {
        self.execute("window.__blobs = []; const original = URL.createObjectURL; URL.createObjectURL = (b) => { window.__blobs.push(b); return original(b); };")
            .await;
        self.click_button(label).await;
        let text = self
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__blobs[0].arrayBuffer().then(b => done(new TextDecoder('utf-8', { ignoreBOM: true }).decode(b)));",
            )
            .await;
        text.as_str()
            .unwrap_or_else(|| panic!("{label} offered no file: {text}"))
            .to_string()
    }

    /// Waits for the text of `css` to be other than `before`: a handover drawn without a reload.
    /// Longer than [`eventually`] waits: up to a minute to the next handover of a one-minute
    /// rotation, and a loaded machine.
    pub async fn wait_for_handover(&self, css: &str, before: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        while self.text(css).await == before {
            assert!(
                tokio::time::Instant::now() < deadline,
                "still {before:?} after 90 s: no handover drawn"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The text of the element matching `css`, once there is one. A view may draw that
    /// element anew between finding it and reading it (renewing itself as the clock moves):
    /// then the reference has gone stale, and the new element is found and read instead.
    pub async fn text(&self, css: &str) -> String {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            match self.wait_for(css).await.text().await {
                Ok(text) => return text,
                Err(error) if stale(&error) && tokio::time::Instant::now() < deadline => {}
                Err(error) => panic!("reading the text of {css}: {error}"),
            }
        }
    }

    /// Clicks the element matching `css`. A click that starts a page load can be answered
    /// "aborted by navigation" (or, in a frame that the load removes, "target frame
    /// detached") when the load wins the race with chromedriver's reply: that is the click
    /// having worked. Any other error fails the test.
    pub async fn click(&self, css: &str) {
        clicked(self.wait_for(css).await.click().await, css);
    }

    /// Clicks the enabled button whose text contains `label`, as [`Browser::click`] does.
    pub async fn click_button(&self, label: &str) {
        clicked(self.enabled_button(label).await.click().await, label);
    }

    async fn enabled_button(&self, label: &str) -> Element {
        let xpath = format!("//button[contains(normalize-space(.), '{label}') and not(@disabled)]");
        self.client
            .wait()
            .at_most(STEP)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no enabled button {label:?}: {e}"))
    }

    pub async fn execute(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("script runs")
    }

    /// Runs an async script; it calls `arguments[arguments.length - 1]` with its result.
    pub async fn execute_async(&self, script: &str) -> Value {
        self.client
            .execute_async(script, vec![])
            .await
            .expect("async script runs")
    }

    /// How many elements match `css` right now. A look-up that a page load cuts short is asked
    /// again; any other WebDriver error fails the test (never a count of 0 that a test would
    /// take for "none there").
    pub async fn count(&self, css: &str) -> usize {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            match self.client.find_all(Locator::Css(css)).await {
                Ok(found) => return found.len(),
                Err(error) if cut_short(&error) && tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(error) => panic!("counting {css}: {error}"),
            }
        }
    }

    /// Types `keys` into the field matching `css` (after what it holds; `\u{E007}` is Enter).
    pub async fn type_into(&self, css: &str, keys: &str) {
        self.wait_for(css)
            .await
            .send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    }

    /// Picks `zone` in the header's time-zone field, as a person does: clears it, types the
    /// name and leaves the field.
    pub async fn choose_zone(&self, zone: &str) {
        let input = self.wait_for("#zone-input").await;
        input.clear().await.expect("the zone field clears");
        input
            .send_keys(zone)
            .await
            .expect("typed into the zone field");
        self.execute("document.querySelector('#zone-input').dispatchEvent(new Event('change'));")
            .await;
    }

    /// Waits until exactly `n` elements match `css`.
    pub async fn wait_for_count(&self, css: &str, n: usize) {
        let deadline = tokio::time::Instant::now() + STEP;
        let mut last = 0;
        while tokio::time::Instant::now() < deadline {
            last = self.count(css).await;
            if last == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} of {css}, found {last}");
    }

    /// The app's record `key` (`oncall_core::storage::SESSION_KEY`, say) in this tab's
    /// `sessionStorage`, for the app served at `/`.
    pub async fn session_item(&self, key: &str) -> Option<String> {
        let key = oncall_core::storage::scoped_key(key, "/");
        let value = self
            .client
            .execute(
                "return sessionStorage.getItem(arguments[0]);",
                vec![json!(key)],
            )
            .await
            .expect("sessionStorage readable");
        value.as_str().map(str::to_string)
    }

    pub async fn clear_session_storage(&self) {
        self.execute("sessionStorage.clear();").await;
    }

    pub async fn local_storage_json(&self) -> String {
        let v = self
            .execute("return JSON.stringify(Object.assign({}, localStorage));")
            .await;
        v.as_str().unwrap_or_default().to_string()
    }

    /// Signs in through the fake's login and consent page and waits for the user's name.
    pub async fn sign_in(&self, fake: &FakePagerDuty) {
        self.sign_in_at(&fake.app_url, fake).await;
    }

    /// Signs in as the fake's user number `user` (its data's index), typing their email on
    /// the fake's sign-in page as that person would.
    pub async fn sign_in_as(&self, fake: &FakePagerDuty, user: usize) {
        let name = fake.with_data(|d| d.users[user].name.clone());
        self.goto(&fake.app_url).await;
        self.click_button("Sign in with PagerDuty").await;
        self.approve_as(fake, user).await;
        self.wait_for_text(".user-name", &name).await;
        self.wait_for_count(".skeleton", 0).await;
    }

    /// On the fake's sign-in page: types the email of user number `user` and allows the app.
    pub async fn approve_as(&self, fake: &FakePagerDuty, user: usize) {
        let email = fake.with_data(|d| d.users[user].email.clone());
        self.wait_for("#email")
            .await
            .clear()
            .await
            .expect("the email field clears");
        self.type_into("#email", &email).await;
        self.click("#approve").await;
    }

    /// Signs in on the app served at `site` (another host than the fake's own).
    pub async fn sign_in_at(&self, site: &str, fake: &FakePagerDuty) {
        self.goto(site).await;
        self.click_button("Sign in with PagerDuty").await;
        self.click("#approve").await;
        self.wait_for_text(".user-name", &fake.demo_name()).await;
        // My on-call goes on loading after the name shows (your levels: two requests per
        // policy). A test that switches a counted fault on next must not have it taken by
        // one of those: wait until every panel has loaded.
        self.wait_for_count(".skeleton", 0).await;
    }

    /// Takes the browser off the network (or back on), as a lost Wi-Fi would: requests fail,
    /// `navigator.onLine` turns false, and `offline`/`online` events fire.
    pub async fn set_offline(&self, offline: bool) {
        self.client
            .issue_cmd(Chromedriver {
                path: "chromium/network_conditions",
                body: json!({"network_conditions": {"offline": offline, "latency": 0, "download_throughput": -1, "upload_throughput": -1}}),
            })
            .await
            .expect("chromedriver network conditions");
    }

    /// Runs a Chrome DevTools Protocol command (`Memory.getDOMCounters`, say) through
    /// chromedriver, and gives its result.
    pub async fn devtools(&self, command: &'static str, params: Value) -> Value {
        self.client
            .issue_cmd(Chromedriver {
                path: "goog/cdp/execute",
                body: json!({"cmd": command, "params": params}),
            })
            .await
            .unwrap_or_else(|e| panic!("DevTools {command}: {e}"))
    }

    /// Makes requests to URLs matching any of `patterns` (`*split_team-*`) fail as a lost
    /// download would; an empty list lets everything through again.
    pub async fn block_urls(&self, patterns: &[&str]) {
        self.devtools("Network.enable", json!({})).await;
        self.devtools("Network.setBlockedURLs", json!({ "urls": patterns }))
            .await;
    }

    /// Slows every request down: `latency_ms` more per request, and at most this many bytes
    /// a second each way.
    pub async fn throttle_network(&self, latency_ms: u64, down_bytes_s: u64, up_bytes_s: u64) {
        self.devtools("Network.enable", json!({})).await;
        self.devtools(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": latency_ms,
                "downloadThroughput": down_bytes_s,
                "uploadThroughput": up_bytes_s,
            }),
        )
        .await;
    }

    /// Waits until the page's waiting notice (offline, rate-limited) is gone.
    pub async fn wait_for_notice_to_go(&self, what: &str) {
        eventually(
            async || {
                self.execute("return document.querySelector('.banner').textContent;")
                    .await
                    == ""
            },
            what,
        )
        .await;
    }

    /// Waits until the browser has exactly `n` windows (a popup closed itself, say).
    pub async fn wait_for_windows(&self, n: usize) {
        eventually(
            async || self.client.windows().await.map(|w| w.len()).unwrap_or(0) == n,
            "the window count",
        )
        .await;
    }
}

impl Browser {
    /// What went wrong in the page's scripts so far (in every page this browser showed): the
    /// app's crashes (a panic stops the wasm: an uncaught error, and the banner's mark on the
    /// page on show; a debug build also logs the panic's message) and any other uncaught
    /// exception or rejection. A failed network request is not one: tests make those on purpose.
    pub async fn script_errors(&self) -> Vec<String> {
        let mut errors = self.panic_marks().await;
        let entries = self
            .client
            .issue_cmd(Chromedriver {
                path: "se/log",
                body: json!({"type": "browser"}),
            })
            .await
            .expect("chromedriver's browser log");
        for entry in entries.as_array().into_iter().flatten() {
            let message = entry["message"].as_str().unwrap_or_default();
            if message.contains("oncall panicked") || message.contains("Uncaught") {
                errors.push(message.to_string());
            }
        }
        errors
    }

    /// The crash banner's mark on the page on show now (it survives a cleared console).
    async fn panic_marks(&self) -> Vec<String> {
        let marked = self
            .client
            .execute(
                "return document.body && document.body.dataset.panicked || null;",
                vec![],
            )
            .await;
        match marked {
            Ok(Value::Null) | Err(_) => vec![],
            Ok(_) => vec!["the page shows the panic banner".into()],
        }
    }
}

impl Drop for Browser {
    /// Fails the test if the page panicked or threw (unless it is failing already), then ends
    /// the WebDriver session (chromedriver then quits Chromium) and chromedriver's whole
    /// process group: no browser outlives its test.
    fn drop(&mut self) {
        let client = self.client.clone();
        let mut errors = Vec::new();
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            tokio::task::block_in_place(|| {
                handle.block_on(async {
                    if !std::thread::panicking() {
                        errors = self.script_errors().await;
                    }
                    let _ = tokio::time::timeout(Duration::from_secs(5), client.close()).await;
                })
            });
        }
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.driver.start_kill();
        assert!(
            errors.is_empty(),
            "the page panicked or threw during the test: {errors:#?}"
        );
    }
}

/// One of chromedriver's own commands, `POST /session/{id}/{path}` with a JSON body: the
/// browser's console (`se/log`), a DevTools command (`goog/cdp/execute`), network conditions
/// (`chromium/network_conditions`); fantoccini has no method for these.
#[derive(Debug)]
struct Chromedriver {
    path: &'static str,
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Chromedriver {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

fn clicked(result: Result<(), fantoccini::error::CmdError>, what: &str) {
    match result {
        Ok(_) => {}
        Err(error) if cut_short(&error) => {}
        Err(error) => panic!("cannot click {what}: {error}"),
    }
}

/// Whether a WebDriver command failed only because a page load replaced the page under it.
/// The element was removed from the page after it was found (the view drew it again).
fn stale(error: &fantoccini::error::CmdError) -> bool {
    matches!(
        error,
        fantoccini::error::CmdError::Standard(e)
            if e.error == fantoccini::error::ErrorStatus::StaleElementReference
    )
}

fn cut_short(error: &fantoccini::error::CmdError) -> bool {
    let text = format!("{error:?} {error}");
    text.contains("aborted by navigation") || text.contains("target frame detached")
}

/// Polls `check` until it holds, for up to [`STEP`]; panics naming `what` otherwise.
pub async fn eventually(check: impl AsyncFnMut() -> bool, what: &str) {
    eventually_within(STEP, check, what).await;
}

/// [`eventually`], for up to `limit` (a handover a minute away, say).
pub async fn eventually_within(limit: Duration, mut check: impl AsyncFnMut() -> bool, what: &str) {
    let deadline = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
}

/// A free port on 127.0.0.1, for a server a test starts and that binds it later (nginx, a
/// file server, chromedriver, a site the fake serves).
///
/// Not one the kernel picks for `bind(…:0)`: that port is free again at once, and a server
/// started meanwhile with port 0 (the fake's own, another test's) may be given it; nginx then
/// failed to listen and the test talked to the other server (a 404 from the fake where nginx
/// would have served the page, once in five runs of the suite). The ports here are below the
/// kernel's ephemeral range, which hands out those, and a counter keeps two tests of this
/// process from choosing the same one.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    const LOWEST: u32 = 20_000;
    // The kernel's ephemeral range starts at 32768 unless configured otherwise.
    let ephemeral = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse::<u32>().ok())
        .unwrap_or(32_768)
        .max(LOWEST + 1_000);
    let span = ephemeral - LOWEST;
    // A start that differs between runs, so that a port a finished run left in TIME_WAIT is
    // not the first one tried.
    let _ = NEXT.compare_exchange(
        0,
        1 + std::process::id() % span,
        Ordering::SeqCst,
        Ordering::SeqCst,
    );
    for _ in 0..span {
        let port = (LOWEST + NEXT.fetch_add(1, Ordering::SeqCst) % span) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port below {ephemeral}");
}

/// One built file's size: raw, gzip -9 and brotli -q 11.
pub struct AssetSize {
    pub name: String,
    /// Whether the page downloads it to start: everything but the split modules (the wasm
    /// files beside the main `oncall-<hash>_bg.wasm`: `split_<view>-<hash>.wasm`, and
    /// `chunk_<n>-<hash>.wasm` for code several views share) and their digests
    /// (`modules-<hash>.json`), which arrive when needed.
    pub first_load: bool,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// The sizes of everything the site serves (`dist/`), largest first.
pub fn asset_sizes() -> Vec<AssetSize> {
    use std::io::Write;
    let mut sizes: Vec<AssetSize> = std::fs::read_dir(dist())
        .expect("dist")
        .flatten()
        .filter(|e| e.path().is_file())
        // The precompressed copies are the same files, not more download.
        .filter(|e| {
            !matches!(
                e.path().extension().and_then(|x| x.to_str()),
                Some("br" | "gz")
            )
        })
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("read");
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&bytes).expect("gzip");
            let gzip = gz.finish().expect("gzip").len();
            let mut br = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: 11,
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).expect("brotli");
            let name = e.file_name().to_string_lossy().into_owned();
            AssetSize {
                first_load: !((name.ends_with(".wasm") && !name.starts_with("oncall-"))
                    || (name.starts_with("modules-") && name.ends_with(".json"))),
                name,
                raw: bytes.len(),
                gzip,
                brotli: br.len(),
            }
        })
        .collect();
    sizes.sort_by_key(|s| std::cmp::Reverse(s.raw));
    sizes
}
