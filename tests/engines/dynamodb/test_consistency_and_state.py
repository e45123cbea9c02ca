"""Read consistency (simulated replication lag) and the engine state as plain JSON.

GUIDE + "HowItWorks.ReadConsistency.html": "The data is eventually consistent across all
storage locations, usually within one second or less." "When you request a strongly consistent
read, DynamoDB returns a response with the most up-to-date data".
"""

from __future__ import annotations

import json

from studyapp.engines.dynamodb import DynamoDB

from .support import advance, create, gsi, item, ok

T = "tbl"


def lagging() -> DynamoDB:
    engine = DynamoDB(consistency_lag=1.0)
    create(
        engine,
        T,
        sk=("sk", "N"),
        GlobalSecondaryIndexes=[
            gsi(
                "byColour",
                "colour",
                ProvisionedThroughput={"ReadCapacityUnits": 90, "WriteCapacityUnits": 90},
            )
        ],
    )
    return engine


def get(engine, consistent):
    return ok(
        engine, "GetItem", TableName=T, Key=item(pk="a", sk=1), ConsistentRead=consistent
    ).get("Item")


def test_eventually_consistent_reads_may_miss_a_recent_write():
    engine = lagging()
    ok(engine, "PutItem", TableName=T, Item=item(pk="a", sk=1, v=1))
    assert get(engine, consistent=False) is None
    assert get(engine, consistent=True) == item(pk="a", sk=1, v=1)
    advance(engine, 1)
    ok(engine, "PutItem", TableName=T, Item=item(pk="a", sk=1, v=2))
    assert get(engine, consistent=False) == item(pk="a", sk=1, v=1)
    advance(engine, 1)
    assert get(engine, consistent=False) == item(pk="a", sk=1, v=2)


def test_queries_and_index_reads_lag_too():
    engine = lagging()
    ok(engine, "PutItem", TableName=T, Item=item(pk="a", sk=1, colour="red"))
    advance(engine, 5)
    ok(engine, "PutItem", TableName=T, Item=item(pk="a", sk=1, colour="blue"))
    query = {
        "TableName": T,
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "a"}},
    }
    assert ok(engine, "Query", **query)["Items"] == [item(pk="a", sk=1, colour="red")]
    assert ok(engine, "Query", **query, ConsistentRead=True)["Items"] == [
        item(pk="a", sk=1, colour="blue")
    ]
    by_blue = {
        "TableName": T,
        "IndexName": "byColour",
        "KeyConditionExpression": "colour = :c",
        "ExpressionAttributeValues": {":c": {"S": "blue"}},
    }
    assert ok(engine, "Query", **by_blue)["Items"] == []
    advance(engine, 1)
    assert ok(engine, "Query", **by_blue)["Count"] == 1


def test_default_engine_has_no_lag(engine):
    create(engine, T, sk=("sk", "N"))
    ok(engine, "PutItem", TableName=T, Item=item(pk="a", sk=1))
    assert get(engine, consistent=False) == item(pk="a", sk=1)


def test_state_round_trips_through_json():
    engine = lagging()
    ok(
        engine,
        "UpdateTable",
        TableName=T,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    ok(
        engine,
        "UpdateTimeToLive",
        TableName=T,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"},
    )
    now = int(engine.clock.now())
    for n in range(20):
        ok(
            engine,
            "PutItem",
            TableName=T,
            Item=item(
                pk=f"k{n % 4}",
                sk=n,
                colour="red" if n % 2 else "blue",
                exp=now + n,
                b={"B": "AQI="},
            ),
        )
    ok(
        engine,
        "TransactWriteItems",
        TransactItems=[{"Put": {"TableName": T, "Item": item(pk="t", sk=0)}}],
        ClientRequestToken="tok",
    )
    state = engine.to_dict()
    text = json.dumps(state)
    restored = DynamoDB.from_dict(json.loads(text))
    assert json.dumps(restored.to_dict(), sort_keys=True) == json.dumps(state, sort_keys=True)
    for action, params in [
        ("Scan", {"TableName": T}),
        (
            "Query",
            {
                "TableName": T,
                "IndexName": "byColour",
                "KeyConditionExpression": "colour = :c",
                "ExpressionAttributeValues": {":c": {"S": "red"}},
            },
        ),
        ("GetItem", {"TableName": T, "Key": item(pk="k1", sk=1)}),
        ("DescribeTable", {"TableName": T}),
        ("Advance", {"Seconds": 3 * 86400}),
        ("Scan", {"TableName": T, "ReturnConsumedCapacity": "TOTAL"}),
    ]:
        assert restored.apply({"Action": action, **params}) == engine.apply(
            {"Action": action, **params}
        )
    assert restored.stream_records(T) == engine.stream_records(T)
