//! The cost chart of a vendor page: the yearly cost of the cheapest paid plan, of SSO and of
//! SCIM from one user to a few times the site's largest team size.
//!
//! Both scales are logarithmic: a per-user price is then a straight line, a seat minimum a
//! flat stretch before it, a flat price a level line, and a premium of the same percentage
//! the same gap at every size. On linear scales the first tens of users, where seat minimums
//! and flat prices matter, would be a few pixels wide.

use serde::Serialize;

use super::{
    Frame, Scale, Tick, WIDTH, grid_path, label_gap, left_of_plot, log_ticks, path, short_money,
    short_number, spaced, users_text,
};
use crate::compute::{CostCurves, CostLine, CurveKind, CurvePoint};
use crate::money::{format_count, format_money};

const HEIGHT: f64 = 232.0;
const FRAME: Frame = Frame {
    left: 46.0,
    top: 8.0,
    right: WIDTH - 18.0,
    bottom: 196.0,
};

/// A vendor's cost chart, as `charts.html`'s `cost_chart` draws it.
#[derive(Debug, Serialize)]
pub(crate) struct CostChart {
    #[serde(serialize_with = "super::coordinate")]
    width: f64,
    #[serde(serialize_with = "super::coordinate")]
    height: f64,
    frame: Frame,
    title: &'static str,
    /// The chart in words, with its figures.
    description: String,
    x_ticks: Vec<Tick>,
    y_ticks: Vec<Tick>,
    /// The grid as a path: across at each cost tick, up at each size tick but team sizes.
    grid: String,
    /// Up at each of the site's team sizes.
    team_grid: String,
    /// The lines drawn, in the order paid, SSO, SCIM (SCIM on top).
    lines: Vec<LineView>,
    /// One entry per line, drawn or not (a free line is not: the scale has no zero).
    legend: Vec<LegendEntry>,
}

#[derive(Debug, Serialize)]
struct LineView {
    kind: CurveKind,
    path: String,
    /// Dots at the site's team sizes, and where the cheapest plan changes.
    marks: Vec<Mark>,
}

#[derive(Debug, Serialize)]
struct Mark {
    #[serde(serialize_with = "super::coordinate")]
    x: f64,
    #[serde(serialize_with = "super::coordinate")]
    y: f64,
    /// What a pointer over it shows.
    title: String,
    /// Another plan becomes the cheapest here.
    change: bool,
}

#[derive(Debug, Serialize)]
struct LegendEntry {
    kind: CurveKind,
    label: &'static str,
    /// Its plans, and by which team sizes.
    text: String,
}

impl CostChart {
    /// The chart of `curves`, whose figures are in `currency`, marking `team_sizes`; `None`
    /// when no line has a cost above zero to draw.
    pub(crate) fn new(curves: &CostCurves, team_sizes: &[u32], currency: &str) -> Option<Self> {
        // A line the same as a later one is left to the legend: it would be drawn over.
        let drawn: Vec<&CostLine> = curves
            .lines
            .iter()
            .enumerate()
            .filter(|(i, line)| {
                !line.is_free() && !curves.lines[i + 1..].iter().any(|l| same_line(l, line))
            })
            .map(|(_, line)| line)
            .collect();
        let (low, high) = cost_range(&drawn)?;
        let y = Scale::logarithmic((low, high), (FRAME.bottom, FRAME.top));
        let y_ticks = spaced(
            log_ticks(low, high)
                .into_iter()
                .map(|value| Tick {
                    at: y.at(value),
                    label: short_money(value, currency),
                    strong: false,
                })
                .collect(),
            |_, _| 11.0,
        );
        let frame = Frame {
            left: left_of_plot(&y_ticks),
            ..FRAME
        };
        let x = Scale::logarithmic(
            (1.0, f64::from(curves.max_users)),
            (frame.left, frame.right),
        );
        let figures = figures_of(curves, team_sizes, currency);
        let lines = drawn
            .iter()
            .map(|line| {
                let i = curves.lines.iter().position(|l| std::ptr::eq(l, *line));
                let figures = i.map_or(&[][..], |i| &figures[i]);
                line_view(line, team_sizes, (x, y), figures, currency)
            })
            .collect();
        let legend: Vec<LegendEntry> = curves
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| LegendEntry {
                kind: line.kind,
                label: line.kind.label(),
                text: legend_text(line, &curves.lines[..i]),
            })
            .collect();
        let description = describe(curves, &legend, &figures);
        let x_ticks = team_ticks(curves.max_users, team_sizes, x);
        let up = |strong: bool| {
            x_ticks
                .iter()
                .filter(move |t| t.strong == strong)
                .map(|t| t.at)
        };
        Some(CostChart {
            width: WIDTH,
            height: HEIGHT,
            frame,
            title: "Yearly cost by team size",
            description,
            grid: grid_path(frame, y_ticks.iter().map(|t| t.at), up(false)),
            team_grid: grid_path(frame, std::iter::empty(), up(true)),
            x_ticks,
            y_ticks,
            lines,
            legend,
        })
    }
}

/// Each line's cost at 1 user, at each team size and at the largest size, written once for
/// the description and the dots (none for a free line).
fn figures_of(curves: &CostCurves, team_sizes: &[u32], currency: &str) -> Vec<Figures> {
    let mut sizes = vec![1];
    sizes.extend(team_sizes);
    sizes.push(curves.max_users);
    sizes.sort_unstable();
    sizes.dedup();
    let money = |p: CurvePoint| (p, format_money(p.annual, currency, p.approximate));
    curves
        .lines
        .iter()
        .map(|line| match line.is_free() {
            true => Vec::new(),
            false => sizes
                .iter()
                .filter_map(|&users| line.at(users))
                .map(money)
                .collect(),
        })
        .collect()
}

/// The powers of ten that hold every cost of `lines`; `None` when there is none.
fn cost_range(lines: &[&CostLine]) -> Option<(f64, f64)> {
    let costs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.annual));
    let (low, high) = costs.fold((f64::INFINITY, 0f64), |(low, high), c| {
        (low.min(c), high.max(c))
    });
    if !(low > 0.0 && low.is_finite() && high.is_finite()) {
        return None;
    }
    let low = 10f64.powf(low.log10().floor());
    let high = 10f64.powf(high.log10().ceil()).max(low * 10.0);
    Some((low, high))
}

/// A line's cost at the sizes the description names, with the cost as people read it.
type Figures = Vec<(CurvePoint, String)>;

fn line_view(
    line: &CostLine,
    team_sizes: &[u32],
    (x, y): (Scale, Scale),
    figures: &[(CurvePoint, String)],
    currency: &str,
) -> LineView {
    let at = |p: &CurvePoint| (x.at(f64::from(p.users)), y.at(p.annual));
    let points: Vec<(f64, f64)> = line.points.iter().map(at).collect();
    let mut marks: Vec<Mark> = figures
        .iter()
        .filter(|(p, _)| team_sizes.contains(&p.users))
        .map(|(p, money)| Mark {
            x: at(p).0,
            y: at(p).1,
            title: format!(
                "{}: {money} a year ({})",
                users_text(p.users),
                line.plans[p.plan]
            ),
            change: false,
        })
        .collect();
    let money = |p: &CurvePoint| format_money(p.annual, currency, p.approximate);
    marks.extend(plan_changes(line).map(|p| Mark {
        x: at(p).0,
        y: at(p).1,
        title: format!(
            "{} from {}: {} a year",
            line.plans[p.plan],
            users_text(p.users),
            money(p)
        ),
        change: true,
    }));
    LineView {
        kind: line.kind,
        path: path(&points),
        marks,
    }
}

/// The points where another plan becomes the cheapest.
fn plan_changes(line: &CostLine) -> impl Iterator<Item = &CurvePoint> {
    line.points
        .windows(2)
        .filter(|pair| pair[0].plan != pair[1].plan)
        .map(|pair| &pair[1])
}

/// Its plans by team size ("Team for 1–25 users, Business from 26 users"), whether it is
/// free, and whether it is the same line as one before it.
fn legend_text(line: &CostLine, before: &[CostLine]) -> String {
    let mut text = if line.is_free() {
        format!("free ({})", line.plans.join(", "))
    } else {
        plans_by_size(line)
    };
    if let Some(same) = before.iter().find(|other| same_line(other, line)) {
        let label = same.kind.label();
        // "Cheapest plan with SSO" → "the cheapest plan with SSO".
        let (first, rest) = label.split_at(1);
        text.push_str(&format!(
            " (the same line as the {}{rest})",
            first.to_lowercase()
        ));
    }
    text
}

/// Whether two lines cost the same at every size.
fn same_line(a: &CostLine, b: &CostLine) -> bool {
    a.points.len() == b.points.len()
        && a.points
            .iter()
            .zip(&b.points)
            .all(|(a, b)| a.users == b.users && a.annual == b.annual)
}

fn plans_by_size(line: &CostLine) -> String {
    let mut stretches: Vec<(usize, u32, u32)> = Vec::new();
    for point in &line.points {
        match stretches.last_mut() {
            Some((plan, _, last)) if *plan == point.plan => *last = point.users,
            _ => stretches.push((point.plan, point.users, point.users)),
        }
    }
    if stretches.len() == 1 {
        return line.plans[stretches[0].0].clone();
    }
    let count = stretches.len();
    stretches
        .iter()
        .enumerate()
        .map(|(i, &(plan, first, last))| {
            let plan = &line.plans[plan];
            if i + 1 == count {
                format!("{plan} from {} users", format_count(first as usize))
            } else {
                format!(
                    "{plan} for {}–{} users",
                    format_count(first as usize),
                    format_count(last as usize)
                )
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The chart in words: its range, then each line's plans and its cost at one user, at each
/// of the site's team sizes and at the largest size.
fn describe(curves: &CostCurves, legend: &[LegendEntry], figures: &[Figures]) -> String {
    let mut text = format!(
        "Yearly cost from 1 to {} users, on logarithmic scales.",
        format_count(curves.max_users as usize)
    );
    for (i, (entry, figures)) in legend.iter().zip(figures).enumerate() {
        text.push_str(&format!(" {}: {}", entry.label, entry.text));
        let line = &curves.lines[i];
        // A line the same as one before it has its figures said already.
        if figures.is_empty() || curves.lines[..i].iter().any(|l| same_line(l, line)) {
            text.push('.');
            continue;
        }
        let figures: Vec<String> = figures
            .iter()
            .map(|(p, money)| format!("{money} for {}", users_text(p.users)))
            .collect();
        text.push_str(&format!("; {}.", figures.join(", ")));
    }
    text
}

/// Ticks at each power of ten up to `max_users`, at `max_users`, and at the site's team
/// sizes, which win where labels would crowd.
fn team_ticks(max_users: u32, team_sizes: &[u32], x: Scale) -> Vec<Tick> {
    let tick = |users: u32, strong| Tick {
        at: x.at(f64::from(users)),
        label: short_number(f64::from(users)),
        strong,
    };
    let mut ticks: Vec<Tick> = std::iter::successors(Some(1u32), |p| p.checked_mul(10))
        .take_while(|&p| p < max_users)
        .map(|p| tick(p, false))
        .collect();
    ticks.push(tick(max_users, false));
    ticks.extend(
        team_sizes
            .iter()
            .filter(|&&users| users <= max_users)
            .map(|&users| tick(users, true)),
    );
    spaced(ticks, label_gap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::cost_curves;
    use crate::model::Vendor;

    fn chart(yaml: &str) -> Option<CostChart> {
        let vendor: Vendor = serde_saphyr::from_str(yaml).unwrap();
        CostChart::new(&cost_curves(&vendor, &[50, 100]), &[50, 100], "USD")
    }

    #[test]
    fn no_chart_when_nothing_is_priced() {
        assert!(
            chart("name: Q\ntiers:\n  - {name: Enterprise, price: custom, scim: true}\n").is_none()
        );
        assert!(chart("name: F\ntiers:\n  - {name: Free, price: free, sso: true}\n").is_none());
    }

    #[test]
    fn the_legend_names_plans_by_team_size() {
        let chart = chart(
            "name: X\ntiers:\n  - name: Seat\n    price: {amount: 10, currency: USD, per: user/month}\n    scim: true\n  - name: Site\n    price: {amount: 3000, currency: USD, per: year}\n    scim: true\n",
        )
        .unwrap();
        let scim = chart
            .legend
            .iter()
            .find(|e| e.kind == CurveKind::Scim)
            .unwrap();
        assert_eq!(
            scim.text,
            "Seat for 1–25 users, Site from 26 users (the same line as the cheapest paid plan)"
        );
        assert!(
            chart
                .description
                .contains("$120 for 1 user, $3,000 for 50 users")
        );
        let ticks: Vec<&str> = chart.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(ticks, ["1", "10", "50", "100", "500"]);
    }
}
