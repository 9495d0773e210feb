//! Dataset import jobs end to end: the real SDK over HTTP against an
//! emulator whose bucket is a temporary directory, on a manual clock.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

use aws_sdk_personalize::error::ProvideErrorMetadata;
use aws_sdk_personalize::types::{DataSource, ImportMode};
use aws_sdk_personalize::Client;
use personalize_emulator::{EmulatorConfig, RunningEmulator};

use crate::support::account::{create_dataset, create_group, create_schema, schema};
use crate::support::clock::manual;
use crate::support::emulator::{code, no_retry, start};

const CREATE: Duration = Duration::from_secs(3);

struct Setup {
    emu: RunningEmulator,
    client: Client,
    dataset: String,
    dir: tempfile::TempDir,
}

/// An emulator with bucket `data`, and an ACTIVE interactions dataset.
async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let emu = start(EmulatorConfig {
        create_delay: CREATE,
        delete_delay: Duration::from_secs(1),
        clock: manual(),
        buckets: BTreeMap::from([("data".to_string(), dir.path().to_path_buf())]),
        ..EmulatorConfig::default()
    })
    .await;
    let client = no_retry(&emu.client());
    let group = create_group(&client, "retail").await;
    let fields = [
        ("USER_ID", "string"),
        ("ITEM_ID", "string"),
        ("TIMESTAMP", "long"),
        ("EVENT_TYPE", "string"),
    ];
    let schema = create_schema(&client, "clicks", &schema("Interactions", &fields)).await;
    advance(&emu, CREATE);
    let dataset = create_dataset(&client, "clicks", &group, &schema, "Interactions").await;
    advance(&emu, CREATE);
    Setup {
        emu,
        client,
        dataset,
        dir,
    }
}

fn advance(emu: &RunningEmulator, by: Duration) {
    emu.clock().advance(by).expect("a manual clock");
}

/// `n` interactions of 30 users, every other one a View.
fn rows(n: usize) -> String {
    (0..n).fold(
        "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n".to_string(),
        |mut csv, i| {
            let event = if i % 2 == 0 { "View" } else { "Purchase" };
            let _ = writeln!(csv, "u{},i{i},{},{event}", i % 30, 1_767_225_600 + i);
            csv
        },
    )
}

fn write(dir: &Path, key: &str, content: &str) {
    let path = dir.join(key);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

impl Setup {
    async fn import(&self, name: &str, location: &str, mode: ImportMode) -> Result<String, String> {
        let source = DataSource::builder().data_location(location).build();
        let call = self
            .client
            .create_dataset_import_job()
            .job_name(name)
            .dataset_arn(&self.dataset)
            .data_source(source)
            .role_arn("arn:aws:iam::111122223333:role/PersonalizeS3Read")
            .import_mode(mode);
        match call.send().await {
            Ok(out) => Ok(out.dataset_import_job_arn().unwrap().to_string()),
            Err(e) => Err(format!(
                "{}: {}",
                e.code().unwrap_or_default(),
                e.message().unwrap_or_default()
            )),
        }
    }

    /// The job's status and failure reason.
    async fn job(&self, arn: &str) -> (String, Option<String>) {
        let out = self
            .client
            .describe_dataset_import_job()
            .dataset_import_job_arn(arn)
            .send()
            .await
            .unwrap();
        let job = out.dataset_import_job().unwrap();
        (
            job.status().unwrap().to_string(),
            job.failure_reason().map(String::from),
        )
    }

    async fn records(&self) -> Option<u64> {
        let data = self.emu.datasets().await.unwrap();
        data[&self.dataset]["records"].as_u64()
    }
}

#[tokio::test]
async fn an_import_runs_its_life_cycle_and_full_then_incremental_counts_add_up() {
    let s = setup().await;
    write(s.dir.path(), "full/a.csv", &rows(600));
    write(s.dir.path(), "full/b.csv", &rows(600));
    write(s.dir.path(), "more.csv", &rows(1000));
    let full = s
        .import("full", "s3://data/full/", ImportMode::Full)
        .await
        .unwrap();
    assert_eq!(s.job(&full).await, ("CREATE PENDING".into(), None));
    advance(&s.emu, Duration::from_secs(1));
    assert_eq!(s.job(&full).await.0, "CREATE IN_PROGRESS");
    assert_eq!(s.records().await, None, "no data before the job is ACTIVE");
    advance(&s.emu, Duration::from_secs(2));
    assert_eq!(s.job(&full).await, ("ACTIVE".into(), None));
    assert_eq!(s.records().await, Some(1200));

    let more = s
        .import("more", "s3://data/more.csv", ImportMode::Incremental)
        .await
        .unwrap();
    advance(&s.emu, CREATE);
    assert_eq!(s.job(&more).await.0, "ACTIVE");
    let data = s.emu.datasets().await.unwrap();
    let counts = &data[&s.dataset];
    assert_eq!(counts["records"], 2200);
    assert_eq!(counts["usersWithTwoOrMore"], 30);
    assert_eq!(counts["eventsByType"]["View"], 1100);

    // A FULL import replaces what was there.
    let again = s
        .import("again", "s3://data/more.csv", ImportMode::Full)
        .await
        .unwrap();
    advance(&s.emu, CREATE);
    assert_eq!(s.job(&again).await.0, "ACTIVE");
    assert_eq!(s.records().await, Some(1000));

    let listed = s
        .client
        .list_dataset_import_jobs()
        .dataset_arn(&s.dataset)
        .send()
        .await
        .unwrap();
    let jobs: Vec<(&str, Option<&ImportMode>)> = listed
        .dataset_import_jobs()
        .iter()
        .map(|j| (j.job_name().unwrap(), j.import_mode()))
        .collect();
    assert_eq!(
        jobs,
        [
            ("full", Some(&ImportMode::Full)),
            ("more", Some(&ImportMode::Incremental)),
            ("again", Some(&ImportMode::Full)),
        ]
    );
    let duplicate = s
        .import("full", "s3://data/more.csv", ImportMode::Full)
        .await;
    assert!(duplicate
        .unwrap_err()
        .starts_with("ResourceAlreadyExistsException"));
}

#[tokio::test]
async fn bad_data_ends_the_job_create_failed_with_aws_reasons() {
    let s = setup().await;
    write(s.dir.path(), "nocols.csv", "USER_ID,EVENT_TYPE\nu1,View\n");
    let mut bad = rows(1500);
    bad.push_str("u1,i9,yesterday,View\n");
    write(s.dir.path(), "bad.csv", &bad);
    write(s.dir.path(), "few.csv", &rows(999));
    let cases = [
        ("s3://nobucket/x.csv", "Invalid Data location.".to_string()),
        (
            "s3://data/missing.csv",
            "Invalid Data location.".to_string(),
        ),
        (
            "s3://data/nocols.csv",
            "Input CSV is missing the following columns:[ITEM_ID, TIMESTAMP]".to_string(),
        ),
        (
            "s3://data/bad.csv",
            "s3://data/bad.csv: line 1502, column 3 (TIMESTAMP): \"yesterday\" is not a valid long"
                .to_string(),
        ),
        (
            "s3://data/few.csv",
            "The import has 999 item interaction records; a dataset import job needs at least 1000"
                .to_string(),
        ),
    ];
    let mut jobs = Vec::new();
    for (i, (location, _)) in cases.iter().enumerate() {
        let name = format!("job-{i}");
        jobs.push(s.import(&name, location, ImportMode::Full).await.unwrap());
    }
    advance(&s.emu, CREATE);
    for (arn, (location, reason)) in jobs.iter().zip(&cases) {
        assert_eq!(
            s.job(arn).await,
            ("CREATE FAILED".into(), Some(reason.clone())),
            "{location}"
        );
    }
    assert_eq!(s.records().await, None, "a failed import leaves no data");
}

#[tokio::test]
async fn five_imports_in_progress_per_region_at_most() {
    let s = setup().await;
    write(s.dir.path(), "a.csv", &rows(1000));
    for i in 0..5 {
        s.import(&format!("job-{i}"), "s3://data/a.csv", ImportMode::Full)
            .await
            .unwrap();
    }
    let sixth = s.import("job-5", "s3://data/a.csv", ImportMode::Full).await;
    assert_eq!(
        sixth.unwrap_err(),
        "LimitExceededException: More than 5 resources with PENDING or IN_PROGRESS status."
    );
    advance(&s.emu, CREATE);
    s.import("job-5", "s3://data/a.csv", ImportMode::Full)
        .await
        .expect("ended jobs do not count");
}

#[tokio::test]
async fn incremental_needs_a_completed_full_import() {
    let s = setup().await;
    write(s.dir.path(), "a.csv", &rows(1000));
    let first = s
        .import("inc", "s3://data/a.csv", ImportMode::Incremental)
        .await;
    assert!(
        first.unwrap_err().starts_with("InvalidInputException"),
        "no bulk import yet"
    );
    s.import("full", "s3://data/a.csv", ImportMode::Full)
        .await
        .unwrap();
    let running = s
        .import("inc", "s3://data/a.csv", ImportMode::Incremental)
        .await;
    let refused = running.unwrap_err();
    assert!(
        refused.contains("you can only specify FULL"),
        "the FULL import has not completed: {refused}"
    );
    advance(&s.emu, CREATE);
    s.import("inc", "s3://data/a.csv", ImportMode::Incremental)
        .await
        .expect("after an ACTIVE FULL import");
}

#[tokio::test]
async fn a_dataset_is_not_deleted_while_its_import_runs() {
    let s = setup().await;
    write(s.dir.path(), "a.csv", &rows(1000));
    s.import("full", "s3://data/a.csv", ImportMode::Full)
        .await
        .unwrap();
    let delete = || s.client.delete_dataset().dataset_arn(&s.dataset).send();
    assert_eq!(code(delete().await), "ResourceInUseException");
    advance(&s.emu, CREATE);
    delete().await.expect("an ended import blocks nothing");
}

#[tokio::test]
async fn the_dataset_must_exist_and_be_active() {
    let s = setup().await;
    let source = DataSource::builder()
        .data_location("s3://data/a.csv")
        .build();
    let missing = s
        .client
        .create_dataset_import_job()
        .job_name("x")
        .dataset_arn(format!("{}-gone", s.dataset))
        .data_source(source)
        .send()
        .await;
    assert_eq!(code(missing), "ResourceNotFoundException");
}
