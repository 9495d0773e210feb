//! The state file: loaded on start, rewritten atomically (temporary file,
//! then rename) by one writer task after changes (those made during a write
//! go into the next), flushed on shutdown.

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

/// Tells the writer the account has changed: a count of changes.
pub type Changes = watch::Sender<u64>;

/// The account as it is now, serialised.
pub type Snapshot = Arc<dyn Fn() -> serde_json::Result<Vec<u8>> + Send + Sync>;

/// The task that writes the account to the file, and how to stop it.
pub struct Writer {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Writer {
    /// Starts the writer: after changes counted on `changes`, it writes the
    /// account as `snapshot` serialises it then. Changes made while it
    /// writes are written together by its next write, so a request never
    /// waits for the whole account to be serialised.
    pub fn spawn(path: PathBuf, changes: &Changes, snapshot: Snapshot) -> Writer {
        let mut rx = changes.subscribe();
        let (stop, mut stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            let mut written = *rx.borrow_and_update();
            loop {
                // A closed channel or a stop request ends the loop after one
                // last write of the newest changes.
                let stop = tokio::select! {
                    changed = rx.changed() => changed.is_err(),
                    _ = &mut stopped => true,
                };
                let latest = *rx.borrow_and_update();
                if latest != written {
                    // The snapshot is taken after `latest` was counted, so
                    // it holds at least those changes.
                    written = latest;
                    let path = path.clone();
                    let snapshot = snapshot.clone();
                    let write = move || match snapshot() {
                        Ok(bytes) => save(&path, &bytes).map_err(|e| e.to_string()),
                        Err(e) => Err(format!("cannot serialise the emulator state: {e}")),
                    };
                    match tokio::task::spawn_blocking(write).await {
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
        Writer { stop, task }
    }

    /// Writes the last changes, then stops.
    pub async fn flush_and_stop(self) {
        let _ = self.stop.send(());
        if let Err(e) = self.task.await {
            tracing::error!("the state writer failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// A writer of a number that `set` changes, as requests change the account.
    fn writer_of(path: &Path) -> (Changes, Arc<Mutex<u64>>, Writer) {
        let (changes, _) = watch::channel(0);
        let value = Arc::new(Mutex::new(0u64));
        let of = Arc::clone(&value);
        let snapshot: Snapshot = Arc::new(move || {
            Ok(of
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .to_string()
                .into_bytes())
        });
        let writer = Writer::spawn(path.to_path_buf(), &changes, snapshot);
        (changes, value, writer)
    }

    fn set(changes: &Changes, value: &Mutex<u64>, to: u64) {
        *value.lock().unwrap() = to;
        changes.send_modify(|count| *count += 1);
    }

    #[tokio::test]
    async fn the_file_holds_the_latest_changes_once_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let (changes, value, writer) = writer_of(&path);
        for n in 1..=200 {
            set(&changes, &value, n);
            if n % 50 == 0 {
                tokio::task::yield_now().await;
            }
        }
        writer.flush_and_stop().await;
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "200");
    }

    #[tokio::test]
    async fn nothing_changed_nothing_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let (_changes, _value, writer) = writer_of(&path);
        writer.flush_and_stop().await;
        assert!(!path.exists());
    }
}
