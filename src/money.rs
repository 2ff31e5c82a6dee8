//! Formatting amounts of money for people: `~$4,500`, `€7.50`, `CHF 1,200`.

use iso_currency::Currency;

/// `amount` in `currency` (an ISO 4217 code), grouped by thousands, with the currency's minor
/// digits only when the amount is not whole, and `~` in front of an estimate.
///
/// Only USD, EUR and GBP get a symbol: `$` alone would be ambiguous between a dozen dollars,
/// so every other currency is written with its code.
///
/// ```
/// use scimfacts::money::format_money;
/// assert_eq!(format_money(4500.0, "USD", true), "~$4,500");
/// assert_eq!(format_money(7.5, "EUR", false), "€7.50");
/// assert_eq!(format_money(1200.0, "CHF", false), "CHF 1,200");
/// ```
pub fn format_money(amount: f64, currency: &str, approximate: bool) -> String {
    use std::fmt::Write;
    let digits = minor_digits(currency) as usize;
    let scale = 10f64.powi(digits as i32);
    // `+ 0.0` turns -0 into 0: a rounded tiny negative must not print as "$-0".
    let rounded = (amount * scale).round() / scale + 0.0;
    // One buffer for the digits and one for the result: a build formats every figure of every
    // vendor, so this runs hundreds of thousands of times.
    let mut number = String::with_capacity(24);
    // Whole amounts are written with the fewest digits that read back as the same number,
    // as the browser's scripts write them: past 2^53 a fixed format would print the float's
    // binary noise (51539607540000000000 as 51539607539999997952).
    let _ = if rounded.fract() == 0.0 {
        write!(number, "{rounded}")
    } else {
        write!(number, "{rounded:.digits$}")
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((&number, ""));
    let mut out = String::with_capacity(number.len() + number.len() / 3 + 6);
    if approximate {
        out.push('~');
    }
    match symbol(currency) {
        Some(symbol) => out.push_str(symbol),
        None => {
            out.push_str(currency);
            out.push(' ');
        }
    }
    push_grouped(&mut out, whole);
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// The symbol money is written with, for the few currencies where it is unambiguous.
pub fn symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        _ => None,
    }
}

/// How many digits follow the decimal point in `currency` (2 for USD, 0 for JPY).
pub fn minor_digits(currency: &str) -> u16 {
    // Nearly every price is in one of these: answer them without the table lookup, which
    // compares the code with every ISO 4217 code in turn.
    match currency {
        "USD" | "EUR" | "GBP" => 2,
        _ => Currency::from_code(currency).map_or(2, |c| c.exponent().unwrap_or(0)),
    }
}

/// A count for people: `10000` as `10,000`.
pub fn format_count(count: usize) -> String {
    let mut out = String::new();
    push_grouped(&mut out, &count.to_string());
    out
}

/// Appends `1234567` as `1,234,567` (also with a leading `-`).
fn push_grouped(out: &mut String, digits: &str) {
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", digits),
    };
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
}

/// A percentage for people: whole numbers from 10 up, one decimal below.
///
/// Halves round away from zero (12.5 → 13%), as the site's scripts round them: formatting
/// alone would round them to even.
pub fn format_percent(percent: f64) -> String {
    if percent.abs() >= 10.0 || percent.fract() == 0.0 {
        format!("{:.0}%", percent.round())
    } else {
        format!("{:.1}%", (percent * 10.0).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minus_zero_and_huge_amounts_print_as_people_read_them() {
        assert_eq!(format_money(-0.0, "USD", false), "$0");
        assert_eq!(format_money(-0.001, "USD", false), "$0");
        assert_eq!(
            format_money(4_294_967_295.0 * 1e9 * 12.0, "USD", false),
            "$51,539,607,540,000,000,000"
        );
    }

    #[test]
    fn whole_amounts_have_no_decimals_and_are_grouped() {
        assert_eq!(format_money(4500.0, "USD", true), "~$4,500");
        assert_eq!(format_money(1234567.0, "EUR", false), "€1,234,567");
        assert_eq!(format_money(90.0, "GBP", false), "£90");
        assert_eq!(format_money(0.0, "USD", false), "$0");
    }

    #[test]
    fn fractions_use_the_currency_minor_digits() {
        assert_eq!(format_money(7.5, "USD", false), "$7.50");
        assert_eq!(format_money(1234.555, "USD", false), "$1,234.56");
        assert_eq!(format_money(1234.5, "JPY", false), "JPY 1,235");
        assert_eq!(format_money(1.2345, "BHD", false), "BHD 1.235");
    }

    #[test]
    fn other_currencies_are_written_with_their_code() {
        assert_eq!(format_money(1200.0, "CHF", false), "CHF 1,200");
        assert_eq!(format_money(99.0, "AUD", true), "~AUD 99");
    }

    #[test]
    fn percentages_round_sensibly() {
        assert_eq!(format_percent(150.0), "150%");
        assert_eq!(format_percent(12.49), "12%");
        // Halves away from zero, as the browser's Math.round.
        assert_eq!(format_percent(2.25), "2.3%");
        assert_eq!(format_percent(12.5), "13%");
        assert_eq!(format_percent(0.0), "0%");
    }
}
