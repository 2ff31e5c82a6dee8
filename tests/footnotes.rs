//! Footnotes of several Markdown fields on one vendor page: each field's footnotes get ids of
//! their own, and each reference leads to its own field's note.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::*;
use scraper::{ElementRef, Html, Selector};
use serde_json::json;

/// Markdown whose references and notes say which field they belong to.
fn with_notes(field: &str) -> String {
    format!(
        "The {field} claim[^1] and the {field} remark[^Note].\n\n\
         [^1]: The first {field} note.\n\n[^Note]: The second {field} note.\n"
    )
}

fn page_with_footnotes_everywhere() -> Html {
    let site = fixture_copy("good");
    let record = json!({
        "name": "Notes Inc",
        "summary": with_notes("summary"),
        "sentiment": {"tone": "mixed", "summary": with_notes("sentiment")},
        "sections": [
            {"title": "One", "body": with_notes("section-one")},
            {"title": "Two", "body": with_notes("section-two")},
        ],
    });
    fs::write(
        site.path().join("data/vendors/notes.yaml"),
        record.to_string(),
    )
    .unwrap();
    let output = run_in(site.path(), &["build", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    Html::parse_document(&read(site.path().join("site/vendors/notes/index.html")))
}

fn text(element: ElementRef) -> String {
    element.text().collect()
}

#[test]
fn no_id_is_used_twice_on_a_page() {
    let page = page_with_footnotes_everywhere();
    let mut seen = BTreeSet::new();
    for element in page.select(&Selector::parse("[id]").unwrap()) {
        let id = element.value().id().unwrap();
        assert!(seen.insert(id.to_owned()), "id=\"{id}\" is used twice");
    }
}

#[test]
fn every_footnote_reference_leads_to_its_own_fields_note() {
    let page = page_with_footnotes_everywhere();
    let references = Selector::parse("sup.footnote-reference a").unwrap();
    let mut checked = 0;
    for field in ["summary", "sentiment", "section-one", "section-two"] {
        for link in page.select(&references) {
            let sentence =
                text(ElementRef::wrap(link.parent().unwrap().parent().unwrap()).unwrap());
            if !sentence.contains(&format!("The {field} claim")) {
                continue;
            }
            let href = link.value().attr("href").unwrap();
            let id = href.strip_prefix('#').expect(href);
            let target = Selector::parse(&format!("[id=\"{id}\"]")).unwrap();
            let notes: Vec<String> = page.select(&target).map(text).collect();
            let wanted = if text(link) == "1" { "first" } else { "second" };
            assert_eq!(notes.len(), 1, "{href}: {notes:?}");
            assert!(
                notes[0].contains(&format!("The {wanted} {field} note")),
                "{field}: {href} leads to {notes:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 8, "two references in each of four fields");
}
