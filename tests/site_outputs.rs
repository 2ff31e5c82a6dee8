//! The whole site on the fixture: cross-vendor pages, machine-readable data, discovery files,
//! page metadata, asset hashing, and a site served from a sub-path.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use scraper::{Html, Selector};

fn build(site: &Path, extra: &[&str]) {
    let mut args = vec!["build", "--quiet"];
    args.extend(extra);
    let output = run_in(site, &args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

fn built() -> tempfile::TempDir {
    let site = fixture_copy("good");
    build(site.path(), &[]);
    site
}

fn out(site: &Path, path: &str) -> String {
    read(site.join("site").join(path))
}

fn squeezed_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let text: Vec<&str> = document.root_element().text().collect();
    text.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn select<'a>(document: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    document.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn every_json_csv_and_xml_output_is_well_formed() {
    let site = built();
    let all: serde_json::Value =
        serde_json::from_str(&out(site.path(), "api/vendors.json")).unwrap();
    assert_eq!(all["schema_version"], 1);
    assert_eq!(all["generated"], "2026-06-01");
    assert_eq!(all["team_sizes"], serde_json::json!([10, 50, 100]));
    let vendors = all["vendors"].as_array().unwrap();
    assert_eq!(vendors.len(), 6);
    let acme = vendors.iter().find(|v| v["slug"] == "acme").unwrap();
    assert_eq!(acme["verified"], "2026-05-01");
    assert_eq!(acme["url"], "https://facts.example.org/vendors/acme/");
    assert_eq!(acme["scim_cost"]["rows"][0]["annual"], 2400.0);
    assert_eq!(acme["scim_premium"]["percent_text"], "150%");

    for slug in ["acme", "flatco", "gated", "noscim", "mystery", "oldie"] {
        let one: serde_json::Value =
            serde_json::from_str(&out(site.path(), &format!("api/vendors/{slug}.json"))).unwrap();
        assert_eq!(one["schema_version"], 1);
        assert_eq!(one["slug"], slug);
        assert!(one["record"]["name"].is_string());
        assert!(one["figures"]["scim_cost"].is_object());
    }
    let one: serde_json::Value =
        serde_json::from_str(&out(site.path(), "api/vendors/acme.json")).unwrap();
    // A price is written as records write it, with the source it cites.
    assert_eq!(one["record"]["tiers"][1]["price"]["amount"], 8.0);
    assert_eq!(one["record"]["tiers"][1]["source"], "pricing");
    assert_eq!(one["record"]["tiers"][0]["price"], "free");
    assert_eq!(one["record"]["sources"][0]["checked"], "2026-05-01");

    let csv_text = out(site.path(), "api/vendors.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert!(
        header.contains(&"scim_cost_per_year_50_users".to_owned()),
        "{header:?}"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    let acme_row = rows.iter().find(|r| &r[0] == "acme").unwrap();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&acme_row[column("scim_cost_per_year_10_users")], "2400.00");
    assert_eq!(&acme_row[column("scim_premium_percent")], "150.0");

    for xml in ["sitemap.xml", "feed.xml"] {
        let text = out(site.path(), xml);
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{xml}: {e}"));
    }
}

#[test]
fn the_sitemap_robots_and_feed_point_at_every_page_with_dates() {
    let site = built();
    let sitemap = out(site.path(), "sitemap.xml");
    let document = roxmltree::Document::parse(&sitemap).unwrap();
    let urls: Vec<(String, Option<String>)> = document
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|n| {
            let child = |tag: &str| {
                n.children()
                    .find(|c| c.has_tag_name(tag))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            };
            (child("loc").unwrap(), child("lastmod"))
        })
        .collect();
    let html_pages = walkdir::WalkDir::new(site.path().join("site"))
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "html")
        })
        .count();
    assert_eq!(urls.len(), html_pages - 1, "every HTML page but 404.html");
    let acme = urls
        .iter()
        .find(|(loc, _)| loc == "https://facts.example.org/vendors/acme/")
        .unwrap();
    assert_eq!(acme.1.as_deref(), Some("2026-05-01"));
    let mystery = urls
        .iter()
        .find(|(loc, _)| loc.ends_with("/vendors/mystery/"))
        .unwrap();
    assert_eq!(mystery.1, None, "an unverified record has no lastmod");

    let robots = out(site.path(), "robots.txt");
    assert!(
        robots.contains("Sitemap: https://facts.example.org/sitemap.xml"),
        "{robots}"
    );

    let feed = out(site.path(), "feed.xml");
    let document = roxmltree::Document::parse(&feed).unwrap();
    let titles: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| {
            e.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
        })
        .collect();
    assert_eq!(titles.len(), 4, "the four verified vendors: {titles:?}");
    assert!(
        titles[0].starts_with("Acme Chat"),
        "newest first: {titles:?}"
    );
}

#[test]
fn idp_pages_show_every_vendor_and_the_list_counts_them() {
    let site = built();
    let okta = squeezed_text(&out(site.path(), "idps/okta/index.html"));
    assert!(
        okta.contains("Acme Chat ✓ Yes ✓ Full SCIM OIN app Setup steps"),
        "{okta}"
    );
    assert!(
        okta.contains("Gated Inc ✓ Yes ✓ Full SCIM Unknown Not recorded"),
        "{okta}"
    );
    assert!(
        okta.contains("FlatCo Unknown Unknown Unknown Not recorded"),
        "{okta}"
    );
    let google = squeezed_text(&out(site.path(), "idps/google/index.html"));
    assert!(google.contains("NoScim ✓ Yes JIT only"), "{google}");
    let html = out(site.path(), "idps/okta/index.html");
    assert!(html.contains("href=\"../../vendors/acme/#setup-okta\""));

    let list = Html::parse_document(&out(site.path(), "idps/index.html"));
    let rows: Vec<String> = select(&list, "tbody tr")
        .iter()
        .map(|r| {
            r.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        rows,
        [
            // SSO yes, no, unknown; full SCIM, JIT, none, unknown: each group adds up to 6.
            "Okta 2 0 4 2 0 0 4",
            "Microsoft Entra ID 1 0 5 1 0 0 5",
            "Google Workspace 2 0 4 0 2 0 4",
            "OneLogin 0 0 6 0 0 0 6"
        ]
    );
}

#[test]
fn the_scim_tax_ranks_premiums_and_lists_the_rest() {
    let site = built();
    let text = squeezed_text(&out(site.path(), "scim-tax/index.html"));
    // FlatCo: Team bills at least 25 seats, €4,500 a year at 10 users against Starter's €1,200.
    assert!(
        // The median of 275% and 150%, 212.5%, rounds half away from zero as browsers do.
        text.contains("Vendors 6 Charge extra for SCIM 3 Median premium +213%"),
        "{text}"
    );
    let document = Html::parse_document(&out(site.path(), "scim-tax/index.html"));
    let ranked: Vec<String> = select(&document, "#ranking tbody th a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(ranked, ["FlatCo", "Acme Chat"]);
    assert!(
        text.contains("1 FlatCo Team Starter Varies by team size €3,300 (275%)"),
        "{text}"
    );
    assert!(text.contains("SCIM only with custom pricing These vendors put SCIM in a plan without a published price. Gated Inc (Enterprise)"), "{text}");
    assert!(text.contains("No SCIM NoScim"), "{text}");
    assert!(text.contains("Premium unknown"), "{text}");
}

#[test]
fn categories_group_vendors() {
    let site = built();
    let list = squeezed_text(&out(site.path(), "categories/index.html"));
    assert!(list.contains("Communication (2 vendors)"), "{list}");
    let communication =
        Html::parse_document(&out(site.path(), "categories/communication/index.html"));
    let names: Vec<String> = select(&communication, "tbody th a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(names, ["Acme Chat", "Oldie"]);
}

#[test]
fn every_page_has_a_title_description_canonical_url_and_open_graph_tags() {
    let site = built();
    for entry in walkdir::WalkDir::new(site.path().join("site")) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|x| x != "html") {
            continue;
        }
        let document = Html::parse_document(&read(&path));
        let shown = path.display();
        assert_eq!(select(&document, "h1").len(), 1, "{shown}: one h1");
        let title: String = select(&document, "title")[0].text().collect();
        assert!(!title.trim().is_empty(), "{shown}");
        for css in [
            "meta[name=description][content]",
            "link[rel=canonical][href^='https://facts.example.org/']",
            "meta[property='og:title'][content]",
            "meta[property='og:url'][content^='https://facts.example.org/']",
            "meta[property='og:type'][content]",
            "a.skip-link[href='#main']",
            "main#main",
        ] {
            assert_eq!(select(&document, css).len(), 1, "{shown}: {css}");
        }
        // Tables an editor writes in Markdown have no caption; the site's own all do.
        for table in select(&document, "table:not(.prose table)") {
            assert!(
                table
                    .select(&Selector::parse("caption").unwrap())
                    .next()
                    .is_some(),
                "{shown}: table without caption"
            );
        }
        // No request to any other host: styles, scripts and images come from the site.
        for css in [
            "link[rel=stylesheet]",
            "script[src]",
            "img",
            "iframe",
            "link[rel=preload]",
        ] {
            for element in select(&document, css) {
                let target = element
                    .value()
                    .attr("href")
                    .or(element.value().attr("src"))
                    .unwrap_or("");
                assert!(!target.contains("//"), "{shown}: {css} loads {target}");
            }
        }
        for th in select(&document, "th") {
            assert!(
                th.value().attr("scope").is_some(),
                "{shown}: th without scope: {}",
                th.html()
            );
        }
    }
    let acme = Html::parse_document(&out(site.path(), "vendors/acme/index.html"));
    let ld: String = select(&acme, "script[type='application/ld+json']")[0]
        .text()
        .collect();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["@type"], "SoftwareApplication");
    assert_eq!(ld["name"], "Acme Chat");
    assert_eq!(ld["dateModified"], "2026-05-01");
    assert_eq!(ld["offers"][1]["price"], 8.0);
    assert_eq!(
        select(&acme, "meta[property='og:type'][content=article]").len(),
        1
    );
}

#[test]
fn static_files_are_linked_by_a_hash_of_their_content() {
    let site = built();
    let link = |site: &Path| -> String {
        let document = Html::parse_document(&out(site, "index.html"));
        select(&document, "link[rel=stylesheet]")[0]
            .value()
            .attr("href")
            .unwrap()
            .to_owned()
    };
    let before = link(site.path());
    assert!(before.starts_with("./style.css?h="), "{before}");
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::write(site.path().join("static/style.css"), "body { color: red }").unwrap();
    build(site.path(), &[]);
    let after = link(site.path());
    assert!(
        after.starts_with("./style.css?h=") && after != before,
        "{before} → {after}"
    );

    // A template that names a missing asset is an error, not a broken link.
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>x</h1><img src=\"{{ asset(path='logo.png') }}\" alt=\"\">{% endblock content %}",
    )
    .unwrap();
    let output = run_in(site.path(), &["build"]);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("asset(path=\"logo.png\"): no such file in static/"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_base_url_with_a_path_works_from_that_path() {
    let site = fixture_copy("good");
    build(site.path(), &["--base-url", "https://example.org/scim"]);
    let index = out(site.path(), "index.html");
    assert!(
        index.contains("<link rel=\"canonical\" href=\"https://example.org/scim/\">"),
        "{index}"
    );
    let vendor = out(site.path(), "vendors/acme/index.html");
    assert!(vendor.contains("href=\"https://example.org/scim/vendors/acme/\""));
    assert!(
        out(site.path(), "sitemap.xml")
            .contains("<loc>https://example.org/scim/vendors/acme/</loc>")
    );
    assert!(
        out(site.path(), "robots.txt").contains("Sitemap: https://example.org/scim/sitemap.xml")
    );
    assert!(
        out(site.path(), "feed.xml").contains("<id>https://example.org/scim/vendors/acme/</id>")
    );
    // The 404 page is served at any address, so its links are absolute within the sub-path.
    let not_found = Html::parse_document(&out(site.path(), "404.html"));
    for a in select(&not_found, "a[href], link[href], script[src]") {
        let target = a.value().attr("href").or(a.value().attr("src")).unwrap();
        assert!(
            target.starts_with("/scim/") || target.starts_with('#') || target.contains("://"),
            "{target}"
        );
    }
    // Every other link is relative, so it resolves under /scim/ as it does at the root.
    assert_links_resolve_under_a_sub_path(&site.path().join("site"), "/scim/");

    let bad = run_in(site.path(), &["build", "--base-url", "ftp://example.org/"]);
    assert_eq!(code(&bad), 2, "{}", stderr(&bad));
}

/// Serves the output, in thought, at `prefix`: every link of every page, resolved against the
/// page's URL, must name a file of the output.
fn assert_links_resolve_under_a_sub_path(output: &Path, prefix: &str) {
    let links = Selector::parse("a[href], link[href], script[src]").unwrap();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(output) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|x| x != "html") {
            continue;
        }
        let relative = path
            .strip_prefix(output)
            .unwrap()
            .to_string_lossy()
            .replace("index.html", "");
        let page_url = format!("{prefix}{relative}");
        let document = Html::parse_document(&read(&path));
        for link in document.select(&links) {
            let target = link
                .value()
                .attr("href")
                .or(link.value().attr("src"))
                .unwrap();
            if target.starts_with('#') || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let target = target.split(['#', '?']).next().unwrap();
            let url = resolve(&page_url, target);
            let inside = url
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("{}: {target} leaves {prefix}: {url}", path.display()));
            let mut file = output.join(inside);
            if inside.is_empty() || inside.ends_with('/') {
                file = file.join("index.html");
            }
            assert!(
                file.is_file(),
                "{}: {target} → {url} has no file",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

/// Resolves `target` against the URL path `base`, as a browser does.
fn resolve(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        let dir = &base[..=base.rfind('/').unwrap()];
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    let ends_with_slash = target.ends_with('/') || target.is_empty() || target.ends_with('.');
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut url = format!("/{}", parts.join("/"));
    if ends_with_slash && !url.ends_with('/') {
        url.push('/');
    }
    url
}
