"""Issue #20: the Kinesis command line never prints a traceback, whatever JSON it is given.

A readable scenario runs to the end (exit 0, one result per step, a bad step is an
{"Error": ...} result); anything that is not a scenario is exit 2 with a message.
"""

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from studyapp.engines.kinesis import ACTIONS
from studyapp.engines.kinesis.__main__ import main

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
    | st.sampled_from(
        [
            "s",
            "shardId-000000000000",
            "$1",
            "$2.0",
            "\ud800",
            "TRIM_HORIZON",
            "AT_TIMESTAMP",
            "UNIFORM_SCALING",
            "0",
            "340282366920938463463374607431768211455",
            "49000000000000000000000000000000000000000000000000000001",
        ]
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
PARAMETERS = [
    "StreamName",
    "StreamARN",
    "ShardCount",
    "StreamModeDetails",
    "PartitionKey",
    "Data",
    "ExplicitHashKey",
    "SequenceNumberForOrdering",
    "Records",
    "ShardId",
    "ShardIteratorType",
    "StartingSequenceNumber",
    "Timestamp",
    "ShardIterator",
    "Limit",
    "ShardToSplit",
    "NewStartingHashKey",
    "ShardToMerge",
    "AdjacentShardToMerge",
    "TargetShardCount",
    "ScalingType",
    "RetentionPeriodHours",
    "ShardFilter",
    "ExclusiveStartShardId",
    "Seconds",
    "RecordsPerSecond",
    "RecordSize",
    "PartitionKeys",
    "HotShare",
    "Seed",
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
    {"Action": "CreateStream", "StreamName": "s", "ShardCount": 2},
    {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "k", "Data": "x"},
    {
        "Action": "GetShardIterator",
        "StreamName": "s",
        "ShardId": "shardId-000000000000",
        "ShardIteratorType": "TRIM_HORIZON",
    },
]


@SETTINGS
@given(steps)
@example([{"Action": "Advance", "Seconds": 1e308}, {"Action": "GetRecords", "ShardIterator": "$2"}])
@example([{"Action": "PutRecord", "StreamName": "s", "PartitionKey": "\ud800", "Data": "x"}])
@example([{"Action": "GetShardIterator", "StreamName": "s", "ShardId": "shardId-000000000000",
           "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": 1e308}])  # fmt: skip
@example([{"Action": "CreateStream", "StreamName": "t", "ShardCount": "9" * 5000}])
@example([{"Action": "GetRecords", "ShardIterator": "$" + "9" * 5000}])
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
@example({"steps": {"Action": "ListStreams"}})
@example([1, "x", None])
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


def test_json_nested_too_deep_is_a_message():
    code, _, err = run_main("[" * 100_000 + "]" * 100_000)
    assert code == 2 and err.startswith("error: ")


def test_subprocess_never_prints_a_traceback(tmp_path):
    """Issue #20's three examples, through the real command line."""
    scenario = {
        "steps": [
            {"Action": "CreateStream", "StreamName": "s", "ShardCount": 1},
            {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "\ud800", "Data": "x"},
            {"Action": "Advance", "Seconds": 1e308},
            {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "k", "Data": "x"},
        ]
    }
    done = subprocess.run(
        [sys.executable, "-m", "studyapp.engines.kinesis", "run"],
        input=json.dumps(scenario),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [r.get("Error", {}).get("Code") for r in results] == [
        None,
        "ValidationException",
        "ValidationException",
        None,
    ]
    null_steps = tmp_path / "null.json"
    null_steps.write_text('{"steps": null}')
    done = subprocess.run(
        [sys.executable, "-m", "studyapp.engines.kinesis", "run", str(null_steps)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
