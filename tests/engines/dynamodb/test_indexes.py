"""Global and local secondary indexes: projections, sparseness, consistency, capacity.

Sources: GUIDE + "GSI.html", "LSI.html", "bp-indexes-general-sparse-indexes.html"; API +
"API_Query.html".
"""

from __future__ import annotations

import pytest

from studyapp.engines.dynamodb import DynamoDB, check_item
from studyapp.engines.dynamodb import limits as dynamodb_limits

from .support import call, create, error, gsi, item, ok, units

T = "GameScores"
PT = {"ReadCapacityUnits": 100, "WriteCapacityUnits": 100}


@pytest.fixture
def scores(engine: DynamoDB) -> DynamoDB:
    create(
        engine,
        T,
        pk=("UserId", "S"),
        sk=("GameTitle", "S"),
        types={"TopScore": "N", "Award": "S"},
        GlobalSecondaryIndexes=[
            gsi(
                "GameTitleIndex",
                "GameTitle",
                "TopScore",
                "INCLUDE",
                NonKeyAttributes=["Wins"],
                ProvisionedThroughput=PT,
            ),
            gsi("AwardIndex", "Award", projection="KEYS_ONLY", ProvisionedThroughput=PT),
        ],
    )
    for user, game, score, wins in [
        ("101", "Galaxy Invaders", 5842, 21),
        ("102", "Galaxy Invaders", 1000, 3),
        ("103", "Galaxy Invaders", 9000, 40),
        ("101", "Meteor Blasters", 1000, 12),
    ]:
        ok(
            engine,
            "PutItem",
            TableName=T,
            Item=item(UserId=user, GameTitle=game, TopScore=score, Wins=wins, Losses=1),
        )
    ok(
        engine,
        "PutItem",
        TableName=T,
        Item=item(UserId="103", GameTitle="Starship X", TopScore=24, Award="Champ"),
    )
    return engine


def index_query(engine, index, condition, values, **extra):
    return ok(
        engine,
        "Query",
        TableName=T,
        IndexName=index,
        KeyConditionExpression=condition,
        ExpressionAttributeValues={k: item(x=v)["x"] for k, v in values.items()},
        **extra,
    )


def test_gsi_query_orders_by_the_index_sort_key_and_projects(scores):
    # GSI.html: "The partition key and sort key of the table are always projected into the
    # index"; INCLUDE adds the NonKeyAttributes.
    result = index_query(
        scores,
        "GameTitleIndex",
        "GameTitle = :g",
        {":g": "Galaxy Invaders"},
        ScanIndexForward=False,
    )
    assert [e["TopScore"]["N"] for e in result["Items"]] == ["9000", "5842", "1000"]
    assert set(result["Items"][0]) == {"UserId", "GameTitle", "TopScore", "Wins"}


def test_sparse_index_holds_only_items_with_the_key(scores):
    # GSI.html: "If a table contains an item where a particular attribute is not defined, but
    # that attribute is defined as an index partition key or sort key, DynamoDB doesn't write
    # any data for that item to the index."
    scan = ok(scores, "Scan", TableName=T, IndexName="AwardIndex")
    assert scan["Items"] == [item(UserId="103", GameTitle="Starship X", Award="Champ")]
    assert (
        ok(scores, "DescribeTable", TableName=T)["Table"]["GlobalSecondaryIndexes"][1]["ItemCount"]
        == 1
    )


def test_gsi_reads_are_eventually_consistent_only(scores):
    # API Reference, Query: "Strongly consistent reads are not supported on global secondary
    # indexes. If you query a global secondary index with ConsistentRead set to true, you will
    # receive a ValidationException."
    found = error(
        scores,
        "Query",
        TableName=T,
        IndexName="GameTitleIndex",
        KeyConditionExpression="GameTitle = :g",
        ExpressionAttributeValues={":g": {"S": "Galaxy Invaders"}},
        ConsistentRead=True,
    )
    assert found == {
        "Code": "ValidationException",
        "Message": "Consistent reads are not supported on global secondary indexes",
    }


def test_gsi_cannot_fetch_unprojected_attributes(scores):
    # API Reference, Query Select: "Global secondary index queries cannot fetch attributes from
    # the parent table."
    found = error(
        scores,
        "Query",
        TableName=T,
        IndexName="AwardIndex",
        KeyConditionExpression="Award = :a",
        ExpressionAttributeValues={":a": {"S": "Champ"}},
        Select="ALL_ATTRIBUTES",
    )
    assert "projection type is not ALL" in found["Message"]
    assert (
        "does not have the specified index"
        in error(scores, "Scan", TableName=T, IndexName="Nope")["Message"]
    )


def test_index_key_types_are_checked_on_write(scores):
    # GSI.html: "If you try to add an item to the GameScores table and specify a different data
    # type for either GameTitle or TopScore, DynamoDB returns a ValidationException because of
    # the data type mismatch."
    found = error(
        scores, "PutItem", TableName=T, Item=item(UserId="1", GameTitle="g", TopScore="high")
    )
    assert found["Code"] == "ValidationException"
    assert "Type mismatch for Index Key TopScore" in found["Message"]


def test_gsi_query_capacity_uses_entry_sizes(engine):
    # GSI.html: "consider a global secondary index where each item contains 2,000 bytes of data.
    # Now suppose that you Query this index and that the query's KeyConditionExpression matches
    # eight items. ... the total cost is 0.5 × (16 KB / 4 KB), or 2 read capacity units."  # noqa: RUF003
    create(
        engine,
        T,
        pk=("UserId", "S"),
        GlobalSecondaryIndexes=[gsi("ByGame", "Game", ProvisionedThroughput=PT)],
    )
    for n in range(8):
        base = item(UserId=f"u{n}", Game="g")
        pad = 2000 - check_item(base)[1] - len("pad")
        ok(engine, "PutItem", TableName=T, Item={**base, "pad": {"S": "x" * pad}})
    result = index_query(
        engine, "ByGame", "Game = :g", {":g": "g"}, ReturnConsumedCapacity="INDEXES"
    )
    assert result["Count"] == 8
    assert result["ConsumedCapacity"] == {
        "TableName": T,
        "CapacityUnits": 2.0,
        "Table": {"CapacityUnits": 0.0},
        "GlobalSecondaryIndexes": {"ByGame": {"CapacityUnits": 2.0}},
    }
    reads = engine.tables[T].gsis["ByGame"].throughput.stats["ConsumedReadCapacityUnits"]
    assert reads == 2.0 and engine.tables[T].throughput.stats["ConsumedReadCapacityUnits"] == 0


def index_units(engine, action, **params):
    result = ok(engine, action, TableName=T, ReturnConsumedCapacity="INDEXES", **params)
    return result["ConsumedCapacity"].get("GlobalSecondaryIndexes", {})


def test_gsi_write_costs(engine):
    # GSI.html, "Write capacity units": a new indexed item is one index write; changing an
    # indexed key value is two ("one to delete the previous item from the index and another
    # write to put the new item into the index"); removing the indexed attribute is one; "If an
    # item is not present in the index before or after the item is updated, there is no
    # additional write cost for the index"; changing only projected attributes is one.
    create(
        engine,
        T,
        pk=("UserId", "S"),
        GlobalSecondaryIndexes=[
            gsi(
                "ByGame",
                "Game",
                projection="INCLUDE",
                NonKeyAttributes=["Wins"],
                ProvisionedThroughput=PT,
            )
        ],
    )
    key = item(UserId="u1")
    assert index_units(engine, "PutItem", Item=item(UserId="u1", Game="a", Wins=1)) == {
        "ByGame": {"CapacityUnits": 1.0}
    }
    change = {
        "Key": key,
        "UpdateExpression": "SET Game = :g",
        "ExpressionAttributeValues": {":g": {"S": "b"}},
    }
    assert index_units(engine, "UpdateItem", **change) == {"ByGame": {"CapacityUnits": 2.0}}
    wins = {
        "Key": key,
        "UpdateExpression": "SET Wins = :w",
        "ExpressionAttributeValues": {":w": {"N": "2"}},
    }
    assert index_units(engine, "UpdateItem", **wins) == {"ByGame": {"CapacityUnits": 1.0}}
    other = {
        "Key": key,
        "UpdateExpression": "SET Losses = :l",
        "ExpressionAttributeValues": {":l": {"N": "2"}},
    }
    assert index_units(engine, "UpdateItem", **other) == {}
    assert index_units(engine, "UpdateItem", Key=key, UpdateExpression="REMOVE Game") == {
        "ByGame": {"CapacityUnits": 1.0}
    }
    assert index_units(engine, "PutItem", Item=item(UserId="u2", Losses=3)) == {}


def test_lsi_reads_may_be_strong_and_fetch_unprojected_attributes(engine):
    # LSI.html: "You can query a local secondary index using either eventually consistent or
    # strongly consistent reads." "you are charged for read capacity units for every base table
    # item fetched. This charge is for reading each entire item from the table" - the guide's
    # example: 4 index entries (rounded together to 4 KB) plus 4 items (each rounded to 4 KB).
    create(
        engine,
        T,
        pk=("ForumName", "S"),
        sk=("Subject", "S"),
        LocalSecondaryIndexes=[gsi("LastPostIndex", "ForumName", "LastPostDateTime", "KEYS_ONLY")],
    )
    for n in range(4):
        ok(
            engine,
            "PutItem",
            TableName=T,
            Item=item(
                ForumName="S3", Subject=f"s{n}", LastPostDateTime=f"2024-0{n + 1}", Tags="x" * 200
            ),
        )
    common = {
        "TableName": T,
        "IndexName": "LastPostIndex",
        "KeyConditionExpression": "ForumName = :f",
        "ExpressionAttributeValues": {":f": {"S": "S3"}},
        "ConsistentRead": True,
        "ReturnConsumedCapacity": "TOTAL",
    }
    keys_only = ok(engine, "Query", **common)
    assert units(keys_only) == 1 and "Tags" not in keys_only["Items"][0]
    fetched = ok(engine, "Query", **common, Select="ALL_ATTRIBUTES")
    assert units(fetched) == 1 + 4 and fetched["Items"][0]["Tags"] == {"S": "x" * 200}


def test_lsis_are_defined_at_creation_only(engine):
    # LSI.html: "Local secondary indexes on a table are created when the table is created."
    create(engine, T, pk=("ForumName", "S"), sk=("Subject", "S"))
    result = call(
        engine,
        "UpdateTable",
        TableName=T,
        LocalSecondaryIndexUpdates=[{"Create": gsi("NewIndex", "ForumName", "Other")}],
    )
    assert result["Error"]["Code"] == "ValidationException"
    assert "Unknown parameter" in result["Error"]["Message"]


def test_lsi_needs_the_tables_partition_key_and_a_sort_key(engine):
    found = error(
        engine,
        "CreateTable",
        TableName=T,
        AttributeDefinitions=[
            {"AttributeName": "a", "AttributeType": "S"},
            {"AttributeName": "b", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}],
        ProvisionedThroughput=PT,
        LocalSecondaryIndexes=[gsi("ByB", "a", "b")],
    )
    assert "does not have a range key" in found["Message"]


def test_gsi_added_later_is_backfilled(scores):
    # GSI.OnlineOps.html: adding a global secondary index to an existing table backfills it.
    ok(
        scores,
        "UpdateTable",
        TableName=T,
        AttributeDefinitions=[{"AttributeName": "Wins", "AttributeType": "N"}],
        GlobalSecondaryIndexUpdates=[
            {"Create": gsi("ByWins", "Wins", projection="KEYS_ONLY", ProvisionedThroughput=PT)}
        ],
    )
    result = index_query(scores, "ByWins", "Wins = :w", {":w": 40})
    assert result["Items"] == [item(UserId="103", GameTitle="Galaxy Invaders", Wins=40)]
    ok(
        scores,
        "UpdateTable",
        TableName=T,
        GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "ByWins"}}],
    )
    assert (
        "does not have the specified index"
        in error(scores, "Scan", TableName=T, IndexName="ByWins")["Message"]
    )


def test_item_collection_size_limit_with_an_lsi(engine, monkeypatch):
    # LSI.html: "If an item collection exceeds the 10 GB limit, DynamoDB returns an
    # ItemCollectionSizeLimitExceededException" (the limit is lowered here to test it).
    monkeypatch.setattr(dynamodb_limits, "ITEM_COLLECTION_MAX_BYTES", 2000)
    create(
        engine,
        T,
        pk=("ForumName", "S"),
        sk=("Subject", "S"),
        LocalSecondaryIndexes=[gsi("ByDate", "ForumName", "Posted")],
    )
    ok(engine, "PutItem", TableName=T, Item=item(ForumName="f", Subject="a", body="x" * 800))
    found = error(
        engine,
        "PutItem",
        TableName=T,
        Item=item(ForumName="f", Subject="b", body="x" * 800, Posted="d"),
    )
    assert found["Code"] == "ItemCollectionSizeLimitExceededException"
    ok(
        engine,
        "PutItem",
        TableName=T,
        Item=item(ForumName="other", Subject="b", body="x" * 800, Posted="d"),
    )
