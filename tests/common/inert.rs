//! Checks that a built site carries no live markup it did not write itself: every file of the
//! output is read by what it is (HTML by a real HTML parser, JSON by serde_json, XML by an XML
//! parser), so outputs added later are covered without changing these tests.

use std::collections::BTreeSet;
use std::path::Path;

use scraper::{Html, Selector};

/// Attributes whose value a browser follows or fetches as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "background",
    "longdesc",
    "ping",
    "manifest",
    "xlink:href",
];

/// Elements that run, embed or redirect; a site of fact pages needs none it did not write.
const ACTIVE_ELEMENTS: &str = "script, iframe, frame, object, embed, applet, base, form, \
     meta[http-equiv], link[rel=import]";

/// What in a site can run code or lead away: script-like elements and handler attributes (by
/// their markup), and every URL scheme used.
#[derive(Debug, Default)]
pub struct LiveMarkup {
    /// `file: <element ...>` for each active element, as the parser rebuilt it.
    pub active_elements: BTreeSet<String>,
    /// `file: name="value"` for each `on*` attribute.
    pub handlers: BTreeSet<String>,
    /// `file: attribute=value` for each URL whose scheme is not http, https or mailto.
    pub bad_urls: BTreeSet<String>,
    /// Other problems: unparsable JSON or XML, `</script` inside JSON.
    pub malformed: Vec<String>,
    /// How many files of each kind were read, so that a test can tell it saw something.
    pub html_files: usize,
    pub json_files: usize,
    pub xml_files: usize,
}

impl LiveMarkup {
    /// Everything live in the files below `output`, with paths relative to it.
    pub fn of_site(output: &Path) -> LiveMarkup {
        let mut found = LiveMarkup::default();
        for entry in walkdir::WalkDir::new(output) {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry
                .path()
                .strip_prefix(output)
                .unwrap()
                .display()
                .to_string();
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            match entry.path().extension().and_then(|e| e.to_str()) {
                Some("html" | "htm") => found.read_html(&name, &text),
                Some("json") => found.read_json(&name, &text),
                Some("xml" | "rss" | "atom") => found.read_xml(&name, &text),
                _ => {}
            }
        }
        found
    }

    pub fn read_html(&mut self, name: &str, html: &str) {
        self.html_files += 1;
        let document = Html::parse_document(html);
        let active = Selector::parse(ACTIVE_ELEMENTS).unwrap();
        for element in document.select(&active) {
            let tag = element.value();
            if is_data_script(tag) {
                // Structured data (JSON-LD) is the page's own and inert as long as it is whole:
                // a `</script>` from the data would have cut it short of valid JSON.
                let json: String = element.text().collect();
                if serde_json::from_str::<serde_json::Value>(&json).is_err()
                    || json.contains("</")
                    || json.contains("<!--")
                {
                    self.malformed.push(format!(
                        "{name}: a JSON script that is not JSON: {json:.80}"
                    ));
                }
                continue;
            }
            let attributes: Vec<String> = tag
                .attrs()
                .map(|(attr, value)| format!("{attr}={value:?}"))
                .collect();
            // A form's text is its labels and options, record text the browser never runs:
            // the form is the site's own when its tag and attributes are.
            let content: String = if tag.name() == "form" {
                String::new()
            } else {
                element.text().collect()
            };
            self.active_elements.insert(format!(
                "{name}: <{} {}>{content}",
                tag.name(),
                attributes.join(" "),
            ));
        }
        let everything = Selector::parse("*").unwrap();
        for element in document.select(&everything) {
            for (attr, value) in element.value().attrs() {
                let attr = attr.to_ascii_lowercase();
                if attr.starts_with("on") {
                    self.handlers.insert(format!("{name}: {attr}={value:?}"));
                }
                let is_url = URL_ATTRIBUTES.contains(&attr.as_str());
                if is_url && !scheme_is_allowed(value) {
                    self.bad_urls.insert(format!("{name}: {attr}={value:?}"));
                }
                if attr == "srcset" {
                    for candidate in value.split(',') {
                        let url = candidate.split_whitespace().next().unwrap_or("");
                        if !scheme_is_allowed(url) {
                            self.bad_urls.insert(format!("{name}: srcset={value:?}"));
                        }
                    }
                }
            }
        }
    }

    pub fn read_json(&mut self, name: &str, json: &str) {
        self.json_files += 1;
        if let Err(err) = serde_json::from_str::<serde_json::Value>(json) {
            self.malformed.push(format!("{name}: not JSON: {err}"));
        }
        // JSON is often inlined into a page's <script>: a raw `</script` there ends the
        // script and starts markup. Escaped as `<\/script` or `\u003c/script` it is inert.
        if json.to_ascii_lowercase().contains("</script") {
            self.malformed.push(format!("{name}: holds a raw </script"));
        }
    }

    pub fn read_xml(&mut self, name: &str, xml: &str) {
        self.xml_files += 1;
        let document = match roxmltree::Document::parse(xml) {
            Ok(document) => document,
            Err(err) => {
                self.malformed
                    .push(format!("{name}: not well-formed XML: {err}"));
                return;
            }
        };
        for node in document.descendants().filter(|n| n.is_element()) {
            for attribute in node.attributes() {
                if URL_ATTRIBUTES.contains(&attribute.name())
                    && !scheme_is_allowed(attribute.value())
                {
                    self.bad_urls.insert(format!(
                        "{name}: {}={:?}",
                        attribute.name(),
                        attribute.value()
                    ));
                }
            }
            // Feeds and sitemaps give URLs as element text.
            if matches!(node.tag_name().name(), "link" | "loc" | "url" | "uri")
                && let Some(text) = node.text()
                && !scheme_is_allowed(text.trim())
            {
                self.bad_urls
                    .insert(format!("{name}: <{}>{:?}", node.tag_name().name(), text));
            }
            if node.tag_name().name() == "script" {
                self.active_elements
                    .insert(format!("{name}: <script> in XML"));
            }
        }
    }

    /// What `self` has that `baseline` (the same site built from harmless data) does not: the
    /// live markup the data brought in. Paths are compared without the file they came from,
    /// since hostile data may add pages.
    pub fn beyond(&self, baseline: &LiveMarkup) -> Vec<String> {
        let strip = |set: &BTreeSet<String>| -> BTreeSet<String> {
            set.iter()
                .map(|entry| {
                    entry
                        .split_once(": ")
                        .map_or(entry.clone(), |(_, rest)| rest.to_owned())
                })
                .collect()
        };
        let mut problems = Vec::new();
        let own_active = strip(&baseline.active_elements);
        let own_handlers = strip(&baseline.handlers);
        for entry in &self.active_elements {
            let markup = entry
                .split_once(": ")
                .map_or(entry.as_str(), |(_, rest)| rest);
            if !own_active.contains(markup) {
                problems.push(format!("active element {entry}"));
            }
        }
        for entry in &self.handlers {
            let markup = entry
                .split_once(": ")
                .map_or(entry.as_str(), |(_, rest)| rest);
            if !own_handlers.contains(markup) {
                problems.push(format!("handler attribute {entry}"));
            }
        }
        problems.extend(self.bad_urls.iter().map(|u| format!("URL scheme {u}")));
        problems.extend(self.malformed.iter().cloned());
        problems
    }
}

/// `<script type="application/ld+json">` and the like: data for machines, never run.
fn is_data_script(element: &scraper::node::Element) -> bool {
    element.name() == "script"
        && element.attr("type").is_some_and(|kind| {
            let kind = kind.trim().to_ascii_lowercase();
            kind == "application/ld+json" || kind == "application/json"
        })
}

/// Whether a URL, read as a browser reads it, is relative or uses http, https or mailto.
/// Browsers drop leading and trailing spaces and control characters and ignore tabs and line
/// breaks anywhere, and schemes are case-insensitive.
pub fn scheme_is_allowed(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after a `/`, `?` or `#` (`a/b:c`) belongs to a relative path, not a scheme.
    !is_scheme
        || matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "mailto"
        )
}
