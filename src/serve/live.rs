//! What `serve` adds to every HTML page it serves: the live-reload script, and the overlay
//! with the problems of the last build while it failed; and the event stream the script
//! listens to.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast;

use super::{AppState, BuildStatus, EVENTS_PATH, LiveEvent, MAX_INJECTED_PAGE};

/// Adds the live-reload script (and, while the last build failed, its problems) to every
/// HTML response, and keeps browsers from caching pages that change under them.
pub(super) async fn add_live_reload(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    // Conditional requests would let the browser keep a page with an outdated overlay.
    request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    request.headers_mut().remove(header::IF_NONE_MATCH);
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_INJECTED_PAGE).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large to serve").into_response();
    };
    let status = state
        .status
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let html = inject(&String::from_utf8_lossy(&bytes), &status);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ETAG);
    parts.headers.remove(header::LAST_MODIFIED);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(html))
}

/// The page with the reload script (and the overlay, after a failed build) before `</body>`.
fn inject(html: &str, status: &BuildStatus) -> String {
    let mut addition = String::new();
    if let BuildStatus::Failed(lines) = status {
        addition.push_str(&overlay_html(lines));
    }
    addition.push_str("<script>");
    addition.push_str(&LIVE_RELOAD_SCRIPT);
    addition.push_str("</script>");
    match html.rfind("</body>") {
        Some(at) => format!("{}{addition}{}", &html[..at], &html[at..]),
        None => format!("{html}{addition}"),
    }
}

/// The overlay as served in a page (the script builds the same one from events).
fn overlay_html(lines: &[String]) -> String {
    let mut escaped = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            escaped.push('\n');
        }
        let _ = pulldown_cmark_escape::escape_html(&mut escaped, line);
    }
    format!(
        "<div id=\"scimfacts-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\">\
         <p style=\"margin:0 0 .5rem;font-weight:700\">Build failed: showing the last good \
         site. Fix these problems and save.</p><pre style=\"margin:0;white-space:pre-wrap\">{escaped}</pre></div>"
    )
}

const OVERLAY_STYLE: &str = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;\
z-index:2147483647;background:#2b0b0b;color:#ffe9e9;border-top:4px solid #ff5c5c;\
padding:1rem;font:14px/1.5 ui-monospace,monospace";

static LIVE_RELOAD_SCRIPT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    LIVE_RELOAD_JS
        .replace("__STYLE__", OVERLAY_STYLE)
        .replace("__EVENTS__", EVENTS_PATH)
});

/// The browser side: listens for events, reloads, swaps stylesheets, shows and clears the
/// overlay. Diagnostics go in through `textContent`, never as markup.
const LIVE_RELOAD_JS: &str = r#"(() => {
  const id = "scimfacts-overlay";
  const clear = () => { const old = document.getElementById(id); if (old) old.remove(); };
  const show = (lines) => {
    clear();
    const box = document.createElement("div");
    box.id = id;
    box.setAttribute("role", "alert");
    box.setAttribute("style", "__STYLE__");
    const title = document.createElement("p");
    title.style.cssText = "margin:0 0 .5rem;font-weight:700";
    title.textContent = "Build failed: showing the last good site. Fix these problems and save.";
    const pre = document.createElement("pre");
    pre.style.cssText = "margin:0;white-space:pre-wrap";
    pre.textContent = lines.join("\n");
    box.append(title, pre);
    document.body.append(box);
  };
  const source = new EventSource("__EVENTS__");
  source.addEventListener("open", () => { document.documentElement.dataset.liveReload = "connected"; });
  // "reload" carries either the word reload (every page changed) or the URL paths of the
  // pages that changed; a page not among them stays, and loses the overlay of a failed build.
  source.addEventListener("reload", (event) => {
    let changed = null;
    try { changed = JSON.parse(event.data); } catch (_) { changed = null; }
    const here = decodeURIComponent(location.pathname).replace(/index\.html$/, "");
    if (!Array.isArray(changed) || changed.includes(here)) location.reload(); else clear();
  });
  source.addEventListener("css", () => {
    clear();
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("scimfacts-reload", Date.now());
      link.href = url.toString();
    }
  });
  source.addEventListener("failed", (event) => show(JSON.parse(event.data)));
})();"#;

/// The live-reload event stream: the state of the last build first, then every change, until
/// the server stops.
pub(super) async fn live_events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.events.subscribe();
    let first = match &*state.status.read().unwrap_or_else(|e| e.into_inner()) {
        BuildStatus::Failed(lines) => Some(LiveEvent::Failed(Arc::clone(lines))),
        BuildStatus::Good => None,
    };
    let events = stream::unfold(
        (receiver, state.shutdown.clone(), first),
        |(mut receiver, mut shutdown, first)| async move {
            if let Some(event) = first {
                return Some((Ok(to_sse(&event)), (receiver, shutdown, None)));
            }
            if *shutdown.borrow() {
                return None;
            }
            let event = tokio::select! {
                received = receiver.recv() => match received {
                    Ok(event) => event,
                    // Missed events: a reload brings the page up to date.
                    Err(broadcast::error::RecvError::Lagged(_)) => LiveEvent::Reload,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = shutdown.changed() => return None,
            };
            Some((Ok(to_sse(&event)), (receiver, shutdown, None)))
        },
    );
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Every event carries data: browsers drop events whose data is empty.
fn to_sse(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Reload => Event::default().event("reload").data("reload"),
        LiveEvent::Changed(paths) => Event::default()
            .event("reload")
            .data(serde_json::to_string(paths.as_ref()).unwrap_or_else(|_| "reload".to_owned())),
        LiveEvent::Stylesheets => Event::default().event("css").data("css"),
        LiveEvent::Failed(lines) => Event::default()
            .event("failed")
            .data(serde_json::to_string(lines.as_ref()).unwrap_or_else(|_| "[]".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = inject("<html><body><p>x</p></body></html>", &BuildStatus::Good);
        assert!(html.starts_with("<html><body><p>x</p><script>"));
        assert!(html.ends_with("</script></body></html>"));
        assert!(!html.contains("scimfacts-overlay\" role"));
    }

    #[test]
    fn a_failed_build_adds_an_escaped_overlay() {
        let lines = Arc::new(vec!["error: a.yaml:1:1: <script>x</script>".to_owned()]);
        let html = inject("<body></body>", &BuildStatus::Failed(lines));
        assert!(html.contains("id=\"scimfacts-overlay\""));
        assert!(
            html.contains("&lt;script&gt;x&lt;&#x2F;script&gt;")
                || html.contains("&lt;script&gt;x&lt;/script&gt;"),
            "{html}"
        );
    }
}
