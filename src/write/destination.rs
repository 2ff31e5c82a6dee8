//! Where the pipeline's pages go: a staging folder that then replaces the output whole
//! (`build`, and `serve`'s full rebuilds), the live output one changed file at a time
//! (`serve`'s rebuilds of a few pages), or nowhere (`check`).

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use rayon::prelude::*;

use super::guard::{OutputLock, SITE_MARKER, SITE_MARKER_TEXT, lock_output};
use super::{FileWriter, ReplacedSite, Staging, replace_file};
use crate::assets::Assets;
use crate::error::BuildError;

/// What a stream of the whole-site JSON writes into.
pub type Fill<'a> = &'a (dyn Fn(&mut dyn io::Write) -> io::Result<()> + Sync);

/// Where the pages of one run of the pipeline go. Pages arrive from several threads at once.
pub trait Destination: Sync {
    /// Whether the own pages of the vendor `slug` are to be rendered at all.
    fn wants_vendor(&self, _slug: &str) -> bool {
        true
    }

    /// Whether the machine-readable files are to be made. They come from code, not
    /// templates, and cannot fail, so `check` skips them.
    fn wants_data(&self) -> bool {
        true
    }

    /// Every input is sound and every page rendered: the pages put so far, and any put from
    /// now on, may be published. A run that fails never calls this, and a destination that
    /// holds pages (`InPlace`) then discards them.
    fn publish(&self) {}

    /// Takes one page, at `path` below the output folder.
    fn put(&self, path: PathBuf, text: String);

    /// Takes one file that `fill` writes as it makes it, never holding it whole.
    fn put_streamed(&self, path: PathBuf, fill: Fill);
}

/// A write that failed: the file below the output, and why.
type WriteFailure = (PathBuf, io::Error);

fn write_error(output: &Path, (path, source): WriteFailure) -> BuildError {
    BuildError::Io {
        context: format!("cannot write {}", output.join(path).display()),
        source,
    }
}

/// Keeps the first of several failures reported from many threads.
#[derive(Default)]
struct FirstFailure(Mutex<Option<WriteFailure>>);

impl FirstFailure {
    fn keep(&self, failure: WriteFailure) {
        let mut first = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        first.get_or_insert(failure);
    }

    fn take(self) -> Option<WriteFailure> {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A new site written into a staging folder beside the output, which `commit` puts in the
/// output's place in one atomic exchange. The output is locked, and the staging folder made,
/// when the first page arrives, so that a problem with the output is reported only once the
/// inputs are sound: a mistake in a record is the problem to show first.
pub struct Staged {
    output: PathBuf,
    wait_for_lock: bool,
    opened: OnceLock<Result<OpenOutput, BuildError>>,
    failed: FirstFailure,
}

/// An output being written: locked, with a staging folder beside it and a thread writing
/// into that folder. Dropped, it stops the writer first, then removes the staging folder,
/// then releases the lock (fields drop in this order).
struct OpenOutput {
    writer: FileWriter,
    staging: Staging,
    lock: OutputLock,
}

impl OpenOutput {
    fn open(output: &Path, wait_for_lock: bool) -> Result<OpenOutput, BuildError> {
        let lock = lock_output(output, wait_for_lock)?;
        let staging = Staging::new(output).map_err(BuildError::io(format!(
            "cannot create a staging folder beside {}",
            output.display()
        )))?;
        Ok(OpenOutput {
            writer: FileWriter::spawn(staging.path()),
            staging,
            lock,
        })
    }
}

/// A staged site put in place: the site it replaced, and how many files were written
/// besides the pages (the static files and the marker).
pub struct Committed {
    /// The previous site, moved aside; removed when dropped.
    pub replaced: ReplacedSite,
    /// Static files plus the marker file.
    pub other_files: usize,
}

impl Staged {
    /// A staging folder for `output`, made when the first page arrives. With
    /// `wait_for_lock`, waits for another build of the same output instead of failing.
    pub fn new(output: &Path, wait_for_lock: bool) -> Staged {
        Staged {
            output: output.to_path_buf(),
            wait_for_lock,
            opened: OnceLock::new(),
            failed: FirstFailure::default(),
        }
    }

    fn open(&self) -> Option<&OpenOutput> {
        let open = || OpenOutput::open(&self.output, self.wait_for_lock);
        self.opened.get_or_init(open).as_ref().ok()
    }

    /// Adds the marker and the static files, and puts the staged site in the output's place,
    /// once every page has been written; otherwise fails with the first write that failed.
    pub fn commit(self, assets: &Assets) -> Result<Committed, BuildError> {
        let output = self.output;
        let opened = self.opened.into_inner();
        let open = opened.unwrap_or_else(|| OpenOutput::open(&output, self.wait_for_lock))?;
        // Bindings drop in reverse: the writer stops, then the staging folder goes, then the
        // lock.
        let OpenOutput {
            lock: _lock,
            staging,
            writer,
        } = open;
        let queued = writer.finish();
        if let Some(failure) = queued.err().or(self.failed.take()) {
            return Err(write_error(&output, failure));
        }
        staging
            .write_file(Path::new(SITE_MARKER), SITE_MARKER_TEXT.as_bytes())
            .map_err(|err| write_error(&output, (PathBuf::from(SITE_MARKER), err)))?;
        let static_files = assets
            .write_to(staging.path())
            .map_err(BuildError::io("cannot write static files"))?;
        let replaced = staging.commit().map_err(BuildError::io(format!(
            "cannot put the new site in place at {}",
            output.display()
        )))?;
        Ok(Committed {
            replaced,
            other_files: static_files + 1,
        })
    }
}

impl Destination for Staged {
    fn put(&self, path: PathBuf, text: String) {
        if let Some(open) = self.open() {
            open.writer.write(path, text.into_bytes());
        }
    }

    fn put_streamed(&self, path: PathBuf, fill: Fill) {
        if let Some(open) = self.open()
            && let Err(err) = open.writer.stream(&path, fill)
        {
            self.failed.keep((path, err));
        }
    }
}

/// The live output of `serve`, changed one file at a time: a page is written (one atomic
/// rename) only when its bytes changed, and only once `publish` is called: after a run that
/// succeeded, so that a rebuild with a bad input changes nothing. (A write that fails after
/// that, a full disk, leaves the pages written before it.) The output stays locked while this
/// lives.
pub struct InPlace {
    output: PathBuf,
    /// The vendors whose own pages to render; `None` for all.
    only: Option<BTreeSet<String>>,
    held: Mutex<Held>,
    failed: FirstFailure,
    _lock: OutputLock,
}

/// Pages that arrived before the run was published, or the pages written since.
enum Held {
    Waiting(Vec<(PathBuf, Vec<u8>)>),
    /// Each page put, and whether its bytes changed and so were written.
    Published(Vec<(PathBuf, bool)>),
}

impl InPlace {
    /// Locks `output` for changes to the pages of the vendors `only` (all when `None`) and to
    /// the pages that list vendors.
    pub fn open(
        output: &Path,
        only: Option<BTreeSet<String>>,
        wait_for_lock: bool,
    ) -> Result<InPlace, BuildError> {
        Ok(InPlace {
            _lock: lock_output(output, wait_for_lock)?,
            output: output.to_path_buf(),
            only,
            held: Mutex::new(Held::Waiting(Vec::new())),
            failed: FirstFailure::default(),
        })
    }

    /// Every page put, and whether it was written, HTML pages first; or the first write that
    /// failed.
    pub fn finish(self) -> Result<Vec<(PathBuf, bool)>, BuildError> {
        if let Some(failure) = self.failed.take() {
            return Err(write_error(&self.output, failure));
        }
        match self
            .held
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            Held::Published(mut done) => {
                // Pages arrive in any order from many threads: pages a browser shows first,
                // then the data files, each by path.
                done.sort_by_cached_key(|(path, _)| {
                    (path.extension().is_none_or(|x| x != "html"), path.clone())
                });
                Ok(done)
            }
            Held::Waiting(_) => Ok(Vec::new()),
        }
    }

    fn write_live(&self, path: PathBuf, bytes: &[u8]) {
        match replace_file(&self.output, &path, bytes) {
            Ok(written) => {
                if let Held::Published(done) = &mut *self.lock() {
                    done.push((path, written));
                }
            }
            Err(err) => self.failed.keep((path, err)),
        }
    }

    /// Removes one page of the live output, and the folder it was served from when that is
    /// left empty (`folder/index.html`). A page that is not there is fine.
    pub fn remove(&self, page: &Path) -> Result<(), BuildError> {
        let file = self.output.join(page);
        if let Err(err) = std::fs::remove_file(&file)
            && err.kind() != io::ErrorKind::NotFound
        {
            return Err(BuildError::io(format!("cannot remove {}", file.display()))(
                err,
            ));
        }
        if page.ends_with("index.html")
            && let Some(folder) = file.parent()
        {
            // Not empty (someone's file in it) or already gone: either way nothing to serve.
            let _ = std::fs::remove_dir(folder);
        }
        Ok(())
    }

    /// Holds a page until `publish`, or writes it when that has been called.
    fn hold_or_write(&self, path: PathBuf, bytes: Vec<u8>) {
        {
            let mut held = self.lock();
            if let Held::Waiting(pages) = &mut *held {
                pages.push((path, bytes));
                return;
            }
        }
        self.write_live(path, &bytes);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Destination for InPlace {
    fn wants_vendor(&self, slug: &str) -> bool {
        self.only.as_ref().is_none_or(|only| only.contains(slug))
    }

    fn publish(&self) {
        let waiting = {
            let mut held = self.lock();
            match &mut *held {
                Held::Waiting(pages) => {
                    let pages = std::mem::take(pages);
                    *held = Held::Published(Vec::new());
                    pages
                }
                Held::Published(_) => return,
            }
        };
        waiting
            .into_par_iter()
            .for_each(|(path, bytes)| self.write_live(path, &bytes));
    }

    fn put(&self, path: PathBuf, text: String) {
        self.hold_or_write(path, text.into_bytes());
    }

    fn put_streamed(&self, path: PathBuf, fill: Fill) {
        let mut bytes = Vec::new();
        match fill(&mut bytes) {
            Ok(()) => self.hold_or_write(path, bytes),
            Err(err) => self.failed.keep((path, err)),
        }
    }
}

/// `check`: pages are rendered to find their problems, and go nowhere.
pub struct Nowhere;

impl Destination for Nowhere {
    fn wants_data(&self) -> bool {
        false
    }

    fn put(&self, _: PathBuf, _: String) {}

    fn put_streamed(&self, _: PathBuf, _: Fill) {}
}
