//! One benchmark per pipeline stage, so that a regression shows in the stage that caused it:
//! parse and validate one record, compute one vendor's figures, render one vendor page, and
//! render the index of the whole site.
//!
//!     cargo bench --bench stages                  # on 10,000 generated vendors
//!     BENCH_VENDORS=1000 cargo bench --bench stages

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use scimfacts::build::{BuildOptions, Built, Kept, run};
use scimfacts::compute::{ComputedVendor, compute_vendor};
use scimfacts::load::{SourceFile, VendorEntry, load_vendor, parse_yaml};
use scimfacts::model::Vendor;
use scimfacts::page::{ListPage, VendorPage};
use scimfacts::validate::{Rules, check_vendor};
use scimfacts::write::Nowhere;

fn site() -> (tempfile::TempDir, Built) {
    let vendors = std::env::var("BENCH_VENDORS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    scimfacts::synthetic::generate(vendors, dir.path(), 42).unwrap();
    let options = BuildOptions::new(dir.path());
    let built = run(&options, Kept::default(), &Nowhere).unwrap_or_else(|e| panic!("{e}"));
    (dir, built)
}

fn stages(c: &mut Criterion) {
    let (dir, built) = site();
    let site = &built.site;
    let facts = &site.facts;
    let row = &site.vendors[site.vendors.len() / 2];
    let entry = load_vendor(dir.path(), &row.slug, &row.file).unwrap();
    let source = SourceFile {
        path: PathBuf::from("data/vendors/x.yaml"),
        text: entry.source().text,
    };
    let rules = Rules::of(Some(&facts.config), Some(&facts.idps), facts.today);

    c.bench_function("parse and validate one record", |b| {
        b.iter(|| {
            let record: Vendor = parse_yaml(black_box(&source)).unwrap();
            let entry = VendorEntry {
                slug: "x".to_owned(),
                path: source.path.clone(),
                file: entry.file.clone(),
                record,
            };
            black_box(check_vendor(&entry, &rules))
        })
    });
    c.bench_function("compute one vendor", |b| {
        b.iter(|| {
            compute_vendor(
                black_box(&entry.record),
                &facts.config.team_sizes,
                &facts.idps,
            )
        })
    });
    let middle = ComputedVendor::new(Arc::new(entry.clone()), facts);
    c.bench_function("render one vendor page", |b| {
        b.iter(|| {
            built
                .renderer
                .render_vendor(facts, black_box(&middle), VendorPage::Html)
                .unwrap()
        })
    });
    let mut slow = c.benchmark_group("whole-site pages");
    slow.sample_size(10);
    slow.bench_function(
        format!(
            "render the index's first page of {} vendors",
            site.vendors.len()
        ),
        |b| {
            b.iter(|| {
                built
                    .renderer
                    .render_list(site, black_box(ListPage::Index { page: 0 }))
                    .unwrap()
            })
        },
    );
    slow.bench_function(
        format!("write api/lists.js of {} vendors", site.vendors.len()),
        |b| {
            b.iter(|| {
                built
                    .renderer
                    .render_list(site, black_box(ListPage::ApiLists))
                    .unwrap()
            })
        },
    );
    slow.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
