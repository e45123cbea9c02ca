"""The scenario files, the runner and ``python -m studyapp.engines.dynamodb run``: every preset
runs with only the errors it demonstrates, bad input exits 2 with a message or fails one step,
never with a traceback, and the command line works where Django cannot be imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.engines.dynamodb import ACTIONS, load_scenario, run_scenario

ROOT = Path(__file__).resolve().parents[3]
PRESETS = sorted((ROOT / "content" / "scenarios" / "dynamodb").glob("*.json"))
BLOCK_DJANGO = "import sys; sys.modules['django'] = None  # any 'import django' now fails\n"
RUN = BLOCK_DJANGO + (
    "import runpy; sys.argv = ['engine', *sys.argv[1:]]\n"
    "runpy.run_module('studyapp.engines.dynamodb', run_name='__main__')\n"
)


def run_cli(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", RUN, *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def outcome(name: str) -> list[dict]:
    return run_scenario(load_scenario(next(p for p in PRESETS if p.stem == name)))


def test_there_are_at_least_eight_presets():
    assert len(PRESETS) >= 8


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_preset_runs_with_only_its_expected_errors(path):
    """A preset lists the errors it demonstrates in "expected_errors": {"<step>": "<Code>"}."""
    scenario = load_scenario(path)
    assert scenario["title"] and scenario["description"]
    results = run_scenario(scenario)
    assert len(results) == len(scenario["steps"])
    errors = {str(i): r["Error"]["Code"] for i, r in enumerate(results) if "Error" in r}
    assert errors == scenario.get("expected_errors", {})


def test_hot_partition_preset():
    results = outcome("hot-partition")
    assert results[1]["Throttled"] == 1000 and results[1]["TablePartitions"] == 4
    assert results[2]["Throttled"] == 0 and results[3]["Throttled"] == 0


def test_query_vs_scan_preset():
    results = outcome("query-vs-scan-cost")
    query, scan = results[3], results[4]
    assert query["Count"] == scan["Count"] == 4
    assert scan["ScannedCount"] == 24
    assert query["ConsumedCapacity"]["CapacityUnits"] < scan["ConsumedCapacity"]["CapacityUnits"]


def test_batch_backoff_preset():
    results = outcome("batch-write-backoff")
    assert len(results[1]["UnprocessedItems"]["Readings"]) == 20
    assert results[8]["UnprocessedItems"] == {}
    assert results[9]["Count"] == 25


def test_transaction_preset_cancels_in_request_order():
    results = outcome("transaction-cancels")
    assert [r["Code"] for r in results[4]["CancellationReasons"]] == [
        "ConditionalCheckFailed",
        "None",
    ]
    balances = [r["Item"]["balance"]["N"] for r in results[6]["Responses"]]
    assert balances == ["70", "40"]  # one transfer of 30, the cancelled one and the repeat ignored


def test_strong_vs_eventual_preset():
    results = outcome("strong-vs-eventual-reads")
    assert results[4]["Item"]["email"]["S"] == "old@example.com"
    assert results[5]["Item"]["email"]["S"] == "new@example.com"
    assert results[7]["Item"]["email"]["S"] == "new@example.com"


def test_errors_do_not_stop_the_run_and_references_resolve():
    results = run_scenario(
        {
            "steps": [
                {"Action": "GetItem", "TableName": "missing", "Key": {"k": {"S": "a"}}},
                {"Action": "Frobnicate"},
                "not a step",
                {
                    "Action": "CreateTable",
                    "TableName": "tbl",
                    "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                    "BillingMode": "PAY_PER_REQUEST",
                },
                {"Action": "PutItem", "TableName": "tbl", "Item": {"k": {"S": "a"}}},
                {"Action": "Scan", "TableName": "tbl", "Limit": 1},
                {"Action": "Scan", "TableName": "tbl", "ExclusiveStartKey": "$5.LastEvaluatedKey"},
                {"Action": "Scan", "TableName": "tbl", "ExclusiveStartKey": "$99.LastEvaluatedKey"},
            ]
        }
    )
    assert results[0]["Error"]["Code"] == "ResourceNotFoundException"
    assert results[1]["Error"]["Code"] == "UnknownOperationException"
    assert results[2]["Error"]["Code"] == "ValidationException"
    assert results[4] == {}
    assert results[6] == {"Items": [], "Count": 0, "ScannedCount": 0}
    assert results[7]["Error"]["Code"] == "ValidationException"


def test_engine_imports_without_django():
    code = "import sys, studyapp.engines.dynamodb, studyapp.engines.dynamodb.__main__; print('django' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_cli_runs_a_file_and_standard_input(tmp_path):
    path = PRESETS[0]
    from_file = run_cli("run", str(path))
    assert from_file.returncode == 0, from_file.stderr
    from_stdin = run_cli("run", stdin=path.read_bytes())
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert (
        json.loads(from_file.stdout)
        == json.loads(from_stdin.stdout)
        == run_scenario(load_scenario(path))
    )


@pytest.mark.parametrize(
    "document",
    [
        b"{not json",
        b'{"steps": null}',
        b'{"steps": {}}',
        b'"text"',
        b"\xff\xfe\x00",
        b"[" * 100_000,
    ],
    ids=["not-json", "steps-null", "steps-object", "string", "invalid-utf8", "deep"],
)
def test_cli_refuses_bad_documents_with_status_2(document):
    result = run_cli("run", stdin=document)
    assert result.returncode == 2
    assert result.stderr.startswith(b"error:")
    assert b"Traceback" not in result.stderr


def test_cli_reports_bad_steps_as_error_results():
    steps = [
        {"Action": "Advance", "Seconds": 1e308},
        {"Action": "Advance", "Seconds": float("nan")},
        {"Action": "ListTables", "Limit": 10**40},
        {"Action": "CreateTable", "TableName": "\ud800bad"},
        {"Action": "PutItem", "TableName": "tbl", "Item": {"k": {"S": "\udfff"}}},
        {"Action": "Advance", "Seconds": 5},
    ]
    result = run_cli("run", stdin=json.dumps({"steps": steps}).encode())
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [r.get("Error", {}).get("Code") for r in found] == ["ValidationException"] * 5 + [None]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
step_like = st.fixed_dictionaries(
    {
        "Action": st.sampled_from(
            [
                "CreateTable",
                "PutItem",
                "GetItem",
                "UpdateItem",
                "Query",
                "Scan",
                "BatchWriteItem",
                "TransactWriteItems",
                "Advance",
                "Workload",
                "x",
            ]
        )
    },
    optional={
        "TableName": st.sampled_from(["tbl", "ab", 5]) | st.text(max_size=5) | json_values,
        "Item": json_values,
        "Key": json_values,
        "Seconds": json_values,
        "KeyConditionExpression": st.text(max_size=20),
        "ExpressionAttributeValues": json_values,
        "RequestItems": json_values,
        "TransactItems": json_values,
    },
)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        json_values,
        st.fixed_dictionaries({"steps": st.lists(st.one_of(step_like, json_values), max_size=6)}),
    )
)
def test_arbitrary_json_never_crashes_the_runner(document):
    setup = {
        "Action": "CreateTable",
        "TableName": "tbl",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if isinstance(document, dict) and isinstance(document.get("steps"), list):
        document = {"steps": [setup, *document["steps"]]}
    try:
        results = run_scenario(document)
    except ValueError:
        return  # the command line turns this into exit status 2 with a message
    assert len(results) == len(document["steps"] if isinstance(document, dict) else document)
    for result in results:
        assert isinstance(result, dict)
        assert result.get("Error", {}).get("Code") != "InternalServerError", result
    json.dumps(results, ensure_ascii=False).encode("utf-8")


PARAMETER_NAMES = sorted(
    {
        "TableName",
        "Item",
        "Key",
        "Keys",
        "KeySchema",
        "AttributeDefinitions",
        "IndexName",
        "ProvisionedThroughput",
        "BillingMode",
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
        "GlobalSecondaryIndexUpdates",
        "StreamSpecification",
        "TimeToLiveSpecification",
        "KeyConditionExpression",
        "FilterExpression",
        "ProjectionExpression",
        "UpdateExpression",
        "ConditionExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
        "Limit",
        "ExclusiveStartKey",
        "Select",
        "ConsistentRead",
        "ScanIndexForward",
        "Segment",
        "TotalSegments",
        "ReturnValues",
        "ReturnConsumedCapacity",
        "RequestItems",
        "TransactItems",
        "ClientRequestToken",
        "Seconds",
        "RequestsPerSecond",
        "HotKey",
        "HotShare",
        "ExclusiveStartTableName",
    }
)


ALL_ACTIONS = sorted({*ACTIONS, "Advance", "Workload"})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ALL_ACTIONS),
            st.dictionaries(st.sampled_from(PARAMETER_NAMES), json_values, max_size=4),
        ),
        max_size=8,
    )
)
def test_any_parameter_may_hold_any_json(steps):
    setup = {
        "Action": "CreateTable",
        "TableName": "tbl",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    document = {
        "steps": [setup]
        + [{"Action": action, "TableName": "tbl", **params} for action, params in steps]
    }
    for result in run_scenario(document):
        assert result.get("Error", {}).get("Code") != "InternalServerError", result
