//! Bounds on rendering one page. Templates arrive in pull requests as records do, and Tera has
//! no bounds of its own beyond 100,000 elements per `range`: two nested ranges ran `check`
//! for hours, and printing in them took 4 GB in 15 s. A page may write at most
//! [`PAGE_BYTES`], take at most [`PAGE_TIME`], and loop through at most
//! [`RANGE_ELEMENTS`] elements of `range` in all. The clock is read as the page is written and
//! at each `range`, so a loop that writes nothing and calls no `range` (nested loops over a
//! literal list) is seen by no clock of the page: [`longest_render`] shows it to the command
//! line's watchdog, which stops the process.

use std::cell::Cell;
use std::io;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tera::{Context, Kwargs, State, Tera};

/// The most one page may weigh: ten times the largest list page of a 100,000-vendor site.
pub const PAGE_BYTES: usize = 128 * 1024 * 1024;

/// The longest one page may take: a page of the shipped site takes a few milliseconds.
pub const PAGE_TIME: Duration = Duration::from_secs(10);

/// The most elements all the `range` calls of one page may make together.
pub const RANGE_ELEMENTS: u64 = 1_000_000;

/// Which bound a page went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// It wrote more than [`PAGE_BYTES`].
    Size,
    /// It took longer than [`PAGE_TIME`].
    Time,
}

impl Exceeded {
    /// What went wrong and what to look at, for a diagnostic.
    pub fn message(self) -> String {
        let what = match self {
            Exceeded::Size => format!("the page grew past {} MiB", PAGE_BYTES / 1024 / 1024),
            Exceeded::Time => format!("rendering took over {} s", PAGE_TIME.as_secs()),
        };
        format!("{what}, so it was stopped: look for a loop that repeats far more than meant")
    }
}

/// Why a page could not be rendered.
pub enum RenderFailure {
    /// A template error, with its place.
    Template(tera::Error),
    /// A bound of this module.
    Exceeded(Exceeded),
}

/// Renders `template` within the bounds, as Tera's `render` would. Once one page of a run has
/// run out of time, `out_of_time` is set and every other page of the run stops at once:
/// otherwise a template that runs away takes 10 s for each of thousands of pages.
pub fn render_bounded(
    tera: &Tera,
    template: &str,
    context: &Context,
    out_of_time: &AtomicBool,
) -> Result<String, RenderFailure> {
    if out_of_time.load(Ordering::Relaxed) {
        return Err(RenderFailure::Exceeded(Exceeded::Time));
    }
    let _running = Running::start(template);
    let deadline = Instant::now() + PAGE_TIME;
    let mut page = BoundedPage::new(PAGE_BYTES, deadline, out_of_time);
    let (rendered, budget) =
        with_range_budget(deadline, || tera.render_to(template, context, &mut page));
    let timed_out = budget.timed_out.then_some(Exceeded::Time);
    if let Some(exceeded) = page.exceeded.or(timed_out) {
        if exceeded == Exceeded::Time {
            out_of_time.store(true, Ordering::Relaxed);
        }
        return Err(RenderFailure::Exceeded(exceeded));
    }
    rendered.map_err(RenderFailure::Template)?;
    // Tera writes only whole UTF-8 strings.
    String::from_utf8(page.bytes).map_err(|err| {
        RenderFailure::Template(tera::Error::message(format!(
            "the page is not UTF-8: {err}"
        )))
    })
}

/// The pages being rendered now, by template and start, for [`longest_render`]: a loop that
/// writes nothing and calls no `range` is seen by no clock of the page's own.
static RUNNING: Mutex<Vec<(u64, &'static str, Instant)>> = Mutex::new(Vec::new());

/// One page's entry in [`RUNNING`], removed when dropped.
struct Running(u64);

impl Running {
    fn start(template: &str) -> Running {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = known_name(template);
        running().push((id, name, Instant::now()));
        Running(id)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        running().retain(|(id, _, _)| *id != self.0);
    }
}

fn running() -> std::sync::MutexGuard<'static, Vec<(u64, &'static str, Instant)>> {
    RUNNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Template names are few and live as long as the program: each is kept once.
fn known_name(template: &str) -> &'static str {
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = names.iter().find(|name| **name == template) {
        return known;
    }
    let name: &'static str = Box::leak(template.to_owned().into_boxed_str());
    names.push(name);
    name
}

/// The template of the page that has been rendering longest, and for how long: for a
/// watchdog of the command line, which can stop the process when no bound of the page can.
pub fn longest_render() -> Option<(&'static str, Duration)> {
    running()
        .iter()
        .map(|(_, name, started)| (*name, started.elapsed()))
        .max_by_key(|(_, elapsed)| *elapsed)
}

/// The page's bytes, refusing more once a bound is passed: Tera then stops at once.
struct BoundedPage<'a> {
    limit: usize,
    deadline: Instant,
    out_of_time: &'a AtomicBool,
    bytes: Vec<u8>,
    writes: u32,
    exceeded: Option<Exceeded>,
}

/// Reading the clock at every write would cost 1 % of a build; every this many writes it is
/// well under a millisecond late.
const WRITES_PER_CLOCK_READING: u32 = 256;

impl BoundedPage<'_> {
    fn new(limit: usize, deadline: Instant, out_of_time: &AtomicBool) -> BoundedPage<'_> {
        BoundedPage {
            limit,
            deadline,
            out_of_time,
            bytes: Vec::with_capacity(64 * 1024),
            writes: 0,
            exceeded: None,
        }
    }

    fn refuse(&mut self, exceeded: Exceeded) -> io::Error {
        self.exceeded = Some(exceeded);
        io::Error::other(exceeded.message())
    }
}

impl io::Write for BoundedPage<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + data.len() > self.limit {
            return Err(self.refuse(Exceeded::Size));
        }
        self.writes = self.writes.wrapping_add(1);
        let clock_reading = self.writes.is_multiple_of(WRITES_PER_CLOCK_READING);
        if clock_reading
            && (Instant::now() > self.deadline || self.out_of_time.load(Ordering::Relaxed))
        {
            return Err(self.refuse(Exceeded::Time));
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What the page being rendered may still spend on `range`.
#[derive(Debug, Clone, Copy)]
struct RangeBudget {
    deadline: Instant,
    elements_left: u64,
    timed_out: bool,
}

thread_local! {
    /// The budget of the page this thread renders, for `range`: a Tera function sees no
    /// state of ours. A page renders on one thread, start to end.
    static BUDGET: Cell<Option<RangeBudget>> = const { Cell::new(None) };
}

/// Runs `render` with a fresh budget, and hands back what is left of it.
fn with_range_budget<T>(deadline: Instant, render: impl FnOnce() -> T) -> (T, RangeBudget) {
    let fresh = RangeBudget {
        deadline,
        elements_left: RANGE_ELEMENTS,
        timed_out: false,
    };
    let previous = BUDGET.with(|budget| budget.replace(Some(fresh)));
    let result = render();
    let spent = BUDGET
        .with(|budget| budget.replace(previous))
        .unwrap_or(fresh);
    (result, spent)
}

/// Charges `elements` to the page being rendered; fails once the page is out of elements or
/// time. Outside a page (a template rendered some other way) nothing is charged.
fn charge_range(elements: u64) -> Result<(), tera::Error> {
    let Some(mut budget) = BUDGET.with(Cell::get) else {
        return Ok(());
    };
    let outcome = if Instant::now() > budget.deadline {
        budget.timed_out = true;
        Err(tera::Error::message(Exceeded::Time.message()))
    } else if elements > budget.elements_left {
        Err(tera::Error::message(format!(
            "the page's calls of range() would make over {RANGE_ELEMENTS} elements in all \
             (nested loops multiply them): look for a loop that repeats far more than meant"
        )))
    } else {
        budget.elements_left -= elements;
        Ok(())
    };
    BUDGET.with(|cell| cell.set(Some(budget)));
    outcome
}

/// Tera's `range(end, start=0, step_by=1)`, charged to the page.
pub fn bounded_range(kwargs: Kwargs, _: &State) -> Result<Vec<i64>, tera::Error> {
    let start = kwargs.get::<i64>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i64>("end")?;
    let step = kwargs.get::<i64>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "range() was called with a step_by of 0",
        ));
    }
    let span = if step > 0 {
        i128::from(end) - i128::from(start)
    } else {
        i128::from(start) - i128::from(end)
    };
    let steps = i128::from(step).abs();
    let count = if span <= 0 {
        0
    } else {
        (span + steps - 1) / steps
    };
    charge_range(u64::try_from(count).unwrap_or(u64::MAX))?;
    Ok((0..count as i64).map(|i| start + i * step).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_page_is_stopped_at_its_size_and_after_its_time() {
        let no = AtomicBool::new(false);
        let mut page = BoundedPage::new(10, Instant::now() + PAGE_TIME, &no);
        assert!(page.write_all(b"0123456789").is_ok());
        assert!(page.write_all(b"!").is_err());
        assert_eq!(page.exceeded, Some(Exceeded::Size));

        let mut late = BoundedPage::new(PAGE_BYTES, Instant::now(), &no);
        let stopped = (0..WRITES_PER_CLOCK_READING * 2).position(|_| late.write_all(b"x").is_err());
        assert_eq!(stopped, Some(WRITES_PER_CLOCK_READING as usize - 1));
        assert_eq!(late.exceeded, Some(Exceeded::Time));
    }

    fn render(template: &str) -> Result<String, String> {
        let mut tera = Tera::new();
        tera.register_function("range", bounded_range);
        tera.add_raw_template("page", template).unwrap();
        let fresh = AtomicBool::new(false);
        render_bounded(&tera, "page", &Context::new(), &fresh).map_err(|failure| match failure {
            RenderFailure::Template(err) => format!("{err:?}"),
            RenderFailure::Exceeded(exceeded) => exceeded.message(),
        })
    }

    #[test]
    fn range_counts_as_teras_does_and_every_call_is_charged_to_the_page() {
        assert_eq!(render("{{ range(end=5) }}").unwrap(), "[0, 1, 2, 3, 4]");
        assert_eq!(
            render("{{ range(start=1, end=10, step_by=3) }}").unwrap(),
            "[1, 4, 7]"
        );
        assert_eq!(
            render("{{ range(start=5, end=0, step_by=-2) }}").unwrap(),
            "[5, 3, 1]"
        );
        assert_eq!(render("{{ range(start=5, end=0) }}").unwrap(), "[]");
        assert!(render("{{ range(end=5, step_by=0) }}").is_err());
        let nested = "{% for i in range(end=1000) %}{% for j in range(end=1000) %}\
                      {% endfor %}{% endfor %}";
        let err = render(nested).unwrap_err();
        assert!(err.contains("over 1000000 elements"), "{err}");
        // The budget is the page's: the next page starts afresh.
        assert!(render("{% for i in range(end=999000) %}{% endfor %}").is_ok());
    }

    #[test]
    fn once_a_page_ran_out_of_time_the_others_of_the_run_stop_at_once() {
        let mut tera = Tera::new();
        tera.add_raw_template("page", "fine").unwrap();
        let out_of_time = AtomicBool::new(true);
        let stopped = render_bounded(&tera, "page", &Context::new(), &out_of_time);
        assert!(matches!(
            stopped,
            Err(RenderFailure::Exceeded(Exceeded::Time))
        ));
    }

    #[test]
    fn a_page_being_rendered_is_seen_by_the_watchdog_until_it_ends() {
        let page = Running::start("watched.html");
        let seen = || running().iter().any(|(_, name, _)| *name == "watched.html");
        assert!(seen());
        assert!(longest_render().is_some());
        drop(page);
        assert!(!seen());
    }

    #[test]
    fn a_page_that_writes_too_much_says_so() {
        let line = "x".repeat(2048);
        let err = render(&format!(
            "{{% for i in range(end=100000) %}}{line}{{% endfor %}}"
        ));
        assert!(err.unwrap_err().contains("grew past 128 MiB"));
    }
}
