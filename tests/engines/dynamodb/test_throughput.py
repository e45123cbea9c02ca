"""Provisioned throughput on the virtual clock: per-second capacity, burst, partitions, hot keys,
throttling of single, batch and index writes. The model is ``throughput.py``'s docstring.

Sources: GUIDE + "ProvisionedThroughput.html", "bp-partition-key-design.html",
"HowItWorks.ReadWriteCapacityMode.html", "GSI.html"; API + "API_BatchWriteItem.html",
"API_BatchGetItem.html".
"""

from __future__ import annotations

from studyapp.engines.dynamodb import DynamoDB

from .support import advance, call, code, create, gsi, item, ok

T = "tbl"
THROTTLED = "ProvisionedThroughputExceededException"


def puts(engine, count, start=0, table=T):
    """Codes of ``count`` single-item writes made in the same instant ("" for success)."""
    results = [
        call(engine, "PutItem", TableName=table, Item=item(pk=f"k{start + n}"))
        for n in range(count)
    ]
    return [r.get("Error", {}).get("Code", "") for r in results]


def test_writes_past_the_provisioned_capacity_throttle(engine):
    # ProvisionedThroughput.html: "If your application performs reads or writes at a higher
    # rate than your table can support, DynamoDB begins to throttle those requests. When
    # DynamoDB throttles a read or write, it returns a ProvisionedThroughputExceededException".
    create(engine, T, rcu=5, wcu=5)
    assert puts(engine, 6) == [""] * 5 + [THROTTLED]
    failed = call(engine, "PutItem", TableName=T, Item=item(pk="x"))
    assert failed["ThrottlingReasons"] == [
        {
            "reason": "TableWriteProvisionedThroughputExceeded",
            "resource": "arn:aws:dynamodb:us-east-1:000000000000:table/tbl",
        }
    ]
    advance(engine, 1)
    assert puts(engine, 5, start=10) == [""] * 5


def test_eventually_consistent_reads_are_two_per_unit(engine):
    # "One read capacity unit represents one strongly consistent read per second, or two
    # eventually consistent reads per second, for an item up to 4 KB in size."
    create(engine, T, rcu=5, wcu=5)
    ok(engine, "PutItem", TableName=T, Item=item(pk="a"))
    eventual = [code_or_ok(engine, "GetItem", TableName=T, Key=item(pk="a")) for _ in range(11)]
    assert eventual == [""] * 10 + [THROTTLED]
    advance(engine, 1)
    strong = [
        code_or_ok(engine, "GetItem", TableName=T, Key=item(pk="a"), ConsistentRead=True)
        for _ in range(6)
    ]
    assert strong == [""] * 5 + [THROTTLED]


def code_or_ok(engine, action, **params):
    return call(engine, action, **params).get("Error", {}).get("Code", "")


def test_burst_capacity_keeps_up_to_300_seconds_of_unused_capacity(engine):
    # bp-partition-key-design.html: "DynamoDB currently retains up to 5 minutes (300 seconds) of
    # unused read and write capacity. During an occasional burst of read or write activity,
    # these extra capacity units can be consumed quickly—even faster than the per-second
    # provisioned throughput capacity that you've defined for your table."
    create(engine, T, rcu=5, wcu=2)
    advance(engine, 100)
    assert puts(engine, 203).count("") == 202  # 100 s banked + this second's 2
    advance(engine, 1000)
    assert puts(engine, 700, start=1000).count("") == 602  # capped at 300 s + this second


def test_throttled_requests_consume_nothing(engine):
    create(engine, T, rcu=1, wcu=1)
    puts(engine, 5)
    assert engine.tables[T].throughput.stats["ConsumedWriteCapacityUnits"] == 1
    assert engine.tables[T].throughput.stats["WriteThrottleEvents"] == 4


def test_partitions_follow_capacity_and_never_merge(engine):
    # bp-partition-key-design.html: "every partition in the table will strive to deliver the
    # full capacity of 3,000 RCU and 1,000 WCU"; HowItWorks.Partitions.html: DynamoDB
    # allocates additional partitions "If you increase the table's provisioned throughput
    # settings beyond what the existing partitions can support".
    create(engine, T, rcu=3000, wcu=3000)
    throughput = engine.tables[T].throughput
    assert throughput.partitions == 4  # 3,000 / 3,000 + 3,000 / 1,000
    ok(
        engine,
        "UpdateTable",
        TableName=T,
        ProvisionedThroughput={"ReadCapacityUnits": 3000, "WriteCapacityUnits": 6000},
    )
    assert throughput.partitions == 7
    ok(
        engine,
        "UpdateTable",
        TableName=T,
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    assert throughput.partitions == 7
    create(engine, "small", rcu=5, wcu=5)
    assert engine.tables["small"].throughput.partitions == 1
    create(engine, "ondemand", on_demand=True)
    assert engine.tables["ondemand"].throughput.partitions == 4


def test_a_hot_key_throttles_at_1000_wcu_although_the_table_has_more(engine):
    # bp-partition-key-design.html: "throttling will occur if a single partition receives more
    # than 3000 read operation or more than 1000 write operations"; ProvisionedThroughput.html:
    # "If a resulting "hot partition" goes past the per partition limits of 3000 RCU or 1000 WCU
    # per second, this can result in throttling."
    create(engine, T, rcu=3000, wcu=3000)
    hot = ok(
        engine,
        "Workload",
        TableName=T,
        RequestsPerSecond=1500,
        Seconds=2,
        HotKey="tenant-1",
        Seed=1,
    )
    assert hot["Requests"] == 3000
    assert hot["Throttled"] == 1000
    assert [s["Succeeded"] for s in hot["PerSecond"]] == [1000, 1000]
    spread = ok(
        engine, "Workload", TableName=T, RequestsPerSecond=1500, Seconds=2, Keys=10_000, Seed=1
    )
    assert spread["Throttled"] == 0
    assert len(spread["Partitions"]) == 4


def test_on_demand_tables_throttle_hot_keys_with_throttling_exception(engine):
    # API Reference, TransactionCanceledException: ThrottlingError "is returned when writes get
    # throttled on an On-Demand table".
    create(engine, T, on_demand=True)
    results = [
        code_or_ok(engine, "PutItem", TableName=T, Item=item(pk="hot", n=n)) for n in range(1001)
    ]
    assert results[:1000] == [""] * 1000
    assert results[1000] == "ThrottlingException"


def test_batch_write_returns_unprocessed_items_when_throttled(engine):
    # API Reference, BatchWriteItem: "If any requested operations fail because the table's
    # provisioned throughput is exceeded ... the failed operations are returned in the
    # UnprocessedItems response parameter." "if none of the items can be processed due to
    # insufficient provisioned throughput on all of the tables in the request, then
    # BatchWriteItem returns a ProvisionedThroughputExceededException."
    create(engine, T, rcu=5, wcu=5)
    requests = [{"PutRequest": {"Item": item(pk=f"k{n}")}} for n in range(25)]
    first = ok(engine, "BatchWriteItem", RequestItems={T: requests})
    assert len(first["UnprocessedItems"][T]) == 20
    assert first["UnprocessedItems"][T] == requests[5:]
    assert code(engine, "BatchWriteItem", RequestItems=first["UnprocessedItems"]) == THROTTLED
    remaining, waited = first["UnprocessedItems"], 0
    delay = 1
    while remaining:
        advance(engine, delay)
        waited += delay
        remaining = ok(engine, "BatchWriteItem", RequestItems=remaining)["UnprocessedItems"]
        delay *= 2
    assert waited == 1 + 2 + 4
    assert ok(engine, "DescribeTable", TableName=T)["Table"]["ItemCount"] == 25


def test_batch_get_returns_unprocessed_keys_when_throttled(engine):
    # API Reference, BatchGetItem: "If at least one of the items is successfully processed, then
    # BatchGetItem completes successfully, while returning the keys of the unread items in
    # UnprocessedKeys."
    create(engine, T, rcu=2, wcu=50)
    keys = [item(pk=f"k{n}") for n in range(6)]
    for key in keys:
        ok(engine, "PutItem", TableName=T, Item=key)
    result = ok(engine, "BatchGetItem", RequestItems={T: {"Keys": keys, "ConsistentRead": True}})
    assert len(result["Responses"][T]) == 2
    assert result["UnprocessedKeys"] == {T: {"Keys": keys[2:], "ConsistentRead": True}}


def test_gsi_without_write_capacity_throttles_table_writes(engine):
    # GSI.html: "For a table write to succeed, the provisioned throughput settings for the table
    # and all of its global secondary indexes must have enough write capacity to accommodate the
    # write. Otherwise, the write to the table is throttled."
    create(
        engine,
        T,
        rcu=100,
        wcu=100,
        GlobalSecondaryIndexes=[
            gsi(
                "byColour",
                "colour",
                ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
            )
        ],
    )
    ok(engine, "PutItem", TableName=T, Item=item(pk="a", colour="red"))
    failed = call(engine, "PutItem", TableName=T, Item=item(pk="b", colour="red"))
    assert failed["Error"]["Code"] == THROTTLED
    assert failed["ThrottlingReasons"][0]["reason"] == "IndexWriteProvisionedThroughputExceeded"
    ok(engine, "PutItem", TableName=T, Item=item(pk="c"))  # not in the index: no index write
    assert "Item" not in ok(engine, "GetItem", TableName=T, Key=item(pk="b"), ConsistentRead=True)


def test_a_large_scan_runs_once_then_the_debt_throttles(engine):
    # The model admits a request while capacity remains and charges its full cost, so a Scan
    # bigger than one second of capacity succeeds and the following reads wait for the refill.
    create(engine, T, rcu=2, wcu=1000)
    for n in range(40):
        ok(engine, "PutItem", TableName=T, Item=item(pk=f"k{n}", body="x" * 1000))
    advance(engine, 1)
    scan = ok(engine, "Scan", TableName=T, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert scan["Count"] == 40 and scan["ConsumedCapacity"]["CapacityUnits"] == 10
    assert code(engine, "GetItem", TableName=T, Key=item(pk="k1")) == THROTTLED
    advance(engine, 4)
    assert code_or_ok(engine, "GetItem", TableName=T, Key=item(pk="k1")) == ""


def test_on_demand_switch_and_capacity_checks(engine: DynamoDB):
    # HowItWorks.ReadWriteCapacityMode.html: "When calling DescribeTable on an on-demand table,
    # read capacity units and write capacity units are set to 0."
    create(engine, T, rcu=5, wcu=5)
    description = ok(engine, "UpdateTable", TableName=T, BillingMode="PAY_PER_REQUEST")[
        "TableDescription"
    ]
    assert description["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert puts(engine, 50) == [""] * 50
    assert (
        code(
            engine,
            "UpdateTable",
            TableName=T,
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        )
        == "ValidationException"
    )
