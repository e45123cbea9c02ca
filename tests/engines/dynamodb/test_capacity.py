"""Consumed capacity, checked against the examples of the Developer Guide.

Sources: GUIDE + "ProvisionedThroughput.html" ("Capacity unit consumption for reads/writes"),
"HowItWorks.ReadWriteCapacityMode.html", "transaction-apis.html", "GSI.html", "LSI.html".
"""

from __future__ import annotations

import pytest

from studyapp.engines.dynamodb import DynamoDB, check_item

from .support import call, code, create, gsi, item, load, ok, units

KB = 1024
T = "tbl"


def sized(size: int, pk: str, sk: int | None = None, **extra) -> dict:
    """An item of exactly ``size`` bytes."""
    base = item(pk=pk, **({"sk": sk} if sk is not None else {}), **extra)
    room = size - check_item(base)[1] - len("data")
    assert room >= 0
    full = {**base, "data": {"S": "x" * room}}
    assert check_item(full)[1] == size
    return full


@pytest.fixture
def table(engine: DynamoDB) -> DynamoDB:
    create(engine, T, sk=("sk", "N"))
    return engine


def get_units(engine, key, consistent):
    result = ok(
        engine,
        "GetItem",
        TableName=T,
        Key=key,
        ConsistentRead=consistent,
        ReturnConsumedCapacity="TOTAL",
    )
    return units(result)


def test_getitem_rounds_the_item_up_to_4_kb(table):
    # "if you read an item that is 3.5 KB, DynamoDB rounds the item size to 4 KB. If you read an
    # item of 10 KB, DynamoDB rounds the item size to 12 KB." "For an eventually consistent
    # read (the default), divide this number by two."
    ok(table, "PutItem", TableName=T, Item=sized(3584, "a", 1))
    ok(table, "PutItem", TableName=T, Item=sized(10 * KB, "b", 1))
    assert get_units(table, item(pk="a", sk=1), True) == 1
    assert get_units(table, item(pk="a", sk=1), False) == 0.5
    assert get_units(table, item(pk="b", sk=1), True) == 3
    assert get_units(table, item(pk="b", sk=1), False) == 1.5


def test_an_8_kb_item_costs_2_strong_1_eventual_4_transactional(table):
    # HowItWorks.ReadWriteCapacityMode.html: "if your item size is 8 KB, you require 2 read
    # capacity units to sustain one strongly consistent read per second, 1 read capacity unit if
    # you choose eventually consistent reads, or 4 read capacity units for a transactional read"
    ok(table, "PutItem", TableName=T, Item=sized(8 * KB, "a", 1))
    assert get_units(table, item(pk="a", sk=1), True) == 2
    assert get_units(table, item(pk="a", sk=1), False) == 1
    result = ok(
        table,
        "TransactGetItems",
        TransactItems=[{"Get": {"TableName": T, "Key": item(pk="a", sk=1)}}],
        ReturnConsumedCapacity="TOTAL",
    )
    assert result["ConsumedCapacity"][0]["CapacityUnits"] == 4


def test_reading_a_missing_item_costs_the_minimum(table):
    # "If you perform a read operation on an item that does not exist, DynamoDB still consumes
    # provisioned read throughput: A strongly consistent read request consumes one read capacity
    # unit, while an eventually consistent read request consumes 0.5 of a read capacity unit."
    assert get_units(table, item(pk="none", sk=1), True) == 1
    assert get_units(table, item(pk="none", sk=1), False) == 0.5


def test_batchgetitem_rounds_each_item(table):
    # "if BatchGetItem reads a 1.5 KB item and a 6.5 KB item, DynamoDB calculates the size as 12
    # KB (4 KB + 8 KB), not 8 KB (1.5 KB + 6.5 KB)."
    ok(table, "PutItem", TableName=T, Item=sized(1536, "a", 1))
    ok(table, "PutItem", TableName=T, Item=sized(6656, "b", 1))
    result = ok(
        table,
        "BatchGetItem",
        RequestItems={
            T: {"Keys": [item(pk="a", sk=1), item(pk="b", sk=1)], "ConsistentRead": True}
        },
        ReturnConsumedCapacity="TOTAL",
    )
    assert result["ConsumedCapacity"] == [{"TableName": T, "CapacityUnits": 3.0}]
    assert len(result["Responses"][T]) == 2


def query_units(engine, **params):
    result = ok(
        engine,
        "Query",
        TableName=T,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "a"}, **params.pop("values", {})},
        ReturnConsumedCapacity="TOTAL",
        **params,
    )
    return units(result), result


def test_query_rounds_the_total_once(table):
    # "suppose your query returns 10 items whose combined size is 40.8 KB. DynamoDB rounds the
    # item size for the operation to 44 KB."
    total = int(40.8 * KB)
    load(table, T, [sized(total // 10 + (n < total % 10), "a", n) for n in range(10)])
    strong, result = query_units(table, ConsistentRead=True)
    assert result["Count"] == 10
    assert strong == 11
    eventual, _ = query_units(table)
    assert eventual == 5.5


def test_query_of_1500_items_of_64_bytes_reads_96_kb(table):
    # "If a query returns 1500 items of 64 bytes each, the cumulative size is 96 KB."
    load(table, T, [sized(64, "a", n) for n in range(1500)])
    strong, result = query_units(table, ConsistentRead=True)
    assert result["Count"] == 1500
    assert strong == 24  # ceil(96,000 bytes / 4 KB)


def test_eventually_consistent_80_kb_costs_10_units(table):
    # "For an eventually consistent read, if the total item size is 80 KB, the operation
    # consumes only 10 capacity units."
    load(table, T, [sized(4 * KB, "a", n) for n in range(20)])
    eventual, _ = query_units(table)
    assert eventual == 10


def test_filters_projections_and_counts_do_not_reduce_query_capacity(table):
    # Query.html: "the number of capacity units consumed is the same whether you request all of
    # the attributes (the default behavior) or just some of them (using a projection
    # expression). The number is also the same whether or not you use a filter expression."
    # ProvisionedThroughput.html: "Getting the count of items uses the same quantity of read
    # capacity units".
    for n in range(8):
        ok(
            table,
            "PutItem",
            TableName=T,
            Item=sized(3000, "a", n, colour="red" if n % 2 else "blue"),
        )
    plain, _ = query_units(table)
    filtered, result = query_units(
        table, FilterExpression="colour = :c", values={":c": {"S": "red"}}
    )
    projected, _ = query_units(table, ProjectionExpression="sk")
    counted, counted_result = query_units(table, Select="COUNT")
    assert plain == filtered == projected == counted == 3  # 24,000 bytes -> 6 blocks -> 3
    assert result["Count"] == 4 and result["ScannedCount"] == 8
    assert counted_result["Count"] == 8 and "Items" not in counted_result


def test_scan_counts_the_items_evaluated_not_returned(table):
    # "Scan—Reads all items in a table. DynamoDB considers the size of the items that are
    # evaluated, not the size of the items returned by the scan."
    for n in range(8):
        ok(table, "PutItem", TableName=T, Item=sized(4 * KB, f"p{n}", n))
    result = ok(
        table,
        "Scan",
        TableName=T,
        FilterExpression="sk = :none",
        ExpressionAttributeValues={":none": {"N": "-1"}},
        ConsistentRead=True,
        ReturnConsumedCapacity="TOTAL",
    )
    assert result["Count"] == 0 and result["ScannedCount"] == 8
    assert units(result) == 8


def write_units(engine, action, **params):
    return units(ok(engine, action, TableName=T, ReturnConsumedCapacity="TOTAL", **params))


def test_writes_round_up_to_1_kb(table):
    # "writing a 500-byte item consumes the same throughput as writing a 1 KB item"; "if you put
    # or delete an item of 1.6 KB, DynamoDB rounds the item size up to 2 KB."
    assert write_units(table, "PutItem", Item=sized(500, "a", 1)) == 1
    assert write_units(table, "PutItem", Item=sized(1638, "b", 1)) == 2
    assert write_units(table, "DeleteItem", Key=item(pk="b", sk=1)) == 2


def test_put_and_update_count_the_larger_of_before_and_after(table):
    # "PutItem ... the item size that matters is the larger of the two." "UpdateItem ...
    # consume the full amount of provisioned throughput (the larger of the "before" and "after"
    # item sizes)."
    ok(table, "PutItem", TableName=T, Item=sized(3 * KB, "a", 1))
    assert write_units(table, "PutItem", Item=sized(100, "a", 1)) == 3
    assert (
        write_units(
            table,
            "UpdateItem",
            Key=item(pk="a", sk=1),
            UpdateExpression="SET big = :b",
            ExpressionAttributeValues={":b": {"S": "y" * 5000}},
        )
        == 5
    )
    assert (
        write_units(table, "UpdateItem", Key=item(pk="a", sk=1), UpdateExpression="REMOVE big") == 5
    )


def test_deleting_a_missing_item_costs_one_unit(table):
    # API Reference, BatchWriteItem: "Delete operations on nonexistent items consume one write
    # capacity unit."
    assert write_units(table, "DeleteItem", Key=item(pk="none", sk=1)) == 1


def test_batchwriteitem_rounds_each_item(table):
    # "if BatchWriteItem writes a 500-byte item and a 3.5 KB item, DynamoDB calculates the size
    # as 5 KB (1 KB + 4 KB), not 4 KB (500 bytes + 3.5 KB)."
    result = ok(
        table,
        "BatchWriteItem",
        RequestItems={
            T: [
                {"PutRequest": {"Item": sized(500, "a", 1)}},
                {"PutRequest": {"Item": sized(3584, "b", 1)}},
            ]
        },
        ReturnConsumedCapacity="TOTAL",
    )
    assert result == {
        "UnprocessedItems": {},
        "ConsumedCapacity": [{"TableName": T, "CapacityUnits": 5.0}],
    }


def test_transactions_cost_two_units_per_item(table):
    # transaction-apis.html: "each transaction writes three 500-byte items in your table. Each
    # item requires two write capacity units (WCUs) ... you would need to provision six WCUs";
    # "reads three 500-byte items ... you would need to provision six read capacity units".
    puts = [{"Put": {"TableName": T, "Item": sized(500, f"k{n}", 1)}} for n in range(3)]
    result = ok(table, "TransactWriteItems", TransactItems=puts, ReturnConsumedCapacity="TOTAL")
    assert result["ConsumedCapacity"][0]["CapacityUnits"] == 6
    gets = [{"Get": {"TableName": T, "Key": item(pk=f"k{n}", sk=1)}} for n in range(3)]
    result = ok(table, "TransactGetItems", TransactItems=gets, ReturnConsumedCapacity="TOTAL")
    assert result["ConsumedCapacity"][0]["CapacityUnits"] == 6


def consumed_writes(engine):
    return engine.tables[T].throughput.stats["ConsumedWriteCapacityUnits"]


def test_failed_conditional_writes_still_consume_capacity(table):
    # "If the expression evaluates to false, DynamoDB still consumes write capacity units from
    # the table: For an existing item, the number of write capacity units consumed depends on
    # the size of the new item. ... For a new item, DynamoDB consumes one write capacity unit."
    before = consumed_writes(table)
    failed = call(
        table,
        "PutItem",
        TableName=T,
        Item=sized(3 * KB, "new", 1),
        ConditionExpression="attribute_exists(pk)",
    )
    assert failed["Error"]["Code"] == "ConditionalCheckFailedException"
    assert consumed_writes(table) - before == 1
    ok(table, "PutItem", TableName=T, Item=sized(KB, "old", 1))
    before = consumed_writes(table)
    failed = call(
        table,
        "PutItem",
        TableName=T,
        Item=sized(2 * KB, "old", 1),
        ConditionExpression="attribute_not_exists(pk)",
    )
    assert failed["Error"]["Code"] == "ConditionalCheckFailedException"
    assert consumed_writes(table) - before == 2


def test_return_consumed_capacity_none_total_and_indexes(engine):
    # API Reference, ReturnConsumedCapacity: "INDEXES - The response includes the aggregate
    # ConsumedCapacity for the operation, together with ConsumedCapacity for each table and
    # secondary index that was accessed ... TOTAL - The response includes only the aggregate
    # ConsumedCapacity ... NONE - No ConsumedCapacity details are included in the response."
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
    plain = ok(engine, "PutItem", TableName=T, Item=item(pk="a", colour="red"))
    assert plain == {}
    total = ok(
        engine,
        "PutItem",
        TableName=T,
        Item=item(pk="b", colour="red"),
        ReturnConsumedCapacity="TOTAL",
    )
    assert total["ConsumedCapacity"] == {"TableName": T, "CapacityUnits": 2.0}
    indexes = ok(
        engine,
        "PutItem",
        TableName=T,
        Item=item(pk="c", colour="red"),
        ReturnConsumedCapacity="INDEXES",
    )
    assert indexes["ConsumedCapacity"] == {
        "TableName": T,
        "CapacityUnits": 2.0,
        "Table": {"CapacityUnits": 1.0},
        "GlobalSecondaryIndexes": {"byColour": {"CapacityUnits": 1.0}},
    }
    assert (
        code(engine, "GetItem", TableName=T, Key=item(pk="a"), ReturnConsumedCapacity="ALL")
        == "ValidationException"
    )
