//! The `minitrainer` command; everything is in the library (`minitrainer_cli::run`).

fn main() -> std::process::ExitCode {
    minitrainer_cli::run()
}
