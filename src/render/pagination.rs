//! One page of a long list (the index, an identity provider's page, the SCIM tax ranking, a
//! category): which of the list's vendors it shows, and the links to its other pages. Without
//! JavaScript a reader (and a search engine) reaches every vendor by these links, in order;
//! with it, `static/list.js` sorts and filters the whole list and pages through the result the
//! same way (its `pageLinks` repeats [`page_links`]).

use serde::Serialize;

use crate::money::format_count;
use crate::page::{list_page_path, page_count};

/// `list` in the templates of the paginated pages.
#[derive(Debug, Serialize)]
pub(super) struct ListView {
    /// Which rows `static/list.js` makes: `vendors`, `idp` or `ranking`; `changes` for the
    /// changes of price history, which have no script.
    kind: &'static str,
    /// Whose list it is: a category's slug, an identity provider's id.
    scope: Option<String>,
    /// This page, from 1.
    pub(super) page: usize,
    /// How many pages the list takes (at least 1).
    pages: usize,
    /// How many vendors a page shows.
    page_size: usize,
    /// How many vendors the whole list holds.
    total: usize,
    /// The list's first page, below the site root (`idps/okta/`).
    base: String,
    /// The previous and next pages, below the site root.
    previous: Option<String>,
    next: Option<String>,
    /// Links to the first and last pages and to those near this one.
    links: Vec<PageLink>,
    /// What the page shows, for the reader: "Showing 251–500 of 10,000 vendors".
    status: String,
}

/// A link in a list's page navigation, or (without a number) the gap between two.
#[derive(Debug, Serialize, PartialEq)]
struct PageLink {
    number: Option<usize>,
    /// Below the site root.
    url: String,
    current: bool,
}

impl ListView {
    /// Page `page` (from 0) of the list of `kind` of `scope`, of `total` vendors, whose first
    /// page is at `base`, at
    /// `page_size` vendors a page.
    pub(super) fn new(
        (kind, scope): (&'static str, Option<String>),
        base: String,
        total: usize,
        page_size: usize,
        page: usize,
    ) -> ListView {
        let pages = page_count(total, page_size);
        let rows = page_rows(total, page_size, page);
        let url = |number: usize| list_page_path(&base, number - 1);
        let number = page + 1;
        ListView {
            kind,
            scope,
            page: number,
            pages,
            page_size,
            total,
            previous: (number > 1).then(|| url(number - 1)),
            next: (number < pages).then(|| url(number + 1)),
            links: page_links(number, pages)
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: n.map(url).unwrap_or_default(),
                    current: n == Some(number),
                })
                .collect(),
            status: status(rows.start, rows.end, total, kind),
            base,
        }
    }

    /// How many pages the list takes.
    pub(super) fn pages(&self) -> usize {
        self.pages
    }

    /// The positions in the whole list of the vendors this page shows.
    pub(super) fn rows(&self) -> std::ops::Range<usize> {
        page_rows(self.total, self.page_size, self.page - 1)
    }
}

/// The positions in a list of `total` of the vendors on page `page` (from 0).
fn page_rows(total: usize, page_size: usize, page: usize) -> std::ops::Range<usize> {
    let start = page.saturating_mul(page_size).min(total);
    start..start.saturating_add(page_size).min(total)
}

/// The pages a navigation links to from page `current` (from 1) of `pages`: the first, the
/// last, and two either side of the current one; `None` stands for the pages left out.
fn page_links(current: usize, pages: usize) -> Vec<Option<usize>> {
    let mut links = Vec::new();
    for number in 1..=pages {
        let near = number.abs_diff(current) <= 2;
        if number == 1 || number == pages || near {
            links.push(Some(number));
        } else if links.last() != Some(&None) {
            links.push(None);
        }
    }
    links
}

/// "Showing 251–500 of 10,000 vendors" (as `static/list.js` says it too).
fn status(start: usize, end: usize, total: usize, kind: &str) -> String {
    let (ranked, one, many) = match kind {
        "ranking" => ("ranked ", "vendor", "vendors"),
        "changes" => ("", "change", "changes"),
        _ => ("", "vendor", "vendors"),
    };
    if total == 0 {
        return format!("No {ranked}{many}");
    }
    let noun = if total == 1 { one } else { many };
    let rows = if end - start == 1 {
        format_count(end)
    } else {
        format!("{}–{}", format_count(start + 1), format_count(end))
    };
    format!("Showing {rows} of {} {ranked}{noun}", format_count(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_navigation_links_the_ends_and_the_pages_near_this_one() {
        assert_eq!(page_links(1, 1), [Some(1)]);
        assert_eq!(page_links(1, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_links(1, 40),
            [Some(1), Some(2), Some(3), None, Some(40)]
        );
        assert_eq!(
            page_links(20, 40),
            [
                Some(1),
                None,
                Some(18),
                Some(19),
                Some(20),
                Some(21),
                Some(22),
                None,
                Some(40)
            ]
        );
        // A gap of one page is still a gap: the link count stays small at any length.
        assert_eq!(
            page_links(5, 8),
            [
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8)
            ]
        );
    }

    #[test]
    fn each_page_shows_its_share_of_the_list() {
        let last = ListView::new(
            ("idp", Some("okta".to_owned())),
            "idps/okta/".to_owned(),
            501,
            250,
            2,
        );
        assert_eq!(last.rows(), 500..501);
        assert_eq!(last.status, "Showing 501 of 501 vendors");
        assert_eq!(last.previous.as_deref(), Some("idps/okta/page/2/"));
        assert_eq!(last.next, None);
        let first = ListView::new(("vendors", None), String::new(), 10_000, 250, 0);
        assert_eq!(first.rows(), 0..250);
        assert_eq!(first.status, "Showing 1–250 of 10,000 vendors");
        assert_eq!(first.next.as_deref(), Some("page/2/"));
        assert_eq!(first.links.last().unwrap().url, "page/40/");
        let empty = ListView::new(("ranking", None), "scim-tax/".to_owned(), 0, 250, 0);
        assert_eq!((empty.rows(), empty.pages), (0..0, 1));
        assert_eq!(empty.status, "No ranked vendors");
    }
}
