use super::*;

fn record(yaml: &str) -> Vendor {
    serde_saphyr::from_str(yaml).unwrap()
}

const SLACK: &str = "\
name: Slack
catalogues:
  sso-tax:
    entry: _vendors/slack.yaml
    date: 2023-06-29
    name: Slack
    sso: true
    base_plan: {price: {amount: 7.25, currency: USD, per: user/month}, sso: false}
    sso_plan: {price: {amount: 12.5, currency: USD, per: user/month}, sso: true}
  scimtax-org:
    entry: data.json#vendors[1]
    date: 2026-04-01
    name: Slack
    scim: true
    base_plan: {name: Pro, price: {amount: 7.25, currency: USD, per: user/month}, scim: false}
    scim_plan: {name: Business+, price: {amount: 15, currency: USD, per: user/month}, scim: true}
";

#[test]
fn a_record_without_plans_takes_them_from_the_catalogues_citing_each() {
    let merged = merge(&record(SLACK));
    let tiers: Vec<(&str, Option<&str>)> = merged
        .record
        .tiers
        .iter()
        .map(|t| (t.name.as_str(), t.source.as_deref()))
        .collect();
    assert_eq!(
        tiers,
        [
            ("Pro", Some("scimtax-org")),
            ("Unnamed plan with SSO", Some("sso-tax")),
            ("Business+", Some("scimtax-org")),
        ],
        "sso.tax's unnamed base plan is scimtax.org's Pro"
    );
    assert_eq!(merged.record.scim.tier.as_deref(), Some("Business+"));
    assert_eq!(merged.record.scim.available, Some(true));
    assert_eq!(merged.record.scim.source.as_deref(), Some("scimtax-org"));
    assert_eq!(merged.record.sso.source.as_deref(), Some("sso-tax"));
    assert_eq!(
        merged.record.verified.map(|d| d.to_string()).as_deref(),
        Some("2023-06-29"),
        "as old as the oldest statement its figures use (sso.tax's plan with SSO)"
    );
    assert_eq!(merged.verified_by.map(|c| c.id), Some("sso-tax"));
    let cited: Vec<Option<&str>> = merged
        .record
        .sources
        .iter()
        .map(|s| s.id.as_deref())
        .collect();
    assert_eq!(
        cited,
        [Some("scimtax-org"), Some("sso-tax")],
        "newest first"
    );
}

#[test]
fn the_records_own_facts_win_and_disagreements_are_kept() {
    let own = format!(
        "{}sso: {{available: true}}\nscim: {{available: true, tier: Business+}}\ntiers:\n  \
         - {{name: Pro, price: {{amount: 7.25, currency: USD, per: user/month}}, scim: false}}\n  \
         - {{name: Business+, price: {{amount: 12.5, currency: USD, per: user/month}}, sso: true, scim: true}}\n\
         verified: 2026-11-28\n",
        SLACK
    );
    let merged = merge(&record(&own));
    assert_eq!(merged.record.tiers.len(), 2, "the record's plans stay");
    let price = &merged.disagreements[0];
    assert_eq!(price.fact, "Price of Business+");
    assert_eq!(price.used.by, "this record");
    assert_eq!(price.used.value, "$12.50/user/month");
    assert_eq!(price.others[0].by, "scimtax.org");
    assert_eq!(price.others[0].value, "$15/user/month");
    assert_eq!(
        price.others[0].field,
        "catalogues.scimtax-org.scim_plan.price"
    );
    assert_eq!(merged.disagreements.len(), 1, "{:?}", merged.disagreements);
}

#[test]
fn the_newest_statement_prices_a_plan_and_the_older_one_is_a_disagreement() {
    let yaml = SLACK.replace(
        "scim_plan: {name: Business+,",
        "sso_plan: {price: {amount: 15, currency: USD, per: user/month}, sso: true}\n    scim_plan: {name: Business+,",
    );
    let merged = merge(&record(&yaml));
    let sso_plan = merged
        .record
        .tiers
        .iter()
        .find(|t| t.name == "Unnamed plan with SSO")
        .unwrap();
    assert_eq!(sso_plan.source.as_deref(), Some("scimtax-org"));
    let d = merged
        .disagreements
        .iter()
        .find(|d| d.fact == "Price of Unnamed plan with SSO")
        .unwrap();
    assert_eq!(d.used.value, "$15/user/month");
    assert_eq!(d.others[0].value, "$12.50/user/month");
    assert_eq!(
        d.others[0].date.map(|d| d.to_string()).as_deref(),
        Some("2023-06-29")
    );
}

#[test]
fn a_plan_sold_as_an_add_on_becomes_an_add_on() {
    let yaml = "\
name: Atlassian
catalogues:
  scimtax-org:
    entry: data.json#vendors[2]
    date: 2026-04-01
    name: Atlassian
    scim: true
    scim_plan: {name: Guard Standard, price: {amount: 4.2, currency: USD, per: user/month}, scim: true, addon: true}
  sso-tax:
    entry: _vendors/atlassianjiracloud.yaml
    date: 2023-09-22
    name: Atlassian (Jira Cloud)
    sso: true
    base_plan: {price: {amount: 7.75, currency: USD, per: user/month}, sso: false}
";
    let merged = merge(&record(yaml));
    assert_eq!(merged.record.addons.len(), 1);
    assert_eq!(merged.record.addons[0].name, "Guard Standard");
    assert!(
        merged.record.addons[0].plans.is_empty(),
        "on top of any plan"
    );
    let idps: crate::model::IdpFile = std::iter::empty().collect();
    let figures = super::super::compute_vendor(&merged.record, &[50], &idps);
    let row = &figures.scim_cost.rows[0];
    assert_eq!(row.tier, "Unnamed base plan + Guard Standard");
    assert!((row.annual - (7.75 + 4.2) * 50.0 * 12.0).abs() < 1e-6);
}

#[test]
fn a_price_in_another_currency_does_not_mix_into_the_figures() {
    let yaml = SLACK.replace(
        "scim_plan: {name: Business+, price: {amount: 15, currency: USD,",
        "scim_plan: {name: Business+, price: {amount: 15, currency: EUR,",
    );
    let merged = merge(&record(&yaml));
    let business = merged
        .record
        .tiers
        .iter()
        .find(|t| t.name == "Business+")
        .unwrap();
    assert_eq!(business.price, None, "unknown rather than mixed with USD");
}

#[test]
fn a_record_without_catalogues_is_left_as_it_is() {
    let plain = record("name: Plain\ntiers: [{name: Pro, price: free}]\n");
    let merged = merge(&plain);
    assert_eq!(merged.record, plain);
    assert!(merged.disagreements.is_empty());
}

#[test]
fn a_free_plan_is_not_another_catalogues_paid_base_plan() {
    let yaml = "\
name: Attio
catalogues:
  sso-tax:
    entry: _vendors/attio.yaml
    date: 2025-09-26
    name: Attio
    sso: true
    base_plan: {price: {amount: 36, currency: USD, per: user/month}, sso: false}
    sso_plan: {price: {amount: 86, currency: USD, per: user/month}, sso: true}
  scimtax-org:
    entry: data.json#vendors[3]
    date: 2026-04-01
    name: Attio
    scim: false
    base_plan: {price: free, scim: false}
";
    let merged = merge(&record(yaml));
    assert!(
        merged.disagreements.is_empty(),
        "{:?}",
        merged.disagreements
    );
    let names: Vec<&str> = merged
        .record
        .tiers
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Free plan", "Unnamed base plan", "Unnamed plan with SSO"]
    );
    let idps: crate::model::IdpFile = std::iter::empty().collect();
    let figures = super::super::compute_vendor(&merged.record, &[10], &idps);
    assert_eq!(
        figures.sso_premium.base_tier.as_deref(),
        Some("Unnamed base plan")
    );
    assert_eq!(figures.sso_premium.percent_text.as_deref(), Some("139%"));
}

#[test]
fn a_plan_named_with_or_without_the_vendors_name_is_one_plan() {
    let yaml = "\
name: Atlassian Cloud
scim: {available: true, tier: Atlassian Guard Standard}
tiers:
  - {name: Team, price: {amount: 9, currency: USD, per: user/month}}
addons:
  - {name: Atlassian Guard Standard, price: {amount: 4, currency: USD, per: user/month, approximate: true}, scim: true}
catalogues:
  scimtax-org:
    entry: data.json#vendors[2]
    date: 2026-04-01
    name: Atlassian
    scim: true
    scim_plan: {name: Guard Standard, price: {amount: 4.2, currency: USD, per: user/month}, scim: true, addon: true}
  sso-tax:
    entry: _vendors/atlassianjiracloud.yaml
    date: 2023-09-22
    name: Atlassian (Jira Cloud)
    sso: true
    base_plan: {price: {amount: 7.75, currency: USD, per: user/month}, sso: false}
  ssotax-org:
    entry: _vendors_bad/atlassian.yaml
    date: 2023-09-22
    name: Atlassian
    sso: true
    base_plan: {name: Team, price: {amount: 7.75, currency: USD, per: user/month}, sso: false}
";
    let merged = merge(&record(yaml));
    let facts: Vec<&str> = merged
        .disagreements
        .iter()
        .map(|d| d.fact.as_str())
        .collect();
    assert_eq!(
        facts,
        ["Price of Team", "Price of Atlassian Guard Standard"],
        "{:?}",
        merged.disagreements
    );
    let team = &merged.disagreements[0];
    assert_eq!(
        team.others.len(),
        2,
        "sso.tax's unnamed base plan is the Team the others name"
    );
}

#[test]
fn availability_is_the_records_own_else_the_newest_statements() {
    let merged = merge(&record(
        &SLACK.replace("    scim: true\n", "    scim: false\n"),
    ));
    assert_eq!(
        merged.record.scim.available,
        Some(false),
        "scimtax.org (2026) is the newest"
    );
    assert_eq!(merged.record.scim.source.as_deref(), Some("scimtax-org"));

    let own = format!("{SLACK}scim: {{available: false}}\n");
    let merged = merge(&record(&own));
    assert_eq!(merged.record.scim.available, Some(false));
    assert_eq!(
        merged.record.scim.source, None,
        "the record's own answer cites nothing"
    );
    let d = merged
        .disagreements
        .iter()
        .find(|d| d.fact == "SCIM available")
        .unwrap();
    assert_eq!(
        (d.used.value.as_str(), d.used.by.as_str()),
        ("No", "this record")
    );
    assert_eq!(
        (d.others[0].value.as_str(), d.others[0].by.as_str()),
        ("Yes", "scimtax.org")
    );
    assert_eq!(d.others[0].field, "catalogues.scimtax-org.scim");
}
