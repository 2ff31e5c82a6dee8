//! Numbers of a record that must be written as numbers. serde-saphyr reads `"10"` as 10 for a
//! number field, so a quoted figure (often pasted text: `"10"`, `"1,200"`) would pass unseen;
//! here a number field takes only what YAML reads as a number.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// A price's `amount`: a number, never text; `-0` read as 0, so that no page shows `$-0`.
pub fn amount<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    deserializer
        .deserialize_any(PlainNumber)
        .map(|amount| amount + 0.0)
}

/// A count such as `min_seats`: a whole number, never text; `null` or absent for none.
pub fn optional_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    let Some(Number(number)) = Option::<Number>::deserialize(deserializer)? else {
        return Ok(None);
    };
    if number.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&number) {
        return Err(de::Error::custom(format!(
            "expected a whole number of 1 or more, found {number}"
        )));
    }
    Ok(Some(number as u32))
}

/// What YAML reads as a number.
struct Number(f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PlainNumber).map(Number)
    }
}

/// Accepts what YAML reads as a number; text is refused with a hint to drop the quotes.
struct PlainNumber;

impl<'de> Visitor<'de> for PlainNumber {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<f64, E> {
        Ok(number)
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<f64, E> {
        Ok(number as f64)
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<f64, E> {
        Ok(number as f64)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<f64, E> {
        // Text that reads as a number was quoted; other text ("$8", "ten", "1,200") is not
        // written in digits alone.
        let hint = if text.trim().parse::<f64>().is_ok() {
            "write the number without quotes"
        } else {
            "write the number in digits alone, such as 1200.50 (no currency sign, commas or words)"
        };
        Err(E::custom(format!(
            "expected a number, found the text \"{}\": {hint}",
            text.escape_debug()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Price {
        #[serde(deserialize_with = "amount")]
        amount: f64,
        #[serde(default, deserialize_with = "optional_count")]
        min_seats: Option<u32>,
    }

    fn read(text: &str) -> Result<Price, String> {
        serde_saphyr::from_str(text).map_err(|err| err.to_string())
    }

    #[test]
    fn numbers_are_read_and_text_is_refused() {
        let price = read("amount: 8.5\nmin_seats: 5\n").unwrap();
        assert_eq!((price.amount, price.min_seats), (8.5, Some(5)));
        assert_eq!(read("amount: 8\n").unwrap().min_seats, None);
        assert_eq!(
            read("amount: 8\nmin_seats: null\n").unwrap().min_seats,
            None
        );
        for quoted in [
            "amount: \"10\"\n",
            "amount: '10'\n",
            "amount: 8\nmin_seats: \"5\"\n",
        ] {
            let err = read(quoted).unwrap_err();
            assert!(
                err.contains("found the text \"10\"") || err.contains("\"5\""),
                "{err}"
            );
            assert!(err.contains("without quotes"), "{err}");
        }
        // Text that is no number, quoted or not, is not told to lose quotes it lacks.
        for text in [
            "amount: $8\n",
            "amount: 8\nmin_seats: ten\n",
            "amount: 1,200\n",
        ] {
            let err = read(text).unwrap_err();
            assert!(err.contains("in digits alone"), "{err}");
            assert!(!err.contains("quotes"), "{err}");
        }
        assert!(read("amount: 8\nmin_seats: 2.5\n").is_err());
        assert!(read("amount: 8\nmin_seats: -1\n").is_err());
    }

    #[test]
    fn minus_zero_is_zero() {
        let amount = read("amount: -0\n").unwrap().amount;
        assert!(amount == 0.0 && amount.is_sign_positive());
        let amount = read("amount: -0.0\n").unwrap().amount;
        assert!(amount.is_sign_positive());
    }
}
