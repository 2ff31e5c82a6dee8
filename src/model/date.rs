//! Calendar dates of records (`verified`, `checked`) and the day a build is for.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    /// Today in UTC, or the day of `SOURCE_DATE_EPOCH` when it is set, so that a build can be
    /// reproduced byte for byte (stale badges depend on the day). A value that is not valid
    /// counts as unset here: the command line refuses it first (`source_date_epoch`).
    pub fn today() -> Date {
        let now = Date::source_date_epoch()
            .ok()
            .flatten()
            .unwrap_or_else(jiff::Timestamp::now);
        Date(jiff::tz::TimeZone::UTC.to_datetime(now).date())
    }

    /// The moment `SOURCE_DATE_EPOCH` names, `None` when it is unset or empty, or why it is
    /// not valid. The reproducible-builds convention is a whole number of seconds since
    /// 1970 (as `date +%s` prints); anything else would silently give a build of another
    /// day, which is the one thing the variable is set to prevent.
    pub fn source_date_epoch() -> Result<Option<jiff::Timestamp>, String> {
        let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
            return Ok(None);
        };
        if value.is_empty() {
            return Ok(None);
        }
        let shown = value.to_string_lossy();
        let invalid = |why: &str| {
            format!(
                "SOURCE_DATE_EPOCH={:?} is {why}: it must be a whole number of seconds since \
                 1970-01-01, as `date +%s` prints (unset it to build for today)",
                shown.as_ref()
            )
        };
        if shown.starts_with('-') && shown.len() > 1 {
            return Err(invalid("before 1970"));
        }
        if !shown.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("not a whole number"));
        }
        let seconds: i64 = shown.parse().map_err(|_| invalid("too large"))?;
        jiff::Timestamp::from_second(seconds)
            .map(Some)
            .map_err(|_| invalid("beyond the year 9999"))
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later
            .0
            .since(self.0)
            .map(|span| i64::from(span.get_days()))
            .unwrap_or(0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date written YYYY-MM-DD"
        })
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_date(&text).map(Date).ok_or_else(|| {
            de::Error::invalid_value(de::Unexpected::Str(&text), &"a date written YYYY-MM-DD")
        })
    }
}

pub(super) fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return None;
    }
    text.parse().ok()
}
