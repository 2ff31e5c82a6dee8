//! How a long command tells someone how far it is: the stages of `build`, `check` and `import`,
//! and how many of a stage's items are done.
//!
//! The library only reports; it draws nothing. The `scimfacts` command draws a progress bar on
//! a terminal, and every other caller (`serve`, tests, other programs) watches nothing, which
//! costs one branch per record.

use std::fmt;
use std::sync::Arc;

/// Someone watching a command's stages. Called from many threads at once: `advance` once per
/// item, so it must be cheap (an atomic add, not a lock or a redraw).
pub trait Progress: Send + Sync {
    /// A stage begins: `name` says what it does ("checking and rendering records"), `total`
    /// how many items it goes through, when that is known. The count starts again from 0.
    fn stage(&self, name: &str, total: Option<u64>);
    /// `done` more items of the current stage are done.
    fn advance(&self, done: u64);
}

/// The watcher a command reports to, or none (the default).
#[derive(Clone, Default)]
pub struct ProgressHook(Option<Arc<dyn Progress>>);

impl ProgressHook {
    /// Reports to `watcher`.
    pub fn to(watcher: Arc<dyn Progress>) -> Self {
        ProgressHook(Some(watcher))
    }

    /// Reports to no one.
    pub fn none() -> Self {
        ProgressHook(None)
    }

    /// A stage begins (see [`Progress::stage`]).
    pub fn stage(&self, name: &str, total: Option<usize>) {
        if let Some(watcher) = &self.0 {
            watcher.stage(name, total.map(|n| n as u64));
        }
    }

    /// One more item of the current stage is done.
    pub fn advance(&self) {
        if let Some(watcher) = &self.0 {
            watcher.advance(1);
        }
    }
}

impl fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let watched = if self.0.is_some() { "watched" } else { "none" };
        write!(f, "ProgressHook({watched})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Recorded(Mutex<Vec<String>>);

    impl Progress for Recorded {
        fn stage(&self, name: &str, total: Option<u64>) {
            self.0.lock().unwrap().push(format!("{name} {total:?}"));
        }
        fn advance(&self, done: u64) {
            self.0.lock().unwrap().push(format!("+{done}"));
        }
    }

    #[test]
    fn a_hook_passes_stages_and_counts_on_to_its_watcher() {
        let watcher = Arc::new(Recorded::default());
        let hook = ProgressHook::to(watcher.clone());
        hook.stage("records", Some(2));
        hook.advance();
        hook.stage("lists", None);
        let seen = watcher.0.lock().unwrap().clone();
        assert_eq!(seen, ["records Some(2)", "+1", "lists None"]);
    }

    #[test]
    fn the_default_hook_reports_to_no_one() {
        let hook = ProgressHook::default();
        hook.stage("records", Some(2));
        hook.advance();
        assert_eq!(format!("{hook:?}"), "ProgressHook(none)");
    }
}
