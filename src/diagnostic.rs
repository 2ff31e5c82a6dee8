//! Problems found in the input, each one precise enough to act on: the file, the line and
//! column, the field, what was found and what was expected.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::Serialize;

mod formats;
pub use formats::{ReportFormat, slashed};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported; stops the build only with `check --strict`.
    Warning,
}

/// A line and column, both counted from 1 as editors show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// From 1.
    pub line: u64,
    /// From 1, in characters.
    pub column: u64,
}

/// One problem with an input: where it is and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Shown as given: relative to the site root when the file is inside it.
    pub file: PathBuf,
    /// Where in the file, when known.
    pub position: Option<Position>,
    /// The field path inside the file, e.g. `tiers[2].price.amount` (lists count from one).
    pub field: Option<String>,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// An error in `file`.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            position: None,
            field: None,
            message: message.into(),
        }
    }

    /// A warning about `file`.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// The problem at `position`.
    pub fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    /// The problem in `field` (a path such as `tiers[1].price`).
    pub fn field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.field = (!field.is_empty()).then_some(field);
        self
    }

    /// Whether it stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: ")?;
        write_escaped(f, &self.file.display().to_string(), false)?;
        if let Some(Position { line, column }) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        f.write_str(": ")?;
        if let Some(field) = &self.field {
            write_escaped(f, field, false)?;
            f.write_str(": ")?;
        }
        write_escaped(f, &self.message, true)
    }
}

/// Writes `text` with control characters shown as escapes (`\u{1b}`): file names, keys and
/// values quoted in messages come from the input, and a terminal must not obey an escape
/// sequence hidden in a record. Line breaks stay in messages that span lines.
fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str, keep_line_breaks: bool) -> fmt::Result {
    for c in text.chars() {
        if c.is_control() && !(keep_line_breaks && c == '\n') {
            write!(f, "{}", c.escape_default())?;
        } else {
            f.write_char(c)?;
        }
    }
    Ok(())
}

/// Every problem found in one run, errors and warnings together, in a stable order (by file,
/// then position) so that output does not depend on thread scheduling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// No problems.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds problems.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    /// Whether any problem stops the build.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Whether there are no problems.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file, then place, and drops repeats, so that output does not depend on which
    /// thread finished first.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.position, a.severity, &a.field, &a.message)
                .cmp(&(&b.file, b.position, b.severity, &b.field, &b.message))
        });
        self.0.dedup();
    }

    /// One line per problem, then a count, as `check` prints them.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for diagnostic in &self.0 {
            out.push_str(&diagnostic.to_string());
            out.push('\n');
        }
        out
    }

    /// The count line printed after the problems.
    pub fn summary(&self) -> String {
        let errors = self.error_count();
        let warnings = self.warning_count();
        format!(
            "{errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        )
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The path to show for a file: relative to the site root when it lies inside it, so that
/// messages read `data/vendors/x.yaml` whatever `--root` was.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_names_file_position_field_and_message() {
        let d = Diagnostic::error("data/vendors/code42.yaml", "\"Enterprize\" is not a tier")
            .at(Some(Position {
                line: 14,
                column: 9,
            }))
            .field("scim.tier");
        assert_eq!(
            d.to_string(),
            "error: data/vendors/code42.yaml:14:9: scim.tier: \"Enterprize\" is not a tier"
        );
    }

    #[test]
    fn a_diagnostic_without_position_or_field_still_names_the_file() {
        let d = Diagnostic::warning("data/site.yaml", "no vendors");
        assert_eq!(d.to_string(), "warning: data/site.yaml: no vendors");
    }

    #[test]
    fn control_characters_from_the_input_are_shown_escaped() {
        let d = Diagnostic::error("data/vendors/\u{1b}[31mred.yaml", "\"a\u{7}b\"\nnext line")
            .field("x\u{0}y");
        assert_eq!(
            d.to_string(),
            "error: data/vendors/\\u{1b}[31mred.yaml: x\\u{0}y: \"a\\u{7}b\"\nnext line"
        );
    }

    #[test]
    fn sorting_orders_by_file_then_position_and_drops_repeats() {
        let at = |line| Some(Position { line, column: 1 });
        let mut all: Diagnostics = [
            Diagnostic::error("b.yaml", "x").at(at(2)),
            Diagnostic::error("a.yaml", "y").at(at(9)),
            Diagnostic::error("a.yaml", "z").at(at(3)),
            Diagnostic::error("a.yaml", "z").at(at(3)),
        ]
        .into_iter()
        .collect();
        all.sort();
        let lines: Vec<String> = all.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            lines,
            [
                "error: a.yaml:3:1: z",
                "error: a.yaml:9:1: y",
                "error: b.yaml:2:1: x"
            ]
        );
        assert_eq!(all.summary(), "3 errors, 0 warnings");
    }
}
