//! End-to-end tests in headless Chromium (Debian's `chromium`, driven by playwright-core from
//! `tests/browser/`). They are ignored by a plain `cargo test`, which needs only a Rust
//! toolchain; `cargo test -- --include-ignored` runs them (as `.ci/run` does), and then a
//! missing node, Chromium or playwright-core fails them: they never pass without running.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::server::Server;
use common::*;

/// Panics, saying what is missing and how to get it, unless node, Chromium and
/// playwright-core are all here.
fn require_browser() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let playwright = repo_root().join("tests/browser/node_modules/playwright-core");
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node (apt-get install nodejs)".to_owned());
    }
    if !Path::new(&chromium).exists() {
        missing.push(format!(
            "Chromium at {chromium} (apt-get install chromium, or set CHROMIUM)"
        ));
    }
    if !playwright.is_dir() {
        missing.push(format!(
            "{} (run `npm ci` in tests/browser)",
            playwright.display()
        ));
    }
    assert!(
        missing.is_empty(),
        "the browser tests cannot run: missing {}",
        missing.join("; ")
    );
}

fn node(script: &str, args: &[&str]) {
    let output = Command::new("node")
        .arg(repo_root().join("tests/browser").join(script))
        .args(args)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    println!("{out}");
    assert!(output.status.success(), "{script} failed:\n{out}\n{err}");
}

#[test]
#[ignore = "needs Chromium (apt-get install chromium) and `npm ci` in tests/browser; .ci/run runs it"]
fn a_vendor_page_in_chromium_follows_edits_without_a_click() {
    require_browser();
    let site = fixture_copy("good");
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::write(
        site.path().join("static/style.css"),
        "body { color: rgb(1, 2, 3); }",
    )
    .unwrap();
    let server = Server::start(site.path(), &[]);
    node(
        "live_reload.mjs",
        &[&server.url, site.path().to_str().unwrap()],
    );
}

/// A copy of the shipped site (the repository's data/) in a temporary root.
fn shipped_site_copy() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("data"), &root.path().join("data"));
    root
}

#[test]
#[ignore = "needs Chromium (apt-get install chromium) and `npm ci` in tests/browser; .ci/run runs it"]
fn the_site_sorts_filters_calculates_and_passes_axe_in_chromium() {
    require_browser();
    let site = shipped_site_copy();
    let server = Server::start_on_day(site.path(), SHIPPED_TODAY_EPOCH, &[]);
    node("site.mjs", &[&server.url]);
}
