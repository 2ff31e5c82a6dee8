//! A record's price history: what changed for a buyer from one committed version to the next
//! (a plan's price, the plan SCIM or SSO needs, whether SCIM or SSO is offered, plans added or
//! removed) and the SCIM and SSO premiums before and after. Each version is computed as the record
//! itself is (`ComputedVendor`), so the history and the page always agree.

use serde::Serialize;

use super::{
    ComputedVendor, Feature, Offer, Premium, PremiumStatus, PriceView, VendorRow, offers_with,
};
use crate::model::Date;

/// What a buyer compares between two versions of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Each plan's name and price, as its page shows them.
    tiers: Vec<TierPrice>,
    scim: Option<bool>,
    sso: Option<bool>,
    scim_tier: Option<String>,
    sso_tier: Option<String>,
    scim_premium: PremiumPoint,
    sso_premium: PremiumPoint,
    verified: Option<Date>,
}

impl Snapshot {
    /// What `vendor` (merged with its catalogues, and computed) shows a buyer.
    pub fn of(vendor: &ComputedVendor) -> Snapshot {
        let record = &vendor.entry.record;
        let figures = &vendor.figures;
        Snapshot {
            tiers: record
                .tiers
                .iter()
                .zip(&figures.tier_prices)
                .map(|(tier, price)| TierPrice {
                    tier: tier.name.clone(),
                    price: price.clone(),
                })
                .collect(),
            scim: record.scim.available,
            sso: record.sso.available,
            scim_tier: figures.scim_tier.clone(),
            sso_tier: offers_with(record, Feature::Sso).first().map(Offer::name),
            scim_premium: PremiumPoint::of(&figures.scim_premium),
            sso_premium: PremiumPoint::of(&figures.sso_premium),
            verified: record.verified,
        }
    }
}

/// A plan's price at one point of a record's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierPrice {
    /// The plan's name.
    pub tier: String,
    /// Its price, as its page shows it, with the figure it is made of.
    pub price: PriceView,
}

/// Every plan's price from one point of a record's history on: the steps of its price chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatedPrices {
    /// From when, as the change that set them is dated; `None` for edits not yet committed.
    pub date: Option<Date>,
    /// Each plan's price, in the record's order.
    pub tiers: Vec<TierPrice>,
}

/// The SCIM or SSO premium at one point of a record's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PremiumPoint {
    /// What can be said of it.
    pub status: PremiumStatus,
    /// The premium at the site's first team size, as a percentage, when priced.
    pub percent: Option<f64>,
    /// As people read it: "+72%", "+40% at 50 users", "Included", "Custom", "Not offered",
    /// "Unknown".
    pub text: String,
}

impl PremiumPoint {
    fn of(premium: &Premium) -> PremiumPoint {
        let first = premium.rows.first();
        let text = match premium.status {
            PremiumStatus::Priced => match (&premium.percent_text, first) {
                (Some(percent), _) => format!("+{percent}"),
                (None, Some(row)) => format!("+{} at {} users", row.percent_text, row.users),
                (None, None) => "Priced".to_owned(),
            },
            PremiumStatus::Included => "Included".to_owned(),
            PremiumStatus::Custom => "Custom".to_owned(),
            PremiumStatus::Unavailable => "Not offered".to_owned(),
            PremiumStatus::Unknown => "Unknown".to_owned(),
        };
        PremiumPoint {
            status: premium.status,
            percent: first.map(|row| row.percent),
            text,
        }
    }
}

/// What kind of change a buyer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A plan's price.
    Price,
    /// The plan SCIM requires.
    ScimTier,
    /// The cheapest plan with SSO.
    SsoTier,
    /// Whether SCIM is offered.
    Scim,
    /// Whether SSO is offered.
    Sso,
    /// A plan added.
    TierAdded,
    /// A plan removed.
    TierRemoved,
}

impl ChangeKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [ChangeKind; 7] = [
        ChangeKind::Price,
        ChangeKind::ScimTier,
        ChangeKind::SsoTier,
        ChangeKind::Scim,
        ChangeKind::Sso,
        ChangeKind::TierAdded,
        ChangeKind::TierRemoved,
    ];

    /// Its name in addresses (`/changes/scim-tier/`).
    pub fn slug(self) -> &'static str {
        match self {
            ChangeKind::Price => "price",
            ChangeKind::ScimTier => "scim-tier",
            ChangeKind::SsoTier => "sso-tier",
            ChangeKind::Scim => "scim",
            ChangeKind::Sso => "sso",
            ChangeKind::TierAdded => "tier-added",
            ChangeKind::TierRemoved => "tier-removed",
        }
    }

    /// As pages name it.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Price => "Price",
            ChangeKind::ScimTier => "Plan for SCIM",
            ChangeKind::SsoTier => "Plan for SSO",
            ChangeKind::Scim => "SCIM offered",
            ChangeKind::Sso => "SSO offered",
            ChangeKind::TierAdded => "Plan added",
            ChangeKind::TierRemoved => "Plan removed",
        }
    }
}

/// One change between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// The plan it concerns (price, plan added or removed).
    pub tier: Option<String>,
    /// What it was, as people read it; `None` for a plan added.
    pub before: Option<String>,
    /// What it became; `None` for a plan removed.
    pub after: Option<String>,
}

impl Change {
    /// One line: "Pro: $6.67/user/month → $6.25/user/month".
    pub fn describe(&self) -> String {
        let subject = match (&self.tier, self.kind) {
            (Some(tier), ChangeKind::Price) => format!("{tier} price"),
            (Some(tier), _) => tier.clone(),
            (None, kind) => kind.label().to_owned(),
        };
        match (self.kind, &self.before, &self.after) {
            (ChangeKind::TierAdded, _, Some(after)) => format!("{subject} added ({after})"),
            (ChangeKind::TierRemoved, Some(before), _) => {
                format!("{subject} removed (was {before})")
            }
            (_, before, after) => format!(
                "{subject}: {} → {}",
                before.as_deref().unwrap_or("none"),
                after.as_deref().unwrap_or("none")
            ),
        }
    }
}

/// Where an event's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatedBy {
    /// The commit's author date.
    Commit,
    /// The record's `verified` date, changed in the same commit.
    Verified,
}

/// The changes one commit made to a record (or the edits not yet committed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEvent {
    /// The commit's id; `None` for changes not yet committed.
    pub commit: Option<String>,
    /// When the change was made; `None` for changes not yet committed.
    pub date: Option<Date>,
    /// Where `date` comes from; `None` for changes not yet committed.
    pub dated_by: Option<DatedBy>,
    /// What changed, in the order pages list it.
    pub changes: Vec<Change>,
    /// The SCIM premium before the commit.
    pub scim_premium_before: PremiumPoint,
    /// The SCIM premium after it.
    pub scim_premium_after: PremiumPoint,
    /// The SSO premium before the commit.
    pub sso_premium_before: PremiumPoint,
    /// The SSO premium after it.
    pub sso_premium_after: PremiumPoint,
}

/// When a record was first committed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstCommitted {
    /// The commit that added the record.
    pub commit: String,
    /// Its date, or the record's `verified` date if earlier.
    pub date: Date,
    /// Where `date` comes from.
    pub dated_by: DatedBy,
}

/// A committed version as the history needs it: its commit, and what it showed when it could
/// be read (a version that does not pass today's checks is passed over).
pub struct CommittedSnapshot {
    /// The commit's id.
    pub commit: String,
    /// Its author date.
    pub date: Date,
    /// What the record showed; `None` when that version fails today's checks.
    pub snapshot: Option<Snapshot>,
}

/// A record's whole price history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceHistory {
    /// When the record was first committed; `None` when it never was, or when the clone is
    /// shallow and its first commit is not there.
    pub first_committed: Option<FirstCommitted>,
    /// Whether the record's file was never committed.
    pub never_committed: bool,
    /// The commits whose version of the record today's checks refuse: passed over, their
    /// changes shown with the next version that passes.
    pub passed_over: Vec<String>,
    /// Whether the history reaches back to the record's first commit.
    pub complete: bool,
    /// The changes, newest first (those not yet committed before all others).
    pub events: Vec<HistoryEvent>,
    /// Every plan's price from the oldest version on, oldest first: one entry for the first
    /// version and one for each that changed a plan's price or the plans.
    pub prices: Vec<DatedPrices>,
}

impl PriceHistory {
    /// The history of a record that is `current` now and was each of `committed` (newest
    /// first); `complete` when the repository's history is (not a shallow clone's).
    pub fn new(current: &Snapshot, committed: Vec<CommittedSnapshot>, complete: bool) -> Self {
        // Oldest first, so that each version's date can be kept from going back before the
        // date of the one before it.
        let mut readable = committed
            .iter()
            .rev()
            .filter_map(|version| Some((version, version.snapshot.as_ref()?)));
        let mut events = Vec::new();
        let mut prices = Vec::new();
        let mut newest = readable.next().map(|(version, snapshot)| {
            let (date, _) = date_of(version, None, None);
            push_prices(&mut prices, Some(date), snapshot);
            (snapshot, date)
        });
        for (version, snapshot) in readable {
            let Some((older, older_date)) = newest else {
                break;
            };
            let (date, dated_by) = date_of(version, older.verified, Some(older_date));
            push_prices(&mut prices, Some(date), snapshot);
            events.extend(event_between(
                older,
                snapshot,
                Some((version, date, dated_by)),
            ));
            newest = Some((snapshot, date));
        }
        if let Some((head, _)) = newest {
            events.extend(event_between(head, current, None));
            push_prices(&mut prices, None, current);
        }
        events.reverse();
        let oldest = committed.last().filter(|_| complete);
        PriceHistory {
            first_committed: oldest.map(|version| {
                let (date, dated_by) = date_of(version, None, None);
                FirstCommitted {
                    commit: version.commit.clone(),
                    date,
                    dated_by,
                }
            }),
            never_committed: committed.is_empty(),
            passed_over: committed
                .iter()
                .filter(|version| version.snapshot.is_none())
                .map(|version| version.commit.clone())
                .collect(),
            complete,
            events,
            prices,
        }
    }

    /// The changes not yet committed.
    pub fn pending(&self) -> impl Iterator<Item = &HistoryEvent> {
        self.events.iter().filter(|event| event.commit.is_none())
    }
}

/// Adds the prices of `snapshot` from `date` on, unless they are those of the last entry.
fn push_prices(prices: &mut Vec<DatedPrices>, date: Option<Date>, snapshot: &Snapshot) {
    let same_as_last = prices.last().is_some_and(|last: &DatedPrices| {
        last.tiers.len() == snapshot.tiers.len()
            && last
                .tiers
                .iter()
                .zip(&snapshot.tiers)
                .all(|(a, b)| a.tier == b.tier && a.price.text == b.price.text)
    });
    if !same_as_last {
        prices.push(DatedPrices {
            date,
            tiers: snapshot.tiers.clone(),
        });
    }
}

/// The event that turned `older` into `newer` in a commit (its id, date and what dates it;
/// `None`: not yet committed), if anything a buyer sees changed.
fn event_between(
    older: &Snapshot,
    newer: &Snapshot,
    commit: Option<(&CommittedSnapshot, Date, DatedBy)>,
) -> Option<HistoryEvent> {
    let changes = changes_between(older, newer);
    if changes.is_empty() {
        return None;
    }
    Some(HistoryEvent {
        commit: commit.map(|(version, ..)| version.commit.clone()),
        date: commit.map(|(_, date, _)| date),
        dated_by: commit.map(|(.., by)| by),
        changes,
        scim_premium_before: older.scim_premium.clone(),
        scim_premium_after: newer.scim_premium.clone(),
        sso_premium_before: older.sso_premium.clone(),
        sso_premium_after: newer.sso_premium.clone(),
    })
}

/// The date of `version`: the record's `verified` date when the commit changed it (from
/// `verified_before`) to a day between the date of the version before (`not_before`) and the
/// commit's own; else the commit's date. So dates never run backwards through a history.
fn date_of(
    version: &CommittedSnapshot,
    verified_before: Option<Date>,
    not_before: Option<Date>,
) -> (Date, DatedBy) {
    let verified = version.snapshot.as_ref().and_then(|s| s.verified);
    let after_the_last = |day: Date| not_before.is_none_or(|last| day >= last);
    match verified {
        Some(day) if verified != verified_before && day <= version.date && after_the_last(day) => {
            (day, DatedBy::Verified)
        }
        _ => (version.date, DatedBy::Commit),
    }
}

/// Every change a buyer sees from `older` to `newer`: plans in `newer`'s order (price changes
/// and plans added), plans removed, then the plans SCIM and SSO need and whether each is offered.
fn changes_between(older: &Snapshot, newer: &Snapshot) -> Vec<Change> {
    let price_of = |snapshot: &Snapshot, name: &str| {
        snapshot
            .tiers
            .iter()
            .find(|t| t.tier == name)
            .map(|t| t.price.text.clone())
    };
    let mut changes = Vec::new();
    for TierPrice { tier: name, price } in &newer.tiers {
        let price = &price.text;
        let change = |kind, before| Change {
            kind,
            tier: Some(name.clone()),
            before,
            after: Some(price.clone()),
        };
        match price_of(older, name) {
            None => changes.push(change(ChangeKind::TierAdded, None)),
            Some(before) if before != *price => {
                changes.push(change(ChangeKind::Price, Some(before)))
            }
            Some(_) => {}
        }
    }
    for TierPrice { tier: name, price } in &older.tiers {
        if price_of(newer, name).is_none() {
            changes.push(Change {
                kind: ChangeKind::TierRemoved,
                tier: Some(name.clone()),
                before: Some(price.text.clone()),
                after: None,
            });
        }
    }
    let mut field = |kind, before: &Option<String>, after: &Option<String>| {
        if before != after {
            changes.push(Change {
                kind,
                tier: None,
                before: before.clone(),
                after: after.clone(),
            });
        }
    };
    // A feature that stops (or starts) being offered loses (or gains) its plan with it: one
    // change, not two.
    let (scim_offered, sso_offered) = (older.scim != newer.scim, older.sso != newer.sso);
    let plan_only = |offered_changed: bool, before: &Option<String>, after: &Option<String>| {
        !(offered_changed && (before.is_none() || after.is_none()))
    };
    if plan_only(scim_offered, &older.scim_tier, &newer.scim_tier) {
        field(ChangeKind::ScimTier, &older.scim_tier, &newer.scim_tier);
    }
    if plan_only(sso_offered, &older.sso_tier, &newer.sso_tier) {
        field(ChangeKind::SsoTier, &older.sso_tier, &newer.sso_tier);
    }
    field(ChangeKind::Scim, &offered(older.scim), &offered(newer.scim));
    field(ChangeKind::Sso, &offered(older.sso), &offered(newer.sso));
    changes
}

fn offered(available: Option<bool>) -> Option<String> {
    Some(
        match available {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "Unknown",
        }
        .to_owned(),
    )
}

/// Where one change sits: `Site::vendors[vendor]`'s history, its event `event`, its change
/// `change`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeAt {
    /// Index into `Site::vendors`.
    pub vendor: usize,
    /// Index into the vendor's `PriceHistory::events`.
    pub event: usize,
    /// Index into the event's `changes`.
    pub change: usize,
    /// Its kind, for the lists of one kind.
    pub kind: ChangeKind,
}

/// Every change across a site, for `/changes/` and the feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteChanges {
    /// Newest first: those not yet committed, then by date; on one day, by vendor name.
    pub all: Vec<ChangeAt>,
    /// How many changes there are of each kind, in the order of `ChangeKind::ALL`.
    pub counts: [usize; ChangeKind::ALL.len()],
}

impl SiteChanges {
    /// The changes of every vendor of `vendors` that has a history.
    pub fn of(vendors: &[VendorRow]) -> SiteChanges {
        let mut all: Vec<ChangeAt> = Vec::new();
        for (vendor, row) in vendors.iter().enumerate() {
            let Some(history) = &row.history else {
                continue;
            };
            for (event, found) in history.events.iter().enumerate() {
                all.extend(
                    found
                        .changes
                        .iter()
                        .enumerate()
                        .map(|(change, c)| ChangeAt {
                            vendor,
                            event,
                            change,
                            kind: c.kind,
                        }),
                );
            }
        }
        let date = |at: &ChangeAt| event_of(vendors, *at).and_then(|event| event.date);
        // `None` (not yet committed) sorts after every date, and so first once reversed.
        all.sort_by_cached_key(|at| {
            let newest_first =
                std::cmp::Reverse(date(at).map(|d| d.0).unwrap_or(jiff::civil::Date::MAX));
            (
                newest_first,
                vendors[at.vendor].name.to_lowercase(),
                at.vendor,
                at.event,
                at.change,
            )
        });
        let mut counts = [0; ChangeKind::ALL.len()];
        for at in &all {
            counts[at.kind as usize] += 1;
        }
        SiteChanges { all, counts }
    }

    /// How many changes there are of `kind` (of every kind when `None`).
    pub fn count(&self, kind: Option<ChangeKind>) -> usize {
        kind.map_or(self.all.len(), |kind| self.counts[kind as usize])
    }

    /// The changes of `kind` (all when `None`), newest first.
    pub fn of_kind(&self, kind: Option<ChangeKind>) -> impl Iterator<Item = ChangeAt> + '_ {
        self.all
            .iter()
            .copied()
            .filter(move |at| kind.is_none_or(|kind| at.kind == kind))
    }
}

/// The event of the change at `at`, among `vendors` (those the changes were found in).
pub fn event_of(vendors: &[VendorRow], at: ChangeAt) -> Option<&HistoryEvent> {
    vendors
        .get(at.vendor)?
        .history
        .as_ref()?
        .events
        .get(at.event)
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
