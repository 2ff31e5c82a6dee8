//! Reading an input file: inside the site root, a plain file, not too large, in UTF-8.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::SourceFile;
use crate::diagnostic::{Diagnostic, Position, display_path};

/// Records larger than this are refused before parsing: a real record is a few kilobytes, and
/// a huge one is a mistake (or an attack) that would otherwise cost memory and time.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// How large one kind of input file may be, and what such a file usually is, for the message.
#[derive(Debug, Clone, Copy)]
pub struct SizeLimit {
    /// The most bytes the file may have.
    pub bytes: u64,
    /// What a file of this kind usually is: "a record is a few kilobytes".
    pub usually: &'static str,
}

/// The limit of a record, `site.yaml` and `idps.yaml`.
pub const RECORD_LIMIT: SizeLimit = SizeLimit {
    bytes: MAX_FILE_BYTES,
    usually: "a record is a few kilobytes",
};

/// Reads one input file: a regular file inside the site root, at most [`MAX_FILE_BYTES`] long,
/// in UTF-8. Everything else is a diagnostic naming the file, never a hang or a panic.
pub fn read_source(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let shown = display_path(root, path);
    let bytes = read_input_file(root, path, RECORD_LIMIT)
        .map_err(|problem| Diagnostic::error(shown.clone(), problem))?;
    decode_source(shown, bytes)
}

/// The text of a file read as `bytes`, or the position of its first invalid UTF-8 byte. A
/// leading byte-order mark is dropped: editors on Windows write one, and it is not content.
pub fn decode_source(shown: PathBuf, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    let mut text = String::from_utf8(bytes).map_err(|err| {
        let bad = err.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&err.as_bytes()[..bad]);
        Diagnostic::error(
            shown.clone(),
            format!(
                "invalid UTF-8 (byte 0x{:02x} at offset {bad}): save the file as UTF-8",
                err.as_bytes()[bad]
            ),
        )
        .at(Some(position_at_end_of(&before)))
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(SourceFile { path: shown, text })
}

/// The bytes of `path`, refusing what an input file must not be: a link that leads out of the
/// site root (a contributed record could otherwise make the build read, and quote in its
/// errors, any file of the machine), a link loop, a folder, a pipe or device (reading a pipe
/// would wait forever), or a file over the size limit (checked while reading, not only by its
/// announced size, so a file that grows cannot slip through).
pub fn read_input_file(root: &Path, path: &Path, limit: SizeLimit) -> Result<Vec<u8>, String> {
    refuse_links_out_of(root, path)?;
    let file = open_when_possible(path).map_err(|err| describe_io_error(&err))?;
    let metadata = file.metadata().map_err(|err| describe_io_error(&err))?;
    if !metadata.is_file() {
        return Err(format!(
            "not a regular file but {}: an input must be a plain file",
            describe_file_type(&metadata.file_type())
        ));
    }
    let too_big = |size: u64| {
        format!(
            "file is {size} bytes; the limit is {} bytes ({})",
            limit.bytes, limit.usually
        )
    };
    if metadata.len() > limit.bytes {
        return Err(too_big(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| describe_io_error(&err))?;
    if bytes.len() as u64 > limit.bytes {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Fails when `path`, once every symbolic link on the way is followed, is not inside `root`.
fn refuse_links_out_of(root: &Path, path: &Path) -> Result<(), String> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let real = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(err) if is_link && is_link_loop(&err) => {
            return Err(
                "a symbolic link that leads back to itself (a loop): cannot read it".into(),
            );
        }
        Err(err) if is_link && err.kind() == io::ErrorKind::NotFound => {
            let target = fs::read_link(path).unwrap_or_default();
            return Err(format!(
                "a symbolic link to {}, which does not exist",
                target.display()
            ));
        }
        Err(err) => return Err(describe_io_error(&err)),
    };
    let real_root = fs::canonicalize(root).map_err(|err| describe_io_error(&err))?;
    if real.starts_with(&real_root) {
        Ok(())
    } else {
        Err(format!(
            "leads outside the site root (to {}) through a symbolic link: refusing to read it",
            real.display()
        ))
    }
}

fn is_link_loop(err: &io::Error) -> bool {
    rustix::io::Errno::from_io_error(err) == Some(rustix::io::Errno::LOOP)
}

/// Opens `path`, waiting while the process or the system is out of file descriptors: that
/// passes when other programs (or this one's other threads) close files, and is no fault of
/// the file. Gives up after a few seconds, with a message that says what happened; and once
/// one read has given up, the reads after it for a while do not wait again, or a site of 400
/// records would wait 400 times.
fn open_when_possible(path: &Path) -> io::Result<fs::File> {
    let give_up = Instant::now() + OUT_OF_FILES_PATIENCE;
    let mut pause = Duration::from_millis(5);
    loop {
        match open_without_blocking(path) {
            Err(err) if is_out_of_files(&err) && Instant::now() < give_up && !gave_up_lately() => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(250));
            }
            Err(err) if is_out_of_files(&err) => {
                *last_give_up() = Some(Instant::now());
                return Err(err);
            }
            opened => return opened,
        }
    }
}

fn last_give_up() -> std::sync::MutexGuard<'static, Option<Instant>> {
    static LAST: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
    LAST.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether a read gave up waiting for a file descriptor within the last minute.
fn gave_up_lately() -> bool {
    last_give_up().is_some_and(|when| when.elapsed() < Duration::from_secs(60))
}

/// How long a read waits for file descriptors to be free again.
const OUT_OF_FILES_PATIENCE: Duration = Duration::from_secs(5);

pub(super) fn is_out_of_files(err: &io::Error) -> bool {
    use rustix::io::Errno;
    matches!(Errno::from_io_error(err), Some(Errno::MFILE | Errno::NFILE))
}

/// Opens for reading without waiting: opening a named pipe would otherwise block until some
/// other program writes to it.
fn open_without_blocking(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

fn describe_file_type(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

pub(super) fn describe_io_error(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "file not found".to_owned(),
        io::ErrorKind::PermissionDenied => "cannot read the file: permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "not a regular file but a folder".to_owned(),
        _ if is_link_loop(err) => "a symbolic link loop: cannot read the file".to_owned(),
        _ if is_out_of_files(err) => "cannot open it: the system ran out of open files \
            (\"too many open files\"), which is no fault of this file or folder: close other \
            programs or raise the limit (`ulimit -n`), then run again"
            .to_owned(),
        _ => format!("cannot read the file: {err}"),
    }
}

/// The position just past `text`.
pub(super) fn position_at_end_of(text: &str) -> Position {
    let line = text.matches('\n').count() as u64 + 1;
    let last_line = text.rsplit('\n').next().unwrap_or("");
    Position {
        line,
        column: last_line.chars().count() as u64 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_file_descriptors_is_said_to_be_no_fault_of_the_file() {
        for errno in [rustix::io::Errno::MFILE, rustix::io::Errno::NFILE] {
            let message = describe_io_error(&io::Error::from(errno));
            assert!(message.contains("ran out of open files"), "{message}");
            assert!(message.contains("no fault of this file"), "{message}");
        }
    }
}
