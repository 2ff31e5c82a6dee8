//! Watching the site's inputs for `serve`: which files changed, and what that means for the
//! site (one record, every page, or only static files).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{MetadataKind, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::assets::STATIC_DIR;
use crate::load::{CommittedHistory, IDPS_FILE, SITE_FILE, VENDORS_DIR, is_editor_litter};
use crate::render::TEMPLATES_DIR;

/// How long the watcher waits for a burst of events (an editor's save, a `git checkout`) to
/// settle before the site is rebuilt.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// How often `--poll` looks at every input file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// What changed since the last rebuild, sorted by what it forces.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Record files below `data/vendors/` that were created, changed, removed or renamed.
    pub records: BTreeSet<PathBuf>,
    /// `site.yaml`, `idps.yaml` or a template changed: every page depends on them.
    pub everything: bool,
    /// Files below `static/`.
    pub statics: BTreeSet<PathBuf>,
    /// The repository's history, read again because HEAD moved: every page may show it.
    pub history: Option<Arc<CommittedHistory>>,
}

impl Changes {
    /// Everything changed: the first build.
    pub fn everything() -> Changes {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    /// Adds the changes of `other`.
    pub fn merge(&mut self, other: Changes) {
        self.records.extend(other.records);
        self.statics.extend(other.statics);
        self.everything |= other.everything;
        if other.history.is_some() {
            self.history = other.history;
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        !self.everything
            && self.records.is_empty()
            && self.statics.is_empty()
            && self.history.is_none()
    }

    /// Only stylesheets changed: the browser can swap them without reloading the page.
    pub fn css_only(&self) -> bool {
        !self.everything
            && self.history.is_none()
            && self.records.is_empty()
            && !self.statics.is_empty()
            && self
                .statics
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }
}

/// Sorts changed paths (absolute, or relative to `root`) into what they force. Paths outside
/// the inputs and editor litter (swap files, backups, lock files) are ignored.
pub fn classify(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
    let mut changes = Changes::default();
    for path in paths {
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let name = relative
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_editor_litter(&name) {
            continue;
        }
        if relative.starts_with(VENDORS_DIR) {
            if relative == Path::new(VENDORS_DIR) {
                changes.everything = true;
            } else {
                changes.records.insert(root.join(relative));
            }
        } else if relative == Path::new(SITE_FILE)
            || relative == Path::new(IDPS_FILE)
            || relative == Path::new("data")
            || relative.starts_with(TEMPLATES_DIR)
        {
            changes.everything = true;
        } else if relative.starts_with(STATIC_DIR) {
            if relative == Path::new(STATIC_DIR) {
                changes.everything = true;
            } else {
                changes.statics.insert(root.join(relative));
            }
        }
    }
    changes
}

fn is_change(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

fn is_structural(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
    )
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncing,
    /// Each input folder, and which folder it was (if any) when its watch began: a folder
    /// created, or removed and made again, after that needs a watch of its own.
    folders: Vec<(PathBuf, Option<FolderId>)>,
}

enum Debouncing {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

/// The input folders, watched recursively.
const INPUT_FOLDERS: [&str; 3] = ["data", TEMPLATES_DIR, STATIC_DIR];

/// Watches `root/data`, `root/templates` and `root/static`, and `root` itself for those
/// folders appearing later (`Watcher::follow_input_folders` then watches them), sending each
/// settled batch of changes to `sender`. With `poll`, files are polled instead of watched
/// through the kernel: slower, but it works on network and container mounts that deliver no
/// events.
pub fn watch(root: &Path, poll: bool, sender: Sender<Changes>) -> notify::Result<Watcher> {
    let root = root.to_path_buf();
    let handler_root = root.clone();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        // Reading a file is an event too (our own builds read every input): only changes count.
        let paths = events
            .into_iter()
            .filter(|event| is_change(&event.event.kind))
            .flat_map(|event| {
                let structural = is_structural(&event.event.kind);
                event.event.paths.into_iter().map(move |p| (p, structural))
            })
            // A folder's own timestamps change whenever a file in it does (polling reports
            // that); the file's event says what changed. A folder created, removed or renamed
            // is a change of its own.
            .filter(|(path, structural)| *structural || !path.is_dir())
            .map(|(path, _)| path);
        let changes = classify(&handler_root, paths);
        if !changes.is_empty() {
            let _ = sender.send(changes);
        }
    };
    let debouncer = if poll {
        // notify's poller compares whole-second timestamps, so an edit in the same second as
        // the previous poll would go unseen: hashing contents catches it, at the cost of
        // reading the inputs once per poll.
        let config = notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true);
        Debouncing::Polling(new_debouncer_opt(DEBOUNCE, None, handler, NoCache, config)?)
    } else {
        Debouncing::Native(new_debouncer(DEBOUNCE, None, handler)?)
    };
    let mut watcher = Watcher {
        debouncer,
        folders: INPUT_FOLDERS
            .iter()
            .map(|folder| (root.join(folder), None))
            .collect(),
    };
    watcher.follow_input_folders()?;
    // The root itself, not recursively: the output and build folders live there too.
    watcher
        .debouncer
        .watch(&root, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}

impl Watcher {
    /// Watches each input folder that appeared (or was made again) since it was last looked
    /// at. Their appearance is itself a change that rebuilds everything, so calling this
    /// before that rebuild misses nothing: what the folder held by then is read by the
    /// rebuild, and what comes after is seen.
    pub fn follow_input_folders(&mut self) -> notify::Result<()> {
        let Watcher { debouncer, folders } = self;
        for (path, watched) in folders.iter_mut() {
            let now = folder_id(path);
            if now == *watched {
                continue;
            }
            if watched.is_some() {
                // The folder it watched is gone; the watch may be gone with it.
                let _ = debouncer.unwatch(path);
            }
            if now.is_some() {
                debouncer.watch(path, RecursiveMode::Recursive)?;
            }
            *watched = now;
        }
        Ok(())
    }
}

impl Debouncing {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Debouncing::Native(debouncer) => debouncer.watch(path, mode),
            Debouncing::Polling(debouncer) => debouncer.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Debouncing::Native(debouncer) => debouncer.unwatch(path),
            Debouncing::Polling(debouncer) => debouncer.unwatch(path),
        }
    }
}

/// Which folder is at a path: a folder removed and made again under the same name is another.
type FolderId = (u64, u64);

fn folder_id(path: &Path) -> Option<FolderId> {
    let metadata = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        Some((0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_relative(paths: &[&str]) -> Changes {
        classify(
            Path::new("/site"),
            paths.iter().map(|p| Path::new("/site").join(p)),
        )
    }

    #[test]
    fn a_record_change_names_the_record() {
        let changes = classify_relative(&["data/vendors/okta.yaml"]);
        assert_eq!(
            changes.records,
            BTreeSet::from([PathBuf::from("/site/data/vendors/okta.yaml")])
        );
        assert!(!changes.everything);
    }

    #[test]
    fn settings_and_templates_change_everything() {
        for path in [
            "data/site.yaml",
            "data/idps.yaml",
            "templates/vendor.html",
            "templates/x/y.html",
        ] {
            assert!(classify_relative(&[path]).everything, "{path}");
        }
    }

    #[test]
    fn editor_litter_and_other_files_are_ignored() {
        let changes = classify_relative(&[
            "data/vendors/.okta.yaml.swp",
            "data/vendors/okta.yaml~",
            "data/vendors/.#okta.yaml",
            "data/vendors/4913",
            "site/index.html",
            "target/debug/x",
            "README.md",
        ]);
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn only_stylesheets_can_be_swapped_without_a_reload() {
        assert!(classify_relative(&["static/style.css"]).css_only());
        assert!(!classify_relative(&["static/style.css", "static/app.js"]).css_only());
        assert!(!classify_relative(&["static/style.css", "data/vendors/a.yaml"]).css_only());
    }
}
