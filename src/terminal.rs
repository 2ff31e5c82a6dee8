//! Progress on a terminal for `build`, `check` and `import`. This module is the command's, not
//! the library's: the library reports its stages and counts through a [`ProgressHook`], and
//! this draws them with indicatif on stderr (stdout is for reports).
//!
//! Nothing is drawn for work that ends within a second: a bar that flashes and vanishes tells
//! no one anything. A thread of its own waits out that second, then draws the bar ten times a
//! second from two numbers the pipeline updates (the stage, and an atomic count of items
//! done), so the pipeline never waits on the drawing, and drawing costs the same whether the
//! site has 100 records or 100,000.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use scimfacts::progress::{Progress, ProgressHook};

/// Work shorter than this shows no progress.
const DEFAULT_DELAY: Duration = Duration::from_secs(1);

/// Replaces [`DEFAULT_DELAY`], in milliseconds; 0 draws at once, however short the work (for
/// tests and demonstrations, which have no second to wait).
pub const DELAY_VARIABLE: &str = "SCIMFACTS_PROGRESS_DELAY_MS";

/// How often the bar is redrawn: often enough to look alive, seldom enough to cost nothing.
const REDRAW: Duration = Duration::from_millis(100);

/// Where the command is: its stage, and how many of the stage's items are done.
#[derive(Default)]
struct Counts {
    stage: Mutex<Stage>,
    done: AtomicU64,
}

#[derive(Clone, Default, PartialEq)]
struct Stage {
    name: String,
    total: Option<u64>,
    /// When it began: its bar, made later, shows the whole time it has taken.
    began: Option<Instant>,
}

impl Counts {
    fn current(&self) -> MutexGuard<'_, Stage> {
        // A thread that panicked holding it left a name, which is still worth showing.
        self.stage.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Progress for Counts {
    fn stage(&self, name: &str, total: Option<u64>) {
        *self.current() = Stage {
            name: name.to_owned(),
            total,
            began: Some(Instant::now()),
        };
        self.done.store(0, Ordering::Relaxed);
    }

    fn advance(&self, done: u64) {
        self.done.fetch_add(done, Ordering::Relaxed);
    }
}

/// One command's progress on the terminal, or nothing when it is not to be shown.
pub struct TerminalProgress {
    counts: Option<Arc<Counts>>,
    painter: Option<(Sender<()>, JoinHandle<()>)>,
}

impl TerminalProgress {
    /// Starts watching a command. Progress is shown only when `wanted` (not `--quiet`, not a
    /// report for machines) and both stdout and stderr are terminals: output going to a file
    /// or a pipe is read by a program or kept as a log, where a redrawn line is noise.
    /// indicatif draws nothing either where `TERM=dumb`, which cannot redraw a line.
    pub fn start(wanted: bool) -> TerminalProgress {
        let terminals = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
        if !(wanted && terminals) {
            return TerminalProgress {
                counts: None,
                painter: None,
            };
        }
        let counts = Arc::new(Counts::default());
        let (stop, stopped) = mpsc::channel();
        let delay = delay_from(std::env::var(DELAY_VARIABLE).ok().as_deref());
        let painted = Arc::clone(&counts);
        let painter = std::thread::spawn(move || paint(&painted, &stopped, delay));
        TerminalProgress {
            counts: Some(counts),
            painter: Some((stop, painter)),
        }
    }

    /// The hook to give the library's options.
    pub fn hook(&self) -> ProgressHook {
        match &self.counts {
            Some(counts) => ProgressHook::to(Arc::clone(counts) as Arc<dyn Progress>),
            None => ProgressHook::none(),
        }
    }

    /// Removes the bar, if one was drawn, so that the command's summary or errors print on a
    /// clean line exactly as they would without it.
    pub fn clear(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some((stop, painter)) = self.painter.take() {
            let _ = stop.send(());
            let _ = painter.join();
        }
    }
}

impl Drop for TerminalProgress {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The bar being drawn, for [`clear_before_exit`].
static DRAWN: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Removes the bar for good, for a thread that is about to print an error and end the process
/// while the command still runs (a template that never stops rendering).
pub fn clear_before_exit() {
    let drawn = DRAWN.lock().unwrap_or_else(PoisonError::into_inner).take();
    if let Some(bar) = drawn {
        bar.finish_and_clear();
        // The painter may still tick it before the process ends: a hidden target draws nothing.
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
}

/// The delay before anything is drawn: `configured` milliseconds when it is a whole number,
/// otherwise [`DEFAULT_DELAY`].
fn delay_from(configured: Option<&str>) -> Duration {
    configured
        .and_then(|text| text.trim().parse().ok())
        .map_or(DEFAULT_DELAY, Duration::from_millis)
}

/// Draws `counts` on stderr until told to stop, once `delay` has passed; then clears the line.
fn paint(counts: &Counts, stopped: &Receiver<()>, delay: Duration) {
    // A command that ends within the delay is told to stop before it: nothing is ever drawn,
    // not even a blank line.
    if !delay.is_zero() && stopped.recv_timeout(delay) != Err(RecvTimeoutError::Timeout) {
        return;
    }
    let mut shown = None;
    loop {
        redraw(counts, &mut shown);
        if stopped.recv_timeout(REDRAW) != Err(RecvTimeoutError::Timeout) {
            break;
        }
    }
    // Without a delay, even work that ends before the first stage was seen shows its last.
    if shown.is_none() && delay.is_zero() {
        redraw(counts, &mut shown);
    }
    DRAWN.lock().unwrap_or_else(PoisonError::into_inner).take();
    if let Some((_, bar)) = shown {
        bar.finish_and_clear();
    }
}

/// Brings the terminal up to date with `counts`; `shown` is the stage on it, and its bar.
fn redraw(counts: &Counts, shown: &mut Option<(Stage, ProgressBar)>) {
    let stage = counts.current().clone();
    // Nothing to say before the first stage is known.
    if !stage.name.is_empty() && shown.as_ref().is_none_or(|(was, _)| *was != stage) {
        if let Some((_, finished)) = shown.take() {
            finished.finish_and_clear();
        }
        *shown = Some((stage.clone(), bar_for(stage)));
    }
    if let Some((_, bar)) = shown {
        // Draws, turning the spinner, at most as often as indicatif allows.
        bar.set_position(counts.done.load(Ordering::Relaxed));
    }
}

/// A new bar for `stage`, on stderr. A bar of its own for each stage rather than one changed
/// in place: every change to a drawn bar may be drawn at once, which would show a stage's
/// name with the previous stage's count for a moment.
fn bar_for(stage: Stage) -> ProgressBar {
    let taken = stage.began.map_or(Duration::ZERO, |began| began.elapsed());
    let bar = ProgressBar::with_draw_target(stage.total, ProgressDrawTarget::stderr())
        .with_style(style_for(stage.total))
        .with_elapsed(taken)
        .with_message(stage.name);
    *DRAWN.lock().unwrap_or_else(PoisonError::into_inner) = Some(bar.clone());
    bar
}

/// A bar and the count when the stage's total is known, and the time the stage has taken.
/// No estimate of the time left: records differ too much for one to be right. Plain
/// characters: every terminal has them.
fn style_for(total: Option<u64>) -> ProgressStyle {
    ProgressStyle::with_template(template_for(total))
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .progress_chars("=> ")
        .tick_chars("|/-\\ ")
}

fn template_for(total: Option<u64>) -> &'static str {
    match total {
        Some(_) => "{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})",
        None => "{spinner} {msg} ({elapsed})",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_is_a_second_unless_set_to_a_whole_number_of_milliseconds() {
        assert_eq!(delay_from(None), Duration::from_secs(1));
        assert_eq!(delay_from(Some("0")), Duration::ZERO);
        assert_eq!(delay_from(Some(" 250 ")), Duration::from_millis(250));
        for unreadable in ["", "soon", "-5", "1.5"] {
            assert_eq!(
                delay_from(Some(unreadable)),
                DEFAULT_DELAY,
                "{unreadable:?}"
            );
        }
    }

    #[test]
    fn a_stage_starts_its_count_again() {
        let counts = Counts::default();
        Progress::stage(&counts, "records", Some(3));
        counts.advance(2);
        Progress::stage(&counts, "list pages", None);
        counts.advance(1);
        assert_eq!(counts.done.load(Ordering::Relaxed), 1);
        assert_eq!(counts.current().name, "list pages");
        assert_eq!(counts.current().total, None);
    }

    #[test]
    fn both_styles_are_valid_templates() {
        for total in [Some(10), None] {
            let template = template_for(total);
            assert!(ProgressStyle::with_template(template).is_ok(), "{template}");
        }
    }

    #[test]
    fn progress_that_is_not_shown_reports_to_no_one() {
        let progress = TerminalProgress {
            counts: None,
            painter: None,
        };
        assert_eq!(format!("{:?}", progress.hook()), "ProgressHook(none)");
        progress.clear();
    }
}
