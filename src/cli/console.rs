//! The terminal as apply's `ops::Console`: the plan on stdout, the question
//! and the progress on stderr, the answer from stdin, Ctrl-C to stop.

use std::io::{BufRead, IsTerminal, Write};

use tokio::sync::watch;

use super::plan::render;
use super::{Format, GlobalArgs};
use crate::apply::progress::Progress;
use crate::ops::Console;
use crate::plan::Plan;

pub struct Terminal<'a> {
    global: &'a GlobalArgs,
    progress: Progress,
}

impl Terminal<'_> {
    pub fn new(global: &GlobalArgs) -> Terminal<'_> {
        Terminal {
            global,
            progress: Progress::new(std::io::stderr().is_terminal(), global.quiet),
        }
    }
}

impl Console for Terminal<'_> {
    fn review(&self, plan: &Plan) {
        print!("{}", render(plan, Format::Text, self.global));
    }

    fn confirm(&self, expected: &str) -> std::io::Result<Option<String>> {
        if !std::io::stdin().is_terminal() {
            return Ok(None);
        }
        eprint!("\nDo you want to perform these actions? Only '{expected}' will be accepted: ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        Ok(Some(answer))
    }

    fn progress(&self) -> &Progress {
        &self.progress
    }

    fn stops(&self) -> watch::Receiver<bool> {
        // Installed only now: until the steps start, Ctrl-C ends pzr at once.
        let (stop_tx, stop_rx) = watch::channel(false);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!(
                    "\ninterrupted: finishing the calls in flight; press Ctrl-C again to exit now"
                );
                let _ = stop_tx.send(true);
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        });
        stop_rx
    }
}
