//! Charts as the templates draw them: the computed figures placed on a chart's surface.
//!
//! Each chart is a view with its coordinates already worked out (in the units of the SVG's
//! `viewBox`), its ticks, a title and a text alternative that carries its numbers. The
//! templates (`charts.html`) turn a view into SVG elements, so a site restyles a chart with CSS
//! or removes it by overriding a template; the figures themselves come from `compute`, as the
//! tables' do.

mod bars;
mod cost;
mod prices;

pub(super) use bars::{ColumnChart, CoverageChart, HorizontalBars};
pub(super) use cost::CostChart;
pub(super) use prices::PriceChart;

use std::fmt::Write;

use serde::Serialize;

use crate::money::{format_money, symbol};

/// The width of every chart's `viewBox`: near a phone's width, so that its text is read at
/// about the size it is written in on a phone and grows a little on wider screens.
pub(super) const WIDTH: f64 = 360.0;

/// Where the plotting area of a chart sits inside its `viewBox`.
#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct Frame {
    #[serde(serialize_with = "coordinate")]
    pub(super) left: f64,
    #[serde(serialize_with = "coordinate")]
    pub(super) top: f64,
    #[serde(serialize_with = "coordinate")]
    pub(super) right: f64,
    #[serde(serialize_with = "coordinate")]
    pub(super) bottom: f64,
}

/// A mark on an axis: where it is and what it says.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(super) struct Tick {
    /// Its position along the axis, in `viewBox` units.
    #[serde(serialize_with = "coordinate")]
    pub(super) at: f64,
    pub(super) label: String,
    /// A tick the reader should find first (the site's team sizes).
    pub(super) strong: bool,
}

/// Maps values onto a span of the `viewBox`, on a linear or a logarithmic scale.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    low: f64,
    high: f64,
    from: f64,
    to: f64,
    logarithmic: bool,
}

impl Scale {
    pub(super) fn linear(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale::new(domain, range, false)
    }

    /// For positive values only.
    pub(super) fn logarithmic(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale::new((domain.0.log10(), domain.1.log10()), range, true)
    }

    fn new(domain: (f64, f64), range: (f64, f64), logarithmic: bool) -> Scale {
        Scale {
            low: domain.0,
            high: domain.1,
            from: range.0,
            to: range.1,
            logarithmic,
        }
    }

    /// Where `value` falls, rounded to a tenth of a unit (finer than any screen shows).
    pub(super) fn at(&self, value: f64) -> f64 {
        let value = if self.logarithmic {
            value.log10()
        } else {
            value
        };
        let span = self.high - self.low;
        let share = if span > 0.0 {
            (value - self.low) / span
        } else {
            0.5
        };
        round(self.from + share * (self.to - self.from))
    }
}

/// Writes a coordinate as briefly as it reads: `46`, not `46.0` (a vendor page has dozens).
pub(super) fn coordinate<S: serde::Serializer>(
    value: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// Grid lines as one SVG path: across the frame at each of `across`, and up it at each of
/// `up` (one element to draw, where a line each would be dozens on a page).
pub(super) fn grid_path(
    frame: Frame,
    across: impl Iterator<Item = f64>,
    up: impl Iterator<Item = f64>,
) -> String {
    let mut d = String::new();
    for y in across {
        let _ = write!(d, "M{} {y}H{}", frame.left, frame.right);
    }
    for x in up {
        let _ = write!(d, "M{x} {}V{}", frame.top, frame.bottom);
    }
    d
}

/// `value` to a tenth, as coordinates are written.
pub(super) fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// An SVG path through `points`, leaving out each point that lies on the straight line between
/// its neighbours (a per-user price is straight on the cost chart's scales).
pub(super) fn path(points: &[(f64, f64)]) -> String {
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for &point in points {
        if kept.last() == Some(&point) {
            continue;
        }
        if kept.len() >= 2 && on_line(kept[kept.len() - 2], kept[kept.len() - 1], point) {
            kept.pop();
        }
        kept.push(point);
    }
    let mut d = String::with_capacity(kept.len() * 12);
    for (i, (x, y)) in kept.iter().enumerate() {
        let _ = write!(d, "{}{x} {y}", if i == 0 { 'M' } else { 'L' });
    }
    d
}

/// Whether `middle` is within a fifth of a unit of the straight line from `start` to `end`.
fn on_line(start: (f64, f64), middle: (f64, f64), end: (f64, f64)) -> bool {
    let (dx, dy) = (end.0 - start.0, end.1 - start.1);
    let length = dx.hypot(dy);
    if length == 0.0 {
        return true;
    }
    let cross = (middle.0 - start.0) * dy - (middle.1 - start.1) * dx;
    (cross / length).abs() < 0.2
}

/// Tick values for a logarithmic axis from `low` to `high`: each power of ten, and 2 and 5
/// times it when the axis spans less than three of them.
pub(super) fn log_ticks(low: f64, high: f64) -> Vec<f64> {
    let decades = (high / low).log10();
    let steps: &[f64] = if decades < 3.0 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let mut ticks = Vec::new();
    let mut power = 10f64.powf(low.log10().floor());
    while power <= high * 1.000_001 {
        for step in steps {
            let tick = power * step;
            if tick >= low * 0.999_999 && tick <= high * 1.000_001 {
                ticks.push(tick);
            }
        }
        power *= 10.0;
    }
    ticks
}

/// Tick values for a linear axis from 0 past `high`: about five, at 1, 2 or 5 times a power
/// of ten apart. The last is at or above `high`.
pub(super) fn linear_ticks(high: f64) -> Vec<f64> {
    if high <= 0.0 || !high.is_finite() {
        return vec![0.0, 1.0];
    }
    let rough = high / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| high / step <= 5.0)
        .unwrap_or(10.0 * power);
    let count = (high / step).ceil().max(1.0) as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// A round amount of money in few characters, for an axis: `$500`, `$20k`, `€1.5M`,
/// `CHF 200`.
pub(super) fn short_money(amount: f64, currency: &str) -> String {
    if amount.abs() < 1e3 {
        return format_money(amount, currency, false);
    }
    // Thousands of money read as `$2k`, as the larger figures beside them do.
    let number = match amount.abs() < 1e4 {
        true => with_suffix(amount / 1e3, "k"),
        false => short_number(amount),
    };
    match symbol(currency) {
        Some(symbol) => format!("{symbol}{number}"),
        None => format!("{currency} {number}"),
    }
}

/// A round number in few characters, for an axis: `500`, `1,000`, `20k`, `1.5M`, `3B`.
pub(super) fn short_number(value: f64) -> String {
    let (scaled, suffix) = match value.abs() {
        a if a >= 1e12 => (value / 1e12, "T"),
        a if a >= 1e9 => (value / 1e9, "B"),
        a if a >= 1e6 => (value / 1e6, "M"),
        a if a >= 1e4 => (value / 1e3, "k"),
        _ => return crate::money::format_count(value.round() as usize),
    };
    with_suffix(scaled, suffix)
}

/// `value` with at most one decimal, then `suffix`: `2.5k`.
fn with_suffix(value: f64, suffix: &str) -> String {
    if value.fract() == 0.0 {
        format!("{value}{suffix}")
    } else {
        format!("{value:.1}{suffix}")
    }
}

/// How far apart two ticks of a horizontal axis must be for their labels (centred on them,
/// in the charts' 11-unit type) not to touch.
pub(super) fn label_gap(a: &Tick, b: &Tick) -> f64 {
    (a.label.chars().count() + b.label.chars().count()) as f64 * 3.3 + 6.0
}

/// A team size as a sentence reads it: "1 user", "1,000 users".
pub(super) fn users_text(users: u32) -> String {
    match users {
        1 => "1 user".to_owned(),
        n => format!("{} users", crate::money::format_count(n as usize)),
    }
}

/// Where a plot starts so that the widest of `labels`, written right-aligned before it in the
/// charts' 11-unit type, stays inside the chart.
pub(super) fn left_of_plot(labels: &[Tick]) -> f64 {
    let widest = labels
        .iter()
        .map(|t| t.label.chars().count())
        .max()
        .unwrap_or(4);
    (10.0 + 6.6 * widest as f64).clamp(40.0, 110.0).round()
}

/// Keeps the ticks whose labels do not crowd a kept one (`gap` apart at least), keeping
/// strong ticks first.
pub(super) fn spaced(mut ticks: Vec<Tick>, gap: impl Fn(&Tick, &Tick) -> f64) -> Vec<Tick> {
    ticks.sort_by(|a, b| b.strong.cmp(&a.strong).then(a.at.total_cmp(&b.at)));
    let mut kept: Vec<Tick> = Vec::with_capacity(ticks.len());
    for tick in ticks {
        if kept.iter().all(|k| (k.at - tick.at).abs() >= gap(k, &tick)) {
            kept.push(tick);
        }
    }
    kept.sort_by(|a, b| a.at.total_cmp(&b.at));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_map_ends_to_ends() {
        let log = Scale::logarithmic((1.0, 1000.0), (40.0, 390.0));
        assert_eq!((log.at(1.0), log.at(1000.0)), (40.0, 390.0));
        assert_eq!(log.at(10.0), round(40.0 + 350.0 / 3.0));
        let linear = Scale::linear((0.0, 10.0), (200.0, 0.0));
        assert_eq!((linear.at(0.0), linear.at(5.0)), (200.0, 100.0));
    }

    #[test]
    fn paths_leave_out_points_on_a_straight_line() {
        let d = path(&[(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 2.0), (3.0, 2.0)]);
        assert_eq!(d, "M0 0L2 2L3 2");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            log_ticks(100.0, 10_000.0),
            [100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0]
        );
        assert_eq!(
            log_ticks(10.0, 100_000.0),
            [10.0, 100.0, 1000.0, 10000.0, 100000.0]
        );
        assert_eq!(linear_ticks(7.25), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(linear_ticks(12.5), [0.0, 5.0, 10.0, 15.0]);
    }

    #[test]
    fn money_on_an_axis_is_short() {
        assert_eq!(short_money(500.0, "USD"), "$500");
        assert_eq!(short_money(20_000.0, "USD"), "$20k");
        assert_eq!(short_money(1_500_000.0, "EUR"), "€1.5M");
        assert_eq!(short_money(200.0, "CHF"), "CHF 200");
        assert_eq!(short_money(1e11, "USD"), "$100B");
        assert_eq!(short_money(1000.0, "USD"), "$1k");
        assert_eq!(short_money(2500.0, "USD"), "$2.5k");
        assert_eq!(short_number(500_000.0), "500k");
        assert_eq!(short_number(1000.0), "1,000");
    }

    #[test]
    fn crowded_ticks_give_way_to_strong_ones() {
        let tick = |at, strong| Tick {
            at,
            label: at.to_string(),
            strong,
        };
        let kept = spaced(
            vec![tick(0.0, false), tick(10.0, true), tick(50.0, false)],
            |_, _| 20.0,
        );
        assert_eq!(kept.iter().map(|t| t.at).collect::<Vec<_>>(), [10.0, 50.0]);
    }
}
