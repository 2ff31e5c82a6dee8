//! `repository:` in `site.yaml`: its address, branch and the links made from them.

use super::Problem;
use super::urls::check_url;
use crate::model::{LinkKind, LinkPart, RepositorySettings, parse_link};

pub(super) fn check_repository(repository: &RepositorySettings, problems: &mut Vec<Problem>) {
    let before = problems.len();
    check_url(problems, "repository.url", &repository.url);
    let url_is_sound = problems.len() == before;
    if repository.url.contains(['?', '#']) {
        problems.push(Problem::error(
            "repository.url",
            "has a query or a fragment (? or #): expected the repository's own address, \
             e.g. https://github.com/acme/scim-facts",
        ));
    }
    let branch = &repository.branch;
    if branch.trim().is_empty() || branch.contains(|c: char| c.is_whitespace() || c.is_control()) {
        problems.push(Problem::error(
            "repository.branch",
            "expected the name of the branch edits are made on, without spaces (e.g. main)",
        ));
    }
    if url_is_sound && let Some(problem) = repository_path_problem(repository) {
        problems.push(Problem::error("repository.url", problem));
    }
    for kind in [LinkKind::Edit, LinkKind::Report, LinkKind::Commit] {
        check_link(repository, kind, problems);
    }
    let set = |link: &Option<String>| link.is_some();
    if url_is_sound
        && repository.host_default(LinkKind::Edit).is_none()
        && !set(&repository.edit_link)
        && !set(&repository.report_link)
    {
        problems.push(Problem::error(
            "repository.url",
            "is not on github.com, gitlab.com or codeberg.org, whose links are known: set \
             repository.edit_link and repository.report_link (see the README), or leave \
             repository out",
        ));
    }
}

/// A link template must use only known placeholders and, filled, be an http(s) URL. Values
/// are percent-encoded when filled in, so only the template's own text can break the URL.
fn check_link(repository: &RepositorySettings, kind: LinkKind, problems: &mut Vec<Problem>) {
    let field = format!("repository.{}", kind.key());
    let Some(template) = repository.link(kind) else {
        return;
    };
    let parts = match parse_link(template) {
        Ok(parts) => parts,
        Err(why) => return problems.push(Problem::error(field, why)),
    };
    if let Some(why) = commit_placeholder_problem(kind, &parts) {
        return problems.push(Problem::error(field, why));
    }
    let sample: String = parts
        .iter()
        .map(|part| match part {
            LinkPart::Text(text) => *text,
            LinkPart::Placeholder("repository") => repository.base(),
            LinkPart::Placeholder(_) => "x",
        })
        .collect();
    let mut found = Vec::new();
    check_url(&mut found, &field, &sample);
    if !found.is_empty() {
        problems.push(Problem::error(
            field,
            format!(
                "\"{template}\" does not make an http(s) URL: expected it to start with \
                 {{repository}} or https://"
            ),
        ));
    }
}

/// `{commit}` has a value in `commit_link` alone, which has no record's values: it takes
/// `{repository}` and `{commit}`, and must have `{commit}`.
fn commit_placeholder_problem(kind: LinkKind, parts: &[LinkPart<'_>]) -> Option<String> {
    let names_commit = parts.contains(&LinkPart::Placeholder("commit"));
    if kind != LinkKind::Commit {
        return names_commit
            .then(|| "has {commit}, which only commit_link has a value for".to_owned());
    }
    let other = parts.iter().find_map(|part| match part {
        LinkPart::Placeholder(name) if !matches!(*name, "repository" | "commit") => Some(name),
        _ => None,
    });
    if let Some(name) = other {
        return Some(format!(
            "has {{{name}}}, which a commit has no value for: commit_link takes {{repository}} \
             and {{commit}}"
        ));
    }
    (!names_commit).then(|| {
        "has no {commit}: expected the commit's place in the link, e.g. \
         {repository}/commit/{commit}"
            .to_owned()
    })
}

/// On the hosts whose links are made from the repository's address, that address must be the
/// repository's own: a page of it (`/tree/main`), an owner alone or a clone URL (`.git`) would
/// make every link lead nowhere.
fn repository_path_problem(repository: &RepositorySettings) -> Option<String> {
    repository.host_default(LinkKind::Edit)?;
    let segments = repository.path_segments();
    // GitLab nests projects in groups; GitHub and Codeberg have an owner and a name.
    let count_fits = if repository.is_on("gitlab.com") {
        segments.len() >= 2
    } else {
        segments.len() == 2
    };
    let clean = segments
        .iter()
        .all(|segment| !segment.is_empty() && *segment != "-" && !segment.ends_with(".git"));
    (!count_fits || !clean).then(|| {
        format!(
            "\"{}\" is not a repository's own address: expected https://HOST/OWNER/REPOSITORY, \
             as the repository's home page shows it (without /tree/..., /-/... or .git)",
            repository.url
        )
    })
}
