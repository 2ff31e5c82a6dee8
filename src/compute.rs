//! Every figure that must never be typed by hand: the cost of SCIM by team size, the premium
//! that SCIM (and SSO) cost over the cheapest paid tier, and identity-provider coverage.
//!
//! All figures are derived from the tiers' list prices; the formatted text beside each number
//! is made here too, so that pages, the JSON and the CSV can never disagree.

use serde::Serialize;

use std::sync::Arc;

use rayon::prelude::*;

use crate::load::VendorEntry;
use crate::model::{Date, IdpFile, Per, Price, PriceAmount, ScimMode, SiteConfig, Tier, Vendor};
use crate::money::{format_money, format_percent};

/// A valid site with every figure computed: what the renderer works from.
#[derive(Debug)]
pub struct Site {
    /// Shared: a build renders each record's own page from a site of that record alone.
    pub config: Arc<SiteConfig>,
    pub idps: Arc<IdpFile>,
    /// Sorted by slug.
    pub vendors: Vec<Arc<VendorEntry>>,
    /// `figures[i]` belongs to `vendors[i]`.
    pub figures: Vec<VendorFigures>,
    /// The day the build runs on (stale badges are relative to it).
    pub today: Date,
    /// Figures across vendors, for the pages that compare them.
    pub summary: SiteSummary,
    /// How many vendors the whole site has: a build renders each record's own pages from a
    /// site of that record alone, which still says how many there are.
    pub vendor_count: usize,
}

pub fn compute_site(
    config: Arc<SiteConfig>,
    idps: Arc<IdpFile>,
    vendors: Vec<Arc<VendorEntry>>,
    today: Date,
) -> Site {
    let figures: Vec<VendorFigures> = vendors
        .par_iter()
        .map(|entry| compute_vendor(&entry.record, &config.team_sizes, &idps))
        .collect();
    let summary = summarize(&vendors, &figures, &idps);
    Site {
        config,
        idps,
        vendor_count: vendors.len(),
        vendors,
        figures,
        today,
        summary,
    }
}

/// Figures across all vendors.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteSummary {
    /// By name; each lists its vendors (indices into `Site::vendors`).
    pub categories: Vec<Category>,
    /// One per identity provider, in the order of `idps.yaml`.
    pub idp_coverage: Vec<IdpCoverage>,
    pub scim_tax: ScimTax,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub slug: String,
    pub name: String,
    pub vendors: Vec<usize>,
}

/// How many vendors connect to one identity provider, and how.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct IdpCoverage {
    pub id: String,
    pub name: String,
    pub sso: usize,
    pub scim_full: usize,
    pub scim_jit: usize,
    pub scim_none: usize,
    /// Vendors whose record says nothing of this provider's provisioning.
    pub scim_unknown: usize,
}

/// Vendors sorted by what SCIM costs them.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ScimTax {
    /// Vendors with a priced SCIM premium, highest premium (at the first team size) first.
    pub ranked: Vec<usize>,
    /// SCIM only behind custom ("talk to sales") pricing.
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
    pub median_percent_text: Option<String>,
}

pub fn summarize(
    vendors: &[Arc<VendorEntry>],
    figures: &[VendorFigures],
    idps: &IdpFile,
) -> SiteSummary {
    SiteSummary {
        categories: categories(vendors),
        idp_coverage: idps
            .iter()
            .map(|(id, idp)| idp_coverage(id, &idp.name, vendors))
            .collect(),
        scim_tax: scim_tax(figures),
    }
}

fn categories(vendors: &[Arc<VendorEntry>]) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::new();
    for (i, vendor) in vendors.iter().enumerate() {
        let Some(name) = vendor.record.category.as_deref() else {
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

fn idp_coverage(id: &str, name: &str, vendors: &[Arc<VendorEntry>]) -> IdpCoverage {
    let mut coverage = IdpCoverage {
        id: id.to_owned(),
        name: name.to_owned(),
        ..IdpCoverage::default()
    };
    for vendor in vendors {
        let support = vendor.record.idps.get(id);
        coverage.sso += usize::from(support.is_some_and(|s| s.sso == Some(true)));
        match support.and_then(|s| s.scim) {
            Some(ScimMode::Full) => coverage.scim_full += 1,
            Some(ScimMode::Jit) => coverage.scim_jit += 1,
            Some(ScimMode::None) => coverage.scim_none += 1,
            None => coverage.scim_unknown += 1,
        }
    }
    coverage
}

fn scim_tax(figures: &[VendorFigures]) -> ScimTax {
    let mut tax = ScimTax::default();
    for (i, f) in figures.iter().enumerate() {
        match f.scim_premium.status {
            "priced" => tax.ranked.push(i),
            "custom" => tax.custom.push(i),
            "included" => tax.included.push(i),
            "unavailable" => tax.unavailable.push(i),
            _ => tax.unknown.push(i),
        }
    }
    let first_percent = |i: &usize| {
        figures[*i]
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
    tax.median_percent_text = tax.median_percent.map(format_percent);
    tax
}

/// The median of sorted values.
fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Everything computed for one vendor.
#[derive(Debug, Clone, Serialize)]
pub struct VendorFigures {
    /// The price of the tier SCIM requires, as one line ("~$90/user/year", "Custom").
    pub scim_price: PriceView,
    /// What SCIM costs at each team size of `site.yaml`.
    pub scim_cost: Cost,
    pub scim_premium: Premium,
    pub sso_premium: Premium,
    pub coverage: Coverage,
    /// Each tier's price as text, in the order of `tiers`.
    pub tier_prices: Vec<PriceView>,
}

/// A price as people read it, with the figures a script needs to recompute it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PriceView {
    /// `priced`, `custom`, `free` or `unknown`.
    pub kind: &'static str,
    pub text: String,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub per: Option<&'static str>,
    pub approximate: bool,
    pub min_seats: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cost {
    /// `priced`: rows hold figures; `custom`: the SCIM tier has no public price; `free`: SCIM
    /// is in a free tier; `unavailable`: no SCIM; `unknown`: nothing known to compute from.
    pub status: &'static str,
    /// The SCIM tier when no figure can be given (`custom`).
    pub tier: Option<String>,
    pub rows: Vec<CostRow>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CostRow {
    pub users: u32,
    /// The cheapest tier with SCIM at this size.
    pub tier: String,
    pub monthly: f64,
    pub annual: f64,
    pub currency: String,
    pub approximate: bool,
    pub monthly_text: String,
    pub annual_text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Premium {
    /// `priced`: SCIM/SSO costs more than the cheapest paid tier; `included`: it comes with
    /// the cheapest paid tier (or a free one); `custom`: only behind custom pricing;
    /// `unavailable`; `unknown`.
    pub status: &'static str,
    /// The cheapest tier with the feature and the cheapest paid tier it is compared with (at
    /// the first team size).
    pub tier: Option<String>,
    pub base_tier: Option<String>,
    /// The premium as a percentage when it is the same at every team size (per-user prices),
    /// `None` when it varies (flat prices, minimum seats) or cannot be computed.
    pub percent: Option<f64>,
    pub percent_text: Option<String>,
    pub rows: Vec<PremiumRow>,
    /// Cheaper tiers (listed before the feature's tier) whose price is not published: while
    /// they are unknown, so is the premium.
    pub unpriced_tiers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PremiumRow {
    pub users: u32,
    pub extra_per_year: f64,
    pub extra_text: String,
    pub percent: f64,
    pub percent_text: String,
    pub approximate: bool,
}

/// How many of the site's identity providers connect to a vendor, and how.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Coverage {
    pub sso: usize,
    pub scim_full: usize,
    pub scim_jit: usize,
    /// Providers the site knows of.
    pub known: usize,
}

pub fn compute_vendor(vendor: &Vendor, team_sizes: &[u32], idps: &IdpFile) -> VendorFigures {
    let scim_tiers = scim_tiers(vendor);
    let sso_tiers: Vec<&Tier> = vendor
        .tiers
        .iter()
        .filter(|t| t.sso == Some(true))
        .collect();
    let scim_unavailable = vendor.scim.available == Some(false);
    let sso_unavailable = vendor.sso.available == Some(false);
    VendorFigures {
        scim_price: scim_price(vendor, &scim_tiers, scim_unavailable),
        scim_cost: cost_by_team_size(&scim_tiers, team_sizes, scim_unavailable),
        scim_premium: premium(&vendor.tiers, &scim_tiers, team_sizes, scim_unavailable),
        sso_premium: premium(&vendor.tiers, &sso_tiers, team_sizes, sso_unavailable),
        coverage: coverage(vendor, idps),
        tier_prices: vendor
            .tiers
            .iter()
            .map(|t| price_view(t.price.as_ref()))
            .collect(),
    }
}

/// The tiers that include SCIM: those that say so, and the one `scim.tier` names.
pub fn scim_tiers(vendor: &Vendor) -> Vec<&Tier> {
    if vendor.scim.available == Some(false) {
        return Vec::new();
    }
    vendor
        .tiers
        .iter()
        .filter(|t| t.scim == Some(true) || vendor.scim.tier.as_deref() == Some(&t.name))
        .collect()
}

/// The yearly cost of `price` for `users` people, honouring per-user or flat pricing and
/// minimum seats. `None` for custom or unknown prices.
pub fn annual_cost(price: Option<&Price>, users: u32) -> Option<f64> {
    match price? {
        Price::Custom => None,
        Price::Free => Some(0.0),
        Price::Amount(p) => {
            let seats = f64::from(users.max(p.min_seats.unwrap_or(0)));
            Some(match p.per {
                Per::UserMonth => p.amount * seats * 12.0,
                Per::UserYear => p.amount * seats,
                Per::Month => p.amount * 12.0,
                Per::Year => p.amount,
            })
        }
    }
}

fn amount_of(price: Option<&Price>) -> Option<&PriceAmount> {
    match price? {
        Price::Amount(p) => Some(p),
        _ => None,
    }
}

fn is_approximate(price: Option<&Price>) -> bool {
    amount_of(price).is_some_and(|p| p.approximate)
}

/// The cheapest of `tiers` for `users` people, with its yearly cost.
fn cheapest<'a>(tiers: &[&'a Tier], users: u32) -> Option<(&'a Tier, f64)> {
    tiers
        .iter()
        .filter_map(|t| annual_cost(t.price.as_ref(), users).map(|cost| (*t, cost)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// The currency figures of a vendor are shown in: validation makes every priced tier of a
/// record use one currency.
fn currency_of(tiers: &[&Tier]) -> String {
    tiers
        .iter()
        .find_map(|t| amount_of(t.price.as_ref()))
        .map_or_else(|| "USD".to_owned(), |p| p.currency.clone())
}

fn cost_by_team_size(scim_tiers: &[&Tier], team_sizes: &[u32], unavailable: bool) -> Cost {
    let status_only = |status, tier: Option<&&Tier>| Cost {
        status,
        tier: tier.map(|t| t.name.clone()),
        rows: Vec::new(),
    };
    if unavailable {
        return status_only("unavailable", None);
    }
    if team_sizes.is_empty() || cheapest(scim_tiers, team_sizes[0]).is_none() {
        return match scim_tiers
            .iter()
            .find(|t| t.price.as_ref() == Some(&Price::Custom))
        {
            Some(custom) => status_only("custom", Some(custom)),
            None => status_only("unknown", scim_tiers.first()),
        };
    }
    let currency = currency_of(scim_tiers);
    let rows: Vec<CostRow> = team_sizes
        .iter()
        .filter_map(|&users| {
            let (tier, annual) = cheapest(scim_tiers, users)?;
            let approximate = is_approximate(tier.price.as_ref());
            let monthly = annual / 12.0;
            Some(CostRow {
                users,
                tier: tier.name.clone(),
                monthly,
                annual,
                currency: currency.clone(),
                approximate,
                monthly_text: format_money(monthly, &currency, approximate),
                annual_text: format_money(annual, &currency, approximate),
            })
        })
        .collect();
    let all_free = rows.iter().all(|r| r.annual == 0.0);
    Cost {
        status: if all_free { "free" } else { "priced" },
        tier: None,
        rows,
    }
}

/// What the feature (the tiers in `with_feature`) costs on top of the cheapest paid tier.
fn premium(all: &[Tier], with_feature: &[&Tier], team_sizes: &[u32], unavailable: bool) -> Premium {
    let status_only = |status| Premium {
        status,
        tier: None,
        base_tier: None,
        percent: None,
        percent_text: None,
        rows: Vec::new(),
        unpriced_tiers: Vec::new(),
    };
    if unavailable {
        return status_only("unavailable");
    }
    let paid: Vec<&Tier> = all
        .iter()
        .filter(|t| amount_of(t.price.as_ref()).is_some_and(|p| p.amount > 0.0))
        .collect();
    let Some(&first_size) = team_sizes.first() else {
        return status_only("unknown");
    };
    let Some((feature_tier, _)) = cheapest(with_feature, first_size) else {
        let gated_by_custom = with_feature
            .iter()
            .any(|t| t.price.as_ref() == Some(&Price::Custom));
        return status_only(if gated_by_custom { "custom" } else { "unknown" });
    };
    let unpriced_tiers = unpriced_tiers_before(all, feature_tier);
    if !unpriced_tiers.is_empty() {
        return Premium {
            tier: Some(feature_tier.name.clone()),
            unpriced_tiers,
            ..status_only("unknown")
        };
    }
    let currency = currency_of(with_feature);
    let mut rows = Vec::new();
    let mut base_tier = None;
    for &users in team_sizes {
        let (Some((tier, feature_cost)), Some((base, base_cost))) =
            (cheapest(with_feature, users), cheapest(&paid, users))
        else {
            continue;
        };
        base_tier.get_or_insert_with(|| base.name.clone());
        // A feature in a free tier, or in a tier cheaper than the cheapest paid one, costs
        // nothing extra.
        let extra = (feature_cost - base_cost).max(0.0);
        let percent = if base_cost > 0.0 {
            extra / base_cost * 100.0
        } else {
            0.0
        };
        let approximate =
            is_approximate(tier.price.as_ref()) || is_approximate(base.price.as_ref());
        rows.push(PremiumRow {
            users,
            extra_per_year: extra,
            extra_text: format_money(extra, &currency, approximate && extra > 0.0),
            percent,
            percent_text: format_percent(percent),
            approximate,
        });
    }
    if rows.is_empty() {
        // Priced feature tier but no paid tier to compare with: the feature is free or the
        // only price there is.
        let free = annual_cost(feature_tier.price.as_ref(), first_size) == Some(0.0);
        return Premium {
            status: if free { "included" } else { "unknown" },
            tier: Some(feature_tier.name.clone()),
            ..status_only("unknown")
        };
    }
    let included = rows.iter().all(|r| r.extra_per_year == 0.0);
    let first = rows[0].percent;
    let uniform = rows.iter().all(|r| (r.percent - first).abs() < 0.05);
    Premium {
        status: if included { "included" } else { "priced" },
        tier: Some(feature_tier.name.clone()),
        base_tier,
        percent: uniform.then_some(first),
        percent_text: uniform.then(|| format_percent(first)),
        rows,
        unpriced_tiers: Vec::new(),
    }
}

/// The names of the tiers listed before `feature_tier` (tiers go cheapest first) that are not
/// free and have no published price.
fn unpriced_tiers_before(all: &[Tier], feature_tier: &Tier) -> Vec<String> {
    all.iter()
        .take_while(|t| !std::ptr::eq(*t, feature_tier))
        .filter(|t| !matches!(t.price, Some(Price::Free) | Some(Price::Amount(_))))
        .map(|t| t.name.clone())
        .collect()
}

fn scim_price(vendor: &Vendor, scim_tiers: &[&Tier], unavailable: bool) -> PriceView {
    if unavailable {
        return PriceView {
            text: "No SCIM".to_owned(),
            ..price_view(None)
        };
    }
    // The tier `scim.tier` names is the one editors mean; fall back to the first SCIM tier.
    let named = vendor
        .scim
        .tier
        .as_deref()
        .and_then(|name| scim_tiers.iter().find(|t| t.name == name));
    let tier = named.or(scim_tiers.first());
    price_view(tier.and_then(|t| t.price.as_ref()))
}

pub fn price_view(price: Option<&Price>) -> PriceView {
    let view = |kind, text: &str| PriceView {
        kind,
        text: text.to_owned(),
        amount: None,
        currency: None,
        per: None,
        approximate: false,
        min_seats: None,
    };
    match price {
        None => view("unknown", "Unknown"),
        Some(Price::Custom) => view("custom", "Custom"),
        Some(Price::Free) => view("free", "Free"),
        Some(Price::Amount(p)) => {
            let mut text = format!(
                "{}/{}",
                format_money(p.amount, &p.currency, p.approximate),
                p.per.label()
            );
            if let Some(seats) = p.min_seats {
                text.push_str(&format!(" (min. {seats} seats)"));
            }
            PriceView {
                kind: "priced",
                text,
                amount: Some(p.amount),
                currency: Some(p.currency.clone()),
                per: Some(p.per.label()),
                approximate: p.approximate,
                min_seats: p.min_seats,
            }
        }
    }
}

fn coverage(vendor: &Vendor, idps: &IdpFile) -> Coverage {
    let known = |id: &String| idps.contains_key(id);
    let supports = vendor.idps.iter().filter(|(id, _)| known(id));
    let mut coverage = Coverage {
        known: idps.len(),
        ..Coverage::default()
    };
    for (_, support) in supports {
        coverage.sso += usize::from(support.sso == Some(true));
        coverage.scim_full += usize::from(support.scim == Some(ScimMode::Full));
        coverage.scim_jit += usize::from(support.scim == Some(ScimMode::Jit));
    }
    coverage
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZES: [u32; 3] = [50, 100, 200];

    fn vendor(yaml: &str) -> Vendor {
        serde_saphyr::from_str(yaml).unwrap()
    }

    fn idps() -> IdpFile {
        serde_saphyr::from_str("okta: {name: Okta}\nentra: {name: Entra}\ngoogle: {name: G}\n")
            .unwrap()
    }

    fn figures(yaml: &str) -> VendorFigures {
        compute_vendor(&vendor(yaml), &SIZES, &idps())
    }

    fn annual_texts(cost: &Cost) -> Vec<&str> {
        cost.rows.iter().map(|r| r.annual_text.as_str()).collect()
    }

    const CODE42: &str = "\
name: Code42
scim: {available: true, tier: Enterprise}
sso: {available: true}
tiers:
  - {name: Pro, price: custom}
  - {name: Business, price: custom}
  - {name: Enterprise, price: {amount: 90, currency: USD, per: user/year, approximate: true}}
";

    #[test]
    fn code42_costs_4500_a_year_for_50_users_not_54000() {
        let f = figures(CODE42);
        assert_eq!(f.scim_cost.status, "priced");
        assert_eq!(
            annual_texts(&f.scim_cost),
            ["~$4,500", "~$9,000", "~$18,000"]
        );
        assert_eq!(f.scim_cost.rows[0].monthly_text, "~$375");
        assert_eq!(f.scim_price.text, "~$90/user/year");
        // Pro and Business have no published price, so nothing says what SCIM costs on top.
        assert_eq!(f.scim_premium.status, "unknown");
        assert_eq!(f.scim_premium.unpriced_tiers, ["Pro", "Business"]);
    }

    #[test]
    fn per_user_month_is_multiplied_by_twelve() {
        let f = figures(
            "name: X\nscim: {available: true}\ntiers:\n  - {name: T, scim: true, price: {amount: 7.5, currency: EUR, per: user/month}}\n",
        );
        assert_eq!(annual_texts(&f.scim_cost), ["€4,500", "€9,000", "€18,000"]);
        assert_eq!(f.scim_cost.rows[0].monthly_text, "€375");
    }

    #[test]
    fn flat_prices_do_not_depend_on_team_size() {
        let f = figures(
            "name: X\nscim: {available: true}\ntiers:\n  - {name: T, scim: true, price: {amount: 500, currency: USD, per: month}}\n  - {name: Y, scim: true, price: {amount: 4000, currency: USD, per: year}}\n",
        );
        assert_eq!(annual_texts(&f.scim_cost), ["$4,000", "$4,000", "$4,000"]);
        assert_eq!(f.scim_cost.rows[0].tier, "Y");
    }

    #[test]
    fn minimum_seats_are_billed_even_for_smaller_teams() {
        let f = figures(
            "name: X\nscim: {available: true}\ntiers:\n  - {name: T, scim: true, price: {amount: 10, currency: USD, per: user/month, min_seats: 100}}\n",
        );
        assert_eq!(
            annual_texts(&f.scim_cost),
            ["$12,000", "$12,000", "$24,000"]
        );
        assert_eq!(f.scim_price.text, "$10/user/month (min. 100 seats)");
    }

    #[test]
    fn the_cheapest_scim_tier_can_change_with_team_size() {
        let f = figures(
            "name: X\nscim: {available: true}\ntiers:\n  - {name: Seat, scim: true, price: {amount: 10, currency: USD, per: user/year}}\n  - {name: Flat, scim: true, price: {amount: 1500, currency: USD, per: year}}\n",
        );
        let tiers: Vec<&str> = f.scim_cost.rows.iter().map(|r| r.tier.as_str()).collect();
        assert_eq!(tiers, ["Seat", "Seat", "Flat"]);
    }

    #[test]
    fn custom_scim_pricing_says_so_instead_of_a_number() {
        let f = figures(
            "name: X\nscim: {available: true, tier: Ent}\ntiers:\n  - {name: Pro, price: {amount: 8, currency: USD, per: user/month}}\n  - {name: Ent, price: custom}\n",
        );
        assert_eq!(f.scim_cost.status, "custom");
        assert_eq!(f.scim_cost.tier.as_deref(), Some("Ent"));
        assert!(f.scim_cost.rows.is_empty());
        assert_eq!(f.scim_premium.status, "custom");
        assert_eq!(f.scim_price.text, "Custom");
    }

    #[test]
    fn free_scim_costs_nothing_and_is_included() {
        let f = figures(
            "name: X\nscim: {available: true}\ntiers:\n  - {name: Free, scim: true, price: free}\n  - {name: Pro, price: {amount: 5, currency: USD, per: user/month}}\n",
        );
        assert_eq!(f.scim_cost.status, "free");
        assert_eq!(annual_texts(&f.scim_cost), ["$0", "$0", "$0"]);
        assert_eq!(f.scim_premium.status, "included");
    }

    #[test]
    fn the_premium_compares_with_the_cheapest_paid_tier() {
        let f = figures(
            "name: X\nscim: {available: true, tier: Business}\nsso: {available: true}\ntiers:\n  - {name: Free, price: free}\n  - {name: Pro, sso: true, price: {amount: 10, currency: USD, per: user/month}}\n  - {name: Business, sso: true, scim: true, price: {amount: 25, currency: USD, per: user/month, approximate: true}}\n",
        );
        let p = &f.scim_premium;
        assert_eq!(p.status, "priced");
        assert_eq!(p.tier.as_deref(), Some("Business"));
        assert_eq!(p.base_tier.as_deref(), Some("Pro"));
        assert_eq!(p.percent_text.as_deref(), Some("150%"));
        let extras: Vec<&str> = p.rows.iter().map(|r| r.extra_text.as_str()).collect();
        assert_eq!(extras, ["~$9,000", "~$18,000", "~$36,000"]);
        assert_eq!(f.sso_premium.status, "included");
        assert_eq!(f.sso_premium.percent_text.as_deref(), Some("0%"));
    }

    #[test]
    fn a_premium_that_varies_by_size_has_no_single_percentage() {
        let f = figures(
            "name: X\nscim: {available: true}\ntiers:\n  - {name: Pro, price: {amount: 10, currency: USD, per: user/year}}\n  - {name: Ent, scim: true, price: {amount: 3000, currency: USD, per: year}}\n",
        );
        let p = &f.scim_premium;
        assert_eq!(p.percent, None);
        let percents: Vec<&str> = p.rows.iter().map(|r| r.percent_text.as_str()).collect();
        assert_eq!(percents, ["500%", "200%", "50%"]);
    }

    #[test]
    fn no_scim_means_no_figures() {
        let f =
            figures("name: X\nscim: {available: false}\ntiers:\n  - {name: Pro, price: free}\n");
        assert_eq!(f.scim_cost.status, "unavailable");
        assert_eq!(f.scim_premium.status, "unavailable");
        assert_eq!(f.scim_price.text, "No SCIM");
    }

    #[test]
    fn nothing_known_means_unknown() {
        let f = figures("name: X\n");
        assert_eq!(f.scim_cost.status, "unknown");
        assert_eq!(f.scim_premium.status, "unknown");
        assert_eq!(f.scim_price.text, "Unknown");
        assert_eq!(f.tier_prices, vec![]);
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[1.0, 5.0, 9.0]), Some(5.0));
        assert_eq!(median(&[1.0, 5.0, 9.0, 11.0]), Some(7.0));
    }

    #[test]
    fn the_scim_tax_ranks_premiums_and_sorts_out_the_rest() {
        let yamls = [
            // 150% premium
            "name: A\nscim: {available: true, tier: B}\ntiers:\n  - {name: P, price: {amount: 10, currency: USD, per: user/month}}\n  - {name: B, scim: true, price: {amount: 25, currency: USD, per: user/month}}\n",
            // custom
            "name: C\nscim: {available: true, tier: E}\ntiers:\n  - {name: P, price: {amount: 10, currency: USD, per: user/month}}\n  - {name: E, scim: true, price: custom}\n",
            // 50% premium
            "name: D\nscim: {available: true, tier: B}\ntiers:\n  - {name: P, price: {amount: 10, currency: USD, per: user/month}}\n  - {name: B, scim: true, price: {amount: 15, currency: USD, per: user/month}}\n",
            // included
            "name: I\nscim: {available: true, tier: P}\ntiers:\n  - {name: P, scim: true, price: {amount: 10, currency: USD, per: user/month}}\n",
            "name: N\nscim: {available: false}\n",
            "name: U\n",
        ];
        let vendors: Vec<Arc<VendorEntry>> = yamls
            .iter()
            .enumerate()
            .map(|(i, y)| {
                Arc::new(VendorEntry {
                    slug: format!("v{i}"),
                    path: "x.yaml".into(),
                    file: "x.yaml".into(),
                    listing_only: false,
                    record: vendor(y),
                })
            })
            .collect();
        let figures: Vec<VendorFigures> = vendors
            .iter()
            .map(|v| compute_vendor(&v.record, &SIZES, &idps()))
            .collect();
        let tax = scim_tax(&figures);
        assert_eq!(tax.ranked, [0, 2]);
        assert_eq!(tax.custom, [1]);
        assert_eq!(tax.included, [3]);
        assert_eq!(tax.unavailable, [4]);
        assert_eq!(tax.unknown, [5]);
        assert_eq!(tax.gating, 3);
        assert_eq!(tax.median_percent_text.as_deref(), Some("100%"));
    }

    #[test]
    fn coverage_counts_known_providers_only() {
        let f = figures(
            "name: X\nidps:\n  okta: {sso: true, scim: full}\n  entra: {sso: true, scim: jit}\n  google: {sso: false}\n",
        );
        assert_eq!(
            f.coverage,
            Coverage {
                sso: 2,
                scim_full: 1,
                scim_jit: 1,
                known: 3
            }
        );
    }
}
