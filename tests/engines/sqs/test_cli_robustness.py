"""Issue #20: the SQS command line never prints a traceback, whatever JSON it is given.

A readable scenario runs to the end (exit 0, one result per step, a bad step is an
{"Error": ...} result); anything that is not a scenario is exit 2 with a message.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from studyapp.engines.sqs import ACTIONS
from studyapp.engines.sqs.__main__ import main

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_main(text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch("sys.stdin", io.StringIO(text)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(["run"])
    return code, out.getvalue(), err.getvalue()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats()  # nan and infinities too: JSON text spells them NaN and Infinity
    | st.text(max_size=8)
    | st.sampled_from(["q", "q.fifo", "$0.0", "$2.0", "All", "\ud800", "AQEB1-1-1"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
PARAMETERS = [
    "QueueName",
    "QueueUrl",
    "Attributes",
    "MessageBody",
    "DelaySeconds",
    "MessageGroupId",
    "MessageDeduplicationId",
    "MaxNumberOfMessages",
    "WaitTimeSeconds",
    "VisibilityTimeout",
    "ReceiptHandle",
    "ReceiveRequestAttemptId",
    "Entries",
    "AttributeNames",
    "MessageAttributeNames",
    "MessageAttributes",
    "QueueNamePrefix",
    "Seconds",
]
steps = st.lists(
    st.one_of(
        st.builds(
            lambda action, params: {"Action": action, **params},
            st.sampled_from([*ACTIONS, "Nope"]),
            st.dictionaries(st.sampled_from(PARAMETERS), json_values, max_size=5),
        ),
        json_values,
    ),
    max_size=8,
)
SETUP = [
    {"Action": "CreateQueue", "QueueName": "q"},
    {
        "Action": "CreateQueue",
        "QueueName": "q.fifo",
        "Attributes": {"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    },
    {"Action": "SendMessage", "QueueName": "q", "MessageBody": "x"},
]


@SETTINGS
@given(steps)
@example([{"Action": "Advance", "Seconds": 1e308}, {"Action": "SendMessage", "QueueName": "q"}])
@example([{"Action": "CreateQueue", "QueueName": "\ud800"}])
@example([{"Action": "SendMessage", "QueueName": "q", "MessageBody": "\ud800"}])
def test_a_scenario_always_runs_to_the_end(body):
    scenario = {"steps": [*SETUP, *body]}
    code, out, err = run_main(json.dumps(scenario))
    assert code == 0, err
    results = json.loads(out)
    assert len(results) == len(scenario["steps"])
    assert all(isinstance(r, dict) for r in results)


@SETTINGS
@given(json_values)
@example(None)
@example({"steps": None})
@example({"steps": "abc"})
@example([1, "x", None])
@example({"steps": [], "simulation": 5})
@example({"steps": [], "simulation": {"seed": float("inf")}})
@example({"steps": [], "simulation": {"duplicate_rate": "lots"}})
def test_any_json_document_gives_results_or_a_message(document):
    code, out, err = run_main(json.dumps(document))
    assert code in (0, 2), err
    if code == 0:
        assert isinstance(json.loads(out), list)
    else:
        assert err.startswith("error: ") and "Traceback" not in err


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_any_text_gives_results_or_a_message(text):
    code, _, err = run_main(text)
    assert code in (0, 2), err


def test_json_nested_too_deep_is_a_message_or_an_error_result():
    code, _, err = run_main("[" * 100_000 + "]" * 100_000)
    assert code == 2 and err.startswith("error: ")
    deep: object = "q"
    for _ in range(sys.getrecursionlimit() - 100):
        deep = [deep]
    try:
        text = json.dumps({"steps": [{"Action": "SendMessage", "QueueName": deep}]})
    except RecursionError:  # deeper than json itself can write: nothing to test
        return
    code, out, err = run_main(text)
    if code == 0:
        assert "Error" in json.loads(out)[0]
    else:
        assert code == 2 and err.startswith("error: ")


def test_a_bare_list_of_steps_runs():
    code, out, _ = run_main(json.dumps(SETUP))
    assert code == 0 and len(json.loads(out)) == len(SETUP)


def test_subprocess_prints_json_even_with_a_lone_surrogate_and_never_a_traceback(tmp_path):
    """Through the real command line: output stays valid JSON (the surrogate escaped)."""
    scenario = {
        "steps": [
            {"Action": "CreateQueue", "QueueName": "\ud800"},
            {"Action": "Advance", "Seconds": 1e308},
            {"Action": "CreateQueue", "QueueName": "q"},
        ]
    }
    done = subprocess.run(
        [sys.executable, "-m", "studyapp.engines.sqs", "run"],
        input=json.dumps(scenario),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    results = json.loads(done.stdout)
    assert results[0]["Error"]["Code"] == "InvalidParameterValue"
    assert results[1]["Error"]["Code"] == "InvalidParameterValue"
    assert "QueueUrl" in results[2]
    for bad in ('{"steps": null}', "[[[", "{}"):
        done = subprocess.run(
            [sys.executable, "-m", "studyapp.engines.sqs", "run"],
            input=bad,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2 and "Traceback" not in done.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "studyapp.engines.sqs", "run", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 2 and missing.stderr.startswith("error: ")
