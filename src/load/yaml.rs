//! Parsing a file's text: the fast path for plain YAML, serde-saphyr for the rest, and a
//! guard against alias bombs before either.

use std::collections::HashMap;
use std::fmt;

use serde::de::DeserializeOwned;

use super::SourceFile;
use super::plain_yaml;
use super::yaml_errors::parse_yaml_tracked;
use crate::diagnostic::{Diagnostic, Position};

/// What a YAML file can be parsed into. `PartialEq` and `Debug` let debug builds hold what the
/// fast path read to what serde-saphyr reads (see [`fast_path_agrees`]); every type of
/// `model` that a file holds has them.
pub trait Parsed: DeserializeOwned + PartialEq + fmt::Debug {}

impl<T: DeserializeOwned + PartialEq + fmt::Debug> Parsed for T {}

/// Parses one YAML document into `T`, turning any failure (syntax, type, unknown key, duplicate
/// key, alias or depth budget) into a diagnostic with the field path and position.
///
/// Plain YAML is read by the fast path (`plain_yaml`), the rest by serde-saphyr. Debug builds
/// (every test) also parse what the fast path took with serde-saphyr, and panic, naming the
/// file, unless both read the same value; release builds do not pay for that.
pub fn parse_yaml<T: Parsed>(source: &SourceFile) -> Result<T, Diagnostic> {
    refuse_alias_bombs(source)?;
    if let Some(value) = plain_yaml::parse(&source.text) {
        #[cfg(debug_assertions)]
        if let Err(difference) = same_as_serde_saphyr(&source.text, &value) {
            panic!("{}: {difference}", source.path.display());
        }
        return Ok(value);
    }
    // Tracking the field path costs a third of the parse, and only an error needs it: a
    // record that parses is parsed once, untracked; one that fails is parsed again to say where.
    match serde_saphyr::from_str_with_options(&source.text, parser_options()) {
        Ok(value) => Ok(value),
        Err(_) => Err(parse_yaml_tracked::<T>(source)
            .err()
            .unwrap_or_else(|| Diagnostic::error(source.path.clone(), "the file did not parse"))),
    }
}

/// Whether the fast path reads `text` as serde-saphyr does, for the fuzz target and the tests:
/// `Ok(true)` when the fast path took `text` and serde-saphyr reads the same `T` from it,
/// `Ok(false)` when the fast path declined it (serde-saphyr alone reads it then, so there is
/// nothing to compare), and `Err` saying how they differ when the fast path took it and
/// serde-saphyr reads another value or rejects the text. `text` is a file's text as
/// [`decode_source`](super::decode_source) gives it; no alias-bomb check is made first.
pub fn fast_path_agrees<T: Parsed>(text: &str) -> Result<bool, String> {
    match plain_yaml::parse::<T>(text) {
        Some(fast) => same_as_serde_saphyr(text, &fast).map(|()| true),
        None => Ok(false),
    }
}

/// Whether serde-saphyr reads `text` as `fast`. Equal by `PartialEq` and alike in `Debug`,
/// which tells apart what `==` does not (`0.0` and `-0.0`).
fn same_as_serde_saphyr<T: Parsed>(text: &str, fast: &T) -> Result<(), String> {
    match serde_saphyr::from_str_with_options::<T>(text, parser_options()) {
        Ok(slow) if slow == *fast && format!("{slow:?}") == format!("{fast:?}") => Ok(()),
        Ok(slow) => Err(format!(
            "the YAML fast path read another value than serde-saphyr:\n\
             fast path: {fast:?}\nserde-saphyr: {slow:?}"
        )),
        Err(err) => Err(format!(
            "the YAML fast path took what serde-saphyr rejects ({err}):\nfast path: {fast:?}"
        )),
    }
}

/// A limit far above what any record needs and far below what could hurt: a record has few if
/// any aliases, so more is a mistake or an attack, answered at once with an error. (Nesting
/// needs no limit of ours: no field of a record takes more than a few levels, so deeper
/// nesting fails as a wrong type at the first level too many.)
pub const MAX_ALIASES: usize = 1_000;

/// The most nodes a file may have once its aliases are expanded: as many as the parser's own
/// budget allows a file to hold without aliases.
pub const MAX_EXPANDED_NODES: u64 = 250_000;

pub(super) fn parser_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ALIASES,
        },
    }
}

/// Refuses an alias bomb ("billion laughs": each anchor names a list of aliases of the one
/// before, so a few lines stand for billions of nodes) before anything expands it, by counting
/// the nodes the file would have with every alias replaced by what it names: one pass, no
/// expansion. Only files with both anchors and aliases pay for the pass.
fn refuse_alias_bombs(source: &SourceFile) -> Result<(), Diagnostic> {
    use serde_saphyr::granit_parser::{Event, Parser};
    if !(source.text.contains('&') && source.text.contains('*')) {
        return Ok(());
    }
    let mut anchored_sizes: HashMap<usize, u64> = HashMap::new();
    // Open collections: their anchor (0 for none) and the node count where they began.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut nodes: u64 = 0;
    for event in Parser::new_from_str(&source.text) {
        // A syntax error is the deserializer's to report, with its own message.
        let Ok((event, span)) = event else { break };
        match event {
            Event::Scalar(_, _, anchor, _) => {
                nodes += 1;
                if anchor != 0 {
                    anchored_sizes.insert(anchor, 1);
                }
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                nodes += 1;
                open.push((anchor, nodes));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, began)) = open.pop()
                    && anchor != 0
                {
                    anchored_sizes.insert(anchor, nodes - began + 1);
                }
            }
            Event::Alias(anchor) => {
                let size = anchored_sizes.get(&anchor).copied().unwrap_or(1);
                nodes = nodes.saturating_add(size);
                if nodes > MAX_EXPANDED_NODES {
                    let position = Position {
                        line: span.start.line() as u64,
                        column: span.start.col() as u64 + 1,
                    };
                    return Err(Diagnostic::error(
                        source.path.clone(),
                        format!(
                            "its aliases (`*name`) expand to more than {MAX_EXPANDED_NODES} \
                             values by this one: an alias bomb (\"billion laughs\")? A record \
                             needs few aliases if any"
                        ),
                    )
                    .at(Some(position)));
                }
            }
            _ => {}
        }
    }
    Ok(())
}
