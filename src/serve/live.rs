//! What `serve` adds to every HTML page it serves: the live-reload script, and the overlay
//! with the problems of the last build while it failed; and the event stream the script
//! listens to.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use super::{AppState, BuildStatus, EVENTS_PATH, LiveEvent, MAX_INJECTED_PAGE};

/// Adds the live-reload script (and, while the last build failed, its problems) to every
/// HTML response, and keeps browsers from caching pages that change under them. Pages over
/// [`MAX_INJECTED_PAGE`] are sent as they are, without the script, rather than held in memory.
pub(super) async fn add_live_reload(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let request = plain_get(request);
    let whole = without_range(&request);
    let response = next.clone().run(request).await;
    let response = pages_whole(response, whole, next).await;
    if !is_html(&response) {
        return response;
    }
    let too_large = declared_length(&response).is_some_and(|n| n > MAX_INJECTED_PAGE as u64);
    let (mut parts, body) = response.into_parts();
    for stale in [header::ACCEPT_RANGES, header::ETAG, header::LAST_MODIFIED] {
        parts.headers.remove(stale);
    }
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if too_large {
        return Response::from_parts(parts, body);
    }
    let bytes = match buffer_up_to(body, MAX_INJECTED_PAGE).await {
        Ok(bytes) => bytes,
        Err(as_it_comes) => return Response::from_parts(parts, as_it_comes),
    };
    let status = state
        .status
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let html = inject(&String::from_utf8_lossy(&bytes), &status);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// The request as a `GET` without conditions. The answer to `HEAD` is then the answer to
/// `GET`, whose body axum drops, so that its length is that of the page with the script; and
/// a conditional request could let the browser keep a page with an outdated overlay.
fn plain_get(mut request: Request) -> Request {
    request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    request.headers_mut().remove(header::IF_NONE_MATCH);
    if request.method() == Method::HEAD {
        *request.method_mut() = Method::GET;
    }
    request
}

/// The same request without its `Range`, when it has one (`GET` and `HEAD` have no body).
fn without_range(request: &Request) -> Option<Request> {
    if !request.headers().contains_key(header::RANGE) {
        return None;
    }
    let mut whole = Request::new(Body::empty());
    *whole.method_mut() = request.method().clone();
    *whole.uri_mut() = request.uri().clone();
    *whole.version_mut() = request.version();
    *whole.headers_mut() = request.headers().clone();
    whole.headers_mut().remove(header::RANGE);
    whole.headers_mut().remove(header::IF_RANGE);
    Some(whole)
}

/// The script makes a page longer than its file, so a range of the file is not a range of what
/// is sent: a page asked for in part is sent whole (and promises no ranges). `ServeDir`'s 416,
/// for a range past the end, names no type: asked again without the range, the file tells.
async fn pages_whole(response: Response, whole: Option<Request>, next: Next) -> Response {
    let Some(whole) = whole else {
        return response;
    };
    let partial = response.headers().contains_key(header::CONTENT_RANGE);
    let maybe_page = is_html(&response) || response.status() == StatusCode::RANGE_NOT_SATISFIABLE;
    if !(partial && maybe_page) {
        return response;
    }
    let again = next.run(whole).await;
    if is_html(&again) { again } else { response }
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn declared_length(response: &Response) -> Option<u64> {
    let value = response.headers().get(header::CONTENT_LENGTH)?;
    value.to_str().ok()?.parse().ok()
}

/// The whole body when it holds at most `limit` bytes. Otherwise, or when it cannot be read,
/// a body that sends the same bytes (and the same error) as they come.
async fn buffer_up_to(body: Body, limit: usize) -> Result<Bytes, Body> {
    let mut rest = body.into_data_stream();
    let mut read = Vec::new();
    let mut size = 0;
    while let Some(chunk) = rest.next().await {
        let stop = chunk.as_ref().map_or(true, |bytes| {
            size += bytes.len();
            size > limit
        });
        read.push(chunk);
        if stop {
            return Err(Body::from_stream(stream::iter(read).chain(rest)));
        }
    }
    let mut whole = Vec::with_capacity(size);
    for bytes in read.into_iter().flatten() {
        whole.extend_from_slice(&bytes);
    }
    Ok(whole.into())
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

    #[tokio::test]
    async fn a_body_over_the_limit_is_passed_on_whole_and_unchanged() {
        let chunks = ["<p>one</p>", "<p>two</p>", "<p>three</p>"];
        let body = || Body::from_stream(stream::iter(chunks.map(Ok::<_, std::io::Error>)));
        let small = buffer_up_to(body(), 100).await.expect("under the limit");
        assert_eq!(small, chunks.concat());
        let Err(large) = buffer_up_to(body(), 15).await else {
            panic!("over the limit, yet buffered");
        };
        let sent = axum::body::to_bytes(large, usize::MAX).await.unwrap();
        assert_eq!(sent, chunks.concat());
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
