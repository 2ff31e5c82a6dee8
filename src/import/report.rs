//! What an import did, for the terminal and for the report committed beside the data.

use std::fmt::Write as _;

use super::readers::Listed;
use super::readers::Skipped;
use crate::compute::Disagreement;
use crate::model::{Catalogue, Price};
use crate::money::format_percent;

/// The team size a catalogue's percentage is checked at when its prices do not share a unit.
const CHECK_AT_USERS: u32 = 50;

/// A catalogue's hand-typed percentage that the computed premium does not bear out.
#[derive(Debug, Clone)]
pub struct CatalogueError {
    /// The entry's file in the catalogue.
    pub entry: String,
    /// The vendor's name there.
    pub name: String,
    /// What is wrong.
    pub why: String,
}

/// What one import did.
#[derive(Debug)]
pub struct ImportReport {
    /// The catalogue imported.
    pub catalogue: &'static Catalogue,
    /// How many entries it has.
    pub read: usize,
    /// The commit of the checkout imported, when it is a git checkout.
    pub snapshot: Option<String>,
    /// Slugs of the records created.
    pub created: Vec<String>,
    /// Slugs of the records whose block of this catalogue changed.
    pub updated: Vec<String>,
    /// Slugs of the records whose block was already as imported.
    pub unchanged: Vec<String>,
    /// Slugs of the records whose vendor the catalogue no longer lists: their block of it was
    /// removed.
    pub removed: Vec<String>,
    /// Entries not imported, and why.
    pub skipped: Vec<Skipped>,
    /// Percentages of the catalogue the figures do not bear out, and prices left unknown
    /// because `check` would refuse them.
    pub catalogue_errors: Vec<CatalogueError>,
    /// Statements read as written that look like a mistake in the catalogue: kept, listed for
    /// an editor to check.
    pub to_check: Vec<CatalogueError>,
    /// Where the records' sources disagree after the import, by record slug.
    pub disagreements: Vec<(String, Disagreement)>,
}

impl ImportReport {
    pub(super) fn new(catalogue: &'static Catalogue, read: usize) -> ImportReport {
        ImportReport {
            catalogue,
            read,
            snapshot: None,
            created: Vec::new(),
            updated: Vec::new(),
            unchanged: Vec::new(),
            removed: Vec::new(),
            skipped: Vec::new(),
            catalogue_errors: Vec::new(),
            to_check: Vec::new(),
            disagreements: Vec::new(),
        }
    }

    /// Whether any record was created, updated or lost its block.
    pub fn changed_anything(&self) -> bool {
        !(self.created.is_empty() && self.updated.is_empty() && self.removed.is_empty())
    }

    pub(super) fn note_disagreements(&mut self, slug: &str, found: &[Disagreement]) {
        let mine = found.iter().filter(|d| {
            d.used.source.as_deref() == Some(self.catalogue.id)
                || d.others
                    .iter()
                    .any(|o| o.source.as_deref() == Some(self.catalogue.id))
        });
        self.disagreements
            .extend(mine.map(|d| (slug.to_owned(), d.clone())));
    }

    /// A price outside what `check` accepts (a typo in the catalogue, a mistyped unit) is kept
    /// out of the record, unknown, and listed here: the import never writes what the build
    /// would refuse.
    pub(super) fn refuse_implausible_prices(&mut self, listed: &mut Listed) {
        let entry = &mut listed.entry;
        let plans = [
            ("base_plan", &mut entry.base_plan),
            ("sso_plan", &mut entry.sso_plan),
            ("scim_plan", &mut entry.scim_plan),
        ];
        for (name, plan) in plans {
            let Some(plan) = plan else { continue };
            let mut problems = Vec::new();
            crate::validate::check_price(name, plan.price.as_ref(), &mut problems);
            if let Some(problem) = problems.first() {
                self.catalogue_errors.push(CatalogueError {
                    entry: entry.entry.clone(),
                    name: listed.name.clone(),
                    why: format!(
                        "the {} price {}; it is left unknown",
                        name.replace('_', " "),
                        problem.message
                    ),
                });
                plan.price = None;
            }
        }
    }

    /// A plan priced many times its base plan in the same unit is most likely a flat price
    /// read per user (ssotax.org gives one pricing scheme for every figure of an entry) or a
    /// placeholder: the import keeps what the words say, and asks an editor to look.
    pub(super) fn flag_outlandish_steps(&mut self, listed: &Listed) {
        const RATIO: f64 = 20.0;
        let entry = &listed.entry;
        let amount =
            |plan: &Option<crate::model::StatedPlan>| match plan.as_ref()?.price.as_ref()? {
                Price::Amount(p) => Some(p.clone()),
                _ => None,
            };
        let Some(base) = amount(&entry.base_plan) else {
            return;
        };
        for (what, plan) in [("SSO", &entry.sso_plan), ("SCIM", &entry.scim_plan)] {
            let Some(step) = amount(plan) else { continue };
            if step.per == base.per
                && step.currency == base.currency
                && step.amount > base.amount * RATIO
            {
                self.to_check.push(CatalogueError {
                    entry: entry.entry.clone(),
                    name: listed.name.clone(),
                    why: format!(
                        "the plan with {what} ({} per {}) is {:.0} times the base plan ({}) in the same unit: \
                         check whether one of them is a flat price or a placeholder",
                        step.amount,
                        step.per.label(),
                        step.amount / base.amount,
                        base.amount
                    ),
                });
            }
        }
    }

    /// Checks the catalogue's own percentage against the one its prices give.
    pub(super) fn check_percent(&mut self, listed: &Listed) {
        let Some(text) = listed.percent.as_deref() else {
            return;
        };
        let Ok(stated) = text
            .trim()
            .trim_end_matches(['%', '+'])
            .trim()
            .parse::<f64>()
        else {
            return;
        };
        let price = |plan: &Option<crate::model::StatedPlan>| plan.as_ref()?.price.clone();
        let (Some(base), Some(sso)) = (
            price(&listed.entry.base_plan),
            price(&listed.entry.sso_plan),
        ) else {
            return;
        };
        if let Some(why) = percent_error(stated, &base, &sso) {
            self.catalogue_errors.push(CatalogueError {
                entry: listed.entry.entry.clone(),
                name: listed.name.clone(),
                why: format!("says {text}; {why}"),
            });
        }
    }

    /// The report as Markdown: for the terminal and for `data/imports/`.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let c = self.catalogue;
        let _ = writeln!(out, "# Import of {} ({})\n", c.name, c.title);
        let snapshot = self
            .snapshot
            .as_deref()
            .unwrap_or("unknown (not a git checkout)");
        let _ = writeln!(out, "Snapshot: {} commit {snapshot}\n", c.repository);
        let _ = writeln!(
            out,
            "Licence: {} ({}). {}\n",
            c.licence, c.licence_url, c.attribution
        );
        let _ = writeln!(
            out,
            "- entries read: {}\n- vendors created: {}\n- updated: {}\n- unchanged: {}\n- no longer listed (block removed): {}\n- skipped: {}\n- catalogue errors found: {}\n- statements to check: {}\n- disagreements between sources: {}\n",
            self.read,
            self.created.len(),
            self.updated.len(),
            self.unchanged.len(),
            self.removed.len(),
            self.skipped.len(),
            self.catalogue_errors.len(),
            self.to_check.len(),
            self.disagreements.len()
        );
        list(&mut out, "Created", &self.created);
        list(&mut out, "Updated", &self.updated);
        list(&mut out, "No longer listed", &self.removed);
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "## Skipped\n");
            for s in &self.skipped {
                let _ = writeln!(out, "- `{}`: {}", s.entry, s.why);
            }
            out.push('\n');
        }
        if !self.catalogue_errors.is_empty() {
            let _ = writeln!(out, "## Catalogue errors found (not copied)\n");
            for e in &self.catalogue_errors {
                let _ = writeln!(out, "- {} (`{}`): {}", e.name, e.entry, e.why);
            }
            out.push('\n');
        }
        if !self.to_check.is_empty() {
            let _ = writeln!(out, "## Statements to check (imported as written)\n");
            for e in &self.to_check {
                let _ = writeln!(out, "- {} (`{}`): {}", e.name, e.entry, e.why);
            }
            out.push('\n');
        }
        if !self.disagreements.is_empty() {
            let _ = writeln!(out, "## Sources disagree\n");
            for (slug, d) in &self.disagreements {
                let others: Vec<String> = d
                    .others
                    .iter()
                    .map(|o| format!("{} says {}{}", o.by, o.value, dated(o.date)))
                    .collect();
                let _ = writeln!(
                    out,
                    "- {slug}: {}: used {} ({}{}); {}",
                    d.fact,
                    d.used.value,
                    d.used.by,
                    dated(d.used.date),
                    others.join("; ")
                );
            }
            out.push('\n');
        }
        out
    }
}

fn dated(date: Option<crate::model::Date>) -> String {
    date.map_or_else(String::new, |d| format!(", {d}"))
}

fn list(out: &mut String, title: &str, slugs: &[String]) {
    if slugs.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {title}\n\n{}\n", slugs.join(", "));
}

/// Why a catalogue's percentage for the step from `base` to `sso` is wrong, if it is.
fn percent_error(stated: f64, base: &Price, sso: &Price) -> Option<String> {
    let (Price::Amount(b), Price::Amount(s)) = (base, sso) else {
        if matches!(base, Price::Free) {
            return Some("the base plan is free, so no percentage of it exists".to_owned());
        }
        return None;
    };
    if b.currency != s.currency {
        return Some(format!(
            "the prices are in two currencies ({} and {})",
            b.currency, s.currency
        ));
    }
    if b.per == s.per && b.min_seats == s.min_seats {
        let computed = (s.amount - b.amount) / b.amount * 100.0;
        let off = (computed - stated).abs();
        return (off > 1.0 && off > computed.abs() * 0.01)
            .then(|| format!("its prices give {}", format_percent(computed)));
    }
    let at = |p: &Price| crate::compute::annual_cost(Some(p), CHECK_AT_USERS);
    let (Some(base_cost), Some(sso_cost)) = (at(base), at(sso)) else {
        return None;
    };
    let computed = (sso_cost - base_cost) / base_cost * 100.0;
    let off = (computed - stated).abs();
    (off > 1.0 && off > computed.abs() * 0.01).then(|| {
        format!(
            "it compares a price per {} with one per {}; at {CHECK_AT_USERS} users the premium is {}",
            b.per.label(),
            s.per.label(),
            format_percent(computed)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Per, PriceAmount};

    fn price(amount: f64, per: Per) -> Price {
        Price::Amount(PriceAmount {
            amount,
            currency: "USD".to_owned(),
            per,
            approximate: false,
            min_seats: None,
        })
    }

    #[test]
    fn a_percentage_its_prices_bear_out_is_no_error() {
        let (base, sso) = (price(7.25, Per::UserMonth), price(12.5, Per::UserMonth));
        assert_eq!(percent_error(72.0, &base, &sso), None);
        // ProGet: 1995 → 9995 a year is 401 %; the catalogue rounds to 400 %.
        let (base, sso) = (price(1995.0, Per::Year), price(9995.0, Per::Year));
        assert_eq!(percent_error(400.0, &base, &sso), None);
    }

    #[test]
    fn a_wrong_percentage_or_one_across_units_is_an_error() {
        let (base, sso) = (price(10.0, Per::UserMonth), price(15.0, Per::UserMonth));
        let why = percent_error(100.0, &base, &sso).unwrap();
        assert_eq!(why, "its prices give 50%");
        // HubSpot Marketing: $15 per user/month against $50 a month flat, "233%".
        let (base, sso) = (price(15.0, Per::UserMonth), price(50.0, Per::Month));
        let why = percent_error(233.0, &base, &sso).unwrap();
        assert!(why.contains("per user/month with one per month"), "{why}");
        assert!(why.contains("at 50 users"), "{why}");
        assert!(
            percent_error(100.0, &Price::Free, &sso).is_some(),
            "no percentage of free"
        );
    }
}
