"""What the simulator page needs from the engine, through its public API: the state in
increments, stored totals, the picture of a stream at a given second, a hook per preset step,
and modules without an import cycle."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.engines.clock import Clock
from studyapp.engines.kinesis import Kinesis, KinesisError, Step, run, stream_view
from studyapp.engines.kinesis.service import RECORDS_PER_PART


class Store:
    """What a web page keeps: the last head and every part, updated from to_parts()."""

    def __init__(self, kinesis: Kinesis) -> None:
        self.head, self.parts = _json(kinesis.to_parts())

    def save(self, kinesis: Kinesis) -> dict:
        head, changes = _json(kinesis.to_parts(changed=True))
        self.head = head
        for key, value in changes.items():
            if value is None:
                self.parts.pop(key, None)
            else:
                self.parts[key] = value
        return changes

    def load(self) -> Kinesis:
        return Kinesis.from_parts(self.head, dict(self.parts))


def _json(value):
    return json.loads(json.dumps(value))


def same(a: Kinesis, b: Kinesis) -> None:
    """Equal once both have dropped what is past retention (a lazy step, as reads do)."""
    assert a.totals() == b.totals()
    assert a.to_dict() == b.to_dict()


operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.integers(0, 50)),
        st.tuples(st.just("produce"), st.integers(1, 600), st.integers(1, 3)),
        st.tuples(st.just("advance"), st.sampled_from([0.5, 1, 60, 3600, 20 * 3600, 30 * 3600])),
        st.tuples(st.just("split"), st.integers(0, 9)),
        st.tuples(st.just("merge"), st.integers(0, 9)),
        st.tuples(st.just("retention"), st.sampled_from([24, 48])),
        st.tuples(st.just("recreate"), st.integers(1, 3)),
        st.tuples(st.just("save")),
    ),
    max_size=30,
)


def step(kinesis: Kinesis, op: tuple) -> dict:
    kind = op[0]
    if kind == "put":
        params = {"StreamName": "s", "PartitionKey": f"k{op[1]}", "Data": "d" * op[1]}
        return kinesis.dispatch("PutRecord", params)
    if kind == "produce":
        params = {"StreamName": "s", "RecordsPerSecond": op[1], "Seconds": op[2], "Seed": op[1]}
        return kinesis.dispatch("Produce", params)
    if kind == "advance":
        return kinesis.dispatch("Advance", {"Seconds": op[1]})
    shards = kinesis.dispatch(
        "ListShards", {"StreamName": "s", "ShardFilter": {"Type": "AT_LATEST"}}
    )
    shards = sorted(
        shards.get("Shards", []), key=lambda s: int(s["HashKeyRange"]["StartingHashKey"])
    )
    if kind == "split" and shards:
        shard = shards[op[1] % len(shards)]
        low = int(shard["HashKeyRange"]["StartingHashKey"])
        high = int(shard["HashKeyRange"]["EndingHashKey"])
        params = {
            "StreamName": "s",
            "ShardToSplit": shard["ShardId"],
            "NewStartingHashKey": str((low + high) // 2),
        }
        return kinesis.dispatch("SplitShard", params)
    if kind == "merge" and len(shards) > 1:
        i = op[1] % (len(shards) - 1)
        params = {
            "StreamName": "s",
            "ShardToMerge": shards[i]["ShardId"],
            "AdjacentShardToMerge": shards[i + 1]["ShardId"],
        }
        return kinesis.dispatch("MergeShards", params)
    if kind == "retention":
        action = "IncreaseStreamRetentionPeriod" if op[1] == 48 else "DecreaseStreamRetentionPeriod"
        return kinesis.dispatch(action, {"StreamName": "s", "RetentionPeriodHours": op[1]})
    if kind == "recreate":
        kinesis.dispatch("DeleteStream", {"StreamName": "s"})
        return kinesis.dispatch("CreateStream", {"StreamName": "s", "ShardCount": op[1]})
    return {}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations, operations)
def test_parts_restore_the_engine_and_it_goes_on_alike(ops, more):
    live = Kinesis(Clock())
    live.create_stream(StreamName="s", ShardCount=2)
    store = Store(live)
    for op in ops:
        if op[0] == "save":
            store.save(live)
        else:
            step(live, op)
    store.save(live)
    restored = store.load()
    same(live, restored)
    for op in more:
        if op[0] == "save":
            store.save(restored)
            continue
        assert step(live, op) == step(restored, op)
    store.save(restored)
    same(live, restored)
    same(live, store.load())


def test_an_append_rewrites_only_the_last_block():
    kinesis = Kinesis()
    kinesis.create_stream(StreamName="s", ShardCount=1)
    kinesis.produce(StreamName="s", RecordsPerSecond=RECORDS_PER_PART * 3, Seconds=1)
    head, parts = kinesis.to_parts()
    assert sorted(parts) == ["s@1704067200000/0/0", "s@1704067200000/0/1", "s@1704067200000/0/2"]
    assert head["streams"][0]["shards"][0]["kept"] == RECORDS_PER_PART * 3
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="late")
    changes = kinesis.to_parts(changed=True)[1]
    assert list(changes) == ["s@1704067200000/0/3"]
    assert changes["s@1704067200000/0/3"]["records"][0][3] == "late"


def test_records_past_retention_take_their_blocks_with_them():
    kinesis = Kinesis()
    kinesis.create_stream(StreamName="s", ShardCount=1)
    kinesis.produce(StreamName="s", RecordsPerSecond=RECORDS_PER_PART * 2, Seconds=1)
    kinesis.to_parts()
    kinesis.advance(Seconds=25 * 3600)
    assert kinesis.totals() == {"Records": 0, "Bytes": 0}
    assert kinesis.to_parts(changed=True)[1] == {
        "s@1704067200000/0/0": None,
        "s@1704067200000/0/1": None,
    }


def test_deleting_a_stream_reports_its_blocks_gone():
    kinesis = Kinesis()
    kinesis.create_stream(StreamName="s", ShardCount=2)
    kinesis.produce(StreamName="s", RecordsPerSecond=100, Seconds=1)
    _head, parts = kinesis.to_parts()
    kinesis.delete_stream(StreamName="s")
    assert kinesis.to_parts(changed=True)[1] == dict.fromkeys(parts)


def test_from_parts_refuses_missing_records():
    kinesis = Kinesis()
    kinesis.create_stream(StreamName="s", ShardCount=1)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="d")
    head, _parts = kinesis.to_parts()
    try:
        Kinesis.from_parts(head, {})
    except ValueError as error:
        assert "do not hold every record" in str(error)
    else:
        raise AssertionError("missing records were not noticed")


def test_totals_count_records_and_bytes_kept():
    kinesis = Kinesis()
    kinesis.create_stream(StreamName="a", ShardCount=2)
    kinesis.create_stream(StreamName="b", ShardCount=1)
    kinesis.put_record(StreamName="a", PartitionKey="key", Data="12345")
    kinesis.put_record(StreamName="b", PartitionKey="k", Data="é")
    assert kinesis.totals("a") == {"Records": 1, "Bytes": 8}
    assert kinesis.totals() == {"Records": 2, "Bytes": 11}
    kinesis.advance(Seconds=24 * 3600 + 1)
    assert kinesis.totals() == {"Records": 0, "Bytes": 0}


def test_stream_view_shows_the_meters_of_a_given_second():
    kinesis = Kinesis()
    kinesis.create_stream(StreamName="s", ShardCount=1)
    kinesis.produce(StreamName="s", RecordsPerSecond=10, Seconds=1)  # ends on the next second
    now = kinesis.clock.now()
    assert stream_view(kinesis, "s")["shards"][0]["write"]["records"] == 0
    earlier = stream_view(kinesis, "s", recent=0, at=now - 0.001)
    assert earlier["second"] == now - 1
    assert earlier["shards"][0]["write"]["records"] == 10
    assert earlier["shards"][0]["recent"] == []


def test_run_tells_each_step_with_its_time_and_resolved_references():
    heard: list[Step] = []
    scenario = {
        "steps": [
            {"Action": "CreateStream", "StreamName": "s", "ShardCount": 1},
            {"Action": "Advance", "Seconds": 5},
            {"Action": "GetShardIterator", "StreamName": "s", "ShardId": "shardId-000000000000",
             "ShardIteratorType": "TRIM_HORIZON"},
            {"Action": "GetRecords", "ShardIterator": "$2"},
            {"Action": "GetRecords", "ShardIterator": "$9"},
            "not a step",
        ]
    }  # fmt: skip
    results = run(scenario, on_step=heard.append)
    assert [s.index for s in heard] == [0, 1, 2, 3, 4, 5]
    assert [s.action for s in heard] == [
        "CreateStream",
        "Advance",
        "GetShardIterator",
        "GetRecords",
        "GetRecords",
        "?",
    ]
    assert heard[2].at_ms - heard[0].at_ms == 5000
    assert heard[3].params["ShardIterator"] == results[2]["ShardIterator"]
    assert heard[4].params == {"ShardIterator": "$9"}  # it did not resolve: as written
    assert heard[4].result["Error"]["Code"] == "InvalidScenarioReference"


def test_kinesis_error_is_the_shared_api_error():
    from studyapp.engines.errors import ApiError

    error = KinesisError("ValidationException", "bad")
    assert isinstance(error, ApiError)
    assert error.to_result() == {"Error": {"Code": "ValidationException", "Message": "bad"}}


@pytest.mark.parametrize("package", ["kinesis", "sqs"])
def test_the_engine_modules_import_each_other_without_a_cycle(package):
    """Imports for type checking only do not count; an import inside a function (which
    would hide a cycle) counts as a module-level one."""
    folder = Path(__file__).resolve().parents[3] / "studyapp" / "engines" / package
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in tree.body
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
            for inner in ast.walk(node)
        }
        imported = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    imported.add(node.module.split(".")[0])
                else:
                    imported.update(alias.name for alias in node.names)
        graph[path.stem] = imported & {p.stem for p in folder.glob("*.py")}
    graph.pop("__init__")
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for target in graph.get(module, ()):
            visit(target, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())
