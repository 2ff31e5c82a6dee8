//! Price history while serving. HEAD is looked at every second; when it moves (a commit, a
//! checkout, a pull) the history is read again on this thread, not the rebuild loop's, so an
//! edit saved meanwhile is never kept waiting. The history then arrives as a change like any
//! other, and the rebuild that follows shows it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::watch::Changes;
use crate::load::{head_commit, read_history};

/// How often HEAD is looked at.
pub const HEAD_POLL: Duration = Duration::from_secs(1);

/// What the rebuild loop and the thread watching HEAD share.
#[derive(Default)]
pub struct HeadWatch {
    /// The commit the history shown was read at: `None` when the site shows no history,
    /// `Some(None)` before the repository's first commit.
    shown: Mutex<Option<Option<String>>>,
    stopped: AtomicBool,
    /// The watching thread, until `stop` waits for it.
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl HeadWatch {
    /// Starts watching HEAD of the repository holding `root`, the site showing the history
    /// read at `shown` (`Session::history_head`); each history read again is sent to
    /// `changes`.
    pub fn start(
        root: &std::path::Path,
        shown: Option<Option<String>>,
        changes: Sender<Changes>,
    ) -> Arc<HeadWatch> {
        let watch = Arc::new(HeadWatch::default());
        watch.showing(shown);
        let thread = spawn(root.to_path_buf(), Arc::clone(&watch), changes);
        *lock(&watch.thread) = Some(thread);
        watch
    }

    /// Notes the history the site now shows (`Session::history_head`).
    pub fn showing(&self, head: Option<Option<String>>) {
        *lock(&self.shown) = head;
    }

    /// Ends the watching thread (within `HEAD_POLL`), which then lets go of its sender.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        if let Some(thread) = lock(&self.thread).take() {
            let _ = thread.join();
        }
    }

    /// The commit HEAD is at now, when it is not the one whose history is shown; `None` too
    /// when the site shows no history.
    fn moved(&self, root: &std::path::Path) -> Option<Option<String>> {
        let shown = lock(&self.shown).clone()?;
        let now = head_commit(root);
        (now != shown).then_some(now)
    }
}

/// Watches HEAD of the repository holding `root` until `watch` is stopped, sending the history
/// read again each time HEAD moves.
fn spawn(root: PathBuf, watch: Arc<HeadWatch>, changes: Sender<Changes>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        while !watch.stopped.load(Ordering::Relaxed) {
            std::thread::sleep(HEAD_POLL);
            let Some(now) = watch.moved(&root) else {
                continue;
            };
            // Noted before reading, so that a repository that cannot be read is not read
            // again every second; the rebuild's own note follows.
            watch.showing(Some(now));
            let Ok(history) = read_history(&root) else {
                continue;
            };
            let head = history.head.as_deref().unwrap_or_default();
            println!(
                "HEAD moved to {}: price history read again",
                head.get(..7).unwrap_or(head)
            );
            let moved = Changes {
                history: Some(Arc::new(history)),
                ..Changes::default()
            };
            if changes.send(moved).is_err() {
                return;
            }
        }
    })
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
