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
        // Listening from here, not from when the task below first runs: a
        // Ctrl-C in between would end pzr with its steps begun.
        let Ok(mut interrupts) = Interrupts::listen() else {
            return stop_rx;
        };
        tokio::spawn(async move {
            if interrupts.next().await {
                eprintln!(
                    "\ninterrupted: finishing the calls in flight; press Ctrl-C again to exit now"
                );
                let _ = stop_tx.send(true);
                if interrupts.next().await {
                    std::process::exit(130);
                }
            }
        });
        stop_rx
    }
}

/// Ctrl-C, heard from the moment `listen` returns.
#[cfg(unix)]
struct Interrupts(tokio::signal::unix::Signal);

#[cfg(unix)]
impl Interrupts {
    fn listen() -> std::io::Result<Interrupts> {
        use tokio::signal::unix::{signal, SignalKind};
        signal(SignalKind::interrupt()).map(Interrupts)
    }

    async fn next(&mut self) -> bool {
        self.0.recv().await.is_some()
    }
}

/// Ctrl-C, heard once the task awaiting it runs.
#[cfg(not(unix))]
struct Interrupts;

#[cfg(not(unix))]
impl Interrupts {
    fn listen() -> std::io::Result<Interrupts> {
        Ok(Interrupts)
    }

    async fn next(&mut self) -> bool {
        tokio::signal::ctrl_c().await.is_ok()
    }
}
