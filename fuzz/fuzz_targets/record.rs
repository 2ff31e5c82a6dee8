//! Bytes → one vendor record → decoding, parsing, validation, figures and the rendered vendor
//! page, through the library as `build` runs it. Any panic is a finding; so is a page that
//! carries a script element other than the vendor template's own, or an event-handler
//! attribute, which the default templates never write and no record may inject; so is a text
//! that the YAML fast path reads otherwise than serde-saphyr, as a record, a site.yaml or an
//! idps.yaml.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use scimfacts::build::render_record_page;
use scimfacts::compute::compute_vendor;
use scimfacts::load::{Parsed, SourceFile, fast_path_agrees, parse_yaml};
use scimfacts::model::{Date, IdpFile, SiteConfig, Vendor};
use scimfacts::render::Renderer;

struct Fixture {
    renderer: Renderer,
    config: (SourceFile, SiteConfig),
    idps: (SourceFile, IdpFile),
    today: Date,
}

fn source(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from(path),
        text: text.to_owned(),
    }
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let config = source(
        "data/site.yaml",
        "title: Fuzz Facts\nbase_url: https://fuzz.example.org/\nteam_sizes: [1, 50, 4294967295]\n",
    );
    let idps = source(
        "data/idps.yaml",
        "okta: {name: Okta}\nentra: {name: Microsoft Entra ID}\ngoogle: {name: Google}\n",
    );
    // A root without templates/: the built-in templates, as a fresh site has them.
    let no_templates = std::env::temp_dir().join("scimfacts-fuzz-no-such-root");
    Fixture {
        renderer: Renderer::new(&no_templates).expect("the built-in templates parse"),
        config: (
            config.clone(),
            parse_yaml(&config).expect("fixture site.yaml"),
        ),
        idps: (idps.clone(), parse_yaml(&idps).expect("fixture idps.yaml")),
        today: Date("2026-06-01".parse().unwrap()),
    }
});

fuzz_target!(|bytes: &[u8]| {
    assert_fast_path_agrees(bytes);
    let fixture = &*FIXTURE;
    let rendered = render_record_page(
        &fixture.renderer,
        &fixture.config,
        &fixture.idps,
        bytes,
        fixture.today,
    );
    match rendered {
        Ok(html) => {
            let lower = html.to_ascii_lowercase();
            assert_scripts_are_the_templates(&lower);
            assert!(!lower.contains(" onerror=") && !lower.contains(" onclick="));
            assert!(!lower.contains("href=\"javascript:"), "a javascript: link");
            assert_figures_are_finite(bytes);
        }
        Err(diagnostics) => assert!(diagnostics.has_errors(), "a failure names its errors"),
    }
});

/// The script elements of a vendor page are the template's own, each at most once: its JSON-LD,
/// the calculator's figures and the calculator. Any other was injected by the record.
fn assert_scripts_are_the_templates(lower: &str) {
    let mut seen: Vec<&str> = Vec::new();
    for (at, _) in lower.match_indices("<script") {
        let tag = lower[at..].split_inclusive('>').next().unwrap_or_default();
        let calculator = tag
            .strip_prefix("<script src=\"../../calculator.js?h=")
            .and_then(|rest| rest.strip_suffix("\" defer>"))
            .is_some_and(|hash| hash.bytes().all(|b| b.is_ascii_hexdigit()));
        let known = calculator
            || tag == "<script type=\"application/ld+json\">"
            || tag == "<script type=\"application/json\" id=\"pricing-data\">";
        assert!(known, "a script element reached the page: {tag}");
        assert!(!seen.contains(&tag), "a second {tag}");
        seen.push(tag);
    }
}

/// Whatever the YAML fast path takes of the text, as any of the three kinds of file, serde-saphyr
/// reads the same; what it declines is serde-saphyr's alone, and nothing to compare.
fn assert_fast_path_agrees(bytes: &[u8]) {
    // As `decode_source` gives a file's text to the parse: UTF-8, without a byte-order mark.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    agree::<Vendor>(text, "a vendor record");
    agree::<SiteConfig>(text, "site.yaml");
    agree::<IdpFile>(text, "idps.yaml");
}

fn agree<T: Parsed>(text: &str, what: &str) {
    if let Err(difference) = fast_path_agrees::<T>(text) {
        panic!("{text:?} as {what}: {difference}");
    }
}

/// Every figure of a record that rendered is a number a person can read: no `inf`, no `NaN`.
fn assert_figures_are_finite(bytes: &[u8]) {
    let fixture = &*FIXTURE;
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let Ok(vendor) = parse_yaml::<Vendor>(&source("data/vendors/fuzzed.yaml", text)) else {
        return;
    };
    let figures = compute_vendor(&vendor, &fixture.config.1.team_sizes, &fixture.idps.1);
    let tree = serde_json::to_value(&figures).expect("figures serialize");
    assert_texts_finite(&tree);
}

fn assert_texts_finite(value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Array(items) => items.iter().for_each(assert_texts_finite),
        Value::Object(map) => {
            for (key, item) in map {
                if key.ends_with("text")
                    && let Value::String(text) = item
                {
                    assert!(
                        !text.contains("inf") && !text.contains("NaN"),
                        "{key} = {text:?}"
                    );
                }
                assert_texts_finite(item);
            }
        }
        _ => {}
    }
}
