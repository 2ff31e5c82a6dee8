//! A record with its own plans keeps them: each catalogue statement about a plan that can be
//! matched with one of the record's is compared with it.

use super::{
    Claim, Disagreement, Merged, Role, Said, Statement, claims, price_text, same_plan, same_price,
};
use crate::compute::figures::annual_cost;
use crate::field_path::item;
use crate::model::{Price, Tier, Vendor};

/// A record with its own plans keeps them; each catalogue's price for a plan it can be matched
/// with is compared.
pub(super) fn compare_plans(merged: &mut Merged, said: &[Said]) {
    let record = &merged.record;
    let own_tiers: Vec<(String, Option<&Price>)> = record
        .tiers
        .iter()
        .map(|t| (t.name.clone(), t.price.as_ref()))
        .chain(
            record
                .addons
                .iter()
                .map(|a| (a.name.clone(), a.price.as_ref())),
        )
        .collect();
    let mut found = Vec::new();
    let all = claims(said);
    for claim in &all {
        let Some(stated) = &claim.plan.price else {
            continue;
        };
        let Some(index) = matching_tier(record, claim, &all) else {
            continue;
        };
        let (name, Some(own)) = &own_tiers[index] else {
            continue;
        };
        if same_price(own, stated) {
            continue;
        }
        let field = if index < record.tiers.len() {
            format!("{}.price", item("tiers", index))
        } else {
            format!("{}.price", item("addons", index - record.tiers.len()))
        };
        let used = Statement {
            value: price_text(Some(own)),
            by: "this record".to_owned(),
            source: None,
            date: record.verified,
            field,
        };
        found.push((format!("Price of {name}"), used, claim.statement()));
    }
    for (fact, used, other) in found {
        match merged.disagreements.iter_mut().find(|d| d.fact == fact) {
            Some(d) => d.others.push(other),
            None => merged.disagreements.push(Disagreement {
                fact,
                used,
                others: vec![other],
            }),
        }
    }
}

/// The index (tiers, then add-ons) of the record's plan a catalogue's statement is about: by
/// its name, or by the name other statements give the plan of its role (see `Claim::key`).
fn matching_tier(record: &Vendor, claim: &Claim, all: &[Claim]) -> Option<usize> {
    let mut names = record
        .tiers
        .iter()
        .map(|t| &t.name)
        .chain(record.addons.iter().map(|a| &a.name));
    let key = claim.key(all);
    if !key.starts_with('@') {
        return names.position(|n| same_plan(n, &key, &record.name));
    }
    // An unnamed plan with a feature that an add-on also brings may be a plan plus the add-on:
    // no one tier can be said to be it.
    let by_addon = record.addons.iter().any(|a| match claim.role {
        Role::Sso => a.sso == Some(true),
        Role::Scim => a.scim == Some(true),
        Role::Base => false,
    });
    if by_addon {
        return None;
    }
    let has = |t: &Tier| match claim.role {
        Role::Sso => t.sso == Some(true),
        Role::Scim => t.scim == Some(true) || record.scim.tier.as_ref() == Some(&t.name),
        Role::Base => false,
    };
    record
        .tiers
        .iter()
        .enumerate()
        .filter(|(_, t)| has(t))
        .filter_map(|(i, t)| Some((i, annual_cost(t.price.as_ref(), 10)?)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}
