//! The command line (clap's builder API) and its dispatch to the commands.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::commands::{describe, eval, inspect, list, predict, train};
use crate::error::CliError;
use crate::run_file::Override;

fn command() -> Command {
    let dir = || {
        Arg::new("dir")
            .value_name("DIR")
            .required(true)
            .help("A run directory")
    };
    Command::new("minitrainer")
        .about("Train, resume, evaluate, predict with and inspect minitrainer models")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .subcommand(
            Command::new("train")
                .about("Train from a run file, or continue a run with --resume DIR")
                .arg(Arg::new("run_file").value_name("RUN.json").help("The run file"))
                .arg(Arg::new("resume").long("resume").value_name("DIR").conflicts_with("run_file")
                    .help("Continue the run in DIR from its latest checkpoint"))
                .arg(Arg::new("set").long("set").value_name("KEY.PATH=VALUE").action(ArgAction::Append)
                    .help("Override a run-file key (a JSON value or a bare word), e.g. --set epochs=20"))
                .arg(Arg::new("out").long("out").value_name("DIR").conflicts_with("resume")
                    .help("The run directory (default: the run file's `out`)"))
                .arg(Arg::new("force").long("force").action(ArgAction::SetTrue)
                    .help("Replace a run already in the output directory"))
                .arg(Arg::new("quiet").long("quiet").short('q').action(ArgAction::SetTrue)
                    .help("No progress lines")),
        )
        .subcommand(
            Command::new("eval")
                .about("Loss and metrics of a run's final model")
                .arg(dir())
                .arg(Arg::new("data").long("data").value_name("SPEC")
                    .help("valid (default), train, digits, or a CSV file with the run's target column"))
                .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print one JSON object")),
        )
        .subcommand(
            Command::new("predict")
                .about("Predictions of a run's final model for the rows of a CSV file")
                .arg(dir())
                .arg(Arg::new("input").long("input").value_name("CSV").required(true))
                .arg(Arg::new("output").long("output").value_name("CSV").required(true)),
        )
        .subcommand(Command::new("list").about("The registered models"))
        .subcommand(
            Command::new("describe")
                .about("A model's config schema")
                .arg(Arg::new("name").value_name("NAME").required(true)),
        )
        .subcommand(
            Command::new("inspect")
                .about("A run's model tree, parameters and final metrics")
                .arg(dir()),
        )
}

fn string(m: &ArgMatches, id: &str) -> Option<String> {
    m.get_one::<String>(id).cloned()
}

fn path(m: &ArgMatches, id: &str) -> PathBuf {
    PathBuf::from(string(m, id).unwrap_or_default())
}

/// Parses `args` (the program name first) and runs the command.
pub(crate) fn dispatch<I, T>(args: I) -> Result<(), CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = match command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            print!("{e}");
            return Ok(());
        }
        Err(e) => return Err(CliError::Usage(e.to_string().trim_end().to_string())),
    };
    match matches.subcommand() {
        Some(("train", m)) => {
            let overrides = m
                .get_many::<String>("set")
                .into_iter()
                .flatten()
                .map(|s| Override::parse(s))
                .collect::<Result<Vec<_>, _>>()?;
            train::train(&train::TrainArgs {
                run_file: string(m, "run_file").map(PathBuf::from),
                resume: string(m, "resume").map(PathBuf::from),
                overrides,
                out: string(m, "out").map(PathBuf::from),
                force: m.get_flag("force"),
                quiet: m.get_flag("quiet"),
            })
        }
        Some(("eval", m)) => eval::eval(
            &path(m, "dir"),
            string(m, "data").as_deref(),
            m.get_flag("json"),
        ),
        Some(("predict", m)) => {
            predict::predict(&path(m, "dir"), &path(m, "input"), &path(m, "output"))
        }
        Some(("list", _)) => list::list(),
        Some(("describe", m)) => describe::describe(&string(m, "name").unwrap_or_default()),
        Some(("inspect", m)) => inspect::inspect(&path(m, "dir")),
        _ => Err(CliError::Usage(
            "a subcommand is required; see `minitrainer --help`".into(),
        )),
    }
}
