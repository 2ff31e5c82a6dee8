//! The templates a site renders with: the built-in ones, replaced or joined by the files of
//! the site's `templates/` folder.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, display_path};
use crate::load::{SizeLimit, decode_source, list_input_files, read_input_file};

/// The templates every site has, unless it overrides them.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("charts.html", include_str!("../../templates/charts.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("vendor.html", include_str!("../../templates/vendor.html")),
    ("idps.html", include_str!("../../templates/idps.html")),
    ("idp.html", include_str!("../../templates/idp.html")),
    (
        "scim_tax.html",
        include_str!("../../templates/scim_tax.html"),
    ),
    (
        "categories.html",
        include_str!("../../templates/categories.html"),
    ),
    (
        "category.html",
        include_str!("../../templates/category.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("about.html", include_str!("../../templates/about.html")),
    ("stack.html", include_str!("../../templates/stack.html")),
    ("compare.html", include_str!("../../templates/compare.html")),
    ("changes.html", include_str!("../../templates/changes.html")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
];

/// The folder of the site's own templates, below the site root.
pub const TEMPLATES_DIR: &str = "templates";

type TemplateSources = (Vec<(String, String)>, HashMap<String, String>);

/// The built-in templates, replaced or joined by the site's own, with the path to show for
/// each in diagnostics.
pub(super) fn template_sources(root: &Path) -> Result<TemplateSources, Vec<Diagnostic>> {
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
    let (files, mut problems) = list_input_files(root, TEMPLATES_DIR, Some(is_template_name));
    for (name, path) in files {
        match read_template(root, &path) {
            Ok(text) => {
                sources.retain(|(n, _)| *n != name);
                sources.push((name.clone(), text));
                origins.insert(name, display_path(root, &path).display().to_string());
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok((sources, origins))
    } else {
        Err(problems)
    }
}

/// Templates larger than this are refused before they are read: the built-in ones are a few
/// kilobytes, and a huge one is a mistake (or an attack) that would cost memory for nothing.
const TEMPLATE_LIMIT: SizeLimit = SizeLimit {
    bytes: 1024 * 1024,
    usually: "a template is a few kilobytes",
};

fn is_template_name(name: &str) -> bool {
    matches!(name.rsplit_once('.'), Some((_, "html" | "xml" | "txt")))
}

/// The text of one of the site's templates: a plain file inside the root, not too large, in
/// UTF-8, and not empty. An empty one would write empty pages; caught half-saved (emptied,
/// then written) it would publish them during `serve`.
fn read_template(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let shown = display_path(root, path);
    let bytes = read_input_file(root, path, TEMPLATE_LIMIT)
        .map_err(|problem| Diagnostic::error(shown.clone(), problem))?;
    let source = decode_source(shown, bytes)?;
    if source.text.trim().is_empty() {
        return Err(Diagnostic::error(
            source.path,
            "empty template: it would write empty pages. Delete it to use the built-in one, \
             or if empty pages are meant, say so in a comment ({# empty on purpose #})",
        ));
    }
    Ok(source.text)
}
