//! `scimfacts serve`: the editor's loop. Builds the site, serves it over HTTP, watches the
//! inputs, rebuilds what an edit touches, and tells the browser to reload once the new site is
//! in place. A build that fails keeps the last good site served, with the problems shown over
//! every page until the next good build.
//!
//! Live reload uses Server-Sent Events on the same port as the pages (no second port to
//! forward through proxies and tunnels). The script that listens for them is added to HTML
//! responses here, at serve time only: `build` output never contains it.

use std::convert::Infallible;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};
use tokio::sync::{broadcast, watch};
use tower_http::services::ServeDir;

use crate::build::{BuildError, BuildOptions, Rebuilt, Session};
use crate::diagnostic::Diagnostics;
use crate::watch::{Changes, Watcher, watch as watch_inputs};

/// Where the browser listens for reload events.
pub const EVENTS_PATH: &str = "/__scimfacts/events";

/// HTML pages larger than this are served without the reload script rather than buffered.
const MAX_INJECTED_PAGE: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 lets the system pick a free port.
    pub port: u16,
    pub open: bool,
    pub poll: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    #[error("{0}")]
    Build(BuildError),
    #[error("the server stopped: {0}")]
    Server(std::io::Error),
}

impl ServeError {
    pub fn exit_code(&self) -> u8 {
        match self {
            ServeError::Build(err) => err.exit_code(),
            _ => 2,
        }
    }
}

/// What the browser is told.
#[derive(Debug, Clone)]
enum LiveEvent {
    /// Every page may have changed.
    Reload,
    /// Only the pages at these URL paths (`/vendors/x/`) changed: a browser showing any other
    /// page keeps it.
    Changed(Arc<Vec<String>>),
    Stylesheets,
    Failed(Arc<Vec<String>>),
}

/// The state of the last build: the served pages show its problems while it failed.
#[derive(Debug, Clone, Default)]
enum BuildStatus {
    #[default]
    Good,
    Failed(Arc<Vec<String>>),
}

#[derive(Clone)]
struct AppState {
    output: PathBuf,
    status: Arc<RwLock<BuildStatus>>,
    events: broadcast::Sender<LiveEvent>,
    shutdown: watch::Receiver<bool>,
}

/// Builds, serves and watches until Ctrl-C. Prints the URL once the first build is done and
/// the port is open.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let root = std::path::absolute(&options.build.root).unwrap_or(options.build.root.clone());
    let mut build = options.build.clone();
    build.root = root.clone();
    // A `build` run by hand while serving makes a rebuild wait for it, not fail.
    build.wait_for_lock = true;
    if let Some(output) = &build.output {
        build.output = Some(std::path::absolute(output).unwrap_or(output.clone()));
    }
    let output = build.output_dir();
    let mut session = Session::new(build);
    let status = Arc::new(RwLock::new(BuildStatus::Good));
    let (events, _) = broadcast::channel(16);
    // The first build: a failure is shown in the browser like any other.
    apply_rebuild(&mut session, Changes::everything(), &status, &events)
        .map_err(ServeError::Build)?;

    let addr = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?;
    listener
        .set_nonblocking(true)
        .map_err(|source| ServeError::Bind { addr, source })?;
    let (changes_tx, changes_rx) = mpsc::channel();
    // Shared with the rebuild loop, which watches input folders as they appear; taken back to
    // stop watching.
    let watcher = Arc::new(Mutex::new(Some(watch_inputs(
        &root,
        options.poll,
        changes_tx,
    )?)));
    // Only now: an edit made after this line is seen.
    let url = format!("http://{}/", display_addr(local));
    println!("serving {} at {url} (Ctrl-C to stop)", root.display());
    let _ = std::io::stdout().flush();
    let rebuilder = {
        let status = Arc::clone(&status);
        let events = events.clone();
        let watcher = Arc::clone(&watcher);
        std::thread::spawn(move || rebuild_loop(session, changes_rx, &watcher, &status, &events))
    };
    if options.open
        && let Err(err) = opener::open(&url)
    {
        eprintln!("warning: cannot open a browser: {err}");
    }

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let state = AppState {
        output,
        status,
        events,
        shutdown: shutdown_rx,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async move {
                stop_requested().await;
                // Ends the open event streams so that the server can finish.
                let _ = shutdown_tx.send(true);
            })
            .await
    });
    // Stop watching; the rebuild loop ends when its channel closes.
    drop(lock(&watcher).take());
    let _ = rebuilder.join();
    println!("stopped");
    served.map_err(ServeError::Server)
}

/// Ctrl-C, or (on Unix) SIGTERM as `kill`, a service manager or a container runtime sends:
/// either stops the server the same clean way, the rebuild in progress finishing first.
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The lock of `mutex`, also after a thread panicked holding it (what it guards stays usable).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn display_addr(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
        SocketAddr::V4(v4) => v4.to_string(),
    }
}

/// Waits for changes, folds those that arrive together, rebuilds, and reports.
fn rebuild_loop(
    mut session: Session,
    changes: mpsc::Receiver<Changes>,
    watcher: &Mutex<Option<Watcher>>,
    status: &RwLock<BuildStatus>,
    events: &broadcast::Sender<LiveEvent>,
) {
    while let Ok(mut batch) = changes.recv() {
        while let Ok(more) = changes.try_recv() {
            batch.merge(more);
        }
        // Before the rebuild: a `templates/` made just now is then watched for what comes next.
        if let Some(watcher) = lock(watcher).as_mut()
            && let Err(err) = watcher.follow_input_folders()
        {
            eprintln!("warning: cannot watch a new input folder: {err}");
        }
        if let Err(err) = apply_rebuild(&mut session, batch, status, events) {
            // Not a problem with the inputs (those are shown and served around): say it and
            // keep watching, the next change may fix it.
            eprintln!("error: {err}");
        }
    }
}

/// Rebuilds for `changes`, prints what happened, and tells browsers. Errors in the inputs are
/// reported, not returned: the last good site stays served.
fn apply_rebuild(
    session: &mut Session,
    changes: Changes,
    status: &RwLock<BuildStatus>,
    events: &broadcast::Sender<LiveEvent>,
) -> Result<(), BuildError> {
    if publish(session.rebuild(changes), status, events)? {
        // The edited pages are served; the pages that list every vendor follow.
        if let Some(lists) = session.refresh_lists().transpose() {
            publish(lists, status, events)?;
        }
    }
    // Only now that browsers are reloading: after a full rebuild, removing the previous site
    // takes seconds on a slow disk.
    if let Err(err) = session.remove_replaced_site() {
        eprintln!("warning: cannot remove the previous site: {err}");
    }
    Ok(())
}

/// Reports one rebuild on the terminal and to browsers. Returns whether it succeeded.
fn publish(
    outcome: Result<Rebuilt, BuildError>,
    status: &RwLock<BuildStatus>,
    events: &broadcast::Sender<LiveEvent>,
) -> Result<bool, BuildError> {
    match outcome {
        Ok(rebuilt) => {
            if let Some(warnings) = rebuilt.warnings() {
                eprint!("{}", warnings.report());
            }
            println!("{}", rebuilt.summary());
            *status.write().unwrap_or_else(|e| e.into_inner()) = BuildStatus::Good;
            let event = match &rebuilt {
                Rebuilt::Stylesheets { .. } => LiveEvent::Stylesheets,
                Rebuilt::All(_) => LiveEvent::Reload,
                Rebuilt::Pages { .. } => LiveEvent::Changed(Arc::new(rebuilt.changed_urls())),
            };
            let _ = events.send(event);
            Ok(true)
        }
        Err(BuildError::Invalid(diagnostics)) => {
            report_failure(&diagnostics);
            let lines = Arc::new(diagnostics.iter().map(ToString::to_string).collect());
            *status.write().unwrap_or_else(|e| e.into_inner()) =
                BuildStatus::Failed(Arc::clone(&lines));
            let _ = events.send(LiveEvent::Failed(lines));
            Ok(false)
        }
        Err(other) => Err(other),
    }
}

fn report_failure(diagnostics: &Diagnostics) {
    eprint!("{}", diagnostics.report());
    eprintln!(
        "build failed: {}; still serving the last good site",
        diagnostics.summary()
    );
}

fn router(state: AppState) -> Router {
    let not_found = {
        let state = state.clone();
        move || not_found_page(state)
    };
    let files = ServeDir::new(&state.output)
        .append_index_html_on_directories(true)
        .fallback(not_found.into_service());
    Router::new()
        .route(EVENTS_PATH, get(live_events))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            add_live_reload,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_escapes,
        ))
        .with_state(state)
}

/// The site's own 404 page when it has one, with status 404.
async fn not_found_page(state: AppState) -> Response {
    let body = tokio::fs::read(state.output.join("404.html"))
        .await
        .unwrap_or_else(|_| {
            b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>".to_vec()
        });
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Serves nothing outside the output folder: no `..` (also percent-encoded), no backslashes,
/// no NUL, no absurdly long paths, and no symbolic link that leads out of the output.
async fn refuse_escapes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let raw = request.uri().path();
    if raw == EVENTS_PATH {
        return next.run(request).await;
    }
    match inside_output(&state.output, raw) {
        true => next.run(request).await,
        false => not_found_page(state).await,
    }
}

fn inside_output(output: &Path, raw_path: &str) -> bool {
    if raw_path.len() > 4096 {
        return false;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(raw_path).decode_utf8() else {
        return false;
    };
    if decoded.contains(['\\', '\0']) {
        return false;
    }
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return false;
    }
    // Follow links only as far as the output: a link that resolves outside it is refused.
    let candidate = output.join(relative);
    match (candidate.canonicalize(), output.canonicalize()) {
        (Ok(real), Ok(base)) => real.starts_with(base),
        // Missing files are fine: the 404 page answers them.
        _ => true,
    }
}

/// Adds the live-reload script (and, while the last build failed, its problems) to every
/// HTML response, and keeps browsers from caching pages that change under them.
async fn add_live_reload(
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
async fn live_events(
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

    #[test]
    fn escapes_from_the_output_are_refused() {
        let out = tempfile::tempdir().unwrap();
        std::fs::write(out.path().join("index.html"), "x").unwrap();
        let base = out.path();
        assert!(inside_output(base, "/"));
        assert!(inside_output(base, "/index.html"));
        assert!(inside_output(base, "/missing/page/"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..%5c..%5cx",
            "/x%00y",
            "/%ff",
        ] {
            assert!(!inside_output(base, bad), "{bad}");
        }
        assert!(!inside_output(base, &format!("/{}", "a".repeat(5000))));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_output_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let out = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), out.path().join("escape")).unwrap();
        assert!(!inside_output(out.path(), "/escape/secret.txt"));
    }
}
