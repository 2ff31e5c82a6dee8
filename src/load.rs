//! Reads the site's input files and parses them into typed records.
//!
//! Every file is read and parsed even when others fail, so that `check` can report all of
//! them at once. A file that cannot be parsed yields a diagnostic and no record; the rest of
//! the pipeline works with what did parse.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

mod plain_yaml;

use crate::diagnostic::{Diagnostic, Diagnostics, Position, display_path};
use crate::locate::FieldLocator;
use crate::model::{IdpFile, SiteConfig, Vendor};

/// Records larger than this are refused before parsing: a real record is a few kilobytes, and
/// a huge one is a mistake (or an attack) that would otherwise cost memory and time.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The text of one input file and the path to show for it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, as diagnostics show it.
    pub path: PathBuf,
    pub text: String,
}

/// A parsed vendor record with the file it came from. The file's text is not kept once it is
/// parsed (for 100,000 records it would be half a gigabyte): `source` reads it again for the
/// rare record with a problem to locate.
#[derive(Debug, Clone)]
pub struct VendorEntry {
    /// The file stem; names the vendor's page.
    pub slug: String,
    /// The file as diagnostics name it, relative to the site root.
    pub path: PathBuf,
    /// The file on disk.
    pub file: PathBuf,
    pub record: Vendor,
    /// Only what the pages that list vendors need is left of the record (`listing`):
    /// its own page cannot be rendered from it.
    pub listing_only: bool,
}

impl VendorEntry {
    /// The entry with only what the pages that list vendors need of its record.
    pub fn listing(&self) -> Arc<VendorEntry> {
        Arc::new(VendorEntry {
            slug: self.slug.clone(),
            path: self.path.clone(),
            file: self.file.clone(),
            record: self.record.listing(),
            listing_only: true,
        })
    }

    /// The record's file as it is on disk now; with no text when it cannot be read, so that
    /// problems are still reported, without positions.
    pub fn source(&self) -> SourceFile {
        let text = fs::read(&self.file)
            .ok()
            .and_then(|bytes| decode_source(self.path.clone(), bytes).ok())
            .map(|source| source.text)
            .unwrap_or_default();
        SourceFile {
            path: self.path.clone(),
            text,
        }
    }
}

/// What could be loaded of a site, and what went wrong while loading it.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Option<(SourceFile, SiteConfig)>,
    pub idps: Option<(SourceFile, IdpFile)>,
    /// Sorted by slug. Shared, so that a rebuild reuses the records it did not re-read.
    pub vendors: Vec<Arc<VendorEntry>>,
    pub diagnostics: Diagnostics,
}

/// Parsed vendor records kept between builds by a long-running `serve`, so that saving one
/// record re-reads and re-parses that file only. A file is read again when its size or
/// modification time changed, or when the watcher says it changed.
#[derive(Debug, Default)]
pub struct RecordCache {
    entries: HashMap<PathBuf, CachedRecord>,
}

/// One record file as it was read: its stamp then, and the record or why there is none.
#[derive(Debug)]
pub struct CachedRecord {
    stamp: FileStamp,
    pub result: Result<Arc<VendorEntry>, Diagnostic>,
}

/// The records a cache held before a load, which takes from them the ones still current.
pub struct PreviousRecords(HashMap<PathBuf, CachedRecord>);

impl PreviousRecords {
    /// The record of `path`: the one held, if the file's stamp is still the same, or else the
    /// file read and parsed now.
    pub fn load(&self, root: &Path, slug: &str, path: &Path) -> CachedRecord {
        // Stamped before reading: a save that lands during the read changes the stamp, so the
        // next load reads the file again instead of trusting what was read here.
        let stamp = FileStamp::of(path);
        let held = self.0.get(path).filter(|c| Some(c.stamp) == stamp);
        let result = match held {
            Some(hit) => hit.result.clone(),
            None => load_vendor(root, slug, path).map(Arc::new),
        };
        CachedRecord {
            stamp: stamp.unwrap_or(FileStamp::UNKNOWN),
            result,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl FileStamp {
    /// For a file whose stamp could not be read: never equal to a real one.
    const UNKNOWN: FileStamp = FileStamp {
        len: u64::MAX,
        modified: None,
    };

    fn of(path: &Path) -> Option<FileStamp> {
        let metadata = fs::metadata(path).ok()?;
        Some(FileStamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

impl RecordCache {
    /// Makes the next load read `path` again, whatever its stamp says.
    pub fn forget(&mut self, path: &Path) {
        self.entries.remove(path);
    }

    /// Reads and parses one record now and keeps the result, as a load would have.
    pub fn reload(
        &mut self,
        root: &Path,
        slug: &str,
        path: &Path,
    ) -> Result<Arc<VendorEntry>, Diagnostic> {
        self.forget(path);
        let record = PreviousRecords(HashMap::new()).load(root, slug, path);
        let result = record.result.clone();
        self.keep(path.to_path_buf(), record);
        result
    }

    /// Empties the cache for a load, which `keep`s the records of the site as it is now.
    pub fn take(&mut self) -> PreviousRecords {
        PreviousRecords(std::mem::take(&mut self.entries))
    }

    pub fn keep(&mut self, path: PathBuf, record: CachedRecord) {
        self.entries.insert(path, record);
    }
}

pub const SITE_FILE: &str = "data/site.yaml";
pub const IDPS_FILE: &str = "data/idps.yaml";
pub const VENDORS_DIR: &str = "data/vendors";

pub fn load_site(root: &Path) -> Loaded {
    load_site_cached(root, &mut RecordCache::default())
}

/// Loads the site, re-parsing only the vendor records that are not in `cache` as they are on
/// disk now, and leaves `cache` holding exactly the records of this load.
pub fn load_site_cached(root: &Path, cache: &mut RecordCache) -> Loaded {
    let mut loaded = load_settings(root);
    let (vendor_files, listing_problems) = list_vendor_files(root);
    loaded.diagnostics.extend(listing_problems);
    let previous = cache.take();
    let records: Vec<(PathBuf, CachedRecord)> = vendor_files
        .into_par_iter()
        .map(|(slug, path)| {
            let record = previous.load(root, &slug, &path);
            (path, record)
        })
        .collect();
    for (path, record) in records {
        match &record.result {
            Ok(entry) => loaded.vendors.push(Arc::clone(entry)),
            Err(diagnostic) => loaded.diagnostics.push(diagnostic.clone()),
        }
        cache.keep(path, record);
    }
    loaded
}

/// `site.yaml` and `idps.yaml`, and what is wrong with reading them; no records.
pub fn load_settings(root: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    let (config, idps) = rayon::join(
        || load_one::<SiteConfig>(root, SITE_FILE),
        || load_one::<IdpFile>(root, IDPS_FILE),
    );
    loaded.config = keep(config, &mut loaded.diagnostics);
    loaded.idps = keep(idps, &mut loaded.diagnostics);
    loaded
}

fn keep<T>(result: Result<T, Diagnostic>, diagnostics: &mut Diagnostics) -> Option<T> {
    result.map_err(|d| diagnostics.push(d)).ok()
}

fn load_one<T: DeserializeOwned>(
    root: &Path,
    relative: &str,
) -> Result<(SourceFile, T), Diagnostic> {
    let source = read_source(root, &root.join(relative))?;
    let value = parse_yaml(&source)?;
    Ok((source, value))
}

pub fn load_vendor(root: &Path, slug: &str, path: &Path) -> Result<VendorEntry, Diagnostic> {
    let source = read_source(root, path)?;
    let record = parse_yaml(&source)?;
    Ok(VendorEntry {
        slug: slug.to_owned(),
        path: source.path,
        file: path.to_path_buf(),
        record,
        listing_only: false,
    })
}

/// The record files of `data/vendors/`, sorted by slug, with a diagnostic for every file that
/// cannot be a record (bad slug, wrong extension) and every slug given twice.
pub fn list_vendor_files(root: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let dir = root.join(VENDORS_DIR);
    let mut problems = Vec::new();
    if !dir.is_dir() {
        let what = if dir.exists() {
            "not a folder"
        } else {
            "folder not found"
        };
        problems.push(Diagnostic::error(
            VENDORS_DIR,
            format!(
                "{what}: vendor records go in data/vendors/<slug>.yaml \
                 (`scimfacts new \"Vendor Name\"` creates one)"
            ),
        ));
        return (Vec::new(), problems);
    }
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    // Each slug's file, to find a slug given twice without comparing every pair of files.
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut invalid: Vec<(PathBuf, String)> = Vec::new();
    for entry in WalkDir::new(&dir).min_depth(1).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(&dir);
                problems.push(Diagnostic::error(display_path(root, path), err.to_string()));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        let shown = display_path(root, path);
        let name = entry.file_name().to_string_lossy();
        if is_editor_litter(&name) {
            continue;
        }
        let Some(slug) = record_slug(&name) else {
            problems.push(Diagnostic::warning(
                shown,
                "ignored: not a vendor record (records are named <slug>.yaml)",
            ));
            continue;
        };
        if !is_valid_slug(slug) {
            invalid.push((shown, slug.to_owned()));
            continue;
        }
        if let Some(first) = seen.get(slug) {
            problems.push(Diagnostic::error(
                shown,
                format!(
                    "duplicate slug \"{slug}\": {} already defines it",
                    display_path(root, first).display()
                ),
            ));
            continue;
        }
        seen.insert(slug.to_owned(), path.to_path_buf());
        files.push((slug.to_owned(), path.to_path_buf()));
    }
    files.sort();
    for (shown, slug) in invalid {
        problems.push(invalid_slug(root, &shown, &slug, &files));
    }
    // A site of no vendors is a site of nothing (typically a wrong --root, or records saved as
    // .txt): an error, unless records were found and failed on their own account.
    if files.is_empty() && !problems.iter().any(Diagnostic::is_error) {
        problems.push(Diagnostic::error(
            VENDORS_DIR,
            "no vendor records: add one as data/vendors/<slug>.yaml \
             (`scimfacts new \"Vendor Name\"` creates one)",
        ));
    }
    (files, problems)
}

/// Says what a valid slug would be, and when that slug is already taken (`Acme.yaml` beside
/// `acme.yaml`, which are one file on case-insensitive file systems) says by which file.
fn invalid_slug(root: &Path, shown: &Path, slug: &str, files: &[(String, PathBuf)]) -> Diagnostic {
    let suggestion = crate::slug::slugify(slug);
    let taken = files.iter().find(|(s, _)| *s == suggestion);
    let advice = match taken {
        Some((_, path)) => format!(
            "\"{suggestion}\" is taken by {}: merge the two records",
            display_path(root, path).display()
        ),
        None if suggestion.is_empty() => "rename it, e.g. after the vendor".to_owned(),
        None => format!("try \"{suggestion}\""),
    };
    Diagnostic::error(
        shown,
        format!(
            "\"{slug}\" is not a valid slug: a record's file name must use only a-z, 0-9 and \
             '-' ({advice})"
        ),
    )
}

/// The slug of a record file name (`okta.yaml` → `okta`), or `None` for files that are not
/// records. `.yml` counts too, so that `x.yml` beside `x.yaml` is caught as a duplicate rather
/// than silently ignored.
fn record_slug(file_name: &str) -> Option<&str> {
    let (stem, extension) = file_name.rsplit_once('.')?;
    (extension == "yaml" || extension == "yml").then_some(stem)
}

pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Files that editors leave beside the ones being edited: never records, never worth a word.
pub fn is_editor_litter(file_name: &str) -> bool {
    file_name.starts_with('.')
        || file_name.ends_with('~')
        || file_name.ends_with(".swp")
        || file_name.ends_with(".swx")
        || file_name.ends_with(".tmp")
        || file_name == "4913"
}

/// Reads one input file: a regular file inside the site root, at most [`MAX_FILE_BYTES`] long,
/// in UTF-8. Everything else is a diagnostic naming the file, never a hang or a panic.
pub fn read_source(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let shown = display_path(root, path);
    let bytes =
        read_input_file(root, path).map_err(|problem| Diagnostic::error(shown.clone(), problem))?;
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
fn read_input_file(root: &Path, path: &Path) -> Result<Vec<u8>, String> {
    refuse_links_out_of(root, path)?;
    let file = open_without_blocking(path).map_err(|err| describe_io_error(&err))?;
    let metadata = file.metadata().map_err(|err| describe_io_error(&err))?;
    if !metadata.is_file() {
        return Err(format!(
            "not a regular file but {}: an input must be a plain file",
            describe_file_type(&metadata.file_type())
        ));
    }
    let too_big = |size: u64| {
        format!(
            "file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes (a record is a few kilobytes)"
        )
    };
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_big(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| describe_io_error(&err))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
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

fn describe_io_error(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "file not found".to_owned(),
        io::ErrorKind::PermissionDenied => "cannot read the file: permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "not a regular file but a folder".to_owned(),
        _ if is_link_loop(err) => "a symbolic link loop: cannot read the file".to_owned(),
        _ => format!("cannot read the file: {err}"),
    }
}

/// The position just past `text`.
fn position_at_end_of(text: &str) -> Position {
    let line = text.matches('\n').count() as u64 + 1;
    let last_line = text.rsplit('\n').next().unwrap_or("");
    Position {
        line,
        column: last_line.chars().count() as u64 + 1,
    }
}

/// Parses one YAML document into `T`, turning any failure (syntax, type, unknown key, duplicate
/// key, alias or depth budget) into a diagnostic with the field path and position.
pub fn parse_yaml<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    refuse_alias_bombs(source)?;
    if let Some(value) = plain_yaml::parse(&source.text) {
        return Ok(value);
    }
    // Tracking the field path costs a third of the parse, and only an error needs it: a
    // record that parses is parsed once, untracked; one that fails is parsed again to say where.
    match serde_saphyr::from_str_with_options(&source.text, parser_options()) {
        Ok(value) => Ok(value),
        Err(_) => Err(parse_yaml_tracked::<T>(source)
            .err()
            .unwrap_or_else(|| Diagnostic::error(source.path.clone(), "the file did not parse"))),
    }
}

/// Parses `source` following the field path, for the diagnostic of a file that failed.
fn parse_yaml_tracked<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    let mut field = String::new();
    let parsed = serde_saphyr::with_deserializer_from_str_with_options(
        &source.text,
        parser_options(),
        |deserializer| {
            serde_path_to_error::deserialize(deserializer).map_err(|err| {
                field = err.path().to_string();
                err.into_inner()
            })
        },
    );
    parsed.map_err(|err| {
        let mut message = describe_yaml_error(&err);
        // A syntax error stops the parser wherever the text stops making sense; the path the
        // deserializer had reached by then may name some other field, so none is shown.
        if is_syntax_error(&err) {
            field.clear();
        }
        if message == EXPECTED_MAPPING && field.trim_matches(['.', '?']).is_empty() {
            message.push_str(" at the top of the file");
        }
        let duplicate = duplicate_key(&message).is_some();
        // serde_path_to_error writes `?` for a step it could not name (a key that did not
        // parse): the path up to there is all that is known, and the parser's position is
        // better than the locator's.
        let incomplete = field.contains('?');
        let known = field.split(".?").next().unwrap_or("").trim_end_matches('?');
        let known = if known == "." { "" } else { known };
        let field = match duplicate_key(&message) {
            // The parser stops at the repeated key, before the path reaches it.
            Some(key) => {
                let key = key.to_owned();
                message = format!("duplicate key `{key}`: each key may appear only once");
                if known.is_empty() {
                    key
                } else {
                    format!("{known}.{key}")
                }
            }
            None => known.to_owned(),
        };
        let parser_position = err.location().map(|location| Position {
            line: location.line(),
            column: location.column(),
        });
        // A value of the wrong form is best shown at the value itself; the parser points at
        // its key when the error comes from one of our own types (dates, prices). An unknown
        // or repeated key is best shown at the key, where the parser points.
        let at_key = duplicate || message.starts_with("unknown field");
        let value_position = (!field.is_empty() && !at_key && !incomplete)
            .then(|| FieldLocator::new(&source.text).exact(&field))
            .flatten();
        Diagnostic::error(source.path.clone(), message)
            .at(value_position.or(parser_position))
            .field(field)
    })
}

/// A limit far above what any record needs and far below what could hurt: a record has few if
/// any aliases, so more is a mistake or an attack, answered at once with an error. (Nesting
/// needs no limit of ours: no field of a record takes more than a few levels, so deeper
/// nesting fails as a wrong type at the first level too many.)
pub const MAX_ALIASES: usize = 1_000;

/// The most nodes a file may have once its aliases are expanded: as many as the parser's own
/// budget allows a file to hold without aliases.
pub const MAX_EXPANDED_NODES: u64 = 250_000;

pub(crate) fn parser_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ALIASES,
        },
    }
}

/// Refuses an alias bomb ("billion laughs": each anchor names a list of aliases of the one
/// before, so a few lines stand for billions of nodes) before anything expands it, by counting
/// the nodes the file would have with every alias replaced by what it names: one pass, no
/// expansion. Only files with both anchors and aliases pay for the pass.
fn refuse_alias_bombs(source: &SourceFile) -> Result<(), Diagnostic> {
    use serde_saphyr::granit_parser::{Event, Parser};
    if !(source.text.contains('&') && source.text.contains('*')) {
        return Ok(());
    }
    let mut anchored_sizes: HashMap<usize, u64> = HashMap::new();
    // Open collections: their anchor (0 for none) and the node count where they began.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut nodes: u64 = 0;
    for event in Parser::new_from_str(&source.text) {
        // A syntax error is the deserializer's to report, with its own message.
        let Ok((event, span)) = event else { break };
        match event {
            Event::Scalar(_, _, anchor, _) => {
                nodes += 1;
                if anchor != 0 {
                    anchored_sizes.insert(anchor, 1);
                }
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                nodes += 1;
                open.push((anchor, nodes));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, began)) = open.pop()
                    && anchor != 0
                {
                    anchored_sizes.insert(anchor, nodes - began + 1);
                }
            }
            Event::Alias(anchor) => {
                let size = anchored_sizes.get(&anchor).copied().unwrap_or(1);
                nodes = nodes.saturating_add(size);
                if nodes > MAX_EXPANDED_NODES {
                    let position = Position {
                        line: span.start.line() as u64,
                        column: span.start.col() as u64 + 1,
                    };
                    return Err(Diagnostic::error(
                        source.path.clone(),
                        format!(
                            "its aliases (`*name`) expand to more than {MAX_EXPANDED_NODES} \
                             values by this one: an alias bomb (\"billion laughs\")? A record \
                             needs few aliases if any"
                        ),
                    )
                    .at(Some(position)));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn is_syntax_error(err: &serde_saphyr::Error) -> bool {
    use serde_saphyr::{Error, ExternalMessageSource};
    matches!(
        err.without_snippet(),
        Error::ExternalMessage { source, .. } if matches!(**source, ExternalMessageSource::Parser(_))
    ) || matches!(err.without_snippet(), Error::IndentationError { .. })
}

const EXPECTED_MAPPING: &str = "expected a mapping of keys to values (`key: value`)";

/// A budget breach in words an editor can act on.
fn describe_budget_breach(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach;
    match breach {
        BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => format!(
            "more than {MAX_ALIASES} aliases or anchors (`*name`, `&name`): a record needs few if any"
        ),
        BudgetBreach::AliasAnchorRatio { aliases, anchors } => format!(
            "{aliases} aliases (`*name`) of {anchors} anchor{} (`&name`): refusing to expand \
             them (each alias copies its anchor, so a few lines could fill the memory)",
            if *anchors == 1 { "" } else { "s" }
        ),
        other => format!("too large or complex to read ({other:?})"),
    }
}

/// The parser's message without its own " at line L, column C" suffix (we print positions in
/// `file:line:column` form) and with serde's wording made plainer for editors.
fn describe_yaml_error(err: &serde_saphyr::Error) -> String {
    if let serde_saphyr::Error::Budget { breach, .. } = err.without_snippet() {
        return describe_budget_breach(breach);
    }
    let text = err.without_snippet().to_string();
    let text = match text.rfind(" at line ") {
        Some(cut) if text[cut..].contains(", column ") => text[..cut].to_owned(),
        _ => text,
    };
    let text = text.replace(
        "multiple YAML documents detected; use from_str_multiple or from_str_multiple_with_options",
        "more than one YAML document (`---`): a file holds exactly one record",
    );
    if text.starts_with("tabs disallowed") {
        return format!("{text}: indent with spaces; YAML does not allow tabs for indentation");
    }
    if text == "expected mapping start" {
        return EXPECTED_MAPPING.to_owned();
    }
    if text == "expected sequence start" {
        return "expected a list (`[a, b]`, or one `- item` per line)".to_owned();
    }
    if text == "expected string scalar" {
        return "expected string scalar (text), found a list or a mapping".to_owned();
    }
    // Short words from the parser, said in full.
    for (word, meaning) in [
        ("invalid boolean", "expected true or false"),
        (
            "invalid u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("invalid floating point", "expected a number"),
    ] {
        if text == word {
            return format!("{word}: {meaning}");
        }
    }
    if text == "recursion limit exceeded" {
        return "nested too deeply: brackets inside brackets, hundreds of levels down (a record \
                needs a handful)"
            .to_owned();
    }
    if text == "simple key expected ':'" {
        return "expected `key: value` or `- item` on this line (a key has at most 1024 \
                characters)"
            .to_owned();
    }
    if let Some(character) = text.strip_prefix("unexpected character: ") {
        return format!(
            "unexpected character {character}: YAML allows no control characters but tabs \
             and line breaks; remove it"
        );
    }
    if text.starts_with("unexpected end of input") && !text.contains('\n') {
        return "the file is empty: expected a mapping of keys to values".to_owned();
    }
    text
}

/// The key named by the parser's duplicate-key message.
fn duplicate_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("duplicate mapping key: ")?;
    Some(
        rest.split_once(", set DuplicateKeyPolicy")
            .map_or(rest, |(key, _)| key),
    )
}

#[cfg(test)]
mod tests;
