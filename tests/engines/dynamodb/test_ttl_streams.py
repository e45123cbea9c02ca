"""Time to Live and DynamoDB Streams (GUIDE + "howitworks-ttl.html",
"time-to-live-ttl-before-you-start.html", "time-to-live-ttl-streams.html", "Streams.html")."""

from __future__ import annotations

import pytest

from studyapp.engines.dynamodb import DynamoDB

from .support import advance, code, create, error, item, ok

T = "SessionData"
HOURS_48 = 48 * 3600


@pytest.fixture
def sessions(engine: DynamoDB) -> DynamoDB:
    create(
        engine,
        T,
        pk=("UserName", "S"),
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    ok(
        engine,
        "UpdateTimeToLive",
        TableName=T,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "ExpirationTime"},
    )
    return engine


def exists(engine, user) -> bool:
    return "Item" in ok(
        engine, "GetItem", TableName=T, Key=item(UserName=user), ConsistentRead=True
    )


def test_describe_and_update_time_to_live(engine):
    create(engine, T, pk=("UserName", "S"))
    assert ok(engine, "DescribeTimeToLive", TableName=T) == {
        "TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}
    }
    spec = {"Enabled": True, "AttributeName": "ExpirationTime"}
    assert ok(engine, "UpdateTimeToLive", TableName=T, TimeToLiveSpecification=spec) == {
        "TimeToLiveSpecification": spec
    }
    assert ok(engine, "DescribeTimeToLive", TableName=T)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "ExpirationTime",
    }
    # "You cannot reconfigure TTL to look for a different attribute. You must disable TTL, and
    # then reenable TTL with the new attribute going forward."
    other = {"Enabled": True, "AttributeName": "Other"}
    assert (
        "different AttributeName"
        in error(engine, "UpdateTimeToLive", TableName=T, TimeToLiveSpecification=other)["Message"]
    )


def test_expired_items_are_readable_until_deleted_within_48_hours(sessions):
    # howitworks-ttl.html: "Items that have expired, but haven't yet been deleted by TTL, still
    # appear in reads, queries, and scans." "TTL typically deletes expired items within 48 hours
    # of expiration."
    now = int(sessions.clock.now())
    for n in range(20):
        ok(
            sessions,
            "PutItem",
            TableName=T,
            Item=item(UserName=f"user{n}", ExpirationTime=now + 60),
        )
    advance(sessions, 61)
    assert all(exists(sessions, f"user{n}") for n in range(20))
    assert ok(sessions, "Scan", TableName=T)["Count"] == 20
    advance(sessions, HOURS_48)
    assert not any(exists(sessions, f"user{n}") for n in range(20))


def test_deletion_times_are_seeded_and_reproducible():
    def survivors(seed):
        engine = DynamoDB(seed=seed)
        create(engine, T, pk=("UserName", "S"))
        ok(
            engine,
            "UpdateTimeToLive",
            TableName=T,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"},
        )
        now = int(engine.clock.now())
        for n in range(30):
            ok(engine, "PutItem", TableName=T, Item=item(UserName=f"u{n}", exp=now))
        advance(engine, HOURS_48 // 2)
        return {e["UserName"]["S"] for e in ok(engine, "Scan", TableName=T)["Items"]}

    assert survivors(1) == survivors(1)
    assert survivors(1) != survivors(2)
    assert 0 < len(survivors(1)) < 30


def test_ttl_ignores_non_numbers_and_values_five_years_old(sessions):
    # time-to-live-ttl-before-you-start.html: "The TTL attribute's value must be a top-level
    # Number data type" ... "must be a datetimestamp with an expiration of no more than five
    # years in the past".
    now = int(sessions.clock.now())
    ok(sessions, "PutItem", TableName=T, Item=item(UserName="text", ExpirationTime=str(now)))
    ok(
        sessions,
        "PutItem",
        TableName=T,
        Item=item(UserName="ancient", ExpirationTime=now - 6 * 365 * 86400),
    )
    ok(
        sessions,
        "PutItem",
        TableName=T,
        Item=item(UserName="nested", data={"M": {"ExpirationTime": {"N": str(now)}}}),
    )
    advance(sessions, HOURS_48 + 1)
    assert exists(sessions, "text") and exists(sessions, "ancient") and exists(sessions, "nested")


def test_updating_the_ttl_attribute_is_honoured(sessions):
    # howitworks-ttl.html: "Items that are past their expiration, but have not yet been deleted
    # can still be updated, and successful updates to change or remove the expiration attribute
    # will be honored."
    now = int(sessions.clock.now())
    ok(sessions, "PutItem", TableName=T, Item=item(UserName="keep", ExpirationTime=now))
    advance(sessions, 1)
    ok(
        sessions,
        "UpdateItem",
        TableName=T,
        Key=item(UserName="keep"),
        UpdateExpression="REMOVE ExpirationTime",
    )
    advance(sessions, HOURS_48 + 1)
    assert exists(sessions, "keep")


def test_ttl_deletes_are_system_deletes_in_the_stream_and_free(sessions):
    # time-to-live-ttl-streams.html: items deleted by TTL have "userIdentity.type" "Service" and
    # "userIdentity.principalId" "dynamodb.amazonaws.com". TTL.html: "DynamoDB deletes the item
    # from your table without consuming any write throughput."
    now = int(sessions.clock.now())
    ok(sessions, "PutItem", TableName=T, Item=item(UserName="u", ExpirationTime=now))
    writes = sessions.tables[T].throughput.stats["ConsumedWriteCapacityUnits"]
    records = sessions.stream_records(T)
    for _ in range(49):  # read the stream every hour, as a consumer would
        advance(sessions, 3600)
        records = sessions.stream_records(T)
        if records[-1]["eventName"] == "REMOVE":
            break
    removal = records[-1]
    assert removal["eventName"] == "REMOVE"
    assert removal["userIdentity"] == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    assert sessions.tables[T].throughput.stats["ConsumedWriteCapacityUnits"] == writes


@pytest.mark.parametrize(
    ("view", "keys"),
    [
        ("KEYS_ONLY", {"Keys"}),
        ("NEW_IMAGE", {"Keys", "NewImage"}),
        ("OLD_IMAGE", {"Keys", "OldImage"}),
        ("NEW_AND_OLD_IMAGES", {"Keys", "NewImage", "OldImage"}),
    ],
)
def test_stream_view_types(engine, view, keys):
    # Streams.html: "KEYS_ONLY — Only the key attributes of the modified item. NEW_IMAGE — The
    # entire item, as it appears after it was modified. OLD_IMAGE — The entire item, as it
    # appeared before it was modified. NEW_AND_OLD_IMAGES — Both the new and the old images".
    create(
        engine,
        T,
        pk=("UserName", "S"),
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view},
    )
    ok(engine, "PutItem", TableName=T, Item=item(UserName="u", n=1))
    ok(engine, "PutItem", TableName=T, Item=item(UserName="u", n=2))
    ok(engine, "DeleteItem", TableName=T, Key=item(UserName="u"))
    records = engine.stream_records(T)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    modify = records[1]["dynamodb"]
    assert set(modify) & {"Keys", "NewImage", "OldImage"} == keys
    assert modify["Keys"] == item(UserName="u") and modify["StreamViewType"] == view
    sequence = [r["dynamodb"]["SequenceNumber"] for r in records]
    assert sequence == sorted(sequence) and len(set(sequence)) == 3
    assert engine.stream_records(T, after=sequence[0]) == records[1:]


def test_no_record_for_a_write_that_changes_nothing(sessions):
    # Streams.html: "If you perform a PutItem or UpdateItem operation that does not change any
    # data in an item, DynamoDB Streams does not write a stream record for that operation."
    ok(sessions, "PutItem", TableName=T, Item=item(UserName="u", n=1))
    ok(sessions, "PutItem", TableName=T, Item=item(UserName="u", n=1))
    ok(
        sessions,
        "UpdateItem",
        TableName=T,
        Key=item(UserName="u"),
        UpdateExpression="SET n = :n",
        ExpressionAttributeValues={":n": {"N": "1"}},
    )
    ok(sessions, "DeleteItem", TableName=T, Key=item(UserName="missing"))
    assert len(sessions.stream_records(T)) == 1


def test_stream_records_last_24_hours(sessions):
    # Streams.html: "stores this information in a log for up to 24 hours".
    ok(sessions, "PutItem", TableName=T, Item=item(UserName="u"))
    advance(sessions, 23 * 3600)
    assert len(sessions.stream_records(T)) == 1
    advance(sessions, 3601)
    assert sessions.stream_records(T) == []


def test_enabling_a_second_stream_or_disabling_none_fails(sessions):
    # Streams.html: "you receive a ResourceInUseException if you try to enable a stream on a
    # table that already has a stream. You receive a ValidationException if you try to disable a
    # stream on a table that doesn't have a stream."
    enable = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    assert (
        code(sessions, "UpdateTable", TableName=T, StreamSpecification=enable)
        == "ResourceInUseException"
    )
    ok(sessions, "UpdateTable", TableName=T, StreamSpecification={"StreamEnabled": False})
    assert (
        code(sessions, "UpdateTable", TableName=T, StreamSpecification={"StreamEnabled": False})
        == "ValidationException"
    )
    described = ok(sessions, "DescribeTable", TableName=T)["Table"]
    assert "StreamSpecification" not in described and described["LatestStreamArn"].endswith(
        described["LatestStreamLabel"]
    )
