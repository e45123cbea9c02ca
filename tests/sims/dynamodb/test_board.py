"""The DynamoDB page's view-model: partitions with their heat, capacity meters, index views, what
the last read read versus returned, and the item editor's preview in words."""

from __future__ import annotations

from studyapp.sims.dynamodb import board, editor, service
from studyapp.sims.dynamodb.simulation import DynamoDBSimulation

from .test_service import loaded


def test_a_hot_key_makes_one_partition_hot_and_the_write_meter_red():
    # 1,500 writes a second to one key: its partition takes 1,000 WCU (its limit), 500 throttle
    table = board.board(loaded("hot-partition", steps=2))["tables"][0]
    assert table["partition_count"] == 4
    hot = [p for p in table["partitions"] if p["hot"]]
    assert len(hot) == 1
    assert hot[0]["heat"] == 5 and hot[0]["write_units"] == "1,000" and hot[0]["pct"] == 100
    assert all(p["heat"] == 0 for p in table["partitions"] if not p["hot"])
    writes = next(m for m in table["meters"] if m["kind"] == "write")
    assert writes["throttled"] == 500
    assert [s["throttled"] for s in writes["spark"]] == [500, 500]
    assert writes["pct"] == 33  # 1,000 of the table's 3,000 WCU: throttled with capacity to spare


def test_spread_keys_keep_every_partition_below_its_limit():
    table = board.board(loaded("hot-partition", steps=3))["tables"][0]
    assert not any(p["hot"] for p in table["partitions"])
    assert all(1 <= p["heat"] <= 4 for p in table["partitions"])
    writes = next(m for m in table["meters"] if m["kind"] == "write")
    assert writes["throttled"] == 0


def test_a_sparse_index_is_drawn_with_only_its_items_and_marks_what_a_scan_read():
    sim = loaded("sparse-gsi", steps=3)
    table = board.board(sim)["tables"][0]
    (index,) = table["indexes"]
    assert (index["name"], index["kind"], index["count"], table["items"]) == (
        "OpenOrders",
        "GSI",
        3,
        12,
    )
    assert index["sparse"] is True
    assert index["meters"]  # a GSI has its own capacity
    marks = [i["mark"] for p in index["partitions"] for c in p["collections"] for i in c["items"]]
    assert marks == ["returned"] * 3
    # the table's own items were not read by the index scan
    assert not any(
        i["mark"] for p in table["partitions"] for c in p["collections"] for i in c["items"]
    )


def test_the_read_explanation_separates_what_was_read_from_what_was_returned():
    read = board.board(loaded("query-vs-scan-cost"))["read"]
    assert read["kind"] == "Scan"
    assert len(read["reads"]) == 24
    assert sum(1 for r in read["reads"] if r["kept"]) == 4
    text = " ".join(read["points"])
    assert "rounded up to 5 × 4 KB: 2.5 RCU" in text
    assert "The 20 it dropped were read and paid for all the same." in text
    assert "No LastEvaluatedKey" in text


def test_a_page_that_stopped_early_offers_the_next_one():
    read = board.board(loaded("pagination-last-evaluated-key", steps=3))["read"]
    assert any("Limit 4 ended the page" in p for p in read["points"])


def test_the_forms_show_blanks_not_the_names_of_dict_methods():
    context = board.build(DynamoDBSimulation.fresh())
    for form in ("editor", "reader", "workload"):
        for name in ("values", "items", "keys"):
            value = context[form].get(name, "")
            assert not callable(value) and "dict_" not in str(value)
    assert context["reader"]["values"] == "" and context["editor"]["values"] == ""


def test_the_log_is_newest_first_in_sentences():
    log = board.board(loaded("optimistic-locking"))["log"]
    assert log[0]["n"] > log[-1]["n"]
    failed = [e for e in log if e["error"]]
    assert len(failed) == 1
    assert "ConditionalCheckFailedException" in failed[0]["sentence"]


def test_a_preset_links_the_study_guide_pages_it_teaches():
    preset = board.board(loaded("sparse-gsi", steps=0))["preset"]
    assert [t["slug"] for t in preset["teaches"]] == ["dynamodb-queries-and-indexes"]
    assert preset["teaches"][0]["url"].rstrip("/").endswith("/dynamodb-queries-and-indexes")
    assert (preset["done"], preset["total"]) == (0, 7)


def test_the_preview_tells_a_failing_condition_and_index_writes():
    sim = loaded("sparse-gsi", steps=2)
    open_order = {
        "Action": "PutItem",
        "TableName": "Orders",
        "Item": {"orderId": {"S": "o-99"}, "openSince": {"S": "2024-01-01"}},
    }
    shown = editor.preview_view(service.preview_item(sim, open_order))
    assert shown["ok"] and "for the index OpenOrders (a new entry)" in shown["cost_text"]
    failing = {**open_order, "Item": {"orderId": {"S": "o-00"}}}
    failing["ConditionExpression"] = "attribute_not_exists(orderId)"
    shown = editor.preview_view(service.preview_item(sim, failing))
    assert "would fail with ConditionalCheckFailedException" in shown["cost_text"]
    missing = editor.preview_view(service.preview_item(sim, {**open_order, "TableName": "Nope"}))
    assert missing["ok"] is False and missing["Code"] == "ResourceNotFoundException"
