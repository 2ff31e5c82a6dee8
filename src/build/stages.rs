//! The stages the pipeline runs, each usable alone: `serve` re-runs a record's stages when it
//! is saved, and the list stage when the lists fall behind.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::BuildOptions;
use super::history::{committed_history, record_history};
use crate::compute::{ComputedVendor, Site, SiteFacts, VendorRow};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::BuildError;
use crate::load::{
    CachedRecord, CommittedHistory, Loaded, RecordCache, VendorEntry, folder_in_repository,
    list_vendor_files, load_settings,
};
use crate::model::SiteConfig;
use crate::page::{ListPage, VendorPage, list_files, list_pages};
use crate::progress::ProgressHook;
use crate::render::Renderer;
use crate::validate::{
    Rules, check_disagreements, check_vendor, locate_in_record, validate_settings,
};
use crate::write::{Destination, SITE_MARKER};

/// The site's settings, the list of its records and its templates, loaded and checked.
pub(crate) struct Inputs {
    pub(crate) settings: Loaded,
    /// Each record's slug and file, sorted by slug.
    pub(crate) files: Vec<(String, PathBuf)>,
    pub(crate) renderer: Option<Arc<Renderer>>,
    /// The problems of the settings, the listing and the templates.
    pub(crate) diagnostics: Diagnostics,
    /// The root's folder inside its git repository, for links to records (`SiteFacts`).
    pub(crate) repository_folder: String,
    /// The repository's history, when the site shows it.
    pub(crate) history: Option<Arc<CommittedHistory>>,
}

/// What every record's pages need: the site's facts and its templates.
pub(crate) struct Shared {
    pub(crate) facts: SiteFacts,
    pub(crate) renderer: Arc<Renderer>,
}

/// Loads the settings, lists the records and reads the templates (or takes `templates`, the
/// previous build's, when they are known to be current).
pub(crate) fn load_inputs(
    options: &BuildOptions,
    templates: Option<Arc<Renderer>>,
    kept_history: Option<Arc<CommittedHistory>>,
) -> Inputs {
    let root = options.root.as_path();
    let ((settings, (files, listing_problems)), renderer) = rayon::join(
        || (load_settings(root), list_vendor_files(root)),
        || match templates {
            Some(renderer) => {
                renderer.start_run();
                Ok(renderer)
            }
            None => Renderer::new(root).map(Arc::new),
        },
    );
    let mut diagnostics = validate_settings(&settings);
    diagnostics.extend(settings.diagnostics.iter().cloned());
    diagnostics.extend(listing_problems);
    let renderer = renderer
        .map_err(|problems| diagnostics.extend(problems))
        .ok();
    let repository_folder = match &settings.config {
        Some((_, config)) if config.repository.is_some() => folder_in_repository(root),
        _ => String::new(),
    };
    let wants_history =
        options.history || matches!(&settings.config, Some((_, config)) if config.history);
    let mut history_warnings = Vec::new();
    if wants_history {
        options
            .progress
            .stage("reading price history from git", None);
    }
    let history = wants_history
        .then(|| committed_history(root, kept_history, &mut history_warnings))
        .flatten();
    diagnostics.extend(history_warnings);
    Inputs {
        settings,
        files,
        renderer,
        diagnostics,
        repository_folder,
        history,
    }
}

impl Inputs {
    /// What every record's pages need, when the settings and templates are sound: records
    /// are only rendered then, but they are checked in any case, so that every problem is
    /// reported at once.
    pub(crate) fn shared(&self, options: &BuildOptions) -> Option<Shared> {
        let (Some((_, config)), Some((_, idps)), Some(renderer)) =
            (&self.settings.config, &self.settings.idps, &self.renderer)
        else {
            return None;
        };
        if self.diagnostics.has_errors() {
            return None;
        }
        Some(Shared {
            facts: SiteFacts {
                config: Arc::new(as_built(config.clone(), options)),
                idps: Arc::new(idps.clone()),
                today: options.today,
                vendor_count: self.files.len(),
                repository_folder: Arc::from(self.repository_folder.as_str()),
                history: self.history.clone(),
            },
            renderer: Arc::clone(renderer),
        })
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
pub(crate) fn refuse_bad_options(options: &BuildOptions) -> Result<(), BuildError> {
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
    if let Some(problem) = options
        .base_url
        .as_deref()
        .and_then(crate::validate::base_url_problem)
    {
        return Err(BuildError::Usage(format!("--base-url {problem}")));
    }
    Ok(())
}

/// What became of one record.
#[derive(Default)]
pub(crate) struct RecordOutcome {
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Its row for the lists, when it is sound and the site's settings are.
    pub(crate) row: Option<VendorRow>,
    /// Its own pages that could not be rendered.
    pub(crate) failures: Vec<PageFailure>,
    /// How many of its own pages were rendered and handed over.
    pub(crate) rendered: usize,
}

/// Every record of `files` through `stage`, in parallel, each read from `records` when it
/// holds the file as it is now. `records`, when given, is left holding every record read,
/// for `serve` to reuse; without it each record is dropped once its stages are done, so
/// memory grows with what the lists keep, not with whole records. `progress` hears of each
/// record done, read or not.
pub(crate) fn each_record(
    root: &Path,
    files: Vec<(String, PathBuf)>,
    records: Option<&mut RecordCache>,
    progress: &ProgressHook,
    stage: impl Fn(&Arc<VendorEntry>) -> RecordOutcome + Sync,
) -> Vec<RecordOutcome> {
    let mut unkept = RecordCache::default();
    let keep = records.is_some();
    let cache = records.unwrap_or(&mut unkept);
    let previous = cache.take();
    let results: Vec<(RecordOutcome, Option<(PathBuf, CachedRecord)>)> = files
        .into_par_iter()
        .map(|(slug, path)| {
            let record = previous.load(root, &slug, &path);
            let outcome = match &record.result {
                Ok(entry) => stage(entry),
                Err(diagnostic) => RecordOutcome {
                    diagnostics: vec![diagnostic.clone()],
                    ..RecordOutcome::default()
                },
            };
            progress.advance();
            (outcome, keep.then_some((path, record)))
        })
        .collect();
    drop(previous);
    let mut outcomes = Vec::with_capacity(results.len());
    for (outcome, kept) in results {
        if let Some((path, record)) = kept {
            cache.keep(path, record);
        }
        outcomes.push(outcome);
    }
    outcomes
}

/// One record through validate → compute → render: its problems, its row, and its own pages
/// handed to `to` (when `to` wants them). Nothing is rendered when the record has errors or
/// there is nothing `shared` to render with.
pub(crate) fn record_stage(
    entry: &Arc<VendorEntry>,
    rules: &Rules,
    shared: Option<&Shared>,
    to: &dyn Destination,
) -> RecordOutcome {
    let mut outcome = RecordOutcome {
        diagnostics: locate_in_record(entry, check_vendor(entry, rules)),
        ..RecordOutcome::default()
    };
    let sound = !outcome.diagnostics.iter().any(Diagnostic::is_error);
    let Some(shared) = shared.filter(|_| sound) else {
        return outcome;
    };
    let mut vendor = ComputedVendor::new(Arc::clone(entry), &shared.facts);
    if let Some(history) = &shared.facts.history {
        let of_record = record_history(entry, &vendor, history, rules, &shared.facts);
        vendor.history = Some(Arc::new(of_record));
    }
    if !vendor.disagreements.is_empty() {
        let warnings = check_disagreements(&vendor.disagreements);
        outcome
            .diagnostics
            .extend(locate_in_record(entry, warnings));
    }
    if to.wants_vendor(&entry.slug) {
        for page in VendorPage::ALL {
            // Checking looks for problems, and the machine-readable files cannot have any.
            if page.template().is_none() && !to.wants_data() {
                continue;
            }
            let path = page.output_path(&entry.slug);
            match shared.renderer.render_vendor(&shared.facts, &vendor, page) {
                Ok(text) => {
                    to.put(path, text);
                    outcome.rendered += 1;
                }
                Err(diagnostic) => outcome.failures.push(PageFailure {
                    diagnostic,
                    page: path,
                }),
            }
        }
    }
    outcome.row = Some(vendor.into_row());
    outcome
}

/// What rendering the lists came to.
pub(crate) struct ListsOutcome {
    pub(crate) failures: Vec<PageFailure>,
    pub(crate) rendered: usize,
}

/// Renders every page that lists vendors and hands each to `to`; the whole-site JSON is
/// streamed to it rather than held.
pub(crate) fn render_lists(
    site: &Site,
    renderer: &Renderer,
    to: &dyn Destination,
    progress: &ProgressHook,
) -> ListsOutcome {
    let pages: Vec<ListPage> = list_pages(&site.summary)
        .into_iter()
        .filter(|page| page.template().is_some() || to.wants_data())
        .collect();
    progress.stage("rendering list pages", Some(pages.len()));
    let failures: Vec<PageFailure> = pages
        .par_iter()
        .filter_map(|&page| {
            let failure = render_list(site, renderer, to, page);
            progress.advance();
            failure
        })
        .collect();
    ListsOutcome {
        rendered: pages.len() - failures.len(),
        failures,
    }
}

/// Renders one list page into `to`, or says why it could not be.
fn render_list(
    site: &Site,
    renderer: &Renderer,
    to: &dyn Destination,
    page: ListPage,
) -> Option<PageFailure> {
    let path = page.output_path(&site.summary);
    if page == ListPage::ApiVendors {
        to.put_streamed(path, &|out| crate::export::write_all_vendors(site, out));
        return None;
    }
    match renderer.render_list(site, page) {
        Ok(text) => {
            to.put(path, text);
            None
        }
        Err(diagnostic) => Some(PageFailure {
            diagnostic,
            page: path,
        }),
    }
}

/// A page that could not be rendered.
pub(crate) struct PageFailure {
    pub(crate) diagnostic: Diagnostic,
    /// Below the output folder.
    pub(crate) page: PathBuf,
}

/// One diagnostic per distinct template problem, naming the first page it broke and how many
/// others: a template error breaks every vendor page alike, and a thousand identical lines
/// help no one.
pub(crate) fn render_failures(warnings: Diagnostics, failures: Vec<PageFailure>) -> BuildError {
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

/// A file of `static/` that would take the place of a page (or of a folder pages go in) is a
/// mistake: one of the two would be lost.
pub(crate) fn refuse_static_clashes(
    site: &Site,
    renderer: &Renderer,
    warnings: &Diagnostics,
) -> Result<(), BuildError> {
    let mut generated = list_files(&site.summary);
    for vendor in &site.vendors {
        generated.extend(VendorPage::ALL.map(|page| page.output_path(&vendor.slug)));
    }
    generated.push(PathBuf::from(SITE_MARKER));
    let mut diagnostics = Diagnostics::new();
    for file in renderer.assets.names().map(PathBuf::from) {
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
    let mut all = warnings.clone();
    all.extend(diagnostics);
    all.sort();
    Err(BuildError::Invalid(all))
}
