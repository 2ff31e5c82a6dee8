//! Where every output of a site lives: the pages that list vendors, each vendor's own page
//! and JSON, and the URL and path helpers every stage shares.
//!
//! A page's address depends only on what it shows: a vendor's own outputs on its slug, the
//! list pages on the site's summary (which providers and categories exist).

use std::path::PathBuf;

use crate::compute::{ChangeKind, SiteSummary};

/// A page that shows many vendors (or none): re-rendered whenever any record changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListPage {
    /// `/`, `/page/2/`...: every vendor in a comparison table, a page of the list each.
    Index {
        /// Which page of the list, from 0 (see [`list_page_path`]).
        page: usize,
    },
    /// `/404.html`.
    NotFound,
    /// `/idps/`: coverage counts per identity provider.
    Idps,
    /// Every vendor with what it says of one identity provider.
    Idp {
        /// The provider's index in `SiteSummary::idp_coverage`.
        idp: usize,
        /// Which page of the list, from 0.
        page: usize,
    },
    /// `/scim-tax/`: vendors ranked by the SCIM premium.
    ScimTax {
        /// Which page of the ranking, from 0.
        page: usize,
    },
    /// `/categories/`.
    Categories,
    /// The vendors of one category.
    Category {
        /// The category's index in `SiteSummary::categories`.
        category: usize,
        /// Which page of the list, from 0.
        page: usize,
    },
    /// `/sitemap.xml`.
    Sitemap,
    /// `/robots.txt`.
    Robots,
    /// `/feed.xml`: the most recently verified vendors.
    Feed,
    /// `/api/vendors.json`: every vendor with its figures.
    ApiVendors,
    /// `/api/vendors.csv`.
    ApiCsv,
    /// `/about/`: where the data comes from, with each catalogue's licence.
    About,
    /// `/stack/`: the cost of SSO and SCIM across the vendors a reader picks.
    Stack,
    /// `/compare/`: two to four vendors side by side.
    Compare,
    /// `/api/pricing.js`: every vendor's offers and prices, for the site's scripts.
    ApiPricing,
    /// `/api/lists.js`: what the long lists show of every vendor, for their scripts.
    ApiLists,
    /// `/api/idps/<id>.js`: what every vendor's record says of one identity provider, for the
    /// script of its page.
    ApiIdp {
        /// The provider's index in `SiteSummary::idp_coverage`.
        idp: usize,
    },
    /// `/changes/`, `/changes/<kind>/`: the latest changes of price history, newest first
    /// (only on a site that shows price history).
    Changes {
        /// Only changes of this kind; all when `None`.
        kind: Option<ChangeKind>,
        /// Which page of the list, from 0.
        page: usize,
    },
    /// `/api/changes.json`: every change of price history.
    ApiChanges,
}

/// One of a vendor's own outputs, made from its whole record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VendorPage {
    /// `/vendors/<slug>/`: the fact page.
    Html,
    /// `/api/vendors/<slug>.json`: the record with its figures.
    Json,
}

impl VendorPage {
    /// Both outputs of a vendor, in the order a build makes them.
    pub const ALL: [VendorPage; 2] = [VendorPage::Html, VendorPage::Json];

    /// The template that renders it; `None` for the JSON, which `export` writes.
    pub fn template(self) -> Option<&'static str> {
        match self {
            VendorPage::Html => Some("vendor.html"),
            VendorPage::Json => None,
        }
    }

    /// Its path below the site root, as linked.
    pub fn url_path(self, slug: &str) -> String {
        match self {
            VendorPage::Html => vendor_path(slug),
            VendorPage::Json => vendor_json_path(slug),
        }
    }

    /// The file it is written to, relative to the output folder.
    pub fn output_path(self, slug: &str) -> PathBuf {
        file_of(self.url_path(slug))
    }
}

impl ListPage {
    /// The template that renders this page; `None` for the outputs `export` writes.
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            ListPage::Index { .. } => "index.html",
            ListPage::NotFound => "404.html",
            ListPage::Idps => "idps.html",
            ListPage::Idp { .. } => "idp.html",
            ListPage::ScimTax { .. } => "scim_tax.html",
            ListPage::Categories => "categories.html",
            ListPage::Category { .. } => "category.html",
            ListPage::Sitemap => "sitemap.xml",
            ListPage::Robots => "robots.txt",
            ListPage::Feed => "feed.xml",
            ListPage::About => "about.html",
            ListPage::Stack => "stack.html",
            ListPage::Compare => "compare.html",
            ListPage::Changes { .. } => "changes.html",
            ListPage::ApiVendors
            | ListPage::ApiChanges
            | ListPage::ApiCsv
            | ListPage::ApiPricing
            | ListPage::ApiLists
            | ListPage::ApiIdp { .. } => return None,
        })
    }

    /// The page's path below the site root, as linked: folders end in `/`.
    pub fn url_path(self, summary: &SiteSummary) -> String {
        match self {
            ListPage::Index { page } => list_page_path("", page),
            ListPage::NotFound => "404.html".to_owned(),
            ListPage::Idps => "idps/".to_owned(),
            ListPage::Idp { idp, page } => {
                list_page_path(&format!("idps/{}/", summary.idp_coverage[idp].id), page)
            }
            ListPage::ScimTax { page } => list_page_path("scim-tax/", page),
            ListPage::Categories => "categories/".to_owned(),
            ListPage::Category { category, page } => list_page_path(
                &format!("categories/{}/", summary.categories[category].slug),
                page,
            ),
            ListPage::Sitemap => "sitemap.xml".to_owned(),
            ListPage::Robots => "robots.txt".to_owned(),
            ListPage::Feed => "feed.xml".to_owned(),
            ListPage::ApiVendors => "api/vendors.json".to_owned(),
            ListPage::ApiCsv => "api/vendors.csv".to_owned(),
            ListPage::About => "about/".to_owned(),
            ListPage::Stack => "stack/".to_owned(),
            ListPage::Compare => "compare/".to_owned(),
            ListPage::ApiPricing => "api/pricing.js".to_owned(),
            ListPage::ApiLists => "api/lists.js".to_owned(),
            ListPage::ApiIdp { idp } => format!("api/idps/{}.js", summary.idp_coverage[idp].id),
            ListPage::Changes { kind, page } => list_page_path(&changes_path(kind), page),
            ListPage::ApiChanges => "api/changes.json".to_owned(),
        }
    }

    /// The path of the list's first page, for a page of a paginated list.
    pub fn list_path(self, summary: &SiteSummary) -> Option<String> {
        match self {
            ListPage::Index { .. } => Some(ListPage::Index { page: 0 }),
            ListPage::Idp { idp, .. } => Some(ListPage::Idp { idp, page: 0 }),
            ListPage::ScimTax { .. } => Some(ListPage::ScimTax { page: 0 }),
            ListPage::Category { category, .. } => Some(ListPage::Category { category, page: 0 }),
            ListPage::Changes { kind, .. } => Some(ListPage::Changes { kind, page: 0 }),
            _ => None,
        }
        .map(|first| first.url_path(summary))
    }

    /// Which page of its list this is, from 0 (0 for a page that is not one of a list's).
    pub fn page_number(self) -> usize {
        match self {
            ListPage::Index { page }
            | ListPage::Idp { page, .. }
            | ListPage::ScimTax { page }
            | ListPage::Category { page, .. }
            | ListPage::Changes { page, .. } => page,
            _ => 0,
        }
    }

    /// How many vendors the whole list of a paginated page holds.
    pub fn list_length(self, summary: &SiteSummary) -> Option<usize> {
        match self {
            ListPage::Index { .. } | ListPage::Idp { .. } => Some(summary.by_name.len()),
            ListPage::ScimTax { .. } => Some(summary.scim_tax.ranked.len()),
            ListPage::Category { category, .. } => Some(summary.categories[category].vendors.len()),
            ListPage::Changes { kind, .. } => Some(summary.changes.as_ref()?.count(kind)),
            _ => None,
        }
    }

    /// The file this page is written to, relative to the output folder.
    pub fn output_path(self, summary: &SiteSummary) -> PathBuf {
        file_of(self.url_path(summary))
    }
}

/// Every page that lists vendors, in a stable order: each list's pages in order.
pub fn list_pages(summary: &SiteSummary) -> Vec<ListPage> {
    let pages_of = |length: usize| 0..page_count(length, summary.page_size);
    let mut pages = vec![
        ListPage::NotFound,
        ListPage::Idps,
        ListPage::Categories,
        ListPage::Sitemap,
        ListPage::Robots,
        ListPage::Feed,
        ListPage::ApiVendors,
        ListPage::ApiCsv,
        ListPage::About,
        ListPage::Stack,
        ListPage::Compare,
        ListPage::ApiPricing,
        ListPage::ApiLists,
    ];
    pages.extend(pages_of(summary.by_name.len()).map(|page| ListPage::Index { page }));
    pages.extend(pages_of(summary.scim_tax.ranked.len()).map(|page| ListPage::ScimTax { page }));
    for idp in 0..summary.idp_coverage.len() {
        pages.push(ListPage::ApiIdp { idp });
        pages.extend(pages_of(summary.by_name.len()).map(|page| ListPage::Idp { idp, page }));
    }
    for (category, c) in summary.categories.iter().enumerate() {
        pages.extend(pages_of(c.vendors.len()).map(|page| ListPage::Category { category, page }));
    }
    if let Some(changes) = &summary.changes {
        pages.push(ListPage::ApiChanges);
        // A kind with no change has no page (all changes has one, saying there are none).
        let kinds = std::iter::once(None).chain(ChangeKind::ALL.map(Some));
        for kind in kinds.filter(|&kind| kind.is_none() || changes.count(kind) > 0) {
            pages
                .extend(pages_of(changes.count(kind)).map(|page| ListPage::Changes { kind, page }));
        }
    }
    pages
}

/// The first page of the changes of `kind` (all when `None`).
pub fn changes_path(kind: Option<ChangeKind>) -> String {
    match kind {
        None => "changes/".to_owned(),
        Some(kind) => format!("changes/{}/", kind.slug()),
    }
}

/// How many pages a list of `length` vendors takes at `page_size` a page: always one, so that
/// an empty list still has its page saying so.
pub fn page_count(length: usize, page_size: usize) -> usize {
    length.div_ceil(page_size.max(1)).max(1)
}

/// The path of page `page` (from 0) of the list whose first page is at `list`: `list` itself,
/// then `list` + `page/2/`, `page/3/`... as Zola and Hugo name them.
pub fn list_page_path(list: &str, page: usize) -> String {
    if page == 0 {
        list.to_owned()
    } else {
        format!("{list}page/{}/", page + 1)
    }
}

/// The files of every page that lists vendors, in the order of `list_pages`.
pub fn list_files(summary: &SiteSummary) -> Vec<PathBuf> {
    list_pages(summary)
        .into_iter()
        .map(|page| page.output_path(summary))
        .collect()
}

/// A URL path as the file that serves it: a folder's `index.html`.
fn file_of(url_path: String) -> PathBuf {
    if url_path.is_empty() || url_path.ends_with('/') {
        PathBuf::from(url_path).join("index.html")
    } else {
        PathBuf::from(url_path)
    }
}

/// A vendor page's path below the site root.
pub fn vendor_path(slug: &str) -> String {
    format!("vendors/{slug}/")
}

/// A vendor's JSON below the site root.
pub fn vendor_json_path(slug: &str) -> String {
    format!("api/vendors/{slug}.json")
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

/// What to put before a path below the site root to link to it from the page at `url_path`:
/// relative (`../../`), so the site works from any sub-path and from disk.
pub fn relative_root(url_path: &str) -> String {
    if url_path.is_empty() {
        "./".to_owned()
    } else {
        "../".repeat(url_path.matches('/').count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_served_by_their_index() {
        assert_eq!(
            VendorPage::Html.output_path("acme"),
            PathBuf::from("vendors/acme/index.html")
        );
        assert_eq!(
            VendorPage::Json.output_path("acme"),
            PathBuf::from("api/vendors/acme.json")
        );
        let summary = SiteSummary::default();
        assert_eq!(
            ListPage::Index { page: 0 }.output_path(&summary),
            PathBuf::from("index.html")
        );
        assert_eq!(
            ListPage::ScimTax { page: 2 }.output_path(&summary),
            PathBuf::from("scim-tax/page/3/index.html")
        );
        assert_eq!(
            ListPage::Sitemap.output_path(&summary),
            PathBuf::from("sitemap.xml")
        );
    }

    #[test]
    fn long_lists_take_as_many_pages_as_their_length_needs() {
        assert_eq!(page_count(0, 250), 1);
        assert_eq!(page_count(250, 250), 1);
        assert_eq!(page_count(251, 250), 2);
        assert_eq!(page_count(10_000, 250), 40);
        let summary = SiteSummary {
            by_name: (0..501).collect(),
            page_size: 250,
            ..SiteSummary::default()
        };
        let index: Vec<String> = list_pages(&summary)
            .into_iter()
            .filter(|p| matches!(p, ListPage::Index { .. }))
            .map(|p| p.url_path(&summary))
            .collect();
        assert_eq!(index, ["", "page/2/", "page/3/"]);
        assert_eq!(ListPage::Index { page: 2 }.list_path(&summary).unwrap(), "");
    }

    #[test]
    fn links_are_relative_to_the_page() {
        assert_eq!(relative_root(""), "./");
        assert_eq!(relative_root("vendors/acme/"), "../../");
        assert_eq!(base_path("https://example.org/scim/"), "/scim/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_url("https://example.org//"), "https://example.org/");
    }
}
