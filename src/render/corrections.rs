//! "Edit this record" and "Report a problem": the links a vendor page gives its readers when
//! `site.yaml` names the repository the records live in.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::compute::{ComputedVendor, SiteFacts};
use crate::diagnostic::slashed;
use crate::model::{LinkKind, LinkPart, RepositorySettings, parse_link};

/// Everything but RFC 3986's unreserved characters is encoded, so that a value is one path
/// segment or one query value wherever the template puts it.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The links of one vendor page; either may be absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct CorrectionLinks {
    /// The record's file in the repository's web editor.
    pub(super) edit: Option<String>,
    /// A new issue about the vendor, prefilled.
    pub(super) report: Option<String>,
}

/// What fills a link's placeholders for one vendor, before encoding.
pub struct LinkValues<'a> {
    /// The record's file from the repository's top, with `/` between folders.
    pub path: String,
    /// The vendor's slug.
    pub slug: &'a str,
    /// The vendor's name.
    pub name: &'a str,
    /// The vendor page's absolute address.
    pub page: &'a str,
    /// The record's `verified` date, or `unknown`.
    pub verified: String,
    /// A commit's full id, for the commit link; empty for the others.
    pub commit: &'a str,
}

/// The links of `vendor`'s page at `page`, when the site names its repository.
pub(super) fn correction_links(
    facts: &SiteFacts,
    vendor: &ComputedVendor,
    page: &str,
) -> Option<CorrectionLinks> {
    let repository = facts.config.repository.as_ref()?;
    let entry = &vendor.entry;
    let values = LinkValues {
        path: format!("{}{}", facts.repository_folder, slashed(&entry.path)),
        slug: &entry.slug,
        name: &entry.record.name,
        page,
        verified: entry
            .record
            .verified
            .map_or_else(|| "unknown".to_owned(), |date| date.to_string()),
        commit: "",
    };
    let links = CorrectionLinks {
        edit: expand_link(repository, LinkKind::Edit, &values),
        report: expand_link(repository, LinkKind::Report, &values),
    };
    (links.edit.is_some() || links.report.is_some()).then_some(links)
}

/// The link to `commit` in the site's repository, when it names one with a commit link.
pub fn commit_link(facts: &SiteFacts, commit: &str) -> Option<String> {
    let repository = facts.config.repository.as_ref()?;
    let values = LinkValues {
        path: String::new(),
        slug: "",
        name: "",
        page: "",
        verified: String::new(),
        commit,
    };
    expand_link(repository, LinkKind::Commit, &values)
}

/// The link of `kind` with every placeholder filled and encoded; none when the repository
/// has no such link or its template is broken (which `check` reports).
pub fn expand_link(
    repository: &RepositorySettings,
    kind: LinkKind,
    values: &LinkValues,
) -> Option<String> {
    let parts = parse_link(repository.link(kind)?).ok()?;
    let mut link = String::new();
    for part in parts {
        match part {
            LinkPart::Text(text) => link.push_str(text),
            LinkPart::Placeholder(name) => push_value(&mut link, repository, name, values),
        }
    }
    Some(link)
}

fn push_value(link: &mut String, repository: &RepositorySettings, name: &str, v: &LinkValues) {
    let component = |link: &mut String, value: &str| {
        link.extend(utf8_percent_encode(value, COMPONENT));
    };
    match name {
        "repository" => link.push_str(repository.base()),
        // Folders stay folders: `/` is kept between encoded segments.
        "branch" => push_segments(link, &repository.branch),
        "path" => push_segments(link, &v.path),
        "slug" => component(link, v.slug),
        "name" => component(link, v.name),
        "page" => component(link, v.page),
        "verified" => component(link, &v.verified),
        "title" => component(link, &report_title(v.name)),
        "body" => component(link, &report_body(v)),
        "commit" => component(link, v.commit),
        _ => {}
    }
}

fn push_segments(link: &mut String, path: &str) {
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            link.push('/');
        }
        link.extend(utf8_percent_encode(segment, COMPONENT));
    }
}

/// The title of a new report.
fn report_title(name: &str) -> String {
    format!("Wrong or outdated fact: {name}")
}

/// The text a new report starts with: what the maintainers need to find and check the fact.
fn report_body(v: &LinkValues) -> String {
    format!(
        "Vendor: {}\nPage: {}\nRecord: {}\nVerified: {}\n\nWhat is wrong, and what is right?\n\n\
         Where can it be checked (a link to the vendor's pricing or documentation)?\n",
        v.name, v.page, v.path, v.verified
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> LinkValues<'static> {
        LinkValues {
            path: "catalogue/data/vendors/acme & co.yaml".to_owned(),
            slug: "acme-co",
            name: "Acme & Co?",
            page: "https://facts.example/vendors/acme-co/",
            verified: "2026-05-01".to_owned(),
            commit: "",
        }
    }

    fn repository(url: &str) -> RepositorySettings {
        serde_saphyr::from_str(&format!("url: {url}\nbranch: release/2026\n")).unwrap()
    }

    #[test]
    fn github_links_open_the_editor_and_a_prefilled_issue_form() {
        let github = repository("https://github.com/acme/facts/");
        assert_eq!(
            expand_link(&github, LinkKind::Edit, &values()).unwrap(),
            "https://github.com/acme/facts/edit/release/2026/catalogue/data/vendors/acme%20%26%20co.yaml"
        );
        let report = expand_link(&github, LinkKind::Report, &values()).unwrap();
        assert_eq!(
            report,
            "https://github.com/acme/facts/issues/new?template=wrong-fact.yml\
             &title=Wrong%20or%20outdated%20fact%3A%20Acme%20%26%20Co%3F&vendor=Acme%20%26%20Co%3F\
             &page=https%3A%2F%2Ffacts.example%2Fvendors%2Facme-co%2F\
             &record=catalogue/data/vendors/acme%20%26%20co.yaml&verified=2026-05-01"
        );
    }

    #[test]
    fn a_body_carries_the_vendor_the_page_the_record_and_its_date() {
        let gitlab = repository("https://gitlab.com/acme/facts");
        let report = expand_link(&gitlab, LinkKind::Report, &values()).unwrap();
        let body = report.split("[description]=").nth(1).unwrap();
        let body = percent_encoding::percent_decode_str(body)
            .decode_utf8()
            .unwrap();
        assert!(body.starts_with(
            "Vendor: Acme & Co?\nPage: https://facts.example/vendors/acme-co/\n\
             Record: catalogue/data/vendors/acme & co.yaml\nVerified: 2026-05-01\n"
        ));
    }

    #[test]
    fn commits_link_to_the_hosts_commit_page_or_the_link_set() {
        let commit = LinkValues {
            commit: "0123abc",
            ..values()
        };
        let link = |repository| expand_link(&repository, LinkKind::Commit, &commit);
        assert_eq!(
            link(repository("https://github.com/acme/facts")).unwrap(),
            "https://github.com/acme/facts/commit/0123abc"
        );
        assert_eq!(
            link(repository("https://gitlab.com/group/sub/facts")).unwrap(),
            "https://gitlab.com/group/sub/facts/-/commit/0123abc"
        );
        assert_eq!(link(repository("https://git.example/a")), None);
        let own: RepositorySettings = serde_saphyr::from_str(
            "url: https://git.example/a\ncommit_link: '{repository}/c/{commit}'\n",
        )
        .unwrap();
        assert_eq!(link(own).unwrap(), "https://git.example/a/c/0123abc");
    }

    #[test]
    fn an_empty_or_unknown_link_gives_none() {
        let own: RepositorySettings =
            serde_saphyr::from_str("url: https://git.example/a\nreport_link: ''\n").unwrap();
        assert_eq!(expand_link(&own, LinkKind::Edit, &values()), None);
        assert_eq!(expand_link(&own, LinkKind::Report, &values()), None);
    }
}
