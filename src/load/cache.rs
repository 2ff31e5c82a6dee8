//! The records a long-running `serve` keeps between builds, and when a file must be read again.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::{VendorEntry, load_vendor};
use crate::diagnostic::Diagnostic;

/// Parsed vendor records kept between builds by a long-running `serve`, so that saving one
/// record re-reads and re-parses that file only. A file is read again when its size or
/// modification time changed, or when the watcher says it changed.
#[derive(Debug, Default)]
pub struct RecordCache {
    entries: HashMap<PathBuf, CachedRecord>,
}

/// One record file as it was read: its stamp then, and the record or why there is none.
#[derive(Debug)]
pub struct CachedRecord {
    stamp: FileStamp,
    /// The record, or why there is none.
    pub result: Result<Arc<VendorEntry>, Diagnostic>,
}

/// The records a cache held before a load, which takes from them the ones still current.
pub struct PreviousRecords(HashMap<PathBuf, CachedRecord>);

impl PreviousRecords {
    /// The record of `path`: the one held, if the file's stamp is still the same, or else the
    /// file read and parsed now.
    pub fn load(&self, root: &Path, slug: &str, path: &Path) -> CachedRecord {
        // Stamped before reading: a save that lands during the read changes the stamp, so the
        // next load reads the file again instead of trusting what was read here.
        let stamp = FileStamp::of(path);
        let held = self.0.get(path).filter(|c| Some(c.stamp) == stamp);
        let result = match held {
            Some(hit) => hit.result.clone(),
            None => load_vendor(root, slug, path).map(Arc::new),
        };
        CachedRecord {
            stamp: stamp.unwrap_or(FileStamp::UNKNOWN),
            result,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl FileStamp {
    /// For a file whose stamp could not be read: never equal to a real one.
    const UNKNOWN: FileStamp = FileStamp {
        len: u64::MAX,
        modified: None,
    };

    fn of(path: &Path) -> Option<FileStamp> {
        let metadata = fs::metadata(path).ok()?;
        Some(FileStamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

impl RecordCache {
    /// Makes the next load read `path` again, whatever its stamp says.
    pub fn forget(&mut self, path: &Path) {
        self.entries.remove(path);
    }

    /// Reads and parses one record now and keeps the result, as a load would have.
    pub fn reload(
        &mut self,
        root: &Path,
        slug: &str,
        path: &Path,
    ) -> Result<Arc<VendorEntry>, Diagnostic> {
        self.forget(path);
        let record = PreviousRecords(HashMap::new()).load(root, slug, path);
        let result = record.result.clone();
        self.keep(path.to_path_buf(), record);
        result
    }

    /// Empties the cache for a load, which `keep`s the records of the site as it is now.
    pub fn take(&mut self) -> PreviousRecords {
        PreviousRecords(std::mem::take(&mut self.entries))
    }

    /// Holds `record`, read from `path`, for the next load.
    pub fn keep(&mut self, path: PathBuf, record: CachedRecord) {
        self.entries.insert(path, record);
    }
}
