//! The staging folder a build fills beside the output, and the exchange that puts it in the
//! output's place.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::parent_of;

/// A folder being filled beside the output. Dropped without `commit`, it removes itself.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    /// Makes an empty staging folder beside `output`. The caller holds the output's lock, so
    /// any other staging folder there is a leftover of a build that was killed: those go
    /// first, or every killed build would leave a whole site behind for good.
    pub fn new(output: &Path) -> io::Result<Staging> {
        let parent = parent_of(output);
        fs::create_dir_all(&parent)?;
        let prefix = staging_prefix(output);
        remove_leftovers(&parent, &prefix);
        let dir = create_unique_folder(&parent, &prefix)?;
        super::track_unfinished(&dir);
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            committed: false,
        })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` to `relative` inside the staging folder, creating folders as needed.
    pub fn write_file(&self, relative: &Path, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    }

    /// Puts the staged site in the output's place. The site it replaced is handed back, to be
    /// removed when the caller is ready (dropping it removes it): `serve` tells browsers about
    /// the new site first, as removing 20,000 files can take seconds.
    pub fn commit(mut self) -> io::Result<ReplacedSite> {
        let replaced = swap_into_place(&self.dir, &self.output)?;
        self.committed = true;
        super::untrack_unfinished(&self.dir);
        Ok(ReplacedSite(replaced))
    }
}

/// The previous site, moved aside by a commit: removed when dropped.
#[must_use = "dropping it removes the replaced site at once"]
pub struct ReplacedSite(Option<PathBuf>);

impl ReplacedSite {
    /// Removes the replaced site now, saying whether that failed.
    pub fn remove(mut self) -> io::Result<()> {
        match self.0.take() {
            Some(path) => remove_any(&path),
            None => Ok(()),
        }
    }
}

impl Drop for ReplacedSite {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = remove_any(&path);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
            super::untrack_unfinished(&self.dir);
        }
    }
}

/// Replaces `output` by `staged`, and says where the previous output went, if there was one.
/// Where the system can exchange two folders atomically (Linux), readers see either the old
/// site or the new one, never none; elsewhere there is a moment between two renames where the
/// output is missing.
fn swap_into_place(staged: &Path, output: &Path) -> io::Result<Option<PathBuf>> {
    if fs::symlink_metadata(output).is_err() {
        fs::rename(staged, output)?;
        return Ok(None);
    }
    if exchange(staged, output).is_ok() {
        // `staged` now holds the previous site.
        return Ok(Some(staged.to_path_buf()));
    }
    let mut old = staged.as_os_str().to_owned();
    old.push("-old");
    let old = PathBuf::from(old);
    fs::rename(output, &old)?;
    if let Err(err) = fs::rename(staged, output) {
        let _ = fs::rename(&old, output);
        return Err(err);
    }
    Ok(Some(old))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

pub(super) fn remove_any(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// The start of every staging folder's name for `output`: `.site.tmp-` beside `site/`.
fn staging_prefix(output: &Path) -> String {
    let name = output
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.tmp-")
}

/// Creates a folder named `prefix` plus the process id, the time and a counter. The process
/// id alone repeats (in a container every build is process 1), so a name already taken is
/// never an error: the next one is tried.
fn create_unique_folder(parent: &Path, prefix: &str) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.subsec_nanos());
    let pid = std::process::id();
    loop {
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = parent.join(format!("{prefix}{pid}-{nanos}-{count}"));
        match fs::create_dir(&dir) {
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && count < 1000 => continue,
            result => return result.map(|()| dir),
        }
    }
}

/// Removes what killed builds left beside the output: their staging folders and the sites
/// they had moved aside. Only ever called with the output's lock held, when no other build
/// can be filling one. A site that a finished build is still removing may be among them;
/// both removals tolerate the other. Never follows a link, and a leftover that cannot be
/// removed is left for the next build rather than failing this one.
fn remove_leftovers(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if is_leftover(&entry.file_name(), prefix) {
            let _ = remove_any(&entry.path());
        }
    }
}

/// Whether `name` is one `create_unique_folder` makes for `prefix`, or such a folder with
/// `-old` added.
fn is_leftover(name: &OsStr, prefix: &str) -> bool {
    let Some(rest) = name.to_str().and_then(|name| name.strip_prefix(prefix)) else {
        return false;
    };
    let rest = rest.strip_suffix("-old").unwrap_or(rest);
    let parts: Vec<&str> = rest.split('-').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_staging_replaces_the_output_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("site");
        fs::create_dir(&output).unwrap();
        fs::write(output.join("old.html"), "old").unwrap();

        let staging = Staging::new(&output).unwrap();
        staging.write_file(Path::new("a/new.html"), b"new").unwrap();
        let replaced = staging.commit().unwrap();

        assert_eq!(
            fs::read_to_string(output.join("a/new.html")).unwrap(),
            "new"
        );
        assert!(!output.join("old.html").exists());
        let beside = |dir: &Path| fs::read_dir(dir).unwrap().count();
        assert_eq!(
            beside(tmp.path()),
            2,
            "the old site waits beside the new one"
        );
        replaced.remove().unwrap();
        assert_eq!(
            beside(tmp.path()),
            1,
            "no staging or old folder is left behind"
        );

        // Dropped rather than removed, a replaced site goes too.
        let staging = Staging::new(&output).unwrap();
        drop(staging.commit().unwrap());
        assert_eq!(beside(tmp.path()), 1);
    }

    #[test]
    fn a_dropped_staging_leaves_the_output_untouched_and_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("site");
        fs::create_dir(&output).unwrap();
        fs::write(output.join("index.html"), "good").unwrap();
        {
            let staging = Staging::new(&output).unwrap();
            staging
                .write_file(Path::new("index.html"), b"half")
                .unwrap();
        }
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "good"
        );
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_first_build_creates_the_output_and_its_parents() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("deep/site");
        let staging = Staging::new(&output).unwrap();
        staging.write_file(Path::new("index.html"), b"x").unwrap();
        staging.commit().unwrap().remove().unwrap();
        assert!(output.join("index.html").is_file());
    }

    #[test]
    fn leftovers_of_killed_builds_go_and_nothing_else_does() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("site");
        for leftover in [".site.tmp-1-0", ".site.tmp-1-0-old", ".site.tmp-42-123-7"] {
            fs::create_dir_all(tmp.path().join(leftover).join("vendors")).unwrap();
        }
        for other in [
            ".site.tmp-notes",
            ".other.tmp-1-0",
            "site.tmp-1-0",
            ".site.lock",
        ] {
            fs::write(tmp.path().join(other), "keep").unwrap();
        }
        let staging = Staging::new(&output).unwrap();
        let mut names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| staging.path().file_name().unwrap() != name.as_str())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".other.tmp-1-0",
                ".site.lock",
                ".site.tmp-notes",
                "site.tmp-1-0"
            ]
        );
    }

    #[test]
    fn a_taken_staging_name_is_never_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let first = create_unique_folder(tmp.path(), ".site.tmp-").unwrap();
        let second = create_unique_folder(tmp.path(), ".site.tmp-").unwrap();
        assert_ne!(first, second);
        assert!(is_leftover(first.file_name().unwrap(), ".site.tmp-"));
    }
}
