//! The yearly cost of the cheapest paid plan, of SSO and of SCIM at every team size from one
//! user to a few times the site's largest team size: the lines of a vendor page's cost chart.
//!
//! Each line is the cheapest of the ways to buy what it stands for, found by
//! [`super::at_size::cheapest`] as the tables find it, so the chart passes through the tables'
//! figures at the site's team sizes. Each way to buy is linear in the team size between its
//! seat minimums (a seat minimum holds a cost flat, a flat price never moves), and of lines,
//! each is the cheapest over one stretch at most between two bends, so a line is kept as the
//! team sizes where it may bend: every seat minimum and the points where another plan becomes
//! the cheapest, found by halving. Only a sum of a flat and a per-user price is a curve on the
//! chart's logarithmic scales; such a line is also kept at sizes evenly spaced on them.

use serde::Serialize;

use super::at_size::{cheapest, paid_offers, unpriced_tiers_before};
use super::offers::{Feature, Offer, offers_with};
use crate::model::{Per, Price, Vendor};

/// How many team sizes per tenfold range a line is sampled at, besides its bends.
const SAMPLES_PER_DECADE: u32 = 12;

/// What a line of the cost chart stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CurveKind {
    /// The cheapest paid plan: what a team pays without SSO or SCIM.
    Paid,
    /// The cheapest plan with SSO.
    Sso,
    /// The cheapest plan with SCIM.
    Scim,
}

impl CurveKind {
    /// As the chart's legend names it.
    pub fn label(self) -> &'static str {
        match self {
            CurveKind::Paid => "Cheapest paid plan",
            CurveKind::Sso => "Cheapest plan with SSO",
            CurveKind::Scim => "Cheapest plan with SCIM",
        }
    }
}

/// The cost lines of one vendor, from 1 user to `max_users`.
#[derive(Debug, Clone, PartialEq)]
pub struct CostCurves {
    /// The largest team size the lines reach.
    pub max_users: u32,
    /// The lines that have a published price, in the order paid, SSO, SCIM.
    pub lines: Vec<CostLine>,
}

/// One line: the yearly cost of the cheapest way to buy something, by team size.
#[derive(Debug, Clone, PartialEq)]
pub struct CostLine {
    /// What it stands for.
    pub kind: CurveKind,
    /// The plans it passes through, in the order it meets them.
    pub plans: Vec<String>,
    /// Ascending team sizes from 1 to `max_users`, with the cost there.
    pub points: Vec<CurvePoint>,
}

/// The cost of a line at one team size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    /// The team size.
    pub users: u32,
    /// The yearly cost.
    pub annual: f64,
    /// The cheapest plan there: an index into the line's `plans`.
    pub plan: usize,
    /// Whether the cost comes from an estimated price.
    pub approximate: bool,
}

impl CostLine {
    /// The cost at `users`, when the line reaches that far.
    pub fn at(&self, users: u32) -> Option<CurvePoint> {
        self.points.iter().find(|p| p.users == users).copied()
    }

    /// Whether the line costs nothing at every size (a free plan has the feature).
    pub fn is_free(&self) -> bool {
        self.points.iter().all(|p| p.annual == 0.0)
    }
}

/// The cost lines of `vendor` from 1 user to a few times the largest of `team_sizes`, each
/// passing through every one of `team_sizes`.
pub fn cost_curves(vendor: &Vendor, team_sizes: &[u32]) -> CostCurves {
    let max_users = chart_max_users(team_sizes);
    let mut paid = paid_offers(&vendor.tiers);
    // As the tables: while a plan listed before the cheapest published one has no published
    // price, which paid plan is the cheapest is not known, nor what SCIM costs over it.
    if paid
        .first()
        .is_some_and(|first| !unpriced_tiers_before(&vendor.tiers, first.tier).is_empty())
    {
        paid.clear();
    }
    let feature_offers = |feature| {
        let offers = offers_with(vendor, feature);
        // As the tables: when the first plan with the feature has no published price, what
        // the feature costs is unknown, whatever later plans cost.
        match offers.first() {
            Some(first) if first.has_unknown_price() => Vec::new(),
            _ => offers,
        }
    };
    let lines = [
        (CurveKind::Paid, paid),
        (CurveKind::Sso, feature_offers(Feature::Sso)),
        (CurveKind::Scim, feature_offers(Feature::Scim)),
    ]
    .into_iter()
    .filter_map(|(kind, offers)| cost_line(kind, &offers, team_sizes, max_users))
    .collect();
    CostCurves { max_users, lines }
}

/// Three times the largest team size, rounded up to 1, 2 or 5 times a power of ten, so that
/// the chart shows where costs go past the sizes the tables stop at.
pub fn chart_max_users(team_sizes: &[u32]) -> u32 {
    let largest = team_sizes.iter().copied().max().unwrap_or(10).max(10);
    let wanted = u64::from(largest) * 3;
    let mut power = 1u64;
    loop {
        for step in [1, 2, 5] {
            if power * step >= wanted {
                return u32::try_from(power * step).unwrap_or(u32::MAX);
            }
        }
        power *= 10;
    }
}

/// The line of the cheapest of `offers`, or `None` when none of them has a published price.
fn cost_line(
    kind: CurveKind,
    offers: &[Offer],
    team_sizes: &[u32],
    max_users: u32,
) -> Option<CostLine> {
    let mut line = CostLine {
        kind,
        plans: Vec::new(),
        points: Vec::new(),
    };
    let mut sizes = sample_sizes(offers, team_sizes, max_users);
    // The offers met so far, in the order of `line.plans`: compared by identity, so that a
    // name is written once per plan, not once per size.
    let mut met: Vec<Offer> = Vec::new();
    let mut cheapest_at = |users: u32| -> Option<CurvePoint> {
        let (offer, annual) = cheapest(offers, users)?;
        let plan = match met.iter().position(|o| o.is(&offer)) {
            Some(plan) => plan,
            None => {
                met.push(offer);
                line.plans.push(offer.name());
                met.len() - 1
            }
        };
        Some(CurvePoint {
            users,
            annual,
            plan,
            approximate: offer.is_approximate(),
        })
    };
    let mut points: Vec<CurvePoint> = Vec::with_capacity(sizes.len() + 4);
    while let Some(users) = sizes.pop() {
        let point = cheapest_at(users)?;
        if let Some(last) = points.last().copied()
            && last.plan != point.plan
            && point.users > last.users + 1
        {
            // Another plan became the cheapest between the two sizes: find the first size
            // where it is, and draw the change there.
            let first = first_size_of_plan(last.users, point.users, point.plan, &mut cheapest_at);
            if first < users {
                sizes.push(users);
            }
            sizes.push(first);
            if first > last.users + 1 {
                sizes.push(first - 1);
            }
            continue;
        }
        points.push(point);
    }
    line.points = points;
    Some(line)
}

/// The smallest team size above `below` and up to `upto` whose cheapest plan is `plan` (at
/// `upto` it is): a search by halves, as costs cross once between two sizes this close.
fn first_size_of_plan(
    below: u32,
    upto: u32,
    plan: usize,
    cheapest_at: &mut impl FnMut(u32) -> Option<CurvePoint>,
) -> u32 {
    let (mut low, mut high) = (below, upto);
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        match cheapest_at(middle) {
            Some(point) if point.plan == plan => high = middle,
            _ => low = middle,
        }
    }
    high
}

/// The team sizes to compute a line at, largest first (they are taken from the end): 1 and
/// `max_users`, every seat minimum of the offers (where a cost starts to grow) and the site's
/// team sizes; and sizes evenly spaced on a logarithmic scale when an offer adds a flat price
/// to a per-user one.
fn sample_sizes(offers: &[Offer], team_sizes: &[u32], max_users: u32) -> Vec<u32> {
    let mut sizes = vec![1, max_users];
    if offers.iter().any(is_curved) {
        let decades = f64::from(max_users).log10();
        let steps = (decades * f64::from(SAMPLES_PER_DECADE)).ceil() as u32;
        sizes.extend((1..steps).map(|step| {
            10f64
                .powf(decades * f64::from(step) / f64::from(steps))
                .round() as u32
        }));
    }
    let seat_minimums = offers.iter().flat_map(|offer| {
        offer.prices().filter_map(|price| match price {
            Some(Price::Amount(amount)) => amount.min_seats,
            _ => None,
        })
    });
    sizes.extend(seat_minimums);
    sizes.extend(team_sizes);
    sizes.retain(|&users| (1..=max_users).contains(&users));
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    sizes
}

/// Whether `offer` adds a flat price to a per-user one: a curve on logarithmic scales.
fn is_curved(offer: &Offer) -> bool {
    let (mut flat, mut per_user) = (false, false);
    for price in offer.prices() {
        if let Some(Price::Amount(amount)) = price {
            match amount.per {
                Per::Month | Per::Year => flat = true,
                Per::UserMonth | Per::UserYear => per_user = true,
            }
        }
    }
    flat && per_user
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Vendor;

    fn vendor(yaml: &str) -> Vendor {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const SEAT_MINIMUM: &str = "name: Seats\ntiers:\n  - name: Team\n    price: {amount: 10, currency: USD, per: user/month, min_seats: 25}\n    sso: true\n    scim: true\n";

    #[test]
    fn the_largest_size_is_three_times_the_largest_team_rounded_up() {
        assert_eq!(chart_max_users(&[50, 100, 200]), 1000);
        assert_eq!(chart_max_users(&[10, 50]), 200);
        assert_eq!(chart_max_users(&[100]), 500);
        assert_eq!(chart_max_users(&[]), 50);
    }

    #[test]
    fn a_seat_minimum_holds_the_cost_flat_until_it_is_reached() {
        let curves = cost_curves(&vendor(SEAT_MINIMUM), &[50]);
        let scim = curves
            .lines
            .iter()
            .find(|l| l.kind == CurveKind::Scim)
            .unwrap();
        assert_eq!(scim.at(1).unwrap().annual, 3000.0);
        assert_eq!(scim.at(25).unwrap().annual, 3000.0);
        assert_eq!(scim.at(50).unwrap().annual, 6000.0);
        assert_eq!(scim.points.first().unwrap().users, 1);
        assert_eq!(scim.points.last().unwrap().users, 200);
    }

    #[test]
    fn the_line_changes_plan_where_another_becomes_cheaper() {
        // A flat $3,000 a year beats $10 a user a month from 26 users on (25 × 120 = 3,000).
        let curves = cost_curves(
            &vendor(
                "name: Cross\ntiers:\n  - name: Per seat\n    price: {amount: 10, currency: USD, per: user/month}\n    scim: true\n  - name: Unlimited\n    price: {amount: 3000, currency: USD, per: year}\n    scim: true\n",
            ),
            &[50],
        );
        let scim = curves
            .lines
            .iter()
            .find(|l| l.kind == CurveKind::Scim)
            .unwrap();
        assert_eq!(scim.plans, ["Per seat", "Unlimited"]);
        let first_unlimited = scim.points.iter().find(|p| p.plan == 1).unwrap();
        assert_eq!(first_unlimited.users, 26);
        assert_eq!(scim.at(25).unwrap().plan, 0);
        assert!(scim.points.windows(2).all(|w| w[0].users < w[1].users));
    }

    #[test]
    fn no_line_without_a_published_price() {
        let curves = cost_curves(
            &vendor(
                "name: Quote\ntiers:\n  - name: Enterprise\n    price: custom\n    scim: true\n",
            ),
            &[50],
        );
        assert!(curves.lines.is_empty());
    }

    #[test]
    fn no_paid_line_while_a_cheaper_plan_has_no_published_price() {
        let curves = cost_curves(
            &vendor(
                "name: Quote\ntiers:\n  - name: Team\n    price: custom\n  - name: Enterprise\n    price: {amount: 20, currency: USD, per: user/month}\n    scim: true\n",
            ),
            &[50],
        );
        let kinds: Vec<CurveKind> = curves.lines.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, [CurveKind::Scim]);
    }

    #[test]
    fn a_free_plan_with_the_feature_is_a_free_line() {
        let curves = cost_curves(
            &vendor(
                "name: Free\ntiers:\n  - name: Free\n    price: free\n    sso: true\n  - name: Pro\n    price: {amount: 5, currency: USD, per: user/month}\n",
            ),
            &[50],
        );
        let kinds: Vec<CurveKind> = curves.lines.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, [CurveKind::Paid, CurveKind::Sso]);
        assert!(curves.lines[1].is_free());
        assert!(!curves.lines[0].is_free());
    }
}
