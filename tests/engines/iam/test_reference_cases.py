"""Every worked case in shared/reference/iam-cases.json, each from an IAM User Guide page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studyapp.engines.iam import run

CASES_FILE = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "iam-cases.json"
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
