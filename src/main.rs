//! The `scimfacts` command: parses arguments and calls the library.

mod terminal;

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use scimfacts::build::{BuildError, BuildOptions, build, check};
use scimfacts::diagnostic::{Diagnostic, Diagnostics, ReportFormat};
use scimfacts::import::{ImportOptions, import};
use scimfacts::load::folder_in_repository;
use scimfacts::progress::ProgressHook;
use scimfacts::scaffold::{InitOptions, InitReport, ScaffoldError, init, new_vendor, write_schema};
use scimfacts::serve::{ServeError, ServeOptions, serve};
use terminal::TerminalProgress;

#[derive(Parser)]
#[command(
    name = "scimfacts",
    version,
    about = "SCIM fact pages from one YAML record per vendor"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the records, render every page and write the site atomically.
    Build {
        /// The site's root folder (holds data/, templates/, static/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/site].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Print nothing on success.
        #[arg(long, short)]
        quiet: bool,
        /// Use this base URL instead of site.yaml's (e.g. for a preview deployment).
        #[arg(long)]
        base_url: Option<String>,
        /// Replace the output folder even when it is not empty and no build wrote it.
        #[arg(long)]
        force: bool,
        /// Show price history from git for this build, whatever `history` of site.yaml says.
        #[arg(long)]
        history: bool,
    },
    /// Validate everything and report every problem; writes nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings (such as stale records) as errors.
        #[arg(long)]
        strict: bool,
        /// How to print the problems: text for people, github for annotations on a pull
        /// request (GitHub Actions), json for other tools.
        #[arg(long, default_value = "text", value_parser = parse_format)]
        format: ReportFormat,
        /// Read price history from git too, as `build --history` does, whatever `history` of
        /// site.yaml says.
        #[arg(long)]
        history: bool,
    },
    /// Build, serve the site on 127.0.0.1, rebuild on every save and reload the browser.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/site].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The port to listen on; 0 picks any free port.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but loopback exposes the preview to the network.
        #[arg(long, default_value = "127.0.0.1", value_parser = parse_bind)]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll files for changes instead of using the system's file events (for network and
        /// container mounts that deliver none).
        #[arg(long)]
        poll: bool,
        /// Replace the output folder even when it is not empty and no build wrote it.
        #[arg(long)]
        force: bool,
        /// Show price history from git, whatever `history` of site.yaml says; it is read
        /// again when HEAD moves (a commit, a checkout).
        #[arg(long)]
        history: bool,
    },
    /// Print the JSON Schema (draft-07) of a vendor record, for editors' YAML support.
    Schema {
        /// Write it to DIR/vendor.schema.json instead (replacing an older one).
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Start a new catalogue: settings, an example record, the schema, editor settings,
    /// CONTRIBUTING.md, issue forms and a GitHub workflow that checks pull requests and
    /// publishes to GitHub Pages. Never overwrites a file.
    Init {
        /// The catalogue's folder; made when missing.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The site's title.
        #[arg(long)]
        title: Option<String>,
        /// The repository's web address (https://github.com/you/catalogue), for "Edit this
        /// record" and "Report a problem" on vendor pages.
        #[arg(long)]
        repository: Option<String>,
    },
    /// Import a public catalogue's checkout into data/vendors/ and report what changed.
    Import {
        /// The catalogue: sso-tax, ssotax-org or scimtax-org.
        #[arg(value_parser = ["sso-tax", "ssotax-org", "scimtax-org"])]
        source: String,
        /// A checkout (git clone) of the catalogue's repository.
        path: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Report what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Create data/vendors/<slug>.yaml for a new vendor, every key present and commented.
    New {
        /// The vendor's name, e.g. "Code42".
        name: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            // clap's own exit code is 2 for usage errors and 0 for --help/--version.
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    if let Err(problem) = refuse_invalid_source_date_epoch(&cli.command) {
        eprintln!("error: {problem}");
        return ExitCode::from(2);
    }
    if matches!(
        cli.command,
        Command::Build { .. } | Command::Check { .. } | Command::Serve { .. }
    ) {
        stop_runaway_templates();
    }
    run(cli.command)
}

/// Runs one command, as parsed.
fn run(command: Command) -> ExitCode {
    match command {
        Command::Build {
            root,
            output,
            quiet,
            base_url,
            force,
            history,
        } => run_build(
            BuildOptions {
                output,
                base_url,
                force,
                history,
                ..BuildOptions::new(root)
            },
            quiet,
        ),
        Command::Check {
            root,
            strict,
            format,
            history,
        } => run_check(root, history, strict, format),
        Command::New { name, root } => run_new(&root, &name),
        Command::Import {
            source,
            path,
            root,
            dry_run,
        } => run_import(ImportOptions {
            source,
            checkout: path,
            root,
            dry_run,
            progress: ProgressHook::none(),
        }),
        Command::Schema { output: None } => {
            print!("{}", scimfacts::model::vendor_schema());
            ExitCode::SUCCESS
        }
        Command::Schema { output: Some(dir) } => {
            report_scaffold(write_schema(&dir).map(|path| format!("wrote {}", path.display())))
        }
        Command::Init {
            dir,
            title,
            repository,
        } => run_init(&InitOptions {
            dir,
            title,
            repository,
        }),
        Command::Serve {
            root,
            output,
            port,
            bind,
            open,
            poll,
            force,
            history,
        } => run_serve(ServeOptions {
            build: BuildOptions {
                output,
                force,
                history,
                ..BuildOptions::new(root)
            },
            bind,
            port,
            open,
            poll,
        }),
    }
}

/// How long one page may render before the process gives up on it: three times the page's
/// own time bound, which a loop that writes nothing and calls no `range` never checks.
const RUNAWAY_RENDER: std::time::Duration = std::time::Duration::from_secs(30);

/// Watches the pages being rendered and stops the process, naming the template, when one has
/// rendered for longer than [`RUNAWAY_RENDER`]: a thread cannot be stopped from outside, and
/// a build, a check or a preview stuck for ever helps no one. The build's staging folder and
/// lock file go first, so the output is left as it was.
fn stop_runaway_templates() {
    std::thread::spawn(|| {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
            if let Some((template, elapsed)) = scimfacts::render::longest_render()
                && elapsed > RUNAWAY_RENDER
            {
                terminal::clear_before_exit();
                eprintln!(
                    "error: templates/{template}: one page has rendered for over {} s, past \
                     every bound (a loop that repeats far more than meant?): stopped",
                    RUNAWAY_RENDER.as_secs()
                );
                scimfacts::write::remove_unfinished();
                std::process::exit(1);
            }
        }
    });
}

/// The commands whose output depends on the day refuse a `SOURCE_DATE_EPOCH` they cannot
/// read, rather than build for another day than the one asked for.
fn refuse_invalid_source_date_epoch(command: &Command) -> Result<(), String> {
    match command {
        Command::Build { .. } | Command::Check { .. } | Command::Serve { .. } => {
            scimfacts::model::Date::source_date_epoch().map(|_| ())
        }
        _ => Ok(()),
    }
}

/// `--bind`: an IP address, or `localhost` for the loopback address people usually mean.
fn parse_bind(text: &str) -> Result<IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::from([127, 0, 0, 1]));
    }
    text.parse().map_err(|_| {
        "expected an IP address such as 127.0.0.1, 0.0.0.0 or ::, or localhost".to_owned()
    })
}

fn run_serve(options: ServeOptions) -> ExitCode {
    match serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(ServeError::Build(err)) => fail(&err, "serve failed"),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

fn run_build(mut options: BuildOptions, quiet: bool) -> ExitCode {
    let progress = TerminalProgress::start(!quiet);
    options.progress = progress.hook();
    let built = build(&options);
    progress.clear();
    match built {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            if !quiet {
                println!("{}", report.summary());
            }
            ExitCode::SUCCESS
        }
        Err(err) => fail(&err, "build failed; the previous site was left as it was"),
    }
}

fn run_check(root: PathBuf, history: bool, strict: bool, format: ReportFormat) -> ExitCode {
    // Reports for machines (github, json) are read by programs: no progress beside them.
    let progress = TerminalProgress::start(format == ReportFormat::Text);
    let options = BuildOptions {
        history,
        progress: progress.hook(),
        ..BuildOptions::new(root)
    };
    let checked = check(&options);
    progress.clear();
    let (diagnostics, code) = match checked {
        Ok(warnings) => {
            let code = if strict && !warnings.is_empty() { 1 } else { 0 };
            (warnings, code)
        }
        Err(BuildError::Invalid(diagnostics)) => (diagnostics, 1),
        Err(other) if format == ReportFormat::Text => return fail(&other, "check failed"),
        // A tool reading the report still gets one: the problem, in no file.
        Err(other) => {
            let problem = Diagnostic::error("", other.to_string());
            (Diagnostics::from_iter([problem]), other.exit_code())
        }
    };
    match format {
        ReportFormat::Text => print_diagnostics(&diagnostics),
        ReportFormat::Github => print!(
            "{}",
            diagnostics.to_github(&folder_in_repository(&options.root))
        ),
        ReportFormat::Json => print!("{}", diagnostics.to_json()),
    }
    let summary = diagnostics.summary();
    match code {
        0 => eprintln!("{summary}"),
        1 if !diagnostics.has_errors() => {
            eprintln!("{summary}\ncheck failed: warnings count as errors with --strict");
        }
        _ => eprintln!("check failed: {summary}"),
    }
    ExitCode::from(code)
}

/// `--format`: text, github or json.
fn parse_format(text: &str) -> Result<ReportFormat, String> {
    match text {
        "text" => Ok(ReportFormat::Text),
        "github" => Ok(ReportFormat::Github),
        "json" => Ok(ReportFormat::Json),
        _ => Err("expected text, github or json".to_owned()),
    }
}

fn run_import(mut options: ImportOptions) -> ExitCode {
    let progress = TerminalProgress::start(true);
    options.progress = progress.hook();
    let imported = import(&options);
    progress.clear();
    match imported {
        Ok(report) => {
            print!("{}", report.to_markdown());
            if options.dry_run {
                println!("(dry run: nothing was written)");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}\nimport failed");
            ExitCode::from(err.exit_code())
        }
    }
}

fn run_new(root: &std::path::Path, name: &str) -> ExitCode {
    report_scaffold(new_vendor(root, name).map(|path| format!("created {}", path.display())))
}

fn run_init(options: &InitOptions) -> ExitCode {
    report_scaffold(init(options).map(|report| init_summary(options, &report)))
}

/// What `init` wrote and kept, what the editor should know, and what to do next.
fn init_summary(options: &InitOptions, report: &InitReport) -> String {
    let mut lines: Vec<String> = Vec::new();
    for path in &report.created {
        lines.push(format!("created {}", options.dir.join(path).display()));
    }
    for path in &report.kept {
        lines.push(format!(
            "kept    {} (it exists; not overwritten)",
            options.dir.join(path).display()
        ));
    }
    for note in &report.notes {
        lines.push(format!("note: {note}"));
    }
    let serve = if options.dir == std::path::Path::new(".") {
        "scimfacts serve".to_owned()
    } else {
        format!("cd {} && scimfacts serve", shell_quoted(&options.dir))
    };
    lines.push(format!(
        "\nNext: {serve}   (a preview at http://127.0.0.1:1111/)\n\
         To publish on GitHub Pages: push to GitHub, then in Settings > Pages set Source to \
         \"GitHub Actions\"."
    ));
    lines.join("\n")
}

/// A path as a shell reads it back: in single quotes when it holds anything but plain
/// characters, so that the printed command can be pasted.
fn shell_quoted(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%~".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Prints what a command that writes files for editors did, or why it did nothing.
fn report_scaffold(outcome: Result<String, ScaffoldError>) -> ExitCode {
    match outcome {
        Ok(said) => {
            println!("{said}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    eprint!("{}", diagnostics.report());
}

fn fail(err: &BuildError, what: &str) -> ExitCode {
    match err {
        BuildError::Invalid(diagnostics) => {
            print_diagnostics(diagnostics);
            eprintln!("{what}: {}", diagnostics.summary());
        }
        other => eprintln!("error: {other}\n{what}"),
    }
    ExitCode::from(err.exit_code())
}
