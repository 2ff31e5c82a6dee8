use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Deserialize;

use super::MAX_KEYS;
use crate::load::{Parsed, fast_path_agrees};
use crate::model::{Date, IdpFile, Price, ScimMode, SiteConfig, Vendor};

/// The fast path either declines `text` or reads it exactly as serde-saphyr does; returns
/// whether it took it.
fn agrees<T: Parsed>(text: &str) -> bool {
    fast_path_agrees::<T>(text).unwrap_or_else(|difference| panic!("{text:?}: {difference}"))
}

/// A field of every kind a record has.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read through Debug and PartialEq
struct Probe {
    #[serde(default)]
    text: Option<String>,
    /// Not optional, like a record's name: null is no value for it.
    #[serde(default)]
    name: String,
    #[serde(default)]
    flag: Option<bool>,
    #[serde(default)]
    count: Option<u32>,
    #[serde(default)]
    amount: Option<f64>,
    #[serde(default)]
    list: Vec<String>,
    #[serde(default)]
    map: BTreeMap<String, Probe>,
    #[serde(default)]
    mode: Option<ScimMode>,
    #[serde(default)]
    price: Option<Price>,
    #[serde(default)]
    date: Option<Date>,
}

/// Scalars whose meaning differs between YAML schemas or readers, or that look like
/// something else: each is tried, plain and quoted, in every field.
const SCALARS: &[&str] = &[
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "false",
    "True",
    "FALSE",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "0",
    "1",
    "-1",
    "007",
    "0x1F",
    "0o17",
    "0b11",
    "1_000",
    "1e3",
    "1.5",
    "-0.5",
    ".5",
    "5.",
    ".inf",
    "-.inf",
    ".nan",
    "1:30",
    "2026-05-01",
    "2026-05-01T10:00:00Z",
    "custom",
    "free",
    "full",
    "jit",
    "none",
    "Full",
    "<<",
    "=",
    "!x",
    "&a",
    "*a",
    "a: b",
    "a #b",
    "#c",
    "- x",
    "'q'",
    "\"d\"",
    "é",
    "text with spaces",
    "line\\nbreak",
    "999999999999999999999",
    "4294967296",
    "-0",
    "\u{feff}x",
    "a\u{feff}b",
    "tab\there",
    "a\rb",
    "\u{85}",
    "\u{2028}",
    "x\u{0}y",
    "   spaced   ",
    "trailing:",
];

const FIELDS: &[&str] = &[
    "text", "name", "flag", "count", "amount", "mode", "price", "date",
];

#[test]
fn every_scalar_in_every_field_is_read_as_serde_saphyr_reads_it_or_left_to_it() {
    for field in FIELDS {
        for scalar in SCALARS {
            let single = scalar.replace('\'', "''");
            let double = scalar.replace('\\', "\\\\").replace('"', "\\\"");
            for form in [
                format!("{field}: {scalar}\n"),
                format!("{field}: '{single}'\n"),
                format!("{field}: \"{double}\"\n"),
                format!("{field}: |\n  {scalar}\n"),
                format!("{{{field}: {scalar}}}\n"),
                format!("list: [{scalar}]\n{field}: {scalar}\n"),
                format!("map:\n  {scalar}:\n    {field}: {scalar}\n"),
            ] {
                agrees::<Probe>(&form);
            }
        }
    }
}

#[test]
fn plain_records_take_the_fast_path() {
    for text in [
        "text: plain words\nflag: true\ncount: 3\namount: 8.5\nmode: full\nprice: custom\n",
        "date: 2026-05-01\nlist: [a, 'b', \"c\"]\nmap: {okta: {text: x}}\n",
        "price: {amount: 8, currency: USD, per: user/month}\n",
        "text: |\n  two\n  lines\nname: ''\n",
    ] {
        assert!(agrees::<Probe>(text), "declined {text:?}");
    }
}

#[test]
fn what_only_serde_saphyr_may_judge_is_left_to_it() {
    for text in [
        "text: a\ntext: b\n",          // a repeated key
        "map: {a: {}, a: {}}\n",       // a repeated map key
        "text: &x a\nname: *x\n",      // an anchor and an alias
        "map: {<<: {a: {}}}\n",        // a merge
        "text: !!str a\n",             // a tag
        "%YAML 1.1\n---\nflag: yes\n", // a directive
        "text: a\n---\ntext: b\n",     // two documents
        "",                            // no document
        "flag: yes\n",                 // a YAML 1.1 boolean
        "count: 0x1F\n",               // a number not in decimal
        "unknown: 1\n",                // a key the type does not have
        "text: [unclosed\n",           // a syntax error
    ] {
        assert!(!agrees::<Probe>(text), "took {text:?}");
    }
    let many: Vec<String> = (0..=MAX_KEYS).map(|i| format!("k{i}: {{}}")).collect();
    let many_keys = format!("map: {{{}}}\n", many.join(", "));
    assert!(
        !agrees::<Probe>(&many_keys),
        "took a mapping of {} keys",
        MAX_KEYS + 1
    );
}

#[test]
fn documents_in_any_layout_are_read_as_serde_saphyr_reads_them_or_left_to_it() {
    for text in [
        "text: a\r\nname: b\r\n",
        "text: a\n\u{feff}name: b\n",
        "\u{feff}text: a\n",
        "# a comment\n---\ntext: a # another\n...\n",
        "---\ntext: a\n---\n",
        "text: >-\n  folded\n  lines\n\n  kept\nname: |+\n  kept\n\n",
        "text: \"multi\n  line\"\nname: 'multi\n\n  line'\n",
        "text:\n  a plain\n  scalar on two lines\n",
        "? text\n: a\n",
        "list:\n- a\n-   - b\n",
        "map:\n  okta:\n  entra: {}\n",
        "{text: a, name: b,}\n",
        "text: a\n\tname: b\n",
    ] {
        agrees::<Probe>(text);
    }
}

#[test]
fn generated_and_shipped_records_take_the_fast_path_and_read_the_same() {
    let mut rng = crate::synthetic::Rng(7);
    for i in 0..200 {
        let text = crate::synthetic::record(&mut rng, &format!("Vendor {i}"), "vendor");
        assert!(
            agrees::<Vendor>(&text),
            "declined generated record {i}:\n{text}"
        );
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for entry in std::fs::read_dir(root.join("vendors")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(agrees::<Vendor>(&text), "declined {}", path.display());
    }
    let site = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(agrees::<SiteConfig>(&site), "declined site.yaml");
    let idps = std::fs::read_to_string(root.join("idps.yaml")).unwrap();
    assert!(agrees::<IdpFile>(&idps), "declined idps.yaml");
}

/// One of the tricky scalars, written plain, single-quoted or double-quoted.
fn scalar() -> BoxedStrategy<String> {
    let scalar = prop::sample::select(SCALARS);
    prop_oneof![
        3 => scalar.clone().prop_map(str::to_owned),
        1 => scalar.clone().prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        1 => scalar.prop_map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))),
    ]
    .boxed()
}

/// Mostly a value of the field's kind, written in any form; sometimes any tricky scalar.
fn value_for(field: &str) -> BoxedStrategy<String> {
    let fitting: &[&str] = match field {
        "flag" => &["true", "false"],
        "count" => &["0", "3", "42", "4294967295", "4294967296"],
        "amount" => &["8", "8.5", "-0.5", "0", "1000000", "0.0001"],
        "mode" => &["full", "jit", "none"],
        "price" => &[
            "custom",
            "free",
            "{amount: 8, currency: USD, per: user/month}",
            "{amount: 8.5, currency: EUR, per: year, approximate: true, min_seats: 3}",
            "{amount: 8, amount: 9, currency: USD, per: month}",
        ],
        "date" => &["2026-05-01", "2024-02-29", "2023-02-29", "2026-5-1"],
        _ => &["words", "two words", "Okta (SAML)", "a-b_c", "x"],
    };
    prop_oneof![
        3 => prop::sample::select(fitting).prop_map(str::to_owned),
        1 => scalar(),
    ]
    .boxed()
}

/// A mapping shaped like a `Probe` (its fields, each at most once, in any order, with any
/// of the tricky scalars), nested through `map`, sometimes with a key it does not have.
fn probe_document(depth: u32) -> BoxedStrategy<String> {
    let fields = prop::sample::subsequence(FIELDS, 0..=4).prop_shuffle();
    let values: Vec<BoxedStrategy<String>> = FIELDS.iter().map(|f| value_for(f)).collect();
    let list = prop::option::of(prop::collection::vec(scalar(), 0..4));
    let nested = if depth == 0 {
        Just(Vec::new()).boxed()
    } else {
        let key = prop_oneof![
            3 => prop::sample::select(&["okta", "entra", "google-workspace"][..]).prop_map(str::to_owned),
            1 => scalar(),
        ];
        prop::collection::vec((key, probe_document(depth - 1)), 0..3).boxed()
    };
    let stray = prop::option::weighted(0.1, (scalar(), scalar()));
    (fields, values, list, nested, stray)
        .prop_map(|(fields, values, list, nested, stray)| {
            let mut entries: Vec<String> = fields
                .iter()
                .map(|field| {
                    let at = FIELDS.iter().position(|f| f == field).unwrap_or(0);
                    format!("{field}: {}", values[at])
                })
                .collect();
            if let Some(items) = list {
                entries.push(format!("list: [{}]", items.join(", ")));
            }
            if !nested.is_empty() {
                let nested: Vec<String> = nested
                    .into_iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect();
                entries.push(format!("map: {{{}}}", nested.join(", ")));
            }
            if let Some((key, value)) = stray {
                entries.push(format!("{key}: {value}"));
            }
            format!("{{{}}}", entries.join(", "))
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn random_yaml_is_read_as_serde_saphyr_reads_it_or_left_to_it(text in probe_document(2)) {
        agrees::<Probe>(&text);
    }
}
