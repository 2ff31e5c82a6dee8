//! What a build is asked to do, and what it reports.

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostic::Diagnostics;
use crate::model::Date;
use crate::progress::ProgressHook;

/// The default output folder, relative to the site root.
pub const OUTPUT_DIR: &str = "site";

/// How to build: where from, where to, and on which day.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder holding `data/`, `templates/` and `static/`.
    pub root: PathBuf,
    /// Where the site goes; `root/site` when `None`.
    pub output: Option<PathBuf>,
    /// The day stale badges and "not in the future" checks are measured from.
    pub today: Date,
    /// Replaces `base_url` of `site.yaml` for this build (e.g. a preview deployment).
    pub base_url: Option<String>,
    /// Replace the output even when it is a non-empty folder no build wrote.
    pub force: bool,
    /// When another build holds the output's lock: wait for it (`serve`, which rebuilds on its
    /// own schedule) rather than fail at once (`build`, which a person or CI started).
    pub wait_for_lock: bool,
    /// Show price history whatever `history` of `site.yaml` says (`build --history`).
    pub history: bool,
    /// Who hears of the stages and of each record done: no one by default.
    pub progress: ProgressHook,
}

impl BuildOptions {
    /// Building the site at `root` into `root/site`, today.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            today: Date::today(),
            force: false,
            wait_for_lock: false,
            history: false,
            progress: ProgressHook::none(),
        }
    }

    /// The output folder. A symbolic link given as the output is written through: the folder
    /// it leads to is replaced and the link is kept (`site -> /var/www/facts`). A link that
    /// leads nowhere stays as it is, for the guards to refuse.
    pub fn output_dir(&self) -> PathBuf {
        let given = self
            .output
            .clone()
            .unwrap_or_else(|| self.root.join(OUTPUT_DIR));
        // `site/` and `site/.` (a shell's completion adds the slash) name the folder itself:
        // written as given, a link would be followed by the system but not seen as a link here.
        let output: PathBuf = given.components().collect();
        match std::fs::symlink_metadata(&output) {
            Ok(link) if link.file_type().is_symlink() => {
                std::fs::canonicalize(&output).unwrap_or(output)
            }
            _ => output,
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Vendor records built.
    pub records: usize,
    /// Pages (HTML, feeds and data files) written.
    pub pages: usize,
    /// Pages plus static files.
    pub files: usize,
    /// How long the build took.
    pub elapsed: Duration,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
}

impl BuildReport {
    /// The one line `build` prints on success.
    pub fn summary(&self) -> String {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        format!(
            "built {} record{} into {} page{} ({} file{} written) in {} ms",
            self.records,
            plural(self.records),
            self.pages,
            plural(self.pages),
            self.files,
            plural(self.files),
            self.elapsed.as_millis()
        )
    }
}
