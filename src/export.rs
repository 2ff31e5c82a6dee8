//! The site's data for other tools: `/api/vendors.json` (every vendor with its computed
//! figures), `/api/vendors/<slug>.json` (one full record with its figures), `/api/vendors.csv`,
//! and the JSON that pages embed (the calculator's prices, schema.org JSON-LD).
//!
//! Every JSON file carries `schema_version`; dates are ISO 8601 (`YYYY-MM-DD`).

mod browser;
mod lists;
mod table;

use serde::Serialize;
use serde_json::{Value, json};

pub use browser::{page_data, site_data_script};
pub use lists::{idp_data_script, list_data_script};
pub use table::csv;

use crate::compute::{
    ComputedVendor, Cost, Coverage, DatedBy, Disagreement, Freshness, HistoryChange, Premium,
    PremiumPoint, PriceHistory, PriceView, Site, SiteFacts, VendorFigures, VendorRow,
    catalogues_of, event_of,
};
use crate::model::{Catalogue, DataLicence, Date, Price, Vendor};
use crate::page::{base_url, vendor_json_path, vendor_path};

/// Bumped when a field of the JSON is renamed or removed (not when one is added).
pub const SCHEMA_VERSION: u32 = 1;

/// `/api/vendors/<slug>.json`: one whole record with its figures.
pub fn vendor_json(facts: &SiteFacts, vendor: &ComputedVendor) -> String {
    to_json(&one_vendor(facts, vendor))
}

/// Writes the whole-site JSON (`/api/vendors.json`) to `out` as it is made: at 100,000
/// vendors it is 300 MB, which a build need not hold. The only writer of that file.
pub fn write_all_vendors(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write;
    // serde_json writes a token at a time; the buffer hands the escaping large pieces.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, EscapeMarkup(out));
    serde_json::to_writer_pretty(&mut out, &all_vendors(site))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Pretty JSON in which `<`, `>` and `&` are written as escapes (they can only occur inside
/// strings, so the data is the same): a file pasted into a page cannot close a `<script>`.
fn to_json(value: &impl Serialize) -> String {
    let Ok(mut json) = serde_json::to_vec_pretty(value) else {
        return "null\n".to_owned();
    };
    json.push(b'\n');
    // serde_json writes UTF-8, and the escapes are ASCII.
    String::from_utf8(escape_markup_bytes(json)).unwrap_or_else(|_| "null\n".to_owned())
}

/// `<`, `>` and `&` in JSON text as `\u` escapes.
pub fn escape_markup(json: &str) -> String {
    String::from_utf8(escape_markup_bytes(json.as_bytes().to_vec())).unwrap_or_default()
}

/// `json`, or a copy with markup escaped when it has any to escape (most have none).
fn escape_markup_bytes(json: Vec<u8>) -> Vec<u8> {
    if memchr::memchr3(b'<', b'>', b'&', &json).is_none() {
        return json;
    }
    let mut out = EscapeMarkup(Vec::with_capacity(json.len() + 64));
    // Writing to a Vec cannot fail.
    let _ = out.push(&json);
    out.0
}

/// Passes JSON text on to `W` with `<`, `>` and `&` escaped as it is written.
struct EscapeMarkup<W>(W);

impl<W: std::io::Write> EscapeMarkup<W> {
    fn push(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        while let Some(at) = memchr::memchr3(b'<', b'>', b'&', bytes) {
            let escape: &[u8] = match bytes[at] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            };
            self.0.write_all(&bytes[..at])?;
            self.0.write_all(escape)?;
            bytes = &bytes[at + 1..];
        }
        self.0.write_all(bytes)
    }
}

impl<W: std::io::Write> std::io::Write for EscapeMarkup<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.push(bytes)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[derive(Serialize)]
struct AllVendors<'a> {
    schema_version: u32,
    generated: Date,
    site: SiteInfo<'a>,
    team_sizes: &'a [u32],
    /// The licence the site's data is published under (`site.yaml`'s `data_licence`).
    data_licence: Option<&'a DataLicence>,
    /// The public catalogues the data comes from, with their licences and the credit they ask.
    attribution: Vec<&'static Catalogue>,
    vendors: Vec<VendorSummary<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    base_url: String,
}

/// A vendor as the list has it: its facts at a glance and every computed figure.
#[derive(Serialize)]
struct VendorSummary<'a> {
    slug: &'a str,
    url: String,
    json: String,
    name: &'a str,
    now_known_as: Option<&'a str>,
    category: Option<&'a str>,
    website: Option<&'a str>,
    verified: Option<Date>,
    freshness: Freshness,
    sso_available: Option<bool>,
    scim_available: Option<bool>,
    scim_tier: Option<&'a str>,
    /// The ISO 4217 currency of its figures.
    currency: &'a str,
    scim_price: &'a PriceView,
    scim_cost: &'a Cost,
    scim_premium: &'a Premium,
    /// What SSO costs at each team size; with `sso_premium`, its extra at each.
    sso_cost: &'a Cost,
    sso_premium: &'a Premium,
    coverage: &'a Coverage,
    /// The ids of the catalogues (of `attribution`) its facts were imported from.
    data_from: Vec<&'static str>,
}

#[derive(Serialize)]
struct OneVendor<'a> {
    schema_version: u32,
    slug: &'a str,
    url: String,
    verified: Option<Date>,
    freshness: Freshness,
    /// The record, merged with its catalogues' statements: every fact cites its source.
    record: &'a Vendor,
    figures: &'a VendorFigures,
    /// Where its sources disagree, and which statement the figures use.
    disagreements: &'a [Disagreement],
    /// The licence the site's data is published under.
    data_licence: Option<&'a DataLicence>,
    /// The public catalogues its facts were imported from, with their licences.
    attribution: Vec<&'static Catalogue>,
    /// What changed when, from the records' history in git: only on a site that shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<&'a PriceHistory>,
}

fn all_vendors(site: &Site) -> AllVendors<'_> {
    let config = &site.facts.config;
    AllVendors {
        schema_version: SCHEMA_VERSION,
        generated: site.facts.today,
        site: SiteInfo {
            title: &config.title,
            base_url: base_url(&config.base_url),
        },
        team_sizes: &config.team_sizes,
        data_licence: config.data_licence.as_ref(),
        attribution: site
            .summary
            .catalogues
            .iter()
            .map(|c| c.catalogue)
            .collect(),
        vendors: site
            .vendors
            .iter()
            .map(|row| vendor_summary(&site.facts, row))
            .collect(),
    }
}

fn vendor_summary<'a>(facts: &SiteFacts, row: &'a VendorRow) -> VendorSummary<'a> {
    let figures = &row.figures;
    let base = base_url(&facts.config.base_url);
    VendorSummary {
        slug: &row.slug,
        url: format!("{base}{}", vendor_path(&row.slug)),
        json: format!("{base}{}", vendor_json_path(&row.slug)),
        name: &row.name,
        now_known_as: row.now_known_as.as_deref(),
        category: row.category.as_deref(),
        website: row.website.as_deref(),
        verified: row.verified,
        freshness: facts.freshness(row.verified),
        sso_available: row.sso_available,
        scim_available: row.scim_available,
        scim_tier: row.figures.scim_tier.as_deref(),
        currency: &figures.currency,
        scim_price: &figures.scim_price,
        scim_cost: &figures.scim_cost,
        scim_premium: &figures.scim_premium,
        sso_cost: &figures.sso_cost,
        sso_premium: &figures.sso_premium,
        coverage: &figures.coverage,
        data_from: row.catalogues.iter().map(|c| c.id).collect(),
    }
}

fn one_vendor<'a>(facts: &'a SiteFacts, vendor: &'a ComputedVendor) -> OneVendor<'a> {
    let entry = &vendor.entry;
    OneVendor {
        schema_version: SCHEMA_VERSION,
        slug: &entry.slug,
        url: format!(
            "{}{}",
            base_url(&facts.config.base_url),
            vendor_path(&entry.slug)
        ),
        verified: entry.record.verified,
        freshness: facts.freshness(entry.record.verified),
        record: &entry.record,
        figures: &vendor.figures,
        disagreements: &vendor.disagreements,
        data_licence: facts.config.data_licence.as_ref(),
        attribution: catalogues_of(&entry.record),
        history: vendor.history.as_deref(),
    }
}

/// `/api/changes.json`: every change of price history across the site, newest first (those
/// not yet committed, without a date, before all others).
pub fn changes_json(site: &Site) -> String {
    let changes = site.summary.changes.as_ref();
    let all = changes.map_or(&[][..], |changes| changes.all.as_slice());
    let entries: Vec<ChangeEntry<'_>> = all
        .iter()
        .filter_map(|&at| {
            let vendor = &site.vendors[at.vendor];
            let event = event_of(&site.vendors, at)?;
            Some(ChangeEntry {
                slug: &vendor.slug,
                name: &vendor.name,
                url: format!(
                    "{}{}",
                    base_url(&site.facts.config.base_url),
                    vendor_path(&vendor.slug)
                ),
                commit: event.commit.as_deref(),
                date: event.date,
                dated_by: event.dated_by,
                change: event.changes.get(at.change)?,
                scim_premium_before: &event.scim_premium_before,
                scim_premium_after: &event.scim_premium_after,
                sso_premium_before: &event.sso_premium_before,
                sso_premium_after: &event.sso_premium_after,
            })
        })
        .collect();
    to_json(&AllChanges {
        schema_version: SCHEMA_VERSION,
        generated: site.facts.today,
        data_licence: site.facts.config.data_licence.as_ref(),
        changes: entries,
    })
}

#[derive(Serialize)]
struct AllChanges<'a> {
    schema_version: u32,
    generated: Date,
    data_licence: Option<&'a DataLicence>,
    changes: Vec<ChangeEntry<'a>>,
}

/// One change, with its vendor and its commit: `kind`, `tier`, `before` and `after` as in a
/// vendor's `history`.
#[derive(Serialize)]
struct ChangeEntry<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    /// `null` when not yet committed.
    commit: Option<&'a str>,
    date: Option<Date>,
    dated_by: Option<DatedBy>,
    #[serde(flatten)]
    change: &'a HistoryChange,
    scim_premium_before: &'a PremiumPoint,
    scim_premium_after: &'a PremiumPoint,
    sso_premium_before: &'a PremiumPoint,
    sso_premium_after: &'a PremiumPoint,
}

/// schema.org `SoftwareApplication` for a vendor page, with its published plans as offers.
pub fn json_ld(facts: &SiteFacts, vendor: &ComputedVendor) -> Value {
    let entry = &vendor.entry;
    let record = &entry.record;
    let offers: Vec<Value> = record
        .tiers
        .iter()
        .filter_map(|tier| match &tier.price {
            Some(Price::Amount(p)) => Some(json!({
                "@type": "Offer",
                "name": tier.name,
                "price": p.amount,
                "priceCurrency": p.currency,
                "description": format!("per {}", p.per.label()),
            })),
            Some(Price::Free) => Some(json!({
                "@type": "Offer",
                "name": tier.name,
                "price": 0,
            })),
            _ => None,
        })
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "SoftwareApplication",
        "name": record.name,
        "applicationCategory": "BusinessApplication",
        "url": format!("{}{}", base_url(&facts.config.base_url), vendor_path(&entry.slug)),
    });
    let extra = [
        (
            "applicationSubCategory",
            record.category.clone().map(Value::from),
        ),
        ("sameAs", record.website.clone().map(Value::from)),
        (
            "dateModified",
            record.verified.map(|d| Value::from(d.to_string())),
        ),
        (
            "alternateName",
            record.now_known_as.clone().map(Value::from),
        ),
        ("offers", (!offers.is_empty()).then(|| Value::from(offers))),
    ];
    for (key, value) in extra {
        if let Some(value) = value {
            ld[key] = value;
        }
    }
    ld
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_wherever_the_writes_split_the_text() {
        use std::io::Write;
        let mut out = EscapeMarkup(Vec::new());
        for piece in ["{\"a\": \"</scr", "ipt>&", "", "<", "b>\"}"] {
            out.write_all(piece.as_bytes()).unwrap();
        }
        assert_eq!(
            String::from_utf8(out.0).unwrap(),
            r#"{"a": "\u003c/script\u003e\u0026\u003cb\u003e"}"#
        );
        assert_eq!(escape_markup("a<b>&c"), r"a\u003cb\u003e\u0026c");
    }
}
