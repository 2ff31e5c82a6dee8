//! The contexts of the pages that list vendors: the index, providers, the SCIM tax, categories,
//! the sitemap and the feed. Their long tables are rendered a row at a time.

use std::ops::Range;

use serde::Serialize;
use tera::{Context, Tera};

use super::FEED_LENGTH;
use super::charts::{ColumnChart, CoverageChart, HorizontalBars};
use super::history::{SiteChangeView, kind_links};
use super::pagination::ListView;
use super::views::{PageText, PageView, SiteView, VendorView};
use crate::compute::{ChangeKind, Provisioning, Site};
use crate::model::Date;
use crate::page::{
    ListPage, VendorPage, base_path, base_url, list_pages, relative_root, vendor_path,
};

/// A vendor on an identity provider's page: what its record says of that provider, and no
/// more (the page lists every vendor, so each row is kept small).
#[derive(Serialize)]
struct IdpVendorRow<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    sso: Option<bool>,
    scim: Provisioning,
    notes: Option<&'a str>,
    has_setup: bool,
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<Date>,
}

/// Everything the template of `page` sees.
pub(super) fn context(tera: &Tera, site: &Site, page: ListPage) -> Result<Context, tera::Error> {
    let mut context = Context::new();
    let list = list_view(site, page);
    let view = page_view(site, page, list.as_ref());
    let rows = Rows {
        tera,
        site,
        root: &view.root,
    };
    let summary = &site.summary;
    if let Some(list) = &list {
        rows.list_page(page, list, &mut context)?;
        context.insert("list", list);
    }
    match page {
        ListPage::Idps => {
            context.insert("idps", &summary.idp_coverage);
            let chart = CoverageChart::new(&summary.idp_coverage, site.vendors.len());
            context.insert("coverage_chart", &chart);
        }
        ListPage::Categories => context.insert("categories", &summary.categories),
        ListPage::Sitemap => context.insert("entries", &sitemap_entries(site)),
        ListPage::Feed => {
            let changes = latest_changes(site, None, 0..FEED_LENGTH);
            let changed = changes.iter().filter_map(SiteChangeView::date).max();
            let updated = site.vendors.iter().filter_map(|v| v.verified).max();
            context.insert("updated", &updated.max(changed));
            context.insert("vendors", &recently_verified(site));
            context.insert("changes", &changes);
        }
        ListPage::Changes { kind, .. } => {
            let rows = list.as_ref().map_or(0..0, ListView::rows);
            context.insert("changes", &latest_changes(site, kind, rows));
            context.insert("kinds", &kind_links(site, kind));
            context.insert("kind", &kind.map(ChangeKind::label));
        }
        ListPage::About => {
            context.insert("catalogues", &summary.catalogues);
            context.insert("vendor_count", &site.vendors.len());
        }
        ListPage::Stack | ListPage::Compare => context.insert("idps", &summary.idp_coverage),
        _ => {}
    }
    let attribution: Vec<_> = summary.catalogues.iter().map(|c| c.catalogue).collect();
    context.insert("attribution", &attribution);
    context.insert("site", &SiteView::new(&site.facts));
    context.insert("page", &view);
    Ok(context)
}

/// The page of a long list that `page` is, if it is one.
fn list_view(site: &Site, page: ListPage) -> Option<ListView> {
    let summary = &site.summary;
    let kind = match page {
        ListPage::Index { .. } => ("vendors", None),
        ListPage::Category { category, .. } => {
            ("vendors", Some(summary.categories[category].slug.clone()))
        }
        ListPage::Idp { idp, .. } => ("idp", Some(summary.idp_coverage[idp].id.clone())),
        ListPage::ScimTax { .. } => ("ranking", None),
        ListPage::Changes { kind, .. } => ("changes", kind.map(|k| k.slug().to_owned())),
        _ => return None,
    };
    Some(ListView::new(
        kind,
        page.list_path(summary)?,
        page.list_length(summary)?,
        summary.page_size,
        page.page_number(),
    ))
}

/// Renders the rows of a list page's tables.
struct Rows<'a> {
    tera: &'a Tera,
    site: &'a Site,
    /// The page's `page.root`, which every row links with.
    root: &'a str,
}

impl Rows<'_> {
    /// What the templates of a page of a long list see: its rows, and what its filters offer.
    fn list_page(
        &self,
        page: ListPage,
        list: &ListView,
        context: &mut Context,
    ) -> Result<(), tera::Error> {
        let summary = &self.site.summary;
        let shown = list.rows();
        match page {
            ListPage::Index { .. } => {
                let order = summary.by_name[shown].iter().copied();
                context.insert("rows", &self.vendors("vendor_row", order)?);
                context.insert("idps", &summary.idp_coverage);
                context.insert("categories", &summary.categories);
            }
            ListPage::Idp { idp, .. } => self.idp_page(idp, shown, context)?,
            ListPage::ScimTax { .. } => self.scim_tax_page(shown, list.page == 1, context)?,
            ListPage::Category { category, .. } => {
                let category = &summary.categories[category];
                context.insert("category", category);
                let order = category.vendors[shown].iter().copied();
                context.insert("rows", &self.vendors("vendor_row", order)?);
            }
            _ => {}
        }
        Ok(())
    }

    /// `vendor_row` (a table row) or `vendor_item` (a list item) for each vendor of `order`.
    fn vendors(
        &self,
        component: &str,
        order: impl Iterator<Item = usize>,
    ) -> Result<String, tera::Error> {
        join_components(self.tera, component, order, |i, args| {
            args.insert(
                "v",
                &VendorView::row(&self.site.facts, &self.site.vendors[i], false),
            );
            args.insert("root", self.root);
        })
    }

    fn idp_page(
        &self,
        at: usize,
        shown: Range<usize>,
        context: &mut Context,
    ) -> Result<(), tera::Error> {
        let coverage = &self.site.summary.idp_coverage[at];
        let website = self
            .site
            .facts
            .idps
            .get(&coverage.id)
            .and_then(|d| d.website.as_deref());
        let order = self.site.summary.by_name[shown].iter().copied();
        let rows = join_components(self.tera, "idp_row", order, |i, args| {
            args.insert("r", &idp_vendor_row(self.site, i, &coverage.id));
            args.insert("root", self.root);
            args.insert("idp_id", &coverage.id);
        })?;
        context.insert("idp", coverage);
        context.insert("website", &website);
        context.insert("rows", &rows);
        Ok(())
    }

    /// A page of the ranking; the first page also lists the vendors that are not ranked.
    fn scim_tax_page(
        &self,
        shown: Range<usize>,
        first: bool,
        context: &mut Context,
    ) -> Result<(), tera::Error> {
        let tax = &self.site.summary.scim_tax;
        let ranked = tax.ranked[shown.clone()].iter().copied().zip(shown);
        let ranked_rows = join_components(self.tera, "tax_row", ranked, |(i, at), args| {
            args.insert(
                "v",
                &VendorView::row(&self.site.facts, &self.site.vendors[i], true),
            );
            args.insert("rank", &(at + 1));
            args.insert("root", self.root);
        })?;
        context.insert("tax", tax);
        context.insert("ranked_rows", &ranked_rows);
        if first {
            let users = self
                .site
                .facts
                .config
                .team_sizes
                .first()
                .copied()
                .unwrap_or(0);
            context.insert("premium_chart", &ColumnChart::premiums(&tax.bands, users));
            context.insert("sold_chart", &HorizontalBars::scim_sold(tax));
        }
        for (name, list) in [
            ("custom", &tax.custom),
            ("included", &tax.included),
            ("unknown", &tax.unknown),
            ("unavailable", &tax.unavailable),
        ] {
            let items = if first {
                self.vendors("vendor_item", list.iter().copied())?
            } else {
                String::new()
            };
            context.insert(name, &items);
        }
        Ok(())
    }
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

fn page_view(site: &Site, page: ListPage, list: Option<&ListView>) -> PageView {
    let path = page.url_path(&site.summary);
    let root = match page {
        ListPage::NotFound => base_path(&site.facts.config.base_url),
        _ => relative_root(&path),
    };
    let mut text = page_text(site, page);
    if let Some(list) = list.filter(|list| list.page > 1) {
        // Every page of a list has a title of its own, for tabs, bookmarks and search engines.
        text.title = format!("Page {} of {}: {}", list.page, list.pages(), text.title);
    }
    PageView::new(&site.facts, path, root, text, "website")
}

/// The `<title>` and meta description of a list page.
fn page_text(site: &Site, page: ListPage) -> PageText {
    let title = &site.facts.config.title;
    let text = |title: String, description: String| PageText { title, description };
    match page {
        ListPage::Idps => text(
            format!("Identity providers · {title}"),
            "How many vendors each identity provider can sign in and provision.".to_owned(),
        ),
        ListPage::Idp { idp, .. } => {
            let name = &site.summary.idp_coverage[idp].name;
            text(
                format!("{name}: SSO and SCIM support by vendor · {title}"),
                format!("Which vendors support SSO and SCIM provisioning from {name}, and how."),
            )
        }
        ListPage::ScimTax { .. } => text(
            format!("The SCIM tax: vendors ranked by what SCIM costs · {title}"),
            "Vendors ranked by how much more their cheapest plan with SCIM costs than their \
             cheapest paid plan."
                .to_owned(),
        ),
        ListPage::Categories => text(
            format!("Categories · {title}"),
            "Vendors by category.".to_owned(),
        ),
        ListPage::Category { category, .. } => {
            let name = &site.summary.categories[category].name;
            text(
                format!("{name}: SCIM and SSO support · {title}"),
                format!("SCIM and SSO support of {name} vendors, with plans and costs."),
            )
        }
        ListPage::NotFound => text(format!("Page not found · {title}"), site_description(site)),
        ListPage::Changes { kind, .. } => {
            let description = match kind {
                None => "What changed when across every vendor: plan prices, the plans SCIM and \
                         SSO need, and the SCIM and SSO premiums before and after, newest first."
                    .to_owned(),
                Some(kind) => format!(
                    "Every change of kind \"{}\" across the vendors, newest first, with the SCIM \
                     and SSO premiums before and after.",
                    kind.label()
                ),
            };
            let what = kind.map_or("Price changes".to_owned(), |k| {
                format!("Price changes: {}", k.label())
            });
            text(format!("{what} · {title}"), description)
        }
        ListPage::About => text(
            format!("Where the data comes from · {title}"),
            "The sources of this site's facts, the public catalogues it imports and their \
             licences."
                .to_owned(),
        ),
        ListPage::Stack => text(
            format!("Your stack: what SSO and SCIM cost across your tools · {title}"),
            "Pick your vendors and seats: the yearly cost of the plans with SCIM and SSO, and \
             what they cost over the cheapest paid plans."
                .to_owned(),
        ),
        ListPage::Compare => text(
            format!("Compare vendors side by side · {title}"),
            "Two to four vendors side by side: SSO and SCIM, plans, costs at your team size, \
             premiums and identity providers."
                .to_owned(),
        ),
        _ => text(title.clone(), site_description(site)),
    }
}

fn site_description(site: &Site) -> String {
    let config = &site.facts.config;
    config
        .description
        .clone()
        .unwrap_or_else(|| config.title.clone())
}

fn idp_vendor_row<'a>(site: &'a Site, i: usize, idp: &str) -> IdpVendorRow<'a> {
    let vendor = &site.vendors[i];
    let support = vendor.idp(idp);
    IdpVendorRow {
        slug: &vendor.slug,
        name: &vendor.name,
        url: vendor_path(&vendor.slug),
        sso: support.and_then(|s| s.sso),
        scim: Provisioning::from(support.and_then(|s| s.scim)),
        notes: support.and_then(|s| s.notes.as_deref()),
        has_setup: support.is_some_and(|s| s.has_setup),
    }
}

/// Every HTML page, with the date its facts were last checked where it has one: a vendor's
/// `verified`, and for pages that list vendors the latest of theirs. Vendor pages come last,
/// in slug order.
fn sitemap_entries(site: &Site) -> Vec<SitemapEntry> {
    let latest = site.vendors.iter().filter_map(|v| v.verified).max();
    let base = base_url(&site.facts.config.base_url);
    let lists = list_pages(&site.summary)
        .into_iter()
        .filter(|page| {
            matches!(page.template(), Some(t) if t.ends_with(".html"))
                && *page != ListPage::NotFound
        })
        .map(|page| SitemapEntry {
            url: format!("{base}{}", page.url_path(&site.summary)),
            lastmod: latest,
        });
    let vendors = site.vendors.iter().map(|vendor| SitemapEntry {
        url: format!("{base}{}", VendorPage::Html.url_path(&vendor.slug)),
        lastmod: vendor.verified,
    });
    lists.chain(vendors).collect()
}

/// The changes of `kind` (all when `None`) at `rows` of the list of them, newest first.
fn latest_changes(
    site: &Site,
    kind: Option<ChangeKind>,
    rows: Range<usize>,
) -> Vec<SiteChangeView<'_>> {
    let Some(changes) = &site.summary.changes else {
        return Vec::new();
    };
    changes
        .of_kind(kind)
        .skip(rows.start)
        .take(rows.len())
        .filter_map(|at| SiteChangeView::new(site, at))
        .collect()
}

/// The most recently verified vendors, newest first.
fn recently_verified(site: &Site) -> Vec<VendorView<'_>> {
    let mut verified: Vec<usize> = (0..site.vendors.len())
        .filter(|i| site.vendors[*i].verified.is_some())
        .collect();
    verified.sort_by(|a, b| {
        site.vendors[*b]
            .verified
            .cmp(&site.vendors[*a].verified)
            .then(a.cmp(b))
    });
    verified
        .into_iter()
        .take(FEED_LENGTH)
        .map(|i| VendorView::row(&site.facts, &site.vendors[i], true))
        .collect()
}
