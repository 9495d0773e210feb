//! What the command line says when something goes wrong: each failure a
//! user meets says what happened and what to do, on one error line, with
//! no log lines of the SDK's around it; and `-v`/`-vv` show each AWS call
//! without a credential in sight.

use std::net::SocketAddr;
use std::process::Output;

use personalize_emulator::EmulatorConfig;

use crate::support::env::{fast, Env, Run};
use crate::support::files::repo;

/// `pzr args...` with the given environment only (no AWS setup of the host),
/// calls not retried: a dead endpoint fails at once.
fn pzr_bare(args: &[&str], envs: &[(&str, &str)]) -> Run {
    let home = tempfile::tempdir().expect("temp dir");
    let out: Output = std::process::Command::new(env!("CARGO_BIN_EXE_pzr"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("NO_COLOR", "1")
        .envs(envs.iter().copied())
        .output()
        .expect("pzr runs");
    Run::from(out)
}

const KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
];

fn retail() -> String {
    repo("examples/retail.yaml").display().to_string()
}

/// The one error line, and nothing of the SDK's own logging before it.
fn error_line(run: &Run) -> &str {
    assert!(
        run.stderr.starts_with("error: "),
        "the error comes first, no log lines before it:\n{}",
        run.stderr
    );
    run.stderr.lines().next().unwrap_or_default()
}

#[test]
fn missing_credentials_say_where_to_put_them_without_the_sdks_log() {
    let run = pzr_bare(
        &[
            "--endpoint-url",
            "http://127.0.0.1:9",
            "plan",
            "-f",
            &retail(),
        ],
        &[("AWS_REGION", "us-east-1")],
    )
    .expect(1);
    let line = error_line(&run);
    for says in [
        "no usable AWS credentials",
        "AWS_ACCESS_KEY_ID",
        "--profile",
        "OIDC",
        "--sandbox",
    ] {
        assert!(line.contains(says), "{says:?} in {line}");
    }
    for noise in ["WARN", "ProviderError", "provider="] {
        assert!(!run.stderr.contains(noise), "{noise:?} in\n{}", run.stderr);
    }
}

#[test]
fn an_unknown_region_names_the_endpoint_and_the_regions_personalize_has() {
    let run = pzr_bare(&["--region", "us-moon-1", "plan", "-f", &retail()], &KEYS).expect(1);
    let line = error_line(&run);
    for says in [
        "https://personalize.us-moon-1.amazonaws.com",
        "not offered in region `us-moon-1`",
        "--region",
        "eu-west-1",
    ] {
        assert!(line.contains(says), "{says:?} in {line}");
    }
    let json = pzr_bare(
        &[
            "--region",
            "us-moon-1",
            "plan",
            "-f",
            &retail(),
            "--format",
            "json",
        ],
        &KEYS,
    )
    .expect(1)
    .json();
    assert_eq!(json["error"]["code"], "UNKNOWN_REGION", "{json}");
}

#[test]
fn an_unreachable_endpoint_names_it_its_region_and_what_to_check() {
    // A port nothing listens on: connection refused.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", dead.local_addr().expect("addr"));
    drop(dead);
    let run = pzr_bare(&["--endpoint-url", &url, "plan", "-f", &retail()], &KEYS).expect(1);
    let line = error_line(&run);
    for says in [
        format!("cannot reach the Personalize endpoint {url}"),
        "region `us-east-1`".to_string(),
        "HTTPS_PROXY".to_string(),
        "--endpoint-url".to_string(),
    ] {
        assert!(line.contains(&says), "{says:?} in {line}");
    }
    assert!(
        run.stderr.contains("caused by: List") && run.stderr.contains("Connection refused"),
        "{}",
        run.stderr
    );
}

/// Answers every request as Personalize does when IAM denies it
/// (https://docs.aws.amazon.com/personalize/latest/dg/CommonErrors.html:
/// AccessDeniedException, HTTP 400), with IAM's wording of the message
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
async fn denying_endpoint() -> SocketAddr {
    let app = axum::Router::new().fallback(|| async {
        (
            axum::http::StatusCode::BAD_REQUEST,
            [("content-type", "application/x-amz-json-1.1")],
            r#"{"__type":"AccessDeniedException","message":"User: arn:aws:sts::111122223333:assumed-role/pzr-ci/GitHubActions is not authorized to perform: personalize:ListDatasetGroups on resource: arn:aws:personalize:us-east-1:111122223333:dataset-group/* because no identity-based policy allows the personalize:ListDatasetGroups action"}"#,
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_names_the_iam_action_to_grant() {
    let addr = denying_endpoint().await;
    let url = format!("http://{addr}");
    let spec = retail();
    let run = tokio::task::spawn_blocking(move || {
        pzr_bare(
            &[
                "--endpoint-url",
                &url,
                "plan",
                "-f",
                &spec,
                "--format",
                "json",
            ],
            &KEYS,
        )
    })
    .await
    .expect("pzr ran")
    .expect(1);
    let json = run.json();
    assert_eq!(json["error"]["code"], "ACCESS_DENIED", "{json}");
    let message = json["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`personalize:ListDatasetGroups`")
            && message.contains("examples/gitops/iam-policy.json"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_quota_exceeded_says_which_limits_it_may_be_and_what_to_do() {
    let env = Env::with(EmulatorConfig {
        max_dataset_groups: 0,
        ..fast()
    })
    .await;
    let run = env
        .pzr(&["apply", "-f", "retail.yaml", "--auto-approve"])
        .await
        .expect(1);
    for says in [
        "LimitExceededException",
        "still refused after",
        "Service Quotas",
        "--parallelism",
    ] {
        assert!(run.stderr.contains(says), "{says:?} in\n{}", run.stderr);
    }
}

/// The retail example applied, without `protect: true` when `protect` is false.
async fn applied_retail(protect: bool) -> Env {
    let env = Env::new().await;
    if !protect {
        env.write("retail.yaml", &env.retail_unprotected());
    }
    env.pzr(&["apply", "-f", "retail.yaml", "--auto-approve"])
        .await
        .expect(0);
    env
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_plan_says_to_plan_again() {
    let env = applied_retail(true).await;
    let text = std::fs::read_to_string(env.path("retail.yaml")).expect("spec");
    env.write("retail.yaml", &text.replace("team: growth", "team: search"));
    env.pzr(&["plan", "-f", "retail.yaml", "-o", "plan.json"])
        .await
        .expect(0);
    env.write("retail.yaml", &text.replace("team: growth", "team: other"));
    let run = env
        .pzr(&["apply", "plan.json", "-f", "retail.yaml", "--auto-approve"])
        .await
        .expect(1);
    let line = error_line(&run);
    assert!(
        line.contains("plan is stale") && line.contains("`pzr plan -o PLAN.json` again"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_protected_resource_says_how_to_unprotect_it() {
    let env = applied_retail(true).await;
    let text = std::fs::read_to_string(env.path("retail.yaml")).expect("spec");
    env.write("retail.yaml", &text.replace("key/1234abcd", "key/9999abcd"));
    let run = env.pzr(&["plan", "-f", "retail.yaml"]).await.expect(1);
    assert!(
        run.stderr.contains(
            "error: the plan deletes or replaces protected resources: datasetGroup.retail-prod"
        ) && run.stderr.contains("remove `protect: true` first"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blocked_delete_names_the_blocker_and_offers_cascade() {
    let env = applied_retail(false).await;
    let group = crate::support::account::group_arn(&env.client, "retail-prod")
        .await
        .expect("group");
    env.client
        .create_filter()
        .name("hand-made-filter")
        .dataset_group_arn(&group)
        .filter_expression("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")")
        .send()
        .await
        .expect("create filter");
    env.write("empty.yaml", "version: 1\nstack: retail-prod\n");
    let run = env
        .pzr(&[
            "apply",
            "-f",
            "empty.yaml",
            "--auto-approve",
            "--allow-destroy",
        ])
        .await
        .expect(1);
    assert!(
        run.stderr.contains("error: apply refuses blocked changes")
            && run.stderr.contains("hand-made-filter")
            && run
                .stderr
                .contains("delete those resources first, or re-run with --cascade"),
        "{}",
        run.stderr
    );
}

/// A marker no log line may show: `-vv` and `RUST_LOG=trace` print the
/// calls, never the secret key or the session token.
#[tokio::test(flavor = "multi_thread")]
async fn verbose_logs_show_each_call_and_never_a_secret() {
    const SECRET: &str = "SECRETMARKERq8Zk3";
    const TOKEN: &str = "SESSIONTOKENMARKERx7Yw2";
    let env = Env::new().await;
    let run_with = |args: &'static [&'static str], rust_log: Option<&'static str>| {
        let mut cmd = env.command(args);
        cmd.env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_SESSION_TOKEN", TOKEN);
        match rust_log {
            Some(filter) => cmd.env("RUST_LOG", filter),
            None => cmd.env_remove("RUST_LOG"),
        };
        async move { Run::from(cmd.output().await.expect("pzr runs")) }
    };
    let quiet = run_with(&["plan", "-f", "retail.yaml"], None)
        .await
        .expect(0);
    assert_eq!(quiet.stderr, "", "no log lines by default");
    let verbose = run_with(&["-v", "plan", "-f", "retail.yaml"], None)
        .await
        .expect(0);
    assert!(
        verbose
            .stderr
            .lines()
            .any(|l| l.contains("ListDatasetGroups: ok in") && l.ends_with(" 0 retries")),
        "{}",
        verbose.stderr
    );
    for run in [
        verbose,
        run_with(&["-vv", "plan", "-f", "retail.yaml"], None)
            .await
            .expect(0),
        run_with(&["plan", "-f", "retail.yaml"], Some("trace"))
            .await
            .expect(0),
    ] {
        assert!(run.stderr.contains("ListSchemas"), "{}", run.stderr);
        for secret in [SECRET, TOKEN] {
            assert!(
                !run.stderr.contains(secret) && !run.stdout.contains(secret),
                "{secret} printed"
            );
        }
        assert!(!run.stderr.contains("Signature="), "a signature printed");
    }
}

/// Every subcommand's `--help` ends with examples of it.
#[test]
fn every_help_ends_with_examples() {
    use clap::CommandFactory;
    let cli = pzr::cli::Cli::command();
    let mut names: Vec<Vec<&str>> = vec![vec![]];
    names.extend(
        cli.get_subcommands()
            .map(|c| vec![c.get_name()])
            .filter(|n| n != &["help"]),
    );
    for name in names {
        let mut args = name.clone();
        args.push("--help");
        let run = pzr_bare(&args, &[]).expect(0);
        let (_, examples) = run
            .stdout
            .rsplit_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("pzr {name:?} --help has no examples:\n{}", run.stdout));
        let lines: Vec<&str> = examples.lines().collect();
        assert!(!lines.is_empty(), "{name:?}");
        for line in lines {
            let command = line.trim_start();
            assert!(
                command.starts_with("pzr ") || command.contains(" pzr "),
                "pzr {name:?} --help: {line:?} is not an example"
            );
        }
    }
}
