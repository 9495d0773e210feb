"""Tests of pzr_gitlab.py on recorded GitLab API responses (fixtures/,
shaped as GitLab's REST reference documents them:
https://docs.gitlab.com/ee/api/notes.html, https://docs.gitlab.com/ee/api/issues.html).
Run: python3 -m unittest discover -s examples/gitops/gitlab"""
import io
import json
import pathlib
import unittest

import pzr_gitlab

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


class Recorded:
    """A `urlopen` answering each (method, path) with a recorded response."""

    def __init__(self, answers):
        self.answers, self.calls = answers, []

    def __call__(self, req):
        path = req.full_url.split("/projects/acme%2Frecs", 1)[1].split("?", 1)[0]
        body = json.loads(req.data) if req.data else None
        self.calls.append((req.get_method(), path, body))
        assert req.get_header("Private-token") == "glpat-test"
        answer = self.answers[(req.get_method(), path)]
        return io.BytesIO(json.dumps(answer).encode())

    def writes(self):
        return [c for c in self.calls if c[0] != "GET"]


def api(answers):
    opener = Recorded(answers)
    return pzr_gitlab.Api("https://gitlab.example.com/api/v4", "acme/recs", "glpat-test", opener), opener


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


class NoteTest(unittest.TestCase):
    def test_the_specs_note_is_updated_in_place(self):
        a, rec = api({("GET", "/merge_requests/7/notes"): fixture("mr-notes.json"), ("PUT", "/merge_requests/7/notes/302"): {}})
        self.assertEqual(pzr_gitlab.upsert_note(a, "7", pzr_gitlab.plan_marker("pzr.yaml"), "new"), ("updated", 302))
        self.assertEqual(rec.writes(), [("PUT", "/merge_requests/7/notes/302", {"body": "new"})])

    def test_a_merge_request_without_one_gets_one(self):
        a, rec = api({("GET", "/merge_requests/7/notes"): fixture("mr-notes.json")[:1], ("POST", "/merge_requests/7/notes"): {"id": 309}})
        self.assertEqual(pzr_gitlab.upsert_note(a, "7", pzr_gitlab.plan_marker("pzr.yaml"), "b"), ("created", 309))


class DriftTest(unittest.TestCase):
    def test_drift_updates_the_open_issue(self):
        a, rec = api({("GET", "/issues"): fixture("open-issues.json"), ("PUT", "/issues/12"): {}})
        self.assertEqual(pzr_gitlab.drift_issue(a, "pzr.yaml", 2, "### drift", "https://job"), ("updated", 12))
        self.assertTrue(rec.writes()[0][2]["description"].startswith("<!-- pzr-drift: pzr.yaml -->\n### drift"))

    def test_drift_with_none_open_opens_one(self):
        a, rec = api({("GET", "/issues"): [], ("POST", "/issues"): {"iid": 13}})
        self.assertEqual(pzr_gitlab.drift_issue(a, "pzr.yaml", 2, "d", "j"), ("created", 13))
        self.assertEqual(rec.writes()[0][2]["labels"], "pzr-drift")

    def test_in_sync_closes_it(self):
        a, rec = api({("GET", "/issues"): fixture("open-issues.json"), ("POST", "/issues/12/notes"): {}, ("PUT", "/issues/12"): {}})
        self.assertEqual(pzr_gitlab.drift_issue(a, "pzr.yaml", 0, "", "j"), ("closed", 12))
        self.assertEqual(rec.writes()[1], ("PUT", "/issues/12", {"state_event": "close"}))

    def test_a_failed_drift_touches_nothing(self):
        a, rec = api({})
        with self.assertRaises(SystemExit):
            pzr_gitlab.drift_issue(a, "pzr.yaml", 1, "", "j")
        self.assertEqual(rec.calls, [])


if __name__ == "__main__":
    unittest.main()
