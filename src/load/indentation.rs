//! Indentation and structure mistakes said in an editor's words: which key is out of line, in
//! which field, relative to what, and how to line it up.
//!
//! The parser knows only where it stopped making sense ("did not find expected key"). What the
//! editor meant is read here from the text itself: a record's block structure is its
//! indentation, so scanning the lines above the error (keys, `- ` items, their depths) gives
//! the enclosing field path and the column the key's siblings stand at. Flow collections,
//! quoted and block scalars spanning lines are skipped; a line this scan does not understand
//! leaves the parser's message as it was.

use crate::field_path::{named, push_index};

/// What a mistake is, said for an editor: the field it sits in (a plain path, for machines)
/// and the message (`None` keeps the parser's own, described, message).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Explanation {
    pub field: String,
    pub message: Option<String>,
}

/// Explains the syntax error the parser reported at `line` (counted from one) of `text`.
pub(super) fn explain_syntax_error(text: &str, line: usize) -> Option<Explanation> {
    let lines: Vec<&str> = text.lines().collect();
    let error_line = *lines.get(line.checked_sub(1)?)?;
    let structure = Structure::above(&lines, line);
    if structure.unclosed {
        return None;
    }
    let indent = leading_spaces(error_line);
    let content = &error_line[indent..];
    if content.starts_with('\t') {
        // The parser's message already says what to do; only the field is missing.
        let key = parse_key(content.trim_start()).map(|(key, _)| key)?;
        return Some(Explanation {
            field: structure.path_of_key_after(key),
            message: None,
        });
    }
    match parse_shape(content, indent) {
        Shape::Item { .. } => structure.misplaced_item(indent),
        Shape::Key { key, .. } => structure.misplaced_key(key, indent),
        Shape::Other(words) => structure.missing_colon(words),
    }
}

/// A hint for a plain value that the parser read together with the line below it
/// (`sso: true` followed by a line indented deeper than `sso`: a plain value may go on over
/// more lines). `line` is the value's line.
pub(super) fn continued_value_hint(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let value_line = *lines.get(line.checked_sub(1)?)?;
    let indent = leading_spaces(value_line);
    let Shape::Key { key, value, column } = parse_shape(&value_line[indent..], indent) else {
        return None;
    };
    let plain =
        !value.is_empty() && !value.starts_with(['[', '{', '"', '\'', '|', '>', '&', '*', '!']);
    let below = lines[line..].iter().find(|l| is_structural(l))?;
    (plain && leading_spaces(below) > column).then(|| {
        format!(
            "the line below (`{}`) is indented deeper than `{key}`, so it was read as more of \
             `{key}`'s value: line it up with `{key}` ({})",
            below.trim(),
            spaces(column)
        )
    })
}

/// A hint for a mapping that came out as text because its first key line, `line`, has no
/// colon (`available true`) or no space after it (`available:true`).
pub(super) fn missing_colon_at(text: &str, line: usize) -> Option<String> {
    let value_line = text.lines().nth(line.checked_sub(1)?)?;
    let indent = leading_spaces(value_line);
    match parse_shape(&value_line[indent..], indent) {
        Shape::Other(words) => missing_colon_hint(words),
        _ => None,
    }
}

/// A hint for an unknown key that may have been meant for the mapping just above it: a key
/// indented less than the line above it has left that mapping.
pub(super) fn unknown_key_hint(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let key_line = *lines.get(line.checked_sub(1)?)?;
    let indent = leading_spaces(key_line);
    let structure = Structure::above(&lines, line);
    // The key's sibling above, and the first line of what that sibling holds.
    let sibling = structure.frames.iter().position(|f| f.indent >= indent)?;
    let child = structure.frames.get(sibling + 1)?;
    Some(format!(
        "if it belongs to {} above, indent it like `{}` ({})",
        structure.label(sibling + 1),
        child.step_word(),
        spaces(child.indent)
    ))
}

/// One step of the path down to a line.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    /// The item of a list, counted from zero.
    Item(usize),
}

/// A key or an item the lines above open, at the column its text starts.
#[derive(Debug, Clone)]
struct Frame {
    indent: usize,
    step: Step,
    /// What follows a key's colon on its line (empty when its value is on the lines below).
    value: String,
    /// An item's `name:`, to name a tier in messages.
    name: String,
}

impl Frame {
    fn step_word(&self) -> String {
        match &self.step {
            Step::Key(key) => key.clone(),
            Step::Item(_) => "- ".to_owned(),
        }
    }
}

/// The keys and items open at some line, outermost first.
#[derive(Debug, Default)]
struct Structure {
    frames: Vec<Frame>,
    /// Whether a bracket opened above is still open: the lines below it are then inside a
    /// value, and their indentation says nothing.
    unclosed: bool,
}

impl Structure {
    /// The structure the lines before `line` (counted from one) leave open.
    fn above(lines: &[&str], line: usize) -> Structure {
        let mut structure = Structure::default();
        let mut skip_deeper_than: Option<usize> = None;
        let mut open_brackets = 0i64;
        for text in lines.iter().take(line.saturating_sub(1)) {
            let indent = leading_spaces(text);
            if open_brackets > 0 {
                open_brackets += bracket_balance(text);
                continue;
            }
            if !is_structural(text) || skip_deeper_than.is_some_and(|key| indent > key) {
                continue;
            }
            skip_deeper_than = None;
            let content = &text[indent..];
            if content.contains('\t') && content.trim_start() != content {
                continue;
            }
            let value = structure.enter(parse_shape(content, indent), indent);
            // A block scalar (`|`, `>`) holds the deeper lines below as text; an unclosed
            // bracket holds the lines up to its closing one.
            if value.starts_with(['|', '>']) {
                skip_deeper_than = structure.frames.last().map(|f| f.indent);
            }
            open_brackets = bracket_balance(&value).max(0);
        }
        structure.unclosed = open_brackets > 0;
        structure
    }

    /// Takes in one line's shape; returns the value written after its key.
    fn enter(&mut self, shape: Shape, indent: usize) -> String {
        match shape {
            Shape::Item {
                inner,
                inner_column,
            } => {
                let index = self.next_item_index(indent);
                self.frames.push(Frame {
                    indent,
                    step: Step::Item(index),
                    value: String::new(),
                    name: String::new(),
                });
                match inner.map(|inner| parse_shape(inner, inner_column)) {
                    Some(shape @ Shape::Key { .. }) => self.enter(shape, inner_column),
                    _ => String::new(),
                }
            }
            Shape::Key { key, value, column } => {
                self.frames.retain(|f| f.indent < column);
                if key == "name"
                    && let Some(item) = self.frames.last_mut()
                    && matches!(item.step, Step::Item(_))
                {
                    item.name = unquoted(value).to_owned();
                }
                self.frames.push(Frame {
                    indent: column,
                    step: Step::Key(key.to_owned()),
                    value: value.to_owned(),
                    name: String::new(),
                });
                value.to_owned()
            }
            Shape::Other(_) => String::new(),
        }
    }

    /// Closes what a `- ` at `indent` ends, and counts it among the items of its list.
    fn next_item_index(&mut self, indent: usize) -> usize {
        self.frames.retain(|f| f.indent <= indent);
        match self.frames.last() {
            Some(Frame {
                step: Step::Item(index),
                indent: at,
                ..
            }) if *at == indent => {
                let next = index + 1;
                self.frames.pop();
                next
            }
            // A list may stand at its key's own column (`tiers:` then `- name: ...`).
            Some(frame) if frame.indent == indent && frame.value.is_empty() => 0,
            Some(frame) if frame.indent == indent => {
                self.frames.pop();
                0
            }
            _ => 0,
        }
    }

    /// The field path down to the frame at `depth` (exclusive).
    fn path(&self, depth: usize) -> String {
        let mut path = String::new();
        for frame in &self.frames[..depth] {
            match &frame.step {
                Step::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Step::Item(index) => push_index(&mut path, *index),
            }
        }
        path
    }

    /// The mapping the frames down to `depth` (exclusive) are, in words: "the record",
    /// "`sso`", "tiers[2] (Enterprise)".
    fn label(&self, depth: usize) -> String {
        let path = self.path(depth);
        match depth.checked_sub(1).map(|last| &self.frames[last]) {
            None => "the record".to_owned(),
            Some(Frame {
                step: Step::Item(_),
                name,
                ..
            }) => named(&path, name),
            Some(_) => format!("`{path}`"),
        }
    }

    /// `path` followed by `key`.
    fn path_with(&self, depth: usize, key: &str) -> String {
        let path = self.path(depth);
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    }

    /// The path `key` has when it follows the last line: inside it when that line opens a
    /// mapping (`sso:`), beside it otherwise.
    fn path_of_key_after(&self, key: &str) -> String {
        let depth = match self.frames.last() {
            Some(last) if last.value.is_empty() => self.frames.len(),
            Some(_) => self.frames.len() - 1,
            None => 0,
        };
        self.path_with(depth, key)
    }

    /// A key at `indent` that the parser could not place.
    fn misplaced_key(&self, key: &str, indent: usize) -> Option<Explanation> {
        let last = self.frames.len().checked_sub(1)?;
        let above = &self.frames[last];
        if indent > above.indent {
            return Some(self.key_under_a_value(key, last));
        }
        let lined_up = |f: &Frame| f.indent == indent && matches!(f.step, Step::Key(_));
        if self.frames.iter().any(lined_up) {
            // In line with keys above: the mistake is not the indentation.
            return None;
        }
        // The innermost frame deeper than the key: the key's intended siblings.
        let sibling = self.frames.iter().position(|f| f.indent > indent)?;
        let siblings = &self.frames[sibling];
        let inner = self.label(sibling);
        let line_up = format!(
            "line it up with `{}` above ({}) if it belongs to {inner}",
            siblings.step_word(),
            spaces(siblings.indent)
        );
        let at_the_dash = sibling.checked_sub(1).is_some_and(|outer| {
            let outer = &self.frames[outer];
            outer.indent == indent && matches!(outer.step, Step::Item(_))
        });
        let mut message = if at_the_dash {
            format!(
                "`{key}` is indented like the `- ` of the items of `{}`, so it is neither in \
                 {inner} nor a new item: {line_up}, or start a new item with `- `",
                self.path(sibling - 1),
            )
        } else {
            format!("`{key}` is indented less than the other keys of {inner}: {line_up}")
        };
        // The key may instead belong to a mapping further out, whose keys stand to its left.
        let outer_key = self.frames[..sibling]
            .iter()
            .rposition(|f| f.indent < indent && matches!(f.step, Step::Key(_)));
        if let Some(outer) = outer_key.filter(|_| !at_the_dash) {
            message.push_str(&format!(
                ", or with `{}` ({}) if it is a key of {}",
                self.frames[outer].step_word(),
                spaces(self.frames[outer].indent),
                self.label(outer)
            ));
        }
        Some(Explanation {
            field: self.path_with(sibling, key),
            message: Some(message),
        })
    }

    /// `key` indented deeper than the key at `depth`, which has its value on its own line.
    fn key_under_a_value(&self, key: &str, depth: usize) -> Explanation {
        let above = &self.frames[depth];
        let above_key = above.step_word();
        let hint = if above.value.is_empty() {
            String::new()
        } else {
            format!(
                ", under `{above_key}`, which has a value already (`{}`)",
                shortened(&above.value)
            )
        };
        Explanation {
            field: self.path_with(depth, key),
            message: Some(format!(
                "`{key}` is indented deeper than the other keys of {}{hint}: line it up with \
                 `{above_key}` above ({})",
                self.label(depth),
                spaces(above.indent)
            )),
        }
    }

    /// A `- ` at `indent` that the parser could not place.
    fn misplaced_item(&self, indent: usize) -> Option<Explanation> {
        let depth = self
            .frames
            .iter()
            .rposition(|f| matches!(f.step, Step::Item(_)))?;
        let items_at = self.frames[depth].indent;
        let list = self.path(depth);
        let how = if indent > items_at { "deeper" } else { "less" };
        Some(Explanation {
            field: list.clone(),
            message: Some(format!(
                "this item of `{list}` is indented {how} than the items above it (its `- ` \
                 after {}, theirs after {}): line its `- ` up with theirs",
                spaces(indent),
                spaces(items_at)
            )),
        })
    }

    /// A line that is neither `key: value` nor `- item`, such as `scim false`.
    fn missing_colon(&self, words: &str) -> Option<Explanation> {
        let hint = missing_colon_hint(words)?;
        let key = words.split([' ', ':']).next()?;
        Some(Explanation {
            field: self.path_of_key_after(key),
            message: Some(format!("expected `key: value` on this line: {hint}")),
        })
    }
}

/// `scim false` or `scim:false` said as the key line it was meant to be.
fn missing_colon_hint(words: &str) -> Option<String> {
    let words = words.trim();
    let (key, value) = match words.split_once(':') {
        Some((key, value)) if !value.is_empty() && !value.starts_with(' ') => (key, value),
        _ => words.split_once(' ')?,
    };
    let is_key = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let what = if words.contains(':') {
        "has no space after its colon"
    } else {
        "has no colon"
    };
    is_key.then(|| format!("`{words}` {what}: write `{key}: {}`", value.trim()))
}

/// A line's block structure.
enum Shape<'a> {
    /// `- ...`: `inner` is what follows the dash, standing at `inner_column`.
    Item {
        inner: Option<&'a str>,
        inner_column: usize,
    },
    /// `key: value` with the key at `column`; `value` without a trailing comment.
    Key {
        key: &'a str,
        value: &'a str,
        column: usize,
    },
    /// Anything else: the rest of a value, or a line missing its colon.
    Other(&'a str),
}

/// The shape of `content`, a line without its indentation, which stands at `column`.
fn parse_shape(content: &str, column: usize) -> Shape<'_> {
    if content == "-" || content.starts_with("- ") {
        let rest = content[1..].trim_start_matches(' ');
        let inner_column = column + content.len() - rest.len();
        return Shape::Item {
            inner: (!rest.is_empty()).then_some(rest),
            inner_column,
        };
    }
    match parse_key(content) {
        Some((key, value)) => Shape::Key { key, value, column },
        None => Shape::Other(content),
    }
}

/// `key: value` split at the colon that ends the key (outside quotes), without the value's
/// trailing comment.
fn parse_key(content: &str) -> Option<(&str, &str)> {
    if content.starts_with(['[', '{', '#', '|', '>']) {
        return None;
    }
    let quote = content.chars().next().filter(|c| matches!(c, '"' | '\''));
    let search_from = match quote {
        Some(q) => content[1..].find(q)? + 2,
        None => 0,
    };
    let colon = content[search_from..]
        .match_indices(':')
        .map(|(at, _)| search_from + at)
        .find(|&at| content[at + 1..].is_empty() || content[at + 1..].starts_with(' '))?;
    let key = unquoted(content[..colon].trim_end());
    let value = content[colon + 1..].trim();
    let value = match value.find(" #") {
        Some(comment) => value[..comment].trim_end(),
        None if value.starts_with('#') => "",
        None => value,
    };
    Some((key, value))
}

fn unquoted(text: &str) -> &str {
    let text = text.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner;
        }
    }
    text
}

/// How many more brackets `text` opens than it closes, outside quotes.
fn bracket_balance(text: &str) -> i64 {
    let mut balance = 0;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => balance += 1,
            (None, ']' | '}') => balance -= 1,
            (None, '#') => break,
            _ => {}
        }
    }
    balance
}

/// Whether a line takes part in the block structure: not blank, not only a comment.
fn is_structural(line: &&str) -> bool {
    let content = line.trim_start();
    !content.is_empty() && !content.starts_with('#')
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `text`, cut short with `...` if it is long: enough of a value to recognise it.
fn shortened(text: &str) -> String {
    const SHOWN: usize = 30;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// An indentation in words: "no indentation", "1 space", "4 spaces".
fn spaces(count: usize) -> String {
    match count {
        0 => "no indentation".to_owned(),
        1 => "1 space".to_owned(),
        _ => format!("{count} spaces"),
    }
}

#[cfg(test)]
#[path = "indentation_tests.rs"]
mod tests;
