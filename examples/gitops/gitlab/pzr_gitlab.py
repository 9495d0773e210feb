#!/usr/bin/env python3
"""The GitLab side of pzr's pipeline (pzr.gitlab-ci.yml): one plan note per
merge request and spec, updated in place, and one drift issue per spec,
opened, updated and closed. Standard library only; tested by
test_pzr_gitlab.py on recorded API responses.

    pzr_gitlab.py note  SPEC MARKDOWN_FILE   # in a merge request pipeline
    pzr_gitlab.py drift SPEC EXITCODE MARKDOWN_FILE

Needs PZR_GITLAB_TOKEN (a project access token with the `api` scope) and
GitLab's CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, CI_JOB_URL.
"""
import json
import os
import sys
import urllib.parse
import urllib.request

BODY_LIMIT = 1_000_000  # GitLab's note limit; pzr's Markdown is far below it
DRIFT_LABEL = "pzr-drift"


def plan_marker(spec):
    return f"<!-- pzr-plan: {spec} -->"


def drift_marker(spec):
    return f"<!-- pzr-drift: {spec} -->"


class Api:
    """GitLab's REST API v4, through `urlopen` (replaced in tests)."""

    def __init__(self, base, project, token, urlopen=urllib.request.urlopen):
        self.base = f"{base}/projects/{urllib.parse.quote(str(project), safe='')}"
        self.token = token
        self.urlopen = urlopen

    def call(self, method, path, body=None, query=None):
        url = self.base + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("PRIVATE-TOKEN", self.token)
        req.add_header("Content-Type", "application/json")
        with self.urlopen(req) as resp:
            return json.loads(resp.read() or b"null")

    def all(self, path, query):
        """Every page of a list."""
        items, page = [], 1
        while True:
            batch = self.call("GET", path, query={**query, "per_page": 100, "page": page})
            items.extend(batch)
            if len(batch) < 100:
                return items
            page += 1


def upsert_note(api, mr, marker, body):
    notes = api.all(f"/merge_requests/{mr}/notes", {"sort": "asc"})
    mine = next((n for n in notes if marker in (n.get("body") or "")), None)
    if mine:
        api.call("PUT", f"/merge_requests/{mr}/notes/{mine['id']}", {"body": body})
        return ("updated", mine["id"])
    note = api.call("POST", f"/merge_requests/{mr}/notes", {"body": body})
    return ("created", note["id"])


def drift_issue(api, spec, exitcode, markdown, job_url):
    if exitcode not in (0, 2):
        raise SystemExit(f"pzr drift failed (exit {exitcode})")
    marker = drift_marker(spec)
    issues = api.all("/issues", {"state": "opened", "labels": DRIFT_LABEL})
    mine = next((i for i in issues if marker in (i.get("description") or "")), None)
    if exitcode == 0:
        if not mine:
            return ("none", None)
        iid = mine["iid"]
        api.call("POST", f"/issues/{iid}/notes", {"body": f"The account matches `{spec}` again ({job_url}). Closing."})
        api.call("PUT", f"/issues/{iid}", {"state_event": "close"})
        return ("closed", iid)
    description = f"{marker}\n{markdown}\n---\nlast checked by {job_url}\n"[:BODY_LIMIT]
    if mine:
        api.call("PUT", f"/issues/{mine['iid']}", {"description": description})
        return ("updated", mine["iid"])
    issue = api.call(
        "POST",
        "/issues",
        {"title": f"pzr drift: the account differs from {spec}", "description": description, "labels": DRIFT_LABEL},
    )
    return ("created", issue["iid"])


def main(argv):
    env = os.environ
    api = Api(env["CI_API_V4_URL"], env["CI_PROJECT_ID"], env["PZR_GITLAB_TOKEN"])
    if argv[1:2] == ["note"] and len(argv) == 4:
        spec, markdown = argv[2], open(argv[3], encoding="utf-8").read()
        body = f"{plan_marker(spec)}\n{markdown}\n---\nsaved plan: the artifacts of {env.get('CI_JOB_URL', 'this job')}\n"
        print(*upsert_note(api, env["CI_MERGE_REQUEST_IID"], plan_marker(spec), body[:BODY_LIMIT]))
    elif argv[1:2] == ["drift"] and len(argv) == 5:
        spec, code, markdown = argv[2], int(argv[3]), open(argv[4], encoding="utf-8").read()
        print(*drift_issue(api, spec, code, markdown, env.get("CI_JOB_URL", "")))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
