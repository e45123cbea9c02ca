"""The DynamoDB simulation: one engine call per action, logged with what it read and cost;
refusals change nothing; the state survives its parts.

Capacity figures follow the developer guide: reads are rounded up per 4 KB (0.5 RCU eventually
consistent, 1 strongly consistent), a Query or Scan rounds once over everything it read, and
"a filter expression [...] does not reduce the read capacity consumed"
(Query.FilterExpression.html, Scan.html#Scan.FilterExpression); writes are per 1 KB, and a failed
condition still consumes write capacity (Expressions.ConditionExpressions.html).
"""

from __future__ import annotations

import json

import pytest

from studyapp.sims import presets
from studyapp.sims.dynamodb import service, simulation
from studyapp.sims.dynamodb.simulation import DynamoDBSimulation
from studyapp.sims.state import Refused


def loaded(name: str, steps: int | None = None) -> DynamoDBSimulation:
    """A simulation with a preset loaded and its first ``steps`` steps run (all by default)."""
    sim = DynamoDBSimulation.from_preset(presets.load(simulation.PRESETS, name))
    total = len(sim.preset["steps"]) if steps is None else steps
    for _ in range(total):
        service.preset_step(sim)
    return sim


def create(sim: DynamoDBSimulation, name: str = "tbl", **extra) -> str:
    step = {
        "Action": "CreateTable",
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        **extra,
    }
    return service.call(sim, step)


def put(sim: DynamoDBSimulation, pk: str, **attributes: str) -> str:
    item = {"pk": {"S": pk}, **{k: {"S": v} for k, v in attributes.items()}}
    step = {"Action": "PutItem", "TableName": "tbl", "Item": item}
    return service.write_item(sim, step, {"table": "tbl", "operation": "PutItem"})


def round_trip(sim: DynamoDBSimulation) -> DynamoDBSimulation:
    head, parts = sim.to_parts(changed=False)
    return DynamoDBSimulation.from_parts(*json.loads(json.dumps([head, parts])))


def test_each_action_is_one_logged_engine_call_with_its_cost():
    sim = DynamoDBSimulation.fresh()
    assert create(sim) == ""
    assert put(sim, "a", note="x" * 1500) == ""
    entry = sim.log.last
    assert entry["actor"] == "You"
    assert entry["action"]["Action"] == "PutItem"
    # names and values count: 2 + 1 ("pk", "a") + 4 + 1500 ("note" and its value) bytes,
    # 2 WCU (per 1 KB, rounded up)
    assert entry["facts"]["size"] == 1507
    assert entry["facts"]["wcu"] == 2
    assert len(sim.log) == 2


def test_a_query_pays_for_its_item_collection_and_a_scan_for_the_whole_table():
    sim = loaded("query-vs-scan-cost", steps=4)
    query = sim.log.last["facts"]
    assert (query["kind"], query["scanned"], query["count"], query["rcu"]) == ("Query", 4, 4, 0.5)
    service.preset_step(sim)
    scan = sim.log.last["facts"]
    # the same 4 items returned, but all 24 read and paid for: 24 x 832 B, 5 x 4 KB, 2.5 RCU
    assert (scan["kind"], scan["scanned"], scan["count"], scan["rcu"]) == ("Scan", 24, 4, 2.5)
    assert scan["bytes"] == 24 * 832
    read = sim.last_read
    assert [kept for _name, _size, kept, _key in read["reads"]].count(True) == 4
    assert len(read["reads"]) == 24


def test_a_failed_condition_is_logged_as_the_api_answers_and_still_costs_a_write():
    sim = loaded("optimistic-locking", steps=5)
    message = service.preset_step(sim)  # client B saves with the stale version
    assert message.startswith("UpdateItem on Documents failed: ConditionalCheckFailedException")
    facts = sim.log.last["facts"]
    assert facts["error"] == "ConditionalCheckFailedException"
    assert facts["wcu"] == 1
    item = service.preview_item(
        sim, {"Action": "GetItem", "TableName": "Documents", "Key": {"docId": {"S": "invoice-42"}}}
    )["Item"]
    assert item["version"] == {"N": "2"}  # A's write stands


def test_a_cancelled_transaction_lists_its_reasons_in_request_order():
    sim = loaded("transaction-cancels", steps=5)
    facts = sim.log.last["facts"]
    assert facts["error"] == "TransactionCanceledException"
    assert facts["reasons"] == ["ConditionalCheckFailed", "None"]
    assert "reasons, in request order: ConditionalCheckFailed, None" in service.outcome(
        sim, {"Error": {}}
    )


def test_a_batch_write_tells_how_many_came_back_unprocessed():
    sim = loaded("batch-write-backoff", steps=2)
    facts = sim.log.last["facts"]
    assert (facts["requests"], facts["left"], facts["wcu"]) == (25, 20, 5)


def test_an_eventually_consistent_read_right_after_a_write_can_be_stale():
    sim = loaded("strong-vs-eventual-reads", steps=5)
    eventual = sim.log.last["facts"]
    assert eventual["stale"] is True and eventual["rcu"] == 0.5
    service.preset_step(sim)
    strong = sim.log.last["facts"]
    assert strong["stale"] is False and strong["rcu"] == 1


def test_next_page_continues_from_the_last_evaluated_key():
    sim = loaded("pagination-last-evaluated-key", steps=2)
    step = {
        "Action": "Query",
        "TableName": "Posts",
        "KeyConditionExpression": "thread = :t",
        "ExpressionAttributeValues": {":t": {"S": "dynamodb"}},
        "Limit": 4,
    }
    seen = []
    assert service.read(sim, step, {"table": "Posts"}) == ""
    seen += [k for *_rest, k in sim.last_read["reads"]]
    while sim.last_read["last_key"]:
        assert service.next_page(sim) == ""
        seen += [k for *_rest, k in sim.last_read["reads"]]
    assert len(seen) == len(set(seen)) == 10
    with pytest.raises(Refused):
        service.next_page(sim)


def test_preview_tells_size_and_cost_and_changes_nothing():
    sim = DynamoDBSimulation.fresh()
    create(sim)
    before = json.dumps(sim.engine.to_dict(), sort_keys=True)
    step = {
        "Action": "PutItem",
        "TableName": "tbl",
        "Item": {"pk": {"S": "a"}, "b": {"S": "x" * 2000}},
    }
    found = service.preview_item(sim, step)
    assert found["ok"] and found["ItemBytes"] == 2 + 1 + 1 + 2000 and found["Units"] == 2
    assert json.dumps(sim.engine.to_dict(), sort_keys=True) == before
    assert len(sim.log) == 1  # only CreateTable
    bad = service.preview_item(sim, {**step, "TableName": "nope"})
    assert bad == {"ok": False, "Code": "ResourceNotFoundException", "Message": bad["Message"]}


def test_pick_loads_a_stored_item_into_the_editor():
    sim = DynamoDBSimulation.fresh()
    create(sim)
    put(sim, "a", colour="red")
    assert service.pick(sim, "tbl", {"pk": {"S": "a"}}) == ""
    editor = sim.ui["editor"]
    assert editor["operation"] == "PutItem"
    assert json.loads(editor["item"]) == {"pk": {"S": "a"}, "colour": {"S": "red"}}
    with pytest.raises(Refused):
        service.pick(sim, "tbl", {"pk": {"S": "gone"}})


def test_too_many_tables_is_refused_before_anything_changes():
    sim = DynamoDBSimulation.fresh()
    for n in range(simulation.MAX_TABLES):
        assert create(sim, f"tbl{n}") == ""
    logged = len(sim.log)
    with pytest.raises(Refused, match="tables"):
        create(sim, "one-more")
    assert len(sim.log) == logged
    assert "one-more" not in sim.engine.to_dict()["tables"]


def test_too_many_items_is_refused_before_anything_changes(monkeypatch):
    monkeypatch.setattr(simulation, "MAX_ITEMS", 2)
    sim = DynamoDBSimulation.fresh()
    create(sim)
    put(sim, "a")
    put(sim, "b")
    with pytest.raises(Refused, match="items"):
        put(sim, "c")
    assert sim.engine.totals()["Items"] == 2


def test_clock_steps_make_one_log_entry():
    sim = DynamoDBSimulation.fresh()
    service.advance(sim, 5)
    service.advance(sim, 60)
    assert len(sim.log) == 1
    assert sim.log.last["facts"] == {"kind": "Advance", "seconds": 65}


def test_a_preset_runs_to_its_end_and_says_so():
    sim = loaded("sparse-gsi")
    assert sim.preset["done"] == len(sim.preset["steps"])
    assert service.preset_step(sim) == "Every step of the preset has run."


def test_references_to_earlier_results_are_resolved():
    # batch-write-backoff retries "$1.UnprocessedItems": the result of step 2, kept for it
    sim = loaded("batch-write-backoff")
    assert sim.engine.totals()["Items"] == 25
    assert "1" in sim.preset["results"]
    assert all(str(n) in sim.preset["results"] for n in sim.preset["referred"] if n < 9)


def test_the_state_survives_its_parts():
    sim = loaded("sparse-gsi")
    copy = round_trip(sim)
    assert copy.engine.to_dict() == sim.engine.to_dict()
    assert copy.preset == sim.preset
    assert copy.last_read == sim.last_read
    assert [e["n"] for e in copy.log] == [e["n"] for e in sim.log]


def test_a_state_of_another_version_is_not_read():
    head, parts = DynamoDBSimulation.fresh().to_parts(changed=False)
    with pytest.raises(ValueError):
        DynamoDBSimulation.from_parts({**head, "version": 0}, parts)


def test_the_stream_cap_counts_only_writes_to_a_table_with_a_stream(monkeypatch):
    monkeypatch.setattr(simulation, "MAX_STREAM_RECORDS", 2)
    sim = DynamoDBSimulation.fresh()
    create(sim)  # no stream: only the item caps apply
    stream = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    create(sim, "streamed", StreamSpecification=stream)
    for pk in "abc":
        assert put(sim, pk) == ""
    step = {"Action": "PutItem", "TableName": "streamed", "Item": {"pk": {"S": "a"}}}
    assert service.call(sim, step) == ""
    assert service.call(sim, {**step, "Item": {"pk": {"S": "b"}}}) == ""
    with pytest.raises(Refused, match="streams hold 2 records"):
        service.call(sim, {**step, "Item": {"pk": {"S": "c"}}})
    put_c = {"PutRequest": {"Item": {"pk": {"S": "c"}}}}
    batch = {"Action": "BatchWriteItem", "RequestItems": {"streamed": [put_c]}}
    with pytest.raises(Refused, match="streams"):
        service.call(sim, batch)
