//! Command-line definitions and wiring only: each subcommand parses its
//! arguments here and calls the library.

mod apply;
mod console;
mod drift;
#[cfg(feature = "emulator")]
mod emulator;
mod export;
mod output;
mod plan;
mod validate;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::{json, Value};

use crate::ops;

/// Declarative reconciler for Amazon Personalize dataset groups, datasets and schemas.
#[derive(Debug, Parser)]
#[command(name = "pzr", version, about, propagate_version = true, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "Examples:
  pzr --sandbox apply -f examples/retail.yaml --auto-approve   # try it, no AWS account
  pzr validate -f pzr.yaml
  pzr plan -f pzr.yaml -o plan.json && pzr apply plan.json
  pzr drift -f pzr.yaml --format json
  pzr <command> --help                                         # each command's examples";

/// Flags every subcommand accepts, shown under their own heading.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// AWS profile to use (else the standard AWS config chain).
    #[arg(long, global = true, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// AWS region (overrides the spec and the AWS config chain).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Personalize endpoint URL (e.g. a `pzr emulator`).
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
    /// Run against an in-process emulator backed by --sandbox-state; no AWS account needed.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// State file of the --sandbox emulator (another region than us-east-1:
    /// `<stem>-<region>.json` beside it).
    #[arg(long, global = true, default_value = ".pzr/sandbox.json")]
    pub sandbox_state: PathBuf,
    /// When to colour output (NO_COLOR is honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// More logging on stderr (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Most AWS calls per second (pzr also learns the account's limit from
    /// refusals and paces below it).
    #[arg(long, global = true, env = "PZR_MAX_RPS", value_parser = positive_rate)]
    pub max_rps: Option<f64>,
}

impl GlobalArgs {
    /// Where commands send their requests.
    fn target(&self) -> ops::Target {
        ops::Target {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            sandbox: self.sandbox.then(|| self.sandbox_state.clone()),
            max_rps: self.max_rps,
        }
    }
}

fn positive_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if r > 0.0 && r.is_finite() => Ok(r),
        _ => Err(format!(
            "`{s}` is not a positive number of calls per second"
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal; `auto`
    /// honours `NO_COLOR`.
    pub fn on(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Output formats of commands that print a report with no Markdown form
/// (`validate`, `output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For people.
    Text,
    /// One JSON document, for machines.
    Json,
}

/// Output formats of commands that print a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people, as a terminal shows it.
    Text,
    /// One JSON document, for machines (docs/plan-json.md).
    Json,
    /// For pull-request comments.
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a spec offline; no AWS call is made.
    Validate(validate::ValidateArgs),
    /// Show what apply would change.
    Plan(plan::PlanArgs),
    /// Make the account match the spec (or a saved plan).
    Apply(apply::ApplyArgs),
    /// Render a saved plan.
    Show(plan::ShowArgs),
    /// Report how the account differs from the spec (exit 2 when it does).
    Drift(drift::DriftArgs),
    /// Write a spec from live dataset groups.
    Export(export::ExportArgs),
    /// Print the ARNs of the managed resources and the event trackers' tracking ids.
    Output(output::OutputArgs),
    /// Run the local Amazon Personalize emulator.
    #[cfg(feature = "emulator")]
    Emulator(emulator::EmulatorArgs),
    /// Print shell completions.
    #[command(
        after_help = "Examples:\n  pzr completions bash > /etc/bash_completion.d/pzr\n  pzr completions zsh > \"${fpath[1]}/_pzr\""
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(
        after_help = "Examples:\n  pzr man > /usr/local/share/man/man1/pzr.1\n  pzr man | man -l -"
    )]
    Man,
}

impl Command {
    /// Whether failures must be printed as a JSON envelope on stdout.
    fn wants_json(&self) -> bool {
        match self {
            Command::Validate(a) => a.format == ReportFormat::Json,
            Command::Plan(a) => a.format == Format::Json,
            Command::Show(a) => a.format == Format::Json,
            Command::Drift(a) => a.format == Format::Json,
            Command::Output(a) => a.format == ReportFormat::Json,
            Command::Apply(_) | Command::Export(_) | Command::Completions { .. } | Command::Man => {
                false
            }
            #[cfg(feature = "emulator")]
            Command::Emulator(_) => false,
        }
    }
}

/// A failed command: a code for machines (`VALIDATION_ERROR`, `STALE_PLAN`, ...),
/// a message for people, and per-item details.
#[derive(Debug)]
pub struct Failure {
    pub code: &'static str,
    pub error: anyhow::Error,
    pub details: Vec<Value>,
    /// The plan document, when a plan was made but must not go ahead.
    pub plan: Option<Value>,
}

impl Failure {
    /// The JSON error envelope: `{"success": false, "error": {...}}`.
    pub fn to_json(&self) -> Value {
        let mut error =
            json!({"code": self.code, "message": self.error.to_string(), "details": self.details});
        if let Some(plan) = &self.plan {
            error["plan"] = plan.clone();
        }
        json!({"success": false, "error": error})
    }
}

impl From<ops::Error> for Failure {
    fn from(error: ops::Error) -> Failure {
        // Refusals that stop `pzr plan` itself carry the plan document, so
        // JSON consumers still see what was planned.
        let plan = match &error {
            ops::Error::Refused { refusal, plan } => refusal
                .refuses_plan()
                .then(|| crate::render::json::plan(plan)),
            _ => None,
        };
        Failure {
            code: error.code(),
            details: error.details(),
            plan,
            error: error.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure {
            code: "ERROR",
            error,
            details: Vec::new(),
            plan: None,
        }
    }
}

/// Runs a parsed command line; returns the process exit code.
pub fn main(cli: Cli) -> u8 {
    let json = cli.command.wants_json();
    init_logging(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 1;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(failure) => {
            if json {
                println!("{}", failure.to_json());
            } else {
                eprintln!("error: {}", failure.error);
                for cause in failure.error.chain().skip(1) {
                    eprintln!("  caused by: {cause}");
                }
            }
            1
        }
    }
}

async fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Validate(args) => validate::run(&cli.global, args).await,
        Command::Plan(args) => plan::run(&cli.global, args).await,
        Command::Apply(args) => apply::run(&cli.global, args).await,
        Command::Show(args) => plan::show(&cli.global, args),
        Command::Drift(args) => drift::run(&cli.global, args).await,
        Command::Export(args) => export::run(&cli.global, args).await,
        Command::Output(args) => output::run(&cli.global, args).await,
        #[cfg(feature = "emulator")]
        Command::Emulator(args) => emulator::run(&cli.global, args).await,
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "pzr",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
        Command::Man => {
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut std::io::stdout())
                .map_err(anyhow::Error::from)?;
            Ok(0)
        }
    }
}

/// Logs go to stderr. By default only pzr's own warnings: the SDK's log
/// lines (a credentials provider that found nothing, a retried request)
/// would bury the one error line that matters. `-v` adds each AWS call with
/// its duration and retries, and the SDK's warnings; `-vv` pzr's and the
/// SDK's debug lines; `-q` errors only. `RUST_LOG` overrides.
fn init_logging(global: &GlobalArgs) {
    let level = match (global.quiet, global.verbose) {
        (true, _) => "pzr=error",
        (false, 0) => "pzr=warn",
        (false, 1) => "warn,pzr=info",
        (false, _) => {
            "info,pzr=debug,aws_config=debug,aws_smithy_runtime=debug,aws_sdk_personalize=debug"
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(global.color.on(std::io::stderr().is_terminal()))
        .with_target(false)
        .try_init();
}
