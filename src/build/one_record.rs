//! One vendor record, given as bytes, through every stage a build runs it through: the entry
//! point of the fuzzer (`fuzz/`), which must never see it panic.

use std::path::PathBuf;
use std::sync::Arc;

use crate::compute::{ComputedVendor, SiteFacts};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{Loaded, SourceFile, VendorEntry, decode_source, parse_yaml};
use crate::model::{Date, IdpFile, SiteConfig};
use crate::page::VendorPage;
use crate::render::Renderer;
use crate::validate::{check_vendor, locate_in_record, rules_of, validate_settings};

/// Decodes, parses, validates and computes one record, and renders its page, with no site on
/// disk. Returns the page's HTML, or every problem the record has.
pub fn render_record_page(
    renderer: &Renderer,
    config: &(SourceFile, SiteConfig),
    idps: &(SourceFile, IdpFile),
    bytes: &[u8],
    today: Date,
) -> Result<String, Diagnostics> {
    let fail = |diagnostic: Diagnostic| Diagnostics::from_iter([diagnostic]);
    let source =
        decode_source(PathBuf::from("data/vendors/fuzzed.yaml"), bytes.to_vec()).map_err(fail)?;
    let entry = Arc::new(VendorEntry {
        slug: "fuzzed".to_owned(),
        path: source.path.clone(),
        // Not on disk: its problems are reported without positions.
        file: PathBuf::new(),
        record: parse_yaml(&source).map_err(fail)?,
    });
    let settings = Loaded {
        config: Some(config.clone()),
        idps: Some(idps.clone()),
        diagnostics: Diagnostics::new(),
    };
    let mut diagnostics = validate_settings(&settings);
    diagnostics.extend(locate_in_record(
        &entry,
        check_vendor(&entry, &rules_of(&settings, today)),
    ));
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let facts = SiteFacts {
        config: Arc::new(config.1.clone()),
        idps: Arc::new(idps.1.clone()),
        today,
        vendor_count: 1,
        repository_folder: Arc::from(""),
        history: None,
    };
    let vendor = ComputedVendor::new(entry, &facts);
    renderer
        .render_vendor(&facts, &vendor, VendorPage::Html)
        .map_err(fail)
}
