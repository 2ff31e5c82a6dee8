use proptest::prelude::*;

use super::*;
use crate::model::Per::{Month, UserMonth, UserYear, Year};

fn amount(amount: f64, currency: &str, per: Per) -> PriceAmount {
    PriceAmount {
        amount,
        currency: currency.to_owned(),
        per,
        approximate: false,
        min_seats: None,
    }
}

fn usd(figure: f64, per: Per) -> PriceAmount {
    amount(figure, "USD", per)
}

fn approx(price: PriceAmount) -> PriceAmount {
    PriceAmount {
        approximate: true,
        ..price
    }
}

fn seats(price: PriceAmount, min_seats: u32) -> PriceAmount {
    PriceAmount {
        min_seats: Some(min_seats),
        ..price
    }
}

fn paid(price: PriceAmount) -> PriceReading {
    PriceReading::of(Some(Price::Amount(price)))
}

fn unknown() -> PriceReading {
    PriceReading::of(None)
}

fn custom() -> PriceReading {
    PriceReading::of(Some(Price::Custom))
}

fn free() -> PriceReading {
    PriceReading::of(Some(Price::Free))
}

fn plan(name: &str, reading: PriceReading) -> PriceReading {
    PriceReading {
        plan: Some(name.to_owned()),
        ..reading
    }
}

fn addon(reading: PriceReading) -> PriceReading {
    PriceReading {
        addon: true,
        ..reading
    }
}

fn check(cases: &[(&str, PriceReading)]) {
    for (text, want) in cases {
        assert_eq!(read_price_text(text), *want, "read_price_text({text:?})");
    }
}

#[test]
fn sso_tax_prices_per_user_and_flat() {
    check(&[
        ("$36 per u/m", paid(usd(36.0, UserMonth))),
        ("$7.25 per u/m", paid(usd(7.25, UserMonth))),
        ("$12.50 per u/m", paid(usd(12.5, UserMonth))),
        ("$179 per u/y", paid(usd(179.0, UserYear))),
        ("€10 per u/m", paid(amount(10.0, "EUR", UserMonth))),
        ("$149.00 per user/mo", paid(usd(149.0, UserMonth))),
        ("$15 per user/month", paid(usd(15.0, UserMonth))),
        ("$100 per month", paid(usd(100.0, Month))),
        ("$99 per mo", paid(usd(99.0, Month))),
        ("$1995 per year", paid(usd(1995.0, Year))),
        ("$240/mo", paid(usd(240.0, Month))),
        ("$90/month", paid(usd(90.0, Month))),
        ("$210/month", paid(usd(210.0, Month))),
        ("$9,999/year", paid(usd(9999.0, Year))),
        ("  $8.33 per month  ", paid(usd(8.33, Month))),
    ]);
}

#[test]
fn sso_tax_prices_that_say_too_little_or_too_much_are_unknown() {
    check(&[
        ("$23.99", unknown()),
        ("$90", unknown()),
        ("???", unknown()),
        ("4.99€ / device", unknown()),
        ("8.99€ / device", unknown()),
        ("$0.60 - $7.20 per host-month", unknown()),
        ("$1.20 - $14.40 per host-month", unknown()),
        ("$99 per location/m", unknown()),
        ("$15 per device/m", unknown()),
        ("$99 per device/year", unknown()),
        ("$99 per project/mo", unknown()),
        ("$180 per repository/mo", unknown()),
        ("$2,166.67 per app/mo", unknown()),
        ("$39.99 per screen/m", unknown()),
        ("$99 per connection per year", unknown()),
        ("$0.365 per resource/month", unknown()),
        ("$19 per month (25k events)", unknown()),
        ("$39 per month (25K events)", unknown()),
        ("$49 per month for 1 test", unknown()),
        ("$26 for 100K events", unknown()),
        ("$400+ per month", unknown()),
    ]);
}

#[test]
fn calls_and_contacts_are_custom_whatever_the_hint() {
    check(&[
        ("Call Us!", custom()),
        ("Call us", custom()),
        ("Call Us! ($8000+ minimum annual commitment)", custom()),
        ("Call Us! ($79.90/month+)", custom()),
        ("Call Us! (over $75 per u/m)", custom()),
        ("Call Us! ($29+)", custom()),
        ("Contact Sales", custom()),
        ("Contact sales", custom()),
        ("Contact us", custom()),
        ("Contact Sales (~$22K–$254K/yr)", custom()),
        ("Contact Sales (~$36K+/yr)", custom()),
        ("Contact Sales (note: annual only)", custom()),
        ("Enterprise: Contact Sales", plan("Enterprise", custom())),
        // scimtax.org's Process Street: a plan priced by quote.
        ("Startup: custom", plan("Startup", custom())),
        ("Per quote", custom()),
    ]);
}

#[test]
fn scimtax_prices_with_plans_estimates_and_addons() {
    check(&[
        ("$7.99/u/mo", paid(usd(7.99, UserMonth))),
        (
            "Teams: $19.95/mo flat",
            plan("Teams", paid(usd(19.95, Month))),
        ),
        ("$400/mo flat", paid(usd(400.0, Month))),
        ("$719/mo flat", paid(usd(719.0, Month))),
        ("~$15/u/mo", paid(approx(usd(15.0, UserMonth)))),
        ("+$4/u/mo", addon(paid(usd(4.0, UserMonth)))),
        ("$4/u/mo (add-on)", addon(paid(usd(4.0, UserMonth)))),
        ("~+$6/u/mo", addon(paid(approx(usd(6.0, UserMonth))))),
        ("+$500/mo add-on", addon(paid(usd(500.0, Month)))),
        ("Core: $20/u/mo", plan("Core", paid(usd(20.0, UserMonth)))),
        (
            "Professional: €149/mo",
            plan("Professional", paid(amount(149.0, "EUR", Month))),
        ),
        (
            "Teams: $399/user/yr",
            plan("Teams", paid(usd(399.0, UserYear))),
        ),
        (
            "Group Standard: $179/user/yr",
            plan("Group Standard", paid(usd(179.0, UserYear))),
        ),
        (
            "Plus: $10/member/mo",
            plan("Plus", paid(usd(10.0, UserMonth))),
        ),
        (
            "Professional: $16/seat/mo",
            plan("Professional", paid(usd(16.0, UserMonth))),
        ),
        (
            "Teams: ~$89.99/u/mo",
            plan("Teams", paid(approx(usd(89.99, UserMonth)))),
        ),
        (
            "Essential: ~$12K/yr",
            plan("Essential", paid(approx(usd(12_000.0, Year)))),
        ),
        ("Team: $1,245/mo", plan("Team", paid(usd(1245.0, Month)))),
        (
            "Team: ~€30/mo",
            plan("Team", paid(approx(amount(30.0, "EUR", Month)))),
        ),
        (
            "Team+: $9.99/u/mo",
            plan("Team+", paid(usd(9.99, UserMonth))),
        ),
        ("CHF 24.90/u/mo", paid(amount(24.9, "CHF", UserMonth))),
        (
            "Pro: CHF 19.90/u/mo",
            plan("Pro", paid(amount(19.9, "CHF", UserMonth))),
        ),
        ("Launch: $280/yr", plan("Launch", paid(usd(280.0, Year)))),
    ]);
}

#[test]
fn scimtax_prices_with_leftovers_or_other_units_are_unknown() {
    check(&[
        ("$575/mo + $12/user", unknown()),
        ("Starter: $100/mo + $6/user", plan("Starter", unknown())),
        ("$2,500/mo (~100 users)", unknown()),
        ("$200/mo (3 users)", unknown()),
        ("~$1.50–1.90/seat/mo", unknown()),
        ("Starter: $80–120/mo", plan("Starter", unknown())),
        ("$30,000–$80,000+/yr", unknown()),
        ("$60K+/yr", unknown()),
        ("$15,000/yr minimum", unknown()),
        ("~$12,000/yr min", unknown()),
        ("$800/mo+ (Marketing Pro)", unknown()),
        ("$950/mo (SaaS)", unknown()),
        ("~$20/mo (min)", unknown()),
        ("$15/u/mo (Viewer)", unknown()),
        ("$9/mo (10k PVs)", unknown()),
        ("Simple: $49+$6/emp", plan("Simple", unknown())),
        ("+$24/computer/yr", addon(unknown())),
        ("$99/computer/yr", unknown()),
        ("~$10/emp/mo", unknown()),
        ("$4.16/person/mo", unknown()),
        ("Standard: $149/yr/device", plan("Standard", unknown())),
        ("Team: $39/mo/room", plan("Team", unknown())),
        ("Core: $1.40/unit/mo", plan("Core", unknown())),
        ("~$140/provider/mo", unknown()),
        (
            "Professional: $149/tech/mo",
            plan("Professional", unknown()),
        ),
        ("Team: $39/editor/mo", plan("Team", unknown())),
        ("Starter: $19/maker/mo", plan("Starter", unknown())),
        ("$549/contributor/yr", unknown()),
        ("$23/host/mo", unknown()),
        ("~$0.55/DBU", unknown()),
        ("~$2/credit (consumption)", unknown()),
        ("$60/event", unknown()),
    ]);
}

#[test]
fn words_without_a_price_are_unknown() {
    check(&[
        ("", unknown()),
        ("   ", unknown()),
        ("?", unknown()),
        ("unknown", unknown()),
        ("Unknown tier", unknown()),
        ("Not public", unknown()),
        ("Varies by product", unknown()),
        ("Usage-based", unknown()),
        ("Workload-based", unknown()),
        ("Dynamic pricing", unknown()),
        ("Contact Support", unknown()),
        ("Core: free to start", plan("Core", unknown())),
        ("Free (≤10 users)", unknown()),
        ("Free (7,500 MAU)", unknown()),
    ]);
}

#[test]
fn dashes_and_not_supported_say_there_is_nothing_to_price() {
    let absent = PriceReading::absent;
    check(&[
        ("—", absent()),
        ("-", absent()),
        ("N/A", absent()),
        ("n/a", absent()),
        ("none", absent()),
        ("None", absent()),
        ("not supported", absent()),
        ("Not available", absent()),
        ("— (no native SCIM)", absent()),
        ("— (on top of any Atlassian plan)", absent()),
        ("Add-on: —", plan("Add-on", absent())),
    ]);
}

#[test]
fn free_alone_or_after_a_plan_is_free() {
    check(&[
        ("Free", free()),
        ("free", free()),
        ("Essentials: Free", plan("Essentials", free())),
        ("Starter Kit: Free", plan("Starter Kit", free())),
        ("$0/u/mo", free()),
        ("$0.00 per month", free()),
    ]);
}

#[test]
fn currencies_are_read_before_or_after_the_figure() {
    check(&[
        ("£5/u/mo", paid(amount(5.0, "GBP", UserMonth))),
        ("¥1,000/u/mo", paid(amount(1000.0, "JPY", UserMonth))),
        ("4.99€/u/mo", paid(amount(4.99, "EUR", UserMonth))),
        ("4.99 € per month", paid(amount(4.99, "EUR", Month))),
        ("EUR 10/u/mo", paid(amount(10.0, "EUR", UserMonth))),
        ("10 EUR/u/mo", paid(amount(10.0, "EUR", UserMonth))),
        ("10 EUR per year", paid(amount(10.0, "EUR", Year))),
        (
            "~€7.50/seat/mo",
            paid(approx(amount(7.5, "EUR", UserMonth))),
        ),
        ("23.99", unknown()),
        ("23.99 per month", unknown()),
        ("23.99/u/mo", unknown()),
        ("XYZ 10/mo", unknown()),
        ("eur 10/mo", unknown()),
        ("10EUR/mo", paid(amount(10.0, "EUR", Month))),
        ("EUR10/mo", unknown()),
        ("C$10/mo", unknown()),
        ("12,50 €/mo", unknown()),
    ]);
}

#[test]
fn figures_group_thousands_and_scale_by_k() {
    check(&[
        ("$15K/yr", paid(usd(15_000.0, Year))),
        ("$1.5k/yr", paid(usd(1500.0, Year))),
        ("$2.01K/yr", paid(usd(2010.0, Year))),
        ("$~15/u/mo", paid(approx(usd(15.0, UserMonth)))),
        ("$1,000,000/yr", paid(usd(1_000_000.0, Year))),
        ("$1,5/mo", unknown()),
        ("$1,2345/mo", unknown()),
        ("$1234,567/mo", unknown()),
        ("$5./mo", unknown()),
        ("$.5/mo", unknown()),
        ("-$5/mo", unknown()),
        ("$-5/mo", unknown()),
        ("~~$5/mo", unknown()),
        ("$5 K/yr", unknown()),
        (&format!("${}/mo", "9".repeat(400)), unknown()),
    ]);
}

#[test]
fn units_per_user_and_flat_in_every_spelling() {
    check(&[
        ("$10 per user per month", paid(usd(10.0, UserMonth))),
        ("$10 per seat/month", paid(usd(10.0, UserMonth))),
        ("$10/users/mo", paid(usd(10.0, UserMonth))),
        ("$10/user/month", paid(usd(10.0, UserMonth))),
        ("$10/user/year", paid(usd(10.0, UserYear))),
        ("$10/u/yr", paid(usd(10.0, UserYear))),
        ("$10/User/Mo", paid(usd(10.0, UserMonth))),
        ("$10 / u / mo", paid(usd(10.0, UserMonth))),
        ("$10 per month flat", paid(usd(10.0, Month))),
        ("$10/yr flat", paid(usd(10.0, Year))),
        ("$10/year", paid(usd(10.0, Year))),
        ("$10/u/mo flat", unknown()),
        ("$10/mo/mo", unknown()),
        ("$10/u", unknown()),
        ("$10 per", unknown()),
        ("$10/", unknown()),
        ("$10 permonth", unknown()),
        ("$10 per month per year", unknown()),
        ("$10/week", unknown()),
        ("$10 monthly", unknown()),
    ]);
}

#[test]
fn minimum_seats_follow_a_price_per_user() {
    let ten = |price| paid(seats(price, 10));
    check(&[
        ("$10/u/mo (min. 10 seats)", ten(usd(10.0, UserMonth))),
        ("$10/u/mo (min 10 users)", ten(usd(10.0, UserMonth))),
        ("$10/u/mo (10-user min)", ten(usd(10.0, UserMonth))),
        ("$10/u/mo (10 user minimum)", ten(usd(10.0, UserMonth))),
        ("$10 per u/y minimum 10 seats", ten(usd(10.0, UserYear))),
        (
            "~$8/seat/mo (Min. 10 Seats)",
            ten(approx(usd(8.0, UserMonth))),
        ),
        (
            "$10/u/mo (min. 10 seats) (add-on)",
            addon(ten(usd(10.0, UserMonth))),
        ),
        (
            "$10/u/mo (add-on) (min. 10 seats)",
            addon(ten(usd(10.0, UserMonth))),
        ),
        (
            "$10/u/mo (min. 1,000 seats)",
            paid(seats(usd(10.0, UserMonth), 1000)),
        ),
        ("$100/mo (min. 10 seats)", unknown()),
        ("$10/u/mo (min. 0 seats)", unknown()),
        ("$10/u/mo (min. 10.5 seats)", unknown()),
        ("$10/u/mo (min. 10 seats) (min. 5 seats)", unknown()),
        ("$10/u/mo (min. 10 seats", unknown()),
        ("$10/u/mo (min. 10)", unknown()),
        ("$10/u/mo (min. 99999999999 seats)", unknown()),
        ("$10/u/mo (add-on) (add-on)", addon(unknown())),
    ]);
}

#[test]
fn only_a_plain_prefix_ending_in_colon_space_names_a_plan() {
    check(&[
        ("Teams:$5/mo", unknown()),
        (": $5/mo", unknown()),
        ("$5: $5/mo", unknown()),
        ("Pro (new): $5/mo", unknown()),
        ("Pro: Team: $5/mo", plan("Pro", unknown())),
        ("Pro: ", unknown()),
        ("Pro:  $5/mo", plan("Pro", paid(usd(5.0, Month)))),
    ]);
}

fn figure(text: &str, currency: Option<&str>, scheme: Option<&str>) -> PriceReading {
    read_price_figure(text, currency, scheme)
}

#[test]
fn ssotax_figures_with_a_currency_and_a_known_scheme_are_prices() {
    let (usd_code, per_user) = (Some("USD"), Some("per user/month"));
    assert_eq!(
        figure("12.50", usd_code, per_user),
        paid(usd(12.5, UserMonth))
    );
    assert_eq!(
        figure("8", Some("EUR"), per_user),
        paid(amount(8.0, "EUR", UserMonth))
    );
    assert_eq!(
        figure("8", Some("GBP"), Some("per seat/month")),
        paid(amount(8.0, "GBP", UserMonth))
    );
    assert_eq!(
        figure("1000", Some("JPY"), Some("per user/year")),
        paid(amount(1000.0, "JPY", UserYear))
    );
    assert_eq!(
        figure("1,995", usd_code, Some("per year")),
        paid(usd(1995.0, Year))
    );
    assert_eq!(
        figure("1256 ", Some("USD "), Some("per month ")),
        paid(usd(1256.0, Month))
    );
    assert_eq!(
        figure("$0.90", usd_code, per_user),
        paid(usd(0.9, UserMonth))
    );
    assert_eq!(figure("$0.90", None, per_user), paid(usd(0.9, UserMonth)));
    assert_eq!(
        figure("833.33", Some("usd"), Some("Per Month")),
        paid(usd(833.33, Month))
    );
}

#[test]
fn ssotax_figures_without_currency_or_with_another_scheme_are_unknown() {
    let usd_code = Some("USD");
    let schemes = [
        "per user",
        "per project/month",
        "per 10 users/month",
        "per 5 user/year",
        "per year unlimited users",
        "per user/month for base pricing; otherwise flat fee",
        "minimum usage",
        "unknown",
        "monthly",
        "per screen/month",
        "per month per Doc Maker",
        "",
    ];
    for scheme in schemes {
        assert_eq!(
            figure("25", usd_code, Some(scheme)),
            unknown(),
            "{scheme:?}"
        );
    }
    assert_eq!(figure("25", usd_code, None), unknown());
    assert_eq!(figure("25", None, Some("per month")), unknown());
    assert_eq!(figure("25", Some("XYZ"), Some("per month")), unknown());
    assert_eq!(figure("25", Some("dollars"), Some("per month")), unknown());
    assert_eq!(figure("$25", Some("EUR"), Some("per month")), unknown());
}

#[test]
fn ssotax_words_placeholders_and_malformed_figures() {
    let (usd_code, per_month) = (Some("USD"), Some("per month"));
    for text in [
        "unknown", "Unknown", "", "  ", "?", "???", "-5", "12.5.1", "1e3", "inf", "NaN", "12,50",
        "$", "€5", "5 USD",
    ] {
        assert_eq!(figure(text, usd_code, per_month), unknown(), "{text:?}");
    }
    for text in ["N/A", "not supported", "none", "Not Supported"] {
        assert_eq!(
            figure(text, usd_code, per_month),
            PriceReading::absent(),
            "{text:?}"
        );
    }
    for text in ["0.01", "0", "0.0", "0.00", "$0"] {
        assert_eq!(figure(text, usd_code, per_month), free(), "{text:?}");
        assert_eq!(figure(text, None, None), free(), "{text:?}");
    }
    assert_eq!(figure("0.010", usd_code, per_month), paid(usd(0.01, Month)));
}

/// What every reading must hold, whatever the text: a price is never invented from nothing.
fn sound(reading: &PriceReading) -> bool {
    let priced_sanely = match &reading.price {
        Some(Price::Amount(price)) => {
            price.amount.is_finite()
                && price.amount > 0.0
                && Currency::from_code(&price.currency).is_some()
                && (price.min_seats.is_none() || price.per.is_per_user())
                && price.min_seats != Some(0)
        }
        _ => true,
    };
    priced_sanely && !(reading.absent && reading.price.is_some())
}

fn notation_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "$", "€", "£", "¥", "EUR ", " CHF", "~", "+", "1", "0", "9", ",", ".", "K", "/", "u", "mo",
        "yr", "m", "user", " per ", "per", " ", "(", ")", "min.", "10", "seats", "-", "minimum",
        "add-on", "(add-on)", ": ", "Teams", "—", "Free", "Call Us!", "flat", "device", "é", "∞",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn any_text_is_read_without_panicking(text in any::<String>()) {
        prop_assert!(sound(&read_price_text(&text)));
        prop_assert!(sound(&read_price_figure(&text, Some("USD"), Some("per month"))));
        prop_assert!(sound(&read_price_figure(&text, None, None)));
    }

    #[test]
    fn texts_made_of_price_notation_are_read_soundly(
        pieces in prop::collection::vec(notation_piece(), 0..14)
    ) {
        let text = pieces.concat();
        prop_assert!(sound(&read_price_text(&text)), "{text:?}");
        prop_assert!(sound(&read_price_figure(&text, Some("EUR"), Some("per user/month"))));
    }
}
