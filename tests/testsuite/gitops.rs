//! The CI recipes of `examples/gitops/` cannot rot: every `pzr ...` line of
//! the GitHub workflows and the GitLab pipeline runs here, as the job's
//! shell would run it (its `env:`/`variables:` set, GitHub's files stubbed),
//! against the emulator, through the whole story: plan on a pull request,
//! apply the reviewed plan on merge, a stale plan refused then planned
//! again, the `--auto-approve` alternative, drift. And the scripts that
//! write the comments and issues pass their own tests on recorded API
//! responses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clap::Parser;
use serde_yaml::Value;

use crate::support::account::{group_arn, tag};
use crate::support::env::{assert_converged, Env};
use crate::support::files::repo;

/// One `pzr` line of a recipe, with the environment its job gives it.
#[derive(Debug, Clone)]
struct Line {
    file: String,
    text: String,
    env: BTreeMap<String, String>,
}

/// Values of a YAML `env:`/`variables:` mapping. Expressions (`${{ ... }}`)
/// are GitHub's to evaluate: here they are empty, as an unset input is.
fn env_of(value: Option<&Value>) -> BTreeMap<String, String> {
    let Some(Value::Mapping(map)) = value else {
        return BTreeMap::new();
    };
    map.iter()
        .filter_map(|(k, v)| {
            let v = match v {
                Value::String(s) if s.contains("${{") => String::new(),
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.as_str()?.to_string(), v))
        })
        .collect()
}

/// The lines of a script that run pzr (comments aside).
fn pzr_lines(script: &str) -> impl Iterator<Item = &str> {
    script.lines().map(str::trim).filter(|l| {
        !l.starts_with('#') && (l.starts_with("pzr ") || l.contains(" pzr ") || l.contains(";pzr "))
    })
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `pzr` line of a GitHub workflow, with workflow, job and step `env:`.
fn github_lines(path: &Path) -> Vec<Line> {
    let doc = load(path);
    let mut out = Vec::new();
    let Some(Value::Mapping(jobs)) = doc.get("jobs") else {
        return out;
    };
    for job in jobs.values() {
        let steps = job.get("steps").and_then(Value::as_sequence);
        for step in steps.into_iter().flatten() {
            let Some(script) = step.get("run").and_then(Value::as_str) else {
                continue;
            };
            let mut env = env_of(doc.get("env"));
            env.extend(env_of(job.get("env")));
            env.extend(env_of(step.get("env")));
            for text in pzr_lines(script) {
                out.push(Line {
                    file: path.display().to_string(),
                    text: text.to_string(),
                    env: env.clone(),
                });
            }
        }
    }
    out
}

/// Every `pzr` line of a GitLab pipeline, with its global and job `variables:`.
fn gitlab_lines(path: &Path) -> Vec<Line> {
    let doc = load(path);
    let mut out = Vec::new();
    let Value::Mapping(top) = &doc else {
        return out;
    };
    for job in top.values() {
        for key in ["before_script", "script"] {
            for item in job
                .get(key)
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
            {
                let mut env = env_of(doc.get("variables"));
                env.extend(env_of(job.get("variables")));
                for text in pzr_lines(item.as_str().unwrap_or_default()) {
                    out.push(Line {
                        file: path.display().to_string(),
                        text: text.to_string(),
                        env: env.clone(),
                    });
                }
            }
        }
    }
    out
}

fn recipe(name: &str) -> PathBuf {
    repo("examples/gitops").join(name)
}

/// Runs recipe lines in one test directory, `pzr` behind a wrapper that
/// records each call's arguments and exit code.
struct Runner {
    env: Env,
    calls: PathBuf,
    bin: PathBuf,
    ran: BTreeSet<String>,
}

/// One recorded `pzr` call.
#[derive(Debug)]
struct Call {
    code: i32,
    args: Vec<String>,
}

impl Runner {
    async fn new() -> Runner {
        let env = Env::new().await;
        // The recipes plan `pzr.yaml`: the retail example is it.
        let retail = std::fs::read_to_string(env.path("retail.yaml")).expect("example");
        env.write("pzr.yaml", &retail);
        let bin = env.path("ci-bin");
        let wrapper = "#!/bin/sh\n\"$PZR_REAL\" \"$@\"\ncode=$?\n\
             { printf '%s' \"$code\"; for a in \"$@\"; do printf '\\037%s' \"$a\"; done; printf '\\n'; } >> \"$PZR_CALLS\"\n\
             exit $code\n";
        let path = env.write("ci-bin/pzr", wrapper);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let calls = env.path("pzr-calls.log");
        Runner {
            env,
            calls,
            bin,
            ran: BTreeSet::new(),
        }
    }

    /// Runs `line` as its job's shell would; returns the pzr calls it made.
    async fn run(&mut self, line: &Line) -> Vec<Call> {
        let _ = std::fs::remove_file(&self.calls);
        let mut cmd = self.env.shell(&line.text);
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        cmd.envs(&line.env)
            .env("PATH", path)
            .env("PZR_REAL", env!("CARGO_BIN_EXE_pzr"))
            .env("PZR_CALLS", &self.calls)
            // What GitHub's runner provides.
            .env("GITHUB_OUTPUT", self.env.path("github-output"))
            .env("GITHUB_ENV", self.env.path("github-env"))
            .env("GITHUB_STEP_SUMMARY", self.env.path("github-summary"))
            .env("RUNNER_TEMP", self.env.dir.path());
        let out = cmd.output().await.expect("bash runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let log = std::fs::read_to_string(&self.calls).unwrap_or_default();
        let calls: Vec<Call> = log
            .lines()
            .map(|l| {
                let mut parts = l.split('\u{1f}');
                let code = parts.next().and_then(|c| c.parse().ok()).unwrap_or(-1);
                Call {
                    code,
                    args: parts.map(str::to_string).collect(),
                }
            })
            .collect();
        assert!(
            !calls.is_empty(),
            "{}: `{}` ran no pzr:\n{stderr}",
            line.file,
            line.text
        );
        for call in &calls {
            let argv = std::iter::once("pzr".to_string()).chain(call.args.iter().cloned());
            if let Err(e) = pzr::cli::Cli::try_parse_from(argv) {
                panic!("{}: `{}`: {e}", line.file, line.text);
            }
        }
        self.ran.insert(line.text.clone());
        calls
    }

    /// Runs `line`, expecting one pzr call ending with `code`.
    async fn expect(&mut self, line: &Line, code: i32) {
        let calls = self.run(line).await;
        let codes: Vec<i32> = calls.iter().map(|c| c.code).collect();
        let err = ["plan.err", "apply.err"]
            .map(|f| std::fs::read_to_string(self.env.path(f)).unwrap_or_default())
            .join("\n");
        assert_eq!(codes, [code], "{}: `{}`\n{err}", line.file, line.text);
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.env.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

/// The one line of `lines` containing `needle`.
fn find<'a>(lines: &'a [Line], needle: &str) -> &'a Line {
    let found: Vec<&Line> = lines.iter().filter(|l| l.text.contains(needle)).collect();
    assert_eq!(found.len(), 1, "one line with {needle:?}: {lines:#?}");
    found[0]
}

#[tokio::test(flavor = "multi_thread")]
async fn every_pzr_line_of_the_github_workflows_runs_against_the_emulator() {
    let plan_wf = github_lines(&recipe("github/workflows/pzr-plan.yml"));
    let apply_wf = github_lines(&recipe("github/workflows/pzr-apply.yml"));
    let drift_wf = github_lines(&recipe("github/workflows/pzr-drift.yml"));
    let all: Vec<&Line> = plan_wf.iter().chain(&apply_wf).chain(&drift_wf).collect();
    assert!(all.len() >= 6, "{all:#?}");
    for line in &all {
        assert!(
            !line.text.contains("${{"),
            "{}: `{}`: pass expressions through env:, not into the shell",
            line.file,
            line.text
        );
    }
    let mut r = Runner::new().await;

    // A pull request: validate, plan (exit 2: changes), the comment's Markdown.
    r.expect(find(&plan_wf, "pzr validate"), 0).await;
    r.expect(find(&plan_wf, "pzr plan"), 2).await;
    let comment = r.read("plan.md");
    assert!(
        comment.starts_with("### ") && comment.contains("15 to create"),
        "{comment}"
    );
    // Merged: the reviewed plan is applied exactly.
    let reviewed = find(&apply_wf, "pzr apply plan.json");
    r.expect(reviewed, 0).await;
    assert_converged(&r.env, "pzr.yaml").await;
    r.expect(find(&drift_wf, "pzr drift"), 0).await;
    assert!(r.read("drift.md").contains("in sync"));

    // A reviewed plan the account moved under is refused, as the workflow
    // detects it (`grep "plan is stale"`), then planned again.
    r.expect(find(&plan_wf, "pzr plan"), 0).await;
    let group = group_arn(&r.env.client, "retail-prod")
        .await
        .expect("group");
    r.env
        .client
        .tag_resource()
        .resource_arn(&group)
        .tags(tag("owner", "someone-else"))
        .send()
        .await
        .expect("tag");
    r.expect(reviewed, 1).await;
    assert!(r.read("apply.err").contains("plan is stale"));
    r.expect(find(&apply_wf, "pzr plan"), 2).await;
    // Drift sees it too, then the --auto-approve alternative puts it right.
    r.expect(find(&drift_wf, "pzr drift"), 2).await;
    r.expect(find(&apply_wf, "pzr apply -f"), 0).await;
    assert_converged(&r.env, "pzr.yaml").await;

    let not_run: Vec<&str> = all
        .iter()
        .map(|l| l.text.as_str())
        .filter(|t| !r.ran.contains(*t))
        .collect();
    assert!(not_run.is_empty(), "lines never run: {not_run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_pzr_line_of_the_gitlab_pipeline_runs_against_the_emulator() {
    let lines = gitlab_lines(&recipe("gitlab/pzr.gitlab-ci.yml"));
    let mut r = Runner::new().await;
    r.expect(find(&lines, "pzr validate"), 0).await;
    // `|| code=$?` keeps the shell going on exit 2: the call's own code is 2.
    r.expect(find(&lines, "pzr plan"), 2).await;
    r.expect(find(&lines, "pzr apply plan.json"), 0).await;
    assert_converged(&r.env, "pzr.yaml").await;
    r.expect(find(&lines, "pzr drift"), 0).await;
    assert_eq!(r.ran.len(), lines.len(), "{lines:#?}");
}

/// Runs a recipe's script tests with `program`; without it, they are
/// skipped outside CI and fail under CI.
fn script_tests(program: &str, args: &[&str], dir: &Path, passed: &str) {
    let out = match std::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
    {
        Ok(out) => out,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: {program} is not available ({e})");
            return;
        }
        Err(e) => panic!("{program} is needed under CI: {e}"),
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{program} {args:?}:\n{text}");
    assert!(text.contains(passed), "{program} {args:?}:\n{text}");
}

#[test]
fn the_github_scripts_pass_their_tests_on_recorded_responses() {
    script_tests(
        "node",
        &["--test", "pzr.test.js"],
        &recipe("github/scripts"),
        "# fail 0",
    );
}

#[test]
fn the_gitlab_script_passes_its_tests_on_recorded_responses() {
    script_tests(
        "python3",
        &["-m", "unittest", "discover", "-s", "."],
        &recipe("gitlab"),
        "OK",
    );
}

/// The `personalize:*` actions (and other actions) of a policy document.
fn policy_actions(name: &str) -> (BTreeSet<String>, serde_json::Value) {
    let text = std::fs::read_to_string(recipe(name)).expect("policy");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut actions = BTreeSet::new();
    for statement in doc["Statement"].as_array().expect("statements") {
        match &statement["Action"] {
            serde_json::Value::String(a) => {
                actions.insert(a.clone());
            }
            serde_json::Value::Array(list) => {
                actions.extend(list.iter().filter_map(|a| a.as_str().map(str::to_string)));
            }
            other => panic!("{name}: Action {other}"),
        }
    }
    (actions, doc)
}

/// The least-privilege policy grants exactly the Personalize operations pzr
/// calls: every operation name of botocore's model that `src/live` (the only
/// code calling Personalize) names; and `iam:PassRole` only for the roles
/// of the spec it is written for, only to Personalize.
#[test]
fn the_iam_policy_grants_exactly_what_pzr_calls() {
    let model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo(
            "crates/personalize-facts/botocore/personalize-2018-05-22.json",
        ))
        .expect("model"),
    )
    .expect("JSON");
    let operations = model["operations"].as_object().expect("operations");
    let literal = regex::Regex::new(r#""([A-Z][A-Za-z]+)""#).expect("regex");
    let mut called = BTreeSet::new();
    let mut dirs = vec![repo("src/live")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/live") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            for m in literal.captures_iter(&text) {
                if operations.contains_key(&m[1]) {
                    called.insert(format!("personalize:{}", &m[1]));
                }
            }
        }
    }
    assert!(called.len() >= 30, "{called:?}");
    let (granted, policy) = policy_actions("iam-policy.json");
    let personalize: BTreeSet<String> = granted
        .iter()
        .filter(|a| a.starts_with("personalize:"))
        .cloned()
        .collect();
    assert_eq!(
        personalize, called,
        "iam-policy.json vs the calls of src/live"
    );

    // Listing the imports' objects, to see whether they changed: the one
    // S3 call pzr makes (Personalize reads the data with the import's role).
    let s3 = |granted: &BTreeSet<String>| {
        granted
            .iter()
            .filter(|a| a.starts_with("s3:"))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(s3(&granted), ["s3:ListBucket"]);
    let (readonly, _) = policy_actions("iam-policy-readonly.json");
    assert_eq!(s3(&readonly), ["s3:ListBucket"]);
    let readonly: BTreeSet<String> = readonly
        .into_iter()
        .filter(|a| a.starts_with("personalize:"))
        .collect();
    for action in &readonly {
        let op = action.trim_start_matches("personalize:");
        assert!(
            called.contains(action) && (op.starts_with("Describe") || op.starts_with("List")),
            "iam-policy-readonly.json: {action}"
        );
    }
    let reads = called
        .iter()
        .filter(|a| a.contains(":Describe") || a.contains(":List"));
    assert_eq!(
        readonly,
        reads.cloned().collect(),
        "plan and drift only read"
    );

    let spec = std::fs::read_to_string(repo("examples/retail.yaml")).expect("spec");
    let roles: BTreeSet<String> = spec
        .lines()
        .filter_map(|l| l.trim().strip_prefix("roleArn: "))
        .map(str::to_string)
        .collect();
    let pass = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| s["Action"] == "iam:PassRole")
        .expect("a PassRole statement");
    let resources: BTreeSet<String> = pass["Resource"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    assert_eq!(resources, roles, "PassRole: the spec's roles, no wildcard");
    assert_eq!(
        pass["Condition"]["StringEquals"]["iam:PassedToService"],
        "personalize.amazonaws.com"
    );
    assert_eq!(granted.len(), called.len() + 2, "nothing else: {granted:?}");
}
