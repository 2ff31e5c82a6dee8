//! Every output of the site, from computed vendors: HTML pages and feeds through Tera
//! templates, and the machine-readable files through `export`.
//!
//! The default templates are compiled into the binary, so a site without a `templates/`
//! folder still builds; a file in `templates/` replaces the default of the same name (or adds
//! a new one). Every page is rendered from a context built here (`vendor` for a vendor's own
//! page, `lists` for the pages that list vendors, both from the template values of `views`),
//! with figures from `compute` and Markdown from `markdown`; templates only lay them out.

mod charts;
mod corrections;
mod history;
mod limits;
mod lists;
mod pagination;
mod templates;
mod vendor;
mod verdict;
mod views;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tera::{Context, Kwargs, State, Tera};

use crate::assets::Assets;
use crate::compute::{ComputedVendor, Site, SiteFacts};
use crate::diagnostic::{Diagnostic, Position};
use crate::export;
use crate::page::{ListPage, VendorPage};

pub use corrections::{LinkValues, expand_link};
pub use limits::longest_render;
use limits::{RenderFailure, render_bounded};
pub use templates::TEMPLATES_DIR;
use templates::template_sources;
pub use views::script_json;

/// How many recently verified vendors the Atom feed lists.
pub const FEED_LENGTH: usize = 20;

/// The site's templates, ready to render any page, and the static files they link to.
pub struct Renderer {
    tera: Tera,
    /// Set when a page of this run ran out of time: the other pages then stop at once.
    out_of_time: AtomicBool,
    /// Template name → path to show in diagnostics.
    origins: HashMap<String, String>,
    /// The static files, which templates link to by `asset(path=...)`.
    pub assets: Arc<Assets>,
}

impl Renderer {
    /// Loads the default templates and the site's own from `root/templates/`, and the static
    /// files templates may link to. Fails with a diagnostic naming the template file, line and
    /// column when one does not parse.
    pub fn new(root: &Path) -> Result<Renderer, Vec<Diagnostic>> {
        let (assets, sources) = match (Assets::load(root), template_sources(root)) {
            (Ok(assets), Ok(sources)) => (assets, sources),
            (assets, sources) => {
                let mut problems = sources.err().unwrap_or_default();
                problems.extend(assets.err().unwrap_or_default());
                return Err(problems);
            }
        };
        let (sources, origins) = sources;
        let mut tera = Tera::new();
        register_functions(&mut tera, Arc::new(assets.clone()));
        let renderer = |tera| Renderer {
            tera,
            out_of_time: AtomicBool::new(false),
            origins,
            assets: Arc::new(assets),
        };
        match tera.add_raw_templates(sources) {
            Ok(()) => Ok(renderer(tera)),
            Err(err) => {
                let renderer = renderer(Tera::new());
                Err(vec![renderer.template_diagnostic(&err)])
            }
        }
    }

    /// Starts a run with templates kept from an earlier one (`serve`): a page that ran out of
    /// time then does not stop the pages of this run.
    pub fn start_run(&self) {
        self.out_of_time.store(false, Ordering::Relaxed);
    }

    /// Renders one of a vendor's own outputs to text.
    pub fn render_vendor(
        &self,
        facts: &SiteFacts,
        vendor: &ComputedVendor,
        page: VendorPage,
    ) -> Result<String, Diagnostic> {
        match page.template() {
            Some(template) => self.render_template(template, Ok(vendor::context(facts, vendor))),
            None => Ok(export::vendor_json(facts, vendor)),
        }
    }

    /// Renders one of the pages that list vendors to text. The pipeline streams
    /// `/api/vendors.json` to its file instead of holding it (it is 300 MB at 100,000
    /// vendors); here it is made whole, by the same writer.
    pub fn render_list(&self, site: &Site, page: ListPage) -> Result<String, Diagnostic> {
        if let Some(template) = page.template() {
            return self.render_template(template, lists::context(&self.tera, site, page));
        }
        match page {
            ListPage::ApiCsv => Ok(export::csv(site)),
            ListPage::ApiPricing => Ok(export::site_data_script(site)),
            ListPage::ApiLists => Ok(export::list_data_script(site)),
            ListPage::ApiIdp { idp } => Ok(export::idp_data_script(site, idp)),
            ListPage::ApiChanges => Ok(export::changes_json(site)),
            _ => {
                let mut json = Vec::new();
                let written = export::write_all_vendors(site, &mut json);
                let text = written.and_then(|()| {
                    String::from_utf8(json).map_err(|err| std::io::Error::other(err.to_string()))
                });
                text.map_err(|err| {
                    Diagnostic::error("api/vendors.json", format!("cannot make the JSON: {err}"))
                })
            }
        }
    }

    fn render_template(
        &self,
        template: &str,
        context: Result<Context, tera::Error>,
    ) -> Result<String, Diagnostic> {
        let rendered = context
            .map_err(RenderFailure::Template)
            .and_then(|context| render_bounded(&self.tera, template, &context, &self.out_of_time));
        rendered.map_err(|failure| match failure {
            RenderFailure::Template(err) => {
                let mut diagnostic = self.template_diagnostic(&err);
                // An error without a place of its own (a component recursing forever) is the
                // page template's.
                if diagnostic.file == Path::new(TEMPLATES_DIR) {
                    diagnostic.file = self.origin(template).into();
                }
                diagnostic
            }
            RenderFailure::Exceeded(exceeded) => {
                Diagnostic::error(self.origin(template), exceeded.message())
            }
        })
    }

    fn origin(&self, template: &str) -> String {
        self.origins
            .get(template)
            .cloned()
            .unwrap_or_else(|| format!("{TEMPLATES_DIR}/{template}"))
    }

    /// The template file, line and column of a Tera error. Which page it broke is added by
    /// the caller, which sees every page.
    fn template_diagnostic(&self, err: &tera::Error) -> Diagnostic {
        let report = match err.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                Some(report)
            }
            _ => None,
        };
        match report {
            Some(report) => {
                let file = self
                    .origins
                    .get(report.filename())
                    .cloned()
                    .unwrap_or_else(|| format!("{TEMPLATES_DIR}/{}", report.filename()));
                let span = report.span();
                Diagnostic::error(file, report.message()).at(Some(Position {
                    line: span.start_line as u64,
                    column: span.start_col as u64 + 1,
                }))
            }
            None => self.diagnostic_from_report_text(&err.to_string()),
        }
    }

    /// Tera reports some errors (an unknown filter, test or function) only as text: `error:
    /// MESSAGE` and then ` --> NAME:LINE:COLUMN`. The first of them, read back.
    fn diagnostic_from_report_text(&self, text: &str) -> Diagnostic {
        let message = first_line(text).trim_start_matches("error: ");
        let place = text
            .lines()
            .find_map(|line| line.trim_start().strip_prefix("--> "))
            .and_then(|place| {
                let mut parts = place.rsplitn(3, ':');
                let column: u64 = parts.next()?.parse().ok()?;
                let line: u64 = parts.next()?.parse().ok()?;
                Some((parts.next()?, Position { line, column }))
            });
        match place {
            Some((name, position)) => {
                Diagnostic::error(self.origin(name), message).at(Some(position))
            }
            None => Diagnostic::error(TEMPLATES_DIR, message),
        }
    }
}

/// `asset(path="style.css")`: the static file's URL below the site root, with a hash of its
/// bytes; an unknown file is a template error.
fn register_functions(tera: &mut Tera, assets: Arc<Assets>) {
    tera.register_function("range", limits::bounded_range);
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| {
        let path: String = kwargs.must_get("path")?;
        assets.url(&path).map(str::to_owned).ok_or_else(|| {
            let known: Vec<&str> = assets.names().collect();
            tera::Error::message(format!(
                "asset(path=\"{path}\"): no such file in static/ (static files: {})",
                known.join(", ")
            ))
        })
    });
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_templates_parse() {
        let root = tempfile::tempdir().unwrap();
        assert!(Renderer::new(root.path()).is_ok());
    }
}
