"""What the simulator page needs from the engine, through its public API: state saved in
increments (``to_parts``), the items a Query or Scan read (``apply_traced``), units per table
(``usage``), a table by partition (``table_view``) and a write's cost before it is made
(``preview``). None of the views changes the engine."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.engines.dynamodb import DynamoDB, DynamoDBError, preview, table_schemas, table_view

from .support import advance, call, create, gsi, item, ok, put

T = "tbl"


def state(engine: DynamoDB) -> str:
    return json.dumps(engine.to_dict(), sort_keys=True)


def saved(stored: dict, parts: dict) -> None:
    """Apply parts to a store as the simulator's database does: None deletes."""
    for key, value in parts.items():
        if value is None:
            stored.pop(key, None)
        else:
            stored[key] = value


def streamed(engine: DynamoDB) -> None:
    create(engine, T, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})


# -- to_parts / from_parts ---------------------------------------------------------------------


def test_parts_hold_the_whole_state():
    engine = DynamoDB()
    streamed(engine)
    for n in range(5):
        put(engine, T, pk=f"k{n}", v=n)
    head, parts = engine.to_parts()
    assert sum(1 for key in parts if key.startswith(f"{T}/") and ".s" not in key) >= 5
    assert "Items" not in json.dumps(head) or all(t["Items"] == [] for t in head["tables"])
    assert state(DynamoDB.from_parts(head, parts)) == state(engine)


def test_changed_parts_are_only_what_an_action_changed():
    engine = DynamoDB()
    create(engine, T)
    for n in range(50):
        put(engine, T, pk=f"k{n}", v=n)
    engine.to_parts()
    put(engine, T, pk="k7", v="new")
    _head, parts = engine.to_parts(changed=True)
    assert list(parts.values()) == [item(pk="k7", v="new")]
    ok(engine, "DeleteItem", TableName=T, Key=item(pk="k8"))
    _head, parts = engine.to_parts(changed=True)
    assert list(parts.values()) == [None]
    ok(engine, "GetItem", TableName=T, Key=item(pk="k9"))
    assert engine.to_parts(changed=True)[1] == {}


def test_a_deleted_table_takes_its_parts_and_a_new_one_brings_its_own():
    engine = DynamoDB()
    create(engine, T)
    put(engine, T, pk="a")
    put(engine, T, pk="b")
    _head, stored = engine.to_parts()
    ok(engine, "DeleteTable", TableName=T)
    create(engine, T)
    put(engine, T, pk="c")
    head, parts = engine.to_parts(changed=True)
    saved(stored, parts)
    assert [v for v in stored.values()] == [item(pk="c")]
    assert state(DynamoDB.from_parts(head, stored)) == state(engine)


def test_stream_records_are_stored_in_blocks_and_trimmed():
    engine = DynamoDB()
    streamed(engine)
    _head, stored = engine.to_parts()
    for n in range(70):
        put(engine, T, pk=f"k{n}")
    head, parts = engine.to_parts(changed=True)
    blocks = sorted(key for key in parts if "/s" in key)
    assert len(blocks) == 2  # 64 + 6 records
    saved(stored, parts)
    put(engine, T, pk="one-more")
    _head, parts = engine.to_parts(changed=True)
    assert len([key for key in parts if "/s" in key]) == 1  # only the last block again
    saved(stored, parts)
    advance(engine, 25 * 3600)  # records older than 24 hours go
    head, parts = engine.to_parts(changed=True)
    assert [value for key, value in parts.items() if "/s" in key] == [None, None]
    saved(stored, parts)
    assert state(DynamoDB.from_parts(head, stored)) == state(engine)


def test_unreadable_parts_are_refused():
    engine = DynamoDB()
    create(engine, T)
    put(engine, T, pk="a")
    head, parts = engine.to_parts()
    with pytest.raises(ValueError):
        DynamoDB.from_parts(head, {})
    with pytest.raises(ValueError):
        DynamoDB.from_parts(head, {**parts, "nonsense": 1})


STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.integers(0, 12), st.integers(0, 3)),
        st.tuples(st.just("delete"), st.integers(0, 12), st.just(0)),
        st.tuples(st.just("advance"), st.integers(1, 40_000), st.just(0)),
        st.tuples(st.just("recreate"), st.just(0), st.just(0)),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(STEPS)
def test_saving_the_changes_of_every_action_keeps_the_whole_state(steps):
    engine = DynamoDB()
    streamed(engine)
    ok(
        engine,
        "UpdateTimeToLive",
        TableName=T,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"},
    )
    head, stored = engine.to_parts()
    for kind, number, value in steps:
        if kind == "put":
            call(engine, "PutItem", TableName=T, Item=item(pk=f"k{number}", v=value, ttl=1))
        elif kind == "delete":
            call(engine, "DeleteItem", TableName=T, Key=item(pk=f"k{number}"))
        elif kind == "advance":
            advance(engine, number)
        else:
            ok(engine, "DeleteTable", TableName=T)
            streamed(engine)
        head, parts = engine.to_parts(changed=True)
        saved(stored, parts)
        assert state(DynamoDB.from_parts(head, stored)) == state(engine)


# -- apply_traced, usage, totals ------------------------------------------------------------------


def orders() -> DynamoDB:
    engine = DynamoDB()
    create(engine, "orders", pk=("customer", "S"), sk=("id", "N"))
    for customer in ("a", "b"):
        for n in range(3):
            put(engine, "orders", customer=customer, id=n, status="OPEN" if n == 1 else "DONE")
    return engine


def test_a_traced_query_names_the_items_read_and_those_the_filter_kept():
    engine = orders()
    result, reads = engine.apply_traced(
        {
            "Action": "Query",
            "TableName": "orders",
            "KeyConditionExpression": "customer = :c",
            "FilterExpression": "#s = :s",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":c": {"S": "a"}, ":s": {"S": "OPEN"}},
        }
    )
    assert (result["ScannedCount"], result["Count"]) == (3, 1)
    assert [r["Kept"] for r in reads] == [False, True, False]
    assert reads[1]["Key"] == item(customer="a", id=1)
    shown = table_view(engine, "orders")["Partitions"]
    names = {i["PartName"] for p in shown for c in p["Collections"] for i in c["Items"]}
    assert {r["PartName"] for r in reads} <= names
    assert engine.trace is None
    assert engine.apply_traced({"Action": "GetItem"})[1] == []


def test_usage_and_totals_show_what_an_action_consumed_and_what_is_stored():
    engine = orders()
    before = engine.usage()["orders"]
    put(engine, "orders", customer="c", id=1, note="x" * 1500)
    after = engine.usage()["orders"]
    assert after["ConsumedWriteCapacityUnits"] - before["ConsumedWriteCapacityUnits"] == 2
    assert engine.totals()["Tables"] == 1 and engine.totals()["Items"] == 7


# -- table_view ------------------------------------------------------------------------------------


def test_table_view_draws_partitions_and_the_heat_of_the_last_second():
    engine = DynamoDB()
    create(engine, "events", rcu=3000, wcu=3000)
    before = state(engine)
    shown = table_view(engine, "events")
    assert state(engine) == before
    assert len(shown["Partitions"]) == 4
    ok(
        engine,
        "Workload",
        TableName="events",
        Operation="PutItem",
        RequestsPerSecond=1500,
        Seconds=1,
        ItemSize=200,
        HotKey="tenant-1",
    )
    shown = table_view(engine, "events")
    hot = [p for p in shown["Partitions"] if p["Used"] and p["Used"]["WriteUnits"] >= 1000]
    assert len(hot) == 1 and hot[0]["Keys"] == 1
    assert hot[0]["Collections"][0]["PartitionKey"] == item(pk="tenant-1")
    history = shown["Capacity"]["History"]
    assert history[-1]["WriteUnits"] == 1000 and history[-1]["WriteThrottled"] == 500
    assert sum(p["Items"] for p in shown["Partitions"]) == shown["ItemCount"] == 1


def test_table_view_shows_burst_capacity_banked():
    engine = DynamoDB()
    create(engine, T, rcu=10, wcu=10)
    assert table_view(engine, T)["Capacity"]["WriteBurst"] == 0
    advance(engine, 60)
    assert table_view(engine, T)["Capacity"]["WriteBurst"] == 600


def test_a_sparse_index_holds_only_items_with_its_key():
    engine = DynamoDB()
    create(
        engine,
        T,
        GlobalSecondaryIndexes=[
            gsi(
                "open",
                "openSince",
                ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            )
        ],
    )
    put(engine, T, pk="a", openSince="2024")
    put(engine, T, pk="b")
    index = table_view(engine, T)["Indexes"][0]
    assert (index["IndexName"], index["Kind"], index["ItemCount"]) == ("open", "GSI", 1)
    assert index["Capacity"]["WriteCapacityUnits"] == 5
    keys = [c["PartitionKey"] for p in index["Partitions"] for c in p["Collections"]]
    assert keys == [item(openSince="2024")]


def test_table_view_of_a_missing_table_is_resource_not_found():
    with pytest.raises(DynamoDBError) as caught:
        table_view(DynamoDB(), "nope")
    assert caught.value.code == "ResourceNotFoundException"


# -- preview ---------------------------------------------------------------------------------------


def test_preview_gives_size_and_cost_and_changes_nothing():
    engine = orders()
    before, used = state(engine), engine.usage()
    step = {"Action": "PutItem", "TableName": "orders", "Item": item(customer="z", id=1)}
    found = preview(engine, step)
    # "customer" "z" "id" 1: 8 + 1 + 2 + 2 bytes
    assert (found["Exists"], found["ItemBytes"], found["Units"]) == (False, 13, 1)
    assert found["TransactionalUnits"] == 2 and found["Changes"] is True
    big = {**step, "Item": item(customer="a", id=1, note="x" * 3000)}
    assert preview(engine, big)["Units"] == 3
    assert state(engine) == before and engine.usage() == used


def test_preview_of_a_failing_condition_costs_the_write_and_changes_nothing():
    engine = orders()
    found = preview(
        engine,
        {
            "Action": "UpdateItem",
            "TableName": "orders",
            "Key": item(customer="a", id=1),
            "UpdateExpression": "SET #s = :new",
            "ConditionExpression": "#s = :expected",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":new": {"S": "X"}, ":expected": {"S": "DONE"}},
        },
    )
    assert (found["ConditionPasses"], found["Units"], found["Changes"]) == (False, 1, False)


def test_preview_counts_index_writes():
    engine = DynamoDB()
    create(
        engine,
        T,
        GlobalSecondaryIndexes=[
            gsi(
                "byColour",
                "colour",
                ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            )
        ],
    )
    put(engine, T, pk="a", colour="red")
    step = {"Action": "PutItem", "TableName": T, "Item": item(pk="a", colour="blue")}
    found = preview(engine, step)
    assert found["IndexUnits"] == [
        {"IndexName": "byColour", "Kind": "GSI", "Units": 2, "Change": "move"}
    ]
    assert found["TotalUnits"] == 3
    delete = preview(engine, {"Action": "DeleteItem", "TableName": T, "Key": item(pk="a")})
    assert delete["IndexUnits"][0]["Change"] == "remove"
    assert delete["ItemBytes"] == 12  # "pk" "a" "colour" "red"


def test_preview_of_a_get_is_a_peek_with_each_kind_of_read():
    engine = orders()
    key = item(customer="a", id=1)
    found = preview(engine, {"Action": "GetItem", "TableName": "orders", "Key": key})
    assert found["Item"]["status"] == {"S": "OPEN"}
    assert found["ReadUnits"] == {"Eventual": 0.5, "Strong": 1, "Transactional": 2}
    assert engine.usage()["orders"]["ConsumedReadCapacityUnits"] == 0


@pytest.mark.parametrize(
    "step",
    [
        {"Action": "Scan", "TableName": "orders"},
        {"Action": "PutItem", "TableName": "orders", "Item": item(customer="a")},
        {"Action": "PutItem", "TableName": "nope", "Item": item(customer="a", id=1)},
        {"Action": "DeleteItem", "TableName": "orders", "Key": item(customer="a", id=1), "X": 1},
        {
            "Action": "UpdateItem",
            "TableName": "orders",
            "Key": item(customer="a", id=1),
            "UpdateExpression": "SET",
        },
    ],
)
def test_preview_refuses_what_the_action_would_refuse(step):
    with pytest.raises(DynamoDBError):
        preview(orders(), step)


def test_table_schemas_name_keys_and_indexes_for_forms():
    engine = DynamoDB()
    create(
        engine,
        "bbb",
        sk=("sk", "N"),
        GlobalSecondaryIndexes=[
            gsi(
                "byColour",
                "colour",
                ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
            )
        ],
    )
    create(
        engine,
        "aaa",
        on_demand=True,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )
    schemas = table_schemas(engine)
    assert [s["StreamViewType"] for s in schemas] == ["KEYS_ONLY", None]
    assert [s["TableName"] for s in schemas] == ["aaa", "bbb"]
    assert [k["AttributeName"] for k in schemas[1]["KeySchema"]] == ["pk", "sk"]
    assert schemas[1]["Indexes"][0]["IndexName"] == "byColour"
    assert schemas[0]["BillingMode"] == "PAY_PER_REQUEST"
