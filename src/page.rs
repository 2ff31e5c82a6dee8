//! Where every output of a site lives: the pages that list vendors, each vendor's own page
//! and JSON, and the URL and path helpers every stage shares.
//!
//! A page's address depends only on what it shows: a vendor's own outputs on its slug, the
//! list pages on the site's summary (which providers and categories exist).

use std::path::PathBuf;

use crate::compute::SiteSummary;

/// A page that shows many vendors (or none): re-rendered whenever any record changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListPage {
    /// `/`: every vendor in one comparison table.
    Index,
    /// `/404.html`.
    NotFound,
    /// `/idps/`: coverage counts per identity provider.
    Idps,
    /// The provider at this index of `SiteSummary::idp_coverage`.
    Idp(usize),
    /// `/scim-tax/`: vendors ranked by the SCIM premium.
    ScimTax,
    /// `/categories/`.
    Categories,
    /// The category at this index of `SiteSummary::categories`.
    Category(usize),
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
            ListPage::Index => "index.html",
            ListPage::NotFound => "404.html",
            ListPage::Idps => "idps.html",
            ListPage::Idp(_) => "idp.html",
            ListPage::ScimTax => "scim_tax.html",
            ListPage::Categories => "categories.html",
            ListPage::Category(_) => "category.html",
            ListPage::Sitemap => "sitemap.xml",
            ListPage::Robots => "robots.txt",
            ListPage::Feed => "feed.xml",
            ListPage::About => "about.html",
            ListPage::Stack => "stack.html",
            ListPage::Compare => "compare.html",
            ListPage::ApiVendors | ListPage::ApiCsv | ListPage::ApiPricing => return None,
        })
    }

    /// The page's path below the site root, as linked: folders end in `/`.
    pub fn url_path(self, summary: &SiteSummary) -> String {
        match self {
            ListPage::Index => String::new(),
            ListPage::NotFound => "404.html".to_owned(),
            ListPage::Idps => "idps/".to_owned(),
            ListPage::Idp(i) => format!("idps/{}/", summary.idp_coverage[i].id),
            ListPage::ScimTax => "scim-tax/".to_owned(),
            ListPage::Categories => "categories/".to_owned(),
            ListPage::Category(i) => format!("categories/{}/", summary.categories[i].slug),
            ListPage::Sitemap => "sitemap.xml".to_owned(),
            ListPage::Robots => "robots.txt".to_owned(),
            ListPage::Feed => "feed.xml".to_owned(),
            ListPage::ApiVendors => "api/vendors.json".to_owned(),
            ListPage::ApiCsv => "api/vendors.csv".to_owned(),
            ListPage::About => "about/".to_owned(),
            ListPage::Stack => "stack/".to_owned(),
            ListPage::Compare => "compare/".to_owned(),
            ListPage::ApiPricing => "api/pricing.js".to_owned(),
        }
    }

    /// The file this page is written to, relative to the output folder.
    pub fn output_path(self, summary: &SiteSummary) -> PathBuf {
        file_of(self.url_path(summary))
    }
}

/// Every page that lists vendors, in a stable order.
pub fn list_pages(summary: &SiteSummary) -> Vec<ListPage> {
    let mut pages = vec![
        ListPage::Index,
        ListPage::NotFound,
        ListPage::Idps,
        ListPage::ScimTax,
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
    ];
    pages.extend((0..summary.idp_coverage.len()).map(ListPage::Idp));
    pages.extend((0..summary.categories.len()).map(ListPage::Category));
    pages
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
            ListPage::Index.output_path(&summary),
            PathBuf::from("index.html")
        );
        assert_eq!(
            ListPage::Sitemap.output_path(&summary),
            PathBuf::from("sitemap.xml")
        );
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
