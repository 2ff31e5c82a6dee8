//! Reads the site's input files and parses them into typed records.
//!
//! Every file is read and parsed even when others fail, so that `check` can report all of
//! them at once. A file that cannot be parsed yields a diagnostic and no record; the rest of
//! the pipeline works with what did parse.

use std::fs;
use std::path::{Path, PathBuf};

mod cache;
mod files;
mod folders;
mod history;
mod indentation;
mod plain_yaml;
mod repository;
mod source;
mod yaml;
mod yaml_errors;

pub use cache::{CachedRecord, PreviousRecords, RecordCache};
pub use files::{is_editor_litter, is_valid_slug, list_vendor_files};
pub use folders::list_input_files;
pub use history::{
    CommittedHistory, CommittedVersion, NoHistory, RecordVersions, head_commit, read_history,
};
pub use repository::folder_in_repository;
pub use source::{
    MAX_FILE_BYTES, RECORD_LIMIT, SizeLimit, decode_source, read_input_file, read_source,
};
pub use yaml::{MAX_ALIASES, MAX_EXPANDED_NODES, Parsed, fast_path_agrees, parse_yaml};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{IdpFile, SiteConfig, Vendor};

/// The text of one input file and the path to show for it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, as diagnostics show it.
    pub path: PathBuf,
    /// The file's text, decoded.
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
    /// The record as parsed.
    pub record: Vendor,
}

impl VendorEntry {
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

/// The site's settings (`site.yaml` and `idps.yaml`) as far as they loaded, and what went wrong
/// reading them. Records are loaded one at a time by the pipeline.
#[derive(Debug, Default)]
pub struct Loaded {
    /// `site.yaml`, when it loaded.
    pub config: Option<(SourceFile, SiteConfig)>,
    /// `idps.yaml`, when it loaded.
    pub idps: Option<(SourceFile, IdpFile)>,
    /// What went wrong while loading.
    pub diagnostics: Diagnostics,
}

/// The site's settings, below the site root.
pub const SITE_FILE: &str = "data/site.yaml";
/// The site's identity providers, below the site root.
pub const IDPS_FILE: &str = "data/idps.yaml";
/// The folder of vendor records, below the site root.
pub const VENDORS_DIR: &str = "data/vendors";

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

/// Reads and parses the record of `slug` at `path`.
pub fn load_vendor(root: &Path, slug: &str, path: &Path) -> Result<VendorEntry, Diagnostic> {
    let source = read_source(root, path)?;
    let record = parse_yaml(&source)?;
    Ok(VendorEntry {
        slug: slug.to_owned(),
        path: source.path,
        file: path.to_path_buf(),
        record,
    })
}

#[cfg(test)]
mod tests;
