//! The whole pipeline for the CLI: load → validate → compute → render → write.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::compute::{Site, compute_site};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::load_site;
use crate::model::Date;
use crate::render::{Page, Renderer, pages};
use crate::validate::validate;
use crate::write::{Staging, copy_static};

/// The default output folder, relative to the site root.
pub const OUTPUT_DIR: &str = "site";

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where the site goes; `root/site` when `None`.
    pub output: Option<PathBuf>,
    /// The day stale badges and "not in the future" checks are measured from.
    pub today: Date,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
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
    pub renderer: Renderer,
    pub warnings: Diagnostics,
}

/// Loads, validates and computes everything; fails with every problem found.
pub fn prepare(root: &Path, today: Date) -> Result<Prepared, BuildError> {
    let (loaded, renderer) = rayon::join(|| load_site(root), || Renderer::new(root));
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(validate(&loaded, today));
    diagnostics.extend(loaded.diagnostics);
    let renderer = renderer
        .map_err(|problems| diagnostics.extend(problems))
        .ok();
    diagnostics.sort();
    match (loaded.config, loaded.idps, renderer) {
        (Some((_, config)), Some((_, idps)), Some(renderer)) if !diagnostics.has_errors() => {
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
pub fn check(root: &Path, today: Date) -> Result<Diagnostics, BuildError> {
    let prepared = prepare(root, today)?;
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
    let started = Instant::now();
    let output = options.output_dir();
    refuse_unsafe_output(&options.root, &output)?;
    let prepared = prepare(&options.root, options.today)?;
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
            written.err().map(|err| PageFailure {
                diagnostic: Diagnostic::error(
                    output.join(&path),
                    format!("cannot write the page: {err}"),
                ),
                page: path,
            })
        })
        .collect();
    if !failures.is_empty() {
        return Err(render_failures(prepared.warnings, failures));
    }
    let static_files =
        copy_static(&options.root, &staging).map_err(BuildError::io("cannot copy static files"))?;
    staging.commit().map_err(BuildError::io(format!(
        "cannot put the new site in place at {}",
        output.display()
    )))?;
    Ok(BuildReport {
        records: prepared.site.vendors.len(),
        pages: all_pages.len(),
        files: all_pages.len() + static_files,
        elapsed: started.elapsed(),
        warnings: prepared.warnings,
    })
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
