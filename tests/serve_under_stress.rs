//! `serve` under hostile or heavy use, against 127.0.0.1 only and with bounded loops: nothing
//! outside the output is served whatever the path looks like, 200 connections at once are all
//! answered, slow clients block neither pages nor reloads, and a broken rebuild leaves the
//! last good site served.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::server::{Server, http_get};
use common::*;

const WAIT: Duration = Duration::from_secs(20);

/// Sends `request` as is and returns the status (`None` when the server closed the connection
/// without answering) and everything it sent back.
fn raw_exchange(addr: &str, request: &[u8]) -> (Option<u16>, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_write_timeout(Some(WAIT)).unwrap();
    // The server may answer and close before it has read a huge request: a failed write is
    // an answer too.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok());
    (status, text)
}

fn get_request(addr: &str, target: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").into_bytes()
}

#[test]
fn no_path_reaches_outside_the_output() {
    let site = fixture_copy("good");
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
    let server = Server::start(site.path(), &[]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.path().join("site/escape")).unwrap();
    let addr = server.addr.clone();
    let secret_file = outside.path().join("secret.txt");
    let absolute = secret_file.to_str().unwrap();
    let targets: Vec<String> = vec![
        // Absolute paths, in the path and as an absolute-form request target.
        format!("/{absolute}"),
        format!("/{}", absolute.replace('/', "%2F")),
        format!("http://{addr}/../data/site.yaml"),
        format!("http://{addr}/%2e%2e/%2e%2e{absolute}"),
        "//etc/passwd".to_owned(),
        "/%2F%2Fetc%2Fpasswd".to_owned(),
        // Backslashes, raw and encoded, and mixed separators.
        r"/..\..\data\site.yaml".to_owned(),
        r"/vendors\..\..\data/site.yaml".to_owned(),
        "/..%5C..%5Cdata%5Csite.yaml".to_owned(),
        "/..%255c..%255cdata/site.yaml".to_owned(),
        // Dots in every spelling.
        "/./../data/site.yaml".to_owned(),
        "/%2e%2e%2fdata%2fsite.yaml".to_owned(),
        "/%252e%252e/data/site.yaml".to_owned(),
        "/.%2e/.%2e/data/site.yaml".to_owned(),
        "/escape/secret.txt".to_owned(),
        "/escape/../../data/site.yaml".to_owned(),
        // Very long paths: far past any file name, and past the server's header limit.
        format!("/{}", "a/".repeat(3_000)),
        format!("/{}", "..%2f".repeat(2_000)),
        format!("/{}", "x".repeat(100_000)),
    ];
    for target in &targets {
        let (status, answer) = raw_exchange(&addr, &get_request(&addr, target));
        let shown: String = target.chars().take(60).collect();
        assert!(
            matches!(status, None | Some(400 | 403 | 404 | 414 | 431)),
            "{shown}: {status:?}"
        );
        assert!(!answer.contains("top secret"), "{shown}");
        assert!(!answer.contains("base_url"), "{shown}");
        assert!(!answer.contains("root:x:"), "{shown}");
    }
    assert_eq!(server.get("/vendors/acme/").status, 200, "still serving");
}

#[test]
fn two_hundred_connections_at_once_are_all_answered() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..200)
            .map(|i| {
                let addr = server.addr.clone();
                let path = if i % 2 == 0 { "/" } else { "/vendors/acme/" };
                scope.spawn(move || raw_exchange(&addr, &get_request(&addr, path)).0)
            })
            .collect();
        clients
            .into_iter()
            .map(|client| client.join().unwrap().unwrap_or(0))
            .collect()
    });
    assert!(
        statuses.iter().all(|status| *status == 200),
        "not every request was answered: {:?}",
        statuses.iter().filter(|s| **s != 200).collect::<Vec<_>>()
    );
}

#[test]
fn slow_clients_block_neither_pages_nor_reloads() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    // Half requests that never end, and event streams that are never read.
    let mut stalled: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            stream
                .write_all(b"GET /vendors/acme/ HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            stream
        })
        .collect();
    for _ in 0..50 {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        write!(
            stream,
            "GET /__scimfacts/events HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        .unwrap();
        stalled.push(stream);
    }
    let mut events = server.events();
    assert_eq!(server.get("/").status, 200);
    let record = site.path().join("data/vendors/acme.yaml");
    let text = read(&record).replace("name: Acme Chat", "name: Acme Despite Slow Clients");
    fs::write(&record, text).unwrap();
    events.expect("reload", WAIT);
    assert!(
        server
            .get("/vendors/acme/")
            .body
            .contains("Acme Despite Slow Clients")
    );
    drop(stalled);
}

#[test]
fn a_broken_rebuild_of_everything_keeps_the_last_good_site_served() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let mut events = server.events();
    let settings = site.path().join("data/site.yaml");
    let good = read(&settings);
    fs::write(&settings, "title: [unclosed\n").unwrap();
    let failed = events.expect("failed", WAIT);
    assert!(failed.contains("data/site.yaml:"), "{failed}");
    for path in ["/", "/vendors/acme/", "/vendors/flatco/", "/style.css"] {
        let response = http_get(&server.addr, path);
        assert_eq!(response.status, 200, "{path}");
    }
    let page = server.get("/vendors/acme/");
    assert!(page.body.contains("<h1>Acme Chat"));
    assert!(page.body.contains("id=\"scimfacts-overlay\""));

    // A broken template too: still the same site.
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(site.path().join("templates/vendor.html"), "{% if %}").unwrap();
    events.expect("failed", WAIT);
    assert!(server.get("/vendors/acme/").body.contains("<h1>Acme Chat"));

    fs::remove_file(site.path().join("templates/vendor.html")).unwrap();
    fs::write(&settings, good).unwrap();
    events.expect("reload", WAIT);
    assert!(!server.get("/").body.contains("id=\"scimfacts-overlay\""));
}

#[test]
fn the_preview_listens_on_loopback_unless_told_otherwise() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let help = run(&["serve", "--help"]);
    assert!(
        stdout(&help).contains("[default: 127.0.0.1]"),
        "{}",
        stdout(&help)
    );
}

#[test]
fn an_output_deleted_while_serving_is_rebuilt_whole() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let mut events = server.events();
    fs::remove_dir_all(site.path().join("site")).unwrap();
    let record = site.path().join("data/vendors/acme.yaml");
    fs::write(
        &record,
        read(&record).replace("name: Acme Chat", "name: Acme Again"),
    )
    .unwrap();
    events.expect("reload", WAIT);
    assert!(server.get("/vendors/acme/").body.contains("Acme Again"));
    assert_eq!(
        server.get("/vendors/flatco/").status,
        200,
        "every page is back"
    );
    assert!(site.path().join("site/.scimfacts-site").is_file());
}

#[test]
fn a_page_too_large_for_the_reload_script_is_served_whole_without_it() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    // Past the 32 MiB up to which pages get the script (MAX_INJECTED_PAGE in src/serve/mod.rs),
    // as the index of 100,000 vendors is. Written after the build: serve does not watch its
    // output.
    let row = "<li><a href=\"/vendors/v/\">Vendor</a></li>\n";
    let page = format!(
        "<!doctype html><html><body><ul>\n{}</ul></body></html>\n",
        row.repeat(33 * 1024 * 1024 / row.len())
    );
    fs::write(site.path().join("site/big.html"), &page).unwrap();
    let response = http_get(&server.addr, "/big.html");
    assert_eq!(response.status, 200);
    assert_eq!(response.body.len(), page.len());
    assert!(response.body == page, "the page is served as it is on disk");
    let head = server.request("HEAD", "/big.html", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(page.len().to_string().as_str())
    );
}
