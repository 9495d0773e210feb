//! Throughput of the emulator: requests per second through the real
//! `aws-sdk-personalize` over HTTP, on this machine.
//!
//! `cargo run --release --example emulator_bench [SECONDS] [CONCURRENCY]`
//! (defaults 5 and 16). Client and server share the machine, so the number
//! includes the SDK's signing and parsing.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pzr::emulator::{EmulatorConfig, RunningEmulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(5);
    let concurrency: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(16);

    let emulator = RunningEmulator::start(
        EmulatorConfig {
            create_delay: Duration::ZERO,
            ..EmulatorConfig::default()
        },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await?;
    let client = emulator.client();
    let group = client
        .create_dataset_group()
        .name("bench")
        .send()
        .await?
        .dataset_group_arn()
        .unwrap_or_default()
        .to_string();

    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|i| {
            let client = emulator.client();
            let (group, done, failed) = (group.clone(), done.clone(), failed.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    // Alternate a read of one resource and a list.
                    let ok = if i % 2 == 0 {
                        client
                            .describe_dataset_group()
                            .dataset_group_arn(&group)
                            .send()
                            .await
                            .is_ok()
                    } else {
                        client.list_dataset_groups().send().await.is_ok()
                    };
                    let counter = if ok { &done } else { &failed };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ok = done.load(Ordering::Relaxed);
    println!(
        "{ok} requests in {elapsed:.2}s with {concurrency} concurrent clients: {:.0} requests/s ({} failed)",
        ok as f64 / elapsed,
        failed.load(Ordering::Relaxed)
    );
    emulator.shutdown().await;
    Ok(())
}
