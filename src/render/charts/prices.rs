//! The price history chart of a vendor page: each plan's price over time, as steps, with the
//! dates of the changes. Prices sold by different units (per user per month, per month...) or
//! in different currencies cannot share an axis, so each unit gets a chart of its own.

use serde::Serialize;

use super::{
    Frame, Scale, Tick, WIDTH, grid_path, label_gap, left_of_plot, linear_ticks, path, short_money,
    spaced,
};
use crate::compute::{DatedPrices, PriceHistory};
use crate::model::Date;

const HEIGHT: f64 = 214.0;
const FRAME: Frame = Frame {
    left: 46.0,
    top: 8.0,
    right: WIDTH - 34.0,
    bottom: 186.0,
};

/// How many colours the templates' stylesheet has for plans; later plans reuse them.
const SERIES_STYLES: usize = 6;

/// One chart of price history: the plans priced in one unit and currency.
#[derive(Debug, Serialize)]
pub(crate) struct PriceChart {
    #[serde(serialize_with = "super::coordinate")]
    width: f64,
    #[serde(serialize_with = "super::coordinate")]
    height: f64,
    frame: Frame,
    title: String,
    /// The chart in words, with every price and date.
    description: String,
    x_ticks: Vec<Tick>,
    y_ticks: Vec<Tick>,
    /// The grid as a path: across at each price tick, up at each date tick.
    grid: String,
    series: Vec<Series>,
}

#[derive(Debug, Serialize)]
struct Series {
    tier: String,
    /// 1 to `SERIES_STYLES`: the class that colours it.
    style: usize,
    path: String,
    /// A dot at each price it takes, with the date.
    marks: Vec<StepMark>,
    /// Its name and latest price in this unit: "Team: $9/user/month now", or until when.
    legend: String,
}

#[derive(Debug, Serialize)]
struct StepMark {
    #[serde(serialize_with = "super::coordinate")]
    x: f64,
    #[serde(serialize_with = "super::coordinate")]
    y: f64,
    title: String,
}

/// One plan's prices in one unit, each from a point of its history on.
struct Steps<'a> {
    tier: &'a str,
    prices: Vec<Step<'a>>,
}

/// A plan's price from one point of its history on.
#[derive(Clone, Copy)]
struct Step<'a> {
    /// Where it is drawn from: its date, kept from running back before the step before it
    /// (a rebased commit keeps its older date) or past the day of the build.
    at: Date,
    /// The date of the change, as the history table gives it; `None` when not yet committed.
    when: Option<Date>,
    /// The amount and its text; `None` where the plan has no price in this unit.
    price: Option<(f64, &'a str)>,
}

impl Step<'_> {
    fn amount(&self) -> Option<f64> {
        self.price.map(|(amount, _)| amount)
    }

    fn when_text(&self) -> String {
        self.when
            .map_or_else(|| "not yet committed".to_owned(), |d| d.to_string())
    }
}

impl PriceChart {
    /// The charts of `history` up to `today`, one per unit of price; none until a committed
    /// change has given a price a second value.
    pub(crate) fn of(history: &PriceHistory, today: Date) -> Vec<PriceChart> {
        let mut latest: Option<Date> = None;
        let dated: Vec<(Date, &DatedPrices)> = history
            .prices
            .iter()
            .map(|p| {
                let at = p.date.unwrap_or(today).min(today);
                let at = latest.map_or(at, |before| at.max(before));
                latest = Some(at);
                (at, p)
            })
            .collect();
        if dated.len() < 2 {
            return Vec::new();
        }
        units(&dated)
            .into_iter()
            .filter_map(|unit| chart_of_unit(&dated, &unit, today))
            .collect()
    }
}

/// A unit of price: its currency and what one amount buys.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    currency: String,
    per: &'static str,
}

impl Unit {
    fn describe(&self) -> String {
        let per = match self.per {
            "user/month" => "per user per month",
            "user/year" => "per user per year",
            "month" => "per month",
            "year" => "per year",
            other => other,
        };
        format!("{} {per}", self.currency)
    }
}

/// Every unit some plan's price is in, in the order first met.
fn units(dated: &[(Date, &DatedPrices)]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for (_, prices) in dated {
        for tier in &prices.tiers {
            if let (Some(_), Some(currency), Some(per)) =
                (tier.price.amount, &tier.price.currency, tier.price.per)
            {
                let unit = Unit {
                    currency: currency.clone(),
                    per,
                };
                if !units.contains(&unit) {
                    units.push(unit);
                }
            }
        }
    }
    units
}

fn chart_of_unit(dated: &[(Date, &DatedPrices)], unit: &Unit, today: Date) -> Option<PriceChart> {
    let steps = steps_in(dated, unit);
    let first = dated.first()?.0;
    let unchanged = |s: &Steps| {
        s.prices[0].at == first && s.prices.iter().all(|p| p.amount() == s.prices[0].amount())
    };
    if steps.iter().all(unchanged) {
        // Every plan in this unit kept its price throughout: the table says so in fewer words.
        return None;
    }
    let amounts = steps
        .iter()
        .flat_map(|s| s.prices.iter().filter_map(Step::amount));
    let highest = amounts.fold(0f64, f64::max);
    let y_ticks_at = linear_ticks(highest);
    let top = *y_ticks_at.last()?;
    let span = first.days_until(today).max(1) as f64;
    let y = Scale::linear((0.0, top), (FRAME.bottom, FRAME.top));
    let currency = &unit.currency;
    let y_ticks: Vec<Tick> = y_ticks_at
        .iter()
        .map(|&value| Tick {
            at: y.at(value),
            label: short_money(value, currency),
            strong: false,
        })
        .collect();
    let frame = Frame {
        left: left_of_plot(&y_ticks),
        ..FRAME
    };
    let x = Scale::linear((0.0, span), (frame.left, frame.right));
    let x_of = |date: Date| x.at(first.days_until(date) as f64);
    let series: Vec<Series> = steps
        .iter()
        .enumerate()
        .map(|(i, steps)| series_of(steps, i, (x_of, y), today))
        .collect();
    let x_ticks = date_ticks(&steps, first, today, x_of);
    Some(PriceChart {
        width: WIDTH,
        height: HEIGHT,
        frame,
        title: format!("Price of each plan over time, {}", unit.describe()),
        description: describe(&steps, unit, first, today),
        grid: grid_path(
            frame,
            y_ticks.iter().map(|t| t.at),
            x_ticks.iter().map(|t| t.at),
        ),
        x_ticks,
        y_ticks,
        series,
    })
}

/// Each plan that has a price in `unit` at some date, with its price in that unit from each
/// date on.
fn steps_in<'a>(dated: &[(Date, &'a DatedPrices)], unit: &Unit) -> Vec<Steps<'a>> {
    let mut all: Vec<Steps<'a>> = Vec::new();
    for &(date, prices) in dated {
        for tier in &prices.tiers {
            let in_unit = match (tier.price.amount, &tier.price.currency, tier.price.per) {
                (Some(amount), Some(currency), Some(per))
                    if *currency == unit.currency && per == unit.per =>
                {
                    Some((amount, tier.price.text.as_str()))
                }
                _ => None,
            };
            let step = Step {
                at: date,
                when: prices.date,
                price: in_unit,
            };
            match all.iter_mut().find(|s| s.tier == tier.tier) {
                Some(steps) => steps.prices.push(step),
                None if in_unit.is_some() => all.push(Steps {
                    tier: &tier.tier,
                    prices: vec![step],
                }),
                None => {}
            }
        }
        // A plan gone from this version has no price from its date on.
        for steps in all.iter_mut() {
            if !prices.tiers.iter().any(|t| t.tier == steps.tier) {
                steps.prices.push(Step {
                    at: date,
                    when: prices.date,
                    price: None,
                });
            }
        }
    }
    all
}

fn series_of(
    steps: &Steps,
    index: usize,
    (x_of, y): (impl Fn(Date) -> f64, Scale),
    today: Date,
) -> Series {
    let mut d = String::new();
    let mut marks = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let ends = steps.prices.iter().skip(1).map(|s| s.at).chain([today]);
    let mut last_amount = None;
    for (step, end) in steps.prices.iter().zip(ends) {
        match step.price {
            Some((amount, text)) => {
                let level = y.at(amount);
                run.push((x_of(step.at), level));
                run.push((x_of(end), level));
                if last_amount != Some(amount) {
                    marks.push(StepMark {
                        x: x_of(step.at),
                        y: level,
                        title: format!("{}: {} {text}", step.when_text(), steps.tier),
                    });
                }
                last_amount = Some(amount);
            }
            None => {
                d.push_str(&path(&run));
                run.clear();
                last_amount = None;
            }
        }
    }
    d.push_str(&path(&run));
    Series {
        tier: steps.tier.to_owned(),
        style: index % SERIES_STYLES + 1,
        path: d,
        marks,
        legend: legend_of(steps),
    }
}

/// "Team: $9/user/month now", or, for a plan no longer priced in this unit, "Business:
/// $18/user/month until 2025-08-10".
fn legend_of(steps: &Steps) -> String {
    let last_priced = steps.prices.iter().rposition(|s| s.price.is_some());
    let Some(at) = last_priced else {
        return steps.tier.to_owned();
    };
    let text = steps.prices[at].price.map_or("", |(_, text)| text);
    match steps.prices.get(at + 1) {
        None => format!("{}: {text} now", steps.tier),
        Some(next) => format!("{}: {text} until {}", steps.tier, next.when_text()),
    }
}

/// The chart in words: each plan's prices with the dates they took effect.
fn describe(steps: &[Steps], unit: &Unit, first: Date, today: Date) -> String {
    let mut text = format!("Prices {} from {first} to {today}.", unit.describe());
    for steps in steps {
        let mut last = None;
        let changes: Vec<String> = steps
            .prices
            .iter()
            .filter_map(|step| {
                if step.amount() == last {
                    return None;
                }
                last = step.amount();
                let text = step.price.map_or("no price in this unit", |(_, text)| text);
                Some(match step.when {
                    Some(date) => format!("{text} from {date}"),
                    None => format!("{text}, not yet committed"),
                })
            })
            .collect();
        text.push_str(&format!(" {}: {}.", steps.tier, changes.join(", ")));
    }
    text
}

/// A tick at the first date, at each date a price of this chart changed on (as committed, in
/// order), and at the day of the build, where their labels have room.
fn date_ticks(steps: &[Steps], first: Date, today: Date, x_of: impl Fn(Date) -> f64) -> Vec<Tick> {
    let mut dates = vec![first];
    for steps in steps {
        let changes = steps
            .prices
            .windows(2)
            .filter(|w| w[0].amount() != w[1].amount());
        dates.extend(
            changes
                .map(|w| w[1])
                .filter(|step| step.when == Some(step.at))
                .map(|step| step.at),
        );
    }
    dates.sort();
    dates.dedup();
    let last_change = dates.last().copied();
    let mut ticks: Vec<Tick> = dates
        .into_iter()
        .map(|date| Tick {
            at: x_of(date),
            label: date.to_string(),
            // The first date and the latest change keep their labels.
            strong: date == first || Some(date) == last_change,
        })
        .collect();
    if last_change != Some(today) {
        ticks.push(Tick {
            at: x_of(today),
            label: today.to_string(),
            strong: false,
        });
    }
    spaced(ticks, label_gap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{PriceKind, PriceView, TierPrice};

    fn day(text: &str) -> Date {
        Date(text.parse().unwrap())
    }

    fn prices(date: Option<&str>, tiers: &[(&str, f64)]) -> DatedPrices {
        DatedPrices {
            date: date.map(day),
            tiers: tiers
                .iter()
                .map(|&(tier, amount)| TierPrice {
                    tier: tier.to_owned(),
                    price: PriceView {
                        kind: PriceKind::Priced,
                        text: format!("${amount}/user/month"),
                        amount: Some(amount),
                        currency: Some("USD".to_owned()),
                        per: Some("user/month"),
                        approximate: false,
                        min_seats: None,
                    },
                })
                .collect(),
        }
    }

    fn history(prices: Vec<DatedPrices>) -> PriceHistory {
        PriceHistory {
            first_committed: None,
            never_committed: false,
            passed_over: Vec::new(),
            complete: true,
            events: Vec::new(),
            prices,
        }
    }

    #[test]
    fn dates_out_of_order_stay_inside_the_chart_and_keep_their_own_text() {
        let charts = PriceChart::of(
            &history(vec![
                prices(Some("2024-01-10"), &[("Team", 8.0), ("Business", 18.0)]),
                prices(Some("2023-05-01"), &[("Team", 9.0), ("Business", 18.0)]),
                prices(Some("2027-06-01"), &[("Team", 10.0)]),
                prices(None, &[("Team", 11.0)]),
            ]),
            day("2026-12-01"),
        );
        assert_eq!(charts.len(), 1);
        let chart = &charts[0];
        let inside = |x: f64| x >= chart.frame.left && x <= chart.frame.right;
        assert!(chart.x_ticks.iter().all(|t| inside(t.at)));
        assert!(
            chart
                .series
                .iter()
                .flat_map(|s| &s.marks)
                .all(|m| inside(m.x))
        );
        assert!(chart.description.contains(
            "Team: $8/user/month from 2024-01-10, $9/user/month from 2023-05-01, $10/user/month from 2027-06-01, $11/user/month, not yet committed."
        ));
        let legends: Vec<&str> = chart.series.iter().map(|s| s.legend.as_str()).collect();
        assert_eq!(
            legends,
            [
                "Team: $11/user/month now",
                "Business: $18/user/month until 2027-06-01"
            ]
        );
    }

    #[test]
    fn no_chart_when_no_price_changed() {
        let charts = PriceChart::of(
            &history(vec![
                prices(Some("2024-01-10"), &[("Team", 8.0)]),
                prices(Some("2024-02-10"), &[("Team", 8.0), ("Business", 18.0)]),
            ]),
            day("2026-12-01"),
        );
        assert_eq!(charts.len(), 1, "a plan added is a change");
        let charts = PriceChart::of(
            &history(vec![prices(Some("2024-01-10"), &[("Team", 8.0)])]),
            day("2026-12-01"),
        );
        assert!(charts.is_empty());
    }
}
