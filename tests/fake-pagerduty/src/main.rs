//! The demo: the fake PagerDuty serving the built app on fixed loopback ports.

use fake_pagerduty::{data::Size, FakePagerDuty, Fallback, Options};
use std::path::PathBuf;

const USAGE: &str = "usage: fake-pagerduty [--dist DIR] [--app-port N] [--identity-port N] [--api-port N] [--users N] [--big-team N] [--dense-shifts N] [--dense-v3-shifts N] [--policies N] [--services N] [--tls] [--no-preflight-max-age] [--write] [--latency-ms N] [--base-path /tools/oncall/] [--fallback index|none|FILE]";

fn main() {
    if let Err(message) = run() {
        eprintln!("fake-pagerduty: {message}\n{USAGE}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut options = Options {
        dist: Some(PathBuf::from("dist")),
        app_port: 8080,
        identity_port: 8081,
        api_port: 8082,
        ..Options::default()
    };
    let mut size = Size::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        if flag == "--write" {
            options.scope = Some("write".into());
            continue;
        }
        if flag == "--tls" {
            options.tls = true;
            continue;
        }
        if flag == "--no-preflight-max-age" {
            options.preflight_max_age = false;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag} takes a number, not {value:?}"))
        };
        match flag.as_str() {
            "--dist" => options.dist = Some(PathBuf::from(&value)),
            "--app-port" => options.app_port = number()? as u16,
            "--identity-port" => options.identity_port = number()? as u16,
            "--api-port" => options.api_port = number()? as u16,
            "--users" => size.users = number()? as usize,
            "--big-team" => size.big_team = number()? as usize,
            "--second-team" => size.second_team = number()? as usize,
            "--dense-shifts" => size.dense_shifts = number()? as usize,
            "--dense-v3-shifts" => size.dense_v3_shifts = number()? as usize,
            "--policies" => size.policies = number()? as usize,
            "--services" => size.services = number()? as usize,
            "--latency-ms" => options.faults.latency_ms = number()?,
            "--base-path" => options.base_path = value.clone(),
            // What the host answers for an unknown path: index.html (nginx), nothing (a plain
            // file server, where the app writes views after a `#`), or a file such as GitHub
            // Pages' 404.html.
            "--fallback" => {
                options.fallback = match value.as_str() {
                    "index" => Fallback::IndexHtml,
                    "none" => Fallback::None,
                    file => Fallback::NotFoundPage(file.to_string()),
                }
            }
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    options.size = size;
    if let Some(dist) = &options.dist {
        if !dist.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html: build the app first (trunk build --release --offline)",
                dist.display()
            ));
        }
    }
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let fake = FakePagerDuty::start(options)
            .await
            .map_err(|e| format!("could not start: {e}"))?;
        println!("Fake PagerDuty is running.");
        println!("  App:       {}", fake.app_url);
        println!("  Identity:  {}", fake.identity_url);
        println!("  API:       {}", fake.api_url);
        println!(
            "Open {} and sign in as {} with any password. Ctrl-C stops.",
            fake.app_url,
            fake.demo_email()
        );
        tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
        Ok(())
    })
}
