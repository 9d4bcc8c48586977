//! The progress bar on a terminal, and the messages of a run on stderr.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use actorgraph::InputProblem;
use actorgraph::run::Observer;

/// A run's observer on the command line: a bar on stderr when it is a terminal (silent
/// otherwise), problems and warnings as `actorgraph: ...` lines above it.
pub struct Progress {
    bar: ProgressBar,
    articles: u64,
}

impl Progress {
    pub fn new() -> Progress {
        let target = if std::io::stderr().is_terminal() {
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
        self.bar.suspend(|| eprintln!("actorgraph: {problem}"));
    }

    fn batch_done(&mut self) {
        self.finish();
    }

    fn warning(&mut self, message: &str) {
        self.bar
            .suspend(|| eprintln!("actorgraph: warning: {message}"));
    }
}

/// Messages on stderr, with no bar: for the commands that read records back.
pub struct Messages;

impl Observer for Messages {
    fn article(&mut self, _: usize) {}

    fn problem(&mut self, problem: &InputProblem) {
        eprintln!("actorgraph: {problem}");
    }

    fn warning(&mut self, message: &str) {
        eprintln!("actorgraph: warning: {message}");
    }
}
