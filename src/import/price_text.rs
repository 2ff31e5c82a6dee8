//! Reading the prices public SSO/SCIM catalogues write as text into typed [`Price`]s.
//!
//! A price is taken only where the catalogue's words say it unambiguously; otherwise it is
//! `custom` (talk to sales) or unknown (`None`), never a guess, because a wrong figure on a
//! fact page is worse than "Unknown". The reader is strict: it accepts whole known shapes and
//! refuses any text with words left over, since those words ("+", "(~100 users)", "minimum")
//! nearly always change what the figure means.
//!
//! # Free text: [`read_price_text`] (sso.tax, scimtax.org)
//!
//! - The text is trimmed. `Plan: rest` names the plan (`Teams: $19.95/mo flat`); only a prefix
//!   ending in `": "` counts, and it may not hold a currency symbol, `~`, `:` or parentheses, so
//!   that a colon inside a remark is not taken for one. `rest` is read by the rules below, and
//!   the plan is reported even when the price is unknown.
//! - Nothing to price (`absent`): `—`, `-`, `N/A`, `none`, `not supported`, `not available`,
//!   and `—` followed by a parenthetical remark (`— (no native SCIM)`).
//! - `custom`: `Call us`, `Call Us!`, `Contact sales`, `Contact us` (any case), also followed
//!   by a parenthetical (`Call Us! ($79.90/month+)`): the hint in parentheses is not a price.
//! - `free`: `Free` alone. `Free (≤10 users)` is free only under a condition, so unknown.
//! - A price is `[~][+] money unit [qualifiers]`:
//!   - a leading `~` (or one just after the currency symbol, `$~15`) marks an estimate, and a
//!     leading `+` an add-on (`+$4/u/mo`, `~+$6/u/mo`);
//!   - money: `$` (USD), `€` (EUR), `£` (GBP) or `¥` (JPY) before or after the figure
//!     (`4.99€`), or an ISO 4217 code before or after it (`EUR 10`, `10 EUR`). The figure may
//!     group thousands with commas (`9,999`), have decimals and end in `K` for thousands
//!     (`$15K`). A figure without a currency is unknown;
//!   - unit: per user, `per u/m`, `per u/y`, `/u/mo`, `/user/month`, `per user per month`,
//!     `/seat/mo`, `/member/mo`, `/users/mo`, `/user/year`… (→ user/month, user/year), or flat,
//!     `per month`, `per mo`, `/mo`, `/yr`, `/year`, optionally followed by `flat` (→ month,
//!     year). Months are written `m`, `mo` or `month`, years `y`, `yr` or `year`, users `u`,
//!     `user(s)`, `seat(s)` or `member(s)`. Every other unit (device, computer, host,
//!     host-month, location, screen, project, repository, app, agent, editor, tech, contributor,
//!     provider, emp, unit, DBU, connection, resource, events, site, server, student, person…)
//!     is unknown: no cost by team size can be computed from it. So is a figure without a unit
//!     (`$23.99`);
//!   - qualifiers, each at most once: a minimum number of seats, after a per-user unit only
//!     (`(min. 10 seats)`, `(min 10 users)`, `(10-user min)`, `(10 user minimum)`,
//!     `minimum 10 seats`), and `(add-on)` or `add-on`;
//!   - a figure of 0 is `free`.
//! - Anything else is unknown: empty, `?`, `???`, `unknown`, `Not public`, `Usage-based`,
//!   ranges (`$0.60 - $7.20 per host-month`), `$400+ per month`, `$2,500/mo (~100 users)`,
//!   `$575/mo + $12/user`, `$15,000/yr minimum`, `$49 per month for 1 test`, negative figures.
//!
//! # Bare figures: [`read_price_figure`] (ssotax.org)
//!
//! - `unknown`, `?`, `???` and empty are unknown; `N/A`, `not supported`, `none` (and the other
//!   words that mean nothing to price above) are `absent`.
//! - `0.01` and any figure of 0 are `free` (see [`read_price_figure`] for why `0.01`).
//! - Otherwise the figure is a plain number (thousands commas and a leading `$` allowed) and
//!   needs a currency, from the entry's `currency` (an ISO 4217 code) or the figure's `$`, and
//!   one of the schemes `per user/month`, `per seat/month`, `per user/year`, `per month`,
//!   `per year`. Any other scheme (`per user`, `per 10 users/month`, `per year unlimited
//!   users`, `minimum usage`…) or a missing one leaves the price unknown, as does a `$` figure
//!   whose entry names another currency.

use iso_currency::Currency;

use crate::model::{Per, Price, PriceAmount};

/// What a catalogue's words say about one price.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceReading {
    /// The plan the words name ("Teams" in "Teams: $19.95/mo flat").
    pub plan: Option<String>,
    /// The price, when the words say it unambiguously; `None` when they do not (unknown).
    pub price: Option<Price>,
    /// The words say it is sold as an add-on on top of a plan ("+$4/u/mo", "$4/u/mo (add-on)").
    pub addon: bool,
    /// The words say there is nothing to price: "—", "-", "N/A", "none", "not supported",
    /// "not available".
    pub absent: bool,
}

impl PriceReading {
    fn of(price: Option<Price>) -> Self {
        PriceReading {
            plan: None,
            price,
            addon: false,
            absent: false,
        }
    }

    fn absent() -> Self {
        PriceReading {
            absent: true,
            ..PriceReading::of(None)
        }
    }
}

/// In lower case: catalogues capitalise these at will ("N/A", "Not supported").
const ABSENT_WORDS: [&str; 6] = ["—", "-", "n/a", "none", "not supported", "not available"];

/// In lower case and without the `!` sso.tax writes after "Call Us".
const CUSTOM_WORDS: [&str; 6] = [
    "call us",
    "contact sales",
    "contact us",
    "custom",
    "per quote",
    "quote",
];

/// Reads free-text prices as sso.tax and scimtax.org write them.
pub fn read_price_text(text: &str) -> PriceReading {
    let (plan, rest) = split_plan(text.trim());
    PriceReading {
        plan,
        ..read_unnamed(rest)
    }
}

/// Reads ssotax.org's prices: a bare figure (written in YAML as a number or a string, passed
/// here as its text, e.g. "12.50", "0.01", "unknown", "N/A", "not supported"), with the entry's
/// `currency` (e.g. "USD", "EUR", "GBP", "JPY"; None when missing) and `pricing_scheme` (e.g.
/// "per user/month"; None when missing).
///
/// `0.01` is `free`: ssotax.org has no way to write "free" in a numeric field, and its entries
/// with a free or open-source base plan (Airbyte, Graylog, MinIO…) write `0.01` instead, which
/// is why its percentage column shows increases of millions of percent for them. No vendor
/// there sells anything for one cent.
pub fn read_price_figure(
    figure: &str,
    currency: Option<&str>,
    scheme: Option<&str>,
) -> PriceReading {
    let figure = figure.trim();
    if ABSENT_WORDS.contains(&figure.to_lowercase().as_str()) {
        return PriceReading::absent();
    }
    let mut text = Cursor::new(figure);
    let dollar = text.eat("$");
    let Some(number) = text.number() else {
        return PriceReading::of(None);
    };
    let Some(amount) = number.parse::<f64>().ok().filter(|n| n.is_finite()) else {
        return PriceReading::of(None);
    };
    if !text.is_empty() {
        return PriceReading::of(None);
    }
    if number == "0.01" || amount == 0.0 {
        return PriceReading::of(Some(Price::Free));
    }
    let currency = match (dollar, currency.and_then(iso_code)) {
        (true, None) => "USD".to_owned(),
        (true, Some(code)) if code != "USD" => return PriceReading::of(None),
        (_, Some(code)) => code,
        (false, None) => return PriceReading::of(None),
    };
    let Some(per) = scheme.and_then(scheme_per) else {
        return PriceReading::of(None);
    };
    PriceReading::of(Some(Price::Amount(PriceAmount {
        amount,
        currency,
        per,
        approximate: false,
        min_seats: None,
    })))
}

/// The entry's currency as a valid ISO 4217 code; ssotax.org sometimes leaves a trailing space.
fn iso_code(currency: &str) -> Option<String> {
    let code = currency.trim().to_ascii_uppercase();
    Currency::from_code(&code).map(|_| code)
}

fn scheme_per(scheme: &str) -> Option<Per> {
    let scheme = scheme.split_whitespace().collect::<Vec<_>>().join(" ");
    match scheme.to_lowercase().as_str() {
        "per user/month" | "per seat/month" => Some(Per::UserMonth),
        "per user/year" => Some(Per::UserYear),
        "per month" => Some(Per::Month),
        "per year" => Some(Per::Year),
        _ => None,
    }
}

fn split_plan(text: &str) -> (Option<String>, &str) {
    match text.split_once(": ") {
        Some((plan, rest)) if is_plan_name(plan.trim()) => {
            (Some(plan.trim().to_owned()), rest.trim())
        }
        _ => (None, text),
    }
}

/// Refuses prefixes that are prices or remarks, so that "Contact Sales (note: …)" is not
/// read as a plan named "Contact Sales (note".
fn is_plan_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| symbol_currency(c).is_some() || matches!(c, '(' | ')' | '~' | ':'))
}

/// Reads what follows the plan name, if any.
fn read_unnamed(text: &str) -> PriceReading {
    let lower = text.to_lowercase();
    if ABSENT_WORDS.contains(&lower.as_str()) || before_remark(text) == Some("—") {
        return PriceReading::absent();
    }
    let head = before_remark(text).unwrap_or(text);
    let head = head.strip_suffix('!').unwrap_or(head).to_lowercase();
    if CUSTOM_WORDS.contains(&head.as_str()) {
        return PriceReading::of(Some(Price::Custom));
    }
    if lower == "free" {
        return PriceReading::of(Some(Price::Free));
    }
    read_amount(text)
}

/// The text before a parenthetical remark that ends it, when it ends in one.
fn before_remark(text: &str) -> Option<&str> {
    let inner = text.strip_suffix(')')?;
    let mut depth = 0usize;
    for (at, c) in inner.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some(text[..at].trim_end()),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The `~` and `+` written around a figure, which the price's own words may add to.
#[derive(Default)]
struct Marks {
    approximate: bool,
    addon: bool,
}

fn read_amount(text: &str) -> PriceReading {
    let mut text = Cursor::new(text);
    let mut marks = Marks::default();
    loop {
        if !marks.approximate && text.eat("~") {
            marks.approximate = true;
        } else if !marks.addon && text.eat("+") {
            marks.addon = true;
        } else {
            break;
        }
    }
    let price = read_priced(&mut text, &mut marks);
    PriceReading {
        addon: marks.addon,
        ..PriceReading::of(price)
    }
}

fn read_priced(text: &mut Cursor, marks: &mut Marks) -> Option<Price> {
    let (amount, currency) = read_money(text, &mut marks.approximate)?;
    let per = read_unit(text)?;
    let (mut min_seats, mut addon_said) = (None, false);
    loop {
        text.skip_ws();
        if text.is_empty() {
            break;
        }
        if !addon_said && text.attempt(read_addon).is_some() {
            addon_said = true;
            marks.addon = true;
        } else if min_seats.is_none() && per.is_per_user() {
            min_seats = Some(text.attempt(read_min_seats)?);
        } else {
            return None;
        }
    }
    if amount == 0.0 {
        return Some(Price::Free);
    }
    Some(Price::Amount(PriceAmount {
        amount,
        currency,
        per,
        approximate: marks.approximate,
        min_seats,
    }))
}

/// The figure and its currency's code, in any of the orders catalogues write them.
fn read_money(text: &mut Cursor, approximate: &mut bool) -> Option<(f64, String)> {
    let code_first = text.attempt(|t| {
        let code = t.symbol().or_else(|| t.code_then_space())?;
        if !*approximate && t.eat("~") {
            *approximate = true;
        }
        Some(code)
    });
    if let Some(code) = code_first {
        return Some((text.figure()?, code));
    }
    let amount = text.figure()?;
    let code = text.attempt(|t| {
        t.skip_ws();
        t.symbol().or_else(|| t.code())
    })?;
    Some((amount, code))
}

fn read_unit(text: &mut Cursor) -> Option<Per> {
    text.skip_ws();
    if !(text.eat("/") || text.eat_word("per")) {
        return None;
    }
    let mut words = vec![text.unit_word()?];
    while let Some(word) = text.attempt(|t| {
        t.unit_separator()?;
        t.unit_word()
    }) {
        words.push(word);
    }
    let per = match words.as_slice() {
        [period] => match period_of(period)? {
            Period::Month => Per::Month,
            Period::Year => Per::Year,
        },
        [who, period] if USER_WORDS.contains(&who.as_str()) => match period_of(period)? {
            Period::Month => Per::UserMonth,
            Period::Year => Per::UserYear,
        },
        _ => return None,
    };
    if !per.is_per_user() {
        text.attempt(|t| {
            t.skip_ws();
            t.eat_word("flat").then_some(())
        });
    }
    Some(per)
}

/// The units that count the people who use a tool. Not "person" or "emp": those count the
/// people a tool manages (employees on a payroll, people on a schedule), whoever logs in.
const USER_WORDS: [&str; 7] = ["u", "user", "users", "seat", "seats", "member", "members"];

enum Period {
    Month,
    Year,
}

fn period_of(word: &str) -> Option<Period> {
    match word {
        "m" | "mo" | "month" => Some(Period::Month),
        "y" | "yr" | "year" => Some(Period::Year),
        _ => None,
    }
}

/// `(add-on)` or `add-on`.
fn read_addon(text: &mut Cursor) -> Option<()> {
    let open = text.eat("(");
    text.eat_word("add-on").then_some(())?;
    (!open || text.eat(")")).then_some(())
}

/// A minimum number of seats, in parentheses or not.
fn read_min_seats(text: &mut Cursor) -> Option<u32> {
    let open = text.eat("(");
    text.skip_ws();
    let seats = text
        .attempt(|t| {
            t.min_word()?;
            t.skip_ws();
            let seats = t.count()?;
            t.space()?;
            t.seat_word()?;
            Some(seats)
        })
        .or_else(|| {
            text.attempt(|t| {
                let seats = t.count()?;
                t.eat("-").then_some(()).or_else(|| t.space())?;
                t.seat_word()?;
                t.eat("-").then_some(()).or_else(|| t.space())?;
                t.min_word()?;
                Some(seats)
            })
        })?;
    text.skip_ws();
    (!open || text.eat(")")).then_some(seats)
}

fn symbol_currency(symbol: char) -> Option<&'static str> {
    match symbol {
        '$' => Some("USD"),
        '€' => Some("EUR"),
        '£' => Some("GBP"),
        '¥' => Some("JPY"),
        _ => None,
    }
}

/// The text not read yet. Every method that reads either reads what it names and moves on,
/// or leaves the cursor where it was (see [`Cursor::attempt`]), so that alternatives can be
/// tried one after another.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor { rest: text }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Runs `read`, and puts the cursor back where it was when `read` finds nothing.
    fn attempt<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = *self;
        let found = read(self);
        if found.is_none() {
            *self = start;
        }
        found
    }

    fn skip_ws(&mut self) {
        self.rest = self.rest.trim_start();
    }

    /// At least one space.
    fn space(&mut self) -> Option<()> {
        let before = self.rest.len();
        self.skip_ws();
        (self.rest.len() < before).then_some(())
    }

    /// `prefix`, in any ASCII case.
    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.get(..prefix.len()) {
            Some(head) if head.eq_ignore_ascii_case(prefix) => {
                self.rest = &self.rest[prefix.len()..];
                true
            }
            _ => false,
        }
    }

    /// `word`, in any ASCII case, not followed by a letter or digit.
    fn eat_word(&mut self, word: &str) -> bool {
        self.attempt(|t| {
            let ends = t.eat(word) && !t.rest.starts_with(char::is_alphanumeric);
            ends.then_some(())
        })
        .is_some()
    }

    fn symbol(&mut self) -> Option<String> {
        let mut chars = self.rest.chars();
        let code = symbol_currency(chars.next()?)?;
        self.rest = chars.as_str();
        Some(code.to_owned())
    }

    /// An ISO 4217 code, written in capitals as a word of its own.
    fn code(&mut self) -> Option<String> {
        let code = self.rest.get(..3)?;
        let tail = &self.rest[3..];
        if !code.bytes().all(|b| b.is_ascii_uppercase()) || tail.starts_with(char::is_alphanumeric)
        {
            return None;
        }
        Currency::from_code(code)?;
        self.rest = tail;
        Some(code.to_owned())
    }

    /// A code before the figure, with a space between: "CHF 24.90".
    fn code_then_space(&mut self) -> Option<String> {
        let code = self.code()?;
        self.space()?;
        Some(code)
    }

    /// Digits with optional thousands commas and decimals, as Rust parses them ("2166.67").
    /// A comma not followed by exactly three digits ends the number, so that a decimal comma
    /// ("12,50") is left over and refused rather than read as twelve hundred.
    fn number(&mut self) -> Option<String> {
        fn digits(text: &str) -> usize {
            text.bytes().take_while(u8::is_ascii_digit).count()
        }
        let text = self.rest;
        let mut end = digits(text);
        if end == 0 {
            return None;
        }
        let mut number = text[..end].to_owned();
        if end <= 3 {
            while text[end..].starts_with(',') && digits(&text[end + 1..]) == 3 {
                number.push_str(&text[end + 1..end + 4]);
                end += 4;
            }
        }
        if text[end..].starts_with('.') {
            let decimals = digits(&text[end + 1..]);
            if decimals > 0 {
                number.push_str(&text[end..end + 1 + decimals]);
                end += 1 + decimals;
            }
        }
        self.rest = &text[end..];
        Some(number)
    }

    /// A number, possibly in thousands ("15K"): finite and never negative, as no sign is read.
    fn figure(&mut self) -> Option<f64> {
        self.attempt(|t| {
            let mut number = t.number()?;
            if t.eat_word("k") {
                // Parsed as an exponent so that "2.01K" is exactly 2010; 2.01 * 1000.0 is not.
                number.push_str("e3");
            }
            number.parse::<f64>().ok().filter(|n| n.is_finite())
        })
    }

    /// A whole number of seats, at least 1.
    fn count(&mut self) -> Option<u32> {
        self.attempt(|t| {
            let number = t.number()?;
            number.parse::<u32>().ok().filter(|&n| n > 0)
        })
    }

    /// One word of a unit, in lower case: "u", "month", "host-month".
    fn unit_word(&mut self) -> Option<String> {
        self.skip_ws();
        let end = self
            .rest
            .find(|c: char| !(c.is_alphabetic() || c == '-'))
            .unwrap_or(self.rest.len());
        if end == 0 {
            return None;
        }
        let word = self.rest[..end].to_lowercase();
        self.rest = &self.rest[end..];
        Some(word)
    }

    /// "/" or " per " between the words of a unit.
    fn unit_separator(&mut self) -> Option<()> {
        self.skip_ws();
        if self.eat("/") {
            return Some(());
        }
        (self.eat_word("per") && self.space().is_some()).then_some(())
    }

    fn min_word(&mut self) -> Option<()> {
        (self.eat_word("minimum") || self.eat("min.") || self.eat_word("min")).then_some(())
    }

    fn seat_word(&mut self) -> Option<()> {
        ["seats", "seat", "users", "user"]
            .iter()
            .any(|word| self.eat_word(word))
            .then_some(())
    }
}

#[cfg(test)]
mod tests;
