//! The charts on built pages: snapshots of the cost chart for a seat minimum, a flat price and
//! a plan crossover, and the figures each chart carries against the tables beside it.

mod common;

use std::path::Path;

use common::*;

/// `$10` a user a month, sold by 25 seats at least.
const SEAT_MINIMUM: &str = "name: SeatCo
sso: {available: true}
scim: {available: true}
tiers:
  - {name: Basic, price: {amount: 6, currency: USD, per: user/month}}
  - {name: Team, price: {amount: 10, currency: USD, per: user/month, min_seats: 25}, sso: true, scim: true}
";

/// SCIM per seat, or in a flat-priced plan that is cheaper from 26 users on.
const CROSSOVER: &str = "name: CrossCo
sso: {available: true}
scim: {available: true}
tiers:
  - {name: Seat, price: {amount: 10, currency: USD, per: user/month}, sso: true, scim: true}
  - {name: Site, price: {amount: 3000, currency: USD, per: year}, sso: true, scim: true}
";

/// The fixture site with the two records above, built; `flatco` (a flat price, then a seat
/// minimum) is the fixture's own.
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = fixture_copy("good");
    let vendors = site.path().join("data/vendors");
    std::fs::write(vendors.join("seatco.yaml"), SEAT_MINIMUM).unwrap();
    std::fs::write(vendors.join("crossco.yaml"), CROSSOVER).unwrap();
    let out = site.path().join("out");
    let output = run_in(
        site.path(),
        &["build", "--quiet", "--output", out.to_str().unwrap()],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    (site, out)
}

/// The `<figure>` of `id` on the page at `path`.
fn figure(out: &Path, path: &str, id: &str) -> String {
    let page = read(out.join(path));
    let start = page
        .find(&format!("<figure class=\"chart {id}\""))
        .unwrap_or_else(|| panic!("no {id} on {path}"));
    let end = start + page[start..].find("</figure>").unwrap() + "</figure>".len();
    page[start..end].to_owned()
}

#[test]
fn cost_charts_of_a_seat_minimum_a_flat_price_and_a_crossover() {
    let (_site, out) = built();
    for slug in ["seatco", "flatco", "crossco"] {
        let chart = figure(&out, &format!("vendors/{slug}/index.html"), "cost-chart");
        insta::assert_snapshot!(format!("cost_chart_{slug}"), chart);
    }
    let crossover = figure(&out, "vendors/crossco/index.html", "cost-chart");
    assert!(crossover.contains("Seat for 1–25 users, Site from 26 users"));
    assert!(crossover.contains("<title>Site from 26 users: $3,000 a year</title>"));
}

/// The rows of the table `id` on `page`: each row's cells as text, tags left out.
fn table_rows(page: &str, id: &str) -> Vec<Vec<String>> {
    let start = page.find(&format!("id=\"{id}\"")).unwrap();
    let table = &page[start..start + page[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("</t")
                .map(text_of)
                .filter(|text| !text.is_empty())
                .collect()
        })
        .collect()
}

/// The text of a cell's markup, its tags left out.
fn text_of(markup: &str) -> String {
    let mut text = String::new();
    let mut in_tag = true;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().to_owned()
}

#[test]
fn the_cost_chart_passes_through_the_cost_tables_figures() {
    let (_site, out) = built();
    for slug in ["seatco", "flatco", "crossco", "acme"] {
        let page = read(out.join(format!("vendors/{slug}/index.html")));
        let chart = figure(&out, &format!("vendors/{slug}/index.html"), "cost-chart");
        for (table, line) in [("cost-table", "scim"), ("sso-cost-table", "sso")] {
            for row in table_rows(&page, table) {
                // Team size, plan, per month, per year.
                let users = row[0].trim_end_matches(" users");
                let mark = format!(
                    "<title>{users} users: {} a year ({})</title>",
                    row[3], row[1]
                );
                let drawn = chart.contains(&format!("class=\"mark {line}\""));
                let said = chart.contains(&format!("{} for {users} users", row[3]));
                assert!(
                    said,
                    "{slug}: {line} at {users} users is {} in the table",
                    row[3]
                );
                assert!(!drawn || chart.contains(&mark), "{slug}: no mark {mark}");
            }
        }
    }
}

/// The counts a chart's description gives, in order: each number before " vendor".
fn vendor_counts(chart: &str) -> Vec<usize> {
    chart
        .split(" vendor")
        .filter_map(|before| before.rsplit([' ', '>']).next()?.parse().ok())
        .collect()
}

#[test]
fn the_scim_tax_and_coverage_charts_count_what_the_pages_list() {
    let (_site, out) = built();
    let tax = read(out.join("scim-tax/index.html"));
    let sold = vendor_counts(&figure(&out, "scim-tax/index.html", "bar-chart"));
    let bands = vendor_counts(&figure(&out, "scim-tax/index.html", "column-chart"));
    let ranked = table_rows(&tax, "ranking").len();
    // Included, priced premium, custom, unknown, not offered: every vendor once.
    assert_eq!(sold.len(), 5, "{sold:?}");
    assert_eq!(sold[1], ranked);
    assert_eq!(
        sold.iter().sum::<usize>(),
        8,
        "the fixture's 6 vendors and 2 more"
    );
    // The bands count the ranked vendors and those with SCIM included (0 %).
    assert_eq!(bands.len(), 7, "{bands:?}");
    assert_eq!(bands.iter().sum::<usize>(), ranked + sold[0]);
    let idps = read(out.join("idps/index.html"));
    let coverage = figure(&out, "idps/index.html", "coverage-chart");
    for row in table_rows(&idps, "idps") {
        // Provider, SSO yes/no/unknown, full, JIT, none, unknown.
        let expected = format!(
            "{}: {} SSO, {} no SSO, {} SSO unknown; {} full SCIM, {} JIT only, {} no provisioning, {} provisioning unknown.",
            row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]
        );
        assert!(coverage.contains(&expected), "{expected}");
    }
}
