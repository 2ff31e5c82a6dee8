//! `scimfacts import` on real snapshots of the three public catalogues (git bundles kept beside
//! the repository in `../shared/catalogues/`), run as a user runs it: into an empty site, then
//! checked, built, imported again, edited by hand and imported again.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex, Weak};

use common::*;
use scraper::{Html, Selector};
use serde_json::Value;
use tempfile::TempDir;

/// The catalogues in the order they are imported, with what each snapshot holds.
const SOURCES: [(&str, u64); 3] = [("sso-tax", 150), ("ssotax-org", 252), ("scimtax-org", 286)];

/// Each catalogue's id with the name pages give it.
const NAMES: [(&str, &str); 3] = [
    ("sso-tax", "sso.tax"),
    ("ssotax-org", "ssotax.org"),
    ("scimtax-org", "scimtax.org"),
];

/// Fewer would mean that vendors listed by several catalogues were not merged, or that whole
/// catalogues were dropped; the snapshots hold about 400 distinct vendors.
const MIN_VENDORS: usize = 350;

/// Checkouts of the three catalogues, removed when the last test using them is done.
struct Checkouts {
    dir: TempDir,
}

impl Checkouts {
    fn path(&self, source: &str) -> PathBuf {
        self.dir.path().join(source)
    }
}

/// The checkouts, cloned once for the tests that run at the same time. A `Weak` rather than a
/// `OnceLock`: statics are never dropped, so a `OnceLock` would leave the clones behind in the
/// temporary folder after every run.
fn checkouts() -> Arc<Checkouts> {
    static SHARED: Mutex<Weak<Checkouts>> = Mutex::new(Weak::new());
    let mut shared = SHARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(checkouts) = shared.upgrade() {
        return checkouts;
    }
    let bundles = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/catalogues");
    assert!(
        bundles.is_dir(),
        "the catalogue bundles are missing: expected {} to hold sso-tax.bundle, \
         ssotax-org.bundle and scimtax-org.bundle (CI has them)",
        bundles.display()
    );
    let dir = tempfile::tempdir().unwrap();
    for (source, _) in SOURCES {
        let bundle = bundles.join(format!("{source}.bundle"));
        assert!(bundle.is_file(), "missing bundle {}", bundle.display());
        let output = Command::new("git")
            // Quiets git's hint about the default branch name, which the clone does not use.
            .args(["-c", "init.defaultBranch=main", "clone", "-q"])
            .arg(&bundle)
            .arg(dir.path().join(source))
            .output()
            .expect("git must be installed to clone the catalogue bundles");
        assert!(
            output.status.success(),
            "git clone {} failed: {}",
            bundle.display(),
            stderr(&output)
        );
    }
    let checkouts = Arc::new(Checkouts { dir });
    *shared = Arc::downgrade(&checkouts);
    checkouts
}

/// A site with no records: the shipped site settings and identity providers only.
fn empty_site() -> TempDir {
    let site = tempfile::tempdir().unwrap();
    let data = site.path().join("data");
    fs::create_dir_all(data.join("vendors")).unwrap();
    for file in ["site.yaml", "idps.yaml"] {
        fs::copy(repo_root().join("data").join(file), data.join(file)).unwrap();
    }
    site
}

fn import(site: &Path, checkouts: &Checkouts, source: &str) -> Output {
    let checkout = checkouts.path(source);
    run_in(site, &["import", source, checkout.to_str().unwrap()])
}

/// Imports every catalogue in order, each of which must succeed; returns what each printed.
fn import_all(site: &Path, checkouts: &Checkouts) -> Vec<String> {
    SOURCES
        .iter()
        .map(|(source, _)| {
            let output = import(site, checkouts, source);
            assert_eq!(
                code(&output),
                0,
                "import {source}: {}\n{}",
                stderr(&output),
                stdout(&output)
            );
            stdout(&output)
        })
        .collect()
}

/// The number a report gives on its line `- {label}: N`.
fn report_count(report: &str, label: &str) -> u64 {
    let prefix = format!("- {label}: ");
    let line = report
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("the report has no line {prefix:?}:\n{report}"));
    line.trim()
        .parse()
        .unwrap_or_else(|_| panic!("{prefix:?} is not followed by a number:\n{report}"))
}

fn vendor_slugs(site: &Path) -> BTreeSet<String> {
    fs::read_dir(site.join("data/vendors"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn json(path: impl AsRef<Path>) -> Value {
    let path = path.as_ref();
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn three_catalogues_make_a_site_that_checks_and_builds() {
    let checkouts = checkouts();
    let site = empty_site();
    let reports = import_all(site.path(), &checkouts);
    for ((source, entries), printed) in SOURCES.iter().zip(&reports) {
        assert_eq!(report_count(printed, "entries read"), *entries, "{source}");
        // The report kept beside the data is the one the user was shown.
        let kept = site.path().join(format!("data/imports/{source}.md"));
        assert_eq!(&read(&kept), printed, "{}", kept.display());
    }
    let slugs = vendor_slugs(site.path());
    assert!(slugs.len() >= MIN_VENDORS, "only {} records", slugs.len());

    let check = run_in(site.path(), &["check"]);
    assert_eq!(code(&check), 0, "check: {}", stderr(&check));
    let build = run_in(site.path(), &["build", "--quiet"]);
    assert_eq!(code(&build), 0, "build: {}", stderr(&build));
    let output = site.path().join("site");
    for slug in &slugs {
        let page = output.join("vendors").join(slug).join("index.html");
        assert!(page.is_file(), "no page for record {slug}");
    }
    assert_attribution(&output);
    assert_a_merged_vendor_shows_its_disagreement(&output, &slugs);
    assert_add_on_costs_add_up(&output, &slugs);
    assert_builds_are_reproducible(site.path(), &output);
}

/// The same records make the same bytes: nothing of a merged record (its catalogues' words,
/// its disagreements) may come out in a different order from one build to the next.
fn assert_builds_are_reproducible(site: &Path, first: &Path) {
    let again = site.join("again");
    let build = run_in(
        site,
        &["build", "--quiet", "--output", again.to_str().unwrap()],
    );
    assert_eq!(code(&build), 0, "build: {}", stderr(&build));
    let (a, b) = (snapshot_tree(first), snapshot_tree(&again));
    assert_eq!(a.len(), b.len());
    let differing: Vec<&PathBuf> = a
        .iter()
        .filter(|(path, bytes)| b.get(*path) != Some(bytes))
        .map(|(p, _)| p)
        .collect();
    assert!(
        differing.is_empty(),
        "two builds differ in {} files, e.g. {:?}",
        differing.len(),
        differing.first()
    );
}

/// The catalogues' licences ask for credit wherever their data is shipped.
fn assert_attribution(output: &Path) {
    let about = read(output.join("about/index.html"));
    for (_, name) in NAMES {
        assert!(about.contains(name), "the about page does not name {name}");
    }
    for licence in ["Apache-2.0", "CC-BY-4.0"] {
        assert!(about.contains(licence), "the about page lacks {licence}");
    }
    let all = json(output.join("api/vendors.json"));
    let credited: BTreeSet<&str> = all["attribution"]
        .as_array()
        .expect("vendors.json has an attribution list")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(credited, NAMES.iter().map(|(id, _)| *id).collect());
    let csv = read(output.join("api/vendors.csv"));
    let header = csv.lines().next().unwrap_or_default();
    assert!(header.split(',').any(|c| c == "data_from"), "{header}");
}

/// Catalogue names mentioned in `text`, by id.
fn catalogues_named_in(text: &str) -> BTreeSet<&'static str> {
    // "ssotax.org" contains no other name, but "sso.tax" must not match inside another word.
    NAMES
        .iter()
        .filter(|(_, name)| {
            text.match_indices(name).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                before.is_none_or(|c| !c.is_alphanumeric() && c != '.')
            })
        })
        .map(|(id, _)| *id)
        .collect()
}

fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

fn assert_a_merged_vendor_shows_its_disagreement(output: &Path, slugs: &BTreeSet<String>) {
    let mut shown = Vec::new();
    for slug in slugs {
        let data = json(output.join(format!("api/vendors/{slug}.json")));
        let page = read(output.join(format!("vendors/{slug}/index.html")));
        let disagreements = data["disagreements"].as_array().map_or(0, Vec::len);
        // The page and the JSON are two views of one merge: they must not tell different stories.
        assert_eq!(
            page.contains("id=\"disagreements\""),
            disagreements > 0,
            "{slug}: the page and its JSON differ on whether sources disagree"
        );
        let catalogues = data["record"]["catalogues"]
            .as_object()
            .map_or(0, |c| c.len());
        if disagreements > 0 && catalogues >= 2 {
            shown.push((slug.as_str(), data, page));
        }
    }
    assert!(
        !shown.is_empty(),
        "no vendor listed by two catalogues shows a disagreement"
    );
    // Slack is listed by all three with different dates; any other merged vendor will do.
    let (slug, data, page) = shown
        .iter()
        .find(|(slug, ..)| *slug == "slack")
        .unwrap_or(&shown[0]);
    let document = Html::parse_document(page);
    let section = document
        .select(&Selector::parse("section#disagreements").unwrap())
        .next()
        .unwrap();
    let text: String = section.text().collect();
    assert!(text.contains("Sources disagree"), "{slug}: {text}");
    let own: BTreeSet<&str> = data["record"]["catalogues"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let named = catalogues_named_in(&text);
    assert!(named.len() >= 2, "{slug}: the section names {named:?}");
    assert!(
        named.is_subset(&own),
        "{slug}: names {named:?}, has {own:?}"
    );
    let times = Selector::parse("time[datetime]").unwrap();
    let dates: Vec<&str> = section
        .select(&times)
        .filter_map(|t| t.value().attr("datetime"))
        .collect();
    assert!(!dates.is_empty(), "{slug}: the section gives no date");
    assert!(dates.iter().all(|d| is_iso_date(d)), "{slug}: {dates:?}");
}

/// What `price` (a record's price, as the JSON gives it) costs a year at `users` users; `None`
/// for a price only sales can give.
fn yearly(price: &Value, users: f64) -> Option<f64> {
    if price.as_str() == Some("free") {
        return Some(0.0);
    }
    let amount = price["amount"].as_f64()?;
    let seats = users.max(price["min_seats"].as_f64().unwrap_or(0.0));
    match price["per"].as_str()? {
        "user/month" => Some(amount * seats * 12.0),
        "user/year" => Some(amount * seats),
        "month" => Some(amount * 12.0),
        "year" => Some(amount),
        other => panic!("unknown price period {other:?}"),
    }
}

/// The tier and add-on whose names make up `label` ("Unnamed base plan + Guard Standard").
fn parts_of<'a>(record: &'a Value, label: &str) -> Option<(&'a Value, &'a Value)> {
    let list = |key: &str| record[key].as_array().map_or(&[][..], Vec::as_slice);
    list("tiers").iter().find_map(|tier| {
        list("addons").iter().find_map(|addon| {
            let name = |v: &Value| v["name"].as_str().unwrap_or_default().to_owned();
            (format!("{} + {}", name(tier), name(addon)) == label).then_some((tier, addon))
        })
    })
}

fn assert_add_on_costs_add_up(output: &Path, slugs: &BTreeSet<String>) {
    let mut checked = Vec::new();
    for slug in slugs {
        let data = json(output.join(format!("api/vendors/{slug}.json")));
        let rows = data["figures"]["scim_cost"]["rows"].as_array();
        for row in rows.into_iter().flatten() {
            let label = row["tier"].as_str().unwrap_or_default();
            let annual = row["annual"].as_f64().unwrap_or(0.0);
            if !label.contains(" + ") || annual <= 0.0 {
                continue;
            }
            let (tier, addon) = parts_of(&data["record"], label)
                .unwrap_or_else(|| panic!("{slug}: no tier and add-on make up {label:?}"));
            let users = row["users"].as_f64().unwrap();
            let sum = yearly(&tier["price"], users).zip(yearly(&addon["price"], users));
            let Some((of_tier, of_addon)) = sum else {
                panic!("{slug}: {label:?} has a cost but a part has no price: {row}");
            };
            assert!(
                (of_tier + of_addon - annual).abs() < 0.01,
                "{slug}, {users} users: {label:?} costs {annual} a year, but its parts \
                 cost {of_tier} + {of_addon}"
            );
            for part in [tier, addon] {
                let currency = &part["price"]["currency"];
                assert!(
                    currency.is_null() || *currency == row["currency"],
                    "{slug}: {row}"
                );
            }
            checked.push(format!("{slug}: {label}"));
        }
    }
    assert!(
        !checked.is_empty(),
        "no vendor's SCIM cost is a plan plus an add-on"
    );
}

#[test]
fn importing_the_same_snapshots_again_changes_no_file() {
    let checkouts = checkouts();
    let site = empty_site();
    import_all(site.path(), &checkouts);
    let data = site.path().join("data");
    let before = snapshot_tree(&data);
    let reports = import_all(site.path(), &checkouts);
    for ((source, _), report) in SOURCES.iter().zip(&reports) {
        assert_eq!(report_count(report, "vendors created"), 0, "{source}");
        assert_eq!(report_count(report, "updated"), 0, "{source}");
    }
    let after = snapshot_tree(&data);
    let added: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(added.is_empty(), "files added: {added:?}");
    let changed: Vec<_> = before
        .iter()
        .filter(|(path, bytes)| after.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(changed.is_empty(), "files changed or removed: {changed:?}");
}

/// A record listed by sso.tax and at least one other catalogue, preferably Slack's.
fn merged_record(site: &Path) -> String {
    let listed = |slug: &str| {
        let text = read(site.join(format!("data/vendors/{slug}.yaml")));
        text.contains("\n  sso-tax:\n") && text.matches("\n    entry: ").count() >= 2
    };
    let slugs = vendor_slugs(site);
    std::iter::once("slack".to_owned())
        .filter(|slug| slugs.contains(slug))
        .chain(slugs.iter().cloned())
        .find(|slug| listed(slug))
        .expect("no record is listed by sso.tax and another catalogue")
}

/// `text` with `category: Hand edited` after its `name:` line, and the index and line of the
/// `date:` of its sso-tax entry.
fn with_category(text: &str) -> (String, usize, String) {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let name = lines.iter().position(|l| l.starts_with("name:")).unwrap();
    lines.insert(name + 1, "category: Hand edited\n".to_owned());
    let entry = lines.iter().position(|l| l == "  sso-tax:\n").unwrap();
    let date = (entry + 1..lines.len())
        .take_while(|&i| lines[i].starts_with("    ") || lines[i].trim().is_empty())
        .find(|&i| lines[i].starts_with("    date: "))
        .expect("the sso-tax entry has a date");
    let line = lines[date].clone();
    (lines.concat(), date, line)
}

#[test]
fn a_hand_edit_survives_a_reimport_and_the_block_is_restored() {
    let checkouts = checkouts();
    let site = empty_site();
    import_all(site.path(), &checkouts);
    let slug = merged_record(site.path());
    let file = site.path().join(format!("data/vendors/{slug}.yaml"));
    let (edited, date, imported_date) = with_category(&read(&file));
    let mut tampered: Vec<&str> = edited.split_inclusive('\n').collect();
    tampered[date] = "    date: \"2001-01-01\"\n";
    assert_ne!(
        imported_date, tampered[date],
        "the date was already 2001-01-01"
    );
    fs::write(&file, tampered.concat()).unwrap();
    let before = snapshot_tree(&site.path().join("data/vendors"));

    let output = import(site.path(), &checkouts, "sso-tax");
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let report = stdout(&output);
    assert_eq!(report_count(&report, "updated"), 1, "{report}");
    assert_eq!(report_count(&report, "vendors created"), 0, "{report}");

    let now = read(&file);
    assert!(
        now.contains("\ncategory: Hand edited\n"),
        "{slug}: the hand-written category is gone:\n{now}"
    );
    assert_eq!(
        now.split_inclusive('\n').nth(date),
        Some(imported_date.as_str()),
        "{slug}: the block's date was not restored"
    );
    // Only the tampered entry was the import's to rewrite; every other byte is the editor's.
    assert_eq!(
        now, edited,
        "{slug}: the re-import changed more than the date"
    );
    let after = snapshot_tree(&site.path().join("data/vendors"));
    let others: Vec<_> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path.display().to_string())
        .filter(|path| *path != format!("{slug}.yaml"))
        .collect();
    assert!(others.is_empty(), "other records changed: {others:?}");
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let checkouts = checkouts();
    let site = empty_site();
    let checkout = checkouts.path("sso-tax");
    let output = run_in(
        site.path(),
        &["import", "sso-tax", checkout.to_str().unwrap(), "--dry-run"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("dry run"), "{out}");
    assert_eq!(report_count(&out, "entries read"), 150, "{out}");
    assert!(report_count(&out, "vendors created") > 0, "{out}");
    assert_writes_nothing(site.path());
}

/// The site is still as `empty_site` made it.
fn assert_writes_nothing(site: &Path) {
    let vendors = snapshot_tree(&site.join("data/vendors"));
    assert!(vendors.is_empty(), "written: {:?}", vendors.keys());
    let reports = site.join("data/imports");
    assert!(!reports.exists(), "{} was created", reports.display());
}

#[test]
fn a_missing_checkout_or_unknown_catalogue_is_refused() {
    let checkouts = checkouts();
    let site = empty_site();
    let output = run_in(site.path(), &["import", "sso-tax", "/nonexistent"]);
    assert_ne!(code(&output), 0, "{}", stdout(&output));
    assert!(
        stderr(&output).contains("/nonexistent"),
        "the message does not name the path: {}",
        stderr(&output)
    );
    assert_writes_nothing(site.path());

    let checkout = checkouts.path("sso-tax");
    let output = run_in(site.path(), &["import", "nope", checkout.to_str().unwrap()]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert_writes_nothing(site.path());
}

/// A copy of a checkout, for tests that damage it.
fn damaged_copy(checkouts: &Checkouts, source: &str) -> TempDir {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&checkouts.path(source), copy.path());
    copy
}

#[test]
fn an_unreadable_entry_keeps_what_the_last_snapshot_said() {
    let checkouts = checkouts();
    let site = empty_site();
    import(site.path(), &checkouts, "sso-tax");
    let slack = site.path().join("data/vendors/slack.yaml");
    let before = read(&slack);
    let damaged = damaged_copy(&checkouts, "sso-tax");
    fs::write(
        damaged.path().join("_vendors/slack.yaml"),
        b"name: [Slack\x00",
    )
    .unwrap();
    let output = run_in(
        site.path(),
        &["import", "sso-tax", damaged.path().to_str().unwrap()],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("`_vendors/slack.yaml`: is not valid YAML"),
        "{report}"
    );
    assert_eq!(
        report_count(&report, "no longer listed (block removed)"),
        0,
        "{report}"
    );
    assert_eq!(
        read(&slack),
        before,
        "an entry that could not be read is not a delisted vendor"
    );
}

#[test]
fn a_price_check_would_refuse_is_left_unknown_and_reported() {
    let checkouts = checkouts();
    let site = empty_site();
    let damaged = damaged_copy(&checkouts, "scimtax-org");
    let data = damaged.path().join("data.json");
    let text = read(&data).replacen(
        "\"scim_price\": \"$7.99/u/mo\"",
        "\"scim_price\": \"$99999999999999/u/mo\"",
        1,
    );
    assert!(
        text.contains("99999999999999"),
        "the fixture's 1Password entry changed"
    );
    fs::write(&data, text).unwrap();
    let output = run_in(
        site.path(),
        &["import", "scimtax-org", damaged.path().to_str().unwrap()],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stdout(&output).contains("not a plausible price"),
        "{}",
        stdout(&output)
    );
    let check = run_in(site.path(), &["check"]);
    assert_eq!(
        code(&check),
        0,
        "the import wrote what check refuses: {}",
        stderr(&check)
    );
}

#[test]
fn the_wrong_checkout_is_named_as_such() {
    let checkouts = checkouts();
    let site = empty_site();
    let wrong = checkouts.path("scimtax-org");
    let output = run_in(site.path(), &["import", "sso-tax", wrong.to_str().unwrap()]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("does not look like a checkout of sso.tax"),
        "{}",
        stderr(&output)
    );
    assert_writes_nothing(site.path());
}
