use super::*;

#[test]
fn the_schema_describes_every_key_and_rejects_others() {
    let schema: serde_json::Value = serde_json::from_str(&vendor_schema()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["required"], serde_json::json!(["name"]));
    for key in [
        "name",
        "verified",
        "sso",
        "scim",
        "tiers",
        "idps",
        "sentiment",
        "sources",
    ] {
        assert!(schema["properties"].get(key).is_some(), "{key}");
    }
    let setup = &schema["definitions"]["Setup"]["properties"];
    assert!(setup.get("where").is_some(), "serde's rename is honoured");
}

#[test]
fn dates_must_be_written_in_full() {
    assert!(parse_date("2024-02-29").is_some());
    assert!(parse_date("2023-02-29").is_none(), "not a leap year");
    assert!(parse_date("2024-2-9").is_none());
    assert!(parse_date("2024-02-09T00:00").is_none());
    assert!(parse_date("").is_none());
}

#[test]
fn per_labels_round_trip_through_yaml_spelling() {
    for per in [Per::UserMonth, Per::UserYear, Per::Month, Per::Year] {
        let yaml = per.label();
        let parsed: Per = serde_saphyr::from_str(yaml).unwrap();
        assert_eq!(parsed, per);
    }
}

#[test]
fn price_accepts_its_three_forms_and_rejects_others() {
    let custom: Price = serde_saphyr::from_str("custom").unwrap();
    assert_eq!(custom, Price::Custom);
    let free: Price = serde_saphyr::from_str("free").unwrap();
    assert_eq!(free, Price::Free);
    let amount: Price =
        serde_saphyr::from_str("{amount: 8, currency: USD, per: user/month}").unwrap();
    assert!(matches!(amount, Price::Amount(PriceAmount { amount, .. }) if amount == 8.0));
    assert!(serde_saphyr::from_str::<Price>("contact sales").is_err());
    assert!(serde_saphyr::from_str::<Price>("{amount: 8, currency: USD}").is_err());
}
