//! What the site's scripts need to work out a vendor's figures at any team size: every way to
//! buy the product (a tier, or a tier with an add-on), its prices, and what this module has
//! already decided of it (whether it includes SSO or SCIM, whether it is a paid tier a premium
//! is measured from, whether a cheaper tier lacks a price). The scripts only add and compare;
//! `static/figures.js` repeats [`super::at_size::feature_at`] over these offers.

use serde::Serialize;

use super::at_size::unpriced_tiers_before;
use super::figures::{amount_of, currency_of};
use super::offers::{Feature, Offer, offers_with};
use crate::model::{Price, Vendor};

/// A vendor's offers and prices, for the scripts.
#[derive(Debug, Clone, Serialize)]
pub struct Pricing<'a> {
    /// Names its page: `vendors/<slug>/`.
    pub slug: &'a str,
    /// The vendor's name.
    pub name: &'a str,
    /// The currency of its figures.
    pub currency: String,
    /// Whether it offers SSO at all.
    pub sso: Option<bool>,
    /// Whether it offers SCIM at all.
    pub scim: Option<bool>,
    /// Every tier alone, in the record's order, then each tier with each add-on that brings
    /// SSO or SCIM: filtered by a feature, they are `offers_with` that feature, in its order.
    pub offers: Vec<PricedOffer>,
}

/// One way to buy the product.
#[derive(Debug, Clone, Serialize)]
pub struct PricedOffer {
    /// As pages name it: "Standard + Atlassian Guard Standard".
    pub name: String,
    /// The prices it adds up: the tier's, then the add-on's (`null` when unknown).
    pub prices: Vec<BrowserPrice>,
    /// It includes SSO (left out when false, as are the flags below: the file is read by
    /// every list page).
    #[serde(skip_serializing_if = "is_false")]
    pub sso: bool,
    /// It includes SCIM.
    #[serde(skip_serializing_if = "is_false")]
    pub scim: bool,
    /// A paid tier alone (a published amount above zero): premiums are measured from the
    /// cheapest of these.
    #[serde(skip_serializing_if = "is_false")]
    pub paid: bool,
    /// A tier listed before its tier has no published price, so that what it costs over the
    /// cheapest paid tier is unknown.
    #[serde(skip_serializing_if = "is_false")]
    pub after_unpriced: bool,
}

/// A price as the scripts need it: `null` (unknown), `"custom"`, `"free"`, or the figure
/// without its currency (the vendor's) and without defaults.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum BrowserPrice {
    /// Not known, or a word: `custom`, `free`.
    Word(Option<&'static str>),
    /// A published figure.
    Figure {
        /// The figure.
        amount: f64,
        /// `user/month`, `user/year`, `month` or `year`.
        per: &'static str,
        /// The smallest number of seats sold.
        #[serde(skip_serializing_if = "Option::is_none")]
        min_seats: Option<u32>,
        /// The figure is an estimate.
        #[serde(skip_serializing_if = "is_false")]
        approximate: bool,
    },
}

impl BrowserPrice {
    fn of(price: Option<&Price>) -> BrowserPrice {
        match price {
            None => BrowserPrice::Word(None),
            Some(Price::Custom) => BrowserPrice::Word(Some("custom")),
            Some(Price::Free) => BrowserPrice::Word(Some("free")),
            Some(Price::Amount(p)) => BrowserPrice::Figure {
                amount: p.amount,
                per: p.per.label(),
                min_seats: p.min_seats,
                approximate: p.approximate,
            },
        }
    }
}

fn is_false(value: &bool) -> bool {
    !value
}

/// The pricing of `record`, whose page is named by `slug`.
pub fn pricing<'a>(slug: &'a str, record: &'a Vendor) -> Pricing<'a> {
    let with_scim = offers_with(record, Feature::Scim);
    let with_sso = offers_with(record, Feature::Sso);
    let alone = record.tiers.iter().map(|tier| Offer { tier, addon: None });
    let with_addons = record.addons.iter().flat_map(|addon| {
        record.tiers.iter().map(move |tier| Offer {
            tier,
            addon: Some(addon),
        })
    });
    let offers = alone
        .chain(with_addons.filter(|o| contains(&with_scim, o) || contains(&with_sso, o)))
        .map(|offer| PricedOffer {
            name: offer.name(),
            prices: offer.prices().map(BrowserPrice::of).collect(),
            sso: contains(&with_sso, &offer),
            scim: contains(&with_scim, &offer),
            paid: offer.addon.is_none()
                && amount_of(offer.tier.price.as_ref()).is_some_and(|p| p.amount > 0.0),
            after_unpriced: !unpriced_tiers_before(&record.tiers, offer.tier).is_empty(),
        })
        .collect();
    Pricing {
        slug,
        name: &record.name,
        currency: currency_of(record),
        sso: record.sso.available,
        scim: record.scim.available,
        offers,
    }
}

/// Whether `offers` holds `offer`: the same tier with the same add-on (or none).
fn contains(offers: &[Offer], offer: &Offer) -> bool {
    offers.iter().any(|o| o.is(offer))
}
