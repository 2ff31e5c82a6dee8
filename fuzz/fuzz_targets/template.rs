//! Bytes → a site's own template → loading, parsing and rendering a vendor page with it, as
//! `build` does. Templates arrive in pull requests as records do. The first byte picks which
//! template the rest replaces (the vendor page, the layout every page extends, or the
//! components it calls); the rest is the template's bytes. Any panic is a finding, and so is a
//! run that outlasts libFuzzer's `-timeout`: every page is bounded in size, time and `range`
//! elements (`src/render/limits.rs`), so no template may run away. A template that cannot be
//! used must be refused with a diagnostic naming it.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use scimfacts::build::render_record_page;
use scimfacts::load::{SourceFile, parse_yaml};
use scimfacts::model::{Date, IdpFile, SiteConfig};
use scimfacts::render::Renderer;

/// The templates a vendor page is made of.
const TEMPLATES: [&str; 3] = ["vendor.html", "base.html", "components.html"];

/// A record with every section, so that most of a template's paths are taken.
const RECORD: &[u8] = include_bytes!("../seeds/record/acme.yaml");

struct Fixture {
    root: PathBuf,
    config: (SourceFile, SiteConfig),
    idps: (SourceFile, IdpFile),
}

fn source(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from(path),
        text: text.to_owned(),
    }
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let root = std::env::temp_dir().join(format!("scimfacts-fuzz-template-{}", std::process::id()));
    std::fs::create_dir_all(root.join("templates")).expect("a folder for the template");
    let config = source(
        "data/site.yaml",
        "title: Fuzz Facts\nbase_url: https://fuzz.example.org/\nteam_sizes: [1, 50, 100]\n",
    );
    let idps = source(
        "data/idps.yaml",
        "okta: {name: Okta}\nentra: {name: Microsoft Entra ID}\ngoogle: {name: Google}\n",
    );
    Fixture {
        root,
        config: (config.clone(), parse_yaml(&config).expect("fixture site.yaml")),
        idps: (idps.clone(), parse_yaml(&idps).expect("fixture idps.yaml")),
    }
});

fuzz_target!(|bytes: &[u8]| {
    let Some((&choice, template)) = bytes.split_first() else {
        return;
    };
    let fixture = &*FIXTURE;
    let templates = fixture.root.join("templates");
    // One file at a time: the one this input replaces.
    for name in TEMPLATES {
        let _ = std::fs::remove_file(templates.join(name));
    }
    let name = TEMPLATES[usize::from(choice) % TEMPLATES.len()];
    std::fs::write(templates.join(name), template).expect("the template is written");
    match Renderer::new(&fixture.root) {
        Err(problems) => {
            assert!(!problems.is_empty(), "a refusal names its problems");
            for problem in &problems {
                assert!(
                    problem.file.starts_with("templates"),
                    "a template's problem is told against {}: {problem}",
                    problem.file.display()
                );
            }
        }
        Ok(renderer) => {
            let today = Date("2026-06-01".parse().unwrap());
            let rendered =
                render_record_page(&renderer, &fixture.config, &fixture.idps, RECORD, today);
            if let Err(diagnostics) = rendered {
                assert!(diagnostics.has_errors(), "a failure names its errors");
            }
        }
    }
});
