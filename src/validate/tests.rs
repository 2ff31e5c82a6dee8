use std::path::PathBuf;

use super::*;
use crate::load::parse_yaml;

const IDPS: &str = "okta: {name: Okta}\nentra: {name: Microsoft Entra ID}\n";

fn today() -> Date {
    Date("2026-06-01".parse().unwrap())
}

fn problems_of(record: &str) -> Vec<Problem> {
    let source = SourceFile {
        path: PathBuf::from("data/vendors/x.yaml"),
        text: record.to_owned(),
    };
    let idps: IdpFile = parse_yaml(&SourceFile {
        path: PathBuf::from("data/idps.yaml"),
        text: IDPS.to_owned(),
    })
    .unwrap();
    let entry = VendorEntry {
        slug: "x".to_owned(),
        record: parse_yaml(&source).unwrap(),
        path: source.path,
        file: PathBuf::new(),
    };
    let rules = Rules {
        idps: Some(&idps),
        today: today(),
        stale_after_days: 365,
    };
    check_vendor(&entry, &rules)
}

fn fields(problems: &[Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.field.as_str()).collect()
}

const GOOD: &str = "\
name: X
website: https://x.example
verified: 2026-05-01
sso: {available: true, required_for_scim: true}
scim: {available: true, tier: Enterprise}
tiers:
  - {name: Pro, price: {amount: 8, currency: USD, per: user/month}, scim: false, source: pricing}
  - {name: Enterprise, price: custom, scim: true}
idps:
  okta: {sso: true, scim: full}
sources:
  - {id: pricing, title: Pricing, url: 'https://x.example/pricing', checked: 2026-05-01}
";

#[test]
fn every_string_is_checked_at_its_own_field_path() {
    let record = GOOD
        .replace("{name: Pro,", "{name: \"P\\ero\",")
        .replace("currency: USD", "currency: \"US\\0\"")
        .replace(
            "okta: {sso: true, scim: full}",
            "okta: {sso: true, scim: full, notes: \"\\uFFFF\", \
                 setup: {steps: [one, \"t\\x07wo\"]}}",
        )
        .replace("title: Pricing,", &format!("title: {},", "t".repeat(201)));
    let problems = problems_of(&record);
    let mut text_fields: Vec<&str> = problems
        .iter()
        .filter(|p| p.message.contains("U+") || p.message.contains("characters long"))
        .map(|p| p.field.as_str())
        .collect();
    text_fields.sort();
    assert_eq!(
        text_fields,
        [
            "idps.okta.notes",
            "idps.okta.setup.steps[2]",
            "sources[1].title",
            "tiers[1].name",
            "tiers[1].price.currency",
        ],
        "{problems:#?}"
    );
}

#[test]
fn a_good_record_has_no_problems() {
    assert_eq!(problems_of(GOOD), vec![]);
}

#[test]
fn scim_tier_must_name_a_tier() {
    let problems = problems_of(&GOOD.replace("tier: Enterprise", "tier: Enterprize"));
    assert_eq!(fields(&problems), ["scim.tier"]);
    assert_eq!(
        problems[0].message,
        "\"Enterprize\" is not a tier of this vendor (tiers: Pro, Enterprise)"
    );
}

#[test]
fn scim_tier_must_not_say_scim_false() {
    let problems = problems_of(&GOOD.replace("tier: Enterprise", "tier: Pro"));
    assert_eq!(fields(&problems), ["scim.tier"]);
    assert!(problems[0].message.contains("`scim: false`"));
}

#[test]
fn a_scim_tier_requires_scim_available() {
    let record = GOOD.replace(
        "scim: {available: true, tier: Enterprise}",
        "scim: {available: null}",
    );
    assert_eq!(fields(&problems_of(&record)), ["tiers[2].scim"]);
}

#[test]
fn scim_unavailable_excludes_a_scim_tier_and_full_idp_scim() {
    let record = GOOD
        .replace("available: true, tier", "available: false, tier")
        .replace("price: custom, scim: true", "price: custom");
    assert_eq!(
        fields(&problems_of(&record)),
        ["scim.tier", "idps.okta.scim"]
    );
}

#[test]
fn sso_required_for_scim_requires_sso() {
    let record = GOOD.replace("sso: {available: true", "sso: {available: false");
    assert_eq!(fields(&problems_of(&record)), ["sso.required_for_scim"]);
}

#[test]
fn idp_ids_must_be_known() {
    let record = GOOD.replace("okta: {sso", "octa: {sso");
    let problems = problems_of(&record);
    assert_eq!(fields(&problems), ["idps.octa"]);
    assert!(problems[0].message.contains("known: okta, entra"));
}

#[test]
fn tier_names_are_unique() {
    let record = GOOD.replace("{name: Enterprise,", "{name: pro,");
    let problems = problems_of(&record.replace("tier: Enterprise", "tier: pro"));
    assert_eq!(fields(&problems), ["tiers[2].name"]);
}

#[test]
fn urls_must_be_http() {
    for bad in [
        "javascript:alert(1)",
        "ftp://x.example",
        "x.example",
        "https://",
        "https://x.example:99999/",
        "https://x.example:0/",
        "https://x.example:/",
        "https://x.example:80x/",
        "https://x.example/a\"b",
        "https://x.example/<script>",
        "https://x.example/{x}",
        "https://@/",
        "https://acme.example@evil.example/",
        "https://user:secret@x.example/",
        "https://[zz]/",
        "https://./",
        "https://-/",
        "https://-x.example/",
        "http://999.999.999.999/",
        "http://1.2.3/",
        "https://x.example/%zz",
        "https://x.example/100%",
    ] {
        let record = GOOD.replace("https://x.example/pricing", bad);
        assert_eq!(fields(&problems_of(&record)), ["sources[1].url"], "{bad}");
    }
    let record = GOOD.replace("website: https://x.example", "website: JavaScript:x");
    assert_eq!(fields(&problems_of(&record)), ["website"]);
    for good in [
        "https://x.example:8443/pricing",
        "http://[2001:db8::1]:8080/a?b=c#d",
        "http://192.168.0.1:8080/",
        "https://x.example./",
        "https://my_host.example/",
        "https://bücher.example/",
        "https://de.example/Straße?q=%22a%22",
    ] {
        let record = GOOD.replace("https://x.example/pricing", good);
        assert!(problems_of(&record).is_empty(), "{good}");
    }
}

#[test]
fn dates_must_not_be_in_the_future() {
    let record = GOOD.replace("verified: 2026-05-01", "verified: 2026-06-02");
    assert_eq!(fields(&problems_of(&record)), ["verified"]);
    let record = GOOD.replace("checked: 2026-05-01", "checked: 2027-01-01");
    assert_eq!(fields(&problems_of(&record)), ["sources[1].checked"]);
}

#[test]
fn an_old_verification_is_a_warning() {
    let record = GOOD.replace("verified: 2026-05-01", "verified: 2025-01-01");
    let problems = problems_of(&record);
    assert_eq!(fields(&problems), ["verified"]);
    assert_eq!(problems[0].severity, Severity::Warning);
    assert!(problems[0].message.contains("516 days ago"));
}

#[test]
fn a_verified_record_needs_sources() {
    let cut = GOOD.find("sources:").unwrap();
    assert_eq!(
        fields(&problems_of(&GOOD[..cut])),
        ["verified", "tiers[1].source"],
        "without sources, the citation names none"
    );
    let unverified = GOOD[..cut]
        .replace("verified: 2026-05-01", "verified: null")
        .replace(", source: pricing", "");
    assert_eq!(
        fields(&problems_of(&unverified)),
        ["tiers[1].price"],
        "a price cites nothing"
    );
    assert_eq!(problems_of(&unverified)[0].severity, Severity::Warning);
}

#[test]
fn absurd_amounts_are_refused_before_figures_overflow() {
    for (amount, refused) in [
        ("1e308", true),
        ("1e-300", true),
        ("0", false),
        ("0.01", false),
        ("999999999", false),
    ] {
        let record = format!(
            "name: X\ntiers:\n  - {{name: Pro, price: {{amount: {amount}, currency: USD, per: user/month}}}}\n"
        );
        let fields: Vec<String> = problems_of(&record).into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields.contains(&"tiers[1].price.amount".to_owned()),
            refused,
            "{amount}"
        );
    }
}

#[test]
fn amounts_currencies_and_seats_are_checked() {
    let record = GOOD.replace(
        "{amount: 8, currency: USD, per: user/month}",
        "{amount: -8, currency: USX, per: user/month, min_seats: 0}",
    );
    assert_eq!(
        fields(&problems_of(&record)),
        [
            "tiers[1].price.amount",
            "tiers[1].price.currency",
            "tiers[1].price.min_seats"
        ]
    );
}

#[test]
fn prices_share_one_currency() {
    let record = GOOD.replace(
        "price: custom",
        "price: {amount: 9, currency: EUR, per: user/month}, source: pricing",
    );
    assert_eq!(fields(&problems_of(&record)), ["tiers[2].price.currency"]);
}

#[test]
fn site_settings_are_checked() {
    let config: SiteConfig =
        serde_saphyr::from_str("title: ''\nbase_url: example.org\nteam_sizes: [50, 0, 50]\n")
            .unwrap();
    assert_eq!(
        fields(&check_site(&config)),
        ["title", "base_url", "team_sizes[2]", "team_sizes[3]"]
    );
    for base_url in ["https://x.example/?q=1", "https://x.example/#top"] {
        let text = format!("title: X\nbase_url: '{base_url}'\nteam_sizes: [50]\n");
        let config: SiteConfig = serde_saphyr::from_str(&text).unwrap();
        let problems = check_site(&config);
        assert_eq!(fields(&problems), ["base_url"], "{base_url}");
        assert!(
            problems[0].message.contains("query or a fragment"),
            "{base_url}"
        );
        assert!(base_url_problem(base_url).is_some());
    }
}

#[test]
fn a_scim_tier_may_rest_on_a_catalogues_word_that_scim_is_available() {
    let record = |says: &str| {
        format!(
            "name: X\ntiers:\n  - {{name: Pro, scim: true}}\ncatalogues:\n  scimtax-org:\n    \
             entry: data.json#vendors[0]\n    date: 2026-04-01\n    name: X\n    scim: {says}\n"
        )
    };
    assert_eq!(
        problems_of(&record("true")),
        vec![],
        "the page says Yes, and so does check"
    );
    let problems = problems_of(&record("false"));
    assert_eq!(fields(&problems), ["tiers[1].scim"]);
    assert!(
        problems[0].message.contains("(it is false)"),
        "{}",
        problems[0].message
    );
}

#[test]
fn citations_name_a_source_or_a_catalogue_of_the_record() {
    let record = GOOD.replace("source: pricing", "source: nowhere");
    let problems = problems_of(&record);
    assert_eq!(fields(&problems), ["tiers[1].source"]);
    assert!(
        problems[0].message.contains("known: pricing"),
        "{}",
        problems[0].message
    );
    let taken = GOOD.replace("{id: pricing,", "{id: sso-tax,");
    assert!(fields(&problems_of(&taken)).contains(&"sources[1].id"));
}

#[test]
fn add_ons_name_real_tiers_share_the_currency_and_need_scim_available() {
    let with = |addon: &str| format!("{GOOD}addons:\n  - {addon}\n");
    let good = with(
        "{name: Guard, price: {amount: 4, currency: USD, per: user/month}, plans: [Pro], scim: true, source: pricing}",
    );
    assert_eq!(problems_of(&good), vec![]);
    let wrong = with(
        "{name: Pro, price: {amount: 4, currency: EUR, per: user/month}, plans: [Team], source: pricing}",
    );
    let problems = problems_of(&wrong);
    let mut found = fields(&problems);
    found.sort();
    assert_eq!(
        found,
        [
            "addons[1].name",
            "addons[1].plans[1]",
            "addons[1].price.currency"
        ]
    );
    let no_scim = "name: X\nscim: {available: false}\ntiers: [{name: Pro}]\naddons:\n  - {name: Guard, scim: true}\n";
    let problems = problems_of(no_scim);
    assert!(
        fields(&problems).contains(&"addons[1].scim"),
        "{problems:?}"
    );
}
