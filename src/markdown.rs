//! Markdown fields of a record to HTML that cannot carry script.
//!
//! Records may come from outside contributors, so raw HTML in Markdown is shown as text, and a
//! link keeps its target only when that is http, https, mailto or a relative path. Images are
//! shown as links: the site makes no request to other hosts.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// Markdown as HTML safe to put in a page.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    // One entry per open link: whether its target was dropped (and so its end tag too).
    let mut dropped_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
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

    #[test]
    fn renders_tables_footnotes_and_strikethrough() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n[^1]: note\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<th scope=\"col\">a</th>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
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
            let html = to_html(&format!("[click]({url})"));
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
            let html = to_html(&format!("[x]({url})"));
            assert!(html.contains("href"), "{url}: {html}");
        }
    }

    #[test]
    fn images_become_links_so_no_other_host_is_contacted() {
        let html = to_html("![logo](https://example.org/logo.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("href=\"https://example.org/logo.png\""),
            "{html}"
        );
        assert!(!to_html("![x](javascript:alert(1))").contains("href"));
    }
}
