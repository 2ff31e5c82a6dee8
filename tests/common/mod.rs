//! Helpers for the integration tests: temporary copies of fixture sites and runs of the real
//! binary on them.
#![allow(dead_code)]

pub mod inert;
pub mod server;
#[cfg(unix)]
pub mod unprivileged;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// 2026-06-01 12:00 UTC: every test sees the same "today", so dates and stale badges are
/// reproducible.
pub const TODAY_EPOCH: &str = "1780315200";

/// 2026-12-01 12:00 UTC: the "today" for builds of the shipped data, fixed so that its
/// snapshot does not change as days pass. Move it forward when records are verified later.
pub const SHIPPED_TODAY_EPOCH: &str = "1796126400";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary copy of `tests/fixtures/<name>`, so tests can change and build it freely.
pub fn fixture_copy(name: &str) -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join(name), tmp.path());
    tmp
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `scimfacts args...` with the fixed "today" of the fixtures.
pub fn run(args: &[&str]) -> Output {
    run_on_day(TODAY_EPOCH, args)
}

pub fn run_on_day(epoch: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scimfacts"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap()
}

/// Builds the shipped site (the repository's own data/) into `target`.
pub fn build_shipped_site(target: &Path) -> Output {
    let root = repo_root();
    run_on_day(
        SHIPPED_TODAY_EPOCH,
        &[
            "build",
            "--quiet",
            "--root",
            root.to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ],
    )
}

pub fn run_in(root: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--root", root.to_str().unwrap()]);
    run(&all)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

/// Every file below `dir` with its bytes, to compare trees exactly.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (relative, fs::read(e.path()).unwrap())
        })
        .collect()
}

pub fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path.as_ref())
        .unwrap_or_else(|err| panic!("{}: {err}", path.as_ref().display()))
}
