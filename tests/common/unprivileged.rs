//! Running the binary as the unprivileged user `nobody`, for faults that root does not feel:
//! root reads files without read permission and writes into read-only folders, and the tests
//! run as root in CI.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const NOBODY: u32 = 65534;

pub fn is_root() -> bool {
    let id = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

/// A copy of the binary that `nobody` may run, wherever the build put the original (the
/// checkout may sit in a folder only root can enter).
pub struct UnprivilegedBinary {
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

impl UnprivilegedBinary {
    pub fn new() -> UnprivilegedBinary {
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let path = dir.path().join("scimfacts");
        fs::copy(env!("CARGO_BIN_EXE_scimfacts"), &path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        UnprivilegedBinary { path, _dir: dir }
    }

    /// A command for the copy that runs as `nobody`.
    pub fn command(&self) -> Command {
        use std::os::unix::process::CommandExt;
        let mut command = Command::new(&self.path);
        command.uid(NOBODY).gid(NOBODY);
        command
    }
}

/// Lets everyone enter every folder below `root` (temporary folders are private to root).
pub fn open_folders(root: &Path) {
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        if entry.file_type().is_dir() {
            fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}
