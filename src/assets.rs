//! The site's static files and their content hashes.
//!
//! Templates link to static files through `asset(path=...)`, which answers with the file's
//! name and a hash of its bytes (`style.css?h=1a2b3c4d5e6f7a8b`). A static host can then cache
//! assets forever: a changed file gets a new URL. An unknown name is a template error, so a
//! typo in a template cannot ship a broken link.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use crate::diagnostic::{Diagnostic, display_path};
use crate::load::{SizeLimit, list_input_files, read_input_file};

/// The folder of static files, below the site root.
pub const STATIC_DIR: &str = "static";

/// Static files larger than this are refused before they are read: every one is held in
/// memory during a build and sent whole to every reader.
const STATIC_LIMIT: SizeLimit = SizeLimit {
    bytes: 32 * 1024 * 1024,
    usually: "a picture or a script is rarely over a few megabytes",
};

/// The static files every site has, unless its `static/` folder has one of the same name.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("table.js", include_bytes!("../static/table.js")),
    ("calculator.js", include_bytes!("../static/calculator.js")),
    ("figures.js", include_bytes!("../static/figures.js")),
    ("list.js", include_bytes!("../static/list.js")),
    ("stack.js", include_bytes!("../static/stack.js")),
    ("compare.js", include_bytes!("../static/compare.js")),
    ("favicon.svg", include_bytes!("../static/favicon.svg")),
];

/// Every static file of a site (its own, then the defaults it does not replace), by the path
/// it has in the output, with its bytes.
#[derive(Debug, Default, Clone)]
pub struct Assets {
    files: BTreeMap<String, Asset>,
}

#[derive(Debug, Clone)]
struct Asset {
    bytes: Vec<u8>,
    /// Hashed once here: every page links to the stylesheet, and hashing it for each of
    /// 10,000 pages was 1 % of a build.
    url: String,
}

impl Asset {
    fn new(name: &str, bytes: Vec<u8>) -> Asset {
        let url = format!("{name}?h={:016x}", fnv1a(&bytes));
        Asset { bytes, url }
    }
}

impl Assets {
    /// Reads `root/static/` and adds the defaults; or says what in `static/` cannot be read,
    /// every problem at once.
    pub fn load(root: &Path) -> Result<Assets, Vec<Diagnostic>> {
        let (listed, mut problems) = list_input_files(root, STATIC_DIR, None);
        let mut files = BTreeMap::new();
        for (relative, path) in listed {
            match read_input_file(root, &path, STATIC_LIMIT) {
                Ok(bytes) => {
                    files.insert(relative.clone(), Asset::new(&relative, bytes));
                }
                Err(problem) => {
                    problems.push(Diagnostic::error(display_path(root, &path), problem))
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        for (name, bytes) in DEFAULT_STATIC {
            files
                .entry((*name).to_owned())
                .or_insert_with(|| Asset::new(name, bytes.to_vec()));
        }
        let clashes = folders_named_like_files(&files);
        if !clashes.is_empty() {
            return Err(clashes);
        }
        Ok(Assets { files })
    }

    /// `name?h=<hash>` for a file the site has.
    pub fn url(&self, name: &str) -> Option<&str> {
        Some(&self.files.get(name.trim_start_matches('/'))?.url)
    }

    /// The static files' paths below `static/`, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Writes every file below `target`. Returns how many.
    pub fn write_to(&self, target: &Path) -> io::Result<usize> {
        for (name, Asset { bytes, .. }) in &self.files {
            let path = target.join(name);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(path, bytes)?;
        }
        Ok(self.files.len())
    }
}

/// A static file inside a folder that has the name of another static file (`static/style.css/`
/// beside the built-in `style.css`): both cannot be written.
fn folders_named_like_files(files: &BTreeMap<String, Asset>) -> Vec<Diagnostic> {
    let mut clashes = Vec::new();
    for name in files.keys() {
        let folders = name.match_indices('/').map(|(at, _)| &name[..at]);
        if let Some(folder) = folders
            .into_iter()
            .find(|folder| files.contains_key(*folder))
        {
            let shown = format!("{STATIC_DIR}/{folder}");
            clashes.push(Diagnostic::error(
                shown,
                format!(
                    "a folder with the name of the static file {folder} (the built-in one, or \
                     yours): both cannot be written, so rename the folder"
                ),
            ));
        }
    }
    clashes.dedup_by(|a, b| a.file == b.file);
    clashes
}

/// FNV-1a, 64 bits: stable across compilers and platforms (unlike std's hasher), which keeps
/// asset URLs the same from build to build.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_carry_a_hash_of_the_bytes() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("static/img")).unwrap();
        fs::write(root.path().join("static/img/logo.svg"), "<svg/>").unwrap();
        let before = Assets::load(root.path()).unwrap();
        let url = before.url("img/logo.svg").unwrap();
        assert!(url.starts_with("img/logo.svg?h="), "{url}");
        fs::write(root.path().join("static/img/logo.svg"), "<svg></svg>").unwrap();
        let after = Assets::load(root.path()).unwrap();
        assert_ne!(after.url("img/logo.svg").unwrap(), url);
        assert_eq!(before.url("missing.png"), None);
    }

    #[test]
    fn site_files_replace_defaults_and_litter_is_left_out() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("static")).unwrap();
        fs::write(root.path().join("static/style.css"), "mine").unwrap();
        fs::write(root.path().join("static/.style.css.swp"), "x").unwrap();
        let assets = Assets::load(root.path()).unwrap();
        let names: Vec<&str> = assets.names().collect();
        let mut expected: Vec<&str> = DEFAULT_STATIC.iter().map(|(name, _)| *name).collect();
        expected.sort_unstable();
        assert_eq!(names, expected);
        assert!(!names.iter().any(|n| n.ends_with(".swp")));
        let out = tempfile::tempdir().unwrap();
        assert_eq!(assets.write_to(out.path()).unwrap(), DEFAULT_STATIC.len());
        assert_eq!(
            fs::read_to_string(out.path().join("style.css")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn the_hash_is_fnv1a() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
