//! `scimfacts new`: it refuses every name `check` would refuse, with the same words, makes a
//! short ASCII file name of any name it takes, and writes into an existing site only.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use scimfacts::scaffold::record_template;

/// The names of the records in `root`'s data/vendors/, sorted.
fn records(root: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(root.join("data/vendors")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `new` refuses `name` saying `why`, writes nothing, and `check` refuses a record of that
/// name with the same words.
fn assert_new_and_check_refuse(what: &str, name: &str, why: &str) {
    let site = fixture_copy("good");
    let before = records(site.path());
    let new = run_in(site.path(), &["new", name]);
    assert_eq!(code(&new), 1, "{what}: {}", stderr(&new));
    assert!(
        stderr(&new).starts_with("error: name "),
        "{what}: {}",
        stderr(&new)
    );
    assert!(stderr(&new).contains(why), "{what}: {}", stderr(&new));
    assert!(
        stderr(&new).len() < 400,
        "{what}: the name is not echoed back"
    );
    assert_eq!(records(site.path()), before, "{what}: nothing is written");

    // The record `new` would have written, with that name: `check` refuses it likewise.
    fs::write(
        site.path().join("data/vendors/probe.yaml"),
        record_template(name),
    )
    .unwrap();
    let check = run_in(site.path(), &["check"]);
    assert_eq!(code(&check), 1, "{what}: {}", stderr(&check));
    let message = stderr(&new)
        .trim()
        .trim_start_matches("error: name ")
        .to_owned();
    assert!(
        stderr(&check).contains(&message),
        "{what}: check says\n{}\nnew says\n{message}",
        stderr(&check)
    );
}

#[test]
fn new_refuses_every_name_check_refuses_and_says_why_in_the_same_words() {
    let cases = [
        ("201 characters", "a".repeat(201), "is 201 characters long"),
        (
            "10,000 characters",
            "b".repeat(10_000),
            "is 10000 characters long",
        ),
        ("an escape", "Acme\u{1b}[31m".to_owned(), "U+001B"),
        ("a bell", "Acme\u{7}".to_owned(), "U+0007"),
        ("a C1 control", "Acme\u{85}".to_owned(), "U+0085"),
        ("only spaces", "   ".to_owned(), "is empty"),
    ];
    for (what, name, why) in cases {
        assert_new_and_check_refuse(what, &name, why);
    }
}

#[test]
fn new_refuses_a_name_of_only_invisible_characters_as_check_does() {
    // Refused by the record validation, not merely for want of a file name.
    assert_new_and_check_refuse(
        "zero-width spaces",
        "\u{200B}\u{200B}",
        "no visible character",
    );
}

#[test]
fn new_makes_an_ascii_file_name_of_accented_letters() {
    let site = fixture_copy("good");
    let new = run_in(site.path(), &["new", "Café Münch"]);
    assert_eq!(code(&new), 0, "{}", stderr(&new));
    let path = site.path().join("data/vendors/cafe-munch.yaml");
    assert!(
        read(&path).contains("name: \"Café Münch\""),
        "{}",
        read(&path)
    );
    let check = run_in(site.path(), &["check"]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
}

#[test]
fn new_keeps_the_file_name_of_a_long_name_short() {
    // 200 characters, the most a name may have, and many more once transliterated.
    for name in ["Workspace ".repeat(20), "東京".repeat(100)] {
        let site = fixture_copy("good");
        let before = records(site.path());
        let new = run_in(site.path(), &["new", name.trim()]);
        assert_eq!(code(&new), 0, "{}", stderr(&new));
        let after = records(site.path());
        let added: Vec<&String> = after.iter().filter(|r| !before.contains(r)).collect();
        assert_eq!(added.len(), 1, "{after:?}");
        let slug = added[0].trim_end_matches(".yaml");
        assert!(slug.len() <= 64, "{slug} ({} characters)", slug.len());
        assert!(!slug.ends_with('-'), "{slug}");
    }
}

#[test]
fn new_refuses_a_root_that_is_not_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nonexistent/x");
    let file = tmp.path().join("file");
    fs::write(&file, "").unwrap();
    for (root, what) in [(&missing, "does not exist"), (&file, "is not a folder")] {
        let new = run_in(root, &["new", "Acme"]);
        assert_eq!(code(&new), 2, "{}", stderr(&new));
        assert!(stderr(&new).contains("no site at"), "{}", stderr(&new));
        assert!(stderr(&new).contains(what), "{}", stderr(&new));
        assert!(stderr(&new).contains("--root"), "{}", stderr(&new));
    }
    assert!(!tmp.path().join("nonexistent").exists());
    assert_eq!(fs::read(&file).unwrap(), b"");
}

#[test]
fn new_creates_data_vendors_in_an_existing_empty_folder() {
    let root = tempfile::tempdir().unwrap();
    let new = run_in(root.path(), &["new", "Acme"]);
    assert_eq!(code(&new), 0, "{}", stderr(&new));
    assert!(root.path().join("data/vendors/acme.yaml").is_file());
}

#[test]
fn new_refuses_a_slug_a_record_in_a_subfolder_already_has() {
    let site = fixture_copy("good");
    let vendors = site.path().join("data/vendors");
    fs::create_dir_all(vendors.join("a")).unwrap();
    fs::rename(vendors.join("acme.yaml"), vendors.join("a/acme.yaml")).unwrap();
    let new = run_in(site.path(), &["new", "Acme"]);
    assert_eq!(code(&new), 1, "{}", stderr(&new));
    assert!(
        stderr(&new).contains("a/acme.yaml already exists"),
        "{}",
        stderr(&new)
    );
    assert!(!vendors.join("acme.yaml").exists());
}
