//! A record that lists no plans takes them from its catalogues: one tier per distinct plan,
//! priced by the newest statement that prices it, and an add-on for a plan sold as one.

use super::{Claim, Disagreement, Merged, Role, Said, Statement, claims, currency, same_price};
use crate::compute::figures::annual_cost;
use crate::model::{Addon, Price, StatedPlan, Tier, Vendor};

/// Builds the record's tiers and add-ons from its catalogues' statements.
pub(super) fn build_plans(merged: &mut Merged, said: &[Said]) {
    let claims = claims(said);
    let mut keys: Vec<String> = Vec::new();
    for claim in &claims {
        let key = claim.key(&claims);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    // Figures compare plans in one currency: the first stated one's.
    let figures_currency = claims
        .iter()
        .filter(|c| !c.plan.addon)
        .find_map(|c| currency(c.plan.price.as_ref()))
        .map(str::to_owned);
    let mut tiers: Vec<Tier> = Vec::new();
    let mut addons: Vec<Addon> = Vec::new();
    for key in keys {
        let same: Vec<&Claim> = claims.iter().filter(|c| c.key(&claims) == key).collect();
        match one_plan(
            &same,
            figures_currency.as_deref(),
            &mut merged.disagreements,
        ) {
            Plan::Tier(tier) => tiers.push(tier),
            Plan::Addon(addon) => addons.push(addon),
        }
    }
    let base = base_name(&claims);
    order_tiers(&mut tiers, base.as_deref());
    let record = &mut merged.record;
    settle_features(record, &mut tiers, &mut addons);
    record.tiers = tiers;
    record.addons = addons;
}

enum Plan {
    Tier(Tier),
    Addon(Addon),
}

/// The plan the statements in `same` are about: named as any of them names it, priced by the
/// newest that prices it in `figures_currency`; the others that price it otherwise disagree.
fn one_plan(
    same: &[&Claim],
    figures_currency: Option<&str>,
    disagreements: &mut Vec<Disagreement>,
) -> Plan {
    let usable = |c: &&&Claim| {
        c.plan.price.is_some()
            && currency(c.plan.price.as_ref()).is_none_or(|cur| Some(cur) == figures_currency)
    };
    let priced = same.iter().filter(usable).max_by_key(|c| c.said.entry.date);
    let chosen = priced.copied().unwrap_or(same[0]);
    let name = same
        .iter()
        .find_map(|c| c.plan.name.clone())
        .unwrap_or_else(|| chosen.name());
    if let Some(used) = priced {
        let used_price = used.plan.price.as_ref().unwrap_or(&Price::Custom);
        let rest: Vec<Statement> = same
            .iter()
            .filter(|c| !std::ptr::eq(**c, *used))
            .filter(|c| {
                c.plan
                    .price
                    .as_ref()
                    .is_some_and(|p| !same_price(p, used_price))
            })
            .map(|c| c.statement())
            .collect();
        if !rest.is_empty() {
            disagreements.push(Disagreement {
                fact: format!("Price of {name}"),
                used: used.statement(),
                others: rest,
            });
        }
    }
    let (sso, scim) = (stated_flag(same, |p| p.sso), stated_flag(same, |p| p.scim));
    let price = priced.and_then(|c| c.plan.price.clone());
    let source = Some(chosen.said.catalogue.id.to_owned());
    if same.iter().any(|c| c.plan.addon) {
        let plans = Vec::new();
        Plan::Addon(Addon {
            name,
            price,
            plans,
            sso,
            scim,
            source,
        })
    } else {
        Plan::Tier(Tier {
            name,
            price,
            sso,
            scim,
            source,
        })
    }
}

/// The name of the tier built for the (paid) base plan.
fn base_name(claims: &[Claim]) -> Option<String> {
    let base = claims
        .iter()
        .find(|c| c.role == Role::Base && !c.is_free_base())?;
    let key = base.key(claims);
    let mut same = claims.iter().filter(|o| o.key(claims) == key);
    Some(
        same.find_map(|o| o.plan.name.clone())
            .unwrap_or_else(|| base.name()),
    )
}

/// What the statements about one plan say of a feature: yes if any says yes (a plan's
/// features are what its newest and fullest statement lists), else no if any says no.
fn stated_flag(same: &[&Claim], flag: impl Fn(&StatedPlan) -> Option<bool>) -> Option<bool> {
    let values: Vec<bool> = same.iter().filter_map(|c| flag(c.plan)).collect();
    if values.is_empty() {
        None
    } else {
        Some(values.contains(&true))
    }
}

/// Free plans first, then the base plan (an unpriced base keeps the premium unknown, as it
/// should), then the others by price, unpriced last.
fn order_tiers(tiers: &mut [Tier], base: Option<&str>) {
    let place = |t: &Tier| match &t.price {
        Some(Price::Free) => 0,
        _ if Some(t.name.as_str()) == base => 1,
        Some(Price::Amount(_)) => 2,
        Some(Price::Custom) => 3,
        None => 4,
    };
    let cost = |t: &Tier| annual_cost(t.price.as_ref(), 10).unwrap_or(f64::MAX);
    tiers.sort_by(|a, b| {
        place(a)
            .cmp(&place(b))
            .then_with(|| cost(a).total_cmp(&cost(b)))
    });
}

/// Plans built from catalogues must agree with the record's availability: a record that says
/// SCIM (or SSO) is not offered keeps no plan that has it.
fn settle_features(record: &mut Vendor, tiers: &mut [Tier], addons: &mut Vec<Addon>) {
    for tier in tiers.iter_mut() {
        if record.scim.available == Some(false) && tier.scim == Some(true) {
            tier.scim = None;
        }
        if record.sso.available == Some(false) && tier.sso == Some(true) {
            tier.sso = None;
        }
    }
    if record.scim.available == Some(false) {
        addons.retain(|a| a.scim != Some(true));
    }
    let has = |f: &dyn Fn(&Tier) -> Option<bool>, a: &dyn Fn(&Addon) -> Option<bool>| {
        tiers.iter().any(|t| f(t) == Some(true)) || addons.iter().any(|x| a(x) == Some(true))
    };
    if record.scim.available.is_none() && has(&|t| t.scim, &|a| a.scim) {
        record.scim.available = Some(true);
    }
    if record.sso.available.is_none() && has(&|t| t.sso, &|a| a.sso) {
        record.sso.available = Some(true);
    }
}
