//! The bad-input corpus: each case of `tests/bad_inputs/<case>/` (the format is in the README
//! there) is laid over a copy of the good fixture site, whose `site/` was built first. Then
//! `check` and `build` run on it, and each must exit with the case's code and print exactly the
//! case's error lines (no more, no fewer), never a panic or a backtrace; a failed build must
//! leave `site/` byte for byte as it was, with nothing temporary beside it.

mod common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[cfg(unix)]
use common::unprivileged::{UnprivilegedBinary, is_root, open_folders};
use common::*;

/// What a case expects.
struct Case {
    name: String,
    dir: PathBuf,
    exit: i32,
    errors: Vec<String>,
}

fn corpus() -> PathBuf {
    repo_root().join("tests/bad_inputs")
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = fs::read_dir(corpus())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|dir| read_case(&dir))
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

fn read_case(dir: &Path) -> Case {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let expected = read(dir.join("expected.txt"));
    let mut exit = 1;
    let mut errors = Vec::new();
    for line in expected.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.strip_prefix("exit ") {
            Some(code) => exit = code.parse().unwrap(),
            None => errors.push(line.to_owned()),
        }
    }
    assert!(
        exit == 0 || !errors.is_empty() || std::env::var_os("BAD_INPUTS_BLESS").is_some(),
        "{name}: a failing case names its errors"
    );
    Case {
        name,
        dir: dir.to_path_buf(),
        exit,
        errors,
    }
}

/// A case laid out on disk, ready to run.
struct Prepared {
    site: tempfile::TempDir,
    /// A folder outside the site root, for links that lead out of it (`$OUTSIDE` in setup.txt).
    outside: tempfile::TempDir,
    /// Set when the case needs a file that cannot be read: as root, permissions do not stop
    /// reading, so such cases run the binary as the unprivileged user `nobody`.
    unprivileged: Option<UnprivilegedBinary>,
}

fn prepare(case: &Case) -> Prepared {
    let site = fixture_copy("good");
    let built = run_in(site.path(), &["build", "--quiet"]);
    assert_eq!(code(&built), 0, "{}: {}", case.name, stderr(&built));
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.yaml"), "name: Top Secret\n").unwrap();
    fs::write(
        outside.path().join("site.yaml"),
        "title: Elsewhere\nbase_url: https://elsewhere.example/\n",
    )
    .unwrap();
    let overlay = case.dir.join("overlay");
    if overlay.is_dir() {
        copy_tree(&overlay, site.path());
    }
    let mut prepared = Prepared {
        site,
        outside,
        unprivileged: None,
    };
    if let Ok(setup) = fs::read_to_string(case.dir.join("setup.txt")) {
        for line in setup.lines() {
            if !line.trim().is_empty() && !line.starts_with('#') {
                apply_setup(&mut prepared, line);
            }
        }
    }
    prepared
}

/// One line of `setup.txt`: what a fixture file in git cannot hold.
fn apply_setup(prepared: &mut Prepared, line: &str) {
    let root = prepared.site.path();
    let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
    let (path, argument) = rest.split_once(' ').unwrap_or((rest, ""));
    let target = root.join(path);
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    match verb {
        "remove" => {
            if target.is_dir() {
                fs::remove_dir_all(&target).unwrap();
            } else {
                fs::remove_file(&target).unwrap();
            }
        }
        "mkdir" => fs::create_dir_all(&target).unwrap(),
        "append" => {
            let (count, text) = argument.split_once(' ').unwrap_or((argument, ""));
            let unit = unescape(text);
            let mut bytes = fs::read(&target).unwrap_or_default();
            for _ in 0..count.parse::<usize>().unwrap() {
                bytes.extend_from_slice(&unit);
            }
            fs::write(&target, bytes).unwrap();
        }
        #[cfg(unix)]
        "symlink" => {
            let outside = prepared.outside.path().to_str().unwrap();
            let link_target = argument.replace("$OUTSIDE", outside);
            std::os::unix::fs::symlink(link_target, &target).unwrap();
        }
        #[cfg(unix)]
        "fifo" => {
            let status = Command::new("mkfifo").arg(&target).status().unwrap();
            assert!(status.success(), "mkfifo {}", target.display());
        }
        #[cfg(unix)]
        "unreadable" => {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&target, fs::Permissions::from_mode(0o000)).unwrap();
            if is_root() {
                open_folders(root);
                prepared.unprivileged = Some(UnprivilegedBinary::new());
            }
        }
        other => panic!("setup.txt: unknown directive {other:?} in {line:?}"),
    }
}

/// `\n`, `\r`, `\t`, `\0`, `\e`, `\\` and `\xNN` (one byte) in setup text.
fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'n') => out.push(b'\n'),
            Some(b'r') => out.push(b'\r'),
            Some(b't') => out.push(b'\t'),
            Some(b'0') => out.push(0),
            Some(b'e') => out.push(0x1b),
            Some(b'\\') => out.push(b'\\'),
            Some(b'x') => {
                let hex: Vec<u8> = bytes.by_ref().take(2).collect();
                let hex = std::str::from_utf8(&hex).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
            }
            other => panic!("setup.txt: unknown escape \\{:?}", other.map(char::from)),
        }
    }
    out
}

/// How long a run may go on before it is taken for hung and killed: a guard so that a hang
/// fails the test instead of stalling it forever, far above what any case takes. It is not a
/// speed bound; how fast hostile input is refused is for scripts/bench.sh.
const HUNG_AFTER: Duration = Duration::from_secs(300);

/// `scimfacts COMMAND` on the case's site; `None` when it hung and was killed.
fn run_case(prepared: &Prepared, command: &str) -> Option<Output> {
    let root = prepared.site.path().to_str().unwrap();
    let mut process = match &prepared.unprivileged {
        #[cfg(unix)]
        Some(unprivileged) => unprivileged.command(),
        _ => Command::new(env!("CARGO_BIN_EXE_scimfacts")),
    };
    let mut child = process
        .args([command, "--root", root])
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + HUNG_AFTER;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Some(Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    })
}

fn error_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .map(str::to_owned)
        .collect()
}

/// Entries beside `site/` that a build leaves only while it runs: staging folders and locks.
fn leftovers(root: &Path) -> Vec<String> {
    fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".site"))
        .collect()
}

/// Everything wrong with how `case` ran, or nothing.
fn failures_of(case: &Case) -> Vec<String> {
    let prepared = prepare(case);
    let root = prepared.site.path();
    let before = snapshot_tree(&root.join("site"));
    let outside = prepared.outside.path().canonicalize().unwrap();
    let outside = outside.to_str().unwrap();
    let expected: Vec<String> = case
        .errors
        .iter()
        .map(|line| line.replace("$OUTSIDE", outside))
        .collect();
    let mut failures = Vec::new();
    for command in ["check", "build"] {
        let Some(output) = run_case(&prepared, command) else {
            failures.push(format!(
                "{}: `{command}` had not finished after {HUNG_AFTER:?} and was killed",
                case.name
            ));
            continue;
        };
        if command == "check" && std::env::var_os("BAD_INPUTS_BLESS").is_some() {
            bless(case, &output, outside);
        }
        let err = stderr(&output);
        let name = &case.name;
        if code(&output) != case.exit {
            failures.push(format!(
                "{name}: `{command}` exited {} (want {})\n{err}",
                code(&output),
                case.exit
            ));
        }
        let printed = error_lines(&err);
        if printed != expected {
            failures.push(format!(
                "{name}: `{command}` printed the errors\n{}\nwant\n{}",
                printed.join("\n"),
                expected.join("\n")
            ));
        }
        for sign in ["panicked", "RUST_BACKTRACE", "stack overflow", "backtrace"] {
            if err.contains(sign) {
                failures.push(format!("{name}: `{command}` printed {sign:?}\n{err}"));
            }
        }
    }
    if case.exit != 0 && snapshot_tree(&root.join("site")) != before {
        failures.push(format!("{}: the failed build changed site/", case.name));
    }
    let left = leftovers(root);
    if !left.is_empty() {
        failures.push(format!("{}: left behind {left:?}", case.name));
    }
    failures
}

/// Writes what `check` printed into the case's `expected.txt` (run the test with
/// `BAD_INPUTS_BLESS=1`, then review the diff: a blessed mistake is a mistake kept).
fn bless(case: &Case, output: &Output, outside: &str) {
    let path = case.dir.join("expected.txt");
    let mut text: String = read(&path)
        .lines()
        .filter(|line| line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    if code(output) != 1 {
        text.push_str(&format!("exit {}\n", code(output)));
    }
    for line in error_lines(&stderr(output)) {
        text.push_str(&line.replace(outside, "$OUTSIDE"));
        text.push('\n');
    }
    fs::write(path, text).unwrap();
}

#[test]
fn every_bad_input_gets_its_exact_error_and_loses_nothing() {
    let cases = cases();
    assert!(
        cases.len() >= 40,
        "the corpus needs at least 40 cases, has {}",
        cases.len()
    );
    // Two at a time: the machine has two cores, and each case runs three builds.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let (even, odd): (Vec<&Case>, Vec<&Case>) = {
            let mut halves = (Vec::new(), Vec::new());
            for (i, case) in cases.iter().enumerate() {
                if i % 2 == 0 {
                    halves.0.push(case);
                } else {
                    halves.1.push(case);
                }
            }
            halves
        };
        let workers: Vec<_> = [even, odd]
            .into_iter()
            .map(|half| scope.spawn(move || half.into_iter().flat_map(failures_of).collect()))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|_| vec!["a case panicked".into()])
            })
            .collect::<Vec<String>>()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn setup_escapes_make_the_bytes_they_name() {
    assert_eq!(unescape(r"a\n\r\t\0\e\\\xff"), b"a\n\r\t\0\x1b\\\xff");
}
