//! Putting a site on disk so that readers only ever see a complete one.
//!
//! Pages are written into a staging folder beside the output; only when every page is there
//! does the staging folder take the output's place, in one atomic exchange where the system
//! offers it. A build that fails at any point removes its staging folder and leaves the
//! previous output exactly as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

mod destination;
mod guard;
mod preview;
mod staging;

pub use destination::{Committed, Destination, Fill, InPlace, Nowhere, Staged};
pub use guard::{
    OutputLock, SITE_MARKER, SITE_MARKER_TEXT, is_empty_folder, is_previous_site, lock_output,
    refuse_foreign_output, refuse_unsafe_output,
};
pub use preview::PreviewLock;
use staging::remove_any;
pub use staging::{ReplacedSite, Staging};

/// The staging folders and lock files this process has made and not yet removed, for
/// [`remove_unfinished`].
static UNFINISHED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn unfinished() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Notes a staging folder or lock file, to be removed if the process must stop at once.
fn track_unfinished(path: &Path) {
    unfinished().push(path.to_path_buf());
}

/// Forgets a staging folder or lock file that was put in place or removed.
fn untrack_unfinished(path: &Path) {
    unfinished().retain(|tracked| tracked != path);
}

/// Removes the staging folders and lock files of this process's unfinished writes: for a
/// process that must exit without unwinding (a template that runs away), so that it leaves
/// the output as it found it. Threads may still be writing: each removal is tried again.
pub fn remove_unfinished() {
    for path in std::mem::take(&mut *unfinished()) {
        for _ in 0..5 {
            if remove_any(&path).is_ok() || fs::symlink_metadata(&path).is_err() {
                break;
            }
        }
    }
}

/// The folder `path` is in: `.` for a bare name.
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes files into a folder from a thread of its own, fed by any number of rendering
/// threads. Creating files in the same folders from several threads at once makes them wait
/// on each other's folder locks in the kernel: on 2 cores, 20,000 pages took 3–7 s of system
/// time written from both rendering threads, and about 1 s from one thread. The queue is
/// short, so at most a few rendered pages wait in memory.
pub struct FileWriter {
    dir: PathBuf,
    queue: Option<SyncSender<(PathBuf, Vec<u8>)>>,
    thread: Option<JoinHandle<Result<usize, (PathBuf, io::Error)>>>,
}

/// Files waiting for the writer; enough to keep it busy while renderers take turns.
const WRITE_QUEUE: usize = 64;

impl FileWriter {
    /// Starts the writer thread, writing below `dir`.
    pub fn spawn(dir: &Path) -> FileWriter {
        let (queue, received) = sync_channel::<(PathBuf, Vec<u8>)>(WRITE_QUEUE);
        let folder = dir.to_path_buf();
        let dir = dir.to_path_buf();
        let thread = std::thread::spawn(move || {
            let mut folders = std::collections::HashSet::new();
            let mut written = 0;
            for (relative, bytes) in received {
                let path = dir.join(&relative);
                let parent = parent_of(&path);
                // Each folder is created once, not asked for again by every file in it.
                if !folders.contains(&parent) {
                    fs::create_dir_all(&parent).map_err(|err| (relative.clone(), err))?;
                    folders.insert(parent);
                }
                fs::write(&path, bytes).map_err(|err| (relative, err))?;
                written += 1;
            }
            Ok(written)
        });
        FileWriter {
            dir: folder,
            queue: Some(queue),
            thread: Some(thread),
        }
    }

    /// Queues one file, `relative` to the folder. A write that fails stops the writer; the
    /// failure is reported by `finish`, and files queued after it are dropped.
    pub fn write(&self, relative: PathBuf, bytes: Vec<u8>) {
        if let Some(queue) = &self.queue {
            let _ = queue.send((relative, bytes));
        }
    }

    /// Writes one file from the calling thread as `fill` makes it, never holding it whole:
    /// for an output too big to queue (the whole-site JSON is 300 MB at 100,000 vendors).
    pub fn stream(
        &self,
        relative: &Path,
        fill: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let path = self.dir.join(relative);
        fs::create_dir_all(parent_of(&path))?;
        let mut file = io::BufWriter::new(fs::File::create(&path)?);
        fill(&mut file)?;
        io::Write::flush(&mut file)
    }

    /// Waits for every queued file to be written. Returns how many were, or the first file
    /// that could not be written and why.
    pub fn finish(mut self) -> Result<usize, (PathBuf, io::Error)> {
        self.stop().unwrap_or(Ok(0))
    }

    fn stop(&mut self) -> Option<Result<usize, (PathBuf, io::Error)>> {
        drop(self.queue.take());
        let thread = self.thread.take()?;
        Some(
            thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    }
}

/// A writer dropped unfinished (the build failed) still waits for its thread, so that no file
/// lands in a staging folder after the folder is removed.
impl Drop for FileWriter {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Replaces one file of a live output: the new bytes go to a temporary file beside it, which
/// is then renamed over the old one, so a reader sees the old file or the new one, whole.
/// Does nothing when the file already holds `bytes`. Returns whether it wrote.
pub fn replace_file(output: &Path, relative: &Path, bytes: &[u8]) -> io::Result<bool> {
    let path = output.join(relative);
    if fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let parent = parent_of(&path);
    fs::create_dir_all(&parent)?;
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temporary = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, &path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacing_a_file_skips_identical_bytes_and_leaves_no_temporary() {
        let out = tempfile::tempdir().unwrap();
        let page = Path::new("vendors/x/index.html");
        assert!(replace_file(out.path(), page, b"one").unwrap());
        assert!(!replace_file(out.path(), page, b"one").unwrap());
        assert!(replace_file(out.path(), page, b"two").unwrap());
        assert_eq!(fs::read(out.path().join(page)).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(out.path().join("vendors/x")).unwrap().count(),
            1
        );
    }
}
