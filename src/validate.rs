//! The rules that relate one fact to another, checked on every parsed record.
//!
//! Parsing (in `load`) has already enforced types and rejected unknown and duplicate keys. The
//! rules here speak in field paths; `locate` turns those into a line and column, and only for
//! files that have a problem.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::field_path::item;
use crate::load::{Loaded, SourceFile, VendorEntry};
use crate::locate::FieldLocator;
use crate::model::{Date, IdpFile, Price, ScimMode, SiteConfig, Vendor};

mod repository;
mod sources;
mod text;
mod urls;
pub use sources::check_disagreements;
pub use text::MAX_NAME_CHARS;
use text::check_text;
pub use urls::{base_url_problem, is_http_url};
use urls::{check_url, check_urls};

/// What the rules need besides the record itself.
pub struct Rules<'a> {
    /// The site's identity providers, when `idps.yaml` loaded.
    pub idps: Option<&'a IdpFile>,
    /// The day of the build: no date may be later.
    pub today: Date,
    /// After how many days a record is stale.
    pub stale_after_days: u32,
}

/// A broken rule, before it is located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// How bad it is.
    pub severity: Severity,
    /// The field's path, e.g. `tiers[1].price`.
    pub field: String,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl Problem {
    fn error(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            field: field.into(),
            message: message.into(),
        }
    }

    fn warning(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(field, message)
        }
    }
}

/// The problems of `site.yaml` and `idps.yaml`, as far as they were loaded.
pub fn validate_settings(loaded: &Loaded) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if let Some((source, config)) = &loaded.config {
        diagnostics.extend(locate(source, check_site(config)));
    }
    if let Some((source, idps)) = &loaded.idps {
        diagnostics.extend(locate(source, check_idps(idps)));
    }
    diagnostics
}

/// What records are checked against: the identity providers (when `idps.yaml` loaded) and
/// when a record turns stale.
pub fn rules_of(loaded: &Loaded, today: Date) -> Rules<'_> {
    Rules::of(
        loaded.config.as_ref().map(|(_, config)| config),
        loaded.idps.as_ref().map(|(_, idps)| idps),
        today,
    )
}

impl<'a> Rules<'a> {
    /// The rules of a site with these settings (as far as they loaded), on `today`.
    pub fn of(config: Option<&SiteConfig>, idps: Option<&'a IdpFile>, today: Date) -> Rules<'a> {
        Rules {
            idps,
            today,
            stale_after_days: config.map_or(365, |config| config.stale_after_days),
        }
    }
}

/// `locate` for a record's problems, reading its file again only if there are any.
pub fn locate_in_record(entry: &VendorEntry, problems: Vec<Problem>) -> Vec<Diagnostic> {
    if problems.is_empty() {
        return Vec::new();
    }
    locate(&entry.source(), problems)
}

/// Turns problems into diagnostics with positions, indexing the file only if there are any.
pub fn locate(source: &SourceFile, problems: Vec<Problem>) -> Vec<Diagnostic> {
    if problems.is_empty() {
        return Vec::new();
    }
    let locator = FieldLocator::new(&source.text);
    problems
        .into_iter()
        .map(|problem| Diagnostic {
            severity: problem.severity,
            file: source.path.clone(),
            position: locator.position(&problem.field),
            field: (!problem.field.is_empty()).then_some(problem.field),
            message: problem.message,
        })
        .collect()
}

/// The problems of `site.yaml`.
pub fn check_site(config: &SiteConfig) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_text(config, &mut problems);
    if config.title.trim().is_empty() {
        problems.push(Problem::error(
            "title",
            "is empty: expected the site's title",
        ));
    }
    if let Some(problem) = base_url_problem(&config.base_url) {
        problems.push(Problem::error("base_url", problem));
    }
    if config.team_sizes.is_empty() {
        problems.push(Problem::error(
            "team_sizes",
            "is empty: expected at least one team size, e.g. [50, 100, 200]",
        ));
    }
    for (i, size) in config.team_sizes.iter().enumerate() {
        if *size == 0 {
            problems.push(Problem::error(
                item("team_sizes", i),
                "is 0: expected a number of users of at least 1",
            ));
        }
    }
    if config.paginate_by == 0 {
        problems.push(Problem::error(
            "paginate_by",
            "is 0: expected how many vendors a page of a list shows, at least 1 (default 100)",
        ));
    }
    if let Some(repository) = &config.repository {
        repository::check_repository(repository, &mut problems);
    }
    let mut seen = HashSet::new();
    for (i, size) in config.team_sizes.iter().enumerate() {
        if !seen.insert(size) {
            problems.push(Problem::error(
                item("team_sizes", i),
                format!("{size} is listed twice"),
            ));
        }
    }
    problems
}

/// The problems of `idps.yaml`.
pub fn check_idps(idps: &IdpFile) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_text(idps, &mut problems);
    if idps.is_empty() {
        problems.push(Problem::error(
            "",
            "no identity providers: expected `id: {name: ..., website: ...}` entries",
        ));
    }
    for (id, idp) in idps.iter() {
        if !crate::load::is_valid_slug(id) {
            problems.push(Problem::error(
                id,
                format!("\"{id}\" is not a valid id: use only a-z, 0-9 and '-'"),
            ));
        }
        if idp.name.trim().is_empty() {
            problems.push(Problem::error(format!("{id}.name"), "is empty"));
        }
        if let Some(website) = &idp.website {
            check_url(&mut problems, &format!("{id}.website"), website);
        }
    }
    problems
}

/// Every problem of one record, against `rules`.
pub fn check_vendor(entry: &VendorEntry, rules: &Rules) -> Vec<Problem> {
    let vendor = &entry.record;
    let mut problems = Vec::new();
    if vendor.name.trim().is_empty() {
        problems.push(Problem::error(
            "name",
            "is empty: expected the vendor's name",
        ));
    }
    check_text(vendor, &mut problems);
    check_urls(vendor, &mut problems);
    check_dates(vendor, rules, &mut problems);
    check_tiers(vendor, &mut problems);
    check_one_currency(vendor, &mut problems);
    check_scim(vendor, &mut problems);
    check_sso(vendor, &mut problems);
    check_idp_ids(vendor, rules.idps, &mut problems);
    sources::check_addons(vendor, &mut problems);
    sources::check_citations(vendor, &mut problems);
    sources::check_catalogues(vendor, rules, &mut problems);
    problems
}

/// Prices outside these bounds are typing mistakes (`1e9` for `1e3`, a misplaced point), and at
/// their extremes the costs computed from them (times seats, times twelve months, divided by
/// another price for the premium) would overflow to infinity.
pub const MAX_AMOUNT: f64 = 1_000_000_000.0;
/// The smallest price above zero a record may give: anything smaller is a placeholder (such
/// as 0.01 for "free"), not a price.
pub const MIN_NONZERO_AMOUNT: f64 = 0.01;

/// The largest seat minimum taken as real: the largest in the catalogues is in the hundreds.
/// With the largest amount, it keeps every yearly figure within what a float holds exactly.
pub const MAX_MIN_SEATS: u32 = 100_000;

/// An amount as written in a message: in full, unless that would be dozens of digits.
fn show_amount(amount: f64) -> String {
    if (1e-4..1e12).contains(&amount) {
        amount.to_string()
    } else {
        format!("{amount:e}")
    }
}

fn check_dates(vendor: &Vendor, rules: &Rules, problems: &mut Vec<Problem>) {
    let mut check_not_future = |field: String, date: Date| {
        if date > rules.today {
            problems.push(Problem::error(
                field,
                format!(
                    "{date} is in the future (today is {}): expected the day the facts were checked",
                    rules.today
                ),
            ));
        }
    };
    if let Some(verified) = vendor.verified {
        check_not_future("verified".to_owned(), verified);
    }
    for (i, source) in vendor.sources.iter().enumerate() {
        if let Some(checked) = source.checked {
            check_not_future(format!("{}.checked", item("sources", i)), checked);
        }
    }
    if let Some(verified) = vendor.verified {
        let age = verified.days_until(rules.today);
        if age > i64::from(rules.stale_after_days) {
            problems.push(Problem::warning(
                "verified",
                format!(
                    "last verified {age} days ago ({verified}), more than stale_after_days \
                     ({}): check the facts again",
                    rules.stale_after_days
                ),
            ));
        }
        if vendor.sources.is_empty() {
            problems.push(Problem::error(
                "verified",
                "a verified record must list its sources: add `sources: [{title, url, checked}]`",
            ));
        }
    }
}

fn check_tiers(vendor: &Vendor, problems: &mut Vec<Problem>) {
    let mut names: Vec<&str> = Vec::new();
    for (i, tier) in vendor.tiers.iter().enumerate() {
        let field = item("tiers", i);
        if tier.name.trim().is_empty() {
            problems.push(Problem::error(format!("{field}.name"), "is empty"));
        } else if names.iter().any(|n| n.eq_ignore_ascii_case(&tier.name)) {
            problems.push(Problem::error(
                format!("{field}.name"),
                format!("duplicate tier name \"{}\"", tier.name),
            ));
        }
        names.push(&tier.name);
        check_price(&format!("{field}.price"), tier.price.as_ref(), problems);
        if tier.scim == Some(true) && sources::scim_available(vendor) != Some(true) {
            problems.push(Problem::error(
                format!("{field}.scim"),
                format!(
                    "tier \"{}\" includes SCIM, so scim.available must be true (it is {})",
                    tier.name,
                    shown_bool(sources::scim_available(vendor))
                ),
            ));
        }
        if tier.sso == Some(true) && vendor.sso.available == Some(false) {
            problems.push(Problem::error(
                format!("{field}.sso"),
                format!(
                    "tier \"{}\" includes SSO, but sso.available is false",
                    tier.name
                ),
            ));
        }
    }
}

/// A price's amount, currency and seats, at `field`.
pub(crate) fn check_price(field: &str, price: Option<&Price>, problems: &mut Vec<Problem>) {
    let Some(Price::Amount(price)) = price else {
        return;
    };
    if !price.amount.is_finite() || price.amount < 0.0 {
        problems.push(Problem::error(
            format!("{field}.amount"),
            format!(
                "{} is not a valid amount: expected a number of 0 or more",
                price.amount
            ),
        ));
    } else if price.amount > MAX_AMOUNT || (price.amount > 0.0 && price.amount < MIN_NONZERO_AMOUNT)
    {
        problems.push(Problem::error(
            format!("{field}.amount"),
            format!(
                "{} is not a plausible price: expected 0, or from {MIN_NONZERO_AMOUNT} \
                 to {MAX_AMOUNT}",
                show_amount(price.amount)
            ),
        ));
    }
    if iso_currency::Currency::from_code(&price.currency).is_none() {
        problems.push(Problem::error(
            format!("{field}.currency"),
            format!(
                "\"{}\" is not an ISO 4217 currency code: expected e.g. USD, EUR, GBP",
                price.currency
            ),
        ));
    }
    match price.min_seats {
        Some(0) => problems.push(Problem::error(
            format!("{field}.min_seats"),
            "is 0: expected at least 1, or leave it out",
        )),
        Some(seats) if seats > MAX_MIN_SEATS => problems.push(Problem::error(
            format!("{field}.min_seats"),
            format!(
                "{seats} is not a plausible seat minimum: expected 1 to {MAX_MIN_SEATS}, or \
                 leave it out"
            ),
        )),
        _ => {}
    }
}

/// Figures compare tiers with each other, which only makes sense in one currency.
fn check_one_currency(vendor: &Vendor, problems: &mut Vec<Problem>) {
    let tiers = vendor
        .tiers
        .iter()
        .enumerate()
        .map(|(i, t)| (item("tiers", i), &t.price));
    let addons = vendor
        .addons
        .iter()
        .enumerate()
        .map(|(i, a)| (item("addons", i), &a.price));
    let mut first: Option<&str> = None;
    for (field, price) in tiers.chain(addons) {
        let Some(Price::Amount(price)) = price else {
            continue;
        };
        match first {
            None => first = Some(&price.currency),
            Some(currency) if currency != price.currency => problems.push(Problem::error(
                format!("{field}.price.currency"),
                format!(
                    "\"{}\" differs from the record's other prices ({currency}): \
                     give every tier and add-on in one currency",
                    price.currency
                ),
            )),
            Some(_) => {}
        }
    }
}

fn check_scim(vendor: &Vendor, problems: &mut Vec<Problem>) {
    let scim = &vendor.scim;
    let names_addon = |name: &String| vendor.addons.iter().any(|a| &a.name == name);
    if let Some(tier_name) = scim.tier.as_ref().filter(|name| !names_addon(name)) {
        match vendor.tiers.iter().find(|t| &t.name == tier_name) {
            None => {
                let names: Vec<&str> = vendor.tiers.iter().map(|t| t.name.as_str()).collect();
                let listed = if names.is_empty() {
                    "this record lists no tiers".to_owned()
                } else {
                    format!("tiers: {}", names.join(", "))
                };
                problems.push(Problem::error(
                    "scim.tier",
                    format!("\"{tier_name}\" is not a tier of this vendor ({listed})"),
                ));
            }
            Some(tier) if tier.scim == Some(false) => {
                problems.push(Problem::error(
                    "scim.tier",
                    format!("\"{tier_name}\" is the SCIM tier, but that tier says `scim: false`"),
                ));
            }
            Some(_) => {}
        }
    }
    if let Some(tier_name) = &scim.tier
        && scim.available == Some(false)
    {
        problems.push(Problem::error(
            "scim.tier",
            format!(
                "scim.available is false, so no tier can be the SCIM tier (found \"{tier_name}\")"
            ),
        ));
    }
    if scim.available == Some(false) {
        for (id, support) in &vendor.idps {
            if support.scim == Some(ScimMode::Full) {
                problems.push(Problem::error(
                    format!("idps.{id}.scim"),
                    "is `full`, but scim.available is false: expected jit or none",
                ));
            }
        }
    }
}

fn check_sso(vendor: &Vendor, problems: &mut Vec<Problem>) {
    if vendor.sso.required_for_scim == Some(true) && vendor.sso.available != Some(true) {
        problems.push(Problem::error(
            "sso.required_for_scim",
            format!(
                "is true, so sso.available must be true (it is {})",
                shown_bool(vendor.sso.available)
            ),
        ));
    }
}

fn check_idp_ids(vendor: &Vendor, idps: Option<&IdpFile>, problems: &mut Vec<Problem>) {
    let Some(idps) = idps else { return };
    for id in vendor.idps.keys() {
        if !idps.contains_key(id) {
            let known: Vec<&str> = idps.keys().collect();
            problems.push(Problem::error(
                format!("idps.{id}"),
                format!(
                    "\"{id}\" is not an identity provider of data/idps.yaml (known: {})",
                    known.join(", ")
                ),
            ));
        }
    }
}

fn shown_bool(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "true",
        Some(false) => "false",
        None => "unknown",
    }
}

#[cfg(test)]
mod tests;
