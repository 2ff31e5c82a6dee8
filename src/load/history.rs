//! The committed versions of every record, read from the git repository that holds the site
//! with gitoxide (no `git` program needed), for the price history (`history: true`).
//!
//! The walk follows the first parent from HEAD, as `git log --first-parent` does: a change
//! merged from a branch is dated by the commit that brought it to the site's branch, unless
//! the record says when it was checked. Only commits that touch `data/vendors/` are diffed,
//! and renames of a record's file are followed back to its first name.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gix::ObjectId;
use gix::bstr::ByteSlice;
use gix::object::tree::diff::ChangeDetached as TreeChange;
use rayon::prelude::*;

use super::VENDORS_DIR;
use crate::model::Date;

/// Every record's committed versions, as HEAD's history holds them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CommittedHistory {
    /// The commit HEAD pointed at when it was read (`None` before the first commit), so that
    /// `serve` knows when to read again.
    pub head: Option<String>,
    /// Whether the walk reached the repository's first commit. A shallow clone stops short of
    /// it, and its oldest commit is then not when a record was added.
    pub complete: bool,
    /// Each record's versions, newest first, by its path below `data/vendors/` at HEAD.
    versions: HashMap<String, RecordVersions>,
}

/// One record's committed versions.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RecordVersions {
    /// Newest first.
    pub versions: Vec<CommittedVersion>,
    /// Whether the oldest is the commit that added the record (not a shallow clone's
    /// oldest commit, which only shows it was there by then).
    pub from_start: bool,
}

/// A record as one commit left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedVersion {
    /// The commit's full id.
    pub commit: String,
    /// The day it was authored, in its author's time zone (the date `git log` shows).
    pub date: Date,
    /// The record's file as committed.
    pub bytes: Vec<u8>,
}

impl CommittedHistory {
    /// The committed versions of the record at `path` (below `data/vendors/`, with `/`);
    /// `None` when it was never committed.
    pub fn versions(&self, path: &str) -> Option<&RecordVersions> {
        self.versions.get(path)
    }
}

/// Why no history could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoHistory {
    /// The site root is in no git repository with a working tree.
    NotInRepository,
    /// The repository is there but could not be read.
    Unreadable(String),
}

/// The commit HEAD of the repository holding `root` points at; `None` when there is none
/// (no repository, or no commit yet). Cheap enough for `serve` to ask every second.
pub fn head_commit(root: &Path) -> Option<String> {
    let repo = gix::discover(root).ok()?;
    let id = repo.head_id().ok()?;
    Some(id.to_string())
}

/// Reads the committed versions of every record under `root/data/vendors/`.
pub fn read_history(root: &Path) -> Result<CommittedHistory, NoHistory> {
    let repo = gix::discover(root).map_err(|_| NoHistory::NotInRepository)?;
    let folder = vendors_folder_in(&repo, root).ok_or(NoHistory::NotInRepository)?;
    let unreadable = |err: gix::Error| NoHistory::Unreadable(err.to_string());
    let head = repo.head().map_err(unreadable)?;
    if head.is_unborn() {
        return Ok(CommittedHistory {
            complete: true,
            ..CommittedHistory::default()
        });
    }
    let head = repo.head_commit().map_err(unreadable)?;
    let mut walk = Walk {
        repo: &repo,
        folder: &folder,
        alive: HashMap::new(),
        found: HashMap::new(),
    };
    let complete = walk.run(head.clone()).map_err(unreadable)?;
    let versions = walk.read_versions().map_err(unreadable)?;
    Ok(CommittedHistory {
        head: Some(head.id.to_string()),
        complete,
        versions,
    })
}

/// `data/vendors` of the site at `root`, as a path inside the repository's top tree.
fn vendors_folder_in(repo: &gix::Repository, root: &Path) -> Option<String> {
    let top = repo.workdir()?.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let inside = root.strip_prefix(&top).ok()?.join(VENDORS_DIR);
    let parts: Option<Vec<&str>> = inside
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

/// A version found by the walk, before its bytes are read.
struct Found {
    commit: ObjectId,
    date: Date,
    blob: ObjectId,
}

/// Where a record's file was before the commit that changed it.
enum Before {
    /// At the same path.
    Same,
    /// Nowhere: the commit added it.
    Nowhere,
    /// At another path: the commit renamed it.
    At(String),
}

/// The walk from HEAD along first parents.
struct Walk<'a> {
    repo: &'a gix::Repository,
    /// `data/vendors` inside the repository.
    folder: &'a str,
    /// Each file of `data/vendors/` as of the commit being looked at, by the path at HEAD of
    /// the record it became; a file leaves when the walk passes the commit that added it.
    alive: HashMap<String, String>,
    /// Each record's versions, newest first, by its path at HEAD.
    found: HashMap<String, Vec<Found>>,
}

impl Walk<'_> {
    /// Walks from `head` until every record's first commit is passed; returns whether the
    /// history is complete (false when a shallow clone's boundary was reached first).
    fn run(&mut self, head: gix::Commit<'_>) -> Result<bool, gix::Error> {
        let Some(records) = self.vendors_tree(&head)? else {
            return Ok(true);
        };
        for path in files_of(&records)? {
            self.alive.insert(path.clone(), path);
        }
        let (mut commit, mut after) = (head, Some(records));
        loop {
            let parent = match commit.parent_ids().next() {
                None => None,
                Some(id) => match self.repo.find_commit(id) {
                    Ok(parent) => Some(parent),
                    // A shallow clone's boundary: its parent is not in the clone, so what
                    // it holds is known to be there since then, not to have come then.
                    Err(_) => {
                        self.note_boundary(&commit, after.as_ref())?;
                        return Ok(false);
                    }
                },
            };
            let before = match &parent {
                Some(parent) => self.vendors_tree(parent)?,
                None => None,
            };
            if before.as_ref().map(|t| t.id) != after.as_ref().map(|t| t.id) {
                self.note_changes(&commit, before.as_ref(), after.as_ref())?;
            }
            match parent {
                Some(parent) if !self.alive.is_empty() => (commit, after) = (parent, before),
                _ => return Ok(true),
            }
        }
    }

    /// The tree of `data/vendors/` in `commit`, if it has one.
    fn vendors_tree<'r>(
        &self,
        commit: &gix::Commit<'r>,
    ) -> Result<Option<gix::Tree<'r>>, gix::Error> {
        let tree = commit.tree()?;
        let Some(entry) = tree.lookup_entry_by_path(self.folder)? else {
            return Ok(None);
        };
        if !entry.mode().is_tree() {
            return Ok(None);
        }
        Ok(Some(entry.object()?.into_tree()))
    }

    /// Notes the version of every record still followed as `commit`, the oldest commit
    /// there is, holds it in `tree` (its `data/vendors/`).
    fn note_boundary(
        &mut self,
        commit: &gix::Commit<'_>,
        tree: Option<&gix::Tree<'_>>,
    ) -> Result<(), gix::Error> {
        let Some(tree) = tree else {
            return Ok(());
        };
        let date = author_date(commit)?;
        for (path, record) in &self.alive {
            if let Some(entry) = tree.lookup_entry_by_path(path)? {
                self.found.entry(record.clone()).or_default().push(Found {
                    commit: commit.id,
                    date,
                    blob: entry.object_id(),
                });
            }
        }
        Ok(())
    }

    /// Notes the versions `commit` made, from its `data/vendors/` tree and its parent's.
    fn note_changes(
        &mut self,
        commit: &gix::Commit<'_>,
        before: Option<&gix::Tree<'_>>,
        after: Option<&gix::Tree<'_>>,
    ) -> Result<(), gix::Error> {
        let options =
            gix::diff::Options::default().with_rewrites(Some(gix::diff::Rewrites::default()));
        let changes = self.repo.diff_tree_to_tree(before, after, options)?;
        let date = author_date(commit)?;
        for change in changes {
            self.note_change(commit.id, date, change);
        }
        Ok(())
    }

    fn note_change(&mut self, commit: ObjectId, date: Date, change: TreeChange) {
        // Where the file was before `commit`: at the same path, at none (added), or elsewhere.
        let (path, blob, before) = match change {
            TreeChange::Modification {
                location,
                entry_mode,
                id,
                ..
            } if entry_mode.is_blob() => (location, id, Before::Same),
            TreeChange::Addition {
                location,
                entry_mode,
                id,
                ..
            } if entry_mode.is_blob() => (location, id, Before::Nowhere),
            TreeChange::Rewrite {
                source_location,
                location,
                id,
                copy,
                ..
            } => {
                // A copy starts a history of its own; a rename carries the source's on.
                let before = if copy {
                    Before::Nowhere
                } else {
                    Before::At(source_location.to_str_lossy().into_owned())
                };
                (location, id, before)
            }
            _ => return,
        };
        let path = path.to_str_lossy().into_owned();
        let Some(record) = self.alive.get(&path).cloned() else {
            // No record at HEAD came from this file: it was removed since, or copied.
            return;
        };
        self.found
            .entry(record.clone())
            .or_default()
            .push(Found { commit, date, blob });
        match before {
            Before::Same => {}
            Before::Nowhere => {
                self.alive.remove(&path);
            }
            Before::At(source) => {
                self.alive.remove(&path);
                self.alive.insert(source, record);
            }
        }
    }

    /// Reads the bytes of every version found, on every core: inflating them is most of the
    /// time reading history takes.
    fn read_versions(self) -> Result<HashMap<String, RecordVersions>, gix::Error> {
        // The records whose first commit the walk did not pass.
        let unfinished: HashSet<&String> = self.alive.values().collect();
        let shared = self.repo.clone().into_sync();
        self.found
            .par_iter()
            .map_init(
                || shared.to_thread_local(),
                |repo, (record, found)| {
                    let versions = found
                        .iter()
                        .map(|version| {
                            Ok(CommittedVersion {
                                commit: version.commit.to_string(),
                                date: version.date,
                                bytes: repo.find_blob(version.blob)?.detach().data,
                            })
                        })
                        .collect::<Result<Vec<_>, gix::Error>>()?;
                    let from_start = !unfinished.contains(record);
                    Ok((
                        record.clone(),
                        RecordVersions {
                            versions,
                            from_start,
                        },
                    ))
                },
            )
            .collect()
    }
}

/// Every file below `tree`, by its path inside it.
fn files_of(tree: &gix::Tree<'_>) -> Result<Vec<String>, gix::Error> {
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse().breadthfirst(&mut recorder)?;
    Ok(recorder
        .records
        .into_iter()
        .filter(|entry| entry.mode.is_blob())
        .map(|entry| entry.filepath.to_str_lossy().into_owned())
        .collect())
}

/// The day `commit` was authored, in its author's time zone.
fn author_date(commit: &gix::Commit<'_>) -> Result<Date, gix::Error> {
    let time = commit.author()?.time()?;
    let day = jiff::Timestamp::from_second(time.seconds)
        .ok()
        .and_then(|instant| {
            let zone = jiff::tz::Offset::from_seconds(time.offset).ok()?;
            Some(zone.to_datetime(instant).date())
        })
        .unwrap_or(jiff::civil::Date::constant(1970, 1, 1));
    Ok(Date(day))
}
