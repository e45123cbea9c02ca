"""The scenario format, the command line, the presets and the no-Django boundary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.engines.sqs import load_scenario, run_scenario

ROOT = Path(__file__).resolve().parents[3]
PRESETS = sorted((ROOT / "content" / "scenarios" / "sqs").glob("*.json"))

EXAMPLE = {
    "steps": [
        {"Action": "CreateQueue", "QueueName": "orders", "Attributes": {"VisibilityTimeout": "30"}},
        {"Action": "SendMessage", "QueueName": "orders", "MessageBody": "A"},
        {"Action": "ReceiveMessage", "QueueName": "orders", "MaxNumberOfMessages": 10},
        {"Action": "Advance", "Seconds": 31},
        {"Action": "DeleteMessage", "QueueName": "orders", "ReceiptHandle": "$2.0"},
    ]
}


def test_issue_example_runs_with_receipt_handle_reference():
    results = run_scenario(EXAMPLE)
    assert len(results) == 5
    assert results[0]["QueueUrl"].endswith("/orders")
    assert results[2]["Messages"][0]["Body"] == "A"
    assert results[3] == {} and results[4] == {}


def test_errors_do_not_stop_the_run():
    results = run_scenario(
        {
            "steps": [
                {"Action": "SendMessage", "QueueName": "missing", "MessageBody": "A"},
                {"Action": "CreateQueue", "QueueName": "q"},
                {"Action": "DeleteMessage", "QueueName": "q", "ReceiptHandle": "$9.0"},
            ]
        }
    )
    assert results[0]["Error"]["Code"] == "QueueDoesNotExist"
    assert "QueueUrl" in results[1]
    assert results[2]["Error"]["Code"] == "ReceiptHandleIsInvalid"


def test_references_reach_into_batch_entries():
    results = run_scenario(
        {
            "steps": [
                {"Action": "CreateQueue", "QueueName": "q"},
                {"Action": "SendMessage", "QueueName": "q", "MessageBody": "A"},
                {"Action": "SendMessage", "QueueName": "q", "MessageBody": "B"},
                {"Action": "ReceiveMessage", "QueueName": "q", "MaxNumberOfMessages": 2},
                {
                    "Action": "DeleteMessageBatch",
                    "QueueName": "q",
                    "Entries": [
                        {"Id": "a", "ReceiptHandle": "$3.0"},
                        {"Id": "b", "ReceiptHandle": "$3.1"},
                    ],
                },
            ]
        }
    )
    assert len(results[4]["Successful"]) == 2


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studyapp.engines.sqs", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_cli_runs_a_file_and_standard_input(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(EXAMPLE))
    from_file = run_cli("run", str(path))
    assert from_file.returncode == 0, from_file.stderr
    from_stdin = run_cli("run", stdin=json.dumps(EXAMPLE))
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert json.loads(from_file.stdout) == json.loads(from_stdin.stdout) == run_scenario(EXAMPLE)


def test_cli_reports_bad_input():
    result = run_cli("run", stdin="{not json")
    assert result.returncode == 2
    assert "error" in result.stderr


def test_engine_imports_without_django():
    code = "import sys, studyapp.engines.sqs, studyapp.engines.sqs.__main__; print('django' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_there_are_at_least_ten_presets():
    assert len(PRESETS) >= 10


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_preset_runs_without_unexpected_errors(path):
    """A preset may show an error on purpose: it lists the step numbers in "expected_errors"."""
    scenario = load_scenario(path)
    assert scenario["title"] and scenario["description"]
    results = run_scenario(scenario)
    expected = set(scenario.get("expected_errors", []))
    failed = {i for i, r in enumerate(results) if "Error" in r}
    assert failed == expected, [results[i] for i in sorted(failed - expected)]
