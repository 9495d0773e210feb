// Tests of pzr.js on recorded GitHub API responses (fixtures/): run with
// `node --test examples/gitops/github/scripts/`.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const pzr = require('./pzr.js');

const fixture = (name) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));

const context = {
  repo: { owner: 'acme', repo: 'recs' },
  sha: '7d1e5c0b9a4f3e2d1c0b9a8f7e6d5c4b3a291807',
};

// A github-script `github` that answers each endpoint with a recorded
// response (or a function of the request) and records every call.
function fakeGithub(responses) {
  const calls = [];
  const endpoint = (name) => async (params) => {
    calls.push({ name, params });
    if (!(name in responses)) throw new Error(`unexpected call: ${name}`);
    const r = responses[name];
    return { data: typeof r === 'function' ? r(params) : r };
  };
  const rest = {
    issues: Object.fromEntries(
      ['listComments', 'createComment', 'updateComment', 'listForRepo', 'create', 'update'].map(
        (m) => [m, endpoint(`issues.${m}`)],
      ),
    ),
    pulls: { get: endpoint('pulls.get') },
    repos: { listPullRequestsAssociatedWithCommit: endpoint('repos.listPullRequestsAssociatedWithCommit') },
    actions: { listWorkflowRuns: endpoint('actions.listWorkflowRuns') },
  };
  const paginate = async (fn, params) => (await fn(params)).data;
  return { rest, paginate, calls, writes: () => calls.filter((c) => !/\.(list|get)/.test(c.name)) };
}

test('the plan comment of the spec is updated in place, not another spec\'s', async () => {
  const github = fakeGithub({ 'issues.listComments': fixture('comments.json'), 'issues.updateComment': {} });
  const body = pzr.planComment({ spec: 'pzr.yaml', markdown: '### plan\n' });
  const result = await pzr.upsertComment({
    github, context, issueNumber: 42, marker: pzr.planMarker('pzr.yaml'), body,
  });
  assert.deepEqual(result, { action: 'updated', id: 1981000003 });
  assert.deepEqual(github.writes(), [
    { name: 'issues.updateComment', params: { owner: 'acme', repo: 'recs', comment_id: 1981000003, body } },
  ]);
});

test('a pull request without a plan comment gets one', async () => {
  const comments = fixture('comments.json').filter((c) => !c.body.includes('pzr-plan: pzr.yaml'));
  const github = fakeGithub({ 'issues.listComments': comments, 'issues.createComment': { id: 1981000099 } });
  const result = await pzr.upsertComment({
    github, context, issueNumber: 42, marker: pzr.planMarker('pzr.yaml'), body: 'x',
  });
  assert.deepEqual(result, { action: 'created', id: 1981000099 });
  assert.equal(github.writes()[0].params.issue_number, 42);
});

test('the comment holds its marker, the plan and a footer, and fits GitHub\'s limit', () => {
  const body = pzr.planComment({
    spec: 'pzr.yaml', markdown: '### 📝 pzr plan\n', sha: 'c3b1a0f9e8d7', artifactUrl: 'https://a/1', runUrl: 'https://r/1',
  });
  assert.ok(body.startsWith('<!-- pzr-plan: pzr.yaml -->\n### 📝 pzr plan\n'), body);
  assert.match(body, /planned on c3b1a0f · \[saved plan\]\(https:\/\/a\/1\)/);
  const failed = pzr.planComment({ spec: 'pzr.yaml', markdown: '', error: 'error: no usable AWS credentials\n' });
  assert.match(failed, /pzr plan failed[\s\S]*```\nerror: no usable AWS credentials\n```/);
  const huge = pzr.planComment({ spec: 'pzr.yaml', markdown: 'x'.repeat(70000) });
  assert.equal(huge.length, pzr.BODY_LIMIT);
  assert.match(huge, /full plan is in the artifact/);
});

test('a stale plan\'s comment says nothing was applied and how to apply the fresh plan', () => {
  const body = pzr.stalePlanComment({ spec: 'pzr.yaml', markdown: '### fresh\n', runId: 8123000404 });
  assert.ok(body.startsWith(pzr.planMarker('pzr.yaml')));
  assert.match(body, /stale[\s\S]*Nothing was changed[\s\S]*run id `8123000404`[\s\S]*### fresh/);
});

test('the reviewed plan is the newest successful pull-request run on the merged head', async () => {
  const github = fakeGithub({
    'repos.listPullRequestsAssociatedWithCommit': fixture('pulls-of-commit.json'),
    'actions.listWorkflowRuns': fixture('workflow-runs.json'),
  });
  const found = await pzr.reviewedPlan({ github, context, workflow: 'pzr-plan.yml' });
  assert.deepEqual(found, { runId: '8123000202', pr: 42, allowDestroy: true });
  const runs = github.calls.find((c) => c.name === 'actions.listWorkflowRuns').params;
  assert.equal(runs.head_sha, 'c3b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3');
  assert.equal(runs.status, 'success');
});

test('a push that no pull request merged has no reviewed plan', async () => {
  const github = fakeGithub({ 'repos.listPullRequestsAssociatedWithCommit': [] });
  await assert.rejects(pzr.reviewedPlan({ github, context, workflow: 'pzr-plan.yml' }), /no merged pull request/);
  const unlabelled = fixture('pulls-of-commit.json').map((p) => ({ ...p, labels: [] }));
  const none = fakeGithub({
    'repos.listPullRequestsAssociatedWithCommit': unlabelled,
    'actions.listWorkflowRuns': { total_count: 0, workflow_runs: [] },
  });
  await assert.rejects(pzr.reviewedPlan({ github: none, context, workflow: 'pzr-plan.yml' }), /nothing reviewed/);
});

test('a run given by hand is applied, its pull request reported on', async () => {
  const github = fakeGithub({ 'pulls.get': fixture('pulls-of-commit.json')[0] });
  const found = await pzr.reviewedPlan({ github, context, workflow: 'pzr-plan.yml', runId: '8123000404', pr: '42' });
  assert.deepEqual(found, { runId: '8123000404', pr: 42, allowDestroy: true });
});

test('drift updates the open drift issue, skipping a pull request that quotes its marker', async () => {
  const github = fakeGithub({ 'issues.listForRepo': fixture('open-issues.json'), 'issues.update': {} });
  const result = await pzr.driftIssue({ github, context, spec: 'pzr.yaml', exitcode: 2, markdown: '### drift\n', runUrl: 'https://r/2' });
  assert.deepEqual(result, { action: 'updated', number: 31 });
  const [write] = github.writes();
  assert.equal(write.params.issue_number, 31);
  assert.ok(write.params.body.startsWith('<!-- pzr-drift: pzr.yaml -->\n### drift\n'));
  assert.equal(github.calls[0].params.labels, 'pzr-drift');
});

test('drift with no open issue opens one, labelled', async () => {
  const github = fakeGithub({ 'issues.listForRepo': [fixture('open-issues.json')[0]], 'issues.create': { number: 32 } });
  const result = await pzr.driftIssue({ github, context, spec: 'pzr.yaml', exitcode: 2, markdown: 'd', runUrl: 'u' });
  assert.deepEqual(result, { action: 'created', number: 32 });
  assert.deepEqual(github.writes()[0].params.labels, ['pzr-drift']);
});

test('in sync again closes the drift issue with a comment; with none open nothing is written', async () => {
  const github = fakeGithub({ 'issues.listForRepo': fixture('open-issues.json'), 'issues.createComment': {}, 'issues.update': {} });
  const result = await pzr.driftIssue({ github, context, spec: 'pzr.yaml', exitcode: 0, markdown: '', runUrl: 'https://r/3' });
  assert.deepEqual(result, { action: 'closed', number: 31 });
  assert.deepEqual(github.writes().map((c) => c.name), ['issues.createComment', 'issues.update']);
  assert.equal(github.writes()[1].params.state, 'closed');
  const quiet = fakeGithub({ 'issues.listForRepo': [] });
  assert.deepEqual(await pzr.driftIssue({ github: quiet, context, spec: 'pzr.yaml', exitcode: 0, markdown: '', runUrl: '' }), { action: 'none', number: null });
  assert.deepEqual(quiet.writes(), []);
});

test('a failed drift run touches no issue', async () => {
  const github = fakeGithub({});
  await assert.rejects(pzr.driftIssue({ github, context, spec: 'pzr.yaml', exitcode: 1, markdown: '', runUrl: '' }), /exit 1/);
  assert.deepEqual(github.calls, []);
});
