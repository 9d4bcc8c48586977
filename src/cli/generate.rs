//! `actorgraph generate`: the man page and shell completions, made from the clap
//! definitions so that they never drift from `--help`.

use clap::{CommandFactory, Subcommand};

use super::{Cli, Done, Fatal, to_stdout};

#[derive(Subcommand)]
pub enum GenerateCommand {
    /// Print the man page (roff) on stdout: `actorgraph generate man > actorgraph.1`.
    Man,
    /// Print the completion script for SHELL on stdout.
    Completions {
        /// The shell: bash, elvish, fish, powershell or zsh.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

pub fn run(command: GenerateCommand) -> Result<Done, Fatal> {
    let mut cli = Cli::command();
    let mut out = Vec::new();
    match command {
        GenerateCommand::Man => clap_mangen::Man::new(cli).render(&mut out)?,
        GenerateCommand::Completions { shell } => {
            clap_complete::generate(shell, &mut cli, "actorgraph", &mut out)
        }
    }
    to_stdout(std::io::Write::write_all(
        &mut std::io::stdout().lock(),
        &out,
    ))?;
    Ok(Done::Clean)
}
