"""The simulator presets in content/scenarios/iam/ each evaluate to their "expected"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studyapp.engines.iam import run

PRESETS_DIR = Path(__file__).resolve().parents[3] / "content" / "scenarios" / "iam"
PRESETS = sorted(PRESETS_DIR.glob("*.json"))


def test_there_are_at_least_twelve_presets():
    assert len(PRESETS) >= 12


def test_the_presets_the_issue_asks_for_exist():
    names = {p.stem for p in PRESETS}
    for required in (
        "notes-iam-read-only",
        "cross-account-s3-bucket",
        "sqs-queue-allows-sns",
        "boundary-limits-admin",
        "scp-blocks-region",
    ):
        assert required in names


def test_presets_cover_every_decision():
    decisions = {json.loads(p.read_text())["expected"] for p in PRESETS}
    assert decisions == {"Allow", "ExplicitDeny", "ImplicitDeny"}


@pytest.mark.parametrize("path", PRESETS, ids=[p.stem for p in PRESETS])
def test_preset_evaluates_to_expected(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    for key in ("title", "description", "expected", "source"):
        assert isinstance(doc.get(key), str) and doc[key], key
    assert doc["source"].startswith("https://docs.aws.amazon.com/")
    result = run(doc)
    assert result.decision == doc["expected"], result.trace
    assert result.warnings == [] or all(w["code"] == "allow-all" for w in result.warnings)
