//! `/api/lists.js`: what the long lists (the index, each identity provider's page, the SCIM
//! tax ranking, each category) show of every vendor, so that `static/list.js` can sort,
//! filter and page through the whole list in the browser while the page itself holds only one
//! page of rows. Everything in it is decided here; the script only orders, matches and lays
//! out. Money at the reader's team size comes from `/api/pricing.js`; what each vendor's record
//! says of one identity provider from `/api/idps/<id>.js`, which only that provider's page
//! loads.

use std::collections::BTreeMap;

use serde::Serialize;

use super::escape_markup;
use crate::compute::{Availability, Freshness, PremiumStatus, Provisioning, Site, VendorRow};
use crate::model::Date;
use crate::slug::slugify;

/// One vendor, as every list shows it.
#[derive(Serialize)]
struct Listed<'a> {
    slug: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    /// Its category's page, `categories/<category_slug>/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    category_slug: Option<String>,
    verified: Option<Date>,
    freshness: Freshness,
    /// The currency of its figures: amounts sort only against amounts in the same currency.
    currency: &'a str,
    /// Whether it offers SCIM at all (the lists' SCIM filter).
    scim: Availability,
    /// Providers that provision it fully, and how many the site knows; `None` when its record
    /// states no provider's provisioning (the list says "Unknown").
    full_scim: Option<(usize, usize)>,
    /// The providers it connects to by SSO or provisioning, as positions in `idps`.
    connects: Vec<usize>,
}

/// A vendor on a provider's page: SSO (`true`, `false` or `null`), provisioning, whether the
/// record describes setup steps, and its note, as an array to keep the file small.
#[derive(Serialize)]
struct IdpCell<'a>(Option<bool>, Provisioning, bool, Option<&'a str>);

/// A vendor of the SCIM tax ranking, in rank order.
#[derive(Serialize)]
struct Ranked<'a> {
    slug: &'a str,
    tier: Option<&'a str>,
    base_tier: Option<&'a str>,
    /// The premium when it is the same at every team size; `null`: it varies.
    percent_text: Option<&'a str>,
    /// The premium in percent at the first team size, what the ranking is ordered by.
    percent: f64,
    /// At each team size where it is known: the extra per year, and that as text with its
    /// percentage.
    extra: Vec<(f64, &'a str, &'a str)>,
}

/// The whole of `/api/lists.js`: a script that sets `window.scimfactsLists`, a script rather
/// than JSON so that pages opened from disk can load it.
pub fn list_data_script(site: &Site) -> String {
    let idps: Vec<&str> = site.facts.idps.iter().map(|(id, _)| id).collect();
    let mut out = String::with_capacity(site.vendors.len() * 300 + 256);
    out.push_str(
        "// What the site's long lists show of every vendor, for their scripts. Made by scimfacts.\nwindow.scimfactsLists = {",
    );
    out.push_str(&format!(
        "\"schema_version\":{},\"page_size\":{},\"idps\":{},\"currencies\":{},\"vendors\":[\n",
        super::SCHEMA_VERSION,
        site.summary.page_size,
        json(&idps),
        json(&currencies_by_use(site))
    ));
    for (n, &i) in site.summary.by_name.iter().enumerate() {
        if n > 0 {
            out.push_str(",\n");
        }
        out.push_str(&json(&listed(site, &site.vendors[i], &idps)));
    }
    out.push_str("\n],\"ranking\":[\n");
    for (n, &i) in site.summary.scim_tax.ranked.iter().enumerate() {
        if n > 0 {
            out.push_str(",\n");
        }
        out.push_str(&json(&ranked(&site.vendors[i])));
    }
    out.push_str("\n]};\n");
    out
}

/// The currencies of the site's figures, the most used first (then by code): a column of
/// amounts is sorted within each currency, in this order, never across them.
fn currencies_by_use(site: &Site) -> Vec<&str> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for vendor in &site.vendors {
        *counts.entry(vendor.figures.currency.as_str()).or_default() += 1;
    }
    let mut currencies: Vec<(&str, usize)> = counts.into_iter().collect();
    currencies.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    currencies.into_iter().map(|(code, _)| code).collect()
}

fn listed<'a>(site: &Site, vendor: &'a VendorRow, idps: &[&'a str]) -> Listed<'a> {
    let coverage = &vendor.figures.coverage;
    Listed {
        slug: &vendor.slug,
        name: &vendor.name,
        category: vendor.category.as_deref(),
        category_slug: vendor.category.as_deref().map(slugify),
        verified: vendor.verified,
        freshness: site.facts.freshness(vendor.verified),
        currency: &vendor.figures.currency,
        scim: Availability::from(vendor.scim_available),
        full_scim: (coverage.stated > 0).then_some((coverage.scim_full, coverage.known)),
        connects: (0..idps.len())
            .filter(|&at| vendor.idp(idps[at]).is_some_and(|s| s.connects()))
            .collect(),
    }
}

/// `/api/idps/<id>.js` for the provider at `at` of the summary: a script that sets
/// `window.scimfactsIdp` to the provider's id and one cell per vendor, in the order of
/// `/api/lists.js` (`null` where the record names no such provider).
pub fn idp_data_script(site: &Site, at: usize) -> String {
    let id = &site.summary.idp_coverage[at].id;
    let mut out = String::with_capacity(site.vendors.len() * 40 + 256);
    out.push_str(&format!(
        "// What every vendor's record says of one identity provider. Made by scimfacts.\nwindow.scimfactsIdp = {{\"id\":{},\"vendors\":[\n",
        json(id)
    ));
    for (n, &i) in site.summary.by_name.iter().enumerate() {
        if n > 0 {
            out.push_str(",\n");
        }
        let cell = site.vendors[i].idp(id).map(|s| {
            IdpCell(
                s.sso,
                Provisioning::from(s.scim),
                s.has_setup,
                s.notes.as_deref(),
            )
        });
        out.push_str(&json(&cell));
    }
    out.push_str("\n]};\n");
    out
}

fn ranked(vendor: &VendorRow) -> Ranked<'_> {
    let premium = &vendor.figures.scim_premium;
    debug_assert_eq!(premium.status, PremiumStatus::Priced);
    Ranked {
        slug: &vendor.slug,
        tier: premium.tier.as_deref(),
        base_tier: premium.base_tier.as_deref(),
        percent_text: premium.percent_text.as_deref(),
        percent: premium.rows.first().map_or(0.0, |row| row.percent),
        extra: premium
            .rows
            .iter()
            .map(|row| {
                (
                    row.extra_per_year,
                    row.extra_text.as_str(),
                    row.percent_text.as_str(),
                )
            })
            .collect(),
    }
}

/// Compact JSON that can stand in a script.
fn json(value: &impl Serialize) -> String {
    escape_markup(&serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()))
}
