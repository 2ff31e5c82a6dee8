//! What a record holds beyond its own facts: add-ons sold on top of plans, and the statements
//! of the public catalogues that `scimfacts import` copies in.
//!
//! A record tells an editor's facts from imported ones by where they are written: everything
//! under `catalogues:` belongs to the catalogue it is keyed by and is replaced whole by the
//! next import of that catalogue; everything else is the editor's, and import never changes it
//! once the record exists. An editor's fact always wins over a catalogue's (see `merge`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, Price};

/// A product sold on top of a plan that brings SSO or SCIM with it, such as Atlassian Guard.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Addon {
    /// The add-on's name, as the vendor writes it.
    pub name: String,
    /// Its list price, on top of the plan's; left out when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    /// The plans (names of `tiers`) it can be bought with; empty means any plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<String>,
    /// Whether it brings SSO; null when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso: Option<bool>,
    /// Whether it brings SCIM provisioning; null when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scim: Option<bool>,
    /// The id of the source (of `sources`) its price comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// What one public catalogue says of the vendor, as `scimfacts import` wrote it. Replaced
/// whole by the next import of the same catalogue: edit the record's own fields instead.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueEntry {
    /// The entry's file in the catalogue's repository, e.g. `_vendors/slack.yaml`.
    pub entry: String,
    /// The date the catalogue gives for what it says.
    pub date: Date,
    /// The vendor's name in the catalogue.
    pub name: String,
    /// The pages the catalogue cites for its figures (http or https).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<String>,
    /// The catalogue's own words, field by field, as it wrote them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<String, String>,
    /// Whether any plan has SSO, as the catalogue says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso: Option<bool>,
    /// Whether any plan has SCIM provisioning, as the catalogue says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scim: Option<bool>,
    /// The plan the catalogue compares with: its cheapest or typical paid plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_plan: Option<StatedPlan>,
    /// The cheapest plan with SSO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_plan: Option<StatedPlan>,
    /// The cheapest plan with SCIM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scim_plan: Option<StatedPlan>,
}

/// A plan as a catalogue states it: perhaps named, perhaps priced.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatedPlan {
    /// The plan's name, when the catalogue gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its price, when the catalogue's words say it unambiguously.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    /// Whether the plan has SSO, as the catalogue says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso: Option<bool>,
    /// Whether the plan has SCIM provisioning, as the catalogue says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scim: Option<bool>,
    /// Sold as an add-on on top of another plan, not as a plan of its own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub addon: bool,
}

/// A public catalogue that records can be imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    /// Its id: the key under `catalogues:` and the SOURCE of `scimfacts import`.
    pub id: &'static str,
    /// Its name, as pages show it.
    pub name: &'static str,
    /// Its full title.
    pub title: &'static str,
    /// Its website.
    pub url: &'static str,
    /// Its repository, where each entry's file can be read.
    pub repository: &'static str,
    /// The branch entries are linked on.
    pub branch: &'static str,
    /// Its licence, as an SPDX id.
    pub licence: &'static str,
    /// Where the licence can be read.
    pub licence_url: &'static str,
    /// The credit it asks for (CC-BY) or the notice its licence keeps (Apache-2.0).
    pub attribution: &'static str,
}

impl Catalogue {
    /// The address of one of its entries, e.g. `_vendors/slack.yaml`.
    pub fn entry_url(&self, entry: &str) -> String {
        format!("{}/blob/{}/{entry}", self.repository, self.branch)
    }
}

/// The catalogues `scimfacts import` reads, in the order pages list them.
pub const CATALOGUES: [Catalogue; 3] = [
    Catalogue {
        id: "sso-tax",
        name: "sso.tax",
        title: "The SSO Wall of Shame",
        url: "https://sso.tax/",
        repository: "https://github.com/robchahin/sso-wall-of-shame",
        branch: "main",
        licence: "Apache-2.0",
        licence_url: "https://www.apache.org/licenses/LICENSE-2.0",
        attribution: "Data from sso.tax (The SSO Wall of Shame, github.com/robchahin/sso-wall-of-shame), \
                      Apache License 2.0; converted and merged by scimfacts.",
    },
    Catalogue {
        id: "ssotax-org",
        name: "ssotax.org",
        title: "The SSO Tax",
        url: "https://ssotax.org/",
        repository: "https://github.com/ssotax/ssotax",
        branch: "main",
        licence: "Apache-2.0",
        licence_url: "https://www.apache.org/licenses/LICENSE-2.0",
        attribution: "Data from ssotax.org (github.com/ssotax/ssotax), Apache License 2.0; \
                      converted and merged by scimfacts.",
    },
    Catalogue {
        id: "scimtax-org",
        name: "scimtax.org",
        title: "The SCIM Tax Index",
        url: "https://scimtax.org/",
        repository: "https://github.com/IdenWorks/scim-tax",
        branch: "main",
        licence: "CC-BY-4.0",
        licence_url: "https://creativecommons.org/licenses/by/4.0/",
        attribution: "SCIM Tax Index (Iden, 2026). https://scimtax.org/ — CC-BY 4.0. \
                      Changes: prices parsed from text, merged with other catalogues by scimfacts.",
    },
];

/// The catalogue with this id.
pub fn catalogue(id: &str) -> Option<&'static Catalogue> {
    CATALOGUES.iter().find(|c| c.id == id)
}
