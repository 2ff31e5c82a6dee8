//! A file that serde-saphyr rejects, said as a diagnostic an editor can act on: the field,
//! its position and the problem in plain words.

use serde::de::DeserializeOwned;

use super::SourceFile;
use super::indentation;
use super::yaml::{MAX_ALIASES, parser_options};
use crate::diagnostic::{Diagnostic, Position};
use crate::locate::FieldLocator;

/// Parses `source` following the field path, for the diagnostic of a file that failed.
pub(super) fn parse_yaml_tracked<T: DeserializeOwned>(
    source: &SourceFile,
) -> Result<T, Diagnostic> {
    let mut field = String::new();
    let parsed = serde_saphyr::with_deserializer_from_str_with_options(
        &source.text,
        parser_options(),
        |deserializer| {
            serde_path_to_error::deserialize(deserializer).map_err(|err| {
                field = crate::field_path::from_serde(err.path());
                err.into_inner()
            })
        },
    );
    parsed.map_err(|err| {
        let mut message = describe_yaml_error(&err);
        let parser_position = err.location().map(|location| Position {
            line: location.line(),
            column: location.column(),
        });
        if is_syntax_error(&err) {
            return syntax_error(source, message, parser_position);
        }
        if message == EXPECTED_MAPPING && field.trim_matches(['.', '?']).is_empty() {
            message.push_str(" at the top of the file");
        }
        let duplicate = duplicate_key(&message).is_some();
        // serde_path_to_error writes `?` for a step it could not name (a key that did not
        // parse): the path up to there is all that is known, and the parser's position is
        // better than the locator's.
        let incomplete = field.contains('?');
        let known = field.split(".?").next().unwrap_or("").trim_end_matches('?');
        let known = if known == "." { "" } else { known };
        let field = match duplicate_key(&message) {
            // The parser stops at the repeated key, before the path reaches it.
            Some(key) => {
                let key = key.to_owned();
                message = format!("duplicate key `{key}`: each key may appear only once");
                // The key an item of a list begins with, repeated, most often starts the next
                // item without its dash.
                let line = parser_position.map_or(0, |at| at.line as usize);
                let list = known.strip_suffix(']').and_then(|k| k.rsplit_once('['));
                if let Some(list) = list
                    .filter(|_| first_key_of_item_above(&source.text, line) == Some(key.as_str()))
                {
                    message.push_str(&format!(
                        "; if it starts another item of `{}`, begin its line with `- ` \
                         (`- {key}: ...`)",
                        list.0
                    ));
                }
                if known.is_empty() {
                    key
                } else {
                    format!("{known}.{key}")
                }
            }
            None => known.to_owned(),
        };
        // A value of the wrong form is best shown at the value itself; the parser points at
        // its key when the error comes from one of our own types (dates, prices). An unknown
        // or repeated key is best shown at the key, where the parser points.
        let at_key = duplicate || message.starts_with("unknown field");
        let value_position = (!field.is_empty() && !at_key && !incomplete)
            .then(|| FieldLocator::new(&source.text).exact(&field))
            .flatten();
        let position = value_position.or(parser_position);
        if let Some(hint) =
            position.and_then(|at| layout_hint(source, (&field, &message), at, at_key))
        {
            message = format!("{message}; {hint}");
        }
        Diagnostic::error(source.path.clone(), message)
            .at(position)
            .field(field)
    })
}

/// A syntax error stops the parser wherever the text stops making sense; the path the
/// deserializer had reached by then may name some other field, so the field and, for
/// indentation mistakes, the message are read from the text around the parser's position.
fn syntax_error(
    source: &SourceFile,
    message: String,
    parser_position: Option<Position>,
) -> Diagnostic {
    let (mut message, mut position) = match tab_indented_line(source, &message, parser_position) {
        Some(at) => (TAB_MESSAGE.to_owned(), Some(at)),
        None => (message, parser_position),
    };
    let line = position.map_or(0, |at| at.line as usize);
    let mut field = String::new();
    let explained = is_layout_error(&message)
        .then(|| indentation::explain_syntax_error(&source.text, line))
        .flatten();
    if let Some(explained) = explained {
        field = explained.field;
        if let Some(explanation) = explained.message {
            message = explanation;
            // The line out of place is what to mend: point at its first character, where
            // the parser points wherever it gave up (often the colon).
            position = position.map(|at| Position {
                column: first_character_column(&source.text, line).unwrap_or(at.column),
                ..at
            });
        }
    }
    Diagnostic::error(source.path.clone(), message)
        .at(position)
        .field(field)
}

/// The column (from one, in characters) of the first character of `line` that is not a space.
fn first_character_column(text: &str, line: usize) -> Option<u64> {
    let text = text.lines().nth(line.checked_sub(1)?)?;
    let spaces = text.chars().take_while(|c| *c == ' ').count();
    (spaces < text.chars().count()).then_some(spaces as u64 + 1)
}

const TAB_MESSAGE: &str = "tabs disallowed within this context (block indentation): indent with spaces; YAML does not \
     allow tabs for indentation";

/// Where the tab is, when the parser stopped at a tab: it may stop on the line before, inside
/// a value it took to go on (`sso: true` followed by a tab-indented `scim: false`), and then
/// say so in its own words ("while scanning a plain scalar, found a tab").
fn tab_indented_line(source: &SourceFile, message: &str, at: Option<Position>) -> Option<Position> {
    if !message.contains("found a tab") {
        return None;
    }
    let from = at.map_or(1, |at| at.line as usize).max(1);
    source
        .text
        .lines()
        .enumerate()
        .skip(from - 1)
        .take(3)
        .find_map(|(index, line)| {
            let indent = &line[..line.len() - line.trim_start().len()];
            let column = indent.chars().position(|c| c == '\t')?;
            Some(Position {
                line: index as u64 + 1,
                column: column as u64 + 1,
            })
        })
}

/// Whether the parser's (described) message is one that a line out of place gives: those the
/// indentation scan explains. Other syntax errors (an unclosed quote) keep their own words.
fn is_layout_error(message: &str) -> bool {
    [
        "mapping values are not allowed",
        "did not find expected key",
        "did not find expected '-' indicator",
        "tabs disallowed",
        "expected `key: value` or `- item`",
    ]
    .iter()
    .any(|words| message.contains(words))
}

/// What the layout of the lines around `at` says about a file that parsed but did not fit:
/// an unknown key indented out of the mapping above it, a value read together with a line
/// indented under it, a mapping that is text because its key line has no colon.
fn layout_hint(
    source: &SourceFile,
    (field, message): (&str, &str),
    at: Position,
    at_key: bool,
) -> Option<String> {
    let line = at.line as usize;
    let dash_without_space = source
        .text
        .lines()
        .nth(line.saturating_sub(1))
        .map(str::trim_start)
        .is_some_and(|text| text.starts_with('-') && !text.starts_with("- ") && text != "-");
    if dash_without_space || message.starts_with("unknown field `-") {
        Some("a list item begins with a dash and a space: `- key: value`".to_owned())
    } else if message.starts_with("unknown field") {
        indentation::unknown_key_hint(&source.text, line)
    } else if message.starts_with(EXPECTED_MAPPING) {
        // A whole file that is not a mapping has no key line to mend.
        if field.is_empty() {
            return None;
        }
        if field == "repository" {
            return Some("write `repository:` alone, and below it `  url: https://...`".to_owned());
        }
        indentation::missing_colon_at(&source.text, line)
    } else if !at_key {
        indentation::continued_value_hint(&source.text, line)
    } else {
        None
    }
}

fn is_syntax_error(err: &serde_saphyr::Error) -> bool {
    use serde_saphyr::{Error, ExternalMessageSource};
    matches!(
        err.without_snippet(),
        Error::ExternalMessage { source, .. } if matches!(**source, ExternalMessageSource::Parser(_))
    ) || matches!(err.without_snippet(), Error::IndentationError { .. })
}

const EXPECTED_MAPPING: &str = "expected a mapping of keys to values (`key: value`)";

/// A budget breach in words an editor can act on.
fn describe_budget_breach(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach;
    match breach {
        BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => format!(
            "more than {MAX_ALIASES} aliases or anchors (`*name`, `&name`): a record needs few if any"
        ),
        BudgetBreach::AliasAnchorRatio { aliases, anchors } => format!(
            "{aliases} aliases (`*name`) of {anchors} anchor{} (`&name`): refusing to expand \
             them (each alias copies its anchor, so a few lines could fill the memory)",
            if *anchors == 1 { "" } else { "s" }
        ),
        other => format!("too large or complex to read ({other:?})"),
    }
}

/// The parser's message without its own " at line L, column C" suffix (we print positions in
/// `file:line:column` form) and with serde's wording made plainer for editors.
fn describe_yaml_error(err: &serde_saphyr::Error) -> String {
    if let serde_saphyr::Error::Budget { breach, .. } = err.without_snippet() {
        return describe_budget_breach(breach);
    }
    let text = err.without_snippet().to_string();
    let text = match text.rfind(" at line ") {
        Some(cut) if text[cut..].contains(", column ") => text[..cut].to_owned(),
        _ => text,
    };
    let text = text.replace(
        "multiple YAML documents detected; use from_str_multiple or from_str_multiple_with_options",
        "more than one YAML document (`---`): a file holds exactly one record",
    );
    if text.starts_with("tabs disallowed") {
        return format!("{text}: indent with spaces; YAML does not allow tabs for indentation");
    }
    if text == "expected mapping start" {
        return EXPECTED_MAPPING.to_owned();
    }
    if text == "expected sequence start" {
        return "expected a list (`[a, b]`, or one `- item` per line)".to_owned();
    }
    if text.starts_with("cannot deserialize null into ") {
        return "is empty (null): expected a value here".to_owned();
    }
    if text == "expected string scalar" {
        return "expected string scalar (text), found a list or a mapping".to_owned();
    }
    // Short words from the parser, said in full.
    for (word, meaning) in [
        ("invalid boolean", "expected true or false"),
        (
            "invalid u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("invalid floating point", "expected a number"),
    ] {
        if text == word {
            return format!("{word}: {meaning}");
        }
    }
    if text == "recursion limit exceeded" {
        return "nested too deeply: brackets inside brackets, hundreds of levels down (a record \
                needs a handful)"
            .to_owned();
    }
    if text == "simple key expected ':'" {
        return "expected `key: value` or `- item` on this line (a key has at most 1024 \
                characters)"
            .to_owned();
    }
    if let Some(character) = text.strip_prefix("unexpected character: ") {
        return format!(
            "unexpected character {character}: YAML allows no control characters but tabs \
             and line breaks; remove it"
        );
    }
    if let Some((value, allowed)) = text
        .strip_prefix("unknown variant `")
        .and_then(|rest| rest.split_once("`, expected one of "))
    {
        return format!("\"{value}\" is not allowed here: expected one of {allowed}");
    }
    if text.starts_with("unexpected end of input") && !text.contains('\n') {
        return "the file is empty: expected a mapping of keys to values".to_owned();
    }
    text
}

/// The first key of the list item (`- key: ...`) nearest above `line` (counted from one).
fn first_key_of_item_above(text: &str, line: usize) -> Option<&str> {
    let item = text
        .lines()
        .take(line.checked_sub(1)?)
        .filter_map(|line| line.trim_start().strip_prefix("- "))
        .last()?;
    Some(item.split(':').next()?.trim())
}

/// The key named by the parser's duplicate-key message.
fn duplicate_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("duplicate mapping key: ")?;
    Some(
        rest.split_once(", set DuplicateKeyPolicy")
            .map_or(rest, |(key, _)| key),
    )
}
