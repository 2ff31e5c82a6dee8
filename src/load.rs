//! Reads the site's input files and parses them into typed records.
//!
//! Every file is read and parsed even when others fail, so that `check` can report all of
//! them at once. A file that cannot be parsed yields a diagnostic and no record; the rest of
//! the pipeline works with what did parse.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

mod cache;
mod files;
mod plain_yaml;
mod source;
mod yaml;
mod yaml_errors;

pub use cache::{CachedRecord, PreviousRecords, RecordCache};
pub use files::{is_editor_litter, is_valid_slug, list_vendor_files};
pub use source::{MAX_FILE_BYTES, decode_source, read_source};
pub use yaml::{MAX_ALIASES, MAX_EXPANDED_NODES, Parsed, fast_path_agrees, parse_yaml};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{IdpFile, SiteConfig, Vendor};

/// The text of one input file and the path to show for it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, as diagnostics show it.
    pub path: PathBuf,
    pub text: String,
}

/// A parsed vendor record with the file it came from. The file's text is not kept once it is
/// parsed (for 100,000 records it would be half a gigabyte): `source` reads it again for the
/// rare record with a problem to locate.
#[derive(Debug, Clone)]
pub struct VendorEntry {
    /// The file stem; names the vendor's page.
    pub slug: String,
    /// The file as diagnostics name it, relative to the site root.
    pub path: PathBuf,
    /// The file on disk.
    pub file: PathBuf,
    pub record: Vendor,
    /// Only what the pages that list vendors need is left of the record (`listing`):
    /// its own page cannot be rendered from it.
    pub listing_only: bool,
}

impl VendorEntry {
    /// The entry with only what the pages that list vendors need of its record.
    pub fn listing(&self) -> Arc<VendorEntry> {
        Arc::new(VendorEntry {
            slug: self.slug.clone(),
            path: self.path.clone(),
            file: self.file.clone(),
            record: self.record.listing(),
            listing_only: true,
        })
    }

    /// The record's file as it is on disk now; with no text when it cannot be read, so that
    /// problems are still reported, without positions.
    pub fn source(&self) -> SourceFile {
        let text = fs::read(&self.file)
            .ok()
            .and_then(|bytes| decode_source(self.path.clone(), bytes).ok())
            .map(|source| source.text)
            .unwrap_or_default();
        SourceFile {
            path: self.path.clone(),
            text,
        }
    }
}

/// What could be loaded of a site, and what went wrong while loading it.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Option<(SourceFile, SiteConfig)>,
    pub idps: Option<(SourceFile, IdpFile)>,
    /// Sorted by slug. Shared, so that a rebuild reuses the records it did not re-read.
    pub vendors: Vec<Arc<VendorEntry>>,
    pub diagnostics: Diagnostics,
}

pub const SITE_FILE: &str = "data/site.yaml";
pub const IDPS_FILE: &str = "data/idps.yaml";
pub const VENDORS_DIR: &str = "data/vendors";

pub fn load_site(root: &Path) -> Loaded {
    load_site_cached(root, &mut RecordCache::default())
}

/// Loads the site, re-parsing only the vendor records that are not in `cache` as they are on
/// disk now, and leaves `cache` holding exactly the records of this load.
pub fn load_site_cached(root: &Path, cache: &mut RecordCache) -> Loaded {
    let mut loaded = load_settings(root);
    let (vendor_files, listing_problems) = list_vendor_files(root);
    loaded.diagnostics.extend(listing_problems);
    let previous = cache.take();
    let records: Vec<(PathBuf, CachedRecord)> = vendor_files
        .into_par_iter()
        .map(|(slug, path)| {
            let record = previous.load(root, &slug, &path);
            (path, record)
        })
        .collect();
    for (path, record) in records {
        match &record.result {
            Ok(entry) => loaded.vendors.push(Arc::clone(entry)),
            Err(diagnostic) => loaded.diagnostics.push(diagnostic.clone()),
        }
        cache.keep(path, record);
    }
    loaded
}

/// `site.yaml` and `idps.yaml`, and what is wrong with reading them; no records.
pub fn load_settings(root: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    let (config, idps) = rayon::join(
        || load_one::<SiteConfig>(root, SITE_FILE),
        || load_one::<IdpFile>(root, IDPS_FILE),
    );
    loaded.config = keep(config, &mut loaded.diagnostics);
    loaded.idps = keep(idps, &mut loaded.diagnostics);
    loaded
}

fn keep<T>(result: Result<T, Diagnostic>, diagnostics: &mut Diagnostics) -> Option<T> {
    result.map_err(|d| diagnostics.push(d)).ok()
}

fn load_one<T: Parsed>(root: &Path, relative: &str) -> Result<(SourceFile, T), Diagnostic> {
    let source = read_source(root, &root.join(relative))?;
    let value = parse_yaml(&source)?;
    Ok((source, value))
}

pub fn load_vendor(root: &Path, slug: &str, path: &Path) -> Result<VendorEntry, Diagnostic> {
    let source = read_source(root, path)?;
    let record = parse_yaml(&source)?;
    Ok(VendorEntry {
        slug: slug.to_owned(),
        path: source.path,
        file: path.to_path_buf(),
        record,
        listing_only: false,
    })
}

#[cfg(test)]
mod tests;
