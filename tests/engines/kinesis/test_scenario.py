"""The scenario runner and the command line (issue 7, "Scenario files and command line")."""

import json
import subprocess
import sys
from pathlib import Path

from studyapp.engines.kinesis import run

ROOT = Path(__file__).resolve().parents[3]

STEPS = [
    {"Action": "CreateStream", "StreamName": "s", "ShardCount": 1},
    {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "k", "Data": "one"},
    {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "k", "Data": "two"},
    {
        "Action": "GetShardIterator",
        "StreamName": "s",
        "ShardId": "shardId-000000000000",
        "ShardIteratorType": "AT_SEQUENCE_NUMBER",
        "StartingSequenceNumber": "$2",
    },
    {"Action": "GetRecords", "ShardIterator": "$3"},
    {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "k", "Data": "three"},
    {"Action": "GetRecords", "ShardIterator": "$4"},
]


def test_dollar_n_takes_sequence_numbers_and_next_iterators():
    results = run({"steps": STEPS})
    assert results[0] == {}
    assert [r["Data"] for r in results[4]["Records"]] == ["two"]
    assert [r["Data"] for r in results[6]["Records"]] == ["three"]


def test_dollar_n_dot_i_takes_a_record_of_put_records():
    results = run(
        [
            {"Action": "CreateStream", "StreamName": "s", "ShardCount": 1},
            {
                "Action": "PutRecords",
                "StreamName": "s",
                "Records": [{"PartitionKey": "k", "Data": d} for d in ("a", "b", "c")],
            },
            {
                "Action": "GetShardIterator",
                "StreamName": "s",
                "ShardId": "$1.1",
                "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                "StartingSequenceNumber": "$1.1",
            },
            {"Action": "GetRecords", "ShardIterator": "$2"},
        ]
    )
    assert [r["Data"] for r in results[3]["Records"]] == ["c"]


def test_failed_step_is_an_error_object_and_the_run_goes_on():
    results = run(
        [
            {"Action": "PutRecord", "StreamName": "missing", "PartitionKey": "k", "Data": "x"},
            {"Action": "CreateStream", "StreamName": "s", "ShardCount": 1},
            {"Action": "Frobnicate"},
            {"Action": "GetRecords", "ShardIterator": "$0"},
            {"Action": "Advance", "Seconds": 5},
        ]
    )
    assert results[0]["Error"]["Code"] == "ResourceNotFoundException"
    assert set(results[0]["Error"]) == {"Code", "Message"}
    assert results[1] == {}
    assert results[2]["Error"]["Code"] == "UnknownOperationException"
    assert "Error" in results[3]
    assert results[4] == {}


def test_advance_moves_the_clock_for_expiry():
    results = run(
        [
            {"Action": "CreateStream", "StreamName": "s", "ShardCount": 1},
            {
                "Action": "GetShardIterator",
                "StreamName": "s",
                "ShardId": "shardId-000000000000",
                "ShardIteratorType": "LATEST",
            },
            {"Action": "Advance", "Seconds": 300},
            {"Action": "GetRecords", "ShardIterator": "$1"},
        ]
    )
    assert results[3]["Error"]["Code"] == "ExpiredIteratorException"


def test_produce_reports_throttling_on_a_hot_key():
    results = run(
        [
            {"Action": "CreateStream", "StreamName": "s", "ShardCount": 4},
            {
                "Action": "Produce",
                "StreamName": "s",
                "RecordsPerSecond": 1500,
                "PartitionKeys": "fixed",
                "PartitionKey": "hot",
            },
        ]
    )
    produced = results[1]
    assert produced["Accepted"] == 1000
    assert produced["Throttled"] == 500
    assert len(produced["Shards"]) == 1


def test_command_line_reads_standard_input():
    completed = subprocess.run(
        [sys.executable, "-m", "studyapp.engines.kinesis", "run"],
        input=json.dumps({"steps": STEPS}),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    results = json.loads(completed.stdout)
    assert len(results) == len(STEPS)
    assert results[1]["ShardId"] == "shardId-000000000000"


def test_command_line_reads_a_file(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"steps": STEPS[:2]}))
    completed = subprocess.run(
        [sys.executable, "-m", "studyapp.engines.kinesis", "run", str(scenario)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(completed.stdout)[0] == {}


def test_command_line_rejects_bad_json():
    completed = subprocess.run(
        [sys.executable, "-m", "studyapp.engines.kinesis", "run"],
        input="{not json",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert completed.returncode == 2


def test_engine_imports_without_django():
    code = (
        "import sys, studyapp.engines.kinesis, studyapp.engines.kinesis.__main__; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
