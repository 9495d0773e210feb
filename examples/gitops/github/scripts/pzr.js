// The GitHub side of pzr's workflows (pzr-plan.yml, pzr-apply.yml,
// pzr-drift.yml), for actions/github-script: one plan comment per pull
// request and spec, updated in place; the reviewed plan of a merged pull
// request; one drift issue per spec, opened, updated and closed.
// Tested by pzr.test.js (`node --test`) on recorded API responses.
'use strict';

// GitHub refuses a comment or issue body longer than this (characters).
const BODY_LIMIT = 65536;
const DRIFT_LABEL = 'pzr-drift';
const DESTROY_LABEL = 'pzr:allow-destroy';

// Hidden markers find the comment or issue pzr wrote before, one per spec.
const planMarker = (spec) => `<!-- pzr-plan: ${spec} -->`;
const driftMarker = (spec) => `<!-- pzr-drift: ${spec} -->`;

// Keeps `text` within GitHub's limit; pzr's Markdown already fits, so this
// only guards against an error message or a footer pushing it over.
function fit(text) {
  if (text.length <= BODY_LIMIT) return text;
  const note = '\n\n_…cut to fit a GitHub comment; the full plan is in the artifact._\n';
  return text.slice(0, BODY_LIMIT - note.length) + note;
}

function footer({ artifactUrl, runUrl, sha }) {
  const parts = [];
  if (sha) parts.push(`planned on ${sha.slice(0, 7)}`);
  if (artifactUrl) parts.push(`[saved plan](${artifactUrl}) (applied as is on merge)`);
  if (runUrl) parts.push(`[run](${runUrl})`);
  return parts.length ? `\n---\n<sub>${parts.join(' · ')}</sub>\n` : '';
}

// The pull request comment: pzr's Markdown plan, or the error that stopped it.
function planComment({ spec, markdown, error, artifactUrl, runUrl, sha }) {
  const body = error
    ? `### ❌ pzr plan failed for \`${spec}\`\n\n\`\`\`\n${error.trim()}\n\`\`\`\n`
    : markdown;
  return fit(`${planMarker(spec)}\n${body}${footer({ artifactUrl, runUrl, sha })}`);
}

// After a stale plan was refused on merge: a fresh plan, and how to apply it.
function stalePlanComment({ spec, markdown, runId, artifactUrl, runUrl }) {
  const head =
    '> [!IMPORTANT]\n> **The reviewed plan was not applied: it is stale** (the account or the spec ' +
    'changed since it was reviewed). Nothing was changed. Below is a fresh plan; once reviewed, ' +
    `apply it with **Actions → pzr apply → Run workflow**, run id \`${runId}\`.\n\n`;
  return fit(`${planMarker(spec)}\n${head}${markdown}${footer({ artifactUrl, runUrl })}`);
}

// Creates the comment holding `marker` on the issue or pull request, or
// updates the one there. Returns {action, id}.
async function upsertComment({ github, context, issueNumber, marker, body }) {
  const { owner, repo } = context.repo;
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner, repo, issue_number: issueNumber, per_page: 100,
  });
  const mine = comments.find((c) => typeof c.body === 'string' && c.body.includes(marker));
  if (mine) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
    return { action: 'updated', id: mine.id };
  }
  const { data } = await github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { action: 'created', id: data.id };
}

// The plan to apply: the run given by hand, or the last successful plan run
// on the head commit of the pull request merged as `context.sha`.
// Returns {runId, pr, allowDestroy}.
async function reviewedPlan({ github, context, workflow, runId, pr }) {
  const { owner, repo } = context.repo;
  let pull = null;
  if (pr) {
    ({ data: pull } = await github.rest.pulls.get({ owner, repo, pull_number: Number(pr) }));
  } else {
    const { data: pulls } = await github.rest.repos.listPullRequestsAssociatedWithCommit({
      owner, repo, commit_sha: context.sha,
    });
    pull = pulls.find((p) => p.merged_at && p.merge_commit_sha === context.sha) || null;
  }
  const allowDestroy = Boolean(pull && pull.labels.some((l) => l.name === DESTROY_LABEL));
  if (runId) return { runId: String(runId), pr: pull ? pull.number : null, allowDestroy };
  if (!pull) {
    throw new Error(
      `no merged pull request for ${context.sha}: pzr applies only reviewed plans; ` +
        'run this workflow by hand with the run id of a reviewed plan',
    );
  }
  const { data } = await github.rest.actions.listWorkflowRuns({
    owner, repo, workflow_id: workflow, head_sha: pull.head.sha, status: 'success', per_page: 20,
  });
  const runs = data.workflow_runs
    .filter((r) => r.event === 'pull_request')
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  if (!runs.length) {
    throw new Error(
      `no successful ${workflow} run on ${pull.head.sha.slice(0, 7)} (the head of #${pull.number}): ` +
        'nothing reviewed to apply',
    );
  }
  return { runId: String(runs[0].id), pr: pull.number, allowDestroy };
}

// `pzr drift` exit 2: open the drift issue or update it; exit 0: close it.
// Returns {action: 'created'|'updated'|'closed'|'none', number}.
async function driftIssue({ github, context, spec, exitcode, markdown, runUrl }) {
  if (exitcode !== 0 && exitcode !== 2) throw new Error(`pzr drift failed (exit ${exitcode})`);
  const { owner, repo } = context.repo;
  const marker = driftMarker(spec);
  const open = await github.paginate(github.rest.issues.listForRepo, {
    owner, repo, state: 'open', labels: DRIFT_LABEL, per_page: 100,
  });
  const mine = open.find((i) => !i.pull_request && typeof i.body === 'string' && i.body.includes(marker));
  if (exitcode === 0) {
    if (!mine) return { action: 'none', number: null };
    await github.rest.issues.createComment({
      owner, repo, issue_number: mine.number,
      body: `The account matches \`${spec}\` again ([run](${runUrl})). Closing.`,
    });
    await github.rest.issues.update({
      owner, repo, issue_number: mine.number, state: 'closed', state_reason: 'completed',
    });
    return { action: 'closed', number: mine.number };
  }
  const body = fit(`${marker}\n${markdown}\n---\n<sub>last checked by [this run](${runUrl})</sub>\n`);
  if (mine) {
    await github.rest.issues.update({ owner, repo, issue_number: mine.number, body });
    return { action: 'updated', number: mine.number };
  }
  const { data } = await github.rest.issues.create({
    owner, repo, title: `pzr drift: the account differs from ${spec}`, body, labels: [DRIFT_LABEL],
  });
  return { action: 'created', number: data.number };
}

module.exports = {
  BODY_LIMIT,
  planMarker,
  driftMarker,
  planComment,
  stalePlanComment,
  upsertComment,
  reviewedPlan,
  driftIssue,
};
