//! Pages from records, through Tera templates.
//!
//! The default templates are compiled into the binary, so a site without a `templates/`
//! folder still builds; a file in `templates/` replaces the default of the same name (or adds
//! a new one). Every page is rendered from a context built here, with figures from `compute`
//! and Markdown from `markdown`; templates only lay them out.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::compute::{Site, VendorFigures};
use crate::diagnostic::{Diagnostic, Position, display_path};
use crate::load::{VendorEntry, is_editor_litter};
use crate::markdown;
use crate::model::{Date, IdpDef, IdpSupport, ScimMode, Vendor};

/// The templates every site has, unless it overrides them.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    (
        "components.html",
        include_str!("../templates/components.html"),
    ),
    ("index.html", include_str!("../templates/index.html")),
    ("vendor.html", include_str!("../templates/vendor.html")),
    ("404.html", include_str!("../templates/404.html")),
];

pub const TEMPLATES_DIR: &str = "templates";

/// One page of the site: which template, and where it goes in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Index,
    NotFound,
    /// The vendor at this index of `Site::vendors`.
    Vendor(usize),
}

impl Page {
    pub fn template(&self) -> &'static str {
        match self {
            Page::Index => "index.html",
            Page::NotFound => "404.html",
            Page::Vendor(_) => "vendor.html",
        }
    }

    /// The file this page is written to, relative to the output folder.
    pub fn output_path(&self, site: &Site) -> PathBuf {
        match self {
            Page::Index => PathBuf::from("index.html"),
            Page::NotFound => PathBuf::from("404.html"),
            Page::Vendor(i) => Path::new("vendors")
                .join(&site.vendors[*i].slug)
                .join("index.html"),
        }
    }
}

/// Every page of `site`, in a stable order.
pub fn pages(site: &Site) -> Vec<Page> {
    let mut pages = vec![Page::Index, Page::NotFound];
    pages.extend((0..site.vendors.len()).map(Page::Vendor));
    pages
}

pub struct Renderer {
    tera: Tera,
    /// Template name → path to show in diagnostics.
    origins: HashMap<String, String>,
}

impl Renderer {
    /// Loads the default templates and the site's own from `root/templates/`. Fails with a
    /// diagnostic naming the template file, line and column when one does not parse.
    pub fn new(root: &Path) -> Result<Renderer, Vec<Diagnostic>> {
        let mut sources: Vec<(String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let mut origins: HashMap<String, String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, _)| {
                (
                    name.to_string(),
                    format!("{TEMPLATES_DIR}/{name} (built-in)"),
                )
            })
            .collect();
        let mut problems = Vec::new();
        for (name, path) in site_template_files(root) {
            match fs::read_to_string(&path) {
                Ok(text) => {
                    sources.retain(|(n, _)| *n != name);
                    sources.push((name.clone(), text));
                    origins.insert(name, display_path(root, &path).display().to_string());
                }
                Err(err) => problems.push(Diagnostic::error(
                    display_path(root, &path),
                    format!("cannot read the template: {err}"),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut tera = Tera::new();
        let renderer = |tera| Renderer { tera, origins };
        match tera.add_raw_templates(sources) {
            Ok(()) => Ok(renderer(tera)),
            Err(err) => {
                let renderer = renderer(Tera::new());
                Err(vec![renderer.template_diagnostic(&err)])
            }
        }
    }

    /// Renders one page to a string.
    pub fn render(&self, site: &Site, page: &Page) -> Result<String, Diagnostic> {
        let context = page_context(site, page);
        self.tera.render(page.template(), &context).map_err(|err| {
            let mut diagnostic = self.template_diagnostic(&err);
            // An error without a place of its own (a component recursing forever) is the
            // page template's.
            if diagnostic.file == Path::new(TEMPLATES_DIR) {
                diagnostic.file = self.origin(page.template()).into();
            }
            diagnostic
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

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// `templates/**/*.{html,xml,txt}` of the site, named as Tera knows them (`partials/x.html`).
fn site_template_files(root: &Path) -> Vec<(String, PathBuf)> {
    let dir = root.join(TEMPLATES_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !is_editor_litter(&e.file_name().to_string_lossy()))
        .filter(|e| {
            matches!(
                e.path().extension().and_then(|x| x.to_str()),
                Some("html" | "xml" | "txt")
            )
        })
        .filter_map(|e| {
            let name = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            Some((name, e.path().to_path_buf()))
        })
        .collect()
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    team_sizes: &'a [u32],
    today: String,
    stale_after_days: u32,
    vendor_count: usize,
}

#[derive(Serialize)]
struct PageView {
    /// The page's own path below the site root (`vendors/x/`).
    path: String,
    /// The absolute URL of the page, from `base_url`.
    canonical: String,
    /// What to put before a path below the site root to link to it from this page: relative
    /// (`../../`), so the site works from any sub-path and from disk. The 404 page is served
    /// at any address, so it alone uses the absolute path of `base_url`.
    root: String,
}

/// A vendor as templates see it: the record as written, its figures, and its Markdown
/// rendered.
#[derive(Serialize)]
struct VendorView<'a> {
    slug: &'a str,
    /// Below the site root: templates put `page.root` in front.
    url: String,
    record: &'a Vendor,
    figures: &'a VendorFigures,
    /// `fresh`, `stale` or `unverified`.
    freshness: &'static str,
    /// The record's identity providers in the order of `idps.yaml`, with their names.
    idps: Vec<IdpRow<'a>>,
    /// The providers whose setup the record describes.
    configured_idps: Vec<IdpRow<'a>>,
    summary_html: Option<String>,
    sentiment_html: Option<String>,
    sections: Vec<SectionView<'a>>,
}

#[derive(Serialize, Clone)]
struct IdpRow<'a> {
    id: &'a str,
    name: &'a str,
    support: &'a IdpSupport,
    /// `full`, `jit`, `none` or `unknown`.
    scim: &'static str,
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    body_html: String,
}

fn page_context(site: &Site, page: &Page) -> Context {
    let mut context = Context::new();
    let path = match page {
        Page::Index => String::new(),
        Page::NotFound => "404.html".to_owned(),
        Page::Vendor(i) => vendor_path(&site.vendors[*i].slug),
    };
    let root = match page {
        Page::NotFound => base_path(&site.config.base_url),
        _ if path.is_empty() => "./".to_owned(),
        _ => "../".repeat(path.matches('/').count()),
    };
    context.insert(
        "page",
        &PageView {
            canonical: format!("{}/{path}", site.config.base_url.trim_end_matches('/')),
            path,
            root,
        },
    );
    match page {
        Page::Index => {
            let mut vendors: Vec<VendorView> = (0..site.vendors.len())
                .map(|i| vendor_view(site, i, false))
                .collect();
            vendors.sort_by_cached_key(|v| v.record.name.to_lowercase());
            context.insert("vendors", &vendors);
            context.insert("idps", &idp_list(site));
        }
        Page::NotFound => {}
        Page::Vendor(i) => {
            context.insert("vendor", &vendor_view(site, *i, true));
        }
    }
    context.insert("site", &site_view(site));
    context
}

/// A vendor page's path below the site root.
fn vendor_path(slug: &str) -> String {
    format!("vendors/{slug}/")
}

#[derive(Serialize)]
struct IdpListItem<'a> {
    id: &'a str,
    name: &'a str,
    website: Option<&'a str>,
}

fn idp_list(site: &Site) -> Vec<IdpListItem<'_>> {
    site.idps
        .iter()
        .map(|(id, idp): (&str, &IdpDef)| IdpListItem {
            id,
            name: &idp.name,
            website: idp.website.as_deref(),
        })
        .collect()
}

fn site_view(site: &Site) -> SiteView<'_> {
    SiteView {
        title: &site.config.title,
        description: site.config.description.as_deref(),
        base_url: &site.config.base_url,
        team_sizes: &site.config.team_sizes,
        today: site.today.to_string(),
        stale_after_days: site.config.stale_after_days,
        vendor_count: site.vendors.len(),
    }
}

/// `https://example.org/scim` → `/scim/`; `https://example.org` → `/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let path = path.trim_matches('/');
    if path.is_empty() {
        "/".to_owned()
    } else {
        format!("/{path}/")
    }
}

fn vendor_view(site: &Site, i: usize, full: bool) -> VendorView<'_> {
    let VendorEntry { slug, record, .. } = site.vendors[i].as_ref();
    let markdown_of = |text: &Option<String>| text.as_deref().map(markdown::to_html);
    let idps: Vec<IdpRow> = site
        .idps
        .iter()
        .filter_map(|(id, idp)| {
            let support = record.idps.get(id)?;
            Some(IdpRow {
                id,
                name: &idp.name,
                support,
                scim: scim_mode_name(support.scim),
            })
        })
        .collect();
    let configured_idps = idps
        .iter()
        .filter(|row| row.support.setup.is_some())
        .cloned()
        .collect();
    VendorView {
        slug,
        url: vendor_path(slug),
        record,
        figures: &site.figures[i],
        freshness: freshness(record.verified, site.today, site.config.stale_after_days),
        idps,
        configured_idps,
        summary_html: if full {
            markdown_of(&record.summary)
        } else {
            None
        },
        sentiment_html: if full {
            record
                .sentiment
                .as_ref()
                .and_then(|s| markdown_of(&s.summary))
        } else {
            None
        },
        sections: if full {
            record
                .sections
                .iter()
                .map(|s| SectionView {
                    title: &s.title,
                    body_html: markdown::to_html(&s.body),
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

pub fn freshness(verified: Option<Date>, today: Date, stale_after_days: u32) -> &'static str {
    match verified {
        None => "unverified",
        Some(date) if date.days_until(today) > i64::from(stale_after_days) => "stale",
        Some(_) => "fresh",
    }
}

fn scim_mode_name(mode: Option<ScimMode>) -> &'static str {
    match mode {
        Some(ScimMode::Full) => "full",
        Some(ScimMode::Jit) => "jit",
        Some(ScimMode::None) => "none",
        None => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_always_start_and_end_with_a_slash() {
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org/scim"), "/scim/");
        assert_eq!(base_path("https://example.org/a/b/"), "/a/b/");
    }

    #[test]
    fn freshness_follows_the_verified_date() {
        let day = |s: &str| Date(s.parse().unwrap());
        let today = day("2026-06-01");
        assert_eq!(freshness(None, today, 365), "unverified");
        assert_eq!(freshness(Some(day("2026-01-01")), today, 365), "fresh");
        assert_eq!(freshness(Some(day("2025-01-01")), today, 365), "stale");
    }
}
