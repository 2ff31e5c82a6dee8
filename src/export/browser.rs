//! The data the site's scripts work from: `/api/pricing.js` (every vendor's offers, for the
//! index at a team size, the stack calculator and compare) and the same for one vendor,
//! embedded in its page for its calculator. Both have one shape: the site's team sizes, how
//! each currency is written, and vendors (see [`crate::compute::Pricing`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::escape_markup;
use crate::compute::{ComputedVendor, Site, SiteFacts};
use crate::money::{minor_digits, symbol};

/// How amounts in one currency are written: `$` and two minor digits for USD.
#[derive(Serialize)]
struct CurrencyFormat {
    symbol: Option<&'static str>,
    exponent: u16,
}

fn formats<'a>(currencies: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, CurrencyFormat> {
    currencies
        .map(|code| {
            let format = CurrencyFormat {
                symbol: symbol(code),
                exponent: minor_digits(code),
            };
            (code, format)
        })
        .collect()
}

/// `/api/pricing.js`: a script that sets `window.scimfactsData`. A script rather than JSON, so
/// that pages opened from disk (where `fetch` is refused) can load it too.
pub fn site_data_script(site: &Site) -> String {
    let head = serde_json::json!({
        "schema_version": super::SCHEMA_VERSION,
        "team_sizes": site.facts.config.team_sizes,
        "currencies": formats(site.vendors.iter().map(|v| v.figures.currency.as_str())),
    });
    let mut out = String::with_capacity(site.vendors.len() * 400 + 256);
    out.push_str("// The offers and prices of every vendor, for the site's scripts. Made by scimfacts.\nwindow.scimfactsData = ");
    let head = escape_markup(&head.to_string());
    // The head's closing brace gives way to the vendors.
    out.push_str(head.strip_suffix('}').unwrap_or(&head));
    out.push_str(",\"vendors\":[\n");
    for (i, vendor) in site.vendors.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&escape_markup(&vendor.pricing_json));
    }
    out.push_str("\n]};\n");
    out
}

/// The data of one vendor's page, in the shape of `/api/pricing.js`, as JSON safe to put in a
/// `<script>` element.
pub fn page_data(facts: &SiteFacts, vendor: &ComputedVendor) -> String {
    /// The head of the data, before its vendors.
    #[derive(Serialize)]
    struct Head<'a> {
        schema_version: u32,
        team_sizes: &'a [u32],
        currencies: BTreeMap<&'a str, CurrencyFormat>,
    }
    let head = serde_json::to_string(&Head {
        schema_version: super::SCHEMA_VERSION,
        team_sizes: &facts.config.team_sizes,
        currencies: formats(std::iter::once(vendor.figures.currency.as_str())),
    })
    .unwrap_or_else(|_| "{}".to_owned());
    let head = head.strip_suffix('}').unwrap_or(&head);
    escape_markup(&format!("{head},\"vendors\":[{}]}}", vendor.pricing_json))
}
