//! What one vendor's prices come to: the cost of SCIM by team size, the premium that SCIM
//! (and SSO) cost over the cheapest paid tier, each tier's price as text, and how many of the
//! site's identity providers connect to it.

use serde::Serialize;

use super::at_size::{AtGlance, FeatureAt, FeatureOffers, feature_at, paid_offers};
pub use super::offers::{Feature, Offer, offers_with};
use crate::model::{Addon, IdpFile, Per, Price, PriceAmount, ScimMode, Vendor};
use crate::money::{format_money, format_percent};

/// What kind of price a tier has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PriceKind {
    /// A published amount.
    Priced,
    /// "Talk to sales".
    Custom,
    /// Free of charge.
    Free,
    /// Not known.
    Unknown,
}

/// What can be said of the cost of SCIM at the site's team sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CostStatus {
    /// The rows hold figures.
    Priced,
    /// The SCIM tier has no public price.
    Custom,
    /// SCIM is in a free tier.
    Free,
    /// No SCIM.
    Unavailable,
    /// Nothing known to compute from.
    Unknown,
}

/// What can be said of the premium a feature (SCIM or SSO) costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PremiumStatus {
    /// The feature costs more than the cheapest paid tier.
    Priced,
    /// It comes with the cheapest paid tier (or a free one).
    Included,
    /// Only behind custom pricing.
    Custom,
    /// Not offered.
    Unavailable,
    /// Not known.
    Unknown,
}

/// Everything computed for one vendor.
#[derive(Debug, Clone, Serialize)]
pub struct VendorFigures {
    /// The ISO 4217 currency of every figure.
    pub currency: String,
    /// The plan SCIM requires: the record's `scim.tier`, else the first way to buy SCIM.
    pub scim_tier: Option<String>,
    /// The price of the tier SCIM requires, as one line ("~$90/user/year", "Custom").
    pub scim_price: PriceView,
    /// What SCIM costs at each team size of `site.yaml`.
    pub scim_cost: Cost,
    /// What SSO costs at each team size of `site.yaml`.
    pub sso_cost: Cost,
    /// What SCIM costs over the cheapest paid tier.
    pub scim_premium: Premium,
    /// What SSO costs over the cheapest paid tier.
    pub sso_premium: Premium,
    /// SCIM at the site's first team size: what the lists show before a reader picks a size.
    /// Not in the JSON, whose cost and premium rows hold the same figures; templates of lists
    /// see it as `scim_at_first_size` of a row's figures.
    #[serde(skip)]
    pub scim_at_first_size: Option<AtGlance>,
    /// SSO at the site's first team size.
    #[serde(skip)]
    pub sso_at_first_size: Option<AtGlance>,
    /// How many of the site's identity providers connect to the vendor.
    pub coverage: Coverage,
    /// Each tier's price as text, in the order of `tiers`.
    pub tier_prices: Vec<PriceView>,
    /// Each add-on's price as text, in the order of `addons`.
    pub addon_prices: Vec<PriceView>,
}

/// A price as people read it, with the figures a script needs to recompute it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PriceView {
    /// What kind of price it is.
    pub kind: PriceKind,
    /// The price as people read it ("~$90/user/year", "Custom", "Unknown").
    pub text: String,
    /// The amount, when priced.
    pub amount: Option<f64>,
    /// Its ISO 4217 currency, when priced.
    pub currency: Option<String>,
    /// What one amount buys (`user/month`, `month`...), when priced.
    pub per: Option<&'static str>,
    /// Whether the amount is an estimate.
    pub approximate: bool,
    /// The smallest number of seats sold.
    pub min_seats: Option<u32>,
}

/// What SCIM costs at each of the site's team sizes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cost {
    /// What can be said of it.
    pub status: CostStatus,
    /// The SCIM tier when no figure can be given (`custom`).
    pub tier: Option<String>,
    /// One row per team size, when priced.
    pub rows: Vec<CostRow>,
}

/// What SCIM costs at one team size.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CostRow {
    /// The team size.
    pub users: u32,
    /// The cheapest tier with SCIM at this size.
    pub tier: String,
    /// The cost per month.
    pub monthly: f64,
    /// The cost per year.
    pub annual: f64,
    /// The ISO 4217 currency of both.
    pub currency: String,
    /// Whether the price it comes from is an estimate.
    pub approximate: bool,
    /// `monthly` as people read it.
    pub monthly_text: String,
    /// `annual` as people read it.
    pub annual_text: String,
}

/// What a feature (SCIM or SSO) costs on top of the cheapest paid tier.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Premium {
    /// What can be said of it.
    pub status: PremiumStatus,
    /// The cheapest tier with the feature and the cheapest paid tier it is compared with (at
    /// the first team size).
    pub tier: Option<String>,
    /// The cheapest paid tier, at the first team size.
    pub base_tier: Option<String>,
    /// The premium as a percentage when it is the same at every team size (per-user prices),
    /// `None` when it varies (flat prices, minimum seats) or cannot be computed.
    pub percent: Option<f64>,
    /// `percent` as people read it.
    pub percent_text: Option<String>,
    /// The premium at each team size where it can be computed.
    pub rows: Vec<PremiumRow>,
    /// Cheaper tiers (listed before the feature's tier) whose price is not published: while
    /// they are unknown, so is the premium.
    pub unpriced_tiers: Vec<String>,
}

/// The premium at one team size.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PremiumRow {
    /// The team size.
    pub users: u32,
    /// What the feature's tier costs more per year.
    pub extra_per_year: f64,
    /// `extra_per_year` as people read it.
    pub extra_text: String,
    /// The extra as a percentage of the cheapest paid tier's cost.
    pub percent: f64,
    /// `percent` as people read it.
    pub percent_text: String,
    /// Whether a price it comes from is an estimate.
    pub approximate: bool,
}

/// How many of the site's identity providers connect to a vendor, and how.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Coverage {
    /// Providers it supports SSO with.
    pub sso: usize,
    /// Providers that provision it fully by SCIM.
    pub scim_full: usize,
    /// Providers that create its users just in time.
    pub scim_jit: usize,
    /// Providers the site knows of.
    pub known: usize,
    /// Providers whose provisioning of the vendor the record states (full, JIT or none): with
    /// none stated, "0 of 7" would read as "supports none", so lists say "Unknown".
    pub stated: usize,
}

/// Every figure of one vendor, for the site's team sizes and identity providers.
pub fn compute_vendor(vendor: &Vendor, team_sizes: &[u32], idps: &IdpFile) -> VendorFigures {
    let scim_offers = offers_with(vendor, Feature::Scim);
    let currency = currency_of(vendor);
    let (scim_sizes, sso_sizes) = features_at(vendor, &scim_offers, &currency, team_sizes);
    let scim_tier = vendor
        .scim
        .tier
        .clone()
        .or_else(|| scim_offers.first().map(Offer::name));
    VendorFigures {
        scim_tier,
        scim_price: scim_price(vendor, &scim_offers, vendor.scim.available == Some(false)),
        scim_cost: cost_by_team_size(&scim_sizes, &currency),
        sso_cost: cost_by_team_size(&sso_sizes, &currency),
        scim_premium: premium(&scim_sizes),
        sso_premium: premium(&sso_sizes),
        scim_at_first_size: scim_sizes.into_iter().next().map(AtGlance::from),
        sso_at_first_size: sso_sizes.into_iter().next().map(AtGlance::from),
        currency,
        coverage: coverage(vendor, idps),
        tier_prices: vendor
            .tiers
            .iter()
            .map(|t| price_view(t.price.as_ref()))
            .collect(),
        addon_prices: vendor
            .addons
            .iter()
            .map(|a| price_view(a.price.as_ref()))
            .collect(),
    }
}

/// SCIM, then SSO, of `vendor` at each of `team_sizes`; `scim_offers` and `currency` as
/// `compute_vendor` has them already.
fn features_at(
    vendor: &Vendor,
    scim_offers: &[Offer],
    currency: &str,
    team_sizes: &[u32],
) -> (Vec<FeatureAt>, Vec<FeatureAt>) {
    let sso_offers = offers_with(vendor, Feature::Sso);
    let paid = paid_offers(&vendor.tiers);
    let feature = |with_feature, unavailable, none_text| FeatureOffers {
        unavailable,
        with_feature,
        paid: &paid,
        tiers: &vendor.tiers,
        currency,
        none_text,
    };
    let at_sizes = |offers: FeatureOffers| -> Vec<FeatureAt> {
        team_sizes.iter().map(|&n| feature_at(&offers, n)).collect()
    };
    (
        at_sizes(feature(
            scim_offers,
            vendor.scim.available == Some(false),
            "No SCIM",
        )),
        at_sizes(feature(
            &sso_offers,
            vendor.sso.available == Some(false),
            "No SSO",
        )),
    )
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

pub(super) fn amount_of(price: Option<&Price>) -> Option<&PriceAmount> {
    match price? {
        Price::Amount(p) => Some(p),
        _ => None,
    }
}

pub(super) fn is_approximate(price: Option<&Price>) -> bool {
    amount_of(price).is_some_and(|p| p.approximate)
}

/// The currency a vendor's figures are written in: validation makes every price of a record
/// use one currency.
pub fn currency_of(vendor: &Vendor) -> String {
    vendor
        .tiers
        .iter()
        .map(|t| &t.price)
        .chain(vendor.addons.iter().map(|a| &a.price))
        .find_map(|price| amount_of(price.as_ref()))
        .map_or_else(|| "USD".to_owned(), |p| p.currency.clone())
}

/// The cost of a feature at each team size, from the feature at each of them.
fn cost_by_team_size(sizes: &[FeatureAt], currency: &str) -> Cost {
    let Some(first) = sizes.first() else {
        return Cost {
            status: CostStatus::Unknown,
            tier: None,
            rows: Vec::new(),
        };
    };
    if first.annual.is_none() {
        return Cost {
            status: first.status,
            tier: first.plan.clone(),
            rows: Vec::new(),
        };
    }
    let rows: Vec<CostRow> = sizes
        .iter()
        .filter_map(|at| {
            let annual = at.annual?;
            let monthly = annual / 12.0;
            Some(CostRow {
                users: at.users,
                tier: at.plan.clone().unwrap_or_default(),
                monthly,
                annual,
                currency: currency.to_owned(),
                approximate: at.approximate,
                monthly_text: at.monthly_text.clone(),
                annual_text: at.annual_text.clone(),
            })
        })
        .collect();
    let all_free = rows.iter().all(|r| r.annual == 0.0);
    Cost {
        status: if all_free {
            CostStatus::Free
        } else {
            CostStatus::Priced
        },
        tier: None,
        rows,
    }
}

/// What a feature costs on top of the cheapest paid tier, from the feature at each team size.
fn premium(sizes: &[FeatureAt]) -> Premium {
    let status_only = |status, tier: Option<&String>| Premium {
        status,
        tier: tier.cloned(),
        base_tier: None,
        percent: None,
        percent_text: None,
        rows: Vec::new(),
        unpriced_tiers: Vec::new(),
    };
    let Some(first) = sizes.first() else {
        return status_only(PremiumStatus::Unknown, None);
    };
    match first.status {
        CostStatus::Unavailable => return status_only(PremiumStatus::Unavailable, None),
        CostStatus::Custom => return status_only(PremiumStatus::Custom, first.plan.as_ref()),
        CostStatus::Unknown => return status_only(PremiumStatus::Unknown, first.plan.as_ref()),
        CostStatus::Priced | CostStatus::Free => {}
    }
    // Every size whose extra is known has its row, even when the first size's is not known
    // (its cheapest plan with the feature follows a tier without a price, and another size's
    // does not): the lists and the scripts show that size's figure too.
    let priced: Vec<&FeatureAt> = sizes.iter().filter(|at| at.extra.is_some()).collect();
    let rows: Vec<PremiumRow> = priced
        .iter()
        .map(|at| PremiumRow {
            users: at.users,
            extra_per_year: at.extra.unwrap_or_default(),
            extra_text: at.extra_text.clone(),
            percent: at.percent.unwrap_or_default(),
            percent_text: at.percent_text.clone(),
            approximate: at.extra_approximate,
        })
        .collect();
    if !first.unpriced_tiers.is_empty() {
        return Premium {
            rows,
            unpriced_tiers: first.unpriced_tiers.clone(),
            ..status_only(PremiumStatus::Unknown, first.plan.as_ref())
        };
    }
    let Some(first_row) = rows.first() else {
        return status_only(PremiumStatus::Unknown, first.plan.as_ref());
    };
    let included = rows.iter().all(|r| r.extra_per_year == 0.0);
    let first_percent = first_row.percent;
    let uniform = rows
        .iter()
        .all(|r| (r.percent - first_percent).abs() < 0.05);
    Premium {
        status: if included {
            PremiumStatus::Included
        } else {
            PremiumStatus::Priced
        },
        tier: first.plan.clone(),
        base_tier: priced[0].base_plan.clone(),
        percent: uniform.then_some(first_percent),
        percent_text: uniform.then(|| format_percent(first_percent)),
        rows,
        unpriced_tiers: Vec::new(),
    }
}

fn scim_price(vendor: &Vendor, scim_offers: &[Offer], unavailable: bool) -> PriceView {
    if unavailable {
        return PriceView {
            text: "No SCIM".to_owned(),
            ..price_view(None)
        };
    }
    // The tier (or add-on) `scim.tier` names is the one editors mean; fall back to the first
    // way to buy SCIM.
    let wanted = vendor.scim.tier.as_deref();
    if let Some(addon) = vendor
        .addons
        .iter()
        .find(|a| Some(a.name.as_str()) == wanted)
    {
        return addon_price_view(addon);
    }
    let named = wanted.and_then(|name| scim_offers.iter().find(|o| o.tier.name == name));
    match named.or(scim_offers.first()) {
        Some(Offer {
            addon: Some(addon), ..
        }) => addon_price_view(addon),
        Some(offer) => price_view(offer.tier.price.as_ref()),
        None => price_view(None),
    }
}

/// An add-on's price, marked as one: "$4/user/month (add-on)".
fn addon_price_view(addon: &Addon) -> PriceView {
    let mut view = price_view(addon.price.as_ref());
    if view.kind == PriceKind::Priced {
        view.text = format!("{} (add-on)", view.text);
    }
    view
}

/// A price as people read it, with the figures a script needs to recompute it.
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
        None => view(PriceKind::Unknown, "Unknown"),
        Some(Price::Custom) => view(PriceKind::Custom, "Custom"),
        Some(Price::Free) => view(PriceKind::Free, "Free"),
        Some(Price::Amount(p)) => {
            let mut text = format!(
                "{}/{}",
                format_money(p.amount, &p.currency, p.approximate),
                p.per.label()
            );
            if let Some(seats) = p.min_seats {
                let seats = crate::money::format_count(seats as usize);
                text.push_str(&format!(" (min. {seats} seats)"));
            }
            PriceView {
                kind: PriceKind::Priced,
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
        coverage.stated += usize::from(support.scim.is_some());
    }
    coverage
}
