//! Charts of counts across the catalogue: the spread of SCIM premiums (columns), how SCIM is
//! sold (bars) and each identity provider's coverage (stacked bars).

use serde::Serialize;

use super::{Frame, Scale, WIDTH, round, users_text};
use crate::compute::{IdpCoverage, PremiumBand, ScimTax};
use crate::money::format_count;

/// The width of the charts that sit side by side on a wide screen: narrower than the others,
/// so that their text is as large as theirs on a phone.
const NARROW: f64 = 340.0;

/// A count of vendors as a sentence reads it: "1 vendor", "12 vendors".
fn vendors(count: usize) -> String {
    match count {
        1 => "1 vendor".to_owned(),
        _ => format!("{} vendors", format_count(count)),
    }
}

/// One column or bar: where it is drawn and what it counts.
#[derive(Debug, Serialize)]
struct Bar {
    label: String,
    count: usize,
    /// Its count as people read it.
    count_text: String,
    #[serde(serialize_with = "super::coordinate")]
    x: f64,
    #[serde(serialize_with = "super::coordinate")]
    y: f64,
    #[serde(serialize_with = "super::coordinate")]
    width: f64,
    #[serde(serialize_with = "super::coordinate")]
    height: f64,
    /// Its middle (where a count inside it is written) and its right end.
    #[serde(serialize_with = "super::coordinate")]
    middle_x: f64,
    #[serde(serialize_with = "super::coordinate")]
    middle_y: f64,
    #[serde(serialize_with = "super::coordinate")]
    end: f64,
    /// Its class: what it counts (`included`, `priced`, `sso-yes`...).
    kind: &'static str,
}

impl Bar {
    fn new(
        label: String,
        count: usize,
        kind: &'static str,
        (x, y, width, height): (f64, f64, f64, f64),
    ) -> Bar {
        Bar {
            label,
            count,
            count_text: format_count(count),
            x,
            y,
            width,
            height,
            middle_x: round(x + width / 2.0),
            middle_y: round(y + height / 2.0),
            end: round(x + width),
            kind,
        }
    }
}

/// Columns of counts, one per band of values.
#[derive(Debug, Serialize)]
pub(crate) struct ColumnChart {
    #[serde(serialize_with = "super::coordinate")]
    width: f64,
    #[serde(serialize_with = "super::coordinate")]
    height: f64,
    frame: Frame,
    title: String,
    description: String,
    columns: Vec<Bar>,
}

impl ColumnChart {
    /// The spread of the SCIM premiums at the first team size (`users`).
    pub(crate) fn premiums(bands: &[PremiumBand], users: u32) -> ColumnChart {
        const FRAME: Frame = Frame {
            left: 6.0,
            top: 16.0,
            right: NARROW - 6.0,
            bottom: 150.0,
        };
        let most = bands.iter().map(|b| b.count).max().unwrap_or(0).max(1);
        let y = Scale::linear((0.0, most as f64), (FRAME.bottom, FRAME.top));
        let slot = (FRAME.right - FRAME.left) / bands.len().max(1) as f64;
        let columns = bands
            .iter()
            .enumerate()
            .map(|(i, band)| {
                let top = y.at(band.count as f64);
                let kind = if band.upto == Some(0.0) {
                    "included"
                } else {
                    "priced"
                };
                let place = (
                    round(FRAME.left + slot * i as f64 + slot * 0.12),
                    top,
                    round(slot * 0.76),
                    round(FRAME.bottom - top),
                );
                Bar::new(band.label.to_owned(), band.count, kind, place)
            })
            .collect::<Vec<_>>();
        let description = format!(
            "SCIM premium at {}, by how many vendors charge it: {}.",
            users_text(users),
            bands
                .iter()
                .zip(std::iter::once(None).chain(bands.iter().map(|b| b.upto)))
                .map(|(b, bottom)| format!("{}: {}", band_text(b.upto, bottom), vendors(b.count)))
                .collect::<Vec<_>>()
                .join("; ")
        );
        ColumnChart {
            width: NARROW,
            height: 184.0,
            frame: FRAME,
            title: format!(
                "How many vendors charge each SCIM premium, at {}",
                users_text(users)
            ),
            description,
            columns,
        }
    }
}

/// A band of premiums in words: "0%", "over 25% up to 50%", "over 400%".
fn band_text(top: Option<f64>, bottom: Option<f64>) -> String {
    match (bottom, top) {
        (_, Some(0.0)) => "0%".to_owned(),
        (Some(0.0), Some(top)) => format!("up to {top}%"),
        (Some(bottom), Some(top)) => format!("over {bottom}% up to {top}%"),
        (Some(bottom), None) => format!("over {bottom}%"),
        (None, _) => "any".to_owned(),
    }
}

/// Horizontal bars of counts, one per kind, each labelled.
#[derive(Debug, Serialize)]
pub(crate) struct HorizontalBars {
    #[serde(serialize_with = "super::coordinate")]
    width: f64,
    #[serde(serialize_with = "super::coordinate")]
    height: f64,
    frame: Frame,
    title: &'static str,
    description: String,
    bars: Vec<Bar>,
}

impl HorizontalBars {
    /// How SCIM is sold across the catalogue.
    pub(crate) fn scim_sold(tax: &ScimTax) -> HorizontalBars {
        const ROW: f64 = 26.0;
        let rows = [
            ("Included", tax.included.len(), "included"),
            ("Priced premium", tax.ranked.len(), "priced"),
            ("Custom pricing only", tax.custom.len(), "custom"),
            ("Premium unknown", tax.unknown.len(), "unknown"),
            ("Not offered", tax.unavailable.len(), "unavailable"),
        ];
        let frame = Frame {
            left: 118.0,
            top: 4.0,
            right: NARROW - 40.0,
            bottom: 4.0 + ROW * rows.len() as f64,
        };
        let most = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
        let x = Scale::linear((0.0, most as f64), (frame.left, frame.right));
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, &(label, count, kind))| {
                let place = (
                    frame.left,
                    round(frame.top + ROW * i as f64 + 4.0),
                    round(x.at(count as f64) - frame.left),
                    ROW - 8.0,
                );
                Bar::new(label.to_owned(), count, kind, place)
            })
            .collect::<Vec<_>>();
        let description = format!(
            "How SCIM is sold: {}.",
            bars.iter()
                .map(|b| format!("{}: {}", b.label, vendors(b.count)))
                .collect::<Vec<_>>()
                .join("; ")
        );
        HorizontalBars {
            width: NARROW,
            height: frame.bottom + 4.0,
            frame,
            title: "How SCIM is sold across the catalogue",
            description,
            bars,
        }
    }
}

/// For each identity provider, a bar of its vendors by SSO and one by provisioning, each split
/// into what the records say.
#[derive(Debug, Serialize)]
pub(crate) struct CoverageChart {
    #[serde(serialize_with = "super::coordinate")]
    width: f64,
    #[serde(serialize_with = "super::coordinate")]
    height: f64,
    frame: Frame,
    title: &'static str,
    description: String,
    providers: Vec<ProviderBars>,
}

#[derive(Debug, Serialize)]
struct ProviderBars {
    name: String,
    /// Where its name is written.
    #[serde(serialize_with = "super::coordinate")]
    y: f64,
    sso: Vec<Bar>,
    scim: Vec<Bar>,
}

impl CoverageChart {
    /// The coverage of every provider of `coverage`, among `total` vendors.
    pub(crate) fn new(coverage: &[IdpCoverage], total: usize) -> CoverageChart {
        const ROW: f64 = 50.0;
        let frame = Frame {
            left: 112.0,
            top: 4.0,
            right: WIDTH - 6.0,
            bottom: 4.0 + ROW * coverage.len() as f64,
        };
        let x = Scale::linear((0.0, total.max(1) as f64), (frame.left, frame.right));
        let providers = coverage
            .iter()
            .enumerate()
            .map(|(i, idp)| {
                let top = frame.top + ROW * i as f64;
                ProviderBars {
                    name: idp.name.clone(),
                    y: round(top + 22.0),
                    sso: stack(&sso_parts(idp), top + 4.0, x, &idp.name, "SSO"),
                    scim: stack(&scim_parts(idp), top + 24.0, x, &idp.name, "Provisioning"),
                }
            })
            .collect();
        CoverageChart {
            width: WIDTH,
            height: frame.bottom + 4.0,
            frame,
            title: "Coverage by identity provider",
            description: describe_coverage(coverage, total),
            providers,
        }
    }
}

type Part = (&'static str, usize, &'static str);

fn sso_parts(idp: &IdpCoverage) -> [Part; 3] {
    [
        ("SSO", idp.sso, "sso-yes"),
        ("no SSO", idp.sso_no, "no"),
        ("SSO unknown", idp.sso_unknown, "unknown"),
    ]
}

fn scim_parts(idp: &IdpCoverage) -> [Part; 4] {
    [
        ("full SCIM", idp.scim_full, "full"),
        ("JIT only", idp.scim_jit, "jit"),
        ("no provisioning", idp.scim_none, "no"),
        ("provisioning unknown", idp.scim_unknown, "unknown"),
    ]
}

/// The parts as one bar, left to right, at `top`.
fn stack(parts: &[Part], top: f64, x: Scale, provider: &str, what: &str) -> Vec<Bar> {
    let mut before = 0usize;
    parts
        .iter()
        .filter(|part| part.1 > 0)
        .map(|&(label, count, kind)| {
            let start = x.at(before as f64);
            before += count;
            let place = (start, round(top), round(x.at(before as f64) - start), 16.0);
            Bar::new(format!("{provider}, {what}: {label}"), count, kind, place)
        })
        .collect()
}

fn describe_coverage(coverage: &[IdpCoverage], total: usize) -> String {
    let mut text = format!("Of {}:", vendors(total));
    for idp in coverage {
        let part = |parts: &[Part]| {
            parts
                .iter()
                .map(|(label, count, _)| format!("{} {label}", format_count(*count)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        text.push_str(&format!(
            " {}: {}; {}.",
            idp.name,
            part(&sso_parts(idp)),
            part(&scim_parts(idp))
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_parts_end_where_the_total_does() {
        let idp = IdpCoverage {
            id: "okta".into(),
            name: "Okta".into(),
            sso: 3,
            sso_no: 1,
            sso_unknown: 0,
            scim_full: 2,
            scim_jit: 1,
            scim_none: 0,
            scim_unknown: 1,
        };
        let chart = CoverageChart::new(&[idp], 4);
        let sso = &chart.providers[0].sso;
        assert_eq!(sso.len(), 2, "an empty part is not drawn");
        let end = sso.last().map(|b| round(b.x + b.width)).unwrap();
        assert_eq!(end, chart.frame.right);
        assert!(
            chart
                .description
                .contains("Okta: 3 SSO, 1 no SSO, 0 SSO unknown; 2 full SCIM")
        );
    }
}
