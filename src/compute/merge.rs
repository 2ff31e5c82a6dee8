//! A record's own facts merged with what the public catalogues say of the vendor: the facts
//! its pages and figures use, each citing where it came from, and every point on which the
//! statements disagree.
//!
//! The rules, in order:
//! - a fact the record states itself (an editor's) always wins;
//! - otherwise the newest dated catalogue statement that states it wins (ties go to the
//!   catalogue listed first in `CATALOGUES`);
//! - every other statement of the same fact with a different value is a disagreement, kept
//!   with its date, shown on the page and reported by `check` as a warning.
//!
//! Plans are the same when their names are (see [`same_plan`]: case, punctuation and the
//! vendor's own name in front aside). A plan a catalogue does not name is the plan of its kind
//! (base, with SSO, with SCIM) that the other catalogues name, when they name one; failing
//! that, an unnamed plan with SSO (SCIM) is the record's cheapest tier with SSO (SCIM), and an
//! unnamed base plan is compared with nothing, since the catalogues do not agree on which plan
//! is the base. A catalogue's free plan is never another's paid base plan.

use serde::Serialize;

use super::figures::price_view;
use crate::model::{
    CATALOGUES, Catalogue, CatalogueEntry, Date, Price, Source, StatedPlan, Vendor, catalogue,
};

/// Who states a fact: the record itself or one catalogue, with the date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// What is stated, as people read it ("$15/user/month", "Yes", "Business+").
    pub value: String,
    /// Who states it: "this record" or the catalogue's name.
    pub by: String,
    /// The id of the source it cites, when it is a catalogue.
    pub source: Option<String>,
    /// When it was stated: the record's `verified` date or the catalogue's date.
    pub date: Option<Date>,
    /// The field of the record file that holds it, for diagnostics.
    #[serde(skip)]
    pub field: String,
}

/// One fact on which the record and the catalogues do not all agree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// The fact, e.g. "Price of Business+", "SCIM available", "Plan SCIM requires".
    pub fact: String,
    /// The statement the figures use.
    pub used: Statement,
    /// The statements that say otherwise.
    pub others: Vec<Statement>,
}

/// The record as pages and figures use it, and the disagreements found on the way.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The record with the catalogues' statements filled in where it states nothing.
    pub record: Vendor,
    /// Every fact on which its statements disagree.
    pub disagreements: Vec<Disagreement>,
    /// The catalogue whose statement dates the record: the oldest one its figures use, when
    /// the record's own `verified` date is not newer than every statement (it is replaced).
    pub verified_by: Option<&'static Catalogue>,
}

/// One catalogue's statement, with its catalogue.
struct Said<'a> {
    catalogue: &'static Catalogue,
    entry: &'a CatalogueEntry,
}

impl Said<'_> {
    fn statement(&self, value: String, field: &str) -> Statement {
        Statement {
            value,
            by: self.catalogue.name.to_owned(),
            source: Some(self.catalogue.id.to_owned()),
            date: Some(self.entry.date),
            field: format!("catalogues.{}.{field}", self.catalogue.id),
        }
    }
}

/// Merges `record` with its catalogues' statements. A record without any is returned as it is.
pub fn merge(record: &Vendor) -> Merged {
    let mut said: Vec<Said> = record
        .catalogues
        .iter()
        .filter_map(|(id, entry)| {
            Some(Said {
                catalogue: catalogue(id)?,
                entry,
            })
        })
        .collect();
    let rank = |c: &Catalogue| CATALOGUES.iter().position(|k| k.id == c.id);
    said.sort_by(|a, b| {
        b.entry
            .date
            .cmp(&a.entry.date)
            .then(rank(a.catalogue).cmp(&rank(b.catalogue)))
    });
    let mut merged = Merged {
        record: record.clone(),
        disagreements: Vec::new(),
        verified_by: None,
    };
    if said.is_empty() {
        return merged;
    }
    add_sources(&mut merged.record, &said);
    merge_availability(&mut merged, &said);
    if record.tiers.is_empty() && record.addons.is_empty() {
        plans::build_plans(&mut merged, &said);
    } else {
        compare::compare_plans(&mut merged, &said);
    }
    merge_scim_plan_name(&mut merged, &said);
    merged.verified_by = fill_verified(&mut merged.record, &said);
    merged
}

/// Each catalogue becomes a source facts can cite, and so does each page it cites.
fn add_sources(record: &mut Vendor, said: &[Said]) {
    for s in said {
        if record
            .sources
            .iter()
            .any(|src| src.id.as_deref() == Some(s.catalogue.id))
        {
            continue;
        }
        record.sources.push(Source {
            id: Some(s.catalogue.id.to_owned()),
            title: format!(
                "{} ({}): {}",
                s.catalogue.name, s.catalogue.title, s.entry.name
            ),
            url: s.catalogue.entry_url(&s.entry.entry),
            checked: Some(s.entry.date),
        });
    }
    for s in said {
        for url in &s.entry.cites {
            if record.sources.iter().any(|src| &src.url == url) {
                continue;
            }
            record.sources.push(Source {
                id: None,
                title: format!("Cited by {}", s.catalogue.name),
                url: url.clone(),
                checked: Some(s.entry.date),
            });
        }
    }
}

fn yes_no(value: bool) -> String {
    if value { "Yes" } else { "No" }.to_owned()
}

fn merge_availability(merged: &mut Merged, said: &[Said]) {
    let record = &mut merged.record;
    let verified = record.verified;
    let sso = Availability {
        own: record.sso.available,
        field: "sso",
        fact: "SSO available",
        stated: |e| e.sso,
    };
    if let Some((value, source)) = sso.pick(said, verified, &mut merged.disagreements) {
        record.sso.available = Some(value);
        record.sso.source = record.sso.source.take().or(source);
    }
    let scim = Availability {
        own: record.scim.available,
        field: "scim",
        fact: "SCIM available",
        stated: |e| e.scim,
    };
    if let Some((value, source)) = scim.pick(said, verified, &mut merged.disagreements) {
        record.scim.available = Some(value);
        record.scim.source = record.scim.source.take().or(source);
    }
}

/// Whether SSO (or SCIM) is available, as the record and each catalogue say.
struct Availability {
    own: Option<bool>,
    /// The key of the fact, in the record (`sso.available`) and in a catalogue's entry (`sso`).
    field: &'static str,
    fact: &'static str,
    stated: fn(&CatalogueEntry) -> Option<bool>,
}

impl Availability {
    /// The record's own answer, else the newest statement's; a disagreement when any statement
    /// says otherwise. Returns the answer and the source to cite (none for the record's own).
    fn pick(
        &self,
        said: &[Said],
        verified: Option<Date>,
        disagreements: &mut Vec<Disagreement>,
    ) -> Option<(bool, Option<String>)> {
        let own = self.own.map(|v| Statement {
            value: yes_no(v),
            by: "this record".to_owned(),
            source: None,
            date: verified,
            field: format!("{}.available", self.field),
        });
        let stated: Vec<(bool, Statement, &Said)> = said
            .iter()
            .filter_map(|s| {
                let value = (self.stated)(s.entry)?;
                Some((value, s.statement(yes_no(value), self.field), s))
            })
            .collect();
        let mut all: Vec<Statement> = own.into_iter().collect();
        all.extend(stated.iter().map(|(_, statement, _)| statement.clone()));
        let used = all.first()?.clone();
        note_disagreement(disagreements, self.fact, &used, &all[1..]);
        match (self.own, stated.first()) {
            (Some(value), _) => Some((value, None)),
            (None, Some((value, _, s))) => Some((*value, Some(s.catalogue.id.to_owned()))),
            (None, None) => None,
        }
    }
}

fn note_disagreement(
    disagreements: &mut Vec<Disagreement>,
    fact: &str,
    used: &Statement,
    rest: &[Statement],
) {
    let others: Vec<Statement> = rest
        .iter()
        .filter(|s| s.value != used.value)
        .cloned()
        .collect();
    if !others.is_empty() {
        disagreements.push(Disagreement {
            fact: fact.to_owned(),
            used: used.clone(),
            others,
        });
    }
}

/// Which plan of a catalogue's a statement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Base,
    Sso,
    Scim,
}

impl Role {
    fn field(self) -> &'static str {
        match self {
            Role::Base => "base_plan",
            Role::Sso => "sso_plan",
            Role::Scim => "scim_plan",
        }
    }

    fn generic_name(self) -> &'static str {
        match self {
            Role::Base => "Unnamed base plan",
            Role::Sso => "Unnamed plan with SSO",
            Role::Scim => "Unnamed plan with SCIM",
        }
    }
}

/// A catalogue's statement about one plan.
struct Claim<'a> {
    role: Role,
    plan: &'a StatedPlan,
    said: &'a Said<'a>,
}

impl Claim<'_> {
    /// Plans are the same when their names are. An unnamed free plan is the free plan (a
    /// catalogue's "Free" base is not another's paid base). Any other unnamed plan is the plan
    /// of the same role that the other statements name, when they name only one; else the same
    /// as the other unnamed plans of its role.
    fn key(&self, all: &[Claim]) -> String {
        if let Some(name) = &self.plan.name {
            return normalised(name);
        }
        if self.is_free_base() {
            return "@free".to_owned();
        }
        let mut names: Vec<String> = all
            .iter()
            .filter(|c| c.role == self.role && !c.is_free_base())
            .filter_map(|c| c.plan.name.as_deref().map(normalised))
            .collect();
        names.dedup();
        match names.as_slice() {
            [only] => only.clone(),
            _ => format!("@{}", self.role.field()),
        }
    }

    fn is_free_base(&self) -> bool {
        self.role == Role::Base && self.plan.price == Some(Price::Free)
    }

    fn name(&self) -> String {
        match &self.plan.name {
            Some(name) => name.clone(),
            None if self.is_free_base() => "Free plan".to_owned(),
            None => self.role.generic_name().to_owned(),
        }
    }

    fn statement(&self) -> Statement {
        self.said.statement(
            price_text(self.plan.price.as_ref()),
            &format!("{}.price", self.role.field()),
        )
    }
}

fn price_text(price: Option<&Price>) -> String {
    price_view(price).text
}

/// Whether two plan names name the same plan: as `normalised`, and with the vendor's name in
/// front or not ("Atlassian Guard Standard" is Atlassian's "Guard Standard").
pub fn same_plan(a: &str, b: &str, vendor: &str) -> bool {
    let (a, b) = (normalised(a), normalised(b));
    if a == b {
        return true;
    }
    let prefix = vendor
        .split_whitespace()
        .next()
        .map(normalised)
        .unwrap_or_default();
    let bare = |n: &str| {
        n.strip_prefix(prefix.as_str())
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
    };
    !prefix.is_empty() && bare(&a).unwrap_or(a.clone()) == bare(&b).unwrap_or(b.clone())
}

/// A plan name as compared: case, spaces and punctuation aside, "plus" as "+".
pub fn normalised(name: &str) -> String {
    name.to_lowercase()
        .replace("plus", "+")
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '+')
        .collect()
}

fn claims<'a>(said: &'a [Said<'a>]) -> Vec<Claim<'a>> {
    let mut claims = Vec::new();
    for role in [Role::Base, Role::Sso, Role::Scim] {
        for s in said {
            let plan = match role {
                Role::Base => &s.entry.base_plan,
                Role::Sso => &s.entry.sso_plan,
                Role::Scim => &s.entry.scim_plan,
            };
            if let Some(plan) = plan {
                claims.push(Claim {
                    role,
                    plan,
                    said: s,
                });
            }
        }
    }
    claims
}

/// The currency figures use: a record's prices must share one.
fn currency(price: Option<&Price>) -> Option<&str> {
    match price? {
        Price::Amount(p) => Some(&p.currency),
        _ => None,
    }
}

/// Whether two stated prices say the same thing (to the cent, or half a percent).
fn same_price(a: &Price, b: &Price) -> bool {
    match (a, b) {
        (Price::Amount(a), Price::Amount(b)) => {
            a.currency == b.currency
                && a.per == b.per
                && a.min_seats == b.min_seats
                && (a.amount - b.amount).abs() <= (0.005 * a.amount.max(b.amount)).max(0.01)
        }
        _ => a == b,
    }
}

/// The plan SCIM requires: the record's, else the newest catalogue's that names one.
fn merge_scim_plan_name(merged: &mut Merged, said: &[Said]) {
    let record = &mut merged.record;
    let mut all: Vec<Statement> = Vec::new();
    if let Some(tier) = &record.scim.tier {
        all.push(Statement {
            value: tier.clone(),
            by: "this record".to_owned(),
            source: None,
            date: record.verified,
            field: "scim.tier".to_owned(),
        });
    }
    for s in said {
        if let Some(name) = s.entry.scim_plan.as_ref().and_then(|p| p.name.as_ref()) {
            all.push(s.statement(name.clone(), "scim_plan.name"));
        }
    }
    let Some(used) = all.first().cloned() else {
        return;
    };
    let differs: Vec<Statement> = all[1..]
        .iter()
        .filter(|s| !same_plan(&s.value, &used.value, &record.name))
        .cloned()
        .collect();
    if !differs.is_empty() {
        merged.disagreements.push(Disagreement {
            fact: "Plan SCIM requires".to_owned(),
            used: used.clone(),
            others: differs,
        });
    }
    if record.scim.tier.is_none() && record.scim.available != Some(false) {
        let tier = record
            .tiers
            .iter()
            .map(|t| &t.name)
            .chain(record.addons.iter().map(|a| &a.name))
            .find(|n| same_plan(n, &used.value, &record.name))
            .cloned();
        record.scim.tier = tier;
    }
}

/// A record whose facts come from catalogues is only as fresh as the oldest statement its
/// figures use (a 2026 dataset does not re-check a 2019 price): that date, and its catalogue,
/// unless the record's own `verified` date is newer than every statement.
fn fill_verified(record: &mut Vendor, said: &[Said]) -> Option<&'static Catalogue> {
    let cited: Vec<&str> = record
        .tiers
        .iter()
        .filter_map(|t| t.source.as_deref())
        .chain(record.addons.iter().filter_map(|a| a.source.as_deref()))
        .chain(record.sso.source.as_deref())
        .chain(record.scim.source.as_deref())
        .collect();
    let mut used = said.iter().filter(|s| cited.contains(&s.catalogue.id));
    // `said` is newest first: the last used is the oldest.
    let basis = used.next_back().or(said.first())?;
    let newest = said.first()?.entry.date;
    if record.verified.is_some_and(|own| own >= newest) {
        return None;
    }
    record.verified = Some(basis.entry.date);
    Some(basis.catalogue)
}

mod compare;
mod plans;
#[cfg(test)]
mod tests;
