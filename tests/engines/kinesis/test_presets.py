"""Every preset under content/scenarios/kinesis runs with no unexpected Error.

A preset may list the errors it demonstrates in "expected_errors": {"<step>": "<Code>"}.
"""

import json
from pathlib import Path

import pytest

from studyapp.engines.kinesis import run

PRESETS = sorted(
    (Path(__file__).resolve().parents[3] / "content" / "scenarios" / "kinesis").glob("*.json")
)


def test_there_are_at_least_eight_presets():
    assert len(PRESETS) >= 8


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_preset_runs_with_only_its_expected_errors(path):
    preset = json.loads(path.read_text(encoding="utf-8"))
    assert preset["title"]
    assert preset["description"]
    results = run(preset)
    assert len(results) == len(preset["steps"])
    errors = {str(i): r["Error"]["Code"] for i, r in enumerate(results) if "Error" in r}
    assert errors == preset.get("expected_errors", {})


def outcome(name):
    path = next(p for p in PRESETS if p.stem == name)
    return run(json.loads(path.read_text(encoding="utf-8")))


def test_hot_key_preset_throttles_one_shard_then_random_keys_do_not():
    results = outcome("hot-partition-key")
    skewed, spread = results[1], results[2]
    assert [s for s, c in skewed["Shards"].items() if c["Throttled"]] == ["shardId-000000000003"]
    assert spread["Throttled"] == 0


def test_split_preset_removes_the_throttling():
    results = outcome("split-hot-shard")
    assert results[1]["Throttled"] > 0
    assert results[4]["Throttled"] == 0
    assert results[8]["NextShardIterator"] is None
    assert len(results[8]["ChildShards"]) == 2


def test_partial_failure_preset_fails_only_the_tail_and_retry_succeeds_next_second():
    results = outcome("putrecords-partial-failure")
    assert results[3]["FailedRecordCount"] == 100
    assert "SequenceNumber" in results[3]["Records"][199]
    assert results[3]["Records"][200]["ErrorCode"] == "ProvisionedThroughputExceededException"
    assert results[5]["FailedRecordCount"] == 100
    assert results[7]["FailedRecordCount"] == 0


def test_throughput_preset_needs_three_shards():
    results = outcome("shards-for-throughput")
    assert results[1]["Throttled"] > 0
    assert len(results[3]["Shards"]) == 3
    assert results[4]["Throttled"] == 0
