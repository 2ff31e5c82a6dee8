//! What `serve` keeps between rebuilds, and how it rebuilds as little as a change allows,
//! always through the same stages as `build`.
//!
//! It keeps every parsed record (so a save re-parses one file), the templates (read again
//! only when one changes) and the last good site's rows (so an edited record's page is
//! written before the lists, which are brought up to date after it).

use std::collections::BTreeSet;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::watch::Changes;
use crate::build::stages::{self, RecordOutcome, Shared};
use crate::build::{BuildOptions, BuildReport, Built, Kept, guard_output, run};
use crate::compute::SiteSummary;
use crate::diagnostic::Diagnostics;
use crate::error::BuildError;
use crate::load::{CommittedHistory, RecordCache, VendorEntry};
use crate::page::{VendorPage, list_files};
use crate::render::Renderer;
use crate::validate::Rules;
use crate::write::{Destination, InPlace, ReplacedSite, Staged};

/// What a rebuild of `serve` did.
#[derive(Debug)]
pub enum Rebuilt {
    /// Every page, swapped in whole.
    All(BuildReport),
    /// Only the pages that the changed records appear on.
    Pages(PagesRebuilt),
    /// Every page, because only stylesheets changed: browsers can swap the styles in place.
    Stylesheets(BuildReport),
}

/// The pages a rebuild of a few pages rendered, and which of them changed.
#[derive(Debug)]
pub struct PagesRebuilt {
    /// Pages rendered, below the output.
    pub rendered: Vec<PathBuf>,
    /// Those of them whose bytes changed, and so were written.
    pub changed: Vec<PathBuf>,
    /// Vendor pages removed with their records.
    pub removed: Vec<String>,
    /// Pages that list vendors removed because no list has them any more (a category whose
    /// last vendor left it), below the output.
    pub removed_pages: Vec<PathBuf>,
    /// How long it took.
    pub elapsed: Duration,
    /// Problems that did not stop it.
    pub warnings: Diagnostics,
}

impl PagesRebuilt {
    fn new(done: Vec<(PathBuf, bool)>, started: Instant, warnings: Diagnostics) -> PagesRebuilt {
        PagesRebuilt {
            changed: done
                .iter()
                .filter(|(_, written)| *written)
                .map(|(path, _)| path.clone())
                .collect(),
            rendered: done.into_iter().map(|(path, _)| path).collect(),
            removed: Vec::new(),
            removed_pages: Vec::new(),
            elapsed: started.elapsed(),
            warnings,
        }
    }
}

/// A site kept in memory between builds: records are re-parsed only when their file changed,
/// templates only when a template changed, and a change to one record re-renders that
/// record's pages and the pages that list every vendor, not the whole site.
pub struct Session {
    options: BuildOptions,
    records: RecordCache,
    templates: Option<Arc<Renderer>>,
    /// The last good build; `None` until one succeeds.
    last: Option<Built>,
    /// Changes not yet in the output (a failed rebuild keeps them for the next one).
    pending: Changes,
    /// The pages that list vendors lag behind `last`: a record was edited since they were
    /// rendered (`refresh_lists` brings them up to date).
    lists_outdated: bool,
    /// The site the last full rebuild replaced, when its removal waits for
    /// `remove_replaced_site` (`serve` first tells browsers about the new one).
    replaced: Option<ReplacedSite>,
    /// The repository's history the last good build showed, kept until HEAD moves.
    history: Option<Arc<CommittedHistory>>,
}

impl Session {
    /// A session that has built nothing yet.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            records: RecordCache::default(),
            templates: None,
            last: None,
            pending: Changes::everything(),
            lists_outdated: false,
            replaced: None,
            history: None,
        }
    }

    /// Removes the site that the last full rebuild replaced, if it is still there. `serve`
    /// calls this once browsers know of the new site; otherwise the next full rebuild, or the
    /// end of the session, removes it.
    pub fn remove_replaced_site(&mut self) -> io::Result<()> {
        self.replaced.take().map_or(Ok(()), ReplacedSite::remove)
    }

    /// The folder the site is written to.
    pub fn output_dir(&self) -> PathBuf {
        self.options.output_dir()
    }

    /// Brings the output up to date with `changes` (and any changes a failed rebuild left),
    /// doing as little as they allow. On failure the output stays as it was.
    pub fn rebuild(&mut self, changes: Changes) -> Result<Rebuilt, BuildError> {
        for path in &changes.records {
            self.records.forget(path);
        }
        // Pages link to static files by a hash of their bytes, so a static change is a
        // change to every page, like a template's.
        if changes.everything || !changes.statics.is_empty() {
            self.templates = None;
        }
        // A history read after HEAD moved: every vendor's page and the lists may change.
        if let Some(history) = &changes.history {
            self.history = Some(Arc::clone(history));
        }
        self.pending.merge(changes);
        let published = self.last.is_some() && self.output_dir().is_dir();
        if self.pending.css_only() && published {
            return self.build_all().map(Rebuilt::Stylesheets);
        }
        // An output deleted under a running `serve` is rebuilt whole: writing single pages
        // into nothing would leave a partial site without its marker.
        if self.pending.everything
            || self.pending.history.is_some()
            || !self.pending.statics.is_empty()
            || !published
        {
            return self.build_all().map(Rebuilt::All);
        }
        match self.edited_records() {
            Some(edited) => self.rebuild_edited(&edited).map(Rebuilt::Pages),
            None => self.rebuild_pages().map(Rebuilt::Pages),
        }
    }

    /// Renders every page into a staging folder and swaps it in for the output.
    pub fn build_all(&mut self) -> Result<BuildReport, BuildError> {
        let started = Instant::now();
        let output = guard_output(&self.options)?;
        let staged = Staged::new(&output, self.options.wait_for_lock);
        let kept = Kept {
            records: Some(&mut self.records),
            templates: self.templates.clone(),
            history: self.history.clone(),
        };
        let built = run(&self.options, kept, &staged)?;
        let committed = staged.commit(&built.renderer.assets)?;
        // Removed once browsers have been told of the new site.
        self.replaced = Some(committed.replaced);
        let report = built.report(started, committed.other_files);
        self.after_success(built);
        Ok(report)
    }

    /// When the pending changes are only edits to records the last good build had (no record
    /// created, removed or renamed), those records' indices in its site.
    fn edited_records(&self) -> Option<Vec<usize>> {
        let vendors = &self.last.as_ref()?.site.vendors;
        if self.pending.records.is_empty() {
            return None;
        }
        self.pending
            .records
            .iter()
            .map(|path| {
                let slug = path.file_stem()?.to_str()?;
                let i = vendors
                    .binary_search_by(|v| v.slug.as_str().cmp(slug))
                    .ok()?;
                (vendors[i].file == *path && path.is_file()).then_some(i)
            })
            .collect()
    }

    /// Re-reads the edited records and rewrites their own pages, leaving the pages that list
    /// every vendor to `refresh_lists`: the edited page is served as soon as it is written,
    /// however many vendors the lists hold.
    fn rebuild_edited(&mut self, edited: &[usize]) -> Result<PagesRebuilt, BuildError> {
        let started = Instant::now();
        let Some(last) = self.last.as_mut() else {
            return self.rebuild_pages();
        };
        let slugs = edited.iter().map(|&i| last.site.vendors[i].slug.clone());
        let output = InPlace::open(
            &self.options.output_dir(),
            Some(slugs.collect()),
            self.options.wait_for_lock,
        )?;
        let (entries, mut diagnostics) = reload(&mut self.records, &self.options, last, edited);
        let (mut failures, mut rows) = (Vec::new(), Vec::new());
        for (i, outcome) in stage_edited(last, &entries, &output) {
            diagnostics.extend(outcome.diagnostics);
            failures.extend(outcome.failures);
            rows.extend(outcome.row.map(|row| (i, row)));
        }
        let warnings = warnings_after_edits(last, edited, &diagnostics);
        if diagnostics.has_errors() {
            return Err(BuildError::Invalid(warnings));
        }
        if !failures.is_empty() {
            return Err(stages::render_failures(last.warnings.clone(), failures));
        }
        output.publish();
        let done = output.finish()?;
        for (i, row) in rows {
            last.site.vendors[i] = row;
        }
        last.warnings = warnings;
        self.pending = Changes::default();
        self.lists_outdated = true;
        Ok(PagesRebuilt::new(done, started, diagnostics))
    }

    /// Brings the pages that list vendors up to date after `rebuild` wrote only the edited
    /// records' own pages. `None` when they are up to date already.
    pub fn refresh_lists(&mut self) -> Result<Option<Rebuilt>, BuildError> {
        let Some(last) = self.last.as_mut().filter(|_| self.lists_outdated) else {
            return Ok(None);
        };
        // The summary the live lists were rendered from, kept until the new lists are out.
        let published = last.site.summary.clone();
        last.site.resummarize();
        match write_lists(&self.options, last, &published) {
            Ok(rebuilt) => {
                self.lists_outdated = false;
                Ok(Some(Rebuilt::Pages(rebuilt)))
            }
            Err(err) => {
                last.site.summary = published;
                Err(err)
            }
        }
    }

    /// Re-renders the pages of the changed records and every page that lists vendors, and
    /// writes those whose bytes changed into the live output, one atomic rename each; removes
    /// the pages of records that are gone, and the list pages no list has any more.
    fn rebuild_pages(&mut self) -> Result<PagesRebuilt, BuildError> {
        let started = Instant::now();
        let changed: BTreeSet<String> = self
            .pending
            .records
            .iter()
            .filter_map(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        let output = InPlace::open(
            &self.output_dir(),
            Some(changed),
            self.options.wait_for_lock,
        )?;
        let kept = Kept {
            records: Some(&mut self.records),
            templates: self.templates.clone(),
            history: self.history.clone(),
        };
        let built = run(&self.options, kept, &output)?;
        let current: BTreeSet<&str> = built.site.vendors.iter().map(|v| v.slug.as_str()).collect();
        let removed: Vec<String> = self
            .published()
            .filter(|slug| !current.contains(slug.as_str()))
            .collect();
        for slug in &removed {
            for page in VendorPage::ALL {
                output.remove(&page.output_path(slug))?;
            }
        }
        let removed_pages = match &self.last {
            Some(last) => remove_gone_lists(&output, &last.site.summary, &built.site.summary)?,
            None => Vec::new(),
        };
        let mut rebuilt = PagesRebuilt::new(output.finish()?, started, built.warnings.clone());
        rebuilt.removed = removed;
        rebuilt.removed_pages = removed_pages;
        self.after_success(built);
        Ok(rebuilt)
    }

    /// The slugs of the vendors whose pages the output holds.
    fn published(&self) -> impl Iterator<Item = String> + '_ {
        let vendors = self.last.iter().flat_map(|last| &last.site.vendors);
        vendors.map(|vendor| vendor.slug.clone())
    }

    /// The commit HEAD pointed at when the history shown was read: `Some(None)` when there is
    /// none yet (no commit, or no repository, while the site asks for history), `None` when
    /// the site does not show history.
    pub fn history_head(&self) -> Option<Option<String>> {
        if let Some(history) = &self.history {
            return Some(history.head.clone());
        }
        let asked = self.options.history
            || (self.last.as_ref()).is_some_and(|last| last.site.facts.config.history);
        asked.then_some(None)
    }

    fn after_success(&mut self, built: Built) {
        // A site whose history was turned off forgets it: turned on again, it reads it anew.
        self.history = built.site.facts.history.clone();
        self.templates = Some(Arc::clone(&built.renderer));
        self.pending = Changes::default();
        self.lists_outdated = false;
        self.last = Some(built);
    }
}

/// Reads the edited records again: each index with its record, and the problems of those
/// that could not be read.
fn reload(
    records: &mut RecordCache,
    options: &BuildOptions,
    last: &Built,
    edited: &[usize],
) -> (Vec<(usize, Arc<VendorEntry>)>, Diagnostics) {
    let mut entries = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for &i in edited {
        let vendor = &last.site.vendors[i];
        match records.reload(&options.root, &vendor.slug, &vendor.file) {
            Ok(entry) => entries.push((i, entry)),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    (entries, diagnostics)
}

/// The edited records through the stages a build runs each record through: validate,
/// compute, render its own pages into `to`.
fn stage_edited(
    last: &Built,
    entries: &[(usize, Arc<VendorEntry>)],
    to: &InPlace,
) -> Vec<(usize, RecordOutcome)> {
    let facts = &last.site.facts;
    let shared = Shared {
        facts: facts.clone(),
        renderer: Arc::clone(&last.renderer),
    };
    let rules = Rules::of(Some(&facts.config), Some(&facts.idps), facts.today);
    entries
        .par_iter()
        .map(|(i, entry)| (*i, stages::record_stage(entry, &rules, Some(&shared), to)))
        .collect()
}

/// The warnings of the site once the records at `edited` have the problems `diagnostics`:
/// the other records' still stand; the edited files' are replaced.
fn warnings_after_edits(last: &Built, edited: &[usize], diagnostics: &Diagnostics) -> Diagnostics {
    let edited_files: BTreeSet<&PathBuf> =
        edited.iter().map(|&i| &last.site.vendors[i].path).collect();
    let mut warnings: Diagnostics = last
        .warnings
        .iter()
        .filter(|d| !edited_files.contains(&d.file))
        .chain(diagnostics.iter())
        .cloned()
        .collect();
    warnings.sort();
    warnings
}

/// Renders the lists of `last` into the live output, and removes the list pages that
/// `published` (the summary the live lists came from) had and `last` has not.
fn write_lists(
    options: &BuildOptions,
    last: &Built,
    published: &SiteSummary,
) -> Result<PagesRebuilt, BuildError> {
    let started = Instant::now();
    let output = InPlace::open(
        &options.output_dir(),
        Some(BTreeSet::new()),
        options.wait_for_lock,
    )?;
    // The site was checked when its records were; each list is written as it is rendered
    // rather than all held at once (at 10,000 vendors they are tens of megabytes).
    output.publish();
    let lists = stages::render_lists(&last.site, &last.renderer, &output, &options.progress);
    if !lists.failures.is_empty() {
        let warnings = last.warnings.clone();
        return Err(stages::render_failures(warnings, lists.failures));
    }
    let removed_pages = remove_gone_lists(&output, published, &last.site.summary)?;
    let mut rebuilt = PagesRebuilt::new(output.finish()?, started, Diagnostics::new());
    rebuilt.removed_pages = removed_pages;
    Ok(rebuilt)
}

/// Removes the list pages of `before` that `after` has not (the page of a category whose last
/// vendor left it), and says which.
fn remove_gone_lists(
    output: &InPlace,
    before: &SiteSummary,
    after: &SiteSummary,
) -> Result<Vec<PathBuf>, BuildError> {
    let after = list_files(after);
    let gone: Vec<PathBuf> = list_files(before)
        .into_iter()
        .filter(|page| !after.contains(page))
        .collect();
    for page in &gone {
        output.remove(page)?;
    }
    Ok(gone)
}

impl Rebuilt {
    /// One line for the terminal of `serve`.
    pub fn summary(&self) -> String {
        match self {
            Rebuilt::All(report) => format!("rebuilt everything: {}", report.summary()),
            Rebuilt::Pages(pages) => pages.summary(),
            Rebuilt::Stylesheets(report) => {
                format!("stylesheets changed: {}", report.summary())
            }
        }
    }

    /// The URL paths, below the site root, of the pages this rebuild changed or removed
    /// (`/vendors/x/` for `vendors/x/index.html`).
    pub fn changed_urls(&self) -> Vec<String> {
        let Rebuilt::Pages(rebuilt) = self else {
            return Vec::new();
        };
        // A page's URL path: `/vendors/x/` for `vendors/x/index.html`.
        let url = |path: &PathBuf| {
            let path = path.to_string_lossy().replace('\\', "/");
            format!("/{}", path.strip_suffix("index.html").unwrap_or(&path))
        };
        let removed = rebuilt
            .removed
            .iter()
            .map(|slug| format!("/vendors/{slug}/"));
        let changed = rebuilt.changed.iter().map(url);
        let gone = rebuilt.removed_pages.iter().map(url);
        changed.chain(removed).chain(gone).collect()
    }

    /// The problems that did not stop the rebuild.
    pub fn warnings(&self) -> Option<&Diagnostics> {
        match self {
            Rebuilt::All(report) | Rebuilt::Stylesheets(report) => Some(&report.warnings),
            Rebuilt::Pages(rebuilt) => Some(&rebuilt.warnings),
        }
    }
}

impl PagesRebuilt {
    fn summary(&self) -> String {
        let rendered = &self.rendered;
        let mut line = format!(
            "rebuilt {} page{} ({} changed)",
            rendered.len(),
            if rendered.len() == 1 { "" } else { "s" },
            self.changed.len()
        );
        let vendors: Vec<String> = rendered
            .iter()
            .filter(|p| p.starts_with("vendors"))
            .map(|p| p.display().to_string())
            .collect();
        if !vendors.is_empty() {
            line.push_str(&format!(": {}", vendors.join(", ")));
        }
        if !self.removed.is_empty() {
            line.push_str(&format!(
                "; removed vendors/{}/",
                self.removed.join("/, vendors/")
            ));
        }
        for page in &self.removed_pages {
            line.push_str(&format!("; removed {}", page.display()));
        }
        line.push_str(&format!(" in {} ms", self.elapsed.as_millis()));
        line
    }
}
