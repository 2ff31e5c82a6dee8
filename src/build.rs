//! The whole pipeline for the CLI: load → validate → compute → render → write.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::compute::{Site, SiteSummary, VendorFigures, compute_site, compute_vendor, summarize};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{
    CachedRecord, Loaded, RecordCache, SourceFile, VendorEntry, decode_source, list_vendor_files,
    load_settings, load_site_cached, parse_yaml,
};
use crate::model::{Date, IdpFile, SiteConfig};
use crate::render::{Page, Renderer, pages};
use crate::validate::{
    Rules, check_vendor, locate_in_record, rules_of, validate, validate_settings,
};
use crate::watch::Changes;
use crate::write::{
    FileWriter, OutputLock, ReplacedSite, SITE_MARKER, SITE_MARKER_TEXT, Staging, is_empty_folder,
    is_previous_site, replace_file,
};

/// The default output folder, relative to the site root.
pub const OUTPUT_DIR: &str = "site";

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where the site goes; `root/site` when `None`.
    pub output: Option<PathBuf>,
    /// The day stale badges and "not in the future" checks are measured from.
    pub today: Date,
    /// Replaces `base_url` of `site.yaml` for this build (e.g. a preview deployment).
    pub base_url: Option<String>,
    /// Replace the output even when it is a non-empty folder no build wrote.
    pub force: bool,
    /// When another build holds the output's lock: wait for it (`serve`, which rebuilds on its
    /// own schedule) rather than fail at once (`build`, which a person or CI started).
    pub wait_for_lock: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            today: Date::today(),
            force: false,
            wait_for_lock: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join(OUTPUT_DIR))
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub records: usize,
    pub pages: usize,
    /// Pages plus static files.
    pub files: usize,
    pub elapsed: Duration,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
}

impl BuildReport {
    /// The one line `build` prints on success.
    pub fn summary(&self) -> String {
        format!(
            "built {} records into {} pages ({} files written) in {} ms",
            self.records,
            self.pages,
            self.files,
            self.elapsed.as_millis()
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The records or templates have errors; every one of them is listed.
    #[error("{}", .0.summary())]
    Invalid(Diagnostics),
    /// The command cannot run as asked (e.g. an output folder inside the input).
    #[error("{0}")]
    Usage(String),
    /// Another build is writing the same output right now.
    #[error("{0}")]
    Busy(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

impl BuildError {
    /// 1 for bad data or templates, 2 for usage and I/O errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            BuildError::Invalid(_) => 1,
            BuildError::Usage(_) | BuildError::Busy(_) | BuildError::Io { .. } => 2,
        }
    }

    fn io(context: impl Into<String>) -> impl FnOnce(io::Error) -> BuildError {
        let context = context.into();
        move |source| BuildError::Io { context, source }
    }
}

/// A site that passed validation, ready to render, and the warnings found on the way.
pub struct Prepared {
    pub site: Site,
    pub renderer: Arc<Renderer>,
    pub warnings: Diagnostics,
}

/// Loads, validates and computes everything; fails with every problem found.
pub fn prepare(options: &BuildOptions) -> Result<Prepared, BuildError> {
    prepare_with(options, &mut RecordCache::default(), None)
}

/// `prepare`, re-parsing only the records `cache` does not hold as they are now, and reusing
/// `templates` when they are known not to have changed.
fn prepare_with(
    options: &BuildOptions,
    cache: &mut RecordCache,
    templates: Option<Arc<Renderer>>,
) -> Result<Prepared, BuildError> {
    refuse_bad_options(options)?;
    let (root, today) = (options.root.as_path(), options.today);
    let (loaded, renderer) = rayon::join(
        || load_site_cached(root, cache),
        || templates_for(root, templates),
    );
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(validate(&loaded, today));
    diagnostics.extend(loaded.diagnostics);
    let renderer = renderer
        .map_err(|problems| diagnostics.extend(problems))
        .ok();
    diagnostics.sort();
    match (loaded.config, loaded.idps, renderer) {
        (Some((_, config)), Some((_, idps)), Some(renderer)) if !diagnostics.has_errors() => {
            let config = as_built(config, options);
            Ok(Prepared {
                site: compute_site(Arc::new(config), Arc::new(idps), loaded.vendors, today),
                renderer,
                warnings: diagnostics,
            })
        }
        _ => Err(BuildError::Invalid(diagnostics)),
    }
}

/// The templates a build renders with: those of the previous build, when they are still
/// current, or the site's read again.
fn templates_for(
    root: &Path,
    templates: Option<Arc<Renderer>>,
) -> Result<Arc<Renderer>, Vec<Diagnostic>> {
    match templates {
        Some(renderer) => Ok(renderer),
        None => Renderer::new(root).map(Arc::new),
    }
}

/// The settings of `site.yaml` as this build uses them: `--base-url` replaces the file's.
fn as_built(mut config: SiteConfig, options: &BuildOptions) -> SiteConfig {
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    config
}

/// A root that is not a site, or a `--base-url` that is not a URL: nothing to build.
fn refuse_bad_options(options: &BuildOptions) -> Result<(), BuildError> {
    let root = options.root.as_path();
    if !root.is_dir() {
        let what = if root.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(BuildError::Usage(format!(
            "no site at {}: it {what} (--root names the folder that holds data/)",
            root.display()
        )));
    }
    if let Some(url) = &options.base_url
        && !crate::validate::is_http_url(url)
    {
        return Err(BuildError::Usage(format!(
            "--base-url \"{url}\" is not an http(s) URL: expected e.g. https://example.org/scim/"
        )));
    }
    Ok(())
}

/// Everything `build` does except writing: every page is rendered, so template errors are
/// found too. Returns the warnings.
pub fn check(options: &BuildOptions) -> Result<Diagnostics, BuildError> {
    let streamed = stream_site(options, &mut RecordCache::default(), false, None, None)?;
    refuse_static_clashes(&streamed.prepared)?;
    let mut failures = streamed.failures;
    // The machine-readable files are made by code, not templates, and cannot fail: only
    // pages with templates are worth rendering to look for problems.
    let templated: Vec<Page> = list_pages(&streamed.prepared.site)
        .into_iter()
        .filter(|page| page.template().is_some())
        .collect();
    failures.par_extend(
        templated
            .par_iter()
            .filter_map(|page| render_page(&streamed.prepared, page).err().map(|f| *f)),
    );
    if failures.is_empty() {
        Ok(streamed.prepared.warnings)
    } else {
        Err(render_failures(streamed.prepared.warnings, failures))
    }
}

/// The pages that list vendors (everything but each vendor's own page and JSON).
fn list_pages(site: &Site) -> Vec<Page> {
    pages(site)
        .into_iter()
        .filter(|page| page.single_vendor().is_none())
        .collect()
}

/// A site whose records have been through `stream_site`.
struct Streamed {
    /// The site with each record reduced to its listing (`VendorEntry::listing`).
    prepared: Prepared,
    /// Records' own pages that could not be rendered.
    failures: Vec<PageFailure>,
    /// How many pages were rendered and handed over.
    rendered: usize,
}

/// Loads and checks the whole site like `prepare`, but takes the records one at a time:
/// each is read, checked and computed, and its own pages (its HTML page and its JSON) are
/// rendered and handed to `output` while the whole record is at hand. Of each record only its
/// listing stays, which is all the pages that list vendors need: memory grows with what the
/// lists show, not with whole records (a record parsed is about three times its YAML).
///
/// `cache` gives the records already parsed; with `keep_records` it is left holding every
/// whole record, for `serve` to reuse. Pages are handed over even when the site turns out to
/// have errors; the caller discards them then. Without `output`, nothing is kept and the
/// machine-readable files, which cannot fail, are not made: `check`.
fn stream_site(
    options: &BuildOptions,
    cache: &mut RecordCache,
    keep_records: bool,
    templates: Option<Arc<Renderer>>,
    output: Option<&(dyn Fn(PathBuf, String) + Sync)>,
) -> Result<Streamed, BuildError> {
    // Without an output, only checking: pages are rendered to find their problems.
    let checking = output.is_none();
    let output = output.unwrap_or(&|_, _| {});
    refuse_bad_options(options)?;
    let (root, today) = (options.root.as_path(), options.today);
    let ((settings, (files, listing_problems)), renderer) = rayon::join(
        || (load_settings(root), list_vendor_files(root)),
        || templates_for(root, templates),
    );
    let mut diagnostics = validate_settings(&settings);
    diagnostics.extend(settings.diagnostics.iter().cloned());
    diagnostics.extend(listing_problems);
    let renderer = renderer
        .map_err(|problems| diagnostics.extend(problems))
        .ok();
    // Records are rendered only when the settings and templates they need are sound; they
    // are checked in any case, so that every problem is reported at once.
    let shared = match (&settings.config, &settings.idps, &renderer) {
        (Some((_, config)), Some((_, idps)), Some(renderer)) if !diagnostics.has_errors() => {
            let config = as_built(config.clone(), options);
            Some((Arc::new(config), Arc::new(idps.clone()), renderer))
        }
        _ => None,
    };
    let rules = rules_of(&settings, today);
    let vendor_count = files.len();
    let previous = cache.take();
    let outcomes: Vec<RecordOutcome> = files
        .into_par_iter()
        .map(|(slug, path)| {
            let record = previous.load(root, &slug, &path);
            let mut outcome = RecordOutcome {
                exports: !checking,
                ..RecordOutcome::default()
            };
            match &record.result {
                Err(diagnostic) => outcome.diagnostics.push(diagnostic.clone()),
                Ok(entry) => {
                    outcome.diagnostics = locate_in_record(entry, check_vendor(entry, &rules));
                    let sound = !outcome.diagnostics.iter().any(Diagnostic::is_error);
                    if let (Some((config, idps, renderer)), true) = (&shared, sound) {
                        // A site of this record alone: its own pages need no summary.
                        let site = Site {
                            figures: vec![compute_vendor(&entry.record, &config.team_sizes, idps)],
                            config: Arc::clone(config),
                            idps: Arc::clone(idps),
                            vendors: vec![Arc::clone(entry)],
                            today,
                            summary: SiteSummary::default(),
                            vendor_count,
                        };
                        outcome.render_own_pages(&site, renderer, output);
                        let figures = site.figures.into_iter().next();
                        outcome.listed = figures.map(|figures| (entry.listing(), figures));
                    }
                }
            }
            if keep_records {
                outcome.record = Some((path, record));
            }
            outcome
        })
        .collect();
    drop(previous);
    let mut vendors = Vec::with_capacity(outcomes.len());
    let mut figures = Vec::with_capacity(outcomes.len());
    let mut failures = Vec::new();
    let mut rendered = 0;
    for outcome in outcomes {
        diagnostics.extend(outcome.diagnostics);
        failures.extend(outcome.failures);
        rendered += outcome.rendered;
        if let Some((entry, vendor_figures)) = outcome.listed {
            vendors.push(entry);
            figures.push(vendor_figures);
        }
        if let Some((path, record)) = outcome.record {
            cache.keep(path, record);
        }
    }
    diagnostics.sort();
    match shared {
        Some((config, idps, renderer)) if !diagnostics.has_errors() => {
            let summary = summarize(&vendors, &figures, &idps);
            Ok(Streamed {
                prepared: Prepared {
                    site: Site {
                        config,
                        idps,
                        vendors,
                        figures,
                        today,
                        summary,
                        vendor_count,
                    },
                    renderer: Arc::clone(renderer),
                    warnings: diagnostics,
                },
                failures,
                rendered,
            })
        }
        _ => Err(BuildError::Invalid(diagnostics)),
    }
}

/// What became of one record in `stream_site`.
#[derive(Default)]
struct RecordOutcome {
    /// Its listing and figures, when it is sound and was rendered.
    listed: Option<(Arc<VendorEntry>, VendorFigures)>,
    diagnostics: Vec<Diagnostic>,
    failures: Vec<PageFailure>,
    rendered: usize,
    /// The whole record, for the cache of `serve`.
    record: Option<(PathBuf, CachedRecord)>,
    /// Whether to make its JSON too (not when only checking).
    exports: bool,
}

impl RecordOutcome {
    /// Renders the record's page and JSON from `site`, a site of that record alone.
    fn render_own_pages(
        &mut self,
        site: &Site,
        renderer: &Renderer,
        output: &(dyn Fn(PathBuf, String) + Sync),
    ) {
        for page in [Page::Vendor(0), Page::ApiVendor(0)] {
            // Checking looks for problems, and the machine-readable files cannot have any.
            if !self.exports && page.template().is_none() {
                continue;
            }
            let path = page.output_path(site);
            match renderer.render(site, &page) {
                Ok(text) => {
                    output(path, text);
                    self.rendered += 1;
                }
                Err(diagnostic) => self.failures.push(PageFailure {
                    diagnostic,
                    page: path,
                }),
            }
        }
    }
}

/// One vendor record, given as raw bytes, through every stage `build` runs it through (decoding,
/// parsing, validation, figures, rendering) to the HTML of its page, with no site on disk: the
/// entry point of the fuzzer (`fuzz/`), which must never see it panic.
pub fn render_record_page(
    renderer: &Renderer,
    config: &(SourceFile, SiteConfig),
    idps: &(SourceFile, IdpFile),
    bytes: &[u8],
    today: Date,
) -> Result<String, Diagnostics> {
    let fail = |diagnostic: Diagnostic| Diagnostics::from_iter([diagnostic]);
    let source =
        decode_source(PathBuf::from("data/vendors/fuzzed.yaml"), bytes.to_vec()).map_err(fail)?;
    let record = parse_yaml(&source).map_err(fail)?;
    let loaded = Loaded {
        config: Some(config.clone()),
        idps: Some(idps.clone()),
        vendors: vec![Arc::new(VendorEntry {
            slug: "fuzzed".to_owned(),
            path: source.path,
            // Not on disk: its problems are reported without positions.
            file: PathBuf::new(),
            record,
            listing_only: false,
        })],
        diagnostics: Diagnostics::new(),
    };
    let diagnostics = validate(&loaded, today);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let site = compute_site(
        Arc::new(config.1.clone()),
        Arc::new(idps.1.clone()),
        loaded.vendors,
        today,
    );
    renderer.render(&site, &Page::Vendor(0)).map_err(fail)
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    Session::once(options.clone()).build_all()
}

/// What a rebuild of `serve` did.
#[derive(Debug)]
pub enum Rebuilt {
    /// Every page, swapped in whole.
    All(BuildReport),
    /// Only the pages that the changed records appear on.
    Pages {
        /// Pages rendered, below the output.
        rendered: Vec<PathBuf>,
        /// Those of them whose bytes changed, and so were written.
        changed: Vec<PathBuf>,
        /// Vendor pages removed with their records.
        removed: Vec<String>,
        elapsed: Duration,
        warnings: Diagnostics,
    },
    /// Every page, because only stylesheets changed: browsers can swap the styles in place.
    Stylesheets(BuildReport),
}

impl Rebuilt {
    /// One line for the terminal of `serve`.
    pub fn summary(&self) -> String {
        match self {
            Rebuilt::All(report) => format!("rebuilt everything: {}", report.summary()),
            Rebuilt::Pages {
                rendered,
                changed,
                removed,
                elapsed,
                ..
            } => {
                let mut line = format!(
                    "rebuilt {} page{} ({} changed)",
                    rendered.len(),
                    if rendered.len() == 1 { "" } else { "s" },
                    changed.len()
                );
                let vendors: Vec<String> = rendered
                    .iter()
                    .filter(|p| p.starts_with("vendors"))
                    .map(|p| p.display().to_string())
                    .collect();
                if !vendors.is_empty() {
                    line.push_str(&format!(": {}", vendors.join(", ")));
                }
                if !removed.is_empty() {
                    line.push_str(&format!(
                        "; removed vendors/{}/",
                        removed.join("/, vendors/")
                    ));
                }
                line.push_str(&format!(" in {} ms", elapsed.as_millis()));
                line
            }
            Rebuilt::Stylesheets(report) => {
                format!("stylesheets changed: {}", report.summary())
            }
        }
    }

    /// The URL paths, below the site root, of the pages this rebuild changed or removed
    /// (`/vendors/x/` for `vendors/x/index.html`).
    pub fn changed_urls(&self) -> Vec<String> {
        let Rebuilt::Pages {
            changed, removed, ..
        } = self
        else {
            return Vec::new();
        };
        let pages = changed.iter().map(|path| {
            let path = path.to_string_lossy().replace('\\', "/");
            format!("/{}", path.strip_suffix("index.html").unwrap_or(&path))
        });
        let removed = removed.iter().map(|slug| format!("/vendors/{slug}/"));
        pages.chain(removed).collect()
    }

    pub fn warnings(&self) -> Option<&Diagnostics> {
        match self {
            Rebuilt::All(report) | Rebuilt::Stylesheets(report) => Some(&report.warnings),
            Rebuilt::Pages { warnings, .. } => Some(warnings),
        }
    }
}

/// A site kept in memory between builds, as `serve` keeps it: records are re-parsed only
/// when their file changed, templates only when a template changed, and a change to one record
/// re-renders that record's page and the pages that list every vendor, not the whole site.
pub struct Session {
    options: BuildOptions,
    cache: RecordCache,
    templates: Option<Arc<Renderer>>,
    /// The vendor slugs whose pages the output holds; `None` until a build succeeds.
    published: Option<BTreeSet<String>>,
    /// Changes not yet in the output (a failed rebuild keeps them for the next one).
    pending: Changes,
    /// Whether `cache` keeps whole records between builds (`serve`), or none (`build`, which
    /// needs them only once).
    keep_records: bool,
    /// The site of the last good build, so that an edit to a record renders from memory.
    last: Option<Prepared>,
    /// The pages that list vendors lag behind `last`: a record was edited since they were
    /// rendered (`refresh_lists` brings them up to date).
    lists_outdated: bool,
    /// The site the last full rebuild replaced, when its removal waits for
    /// `remove_replaced_site` (`serve` first tells browsers about the new one).
    replaced: Option<ReplacedSite>,
}

impl Session {
    /// A session that keeps the parsed records between builds, as `serve` does.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            keep_records: true,
            ..Session::once(options)
        }
    }

    /// A session for a single build, which keeps nothing it does not need.
    pub fn once(options: BuildOptions) -> Session {
        Session {
            keep_records: false,
            options,
            cache: RecordCache::default(),
            templates: None,
            published: None,
            pending: Changes::everything(),
            last: None,
            lists_outdated: false,
            replaced: None,
        }
    }

    /// Removes the site that the last full rebuild replaced, if it is still there. `serve`
    /// calls this once browsers know of the new site; otherwise the next full rebuild, or the
    /// end of the session, removes it.
    pub fn remove_replaced_site(&mut self) -> io::Result<()> {
        self.replaced.take().map_or(Ok(()), ReplacedSite::remove)
    }

    pub fn output_dir(&self) -> PathBuf {
        self.options.output_dir()
    }

    /// Brings the output up to date with `changes` (and any changes a failed rebuild left),
    /// doing as little as they allow. On failure the output stays as it was.
    pub fn rebuild(&mut self, changes: Changes) -> Result<Rebuilt, BuildError> {
        for path in &changes.records {
            self.cache.forget(path);
        }
        // Pages link to static files by a hash of their bytes, so a static change is a
        // change to every page, like a template's.
        if changes.everything || !changes.statics.is_empty() {
            self.templates = None;
        }
        self.pending.merge(changes);
        if self.pending.css_only() && self.published.is_some() && self.output_dir().is_dir() {
            return self.build_all().map(Rebuilt::Stylesheets);
        }
        // An output deleted under a running `serve` is rebuilt whole: writing single pages
        // into nothing would leave a partial site without its marker.
        if self.pending.everything
            || !self.pending.statics.is_empty()
            || self.published.is_none()
            || !self.output_dir().is_dir()
        {
            return self.build_all().map(Rebuilt::All);
        }
        match self.edited_records() {
            Some(edited) => self.rebuild_edited(edited),
            None => self.rebuild_pages(),
        }
    }

    /// When the pending changes are only edits to records the last good build had (no record
    /// created, removed or renamed), those records' indices in its site.
    fn edited_records(&self) -> Option<Vec<usize>> {
        let last = self.last.as_ref()?;
        let site = &last.site;
        if self.pending.records.is_empty() {
            return None;
        }
        self.pending
            .records
            .iter()
            .map(|path| {
                let slug = path.file_stem()?.to_str()?;
                let i = site
                    .vendors
                    .binary_search_by(|v| v.slug.as_str().cmp(slug))
                    .ok()?;
                let same_file = site.vendors[i].file == *path;
                (same_file && path.is_file()).then_some(i)
            })
            .collect()
    }

    /// Re-reads the edited records and rewrites their own pages, leaving the pages that list
    /// every vendor to `refresh_lists`: the edited page is served as soon as it is written,
    /// however many vendors the lists hold.
    fn rebuild_edited(&mut self, edited: Vec<usize>) -> Result<Rebuilt, BuildError> {
        let started = Instant::now();
        let Some(mut last) = self.last.take() else {
            return self.rebuild_pages();
        };
        let result = self.apply_edits(&mut last, &edited, started);
        self.last = Some(last);
        result
    }

    fn apply_edits(
        &mut self,
        last: &mut Prepared,
        edited: &[usize],
        started: Instant,
    ) -> Result<Rebuilt, BuildError> {
        let root = self.options.root.clone();
        let mut entries = Vec::new();
        let mut diagnostics = Diagnostics::new();
        for &i in edited {
            let slug = last.site.vendors[i].slug.clone();
            let path = last.site.vendors[i].file.clone();
            match self.cache.reload(&root, &slug, &path) {
                Ok(entry) => entries.push((i, entry)),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let rules = Rules {
            idps: Some(&last.site.idps),
            today: last.site.today,
            stale_after_days: last.site.config.stale_after_days,
        };
        for (_, entry) in &entries {
            diagnostics.extend(locate_in_record(entry, check_vendor(entry, &rules)));
        }
        // The other records' warnings still stand; the edited files' are replaced.
        let edited_files: BTreeSet<PathBuf> = edited
            .iter()
            .map(|&i| last.site.vendors[i].path.clone())
            .collect();
        let mut warnings: Diagnostics = last
            .warnings
            .iter()
            .filter(|d| !edited_files.contains(&d.file))
            .cloned()
            .collect();
        if diagnostics.has_errors() {
            warnings.extend(diagnostics);
            warnings.sort();
            return Err(BuildError::Invalid(warnings));
        }
        for (i, entry) in entries {
            let site = &mut last.site;
            site.figures[i] = compute_vendor(&entry.record, &site.config.team_sizes, &site.idps);
            site.vendors[i] = entry;
        }
        let own_pages: Vec<Page> = edited
            .iter()
            .flat_map(|&i| [Page::Vendor(i), Page::ApiVendor(i)])
            .collect();
        let done = self.write_pages(last, &own_pages)?;
        warnings.extend(diagnostics.iter().cloned());
        warnings.sort();
        last.warnings = warnings;
        self.pending = Changes::default();
        self.lists_outdated = true;
        Ok(Rebuilt::Pages {
            changed: changed_pages(&done),
            rendered: done.into_iter().map(|(path, _)| path).collect(),
            removed: Vec::new(),
            elapsed: started.elapsed(),
            warnings: diagnostics,
        })
    }

    /// Brings the pages that list vendors up to date after `rebuild` wrote only the edited
    /// records' own pages. `None` when they are up to date already.
    pub fn refresh_lists(&mut self) -> Result<Option<Rebuilt>, BuildError> {
        if !self.lists_outdated {
            return Ok(None);
        }
        let started = Instant::now();
        let Some(mut last) = self.last.take() else {
            return Ok(None);
        };
        let site = &mut last.site;
        site.summary = summarize(&site.vendors, &site.figures, &site.idps);
        let lists: Vec<Page> = pages(&last.site)
            .into_iter()
            .filter(|page| page.single_vendor().is_none())
            .collect();
        let result = self.write_pages(&last, &lists);
        self.last = Some(last);
        let done = result?;
        self.lists_outdated = false;
        Ok(Some(Rebuilt::Pages {
            changed: changed_pages(&done),
            rendered: done.into_iter().map(|(path, _)| path).collect(),
            removed: Vec::new(),
            elapsed: started.elapsed(),
            warnings: Diagnostics::new(),
        }))
    }

    /// Renders `pages` and writes those whose bytes changed into the live output, one atomic
    /// rename each. Returns each page's path and whether it was written.
    fn write_pages(
        &self,
        prepared: &Prepared,
        pages: &[Page],
    ) -> Result<Vec<(PathBuf, bool)>, BuildError> {
        let output = self.output_dir();
        let _lock = self.lock_output()?;
        let rendered: Vec<Result<(PathBuf, bool), PageError>> = pages
            .par_iter()
            .map(|page| {
                let (html, path) = render_page(prepared, page).map_err(PageError::Render)?;
                replace_file(&output, &path, html.as_bytes())
                    .map(|written| (path.clone(), written))
                    .map_err(|err| PageError::Write(path, err))
            })
            .collect();
        let (done, failures): (Vec<_>, Vec<_>) = rendered.into_iter().partition(Result::is_ok);
        page_errors(prepared.warnings.clone(), &output, failures)?;
        Ok(done.into_iter().filter_map(Result::ok).collect())
    }

    /// Renders every page into a staging folder and swaps it in for the output.
    pub fn build_all(&mut self) -> Result<BuildReport, BuildError> {
        let started = Instant::now();
        let output = self.output_dir();
        refuse_unsafe_output(&self.options.root, &output)?;
        if self.options.root.is_dir() {
            refuse_foreign_output(&output, self.options.force)?;
        }
        refuse_bad_options(&self.options)?;
        // The output is opened (locked, a staging folder made beside it) when the first page
        // is ready, and a failure to open it is reported only if the inputs are sound: a
        // mistake in a record is the problem to show first, as it is what the user can fix.
        let opened: OnceLock<Result<OpenOutput, BuildError>> = OnceLock::new();
        let wait_for_lock = self.options.wait_for_lock;
        let open = || OpenOutput::open(&output, wait_for_lock);
        let write = |path: PathBuf, text: String| {
            if let Ok(open) = opened.get_or_init(open) {
                open.writer.write(path, text.into_bytes());
            }
        };
        let streamed = stream_site(
            &self.options,
            &mut self.cache,
            self.keep_records,
            self.templates.clone(),
            Some(&write),
        )?;
        let prepared = streamed.prepared;
        refuse_static_clashes(&prepared)?;
        opened.get_or_init(open);
        // Bindings drop in reverse: the writer stops, then the staging folder goes, then the lock.
        let OpenOutput {
            lock: _lock,
            staging,
            writer,
        } = opened.into_inner().unwrap_or_else(open)?;
        let lists = list_pages(&prepared.site);
        let mut outcomes: Vec<Result<(), PageError>> = streamed
            .failures
            .into_iter()
            .map(|failure| Err(PageError::Render(Box::new(failure))))
            .collect();
        outcomes.par_extend(lists.par_iter().filter_map(|page| {
            if *page == Page::ApiVendors {
                let path = page.output_path(&prepared.site);
                let streamed = writer.stream(&path, |out| {
                    crate::export::write_all_vendors(&prepared.site, out)
                });
                return streamed.err().map(|err| Err(PageError::Write(path, err)));
            }
            match render_page(&prepared, page) {
                Ok((html, path)) => {
                    writer.write(path, html.into_bytes());
                    None
                }
                Err(failure) => Some(Err(PageError::Render(failure))),
            }
        }));
        if let Err((path, err)) = writer.finish() {
            outcomes.push(Err(PageError::Write(path, err)));
        }
        page_errors(prepared.warnings.clone(), &output, outcomes)?;
        staging
            .write_file(Path::new(SITE_MARKER), SITE_MARKER_TEXT.as_bytes())
            .map_err(BuildError::io(format!(
                "cannot write {}",
                output.join(SITE_MARKER).display()
            )))?;
        let static_files = prepared
            .renderer
            .assets
            .write_to(staging.path())
            .map_err(BuildError::io("cannot write static files"))?;
        let replaced = staging.commit().map_err(BuildError::io(format!(
            "cannot put the new site in place at {}",
            output.display()
        )))?;
        if self.keep_records {
            // `serve`: removed once browsers have been told of the new site.
            self.replaced = Some(replaced);
        } else {
            replaced.remove().map_err(BuildError::io(format!(
                "the new site is in place at {}, but the previous one, moved beside it, \
                 could not be removed",
                output.display()
            )))?;
        }
        let pages = streamed.rendered + lists.len();
        let report = BuildReport {
            records: prepared.site.vendors.len(),
            pages,
            // The marker is a file written too.
            files: pages + static_files + 1,
            elapsed: started.elapsed(),
            warnings: prepared.warnings.clone(),
        };
        self.after_success(prepared);
        Ok(report)
    }

    /// The output's lock, or a clear refusal when another build holds it.
    fn lock_output(&self) -> Result<OutputLock, BuildError> {
        lock_output(&self.output_dir(), self.options.wait_for_lock)
    }

    /// Re-renders the pages of the changed records and every page that lists vendors, and
    /// writes those whose bytes changed into the live output, one atomic rename each.
    fn rebuild_pages(&mut self) -> Result<Rebuilt, BuildError> {
        let started = Instant::now();
        let output = self.output_dir();
        let prepared = prepare_with(&self.options, &mut self.cache, self.templates.clone())?;
        let changed_slugs: BTreeSet<String> = self
            .pending
            .records
            .iter()
            .filter_map(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        let site = &prepared.site;
        let affected: Vec<Page> = pages(site)
            .into_iter()
            .filter(|page| {
                page.single_vendor()
                    .is_none_or(|i| changed_slugs.contains(&site.vendors[i].slug))
            })
            .collect();
        let done = self.write_pages(&prepared, &affected)?;
        let current: BTreeSet<String> = site.vendors.iter().map(|v| v.slug.clone()).collect();
        let removed: Vec<String> = self
            .published
            .as_ref()
            .map(|before| before.difference(&current).cloned().collect())
            .unwrap_or_default();
        for slug in &removed {
            let folder = output.join("vendors").join(slug);
            std::fs::remove_dir_all(&folder)
                .or_else(|err| match err.kind() {
                    io::ErrorKind::NotFound => Ok(()),
                    _ => Err(err),
                })
                .map_err(BuildError::io(format!(
                    "cannot remove {}",
                    folder.display()
                )))?;
        }
        let warnings = prepared.warnings.clone();
        self.after_success(prepared);
        Ok(Rebuilt::Pages {
            changed: changed_pages(&done),
            rendered: done.into_iter().map(|(path, _)| path).collect(),
            removed,
            elapsed: started.elapsed(),
            warnings,
        })
    }

    fn after_success(&mut self, prepared: Prepared) {
        self.templates = Some(Arc::clone(&prepared.renderer));
        self.published = Some(
            prepared
                .site
                .vendors
                .iter()
                .map(|v| v.slug.clone())
                .collect(),
        );
        self.pending = Changes::default();
        self.lists_outdated = false;
        self.last = Some(prepared);
    }
}

fn changed_pages(done: &[(PathBuf, bool)]) -> Vec<PathBuf> {
    done.iter()
        .filter(|(_, written)| *written)
        .map(|(path, _)| path.clone())
        .collect()
}

/// The lock of `output`, or a clear refusal when another build holds it.
fn lock_output(output: &Path, wait: bool) -> Result<OutputLock, BuildError> {
    let lock = OutputLock::acquire(output, wait).map_err(BuildError::io(format!(
        "cannot create the lock file {}",
        OutputLock::path_for(output).display()
    )))?;
    lock.ok_or_else(|| {
        BuildError::Busy(format!(
            "another build is writing {} right now (it holds {}): try again when it has \
             finished",
            output.display(),
            OutputLock::path_for(output).display()
        ))
    })
}

/// An output being written: locked, with a staging folder beside it and a thread writing
/// into that folder. Dropped, it stops the writer first, then removes the staging folder,
/// then releases the lock (fields drop in this order).
struct OpenOutput {
    writer: FileWriter,
    staging: Staging,
    lock: OutputLock,
}

impl OpenOutput {
    fn open(output: &Path, wait_for_lock: bool) -> Result<OpenOutput, BuildError> {
        let lock = lock_output(output, wait_for_lock)?;
        let staging = Staging::new(output).map_err(BuildError::io(format!(
            "cannot create a staging folder beside {}",
            output.display()
        )))?;
        Ok(OpenOutput {
            writer: FileWriter::spawn(staging.path()),
            staging,
            lock,
        })
    }
}

/// Why one page did not make it into the output.
enum PageError {
    /// A template problem (the input's fault: exit code 1).
    Render(Box<PageFailure>),
    /// The disk's fault (full, read-only...: exit code 2).
    Write(PathBuf, io::Error),
}

/// Fails with every template problem when there are any, or else with the first write error.
fn page_errors<T>(
    warnings: Diagnostics,
    output: &Path,
    outcomes: Vec<Result<T, PageError>>,
) -> Result<(), BuildError> {
    let mut failures = Vec::new();
    let mut write_error = None;
    for outcome in outcomes {
        match outcome {
            Ok(_) => {}
            Err(PageError::Render(failure)) => failures.push(*failure),
            Err(PageError::Write(page, err)) => {
                write_error.get_or_insert((page, err));
            }
        }
    }
    if !failures.is_empty() {
        return Err(render_failures(warnings, failures));
    }
    match write_error {
        Some((page, source)) => Err(BuildError::Io {
            context: format!("cannot write {}", output.join(page).display()),
            source,
        }),
        None => Ok(()),
    }
}

/// A page that could not be rendered.
struct PageFailure {
    diagnostic: Diagnostic,
    page: PathBuf,
}

fn render_page(prepared: &Prepared, page: &Page) -> Result<(String, PathBuf), Box<PageFailure>> {
    let path = page.output_path(&prepared.site);
    match prepared.renderer.render(&prepared.site, page) {
        Ok(html) => Ok((html, path)),
        Err(diagnostic) => Err(Box::new(PageFailure {
            diagnostic,
            page: path,
        })),
    }
}

/// One diagnostic per distinct template problem, naming the first page it broke and how many
/// others: a template error breaks every vendor page alike, and a thousand identical lines
/// help no one.
fn render_failures(warnings: Diagnostics, failures: Vec<PageFailure>) -> BuildError {
    let mut groups: Vec<(Diagnostic, Vec<PathBuf>)> = Vec::new();
    for PageFailure { diagnostic, page } in failures {
        match groups.iter_mut().find(|(d, _)| *d == diagnostic) {
            Some((_, pages)) => pages.push(page),
            None => groups.push((diagnostic, vec![page])),
        }
    }
    let mut diagnostics = warnings;
    for (mut diagnostic, mut pages) in groups {
        pages.sort();
        let others = match pages.len() - 1 {
            0 => String::new(),
            1 => " and 1 other page".to_owned(),
            n => format!(" and {n} other pages"),
        };
        diagnostic.message = format!(
            "{} (while rendering {}{others})",
            diagnostic.message,
            pages[0].display()
        );
        diagnostics.push(diagnostic);
    }
    diagnostics.sort();
    BuildError::Invalid(diagnostics)
}

/// The output folder is replaced whole, so it must never be the site's own input. Paths are
/// compared once every symbolic link in them is followed: `--output link/data`, where `link`
/// leads to the root, is the root's `data/`.
fn refuse_unsafe_output(root: &Path, output: &Path) -> Result<(), BuildError> {
    let root = resolve(root);
    let resolved = resolve(output);
    if root.starts_with(&resolved) {
        return Err(BuildError::Usage(format!(
            "refusing to write the site to {}: it contains the site's own files (choose a \
             folder such as {}/site)",
            output.display(),
            root.display()
        )));
    }
    for input in ["data", "templates", "static"] {
        if resolved.starts_with(root.join(input)) {
            return Err(BuildError::Usage(format!(
                "refusing to write the site to {}: it is inside the input folder {input}/",
                output.display()
            )));
        }
    }
    Ok(())
}

/// A build deletes whatever the output held, so it only replaces a folder that an earlier build
/// wrote (it has the marker file) or an empty one, unless told to with `--force`; and never a
/// file, which no site could be.
fn refuse_foreign_output(output: &Path, force: bool) -> Result<(), BuildError> {
    let metadata = match std::fs::metadata(output) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => {
            return Err(BuildError::io(format!(
                "cannot look at {}",
                output.display()
            ))(err));
        }
    };
    if !metadata.is_dir() {
        return Err(BuildError::Usage(format!(
            "refusing to write the site to {}: it is a file, not a folder (remove it or choose \
             another --output)",
            output.display()
        )));
    }
    let empty = is_empty_folder(output)
        .map_err(BuildError::io(format!("cannot list {}", output.display())))?;
    if empty || is_previous_site(output) || force {
        return Ok(());
    }
    Err(BuildError::Usage(format!(
        "refusing to replace {}: it is a folder with files in it that no scimfacts build wrote \
         (it has no {SITE_MARKER} file), and a build replaces the whole folder. Choose another \
         --output, or pass --force to replace it",
        output.display()
    )))
}

/// A file of `static/` that would take the place of a page (or of a folder pages go in) is a
/// mistake: one of the two would be lost.
fn refuse_static_clashes(prepared: &Prepared) -> Result<(), BuildError> {
    let statics: Vec<PathBuf> = prepared
        .renderer
        .assets
        .names()
        .map(PathBuf::from)
        .collect();
    let mut generated: Vec<PathBuf> = pages(&prepared.site)
        .iter()
        .map(|page| page.output_path(&prepared.site))
        .collect();
    generated.push(PathBuf::from(SITE_MARKER));
    let mut diagnostics = Diagnostics::new();
    for file in statics {
        if let Some(page) = generated.iter().find(|page| page.starts_with(&file)) {
            let what = if *page == file {
                "a file the build writes".to_owned()
            } else {
                format!("the folder of {}", page.display())
            };
            diagnostics.push(Diagnostic::error(
                Path::new(crate::assets::STATIC_DIR).join(&file),
                format!("would take the place of {what}: rename or remove it"),
            ));
        }
    }
    if diagnostics.is_empty() {
        return Ok(());
    }
    let mut all = prepared.warnings.clone();
    all.extend(diagnostics);
    all.sort();
    Err(BuildError::Invalid(all))
}

/// `path` made absolute, with every symbolic link of its existing part followed and `.` and
/// `..` taken as the system takes them (the output may not exist yet).
fn resolve(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut resolved = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            // `resolved` has no links in it, so its parent is the real parent.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
            other => resolved.push(other),
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages that list vendors are rendered from listings in a build and from whole records
    /// in `serve` (after a record is created or removed): both must give the same pages, so a
    /// listing must keep everything those pages show. Checked on a site of every kind of
    /// record the generator makes, and on the test fixture.
    #[test]
    fn listings_render_the_same_list_pages_as_whole_records() {
        let generated = tempfile::tempdir().unwrap();
        crate::synthetic::generate(60, generated.path(), 7).unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
        for root in [generated.path(), fixture.as_path()] {
            let options = BuildOptions::new(root);
            let whole = prepare(&options).unwrap_or_else(|e| panic!("{e}"));
            let listed = stream_site(&options, &mut RecordCache::default(), false, None, None)
                .unwrap_or_else(|e| panic!("{e}"))
                .prepared;
            assert!(listed.site.vendors.iter().all(|v| v.listing_only));
            let lists = list_pages(&whole.site);
            assert_eq!(lists, list_pages(&listed.site));
            for page in &lists {
                let from_whole = whole.renderer.render(&whole.site, page).unwrap();
                let from_listing = listed.renderer.render(&listed.site, page).unwrap();
                assert!(from_whole == from_listing, "{page:?} differs");
            }
            // A build streams the whole-site JSON to its file; serve renders it in memory.
            let mut streamed = Vec::new();
            crate::export::write_all_vendors(&listed.site, &mut streamed).unwrap();
            let rendered = whole
                .renderer
                .render(&whole.site, &Page::ApiVendors)
                .unwrap();
            assert!(streamed == rendered.as_bytes());
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_input_folder_reached_through_a_link_is_still_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("facts");
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::os::unix::fs::symlink(&root, tmp.path().join("link")).unwrap();
        let through_link = tmp.path().join("link/data");
        assert!(refuse_unsafe_output(&root, &through_link).is_err());
        assert!(refuse_unsafe_output(&root, &tmp.path().join("link/x/../data/y")).is_err());
        assert!(refuse_unsafe_output(&root, &tmp.path().join("link/site")).is_ok());
    }

    #[test]
    fn only_an_earlier_site_or_an_empty_folder_is_replaced_without_force() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp.path().join("out");
        assert!(refuse_foreign_output(&folder, false).is_ok(), "missing");
        std::fs::create_dir(&folder).unwrap();
        assert!(refuse_foreign_output(&folder, false).is_ok(), "empty");
        std::fs::write(folder.join("notes.txt"), "mine").unwrap();
        assert!(
            refuse_foreign_output(&folder, false).is_err(),
            "someone's folder"
        );
        assert!(refuse_foreign_output(&folder, true).is_ok(), "--force");
        std::fs::write(folder.join(SITE_MARKER), SITE_MARKER_TEXT).unwrap();
        assert!(
            refuse_foreign_output(&folder, false).is_ok(),
            "an earlier site"
        );
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(
            refuse_foreign_output(&file, true).is_err(),
            "a file, even with --force"
        );
    }

    #[test]
    fn the_output_may_not_hold_or_sit_inside_the_input() {
        let root = Path::new("/srv/facts");
        for bad in [
            "/srv/facts",
            "/srv",
            "/",
            "/srv/facts/data/out",
            "/srv/facts/static",
            "/srv/facts/site/../templates",
        ] {
            assert!(
                refuse_unsafe_output(root, Path::new(bad)).is_err(),
                "{bad} must be refused"
            );
        }
        for good in ["/srv/facts/site", "/srv/out", "/srv/facts/public/site"] {
            assert!(
                refuse_unsafe_output(root, Path::new(good)).is_ok(),
                "{good}"
            );
        }
    }
}
