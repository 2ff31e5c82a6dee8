//! Progress on a terminal: `build`, `check` and `import` draw it on stderr only when both
//! stdout and stderr are terminals, never with `--quiet` or a report for machines, and clear
//! it before their usual output, which stays exactly as it is without a terminal.
//!
//! The terminal is a real pseudo-terminal, read as a terminal emulator reads it. Every run
//! sets the delay to 0 (`SCIMFACTS_PROGRESS_DELAY_MS`), so that progress would show however
//! short the work is: where it is absent, a rule kept it away, not the clock.
#![cfg(unix)]

mod common;

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::*;
use rustix::fs::{Mode, OFlags};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{Winsize, tcsetwinsize};
use tempfile::TempDir;

const DELAY_VARIABLE: &str = "SCIMFACTS_PROGRESS_DELAY_MS";

/// What clears the progress line (indicatif's "erase the line"), and what every escape
/// sequence starts with.
const CLEAR_LINE: &str = "\x1b[2K";
const ESCAPE: char = '\x1b';

/// Where a command's stdout goes.
#[derive(Clone, Copy, PartialEq)]
enum Stdout {
    Terminal,
    Piped,
}

/// A run with stderr (and perhaps stdout) on a terminal.
struct OnTerminal {
    /// Everything the terminal received, with its line ends as `\n`.
    terminal: String,
    /// What went to the pipe, when stdout was piped.
    stdout: String,
    code: i32,
}

/// Runs `scimfacts args...` with stderr on a new pseudo-terminal of 100 columns, stdout on it
/// too or on a pipe, `TERM=xterm`, no delay before the progress, and then the variables `env`.
fn run_on_terminal(args: &[&str], stdout: Stdout, env: &[(&str, &str)]) -> OnTerminal {
    let controller = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)
        .expect("cannot open a pseudo-terminal");
    grantpt(&controller).unwrap();
    unlockpt(&controller).unwrap();
    let size = Winsize {
        ws_row: 30,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    tcsetwinsize(&controller, size).unwrap();
    let name = ptsname(&controller, Vec::new()).unwrap();
    let flags = OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC;
    let terminal = File::from(rustix::fs::open(name.as_c_str(), flags, Mode::empty()).unwrap());
    let mut command = Command::new(env!("CARGO_BIN_EXE_scimfacts"));
    command
        .args(args)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env(DELAY_VARIABLE, "0")
        .env("TERM", "xterm")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stderr(terminal.try_clone().unwrap())
        .stdout(match stdout {
            Stdout::Terminal => Stdio::from(terminal.try_clone().unwrap()),
            Stdout::Piped => Stdio::piped(),
        });
    let mut child = command.spawn().unwrap();
    // Only the child holds the terminal now: once it exits, reading the other end ends.
    drop(command);
    drop(terminal);
    let mut received = File::from(controller);
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // Linux answers EIO once no one holds the terminal: that is its end of file.
        let _ = received.read_to_end(&mut bytes);
        bytes
    });
    let mut piped = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut piped).unwrap();
    }
    let status = child.wait().unwrap();
    let terminal = String::from_utf8_lossy(&reader.join().unwrap()).replace("\r\n", "\n");
    OnTerminal {
        terminal,
        stdout: piped,
        code: status.code().unwrap_or(-1),
    }
}

/// Runs `scimfacts args...` with stdout and stderr on pipes, and no delay before progress.
fn run_piped(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scimfacts"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env(DELAY_VARIABLE, "0")
        .env("TERM", "xterm")
        .output()
        .unwrap()
}

/// What the terminal shows once the progress is cleared: everything after the last time the
/// line was erased. Panics when progress was never drawn.
fn after_progress(terminal: &str) -> &str {
    let (_, after) = terminal
        .rsplit_once(CLEAR_LINE)
        .unwrap_or_else(|| panic!("no progress was drawn: {terminal:?}"));
    after.strip_prefix('\r').unwrap_or(after)
}

fn assert_no_progress(text: &str, what: &str) {
    assert!(
        !text.contains(ESCAPE) && !text.contains('\r'),
        "{what}: progress drawn where it must not be: {text:?}"
    );
}

/// The fixture's one warning, which `build` and `check` print on stderr.
const STALE_WARNING: &str = "warning: data/vendors/oldie.yaml:3:11: verified: last verified 868 \
    days ago (2024-01-15), more than stale_after_days (365): check the facts again\n";

/// `built N records into N pages (N files written) in N ms`, the one line `build` prints on
/// stdout.
fn assert_build_summary(text: &str) {
    let one_line = text.lines().count() == 1;
    assert!(
        one_line && text.starts_with("built 6 records into ") && text.ends_with(" ms\n"),
        "not the summary of the fixture's build: {text:?}"
    );
}

/// What `build` prints of the fixture on a terminal: its warning, then its summary.
fn assert_build_output(text: &str) {
    let summary = text
        .strip_prefix(STALE_WARNING)
        .unwrap_or_else(|| panic!("not the fixture's warning first: {text:?}"));
    assert_build_summary(summary);
}

/// A tiny checkout of scimtax.org: its `data.json` with two vendors.
fn catalogue_checkout() -> TempDir {
    let checkout = tempfile::tempdir().unwrap();
    let data = r#"{"last_updated": "2026-04", "vendors": [
        {"vendor": "Acme", "status": "gated", "plan_required": "Enterprise",
         "scim_price": "$10/u/mo", "base_plan_price": "$5/u/mo",
         "pricing_page_url": "https://acme.example/pricing"},
        {"vendor": "Newco", "status": "included", "plan_required": "",
         "scim_price": "", "base_plan_price": "$8/u/mo",
         "pricing_page_url": "https://newco.example/pricing"}]}"#;
    std::fs::write(checkout.path().join("data.json"), data).unwrap();
    checkout
}

fn import_args<'a>(checkout: &'a Path, site: &'a Path) -> [&'a str; 6] {
    let [checkout, site] = [checkout, site].map(|path| path.to_str().unwrap());
    [
        "import",
        "scimtax-org",
        checkout,
        "--root",
        site,
        "--dry-run",
    ]
}

#[test]
fn progress_absent_when_stdout_and_stderr_are_piped() {
    let site = fixture_copy("good");
    let root = site.path().to_str().unwrap();
    let built = run_piped(&["build", "--root", root]);
    assert_eq!(code(&built), 0, "{}", stderr(&built));
    assert_build_summary(&stdout(&built));
    assert_eq!(stderr(&built), STALE_WARNING);
    let checked = run_piped(&["check", "--root", root]);
    assert_eq!(stdout(&checked), "");
    assert_eq!(
        stderr(&checked),
        format!("{STALE_WARNING}0 errors, 1 warning\n")
    );
    let checkout = catalogue_checkout();
    let imported = run_piped(&import_args(checkout.path(), site.path()));
    assert_eq!(code(&imported), 0, "{}", stderr(&imported));
    assert!(stdout(&imported).starts_with("# Import of scimtax.org"));
    assert!(stdout(&imported).ends_with("(dry run: nothing was written)\n"));
    assert_eq!(stderr(&imported), "");
    for output in [built, checked, imported] {
        assert_no_progress(&stdout(&output), "stdout");
        assert_no_progress(&stderr(&output), "stderr");
    }
}

#[test]
fn progress_absent_when_stdout_is_not_a_terminal() {
    let site = fixture_copy("good");
    let root = site.path().to_str().unwrap();
    // stderr, where progress is drawn, is a terminal; stdout is read by a program.
    let built = run_on_terminal(&["build", "--root", root], Stdout::Piped, &[]);
    assert_eq!(built.code, 0, "{}", built.terminal);
    assert_eq!(built.terminal, STALE_WARNING);
    assert_build_summary(&built.stdout);
    let checked = run_on_terminal(&["check", "--root", root], Stdout::Piped, &[]);
    assert_no_progress(&checked.terminal, "check");
    assert!(checked.terminal.ends_with("0 errors, 1 warning\n"));
    let checkout = catalogue_checkout();
    let args = import_args(checkout.path(), site.path());
    let imported = run_on_terminal(&args, Stdout::Piped, &[]);
    assert_eq!(imported.terminal, "");
    assert!(imported.stdout.starts_with("# Import of scimtax.org"));
}

#[test]
fn build_shows_progress_on_a_terminal_and_clears_it_before_its_summary() {
    let site = fixture_copy("good");
    let root = site.path().to_str().unwrap();
    let built = run_on_terminal(&["build", "--root", root], Stdout::Terminal, &[]);
    assert_eq!(built.code, 0, "{}", built.terminal);
    let stages = [
        "reading settings and templates",
        "checking and rendering records",
        "rendering list pages",
        "writing static files, putting the site in place",
        "removing the previous site",
    ];
    assert!(
        stages.iter().any(|stage| built.terminal.contains(stage)),
        "no stage of the build was shown: {:?}",
        built.terminal
    );
    assert_build_output(after_progress(&built.terminal));
}

#[test]
fn check_and_import_show_progress_on_a_terminal_then_print_as_without_it() {
    let site = fixture_copy("good");
    let root = site.path().to_str().unwrap();
    let checked = run_on_terminal(&["check", "--root", root], Stdout::Terminal, &[]);
    let piped = run_piped(&["check", "--root", root]);
    assert_eq!(checked.code, 0);
    assert_eq!(after_progress(&checked.terminal), stderr(&piped));
    let checkout = catalogue_checkout();
    let args = import_args(checkout.path(), site.path());
    let imported = run_on_terminal(&args, Stdout::Terminal, &[]);
    let piped = run_piped(&args);
    assert_eq!(imported.code, 0, "{}", imported.terminal);
    assert_eq!(after_progress(&imported.terminal), stdout(&piped));
}

#[test]
fn a_failed_build_prints_its_problems_after_the_progress_is_cleared() {
    let site = fixture_copy("good");
    copy_tree(
        &fixtures().join("invalid/every-problem-at-once/overlay"),
        site.path(),
    );
    let root = site.path().to_str().unwrap();
    let failed = run_on_terminal(&["build", "--root", root], Stdout::Terminal, &[]);
    let piped = run_piped(&["build", "--root", root]);
    assert_eq!(failed.code, 1);
    assert_eq!(code(&piped), 1);
    assert_eq!(after_progress(&failed.terminal), stderr(&piped));
}

#[test]
fn no_progress_with_quiet_or_a_report_for_machines() {
    let site = fixture_copy("good");
    let root = site.path().to_str().unwrap();
    let quiet = run_on_terminal(&["build", "--quiet", "--root", root], Stdout::Terminal, &[]);
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.terminal, STALE_WARNING);
    for format in ["github", "json"] {
        let args = ["check", "--format", format, "--root", root];
        let checked = run_on_terminal(&args, Stdout::Terminal, &[]);
        assert_no_progress(&checked.terminal, format);
        assert!(checked.terminal.ends_with("0 errors, 1 warning\n"));
    }
}

#[test]
fn no_progress_on_a_terminal_that_cannot_redraw_a_line() {
    let site = fixture_copy("good");
    let root = site.path().to_str().unwrap();
    let built = run_on_terminal(
        &["build", "--root", root],
        Stdout::Terminal,
        &[("TERM", "dumb")],
    );
    assert_eq!(built.code, 0);
    assert_no_progress(&built.terminal, "TERM=dumb");
    assert_build_output(&built.terminal);
}

#[test]
fn work_shorter_than_the_delay_shows_no_progress() {
    let site = fixture_copy("good");
    let root = site.path().to_str().unwrap();
    // A delay far longer than the fixture's build, however slow the machine: nothing drawn.
    let args = ["build", "--root", root];
    let built = run_on_terminal(&args, Stdout::Terminal, &[(DELAY_VARIABLE, "60000")]);
    assert_eq!(built.code, 0);
    assert_no_progress(&built.terminal, "a 60 s delay");
    assert_build_output(&built.terminal);
}
