//! The site's data for other tools: `/api/vendors.json` (every vendor with its computed
//! figures), `/api/vendors/<slug>.json` (one full record with its figures), `/api/vendors.csv`,
//! and the JSON that pages embed (the calculator's prices, schema.org JSON-LD).
//!
//! Every JSON file carries `schema_version`; dates are ISO 8601 (`YYYY-MM-DD`).

use serde::Serialize;
use serde_json::{Value, json};

use crate::compute::{Coverage, Premium, PriceView, Site, VendorFigures, scim_tiers};
use crate::model::{Date, Price, Vendor};
use crate::money::{minor_digits, symbol};
use crate::render::{Page, base_url, freshness, vendor_path};

/// Bumped when a field of the JSON is renamed or removed (not when one is added).
pub const SCHEMA_VERSION: u32 = 1;

/// The text of a machine-readable output.
pub fn render(site: &Site, page: &Page) -> String {
    match page {
        Page::ApiVendors => to_json(&all_vendors(site)),
        Page::ApiVendor(i) => to_json(&one_vendor(site, *i)),
        Page::ApiCsv => csv(site),
        _ => String::new(),
    }
}

/// Writes the whole-site JSON (`/api/vendors.json`) to `out` as it is made: at 100,000
/// vendors it is 300 MB, which a build need not hold.
pub fn write_all_vendors(site: &Site, out: impl std::io::Write) -> std::io::Result<()> {
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
    freshness: &'static str,
    sso_available: Option<bool>,
    scim_available: Option<bool>,
    scim_tier: Option<&'a str>,
    scim_price: &'a PriceView,
    scim_cost: &'a crate::compute::Cost,
    scim_premium: &'a Premium,
    sso_premium: &'a Premium,
    coverage: &'a Coverage,
}

#[derive(Serialize)]
struct OneVendor<'a> {
    schema_version: u32,
    slug: &'a str,
    url: String,
    verified: Option<Date>,
    freshness: &'static str,
    /// The record as written.
    record: &'a Vendor,
    figures: &'a VendorFigures,
}

fn all_vendors(site: &Site) -> AllVendors<'_> {
    AllVendors {
        schema_version: SCHEMA_VERSION,
        generated: site.today,
        site: SiteInfo {
            title: &site.config.title,
            base_url: base_url(&site.config.base_url),
        },
        team_sizes: &site.config.team_sizes,
        vendors: (0..site.vendors.len())
            .map(|i| vendor_summary(site, i))
            .collect(),
    }
}

fn vendor_summary(site: &Site, i: usize) -> VendorSummary<'_> {
    let entry = &site.vendors[i];
    let record = &entry.record;
    let figures = &site.figures[i];
    let base = base_url(&site.config.base_url);
    VendorSummary {
        slug: &entry.slug,
        url: format!("{base}{}", vendor_path(&entry.slug)),
        json: format!("{base}api/vendors/{}.json", entry.slug),
        name: &record.name,
        now_known_as: record.now_known_as.as_deref(),
        category: record.category.as_deref(),
        website: record.website.as_deref(),
        verified: record.verified,
        freshness: freshness(record.verified, site.today, site.config.stale_after_days),
        sso_available: record.sso.available,
        scim_available: record.scim.available,
        scim_tier: record.scim.tier.as_deref(),
        scim_price: &figures.scim_price,
        scim_cost: &figures.scim_cost,
        scim_premium: &figures.scim_premium,
        sso_premium: &figures.sso_premium,
        coverage: &figures.coverage,
    }
}

fn one_vendor(site: &Site, i: usize) -> OneVendor<'_> {
    let entry = &site.vendors[i];
    OneVendor {
        schema_version: SCHEMA_VERSION,
        slug: &entry.slug,
        url: format!(
            "{}{}",
            base_url(&site.config.base_url),
            vendor_path(&entry.slug)
        ),
        verified: entry.record.verified,
        freshness: freshness(
            entry.record.verified,
            site.today,
            site.config.stale_after_days,
        ),
        record: &entry.record,
        figures: &site.figures[i],
    }
}

/// One row per vendor: its facts at a glance and the cost of SCIM at each team size.
fn csv(site: &Site) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "slug",
        "name",
        "category",
        "sso_available",
        "scim_available",
        "scim_tier",
        "scim_tier_price",
        "scim_premium_percent",
    ]
    .map(str::to_owned)
    .to_vec();
    for size in &site.config.team_sizes {
        header.push(format!("scim_cost_per_year_{size}_users"));
    }
    header.extend(["currency", "idps_with_full_scim", "verified", "url"].map(str::to_owned));
    let _ = writer.write_record(&header);
    let base = base_url(&site.config.base_url);
    for (entry, figures) in site.vendors.iter().zip(&site.figures) {
        let record = &entry.record;
        let mut row: Vec<String> = vec![
            entry.slug.clone(),
            spreadsheet_safe(&record.name),
            spreadsheet_safe(record.category.as_deref().unwrap_or("")),
            flag(record.sso.available),
            flag(record.scim.available),
            spreadsheet_safe(record.scim.tier.as_deref().unwrap_or("")),
            spreadsheet_safe(&figures.scim_price.text),
            figures
                .scim_premium
                .percent
                .map(|p| format!("{p:.1}"))
                .unwrap_or_default(),
        ];
        for size in &site.config.team_sizes {
            let cost = figures.scim_cost.rows.iter().find(|r| r.users == *size);
            row.push(cost.map(|r| format!("{:.2}", r.annual)).unwrap_or_default());
        }
        let currency = figures.scim_cost.rows.first().map(|r| r.currency.clone());
        row.push(currency.unwrap_or_default());
        row.push(figures.coverage.scim_full.to_string());
        row.push(record.verified.map(|d| d.to_string()).unwrap_or_default());
        row.push(format!("{base}{}", vendor_path(&entry.slug)));
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn flag(value: Option<bool>) -> String {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
    .to_owned()
}

/// A cell a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`, `@` or a
/// control character gets a leading apostrophe (OWASP's advice for CSV exports).
fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// What the calculator of a vendor page needs to recompute the page's figures: every tier's
/// price, and which tiers include SCIM, decided here as `compute` decides it.
#[derive(Serialize)]
pub struct Pricing<'a> {
    currency: String,
    symbol: Option<&'static str>,
    exponent: u16,
    team_sizes: &'a [u32],
    tiers: Vec<PricedTier<'a>>,
    /// Cheaper tiers without a published price: the premium is unknown while they are.
    unpriced_tiers: &'a [String],
    /// The SCIM tier, when its pricing is custom.
    scim_custom_tier: Option<&'a str>,
}

#[derive(Serialize)]
struct PricedTier<'a> {
    name: &'a str,
    #[serde(flatten)]
    price: &'a PriceView,
    scim: bool,
}

pub fn pricing(site: &Site, i: usize) -> Pricing<'_> {
    let record = &site.vendors[i].record;
    let figures = &site.figures[i];
    let with_scim = scim_tiers(record);
    let currency = record
        .tiers
        .iter()
        .find_map(|t| match &t.price {
            Some(Price::Amount(p)) => Some(p.currency.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "USD".to_owned());
    Pricing {
        symbol: symbol(&currency),
        exponent: minor_digits(&currency),
        currency,
        team_sizes: &site.config.team_sizes,
        tiers: record
            .tiers
            .iter()
            .zip(&figures.tier_prices)
            .map(|(tier, price)| PricedTier {
                name: &tier.name,
                price,
                scim: with_scim.iter().any(|t| std::ptr::eq(*t, tier)),
            })
            .collect(),
        unpriced_tiers: &figures.scim_premium.unpriced_tiers,
        scim_custom_tier: (figures.scim_cost.status == "custom")
            .then_some(figures.scim_cost.tier.as_deref())
            .flatten(),
    }
}

/// schema.org `SoftwareApplication` for a vendor page, with its published plans as offers.
pub fn json_ld(site: &Site, i: usize) -> Value {
    let entry = &site.vendors[i];
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
        "url": format!("{}{}", base_url(&site.config.base_url), vendor_path(&entry.slug)),
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

    #[test]
    fn formulas_cannot_sneak_into_spreadsheets() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Slack"), "Slack");
        assert_eq!(spreadsheet_safe(""), "");
    }
}
