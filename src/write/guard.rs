//! Guards around the output folder: it is never the site's own input, never someone else's
//! folder, and only one build writes it at a time.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::parent_of;
use crate::error::BuildError;

/// The file every build writes at the top of the site. Its presence tells a later build that
/// the folder is a site it may replace whole; a folder without it is someone else's and is
/// only replaced with `--force`. Hosts serve it like any file, so it says nothing private.
pub const SITE_MARKER: &str = ".scimfacts-site";

/// What the marker file says.
pub const SITE_MARKER_TEXT: &str = "This folder is a site written by scimfacts (`scimfacts build`).\n\
Every build replaces the whole folder: keep nothing else in it.\n";

/// Whether `dir` holds a site a previous build wrote.
pub fn is_previous_site(dir: &Path) -> bool {
    dir.join(SITE_MARKER).is_file()
}

/// Whether `dir` is a folder with nothing in it.
pub fn is_empty_folder(dir: &Path) -> io::Result<bool> {
    Ok(fs::read_dir(dir)?.next().is_none())
}

/// An exclusive lock on writing one output folder, held by one build at a time, so that two
/// builds started together cannot interleave their writes. It is a lock file beside the
/// output (not inside it: the output is replaced whole) that is removed when released.
pub struct OutputLock {
    path: PathBuf,
    #[cfg(unix)]
    _file: fs::File,
}

impl OutputLock {
    /// The lock file of `output`: `.site.lock` beside `site/`.
    pub fn path_for(output: &Path) -> PathBuf {
        let name = output
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        parent_of(output).join(format!(".{name}.lock"))
    }

    /// Takes the lock, waiting for another holder when `wait`, or returns `None` at once when
    /// another build holds it.
    #[cfg(unix)]
    pub fn acquire(output: &Path, wait: bool) -> io::Result<Option<OutputLock>> {
        use rustix::fs::{FlockOperation, flock};
        let path = Self::path_for(output);
        fs::create_dir_all(parent_of(output))?;
        loop {
            let file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            let operation = if wait {
                FlockOperation::LockExclusive
            } else {
                FlockOperation::NonBlockingLockExclusive
            };
            match flock(&file, operation) {
                Ok(()) => {}
                Err(rustix::io::Errno::WOULDBLOCK) => return Ok(None),
                Err(err) => return Err(err.into()),
            }
            // The holder before us removes the file as it releases it; a lock on a removed
            // file guards nothing, so take the lock again on the file now at the path.
            if same_file(&file, &path) {
                super::track_unfinished(&path);
                return Ok(Some(OutputLock { path, _file: file }));
            }
        }
    }

    /// Without `flock`, builds rely on the atomic exchange alone.
    #[cfg(not(unix))]
    pub fn acquire(output: &Path, _wait: bool) -> io::Result<Option<OutputLock>> {
        Ok(Some(OutputLock {
            path: Self::path_for(output),
        }))
    }
}

#[cfg(unix)]
pub(super) fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(held), Ok(named)) => held.dev() == named.dev() && held.ino() == named.ino(),
        _ => false,
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked, so a waiting build finds it gone and starts again.
        #[cfg(unix)]
        let _ = fs::remove_file(&self.path);
        super::untrack_unfinished(&self.path);
    }
}

/// The lock of `output`, or a clear refusal when another build holds it or another process's
/// `serve` previews into it.
pub fn lock_output(output: &Path, wait: bool) -> Result<OutputLock, BuildError> {
    let lock = OutputLock::acquire(output, wait).map_err(BuildError::io(format!(
        "cannot create the lock file {}",
        OutputLock::path_for(output).display()
    )))?;
    let lock = lock.ok_or_else(|| {
        BuildError::Busy(format!(
            "another build is writing {} right now (it holds {}): try again when it has \
             finished",
            output.display(),
            OutputLock::path_for(output).display()
        ))
    })?;
    // Checked holding the lock: a `serve` that starts now waits for this build to finish, then
    // builds everything anew.
    super::preview::refuse_previewed(output)?;
    Ok(lock)
}

/// The output folder is replaced whole, so it must never be the site's own input. Paths are
/// compared once every symbolic link in them is followed: `--output link/data`, where `link`
/// leads to the root, is the root's `data/`.
pub fn refuse_unsafe_output(root: &Path, output: &Path) -> Result<(), BuildError> {
    let root = resolve(root);
    let resolved = resolve(output);
    if root.starts_with(&resolved) {
        return Err(BuildError::Usage(format!(
            "refusing to write the site to {}: it contains the site's own files (choose a \
             folder such as {}/site)",
            output.display(),
            root.display()
        )));
    }
    for input in ["data", "templates", "static"] {
        if resolved.starts_with(root.join(input)) {
            return Err(BuildError::Usage(format!(
                "refusing to write the site to {}: it is inside the input folder {input}/",
                output.display()
            )));
        }
    }
    Ok(())
}

/// A build deletes whatever the output held, so it only replaces a folder that an earlier build
/// wrote (it has the marker file) or an empty one, unless told to with `--force`; and never a
/// file, which no site could be.
pub fn refuse_foreign_output(output: &Path, force: bool) -> Result<(), BuildError> {
    refuse_dangling_link(output)?;
    let metadata = match std::fs::metadata(output) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => {
            return Err(BuildError::io(format!(
                "cannot look at {}",
                output.display()
            ))(err));
        }
    };
    if !metadata.is_dir() {
        return Err(BuildError::Usage(format!(
            "refusing to write the site to {}: it is a file, not a folder (remove it or choose \
             another --output)",
            output.display()
        )));
    }
    let empty = is_empty_folder(output)
        .map_err(BuildError::io(format!("cannot list {}", output.display())))?;
    if empty || is_previous_site(output) || force {
        return Ok(());
    }
    Err(BuildError::Usage(format!(
        "refusing to replace {}: it is a folder with files in it that no scimfacts build wrote \
         (it has no {SITE_MARKER} file), and a build replaces the whole folder. Choose another \
         --output, or pass --force to replace it",
        output.display()
    )))
}

/// A link that leads nowhere would be replaced by the new site, and the place it names left
/// empty: the editor meant that place, so say so rather than guess.
fn refuse_dangling_link(output: &Path) -> Result<(), BuildError> {
    let is_link = std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link || output.exists() {
        return Ok(());
    }
    let target = std::fs::read_link(output).unwrap_or_default();
    let looped = std::fs::metadata(output)
        .is_err_and(|err| rustix::io::Errno::from_io_error(&err) == Some(rustix::io::Errno::LOOP));
    let problem = if looped {
        "which leads back to itself (a loop of links): remove the link".to_owned()
    } else {
        "which does not exist (create that folder, or remove the link)".to_owned()
    };
    Err(BuildError::Usage(format!(
        "refusing to write the site to {}: it is a symbolic link to {}, {problem}",
        output.display(),
        target.display()
    )))
}

/// `path` made absolute, with every symbolic link of its existing part followed and `.` and
/// `..` taken as the system takes them (the output may not exist yet).
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut resolved = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            // `resolved` has no links in it, so its parent is the real parent.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
            other => resolved.push(other),
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_build_at_a_time_holds_the_lock_and_releasing_it_removes_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("site");
        let lock = OutputLock::acquire(&output, false).unwrap().expect("free");
        assert!(OutputLock::path_for(&output).is_file());
        assert!(
            OutputLock::acquire(&output, false).unwrap().is_none(),
            "held"
        );
        drop(lock);
        assert!(!OutputLock::path_for(&output).exists());
        assert!(OutputLock::acquire(&output, false).unwrap().is_some());
    }

    #[test]
    fn a_waiting_build_gets_the_lock_once_it_is_released() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("site");
        let lock = OutputLock::acquire(&output, false).unwrap().unwrap();
        let waiter = {
            let output = output.clone();
            std::thread::spawn(move || OutputLock::acquire(&output, true).unwrap().is_some())
        };
        std::thread::sleep(std::time::Duration::from_millis(50));
        drop(lock);
        assert!(waiter.join().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn an_input_folder_reached_through_a_link_is_still_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("facts");
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::os::unix::fs::symlink(&root, tmp.path().join("link")).unwrap();
        let through_link = tmp.path().join("link/data");
        assert!(refuse_unsafe_output(&root, &through_link).is_err());
        assert!(refuse_unsafe_output(&root, &tmp.path().join("link/x/../data/y")).is_err());
        assert!(refuse_unsafe_output(&root, &tmp.path().join("link/site")).is_ok());
    }

    #[test]
    fn only_an_earlier_site_or_an_empty_folder_is_replaced_without_force() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp.path().join("out");
        assert!(refuse_foreign_output(&folder, false).is_ok(), "missing");
        std::fs::create_dir(&folder).unwrap();
        assert!(refuse_foreign_output(&folder, false).is_ok(), "empty");
        std::fs::write(folder.join("notes.txt"), "mine").unwrap();
        assert!(
            refuse_foreign_output(&folder, false).is_err(),
            "someone's folder"
        );
        assert!(refuse_foreign_output(&folder, true).is_ok(), "--force");
        std::fs::write(folder.join(SITE_MARKER), SITE_MARKER_TEXT).unwrap();
        assert!(
            refuse_foreign_output(&folder, false).is_ok(),
            "an earlier site"
        );
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(
            refuse_foreign_output(&file, true).is_err(),
            "a file, even with --force"
        );
    }

    #[test]
    fn the_output_may_not_hold_or_sit_inside_the_input() {
        let root = Path::new("/srv/facts");
        for bad in [
            "/srv/facts",
            "/srv",
            "/",
            "/srv/facts/data/out",
            "/srv/facts/static",
            "/srv/facts/site/../templates",
        ] {
            assert!(
                refuse_unsafe_output(root, Path::new(bad)).is_err(),
                "{bad} must be refused"
            );
        }
        for good in ["/srv/facts/site", "/srv/out", "/srv/facts/public/site"] {
            assert!(
                refuse_unsafe_output(root, Path::new(good)).is_ok(),
                "{good}"
            );
        }
    }
}
