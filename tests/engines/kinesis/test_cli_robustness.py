"""Issue #20: the Kinesis command line never prints a traceback, whatever JSON it is given.

A readable scenario runs to the end (exit 0, one result per step, a bad step is an
{"Error": ...} result); anything that is not a scenario is exit 2 with a message.
"""

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from studyapp.engines.kinesis import ACTIONS
from studyapp.engines.kinesis.__main__ import main

from .. import cli_fuzz

SETTINGS = cli_fuzz.SETTINGS


def run_main(text: str) -> tuple[int, str, str]:
    return cli_fuzz.run_main(main, text)


json_values = cli_fuzz.json_values(
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
steps = cli_fuzz.steps(ACTIONS, PARAMETERS, json_values)
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
    done = cli_fuzz.run_module("studyapp.engines.kinesis", text=json.dumps(scenario))
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
    done = cli_fuzz.run_module("studyapp.engines.kinesis", str(null_steps))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
