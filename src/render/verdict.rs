//! The verdict at the top of a vendor page: for SCIM and for SSO, the plan, its yearly cost at
//! the site's team sizes and the premium, each as one phrase, or what stands in for it
//! ("Unknown", "Ask sales"). Worded here, from the figures, so that the template only places
//! the phrases.

use serde::Serialize;

use crate::compute::{Cost, CostStatus, Premium, PremiumStatus, VendorFigures};
use crate::model::Vendor;

/// What the verdict says of one feature.
#[derive(Serialize)]
pub(super) struct Verdict<'a> {
    label: &'static str,
    /// The plan with the feature, or what stands in for it.
    plan: Phrase<'a>,
    /// Said after the plan, in brackets: "price unknown", "custom pricing: ask sales".
    plan_note: Option<&'static str>,
    /// The yearly cost at each team size; empty when there is no figure.
    costs: Vec<VerdictCost<'a>>,
    /// What stands in for `costs` when it is empty.
    no_cost: Phrase<'a>,
    premium: Phrase<'a>,
    /// Said after the premium: what it is measured from, or why it is unknown.
    premium_note: Option<String>,
}

/// A phrase, and the class it is shown in when it stands in for a fact (`unknown`, `muted`).
#[derive(Serialize)]
struct Phrase<'a> {
    text: std::borrow::Cow<'a, str>,
    quiet: Option<&'static str>,
}

impl<'a> Phrase<'a> {
    fn plain(text: impl Into<std::borrow::Cow<'a, str>>) -> Phrase<'a> {
        Phrase {
            text: text.into(),
            quiet: None,
        }
    }

    fn quiet(text: &'static str, class: &'static str) -> Phrase<'a> {
        Phrase {
            text: text.into(),
            quiet: Some(class),
        }
    }
}

/// One team size's cost: the plan is named when it is not the first size's.
#[derive(Serialize)]
struct VerdictCost<'a> {
    users: u32,
    text: &'a str,
    plan: Option<&'a str>,
}

/// The verdict on SCIM, then on SSO.
pub(super) fn verdicts<'a>(record: &Vendor, figures: &'a VendorFigures) -> Vec<Verdict<'a>> {
    vec![
        verdict(
            "SCIM",
            record.scim.available,
            &figures.scim_cost,
            &figures.scim_premium,
        ),
        verdict(
            "SSO",
            record.sso.available,
            &figures.sso_cost,
            &figures.sso_premium,
        ),
    ]
}

fn verdict<'a>(
    label: &'static str,
    available: Option<bool>,
    cost: &'a Cost,
    premium: &'a Premium,
) -> Verdict<'a> {
    let offered = available != Some(false) && cost.status != CostStatus::Unavailable;
    let (plan, plan_note) = plan(label, offered, cost);
    let first_tier = cost.rows.first().map(|r| r.tier.as_str());
    Verdict {
        label,
        plan,
        plan_note,
        costs: cost
            .rows
            .iter()
            .map(|row| VerdictCost {
                users: row.users,
                text: &row.annual_text,
                plan: (Some(row.tier.as_str()) != first_tier).then_some(row.tier.as_str()),
            })
            .collect(),
        no_cost: match cost.status {
            _ if !offered => Phrase::quiet("n/a", "muted"),
            CostStatus::Custom => Phrase::plain("Ask sales for a quote"),
            _ => Phrase::quiet("Unknown", "unknown"),
        },
        premium: premium_phrase(offered, premium),
        premium_note: premium_note(premium),
    }
}

fn plan<'a>(
    label: &'static str,
    offered: bool,
    cost: &'a Cost,
) -> (Phrase<'a>, Option<&'static str>) {
    if !offered {
        let text = if label == "SCIM" { "No SCIM" } else { "No SSO" };
        return (Phrase::quiet(text, "muted"), None);
    }
    if let Some(row) = cost.rows.first() {
        return (Phrase::plain(row.tier.as_str()), None);
    }
    match (&cost.tier, cost.status) {
        (Some(tier), CostStatus::Custom) => (
            Phrase::plain(tier.as_str()),
            Some("custom pricing: ask sales"),
        ),
        (Some(tier), _) => (Phrase::plain(tier.as_str()), Some("price unknown")),
        (None, _) => (Phrase::quiet("Unknown", "unknown"), None),
    }
}

fn premium_phrase<'a>(offered: bool, premium: &'a Premium) -> Phrase<'a> {
    match premium.status {
        _ if !offered => Phrase::quiet("n/a", "muted"),
        PremiumStatus::Priced => match &premium.percent_text {
            Some(percent) => Phrase::plain(format!("+{percent}")),
            None => Phrase::plain("Varies by team size"),
        },
        PremiumStatus::Included => Phrase::plain("None: included in the cheapest paid plan"),
        PremiumStatus::Custom => Phrase::plain("Ask sales"),
        PremiumStatus::Unavailable => Phrase::quiet("n/a", "muted"),
        PremiumStatus::Unknown => Phrase::quiet("Unknown", "unknown"),
    }
}

fn premium_note(premium: &Premium) -> Option<String> {
    match premium.status {
        PremiumStatus::Priced => {
            let base = premium
                .base_tier
                .as_deref()
                .unwrap_or("the cheapest paid plan");
            Some(match premium.rows.first() {
                Some(row) => format!(
                    "over {base}: {} a year at {} users",
                    row.extra_text, row.users
                ),
                None => format!("over {base}"),
            })
        }
        PremiumStatus::Unknown if !premium.unpriced_tiers.is_empty() => Some(format!(
            "({}: no published price)",
            premium.unpriced_tiers.join(", ")
        )),
        _ => None,
    }
}
