//! URLs of records and settings: only absolute http(s) URLs, written as browsers and feed
//! readers all read them alike.

use super::Problem;
use crate::field_path::item;
use crate::model::Vendor;

pub(super) fn check_urls(vendor: &Vendor, problems: &mut Vec<Problem>) {
    let mut urls: Vec<(String, &str)> = Vec::new();
    urls.extend(vendor.website.as_deref().map(|u| ("website".to_owned(), u)));
    urls.extend(
        vendor
            .scim
            .docs
            .as_deref()
            .map(|u| ("scim.docs".to_owned(), u)),
    );
    for (id, support) in &vendor.idps {
        if let Some(docs) = support.setup.as_ref().and_then(|s| s.docs.as_deref()) {
            urls.push((format!("idps.{id}.setup.docs"), docs));
        }
    }
    if let Some(sentiment) = &vendor.sentiment {
        for (i, quote) in sentiment.quotes.iter().enumerate() {
            if let Some(url) = &quote.url {
                urls.push((format!("{}.url", item("sentiment.quotes", i)), url));
            }
        }
    }
    for (i, source) in vendor.sources.iter().enumerate() {
        urls.push((format!("{}.url", item("sources", i)), &source.url));
    }
    for (field, url) in urls {
        check_url(problems, &field, url);
    }
}

/// Only absolute http(s) URLs: anything else (`javascript:`, `data:`, relative paths) is either
/// dangerous on a page or meaningless as a source.
pub(super) fn check_url(problems: &mut Vec<Problem>, field: &str, url: &str) {
    if let Err(why) = http_url_problem(url) {
        problems.push(Problem::error(
            field,
            format!("\"{url}\" is not an http(s) URL: {why}"),
        ));
    }
}

/// Whether `url` is an absolute http or https URL.
pub fn is_http_url(url: &str) -> bool {
    http_url_problem(url).is_ok()
}

/// Characters a URL must carry percent-encoded (`%22` for `"`): written raw, browsers and
/// feed readers each repair them their own way.
const NOT_IN_URLS: &[char] = &['"', '<', '>', '\\', '^', '`', '{', '|', '}'];

/// What is wrong with `url` as an absolute http(s) URL, said for the editor.
fn http_url_problem(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return Err("expected https://...".to_owned());
    };
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || NOT_IN_URLS.contains(c))
    {
        let shown = if c.is_whitespace() || c.is_control() {
            format!("U+{:04X}", u32::from(c))
        } else {
            format!("'{c}'")
        };
        return Err(format!("{shown} must be percent-encoded (or removed)"));
    }
    if let Some(at) = url.match_indices('%').map(|(at, _)| at).find(|at| {
        let escape = url.get(at + 1..at + 3).unwrap_or("");
        escape.len() != 2 || !escape.bytes().all(|b| b.is_ascii_hexdigit())
    }) {
        return Err(format!(
            "the '%' at character {} does not start an escape like %20 (write a '%' as %25)",
            url[..at].chars().count() + 1
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(
            "it has user info before the host (user@host): a link to it shows one \
                    host and leads to another, so remove it"
                .to_owned(),
        );
    }
    let (host, port) = split_port(authority);
    host_problem(host)?;
    match port.map(str::parse::<u16>) {
        Some(Ok(1..)) | None => Ok(()),
        Some(_) => Err(format!(
            "the port \"{}\" is not a number from 1 to 65535",
            port.unwrap_or_default()
        )),
    }
}

/// What is wrong with the host of an http(s) URL: empty, an IPv6 address that is none, labels
/// that are empty or start or end with '-', or four numbers that are no IPv4 address.
/// Hosts with other than ASCII letters (internationalised names) are taken as written.
fn host_problem(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("the host is missing: expected https://host/...".to_owned());
    }
    let bad = |why: &str| Err(format!("the host \"{host}\" {why}"));
    if let Some(address) = host.strip_prefix('[') {
        let address = address.strip_suffix(']').unwrap_or("");
        let is_ipv6 = address.contains(':')
            && address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        return if is_ipv6 {
            Ok(())
        } else {
            bad("is not an IPv6 address")
        };
    }
    if !host.is_ascii() {
        return Ok(());
    }
    let labels: Vec<&str> = host.strip_suffix('.').unwrap_or(host).split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !labels.iter().all(label_ok) {
        return bad("is not a host name: expected names of letters, digits and '-' between dots");
    }
    let numeric = labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    if numeric && (labels.len() != 4 || labels.iter().any(|l| l.parse::<u8>().is_err())) {
        return bad("is not an IPv4 address: expected four numbers from 0 to 255");
    }
    Ok(())
}

/// The problem of a `base_url` (in `site.yaml` or given as `--base-url`), said in full.
pub fn base_url_problem(url: &str) -> Option<String> {
    if let Err(why) = http_url_problem(url) {
        return Some(format!("\"{url}\" is not an http(s) URL: {why}"));
    }
    url.contains(['?', '#']).then(|| {
        format!(
            "\"{url}\" has a query or a fragment (? or #): every page's address is made by \
             adding its path to the base URL, so expected only https://host/ and a path"
        )
    })
}

/// `host:port` as its host and port; a bracketed IPv6 host keeps its colons.
fn split_port(authority: &str) -> (&str, Option<&str>) {
    let host_end = if authority.starts_with('[') {
        authority.find(']').map_or(authority.len(), |end| end + 1)
    } else {
        authority.find(':').unwrap_or(authority.len())
    };
    let (host, after) = authority.split_at(host_end);
    (host, after.strip_prefix(':'))
}
