//! The command line: arguments, progress, messages and exit status. The only place
//! that names clap or indicatif; each command turns its arguments into the library's
//! plain types, calls it, and says how it went.

mod args;
mod bench;
mod extract;
mod gazetteer;
mod generate;
mod ner;
mod progress;
mod records;
mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use actorgraph::Gazetteer;

use args::GazetteerArgs;

const EXIT_HELP: &str = "\
Exit status:
  0  every article was processed
  1  some articles or files were skipped: each is reported on stderr as FILE:LINE: what is
     wrong, and listed in OUTDIR/errors.csv (with the warnings)
  2  nothing could be done: bad arguments (an INPUT that does not exist, for one), a broken
     gazetteer or rule file (reported as FILE:LINE:COLUMN: what is wrong), or an output that
     cannot be written; no output is left half-written

Outputs are written to a hidden folder inside OUTDIR and moved into place when the run is
complete: an interrupted run leaves the previous outputs, or none.";

/// Arabic news articles in, an evidence-backed actor-alliance graph out.
#[derive(Parser)]
#[command(name = "actorgraph", version, after_help = EXIT_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find actors and relations in articles and write records, tables and the graph.
    Extract(Box<extract::ExtractArgs>),
    /// Rebuild the graph and its exports from article records of one run or many.
    Graph(records::GraphArgs),
    /// Print each relation of article records with its evidence marked, for checking.
    Explain(records::ExplainArgs),
    /// Write the graph of article records as one HTML page that works offline.
    Report(report::ReportArgs),
    /// Score article records against gold annotation.
    Eval(records::EvalArgs),
    /// Inspect the gazetteers.
    #[command(subcommand)]
    Gazetteer(gazetteer::GazetteerCommand),
    /// Measure one core's speed, stage by stage, against the aho-corasick ceiling.
    Bench(bench::BenchArgs),
    /// Train the name tagger for the names no gazetteer lists.
    #[command(subcommand)]
    Ner(ner::NerCommand),
    /// Write the man page or shell completions, generated from these definitions.
    #[command(subcommand)]
    Generate(generate::GenerateCommand),
}

/// A failure that stops the command (exit status 2).
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(error: E) -> Fatal {
        Fatal(error.to_string())
    }
}

/// How a command that ran to its end went: every input read, or some skipped.
enum Done {
    /// Exit status 0.
    Clean,
    /// Some articles, files or record lines were skipped (each reported): exit status 1.
    Skipped,
}

impl Done {
    /// Clean when nothing was skipped.
    fn skipped_if(skipped: bool) -> Done {
        if skipped { Done::Skipped } else { Done::Clean }
    }
}

/// Parses the command line and runs the command; the exit status is decided here.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return refuse_arguments(error),
    };
    let result = match cli.command {
        Command::Extract(args) => extract::extract(*args),
        Command::Graph(args) => records::graph(args),
        Command::Explain(args) => records::explain(args),
        Command::Report(args) => report::report(args),
        Command::Eval(args) => records::eval(args),
        Command::Gazetteer(command) => gazetteer::run(command),
        Command::Bench(args) => bench::run(args),
        Command::Ner(command) => ner::run(command),
        Command::Generate(command) => generate::run(command),
    };
    match result {
        Ok(Done::Clean) => ExitCode::SUCCESS,
        Ok(Done::Skipped) => ExitCode::from(1),
        Err(Fatal(message)) => {
            progress::tell(&format!("actorgraph: error: {message}"));
            ExitCode::from(2)
        }
    }
}

/// Clap's message for arguments it refuses. A value it quotes (`--around $'\e[2J'`, a
/// file name with a line break) could drive the terminal or forge a line: the message is
/// then clap's for the same arguments escaped as every other message is.
fn refuse_arguments(error: clap::Error) -> ExitCode {
    use actorgraph::output::terminal_escape;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let tampered = args
        .iter()
        .any(|arg| arg.to_str().is_none_or(|a| terminal_escape(a) != a));
    if !error.use_stderr() || !tampered {
        error.exit()
    }
    let escaped = args
        .iter()
        .map(|arg| terminal_escape(&arg.to_string_lossy()).into_owned());
    match Cli::try_parse_from(escaped) {
        Err(escaped_error) if escaped_error.use_stderr() => escaped_error.exit(),
        _ => error.exit(),
    }
}

/// The outcome of writing to standard output: `None` when the reader at the other end of
/// the pipe stopped reading (`| head`), which is no error, and nothing more need be
/// written.
fn to_stdout<T>(result: std::io::Result<T>) -> Result<Option<T>, Fatal> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(None),
        Err(e) => Err(Fatal(format!("writing to standard output: {e}"))),
    }
}

/// The file `-o FILE` names, to be written whole or not at all.
fn output_file(path: &std::path::Path) -> Result<actorgraph::output::PendingFile, Fatal> {
    let name = path
        .file_name()
        .ok_or_else(|| Fatal(format!("{}: not a file name", path.display())))?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    Ok(actorgraph::output::PendingFile::create(&dir, &name)?)
}

/// The built-in gazetteers and the files `--gazetteer` adds.
fn load_gazetteer(args: &GazetteerArgs) -> Result<Gazetteer, Fatal> {
    let mut builder = Gazetteer::builder();
    for path in &args.gazetteers {
        builder.add_path(path);
    }
    Ok(builder.build()?)
}
