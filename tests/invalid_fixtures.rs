//! One negative fixture per rule: each `tests/fixtures/invalid/<case>/` overlays files on the
//! good fixture site (and may remove some); `check` and `build` must fail with exit code 1 and
//! print every line of the case's `expected.txt`, which names file:line:column and field.

mod common;

use std::fs;

use common::*;

fn cases() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn prepare_case(name: &str) -> tempfile::TempDir {
    let site = fixture_copy("good");
    let case = fixtures().join("invalid").join(name);
    let overlay = case.join("overlay");
    if overlay.is_dir() {
        copy_tree(&overlay, site.path());
    }
    if let Ok(list) = fs::read_to_string(case.join("remove.txt")) {
        for path in list.lines().filter(|l| !l.is_empty()) {
            fs::remove_file(site.path().join(path)).unwrap();
        }
    }
    site
}

#[test]
fn every_invalid_fixture_fails_check_and_build_with_located_errors() {
    let names = cases();
    assert!(
        names.len() >= 25,
        "expected a fixture per rule, found {}",
        names.len()
    );
    let mut failures = Vec::new();
    for name in &names {
        let site = prepare_case(name);
        let expected = read(fixtures().join("invalid").join(name).join("expected.txt"));
        for command in ["check", "build"] {
            let output = run_in(site.path(), &[command]);
            let err = stderr(&output);
            if code(&output) != 1 {
                failures.push(format!(
                    "{name}: `{command}` exited {} (want 1)\n{err}",
                    code(&output)
                ));
                continue;
            }
            for line in expected.lines().filter(|l| !l.is_empty()) {
                if !err.contains(line) {
                    failures.push(format!("{name}: `{command}` stderr lacks {line:?}\n{err}"));
                }
            }
            if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
                failures.push(format!("{name}: `{command}` panicked\n{err}"));
            }
        }
        assert!(
            !site.path().join("site").exists(),
            "{name}: a failed build must not create site/"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
