//! Reading each catalogue's files into what it says of each vendor, in scimfacts' terms: one
//! [`CatalogueEntry`] per vendor, with the catalogue's own words kept beside what was read
//! from them.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

use super::price_text::{PriceReading, read_price_figure, read_price_text};
use crate::model::{CatalogueEntry, Date, StatedPlan};

/// One vendor as a catalogue lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The vendor's name in the catalogue.
    pub name: String,
    /// The vendor's website, when the catalogue gives one.
    pub website: Option<String>,
    /// What the catalogue says, ready to be written into a record.
    pub entry: CatalogueEntry,
    /// The catalogue's own SSO premium, typed by hand ("72%"), which is checked, never copied.
    pub percent: Option<String>,
}

/// A file of the catalogue that could not be read, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The file, relative to the catalogue's checkout.
    pub entry: String,
    /// Why it was skipped.
    pub why: String,
}

/// Everything read from one catalogue.
#[derive(Debug, Default)]
pub struct Read {
    /// The vendors it lists, in file order.
    pub listed: Vec<Listed>,
    /// The files that could not be used.
    pub skipped: Vec<Skipped>,
}

/// Reads the YAML entries of a catalogue folder (sso.tax's `_vendors`, ssotax.org's
/// `_vendors_bad` and `_vendors_good`) with `read_one`.
fn read_folder(
    checkout: &Path,
    folder: &str,
    read: &mut Read,
    read_one: impl Fn(&str, &Fields) -> Result<Listed, String>,
) -> Result<(), String> {
    let dir = checkout.join(folder);
    let listing = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names: Vec<String> = listing
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    names.sort();
    for name in names {
        let entry = format!("{folder}/{name}");
        let result = fs::read_to_string(dir.join(&name))
            .map_err(|e| format!("cannot be read: {e}"))
            .and_then(|text| Fields::parse(&text))
            .and_then(|fields| read_one(&entry, &fields));
        match result {
            Ok(listed) => read.listed.push(listed),
            Err(why) => read.skipped.push(Skipped { entry, why }),
        }
    }
    Ok(())
}

/// The top-level fields of a catalogue entry: each as parsed, and each scalar as written.
pub(super) struct Fields {
    parsed: BTreeMap<String, Value>,
    written: BTreeMap<String, String>,
}

impl Fields {
    /// Parses the first YAML document of `text` (some entries hold a second, stray one).
    fn parse(text: &str) -> Result<Fields, String> {
        let document = first_document(text);
        let parsed: BTreeMap<String, Value> = serde_saphyr::from_str(&document).map_err(|e| {
            let message = e.to_string();
            let first = first_line(&message);
            // serde-saphyr's advice on its own options means nothing to an editor.
            let plain = first
                .split(", set DuplicateKeyPolicy")
                .next()
                .unwrap_or(first);
            format!(
                "is not valid YAML ({}): fix it in the catalogue",
                plain.trim_start_matches("error: ")
            )
        })?;
        let mut written = BTreeMap::new();
        for line in document.lines() {
            if line.starts_with([' ', '-', '#']) {
                continue;
            }
            if let Some((key, value)) = line.split_once(':') {
                let value = value.trim();
                if parsed.contains_key(key) && !value.is_empty() && !value.starts_with(['|', '>']) {
                    written.insert(key.to_owned(), unquoted(value));
                }
            }
        }
        Ok(Fields { parsed, written })
    }

    /// A field as the catalogue wrote it: its scalar text, or a list joined with "; ".
    fn words(&self, key: &str) -> Option<String> {
        // A number as written ("12.50", not 12.5); text as parsed, which may span lines.
        if let (Some(Value::Number(_)), Some(text)) = (self.parsed.get(key), self.written.get(key))
        {
            return Some(text.clone());
        }
        match self.parsed.get(key)? {
            Value::Null => None,
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(scalar_text)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            other => scalar_text(other),
        }
    }

    fn bool(&self, key: &str) -> Option<bool> {
        self.parsed.get(key)?.as_bool()
    }

    /// The http(s) addresses a field lists (one, or a list of them).
    fn urls(&self, key: &str) -> Vec<String> {
        let values = match self.parsed.get(key) {
            Some(Value::Array(items)) => items.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        values
            .iter()
            .filter_map(|v| v.as_str())
            .map(str::trim)
            .filter(|u| crate::validate::is_http_url(u))
            .map(str::to_owned)
            .collect()
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn unquoted(value: &str) -> String {
    let value = value.split(" #").next().unwrap_or(value).trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner.to_owned();
        }
    }
    value.to_owned()
}

/// The first document of a YAML stream: entries open with `---` and a few hold a second,
/// stray document after another `---`.
fn first_document(text: &str) -> String {
    let mut lines = text.lines().peekable();
    if lines.peek().is_some_and(|l| l.trim_end() == "---") {
        lines.next();
    }
    lines
        .take_while(|l| l.trim_end() != "---")
        .collect::<Vec<_>>()
        .join("\n")
}

fn date_of(fields: &Fields) -> Result<Date, String> {
    let text = fields.words("updated_at").ok_or("has no updated_at date")?;
    parse_day(&text).ok_or_else(|| format!("updated_at \"{text}\" is not a date"))
}

fn parse_day(text: &str) -> Option<Date> {
    text.get(..10)?.parse().ok().map(Date)
}

fn name_of(fields: &Fields) -> Result<String, String> {
    fields
        .words("name")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| "has no name".to_owned())
}

/// The catalogue's words for `keys`, as written, for an editor to read.
fn words_of(fields: &Fields, keys: &[&str]) -> BTreeMap<String, String> {
    keys.iter()
        .filter_map(|k| Some(((*k).to_owned(), fields.words(k)?)))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// A plan as stated by a reading of the catalogue's words; `None` when the words say there is
/// nothing to price ("—", "N/A").
fn plan(reading: PriceReading, sso: Option<bool>, scim: Option<bool>) -> Option<StatedPlan> {
    if reading.absent {
        return None;
    }
    Some(StatedPlan {
        name: reading.plan,
        price: reading.price,
        sso,
        scim,
        addon: reading.addon,
    })
}

/// sso.tax: `_vendors/*.yaml`, a base price and an SSO price as text, both unnamed.
pub fn read_sso_tax(checkout: &Path) -> Result<Read, String> {
    let mut read = Read::default();
    read_folder(checkout, "_vendors", &mut read, read_sso_tax_entry)?;
    Ok(read)
}

fn read_sso_tax_entry(entry: &str, fields: &Fields) -> Result<Listed, String> {
    let name = name_of(fields)?;
    let text = |key| fields.words(key).unwrap_or_default();
    Ok(Listed {
        website: fields.words("vendor_url"),
        percent: fields.words("percent_increase"),
        entry: CatalogueEntry {
            entry: entry.to_owned(),
            date: date_of(fields)?,
            name: name.clone(),
            cites: fields.urls("pricing_source"),
            words: words_of(
                fields,
                &[
                    "base_pricing",
                    "sso_pricing",
                    "pricing_note",
                    "pricing_source_info",
                    "vendor_note",
                    "footnotes",
                ],
            ),
            sso: Some(true),
            scim: None,
            base_plan: plan(read_price_text(&text("base_pricing")), Some(false), None),
            sso_plan: plan(read_price_text(&text("sso_pricing")), Some(true), None),
            scim_plan: None,
        },
        name,
    })
}

/// ssotax.org: `_vendors_bad/*.yaml` (SSO costs extra: figures with a currency and a pricing
/// scheme) and `_vendors_good/*.yaml` (SSO included).
pub fn read_ssotax_org(checkout: &Path) -> Result<Read, String> {
    let mut read = Read::default();
    read_folder(checkout, "_vendors_bad", &mut read, read_ssotax_bad)?;
    read_folder(checkout, "_vendors_good", &mut read, read_ssotax_good)?;
    Ok(read)
}

fn read_ssotax_bad(entry: &str, fields: &Fields) -> Result<Listed, String> {
    let name = name_of(fields)?;
    let currency = fields.words("currency");
    let scheme = fields.words("pricing_scheme");
    let figure = |key| {
        let text = fields.words(key)?;
        Some(read_price_figure(
            &text,
            currency.as_deref(),
            scheme.as_deref(),
        ))
    };
    let scim_reading = figure("scim_pricing");
    let scim_not_supported = fields
        .words("scim_pricing")
        .is_some_and(|w| w.trim().eq_ignore_ascii_case("not supported"));
    Ok(Listed {
        website: fields.words("vendor_url"),
        percent: None,
        entry: CatalogueEntry {
            entry: entry.to_owned(),
            date: date_of(fields)?,
            name: name.clone(),
            cites: fields.urls("pricing_sources"),
            words: words_of(
                fields,
                &[
                    "base_pricing",
                    "sso_pricing",
                    "scim_pricing",
                    "currency",
                    "pricing_scheme",
                    "free_sso_providers",
                    "notes",
                ],
            ),
            sso: Some(true),
            scim: scim_not_supported.then_some(false),
            base_plan: figure("base_pricing").and_then(|r| plan(r, Some(false), None)),
            sso_plan: figure("sso_pricing").and_then(|r| plan(r, Some(true), None)),
            scim_plan: scim_reading
                .filter(|r| r.price.is_some())
                .and_then(|r| plan(r, None, Some(true))),
        },
        name,
    })
}

/// Where ssotax.org says SCIM starts: a plan's name, or one of its words for a plan it does
/// not name.
enum ScimStart {
    /// "lowest": every plan has it.
    Lowest,
    /// "highest": the top plan, unnamed.
    Highest,
    /// A plan by name.
    Named(String),
    /// "unknown", or nothing said.
    Unknown,
}

fn scim_start(fields: &Fields) -> ScimStart {
    match fields.words("scim_starting_on_plan") {
        None => ScimStart::Unknown,
        Some(w) if w.trim().is_empty() || w.eq_ignore_ascii_case("unknown") => ScimStart::Unknown,
        Some(w) if w.eq_ignore_ascii_case("lowest") => ScimStart::Lowest,
        Some(w) if w.eq_ignore_ascii_case("highest") => ScimStart::Highest,
        Some(w) => ScimStart::Named(w),
    }
}

fn read_ssotax_good(entry: &str, fields: &Fields) -> Result<Listed, String> {
    let name = name_of(fields)?;
    let start = scim_start(fields);
    let scim_price = fields
        .words("scim_pricing")
        .and_then(|text| read_price_figure(&text, fields.words("currency").as_deref(), None).price);
    let scim_plan = |name: Option<String>| StatedPlan {
        name,
        price: scim_price.clone(),
        sso: None,
        scim: Some(true),
        addon: false,
    };
    let on_all_paid = fields.bool("sso_on_all_paid_plans") == Some(true);
    let on_free = fields.bool("sso_on_free_plans") == Some(true);
    let lowest = matches!(start, ScimStart::Lowest);
    // "SSO on every paid plan": the plan the others compare with has it, at no extra cost; so
    // does SCIM when it starts on the lowest plan.
    let base_plan = (on_all_paid || on_free || lowest).then(|| StatedPlan {
        name: on_free.then(|| "Free".to_owned()),
        price: on_free.then_some(crate::model::Price::Free),
        sso: (on_all_paid || on_free).then_some(true),
        scim: lowest.then_some(true),
        addon: false,
    });
    let scim_plan = match start {
        ScimStart::Named(plan) => Some(scim_plan(Some(plan))),
        ScimStart::Highest => Some(scim_plan(None)),
        ScimStart::Lowest | ScimStart::Unknown => None,
    };
    Ok(Listed {
        website: fields.words("vendor_url"),
        percent: None,
        entry: CatalogueEntry {
            entry: entry.to_owned(),
            date: date_of(fields)?,
            name: name.clone(),
            cites: fields.urls("sources"),
            words: words_of(
                fields,
                &[
                    "sso_on_free_plans",
                    "sso_on_all_paid_plans",
                    "scim_starting_on_plan",
                    "scim_pricing",
                    "currency",
                    "free_sso_providers",
                    "notes",
                ],
            ),
            sso: Some(true),
            scim: (lowest || scim_plan.is_some()).then_some(true),
            base_plan,
            sso_plan: None,
            scim_plan,
        },
        name,
    })
}

/// scimtax.org: `data.json`, one dataset date, a status, the plan SCIM requires and two prices
/// as text.
pub fn read_scimtax_org(checkout: &Path) -> Result<Read, String> {
    let path = checkout.join("data.json");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let data: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let month = data["last_updated"].as_str().unwrap_or_default();
    // The dataset is dated by month ("2026-04"): its first day, the earliest it can mean.
    let date = parse_day(&format!("{month}-01")).ok_or_else(|| {
        format!(
            "{}: last_updated \"{month}\" is not a month (YYYY-MM)",
            path.display()
        )
    })?;
    let mut read = Read::default();
    let vendors = data["vendors"].as_array().cloned().unwrap_or_default();
    for (i, vendor) in vendors.iter().enumerate() {
        let entry = format!("data.json#vendors[{i}]");
        match read_scimtax_vendor(&entry, vendor, date) {
            Ok(listed) => read.listed.push(listed),
            Err(why) => read.skipped.push(Skipped { entry, why }),
        }
    }
    Ok(read)
}

fn read_scimtax_vendor(entry: &str, vendor: &Value, date: Date) -> Result<Listed, String> {
    let text = |key: &str| {
        vendor[key]
            .as_str()
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    let name = text("vendor");
    if name.is_empty() {
        return Err("has no vendor name".to_owned());
    }
    let status = text("status");
    let (scim, base_scim) = match status.as_str() {
        "gated" => (Some(true), Some(false)),
        "free" | "included" => (Some(true), Some(true)),
        "none" => (Some(false), Some(false)),
        _ => (None, None),
    };
    let (plan_name, plan_is_addon) = plan_required(&text("plan_required"));
    let scim_reading = read_price_text(&text("scim_price"));
    let scim_plan = (status == "gated").then(|| StatedPlan {
        name: plan_name.or(scim_reading.plan.clone()),
        price: scim_reading.price.clone(),
        sso: None,
        scim: Some(true),
        addon: plan_is_addon || scim_reading.addon,
    });
    let pricing_page = text("pricing_page_url");
    let mut words = BTreeMap::new();
    for key in ["status", "plan_required", "scim_price", "base_plan_price"] {
        let value = text(key);
        if !value.is_empty() {
            words.insert(key.to_owned(), value);
        }
    }
    Ok(Listed {
        website: crate::validate::is_http_url(&pricing_page).then(|| site_of(&pricing_page)),
        percent: None,
        entry: CatalogueEntry {
            entry: entry.to_owned(),
            date,
            name: name.clone(),
            cites: vec![pricing_page]
                .into_iter()
                .filter(|u| crate::validate::is_http_url(u))
                .collect(),
            words,
            sso: None,
            scim,
            base_plan: plan(read_price_text(&text("base_plan_price")), None, base_scim),
            sso_plan: None,
            scim_plan,
        },
        name,
    })
}

/// The plan SCIM requires as scimtax.org writes it: a name, perhaps with a remark in
/// parentheses, "(add-on)" among them. "—" and sentences such as "All plans" name no plan.
fn plan_required(text: &str) -> (Option<String>, bool) {
    let addon = text.to_lowercase().contains("add-on");
    let name = text.split(" (").next().unwrap_or("").trim();
    let general = [
        "—",
        "-",
        "",
        "All plans",
        "All paid plans",
        "Any paid plan",
        "All editions",
        "Unknown tier",
        "Add-on",
        "Free and above",
        "All cloud plans",
        "All institutional plans",
    ];
    if general.contains(&name) {
        return (None, addon);
    }
    (Some(name.to_owned()), addon)
}

/// `https://host/` of a page's address.
fn site_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    format!("https://{host}")
}

#[cfg(test)]
mod tests;
