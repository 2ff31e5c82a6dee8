//! Every figure that must never be typed by hand: the cost of SCIM by team size, the premium
//! that SCIM (and SSO) cost over the cheapest paid tier, identity-provider coverage, how fresh
//! a record is, and the figures across vendors.
//!
//! All figures are derived from the tiers' list prices; the formatted text beside each number
//! is made here too, so that pages, the JSON and the CSV can never disagree.
//!
//! Two shapes of a computed vendor leave this module: a [`ComputedVendor`] (the whole record
//! and its figures) for the vendor's own pages, and a [`VendorRow`] (what a row of a list
//! shows) for the pages that list every vendor, which a build keeps of each record once its
//! own pages are written.

mod at_size;
mod cost_curve;
mod figures;
mod history;
mod merge;
mod offers;
mod pricing;
mod summary;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

pub use at_size::{AtGlance, FeatureAt};
pub use cost_curve::{CostCurves, CostLine, CurveKind, CurvePoint, chart_max_users, cost_curves};
pub use figures::{
    Cost, CostRow, CostStatus, Coverage, Feature, Offer, Premium, PremiumRow, PremiumStatus,
    PriceKind, PriceView, VendorFigures, annual_cost, compute_vendor, currency_of, offers_with,
    price_view,
};
pub use history::Change as HistoryChange;
pub use history::{
    ChangeAt, ChangeKind, CommittedSnapshot, DatedBy, DatedPrices, FirstCommitted, HistoryEvent,
    PremiumPoint, PriceHistory, SiteChanges, Snapshot, TierPrice, event_of,
};
pub use merge::{Disagreement, Merged, Statement, merge, normalised, same_plan};
pub use pricing::{BrowserPrice, PricedOffer, Pricing, pricing};
pub use summary::{
    CatalogueUse, Category, IdpCoverage, PremiumBand, ScimTax, SiteSummary, summarize,
};

use crate::load::{CommittedHistory, VendorEntry};
use crate::model::{
    CATALOGUES, Catalogue, Date, IdpFile, IdpSupport, ScimMode, SiteConfig, Vendor,
};

/// The catalogues a record's facts were imported from, in the order of `CATALOGUES`.
pub fn catalogues_of(record: &Vendor) -> Vec<&'static Catalogue> {
    CATALOGUES
        .iter()
        .filter(|c| record.catalogues.contains_key(c.id))
        .collect()
}

/// What every page of a site knows, whichever vendors it shows: the settings as this build
/// uses them, the identity providers, the day of the build and how many vendors there are.
#[derive(Debug, Clone)]
pub struct SiteFacts {
    /// `site.yaml`, with `--base-url` applied.
    pub config: Arc<SiteConfig>,
    /// `idps.yaml`.
    pub idps: Arc<IdpFile>,
    /// The day the build runs on (stale badges are relative to it).
    pub today: Date,
    /// How many vendors the whole site has.
    pub vendor_count: usize,
    /// The site root's folder inside its git repository (`catalogue/`, or empty at the
    /// repository's top or outside any), so that links name a record's file in the repository.
    pub repository_folder: Arc<str>,
    /// The records' committed versions, when the site shows price history (`history: true`
    /// or `build --history`) and sits in a git repository.
    pub history: Option<Arc<CommittedHistory>>,
}

impl SiteFacts {
    /// How fresh a record verified on `verified` is on the day of the build.
    pub fn freshness(&self, verified: Option<Date>) -> Freshness {
        Freshness::of(verified, self.today, self.config.stale_after_days)
    }
}

/// A vendor's whole record with its figures: what its own page and JSON are made from.
#[derive(Debug, Clone)]
pub struct ComputedVendor {
    /// The record and the file it came from.
    pub entry: Arc<VendorEntry>,
    /// Everything computed from it.
    pub figures: VendorFigures,
    /// Where the record and the catalogues it was imported from disagree.
    pub disagreements: Vec<Disagreement>,
    /// The catalogue whose statement dates the record: the oldest one its figures use, when
    /// the record's own `verified` date is not newer than every statement.
    pub verified_by: Option<&'static Catalogue>,
    /// Its [`Pricing`] as JSON, made once for its page and for its row.
    pub pricing_json: Box<str>,
    /// What changed when, when the site shows price history.
    pub history: Option<Arc<PriceHistory>>,
}

impl ComputedVendor {
    /// Computes the figures of `entry` for the site's team sizes and providers, from its own
    /// facts merged with its catalogues' (see [`merge`]): `entry` of the result holds the
    /// merged record.
    pub fn new(entry: Arc<VendorEntry>, facts: &SiteFacts) -> ComputedVendor {
        let (entry, disagreements, verified_by) = if entry.record.catalogues.is_empty() {
            (entry, Vec::new(), None)
        } else {
            let Merged {
                record,
                disagreements,
                verified_by,
            } = merge(&entry.record);
            let merged = VendorEntry {
                record,
                ..VendorEntry::clone(&entry)
            };
            (Arc::new(merged), disagreements, verified_by)
        };
        let figures = compute_vendor(&entry.record, &facts.config.team_sizes, &facts.idps);
        ComputedVendor {
            pricing_json: pricing_json(&entry),
            entry,
            figures,
            disagreements,
            verified_by,
            history: None,
        }
    }

    /// What the pages that list vendors keep of it, once its own pages are made: its figures,
    /// less each plan's price as text, which only its own pages show.
    pub fn into_row(self) -> VendorRow {
        let mut figures = self.figures;
        figures.tier_prices = Vec::new();
        figures.addon_prices = Vec::new();
        let mut row = VendorRow::with_pricing(&self.entry, figures, self.pricing_json);
        row.history = self.history;
        row
    }
}

/// A vendor as the pages that list every vendor see it: the facts a row shows and every
/// computed figure, without the rest of the record (tiers, setup steps, sections, sources).
/// Memory grows with what the lists show, not with whole records.
#[derive(Debug, Clone)]
pub struct VendorRow {
    /// The file stem; names the vendor's page.
    pub slug: String,
    /// The record's file as diagnostics name it, relative to the site root.
    pub path: PathBuf,
    /// The record's file on disk.
    pub file: PathBuf,
    /// The vendor's or product's name.
    pub name: String,
    /// The current name, if the product was renamed or acquired.
    pub now_known_as: Option<String>,
    /// Its category, as written.
    pub category: Option<String>,
    /// Its website.
    pub website: Option<String>,
    /// When its facts were last checked.
    pub verified: Option<Date>,
    /// Whether it offers SSO at all.
    pub sso_available: Option<bool>,
    /// Whether it offers SCIM at all.
    pub scim_available: Option<bool>,
    /// What the record says of each provider, by provider id, in id order.
    pub idps: Vec<(String, IdpListing)>,
    /// Everything computed from the whole record.
    pub figures: VendorFigures,
    /// The catalogues its facts were imported from, in the order of `CATALOGUES`.
    pub catalogues: Vec<&'static Catalogue>,
    /// Its [`Pricing`] as JSON, for the site's scripts (kept as text: the record it borrows
    /// from is not kept).
    pub pricing_json: Box<str>,
    /// Its price history, for the changes page and the feed.
    pub history: Option<Arc<PriceHistory>>,
}

/// What a list says of one vendor's support for one identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpListing {
    /// Whether SSO works with the provider.
    pub sso: Option<bool>,
    /// How the provider provisions users.
    pub scim: Option<ScimMode>,
    /// The record's note on the provider.
    pub notes: Option<String>,
    /// Whether the record describes setup steps (which only its own page shows).
    pub has_setup: bool,
}

impl IdpListing {
    /// Whether the vendor connects to the provider at all: by SSO, or by provisioning of any
    /// kind (what the lists' "Works with" filter matches).
    pub fn connects(&self) -> bool {
        self.sso == Some(true) || matches!(self.scim, Some(ScimMode::Full | ScimMode::Jit))
    }
}

impl VendorRow {
    /// The row of `entry`, whose figures are `figures`.
    pub fn new(entry: &VendorEntry, figures: VendorFigures) -> VendorRow {
        VendorRow::with_pricing(entry, figures, pricing_json(entry))
    }

    fn with_pricing(
        entry: &VendorEntry,
        figures: VendorFigures,
        pricing_json: Box<str>,
    ) -> VendorRow {
        let record = &entry.record;
        VendorRow {
            slug: entry.slug.clone(),
            path: entry.path.clone(),
            file: entry.file.clone(),
            name: record.name.clone(),
            now_known_as: record.now_known_as.clone(),
            category: record.category.clone(),
            website: record.website.clone(),
            verified: record.verified,
            sso_available: record.sso.available,
            scim_available: record.scim.available,
            idps: record
                .idps
                .iter()
                .map(|(id, support)| (id.clone(), IdpListing::of(support)))
                .collect(),
            figures,
            catalogues: catalogues_of(record),
            pricing_json,
            history: None,
        }
    }

    /// What the record says of the provider `id`, if anything.
    pub fn idp(&self, id: &str) -> Option<&IdpListing> {
        self.idps
            .binary_search_by(|(known, _)| known.as_str().cmp(id))
            .ok()
            .map(|at| &self.idps[at].1)
    }
}

/// The [`Pricing`] of `entry` as JSON.
fn pricing_json(entry: &VendorEntry) -> Box<str> {
    serde_json::to_string(&pricing(&entry.slug, &entry.record))
        .unwrap_or_else(|_| "null".to_owned())
        .into()
}

impl IdpListing {
    fn of(support: &IdpSupport) -> IdpListing {
        IdpListing {
            sso: support.sso,
            scim: support.scim,
            notes: support.notes.clone(),
            has_setup: support.setup.is_some(),
        }
    }
}

/// Whether a record's facts are recent enough to trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Freshness {
    /// Verified within `stale_after_days`.
    Fresh,
    /// Verified longer ago than `stale_after_days`.
    Stale,
    /// Never verified.
    Unverified,
}

impl Freshness {
    /// The freshness of facts verified on `verified`, on `today`.
    pub fn of(verified: Option<Date>, today: Date, stale_after_days: u32) -> Freshness {
        match verified {
            None => Freshness::Unverified,
            Some(date) if date.days_until(today) > i64::from(stale_after_days) => Freshness::Stale,
            Some(_) => Freshness::Fresh,
        }
    }
}

/// A yes-or-no fact that may not be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Availability {
    /// Offered.
    Yes,
    /// Not offered.
    No,
    /// Not known.
    Unknown,
}

impl From<Option<bool>> for Availability {
    fn from(available: Option<bool>) -> Availability {
        match available {
            Some(true) => Availability::Yes,
            Some(false) => Availability::No,
            None => Availability::Unknown,
        }
    }
}

/// How an identity provider provisions users into a vendor, including "not known".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provisioning {
    /// Full SCIM provisioning.
    Full,
    /// Just-in-time creation at first sign-in.
    Jit,
    /// None.
    None,
    /// The record does not say.
    Unknown,
}

impl From<Option<ScimMode>> for Provisioning {
    fn from(mode: Option<ScimMode>) -> Provisioning {
        match mode {
            Some(ScimMode::Full) => Provisioning::Full,
            Some(ScimMode::Jit) => Provisioning::Jit,
            Some(ScimMode::None) => Provisioning::None,
            None => Provisioning::Unknown,
        }
    }
}

/// The site whose records are all sound, as the pages that list vendors see it.
#[derive(Debug)]
pub struct Site {
    /// What every page knows.
    pub facts: SiteFacts,
    /// Sorted by slug.
    pub vendors: Vec<VendorRow>,
    /// Figures across vendors, for the pages that compare them.
    pub summary: SiteSummary,
}

impl Site {
    /// The site of `vendors` (sorted by slug), with its summary computed.
    pub fn new(facts: SiteFacts, vendors: Vec<VendorRow>) -> Site {
        let with_history = facts.history.is_some();
        let summary = summarize(
            &vendors,
            &facts.idps,
            facts.config.paginate_by,
            with_history,
        );
        Site {
            facts,
            vendors,
            summary,
        }
    }

    /// Computes the summary again, after rows were replaced.
    pub fn resummarize(&mut self) {
        self.summary = summarize(
            &self.vendors,
            &self.facts.idps,
            self.facts.config.paginate_by,
            self.facts.history.is_some(),
        );
    }
}
