//! The files of an input folder other than `data/vendors/`: `templates/` and `static/`. They
//! arrive in pull requests as records do, so what cannot be an input is reported as it is for
//! records, never skipped in silence.

use std::path::{Path, PathBuf};

use super::files::{is_editor_litter, walk_problem, walk_visible};
use crate::diagnostic::{Diagnostic, display_path};

/// The files below `root/folder` (only those whose names `named` accepts, when given), each
/// with its path below the folder (`partials/x.html`), in order; and a diagnostic for the
/// folder itself when it is not a folder, for a folder with a name `named` accepts (a folder
/// `vendor.html` was surely meant as the template), and for what cannot be listed. Links, pipes and the like are listed like files: reading them says what they are.
/// A missing folder has no files and no problem.
pub fn list_input_files(
    root: &Path,
    folder: &str,
    named: Option<fn(&str) -> bool>,
) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let dir = root.join(folder);
    let mut problems = Vec::new();
    if std::fs::symlink_metadata(&dir).is_err() {
        return (Vec::new(), problems);
    }
    // Followed, as `data/` is: a link to a folder of the site is fine, and each file is then
    // checked for leading out of the root as it is read.
    let is_folder = std::fs::metadata(&dir).is_ok_and(|metadata| metadata.is_dir());
    if !is_folder {
        problems.push(Diagnostic::error(
            folder,
            format!("not a folder (or a link to none): {folder}/ must be a folder of files"),
        ));
        return (Vec::new(), problems);
    }
    let mut files = Vec::new();
    // `.well-known/` is where hosts look for `security.txt` and the like.
    for entry in walk_visible(&dir, &[".well-known"]) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems.push(walk_problem(root, &dir, &err));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        let is_dir = entry.file_type().is_dir();
        let is_named = named.is_none_or(|named| named(&name));
        if is_editor_litter(&name) || !is_named || (is_dir && named.is_none()) {
            continue;
        }
        let shown = display_path(root, entry.path());
        if is_dir {
            problems.push(Diagnostic::error(
                shown,
                "a folder with a file's name: this name is read as a file, so rename the folder",
            ));
            continue;
        }
        let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let relative = relative.to_string_lossy().replace('\\', "/");
        files.push((relative, entry.path().to_path_buf()));
    }
    (files, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(root: &Path, folder: &str) -> (Vec<String>, Vec<String>) {
        let (files, problems) =
            list_input_files(root, folder, Some(|name| name.ends_with(".html")));
        let files = files.into_iter().map(|(name, _)| name).collect();
        let problems = problems.iter().map(ToString::to_string).collect();
        (files, problems)
    }

    #[test]
    fn files_are_listed_by_their_path_in_the_folder() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("templates/partials")).unwrap();
        for name in [
            "vendor.html",
            "partials/x.html",
            "notes.md",
            ".vendor.html.swp",
        ] {
            std::fs::write(root.path().join("templates").join(name), "x").unwrap();
        }
        let (files, problems) = listed(root.path(), "templates");
        assert_eq!(files, ["partials/x.html", "vendor.html"]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(listed(root.path(), "missing"), (vec![], vec![]));
    }

    #[test]
    fn a_file_for_the_folder_or_a_folder_for_a_file_is_reported() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("templates"), "x").unwrap();
        let (files, problems) = listed(root.path(), "templates");
        assert!(files.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("not a folder"), "{problems:?}");

        std::fs::create_dir_all(root.path().join("static/vendor.html/img")).unwrap();
        let (files, problems) = listed(root.path(), "static");
        assert!(files.is_empty());
        assert!(
            problems[0].contains("a folder with a file's name"),
            "{problems:?}"
        );
        let (files, problems) = list_input_files(root.path(), "static", None);
        assert!(
            files.is_empty() && problems.is_empty(),
            "any folder of static/ is fine"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_are_listed_so_that_reading_them_says_what_they_are() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("templates")).unwrap();
        std::os::unix::fs::symlink("/nowhere", root.path().join("templates/vendor.html")).unwrap();
        assert_eq!(listed(root.path(), "templates").0, ["vendor.html"]);
    }
}
