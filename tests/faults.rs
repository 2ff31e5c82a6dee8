//! Nothing is lost: a build that fails because the output cannot be written (read-only, disk
//! full, a file where a folder must go) leaves the previous site byte for byte and nothing
//! temporary beside it; two builds at once cannot corrupt the output; and `--output` refuses
//! the site's own folders and folders that are not an earlier site, unless `--force`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

/// A built good site with its output in `out/site`, so that the output's parent is a folder
/// of its own that a test may make read-only or small.
struct Built {
    site: tempfile::TempDir,
    output: PathBuf,
}

fn built_into(output: &Path) -> tempfile::TempDir {
    let site = fixture_copy("good");
    let built = build_to(site.path(), output, &[]);
    assert_eq!(code(&built), 0, "{}", stderr(&built));
    site
}

fn build_to(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--quiet", "--output", output.to_str().unwrap()];
    args.extend(extra);
    run_in(root, &args)
}

/// Entries of `dir` other than the output itself: staging folders, old sites, lock files.
fn beside(output: &Path) -> Vec<String> {
    let name = output.file_name().unwrap();
    fs::read_dir(output.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != name)
        .map(|n| n.to_string_lossy().into_owned())
        .collect()
}

/// More vendors than the fixture has, so that a build writes more and takes longer.
fn add_vendors(root: &Path, count: usize) {
    let template = read(root.join("data/vendors/acme.yaml"));
    for i in 0..count {
        let text = template.replace("name: Acme Chat", &format!("name: Acme {i}"));
        fs::write(root.join(format!("data/vendors/acme-{i}.yaml")), text).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_output_folder_fails_the_build_and_keeps_the_site() {
    use common::unprivileged::{UnprivilegedBinary, is_root, open_folders};
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let output = parent.path().join("site");
    let built = Built {
        site: built_into(&output),
        output,
    };
    let before = snapshot_tree(&built.output);
    add_vendors(built.site.path(), 3);
    fs::set_permissions(parent.path(), fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into read-only folders: run as nobody then, who may read the site but not
    // write beside the output.
    let binary = is_root().then(|| {
        open_folders(built.site.path());
        UnprivilegedBinary::new()
    });
    let mut command = match &binary {
        Some(binary) => binary.command(),
        None => Command::new(env!("CARGO_BIN_EXE_scimfacts")),
    };
    let output = command
        .args(["build", "--root", built.site.path().to_str().unwrap()])
        .args(["--output", built.output.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .output()
        .unwrap();
    fs::set_permissions(parent.path(), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("Permission denied"), "{err}");
    assert!(err.contains("previous site was left as it was"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot_tree(&built.output), before);
    assert!(
        beside(&built.output).is_empty(),
        "{:?}",
        beside(&built.output)
    );
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `size`; panics, saying why, when it cannot (e.g. without root).
    fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .unwrap_or_else(|err| panic!("the full-disk test needs `mount`: {err}"));
        assert!(
            mounted.status.success(),
            "the full-disk test needs to mount a tmpfs (run as root, as .ci/run does): {}",
            String::from_utf8_lossy(&mounted.stderr).trim()
        );
        SmallDisk { dir }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
#[ignore = "mounts a tmpfs: needs root; .ci/run runs it"]
fn a_full_disk_fails_the_build_and_keeps_the_site() {
    let disk = SmallDisk::mount("600k");
    let output = disk.dir.path().join("site");
    let site = built_into(&output);
    let before = snapshot_tree(&output);
    // Some 60 pages of about 15 kB cannot fit beside the first site in 600 kB.
    add_vendors(site.path(), 60);
    let failed = build_to(site.path(), &output, &[]);
    let err = stderr(&failed);
    assert_eq!(code(&failed), 2, "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("previous site was left as it was"), "{err}");
    assert_eq!(snapshot_tree(&output), before);
    assert!(beside(&output).is_empty(), "{:?}", beside(&output));
}

#[test]
fn a_file_where_the_output_folder_or_its_parent_must_go_is_refused_and_kept() {
    let site = fixture_copy("good");
    let file = site.path().join("notes.txt");
    fs::write(&file, "my notes").unwrap();

    let as_output = build_to(site.path(), &file, &["--force"]);
    assert_eq!(code(&as_output), 2, "{}", stderr(&as_output));
    assert!(stderr(&as_output).contains("it is a file, not a folder"));

    let under_file = build_to(site.path(), &file.join("site"), &[]);
    assert_eq!(code(&under_file), 2, "{}", stderr(&under_file));
    assert!(
        stderr(&under_file).contains("Not a directory"),
        "{}",
        stderr(&under_file)
    );

    assert_eq!(read(&file), "my notes");
}

#[test]
fn concurrent_builds_of_one_root_leave_one_whole_site() {
    let site = fixture_copy("good");
    add_vendors(site.path(), 150);
    let reference = tempfile::tempdir().unwrap();
    let reference_output = reference.path().join("site");
    let made = build_to(site.path(), &reference_output, &[]);
    assert_eq!(code(&made), 0, "{}", stderr(&made));
    let expected = snapshot_tree(&reference_output);
    let output = site.path().join("site");
    for _round in 0..3 {
        let builds: Vec<std::process::Child> = (0..4)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_scimfacts"))
                    .args(["build", "--quiet", "--root", site.path().to_str().unwrap()])
                    .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut succeeded = 0;
        for build in builds {
            let result = build.wait_with_output().unwrap();
            let err = stderr(&result);
            match code(&result) {
                0 => succeeded += 1,
                2 => assert!(err.contains("another build is writing"), "{err}"),
                other => panic!("a concurrent build exited {other}: {err}"),
            }
        }
        assert!(succeeded >= 1, "no build won");
        assert_eq!(snapshot_tree(&output), expected, "the site is not whole");
        assert!(beside(&output).iter().all(|n| !n.starts_with(".site")));
    }
}

#[test]
fn the_loser_of_the_lock_is_told_and_changes_nothing() {
    let site = fixture_copy("good");
    let output = site.path().join("site");
    let built = build_to(site.path(), &output, &[]);
    assert_eq!(code(&built), 0, "{}", stderr(&built));
    let before = snapshot_tree(&output);
    let held = scimfacts::write::OutputLock::acquire(&output, false)
        .unwrap()
        .expect("the lock is free");
    add_vendors(site.path(), 1);
    let loser = build_to(site.path(), &output, &[]);
    let err = stderr(&loser);
    assert_eq!(code(&loser), 2, "{err}");
    assert!(
        err.contains("another build is writing") && err.contains(".site.lock"),
        "{err}"
    );
    assert_eq!(snapshot_tree(&output), before);
    drop(held);
    let after = build_to(site.path(), &output, &[]);
    assert_eq!(code(&after), 0, "{}", stderr(&after));
}

#[test]
fn the_output_may_not_be_the_root_an_input_folder_or_the_file_system_root() {
    let site = fixture_copy("good");
    let root = site.path();
    let mut targets: Vec<PathBuf> = ["", "data", "templates", "static", "data/vendors/out"]
        .iter()
        .map(|t| root.join(t))
        .collect();
    targets.push(PathBuf::from("/"));
    // The root's data/, reached through a link from elsewhere.
    let elsewhere = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        let link = elsewhere.path().join("link");
        std::os::unix::fs::symlink(root, &link).unwrap();
        targets.push(link.join("data"));
    }
    let before = snapshot_tree(root);
    for target in &targets {
        let output = build_to(root, target, &["--force"]);
        assert_eq!(
            code(&output),
            2,
            "{}: {}",
            target.display(),
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("refusing to write the site"),
            "{}",
            stderr(&output)
        );
    }
    assert_eq!(snapshot_tree(root), before, "the inputs are untouched");
}

#[test]
fn a_folder_that_is_not_an_earlier_site_needs_force() {
    let site = fixture_copy("good");
    let elsewhere = tempfile::tempdir().unwrap();
    let folder = elsewhere.path().join("public");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("thesis.tex"), "years of work").unwrap();

    let refused = build_to(site.path(), &folder, &[]);
    let err = stderr(&refused);
    assert_eq!(code(&refused), 2, "{err}");
    assert!(
        err.contains("no scimfacts build wrote") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(read(folder.join("thesis.tex")), "years of work");

    // An empty folder, or one a build wrote, is replaced without asking.
    let empty = elsewhere.path().join("empty");
    fs::create_dir(&empty).unwrap();
    assert_eq!(code(&build_to(site.path(), &empty, &[])), 0);
    assert!(empty.join(".scimfacts-site").is_file());
    assert_eq!(code(&build_to(site.path(), &empty, &[])), 0);

    let forced = build_to(site.path(), &folder, &["--force"]);
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    assert!(!folder.join("thesis.tex").exists());
    assert!(folder.join("index.html").is_file());
}

#[test]
fn serve_also_refuses_a_foreign_folder_without_force() {
    let site = fixture_copy("good");
    let elsewhere = tempfile::tempdir().unwrap();
    let folder = elsewhere.path().join("public");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("keep.txt"), "keep").unwrap();
    let output = run_in(
        site.path(),
        &["serve", "--port", "0", "--output", folder.to_str().unwrap()],
    );
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(read(folder.join("keep.txt")), "keep");
}

#[test]
fn a_root_that_is_missing_or_a_file_is_a_usage_error() {
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("file");
    fs::write(&file, "x").unwrap();
    for (root, says) in [
        (elsewhere.path().join("nowhere"), "does not exist"),
        (file, "is not a folder"),
    ] {
        for command in ["check", "build"] {
            let output = run_in(&root, &[command]);
            assert_eq!(code(&output), 2, "{}", stderr(&output));
            assert!(stderr(&output).contains(says), "{}", stderr(&output));
        }
    }
}

#[cfg(unix)]
#[test]
fn builds_killed_midway_leave_nothing_the_next_build_does_not_clean() {
    let site = fixture_copy("good");
    add_vendors(site.path(), 400);
    let output = site.path().join("site");
    // A real kill, as an out-of-memory killer or a cancelled CI job does it.
    for _ in 0..2 {
        let mut build = Command::new(env!("CARGO_BIN_EXE_scimfacts"))
            .args(["build", "--quiet", "--root", site.path().to_str().unwrap()])
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while !beside(&output).iter().any(|n| n.starts_with(".site.tmp-"))
            && started.elapsed() < std::time::Duration::from_secs(20)
        {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        build.kill().unwrap();
        build.wait().unwrap();
    }
    // In a container every build is process 1: an earlier one's folder has this name.
    fs::create_dir_all(site.path().join(".site.tmp-1-0/vendors")).unwrap();
    let leftovers = beside(&output);
    assert!(
        leftovers.iter().any(|n| n == ".site.tmp-1-0"),
        "{leftovers:?}"
    );

    let built = build_to(site.path(), &output, &[]);
    assert_eq!(code(&built), 0, "{}", stderr(&built));
    let left: Vec<String> = beside(&output)
        .into_iter()
        .filter(|n| n.starts_with(".site"))
        .collect();
    assert!(left.is_empty(), "left beside the site: {left:?}");
}

#[cfg(unix)]
#[test]
fn a_link_given_as_the_output_is_written_through_and_kept() {
    let site = fixture_copy("good");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("public");
    let link = site.path().join("site");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let dangling = build_to(site.path(), &link, &[]);
    assert_eq!(code(&dangling), 2, "{}", stderr(&dangling));
    assert!(
        stderr(&dangling).contains("is a symbolic link to")
            && stderr(&dangling).contains("does not exist"),
        "{}",
        stderr(&dangling)
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    fs::create_dir(&target).unwrap();
    // As given, as a shell completes it (`site/`), and as `site/.`.
    let spellings = [
        link.to_str().unwrap().to_owned(),
        format!("{}/", link.display()),
        format!("{}/.", link.display()),
    ];
    for spelling in spellings {
        let built = build_to(site.path(), Path::new(&spelling), &[]);
        assert_eq!(code(&built), 0, "{}", stderr(&built));
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link is kept"
        );
        assert!(
            target.join("index.html").is_file(),
            "the site is where the link leads"
        );
    }

    let looped = site.path().join("loop");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let refused = build_to(site.path(), &looped, &[]);
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("a loop of links"),
        "{}",
        stderr(&refused)
    );
}
