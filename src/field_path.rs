//! Field paths as every message writes them: `tiers[2].price.amount`.
//!
//! Lists in field paths count from one, as an editor counts: `tiers[1]` is the first tier.
//! Rust and serde count from zero, so every index goes through [`push_index`], and no other
//! code writes a `[n]` of a path.

use std::fmt::Write as _;

/// Appends the step to the item at `index` (counted from zero) of a list: `[index + 1]`.
pub fn push_index(path: &mut String, index: usize) {
    // Writing into a String cannot fail.
    let _ = write!(path, "[{}]", index + 1);
}

/// The path of the item at `index` (counted from zero) of the list at `list`:
/// `item("tiers", 0)` is `tiers[1]`.
pub fn item(list: &str, index: usize) -> String {
    let mut path = list.to_owned();
    push_index(&mut path, index);
    path
}

/// A tier as a message's text names it, by position and by name: `tiers[2] (Enterprise)`, or
/// `tiers[2]` when it has no name. A diagnostic's `field` stays the plain path, for machines.
pub fn tier_label(index: usize, name: &str) -> String {
    named(&item("tiers", index), name)
}

/// `path` followed by `name` in parentheses, when there is a name.
pub fn named(path: &str, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        path.to_owned()
    } else {
        format!("{path} ({name})")
    }
}

/// The path serde_path_to_error tracked, written as [`push_index`] writes indices. Otherwise
/// as that crate writes it: `.` for the top, `?` for a step it could not name.
pub fn from_serde(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut written = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => push_index(&mut written, *index),
            other => {
                if !written.is_empty() {
                    written.push('.');
                }
                let _ = write!(written, "{other}");
            }
        }
    }
    if written.is_empty() {
        written.push('.');
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_count_from_one() {
        assert_eq!(item("tiers", 0), "tiers[1]");
        assert_eq!(item("sentiment.quotes", 2), "sentiment.quotes[3]");
        let mut path = item("addons", 1);
        path.push_str(".plans");
        push_index(&mut path, 0);
        assert_eq!(path, "addons[2].plans[1]");
    }

    #[test]
    fn a_tier_is_named_when_it_has_a_name() {
        assert_eq!(tier_label(1, "Enterprise"), "tiers[2] (Enterprise)");
        assert_eq!(tier_label(0, "  "), "tiers[1]");
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Record {
        tiers: Vec<Tier>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Tier {
        price: u32,
    }

    fn serde_path_of(json: &str) -> String {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let err = serde_path_to_error::deserialize::<_, Record>(&mut deserializer).unwrap_err();
        from_serde(err.path())
    }

    #[test]
    fn serde_paths_count_from_one_too() {
        let path = serde_path_of(r#"{"tiers": [{"price": 1}, {"price": "x"}]}"#);
        assert_eq!(path, "tiers[2].price");
        assert_eq!(serde_path_of("[]"), ".");
    }
}
