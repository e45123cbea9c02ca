"""Every worked case of the project's IAM reference file, each from an IAM User Guide page.

data/iam-cases.json is a verbatim copy of the reference cases the project was given
(shared/reference/iam-cases.json), kept here so that a clone of the repository is complete.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studyapp.engines.iam import run

CASES_FILE = Path(__file__).resolve().parent / "data" / "iam-cases.json"
CASES = json.loads(CASES_FILE.read_text(encoding="utf-8"))


def test_reference_file_holds_the_thirty_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_case_decision(case):
    result = run(case["input"])
    assert result.decision == case["expected"], (case["reason"], case["source"], result.trace)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_case_result_is_json_serialisable(case):
    data = run(case["input"]).to_dict()
    assert json.loads(json.dumps(data)) == data
    if data["decision"] == "ExplicitDeny":
        assert data["deciding"] and all(d["effect"] == "Deny" for d in data["deciding"])


def test_the_copy_matches_the_shared_reference_when_it_is_present():
    shared = Path(__file__).resolve().parents[4] / "shared" / "reference" / "iam-cases.json"
    if not shared.exists():
        pytest.skip("no shared/ folder beside this clone")
    assert json.loads(shared.read_text(encoding="utf-8")) == CASES
