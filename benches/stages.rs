//! One benchmark per pipeline stage, so that a regression shows in the stage that caused it:
//! parse and validate one record, compute one vendor's figures, render one vendor page, and
//! render the index of the whole site.
//!
//!     cargo bench --bench stages                  # on 10,000 generated vendors
//!     BENCH_VENDORS=1000 cargo bench --bench stages

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use scimfacts::build::{BuildOptions, Prepared, prepare};
use scimfacts::compute::compute_vendor;
use scimfacts::load::{SourceFile, VendorEntry, parse_yaml};
use scimfacts::model::Vendor;
use scimfacts::render::Page;
use scimfacts::validate::{Rules, check_vendor};

fn site() -> (tempfile::TempDir, Prepared) {
    let vendors = std::env::var("BENCH_VENDORS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    scimfacts::synthetic::generate(vendors, dir.path(), 42).unwrap();
    let prepared = prepare(&BuildOptions::new(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    (dir, prepared)
}

fn stages(c: &mut Criterion) {
    let (_dir, prepared) = site();
    let site = &prepared.site;
    let entry = &site.vendors[site.vendors.len() / 2];
    let source = SourceFile {
        path: PathBuf::from("data/vendors/x.yaml"),
        text: entry.source().text,
    };
    let rules = Rules {
        idps: Some(&site.idps),
        today: site.today,
        stale_after_days: site.config.stale_after_days,
    };

    c.bench_function("parse and validate one record", |b| {
        b.iter(|| {
            let record: Vendor = parse_yaml(black_box(&source)).unwrap();
            let entry = VendorEntry {
                slug: "x".to_owned(),
                path: source.path.clone(),
                file: entry.file.clone(),
                record,
                listing_only: false,
            };
            black_box(check_vendor(&entry, &rules))
        })
    });
    c.bench_function("compute one vendor", |b| {
        b.iter(|| {
            compute_vendor(
                black_box(&entry.record),
                &site.config.team_sizes,
                &site.idps,
            )
        })
    });
    let middle = Page::Vendor(site.vendors.len() / 2);
    c.bench_function("render one vendor page", |b| {
        b.iter(|| prepared.renderer.render(site, black_box(&middle)).unwrap())
    });
    let mut slow = c.benchmark_group("whole-site pages");
    slow.sample_size(10);
    slow.bench_function(
        format!("render the index of {} vendors", site.vendors.len()),
        |b| {
            b.iter(|| {
                prepared
                    .renderer
                    .render(site, black_box(&Page::Index))
                    .unwrap()
            })
        },
    );
    slow.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
