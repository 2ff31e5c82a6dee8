//! Diagnostics for machines: GitHub Actions' workflow commands, which show each problem on
//! its line of a pull request, and JSON for any other tool.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::{Diagnostic, Diagnostics, Severity};

/// How `check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// `error: file:line:column: field: message`, one per line, for people.
    #[default]
    Text,
    /// `::error file=…,line=…,col=…,title=…::message`, for GitHub Actions.
    Github,
    /// An array of objects, for other tools.
    Json,
}

/// One diagnostic as the JSON report writes it: flat, every key present.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    /// None for a problem of no file (the site root missing, say).
    file: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
    field: Option<&'a str>,
    message: &'a str,
}

impl Diagnostics {
    /// The problems as workflow commands. GitHub places an annotation by its path from the
    /// repository's top, so each file is named from there: `folder` is the site root's folder
    /// inside the repository (`catalogue/`, or empty).
    pub fn to_github(&self, folder: &str) -> String {
        let mut out = String::new();
        for diagnostic in self.iter() {
            out.push_str(&github_annotation(diagnostic, folder));
            out.push('\n');
        }
        out
    }

    /// The problems as a JSON array (see the README for its keys), with a final line break.
    pub fn to_json(&self) -> String {
        let rows: Vec<JsonDiagnostic> = self.iter().map(json_diagnostic).collect();
        let mut out = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_owned());
        out.push('\n');
        out
    }
}

fn json_diagnostic(diagnostic: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        severity: diagnostic.severity,
        file: Some(slashed(&diagnostic.file)).filter(|file| !file.is_empty()),
        line: diagnostic.position.map(|p| p.line),
        column: diagnostic.position.map(|p| p.column),
        field: diagnostic.field.as_deref(),
        message: &diagnostic.message,
    }
}

/// `::error file=data/x.yaml,line=3,col=5,title=scim.tier::"Enterprize" is not a tier`.
fn github_annotation(diagnostic: &Diagnostic, folder: &str) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    let file = slashed(&diagnostic.file);
    if !file.is_empty() {
        let file = if Path::new(&file).is_absolute() {
            file
        } else {
            format!("{folder}{file}")
        };
        properties.push(format!("file={}", escape_property(&file)));
    }
    if let Some(position) = diagnostic.position {
        properties.push(format!("line={}", position.line));
        properties.push(format!("col={}", position.column));
    }
    if let Some(field) = &diagnostic.field {
        properties.push(format!("title={}", escape_property(field)));
    }
    let mut line = format!("::{command}");
    if !properties.is_empty() {
        let _ = write!(line, " {}", properties.join(","));
    }
    let _ = write!(line, "::{}", escape_data(&diagnostic.message));
    line
}

/// A path with `/` between its parts on every system, as GitHub, JSON readers and git expect.
pub fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A workflow command's message: `%`, CR and LF are encoded, as the runner decodes them; other
/// control characters from the input are shown escaped, as in the text report.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() => {
                let _ = write!(out, "{}", c.escape_default());
            }
            c => out.push(c),
        }
    }
    out
}

/// A workflow command's property value: also `:` and `,`, which end one.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::super::Position;
    use super::*;

    fn sample() -> Diagnostics {
        [
            Diagnostic::error(
                "data/vendors/code42.yaml",
                "\"Enterprize\" is not a tier: 100%\nsee",
            )
            .at(Some(Position {
                line: 14,
                column: 9,
            }))
            .field("scim.tier"),
            Diagnostic::warning("data/site.yaml", "a, b: c\u{1b}"),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn github_annotations_carry_file_line_column_and_field_escaped() {
        assert_eq!(
            sample().to_github("catalogue/"),
            "::error file=catalogue/data/vendors/code42.yaml,line=14,col=9,title=scim.tier::\
             \"Enterprize\" is not a tier: 100%25%0Asee\n\
             ::warning file=catalogue/data/site.yaml::a, b: c\\u{1b}\n"
        );
        let field = Diagnostic::error("a,b:c.yaml", "x").field("idps.a,b");
        assert_eq!(
            Diagnostics::from_iter([field]).to_github(""),
            "::error file=a%2Cb%3Ac.yaml,title=idps.a%2Cb::x\n"
        );
    }

    #[test]
    fn json_is_an_array_of_flat_diagnostics_with_every_key() {
        let json: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"severity": "error", "file": "data/vendors/code42.yaml", "line": 14,
                 "column": 9, "field": "scim.tier",
                 "message": "\"Enterprize\" is not a tier: 100%\nsee"},
                {"severity": "warning", "file": "data/site.yaml", "line": null,
                 "column": null, "field": null, "message": "a, b: c\u{1b}"}
            ])
        );
        assert_eq!(Diagnostics::new().to_json(), "[]\n");
    }
}
