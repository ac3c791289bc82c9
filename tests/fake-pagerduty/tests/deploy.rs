//! End to end: the README's nginx recipe, run for real with Debian's nginx on loopback,
//! serving the build under a sub-path with the strict CSP on.

mod harness;

use fake_pagerduty::Options;
use harness::{dist, Browser, Fake};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The nginx server block the README documents, as written there.
fn readme_recipe() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README.md");
    let after = readme
        .split("<!-- tested-nginx-recipe -->")
        .nth(1)
        .expect("the README marks its nginx recipe");
    let block = after.split("```nginx").nth(1).expect("an nginx block");
    block
        .split("```")
        .next()
        .expect("a closed block")
        .to_string()
}

struct Nginx {
    child: tokio::process::Child,
    dir: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("site folder");
    for entry in std::fs::read_dir(from).expect("dist").flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

async fn start_nginx(port: u16, fake: &Fake) -> Nginx {
    let dir = std::env::temp_dir().join(format!("oncall-nginx-{}-{port}", std::process::id()));
    let site = dir.join("www/tools/oncall");
    copy_dir(&dist(), &site);
    let config = serde_json::json!({
        "client_id": fake.client_id,
        "identity_base_url": fake.identity_url,
        "api_base_url": fake.api_url,
    });
    std::fs::write(site.join("config.json"), config.to_string()).expect("config.json");
    let recipe = readme_recipe()
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
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Nginx { child, dir };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "nginx did not listen: {}",
        std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
    );
}

/// A GET over plain HTTP/1.0: status and lower-cased headers.
async fn get(port: u16, path: &str) -> (u16, Vec<(String, String)>) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    stream
        .write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .await
        .expect("request");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nginx_recipe_serves_the_site_under_a_sub_path_with_the_strict_csp() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let site = format!("http://127.0.0.1:{port}/tools/oncall/");
    let fake = Fake::start_with(Options {
        extra_sites: vec![site.clone()],
        ..Options::default()
    })
    .await;
    let _nginx = start_nginx(port, &fake).await;

    let (status, headers) = get(port, "/tools/oncall/team?id=PT00000").await;
    assert_eq!(status, 200, "a deep link falls back to the app");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    assert!(header(&headers, "content-security-policy")
        .contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert_eq!(header(&headers, "content-type"), "text/html");
    let (_, headers) = get(port, "/tools/oncall/config.json").await;
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    let wasm = std::fs::read_dir(dist())
        .expect("dist")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".wasm"))
        .expect("a wasm file");
    let (status, headers) = get(port, &format!("/tools/oncall/{wasm}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&headers, "content-type"), "application/wasm");

    let browser = Browser::open().await;
    browser.goto(&site).await;
    browser.click_button("Sign in with PagerDuty").await;
    browser.click("#approve").await;
    browser.wait_for_text(".user-name", &fake.demo_name()).await;
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
    browser.assert_no_panic().await;
}
