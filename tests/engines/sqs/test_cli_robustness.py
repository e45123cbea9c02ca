"""Issue #20: the SQS command line never prints a traceback, whatever JSON it is given.

A readable scenario runs to the end (exit 0, one result per step, a bad step is an
{"Error": ...} result); anything that is not a scenario is exit 2 with a message.
"""

import json
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from studyapp.engines.sqs import ACTIONS
from studyapp.engines.sqs.__main__ import main

from .. import cli_fuzz

SETTINGS = cli_fuzz.SETTINGS


def run_main(text: str) -> tuple[int, str, str]:
    return cli_fuzz.run_main(main, text)


json_values = cli_fuzz.json_values(["q", "q.fifo", "$0.0", "$2.0", "All", "\ud800", "AQEB1-1-1"])
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
steps = cli_fuzz.steps(ACTIONS, PARAMETERS, json_values)
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
    done = cli_fuzz.run_module("studyapp.engines.sqs", text=json.dumps(scenario))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    results = json.loads(done.stdout)
    assert results[0]["Error"]["Code"] == "InvalidParameterValue"
    assert results[1]["Error"]["Code"] == "InvalidParameterValue"
    assert "QueueUrl" in results[2]
    for bad in ('{"steps": null}', "[[[", "{}"):
        done = cli_fuzz.run_module("studyapp.engines.sqs", text=bad)
        assert done.returncode == 2 and "Traceback" not in done.stderr
    missing = cli_fuzz.run_module("studyapp.engines.sqs", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and missing.stderr.startswith("error: ")
