use super::summary::median;
use super::*;
use crate::model::{IdpFile, Vendor};

const SIZES: [u32; 3] = [50, 100, 200];

fn vendor(yaml: &str) -> Vendor {
    serde_saphyr::from_str(yaml).unwrap()
}

fn idps() -> IdpFile {
    serde_saphyr::from_str("okta: {name: Okta}\nentra: {name: Entra}\ngoogle: {name: G}\n").unwrap()
}

fn figures(yaml: &str) -> VendorFigures {
    compute_vendor(&vendor(yaml), &SIZES, &idps())
}

fn annual_texts(cost: &Cost) -> Vec<&str> {
    cost.rows.iter().map(|r| r.annual_text.as_str()).collect()
}

const CODE42: &str = "\
name: Code42
scim: {available: true, tier: Enterprise}
sso: {available: true}
tiers:
  - {name: Pro, price: custom}
  - {name: Business, price: custom}
  - {name: Enterprise, price: {amount: 90, currency: USD, per: user/year, approximate: true}}
";

#[test]
fn code42_costs_4500_a_year_for_50_users_not_54000() {
    let f = figures(CODE42);
    assert_eq!(f.scim_cost.status, CostStatus::Priced);
    assert_eq!(
        annual_texts(&f.scim_cost),
        ["~$4,500", "~$9,000", "~$18,000"]
    );
    assert_eq!(f.scim_cost.rows[0].monthly_text, "~$375");
    assert_eq!(f.scim_price.text, "~$90/user/year");
    // Pro and Business have no published price, so nothing says what SCIM costs on top.
    assert_eq!(f.scim_premium.status, PremiumStatus::Unknown);
    assert_eq!(f.scim_premium.unpriced_tiers, ["Pro", "Business"]);
}

#[test]
fn per_user_month_is_multiplied_by_twelve() {
    let f = figures(
        "name: X\nscim: {available: true}\ntiers:\n  - {name: T, scim: true, price: {amount: 7.5, currency: EUR, per: user/month}}\n",
    );
    assert_eq!(annual_texts(&f.scim_cost), ["€4,500", "€9,000", "€18,000"]);
    assert_eq!(f.scim_cost.rows[0].monthly_text, "€375");
}

#[test]
fn flat_prices_do_not_depend_on_team_size() {
    let f = figures(
        "name: X\nscim: {available: true}\ntiers:\n  - {name: T, scim: true, price: {amount: 500, currency: USD, per: month}}\n  - {name: Y, scim: true, price: {amount: 4000, currency: USD, per: year}}\n",
    );
    assert_eq!(annual_texts(&f.scim_cost), ["$4,000", "$4,000", "$4,000"]);
    assert_eq!(f.scim_cost.rows[0].tier, "Y");
}

#[test]
fn minimum_seats_are_billed_even_for_smaller_teams() {
    let f = figures(
        "name: X\nscim: {available: true}\ntiers:\n  - {name: T, scim: true, price: {amount: 10, currency: USD, per: user/month, min_seats: 100}}\n",
    );
    assert_eq!(
        annual_texts(&f.scim_cost),
        ["$12,000", "$12,000", "$24,000"]
    );
    assert_eq!(f.scim_price.text, "$10/user/month (min. 100 seats)");
    let f = figures(
        "name: X\nscim: {available: true}\ntiers:\n  - {name: T, scim: true, price: {amount: 10, currency: USD, per: user/month, min_seats: 100000}}\n",
    );
    assert_eq!(f.scim_price.text, "$10/user/month (min. 100,000 seats)");
}

#[test]
fn the_cheapest_scim_tier_can_change_with_team_size() {
    let f = figures(
        "name: X\nscim: {available: true}\ntiers:\n  - {name: Seat, scim: true, price: {amount: 10, currency: USD, per: user/year}}\n  - {name: Flat, scim: true, price: {amount: 1500, currency: USD, per: year}}\n",
    );
    let tiers: Vec<&str> = f.scim_cost.rows.iter().map(|r| r.tier.as_str()).collect();
    assert_eq!(tiers, ["Seat", "Seat", "Flat"]);
}

#[test]
fn custom_scim_pricing_says_so_instead_of_a_number() {
    let f = figures(
        "name: X\nscim: {available: true, tier: Ent}\ntiers:\n  - {name: Pro, price: {amount: 8, currency: USD, per: user/month}}\n  - {name: Ent, price: custom}\n",
    );
    assert_eq!(f.scim_cost.status, CostStatus::Custom);
    assert_eq!(f.scim_cost.tier.as_deref(), Some("Ent"));
    assert!(f.scim_cost.rows.is_empty());
    assert_eq!(f.scim_premium.status, PremiumStatus::Custom);
    assert_eq!(f.scim_price.text, "Custom");
}

/// Zoom: SCIM comes with Business, whose price is not published; Enterprise is custom. The
/// SCIM plan is Business with its price unknown, never Enterprise's custom pricing.
const ZOOM: &str = "\
name: Zoom
sso: {available: true}
scim: {available: true, tier: Business}
tiers:
  - {name: Free, price: free, sso: false, scim: false}
  - {name: Pro, sso: false, scim: false}
  - {name: Business, sso: true, scim: true}
  - {name: Enterprise, price: custom, sso: true, scim: true}
";

#[test]
fn a_scim_tier_without_a_price_is_named_with_its_price_unknown() {
    let f = figures(ZOOM);
    assert_eq!(f.scim_cost.status, CostStatus::Unknown);
    assert_eq!(f.scim_cost.tier.as_deref(), Some("Business"));
    assert_eq!(f.scim_premium.status, PremiumStatus::Unknown);
    assert_eq!(f.scim_premium.tier.as_deref(), Some("Business"));
    assert_eq!(f.scim_price.kind, PriceKind::Unknown);
    let at = f.scim_at_first_size.unwrap();
    assert!(at.plan_known);
    assert_eq!(&*at.plan_text, "Business");
    assert_eq!((&*at.annual_text, &*at.extra_text), ("Unknown", "Unknown"));
    // SSO too: the same plan, the same unknown price.
    assert_eq!(f.sso_cost.status, CostStatus::Unknown);
    assert_eq!(f.sso_premium.status, PremiumStatus::Unknown);
}

#[test]
fn an_unknown_first_plan_is_not_skipped_for_a_dearer_priced_one() {
    let f = figures(
        "name: X\nscim: {available: true}\ntiers:\n  - {name: Team, scim: true}\n  - {name: Ent, scim: true, price: {amount: 30, currency: USD, per: user/month}}\n",
    );
    assert_eq!(f.scim_cost.status, CostStatus::Unknown);
    assert_eq!(f.scim_cost.tier.as_deref(), Some("Team"));
}

#[test]
fn sso_has_its_own_cost_by_team_size() {
    let f = figures(
        "name: X\nsso: {available: true}\nscim: {available: true}\ntiers:\n  - {name: Pro, sso: false, price: {amount: 10, currency: USD, per: user/month}}\n  - {name: Biz, sso: true, scim: true, price: {amount: 15, currency: USD, per: user/month}}\n",
    );
    assert_eq!(annual_texts(&f.sso_cost), ["$9,000", "$18,000", "$36,000"]);
    let at = f.sso_at_first_size.unwrap();
    assert_eq!((&*at.extra_text, &*at.percent_text), ("$3,000", "50%"));
    assert_eq!(f.sso_premium.base_tier.as_deref(), Some("Pro"));
}

#[test]
fn free_scim_costs_nothing_and_is_included() {
    let f = figures(
        "name: X\nscim: {available: true}\ntiers:\n  - {name: Free, scim: true, price: free}\n  - {name: Pro, price: {amount: 5, currency: USD, per: user/month}}\n",
    );
    assert_eq!(f.scim_cost.status, CostStatus::Free);
    assert_eq!(annual_texts(&f.scim_cost), ["$0", "$0", "$0"]);
    assert_eq!(f.scim_premium.status, PremiumStatus::Included);
}

#[test]
fn the_premium_compares_with_the_cheapest_paid_tier() {
    let f = figures(
        "name: X\nscim: {available: true, tier: Business}\nsso: {available: true}\ntiers:\n  - {name: Free, price: free}\n  - {name: Pro, sso: true, price: {amount: 10, currency: USD, per: user/month}}\n  - {name: Business, sso: true, scim: true, price: {amount: 25, currency: USD, per: user/month, approximate: true}}\n",
    );
    let p = &f.scim_premium;
    assert_eq!(p.status, PremiumStatus::Priced);
    assert_eq!(p.tier.as_deref(), Some("Business"));
    assert_eq!(p.base_tier.as_deref(), Some("Pro"));
    assert_eq!(p.percent_text.as_deref(), Some("150%"));
    let extras: Vec<&str> = p.rows.iter().map(|r| r.extra_text.as_str()).collect();
    assert_eq!(extras, ["~$9,000", "~$18,000", "~$36,000"]);
    assert_eq!(f.sso_premium.status, PremiumStatus::Included);
    assert_eq!(f.sso_premium.percent_text.as_deref(), Some("0%"));
}

#[test]
fn a_premium_that_varies_by_size_has_no_single_percentage() {
    let f = figures(
        "name: X\nscim: {available: true}\ntiers:\n  - {name: Pro, price: {amount: 10, currency: USD, per: user/year}}\n  - {name: Ent, scim: true, price: {amount: 3000, currency: USD, per: year}}\n",
    );
    let p = &f.scim_premium;
    assert_eq!(p.percent, None);
    let percents: Vec<&str> = p.rows.iter().map(|r| r.percent_text.as_str()).collect();
    assert_eq!(percents, ["500%", "200%", "50%"]);
}

#[test]
fn no_scim_means_no_figures() {
    let f = figures("name: X\nscim: {available: false}\ntiers:\n  - {name: Pro, price: free}\n");
    assert_eq!(f.scim_cost.status, CostStatus::Unavailable);
    assert_eq!(f.scim_premium.status, PremiumStatus::Unavailable);
    assert_eq!(f.scim_price.text, "No SCIM");
}

#[test]
fn nothing_known_means_unknown() {
    let f = figures("name: X\n");
    assert_eq!(f.scim_cost.status, CostStatus::Unknown);
    assert_eq!(f.scim_premium.status, PremiumStatus::Unknown);
    assert_eq!(f.scim_price.text, "Unknown");
    assert_eq!(f.tier_prices, vec![]);
}

#[test]
fn medians_of_odd_and_even_counts() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[1.0, 5.0, 9.0]), Some(5.0));
    assert_eq!(median(&[1.0, 5.0, 9.0, 11.0]), Some(7.0));
}

#[test]
fn the_scim_tax_ranks_premiums_and_sorts_out_the_rest() {
    let yamls = [
        // 150% premium
        "name: A\nscim: {available: true, tier: B}\ntiers:\n  - {name: P, price: {amount: 10, currency: USD, per: user/month}}\n  - {name: B, scim: true, price: {amount: 25, currency: USD, per: user/month}}\n",
        // custom
        "name: C\nscim: {available: true, tier: E}\ntiers:\n  - {name: P, price: {amount: 10, currency: USD, per: user/month}}\n  - {name: E, scim: true, price: custom}\n",
        // 50% premium
        "name: D\nscim: {available: true, tier: B}\ntiers:\n  - {name: P, price: {amount: 10, currency: USD, per: user/month}}\n  - {name: B, scim: true, price: {amount: 15, currency: USD, per: user/month}}\n",
        // included
        "name: I\nscim: {available: true, tier: P}\ntiers:\n  - {name: P, scim: true, price: {amount: 10, currency: USD, per: user/month}}\n",
        "name: N\nscim: {available: false}\n",
        "name: U\n",
    ];
    let vendors = rows_of(&yamls);
    let tax = summarize(&vendors, &idps(), 250, false).scim_tax;
    assert_eq!(tax.ranked, [0, 2]);
    assert_eq!(tax.custom, [1]);
    assert_eq!(tax.included, [3]);
    assert_eq!(tax.unavailable, [4]);
    assert_eq!(tax.unknown, [5]);
    assert_eq!(tax.gating, 3);
    assert_eq!(tax.median_percent_text.as_deref(), Some("100%"));
}

fn rows_of(yamls: &[&str]) -> Vec<VendorRow> {
    yamls
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let entry = VendorEntry {
                slug: format!("v{i}"),
                path: "x.yaml".into(),
                file: "x.yaml".into(),
                record: vendor(y),
            };
            let figures = compute_vendor(&entry.record, &SIZES, &idps());
            VendorRow::new(&entry, figures)
        })
        .collect()
}

/// Entra "SSO 7, Full SCIM 8" looked contradictory: the vendors whose records say nothing of
/// SSO were counted nowhere. Both counts now add up to every vendor.
#[test]
fn idp_counts_show_their_unknowns() {
    let vendors = rows_of(&[
        "name: A\nidps:\n  entra: {sso: true, scim: full}\n",
        "name: B\nidps:\n  entra: {scim: full}\n",
        "name: C\nidps:\n  entra: {sso: false, scim: none}\n",
        "name: D\n",
    ]);
    let entra = summarize(&vendors, &idps(), 250, false)
        .idp_coverage
        .into_iter()
        .find(|c| c.id == "entra")
        .unwrap();
    assert_eq!((entra.sso, entra.sso_no, entra.sso_unknown), (1, 1, 2));
    let provisioning = entra.scim_full + entra.scim_jit + entra.scim_none + entra.scim_unknown;
    assert_eq!((entra.scim_full, entra.scim_unknown), (2, 1));
    assert_eq!(entra.sso + entra.sso_no + entra.sso_unknown, provisioning);
}

#[test]
fn coverage_counts_known_providers_only() {
    let f = figures(
        "name: X\nidps:\n  okta: {sso: true, scim: full}\n  entra: {sso: true, scim: jit}\n  google: {sso: false}\n",
    );
    assert_eq!(
        f.coverage,
        Coverage {
            sso: 2,
            scim_full: 1,
            scim_jit: 1,
            known: 3,
            stated: 2,
        }
    );
}

#[test]
fn freshness_follows_the_verified_date() {
    let day = |s: &str| Date(s.parse().unwrap());
    let today = day("2026-06-01");
    assert_eq!(Freshness::of(None, today, 365), Freshness::Unverified);
    assert_eq!(
        Freshness::of(Some(day("2026-01-01")), today, 365),
        Freshness::Fresh
    );
    assert_eq!(
        Freshness::of(Some(day("2025-01-01")), today, 365),
        Freshness::Stale
    );
}
