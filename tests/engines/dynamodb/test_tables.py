"""The control plane: CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable, and the
request checks every action shares. Sources: GUIDE + "ServiceQuotas.html", "HowItWorks
.ReadWriteCapacityMode.html"; API + "API_CreateTable.html", "API_ListTables.html"."""

from __future__ import annotations

import pytest

from .support import call, code, create, error, gsi, item, ok

T = "Music"
DEFS = [{"AttributeName": "Artist", "AttributeType": "S"}]
SCHEMA = [{"AttributeName": "Artist", "KeyType": "HASH"}]
PT = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}


def test_create_describe_delete(engine):
    created = ok(
        engine,
        "CreateTable",
        TableName=T,
        AttributeDefinitions=DEFS,
        KeySchema=SCHEMA,
        ProvisionedThroughput=PT,
    )
    description = created["TableDescription"]
    assert description["TableStatus"] == "ACTIVE"
    assert description["TableArn"] == "arn:aws:dynamodb:us-east-1:000000000000:table/Music"
    assert description["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert ok(engine, "DescribeTable", TableName=T)["Table"]["ItemCount"] == 0
    ok(engine, "PutItem", TableName=T, Item=item(Artist="a", Song="b"))
    described = ok(engine, "DescribeTable", TableName=description["TableArn"])["Table"]
    assert described["ItemCount"] == 1 and described["TableSizeBytes"] == 12
    assert ok(engine, "DeleteTable", TableName=T)["TableDescription"]["TableStatus"] == "DELETING"
    assert error(engine, "DescribeTable", TableName=T) == {
        "Code": "ResourceNotFoundException",
        "Message": "Requested resource not found: Table: Music not found",
    }


def test_creating_an_existing_table_is_resource_in_use(engine):
    create(engine, T)
    found = error(
        engine,
        "CreateTable",
        TableName=T,
        AttributeDefinitions=DEFS,
        KeySchema=SCHEMA,
        ProvisionedThroughput=PT,
    )
    assert found == {"Code": "ResourceInUseException", "Message": "Table already exists: Music"}


@pytest.mark.parametrize("name", ["ab", "a" * 256, "bad name", "ünïcode"])
def test_table_name_rules(engine, name):
    # ServiceQuotas.html: "Names for tables and secondary indexes must be at least 3 characters
    # long, but no greater than 255 characters long. The following are the allowed characters:
    # A-Z a-z 0-9 _ (underscore) - (hyphen) . (dot)"
    assert (
        code(
            engine,
            "CreateTable",
            TableName=name,
            AttributeDefinitions=DEFS,
            KeySchema=SCHEMA,
            ProvisionedThroughput=PT,
        )
        == "ValidationException"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"BillingMode": "PAY_PER_REQUEST", "ProvisionedThroughput": PT},
            "Neither ReadCapacityUnits nor WriteCapacityUnits",
        ),
        ({}, "ReadCapacityUnits and WriteCapacityUnits must both be specified"),
        (
            {"ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 1}},
            "greater than or equal to 1",
        ),
        (
            {
                "ProvisionedThroughput": PT,
                "KeySchema": [{"AttributeName": "Artist", "KeyType": "RANGE"}],
            },
            "not a HASH key type",
        ),
        (
            {
                "ProvisionedThroughput": PT,
                "AttributeDefinitions": [*DEFS, {"AttributeName": "x", "AttributeType": "S"}],
            },
            "does not exactly match",
        ),
        (
            {
                "ProvisionedThroughput": PT,
                "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "BOOL"}],
            },
            "enum value set: [B, N, S]",
        ),
        (  # an SDK caller may send any JSON: a name that is not a string is refused
            {"ProvisionedThroughput": PT, "KeySchema": [{"AttributeName": [], "KeyType": "HASH"}]},
            "Invalid KeySchema",
        ),
        (
            {"ProvisionedThroughput": {"ReadCapacityUnits": None, "WriteCapacityUnits": 5}},
            "must both be specified",
        ),
    ],
)
def test_create_table_validation(engine, params, message):
    request = {"TableName": T, "AttributeDefinitions": DEFS, "KeySchema": SCHEMA, **params}
    found = error(engine, "CreateTable", **request)
    assert found["Code"] == "ValidationException"
    assert message in found["Message"]


def test_per_table_throughput_quota(engine):
    # ServiceQuotas.html: per table "40,000 read capacity units and 40,000 write capacity units";
    # "These table-level quotas apply to the sum of a table's throughput together with the
    # throughput of all of its global secondary indexes."
    big = {"ReadCapacityUnits": 30_000, "WriteCapacityUnits": 10}
    found = error(
        engine,
        "CreateTable",
        TableName=T,
        AttributeDefinitions=[*DEFS, {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=SCHEMA,
        ProvisionedThroughput=big,
        GlobalSecondaryIndexes=[gsi("byG", "g", ProvisionedThroughput=big)],
    )
    assert found["Code"] == "LimitExceededException"


def test_index_count_limits(engine):
    # ServiceQuotas.html: "You can define a maximum of 5 local secondary indexes." "There is a
    # default quota of 20 global secondary indexes per table."
    defs = (
        DEFS
        + [{"AttributeName": "Song", "AttributeType": "S"}]
        + [{"AttributeName": f"a{n}", "AttributeType": "S"} for n in range(21)]
    )
    composite = [*SCHEMA, {"AttributeName": "Song", "KeyType": "RANGE"}]
    lsis = [gsi(f"lsi{n}", "Artist", f"a{n}") for n in range(6)]
    assert (
        "Too many LocalSecondaryIndexes"
        in error(
            engine,
            "CreateTable",
            TableName=T,
            AttributeDefinitions=defs[:8],
            KeySchema=composite,
            ProvisionedThroughput=PT,
            LocalSecondaryIndexes=lsis,
        )["Message"]
    )
    gsis = [gsi(f"gsi{n}", f"a{n}", ProvisionedThroughput=PT) for n in range(21)]
    assert (
        "Too many GlobalSecondaryIndexes"
        in error(
            engine,
            "CreateTable",
            TableName=T,
            AttributeDefinitions=defs,
            KeySchema=composite,
            ProvisionedThroughput=PT,
            GlobalSecondaryIndexes=gsis,
        )["Message"]
    )


def test_list_tables_pages(engine):
    # API Reference, ListTables: "LastEvaluatedTableName ... Use this value as the
    # ExclusiveStartTableName in a new request to obtain the next page of results".
    for name in ("ccc", "aaa", "bbb", "ddd"):
        create(engine, name)
    first = ok(engine, "ListTables", Limit=3)
    assert first == {"TableNames": ["aaa", "bbb", "ccc"], "LastEvaluatedTableName": "ccc"}
    assert ok(engine, "ListTables", ExclusiveStartTableName="ccc") == {"TableNames": ["ddd"]}
    assert code(engine, "ListTables", Limit=101) == "ValidationException"


def test_update_table_checks(engine):
    create(engine, T, rcu=5, wcu=5)
    assert "At least one of" in error(engine, "UpdateTable", TableName=T)["Message"]
    assert (
        "will not change"
        in error(engine, "UpdateTable", TableName=T, ProvisionedThroughput=PT)["Message"]
    )
    half = {"ReadCapacityUnits": None, "WriteCapacityUnits": 5}
    assert (
        "must both be specified"
        in error(engine, "UpdateTable", TableName=T, ProvisionedThroughput=half)["Message"]
    )
    ok(
        engine,
        "UpdateTable",
        TableName=T,
        ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
    )
    # ServiceQuotas.html: "You can create or delete only one global secondary index per
    # UpdateTable operation."
    two = [
        {"Create": gsi("byA", "a", ProvisionedThroughput=PT)},
        {"Create": gsi("byB", "b", ProvisionedThroughput=PT)},
    ]
    defs = [
        {"AttributeName": "a", "AttributeType": "S"},
        {"AttributeName": "b", "AttributeType": "S"},
    ]
    assert (
        code(
            engine,
            "UpdateTable",
            TableName=T,
            AttributeDefinitions=defs,
            GlobalSecondaryIndexUpdates=two,
        )
        == "LimitExceededException"
    )


def test_deletion_protection(engine):
    create(engine, T, DeletionProtectionEnabled=True)
    assert "protected against deletion" in error(engine, "DeleteTable", TableName=T)["Message"]
    ok(engine, "UpdateTable", TableName=T, DeletionProtectionEnabled=False)
    ok(engine, "DeleteTable", TableName=T)


def test_request_checks(engine):
    create(engine, T, pk=("Artist", "S"))
    assert code(engine, "Frobnicate") == "UnknownOperationException"
    found = error(engine, "GetItem", TableName=T, Key=item(Artist="a"), Colour="red")
    assert found["Message"].startswith('Unknown parameter in input: "Colour"')
    legacy = error(engine, "GetItem", TableName=T, Key=item(Artist="a"), AttributesToGet=["x"])
    assert "use ProjectionExpression instead" in legacy["Message"]
    assert error(engine, "GetItem", Key=item(Artist="a"))["Message"] == (
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
        "Member must not be null"
    )
    assert error(engine, "GetItem", TableName=T, Key=item(Other="a")) == {
        "Code": "ValidationException",
        "Message": "The provided key element does not match the schema",
    }
    assert (
        code(engine, "GetItem", TableName="Nope", Key=item(Artist="a"))
        == "ResourceNotFoundException"
    )
    assert (
        call(engine, "GetItem", TableName=T, Key=item(Artist="a"), ConsistentRead="yes")["Error"][
            "Code"
        ]
        == "ValidationException"
    )
