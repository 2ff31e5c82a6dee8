//! `scimfacts import`: one public catalogue's checkout into the site's records.
//!
//! Each vendor the catalogue lists is matched with a record (on the website's domain, then on
//! the normalised name) or gets a new one; the catalogue's statement is written into the
//! record's `catalogues:` block (see `record_file`), and nothing else of an existing record is
//! changed. Importing the same snapshot twice changes no byte. The report says what was read,
//! created, updated, left unchanged and skipped, which catalogue percentages are wrong, and
//! where the sources now disagree.

pub mod price_text;
mod readers;
mod record_file;
mod report;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub use readers::Skipped;
use readers::{Listed, Read};
pub use report::{CatalogueError, ImportReport};

use crate::compute::merge;
use crate::load::{VENDORS_DIR, list_vendor_files, load_vendor};
use crate::model::{Catalogue, Vendor, catalogue};
use crate::progress::ProgressHook;
use crate::slug::slugify;
use crate::write::replace_file;

/// Why an import stopped. Nothing is written before the records and the catalogue are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// A record of the site, or the catalogue's data as a whole, cannot be read as data.
    Invalid(String),
    /// A path or catalogue that is not what the command needs.
    Usage(String),
    /// Reading or writing failed.
    Io(String),
}

impl ImportError {
    /// The exit code, as for the other commands: 1 invalid data, 2 usage or I/O.
    pub fn exit_code(&self) -> u8 {
        match self {
            ImportError::Invalid(_) => 1,
            ImportError::Usage(_) | ImportError::Io(_) => 2,
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Invalid(m) | ImportError::Usage(m) | ImportError::Io(m) => f.write_str(m),
        }
    }
}

/// What to import, from where, into which site.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The catalogue's id: `sso-tax`, `ssotax-org` or `scimtax-org`.
    pub source: String,
    /// A checkout of the catalogue's repository.
    pub checkout: PathBuf,
    /// The site's root (holds `data/`).
    pub root: PathBuf,
    /// Report what would change, write nothing.
    pub dry_run: bool,
    /// Who hears of the stages and of each record done: no one by default.
    pub progress: ProgressHook,
}

/// An existing record, as the import sees it.
struct Record {
    slug: String,
    file: PathBuf,
    text: String,
    vendor: Vendor,
}

/// Imports one catalogue. Fails before writing anything when the catalogue cannot be read or a
/// record of the site cannot be parsed (run `scimfacts check` to see why). Each record is
/// replaced whole, in one rename; a disk that fails midway leaves the records written before
/// it, and running the import again completes it.
pub fn import(options: &ImportOptions) -> Result<ImportReport, ImportError> {
    let catalogue = catalogue(&options.source).ok_or_else(|| {
        ImportError::Usage(format!(
            "\"{}\" is not a catalogue scimfacts can import: expected sso-tax, ssotax-org or scimtax-org",
            options.source
        ))
    })?;
    options.progress.stage("reading the catalogue", None);
    let mut read = read_catalogue(catalogue, &options.checkout)?;
    let mut records = load_records(&options.root, &options.progress)?;
    let mut report = ImportReport::new(catalogue, read.listed.len() + read.skipped.len());
    report.snapshot = checkout_commit(&options.checkout);
    for listed in &mut read.listed {
        report.refuse_implausible_prices(listed);
        report.flag_outlandish_steps(listed);
        report.check_percent(listed);
    }
    report.skipped = read.skipped.clone();
    options
        .progress
        .stage("matching entries with records", None);
    let created = apply(options, catalogue, &read, &mut records, &mut report)?;
    write_records(options, catalogue, &records, &created, &mut report)?;
    for record in records.iter().chain(&created) {
        if record.vendor.catalogues.contains_key(catalogue.id) {
            report.note_disagreements(&record.slug, &merge(&record.vendor).disagreements);
        }
    }
    write_report(options, &report)?;
    Ok(report)
}

/// Puts each listed vendor's statement into its record (or a new one, returned) and takes the
/// catalogue's block out of the records of vendors it no longer lists.
fn apply(
    options: &ImportOptions,
    catalogue: &'static Catalogue,
    read: &Read,
    records: &mut [Record],
    report: &mut ImportReport,
) -> Result<Vec<Record>, ImportError> {
    let matches = match_records(&read.listed, records, report);
    let mut seen: Vec<usize> = Vec::new();
    let mut created: Vec<Record> = Vec::new();
    for (listed, matched) in read.listed.iter().zip(matches) {
        match matched {
            Some(Some(index)) => {
                seen.push(index);
                let statements = &mut records[index].vendor.catalogues;
                statements.insert(catalogue.id.to_owned(), listed.entry.clone());
            }
            Some(None) => {
                let record = new_record(catalogue, listed, records, &created, &options.root)?;
                created.push(record);
            }
            None => {}
        }
    }
    // An entry the catalogue still has but that could not be read is not a vendor it stopped
    // listing: its record keeps what the last readable snapshot said.
    let unreadable = |record: &Record| {
        record
            .vendor
            .catalogues
            .get(catalogue.id)
            .is_some_and(|e| read.skipped.iter().any(|s| s.entry == e.entry))
    };
    for (index, record) in records.iter_mut().enumerate() {
        if seen.contains(&index) || unreadable(record) {
            continue;
        }
        if record.vendor.catalogues.remove(catalogue.id).is_some() {
            report.removed.push(record.slug.clone());
        }
    }
    Ok(created)
}

/// Writes every record whose text changed, and the new ones.
fn write_records(
    options: &ImportOptions,
    catalogue: &Catalogue,
    records: &[Record],
    created: &[Record],
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let stage = if options.dry_run {
        "comparing records (dry run)"
    } else {
        "writing records"
    };
    options
        .progress
        .stage(stage, Some(records.len() + created.len()));
    for record in records {
        options.progress.advance();
        let block =
            record_file::catalogue_block(&record.vendor.catalogues).map_err(ImportError::Io)?;
        let text = record_file::replace_block(&record.text, &block);
        if text == record.text {
            if record.vendor.catalogues.contains_key(catalogue.id) {
                report.unchanged.push(record.slug.clone());
            }
            continue;
        }
        if !report.removed.contains(&record.slug) {
            report.updated.push(record.slug.clone());
        }
        write(options, &record.file, &text)?;
    }
    for record in created {
        options.progress.advance();
        report.created.push(record.slug.clone());
        write(options, &record.file, &record.text)?;
    }
    Ok(())
}

/// An import that changed nothing keeps the report of the one that did, so that importing the
/// same snapshot twice changes no byte; a report of another snapshot (or none) is replaced, so
/// that it never describes a snapshot the records no longer hold.
fn write_report(options: &ImportOptions, report: &ImportReport) -> Result<(), ImportError> {
    let report_file = options
        .root
        .join(REPORTS_DIR)
        .join(format!("{}.md", report.catalogue.id));
    let text = report.to_markdown();
    let snapshot = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("Snapshot:"))
            .map(str::to_owned)
    };
    let current =
        fs::read_to_string(&report_file).is_ok_and(|old| snapshot(&old) == snapshot(&text));
    if report.changed_anything() || !current {
        write(options, &report_file, &text)?;
    }
    Ok(())
}

/// Where each catalogue's last import report is kept, beside the data, for editors to read.
pub const REPORTS_DIR: &str = "data/imports";

fn read_catalogue(catalogue: &Catalogue, checkout: &Path) -> Result<Read, ImportError> {
    if !checkout.is_dir() {
        return Err(ImportError::Usage(format!(
            "{} is not a folder: expected a checkout of {} ({})",
            checkout.display(),
            catalogue.name,
            catalogue.repository
        )));
    }
    let marker = match catalogue.id {
        "sso-tax" => "_vendors",
        "ssotax-org" => "_vendors_bad",
        _ => "data.json",
    };
    if !checkout.join(marker).exists() {
        return Err(ImportError::Usage(format!(
            "{} does not look like a checkout of {} ({}): it has no {marker}",
            checkout.display(),
            catalogue.name,
            catalogue.repository
        )));
    }
    let read = match catalogue.id {
        "sso-tax" => readers::read_sso_tax(checkout),
        "ssotax-org" => readers::read_ssotax_org(checkout),
        _ => readers::read_scimtax_org(checkout),
    };
    read.map_err(ImportError::Invalid)
}

/// The commit a checkout is at, read from its `.git` folder (no `git` needed): the report
/// names the snapshot it describes.
pub fn checkout_commit(checkout: &Path) -> Option<String> {
    let git = checkout.join(".git");
    let head = fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref: ") else {
        return Some(head.to_owned());
    };
    if let Ok(id) = fs::read_to_string(git.join(reference)) {
        return Some(id.trim().to_owned());
    }
    let packed = fs::read_to_string(git.join("packed-refs")).ok()?;
    packed
        .lines()
        .filter_map(|l| l.split_once(' '))
        .find(|(_, name)| *name == reference)
        .map(|(id, _)| id.to_owned())
}

fn load_records(root: &Path, progress: &ProgressHook) -> Result<Vec<Record>, ImportError> {
    if !root.join("data").is_dir() {
        return Err(ImportError::Usage(format!(
            "no site at {}: it has no data/ folder (--root names the folder that holds data/)",
            root.display()
        )));
    }
    let (files, _) = list_vendor_files(root);
    progress.stage("reading the site's records", Some(files.len()));
    files
        .into_iter()
        .map(|(slug, file)| {
            progress.advance();
            let entry = load_vendor(root, &slug, &file).map_err(|diagnostic| {
                let located = diagnostic.to_string();
                let located = located.strip_prefix("error: ").unwrap_or(&located);
                ImportError::Invalid(format!(
                    "{located}\nthis record cannot be parsed, so it cannot be updated safely: \
                     fix it first (`scimfacts check` lists every problem)"
                ))
            })?;
            let text = fs::read_to_string(&file)
                .map_err(|e| ImportError::Io(format!("cannot read {}: {e}", file.display())))?;
            Ok(Record {
                slug,
                file,
                text,
                vendor: entry.record,
            })
        })
        .collect()
}

/// A website's domain, as vendors are matched on it: lower case, without `www.`.
pub fn domain_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty()).then_some(host)
}

/// A vendor's name as vendors are matched on it: letters and digits, lower case, without a
/// remark in parentheses ("Atlassian (Jira Cloud)" is "atlassian").
pub fn name_key(name: &str) -> String {
    let plain = name.split(" (").next().unwrap_or(name);
    plain
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// For each listed vendor: `Some(Some(i))` updates record `i`, `Some(None)` creates a record,
/// `None` skips it (another entry of the catalogue is the same vendor).
fn match_records(
    listed: &[Listed],
    records: &[Record],
    report: &mut ImportReport,
) -> Vec<Option<Option<usize>>> {
    let mut by_domain: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, record) in records.iter().enumerate() {
        if let Some(domain) = record.vendor.website.as_deref().and_then(domain_of) {
            by_domain.entry(domain).or_default().push(i);
        }
        let names = std::iter::once(&record.vendor.name)
            .chain(record.vendor.catalogues.values().map(|e| &e.name));
        for name in names {
            let list = by_name.entry(name_key(name)).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        }
    }
    // A domain two entries of the catalogue share (adobe.com for Acrobat and Creative Cloud)
    // does not tell them apart: those match on their names only.
    let mut listed_domains: BTreeMap<String, usize> = BTreeMap::new();
    for l in listed {
        if let Some(domain) = l.website.as_deref().and_then(domain_of) {
            *listed_domains.entry(domain).or_default() += 1;
        }
    }
    let mut taken: BTreeMap<usize, String> = BTreeMap::new();
    let mut new_names: BTreeMap<String, String> = BTreeMap::new();
    listed
        .iter()
        .map(|l| {
            let domain = l.website.as_deref().and_then(domain_of);
            let by_site = domain
                .filter(|d| listed_domains.get(d) == Some(&1))
                .and_then(|d| by_domain.get(&d))
                .filter(|found| found.len() == 1)
                .map(|found| found[0]);
            let by_own_name = by_name
                .get(&name_key(&l.name))
                .filter(|found| found.len() == 1)
                .map(|found| found[0]);
            match by_site.or(by_own_name) {
                Some(index) => {
                    if let Some(first) = taken.get(&index) {
                        report.skipped.push(Skipped {
                            entry: l.entry.entry.clone(),
                            why: format!("{} is the same vendor as the entry {first}", l.name),
                        });
                        return None;
                    }
                    taken.insert(index, l.entry.entry.clone());
                    Some(Some(index))
                }
                None => {
                    if let Some(first) = new_names.get(&name_key(&l.name)) {
                        report.skipped.push(Skipped {
                            entry: l.entry.entry.clone(),
                            why: format!("{} is the same vendor as the entry {first}", l.name),
                        });
                        return None;
                    }
                    new_names.insert(name_key(&l.name), l.entry.entry.clone());
                    Some(None)
                }
            }
        })
        .collect()
}

/// A record for a vendor the site does not have yet, under a slug no other record has.
fn new_record(
    catalogue: &Catalogue,
    listed: &Listed,
    records: &[Record],
    created: &[Record],
    root: &Path,
) -> Result<Record, ImportError> {
    let base = match slugify(&listed.name) {
        s if s.is_empty() => "vendor".to_owned(),
        s => s,
    };
    let taken = |slug: &str| records.iter().chain(created).any(|r| r.slug == slug);
    let slug = (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|s| !taken(s))
        .unwrap_or(base);
    let website = listed
        .website
        .as_deref()
        .filter(|w| crate::validate::is_http_url(w));
    let mut vendor = Vendor::named(&listed.name);
    vendor.website = website.map(str::to_owned);
    vendor
        .catalogues
        .insert(catalogue.id.to_owned(), listed.entry.clone());
    let block = record_file::catalogue_block(&vendor.catalogues).map_err(ImportError::Io)?;
    let text = record_file::new_record(&listed.name, website, &block).map_err(ImportError::Io)?;
    Ok(Record {
        file: root.join(VENDORS_DIR).join(format!("{slug}.yaml")),
        slug,
        text,
        vendor,
    })
}

fn write(options: &ImportOptions, file: &Path, text: &str) -> Result<(), ImportError> {
    if options.dry_run {
        return Ok(());
    }
    let (Some(folder), Some(name)) = (file.parent(), file.file_name()) else {
        return Err(ImportError::Io(format!(
            "cannot write {}: not a file path",
            file.display()
        )));
    };
    fs::create_dir_all(folder)
        .map_err(|e| ImportError::Io(format!("cannot create {}: {e}", folder.display())))?;
    replace_file(folder, Path::new(name), text.as_bytes())
        .map(|_| ())
        .map_err(|e| {
            ImportError::Io(format!(
                "cannot write {}: {e} (files written before it keep the import; run it again to \
                 complete it)",
                file.display()
            ))
        })
}
