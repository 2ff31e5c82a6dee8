//! `scimfacts init`: a new catalogue that checks and builds as it stands, never overwrites a
//! file, and gives vendor pages "Edit this record" and "Report a problem" when it knows its
//! repository; and `schema --output`.

mod common;

use std::path::Path;

use common::*;
use scraper::{Html, Selector};

fn init(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["init", dir.to_str().unwrap()];
    args.extend(extra);
    run(&args)
}

/// The `href` of every correction link of the built vendor page `slug`, by its text.
fn correction_links(site: &Path, slug: &str) -> Vec<(String, String)> {
    let html = Html::parse_document(&read(site.join(format!("site/vendors/{slug}/index.html"))));
    let links = Selector::parse("header .corrections a").unwrap();
    html.select(&links)
        .map(|a| {
            let text = a.text().collect::<String>();
            (text, a.value().attr("href").unwrap().to_owned())
        })
        .collect()
}

#[test]
fn a_new_catalogue_checks_and_builds_as_it_stands() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("catalogue");
    let output = init(&dir, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let said = stdout(&output);
    for file in [
        "data/site.yaml",
        "data/idps.yaml",
        "data/vendors/example-vendor.yaml",
        "schema/vendor.schema.json",
        ".vscode/settings.json",
        ".gitignore",
        "CONTRIBUTING.md",
        ".github/workflows/site.yml",
        ".github/ISSUE_TEMPLATE/wrong-fact.yml",
        ".github/ISSUE_TEMPLATE/add-vendor.yml",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
        assert!(said.contains(&format!("created {}", dir.join(file).display())));
    }
    let check = run_in(&dir, &["check"]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    assert_eq!(stderr(&check), "0 errors, 0 warnings\n");
    let build = run_in(&dir, &["build", "--quiet"]);
    assert_eq!(code(&build), 0, "{}", stderr(&build));
    assert!(dir.join("site/vendors/example-vendor/index.html").is_file());
    // Without a repository, no page offers to edit or report.
    assert!(correction_links(&dir, "example-vendor").is_empty());
    let page = read(dir.join("site/vendors/example-vendor/index.html"));
    assert!(!page.contains("class=\"corrections\""));
}

#[test]
fn with_a_repository_each_vendor_page_links_its_record_and_a_prefilled_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("facts");
    let output = init(&dir, &["--repository", "https://github.com/acme/facts"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let build = run_in(
        &dir,
        &["build", "--quiet", "--base-url", "https://facts.example/"],
    );
    assert_eq!(code(&build), 0, "{}", stderr(&build));
    let links = correction_links(&dir, "example-vendor");
    let texts: Vec<&str> = links.iter().map(|(text, _)| text.as_str()).collect();
    assert_eq!(texts, ["Report a problem", "Edit this record"]);
    assert_eq!(
        links[1].1,
        "https://github.com/acme/facts/edit/main/data/vendors/example-vendor.yaml"
    );
    let report = percent_encoding::percent_decode_str(&links[0].1)
        .decode_utf8()
        .unwrap()
        .into_owned();
    let verified = read(dir.join("data/vendors/example-vendor.yaml"))
        .lines()
        .find_map(|line| line.strip_prefix("verified: ").map(str::to_owned))
        .unwrap();
    assert_eq!(
        report,
        format!(
            "https://github.com/acme/facts/issues/new?template=wrong-fact.yml\
             &title=Wrong or outdated fact: Example Vendor&vendor=Example Vendor\
             &page=https://facts.example/vendors/example-vendor/\
             &record=data/vendors/example-vendor.yaml&verified={verified}"
        )
    );
    // The form the link opens has a field for each value it fills.
    let form = read(dir.join(".github/ISSUE_TEMPLATE/wrong-fact.yml"));
    for id in ["vendor", "page", "record", "verified"] {
        assert!(form.contains(&format!("id: {id}\n")), "{id}");
    }
}

#[test]
fn init_never_overwrites_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("data")).unwrap();
    std::fs::write(tmp.path().join("data/site.yaml"), "title: mine\n").unwrap();
    std::fs::write(tmp.path().join("CONTRIBUTING.md"), "ours\n").unwrap();
    let output = init(tmp.path(), &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).contains("kept    "));
    assert_eq!(read(tmp.path().join("data/site.yaml")), "title: mine\n");
    assert_eq!(read(tmp.path().join("CONTRIBUTING.md")), "ours\n");
    let before = snapshot_tree(tmp.path());
    let again = init(
        tmp.path(),
        &["--repository", "https://github.com/acme/facts"],
    );
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert!(!stdout(&again).contains("created "));
    assert_eq!(snapshot_tree(tmp.path()), before);
}

#[test]
fn init_refuses_what_would_not_build_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let output = init(&dir, &["--repository", "git@github.com:acme/facts.git"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("--repository"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.exists());
    let file = tmp.path().join("file");
    std::fs::write(&file, "").unwrap();
    let output = init(&file, &[]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("is not a folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn schema_output_writes_what_schema_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("schema");
    let output = run(&["schema", "--output", dir.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let printed = stdout(&run(&["schema"]));
    assert_eq!(read(dir.join("vendor.schema.json")), printed);
    assert_eq!(read(repo_root().join("schema/vendor.schema.json")), printed);
}

#[test]
fn the_repositorys_issue_forms_are_the_ones_init_writes() {
    for form in ["wrong-fact.yml", "add-vendor.yml"] {
        assert_eq!(
            read(repo_root().join(".github/ISSUE_TEMPLATE").join(form)),
            read(
                repo_root()
                    .join("starter/.github/ISSUE_TEMPLATE")
                    .join(form)
            ),
            "{form}: copy starter/.github/ISSUE_TEMPLATE/{form} to .github/ISSUE_TEMPLATE/"
        );
    }
}
