//! Snapshot of the Code42 page built from the shipped record: the page's shape and every
//! computed figure. Review changes with `cargo insta review` (or delete the snapshot and rerun).

mod common;

use common::*;

#[test]
fn code42_page() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let output = build_shipped_site(&target);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    insta::assert_snapshot!(read(target.join("vendors/code42/index.html")));
}
