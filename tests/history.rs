//! Price history from git: a repository made here, with commits of set dates, a rename and an
//! edit not yet committed; the vendor page, `/changes/`, the feed and the JSON must show
//! exactly its changes. And a site without git, or with history off, builds as it did.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{code, fixture_copy, read, run_in, snapshot_tree, stderr};
use scraper::{Html, Selector};
use serde_json::Value;

/// Runs `git args...` in `dir`, with commits dated `day` (author and committer).
fn git(dir: &Path, day: &str, args: &[&str]) {
    let when = format!("{day}T12:00:00+02:00");
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", &when)
        .env("GIT_COMMITTER_DATE", &when)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

/// The fixture site with `history: true`, its output ignored by git (not in git yet).
fn site_with_history() -> tempfile::TempDir {
    let site = fixture_copy("good");
    let settings = site.path().join("data/site.yaml");
    fs::write(&settings, read(&settings) + "history: true\n").unwrap();
    fs::write(site.path().join(".gitignore"), "site/\n").unwrap();
    site
}

/// A new repository at `root`, on branch `main`, with an author.
fn init_repo(root: &Path) {
    git(root, "2026-01-10", &["init", "-q", "-b", "main"]);
    git(root, "2026-01-10", &["config", "user.name", "Editor"]);
    git(
        root,
        "2026-01-10",
        &["config", "user.email", "editor@example.org"],
    );
}

fn commit(repo: &Path, day: &str, message: &str) {
    git(repo, day, &["add", "-A"]);
    git(repo, day, &["commit", "-q", "-m", message]);
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn head_of(repo: &Path, rev: &str) -> String {
    let output = Command::new("git")
        .args(["rev-parse", rev])
        .current_dir(repo)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The fixture site in `catalogue/` of a repository, its history:
/// 1. 2026-01-10 every record;
/// 2. 2026-02-15 Acme's Pro plan $8 → $9;
/// 3. 2026-03-01 acme.yaml renamed acme-chat.yaml;
/// 4. 2026-04-02 Business ~$20 → ~$25, with `verified` set to 2026-03-20 in the same commit;
/// 5. 2026-04-20 Flatco adds an Enterprise plan;
///
/// then Pro $9 → $10, saved but not committed.
fn repository() -> (tempfile::TempDir, std::path::PathBuf) {
    let repo = fixture_copy("good");
    let site = repo.path().join("catalogue");
    fs::create_dir(&site).unwrap();
    fs::rename(repo.path().join("data"), site.join("data")).unwrap();
    let settings = site.join("data/site.yaml");
    fs::write(
        &settings,
        read(&settings) + "history: true\nrepository:\n  url: https://github.com/acme/facts\n",
    )
    .unwrap();
    fs::write(repo.path().join(".gitignore"), "catalogue/site/\n").unwrap();
    let vendors = site.join("data/vendors");
    let root = repo.path();
    init_repo(root);
    commit(root, "2026-01-10", "Every record");
    edit(&vendors.join("acme.yaml"), "amount: 8,", "amount: 9,");
    commit(root, "2026-02-15", "Acme Pro is $9");
    git(
        root,
        "2026-03-01",
        &[
            "mv",
            "catalogue/data/vendors/acme.yaml",
            "catalogue/data/vendors/acme-chat.yaml",
        ],
    );
    commit(root, "2026-03-01", "Acme is Acme Chat");
    let acme = vendors.join("acme-chat.yaml");
    edit(&acme, "amount: 20,", "amount: 25,");
    edit(&acme, "verified: 2026-05-01", "verified: 2026-03-20");
    commit(root, "2026-04-02", "Acme Business, checked in March");
    edit(
        &vendors.join("flatco.yaml"),
        "sources:",
        "  - {name: Enterprise, price: custom, sso: true, scim: true}\nsources:",
    );
    commit(root, "2026-04-20", "Flatco Enterprise");
    edit(&acme, "amount: 9,", "amount: 10,");
    (repo, site)
}

/// The dates of the events of a vendor's JSON, newest first.
fn event_dates(json: &Value) -> Vec<Value> {
    let events = json["history"]["events"].as_array().unwrap();
    events.iter().map(|event| event["date"].clone()).collect()
}

fn select(page: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    page.select(&selector)
        .map(|element| {
            let text: Vec<&str> = element.text().collect();
            text.join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn a_repository_s_history_is_on_the_page_the_changes_the_feed_and_the_json() {
    let (repo, site) = repository();
    let output = run_in(&site, &["build", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = site.join("site");
    let [first, pro, business_commit, flatco] =
        ["HEAD~4", "HEAD~3", "HEAD~1", "HEAD"].map(|rev| head_of(repo.path(), rev));
    let short = |id: &str| id[..7].to_owned();

    // The vendor page: the edit not yet committed first, then each commit's change; the
    // rename is followed (its own commit changed nothing a buyer sees).
    let page = Html::parse_document(&read(out.join("vendors/acme-chat/index.html")));
    let rows = select(&page, "#price-history tbody tr");
    assert_eq!(
        rows,
        [
            "Not yet committed Price: Pro $9/user/month $10/user/month SCIM +178% → +150% SSO Included (unchanged)".to_owned(),
            format!(
                "2026-03-20 {} (verified) Price: Business ~$20/user/month ~$25/user/month SCIM +122% → +178% SSO Included (unchanged)",
                short(&business_commit)
            ),
            format!(
                "2026-02-15 {} Price: Pro $8/user/month $9/user/month SCIM +150% → +122% SSO Included (unchanged)",
                short(&pro)
            ),
        ]
    );
    // The price chart tells the same story as the rows, each price from its change's date.
    let chart = select(&page, "#price-chart-1 desc").concat();
    assert!(
        chart.contains(
            "Pro: $8/user/month from 2026-01-10, $9/user/month from 2026-02-15, $10/user/month, not yet committed."
        ),
        "{chart}"
    );
    assert!(chart.contains("~$25/user/month from 2026-03-20"), "{chart}");
    let links: Vec<String> = page
        .select(&Selector::parse("#price-history a.commit").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(
        links,
        [&business_commit, &pro, &first]
            .map(|id| format!("https://github.com/acme/facts/commit/{id}"))
    );
    assert!(
        select(&page, "#price-history .note")[0]
            .starts_with(&format!("First recorded 2026-01-10 {}", short(&first)))
    );
    // A record no commit changed says since when it stands.
    let gated = Html::parse_document(&read(out.join("vendors/gated/index.html")));
    assert_eq!(
        select(&gated, "#price-history p"),
        [format!(
            "No change to its plans, prices or SCIM and SSO since it was first recorded on 2026-01-10 {} .",
            short(&first)
        )]
    );

    // /changes/ lists them all, newest first; each kind has its own page.
    let changes = Html::parse_document(&read(out.join("changes/index.html")));
    assert_eq!(
        select(&changes, "#changes tbody tr th"),
        ["Acme Chat", "FlatCo", "Acme Chat", "Acme Chat"]
    );
    assert_eq!(
        select(&changes, "#changes tbody tr td:first-child"),
        [
            "Not yet committed".to_owned(),
            format!("2026-04-20 {}", short(&flatco)),
            format!("2026-03-20 {} (verified)", short(&business_commit)),
            format!("2026-02-15 {}", short(&pro)),
        ]
    );
    let prices = Html::parse_document(&read(out.join("changes/price/index.html")));
    assert_eq!(select(&prices, "#changes tbody tr").len(), 3);
    assert_eq!(select(&prices, "h1"), ["Price changes: Price"]);
    let description = Selector::parse("meta[name=description]").unwrap();
    let description = prices
        .select(&description)
        .next()
        .unwrap()
        .value()
        .attr("content");
    assert!(
        description
            .unwrap()
            .starts_with("Every change of kind \"Price\"")
    );
    // A kind with no change has no page, and the filter does not offer it.
    assert!(!out.join("changes/tier-removed").exists());
    assert!(
        !select(&changes, "nav.kinds a")
            .iter()
            .any(|k| k.starts_with("Plan removed"))
    );
    let added = Html::parse_document(&read(out.join("changes/tier-added/index.html")));
    assert_eq!(
        select(&added, "#changes tbody tr"),
        [format!(
            "2026-04-20 {} FlatCo Plan added: Enterprise — Custom SCIM +275% at 10 users (unchanged) SSO Included (unchanged)",
            short(&flatco)
        )]
    );
    assert!(select(&changes, "nav.kinds a").contains(&"Price 3".to_owned()));
    assert!(read(out.join("index.html")).contains("href=\"./changes/\""));

    // The feed: one entry per committed change, never one without a date.
    let feed = read(out.join("feed.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|entry| entry.children().find(|c| c.has_tag_name("title"))?.text())
        .filter(|title| title.contains('→') || title.contains("added"))
        .collect();
    assert_eq!(
        titles,
        [
            "FlatCo: Enterprise added (Custom)",
            "Acme Chat: Business price: ~$20/user/month → ~$25/user/month",
            "Acme Chat: Pro price: $8/user/month → $9/user/month",
        ]
    );
    assert!(feed.contains(&format!(
        "<id>https://facts.example.org/changes/#{first}-{pro}-1</id>"
    )));

    // The JSON: the vendor's history, and every change across the site.
    let json: Value = serde_json::from_str(&read(out.join("api/vendors/acme-chat.json"))).unwrap();
    let events = json["history"]["events"].as_array().unwrap();
    assert_eq!(
        event_dates(&json),
        [Value::Null, "2026-03-20".into(), "2026-02-15".into()]
    );
    assert_eq!(events[1]["dated_by"], "verified");
    assert_eq!(events[2]["commit"], pro.as_str());
    assert_eq!(events[2]["changes"][0]["before"], "$8/user/month");
    assert_eq!(json["history"]["first_committed"]["commit"], first.as_str());
    let all: Value = serde_json::from_str(&read(out.join("api/changes.json"))).unwrap();
    let kinds: Vec<&str> = all["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["price", "tier_added", "price", "price"]);
}

#[test]
fn a_record_not_yet_committed_says_so_and_gets_no_date() {
    let (repo, site) = repository();
    fs::copy(
        site.join("data/vendors/gated.yaml"),
        site.join("data/vendors/newco.yaml"),
    )
    .unwrap();
    let output = run_in(&site, &["build", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let page = Html::parse_document(&read(site.join("site/vendors/newco/index.html")));
    assert!(select(&page, "#price-history p")[0].starts_with("Not yet committed"));
    let json: Value =
        serde_json::from_str(&read(site.join("site/api/vendors/newco.json"))).unwrap();
    assert_eq!(json["history"]["never_committed"], true);
    assert_eq!(json["history"]["first_committed"], Value::Null);
    drop(repo);
}

#[test]
fn without_git_or_with_history_off_the_site_is_exactly_as_before() {
    let plain = fixture_copy("good");
    let output = run_in(plain.path(), &["build", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let before = snapshot_tree(&plain.path().join("site"));

    // `--history` outside git: the same site, and a warning that says why.
    let output = run_in(plain.path(), &["build", "--history"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is not in a git repository"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot_tree(&plain.path().join("site")), before);

    // In git, with history off: the same site, and no warning.
    init_repo(plain.path());
    fs::write(plain.path().join(".gitignore"), "site/\n").unwrap();
    commit(plain.path(), "2026-01-10", "Every record");
    let output = run_in(plain.path(), &["build"]);
    assert!(!stderr(&output).contains("history"), "{}", stderr(&output));
    assert_eq!(snapshot_tree(&plain.path().join("site")), before);
}

#[test]
fn a_shallow_clone_warns_and_claims_no_first_commit() {
    let (repo, _site) = repository();
    let clone = tempfile::tempdir().unwrap();
    let source = format!("file://{}", repo.path().display());
    git(
        clone.path(),
        "2026-05-01",
        &["clone", "-q", "--depth", "3", &source, "copy"],
    );
    let site = clone.path().join("copy/catalogue");
    let output = run_in(&site, &["build"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("shallow clone"),
        "{}",
        stderr(&output)
    );
    let json: Value =
        serde_json::from_str(&read(site.join("site/api/vendors/acme-chat.json"))).unwrap();
    // The clone holds the last three commits: the change in the oldest of them (the rename)
    // cannot be seen, and the record's first commit is not there.
    assert_eq!(json["history"]["complete"], false);
    assert_eq!(json["history"]["first_committed"], Value::Null);
    assert_eq!(event_dates(&json), ["2026-03-20"]);
}

#[test]
fn serve_shows_an_edit_at_once_and_its_date_once_committed() {
    use common::server::{Server, wait_for};
    let site = site_with_history();
    let root = site.path();
    // Served before the catalogue is in git: no history, until its first commit.
    let server = Server::start(root, &[]);
    let history_of_acme = || {
        let page = Html::parse_document(&server.get("/vendors/acme/").body);
        select(&page, "#price-history tbody tr, #price-history > p")
    };
    assert!(history_of_acme().is_empty());
    init_repo(root);
    commit(root, "2026-01-10", "Every record");
    let wait = std::time::Duration::from_secs(20);
    let first = wait_for(wait, || {
        let rows = history_of_acme();
        (rows.len() == 1 && rows[0].starts_with("No change")).then_some(rows)
    });
    assert!(
        first.is_some(),
        "{:?}\n{}",
        history_of_acme(),
        server.lines().join("\n")
    );
    server.wait_for_line(0, "price history read again");

    // Saved: shown at once, without a date.
    edit(
        &root.join("data/vendors/acme.yaml"),
        "amount: 8,",
        "amount: 9,",
    );
    let pending = wait_for(wait, || {
        let rows = history_of_acme();
        rows[0].starts_with("Not yet committed").then_some(rows)
    });
    assert!(pending.is_some(), "{:?}", history_of_acme());

    // Committed: HEAD moves, the history is read again, and the change gets its date.
    commit(root, "2026-02-15", "Acme Pro is $9");
    let dated = wait_for(wait, || {
        let rows = history_of_acme();
        rows[0].starts_with("2026-02-15").then_some(rows)
    });
    assert!(
        dated.is_some(),
        "{:?}\n{}",
        history_of_acme(),
        server.lines().join("\n")
    );
    assert!(server.get("/changes/").body.contains("Acme Chat"));
}

#[test]
fn an_identity_provider_renamed_since_keeps_the_history_before_it() {
    let site = site_with_history();
    let root = site.path();
    init_repo(root);
    commit(root, "2026-01-10", "Every record");
    let acme = root.join("data/vendors/acme.yaml");
    edit(&acme, "amount: 8,", "amount: 9,");
    commit(root, "2026-02-15", "Acme Pro is $9");
    // Okta's id changes in idps.yaml and in the records: the versions above name the old id.
    for file in fs::read_dir(root.join("data/vendors")).unwrap() {
        let path = file.unwrap().path();
        fs::write(&path, read(&path).replace("  okta:", "  okta-workforce:")).unwrap();
    }
    edit(&root.join("data/idps.yaml"), "okta:", "okta-workforce:");
    commit(root, "2026-03-01", "Okta's id is okta-workforce");
    let output = run_in(root, &["build", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let json: Value = serde_json::from_str(&read(root.join("site/api/vendors/acme.json"))).unwrap();
    assert_eq!(event_dates(&json), ["2026-02-15"]);
    assert_eq!(json["history"]["passed_over"], Value::Array(Vec::new()));
}
