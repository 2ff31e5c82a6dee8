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

#[test]
#[ignore = "needs Chromium (apt-get install chromium) and `npm ci` in tests/browser; .ci/run runs it"]
fn the_buyers_view_shows_the_generators_figures_at_any_team_size_in_chromium() {
    require_browser();
    let site = shipped_site_copy();
    // The generator computes its figures at the site's team sizes, so the test gives the site
    // the sizes it checks the browser at: the first stays 50, then 1, the seats of the stack
    // test, every seat minimum of the catalogue and the sizes either side, 1,000, 100,000.
    let mut sizes: Vec<u32> = vec![50, 1, 120, 40, 9, 7, 100, 200, 1000, 100_000];
    for minimum in seat_minimums(&site.path().join("data/vendors")) {
        sizes.extend([minimum - 1, minimum, minimum + 1]);
    }
    let mut seen = std::collections::HashSet::new();
    sizes.retain(|n| *n >= 1 && seen.insert(*n));
    let config = site.path().join("data/site.yaml");
    let text = fs::read_to_string(&config).unwrap();
    let list: Vec<String> = sizes.iter().map(u32::to_string).collect();
    let text = text.replace(
        "team_sizes: [50, 100, 200]",
        &format!("team_sizes: [{}]", list.join(", ")),
    );
    assert!(
        text.contains(&list.join(", ")),
        "site.yaml has no team_sizes line to replace"
    );
    // One page holds the whole catalogue, whose every row the test compares at every size;
    // paging is the large-catalogue test's.
    let text = text + "paginate_by: 1000\n";
    fs::write(&config, text).unwrap();
    let server = Server::start_on_day(site.path(), SHIPPED_TODAY_EPOCH, &[]);
    node(
        "buyer.mjs",
        &[&server.url, site.path().join("site").to_str().unwrap()],
    );
}

#[test]
#[ignore = "needs Chromium (apt-get install chromium) and `npm ci` in tests/browser; .ci/run runs it"]
fn a_large_catalogue_sorts_filters_and_pages_in_chromium_as_the_generator_lists_it() {
    require_browser();
    let site = tempfile::tempdir().unwrap();
    // 2,000 generated vendors: 20 pages of the index, as many of each provider's page.
    scimfacts::synthetic::generate(2_000, site.path(), 7).unwrap();
    let config = site.path().join("data/site.yaml");
    let text = fs::read_to_string(&config).unwrap();
    let text = text.replace("team_sizes: [50, 100, 200]", "team_sizes: [50, 120, 1000]");
    assert!(
        text.contains("[50, 120, 1000]"),
        "site.yaml has no team_sizes line"
    );
    fs::write(&config, text).unwrap();
    let server = Server::start_on_day(site.path(), SHIPPED_TODAY_EPOCH, &[]);
    node(
        "lists.mjs",
        &[&server.url, site.path().join("site").to_str().unwrap()],
    );
}

/// Every `min_seats` of the records below `folder`.
fn seat_minimums(folder: &Path) -> Vec<u32> {
    let mut minimums = Vec::new();
    for entry in fs::read_dir(folder).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        for part in text.split("min_seats:").skip(1) {
            let digits: String = part
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(n) = digits.parse::<u32>() {
                minimums.push(n);
            }
        }
    }
    minimums.sort_unstable();
    minimums.dedup();
    minimums
}
