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

    // Never given back: the first read waits its patience and gives up; the reads after it
    // do not wait again, or every record of a site would wait in turn.
    let mut held = Vec::new();
    while let Ok(file) = File::open("/dev/null") {
        held.push(file);
    }
    let first = scimfacts::load::read_source(site.path(), &record);
    let started = std::time::Instant::now();
    let others: Vec<_> = (0..3)
        .map(|_| scimfacts::load::read_source(site.path(), &record))
        .collect();
    let others_waited = started.elapsed();
    drop(held);
    setrlimit(Resource::Nofile, before).unwrap();
    let message = first.expect_err("no descriptor came back").message;
    assert!(message.contains("ran out of open files"), "{message}");
    assert!(others.iter().all(Result::is_err));
    assert!(
        others_waited < Duration::from_secs(4),
        "the later reads waited again: {others_waited:?}"
    );

    assert_eq!(
        exhausted.raw_os_error(),
        Some(24),
        "{exhausted}: EMFILE expected"
    );
    let source = read.unwrap_or_else(|problem| panic!("{problem:?}"));
    assert!(source.text.contains("name: Acme Chat"));
}
