//! The `parallax` binary: parse arguments, run, print errors, exit with a code.

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use parallax::app::{self, Failure};
use parallax::cli::Cli;
use parallax::exit_codes;

fn main() -> ExitCode {
    parallax::output::remove_files_on_panic();
    // `COMPLETE=bash parallax`: the shell asks for completions (see the README)
    clap_complete::CompleteEnv::with_factory(Cli::command).complete();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit_codes::USAGE
            } else {
                exit_codes::SUCCESS
            });
        }
    };
    match app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(Failure::BrokenPipe) => ExitCode::from(exit_codes::SUCCESS),
        Err(Failure::Reported { messages, code }) => {
            let mut err = std::io::stderr().lock();
            for m in messages {
                let _ = writeln!(err, "{m}");
            }
            ExitCode::from(code)
        }
    }
}
