//! `repository:` in `site.yaml`: where the records live, so that readers can correct them.
//! Vendor pages link to the record in the repository's web editor and to a new issue
//! prefilled with what the maintainers need to check a report.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where the site's records are kept, and how its web editor and issue form are reached.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepositorySettings {
    /// The repository's web address, e.g. `https://github.com/acme/scim-facts`.
    pub url: String,
    /// The branch edits are made on.
    #[serde(default = "default_branch")]
    pub branch: String,
    /// The link to a record in the web editor; placeholders as for `report_link`. Defaults
    /// to the host's own for github.com, gitlab.com and codeberg.org; empty for no link.
    #[serde(default)]
    pub edit_link: Option<String>,
    /// The link to a new issue about a vendor. Placeholders: `{repository}`, `{branch}`,
    /// `{path}` (the record's file in the repository), `{slug}`, `{name}`, `{page}` (the
    /// page's address), `{verified}`, `{title}` and `{body}` (a prefilled report). Defaults
    /// to the host's own for github.com, gitlab.com and codeberg.org; empty for no link.
    #[serde(default)]
    pub report_link: Option<String>,
    /// The link to a commit, for the price history: `{repository}` and `{commit}` (its full
    /// id). Defaults to the host's own for github.com, gitlab.com and codeberg.org; empty for
    /// no link.
    #[serde(default)]
    pub commit_link: Option<String>,
}

fn default_branch() -> String {
    "main".to_owned()
}

/// The placeholders a link may hold, in the order the README lists them.
pub const LINK_PLACEHOLDERS: [&str; 10] = [
    "repository",
    "branch",
    "path",
    "slug",
    "name",
    "page",
    "verified",
    "title",
    "body",
    "commit",
];

/// The links a host gives without settings: (host, edit link, report link, commit link).
const HOST_LINKS: [(&str, &str, &str, &str); 3] = [
    (
        "github.com",
        "{repository}/edit/{branch}/{path}",
        // The issue form `init` writes (`.github/ISSUE_TEMPLATE/wrong-fact.yml`) has fields of
        // these ids, which GitHub fills from the query.
        "{repository}/issues/new?template=wrong-fact.yml&title={title}&vendor={name}\
         &page={page}&record={path}&verified={verified}",
        "{repository}/commit/{commit}",
    ),
    (
        "gitlab.com",
        "{repository}/-/edit/{branch}/{path}",
        "{repository}/-/issues/new?issue[title]={title}&issue[description]={body}",
        "{repository}/-/commit/{commit}",
    ),
    (
        "codeberg.org",
        "{repository}/_edit/{branch}/{path}",
        "{repository}/issues/new?title={title}&body={body}",
        "{repository}/commit/{commit}",
    ),
];

/// Which link of a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `edit_link`.
    Edit,
    /// `report_link`.
    Report,
    /// `commit_link`.
    Commit,
}

impl LinkKind {
    /// The key in `site.yaml`.
    pub fn key(self) -> &'static str {
        match self {
            LinkKind::Edit => "edit_link",
            LinkKind::Report => "report_link",
            LinkKind::Commit => "commit_link",
        }
    }
}

impl RepositorySettings {
    /// The repository's address without a trailing slash, as `{repository}` gives it.
    pub fn base(&self) -> &str {
        self.url.trim_end_matches('/')
    }

    /// The link template of `kind`: the one set, else the host's default, else none.
    pub fn link(&self, kind: LinkKind) -> Option<&str> {
        let set = match kind {
            LinkKind::Edit => &self.edit_link,
            LinkKind::Report => &self.report_link,
            LinkKind::Commit => &self.commit_link,
        };
        match set.as_deref() {
            // An empty link turns the host's default off.
            Some(link) if link.trim().is_empty() => None,
            Some(link) => Some(link),
            None => self.host_default(kind),
        }
    }

    /// The host's own link of `kind`, for the hosts whose web editor and issue form are known.
    pub fn host_default(&self, kind: LinkKind) -> Option<&'static str> {
        let (_, edit, report, commit) = HOST_LINKS.iter().find(|(host, ..)| self.is_on(host))?;
        Some(match kind {
            LinkKind::Edit => edit,
            LinkKind::Report => report,
            LinkKind::Commit => commit,
        })
    }

    /// Whether the repository is on `host` (or `www.host`).
    pub fn is_on(&self, host: &str) -> bool {
        let authority = self.path_from_host().next().unwrap_or_default();
        authority.eq_ignore_ascii_case(host)
            || authority.eq_ignore_ascii_case(&format!("www.{host}"))
    }

    /// The folders of the repository's address below its host (`acme`, `facts`).
    pub fn path_segments(&self) -> Vec<&str> {
        self.path_from_host().skip(1).collect()
    }

    /// The address after its scheme, split at `/`: the host, then each folder.
    fn path_from_host(&self) -> std::str::Split<'_, char> {
        let base = self.base();
        let lower_scheme = |scheme: &str| {
            base.get(..scheme.len())
                .filter(|head| head.eq_ignore_ascii_case(scheme))
                .map(|_| &base[scheme.len()..])
        };
        lower_scheme("https://")
            .or_else(|| lower_scheme("http://"))
            .unwrap_or_default()
            .split('/')
    }
}

/// A piece of a link template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPart<'a> {
    /// Written as it is.
    Text(&'a str),
    /// Replaced by a value: one of [`LINK_PLACEHOLDERS`].
    Placeholder(&'a str),
}

/// Splits a link template into text and placeholders, or says what is wrong with it: a
/// placeholder no one fills, or a brace that opens or closes nothing.
pub fn parse_link(template: &str) -> Result<Vec<LinkPart<'_>>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("has a `}` that closes no placeholder".to_owned());
        }
        let Some(close) = rest[open..].find('}') else {
            return Err("has a `{` that is never closed".to_owned());
        };
        let name = &rest[open + 1..open + close];
        if !LINK_PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "has an unknown placeholder {{{name}}}: expected one of {}",
                LINK_PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
            ));
        }
        if open > 0 {
            parts.push(LinkPart::Text(&rest[..open]));
        }
        parts.push(LinkPart::Placeholder(name));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(LinkPart::Text(rest));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> RepositorySettings {
        RepositorySettings {
            url: url.to_owned(),
            branch: default_branch(),
            edit_link: None,
            report_link: None,
            commit_link: None,
        }
    }

    #[test]
    fn known_hosts_have_links_and_others_need_them_set() {
        let github = settings("https://github.com/acme/facts/");
        assert_eq!(github.base(), "https://github.com/acme/facts");
        assert_eq!(
            github.link(LinkKind::Edit),
            Some("{repository}/edit/{branch}/{path}")
        );
        assert!(
            settings("https://gitlab.com/a/b")
                .link(LinkKind::Report)
                .unwrap()
                .contains("/-/issues/new")
        );
        let own = settings("https://git.example.org/a/b");
        assert_eq!(own.link(LinkKind::Edit), None);
        let set = RepositorySettings {
            edit_link: Some("{repository}/src/{path}".to_owned()),
            ..own
        };
        assert_eq!(set.link(LinkKind::Edit), Some("{repository}/src/{path}"));
        assert_eq!(
            settings("https://notgithub.com/a").link(LinkKind::Edit),
            None
        );
    }

    #[test]
    fn templates_split_into_text_and_known_placeholders() {
        assert_eq!(
            parse_link("{repository}/edit/{branch}/{path}").unwrap(),
            [
                LinkPart::Placeholder("repository"),
                LinkPart::Text("/edit/"),
                LinkPart::Placeholder("branch"),
                LinkPart::Text("/"),
                LinkPart::Placeholder("path"),
            ]
        );
        assert!(parse_link("{repo}/x").unwrap_err().contains("{repo}"));
        assert!(parse_link("x{path").unwrap_err().contains("never closed"));
        assert!(parse_link("x}").unwrap_err().contains("closes no"));
        assert!(
            parse_link("{}")
                .unwrap_err()
                .contains("unknown placeholder {}")
        );
    }
}
