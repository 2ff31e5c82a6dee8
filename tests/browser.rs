//! End-to-end tests in headless Chromium (Debian's `chromium`, driven by playwright-core from
//! `tests/browser/`). `.ci/run` installs both; elsewhere a missing browser skips these tests
//! with a note, but under CI (CI=true) it fails them.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::server::Server;
use common::*;

/// Whether the browser tests can run here; panics under CI when they cannot.
fn browser_available() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_modules = repo_root().join("tests/browser/node_modules/playwright-core");
    let node = Command::new("node").arg("--version").output().is_ok();
    let ready = Path::new(&chromium).exists() && node_modules.is_dir() && node;
    if !ready {
        let why = format!(
            "browser tests need node, {chromium} and `npm ci` in tests/browser \
             (node: {node}, chromium: {}, playwright-core: {})",
            Path::new(&chromium).exists(),
            node_modules.is_dir()
        );
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("skipped: {why}");
    }
    ready
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
fn a_vendor_page_in_chromium_follows_edits_without_a_click() {
    if !browser_available() {
        return;
    }
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
fn the_site_sorts_filters_calculates_and_passes_axe_in_chromium() {
    if !browser_available() {
        return;
    }
    let site = shipped_site_copy();
    let server = Server::start_on_day(site.path(), SHIPPED_TODAY_EPOCH, &[]);
    node("site.mjs", &[&server.url]);
}
