//! Progress on stderr: a live line per step on a terminal, otherwise one
//! timestamped line per state change.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where a step is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Started,
    Status(String),
    Done,
    Failed(String),
    Skipped(String),
    /// Left to a later apply (see `StepError::Deferred`).
    Deferred(String),
}

pub struct Progress {
    mode: Mode,
}

enum Mode {
    Quiet,
    Lines,
    Bars {
        multi: MultiProgress,
        bars: Mutex<HashMap<usize, ProgressBar>>,
    },
}

impl Progress {
    /// `terminal`: stderr is a terminal and live lines are wanted.
    pub fn new(terminal: bool, quiet: bool) -> Progress {
        let mode = if quiet {
            Mode::Quiet
        } else if terminal {
            Mode::Bars {
                multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
                bars: Mutex::new(HashMap::new()),
            }
        } else {
            Mode::Lines
        };
        Progress { mode }
    }

    pub fn event(&self, step: usize, label: &str, event: &Event, elapsed: Duration) {
        let text = match event {
            Event::Started => "started".to_string(),
            Event::Status(s) => s.clone(),
            Event::Done => format!("done in {}", secs(elapsed)),
            Event::Failed(why) => format!("FAILED after {}: {why}", secs(elapsed)),
            Event::Skipped(why) => format!("skipped: {why}"),
            Event::Deferred(why) => format!("deferred: {why}"),
        };
        match &self.mode {
            Mode::Quiet => {}
            Mode::Lines => eprintln!("{} {label}: {text}", timestamp()),
            Mode::Bars { multi, bars } => {
                let mut bars = bars.lock().unwrap_or_else(|e| e.into_inner());
                let bar = bars.entry(step).or_insert_with(|| {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(
                        ProgressStyle::with_template("{spinner} [{elapsed:>4}] {msg}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    bar.enable_steady_tick(Duration::from_millis(120));
                    bar
                });
                bar.set_message(format!("{label}: {text}"));
                if matches!(
                    event,
                    Event::Done | Event::Failed(_) | Event::Skipped(_) | Event::Deferred(_)
                ) {
                    bar.finish();
                }
            }
        }
    }

    /// A line that is not about one step (the final summary, a warning).
    pub fn line(&self, text: &str) {
        match &self.mode {
            Mode::Quiet => {}
            Mode::Lines => eprintln!("{} {text}", timestamp()),
            Mode::Bars { multi, .. } => {
                let _ = multi.println(text);
            }
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// RFC 3339 UTC time of now, to the millisecond.
fn timestamp() -> String {
    let now = SystemTime::now();
    humantime::format_rfc3339_millis(now).to_string()
}
