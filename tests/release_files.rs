//! The files that ship releases agree with each other: every workflow parses, and the five
//! platforms of the release workflow are the five archives the README's Install table names,
//! with the names scripts/release-archive.sh gives them and Cargo.toml's cargo-binstall
//! metadata asks for. (actionlint checks the workflows further: scripts/lint-workflows.sh, run
//! by .ci/run; the archive itself is built and run by scripts/release-archive.sh.)

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn workflow(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn workflows() -> Vec<PathBuf> {
    let dir = repo_root().join(".github/workflows");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_workflow_parses_and_has_triggers_and_jobs() {
    let files = workflows();
    let names: Vec<_> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_owned())
        .collect();
    assert!(
        names.contains(&"ci.yml".into()) && names.contains(&"release.yml".into()),
        "{names:?}"
    );
    for file in files {
        let parsed = workflow(&file);
        let name = file.display();
        assert!(parsed.get("on").is_some(), "{name}: no `on`");
        let jobs = parsed.get("jobs").and_then(Value::as_object);
        assert!(jobs.is_some_and(|jobs| !jobs.is_empty()), "{name}: no jobs");
    }
}

/// The targets of the release workflow's matrix, in its order.
fn release_targets() -> Vec<String> {
    let release = workflow(&repo_root().join(".github/workflows/release.yml"));
    let include = release["jobs"]["archive"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("release.yml: jobs.archive.strategy.matrix.include");
    include
        .iter()
        .map(|row| row["target"].as_str().expect("a target").to_owned())
        .collect()
}

#[test]
fn the_release_workflow_builds_the_five_platforms_with_the_archive_script() {
    let targets = release_targets();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-gnu",
            "aarch64-unknown-linux-gnu",
            "x86_64-apple-darwin",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc",
        ]
    );
    let release = read(".github/workflows/release.yml");
    assert!(release.contains(r#"run: scripts/release-archive.sh "${{ matrix.target }}""#));
}

#[test]
fn the_readme_and_binstall_name_the_archives_the_script_makes() {
    let cargo = read("Cargo.toml");
    let version = cargo
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("Cargo.toml: version");
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let readme = read("README.md");
    for target in release_targets() {
        // scripts/release-archive.sh: .zip for Windows, else .tar.gz.
        let suffix = if target.contains("windows") {
            ".zip"
        } else {
            ".tar.gz"
        };
        let archive = format!("`scimfacts-{version}-{target}{suffix}`");
        assert!(
            readme.contains(&archive),
            "README.md's Install table lacks {archive}"
        );
    }
    let script = read("scripts/release-archive.sh");
    assert!(
        script.contains("stem=$name-$version-$target"),
        "the archive's name changed"
    );
    assert!(
        script.contains("*windows*) exe=.exe suffix=.zip"),
        "the Windows archive changed"
    );
    for line in [
        r#"pkg-url = "{ repo }/releases/download/v{ version }/{ name }-{ version }-{ target }{ archive-suffix }""#,
        r#"bin-dir = "{ name }-{ version }-{ target }/{ bin }{ binary-ext }""#,
        r#"pkg-fmt = "tgz""#,
        "[package.metadata.binstall.overrides.x86_64-pc-windows-msvc]\npkg-fmt = \"zip\"",
        r#"repository = "https://github.com/scimfacts/scimfacts""#,
    ] {
        assert!(cargo.contains(line), "Cargo.toml lacks {line}");
    }
}
