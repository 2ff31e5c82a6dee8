//! The price history chart of a vendor page: each plan's price over time, as steps, with the
//! dates of the changes. Prices sold by different units (per user per month, per month...) or
//! in different currencies cannot share an axis, so each unit gets a chart of its own.

use serde::Serialize;

use super::{
    Frame, Scale, Tick, WIDTH, grid_path, left_of_plot, linear_ticks, path, short_money, spaced,
};
use crate::compute::{DatedPrices, PriceHistory};
use crate::model::Date;

const HEIGHT: f64 = 214.0;
const FRAME: Frame = Frame {
    left: 46.0,
    top: 8.0,
    right: WIDTH - 18.0,
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
    /// Its latest price, as people read it.
    latest: String,
}

#[derive(Debug, Serialize)]
struct StepMark {
    #[serde(serialize_with = "super::coordinate")]
    x: f64,
    #[serde(serialize_with = "super::coordinate")]
    y: f64,
    title: String,
}

/// One plan's prices in one unit: from each date (`None`: where it has no price in this unit).
struct Steps<'a> {
    tier: &'a str,
    prices: Vec<(Date, Option<(f64, &'a str)>)>,
}

impl PriceChart {
    /// The charts of `history` up to `today`, one per unit of price; none until a committed
    /// change has given a price a second value.
    pub(crate) fn of(history: &PriceHistory, today: Date) -> Vec<PriceChart> {
        let dated: Vec<(Date, &DatedPrices)> = history
            .prices
            .iter()
            .map(|p| (p.date.unwrap_or(today), p))
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
    let unchanged =
        |s: &Steps| s.prices[0].0 == first && s.prices.iter().all(|p| p.1 == s.prices[0].1);
    if steps.iter().all(unchanged) {
        // Every plan in this unit kept its price throughout: the table says so in fewer words.
        return None;
    }
    let amounts = steps
        .iter()
        .flat_map(|s| s.prices.iter().filter_map(|(_, p)| p.map(|(a, _)| a)));
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
    let x_ticks = date_ticks(dated, today, x_of);
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
            match all.iter_mut().find(|s| s.tier == tier.tier) {
                Some(steps) => steps.prices.push((date, in_unit)),
                None if in_unit.is_some() => all.push(Steps {
                    tier: &tier.tier,
                    prices: vec![(date, in_unit)],
                }),
                None => {}
            }
        }
        // A plan gone from this version has no price from its date on.
        for steps in all.iter_mut() {
            if !prices.tiers.iter().any(|t| t.tier == steps.tier) {
                steps.prices.push((date, None));
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
    let ends = steps
        .prices
        .iter()
        .skip(1)
        .map(|(date, _)| *date)
        .chain([today]);
    let mut last_amount = None;
    for (&(date, price), end) in steps.prices.iter().zip(ends) {
        match price {
            Some((amount, text)) => {
                let level = y.at(amount);
                run.push((x_of(date), level));
                run.push((x_of(end), level));
                if last_amount != Some(amount) {
                    marks.push(StepMark {
                        x: x_of(date),
                        y: level,
                        title: format!("{date}: {} {text}", steps.tier),
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
    let latest = steps
        .prices
        .iter()
        .rev()
        .find_map(|(_, p)| p.map(|(_, text)| text.to_owned()))
        .unwrap_or_default();
    Series {
        tier: steps.tier.to_owned(),
        style: index % SERIES_STYLES + 1,
        path: d,
        marks,
        latest,
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
            .filter_map(|&(date, price)| {
                let amount = price.map(|(a, _)| a);
                if amount == last {
                    return None;
                }
                last = amount;
                Some(match price {
                    Some((_, text)) => format!("{text} from {date}"),
                    None => format!("no price in this unit from {date}"),
                })
            })
            .collect();
        text.push_str(&format!(" {}: {}.", steps.tier, changes.join(", ")));
    }
    text
}

/// A tick at each date a price changed, where its label has room.
fn date_ticks(
    dated: &[(Date, &DatedPrices)],
    today: Date,
    x_of: impl Fn(Date) -> f64,
) -> Vec<Tick> {
    let mut ticks: Vec<Tick> = dated
        .iter()
        .enumerate()
        .map(|(i, (date, _))| Tick {
            at: x_of(*date),
            label: date.to_string(),
            // The first date and the latest change keep their labels.
            strong: i == 0 || i + 1 == dated.len(),
        })
        .collect();
    ticks.push(Tick {
        at: x_of(today),
        label: today.to_string(),
        strong: false,
    });
    spaced(ticks, 64.0)
}
