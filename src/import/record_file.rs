//! Writing a catalogue's statements into a record file without touching anything else in it:
//! the `catalogues:` block is the import's, every other line the editor's.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::CatalogueEntry;

/// The comment above the block, so that an editor knows not to edit inside it.
const BLOCK_NOTE: &str = "# Written by `scimfacts import`: each catalogue's entry below is replaced by the next import\n\
# of that catalogue. Write corrections in the fields above, which always win over it.\n";

#[derive(Serialize)]
struct Block<'a> {
    catalogues: &'a BTreeMap<String, CatalogueEntry>,
}

/// The `catalogues:` block for `catalogues`, with its note; empty when there are none.
pub fn catalogue_block(catalogues: &BTreeMap<String, CatalogueEntry>) -> Result<String, String> {
    if catalogues.is_empty() {
        return Ok(String::new());
    }
    let yaml = serde_saphyr::to_string(&Block { catalogues })
        .map_err(|e| format!("cannot write the catalogues as YAML: {e}"))?;
    Ok(format!("{BLOCK_NOTE}{yaml}"))
}

/// A new record: the name and website (the editor's from now on) and the block.
pub fn new_record(name: &str, website: Option<&str>, block: &str) -> Result<String, String> {
    #[derive(Serialize)]
    struct Head<'a> {
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        website: Option<&'a str>,
    }
    let head = serde_saphyr::to_string(&Head { name, website })
        .map_err(|e| format!("cannot write the record as YAML: {e}"))?;
    Ok(format!(
        "# yaml-language-server: $schema=../../schema/vendor.schema.json\n{head}\n{block}"
    ))
}

/// `text` with its `catalogues:` block (and the note above it) replaced by `block`, or `block`
/// added at the end when it has none. Every other byte stays as it was.
pub fn replace_block(text: &str, block: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(start) = lines.iter().position(|l| is_key(l, "catalogues")) else {
        return append_block(text, block);
    };
    let mut from = start;
    while from > 0 && lines[from - 1].starts_with("# ") && is_note_line(lines[from - 1]) {
        from -= 1;
    }
    // The block runs to the next line that starts a key or a comment of the editor's; the
    // blank lines before that line stay theirs.
    let mut end = lines[start + 1..]
        .iter()
        .position(|l| !(l.trim().is_empty() || l.starts_with([' ', '\t', '-'])))
        .map_or(lines.len(), |i| start + 1 + i);
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let mut out: String = lines[..from].concat();
    if block.is_empty() {
        // With no block left, the blank line that set it apart goes too.
        while out.ends_with("\n\n") {
            out.pop();
        }
    } else {
        out.push_str(block);
    }
    out.push_str(&lines[end..].concat());
    out
}

fn is_note_line(line: &str) -> bool {
    BLOCK_NOTE.lines().any(|note| note == line.trim_end())
}

fn is_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

fn append_block(text: &str, block: &str) -> String {
    if block.is_empty() {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(block);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_replaced_and_nothing_else_changes() {
        let text = "name: X # mine\nsummary: |\n  keep\n\n# Written by `scimfacts import`: each catalogue's entry below is replaced by the next import\n# of that catalogue. Write corrections in the fields above, which always win over it.\ncatalogues:\n  sso-tax:\n    entry: a\n\n# my note\nsections: []\n";
        let block = "catalogues:\n  sso-tax:\n    entry: b\n";
        let out = replace_block(text, block);
        assert_eq!(
            out,
            "name: X # mine\nsummary: |\n  keep\n\ncatalogues:\n  sso-tax:\n    entry: b\n\n# my note\nsections: []\n"
        );
        assert_eq!(
            replace_block(&out, block),
            out,
            "replacing again changes nothing"
        );
    }

    #[test]
    fn a_record_without_a_block_gets_one_at_the_end() {
        let out = replace_block("name: X", "catalogues: {}\n");
        assert_eq!(out, "name: X\n\ncatalogues: {}\n");
        assert_eq!(replace_block(&out, ""), "name: X\n");
    }
}
