//! Figures across vendors: categories, identity-provider coverage and the SCIM tax ranking,
//! for the pages that compare vendors.

use serde::Serialize;

use super::{PremiumStatus, SiteChanges, VendorRow};
use crate::model::{CATALOGUES, Catalogue, IdpFile, ScimMode};
use crate::money::format_percent;

/// Figures across all vendors.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteSummary {
    /// Every vendor (an index into `Site::vendors`) in the order of their names, which is the
    /// order of every list that is not ranked.
    pub by_name: Vec<usize>,
    /// How many vendors a page of a list shows (`paginate_by`, at least 1).
    pub page_size: usize,
    /// By name; each lists its vendors (indices into `Site::vendors`) in the order of their
    /// names.
    pub categories: Vec<Category>,
    /// One per identity provider, in the order of `idps.yaml`.
    pub idp_coverage: Vec<IdpCoverage>,
    /// Vendors sorted by what SCIM costs them.
    pub scim_tax: ScimTax,
    /// The public catalogues the site's facts come from, with how many vendors each gave.
    pub catalogues: Vec<CatalogueUse>,
    /// Every change of price history across the site, when the site shows it.
    #[serde(skip)]
    pub changes: Option<SiteChanges>,
}

/// A public catalogue the site's records were imported from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CatalogueUse {
    /// The catalogue, with its licence and the attribution it asks for.
    pub catalogue: &'static Catalogue,
    /// How many vendors' records hold a statement of it.
    pub vendors: usize,
}

/// A category and its vendors.
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    /// Names its page.
    pub slug: String,
    /// As the records write it (the first spelling met).
    pub name: String,
    /// Indices into `Site::vendors`, in the order of the vendors' names.
    pub vendors: Vec<usize>,
}

/// How many vendors connect to one identity provider, and how.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct IdpCoverage {
    /// The provider's id in `idps.yaml`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Vendors that support SSO with it.
    pub sso: usize,
    /// Vendors whose record says SSO does not work with it.
    pub sso_no: usize,
    /// Vendors whose record says nothing of SSO with it: every count shows its unknowns, so
    /// that SSO and SCIM counts add up to the same number of vendors.
    pub sso_unknown: usize,
    /// Vendors it provisions fully by SCIM.
    pub scim_full: usize,
    /// Vendors whose users it creates just in time.
    pub scim_jit: usize,
    /// Vendors it does not provision.
    pub scim_none: usize,
    /// Vendors whose record says nothing of this provider's provisioning.
    pub scim_unknown: usize,
}

/// Vendors sorted by what SCIM costs them.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ScimTax {
    /// Vendors with a priced SCIM premium, highest premium (at the first team size) first.
    pub ranked: Vec<usize>,
    /// SCIM only behind custom ("talk to sales") pricing. This list and the three below are
    /// in the order of the vendors' names.
    pub custom: Vec<usize>,
    /// SCIM in the cheapest paid (or a free) tier: no premium.
    pub included: Vec<usize>,
    /// SCIM offered, premium unknown.
    pub unknown: Vec<usize>,
    /// No SCIM at all.
    pub unavailable: Vec<usize>,
    /// Vendors that charge extra for SCIM: a priced premium above zero, or custom pricing.
    pub gating: usize,
    /// The median premium, in percent at the first team size, of the ranked vendors.
    pub median_percent: Option<f64>,
    /// `median_percent` as people read it.
    pub median_percent_text: Option<String>,
    /// How many vendors' SCIM premium (at the first team size) falls in each band, lowest
    /// first: SCIM in the cheapest paid plan counts as 0 %.
    pub bands: Vec<PremiumBand>,
}

/// A band of SCIM premiums and how many vendors charge one in it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PremiumBand {
    /// Its top, as an axis reads it: "0%", "≤25%" (above the band before's top), ">400%".
    pub label: &'static str,
    /// The highest premium in the band, in percent (above the band before's); `None` for the
    /// last band, which has no top.
    pub upto: Option<f64>,
    /// How many vendors charge a premium in it.
    pub count: usize,
}

/// The bands premiums are counted in: each holds the premiums above the one before's top.
const PREMIUM_BANDS: [(&str, Option<f64>); 7] = [
    ("0%", Some(0.0)),
    ("≤25%", Some(25.0)),
    ("≤50%", Some(50.0)),
    ("≤100%", Some(100.0)),
    ("≤200%", Some(200.0)),
    ("≤400%", Some(400.0)),
    (">400%", None),
];

/// How many of `percents` (and `included` more at 0 %) fall in each band.
fn premium_bands(percents: &[f64], included: usize) -> Vec<PremiumBand> {
    let mut bands: Vec<PremiumBand> = PREMIUM_BANDS
        .iter()
        .map(|&(label, upto)| PremiumBand {
            label,
            upto,
            count: 0,
        })
        .collect();
    bands[0].count = included;
    for &percent in percents {
        // Banded as pages show it (a premium of 25.13 % reads "+25%", and is up to 25 %).
        let percent = shown_percent(percent);
        let band = bands
            .iter()
            .position(|b| b.upto.is_none_or(|top| percent <= top))
            .unwrap_or(bands.len() - 1);
        bands[band].count += 1;
    }
    bands
}

/// The figures across `vendors` (sorted by slug), for the providers of `idps`, with lists
/// of `page_size` vendors a page.
pub fn summarize(
    vendors: &[VendorRow],
    idps: &IdpFile,
    page_size: u32,
    with_history: bool,
) -> SiteSummary {
    let by_name = by_name(vendors);
    SiteSummary {
        changes: with_history.then(|| SiteChanges::of(vendors)),
        categories: categories(vendors, &by_name),
        scim_tax: scim_tax(vendors, &by_name),
        by_name,
        page_size: usize::try_from(page_size).unwrap_or(usize::MAX).max(1),
        idp_coverage: idps
            .iter()
            .map(|(id, idp)| idp_coverage(id, &idp.name, vendors))
            .collect(),
        catalogues: CATALOGUES
            .iter()
            .map(|catalogue| CatalogueUse {
                catalogue,
                vendors: vendors
                    .iter()
                    .filter(|v| v.catalogues.iter().any(|c| c.id == catalogue.id))
                    .count(),
            })
            .filter(|use_| use_.vendors > 0)
            .collect(),
    }
}

/// The vendors in the order of their names, ignoring case; vendors of the same name in the
/// order of their slugs.
fn by_name(vendors: &[VendorRow]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..vendors.len()).collect();
    order.sort_by_cached_key(|i| vendors[*i].name.to_lowercase());
    order
}

fn categories(vendors: &[VendorRow], by_name: &[usize]) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::new();
    for &i in by_name {
        let vendor = &vendors[i];
        let Some(name) = vendor.category.as_deref() else {
            continue;
        };
        let slug = crate::slug::slugify(name);
        if slug.is_empty() {
            continue;
        }
        match categories.iter_mut().find(|c| c.slug == slug) {
            Some(category) => category.vendors.push(i),
            None => categories.push(Category {
                slug,
                name: name.to_owned(),
                vendors: vec![i],
            }),
        }
    }
    categories.sort_by_key(|c| c.name.to_lowercase());
    categories
}

fn idp_coverage(id: &str, name: &str, vendors: &[VendorRow]) -> IdpCoverage {
    let mut coverage = IdpCoverage {
        id: id.to_owned(),
        name: name.to_owned(),
        ..IdpCoverage::default()
    };
    for vendor in vendors {
        let support = vendor.idp(id);
        match support.and_then(|s| s.sso) {
            Some(true) => coverage.sso += 1,
            Some(false) => coverage.sso_no += 1,
            None => coverage.sso_unknown += 1,
        }
        match support.and_then(|s| s.scim) {
            Some(ScimMode::Full) => coverage.scim_full += 1,
            Some(ScimMode::Jit) => coverage.scim_jit += 1,
            Some(ScimMode::None) => coverage.scim_none += 1,
            None => coverage.scim_unknown += 1,
        }
    }
    coverage
}

/// The ranking of `vendors`; the vendors it does not rank in the order of their names
/// (`by_name`), as the SCIM tax page lists them.
fn scim_tax(vendors: &[VendorRow], by_name: &[usize]) -> ScimTax {
    let mut tax = ScimTax::default();
    for &i in by_name {
        match vendors[i].figures.scim_premium.status {
            PremiumStatus::Priced => tax.ranked.push(i),
            PremiumStatus::Custom => tax.custom.push(i),
            PremiumStatus::Included => tax.included.push(i),
            PremiumStatus::Unavailable => tax.unavailable.push(i),
            PremiumStatus::Unknown => tax.unknown.push(i),
        }
    }
    let first_percent = |i: &usize| {
        vendors[*i]
            .figures
            .scim_premium
            .rows
            .first()
            .map_or(0.0, |r| r.percent)
    };
    tax.ranked
        .sort_by(|a, b| first_percent(b).total_cmp(&first_percent(a)).then(a.cmp(b)));
    tax.gating = tax.custom.len() + tax.ranked.iter().filter(|i| first_percent(i) > 0.0).count();
    let mut percents: Vec<f64> = tax.ranked.iter().map(first_percent).collect();
    percents.sort_by(f64::total_cmp);
    tax.median_percent = median(&percents);
    tax.bands = premium_bands(&percents, tax.included.len());
    tax.median_percent_text = tax.median_percent.map(format_percent);
    tax
}

/// `percent` rounded as `format_percent` writes it: whole from 10 up, to a tenth below.
fn shown_percent(percent: f64) -> f64 {
    if percent.abs() >= 10.0 {
        percent.round()
    } else {
        (percent * 10.0).round() / 10.0
    }
}

/// The median of sorted values.
pub(super) fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod band_tests {
    use super::*;

    #[test]
    fn premiums_fall_in_the_band_whose_top_they_reach() {
        let bands = premium_bands(&[0.0, 0.5, 25.0, 25.4, 25.6, 400.0, 401.0, 1000.0], 3);
        let counts: Vec<usize> = bands.iter().map(|b| b.count).collect();
        assert_eq!(counts, [4, 3, 1, 0, 0, 1, 2]);
    }
}
