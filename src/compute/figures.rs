//! What one vendor's prices come to: the cost of SCIM by team size, the premium that SCIM
//! (and SSO) cost over the cheapest paid tier, each tier's price as text, and how many of the
//! site's identity providers connect to it.

use serde::Serialize;

pub use super::offers::{Feature, Offer, offers_with};
use crate::model::{Addon, IdpFile, Per, Price, PriceAmount, ScimMode, Tier, Vendor};
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
    /// The plan SCIM requires: the record's `scim.tier`, else the first way to buy SCIM.
    pub scim_tier: Option<String>,
    /// The price of the tier SCIM requires, as one line ("~$90/user/year", "Custom").
    pub scim_price: PriceView,
    /// What SCIM costs at each team size of `site.yaml`.
    pub scim_cost: Cost,
    /// What SCIM costs over the cheapest paid tier.
    pub scim_premium: Premium,
    /// What SSO costs over the cheapest paid tier.
    pub sso_premium: Premium,
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
}

/// Every figure of one vendor, for the site's team sizes and identity providers.
pub fn compute_vendor(vendor: &Vendor, team_sizes: &[u32], idps: &IdpFile) -> VendorFigures {
    let scim_offers = offers_with(vendor, Feature::Scim);
    let sso_offers = offers_with(vendor, Feature::Sso);
    let (scim_unavailable, sso_unavailable) = (
        vendor.scim.available == Some(false),
        vendor.sso.available == Some(false),
    );
    let scim_tier = vendor
        .scim
        .tier
        .clone()
        .or_else(|| scim_offers.first().map(Offer::name));
    VendorFigures {
        scim_tier,
        scim_price: scim_price(vendor, &scim_offers, scim_unavailable),
        scim_cost: cost_by_team_size(&scim_offers, team_sizes, scim_unavailable),
        scim_premium: premium(&vendor.tiers, &scim_offers, team_sizes, scim_unavailable),
        sso_premium: premium(&vendor.tiers, &sso_offers, team_sizes, sso_unavailable),
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

pub(super) fn is_approximate(price: Option<&Price>) -> bool {
    amount_of(price).is_some_and(|p| p.approximate)
}

/// The cheapest of `offers` for `users` people, with its yearly cost.
fn cheapest<'a>(offers: &[Offer<'a>], users: u32) -> Option<(Offer<'a>, f64)> {
    offers
        .iter()
        .filter_map(|o| o.annual_cost(users).map(|cost| (*o, cost)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// The currency figures of a vendor are shown in: validation makes every price of a record
/// use one currency.
fn currency_of(offers: &[Offer]) -> String {
    offers
        .iter()
        .flat_map(|o| o.prices())
        .find_map(amount_of)
        .map_or_else(|| "USD".to_owned(), |p| p.currency.clone())
}

fn cost_by_team_size(scim_offers: &[Offer], team_sizes: &[u32], unavailable: bool) -> Cost {
    let status_only = |status, offer: Option<&Offer>| Cost {
        status,
        tier: offer.map(Offer::name),
        rows: Vec::new(),
    };
    if unavailable {
        return status_only(CostStatus::Unavailable, None);
    }
    if team_sizes.is_empty() || cheapest(scim_offers, team_sizes[0]).is_none() {
        return match scim_offers.iter().find(|o| o.is_custom()) {
            Some(custom) => status_only(CostStatus::Custom, Some(custom)),
            None => status_only(CostStatus::Unknown, scim_offers.first()),
        };
    }
    let currency = currency_of(scim_offers);
    let rows: Vec<CostRow> = team_sizes
        .iter()
        .filter_map(|&users| {
            let (offer, annual) = cheapest(scim_offers, users)?;
            let approximate = offer.is_approximate();
            let monthly = annual / 12.0;
            Some(CostRow {
                users,
                tier: offer.name(),
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
        status: if all_free {
            CostStatus::Free
        } else {
            CostStatus::Priced
        },
        tier: None,
        rows,
    }
}

/// What the feature (bought as one of `with_feature`) costs on top of the cheapest paid tier.
fn premium(all: &[Tier], with_feature: &[Offer], team_sizes: &[u32], unavailable: bool) -> Premium {
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
        return status_only(PremiumStatus::Unavailable);
    }
    let Some(&first_size) = team_sizes.first() else {
        return status_only(PremiumStatus::Unknown);
    };
    let Some((feature_offer, _)) = cheapest(with_feature, first_size) else {
        let gated_by_custom = with_feature.iter().any(Offer::is_custom);
        return status_only(if gated_by_custom {
            PremiumStatus::Custom
        } else {
            PremiumStatus::Unknown
        });
    };
    let unpriced_tiers = unpriced_tiers_before(all, feature_offer.tier);
    if !unpriced_tiers.is_empty() {
        return Premium {
            tier: Some(feature_offer.name()),
            unpriced_tiers,
            ..status_only(PremiumStatus::Unknown)
        };
    }
    let paid: Vec<Offer> = all
        .iter()
        .filter(|t| amount_of(t.price.as_ref()).is_some_and(|p| p.amount > 0.0))
        .map(|tier| Offer { tier, addon: None })
        .collect();
    let (rows, base_tier) = premium_rows(with_feature, &paid, team_sizes);
    if rows.is_empty() {
        // Priced feature tier but no paid tier to compare with: the feature is free or the
        // only price there is.
        let free = feature_offer.annual_cost(first_size) == Some(0.0);
        return Premium {
            status: if free {
                PremiumStatus::Included
            } else {
                PremiumStatus::Unknown
            },
            tier: Some(feature_offer.name()),
            ..status_only(PremiumStatus::Unknown)
        };
    }
    let included = rows.iter().all(|r| r.extra_per_year == 0.0);
    let first = rows[0].percent;
    let uniform = rows.iter().all(|r| (r.percent - first).abs() < 0.05);
    Premium {
        status: if included {
            PremiumStatus::Included
        } else {
            PremiumStatus::Priced
        },
        tier: Some(feature_offer.name()),
        base_tier,
        percent: uniform.then_some(first),
        percent_text: uniform.then(|| format_percent(first)),
        rows,
        unpriced_tiers: Vec::new(),
    }
}

/// The premium at each team size where both the feature and a paid tier are priced, and the
/// paid tier it is compared with at the first of them.
fn premium_rows(
    with_feature: &[Offer],
    paid: &[Offer],
    team_sizes: &[u32],
) -> (Vec<PremiumRow>, Option<String>) {
    let currency = currency_of(with_feature);
    let mut rows = Vec::new();
    let mut base_tier = None;
    for &users in team_sizes {
        let (Some((offer, feature_cost)), Some((base, base_cost))) =
            (cheapest(with_feature, users), cheapest(paid, users))
        else {
            continue;
        };
        base_tier.get_or_insert_with(|| base.name());
        // A feature in a free tier, or in a tier cheaper than the cheapest paid one, costs
        // nothing extra.
        let extra = (feature_cost - base_cost).max(0.0);
        let percent = if base_cost > 0.0 {
            extra / base_cost * 100.0
        } else {
            0.0
        };
        let approximate = offer.is_approximate() || base.is_approximate();
        rows.push(PremiumRow {
            users,
            extra_per_year: extra,
            extra_text: format_money(extra, &currency, approximate && extra > 0.0),
            percent,
            percent_text: format_percent(percent),
            approximate,
        });
    }
    (rows, base_tier)
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
    }
    coverage
}
