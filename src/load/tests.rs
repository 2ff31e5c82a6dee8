use std::path::PathBuf;

use serde::{Deserialize, Deserializer};

use super::files::record_slug;
use super::source::position_at_end_of;
use super::*;
use crate::diagnostic::Position;
use crate::model::Vendor;

fn source(text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from("data/vendors/x.yaml"),
        text: text.to_owned(),
    }
}

fn error_of(text: &str) -> String {
    parse_yaml::<Vendor>(&source(text)).unwrap_err().to_string()
}

#[test]
fn a_type_error_names_the_field_and_position() {
    let message = error_of("name: X\ntiers:\n  - name: Pro\n    sso: maybe\n");
    assert!(
        message.starts_with("error: data/vendors/x.yaml:4:10: tiers[1].sso: "),
        "{message}"
    );
}

#[test]
fn an_unknown_key_names_the_key_and_the_expected_ones() {
    let message = error_of("name: X\nscim:\n  availible: true\n");
    assert!(message.contains("x.yaml:3:3: scim.availible: unknown field `availible`"));
    assert!(message.contains("available"), "{message}");
}

#[test]
fn duplicate_keys_are_rejected() {
    let message = error_of("name: X\nname: Y\n");
    assert_eq!(
        message,
        "error: data/vendors/x.yaml:2:1: name: duplicate key `name`: each key may appear only once"
    );
    let nested = error_of("name: X\nscim:\n  tier: a\n  tier: b\n");
    assert!(
        nested.contains(":4:3: scim.tier: duplicate key `tier`"),
        "{nested}"
    );
}

#[test]
fn an_item_without_its_dash_is_told_to_begin_with_one() {
    let no_dash = "name: X\ntiers:\n  - name: Free\n    price: free\n    name: Pro\n";
    let message = error_of(no_dash);
    assert!(
        message.ends_with(
            "if it starts another item of `tiers`, begin its line with `- ` (`- name: ...`)"
        ),
        "{message}"
    );
    // Another key repeated inside an item is just repeated.
    let repeated = error_of("name: X\ntiers:\n  - name: Free\n    sso: true\n    sso: false\n");
    assert!(!repeated.contains("begin its line"), "{repeated}");
}

#[test]
fn several_documents_and_non_mappings_are_explained() {
    assert!(error_of("name: X\n---\nname: Y\n").contains("more than one YAML document"));
    assert!(error_of("- a\n- b\n").contains("expected a mapping"));
    assert!(error_of("").contains("the file is empty"));
}

#[test]
fn a_few_aliases_are_fine_and_a_bomb_is_refused_before_it_expands() {
    let shared = "name: X\nidps:\n  okta: &setup {sso: true, notes: same}\n  entra: *setup\n";
    assert!(parse_yaml::<Vendor>(&source(shared)).is_ok());
    let mut bomb = String::from("a0: &a0 [lol, lol]\n");
    for level in 1..40 {
        bomb.push_str(&format!(
            "a{level}: &a{level} [*a{}, *a{}]\n",
            level - 1,
            level - 1
        ));
    }
    let started = std::time::Instant::now();
    let message = error_of(&bomb);
    assert!(message.contains("alias bomb"), "{message}");
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn slugs_are_lowercase_ascii_words() {
    assert!(is_valid_slug("code42"));
    assert!(is_valid_slug("google-workspace"));
    assert!(!is_valid_slug("Code42"));
    assert!(!is_valid_slug("a_b"));
    assert!(!is_valid_slug(""));
}

#[test]
fn record_slugs_come_from_yaml_file_names() {
    assert_eq!(record_slug("okta.yaml"), Some("okta"));
    assert_eq!(record_slug("okta.yml"), Some("okta"));
    assert_eq!(record_slug("okta.json"), None);
    assert_eq!(record_slug("README"), None);
}

#[test]
fn positions_count_lines_and_characters() {
    assert_eq!(
        position_at_end_of("ab\ncdé"),
        Position { line: 2, column: 4 }
    );
}

/// A text that says which deserializer read it, by the name of that deserializer's error
/// type: the fast path and serde-saphyr always read it differently.
#[derive(Debug, PartialEq)]
struct ReadBy(&'static str);

impl<'de> Deserialize<'de> for ReadBy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?;
        Ok(ReadBy(std::any::type_name::<D::Error>()))
    }
}

/// A text only the fast path reads: serde-saphyr is refused it.
#[derive(Debug, PartialEq)]
struct FastPathOnly;

impl<'de> Deserialize<'de> for FastPathOnly {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?;
        if std::any::type_name::<D::Error>().starts_with("serde_saphyr") {
            return Err(serde::de::Error::custom("not for serde-saphyr"));
        }
        Ok(FastPathOnly)
    }
}

#[test]
fn the_fast_path_is_compared_with_serde_saphyr_on_what_it_takes_only() {
    let record = "name: X\nscim: {available: true}\ntiers: [{name: Pro, price: custom}]\n";
    assert_eq!(fast_path_agrees::<Vendor>(record), Ok(true));
    assert_eq!(fast_path_agrees::<Vendor>("name: &a X\n"), Ok(false));
    assert_eq!(fast_path_agrees::<Vendor>("name: [\n"), Ok(false));
    let difference = fast_path_agrees::<ReadBy>("words\n").unwrap_err();
    assert!(
        difference.starts_with("the YAML fast path read another value than serde-saphyr"),
        "{difference}"
    );
    let rejected = fast_path_agrees::<FastPathOnly>("words\n").unwrap_err();
    assert!(
        rejected.starts_with("the YAML fast path took what serde-saphyr rejects"),
        "{rejected}"
    );
}

/// Debug builds, and so every test, parse what the fast path took with serde-saphyr too.
#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "data/vendors/x.yaml: the YAML fast path read another value")]
fn debug_builds_panic_naming_the_file_when_the_two_parses_differ() {
    let _ = parse_yaml::<ReadBy>(&source("words\n"));
}

#[test]
fn plain_words_for_a_value_not_allowed_and_a_dash_without_space() {
    let period = error_of(
        "name: X\ntiers:\n  - name: Pro\n    price: {amount: 8, currency: USD, per: user/mo}\n",
    );
    assert!(
        period.contains(
            "\"user/mo\" is not allowed here: expected one of user/month, user/year, month, year"
        ),
        "{period}"
    );
    let dash = error_of("name: X\nsources:\n  -id: pricing\n    title: Pricing\n");
    assert!(
        dash.contains("a list item begins with a dash and a space"),
        "{dash}"
    );
}
