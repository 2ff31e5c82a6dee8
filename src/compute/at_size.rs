//! What SSO or SCIM comes to for a team of one size: the cheapest plan with it, that plan's
//! yearly cost, and the extra it costs over the cheapest paid plan.
//!
//! [`feature_at`] is the one definition of these figures. The tables of a vendor page use it
//! at the site's team sizes, the lists at the first of them, and the site's scripts
//! (`static/figures.js`) repeat it step for step at any size, from the offers
//! [`super::pricing`] writes into the page: a browser test holds the two to the same answers.

use serde::Serialize;

use super::figures::{CostStatus, amount_of};
use super::offers::Offer;
use crate::model::{Price, Tier};
use crate::money::{format_money, format_percent};

/// SSO or SCIM for a team of `users`.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureAt {
    /// The team size.
    pub users: u32,
    /// `priced` (a figure), `free` (a figure of zero), `custom` (only a quote prices it),
    /// `unknown` (the plan that has it has no published price) or `unavailable`.
    pub status: CostStatus,
    /// The cheapest plan with the feature at this size; for `custom` and `unknown`, the plan
    /// that has it (when one is named).
    pub plan: Option<String>,
    /// What that plan costs a year.
    pub annual: Option<f64>,
    /// The cheapest paid plan at this size, which `extra` is measured from.
    pub base_plan: Option<String>,
    /// What the feature costs a year over the cheapest paid plan: `None` while a cheaper plan
    /// has no published price, or when no paid plan is priced (unless the feature is free).
    pub extra: Option<f64>,
    /// `extra` as a percentage of the cheapest paid plan's cost.
    pub percent: Option<f64>,
    /// Whether `annual` comes from an estimated price.
    pub approximate: bool,
    /// Whether `extra` comes from an estimated price (of either plan).
    pub extra_approximate: bool,
    /// Cheaper plans (listed before `plan`) without a published price: while they are
    /// unknown, so is `extra`.
    pub unpriced_tiers: Vec<String>,
    /// `plan`, or what stands in its place ("No SCIM", "Unknown").
    pub plan_text: String,
    /// `annual` as people read it, or what stands in its place ("Custom pricing").
    pub annual_text: String,
    /// A twelfth of `annual` as people read it, or what stands in its place.
    pub monthly_text: String,
    /// `extra` as people read it, or what stands in its place.
    pub extra_text: String,
    /// `percent` as people read it, or what stands in its place.
    pub percent_text: String,
    /// The class of what stands in for a figure: `muted` when the feature is not offered,
    /// else `unknown`.
    pub quiet: &'static str,
}

/// Whether the feature is offered at all, and the ways to buy it.
pub struct FeatureOffers<'a, 'v> {
    /// The record says the vendor does not offer it.
    pub unavailable: bool,
    /// The ways to buy it, in the order of `offers_with`.
    pub with_feature: &'a [Offer<'v>],
    /// The paid tiers (a published amount above zero), alone.
    pub paid: &'a [Offer<'v>],
    /// Every tier, cheapest first.
    pub tiers: &'v [Tier],
    /// The currency figures are written in.
    pub currency: &'a str,
    /// "No SCIM" or "No SSO": what the cells of an unavailable feature say.
    pub none_text: &'static str,
}

/// The feature for a team of `users`.
pub fn feature_at(offers: &FeatureOffers, users: u32) -> FeatureAt {
    let mut at = FeatureAt {
        users,
        status: CostStatus::Unknown,
        plan: None,
        annual: None,
        base_plan: None,
        extra: None,
        percent: None,
        approximate: false,
        extra_approximate: false,
        unpriced_tiers: Vec::new(),
        plan_text: String::new(),
        annual_text: String::new(),
        monthly_text: String::new(),
        extra_text: String::new(),
        percent_text: String::new(),
        quiet: "unknown",
    };
    if offers.unavailable {
        at.status = CostStatus::Unavailable;
    } else if let Some(first) = offers.with_feature.first()
        && first.has_unknown_price()
    {
        // The first plan with the feature has no published price: it is the plan, and its
        // price is unknown, whatever later (dearer) plans cost.
        at.plan = Some(first.name());
    } else if let Some((offer, annual)) = cheapest(offers.with_feature, users) {
        price_at(&mut at, offers, offer, annual);
    } else if let Some(custom) = offers.with_feature.iter().find(|o| o.is_custom()) {
        at.status = CostStatus::Custom;
        at.plan = Some(custom.name());
    }
    write_texts(&mut at, offers);
    at
}

/// The figures of `offer`, the cheapest with the feature, costing `annual`.
fn price_at(at: &mut FeatureAt, offers: &FeatureOffers, offer: Offer, annual: f64) {
    at.status = if annual == 0.0 {
        CostStatus::Free
    } else {
        CostStatus::Priced
    };
    at.plan = Some(offer.name());
    at.annual = Some(annual);
    at.approximate = offer.is_approximate();
    at.unpriced_tiers = unpriced_tiers_before(offers.tiers, offer.tier);
    if !at.unpriced_tiers.is_empty() {
        return;
    }
    match cheapest(offers.paid, at.users) {
        Some((base, base_cost)) => {
            // A feature in a free tier, or in a tier cheaper than the cheapest paid one,
            // costs nothing extra.
            let extra = (annual - base_cost).max(0.0);
            at.base_plan = Some(base.name());
            at.extra = Some(extra);
            at.percent = Some(if base_cost > 0.0 {
                extra / base_cost * 100.0
            } else {
                0.0
            });
            at.extra_approximate = (at.approximate || base.is_approximate()) && extra > 0.0;
        }
        // No paid plan to compare with: a free feature costs nothing extra; a priced one is
        // the only price there is.
        None if annual == 0.0 => {
            at.extra = Some(0.0);
            at.percent = Some(0.0);
        }
        None => {}
    }
}

fn write_texts(at: &mut FeatureAt, offers: &FeatureOffers) {
    let money = |amount: f64, approximate| format_money(amount, offers.currency, approximate);
    let stand_in = match at.status {
        CostStatus::Unavailable => offers.none_text,
        CostStatus::Custom => "Custom pricing",
        _ => "Unknown",
    };
    if at.status == CostStatus::Unavailable {
        at.quiet = "muted";
    }
    at.plan_text = match (&at.plan, at.status) {
        (_, CostStatus::Unavailable) => offers.none_text.to_owned(),
        (Some(plan), _) => plan.clone(),
        (None, _) => "Unknown".to_owned(),
    };
    at.annual_text = match at.annual {
        Some(annual) => money(annual, at.approximate),
        None => stand_in.to_owned(),
    };
    at.monthly_text = match at.annual {
        Some(annual) => money(annual / 12.0, at.approximate),
        None => stand_in.to_owned(),
    };
    at.extra_text = match at.extra {
        Some(extra) => money(extra, at.extra_approximate),
        None => stand_in.to_owned(),
    };
    at.percent_text = match at.percent {
        Some(percent) => format_percent(percent),
        None => stand_in.to_owned(),
    };
}

/// The cheapest of `offers` for `users` people, with its yearly cost; the first of equals.
pub(super) fn cheapest<'a>(offers: &[Offer<'a>], users: u32) -> Option<(Offer<'a>, f64)> {
    offers
        .iter()
        .filter_map(|o| o.annual_cost(users).map(|cost| (*o, cost)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// The paid tiers of `tiers`: a published amount above zero.
pub(super) fn paid_offers(tiers: &[Tier]) -> Vec<Offer<'_>> {
    tiers
        .iter()
        .filter(|t| amount_of(t.price.as_ref()).is_some_and(|p| p.amount > 0.0))
        .map(|tier| Offer { tier, addon: None })
        .collect()
}

/// The names of the tiers listed before `feature_tier` (tiers go cheapest first) that are not
/// free and have no published price.
pub(super) fn unpriced_tiers_before(all: &[Tier], feature_tier: &Tier) -> Vec<String> {
    all.iter()
        .take_while(|t| !std::ptr::eq(*t, feature_tier))
        .filter(|t| !matches!(t.price, Some(Price::Free) | Some(Price::Amount(_))))
        .map(|t| t.name.clone())
        .collect()
}

/// A [`FeatureAt`] as the lists keep it for every vendor: only what a row shows, in as little
/// memory as it takes (a site of 100,000 vendors holds one per feature per vendor).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AtGlance {
    /// As in [`FeatureAt`].
    pub status: CostStatus,
    /// Whether a plan with the feature is known (and the feature offered).
    pub plan_known: bool,
    /// The yearly cost, when known (a sort key).
    pub annual: Option<f64>,
    /// The extra over the cheapest paid plan, when known (a sort key).
    pub extra: Option<f64>,
    /// As in [`FeatureAt`].
    pub plan_text: Box<str>,
    /// As in [`FeatureAt`].
    pub annual_text: Box<str>,
    /// As in [`FeatureAt`].
    pub extra_text: Box<str>,
    /// As in [`FeatureAt`].
    pub percent_text: Box<str>,
    /// As in [`FeatureAt`].
    pub quiet: &'static str,
}

impl From<FeatureAt> for AtGlance {
    fn from(at: FeatureAt) -> AtGlance {
        AtGlance {
            plan_known: at.plan.is_some() && at.status != CostStatus::Unavailable,
            status: at.status,
            annual: at.annual,
            extra: at.extra,
            plan_text: at.plan_text.into(),
            annual_text: at.annual_text.into(),
            extra_text: at.extra_text.into(),
            percent_text: at.percent_text.into(),
            quiet: at.quiet,
        }
    }
}
