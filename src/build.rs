//! The pipeline: load → validate → compute → render → write, one function for `build`,
//! `check` and `serve`, which differ only in where the pages go (a [`Destination`]).
//!
//! Records stream through it: each is read, checked and computed, and its own pages are
//! rendered while the whole record is at hand; of each record only its [`VendorRow`] stays,
//! which is all the pages that list vendors need.
//!
//! [`VendorRow`]: crate::compute::VendorRow

mod history;
mod one_record;
mod options;
pub(crate) mod stages;

use std::sync::Arc;
use std::time::Instant;

pub use self::one_record::render_record_page;
pub use self::options::{BuildOptions, BuildReport, OUTPUT_DIR};
use crate::compute::Site;
use crate::diagnostic::Diagnostics;
pub use crate::error::BuildError;
use crate::load::{CommittedHistory, RecordCache};
use crate::render::Renderer;
use crate::validate::rules_of;
use crate::write::{Destination, Nowhere, Staged, refuse_foreign_output, refuse_unsafe_output};

/// A site that went through the whole pipeline.
pub struct Built {
    /// The site as the pages that list vendors saw it.
    pub site: Site,
    /// The templates it was rendered with.
    pub renderer: Arc<Renderer>,
    /// Problems that did not stop it.
    pub warnings: Diagnostics,
    /// How many pages were handed to the destination.
    pub pages: usize,
}

/// Builds the site into its output folder, which the new site replaces whole, or not at all.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let output = guard_output(options)?;
    let staged = Staged::new(&output, options.wait_for_lock);
    let built = run(options, Kept::default(), &staged)?;
    options
        .progress
        .stage("writing static files, putting the site in place", None);
    let committed = staged.commit(&built.renderer.assets)?;
    // 100,000 files of the previous site take seconds to remove.
    options.progress.stage("removing the previous site", None);
    committed.replaced.remove().map_err(BuildError::io(format!(
        "the new site is in place at {}, but the previous one, moved beside it, could not be \
         removed",
        output.display()
    )))?;
    Ok(built.report(started, committed.other_files))
}

/// Everything `build` does except writing: every page that has a template is rendered, so
/// template errors are found too. Returns the warnings.
pub fn check(options: &BuildOptions) -> Result<Diagnostics, BuildError> {
    run(options, Kept::default(), &Nowhere).map(|built| built.warnings)
}

/// What a run may take from the one before instead of reading it again (`serve` keeps them).
#[derive(Default)]
pub struct Kept<'a> {
    /// The records already parsed; left holding every record the run read.
    pub records: Option<&'a mut RecordCache>,
    /// The previous run's templates, when they are known not to have changed.
    pub templates: Option<Arc<Renderer>>,
    /// The repository's history, when HEAD has not moved since it was read.
    pub history: Option<Arc<CommittedHistory>>,
}

/// Runs the pipeline, handing every page to `to`, and fails with every problem found.
pub fn run(
    options: &BuildOptions,
    kept: Kept<'_>,
    to: &dyn Destination,
) -> Result<Built, BuildError> {
    stages::refuse_bad_options(options)?;
    let progress = &options.progress;
    progress.stage("reading settings and templates", None);
    let inputs = stages::load_inputs(options, kept.templates, kept.history);
    let shared = inputs.shared(options);
    let rules = rules_of(&inputs.settings, options.today);
    progress.stage("checking and rendering records", Some(inputs.files.len()));
    let records = kept.records;
    let outcomes = stages::each_record(&options.root, inputs.files, records, progress, |entry| {
        stages::record_stage(entry, &rules, shared.as_ref(), to)
    });
    let (mut warnings, mut failures, mut rows, mut pages) = (inputs.diagnostics, vec![], vec![], 0);
    for outcome in outcomes {
        warnings.extend(outcome.diagnostics);
        failures.extend(outcome.failures);
        rows.extend(outcome.row);
        pages += outcome.rendered;
    }
    warnings.sort();
    let Some(shared) = shared.filter(|_| !warnings.has_errors()) else {
        return Err(BuildError::Invalid(warnings));
    };
    let site = Site::new(shared.facts, rows);
    stages::refuse_static_clashes(&site, &shared.renderer, &warnings)?;
    let lists = stages::render_lists(&site, &shared.renderer, to, progress);
    failures.extend(lists.failures);
    if !failures.is_empty() {
        return Err(stages::render_failures(warnings, failures));
    }
    to.publish();
    Ok(Built {
        site,
        renderer: shared.renderer,
        warnings,
        pages: pages + lists.rendered,
    })
}

/// The output folder, once it is known to be safe to replace.
pub fn guard_output(options: &BuildOptions) -> Result<std::path::PathBuf, BuildError> {
    let output = options.output_dir();
    refuse_unsafe_output(&options.root, &output)?;
    if options.root.is_dir() {
        refuse_foreign_output(&output, options.force)?;
    }
    Ok(output)
}

impl Built {
    /// What the build did, `other_files` being the files written besides the pages.
    pub fn report(&self, started: Instant, other_files: usize) -> BuildReport {
        BuildReport {
            records: self.site.vendors.len(),
            pages: self.pages,
            files: self.pages + other_files,
            elapsed: started.elapsed(),
            warnings: self.warnings.clone(),
        }
    }
}
