//! Real entries of each catalogue, copied under their licences (sso.tax and ssotax.org:
//! Apache-2.0; scimtax.org: CC-BY-4.0, SCIM Tax Index (Iden, 2026)).

use super::*;
use crate::model::{Per, Price, PriceAmount};

fn per_user_month(amount: f64, currency: &str) -> Option<Price> {
    Some(Price::Amount(PriceAmount {
        amount,
        currency: currency.to_owned(),
        per: Per::UserMonth,
        approximate: false,
        min_seats: None,
    }))
}

fn flat(amount: f64, per: Per) -> Option<Price> {
    Some(Price::Amount(PriceAmount {
        amount,
        currency: "USD".to_owned(),
        per,
        approximate: false,
        min_seats: None,
    }))
}

fn sso_tax(text: &str) -> Result<Listed, String> {
    let fields = Fields::parse(text)?;
    read_sso_tax_entry("_vendors/x.yaml", &fields)
}

fn ssotax_bad(text: &str) -> Result<Listed, String> {
    read_ssotax_bad("_vendors_bad/x.yaml", &Fields::parse(text)?)
}

fn scimtax(json: &str) -> Listed {
    let value: Value = serde_json::from_str(json).unwrap();
    read_scimtax_vendor(
        "data.json#vendors[0]",
        &value,
        parse_day("2026-04-01").unwrap(),
    )
    .unwrap()
}

#[test]
fn sso_tax_slack_is_a_base_plan_and_a_plan_with_sso() {
    let listed = sso_tax(
        "---\nbase_pricing: $7.25 per u/m\nname: Slack\npercent_increase: 72%\n\
         pricing_source: https://slack.com/pricing\nsso_pricing: $12.50 per u/m\n\
         updated_at: 2023-06-29\nvendor_url: https://slack.com\n",
    )
    .unwrap();
    let entry = &listed.entry;
    assert_eq!(entry.date.to_string(), "2023-06-29");
    assert_eq!(entry.cites, ["https://slack.com/pricing"]);
    assert_eq!(
        entry.words["sso_pricing"], "$12.50 per u/m",
        "the words as written"
    );
    assert!(
        !entry.words.contains_key("percent_increase"),
        "never copied"
    );
    assert_eq!(listed.percent.as_deref(), Some("72%"));
    let base = entry.base_plan.as_ref().unwrap();
    assert_eq!(
        (base.price.clone(), base.sso),
        (per_user_month(7.25, "USD"), Some(false))
    );
    let sso = entry.sso_plan.as_ref().unwrap();
    assert_eq!(
        (sso.price.clone(), sso.sso),
        (per_user_month(12.5, "USD"), Some(true))
    );
}

#[test]
fn sso_tax_call_us_is_custom_and_question_marks_are_unknown() {
    let listed = sso_tax(
        "name: X\nbase_pricing: '???'\nsso_pricing: Call Us!\npercent_increase: '???'\n\
         pricing_source: https://x.example/pricing\nupdated_at: 2024-01-02\nvendor_url: https://x.example\n",
    )
    .unwrap();
    assert_eq!(listed.entry.base_plan.as_ref().unwrap().price, None);
    assert_eq!(
        listed.entry.sso_plan.as_ref().unwrap().price,
        Some(Price::Custom)
    );
}

#[test]
fn an_entry_with_a_repeated_key_is_skipped_with_a_reason() {
    let why = sso_tax(
        "name: Genetec\nbase_pricing: $9 per u/m\npercent_increase: 10%\npercent_increase: 20%\n\
         sso_pricing: Call Us!\nupdated_at: 2024-01-02\n",
    )
    .unwrap_err();
    assert!(
        why.contains("percent_increase") && why.contains("fix it in the catalogue"),
        "{why}"
    );
    assert!(
        !why.contains("DuplicateKeyPolicy"),
        "no advice about our parser's options: {why}"
    );
}

#[test]
fn ssotax_org_reads_figures_with_their_currency_and_scheme() {
    // Synthesia's file holds a second, stray document; only the first is the entry.
    let listed = ssotax_bad(
        "---\nbase_pricing: 26\ncurrency: EUR\nname: Synthesia\npricing_scheme: per user/month\n\
         pricing_sources:\n  - https://www.synthesia.io/pricing\nsso_pricing: unknown\n\
         updated_at: 2025-12-03\nvendor_url: https://www.synthesia.io\n---\nname: Stray\n",
    )
    .unwrap();
    assert_eq!(listed.name, "Synthesia");
    let entry = &listed.entry;
    assert_eq!(
        entry.base_plan.as_ref().unwrap().price,
        per_user_month(26.0, "EUR")
    );
    assert_eq!(
        entry.sso_plan.as_ref().unwrap().price,
        None,
        "unknown stays unknown"
    );
    assert_eq!(entry.words["base_pricing"], "26");
}

#[test]
fn ssotax_org_reads_its_0_01_placeholder_as_a_free_plan() {
    let listed = ssotax_bad(
        "base_pricing: 0.01\ncurrency: USD\nname: Airbyte\nnotes: Base is free/OSS.\n\
         pricing_scheme: per year\npricing_sources:\n  - https://airbyte.com/pricing\n  - Sales\n\
         scim_pricing: 40000\nsso_pricing: 40000\nupdated_at: 2025-08-27\nvendor_url: https://airbyte.com\n",
    )
    .unwrap();
    let entry = &listed.entry;
    assert_eq!(entry.base_plan.as_ref().unwrap().price, Some(Price::Free));
    assert_eq!(
        entry.sso_plan.as_ref().unwrap().price,
        flat(40000.0, Per::Year)
    );
    assert_eq!(entry.scim_plan.as_ref().unwrap().scim, Some(true));
    assert_eq!(
        entry.cites,
        ["https://airbyte.com/pricing"],
        "\"Sales\" is not a page"
    );
}

#[test]
fn scimtax_org_names_plans_and_reads_flat_and_add_on_prices() {
    let one = scimtax(
        r#"{"vendor": "1Password", "slug": "1password", "status": "gated", "plan_required": "Business",
            "scim_price": "$7.99/u/mo", "base_plan_price": "Teams: $19.95/mo flat",
            "pricing_page_url": "https://1password.com/teams/pricing"}"#,
    );
    let base = one.entry.base_plan.as_ref().unwrap();
    assert_eq!(base.name.as_deref(), Some("Teams"));
    assert_eq!(
        base.price,
        Some(Price::Amount(PriceAmount {
            amount: 19.95,
            currency: "USD".to_owned(),
            per: Per::Month,
            approximate: false,
            min_seats: None,
        }))
    );
    let scim = one.entry.scim_plan.as_ref().unwrap();
    assert_eq!(
        (scim.name.as_deref(), scim.price.clone()),
        (Some("Business"), per_user_month(7.99, "USD"))
    );
    assert_eq!(one.website.as_deref(), Some("https://1password.com"));

    let atlassian = scimtax(
        r#"{"vendor": "Atlassian", "slug": "atlassian", "status": "gated",
            "plan_required": "Guard Standard (add-on)", "scim_price": "$4.20/u/mo",
            "base_plan_price": "— (on top of any Atlassian plan)",
            "pricing_page_url": "https://www.atlassian.com/software/access/pricing"}"#,
    );
    let guard = atlassian.entry.scim_plan.as_ref().unwrap();
    assert_eq!(guard.name.as_deref(), Some("Guard Standard"));
    assert!(guard.addon);
    assert!(
        atlassian.entry.base_plan.is_none(),
        "\"—\" states no base plan"
    );
}

#[test]
fn scimtax_org_statuses_say_whether_scim_is_offered() {
    let none = scimtax(
        r#"{"vendor": "ActiveCampaign", "slug": "activecampaign", "status": "none", "plan_required": "—",
            "scim_price": "—", "base_plan_price": "Starter: $15/mo",
            "pricing_page_url": "https://www.activecampaign.com/pricing"}"#,
    );
    assert_eq!(none.entry.scim, Some(false));
    assert!(none.entry.scim_plan.is_none());
    let unknown = scimtax(
        r#"{"vendor": "Y", "slug": "y", "status": "unknown", "plan_required": "Unknown tier",
            "scim_price": "Not public", "base_plan_price": "Contact Sales", "pricing_page_url": ""}"#,
    );
    assert_eq!(
        unknown.entry.scim, None,
        "unknown is never promoted to gated"
    );
    assert_eq!(
        unknown.entry.base_plan.as_ref().unwrap().price,
        Some(Price::Custom)
    );
    assert!(unknown.entry.cites.is_empty());
}

#[test]
fn words_keep_numbers_as_written_and_text_across_lines() {
    let fields = Fields::parse(
        "sso_pricing: 12.50\nnotes: You can add SSO to a Business plan\n  for $200+ per month.\n",
    )
    .unwrap();
    assert_eq!(fields.words("sso_pricing").as_deref(), Some("12.50"));
    assert_eq!(
        fields.words("notes").as_deref(),
        Some("You can add SSO to a Business plan for $200+ per month.")
    );
}

#[test]
fn ssotax_org_words_for_unnamed_plans_are_not_plan_names() {
    let good = |start: &str| {
        let text = format!(
            "name: X\nsources: [https://x.example/pricing]\nsso_on_free_plans: false\n\
             sso_on_all_paid_plans: true\nscim_starting_on_plan: {start}\nupdated_at: 2024-09-19\n\
             vendor_url: https://x.example\n"
        );
        read_ssotax_good("_vendors_good/x.yaml", &Fields::parse(&text).unwrap()).unwrap()
    };
    let lowest = good("lowest");
    assert_eq!(lowest.entry.base_plan.as_ref().unwrap().scim, Some(true));
    assert!(lowest.entry.scim_plan.is_none());
    let highest = good("highest");
    assert_eq!(
        highest.entry.scim_plan.as_ref().unwrap().name,
        None,
        "not a plan called \"highest\""
    );
    let unknown = good("unknown");
    assert!(unknown.entry.scim_plan.is_none());
    assert_eq!(unknown.entry.scim, None);
    let named = good("Business");
    assert_eq!(
        named.entry.scim_plan.as_ref().unwrap().name.as_deref(),
        Some("Business")
    );
}
