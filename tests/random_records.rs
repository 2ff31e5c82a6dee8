//! Random records, valid and invalid, through the whole build: every field may be missing,
//! null, of the wrong type or hostile text, keys may be unknown, and the YAML text itself may
//! be cut or have a character put in. Whatever comes, `build` either succeeds with a site that
//! parses and holds no live markup of the data's making, or fails with diagnostics; it never
//! panics. The case count is kept small so that the suite stays fast; `PROPTEST_CASES` raises it.

mod common;

use std::fs;
use std::path::Path;

use common::inert::LiveMarkup;
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use scimfacts::build::{BuildError, BuildOptions, build};
use scimfacts::model::Date;
use scimfacts::validate::{MAX_AMOUNT, MAX_MIN_SEATS, MIN_NONZERO_AMOUNT};
use serde_json::{Map, Value, json};

const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\" onmouseover=\"alert(1)",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}{% if true %}x{% endif %}",
    "</title></script>]]>",
    "&#106;avascript:alert(1)",
];

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[A-Za-z0-9 .,()-]{1,24}",
        1 => "\\PC{0,40}",
        1 => prop::sample::select(HOSTILE).prop_map(str::to_owned),
    ]
    .boxed()
}

/// Any JSON value of a kind a field may wrongly hold.
fn wrong_value() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::from),
        Just(json!(["a", 1, null])),
        Just(json!({"unexpected": {"deeper": [1, 2]}})),
    ]
    .boxed()
}

/// Mostly the right kind of value, sometimes none, sometimes the wrong kind.
fn field(right: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Option<Value>> {
    prop_oneof![
        8 => right.prop_map(Some),
        2 => Just(None),
        1 => wrong_value().prop_map(Some),
    ]
    .boxed()
}

fn texts() -> BoxedStrategy<Value> {
    prop::collection::vec(text(), 0..3)
        .prop_map(Value::from)
        .boxed()
}

fn url() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => "https://[a-z]{1,8}\\.example/[a-z0-9/]{0,12}".prop_map(Value::from),
        1 => text().prop_map(Value::from),
    ]
    .boxed()
}

fn date() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (2015u32..2027, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| Value::from(format!("{y}-{m:02}-{d:02}"))),
        1 => "[0-9-]{0,12}".prop_map(Value::from),
    ]
    .boxed()
}

fn price() -> BoxedStrategy<Value> {
    let amount = (
        prop_oneof![0.0f64..1000.0, -10.0f64..0.0, Just(f64::MAX)],
        prop::sample::select(vec!["USD", "EUR", "GBP", "usd", "XXX", "DOLLARS"]),
        prop::sample::select(vec!["user/month", "user/year", "month", "year", "week"]),
        any::<bool>(),
        prop::option::of(0u32..100),
    )
        .prop_map(|(amount, currency, per, approximate, min_seats)| {
            json!({"amount": amount, "currency": currency, "per": per,
                   "approximate": approximate, "min_seats": min_seats})
        });
    prop_oneof![
        1 => Just(json!("custom")),
        1 => Just(json!("free")),
        3 => amount,
    ]
    .boxed()
}

fn tier() -> BoxedStrategy<Value> {
    (
        prop::sample::select(vec!["Free", "Pro", "Business", "Enterprise"]),
        field(price()),
        field(any::<bool>().prop_map(Value::from)),
        field(any::<bool>().prop_map(Value::from)),
    )
        .prop_map(|(name, price, sso, scim)| {
            object([
                ("name", Some(name.into())),
                ("price", price),
                ("sso", sso),
                ("scim", scim),
            ])
        })
        .boxed()
}

fn idp() -> BoxedStrategy<Value> {
    (
        field(any::<bool>().prop_map(Value::from)),
        field(prop::sample::select(vec!["full", "jit", "none", "partial"]).prop_map(Value::from)),
        field(text().prop_map(Value::from)),
        field(
            (text(), texts(), url())
                .prop_map(|(integration, steps, docs)| json!({"integration": integration, "steps": steps, "docs": docs})),
        ),
    )
        .prop_map(|(sso, scim, notes, setup)| object([("sso", sso), ("scim", scim), ("notes", notes), ("setup", setup)]))
    .boxed()
}

/// A record as a JSON value (JSON is YAML), with now and then a key no record has.
fn record() -> BoxedStrategy<Value> {
    let head = (
        field(text().prop_map(Value::from)),
        field(text().prop_map(Value::from)),
        field(url()),
        field(date()),
        field(text().prop_map(|t| Value::from(format!("{t} **bold** [link](https://x.example/)")))),
    );
    let sso_scim = (
        field(
            (field(any::<bool>().prop_map(Value::from)), texts()).prop_map(
                |(available, protocols)| {
                    object([("available", available), ("protocols", Some(protocols))])
                },
            ),
        ),
        field(
            (
                field(any::<bool>().prop_map(Value::from)),
                field(
                    prop::sample::select(vec!["Pro", "Business", "Enterprise", "Nope"])
                        .prop_map(Value::from),
                ),
                texts(),
                field(url()),
            )
                .prop_map(|(available, tier, operations, docs)| {
                    object([
                        ("available", available),
                        ("tier", tier),
                        ("operations", Some(operations)),
                        ("docs", docs),
                    ])
                }),
        ),
    );
    let lists = (
        field(prop::collection::vec(tier(), 0..4).prop_map(Value::from)),
        field(
            prop::collection::btree_map(
                prop::sample::select(vec!["okta", "entra", "google", "octa"]),
                idp(),
                0..3,
            )
            .prop_map(|map| {
                Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ),
        field(
            prop::collection::vec((text(), url(), field(date())), 0..3).prop_map(|sources| {
                Value::from(
                    sources
                        .into_iter()
                        .map(|(title, url, checked)| {
                            object([
                                ("title", Some(title.into())),
                                ("url", Some(url)),
                                ("checked", checked),
                            ])
                        })
                        .collect::<Vec<_>>(),
                )
            }),
        ),
        field(
            prop::collection::vec((text(), text()), 0..2).prop_map(|sections| {
                Value::from(
                    sections
                        .into_iter()
                        .map(|(title, body)| json!({"title": title, "body": body}))
                        .collect::<Vec<_>>(),
                )
            }),
        ),
        prop::option::of(prop::sample::select(vec![
            "nickname",
            "pricing",
            "scim_tier",
        ])),
    );
    (head, sso_scim, lists)
        .prop_map(
            |(
                (name, category, website, verified, summary),
                (sso, scim),
                (tiers, idps, sources, sections, unknown),
            )| {
                let mut record = object([
                    ("name", name),
                    ("category", category),
                    ("website", website),
                    ("verified", verified),
                    ("summary", summary),
                    ("sso", sso),
                    ("scim", scim),
                    ("tiers", tiers),
                    ("idps", idps),
                    ("sources", sources),
                    ("sections", sections),
                ]);
                if let (Some(key), Value::Object(map)) = (unknown, &mut record) {
                    map.insert(key.to_owned(), Value::from(1));
                }
                record
            },
        )
        .boxed()
}

fn object<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
    let map: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| (key.to_owned(), v)))
        .collect();
    Value::Object(map)
}

/// Now and then the text itself is damaged: cut short, or a character put in.
fn damage(text: String, damage: Option<(prop::sample::Index, char, bool)>) -> String {
    let Some((at, character, cut)) = damage else {
        return text;
    };
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let at = boundaries
        .get(at.index(boundaries.len().max(1)))
        .copied()
        .unwrap_or(0);
    if cut {
        text[..at].to_owned()
    } else {
        let mut damaged = text;
        damaged.insert(at, character);
        damaged
    }
}

/// A record that keeps the rules, as far as a generator can without being the validator: it
/// may still break one (that is fine), but most such records build.
fn sound_record() -> BoxedStrategy<Value> {
    let tier = (
        0.0f64..500.0,
        prop::sample::select(vec!["user/month", "user/year", "month", "year"]),
        prop::option::of(1u32..50),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
    );
    let tiers = prop::sample::subsequence(vec!["Free", "Pro", "Business", "Enterprise"], 0..=4)
        .prop_flat_map(move |names| {
            prop::collection::vec(tier.clone(), names.len()).prop_map(move |prices| {
                names
                    .iter()
                    .zip(prices)
                    .map(|(name, (amount, per, min_seats, sso, scim))| {
                        json!({"name": name, "sso": sso, "scim": scim, "price":
                            {"amount": amount, "currency": "USD", "per": per, "min_seats": min_seats}})
                    })
                    .collect::<Vec<Value>>()
            })
        });
    let idps = prop::collection::btree_map(
        prop::sample::select(vec!["okta", "entra", "google"]),
        (
            prop::option::of(any::<bool>()),
            prop::sample::select(vec!["full", "jit", "none"]),
            text(),
        ),
        0..3,
    );
    let sources = prop::collection::vec((text(), 2015u32..2026, 1u32..13), 1..3);
    (text(), text(), prop::option::of(any::<bool>()), tiers, idps, sources, text(), texts())
        .prop_map(|(name, summary, sso, tiers, idps, sources, section, protocols)| {
            // The SCIM tier is the first tier that says it has SCIM; SCIM is then available.
            let scim_tier = tiers.iter().find(|t| t["scim"] == json!(true)).map(|t| t["name"].clone());
            let sso_tier = tiers.iter().any(|t| t["sso"] == json!(true));
            let idps: Map<String, Value> = idps
                .into_iter()
                .map(|(id, (sso, scim, notes))| {
                    let scim = if scim_tier.is_none() && scim == "full" { "jit" } else { scim };
                    (id.to_owned(), json!({"sso": sso, "scim": scim, "notes": notes}))
                })
                .collect();
            json!({
                "name": name,
                "website": "https://vendor.example/",
                "verified": "2026-01-15",
                "summary": summary,
                "sso": {"available": if sso_tier { Some(true) } else { sso }, "protocols": protocols},
                "scim": {"available": scim_tier.is_some().then_some(true), "tier": scim_tier},
                "tiers": tiers,
                "idps": idps,
                "sections": [{"title": "Notes", "body": section}],
                "sources": sources.into_iter().map(|(title, year, month)| json!({
                    "title": title, "url": "https://vendor.example/source",
                    "checked": format!("{year}-{month:02}-01")
                })).collect::<Vec<Value>>(),
            })
        })
        .boxed()
}

fn records() -> impl Strategy<Value = Vec<String>> {
    let damaged_or_not = prop::option::weighted(
        0.2,
        (any::<prop::sample::Index>(), any::<char>(), any::<bool>()),
    );
    let chaotic = (record(), damaged_or_not)
        .prop_map(|(record, hurt)| damage(serde_json::to_string_pretty(&record).unwrap(), hurt));
    let sound = sound_record().prop_map(|record| serde_json::to_string_pretty(&record).unwrap());
    prop_oneof![
        // Sound sites, so that success is tried as often as failure.
        prop::collection::vec(sound, 1..4),
        prop::collection::vec(
            prop_oneof![
                chaotic.boxed(),
                sound_record().prop_map(|r| r.to_string()).boxed()
            ],
            1..4
        ),
    ]
}

fn build_with(root: &Path, records: &[String]) -> Result<(), BuildError> {
    for (i, text) in records.iter().enumerate() {
        fs::write(root.join(format!("data/vendors/random-{i}.yaml")), text).unwrap();
    }
    let options = BuildOptions {
        today: Date("2026-06-01".parse().unwrap()),
        ..BuildOptions::new(root)
    };
    build(&options).map(|_| ())
}

#[test]
fn any_record_builds_a_clean_site_or_fails_with_diagnostics() {
    let baseline_site = fixture_copy("good");
    build_with(baseline_site.path(), &[]).unwrap();
    let baseline = LiveMarkup::of_site(&baseline_site.path().join("site"));
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&records(), |records| {
        let site = fixture_copy("good");
        match build_with(site.path(), &records) {
            Ok(()) => {
                let found = LiveMarkup::of_site(&site.path().join("site"));
                let problems = found.beyond(&baseline);
                prop_assert!(problems.is_empty(), "{}", problems.join("\n"));
                prop_assert!(found.html_files >= 2 + records.len());
            }
            Err(BuildError::Invalid(diagnostics)) => {
                prop_assert!(diagnostics.has_errors());
                for diagnostic in diagnostics.iter() {
                    let line = diagnostic.to_string();
                    prop_assert!(!diagnostic.file.as_os_str().is_empty(), "{line}");
                    prop_assert!(!line.contains("panicked"), "{line}");
                }
                prop_assert!(!site.path().join("site").exists());
            }
            Err(other) => prop_assert!(false, "not a data problem: {other}"),
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// A priced plan at the bounds validation allows, in a site whose team sizes reach the largest
/// a site may have: every figure computed from them must still be a number people can read.
fn extreme_prices() -> impl Strategy<Value = (Vec<f64>, Option<u32>, u32)> {
    let amount = prop_oneof![
        Just(MIN_NONZERO_AMOUNT),
        Just(MAX_AMOUNT),
        MIN_NONZERO_AMOUNT..MAX_AMOUNT,
    ];
    (
        prop::collection::vec(amount, 2..4),
        prop::option::of(prop_oneof![
            Just(1u32),
            Just(MAX_MIN_SEATS),
            1u32..MAX_MIN_SEATS
        ]),
        prop_oneof![Just(1u32), Just(u32::MAX), 1u32..u32::MAX],
    )
}

#[test]
fn prices_at_the_bounds_give_finite_figures() {
    let mut runner = TestRunner::new(Config {
        cases: 16,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&extreme_prices(), |(amounts, min_seats, team_size)| {
        let site = fixture_copy("good");
        let sizes = if team_size == 1 {
            "1".to_owned()
        } else {
            format!("1, {team_size}")
        };
        let settings =
            format!("title: Bounds\nbase_url: https://bounds.example/\nteam_sizes: [{sizes}]\n");
        fs::write(site.path().join("data/site.yaml"), settings).unwrap();
        let tiers: Vec<Value> = amounts
            .iter()
            .enumerate()
            .map(|(i, amount)| {
                json!({"name": format!("Plan {i}"), "scim": i + 1 == amounts.len(), "sso": true,
                       "price": {"amount": amount, "currency": "USD", "per": "user/month",
                                 "min_seats": min_seats}})
            })
            .collect();
        let record = json!({
            "name": "Bounds", "tiers": tiers,
            "sso": {"available": true},
            "scim": {"available": true, "tier": format!("Plan {}", amounts.len() - 1)},
        });
        let result = build_with(site.path(), &[record.to_string()]);
        if let Err(BuildError::Invalid(diagnostics)) = &result {
            prop_assert!(false, "{}", diagnostics.report());
        }
        prop_assert!(result.is_ok(), "{:?}", result.err().map(|e| e.to_string()));
        let page = read(site.path().join("site/vendors/random-0/index.html"));
        let text: String = scraper::Html::parse_document(&page)
            .root_element()
            .text()
            .collect();
        prop_assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
