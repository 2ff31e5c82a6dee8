//! `serve` rewrites only the pages an edit changes, so a `build` into the output it previews
//! would leave a mix of the two builds' pages (another `--base-url`, another day). While
//! `serve` runs it holds a second lock beside the output, `.site.serve.lock`, with its process
//! id in it, and every other process's build of that output is refused. A file left by a
//! `serve` that was killed holds no lock (the system drops it with the process), so it counts
//! for nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::BuildError;

/// Held by `serve` for as long as it runs; removes its file when dropped.
pub struct PreviewLock {
    path: PathBuf,
    #[cfg(unix)]
    _file: fs::File,
}

/// The lock files this process holds: its own builds of those outputs go ahead.
static HELD_HERE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

impl PreviewLock {
    /// The preview lock file of `output`: `.site.serve.lock` beside `site/`.
    pub fn path_for(output: &Path) -> PathBuf {
        let name = output
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let path = super::parent_of(output).join(format!(".{name}.serve.lock"));
        std::path::absolute(&path).unwrap_or(path)
    }

    /// Takes the preview lock of `output`, or refuses when another `serve` holds it.
    #[cfg(unix)]
    pub fn acquire(output: &Path) -> Result<PreviewLock, BuildError> {
        let path = Self::path_for(output);
        let cannot = BuildError::io(format!("cannot create the lock file {}", path.display()));
        let file = match lock_for_serve(&path).map_err(cannot)? {
            Some(file) => file,
            None => return Err(previewed(output, &path, "already ")),
        };
        held_here().push(path.clone());
        Ok(PreviewLock { path, _file: file })
    }

    /// Without `flock`, nothing is refused.
    #[cfg(not(unix))]
    pub fn acquire(output: &Path) -> Result<PreviewLock, BuildError> {
        Ok(PreviewLock {
            path: Self::path_for(output),
        })
    }
}

impl Drop for PreviewLock {
    fn drop(&mut self) {
        held_here().retain(|held| *held != self.path);
        // Removed while still locked; the lock goes with the file handle just after.
        #[cfg(unix)]
        let _ = fs::remove_file(&self.path);
    }
}

fn held_here() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    HELD_HERE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The locked lock file with this process's id written in it, or `None` when another process
/// holds it. A build that is checking the lock holds it for an instant, so that is waited out.
#[cfg(unix)]
fn lock_for_serve(path: &Path) -> io::Result<Option<fs::File>> {
    use rustix::fs::{FlockOperation, flock};
    use std::io::Write;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    for _ in 0..50 {
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
                continue;
            }
            Err(err) => return Err(err.into()),
        }
        // A `serve` stopping removes the file as it releases it: lock the one now at the path.
        if super::guard::same_file(&file, path) {
            file.set_len(0)?;
            writeln!(file, "{}", std::process::id())?;
            return Ok(Some(file));
        }
    }
    Ok(None)
}

/// Refuses a build of `output` while a `serve` in another process previews it.
#[cfg(unix)]
pub(super) fn refuse_previewed(output: &Path) -> Result<(), BuildError> {
    use rustix::fs::{FlockOperation, flock};
    let path = PreviewLock::path_for(output);
    if held_here().contains(&path) {
        return Ok(());
    }
    let Ok(file) = fs::File::open(&path) else {
        return Ok(());
    };
    match flock(&file, FlockOperation::NonBlockingLockShared) {
        // No holder: nobody previews, whatever file is left.
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::WOULDBLOCK) => Err(previewed(output, &path, "")),
        Err(err) => Err(BuildError::io(format!("cannot lock {}", path.display()))(
            err.into(),
        )),
    }
}

/// Without `flock`, nothing is refused.
#[cfg(not(unix))]
pub(super) fn refuse_previewed(_output: &Path) -> Result<(), BuildError> {
    Ok(())
}

/// The refusal: which `serve` previews `output`, and what to do.
fn previewed(output: &Path, lock: &Path, already: &str) -> BuildError {
    // Empty for the instant between a `serve` taking the lock and writing its id.
    let pid = fs::read_to_string(lock)
        .ok()
        .and_then(|text| text.trim().parse::<u32>().ok())
        .map_or_else(String::new, |pid| format!(" (pid {pid})"));
    BuildError::Busy(format!(
        "`scimfacts serve`{pid} is {already}previewing into {} (it holds {}): writing there \
         now would leave a mix of two builds once serve rewrites the pages of the next edit. \
         Stop that serve (Ctrl-C) first, or write to another folder with --output",
        output.display(),
        lock.display()
    ))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_serving_process_builds_and_a_lock_without_a_holder_counts_for_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("site");
        let path = PreviewLock::path_for(&output);
        assert!(path.ends_with(".site.serve.lock"));
        fs::write(&path, "12345\n").unwrap();
        assert!(refuse_previewed(&output).is_ok(), "a leftover, no holder");
        let held = PreviewLock::acquire(&output).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
        assert!(refuse_previewed(&output).is_ok(), "this process serves");
        let Err(BuildError::Busy(second)) = PreviewLock::acquire(&output) else {
            panic!("a second serve of the same output");
        };
        assert!(
            second.contains(&format!("(pid {})", std::process::id())),
            "{second}"
        );
        drop(held);
        assert!(!path.exists());
        assert!(refuse_previewed(&output).is_ok());
    }
}
