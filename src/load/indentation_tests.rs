use super::*;

const RECORD: &str = "\
name: Acme   # the vendor
sso:
  available: true
  protocols: [SAML 2.0,
    OIDC]
summary: |
  Text: with a colon
    and an indented line
tiers:
- name: Pro
  price: custom
- name: \"Enterprise\"
  price: {amount: 20, currency: USD, per: user/month}
  scim: true
";

/// `RECORD` with line `line` (counted from one) replaced by `text`, and what the scan says
/// about that line.
fn explained(line: usize, text: &str) -> Explanation {
    let mut lines: Vec<&str> = RECORD.lines().collect();
    lines[line - 1] = text;
    explain_syntax_error(&lines.join("\n"), line).expect("an explanation")
}

fn message(explanation: &Explanation) -> &str {
    explanation.message.as_deref().unwrap_or("")
}

#[test]
fn a_key_under_a_value_names_its_item_and_the_key_to_line_up_with() {
    let found = explained(14, "      scim: true");
    assert_eq!(found.field, "tiers[2].scim");
    assert!(
        message(&found).starts_with(
            "`scim` is indented deeper than the other keys of tiers[2] (Enterprise), under \
             `price`, which has a value already (`{amount: 20, currency: USD, pe...`): line it \
             up with `price` above (2 spaces)"
        ),
        "{found:?}"
    );
    let top = explained(2, "  sso: true");
    assert_eq!(top.field, "sso");
    assert!(
        message(&top)
            .contains("other keys of the record, under `name`, which has a value already (`Acme`)")
    );
}

#[test]
fn a_key_indented_less_than_its_siblings_is_offered_both_places() {
    let found = explained(4, " protocols: [SAML 2.0,");
    assert_eq!(found.field, "sso.protocols");
    assert_eq!(
        message(&found),
        "`protocols` is indented less than the other keys of `sso`: line it up with \
         `available` above (2 spaces) if it belongs to `sso`, or with `sso` (no indentation) if \
         it is a key of the record"
    );
}

#[test]
fn a_key_at_the_dash_column_is_neither_in_the_item_nor_a_new_one() {
    let text = "tiers:\n  - name: Pro\n  - name: Team\n    price: custom\n  scim: false\n";
    let found = explain_syntax_error(text, 5).unwrap();
    assert_eq!(found.field, "tiers[2].scim");
    assert_eq!(
        message(&found),
        "`scim` is indented like the `- ` of the items of `tiers`, so it is neither in \
         tiers[2] (Team) nor a new item: line it up with `price` above (4 spaces) if it belongs \
         to tiers[2] (Team), or start a new item with `- `"
    );
}

#[test]
fn a_list_item_out_of_line_names_its_list() {
    let found = explained(12, " - name: Enterprise");
    assert_eq!(found.field, "tiers");
    assert_eq!(
        message(&found),
        "this item of `tiers` is indented deeper than the items above it (its `- ` after 1 \
         space, theirs after no indentation): line its `- ` up with theirs"
    );
}

#[test]
fn a_missing_colon_or_space_says_how_the_line_should_read() {
    let found = explained(14, "  scim true");
    assert_eq!(found.field, "tiers[2].scim");
    assert_eq!(
        message(&found),
        "expected `key: value` on this line: `scim true` has no colon: write `scim: true`"
    );
    assert_eq!(
        missing_colon_at("sso:\n  available:true\n", 2).as_deref(),
        Some("`available:true` has no space after its colon: write `available: true`")
    );
    // A long line of words is not taken for a key line.
    assert_eq!(missing_colon_at("x:\n  this is prose: really\n", 2), None);
}

#[test]
fn a_tab_keeps_the_parser_message_and_gains_the_field() {
    let found = explained(3, "\tavailable: true");
    assert_eq!(found.field, "sso.available");
    assert_eq!(found.message, None);
}

#[test]
fn lines_inside_block_scalars_and_open_brackets_are_not_keys() {
    // Line 8, inside `summary: |`, and line 5, inside the open bracket, open nothing: a key
    // after them is still read against `tiers` and `sso`.
    let structure = Structure::above(&RECORD.lines().collect::<Vec<_>>(), 9);
    assert_eq!(structure.path(structure.frames.len()), "summary");
    let found = explained(6, "   timeout: 3");
    assert!(message(&found).contains("other keys of `sso`"), "{found:?}");
}

#[test]
fn hints_for_files_that_parse_but_do_not_fit() {
    let dedented = "sso:\n  available: true\nprotocols: [SAML]\n";
    assert_eq!(
        unknown_key_hint(dedented, 3).as_deref(),
        Some("if it belongs to `sso` above, indent it like `available` (2 spaces)")
    );
    assert_eq!(unknown_key_hint("name: x\ncategroy: y\n", 2), None);
    let continued = "idps:\n  okta:\n    sso: true\n     scim: full\n";
    assert_eq!(
        continued_value_hint(continued, 3).as_deref(),
        Some(
            "the line below (`scim: full`) is indented deeper than `sso`, so it was read as \
             more of `sso`'s value: line it up with `sso` (4 spaces)"
        )
    );
    assert_eq!(continued_value_hint("a: [1,\n  2]\n", 1), None);
}

#[test]
fn a_line_the_scan_cannot_place_keeps_the_parser_message() {
    assert_eq!(explain_syntax_error(RECORD, 1), None);
    assert_eq!(explain_syntax_error(RECORD, 99), None);
    assert_eq!(explain_syntax_error("", 0), None);
}
