use std::sync::Arc;

use super::*;
use crate::compute::{ComputedVendor, SiteFacts};
use crate::load::VendorEntry;
use crate::model::Date;

fn facts() -> SiteFacts {
    SiteFacts {
        config: Arc::new(
            serde_saphyr::from_str("title: T\nbase_url: https://example.org\n").unwrap(),
        ),
        idps: Arc::new(serde_saphyr::from_str("okta: {name: Okta}\n").unwrap()),
        today: date("2026-11-30"),
        vendor_count: 1,
        repository_folder: Arc::from(""),
        history: None,
    }
}

fn date(text: &str) -> Date {
    serde_saphyr::from_str(text).unwrap()
}

/// What a record of these tiers (and `verified`) shows.
fn snapshot(verified: &str, tiers: &str) -> Snapshot {
    let yaml = format!(
        "name: Acme\nverified: {verified}\nsso: {{available: true}}\n\
         scim: {{available: true}}\ntiers:\n{tiers}"
    );
    let entry = VendorEntry {
        slug: "acme".into(),
        path: "data/vendors/acme.yaml".into(),
        file: "data/vendors/acme.yaml".into(),
        record: serde_saphyr::from_str(&yaml).unwrap(),
    };
    Snapshot::of(&ComputedVendor::new(Arc::new(entry), &facts()))
}

const PRO_8: &str = "  - {name: Pro, price: {amount: 8, currency: USD, per: user/month}}\n";
const PRO_10: &str = "  - {name: Pro, price: {amount: 10, currency: USD, per: user/month}}\n";
const BUSINESS_20: &str = "  - {name: Business, price: {amount: 20, currency: USD, per: user/month}, sso: true, scim: true}\n";
const BUSINESS_CUSTOM: &str = "  - {name: Business, price: custom, sso: true, scim: true}\n";

fn committed(commit: &str, day: &str, snapshot: Option<Snapshot>) -> CommittedSnapshot {
    CommittedSnapshot {
        commit: commit.to_owned(),
        date: date(day),
        snapshot,
    }
}

#[test]
fn a_price_change_names_the_plan_and_the_premium_around_it() {
    let old = snapshot("2026-01-01", &format!("{PRO_8}{BUSINESS_20}"));
    let new = snapshot("2026-01-01", &format!("{PRO_10}{BUSINESS_20}"));
    let history = PriceHistory::new(
        &new,
        vec![
            committed("b", "2026-03-01", Some(new.clone())),
            committed("a", "2026-01-05", Some(old)),
        ],
        true,
    );
    assert_eq!(history.events.len(), 1);
    let event = &history.events[0];
    assert_eq!(event.commit.as_deref(), Some("b"));
    assert_eq!(event.date, Some(date("2026-03-01")));
    assert_eq!(event.dated_by, Some(DatedBy::Commit));
    assert_eq!(
        event.changes,
        [Change {
            kind: ChangeKind::Price,
            tier: Some("Pro".into()),
            before: Some("$8/user/month".into()),
            after: Some("$10/user/month".into()),
        }]
    );
    assert_eq!(
        event.changes[0].describe(),
        "Pro price: $8/user/month → $10/user/month"
    );
    assert_eq!(event.scim_premium_before.text, "+150%");
    assert_eq!(event.scim_premium_after.text, "+100%");
    // The commit that added the record set its `verified` date, which dates it.
    let first = history.first_committed.unwrap();
    assert_eq!(
        (first.commit.as_str(), first.date, first.dated_by),
        ("a", date("2026-01-01"), DatedBy::Verified)
    );
    assert!(!history.never_committed && history.complete);
}

#[test]
fn a_verified_date_changed_in_the_same_commit_dates_the_change() {
    let old = snapshot("2026-01-01", &format!("{PRO_8}{BUSINESS_20}"));
    let checked_in_may = snapshot("2026-05-10", &format!("{PRO_10}{BUSINESS_20}"));
    let history = PriceHistory::new(
        &checked_in_may,
        vec![
            committed("b", "2026-06-02", Some(checked_in_may.clone())),
            committed("a", "2026-01-05", Some(old)),
        ],
        true,
    );
    assert_eq!(history.events[0].date, Some(date("2026-05-10")));
    assert_eq!(history.events[0].dated_by, Some(DatedBy::Verified));
    // A `verified` after the commit cannot be when the change was made: the commit dates it.
    let in_the_future = snapshot("2026-07-01", &format!("{PRO_10}{BUSINESS_20}"));
    let old = snapshot("2026-01-01", &format!("{PRO_8}{BUSINESS_20}"));
    let history = PriceHistory::new(
        &in_the_future,
        vec![
            committed("b", "2026-06-02", Some(in_the_future.clone())),
            committed("a", "2026-01-05", Some(old)),
        ],
        true,
    );
    assert_eq!(history.events[0].date, Some(date("2026-06-02")));
    assert_eq!(history.events[0].dated_by, Some(DatedBy::Commit));
}

#[test]
fn plans_added_and_removed_and_the_scim_plan_are_changes_too() {
    let old = snapshot("2026-01-01", &format!("{PRO_8}{BUSINESS_20}"));
    let new = snapshot(
        "2026-01-01",
        &format!("{PRO_8}  - {{name: Enterprise, price: custom, sso: true, scim: true}}\n"),
    );
    let history = PriceHistory::new(
        &new,
        vec![
            committed("b", "2026-02-01", Some(new.clone())),
            committed("a", "2026-01-01", Some(old)),
        ],
        true,
    );
    let kinds: Vec<ChangeKind> = history.events[0].changes.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::TierAdded,
            ChangeKind::TierRemoved,
            ChangeKind::ScimTier,
            ChangeKind::SsoTier
        ]
    );
    let described: Vec<String> = history.events[0]
        .changes
        .iter()
        .map(Change::describe)
        .collect();
    assert_eq!(
        described,
        [
            "Enterprise added (Custom)",
            "Business removed (was $20/user/month)",
            "Plan for SCIM: Business → Enterprise",
            "Plan for SSO: Business → Enterprise",
        ]
    );
    assert_eq!(history.events[0].scim_premium_after.text, "Custom");
}

#[test]
fn edits_not_yet_committed_have_no_date_and_come_first() {
    let committed_version = snapshot("2026-01-01", &format!("{PRO_8}{BUSINESS_20}"));
    let edited = snapshot("2026-01-01", &format!("{PRO_8}{BUSINESS_CUSTOM}"));
    let history = PriceHistory::new(
        &edited,
        vec![committed("a", "2026-01-01", Some(committed_version))],
        true,
    );
    let event = &history.events[0];
    assert_eq!(
        (event.commit.as_ref(), event.date, event.dated_by),
        (None, None, None)
    );
    assert_eq!(history.pending().count(), 1);
    // A record never committed has no history yet, and says so.
    let new = PriceHistory::new(&edited, Vec::new(), true);
    assert!(new.never_committed && new.events.is_empty() && new.first_committed.is_none());
}

#[test]
fn a_version_that_fails_todays_checks_is_passed_over() {
    let first = snapshot("2026-01-01", &format!("{PRO_8}{BUSINESS_20}"));
    let last = snapshot("2026-01-01", &format!("{PRO_10}{BUSINESS_20}"));
    let history = PriceHistory::new(
        &last,
        vec![
            committed("c", "2026-03-01", Some(last.clone())),
            committed("b", "2026-02-01", None),
            committed("a", "2026-01-01", Some(first)),
        ],
        true,
    );
    assert_eq!(history.events.len(), 1);
    assert_eq!(history.events[0].commit.as_deref(), Some("c"));
    assert_eq!(history.passed_over, ["b"]);
    // Nothing a buyer sees changed: no event.
    let same = PriceHistory::new(
        &last,
        vec![
            committed("b", "2026-02-01", Some(last.clone())),
            committed("a", "2026-01-01", Some(last.clone())),
        ],
        true,
    );
    assert!(same.events.is_empty());
}

#[test]
fn a_shallow_clone_does_not_claim_a_first_commit() {
    let only = snapshot("2026-01-01", PRO_8);
    let history = PriceHistory::new(
        &only,
        vec![committed("a", "2026-01-01", Some(only.clone()))],
        false,
    );
    assert!(history.first_committed.is_none() && !history.complete);
}

#[test]
fn a_verified_date_never_puts_a_change_before_the_one_before_it() {
    let first = snapshot("2025-08-01", &format!("{PRO_8}{BUSINESS_20}"));
    let second = snapshot("2025-08-01", &format!("{PRO_10}{BUSINESS_20}"));
    // Merged later, but checked before the change above was made.
    let third = snapshot("2025-10-28", &format!("{PRO_10}{BUSINESS_CUSTOM}"));
    let history = PriceHistory::new(
        &third,
        vec![
            committed("c", "2025-11-15", Some(third.clone())),
            committed("b", "2025-11-05", Some(second)),
            committed("a", "2025-08-01", Some(first)),
        ],
        true,
    );
    let dates: Vec<_> = history
        .events
        .iter()
        .map(|e| (e.date, e.dated_by))
        .collect();
    assert_eq!(
        dates,
        [
            (Some(date("2025-11-15")), Some(DatedBy::Commit)),
            (Some(date("2025-11-05")), Some(DatedBy::Commit)),
        ]
    );
}

#[test]
fn scim_no_longer_offered_is_one_change_not_two() {
    let with_scim = snapshot("2026-01-01", &format!("{PRO_8}{BUSINESS_20}"));
    let yaml = format!(
        "name: Acme\nverified: 2026-01-01\nsso: {{available: true}}\nscim: {{available: false}}\n\
         tiers:\n{PRO_8}{}",
        BUSINESS_20.replace(", scim: true", "")
    );
    let entry = VendorEntry {
        slug: "acme".into(),
        path: "data/vendors/acme.yaml".into(),
        file: "data/vendors/acme.yaml".into(),
        record: serde_saphyr::from_str(&yaml).unwrap(),
    };
    let without = Snapshot::of(&ComputedVendor::new(Arc::new(entry), &facts()));
    let history = PriceHistory::new(
        &without,
        vec![committed("a", "2026-01-01", Some(with_scim))],
        true,
    );
    let described: Vec<String> = history.events[0]
        .changes
        .iter()
        .map(Change::describe)
        .collect();
    assert_eq!(described, ["SCIM offered: Yes → No"]);
}
