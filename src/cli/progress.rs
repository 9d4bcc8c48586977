//! The progress bar on a terminal, and the messages of a run on stderr.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use actorgraph::InputProblem;
use actorgraph::output::terminal_escape;
use actorgraph::run::Observer;

/// How much a command says on stderr (`--quiet`, `--verbose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Only what was skipped, and errors.
    Quiet = 0,
    /// Also warnings, the progress bar and the summary line.
    Normal = 1,
    /// Also the files read and written.
    Verbose = 2,
}

static VERBOSITY: AtomicU8 = AtomicU8::new(Verbosity::Normal as u8);

/// Sets how much every message of this process says.
pub fn set_verbosity(verbosity: Verbosity) {
    VERBOSITY.store(verbosity as u8, Ordering::Relaxed);
}

fn verbosity() -> Verbosity {
    match VERBOSITY.load(Ordering::Relaxed) {
        0 => Verbosity::Quiet,
        1 => Verbosity::Normal,
        _ => Verbosity::Verbose,
    }
}

/// Prints `line` on stderr when the verbosity is at least `level`.
pub fn say(level: Verbosity, line: &str) {
    if verbosity() >= level {
        tell(line);
    }
}

/// Prints `line` on stderr whatever the verbosity, escaped: what it carries from the data
/// (a file name with a line break, an id with an escape sequence) cannot forge a line or
/// drive the terminal.
pub fn tell(line: &str) {
    eprintln!("{}", terminal_escape(line));
}

/// Whether a problem is printed: a skipped input always, a warning unless --quiet.
fn shown(problem: &InputProblem) -> bool {
    !problem.recovered || verbosity() >= Verbosity::Normal
}

/// A run's observer on the command line: a bar on stderr when it is a terminal (silent
/// otherwise), problems and warnings as `actorgraph: ...` lines above it.
pub struct Progress {
    bar: ProgressBar,
    articles: u64,
}

impl Progress {
    pub fn new() -> Progress {
        let target = if std::io::stderr().is_terminal() && verbosity() >= Verbosity::Normal {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        // The position counts input bytes, so that indicatif's rate is MB/s; the message
        // counts articles.
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {elapsed_precise} {msg}, {decimal_bytes} ({decimal_bytes_per_sec})",
            )
            .expect("a valid template"),
        );
        bar.set_message("0 articles");
        Progress { bar, articles: 0 }
    }

    /// Clears the bar for good.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Observer for Progress {
    fn article(&mut self, bytes: usize) {
        self.articles += 1;
        self.bar.inc(bytes as u64);
        if self.articles % 64 == 1 {
            let rate = self.articles as f64 / self.bar.elapsed().as_secs_f64().max(1e-3);
            self.bar
                .set_message(format!("{} articles ({rate:.0}/s)", self.articles));
        }
    }

    fn problem(&mut self, problem: &InputProblem) {
        if shown(problem) {
            self.bar.suspend(|| tell(&format!("actorgraph: {problem}")));
        }
    }

    fn batch_done(&mut self) {
        self.finish();
    }

    fn warning(&mut self, message: &str) {
        self.bar.suspend(|| {
            say(
                Verbosity::Normal,
                &format!("actorgraph: warning: {message}"),
            )
        });
    }
}

/// Messages on stderr, with no bar: for the commands that read records back.
pub struct Messages;

impl Observer for Messages {
    fn article(&mut self, _: usize) {}

    fn problem(&mut self, problem: &InputProblem) {
        if shown(problem) {
            tell(&format!("actorgraph: {problem}"));
        }
    }

    fn warning(&mut self, message: &str) {
        say(
            Verbosity::Normal,
            &format!("actorgraph: warning: {message}"),
        );
    }
}
