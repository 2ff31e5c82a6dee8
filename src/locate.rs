//! Finds where a field path (`tiers[2].price.amount`) stands in a YAML source.
//!
//! Validation works on typed records and speaks in field paths; this index turns those paths
//! back into a line and column. It is built from the parser's events only for a file that has
//! a problem, so valid records pay nothing for it.

use std::collections::HashMap;

use serde_saphyr::granit_parser::{Event, Parser};

use crate::diagnostic::Position;

/// Field path → position of the value at that path.
#[derive(Debug, Default)]
pub struct FieldLocator {
    positions: HashMap<String, Position>,
}

enum Frame {
    Mapping { key: Option<String> },
    Sequence { index: usize },
}

impl FieldLocator {
    /// Indexes every node of `source`. A source that stops parsing part-way is indexed up to
    /// that point: what was read still locates fields.
    pub fn new(source: &str) -> Self {
        let mut positions = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(source) {
            let Ok((event, span)) = event else { break };
            let position = Position {
                line: span.start.line() as u64,
                column: span.start.col() as u64 + 1,
            };
            match event {
                Event::Scalar(text, ..) => {
                    if expecting_key(&stack) {
                        set_key(&mut stack, text.into_owned());
                    } else {
                        positions.entry(path_of(&stack)).or_insert(position);
                        advance(&mut stack);
                    }
                }
                Event::Alias(_) => {
                    if expecting_key(&stack) {
                        set_key(&mut stack, "*".to_owned());
                    } else {
                        positions.entry(path_of(&stack)).or_insert(position);
                        advance(&mut stack);
                    }
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    if expecting_key(&stack) {
                        // A complex key: index what is inside it under a placeholder name.
                        set_key(&mut stack, "?".to_owned());
                    }
                    positions.entry(path_of(&stack)).or_insert(position);
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Mapping { key: None }
                    } else {
                        Frame::Sequence { index: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    advance(&mut stack);
                }
                _ => {}
            }
        }
        FieldLocator { positions }
    }

    /// The position of the value at exactly `field`, if the source has one.
    pub fn exact(&self, field: &str) -> Option<Position> {
        self.positions.get(field).copied()
    }

    /// The position of `field`, or of its nearest ancestor that exists in the source (a missing
    /// key is reported where its parent mapping starts).
    pub fn position(&self, field: &str) -> Option<Position> {
        let mut path = field;
        loop {
            if let Some(position) = self.positions.get(path) {
                return Some(*position);
            }
            if path.is_empty() {
                return None;
            }
            path = parent_path(path);
        }
    }
}

fn expecting_key(stack: &[Frame]) -> bool {
    matches!(stack.last(), Some(Frame::Mapping { key: None }))
}

fn set_key(stack: &mut [Frame], name: String) {
    if let Some(Frame::Mapping { key }) = stack.last_mut() {
        *key = Some(name);
    }
}

/// After a value: a mapping waits for its next key, a sequence moves to its next item.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Mapping { key }) => *key = None,
        Some(Frame::Sequence { index }) => *index += 1,
        None => {}
    }
}

fn path_of(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Mapping { key: Some(key) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Mapping { key: None } => {}
            Frame::Sequence { index } => {
                crate::field_path::push_index(&mut path, *index);
            }
        }
    }
    path
}

/// `a.b[2].c` → `a.b[2]` → `a.b` → `a` → ``.
pub fn parent_path(path: &str) -> &str {
    match path.rfind(['.', '[']) {
        Some(cut) => &path[..cut],
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = "\
name: Code42
scim:
  available: true
  tier: Enterprize
tiers:
  - name: Pro
    price: custom
  - name: Enterprise
    price: {amount: 90, currency: USD, per: user/year}
idps:
  okta:
    scim: full
";

    fn at(line: u64, column: u64) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn locates_values_by_field_path() {
        let locator = FieldLocator::new(RECORD);
        assert_eq!(locator.position("name"), at(1, 7));
        assert_eq!(locator.position("scim.tier"), at(4, 9));
        assert_eq!(locator.position("tiers[1].price"), at(7, 12));
        assert_eq!(locator.position("tiers[2].name"), at(8, 11));
        assert_eq!(locator.position("tiers[2].price.amount"), at(9, 21));
        assert_eq!(locator.position("idps.okta.scim"), at(12, 11));
    }

    #[test]
    fn a_missing_field_falls_back_to_its_nearest_ancestor() {
        let locator = FieldLocator::new(RECORD);
        assert_eq!(
            locator.position("tiers[2].sso"),
            locator.position("tiers[2]")
        );
        assert_eq!(locator.position("tiers[2]"), at(8, 5));
        assert_eq!(locator.position("sso.available"), at(1, 1));
    }

    #[test]
    fn a_broken_source_still_locates_what_came_before_the_break() {
        let locator = FieldLocator::new("name: x\nscim:\n  tier: [\n");
        assert_eq!(locator.position("name"), at(1, 7));
    }

    #[test]
    fn parent_paths_step_through_keys_and_indices() {
        assert_eq!(parent_path("a.b[2].c"), "a.b[2]");
        assert_eq!(parent_path("a.b[2]"), "a.b");
        assert_eq!(parent_path("a"), "");
    }
}
