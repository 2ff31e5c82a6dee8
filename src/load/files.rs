//! Which files of `data/vendors/` are records, and under which slugs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::VENDORS_DIR;
use crate::diagnostic::{Diagnostic, display_path};

/// The record files of `data/vendors/`, sorted by slug, with a diagnostic for every file that
/// cannot be a record (bad slug, wrong extension) and every slug given twice.
pub fn list_vendor_files(root: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let dir = root.join(VENDORS_DIR);
    let mut problems = Vec::new();
    if !dir.is_dir() {
        problems.push(no_vendors_folder(&dir));
        return (Vec::new(), problems);
    }
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    // Each slug's file, to find a slug given twice without comparing every pair of files.
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut invalid: Vec<(PathBuf, String)> = Vec::new();
    // Subfolders may sort records (by letter, by category): the slug is the file name alone.
    for entry in walk_visible(&dir, &[]) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems.push(walk_problem(root, &dir, &err));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        let shown = display_path(root, path);
        let name = entry.file_name().to_string_lossy();
        if is_editor_litter(&name) {
            continue;
        }
        let Some(slug) = record_slug(&name) else {
            problems.push(Diagnostic::warning(
                shown,
                "ignored: not a vendor record (records are named <slug>.yaml)",
            ));
            continue;
        };
        if !is_valid_slug(slug) {
            invalid.push((shown, slug.to_owned()));
            continue;
        }
        if let Some(first) = seen.get(slug) {
            problems.push(Diagnostic::error(
                shown,
                format!(
                    "duplicate slug \"{slug}\": {} already defines it",
                    display_path(root, first).display()
                ),
            ));
            continue;
        }
        seen.insert(slug.to_owned(), path.to_path_buf());
        files.push((slug.to_owned(), path.to_path_buf()));
    }
    files.sort();
    for (shown, slug) in invalid {
        problems.push(invalid_slug(root, &shown, &slug, &files));
    }
    // A site of no vendors is a site of nothing (typically a wrong --root, or records saved as
    // .txt): an error, unless records were found and failed on their own account.
    if files.is_empty() && !problems.iter().any(Diagnostic::is_error) {
        problems.push(Diagnostic::error(
            VENDORS_DIR,
            "no vendor records: add one as data/vendors/<slug>.yaml \
             (`scimfacts new \"Vendor Name\"` creates one)",
        ));
    }
    (files, problems)
}

/// Every entry below `dir`, by name, but nothing in hidden folders (`.git`, an editor's
/// backups): those are not the site, as hidden files are not, unless named in `kept`.
pub(super) fn walk_visible(
    dir: &Path,
    kept: &'static [&'static str],
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    let visible = move |entry: &walkdir::DirEntry| {
        let name = entry.file_name().to_string_lossy();
        let hidden = entry.depth() > 0 && entry.file_type().is_dir() && name.starts_with('.');
        !hidden || kept.contains(&name.as_ref())
    };
    WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(visible)
}

/// What walking an input folder could not read (a link loop, a folder without permission),
/// against the entry it failed at.
pub(super) fn walk_problem(root: &Path, dir: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().unwrap_or(dir);
    let message = match err.io_error() {
        Some(io) if super::source::is_out_of_files(io) => super::source::describe_io_error(io),
        _ => err.to_string(),
    };
    Diagnostic::error(display_path(root, path), message)
}

/// What to do when `data/vendors/` is missing, or is not a folder.
fn no_vendors_folder(dir: &Path) -> Diagnostic {
    let what = if dir.exists() {
        "not a folder"
    } else {
        "folder not found"
    };
    Diagnostic::error(
        VENDORS_DIR,
        format!(
            "{what}: vendor records go in data/vendors/<slug>.yaml \
             (`scimfacts new \"Vendor Name\"` creates one)"
        ),
    )
}

/// Says what a valid slug would be, and when that slug is already taken (`Acme.yaml` beside
/// `acme.yaml`, which are one file on case-insensitive file systems) says by which file.
fn invalid_slug(root: &Path, shown: &Path, slug: &str, files: &[(String, PathBuf)]) -> Diagnostic {
    let suggestion = crate::slug::slugify(slug);
    let taken = files.iter().find(|(s, _)| *s == suggestion);
    let advice = match taken {
        Some((_, path)) => format!(
            "\"{suggestion}\" is taken by {}: merge the two records",
            display_path(root, path).display()
        ),
        None if suggestion.is_empty() => "rename it, e.g. after the vendor".to_owned(),
        None => format!("try \"{suggestion}\""),
    };
    Diagnostic::error(
        shown,
        format!(
            "\"{slug}\" is not a valid slug: a record's file name must use only a-z, 0-9 and \
             '-' ({advice})"
        ),
    )
}

/// The slug of a record file name (`okta.yaml` → `okta`), or `None` for files that are not
/// records. `.yml` counts too, so that `x.yml` beside `x.yaml` is caught as a duplicate rather
/// than silently ignored.
pub(super) fn record_slug(file_name: &str) -> Option<&str> {
    let (stem, extension) = file_name.rsplit_once('.')?;
    (extension == "yaml" || extension == "yml").then_some(stem)
}

/// Whether `slug` can name a record: `[a-z0-9-]+`.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Files that editors leave beside the ones being edited: never records, never worth a word.
pub fn is_editor_litter(file_name: &str) -> bool {
    file_name.starts_with('.')
        || file_name.ends_with('~')
        || file_name.ends_with(".swp")
        || file_name.ends_with(".swx")
        || file_name.ends_with(".tmp")
        || file_name == "4913"
}
