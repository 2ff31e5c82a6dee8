//! Running out of file descriptors is the machine's state, not a broken record: a read waits
//! for one to be free and then goes on. A test binary of its own, because it lowers the
//! process's limit of open files, which every test in a binary shares.

#![cfg(target_os = "linux")]

mod common;

use std::fs::File;
use std::time::Duration;

use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

#[test]
fn a_record_read_while_out_of_file_descriptors_waits_for_one_and_loads() {
    let site = common::fixture_copy("good");
    let record = site.path().join("data/vendors/acme.yaml");
    let before = getrlimit(Resource::Nofile);
    setrlimit(
        Resource::Nofile,
        Rlimit {
            current: Some(64),
            maximum: before.maximum,
        },
    )
    .unwrap();
    let mut held = Vec::new();
    let exhausted = loop {
        match File::open("/dev/null") {
            Ok(file) => held.push(file),
            Err(err) => break err,
        }
    };
    let released = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(held);
    });
    let read = scimfacts::load::read_source(site.path(), &record);
    released.join().unwrap();
    setrlimit(Resource::Nofile, before).unwrap();

    assert_eq!(
        exhausted.raw_os_error(),
        Some(24),
        "{exhausted}: EMFILE expected"
    );
    let source = read.unwrap_or_else(|problem| panic!("{problem:?}"));
    assert!(source.text.contains("name: Acme Chat"));
}
