//! `check --format github|json`: the problems of a broken site, for GitHub's pull-request
//! annotations and for other tools, compared with reviewed golden outputs. Exit codes are the
//! text report's.

mod common;

use std::path::Path;

use common::*;

/// The good fixture with the problems of `every-problem-at-once` laid over it: errors with
/// and without a field, and warnings.
fn broken_site() -> tempfile::TempDir {
    let site = fixture_copy("good");
    copy_tree(
        &fixtures().join("invalid/every-problem-at-once/overlay"),
        site.path(),
    );
    site
}

fn check(root: &Path, format: &str) -> std::process::Output {
    run_in(root, &["check", "--format", format])
}

#[test]
fn github_format_annotates_each_problem_on_its_line() {
    let site = broken_site();
    let output = check(site.path(), "github");
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(stderr(&output), "check failed: 3 errors, 2 warnings\n");
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn github_annotations_name_files_from_the_repository_top() {
    let repository = tempfile::tempdir().unwrap();
    std::fs::create_dir(repository.path().join(".git")).unwrap();
    let site = repository.path().join("catalogue");
    copy_tree(broken_site().path(), &site);
    let output = check(&site, "github");
    let annotations = stdout(&output);
    assert!(
        annotations
            .lines()
            .all(|line| line.contains(" file=catalogue/data/")),
        "{annotations}"
    );
}

#[test]
fn json_format_lists_every_problem_with_its_keys() {
    let site = broken_site();
    let output = check(site.path(), "json");
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let diagnostics: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(diagnostics.as_array().unwrap().len(), 5);
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn a_site_with_only_warnings_passes_with_them_reported() {
    // The good fixture's `oldie.yaml` is stale: its one warning.
    let site = fixture_copy("good");
    let output = check(site.path(), "github");
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "::warning file=data/vendors/oldie.yaml,line=3,col=11,title=verified::last verified 868 \
         days ago (2024-01-15), more than stale_after_days (365): check the facts again\n"
    );
    let output = check(site.path(), "json");
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report.as_array().unwrap().len(), 1);
    assert_eq!(report[0]["severity"], "warning");
}

#[test]
fn a_site_that_cannot_be_checked_is_still_reported_with_exit_code_2() {
    let missing = tempfile::tempdir().unwrap().path().join("missing");
    let output = check(&missing, "json");
    assert_eq!(code(&output), 2);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report[0]["severity"], "error");
    assert_eq!(report[0]["file"], serde_json::Value::Null);
    assert!(
        report[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("no site at")
    );
    let output = check(&missing, "github");
    assert_eq!(code(&output), 2);
    assert!(
        stdout(&output).starts_with("::error::no site at"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn strict_warnings_fail_in_every_format() {
    let site = fixture_copy("good");
    for format in ["text", "github", "json"] {
        let output = run_in(site.path(), &["check", "--strict", "--format", format]);
        assert_eq!(code(&output), 1, "{format}: {}", stderr(&output));
        assert!(stderr(&output).contains("warnings count as errors with --strict"));
    }
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let output = run(&["check", "--format", "xml"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("expected text, github or json"));
}
