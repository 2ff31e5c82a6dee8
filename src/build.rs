//! The whole pipeline for the CLI: load → validate → compute → render → write.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::compute::{Site, compute_site};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{RecordCache, load_site_cached};
use crate::model::Date;
use crate::render::{Page, Renderer, pages};
use crate::validate::validate;
use crate::watch::Changes;
use crate::write::{Staging, replace_file};

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
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            today: Date::today(),
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
            BuildError::Usage(_) | BuildError::Io { .. } => 2,
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
    let (root, today) = (options.root.as_path(), options.today);
    if let Some(url) = &options.base_url
        && !crate::validate::is_http_url(url)
    {
        return Err(BuildError::Usage(format!(
            "--base-url \"{url}\" is not an http(s) URL: expected e.g. https://example.org/scim/"
        )));
    }
    let (loaded, renderer) = rayon::join(
        || load_site_cached(root, cache),
        || match templates {
            Some(renderer) => Ok(renderer),
            None => Renderer::new(root).map(Arc::new),
        },
    );
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(validate(&loaded, today));
    diagnostics.extend(loaded.diagnostics);
    let renderer = renderer
        .map_err(|problems| diagnostics.extend(problems))
        .ok();
    diagnostics.sort();
    match (loaded.config, loaded.idps, renderer) {
        (Some((_, mut config)), Some((_, idps)), Some(renderer)) if !diagnostics.has_errors() => {
            if let Some(url) = &options.base_url {
                config.base_url = url.clone();
            }
            Ok(Prepared {
                site: compute_site(config, idps, loaded.vendors, today),
                renderer,
                warnings: diagnostics,
            })
        }
        _ => Err(BuildError::Invalid(diagnostics)),
    }
}

/// Everything `build` does except writing: every page is rendered, so template errors are
/// found too. Returns the warnings.
pub fn check(options: &BuildOptions) -> Result<Diagnostics, BuildError> {
    let prepared = prepare(options)?;
    let failures: Vec<PageFailure> = pages(&prepared.site)
        .par_iter()
        .filter_map(|page| render_page(&prepared, page).err().map(|f| *f))
        .collect();
    if failures.is_empty() {
        Ok(prepared.warnings)
    } else {
        Err(render_failures(prepared.warnings, failures))
    }
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    Session::new(options.clone()).build_all()
}

/// What a rebuild of `serve` did.
#[derive(Debug)]
pub enum Rebuilt {
    /// Every page, swapped in whole.
    All(BuildReport),
    /// Only the pages that the changed records appear on.
    Pages {
        /// Pages rendered; those whose bytes changed were written.
        rendered: Vec<PathBuf>,
        written: usize,
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
                written,
                removed,
                elapsed,
                ..
            } => {
                let mut line = format!(
                    "rebuilt {} page{} ({written} changed)",
                    rendered.len(),
                    if rendered.len() == 1 { "" } else { "s" }
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
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            cache: RecordCache::default(),
            templates: None,
            published: None,
            pending: Changes::everything(),
        }
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
        if self.pending.css_only() && self.published.is_some() {
            return self.build_all().map(Rebuilt::Stylesheets);
        }
        if self.pending.everything || !self.pending.statics.is_empty() || self.published.is_none() {
            return self.build_all().map(Rebuilt::All);
        }
        self.rebuild_pages()
    }

    /// Renders every page into a staging folder and swaps it in for the output.
    pub fn build_all(&mut self) -> Result<BuildReport, BuildError> {
        let started = Instant::now();
        let output = self.output_dir();
        refuse_unsafe_output(&self.options.root, &output)?;
        let prepared = prepare_with(&self.options, &mut self.cache, self.templates.clone())?;
        let staging = Staging::new(&output).map_err(BuildError::io(format!(
            "cannot create a staging folder beside {}",
            output.display()
        )))?;
        let all_pages = pages(&prepared.site);
        let failures: Vec<PageFailure> = all_pages
            .par_iter()
            .filter_map(|page| {
                let (html, path) = match render_page(&prepared, page) {
                    Ok(rendered) => rendered,
                    Err(failure) => return Some(*failure),
                };
                let written = staging.write_file(&path, html.as_bytes());
                written.err().map(|err| write_failure(&output, path, &err))
            })
            .collect();
        if !failures.is_empty() {
            return Err(render_failures(prepared.warnings, failures));
        }
        let static_files = prepared
            .renderer
            .assets
            .write_to(staging.path())
            .map_err(BuildError::io("cannot write static files"))?;
        staging.commit().map_err(BuildError::io(format!(
            "cannot put the new site in place at {}",
            output.display()
        )))?;
        self.after_success(&prepared);
        Ok(BuildReport {
            records: prepared.site.vendors.len(),
            pages: all_pages.len(),
            files: all_pages.len() + static_files,
            elapsed: started.elapsed(),
            warnings: prepared.warnings,
        })
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
        let rendered: Vec<Result<(PathBuf, bool), Box<PageFailure>>> = affected
            .par_iter()
            .map(|page| {
                let (html, path) = render_page(&prepared, page)?;
                replace_file(&output, &path, html.as_bytes())
                    .map(|written| (path.clone(), written))
                    .map_err(|err| Box::new(write_failure(&output, path, &err)))
            })
            .collect();
        let (done, failures): (Vec<_>, Vec<_>) = rendered.into_iter().partition(Result::is_ok);
        if !failures.is_empty() {
            let failures = failures
                .into_iter()
                .filter_map(|f| f.err().map(|f| *f))
                .collect();
            return Err(render_failures(prepared.warnings, failures));
        }
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
        self.after_success(&prepared);
        let done: Vec<(PathBuf, bool)> = done.into_iter().filter_map(Result::ok).collect();
        Ok(Rebuilt::Pages {
            written: done.iter().filter(|(_, written)| *written).count(),
            rendered: done.into_iter().map(|(path, _)| path).collect(),
            removed,
            elapsed: started.elapsed(),
            warnings: prepared.warnings,
        })
    }

    fn after_success(&mut self, prepared: &Prepared) {
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
    }
}

fn write_failure(output: &Path, page: PathBuf, err: &io::Error) -> PageFailure {
    PageFailure {
        diagnostic: Diagnostic::error(output.join(&page), format!("cannot write the page: {err}")),
        page,
    }
}

/// A page that could not be rendered or written.
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

/// The output folder is replaced whole, so it must never be the site's own input.
fn refuse_unsafe_output(root: &Path, output: &Path) -> Result<(), BuildError> {
    let root = absolute(root);
    let output = absolute(output);
    if root.starts_with(&output) {
        return Err(BuildError::Usage(format!(
            "refusing to write the site to {}: it contains the site's own files (choose a \
             folder such as {}/site)",
            output.display(),
            root.display()
        )));
    }
    for input in ["data", "templates", "static"] {
        if output.starts_with(root.join(input)) {
            return Err(BuildError::Usage(format!(
                "refusing to write the site to {}: it is inside the input folder {input}/",
                output.display()
            )));
        }
    }
    Ok(())
}

/// `path` made absolute and free of `.` and `..` without touching the file system (the output
/// may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

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
