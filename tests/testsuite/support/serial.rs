//! Tests run as threads of one binary. Those that assert wall-clock windows
//! or ceilings (a status seen within its life-cycle phase, a signal answered
//! within 500ms, requests packed into one second) take this lock for their
//! whole run, so that two of them never compete for the CPU and slow each
//! other past their limits; every other test runs alongside as before.

use tokio::sync::{Mutex, MutexGuard};

/// An async lock: held across awaits, and shared by every test's runtime.
static TIMING: Mutex<()> = Mutex::const_new(());

/// Waits until no other timing-sensitive test runs; hold the guard to the end.
pub async fn timing() -> MutexGuard<'static, ()> {
    TIMING.lock().await
}
