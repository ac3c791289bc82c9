//! End to end, the deploy guide's recipes (`docs/deploy.md`): nginx, run for real with Debian's nginx on loopback
//! under a sub-path with the strict CSP on; a plain file server (Python's `http.server`, for
//! real), where views go after a `#`; and GitHub Pages' `404.html` copy, on the fake's host
//! answering unknown paths the way Pages does.

use fake_pagerduty::{Fallback, Options};
use oncall_e2e::{dist, docs_block, free_port, signed_in, signed_in_with, Browser, Fake};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A block of the deploy guide (see [`docs_block`]).
fn guide_block(marker: &str, language: &str) -> String {
    docs_block("deploy.md", marker, language)
}

/// The nginx server block the deploy guide documents.
fn nginx_recipe() -> String {
    guide_block("<!-- tested-nginx-recipe -->", "nginx")
}

/// The name of the built wasm file (hashed).
fn wasm_file() -> String {
    built_file(|n| n.starts_with("oncall-") && n.ends_with("_bg.wasm"))
}

/// A split module's file name (a view's code, arriving when needed).
fn split_module_file() -> String {
    built_file(|n| n.starts_with("split_") && n.ends_with(".wasm"))
}

fn built_file(matching: impl Fn(&str) -> bool) -> String {
    std::fs::read_dir(dist())
        .expect("dist")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| matching(n))
        .expect("a built file of that kind")
}

/// A web server run for a test, and the folder it serves; both go when it is dropped.
struct Server {
    child: tokio::process::Child,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Puts the built site in `site`, with a `config.json` pointing at the fake, as a deployer
/// would.
fn publish(site: &Path, fake: &Fake) {
    copy_dir(&dist(), site);
    let config = serde_json::json!({
        "client_id": fake.client_id,
        "identity_base_url": fake.identity_url,
        "api_base_url": fake.api_url,
    });
    std::fs::write(site.join("config.json"), config.to_string()).expect("config.json");
}

/// Whether something listens on `port` within five seconds.
async fn listening(port: u16) -> bool {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("site folder");
    for entry in std::fs::read_dir(from).expect("dist").flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

async fn start_nginx(port: u16, fake: &Fake) -> Server {
    let dir = std::env::temp_dir().join(format!("oncall-nginx-{}-{port}", std::process::id()));
    publish(&dir.join("www/tools/oncall"), fake);
    let recipe = nginx_recipe()
        .replace("listen 8080;", &format!("listen 127.0.0.1:{port};"))
        .replace(
            "root /srv/www;",
            &format!("root {};", dir.join("www").display()),
        )
        .replace("https://identity.pagerduty.com", &fake.identity_url)
        .replace("https://api.pagerduty.com", &fake.api_url)
        .replace(
            "frame-ancestors 'self'\"",
            &format!(
                "frame-ancestors 'self'; report-uri {}_csp-report\"",
                fake.app_url
            ),
        );
    assert!(
        recipe.contains(&fake.identity_url),
        "the recipe's hosts were found and replaced"
    );
    let temp = |name: &str| dir.join(name).display().to_string();
    let conf = format!(
        "pid {pid};\nerror_log {err};\nevents {{}}\nhttp {{\n include /etc/nginx/mime.types;\n access_log off;\n \
         client_body_temp_path {t}/body; proxy_temp_path {t}/proxy; fastcgi_temp_path {t}/fastcgi;\n \
         uwsgi_temp_path {t}/uwsgi; scgi_temp_path {t}/scgi;\n{recipe}\n}}\n",
        pid = temp("nginx.pid"),
        err = temp("error.log"),
        t = dir.display(),
    );
    std::fs::write(dir.join("nginx.conf"), conf).expect("nginx.conf");
    let child = tokio::process::Command::new(
        std::env::var("NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".into()),
    )
    .arg("-c")
    .arg(dir.join("nginx.conf"))
    .args(["-g", "daemon off;"])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .kill_on_drop(true)
    .spawn()
    .expect("nginx starts (apt-get install nginx)");
    if listening(port).await {
        return Server { child, dir };
    }
    panic!(
        "nginx did not listen: {}",
        std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
    );
}

/// A GET over plain HTTP/1.0: status and lower-cased headers.
async fn get(port: u16, path: &str) -> (u16, Vec<(String, String)>) {
    request(
        port,
        &format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"),
    )
    .await
}

/// A GET as a browser sends it (HTTP/1.1, accepting gzip), closing after the answer.
async fn get_compressed(port: u16, path: &str) -> (u16, Vec<(String, String)>) {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"),
    )
    .await
}

async fn request(port: u16, request: &str) -> (u16, Vec<(String, String)>) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    stream.write_all(request.as_bytes()).await.expect("request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("response");
    let text = String::from_utf8_lossy(&raw);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

/// A free port for a web server under test, the site's address on it (`/tools/oncall/`), and
/// a fake PagerDuty that has that address registered as a redirect URI.
async fn fake_for_site() -> (u16, String, Fake) {
    let port = free_port();
    let site = format!("http://127.0.0.1:{port}/tools/oncall/");
    let fake = Fake::start_with(Options {
        extra_sites: vec![site.clone()],
        ..Options::default()
    })
    .await;
    (port, site, fake)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nginx_recipe_serves_the_site_under_a_sub_path_with_the_strict_csp() {
    let (port, site, fake) = fake_for_site().await;
    let _nginx = start_nginx(port, &fake).await;

    let (status, headers) = get(port, "/tools/oncall/team?id=PT00000").await;
    assert_eq!(status, 200, "a deep link falls back to the app");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    assert!(header(&headers, "content-security-policy")
        .contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert_eq!(header(&headers, "content-type"), "text/html");
    let (_, headers) = get(port, "/tools/oncall/config.json").await;
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    let wasm = wasm_file();
    let (status, headers) = get(port, &format!("/tools/oncall/{wasm}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&headers, "content-type"), "application/wasm");
    let (status, headers) = get(port, &format!("/tools/oncall/{}", split_module_file())).await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "cache-control"),
        "public, max-age=31536000, immutable",
        "a split module is hashed and cached like the rest"
    );
    let digests = built_file(|n| n.starts_with("modules-") && n.ends_with(".json"));
    let (status, headers) = get(port, &format!("/tools/oncall/{digests}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "cache-control"),
        "public, max-age=31536000, immutable",
        "the split modules' digests are hashed and cached like the rest"
    );
    let (_, headers) = get_compressed(port, &format!("/tools/oncall/{wasm}")).await;
    assert_eq!(
        header(&headers, "content-encoding"),
        "gzip",
        "the wasm travels compressed"
    );
    let precompressed = std::fs::metadata(dist().join(format!("{wasm}.gz")))
        .expect("the build's gzip copy")
        .len();
    assert_eq!(
        header(&headers, "content-length"),
        precompressed.to_string(),
        "the build's gzip -9 copy is sent as it is (gzip_static)"
    );

    let browser = Browser::open().await;
    browser.sign_in_at(&site, &fake).await;
    assert_eq!(browser.url().await, site);
    browser
        .goto(&format!("{site}schedule?id=PS00000&span=week"))
        .await;
    browser.wait_for(".timeline .final .shift").await;
    browser.refresh().await;
    browser
        .wait_for_text("#schedule-heading", "Platform Primary")
        .await;
    browser
        .click("nav.primary-nav a[href^='/tools/oncall/teams']")
        .await;
    browser.wait_for_text("ul.cards", "Platform").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        fake.csp_reports(),
        Vec::<String>::new(),
        "no CSP violations under nginx"
    );
}

/// `python3 -m http.server` serving a copy of the site under `/tools/oncall/`: no fallback, no
/// headers, as the deploy guide's "any plain file server" recipe describes.
async fn start_file_server(port: u16, fake: &Fake) -> Server {
    start_file_server_with(port, fake, &["tools/oncall"]).await
}

/// [`start_file_server`] with a copy of the site in each of `folders`.
async fn start_file_server_with(port: u16, fake: &Fake, folders: &[&str]) -> Server {
    let dir = std::env::temp_dir().join(format!("oncall-plain-{}-{port}", std::process::id()));
    for folder in folders {
        publish(&dir.join(folder), fake);
    }
    let child =
        tokio::process::Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()))
            .args(["-m", "http.server", "--bind", "127.0.0.1", "--directory"])
            .arg(&dir)
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 starts (apt-get install python3)");
    assert!(
        listening(port).await,
        "python3 -m http.server did not listen on {port}"
    );
    Server { child, dir }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_plain_file_server_views_go_after_a_hash_and_reload_and_go_back() {
    let (port, site, fake) = fake_for_site().await;
    let _server = start_file_server(port, &fake).await;
    let (status, _) = get(port, "/tools/oncall/teams").await;
    assert_eq!(status, 404, "the host has no fallback to index.html");

    let browser = Browser::open().await;
    browser.sign_in_at(&site, &fake).await;
    assert_eq!(browser.url().await, site, "home is the folder itself");
    // Set on this document only: still there after a click means no page load happened.
    browser.execute("window.sameDocument = true;").await;

    browser
        .click("nav.primary-nav a[href^='/tools/oncall/#/teams']")
        .await;
    browser.wait_for_text("ul.cards", "Platform").await;
    assert_eq!(browser.url().await, format!("{site}#/teams"));
    assert_eq!(
        browser
            .execute("return [document.title, document.activeElement.id];")
            .await,
        serde_json::json!(["Teams · On call · PagerDuty", "main"]),
        "the title names the view and the focus starts at its content"
    );
    browser.click("ul.cards a[href*='id=PT00000']").await;
    browser.wait_for("table.members tbody tr.member").await;
    let team = format!("{site}#/team?id=PT00000");
    assert_eq!(browser.url().await, team);
    assert_eq!(
        browser
            .execute("return window.sameDocument === true;")
            .await,
        serde_json::json!(true),
        "links change the view without loading the page"
    );

    browser.refresh().await;
    browser.wait_for("table.members tbody tr.member").await;
    assert_eq!(browser.url().await, team, "a reload keeps the view");
    browser.back().await;
    browser.wait_for_text("ul.cards", "Platform").await;
    assert_eq!(browser.url().await, format!("{site}#/teams"));
    browser.execute("history.forward();").await;
    browser.wait_for("table.members tbody tr.member").await;
    assert_eq!(browser.url().await, team);

    // A shared link to a view, opened signed out: signing in lands on that view.
    let other = Browser::open().await;
    let schedule = format!("{site}#/schedule?id=PS00000&span=day");
    other.goto(&schedule).await;
    other.click_button("Sign in with PagerDuty").await;
    other.click("#approve").await;
    other
        .wait_for_text("#schedule-heading", "Platform Primary")
        .await;
    assert_eq!(other.url().await, schedule);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_deployments_on_one_origin_never_share_a_session() {
    let port = free_port();
    let (a, b) = (
        format!("http://127.0.0.1:{port}/a/oncall/"),
        format!("http://127.0.0.1:{port}/b/oncall/"),
    );
    let fake = Fake::start_with(Options {
        extra_sites: vec![a.clone(), b.clone()],
        ..Options::default()
    })
    .await;
    let _server = start_file_server_with(port, &fake, &["a/oncall", "b/oncall"]).await;

    let browser = Browser::open().await;
    browser.sign_in_at(&a, &fake).await;
    // The same tab, the same origin, another deployment: it has no session of its own.
    browser.goto(&b).await;
    browser
        .wait_for_text(oncall_e2e::SIGN_IN_BUTTON, "Sign in with PagerDuty")
        .await;
    assert_eq!(browser.count(".user-name").await, 0);
    // And signing in there leaves the first one's session alone.
    browser.click_button("Sign in with PagerDuty").await;
    browser.click("#approve").await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    browser.goto(&a).await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
    assert_eq!(fake.live_access_tokens(), 2, "one session per deployment");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_github_pages_404_copy_views_keep_clean_paths_and_deep_links_reload() {
    // The recipe: the published folder gets a copy of index.html named 404.html.
    let dir = std::env::temp_dir().join(format!("oncall-pages-{}", std::process::id()));
    copy_dir(&dist(), &dir);
    std::fs::copy(dir.join("index.html"), dir.join("404.html")).expect("404.html");
    let (fake, browser) = signed_in_with(Options {
        dist: Some(dir.clone()),
        fallback: Fallback::NotFoundPage("404.html".into()),
        base_path: "/tools/oncall/".into(),
        ..Options::default()
    })
    .await;
    browser
        .click("nav.primary-nav a[href^='/tools/oncall/teams']")
        .await;
    browser.wait_for_text("ul.cards", "Platform").await;
    assert_eq!(browser.url().await, fake.app("/teams"), "no # needed here");

    let team = fake.app("/team?id=PT00000");
    browser.goto(&team).await;
    browser.wait_for("table.members tbody tr.member").await;
    browser.refresh().await;
    browser.wait_for("table.members tbody tr.member").await;
    assert_eq!(browser.url().await, team, "a deep link reloads");
    drop(fake);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_view_written_either_way_opens_and_is_rewritten_the_way_the_site_writes_views() {
    let (fake, browser) = signed_in().await;
    // A link from a hash-writing site, opened where the host falls back: shown, then written
    // as a path.
    browser.goto(&fake.app("/#/team?id=PT00000")).await;
    browser.wait_for("table.members tbody tr.member").await;
    assert_eq!(browser.url().await, fake.app("/team?id=PT00000"));

    // config.json can insist on hash addresses, even on such a host.
    fake.set_config_json(
        &serde_json::json!({
            "client_id": fake.client_id,
            "identity_base_url": fake.identity_url,
            "api_base_url": fake.api_url,
            "routing": "hash",
        })
        .to_string(),
    );
    browser.goto(&fake.app("/teams?tz=UTC")).await;
    browser.wait_for_text("ul.cards", "Platform").await;
    assert_eq!(browser.url().await, fake.app("/#/teams?tz=UTC"));
    browser.click("ul.cards a[href*='id=PT00000']").await;
    browser.wait_for("table.members tbody tr.member").await;
    assert_eq!(browser.url().await, fake.app("/#/team?id=PT00000&tz=UTC"));
}

#[test]
fn the_cloudfront_function_answers_views_with_the_page_and_leaves_files_alone() {
    let page = "/tools/oncall/index.html";
    let wasm_path = format!("/tools/oncall/{}", wasm_file());
    let cases = [
        ("/tools/oncall/", page),
        ("/tools/oncall", "301 /tools/oncall/"),
        ("/tools/oncall/team", page),
        ("/tools/oncall/schedules", page),
        ("/tools/oncall/index.html", page),
        ("/tools/oncall/config.json", "/tools/oncall/config.json"),
        (wasm_path.as_str(), wasm_path.as_str()),
        ("/elsewhere/page", "/elsewhere/page"),
        ("/tools/oncallx/team", "/tools/oncallx/team"),
    ];
    let uris: Vec<&str> = cases.iter().map(|(uri, _)| *uri).collect();
    // CloudFront calls `handler` with the viewer request (the query travels separately); it
    // returns the request, maybe rewritten, or a response.
    let script = format!(
        "{}\nconst uris = {};\nconsole.log(JSON.stringify(uris.map(uri => {{ const r = handler({{request: {{uri, querystring: {{}}}}}}); return r.statusCode ? r.statusCode + ' ' + r.headers.location.value : r.uri; }})));",
        guide_block("<!-- tested-cloudfront-function -->", "js"),
        serde_json::to_string(&uris).expect("json"),
    );
    let output =
        std::process::Command::new(std::env::var("NODE").unwrap_or_else(|_| "node".into()))
            .args(["-e", &script])
            .output()
            .expect("node runs (it comes with npm, which .ci/setup uses)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answered: Vec<String> =
        serde_json::from_slice(&output.stdout).expect("the function's answers");
    for ((uri, expected), got) in cases.iter().zip(&answered) {
        assert_eq!(got, expected, "{uri}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_and_the_hosts_answer_are_asked_for_once_while_the_wasm_downloads() {
    // The loader asks for both before the wasm starts; the page takes its answers. Were they
    // not taken, the page would ask again and each would be counted twice.
    let fake = Fake::start().await;
    let browser = Browser::open().await;
    let asked = async |name: &str| {
        browser
            .execute(&format!("return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname.endsWith('/{name}')).length;"))
            .await
    };
    browser.goto(&fake.app_url).await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    assert_eq!(asked("config.json").await, 1);
    assert_eq!(
        asked("schedules").await,
        1,
        "a tab's first visit asks the host"
    );
    browser.refresh().await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    assert_eq!(asked("config.json").await, 1);
    assert_eq!(
        asked("schedules").await,
        0,
        "the tab keeps the host's answer"
    );
    // Loaded from an inner path, the page knows the host's answer without asking.
    browser.clear_session_storage().await;
    browser.goto(&fake.app("/teams")).await;
    browser.wait_for(oncall_e2e::SIGN_IN_BUTTON).await;
    assert_eq!(asked("config.json").await, 1);
    assert_eq!(asked("schedules").await, 0);
    assert_eq!(browser.script_errors().await, Vec::<String>::new());
}
