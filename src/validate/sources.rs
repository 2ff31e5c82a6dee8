//! The rules on where facts come from: source ids and the facts that cite them, add-ons, the
//! catalogues' statements, and the disagreements between them.

use super::{Problem, Rules, check_price, check_url};
use crate::compute::Disagreement;
use crate::field_path::item;
use crate::model::{Price, Vendor, catalogue};

/// Whether SCIM is available as the pages will say: the record's own answer, else the one its
/// catalogues' merge gives (so that `check` and the page never contradict each other).
pub(super) fn scim_available(vendor: &Vendor) -> Option<bool> {
    if vendor.scim.available.is_some() || vendor.catalogues.is_empty() {
        return vendor.scim.available;
    }
    crate::compute::merge(vendor).record.scim.available
}

/// Add-ons: named, sold with tiers the record lists, and only with SCIM when SCIM exists.
pub(super) fn check_addons(vendor: &Vendor, problems: &mut Vec<Problem>) {
    for (i, addon) in vendor.addons.iter().enumerate() {
        let field = item("addons", i);
        if addon.name.trim().is_empty() {
            problems.push(Problem::error(format!("{field}.name"), "is empty"));
        }
        let clashes = vendor
            .tiers
            .iter()
            .map(|t| &t.name)
            .chain(vendor.addons[..i].iter().map(|a| &a.name))
            .any(|n| n.eq_ignore_ascii_case(&addon.name));
        if clashes {
            problems.push(Problem::error(
                format!("{field}.name"),
                format!(
                    "\"{}\" is already the name of a tier or add-on: every plan needs its own name",
                    addon.name
                ),
            ));
        }
        check_price(&format!("{field}.price"), addon.price.as_ref(), problems);
        for (j, plan) in addon.plans.iter().enumerate() {
            if !vendor.tiers.iter().any(|t| &t.name == plan) {
                let names: Vec<&str> = vendor.tiers.iter().map(|t| t.name.as_str()).collect();
                problems.push(Problem::error(
                    item(&format!("{field}.plans"), j),
                    format!(
                        "\"{plan}\" is not a tier of this vendor (tiers: {})",
                        names.join(", ")
                    ),
                ));
            }
        }
        if addon.scim == Some(true) && scim_available(vendor) != Some(true) {
            problems.push(Problem::error(
                format!("{field}.scim"),
                "the add-on brings SCIM, so scim.available must be true",
            ));
        }
        if addon.sso == Some(true) && vendor.sso.available == Some(false) {
            problems.push(Problem::error(
                format!("{field}.sso"),
                "the add-on brings SSO, but sso.available is false",
            ));
        }
    }
}

/// Source ids are unique and not a catalogue's; every citation names a source of the record
/// or one of its catalogues; a published price that cites nothing is a warning.
pub(super) fn check_citations(vendor: &Vendor, problems: &mut Vec<Problem>) {
    let mut ids: Vec<&str> = Vec::new();
    for (i, source) in vendor.sources.iter().enumerate() {
        let Some(id) = source.id.as_deref() else {
            continue;
        };
        let field = format!("{}.id", item("sources", i));
        if id.trim().is_empty() {
            problems.push(Problem::error(
                field,
                "is empty: give a short id, or leave it out",
            ));
        } else if catalogue(id).is_some() {
            problems.push(Problem::error(
                field,
                format!("\"{id}\" is a catalogue's id, which its entry under `catalogues:` takes: choose another"),
            ));
        } else if ids.contains(&id) {
            problems.push(Problem::error(
                field,
                format!("duplicate source id \"{id}\""),
            ));
        }
        ids.push(id);
    }
    ids.extend(vendor.catalogues.keys().map(String::as_str));
    for (citing, cited) in citations(vendor) {
        if !ids.contains(&cited) {
            let known = if ids.is_empty() {
                "this record's sources have no ids: add `id:` to the source".to_owned()
            } else {
                format!("known: {}", ids.join(", "))
            };
            problems.push(Problem::error(
                citing.field(),
                format!("\"{cited}\" is not the id of a source of this record ({known})"),
            ));
        }
    }
    let uncited = |price: &Option<Price>, source: &Option<String>| {
        matches!(price, Some(Price::Amount(_))) && source.is_none()
    };
    let tiers = vendor.tiers.iter().enumerate();
    let tiers = tiers.filter(|(_, t)| uncited(&t.price, &t.source));
    let addons = vendor.addons.iter().enumerate();
    let addons = addons.filter(|(_, a)| uncited(&a.price, &a.source));
    let fields = tiers
        .map(|(i, _)| format!("{}.price", item("tiers", i)))
        .chain(addons.map(|(i, _)| format!("{}.price", item("addons", i))));
    for field in fields {
        problems.push(Problem::warning(
            field,
            "cites no source: add `source: <id>` naming the source (of `sources`, with an \
             `id:`) the price comes from",
        ));
    }
}

/// Where a `source:` is written.
enum Citing<'a> {
    Sso,
    Scim,
    Tier(usize),
    Addon(usize),
    Idp(&'a str),
}

impl Citing<'_> {
    fn field(&self) -> String {
        match self {
            Citing::Sso => "sso.source".to_owned(),
            Citing::Scim => "scim.source".to_owned(),
            Citing::Tier(i) => format!("{}.source", item("tiers", *i)),
            Citing::Addon(i) => format!("{}.source", item("addons", *i)),
            Citing::Idp(id) => format!("idps.{id}.source"),
        }
    }
}

/// Every `source:` of the record and where it is (a field path is written out only for a
/// problem: every tier of every record passes through here).
fn citations(vendor: &Vendor) -> Vec<(Citing<'_>, &str)> {
    let tiers = vendor.tiers.iter().enumerate();
    let addons = vendor.addons.iter().enumerate();
    [
        (Citing::Sso, &vendor.sso.source),
        (Citing::Scim, &vendor.scim.source),
    ]
    .into_iter()
    .chain(tiers.map(|(i, t)| (Citing::Tier(i), &t.source)))
    .chain(addons.map(|(i, a)| (Citing::Addon(i), &a.source)))
    .chain(
        vendor
            .idps
            .iter()
            .map(|(id, s)| (Citing::Idp(id), &s.source)),
    )
    .filter_map(|(citing, source)| Some((citing, source.as_deref()?)))
    .collect()
}

/// The catalogues' statements: from known catalogues, dated no later than today, with sound
/// prices and links.
pub(super) fn check_catalogues(vendor: &Vendor, rules: &Rules, problems: &mut Vec<Problem>) {
    for (id, entry) in &vendor.catalogues {
        let field = format!("catalogues.{id}");
        if catalogue(id).is_none() {
            problems.push(Problem::error(
                field.clone(),
                format!(
                    "\"{id}\" is not a catalogue scimfacts knows (sso-tax, ssotax-org, scimtax-org)"
                ),
            ));
        }
        if entry.date > rules.today {
            problems.push(Problem::error(
                format!("{field}.date"),
                format!("{} is in the future (today is {})", entry.date, rules.today),
            ));
        }
        for (i, url) in entry.cites.iter().enumerate() {
            check_url(problems, &item(&format!("{field}.cites"), i), url);
        }
        let plans = [
            ("base_plan", &entry.base_plan),
            ("sso_plan", &entry.sso_plan),
            ("scim_plan", &entry.scim_plan),
        ];
        for (name, plan) in plans {
            if let Some(plan) = plan {
                check_price(
                    &format!("{field}.{name}.price"),
                    plan.price.as_ref(),
                    problems,
                );
            }
        }
    }
}

/// Each disagreement between the record and its catalogues, as a warning at the statement
/// that differs: an editor should look, decide, and write the answer in the record.
pub fn check_disagreements(disagreements: &[Disagreement]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for disagreement in disagreements {
        let used = &disagreement.used;
        for other in &disagreement.others {
            let dated = |date: Option<crate::model::Date>| {
                date.map_or_else(String::new, |d| format!(" ({d})"))
            };
            problems.push(Problem::warning(
                other.field.clone(),
                format!(
                    "sources disagree on {}: {}{} says {}, but the figures use {} from {}{}; \
                     check it and write the answer in the record",
                    disagreement.fact.to_lowercase(),
                    other.by,
                    dated(other.date),
                    other.value,
                    used.value,
                    used.by,
                    dated(used.date),
                ),
            ));
        }
    }
    problems
}
