//! `scimfacts build`, `check` and `new` run as a user runs them, on the fixture sites.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use scraper::{Html, Selector};

fn built_good_site() -> tempfile::TempDir {
    let site = fixture_copy("good");
    let output = run_in(site.path(), &["build"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    site
}

fn page(site: &Path, path: &str) -> String {
    read(site.join("site").join(path))
}

fn text_of(html: &str) -> String {
    let document = Html::parse_document(html);
    document.root_element().text().collect::<Vec<_>>().join(" ")
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn build_writes_every_page_and_prints_one_summary_line() {
    let site = fixture_copy("good");
    let output = run_in(site.path(), &["build"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = stdout(&output);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("built 6 records into 39 pages (48 files written) in "),
        "{out}"
    );
    assert!(out.trim_end().ends_with(" ms"), "{out}");
    for path in [
        "index.html",
        "404.html",
        "style.css",
        "table.js",
        "calculator.js",
        "list.js",
        "api/lists.js",
        "api/idps/okta.js",
        "idps/index.html",
        "idps/okta/index.html",
        "scim-tax/index.html",
        "categories/index.html",
        "categories/communication/index.html",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
        "api/vendors.json",
        "api/vendors/acme.json",
        "api/vendors.csv",
        ".scimfacts-site",
    ] {
        assert!(site.path().join("site").join(path).is_file(), "{path}");
    }
    for slug in ["acme", "flatco", "gated", "noscim", "mystery", "oldie"] {
        let file = site
            .path()
            .join("site/vendors")
            .join(slug)
            .join("index.html");
        assert!(file.is_file(), "{}", file.display());
    }
}

#[test]
fn quiet_build_prints_nothing_and_output_goes_where_asked() {
    let site = fixture_copy("good");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("public");
    let output = run_in(
        site.path(),
        &["build", "--quiet", "--output", target.to_str().unwrap()],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert!(target.join("vendors/acme/index.html").is_file());
    assert!(!site.path().join("site").exists());
}

#[test]
fn the_index_lists_every_vendor_by_name_and_every_link_resolves() {
    let site = built_good_site();
    let html = page(site.path(), "index.html");
    let document = Html::parse_document(&html);
    let rows = Selector::parse("table.comparison tbody tr th a").unwrap();
    let names: Vec<String> = document
        .select(&rows)
        .map(|a| a.text().collect::<String>())
        .collect();
    assert_eq!(
        names,
        [
            "Acme Chat",
            "FlatCo",
            "Gated Inc",
            "Mystery Soft",
            "NoScim",
            "Oldie"
        ]
    );
    assert_internal_links_resolve(&site.path().join("site"));
}

/// Every link of every page that stays on the site names a file of the output. Links are
/// relative to the page (or, on the 404 page, absolute from the site root).
fn assert_internal_links_resolve(output: &Path) {
    let links = Selector::parse("a[href], link[href]").unwrap();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page_dir = entry.path().parent().unwrap();
        let document = Html::parse_document(&read(entry.path()));
        for link in document.select(&links) {
            let href = link.value().attr("href").unwrap();
            if href.starts_with('#') || href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let path = href.split(['#', '?']).next().unwrap();
            let base = if path.starts_with('/') {
                output
            } else {
                page_dir
            };
            let mut target = normalize(&base.join(path.trim_start_matches('/')));
            if path.ends_with('/') || path.is_empty() || target.is_dir() {
                target = target.join("index.html");
            }
            assert!(
                target.starts_with(output) && target.is_file(),
                "{}: link {href} has no file ({})",
                entry.path().display(),
                target.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} internal links were checked");
}

fn normalize(path: &Path) -> std::path::PathBuf {
    let mut clean = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

#[test]
fn no_table_cell_is_ever_empty() {
    let site = built_good_site();
    let cells = Selector::parse("td, th").unwrap();
    for entry in walkdir::WalkDir::new(site.path().join("site")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let document = Html::parse_document(&read(entry.path()));
        for cell in document.select(&cells) {
            let text: String = cell.text().collect();
            assert!(
                !text.trim().is_empty(),
                "{}: empty cell {}",
                entry.path().display(),
                cell.html()
            );
        }
    }
}

#[test]
fn costs_and_premiums_are_computed_from_prices() {
    let site = built_good_site();
    let acme = squeeze(&text_of(&page(site.path(), "vendors/acme/index.html")));
    // Business at ~$20/user/month: 10 users → ~$200/month, ~$2,400/year.
    assert!(acme.contains("10 users Business ~$200 ~$2,400"), "{acme}");
    assert!(
        acme.contains("100 users Business ~$2,000 ~$24,000"),
        "{acme}"
    );
    // Pro at $8 is the cheapest paid tier: $20 is 150% more.
    assert!(
        acme.contains("150% more than the cheapest paid plan (Pro)"),
        "{acme}"
    );
    assert!(acme.contains("10 users ~$1,440 150%"), "{acme}");
    assert!(
        acme.contains("SSO comes with the cheapest paid plan (Pro)"),
        "{acme}"
    );

    let flatco = squeeze(&text_of(&page(site.path(), "vendors/flatco/index.html")));
    // Team bills at least 25 seats: 10 users pay for 25 × €15 × 12.
    assert!(flatco.contains("10 users Team €375 €4,500"), "{flatco}");
    assert!(flatco.contains("100 users Team €1,500 €18,000"), "{flatco}");
    assert!(flatco.contains("depends on team size"), "{flatco}");
    assert!(
        flatco.contains("€15/user/month (min. 25 seats)"),
        "{flatco}"
    );

    let gated = squeeze(&text_of(&page(site.path(), "vendors/gated/index.html")));
    assert!(
        gated.contains("SCIM requires the Enterprise plan, which has custom pricing"),
        "{gated}"
    );
    assert!(!gated.contains("$0"), "{gated}");

    let noscim = squeeze(&text_of(&page(site.path(), "vendors/noscim/index.html")));
    assert!(noscim.contains("does not offer SCIM"), "{noscim}");
}

#[test]
fn unknown_facts_say_unknown_and_freshness_is_shown() {
    let site = built_good_site();
    let mystery = squeeze(&text_of(&page(site.path(), "vendors/mystery/index.html")));
    assert!(mystery.contains("SCIM available? Unknown"), "{mystery}");
    assert!(mystery.contains("SSO protocols Unknown"), "{mystery}");
    assert!(mystery.contains("Last verified: Unverified"), "{mystery}");
    assert!(mystery.contains("lists no sources"), "{mystery}");
    // Sections with nothing in them are left out.
    for absent in [
        "Plans",
        "What SCIM costs",
        "The decision",
        "Supported identity providers",
    ] {
        assert!(
            !mystery.contains(absent),
            "{absent} should be left out: {mystery}"
        );
    }
    let oldie = squeeze(&text_of(&page(site.path(), "vendors/oldie/index.html")));
    assert!(oldie.contains("Stale checked 2024-01-15"), "{oldie}");
    let acme = squeeze(&text_of(&page(site.path(), "vendors/acme/index.html")));
    assert!(acme.contains("Last verified: 2026-05-01"), "{acme}");
    assert!(acme.contains("Acme pricing , checked 2026-05-01"), "{acme}");
}

#[test]
fn vendor_pages_show_every_section_the_record_has() {
    let site = built_good_site();
    let html = page(site.path(), "vendors/acme/index.html");
    for id in [
        "summary",
        "facts",
        "idps",
        "tiers",
        "cost",
        "limits",
        "sentiment",
        "decision",
        "specs",
        "setup",
        "setup-okta",
        "sources",
    ] {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "section {id} missing"
        );
    }
    // The IdP table links to the setup section of providers that have one.
    assert!(html.contains("href=\"#setup-okta\""));
    // Markdown: bold, links and tables render.
    assert!(html.contains("<strong>SCIM 2.0</strong>"));
    assert!(html.contains("<a href=\"https://acme.example.com/scim\">the docs</a>"));
    assert!(html.contains("<td>Admins</td>"));
    let document = Html::parse_document(&html);
    let h1 = Selector::parse("h1").unwrap();
    assert_eq!(document.select(&h1).count(), 1);
}

#[test]
fn check_reports_warnings_and_strict_makes_them_fail() {
    let site = fixture_copy("good");
    let output = run_in(site.path(), &["check"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("warning: data/vendors/oldie.yaml:3:11: verified: last verified 868 days ago"),
        "{err}"
    );
    assert!(err.contains("0 errors, 1 warning"), "{err}");
    assert!(!site.path().join("site").exists(), "check writes nothing");

    let strict = run_in(site.path(), &["check", "--strict"]);
    assert_eq!(code(&strict), 1, "{}", stderr(&strict));
}

#[test]
fn a_failed_build_leaves_the_previous_site_byte_for_byte() {
    let site = built_good_site();
    let before = snapshot_tree(&site.path().join("site"));
    let record = site.path().join("data/vendors/acme.yaml");
    let text = read(&record).replace("tier: Business", "tier: Busines");
    fs::write(&record, text).unwrap();

    let output = run_in(site.path(), &["build"]);
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains("previous site was left as it was"));
    assert_eq!(snapshot_tree(&site.path().join("site")), before);
    let leftovers: Vec<String> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn a_template_error_also_leaves_the_previous_site() {
    let site = built_good_site();
    let before = snapshot_tree(&site.path().join("site"));
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/index.html"),
        "{% extends \"base.html\" %}{% block content %}{{ vendors.nope }}{% endblock content %}",
    )
    .unwrap();
    let output = run_in(site.path(), &["build"]);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("error: templates/index.html:1:"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot_tree(&site.path().join("site")), before);
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let site = fixture_copy("good");
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Lost in {{ site.title }}</h1>{% endblock content %}",
    )
    .unwrap();
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::write(site.path().join("static/extra.txt"), "hello").unwrap();
    let output = run_in(site.path(), &["build"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(page(site.path(), "404.html").contains("<h1>Lost in Fixture Facts</h1>"));
    assert_eq!(page(site.path(), "extra.txt"), "hello");
    // The built-in stylesheet is still there: the site did not override it.
    assert!(page(site.path(), "style.css").contains("prefers-color-scheme"));
}

#[test]
fn the_output_must_not_be_an_input_folder() {
    let site = fixture_copy("good");
    for target in ["data", ".", "static/out"] {
        let path = site.path().join(target);
        let output = run_in(site.path(), &["build", "--output", path.to_str().unwrap()]);
        assert_eq!(code(&output), 2, "{target}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("refusing to write the site"),
            "{}",
            stderr(&output)
        );
    }
    assert!(site.path().join("data/vendors/acme.yaml").is_file());
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(code(&run(&["build", "--no-such-flag"])), 2);
    assert_eq!(code(&run(&["frobnicate"])), 2);
    assert_eq!(code(&run(&["--help"])), 0);
}

#[test]
fn new_scaffolds_a_valid_record_and_never_overwrites() {
    let site = fixture_copy("good");
    let output = run_in(site.path(), &["new", "Widget Works"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let path = site.path().join("data/vendors/widget-works.yaml");
    let text = read(&path);
    for key in [
        "name:",
        "now_known_as:",
        "category:",
        "website:",
        "verified:",
        "summary:",
        "sso:",
        "required_for_scim:",
        "scim:",
        "operations:",
        "limitations:",
        "docs:",
        "tiers:",
        "idps:",
        "sentiment:",
        "decisions:",
        "sections:",
        "sources:",
    ] {
        assert!(text.contains(key), "{key} missing from the scaffold");
    }
    let check = run_in(site.path(), &["check"]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));

    fs::write(&path, "name: Edited\n").unwrap();
    let again = run_in(site.path(), &["new", "Widget Works"]);
    assert_eq!(code(&again), 1);
    assert!(stderr(&again).contains("already exists"));
    assert_eq!(read(&path), "name: Edited\n");
}

#[test]
fn the_shipped_data_builds_and_code42_costs_4500_for_50_users() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let output = build_shipped_site(&target);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let code42 = squeeze(&text_of(&read(target.join("vendors/code42/index.html"))));
    assert!(
        code42.contains("50 users Enterprise ~$375 ~$4,500"),
        "{code42}"
    );
    assert!(code42.contains("~$90/user/year"), "{code42}");
    assert!(
        !code42.contains("54,000"),
        "the seed's hand-typed figure must not appear"
    );
    let vendors = fs::read_dir(target.join("vendors")).unwrap().count();
    assert!(vendors >= 8, "at least eight vendors ship, found {vendors}");
}

#[test]
fn the_shipped_schema_is_what_the_binary_prints() {
    let output = run(&["schema"]);
    assert_eq!(code(&output), 0);
    let shipped = read(repo_root().join("schema/vendor.schema.json"));
    assert!(
        stdout(&output) == shipped,
        "schema/vendor.schema.json is out of date: run `cargo run -- schema > schema/vendor.schema.json`"
    );
    // Every shipped record points editors at it.
    for entry in fs::read_dir(repo_root().join("data/vendors")).unwrap() {
        let path = entry.unwrap().path();
        let first = read(&path).lines().next().unwrap_or("").to_owned();
        assert_eq!(
            first,
            "# yaml-language-server: $schema=../../schema/vendor.schema.json",
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_source_date_epoch_that_is_not_whole_seconds_is_refused_not_ignored() {
    let site = fixture_copy("good");
    for bad in [
        "abc",
        "1e9",
        "1764000000.5",
        " 1780315200",
        "99999999999999",
        "-",
        "-5",
    ] {
        for command in ["check", "build"] {
            let run = std::process::Command::new(env!("CARGO_BIN_EXE_scimfacts"))
                .args([command, "--root", site.path().to_str().unwrap()])
                .env("SOURCE_DATE_EPOCH", bad)
                .output()
                .unwrap();
            let err = stderr(&run);
            assert_eq!(code(&run), 2, "{command} with {bad:?}: {err}");
            assert!(
                err.contains("SOURCE_DATE_EPOCH") && err.contains("date +%s"),
                "{err}"
            );
        }
    }
    assert!(!site.path().join("site").exists(), "nothing was built");
    let good = run_on_day(
        TODAY_EPOCH,
        &["check", "--root", site.path().to_str().unwrap()],
    );
    assert_eq!(code(&good), 0, "{}", stderr(&good));
}
