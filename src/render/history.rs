//! What pages show of price history: a vendor page's "Price history" section, the rows of
//! `/changes/` and the feed's entries. Each change comes with its date, its commit (linked
//! when the site names its repository) and the SCIM premium around it.

use serde::Serialize;

use super::corrections::commit_link;
use crate::compute::{
    ChangeAt, ChangeKind, DatedBy, HistoryChange, HistoryEvent, PremiumPoint, PriceHistory, Site,
    SiteFacts, VendorRow, event_of,
};
use crate::model::Date;
use crate::page::{changes_path, vendor_path};

/// `history` in `vendor.html`.
#[derive(Serialize)]
pub(super) struct HistoryView<'a> {
    /// When the record was first committed, with its commit.
    first: Option<CommitView<'a>>,
    /// The record's file was never committed.
    never_committed: bool,
    /// How many committed versions today's checks refuse (passed over).
    passed_over: usize,
    /// The history reaches back to the record's first commit (not so in a shallow clone).
    complete: bool,
    /// Newest first.
    events: Vec<EventView<'a>>,
}

/// A commit as pages show it.
#[derive(Serialize)]
struct CommitView<'a> {
    /// The full id.
    id: &'a str,
    /// Its first seven characters, as `git log --oneline` shows them.
    short: &'a str,
    /// Its page in the repository, when the site names one.
    url: Option<String>,
    date: Date,
    dated_by: DatedBy,
}

/// One commit's changes to a record, or the edits not yet committed.
#[derive(Serialize)]
struct EventView<'a> {
    /// `None` for changes not yet committed.
    commit: Option<CommitView<'a>>,
    changes: Vec<ChangeView<'a>>,
    /// The SCIM premium, then the SSO premium, around the change.
    premiums: [PremiumChange<'a>; 2],
}

/// A premium before and after a change.
#[derive(Serialize)]
struct PremiumChange<'a> {
    /// `SCIM` or `SSO`.
    label: &'static str,
    before: &'a PremiumPoint,
    after: &'a PremiumPoint,
    changed: bool,
}

impl<'a> PremiumChange<'a> {
    fn both(event: &'a HistoryEvent) -> [PremiumChange<'a>; 2] {
        let change = |label, before: &'a PremiumPoint, after: &'a PremiumPoint| PremiumChange {
            label,
            before,
            after,
            changed: before.text != after.text,
        };
        [
            change(
                "SCIM",
                &event.scim_premium_before,
                &event.scim_premium_after,
            ),
            change("SSO", &event.sso_premium_before, &event.sso_premium_after),
        ]
    }
}

/// One change.
#[derive(Serialize)]
struct ChangeView<'a> {
    kind: ChangeKind,
    /// What pages name the kind ("Price", "Plan for SCIM").
    label: &'static str,
    tier: Option<&'a str>,
    before: Option<&'a str>,
    after: Option<&'a str>,
    /// The change in one line, for the feed and for screen readers.
    text: String,
}

impl<'a> HistoryView<'a> {
    pub(super) fn new(facts: &SiteFacts, history: &'a PriceHistory) -> HistoryView<'a> {
        HistoryView {
            first: history.first_committed.as_ref().map(|first| CommitView {
                id: &first.commit,
                short: short_id(&first.commit),
                url: commit_link(facts, &first.commit),
                date: first.date,
                dated_by: first.dated_by,
            }),
            never_committed: history.never_committed,
            passed_over: history.passed_over.len(),
            complete: history.complete,
            events: history
                .events
                .iter()
                .map(|event| EventView::new(facts, event))
                .collect(),
        }
    }
}

impl<'a> EventView<'a> {
    fn new(facts: &SiteFacts, event: &'a HistoryEvent) -> EventView<'a> {
        EventView {
            commit: commit_of(facts, event),
            changes: event.changes.iter().map(ChangeView::new).collect(),
            premiums: PremiumChange::both(event),
        }
    }
}

impl<'a> ChangeView<'a> {
    fn new(change: &'a HistoryChange) -> ChangeView<'a> {
        ChangeView {
            kind: change.kind,
            label: change.kind.label(),
            tier: change.tier.as_deref(),
            before: change.before.as_deref(),
            after: change.after.as_deref(),
            text: change.describe(),
        }
    }
}

fn commit_of<'a>(facts: &SiteFacts, event: &'a HistoryEvent) -> Option<CommitView<'a>> {
    let (id, date, dated_by) = (event.commit.as_deref()?, event.date?, event.dated_by?);
    Some(CommitView {
        id,
        short: short_id(id),
        url: commit_link(facts, id),
        date,
        dated_by,
    })
}

fn short_id(id: &str) -> &str {
    id.get(..7).unwrap_or(id)
}

/// A change across the site: a row of `/changes/`, an entry of the feed.
#[derive(Serialize)]
pub(super) struct SiteChangeView<'a> {
    /// The vendor's name and page.
    vendor: &'a str,
    slug: &'a str,
    url: String,
    commit: Option<CommitView<'a>>,
    change: ChangeView<'a>,
    /// The SCIM premium, then the SSO premium, around the change.
    premiums: [PremiumChange<'a>; 2],
    /// Stable across builds and renames of the record's file, for the feed's ids: the commit
    /// that added the record (its slug in a shallow clone), the commit of the change and the
    /// change's place in it.
    feed_id: String,
}

impl<'a> SiteChangeView<'a> {
    /// When it was committed; `None` when it is not yet.
    pub(super) fn date(&self) -> Option<Date> {
        self.commit.as_ref().map(|commit| commit.date)
    }

    pub(super) fn new(site: &'a Site, at: ChangeAt) -> Option<SiteChangeView<'a>> {
        let vendor = &site.vendors[at.vendor];
        let event = event_of(&site.vendors, at)?;
        let change = event.changes.get(at.change)?;
        Some(SiteChangeView {
            vendor: &vendor.name,
            slug: &vendor.slug,
            url: vendor_path(&vendor.slug),
            commit: commit_of(&site.facts, event),
            change: ChangeView::new(change),
            premiums: PremiumChange::both(event),
            feed_id: format!(
                "{}-{}-{}",
                record_identity(vendor),
                event.commit.as_deref().unwrap_or("uncommitted"),
                at.change + 1
            ),
        })
    }
}

/// What names a record whatever its file is called since: the commit that added it.
fn record_identity(vendor: &VendorRow) -> &str {
    let first = vendor
        .history
        .as_ref()
        .and_then(|h| h.first_committed.as_ref());
    first.map_or(vendor.slug.as_str(), |first| first.commit.as_str())
}

/// A kind of change as the filter of `/changes/` offers it.
#[derive(Serialize)]
pub(super) struct KindLink {
    /// `None` for every kind.
    kind: Option<ChangeKind>,
    label: &'static str,
    /// The first page of its list, below the site root.
    url: String,
    count: usize,
    current: bool,
}

/// The filter of `/changes/`: every kind, then each kind with changes (the kinds that have
/// a page), with its count.
pub(super) fn kind_links(site: &Site, current: Option<ChangeKind>) -> Vec<KindLink> {
    let Some(changes) = &site.summary.changes else {
        return Vec::new();
    };
    let kinds = std::iter::once(None).chain(ChangeKind::ALL.map(Some));
    kinds
        .filter(|&kind| kind.is_none() || changes.count(kind) > 0)
        .map(|kind| KindLink {
            kind,
            label: kind.map_or("All changes", ChangeKind::label),
            url: changes_path(kind),
            count: changes.count(kind),
            current: kind == current,
        })
        .collect()
}
