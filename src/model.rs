//! The shape of the input files: `data/site.yaml`, `data/idps.yaml` and one
//! `data/vendors/<slug>.yaml` per vendor.
//!
//! These types only describe what may be written; every rule that relates one field to
//! another lives in `validate`. A fact that is not known is `None` (left out or `null`), so
//! that pages can say "Unknown" instead of guessing. Unknown keys are rejected everywhere so
//! that a typo cannot silently drop a fact.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

mod catalogue;
mod date;
mod numbers;
mod repository;
pub use catalogue::{Addon, CATALOGUES, Catalogue, CatalogueEntry, StatedPlan, catalogue};
pub use date::Date;
#[cfg(test)]
use date::parse_date;
pub use repository::{LINK_PLACEHOLDERS, LinkKind, LinkPart, RepositorySettings, parse_link};

/// `data/site.yaml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, in every page's title.
    pub title: String,
    /// Where the site is published (http or https), for canonical URLs, the sitemap and the feed.
    pub base_url: String,
    /// One sentence on what the site is, for meta descriptions.
    #[serde(default)]
    pub description: Option<String>,
    /// The team sizes costs are computed for.
    #[serde(default = "default_team_sizes")]
    pub team_sizes: Vec<u32>,
    /// After how many days a record's `verified` date is stale.
    #[serde(default = "default_stale_after_days")]
    pub stale_after_days: u32,
    /// The licence the site's data is published under, carried by its JSON and CSV.
    #[serde(default)]
    pub data_licence: Option<DataLicence>,
    /// How many vendors a page of a long list shows (the index, each identity provider's
    /// page, the SCIM tax ranking, each category): the rest are on `page/2/`, `page/3/`...
    #[serde(default = "default_paginate_by")]
    pub paginate_by: u32,
    /// Where the records are kept: vendor pages then link to each record's file in the
    /// repository's web editor and to a new issue about the vendor.
    #[serde(default)]
    pub repository: Option<RepositorySettings>,
    /// Show each vendor's price history, read from the git repository that holds the site:
    /// a "Price history" section on vendor pages, `/changes/`, entries in the feed and
    /// `history` in the JSON. Off unless set (`build --history` turns it on for one build).
    #[serde(default)]
    pub history: bool,
}

/// The licence of a site's data: its name (an SPDX id where there is one) and where to read it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataLicence {
    /// `CC-BY-4.0`.
    pub name: String,
    /// Where the licence can be read.
    pub url: String,
}

fn default_team_sizes() -> Vec<u32> {
    vec![50, 100, 200]
}

fn default_stale_after_days() -> u32 {
    365
}

fn default_paginate_by() -> u32 {
    100
}

/// One identity provider of `data/idps.yaml` (the file maps id → provider).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdpDef {
    /// The provider's name as pages show it.
    pub name: String,
    /// Its website (http or https).
    #[serde(default)]
    pub website: Option<String>,
}

/// `data/idps.yaml`: provider id → provider. Kept in file order, which is the order of columns
/// and sections on every page.
pub type IdpFile = indexmap_like::OrderedMap<IdpDef>;

/// One vendor record, `data/vendors/<slug>.yaml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// The vendor's or product's name as buyers know it.
    pub name: String,
    /// The current name, if the product was renamed or acquired.
    #[serde(default)]
    pub now_known_as: Option<String>,
    /// A short category, e.g. Communication, Security, Developer tools.
    #[serde(default)]
    pub category: Option<String>,
    /// The vendor's website (http or https).
    #[serde(default)]
    pub website: Option<String>,
    /// When the facts were last checked; `None` means never (unverified).
    #[serde(default)]
    pub verified: Option<Date>,
    /// Markdown.
    #[serde(default)]
    pub summary: Option<String>,
    /// Single sign-on.
    #[serde(default)]
    pub sso: Sso,
    /// SCIM provisioning.
    #[serde(default)]
    pub scim: Scim,
    /// The plans, cheapest first.
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// How each identity provider of data/idps.yaml connects, by provider id.
    #[serde(default)]
    pub idps: BTreeMap<String, IdpSupport>,
    /// What admins say, from sourced material only.
    #[serde(default)]
    pub sentiment: Option<Sentiment>,
    /// A table of situations and what to do in each.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// Free prose sections.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Where the facts come from, with the day each was read.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Products sold on top of a plan that bring SSO or SCIM, such as Atlassian Guard.
    #[serde(default)]
    pub addons: Vec<Addon>,
    /// What the public catalogues say, by catalogue id (`sso-tax`, `ssotax-org`,
    /// `scimtax-org`): written by `scimfacts import`, replaced by each re-import.
    #[serde(default)]
    pub catalogues: BTreeMap<String, CatalogueEntry>,
}

impl Vendor {
    /// A record with a name and nothing else known.
    pub fn named(name: &str) -> Vendor {
        Vendor {
            name: name.to_owned(),
            now_known_as: None,
            category: None,
            website: None,
            verified: None,
            summary: None,
            sso: Sso::default(),
            scim: Scim::default(),
            tiers: Vec::new(),
            idps: BTreeMap::new(),
            sentiment: None,
            decisions: Vec::new(),
            sections: Vec::new(),
            sources: Vec::new(),
            addons: Vec::new(),
            catalogues: BTreeMap::new(),
        }
    }
}

/// What the vendor offers for single sign-on.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sso {
    /// Whether any plan offers SSO; null when unknown.
    #[serde(default)]
    pub available: Option<bool>,
    /// e.g. SAML 2.0, OIDC.
    #[serde(default)]
    pub protocols: Vec<String>,
    /// Whether SSO must be set up before SCIM can be.
    #[serde(default)]
    pub required_for_scim: Option<bool>,
    /// The id of the source (of `sources`) that says whether SSO is available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// What the vendor offers for SCIM provisioning.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scim {
    /// Whether any plan offers SCIM provisioning; null when unknown.
    #[serde(default)]
    pub available: Option<bool>,
    /// e.g. "2.0".
    #[serde(default)]
    pub version: Option<String>,
    /// The name of the tier (of `tiers`) that SCIM requires.
    #[serde(default)]
    pub tier: Option<String>,
    /// e.g. Create users, Update users, Deactivate users, Push groups.
    #[serde(default)]
    pub operations: Vec<String>,
    /// SCIM attributes synced, e.g. userName, emails.
    #[serde(default)]
    pub attributes: Vec<String>,
    /// What must be in place before SCIM works.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    /// What SCIM does not do.
    #[serde(default)]
    pub limitations: Vec<String>,
    /// The vendor's SCIM documentation (http or https).
    #[serde(default)]
    pub docs: Option<String>,
    /// The id of the source (of `sources`) that says whether SCIM is available and with
    /// which tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One plan of the vendor.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The plan's name, as the vendor writes it.
    pub name: String,
    /// The list price; left out when unknown.
    #[serde(default)]
    pub price: Option<Price>,
    /// Whether this plan includes SSO; null when unknown.
    #[serde(default)]
    pub sso: Option<bool>,
    /// Whether this plan includes SCIM; null when unknown.
    #[serde(default)]
    pub scim: Option<bool>,
    /// The id of the source (of `sources`) its price comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A tier's list price: `custom` (talk to sales), `free`, or a figure. Written (in records, and
/// in the JSON API) as `custom`, `free` or `{amount, currency, per, ...}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Price {
    /// No public price: talk to sales.
    #[serde(serialize_with = "custom_word")]
    Custom,
    /// Free of charge.
    #[serde(serialize_with = "free_word")]
    Free,
    /// A published figure.
    Amount(PriceAmount),
}

/// A published price.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceAmount {
    /// The figure, in the currency's units.
    #[serde(deserialize_with = "numbers::amount")]
    pub amount: f64,
    /// ISO 4217 code, e.g. `USD`.
    pub currency: String,
    /// What one amount buys.
    pub per: Per,
    /// The figure is an estimate ("~").
    #[serde(default)]
    pub approximate: bool,
    /// The smallest number of seats the vendor sells.
    #[serde(default, deserialize_with = "numbers::optional_count")]
    pub min_seats: Option<u32>,
}

/// What one `amount` buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Per {
    /// Per user, per month.
    #[serde(rename = "user/month")]
    UserMonth,
    /// Per user, per year.
    #[serde(rename = "user/year")]
    UserYear,
    /// A flat price per month.
    #[serde(rename = "month")]
    Month,
    /// A flat price per year.
    #[serde(rename = "year")]
    Year,
}

impl Per {
    /// As written in records: `user/month`.
    pub fn label(self) -> &'static str {
        match self {
            Per::UserMonth => "user/month",
            Per::UserYear => "user/year",
            Per::Month => "month",
            Per::Year => "year",
        }
    }

    /// Whether the price grows with the number of users.
    pub fn is_per_user(self) -> bool {
        matches!(self, Per::UserMonth | Per::UserYear)
    }
}

fn custom_word<S: serde::Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str("custom")
}

fn free_word<S: serde::Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str("free")
}

impl JsonSchema for Price {
    fn schema_name() -> Cow<'static, str> {
        "Price".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let amount = generator.subschema_for::<PriceAmount>();
        json_schema!({
            "description": "`custom` (no published price), `free`, or a published price",
            "oneOf": [
                {"type": "string", "enum": ["custom", "free"]},
                amount
            ]
        })
    }
}

impl<'de> Deserialize<'de> for Price {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PriceVisitor;

        impl<'de> Visitor<'de> for PriceVisitor {
            type Value = Price;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`custom`, `free`, or {amount, currency, per, approximate, min_seats}")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Price, E> {
                match value {
                    "custom" => Ok(Price::Custom),
                    "free" => Ok(Price::Free),
                    other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
                }
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Price, A::Error> {
                PriceAmount::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Price::Amount)
            }
        }

        deserializer.deserialize_any(PriceVisitor)
    }
}

/// How the vendor connects to one identity provider.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdpSupport {
    /// Whether SSO works with this provider.
    #[serde(default)]
    pub sso: Option<bool>,
    /// full, jit or none.
    #[serde(default)]
    pub scim: Option<ScimMode>,
    /// Anything else worth knowing about this provider.
    #[serde(default)]
    pub notes: Option<String>,
    /// How to set provisioning up with this provider.
    #[serde(default)]
    pub setup: Option<Setup>,
    /// The id of the source (of `sources`) that says how it connects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// How an identity provider provisions users into the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScimMode {
    /// Full SCIM provisioning (create, update, deactivate).
    Full,
    /// Just-in-time creation at first SSO login only.
    Jit,
    /// No provisioning.
    None,
}

/// How provisioning is set up with one identity provider.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The kind of integration, e.g. a catalogue app with SCIM.
    #[serde(default)]
    pub integration: Option<String>,
    /// Where in the admin console provisioning is turned on.
    #[serde(default, rename = "where")]
    pub where_: Option<String>,
    /// What the provider needs, e.g. a SCIM base URL and a bearer token.
    #[serde(default)]
    pub credentials: Option<String>,
    /// The steps, in order.
    #[serde(default)]
    pub steps: Vec<String>,
    /// What starts provisioning, e.g. assigning users or groups.
    #[serde(default)]
    pub trigger: Option<String>,
    /// How often the provider syncs.
    #[serde(default)]
    pub sync: Option<String>,
    /// The setup guide (http or https).
    #[serde(default)]
    pub docs: Option<String>,
}

/// The overall tone of what admins say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    /// Mostly favourable.
    Positive,
    /// Both favourable and not.
    Mixed,
    /// Mostly unfavourable.
    Negative,
}

/// What admins say about the vendor's SSO and SCIM, from sourced material only.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sentiment {
    /// The overall tone.
    #[serde(default)]
    pub tone: Option<Tone>,
    /// Markdown: what admins say, in a paragraph.
    #[serde(default)]
    pub summary: Option<String>,
    /// Common complaints, one per item.
    #[serde(default)]
    pub complaints: Vec<String>,
    /// Quotes, each with its source.
    #[serde(default)]
    pub quotes: Vec<Quote>,
}

/// A quote from an admin.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// The words quoted.
    pub text: String,
    /// Where the quote was found: a title, a URL, or both as `title` + `url`.
    pub source: String,
    /// The source's address (http or https).
    #[serde(default)]
    pub url: Option<String>,
}

/// One row of the decision table.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The buyer's situation.
    pub situation: String,
    /// What to do in it.
    pub recommendation: String,
}

/// A free prose section of the vendor page.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Its heading.
    pub title: String,
    /// Markdown.
    pub body: String,
}

/// Where facts come from.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A short id that facts cite it by (`source: pricing`), unique in the record; the
    /// catalogues' ids (`sso-tax`, `ssotax-org`, `scimtax-org`) are taken by their entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What the source is, e.g. Pricing page.
    pub title: String,
    /// Its address (http or https).
    pub url: String,
    /// When this source was last read.
    #[serde(default)]
    pub checked: Option<Date>,
}

pub mod indexmap_like;

/// The JSON Schema (draft-07) of a vendor record, for editors with yaml-language-server.
pub fn vendor_schema() -> String {
    let mut schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Vendor>();
    schema.insert(
        "title".to_owned(),
        "scimfacts vendor record (data/vendors/<slug>.yaml)".into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests;
