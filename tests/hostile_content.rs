//! Hostile content is inert: every string field of a record, every Markdown field, the site's
//! title and description and the identity providers' names are filled with script tags,
//! event handlers, `javascript:`/`data:`/`vbscript:` URLs (in mixed case, with entities and
//! whitespace), quotes that try to leave an attribute, `</script>`, CDATA ends and Tera syntax.
//! The site must build, and every file of the output, read by a real parser, must hold no
//! script or handler the site does not write itself and no link with another scheme than
//! http, https, mailto or a relative path; the Tera syntax must come out as text.

mod common;

use std::fs;
use std::path::Path;

use common::inert::{LiveMarkup, scheme_is_allowed};
use common::*;
use serde_json::{Value, json};

/// Strings that try to become markup wherever a string is shown.
const PLAIN: &[&str] = &[
    r#"<script>alert("plain")</script>"#,
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    r#""><svg onload=alert(1)>"#,
    "' onmouseover='alert(1)",
    r#"" onfocus="alert(1)" autofocus x=""#,
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "{{ site.title }}{{ 7*7 }}",
    "{% for x in range(end=3) %}loop{% endfor %}",
    "{# hidden #}",
    "</title><script>alert(1)</script>",
    "<!-- x --><style>body{display:none}</style>",
    "]]><script>alert(1)</script>",
    r#"<iframe src="javascript:alert(1)"></iframe>"#,
    r#"<a href="javascript:alert(1)">x</a>"#,
    "\u{2028}\u{2029}</script>",
];

/// Markdown that tries to become a live link or raw HTML.
const MARKDOWN: &[&str] = &[
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](javascript&colon;alert(1))",
    "<javascript:alert(1)>",
    "[click][r]\n\n[r]: javascript:alert(1)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    r#"[x](https://ok.example "title\" onclick=\"alert(1)")"#,
    "[x](vbscript:msgbox(1))",
    "[x](<data:text/html,<script>alert(1)</script>>)",
    r#"<a href="javascript:alert(1)">raw</a>"#,
    "<div onclick=\"alert(1)\">\n\nblock html\n\n</div>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "text[^1]\n\n[^1]: <script>alert(1)</script>",
];

/// An http URL carrying `payload`: URL fields must be http(s), and validation refuses the
/// characters a URL must carry percent-encoded (`"`, `<`, `>`..., and `%` itself), so the
/// attack is in what follows, with those encoded and the rest (`'`, `&`, `(`, `;`, `=`) raw.
fn url_with(payload: &str) -> String {
    let mut url = String::from("https://evil.example/");
    for c in payload.chars().filter(|c| !c.is_whitespace()) {
        match c {
            '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | '%' => {
                url.push_str(&format!("%{:02X}", u32::from(c)));
            }
            c => url.push(c),
        }
    }
    url
}

/// A record with every string field set to `text`, every URL carrying it, and every Markdown
/// field set to `markdown`. Written as JSON, which is YAML, so no quoting can go wrong.
fn hostile_record(text: &str, markdown: &str) -> Value {
    let list = json!([text, text]);
    let tier_b = format!("{text} (2)");
    json!({
        "name": text,
        "now_known_as": text,
        "category": text,
        "website": url_with(text),
        "verified": "2026-05-01",
        "summary": markdown,
        "sso": {"available": true, "protocols": list, "required_for_scim": true},
        "scim": {
            "available": true, "version": text, "tier": tier_b,
            "operations": list, "attributes": list, "prerequisites": list, "limitations": list,
            "docs": url_with(text)
        },
        "tiers": [
            {"name": text, "price": {"amount": 8, "currency": "USD", "per": "user/month"},
             "sso": true, "scim": false},
            {"name": tier_b, "price": {"amount": 20, "currency": "USD", "per": "user/month",
             "approximate": true, "min_seats": 3}, "sso": true, "scim": true}
        ],
        "idps": {"okta": {"sso": true, "scim": "full", "notes": text, "setup": {
            "integration": text, "where": text, "credentials": text, "steps": list,
            "trigger": text, "sync": text, "docs": url_with(text)
        }}},
        "sentiment": {"tone": "mixed", "summary": markdown, "complaints": list,
            "quotes": [{"text": text, "source": text, "url": url_with(text)}]},
        "decisions": [{"situation": text, "recommendation": text}],
        "sections": [{"title": text, "body": markdown}],
        "sources": [{"title": text, "url": url_with(text), "checked": "2026-05-01"}]
    })
}

/// The good fixture with its settings and identity providers made hostile too, and one vendor
/// per payload.
fn hostile_site() -> tempfile::TempDir {
    let site = fixture_copy("good");
    let data = site.path().join("data");
    let site_yaml = json!({
        "title": "Facts </title><script>alert(1)</script> {{ 7*7 }}",
        "base_url": "https://facts.example.org/",
        "description": r#"" onload="alert(1)" <script>alert(1)</script> {% raw %}"#,
    });
    fs::write(data.join("site.yaml"), site_yaml.to_string()).unwrap();
    let idps = json!({
        "okta": {"name": "<script>alert('okta')</script>", "website": url_with("\"><script>")},
        "entra": {"name": "\" onmouseover=\"alert(1)"},
        "google": {"name": "{{ page.root }}"},
        "onelogin": {"name": "javascript:alert(1)"},
    });
    fs::write(data.join("idps.yaml"), idps.to_string()).unwrap();
    let count = PLAIN.len().max(MARKDOWN.len());
    for i in 0..count {
        let text = PLAIN[i % PLAIN.len()];
        let markdown = format!("{}\n\n{}", MARKDOWN[i % MARKDOWN.len()], text);
        let record = hostile_record(text, &markdown);
        let path = data.join(format!("vendors/hostile-{i}.yaml"));
        fs::write(path, serde_json::to_string_pretty(&record).unwrap()).unwrap();
    }
    site
}

fn built(site: &Path) -> LiveMarkup {
    let output = run_in(site, &["build"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    LiveMarkup::of_site(&site.join("site"))
}

#[test]
fn hostile_strings_and_markdown_render_inert_in_every_output_file() {
    let baseline = built(fixture_copy("good").path());
    let site = hostile_site();
    let hostile = built(site.path());
    assert!(
        hostile.html_files >= PLAIN.len() + 2,
        "only {} pages were read",
        hostile.html_files
    );
    let problems = hostile.beyond(&baseline);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn tera_syntax_in_data_comes_out_as_text() {
    let site = hostile_site();
    built(site.path());
    let tera = PLAIN.iter().position(|p| p.contains("7*7")).unwrap();
    let page = read(
        site.path()
            .join(format!("site/vendors/hostile-{tera}/index.html")),
    );
    let text: String = scraper::Html::parse_document(&page)
        .root_element()
        .text()
        .collect();
    assert!(text.contains("{{ site.title }}{{ 7*7 }}"), "{text}");
    assert!(!text.contains("49"), "the expression was evaluated");
    let index = read(site.path().join("site/index.html"));
    assert!(
        index.contains("{% for x in range(end=3) %}loop{% endfor %}"),
        "a tag in data stays text"
    );
    assert!(!index.contains("looplooploop"));
}

/// The checker itself: each kind of live markup it must catch, caught.
#[test]
fn the_checker_finds_live_markup_of_every_kind() {
    let mut found = LiveMarkup::default();
    found.read_html(
        "a.html",
        r#"<p onclick="x()">a</p><script>x()</script><a href=" JaVa&#x09;Script:x()">b</a>
           <img srcset="ok.png 1x, javascript:x() 2x"><iframe src="https://x"></iframe>"#,
    );
    found.read_html(
        "b.html",
        r#"<script type="application/ld+json">{"name": "</script><script>x()</script>"}</script>"#,
    );
    found.read_json("a.json", r#"{"a": "</script><script>x()</script>"}"#);
    found.read_json("b.json", "{not json");
    found.read_xml(
        "a.xml",
        "<rss><channel><link>javascript:x()</link></channel></rss>",
    );
    found.read_xml("b.xml", "<feed><entry></feed>");
    let problems = found.beyond(&LiveMarkup::default());
    for expected in [
        "handler attribute a.html: onclick",
        "active element a.html: <script",
        "active element a.html: <iframe",
        "b.html: a JSON script that is not JSON",
        "active element b.html: <script",
        "URL scheme a.html: href",
        "URL scheme a.html: srcset",
        "a.json: holds a raw </script",
        "b.json: not JSON",
        "URL scheme a.xml: <link>",
        "b.xml: not well-formed XML",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{expected} not found in {problems:#?}"
        );
    }
}

#[test]
fn structured_data_and_ordinary_links_are_not_live_markup() {
    let mut found = LiveMarkup::default();
    found.read_html(
        "ok.html",
        r#"<script type="application/ld+json">{"name": "<\/script>"}</script>
           <a href="../x/">x</a><a href="mailto:a@b.c">m</a><link rel="stylesheet" href="style.css">"#,
    );
    assert!(found.beyond(&LiveMarkup::default()).is_empty());
}

#[test]
fn only_http_https_mailto_and_relative_urls_are_allowed() {
    for good in [
        "https://x.example/a",
        "HTTP://x",
        "mailto:a@b.c",
        "../x/",
        "#top",
        "a/b:c",
        "?q=1",
        "",
    ] {
        assert!(scheme_is_allowed(good), "{good}");
    }
    for bad in [
        "javascript:x()",
        " JavaScript:x()",
        "java\tscript:x()",
        "\u{1}javascript:x()",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
    ] {
        assert!(!scheme_is_allowed(bad), "{bad:?}");
    }
}
