//! Long lists come a page at a time: without JavaScript, following each list's "Next" links
//! from its first page reaches every vendor of the list once, in the order of the list's data
//! (`api/lists.js`, which the script pages through), and every page is in the sitemap.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::*;
use scraper::{Html, Selector};
use serde_json::Value;

/// The shipped catalogue (405 vendors) at `paginate_by` vendors a page.
fn shipped_site_at(paginate_by: u32) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("data"), &root.path().join("data"));
    let site_yaml = root.path().join("data/site.yaml");
    let mut config = read(&site_yaml);
    config.push_str(&format!("paginate_by: {paginate_by}\n"));
    fs::write(&site_yaml, config).unwrap();
    let root_arg = root.path().to_str().unwrap();
    let output = run_on_day(
        SHIPPED_TODAY_EPOCH,
        &["build", "--quiet", "--root", root_arg],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    root
}

/// `window.scimfactsLists` of `api/lists.js`.
fn list_data(site: &Path) -> Value {
    let script = read(site.join("site/api/lists.js"));
    let start = script.find('{').unwrap();
    let end = script.rfind('}').unwrap();
    serde_json::from_str(&script[start..=end]).unwrap()
}

/// One page of a list, as read without JavaScript.
struct ListPage {
    /// The vendors its rows link to, in order.
    slugs: Vec<String>,
    /// Where its "Next" and "Previous" links go, relative to the page.
    next: Option<String>,
    previous: Option<String>,
    /// Every link of its page navigation.
    nav_links: Vec<String>,
    title: String,
}

fn read_list_page(file: &Path) -> ListPage {
    let html = Html::parse_document(&read(file));
    let selector = |s: &str| Selector::parse(s).unwrap();
    let slugs = html
        .select(&selector("table[data-list] tbody tr th a"))
        .map(|a| {
            let href = a.value().attr("href").unwrap();
            let slug = href.trim_end_matches('/').rsplit('/').next().unwrap();
            slug.to_owned()
        })
        .collect();
    let href = |a: scraper::ElementRef| a.value().attr("href").unwrap().to_owned();
    ListPage {
        slugs,
        next: html
            .select(&selector("nav[data-pagination] a[rel=next]"))
            .next()
            .map(href),
        previous: html
            .select(&selector("nav[data-pagination] a[rel=prev]"))
            .next()
            .map(href),
        nav_links: html
            .select(&selector("nav[data-pagination] a"))
            .map(href)
            .collect(),
        title: html
            .select(&selector("title"))
            .next()
            .unwrap()
            .text()
            .collect(),
    }
}

/// Follows "Next" from the list's first page (`first`, below the output folder): every page's
/// vendors in order, and the pages visited.
fn follow_list(
    out: &Path,
    first: &str,
    titles: &mut BTreeSet<String>,
) -> (Vec<String>, Vec<String>) {
    let mut slugs = Vec::new();
    let mut pages = vec![first.to_owned()];
    let mut at = first.to_owned();
    loop {
        let file = out.join(&at).join("index.html");
        let page = read_list_page(&file);
        assert!(
            titles.insert(page.title.clone()),
            "{at}: title {:?} twice",
            page.title
        );
        for link in &page.nav_links {
            let target = out.join(&at).join(link).join("index.html");
            assert!(target.is_file(), "{at}: page link {link} goes nowhere");
        }
        slugs.extend(page.slugs);
        // "Previous" leads back to the page before, and the first page has none.
        let previous = page.previous.map(|p| normalise(&format!("{at}{p}")));
        assert_eq!(
            previous.as_ref(),
            pages.iter().rev().nth(1),
            "{at}: Previous"
        );
        let Some(next) = page.next else { break };
        at = normalise(&format!("{at}{next}"));
        assert!(!pages.contains(&at), "{at} reached twice");
        pages.push(at.clone());
    }
    (slugs, pages)
}

/// `idps/okta/page/2/../../` → `idps/okta/`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.iter().map(|p| format!("{p}/")).collect()
}

fn strings(values: impl Iterator<Item = Option<String>>) -> Vec<String> {
    values.map(Option::unwrap).collect()
}

#[test]
fn without_javascript_every_vendor_of_every_list_is_reached_in_order_by_its_page_links() {
    let root = shipped_site_at(40);
    let out = root.path().join("site");
    let data = list_data(root.path());
    let vendors = data["vendors"].as_array().unwrap();
    let by_name = strings(
        vendors
            .iter()
            .map(|v| v["slug"].as_str().map(str::to_owned)),
    );
    assert_eq!(by_name.len(), 405);
    let mut titles = BTreeSet::new();
    let mut visited = Vec::new();

    let (index, pages) = follow_list(&out, "", &mut titles);
    assert_eq!(index, by_name, "the index's pages");
    assert_eq!(pages.len(), 11, "{pages:?}");
    visited.extend(pages);

    for idp in data["idps"].as_array().unwrap() {
        let first = format!("idps/{}/", idp.as_str().unwrap());
        let (slugs, pages) = follow_list(&out, &first, &mut titles);
        assert_eq!(slugs, by_name, "{first}");
        visited.extend(pages);
    }

    let ranking = strings(
        data["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["slug"].as_str().map(str::to_owned)),
    );
    let (ranked, pages) = follow_list(&out, "scim-tax/", &mut titles);
    assert_eq!(ranked, ranking, "the SCIM tax ranking");
    assert!(pages.len() >= 2, "{pages:?}");
    visited.extend(pages);

    let categories: BTreeSet<&str> = vendors
        .iter()
        .filter_map(|v| v["category_slug"].as_str())
        .collect();
    for category in categories {
        let first = format!("categories/{category}/");
        let expected: Vec<String> = vendors
            .iter()
            .filter(|v| v["category_slug"] == category)
            .map(|v| v["slug"].as_str().unwrap().to_owned())
            .collect();
        let (slugs, pages) = follow_list(&out, &first, &mut titles);
        assert_eq!(slugs, expected, "{first}");
        visited.extend(pages);
    }

    // Search engines find every page of every list (and so every vendor) in the sitemap.
    let sitemap = read(out.join("sitemap.xml"));
    for page in &visited {
        let url = format!("<loc>https://scimfacts.example.org/{page}</loc>");
        assert!(sitemap.contains(&url), "{page} is not in the sitemap");
    }
    // No page past a list's end is written.
    assert!(!out.join("page/12").exists());
}

#[test]
fn a_page_of_a_list_says_which_vendors_it_shows_and_links_its_neighbours() {
    let site = fixture_copy("good");
    let site_yaml = site.path().join("data/site.yaml");
    fs::write(&site_yaml, read(&site_yaml) + "paginate_by: 2\n").unwrap();
    let output = run_in(site.path(), &["build", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let page = read(site.path().join("site/page/2/index.html"));
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    insta::assert_snapshot!(main);
}
