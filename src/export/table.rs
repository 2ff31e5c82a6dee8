//! `/api/vendors.csv`: one row per vendor, its facts at a glance and, at each team size, what
//! SCIM and SSO cost a year, the extra over the cheapest paid plan, and whether each figure is
//! an estimate.

use crate::compute::{Cost, CostStatus, Premium, Site, VendorRow};
use crate::model::Catalogue;
use crate::page::{base_url, vendor_path};

/// The CSV of every vendor of `site`.
pub fn csv(site: &Site) -> String {
    let team_sizes = &site.facts.config.team_sizes;
    let licence = site
        .facts
        .config
        .data_licence
        .as_ref()
        .map(|l| format!("{} {}", l.name, l.url))
        .unwrap_or_default();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(header(team_sizes));
    let base = base_url(&site.facts.config.base_url);
    for vendor in &site.vendors {
        let mut row = facts(vendor);
        let figures = &vendor.figures;
        for (cost, premium) in [
            (&figures.scim_cost, &figures.scim_premium),
            (&figures.sso_cost, &figures.sso_premium),
        ] {
            row.extend(feature_cells(cost, premium, team_sizes));
        }
        row.push(figures.currency.clone());
        // Empty, not 0, when the record states no provider's provisioning.
        let coverage = &figures.coverage;
        row.push(if coverage.stated > 0 {
            coverage.scim_full.to_string()
        } else {
            String::new()
        });
        row.push(vendor.verified.map(|d| d.to_string()).unwrap_or_default());
        row.push(format!("{base}{}", vendor_path(&vendor.slug)));
        row.push(data_from(&vendor.catalogues));
        row.push(licence.clone());
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn header(team_sizes: &[u32]) -> Vec<String> {
    let mut header: Vec<String> = [
        "slug",
        "name",
        "category",
        "sso_available",
        "scim_available",
        "scim_tier",
        "scim_tier_price",
    ]
    .map(str::to_owned)
    .to_vec();
    for feature in ["scim", "sso"] {
        header.push(format!("{feature}_premium_percent"));
        header.push(format!("{feature}_cost_status"));
        for size in team_sizes {
            header.push(format!("{feature}_cost_per_year_{size}_users"));
            header.push(format!("{feature}_cost_estimate_{size}_users"));
            header.push(format!("{feature}_extra_per_year_{size}_users"));
            header.push(format!("{feature}_extra_estimate_{size}_users"));
        }
    }
    header.extend(
        [
            "currency",
            "idps_with_full_scim",
            "verified",
            "url",
            "data_from",
            "data_licence",
        ]
        .map(str::to_owned),
    );
    header
}

fn facts(vendor: &VendorRow) -> Vec<String> {
    let figures = &vendor.figures;
    vec![
        vendor.slug.clone(),
        spreadsheet_safe(&vendor.name),
        spreadsheet_safe(vendor.category.as_deref().unwrap_or("")),
        flag(vendor.sso_available),
        flag(vendor.scim_available),
        spreadsheet_safe(figures.scim_tier.as_deref().unwrap_or("")),
        spreadsheet_safe(&figures.scim_price.text),
    ]
}

/// A feature's premium, status and, per team size, its cost and extra with their estimate
/// flags: empty cells where a figure is not known (the status says why).
fn feature_cells(cost: &Cost, premium: &Premium, team_sizes: &[u32]) -> Vec<String> {
    let mut cells = vec![
        premium
            .percent
            .map(|p| format!("{p:.1}"))
            .unwrap_or_default(),
        cost_status(cost.status).to_owned(),
    ];
    for size in team_sizes {
        let cost_row = cost.rows.iter().find(|r| r.users == *size);
        cells.push(cost_row.map_or_else(String::new, |r| format!("{:.2}", r.annual)));
        cells.push(cost_row.map_or_else(String::new, |r| yes_no(r.approximate)));
        let extra = premium.rows.iter().find(|r| r.users == *size);
        cells.push(extra.map_or_else(String::new, |r| format!("{:.2}", r.extra_per_year)));
        cells.push(extra.map_or_else(String::new, |r| yes_no(r.approximate)));
    }
    cells
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

fn flag(value: Option<bool>) -> String {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
    .to_owned()
}

/// `custom`, `unknown` and `unavailable` stay apart in the CSV too, where their cost cells
/// are all empty.
fn cost_status(status: CostStatus) -> &'static str {
    match status {
        CostStatus::Priced => "priced",
        CostStatus::Custom => "custom",
        CostStatus::Free => "free",
        CostStatus::Unavailable => "unavailable",
        CostStatus::Unknown => "unknown",
    }
}

/// The catalogues a row's facts come from, each with its address and its licence's, as CC-BY
/// asks of every copy.
fn data_from(catalogues: &[&Catalogue]) -> String {
    catalogues
        .iter()
        .map(|c| format!("{} {} ({} {})", c.name, c.url, c.licence, c.licence_url))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A cell a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`, `@` or a
/// control character gets a leading apostrophe (OWASP's advice for CSV exports).
fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_cannot_sneak_into_spreadsheets() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Slack"), "Slack");
        assert_eq!(spreadsheet_safe(""), "");
    }

    #[test]
    fn every_team_size_has_cost_extra_and_estimate_columns_for_scim_and_sso() {
        let header = header(&[50, 100]);
        for name in [
            "scim_cost_per_year_50_users",
            "scim_extra_estimate_100_users",
            "sso_premium_percent",
            "sso_cost_status",
            "sso_extra_per_year_100_users",
            "data_licence",
        ] {
            assert!(header.iter().any(|h| h == name), "{name} missing");
        }
    }
}
