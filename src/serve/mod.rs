//! `scimfacts serve`: the editor's loop. Builds the site, serves it over HTTP, watches the
//! inputs, rebuilds what an edit touches, and tells the browser to reload once the new site is
//! in place. A build that fails keeps the last good site served, with the problems shown over
//! every page until the next good build.
//!
//! Live reload uses Server-Sent Events on the same port as the pages (no second port to
//! forward through proxies and tunnels). The script that listens for them is added to HTML
//! responses here, at serve time only: `build` output never contains it.
//!
//! [`session`] keeps what a rebuild reuses; [`watch`] turns file events into [`Changes`].

mod head;
mod live;
pub mod session;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use axum::Router;
use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio::sync::watch as shutdown;
use tower_http::services::ServeDir;

use self::head::HeadWatch;
use self::session::{Rebuilt, Session};
use self::watch::{Changes, Watcher, watch as watch_inputs};
use crate::build::{BuildError, BuildOptions};
use crate::diagnostic::Diagnostics;
use crate::write::PreviewLock;

/// Where the browser listens for reload events.
pub const EVENTS_PATH: &str = "/__scimfacts/events";

/// HTML pages larger than this are served as they are, without the reload script, rather than
/// held in memory to add it.
const MAX_INJECTED_PAGE: usize = 32 * 1024 * 1024;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// How to build, as for `build` (the output, the day, `--base-url`).
    pub build: BuildOptions,
    /// The address to listen on.
    pub bind: IpAddr,
    /// 0 lets the system pick a free port.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Poll files instead of using the system's file events.
    pub poll: bool,
}

/// Why `serve` stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be listened on.
    #[error("{}", describe_bind_failure(*.addr, .source))]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The inputs could not be watched.
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    /// The first build failed.
    #[error("{0}")]
    Build(BuildError),
    /// The server failed.
    #[error("the server stopped: {0}")]
    Server(std::io::Error),
}

impl ServeError {
    /// 1 for bad data or templates, 2 for everything else.
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
    shutdown: shutdown::Receiver<bool>,
}

/// Builds, serves and watches until Ctrl-C. Prints the URL once the first build is done and
/// the port is open.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let build = serving_build(&options.build);
    let root = build.root.clone();
    // Before anything else: a port that is taken is told at once, not after a full build, and
    // the listener bound here is the one served (no other program can take the port between).
    let (listener, local) = listen(SocketAddr::new(options.bind, options.port))?;
    let output = build.output_dir();
    // Before the first build, and for as long as this serves: a `build` into the same output
    // would leave a mix of two sites after the next edit. The output is checked first, since
    // the lock goes beside it.
    crate::build::guard_output(&build).map_err(ServeError::Build)?;
    let _previewing = PreviewLock::acquire(&output).map_err(ServeError::Build)?;
    let mut session = Session::new(build);
    let status = Arc::new(RwLock::new(BuildStatus::Good));
    let (events, _) = broadcast::channel(16);
    // The first build: a failure is shown in the browser like any other.
    apply_rebuild(&mut session, Changes::everything(), &status, &events)
        .map_err(ServeError::Build)?;

    let (changes_tx, changes_rx) = mpsc::channel();
    let head_watch = HeadWatch::start(&root, session.history_head(), changes_tx.clone());
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
    warn_if_reachable(options.bind);
    let rebuilder = {
        let (status, events) = (Arc::clone(&status), events.clone());
        let (watcher, head_watch) = (Arc::clone(&watcher), Arc::clone(&head_watch));
        std::thread::spawn(move || {
            rebuild_loop(session, changes_rx, &watcher, &head_watch, &status, &events)
        })
    };
    if options.open
        && let Err(err) = opener::open(&url)
    {
        eprintln!("warning: cannot open a browser: {err}");
    }

    let (shutdown_tx, shutdown_rx) = shutdown::channel(false);
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
    head_watch.stop();
    let _ = rebuilder.join();
    println!("stopped");
    served.map_err(ServeError::Server)
}

/// A listener on `addr`, ready for tokio, and the address it got (its port, when 0 was asked).
/// How `serve` builds: as `build` would, from absolute paths (the server's folder may change),
/// waiting for a `build` run by hand rather than failing.
fn serving_build(options: &BuildOptions) -> BuildOptions {
    let absolute = |path: &PathBuf| std::path::absolute(path).unwrap_or(path.clone());
    BuildOptions {
        root: absolute(&options.root),
        output: options.output.as_ref().map(absolute),
        wait_for_lock: true,
        ..options.clone()
    }
}

fn listen(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), ServeError> {
    let cannot = |source| ServeError::Bind { addr, source };
    let listener = TcpListener::bind(addr).map_err(cannot)?;
    let local = listener.local_addr().map_err(cannot)?;
    listener.set_nonblocking(true).map_err(cannot)?;
    Ok((listener, local))
}

/// Why `addr` cannot be listened on, and what to do about it.
fn describe_bind_failure(addr: SocketAddr, source: &std::io::Error) -> String {
    let (port, ip) = (addr.port(), addr.ip());
    const PICK_ANOTHER: &str = "pick another port with --port N (--port 0 picks a free one)";
    match source.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {port} on {ip} is already in use (another `scimfacts serve`?): stop it, or \
             {PICK_ANOTHER}"
        ),
        std::io::ErrorKind::PermissionDenied if port < 1024 => format!(
            "not allowed to listen on port {port} on {ip} ({source}): ports below 1024 need \
             administrator rights; {PICK_ANOTHER}, such as the default 1111"
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "not allowed to listen on port {port} on {ip} ({source}): a firewall or security \
             policy may forbid it; {PICK_ANOTHER}"
        ),
        std::io::ErrorKind::AddrNotAvailable => format!(
            "cannot listen on {ip} ({source}): it is not an address of this machine; leave out \
             --bind to listen on 127.0.0.1"
        ),
        _ => format!("cannot listen on {}: {source}", display_addr(addr)),
    }
}

/// The preview serves drafts and runs no authentication: say so when others can reach it.
fn warn_if_reachable(bind: IpAddr) {
    if !bind.to_canonical().is_loopback() {
        eprintln!(
            "warning: listening on {bind}: the preview is reachable from other machines on the \
             network, not only this one (--bind 127.0.0.1 keeps it local)"
        );
    }
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
    head_watch: &HeadWatch,
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
        head_watch.showing(session.history_head());
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
                Rebuilt::Pages(_) => LiveEvent::Changed(Arc::new(rebuilt.changed_urls())),
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
        .route(EVENTS_PATH, get(live::live_events))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_escapes,
        ))
        // Outside `refuse_escapes`: its 404 page has the script too, and reloads after a build.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            live::add_live_reload,
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
/// no NUL, no absurdly long paths, and no symbolic link that leads out of the output. And
/// redirects only within the site: see [`one_leading_slash`].
async fn refuse_escapes(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let raw = request.uri().path();
    if raw == EVENTS_PATH {
        return next.run(request).await;
    }
    if !inside_output(&state.output, raw) {
        return not_found_page(state).await;
    }
    match one_leading_slash(request.uri()) {
        Some(uri) => *request.uri_mut() = uri,
        None => return not_found_page(state).await,
    }
    next.run(request).await
}

/// `uri` with the slashes its path starts with made one. `ServeDir` redirects a folder to its
/// path with a slash added, and `//vendors/` is, to a browser, the host `vendors`.
fn one_leading_slash(uri: &Uri) -> Option<Uri> {
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    let rest = target.trim_start_matches('/');
    if target.len() - rest.len() == 1 {
        return Some(uri.clone());
    }
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(format!("/{rest}").parse().ok()?);
    Uri::from_parts(parts).ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_in_use_is_told_with_what_to_do() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap();
        let Err(err) = listen(addr) else {
            panic!("{addr} was bound twice")
        };
        let message = err.to_string();
        assert!(
            message.starts_with(&format!(
                "port {} on 127.0.0.1 is already in use",
                addr.port()
            )),
            "{message}"
        );
        assert!(message.contains("--port 0 picks a free one"), "{message}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn a_low_port_refused_says_why() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let message = describe_bind_failure(SocketAddr::from(([127, 0, 0, 1], 80)), &denied);
        assert!(message.contains("ports below 1024 need"), "{message}");
        assert!(message.contains("--port N"), "{message}");
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

    #[test]
    fn a_path_starts_with_one_slash_whatever_was_asked() {
        for (asked, served) in [
            ("/vendors", "/vendors"),
            ("//vendors", "/vendors"),
            ("///evil.example/x?y=//z", "/evil.example/x?y=//z"),
            (
                "http://localhost//vendors?page=2",
                "http://localhost/vendors?page=2",
            ),
        ] {
            let uri: Uri = asked.parse().unwrap();
            assert_eq!(one_leading_slash(&uri).unwrap().to_string(), served);
        }
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
