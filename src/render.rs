//! Every output of the site, from records: HTML pages and feeds through Tera templates, and
//! the machine-readable files through `export`.
//!
//! The default templates are compiled into the binary, so a site without a `templates/`
//! folder still builds; a file in `templates/` replaces the default of the same name (or adds
//! a new one). Every page is rendered from a context built here, with figures from `compute`
//! and Markdown from `markdown`; templates only lay them out.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tera::value::Key;
use tera::{Context, Kwargs, State, Tera};
use walkdir::WalkDir;

use crate::assets::Assets;
use crate::compute::{Site, VendorFigures};
use crate::diagnostic::{Diagnostic, Position, display_path};
use crate::export;
use crate::load::{VendorEntry, is_editor_litter};
use crate::markdown;
use crate::model::{Date, IdpSupport, ScimMode, Vendor};

/// The templates every site has, unless it overrides them.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    (
        "components.html",
        include_str!("../templates/components.html"),
    ),
    ("index.html", include_str!("../templates/index.html")),
    ("vendor.html", include_str!("../templates/vendor.html")),
    ("idps.html", include_str!("../templates/idps.html")),
    ("idp.html", include_str!("../templates/idp.html")),
    ("scim_tax.html", include_str!("../templates/scim_tax.html")),
    (
        "categories.html",
        include_str!("../templates/categories.html"),
    ),
    ("category.html", include_str!("../templates/category.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    ("feed.xml", include_str!("../templates/feed.xml")),
    ("robots.txt", include_str!("../templates/robots.txt")),
];

pub const TEMPLATES_DIR: &str = "templates";

/// How many recently verified vendors the Atom feed lists.
pub const FEED_LENGTH: usize = 20;

/// One output of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Index,
    NotFound,
    /// The vendor at this index of `Site::vendors`.
    Vendor(usize),
    Idps,
    /// The provider at this index of `SiteSummary::idp_coverage`.
    Idp(usize),
    ScimTax,
    Categories,
    /// The category at this index of `SiteSummary::categories`.
    Category(usize),
    Sitemap,
    Robots,
    Feed,
    ApiVendors,
    /// The vendor at this index of `Site::vendors`, as JSON.
    ApiVendor(usize),
    ApiCsv,
}

impl Page {
    /// The template that renders this page; `None` for the outputs `export` writes.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            Page::Index => "index.html",
            Page::NotFound => "404.html",
            Page::Vendor(_) => "vendor.html",
            Page::Idps => "idps.html",
            Page::Idp(_) => "idp.html",
            Page::ScimTax => "scim_tax.html",
            Page::Categories => "categories.html",
            Page::Category(_) => "category.html",
            Page::Sitemap => "sitemap.xml",
            Page::Robots => "robots.txt",
            Page::Feed => "feed.xml",
            Page::ApiVendors | Page::ApiVendor(_) | Page::ApiCsv => return None,
        })
    }

    /// The page's path below the site root, as linked: folders end in `/`.
    pub fn url_path(&self, site: &Site) -> String {
        match self {
            Page::Index => String::new(),
            Page::NotFound => "404.html".to_owned(),
            Page::Vendor(i) => vendor_path(&site.vendors[*i].slug),
            Page::Idps => "idps/".to_owned(),
            Page::Idp(i) => format!("idps/{}/", site.summary.idp_coverage[*i].id),
            Page::ScimTax => "scim-tax/".to_owned(),
            Page::Categories => "categories/".to_owned(),
            Page::Category(i) => format!("categories/{}/", site.summary.categories[*i].slug),
            Page::Sitemap => "sitemap.xml".to_owned(),
            Page::Robots => "robots.txt".to_owned(),
            Page::Feed => "feed.xml".to_owned(),
            Page::ApiVendors => "api/vendors.json".to_owned(),
            Page::ApiVendor(i) => format!("api/vendors/{}.json", site.vendors[*i].slug),
            Page::ApiCsv => "api/vendors.csv".to_owned(),
        }
    }

    /// The file this page is written to, relative to the output folder.
    pub fn output_path(&self, site: &Site) -> PathBuf {
        let path = self.url_path(site);
        if path.is_empty() || path.ends_with('/') {
            PathBuf::from(path).join("index.html")
        } else {
            PathBuf::from(path)
        }
    }

    /// The vendor this page shows alone, if any. Every other page lists many vendors and is
    /// re-rendered whenever any record changes.
    pub fn single_vendor(&self) -> Option<usize> {
        match self {
            Page::Vendor(i) | Page::ApiVendor(i) => Some(*i),
            _ => None,
        }
    }
}

/// Every output of `site`, in a stable order.
pub fn pages(site: &Site) -> Vec<Page> {
    let mut pages = vec![
        Page::Index,
        Page::NotFound,
        Page::Idps,
        Page::ScimTax,
        Page::Categories,
        Page::Sitemap,
        Page::Robots,
        Page::Feed,
        Page::ApiVendors,
        Page::ApiCsv,
    ];
    pages.extend((0..site.summary.idp_coverage.len()).map(Page::Idp));
    pages.extend((0..site.summary.categories.len()).map(Page::Category));
    pages.extend((0..site.vendors.len()).map(Page::Vendor));
    pages.extend((0..site.vendors.len()).map(Page::ApiVendor));
    pages
}

pub struct Renderer {
    tera: Tera,
    /// Template name → path to show in diagnostics.
    origins: HashMap<String, String>,
    pub assets: Arc<Assets>,
}

impl Renderer {
    /// Loads the default templates and the site's own from `root/templates/`, and the static
    /// files templates may link to. Fails with a diagnostic naming the template file, line and
    /// column when one does not parse.
    pub fn new(root: &Path) -> Result<Renderer, Vec<Diagnostic>> {
        let assets = Assets::load(root).map_err(|err| {
            vec![Diagnostic::error(
                crate::assets::STATIC_DIR,
                format!("cannot read the static files: {err}"),
            )]
        })?;
        let (sources, origins) = template_sources(root)?;
        let mut tera = Tera::new();
        register_functions(&mut tera, Arc::new(assets.clone()));
        let renderer = |tera| Renderer {
            tera,
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

    /// Renders one output to text.
    pub fn render(&self, site: &Site, page: &Page) -> Result<String, Diagnostic> {
        let Some(template) = page.template() else {
            return Ok(export::render(site, page));
        };
        let rendered = page_context(&self.tera, site, page)
            .and_then(|context| self.tera.render(template, &context));
        rendered.map_err(|err| {
            let mut diagnostic = self.template_diagnostic(&err);
            // An error without a place of its own (a component recursing forever) is the
            // page template's.
            if diagnostic.file == Path::new(TEMPLATES_DIR) {
                diagnostic.file = self.origin(template).into();
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

type TemplateSources = (Vec<(String, String)>, HashMap<String, String>);

/// The built-in templates, replaced or joined by the site's own, with the path to show for
/// each in diagnostics.
fn template_sources(root: &Path) -> Result<TemplateSources, Vec<Diagnostic>> {
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
    if problems.is_empty() {
        Ok((sources, origins))
    } else {
        Err(problems)
    }
}

/// `asset(path="style.css")`: the static file's URL below the site root, with a hash of its
/// bytes; an unknown file is a template error.
fn register_functions(tera: &mut Tera, assets: Arc<Assets>) {
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
    /// Always ends in `/`.
    base_url: String,
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
    title: String,
    description: String,
    /// Open Graph type: `article` for vendor pages, `website` for the rest.
    kind: &'static str,
}

/// A vendor as templates see it: the record as written, its figures, and its Markdown
/// rendered.
#[derive(Serialize)]
struct VendorView<'a> {
    slug: &'a str,
    /// Below the site root: templates put `page.root` in front.
    url: String,
    /// The whole record on a vendor's own page; in lists, only what a row shows (serializing
    /// every record whole into a 10,000-row table costs more than rendering it).
    record: RecordView<'a>,
    figures: FiguresView<'a>,
    /// `fresh`, `stale` or `unverified`.
    freshness: &'static str,
    category_slug: Option<String>,
    /// The record's identity providers in the order of `idps.yaml`, with their names.
    idps: Vec<IdpRow<'a>>,
    /// The providers whose setup the record describes.
    configured_idps: Vec<IdpRow<'a>>,
    /// Space-separated ids of the providers the vendor connects to (SSO or provisioning), for
    /// the comparison table's filter.
    idp_ids: String,
    /// `yes`, `no` or `unknown`.
    scim_state: &'static str,
    /// Sort keys for the comparison tables: numbers, or empty when unknown.
    sort: SortKeys,
    summary_html: Option<String>,
    sentiment_html: Option<String>,
    sections: Vec<SectionView<'a>>,
    /// The figures the calculator recomputes, as JSON safe to put in a `<script>`.
    pricing_json: Option<String>,
    /// schema.org description of the vendor, as JSON safe to put in a `<script>`.
    json_ld: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum RecordView<'a> {
    Full(&'a Vendor),
    Row(RowRecord<'a>),
}

/// The fields of a record that list pages show, under the same names as in the record.
#[derive(Serialize)]
struct RowRecord<'a> {
    name: &'a str,
    category: Option<&'a str>,
    verified: Option<Date>,
    sso: RowAvailability<'a>,
    scim: RowAvailability<'a>,
}

#[derive(Serialize)]
struct RowAvailability<'a> {
    available: Option<bool>,
    tier: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum FiguresView<'a> {
    Full(&'a VendorFigures),
    Row(RowFigures<'a>),
}

#[derive(Serialize)]
struct RowFigures<'a> {
    scim_price: &'a crate::compute::PriceView,
    scim_premium: &'a crate::compute::Premium,
    coverage: &'a crate::compute::Coverage,
}

#[derive(Serialize, Default)]
struct SortKeys {
    scim_cost: String,
    premium: String,
}

#[derive(Serialize, Clone)]
struct IdpRow<'a> {
    id: &'a str,
    name: &'a str,
    support: &'a IdpSupport,
    /// `full`, `jit`, `none` or `unknown`.
    scim: &'static str,
}

/// A vendor on an identity provider's page: what its record says of that provider, and no
/// more (the page lists every vendor, so each row is kept small).
#[derive(Serialize)]
struct IdpVendorRow<'a> {
    name: &'a str,
    url: String,
    sso: Option<bool>,
    /// `full`, `jit`, `none` or `unknown`.
    scim: &'static str,
    notes: Option<&'a str>,
    has_setup: bool,
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    body_html: String,
}

/// How much of a vendor a page needs: a list row, or everything for its own page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    Row,
    Full,
}

fn page_context(tera: &Tera, site: &Site, page: &Page) -> Result<Context, tera::Error> {
    let mut context = Context::new();
    let view = page_view(site, page);
    let root = view.root.as_str();
    let by_name = |indices: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        let mut order: Vec<usize> = indices.collect();
        order.sort_by_cached_key(|i| site.vendors[*i].record.name.to_lowercase());
        order
    };
    // `vendor_row` (a table row) or `vendor_item` (a list item) for each vendor of `order`.
    let vendor_components = |component: &str, order: Vec<usize>| {
        join_components(tera, component, order, |i, args| {
            args.insert("v", &vendor_view(site, i, Detail::Row));
            args.insert("root", root);
        })
    };
    match page {
        Page::Index => {
            let order = by_name(&mut (0..site.vendors.len()));
            context.insert("rows", &vendor_components("vendor_row", order)?);
            context.insert("idps", &site.summary.idp_coverage);
            context.insert("categories", &site.summary.categories);
        }
        Page::Vendor(i) => context.insert_value("vendor", full_vendor_value(site, *i)),
        Page::Idps => context.insert("idps", &site.summary.idp_coverage),
        Page::Idp(i) => {
            let coverage = &site.summary.idp_coverage[*i];
            let website = site
                .idps
                .get(&coverage.id)
                .and_then(|d| d.website.as_deref());
            let order = by_name(&mut (0..site.vendors.len()));
            let rows = join_components(tera, "idp_row", order, |i, args| {
                args.insert("r", &idp_vendor_row(site, i, &coverage.id));
                args.insert("root", root);
                args.insert("idp_id", &coverage.id);
            })?;
            context.insert("idp", coverage);
            context.insert("website", &website);
            context.insert("rows", &rows);
        }
        Page::ScimTax => {
            let tax = &site.summary.scim_tax;
            let ranked = tax.ranked.iter().copied().enumerate();
            let ranked_rows = join_components(tera, "tax_row", ranked, |(at, i), args| {
                args.insert("v", &vendor_view(site, i, Detail::Row));
                args.insert("rank", &(at + 1));
                args.insert("root", root);
            })?;
            context.insert("tax", tax);
            context.insert("ranked_rows", &ranked_rows);
            for (name, list) in [
                ("custom", &tax.custom),
                ("included", &tax.included),
                ("unknown", &tax.unknown),
                ("unavailable", &tax.unavailable),
            ] {
                let order = by_name(&mut list.iter().copied());
                context.insert(name, &vendor_components("vendor_item", order)?);
            }
        }
        Page::Categories => context.insert("categories", &site.summary.categories),
        Page::Category(i) => {
            let category = &site.summary.categories[*i];
            context.insert("category", category);
            let order = by_name(&mut category.vendors.iter().copied());
            context.insert("rows", &vendor_components("vendor_row", order)?);
        }
        Page::Sitemap => context.insert("entries", &sitemap_entries(site)),
        Page::Feed => {
            let recent = recently_verified(site);
            let updated = site.vendors.iter().filter_map(|v| v.record.verified).max();
            context.insert("updated", &updated);
            context.insert("vendors", &recent);
        }
        Page::NotFound | Page::Robots => {}
        Page::ApiVendors | Page::ApiVendor(_) | Page::ApiCsv => {}
    }
    context.insert("site", &site_view(site));
    context.insert("page", &view);
    Ok(context)
}

/// Renders `component` once for each item, with the arguments `arguments` gives it, and joins
/// the results: the rows of a long table, each rendered from a small context of its own, so
/// that a page of 100,000 vendors never holds all their data at once, only its own text.
fn join_components<T>(
    tera: &Tera,
    component: &str,
    items: impl IntoIterator<Item = T>,
    arguments: impl Fn(T, &mut Context),
) -> Result<String, tera::Error> {
    let mut joined = Vec::new();
    for item in items {
        let mut args = Context::new();
        arguments(item, &mut args);
        tera.render_component_to(component, &args, None, true, &mut joined)?;
    }
    String::from_utf8(joined).map_err(|err| tera::Error::message(err.to_string()))
}

fn page_view(site: &Site, page: &Page) -> PageView {
    let path = page.url_path(site);
    let root = match page {
        Page::NotFound => base_path(&site.config.base_url),
        _ if path.is_empty() => "./".to_owned(),
        _ => "../".repeat(path.matches('/').count()),
    };
    let (title, description) = page_text(site, page);
    PageView {
        canonical: format!("{}{path}", base_url(&site.config.base_url)),
        path,
        root,
        title,
        description,
        kind: if matches!(page, Page::Vendor(_)) {
            "article"
        } else {
            "website"
        },
    }
}

/// The `<title>` and meta description of a page.
fn page_text(site: &Site, page: &Page) -> (String, String) {
    let title = &site.config.title;
    let site_description = site
        .config
        .description
        .clone()
        .unwrap_or_else(|| title.clone());
    match page {
        Page::Vendor(i) => {
            let name = &site.vendors[*i].record.name;
            (
                format!("{name} SCIM and SSO: plans, costs and IdP setup · {title}"),
                format!(
                    "Does {name} support SCIM and SSO, which plan is required, what it costs by \
                     team size, and how Okta, Entra ID and other identity providers connect."
                ),
            )
        }
        Page::Idps => (
            format!("Identity providers · {title}"),
            "How many vendors each identity provider can sign in and provision.".to_owned(),
        ),
        Page::Idp(i) => {
            let name = &site.summary.idp_coverage[*i].name;
            (
                format!("{name}: SSO and SCIM support by vendor · {title}"),
                format!("Which vendors support SSO and SCIM provisioning from {name}, and how."),
            )
        }
        Page::ScimTax => (
            format!("The SCIM tax: vendors ranked by what SCIM costs · {title}"),
            "Vendors ranked by how much more their cheapest plan with SCIM costs than their \
             cheapest paid plan."
                .to_owned(),
        ),
        Page::Categories => (
            format!("Categories · {title}"),
            "Vendors by category.".to_owned(),
        ),
        Page::Category(i) => {
            let name = &site.summary.categories[*i].name;
            (
                format!("{name}: SCIM and SSO support · {title}"),
                format!("SCIM and SSO support of {name} vendors, with plans and costs."),
            )
        }
        Page::NotFound => (format!("Page not found · {title}"), site_description),
        _ => (title.clone(), site_description),
    }
}

fn site_view(site: &Site) -> SiteView<'_> {
    SiteView {
        title: &site.config.title,
        description: site.config.description.as_deref(),
        base_url: base_url(&site.config.base_url),
        team_sizes: &site.config.team_sizes,
        today: site.today.to_string(),
        stale_after_days: site.config.stale_after_days,
        vendor_count: site.vendor_count,
    }
}

/// `base_url` ending in exactly one `/`.
pub fn base_url(base_url: &str) -> String {
    format!("{}/", base_url.trim_end_matches('/'))
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

fn idp_vendor_row<'a>(site: &'a Site, i: usize, idp: &str) -> IdpVendorRow<'a> {
    let entry = &site.vendors[i];
    let support = entry.record.idps.get(idp);
    IdpVendorRow {
        name: &entry.record.name,
        url: vendor_path(&entry.slug),
        sso: support.and_then(|s| s.sso),
        scim: scim_mode_name(support.and_then(|s| s.scim)),
        notes: support.and_then(|s| s.notes.as_deref()),
        has_setup: support.is_some_and(|s| s.setup.is_some()),
    }
}

/// A vendor's own page as a template value. The record becomes a template value once, and the
/// rows of `idps` and `configured_idps` share its providers' entries (template values share
/// maps rather than copy them), where serializing the rows would copy each provider's setup
/// twice more: that was a third of turning the page's data into template values.
fn full_vendor_value(site: &Site, i: usize) -> tera::Value {
    let mut view = vendor_view(site, i, Detail::Full);
    let idps = std::mem::take(&mut view.idps);
    let configured_idps = std::mem::take(&mut view.configured_idps);
    let value = tera::Value::from_serializable(&view);
    if !value.is_map() {
        return value;
    }
    let mut vendor = value.into_map().unwrap_or_default();
    let supports = vendor
        .get(&Key::Str("record"))
        .and_then(|record| record.as_map()?.get(&Key::Str("idps"))?.as_map().cloned())
        .unwrap_or_default();
    let row_value = |row: &IdpRow| -> tera::Value {
        let support = supports
            .get(&Key::String(row.id.into()))
            .cloned()
            .unwrap_or_else(|| tera::Value::from_serializable(row.support));
        let mut map = tera::Map::default();
        map.insert(Key::Str("id"), row.id.into());
        map.insert(Key::Str("name"), row.name.into());
        map.insert(Key::Str("support"), support);
        map.insert(Key::Str("scim"), row.scim.into());
        map.into()
    };
    for (name, rows) in [("idps", idps), ("configured_idps", configured_idps)] {
        let rows: Vec<tera::Value> = rows.iter().map(row_value).collect();
        vendor.insert(Key::Str(name), rows.into());
    }
    vendor.into()
}

/// A vendor page's path below the site root.
pub fn vendor_path(slug: &str) -> String {
    format!("vendors/{slug}/")
}

fn vendor_view(site: &Site, i: usize, detail: Detail) -> VendorView<'_> {
    let VendorEntry { slug, record, .. } = site.vendors[i].as_ref();
    let figures = &site.figures[i];
    let full = detail == Detail::Full;
    debug_assert!(
        !(full && site.vendors[i].listing_only),
        "a vendor page rendered from a listing"
    );
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
    let idp_ids = idps
        .iter()
        .filter(|row| {
            row.support.sso == Some(true)
                || matches!(row.support.scim, Some(ScimMode::Full | ScimMode::Jit))
        })
        .map(|row| row.id)
        .collect::<Vec<_>>()
        .join(" ");
    let (record_view, figures_view) = if full {
        (RecordView::Full(record), FiguresView::Full(figures))
    } else {
        (
            RecordView::Row(RowRecord {
                name: &record.name,
                category: record.category.as_deref(),
                verified: record.verified,
                sso: RowAvailability {
                    available: record.sso.available,
                    tier: None,
                },
                scim: RowAvailability {
                    available: record.scim.available,
                    tier: record.scim.tier.as_deref(),
                },
            }),
            FiguresView::Row(RowFigures {
                scim_price: &figures.scim_price,
                scim_premium: &figures.scim_premium,
                coverage: &figures.coverage,
            }),
        )
    };
    VendorView {
        slug,
        url: vendor_path(slug),
        record: record_view,
        figures: figures_view,
        freshness: freshness(record.verified, site.today, site.config.stale_after_days),
        category_slug: record.category.as_deref().map(crate::slug::slugify),
        configured_idps: if full { configured_idps } else { Vec::new() },
        idps: if full { idps } else { Vec::new() },
        idp_ids,
        scim_state: match record.scim.available {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        },
        sort: sort_keys(figures),
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
        pricing_json: full.then(|| script_json(&export::pricing(site, i))),
        json_ld: full.then(|| script_json(&export::json_ld(site, i))),
    }
}

/// JSON that can stand inside a `<script>` element: `<`, `>` and `&` are written as escapes,
/// so no string in it can close the element or open a comment.
pub fn script_json(value: &impl Serialize) -> String {
    export::escape_markup(&serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()))
}

fn sort_keys(figures: &VendorFigures) -> SortKeys {
    SortKeys {
        scim_cost: figures
            .scim_cost
            .rows
            .first()
            .map(|row| format!("{:.2}", row.annual))
            .unwrap_or_default(),
        premium: match figures.scim_premium.status {
            "included" => "0".to_owned(),
            "priced" => figures
                .scim_premium
                .rows
                .first()
                .map(|row| format!("{:.2}", row.percent))
                .unwrap_or_default(),
            _ => String::new(),
        },
    }
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<Date>,
}

/// Every HTML page, with the date its facts were last checked where it has one: a vendor's
/// `verified`, and for pages that list vendors the latest of theirs.
fn sitemap_entries(site: &Site) -> Vec<SitemapEntry> {
    let latest = site.vendors.iter().filter_map(|v| v.record.verified).max();
    let base = base_url(&site.config.base_url);
    pages(site)
        .into_iter()
        .filter(|page| {
            matches!(page.template(), Some(t) if t.ends_with(".html")) && *page != Page::NotFound
        })
        .map(|page| SitemapEntry {
            url: format!("{base}{}", page.url_path(site)),
            lastmod: match page {
                Page::Vendor(i) => site.vendors[i].record.verified,
                _ => latest,
            },
        })
        .collect()
}

/// The most recently verified vendors, newest first.
fn recently_verified(site: &Site) -> Vec<VendorView<'_>> {
    let mut verified: Vec<usize> = (0..site.vendors.len())
        .filter(|i| site.vendors[*i].record.verified.is_some())
        .collect();
    verified.sort_by(|a, b| {
        site.vendors[*b]
            .record
            .verified
            .cmp(&site.vendors[*a].record.verified)
            .then(a.cmp(b))
    });
    verified
        .into_iter()
        .take(FEED_LENGTH)
        .map(|i| vendor_view(site, i, Detail::Row))
        .collect()
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
        assert_eq!(
            base_url("https://example.org/scim"),
            "https://example.org/scim/"
        );
    }

    #[test]
    fn freshness_follows_the_verified_date() {
        let day = |s: &str| Date(s.parse().unwrap());
        let today = day("2026-06-01");
        assert_eq!(freshness(None, today, 365), "unverified");
        assert_eq!(freshness(Some(day("2026-01-01")), today, 365), "fresh");
        assert_eq!(freshness(Some(day("2025-01-01")), today, 365), "stale");
    }

    #[test]
    fn json_for_scripts_cannot_close_the_script() {
        let json = script_json(&serde_json::json!({"a": "</script><!-- & -->"}));
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["a"], "</script><!-- & -->");
    }
}
