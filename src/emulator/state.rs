//! The state file: loaded on start, rewritten atomically (temporary file,
//! then rename) by one writer task after each change, flushed on shutdown.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use super::model::Account;
use super::EmulatorError;

/// Reads the account from `path`; a missing file is an empty account.
pub fn load(path: &Path) -> Result<Account, EmulatorError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Account::default()),
        Err(source) => {
            return Err(EmulatorError::StateRead {
                path: path.to_path_buf(),
                source: source.into(),
            })
        }
    };
    serde_json::from_str(&text).map_err(|e| EmulatorError::StateRead {
        path: path.to_path_buf(),
        source: e.into(),
    })
}

/// Writes `bytes` to `path` atomically.
pub fn save(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Serialised snapshots of the account, newest wins.
pub type Snapshots = watch::Sender<Option<Arc<Vec<u8>>>>;

/// The task that writes snapshots to the file, and how to stop it.
pub struct Writer {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Writer {
    /// Starts the writer; every snapshot sent on the returned sender is
    /// written (intermediate ones may be skipped when writes fall behind).
    pub fn spawn(path: PathBuf) -> (Snapshots, Writer) {
        let (tx, mut rx) = watch::channel(None::<Arc<Vec<u8>>>);
        let (stop, mut stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            loop {
                // A closed channel or a stop request ends the loop after one
                // last write of the newest snapshot.
                let stop = tokio::select! {
                    changed = rx.changed() => changed.is_err(),
                    _ = &mut stopped => true,
                };
                let latest = rx.borrow_and_update().clone();
                if let Some(bytes) = latest {
                    let path = path.clone();
                    let written = tokio::task::spawn_blocking(move || save(&path, &bytes)).await;
                    match written {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => tracing::error!("cannot write the emulator state file: {e}"),
                        Err(e) => tracing::error!("the state writer failed: {e}"),
                    }
                }
                if stop {
                    break;
                }
            }
        });
        (tx, Writer { stop, task })
    }

    /// Writes the last snapshot, then stops.
    pub async fn flush_and_stop(self) {
        let _ = self.stop.send(());
        if let Err(e) = self.task.await {
            tracing::error!("the state writer failed: {e}");
        }
    }
}
