//! `scimfacts serve` as an editor uses it: the real binary on a free port, in a temporary copy
//! of the fixture site, with bounded waits.

mod common;

use std::fs;
use std::time::Duration;

use common::server::{Server, http_get, wait_for};
use common::*;

const WAIT: Duration = Duration::from_secs(20);

fn edit(path: &std::path::Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn serves_pages_with_the_reload_script_but_builds_without_it() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );

    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert!(index.body.contains("Acme Chat"));
    assert!(index.body.contains("EventSource(\"/__scimfacts/events\")"));
    assert_eq!(index.header("cache-control"), Some("no-store"));

    let page = server.get("/vendors/acme/");
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(!css.body.contains("EventSource"));

    let on_disk = read(site.path().join("site/vendors/acme/index.html"));
    assert!(
        !on_disk.contains("EventSource"),
        "the written site has no reload script"
    );

    let missing = server.get("/vendors/nobody/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );
}

#[test]
fn an_edited_record_is_rebuilt_alone_and_the_browser_told_to_reload() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let mut events = server.events();
    let before = server.lines().len();

    edit(
        &site.path().join("data/vendors/acme.yaml"),
        "name: Acme Chat",
        "name: Acme Talk",
    );
    // First the record's own page and data, and browsers showing them are told so...
    let first: Vec<String> = serde_json::from_str(&events.expect("reload", WAIT)).unwrap();
    assert_eq!(first, ["/vendors/acme/", "/api/vendors/acme.json"]);
    let page = server.get("/vendors/acme/");
    assert!(page.body.contains("<h1>Acme Talk"), "{}", page.body);
    let line = server.wait_for_line(before, "rebuilt");
    assert!(
        line.starts_with("rebuilt 2 pages (2 changed): vendors/acme/index.html in "),
        "{line}"
    );

    // ...then the pages that list vendors: 39 outputs less the six vendors' pages and JSON.
    let second: Vec<String> = serde_json::from_str(&events.expect("reload", WAIT)).unwrap();
    assert!(second.contains(&"/".to_owned()), "{second:?}");
    assert!(
        second.contains(&"/api/vendors.json".to_owned()),
        "{second:?}"
    );
    assert!(
        !second.iter().any(|p| p.starts_with("/vendors/")),
        "{second:?}"
    );
    assert!(server.get("/").body.contains("Acme Talk"));
    let first_at = server.lines().iter().position(|l| *l == line).unwrap();
    let line = server.wait_for_line(first_at + 1, "rebuilt");
    assert!(line.starts_with("rebuilt 27 pages"), "{line}");
    assert!(!line.contains("flatco"), "{line}");
}

#[test]
fn a_broken_record_shows_an_overlay_over_the_last_good_site_until_it_is_fixed() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let mut events = server.events();
    let record = site.path().join("data/vendors/acme.yaml");

    edit(&record, "tier: Business", "tier: Busines");
    let data = events.expect("failed", WAIT);
    assert!(
        data.contains("data/vendors/acme.yaml:14:9: scim.tier"),
        "{data}"
    );
    let page = server.get("/vendors/acme/");
    assert_eq!(page.status, 200, "the last good page is still served");
    assert!(page.body.contains("<h1>Acme Chat"));
    assert!(page.body.contains("id=\"scimfacts-overlay\""));
    assert!(
        page.body
            .contains("data/vendors/acme.yaml:14:9: scim.tier: &quot;Busines&quot;")
    );
    // Every page shows it, not only the broken record's.
    assert!(
        server
            .get("/vendors/flatco/")
            .body
            .contains("id=\"scimfacts-overlay\"")
    );
    // A new connection learns of the failure at once.
    let mut late = server.events();
    assert!(late.expect("failed", WAIT).contains("Busines"));

    edit(&record, "tier: Busines", "tier: Business");
    events.expect("reload", WAIT);
    let page = server.get("/vendors/acme/");
    assert!(!page.body.contains("id=\"scimfacts-overlay\""));
}

#[test]
fn created_deleted_and_renamed_records_add_and_remove_pages() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let mut events = server.events();
    let vendors = site.path().join("data/vendors");

    assert_eq!(server.get("/categories/storage/").status, 200);
    fs::remove_file(vendors.join("flatco.yaml")).unwrap();
    events.expect("reload", WAIT);
    assert_eq!(server.get("/vendors/flatco/").status, 404);
    assert_eq!(server.get("/api/vendors/flatco.json").status, 404);
    // FlatCo was the only vendor of its category.
    assert_eq!(server.get("/categories/storage/").status, 404);
    assert!(!server.get("/").body.contains("FlatCo"));

    fs::write(vendors.join("newco.yaml"), "name: NewCo\n").unwrap();
    events.expect("reload", WAIT);
    assert_eq!(server.get("/vendors/newco/").status, 200);

    fs::rename(vendors.join("newco.yaml"), vendors.join("newer.yaml")).unwrap();
    events.expect("reload", WAIT);
    assert_eq!(server.get("/vendors/newco/").status, 404);
    assert_eq!(server.get("/vendors/newer/").status, 200);
}

#[test]
fn a_category_left_by_its_last_vendor_loses_its_page() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let mut events = server.events();
    assert_eq!(server.get("/categories/design/").status, 200);

    edit(
        &site.path().join("data/vendors/noscim.yaml"),
        "category: Design",
        "category: Drawing",
    );
    // The record's own pages, then the lists.
    events.expect("reload", WAIT);
    events.expect("reload", WAIT);
    assert_eq!(server.get("/categories/design/").status, 404);
    assert_eq!(server.get("/categories/drawing/").status, 200);
    assert!(!site.path().join("site/categories/design").exists());
}

#[test]
fn an_atomic_save_is_seen_and_editor_litter_is_not() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let mut events = server.events();
    let vendors = site.path().join("data/vendors");

    // Swap files and backups alone trigger nothing.
    let quiet_since = server.lines().len();
    fs::write(vendors.join(".acme.yaml.swp"), "junk").unwrap();
    fs::write(vendors.join("acme.yaml~"), "junk").unwrap();
    fs::write(vendors.join("4913"), "").unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        !server.lines()[quiet_since..]
            .iter()
            .any(|l| l.contains("rebuilt")),
        "{:?}",
        server.lines()
    );

    // Write-then-rename, as vim and many editors save.
    let text = read(vendors.join("acme.yaml")).replace("name: Acme Chat", "name: Acme Saved");
    fs::write(vendors.join(".acme.yaml.tmp"), text).unwrap();
    fs::rename(vendors.join(".acme.yaml.tmp"), vendors.join("acme.yaml")).unwrap();
    events.expect("reload", WAIT);
    assert!(server.get("/vendors/acme/").body.contains("Acme Saved"));
}

#[test]
fn a_template_change_rebuilds_everything_and_a_stylesheet_change_only_swaps_styles() {
    let site = fixture_copy("good");
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::write(site.path().join("static/style.css"), "body { color: red }").unwrap();
    let server = Server::start(site.path(), &[]);
    let mut events = server.events();

    let before = server.lines().len();
    fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Gone</h1>{% endblock content %}",
    )
    .unwrap();
    events.expect("reload", WAIT);
    assert!(
        server
            .wait_for_line(before, "rebuilt")
            .starts_with("rebuilt everything")
    );
    assert!(server.get("/nowhere").body.contains("<h1>Gone</h1>"));
    // The replaced site is removed once browsers are told: nothing stays beside the output.
    let leftovers = || {
        fs::read_dir(site.path())
            .unwrap()
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_name().to_string_lossy().contains(".tmp-"))
            .count()
    };
    assert!(
        wait_for(WAIT, || (leftovers() == 0).then_some(())).is_some(),
        "the replaced site was left beside the output"
    );

    fs::write(site.path().join("static/style.css"), "body { color: blue }").unwrap();
    events.expect("css", WAIT);
    assert_eq!(server.get("/style.css").body, "body { color: blue }");
}

#[test]
fn folders_created_while_serving_are_watched_from_then_on() {
    folders_created_while_serving_are_watched(&[]);
}

#[test]
fn folders_created_while_polling_are_watched_from_then_on() {
    folders_created_while_serving_are_watched(&["--poll"]);
}

fn folders_created_while_serving_are_watched(options: &[&str]) {
    let site = fixture_copy("good");
    assert!(!site.path().join("templates").exists());
    let server = Server::start(site.path(), options);
    let mut events = server.events();

    // The folder appears with its first file, then the file is edited again and again: each
    // edit is seen, not only the folder's creation.
    fs::create_dir_all(site.path().join("templates")).unwrap();
    for heading in ["Gone", "Still gone", "Gone for good"] {
        fs::write(
            site.path().join("templates/404.html"),
            format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{heading}</h1>{{% endblock content %}}"),
        )
        .unwrap();
        events.expect("reload", WAIT);
        let served = wait_for(WAIT, || {
            let body = server.get("/nowhere").body;
            body.contains(&format!("<h1>{heading}</h1>"))
                .then_some(body)
        });
        assert!(served.is_some(), "the edit to \"{heading}\" was not served");
    }

    // A folder removed and made again is watched again.
    fs::remove_dir_all(site.path().join("templates")).unwrap();
    events.expect("reload", WAIT);
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Back</h1>{% endblock content %}",
    )
    .unwrap();
    events.expect("reload", WAIT);
    fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Back again</h1>{% endblock content %}",
    )
    .unwrap();
    let served = wait_for(WAIT, || {
        server
            .get("/nowhere")
            .body
            .contains("<h1>Back again</h1>")
            .then_some(())
    });
    assert!(
        served.is_some(),
        "an edit in the re-created folder was not served"
    );
}

#[test]
fn nothing_outside_the_output_is_served() {
    let site = fixture_copy("good");
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
    let server = Server::start(site.path(), &[]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.path().join("site/escape")).unwrap();
    for path in [
        "/../data/site.yaml",
        "/%2e%2e/data/site.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/vendors/..%2f..%2fdata/site.yaml",
        "/..%5c..%5cdata%5csite.yaml",
        "/escape/secret.txt",
        "//etc/passwd",
        "/%00",
    ] {
        let response = http_get(&server.addr, path);
        assert!(
            matches!(response.status, 400 | 403 | 404),
            "{path}: {}",
            response.status
        );
        assert!(!response.body.contains("top secret"), "{path}");
        assert!(!response.body.contains("base_url"), "{path}");
        assert!(!response.body.contains("root:x:"), "{path}");
    }
    let long = format!("/{}", "a/".repeat(3000));
    assert_eq!(http_get(&server.addr, &long).status, 404);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let _events = server.events();
    assert_eq!(server.interrupt(), Some(0));
}

#[test]
fn sigterm_stops_the_server_as_cleanly_as_ctrl_c() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let _events = server.events();
    assert_eq!(server.signal("-TERM"), Some(0));
}

#[test]
fn polling_also_sees_edits() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &["--poll"]);
    let mut events = server.events();
    edit(
        &site.path().join("data/vendors/acme.yaml"),
        "name: Acme Chat",
        "name: Acme Polled",
    );
    events.expect("reload", WAIT);
    assert!(server.get("/vendors/acme/").body.contains("Acme Polled"));
}

#[test]
fn head_and_range_describe_the_body_actually_sent() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    for path in ["/", "/vendors/acme/", "/nowhere"] {
        let page = server.get(path);
        assert!(page.body.contains("EventSource("), "{path}");
        let head = server.request("HEAD", path, &[]);
        assert_eq!(head.status, page.status, "{path}");
        assert_eq!(
            head.header("content-length"),
            Some(page.body.len().to_string().as_str()),
            "HEAD {path} must give the length GET sends"
        );
        assert!(head.body.is_empty(), "{path}");
        // The reload script makes a page longer than its file, so ranges of pages are
        // ignored: the whole page, and no promise of ranges.
        assert_eq!(page.header("accept-ranges"), None, "{path}");
        for range in ["bytes=0-10", "bytes=99999999-"] {
            let ranged = server.request("GET", path, &[("Range", range)]);
            assert_eq!(ranged.status, page.status, "{path} {range}");
            assert_eq!(ranged.body, page.body, "{path} {range}");
            assert_eq!(ranged.header("content-range"), None, "{path} {range}");
        }
    }
    // Other files keep byte ranges.
    let css = server.get("/style.css");
    let head = server.request("HEAD", "/style.css", &[]);
    assert_eq!(
        head.header("content-length"),
        Some(css.body.len().to_string().as_str())
    );
    assert_eq!(css.header("accept-ranges"), Some("bytes"));
    let part = server.request("GET", "/style.css", &[("Range", "bytes=0-9")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, css.body[..10]);
    let whole = format!("bytes 0-9/{}", css.body.len());
    assert_eq!(part.header("content-range"), Some(whole.as_str()));
    let past_end = server.request("GET", "/style.css", &[("Range", "bytes=99999999-")]);
    assert_eq!(past_end.status, 416);
}

#[test]
fn redirects_never_leave_the_site() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    // A folder named like a host: `//evil.example` redirected to `//evil.example/` would send
    // the browser to that host.
    fs::create_dir_all(site.path().join("site/evil.example")).unwrap();
    for path in [
        "//vendors",
        "///vendors",
        "//vendors?page=2",
        r"/\vendors",
        r"/\/vendors",
        "/%5Cvendors",
        "/%2F/vendors",
        "//evil.example",
        "//evil.example/",
        "///evil.example",
    ] {
        let response = http_get(&server.addr, path);
        match response.status {
            300..=399 => {
                let location = response.header("location").unwrap_or("");
                let rest = location.strip_prefix('/').unwrap_or("//");
                assert!(
                    !rest.starts_with(['/', '\\']),
                    "{path} redirects to {location:?}, another host for a browser"
                );
            }
            200 | 404 => {}
            other => panic!("{path}: {other}"),
        }
    }
    assert_eq!(
        server.get("//vendors").header("location"),
        Some("/vendors/")
    );
    assert_eq!(
        server.get("//vendors?page=2").header("location"),
        Some("/vendors/?page=2")
    );
    assert_eq!(server.get("/vendors").header("location"), Some("/vendors/"));
}

#[test]
fn refused_paths_get_the_same_404_page_as_missing_ones() {
    let site = fixture_copy("good");
    let server = Server::start(site.path(), &[]);
    let missing = server.get("/vendors/nobody/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("EventSource("));
    for path in [
        "/../data/site.yaml",
        "/%2e%2e/x",
        "/..%5cx",
        "/x%00y",
        "/%ff",
    ] {
        let refused = http_get(&server.addr, path);
        assert_eq!(refused.status, 404, "{path}");
        assert_eq!(
            refused.body, missing.body,
            "{path}: not the site's 404 page"
        );
        assert_eq!(refused.header("cache-control"), Some("no-store"), "{path}");
    }
}

#[test]
fn binding_beyond_loopback_warns_that_the_preview_is_reachable() {
    const WARNING: &str = "reachable from other machines";
    let site = fixture_copy("good");
    for local_address in [&[][..], &["--bind", "localhost"][..]] {
        let local = Server::start(site.path(), local_address);
        assert_eq!(local.get("/").status, 200, "{local_address:?}");
        assert!(!local.lines().iter().any(|l| l.contains(WARNING)));
    }
    let open = Server::start(site.path(), &["--bind", "0.0.0.0"]);
    let line = open.wait_for_line(0, WARNING);
    assert!(line.starts_with("warning: "), "{line}");
    assert!(line.contains("--bind 127.0.0.1"), "{line}");
}

#[test]
fn a_build_into_the_output_serve_previews_is_refused() {
    let site = fixture_copy("good");
    let output = site.path().join("site");
    let server = Server::start(site.path(), &[]);
    let before = snapshot_tree(&output);
    let build = ["build", "--base-url", "https://elsewhere.example/"];
    let refused = run_in(site.path(), &build);
    let err = stderr(&refused);
    assert_eq!(code(&refused), 2, "{err}");
    assert!(
        err.contains(&format!("`scimfacts serve` (pid {})", server.pid()))
            && err.contains("--output"),
        "{err}"
    );
    assert_eq!(
        snapshot_tree(&output),
        before,
        "the served site is untouched"
    );
    // Another output is fine.
    let elsewhere = site.path().join("elsewhere");
    let other = run_in(
        site.path(),
        &["build", "--output", elsewhere.to_str().unwrap()],
    );
    assert_eq!(code(&other), 0, "{}", stderr(&other));

    // Once serve stops, cleanly or killed, builds go ahead.
    assert_eq!(server.interrupt(), Some(0));
    let beside: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".site"))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
    let after = run_in(site.path(), &build);
    assert_eq!(code(&after), 0, "{}", stderr(&after));
    let killed = Server::start(site.path(), &[]);
    drop(killed); // SIGKILL
    let after_kill = run_in(site.path(), &build);
    assert_eq!(code(&after_kill), 0, "{}", stderr(&after_kill));
}

#[test]
fn a_template_caught_emptied_mid_save_never_replaces_the_pages() {
    let site = fixture_copy("good");
    let templates = site.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    let vendor_template = repo_root().join("templates/vendor.html");
    fs::copy(&vendor_template, templates.join("vendor.html")).unwrap();
    let server = Server::start(site.path(), &[]);
    let mut events = server.events();
    let before = server.get("/vendors/acme/").body;
    assert!(before.contains("<h1>Acme Chat"));

    // An editor that saves in place truncates the file, then writes it: caught in between,
    // the template is empty.
    fs::write(templates.join("vendor.html"), "").unwrap();
    let failed = events.expect("failed", WAIT);
    assert!(
        failed.contains("templates/vendor.html: empty template"),
        "{failed}"
    );
    let during = server.get("/vendors/acme/").body;
    assert!(
        during.contains("<h1>Acme Chat"),
        "a page made of nothing was served"
    );

    fs::copy(&vendor_template, templates.join("vendor.html")).unwrap();
    events.expect("reload", WAIT);
    let after = server.get("/vendors/acme/").body;
    assert!(after.contains("<h1>Acme Chat") && !after.contains("id=\"scimfacts-overlay\""));
}

#[test]
fn a_port_in_use_is_told_at_once_without_building() {
    let site = fixture_copy("good");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let started = std::time::Instant::now();
    let refused = run_in(site.path(), &["serve", "--port", &port]);
    let err = stderr(&refused);
    assert_eq!(code(&refused), 2, "{err}");
    assert!(
        err.contains(&format!("port {port} on 127.0.0.1 is already in use"))
            && err.contains("--port 0 picks a free one"),
        "{err}"
    );
    assert!(
        !site.path().join("site").exists(),
        "the site was built before the port was tried"
    );
    assert!(started.elapsed() < WAIT, "took {:?}", started.elapsed());
}
