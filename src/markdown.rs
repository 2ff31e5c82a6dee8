//! Markdown fields of a record to HTML that cannot carry script.
//!
//! Records may come from outside contributors, so raw HTML in Markdown is shown as text, and a
//! link keeps its target only when that is http, https, mailto or a relative path. Images are
//! shown as links: the site makes no request to other hosts. Footnote ids are made here, never
//! taken from the record's labels, and name the field they are in: one page shows several
//! Markdown fields, and each numbers its footnotes from 1.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// Markdown as HTML safe to put in a page. `field` names the field among the Markdown fields of
/// its page (`summary`, `section-2`; letters, digits and `-`): its footnotes get the ids
/// `<field>-fn-1`, `<field>-fn-2`..., unique on the page as long as `field` is.
pub fn to_html(markdown: &str, field: &str) -> String {
    debug_assert!(
        !field.is_empty()
            && field
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "{field:?} cannot start an id"
    );
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    // One entry per open link: whether its target was dropped (and so its end tag too).
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut footnotes = FootnoteIds::of(field);
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::FootnoteReference(label) => Some(Event::FootnoteReference(footnotes.id(&label))),
        Event::Start(Tag::FootnoteDefinition(label)) => {
            Some(Event::Start(Tag::FootnoteDefinition(footnotes.id(&label))))
        }
        // Raw HTML is shown, never interpreted.
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => open_link(&mut dropped_links, link_type, dest_url, title, id),
        // An image becomes a link to it.
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => open_link(&mut dropped_links, LinkType::Inline, dest_url, title, id),
        Event::End(TagEnd::Link | TagEnd::Image) => {
            let dropped = dropped_links.pop().unwrap_or(false);
            (!dropped).then_some(Event::End(TagEnd::Link))
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    // Header cells of Markdown tables head columns; say so for screen readers.
    out.replace("<th>", "<th scope=\"col\">")
        .replace("<th style=", "<th scope=\"col\" style=")
}

/// The ids of the footnotes of one field, in the order their labels first appear, which is the
/// order pulldown-cmark numbers them in: `[^1]`, `[^note]` become `summary-fn-1`,
/// `summary-fn-2`, and show as 1 and 2 as before.
struct FootnoteIds<'f> {
    field: &'f str,
    /// The labels seen so far, in lower case: pulldown-cmark matches a reference to its note
    /// ignoring case (`[^Note]` to `[^note]:`) but passes on each label as written.
    labels: Vec<String>,
}

impl<'f> FootnoteIds<'f> {
    fn of(field: &'f str) -> Self {
        FootnoteIds {
            field,
            labels: Vec::new(),
        }
    }

    fn id(&mut self, label: &str) -> CowStr<'static> {
        let label = label.to_lowercase();
        let index = match self.labels.iter().position(|seen| *seen == label) {
            Some(index) => index,
            None => {
                self.labels.push(label);
                self.labels.len() - 1
            }
        };
        format!("{}-fn-{}", self.field, index + 1).into()
    }
}

/// The start of a link, or nothing when its target is not safe (its text stays, unlinked).
fn open_link<'a>(
    dropped_links: &mut Vec<bool>,
    link_type: LinkType,
    dest_url: CowStr<'a>,
    title: CowStr<'a>,
    id: CowStr<'a>,
) -> Option<Event<'a>> {
    let safe = is_safe_link(&dest_url);
    dropped_links.push(!safe);
    safe.then_some(Event::Start(Tag::Link {
        link_type,
        dest_url,
        title,
        id,
    }))
}

/// Whether a link target may stay a link: http(s), mailto, or relative. The scheme is read as
/// a browser reads it, ignoring case and the whitespace and control characters that browsers
/// strip (`java\tscript:` is `javascript:`). pulldown-cmark has already decoded entities.
pub fn is_safe_link(url: &CowStr) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        // No scheme at all, or a colon that comes after the path begins: relative.
        (None, _) => true,
        (Some(colon), Some(path)) if path < colon => true,
        (Some(colon), _) => {
            let scheme = cleaned[..colon].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_of(markdown: &str) -> String {
        to_html(markdown, "body")
    }

    #[test]
    fn renders_tables_footnotes_and_strikethrough() {
        let html = html_of("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n[^1]: note\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<th scope=\"col\">a</th>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = html_of("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_lose_their_target_but_keep_their_text() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "&#106;avascript:alert(1)",
            "java%09script:alert(1)",
            "data:text/html,<script>",
            "vbscript:msgbox",
            "<java\tscript:alert(1)>",
        ] {
            let html = html_of(&format!("[click]({url})"));
            assert!(!html.contains("href"), "{url}: {html}");
            assert!(html.contains("click"), "{url}: {html}");
        }
    }

    #[test]
    fn ordinary_links_stay() {
        for url in [
            "https://example.org/a",
            "http://x.y",
            "mailto:a@b.c",
            "/vendors/x/",
            "../x",
            "#top",
            "a/b:c",
        ] {
            let html = html_of(&format!("[x]({url})"));
            assert!(html.contains("href"), "{url}: {html}");
        }
    }

    #[test]
    fn images_become_links_so_no_other_host_is_contacted() {
        let html = html_of("![logo](https://example.org/logo.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("href=\"https://example.org/logo.png\""),
            "{html}"
        );
        assert!(!html_of("![x](javascript:alert(1))").contains("href"));
    }

    #[test]
    fn footnote_ids_name_their_field_and_references_lead_to_them() {
        let html = to_html(
            "a[^1] b[^note] c[^1]\n\n[^1]: one\n\n[^note]: two\n",
            "section-2",
        );
        for id in ["section-2-fn-1", "section-2-fn-2"] {
            assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{html}");
            assert!(html.contains(&format!("href=\"#{id}\"")), "{html}");
        }
        assert_eq!(
            html.matches("href=\"#section-2-fn-1\"").count(),
            2,
            "{html}"
        );
        // Numbered as before: the first label is 1, the second 2.
        assert!(html.contains("#section-2-fn-2\">2</a>"), "{html}");
        assert!(
            !html.contains("id=\"1\"") && !html.contains("href=\"#1\""),
            "{html}"
        );
    }

    #[test]
    fn a_reference_leads_to_its_note_whatever_the_case_of_its_label() {
        let html = to_html("a[^Note]\n\n[^note]: the note\n", "summary");
        assert!(html.contains("href=\"#summary-fn-1\""), "{html}");
        assert!(html.contains("id=\"summary-fn-1\""), "{html}");
    }

    #[test]
    fn footnote_labels_never_reach_the_html() {
        let label = "x\"onmouseover=alert(1)";
        let html = to_html(&format!("a[^{label}]\n\n[^{label}]: note\n"), "summary");
        assert!(html.contains("id=\"summary-fn-1\""), "{html}");
        assert!(!html.contains("onmouseover"), "{html}");
    }
}
