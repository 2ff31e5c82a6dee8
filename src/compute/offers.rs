//! The ways to buy SSO or SCIM: a tier that includes it, or a tier with an add-on that brings
//! it, and what each costs.

use super::figures::{annual_cost, is_approximate};
use crate::model::{Addon, Price, Tier, Vendor};

/// SSO or SCIM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// Single sign-on.
    Sso,
    /// SCIM provisioning.
    Scim,
}

/// One way to buy the vendor's product: a tier alone, or a tier with an add-on on top.
#[derive(Debug, Clone, Copy)]
pub struct Offer<'a> {
    /// The tier.
    pub tier: &'a Tier,
    /// The add-on bought with it.
    pub addon: Option<&'a Addon>,
}

impl<'a> Offer<'a> {
    /// As pages name it: "Standard + Atlassian Guard Standard".
    pub fn name(&self) -> String {
        match self.addon {
            Some(addon) => format!("{} + {}", self.tier.name, addon.name),
            None => self.tier.name.clone(),
        }
    }

    /// The yearly cost for `users` people: the tier's plus the add-on's. `None` when either
    /// has no published price.
    pub fn annual_cost(&self, users: u32) -> Option<f64> {
        let tier = annual_cost(self.tier.price.as_ref(), users)?;
        match self.addon {
            Some(addon) => Some(tier + annual_cost(addon.price.as_ref(), users)?),
            None => Some(tier),
        }
    }

    /// Whether it is `other`: the same tier with the same add-on (or none).
    pub fn is(&self, other: &Offer) -> bool {
        std::ptr::eq(self.tier, other.tier)
            && self.addon.map(std::ptr::from_ref) == other.addon.map(std::ptr::from_ref)
    }

    /// The prices it is made of: the tier's, then the add-on's.
    pub fn prices(&self) -> impl Iterator<Item = Option<&'a Price>> + use<'a> {
        std::iter::once(self.tier.price.as_ref()).chain(self.addon.map(|a| a.price.as_ref()))
    }

    pub(super) fn is_approximate(&self) -> bool {
        self.prices().any(is_approximate)
    }

    /// A price it is made of is not known (neither published, custom nor free).
    pub(super) fn has_unknown_price(&self) -> bool {
        self.prices().any(|p| p.is_none())
    }

    /// Only a quote from sales can price it.
    pub(super) fn is_custom(&self) -> bool {
        self.prices().any(|p| p == Some(&Price::Custom))
    }
}

/// The ways to buy `feature`: the tiers that include it, and each tier an add-on that brings
/// it can be bought with.
pub fn offers_with(vendor: &Vendor, feature: Feature) -> Vec<Offer<'_>> {
    let available = match feature {
        Feature::Sso => vendor.sso.available,
        Feature::Scim => vendor.scim.available,
    };
    if available == Some(false) {
        return Vec::new();
    }
    let named = |name: &str| feature == Feature::Scim && vendor.scim.tier.as_deref() == Some(name);
    let tier_has = |t: &Tier| {
        let flag = match feature {
            Feature::Sso => t.sso,
            Feature::Scim => t.scim,
        };
        flag == Some(true) || named(&t.name)
    };
    let addon_has = |a: &Addon| {
        let flag = match feature {
            Feature::Sso => a.sso,
            Feature::Scim => a.scim,
        };
        flag == Some(true) || named(&a.name)
    };
    let mut offers: Vec<Offer> = vendor
        .tiers
        .iter()
        .filter(|t| tier_has(t))
        .map(|tier| Offer { tier, addon: None })
        .collect();
    for addon in vendor.addons.iter().filter(|a| addon_has(a)) {
        let on = |t: &&Tier| addon.plans.is_empty() || addon.plans.contains(&t.name);
        offers.extend(
            vendor
                .tiers
                .iter()
                .filter(on)
                .filter(|t| !tier_has(t))
                .map(|tier| Offer {
                    tier,
                    addon: Some(addon),
                }),
        );
    }
    offers
}
