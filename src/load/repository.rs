//! Where the site sits in its git repository, so that links name a record's file there.

use std::path::Path;

/// The site root's folder inside the git repository holding it, with a trailing `/`
/// (`catalogue/`); empty when the root is the repository's top, or in no repository, or its
/// path cannot be resolved. A repository is a folder with `.git` in it (a folder, or the file
/// a worktree or submodule has).
pub fn folder_in_repository(root: &Path) -> String {
    let Ok(root) = root.canonicalize() else {
        return String::new();
    };
    let Some(top) = root.ancestors().find(|dir| dir.join(".git").exists()) else {
        return String::new();
    };
    let Ok(inside) = root.strip_prefix(top) else {
        return String::new();
    };
    inside
        .components()
        .map(|part| format!("{}/", part.as_os_str().to_string_lossy()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_found_below_the_nearest_git() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("repo/sites/catalogue");
        std::fs::create_dir_all(&site).unwrap();
        assert_eq!(folder_in_repository(&site), "");
        std::fs::create_dir(tmp.path().join("repo/.git")).unwrap();
        assert_eq!(folder_in_repository(&site), "sites/catalogue/");
        assert_eq!(folder_in_repository(&tmp.path().join("repo")), "");
        // A worktree's `.git` is a file.
        std::fs::write(site.join(".git"), "gitdir: elsewhere\n").unwrap();
        assert_eq!(folder_in_repository(&site), "");
        assert_eq!(folder_in_repository(&tmp.path().join("missing")), "");
    }
}
