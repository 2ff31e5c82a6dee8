//! What templates see: the site, the page, and a vendor, either whole (its own page) or as a
//! row (the pages that list vendors). Both shapes of a vendor serialize with the same fields,
//! so that a component such as `vendor_row` or `freshness` works with either.

use std::collections::BTreeMap;

use serde::Serialize;

use super::verdict::{Verdict, verdicts};
use crate::compute::{
    AtGlance, ComputedVendor, Coverage, Disagreement, Freshness, Premium, PriceView, Provisioning,
    SiteFacts, VendorFigures, VendorRow,
};
use crate::export;
use crate::markdown;
use crate::model::{CATALOGUES, Catalogue, CatalogueEntry, Date, IdpSupport, Vendor};
use crate::page::{base_url, vendor_path};

/// `site` in every template.
#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    /// Always ends in `/`.
    base_url: String,
    team_sizes: &'a [u32],
    today: String,
    stale_after_days: u32,
    vendor_count: usize,
    /// Whether the site shows price history (`/changes/` exists).
    history: bool,
}

impl SiteView<'_> {
    pub(super) fn new(facts: &SiteFacts) -> SiteView<'_> {
        SiteView {
            title: &facts.config.title,
            description: facts.config.description.as_deref(),
            base_url: base_url(&facts.config.base_url),
            team_sizes: &facts.config.team_sizes,
            today: facts.today.to_string(),
            stale_after_days: facts.config.stale_after_days,
            vendor_count: facts.vendor_count,
            history: facts.history.is_some(),
        }
    }
}

/// `page` in every template.
#[derive(Serialize)]
pub(super) struct PageView {
    /// The page's own path below the site root (`vendors/x/`).
    path: String,
    /// The absolute URL of the page, from `base_url`.
    canonical: String,
    /// What to put before a path below the site root to link to it from this page: relative
    /// (`../../`), so the site works from any sub-path and from disk. The 404 page is served
    /// at any address, so it alone uses the absolute path of `base_url`.
    pub(super) root: String,
    title: String,
    description: String,
    /// Open Graph type: `article` for vendor pages, `website` for the rest.
    kind: &'static str,
}

/// The `<title>` and meta description of a page.
pub(super) struct PageText {
    pub(super) title: String,
    pub(super) description: String,
}

impl PageView {
    pub(super) fn new(
        facts: &SiteFacts,
        path: String,
        root: String,
        text: PageText,
        kind: &'static str,
    ) -> PageView {
        PageView {
            canonical: format!("{}{path}", base_url(&facts.config.base_url)),
            path,
            root,
            title: text.title,
            description: text.description,
            kind,
        }
    }
}

/// A vendor as templates see it: the record as written, its figures, and its Markdown
/// rendered.
#[derive(Serialize)]
pub(super) struct VendorView<'a> {
    slug: &'a str,
    /// Below the site root: templates put `page.root` in front.
    url: String,
    /// The whole record on a vendor's own page; in lists, only what a row shows (serializing
    /// every record whole into a 10,000-row table costs more than rendering it).
    record: WholeOrRow<&'a Vendor, RowRecord<'a>>,
    figures: WholeOrRow<&'a VendorFigures, RowFigures<'a>>,
    freshness: Freshness,
    /// The record's identity providers in the order of `idps.yaml`, with their names (on a
    /// vendor's own page only).
    pub(super) idps: Vec<IdpRow<'a>>,
    /// The providers whose setup the record describes (on a vendor's own page only).
    pub(super) configured_idps: Vec<IdpRow<'a>>,
    summary_html: Option<String>,
    sentiment_html: Option<String>,
    sections: Vec<SectionView<'a>>,
    /// The figures the calculator recomputes, as JSON safe to put in a `<script>`.
    pricing_json: Option<String>,
    /// schema.org description of the vendor, as JSON safe to put in a `<script>`.
    json_ld: Option<String>,
    /// Each source id's number in the list of sources, for citations (own page only).
    cites: BTreeMap<&'a str, usize>,
    /// Where the record and its catalogues disagree (own page only).
    disagreements: &'a [Disagreement],
    /// What each catalogue says, in its own words (own page only).
    catalogues: Vec<CatalogueView<'a>>,
    /// The catalogue of the oldest statement the figures use, whose date `record.verified` then
    /// is (own page only).
    verified_by: Option<&'static Catalogue>,
    /// The verdict on SCIM and SSO at the top of the page (own page only).
    verdict: Vec<Verdict<'a>>,
}

/// One catalogue's entry for a vendor, for its page.
#[derive(Serialize)]
struct CatalogueView<'a> {
    catalogue: &'static Catalogue,
    entry: &'a CatalogueEntry,
    url: String,
    /// The catalogue's words as a list in field order: a template iterating a map sees its
    /// keys in no fixed order, and a build must come out the same every time.
    words: Vec<WordsView<'a>>,
}

/// One field of a catalogue's entry, in its words.
#[derive(Serialize)]
struct WordsView<'a> {
    field: &'a str,
    text: &'a str,
}

impl<'a> CatalogueView<'a> {
    fn all(record: &'a Vendor) -> Vec<CatalogueView<'a>> {
        CATALOGUES
            .iter()
            .filter_map(|catalogue| {
                let entry = record.catalogues.get(catalogue.id)?;
                Some(CatalogueView {
                    catalogue,
                    entry,
                    url: catalogue.entry_url(&entry.entry),
                    words: entry
                        .words
                        .iter()
                        .map(|(field, text)| WordsView { field, text })
                        .collect(),
                })
            })
            .collect()
    }
}

/// All of something on a vendor's own page, or what a row of a list shows of it, serialized
/// alike (the row's fields keep the names they have in the whole).
#[derive(Serialize)]
#[serde(untagged)]
enum WholeOrRow<W, R> {
    Whole(W),
    Row(R),
}

/// The fields of a record that list pages show, under the same names as in the record.
#[derive(Serialize)]
struct RowRecord<'a> {
    name: &'a str,
    category: Option<&'a str>,
    verified: Option<Date>,
    sso: RowAvailability<'a>,
    scim: RowAvailability<'a>,
}

#[derive(Serialize)]
struct RowAvailability<'a> {
    available: Option<bool>,
    tier: Option<&'a str>,
}

/// What a list row shows of the figures. The SCIM plan's price and premium only in the SCIM
/// tax ranking and the feed, which alone show them: serializing them into every row of every
/// list costs more than the row.
#[derive(Serialize)]
struct RowFigures<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    scim_price: Option<&'a PriceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scim_premium: Option<&'a Premium>,
    scim_at_first_size: Option<&'a AtGlance>,
    sso_at_first_size: Option<&'a AtGlance>,
    coverage: &'a Coverage,
}

/// One identity provider on a vendor's own page.
#[derive(Serialize, Clone)]
pub(super) struct IdpRow<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) support: &'a IdpSupport,
    pub(super) scim: Provisioning,
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    body_html: String,
}

impl<'a> VendorView<'a> {
    /// A vendor as a row of a list; `with_premium` (and the SCIM plan's price) for the SCIM tax
    /// ranking and the feed.
    pub(super) fn row(
        facts: &'a SiteFacts,
        row: &'a VendorRow,
        with_premium: bool,
    ) -> VendorView<'a> {
        let figures = &row.figures;
        VendorView {
            slug: &row.slug,
            url: vendor_path(&row.slug),
            record: WholeOrRow::Row(RowRecord {
                name: &row.name,
                category: row.category.as_deref(),
                verified: row.verified,
                sso: RowAvailability {
                    available: row.sso_available,
                    tier: None,
                },
                scim: RowAvailability {
                    available: row.scim_available,
                    tier: row.figures.scim_tier.as_deref(),
                },
            }),
            figures: WholeOrRow::Row(RowFigures {
                scim_price: with_premium.then_some(&figures.scim_price),
                scim_premium: with_premium.then_some(&figures.scim_premium),
                scim_at_first_size: figures.scim_at_first_size.as_ref(),
                sso_at_first_size: figures.sso_at_first_size.as_ref(),
                coverage: &figures.coverage,
            }),
            freshness: facts.freshness(row.verified),
            idps: Vec::new(),
            configured_idps: Vec::new(),
            summary_html: None,
            sentiment_html: None,
            sections: Vec::new(),
            pricing_json: None,
            json_ld: None,
            cites: BTreeMap::new(),
            disagreements: &[],
            catalogues: Vec::new(),
            verified_by: None,
            verdict: Vec::new(),
        }
    }

    /// A vendor on its own page: the whole record, its Markdown rendered, and the JSON its
    /// scripts need.
    pub(super) fn full(facts: &'a SiteFacts, vendor: &'a ComputedVendor) -> VendorView<'a> {
        let record = &vendor.entry.record;
        let idps = idp_rows(facts, record);
        // Each field names its footnotes' ids, so that the fields' notes never share one.
        let markdown_of = |text: &Option<String>, field: &str| {
            text.as_deref().map(|text| markdown::to_html(text, field))
        };
        VendorView {
            slug: &vendor.entry.slug,
            url: vendor_path(&vendor.entry.slug),
            record: WholeOrRow::Whole(record),
            figures: WholeOrRow::Whole(&vendor.figures),
            freshness: facts.freshness(record.verified),
            configured_idps: idps
                .iter()
                .filter(|row| row.support.setup.is_some())
                .cloned()
                .collect(),
            idps,
            summary_html: markdown_of(&record.summary, "summary"),
            sentiment_html: record
                .sentiment
                .as_ref()
                .and_then(|s| markdown_of(&s.summary, "sentiment")),
            sections: record
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| SectionView {
                    title: &s.title,
                    body_html: markdown::to_html(&s.body, &format!("section-{}", i + 1)),
                })
                .collect(),
            pricing_json: Some(export::page_data(facts, vendor)),
            json_ld: Some(script_json(&export::json_ld(facts, vendor))),
            cites: record
                .sources
                .iter()
                .enumerate()
                .filter_map(|(i, source)| Some((source.id.as_deref()?, i + 1)))
                .collect(),
            disagreements: &vendor.disagreements,
            catalogues: CatalogueView::all(record),
            verified_by: vendor.verified_by,
            verdict: verdicts(record, &vendor.figures),
        }
    }
}

/// The record's identity providers in the order of `idps.yaml`, with their names.
fn idp_rows<'a>(facts: &'a SiteFacts, record: &'a Vendor) -> Vec<IdpRow<'a>> {
    facts
        .idps
        .iter()
        .filter_map(|(id, idp)| {
            let support = record.idps.get(id)?;
            Some(IdpRow {
                id,
                name: &idp.name,
                support,
                scim: Provisioning::from(support.scim),
            })
        })
        .collect()
}

/// JSON that can stand inside a `<script>` element: `<`, `>` and `&` are written as escapes,
/// so no string in it can close the element or open a comment.
pub fn script_json(value: &impl Serialize) -> String {
    export::escape_markup(&serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_scripts_cannot_close_the_script() {
        let json = script_json(&serde_json::json!({"a": "</script><!-- & -->"}));
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["a"], "</script><!-- & -->");
    }
}
