"""Streams and retention.

API_CreateStream: ResourceInUseException if the name exists; API_DescribeStreamSummary;
API_ListShards. API_IncreaseStreamRetentionPeriod / API_DecreaseStreamRetentionPeriod and
kinesis-extended-retention: 24 hours by default, from 24 to 8,760 hours; records older than
the retention period are no longer accessible; lengthening it does not bring them back.
"""

import json

import pytest

from studyapp.engines.kinesis import Kinesis, stream_view

from .conftest import error_code, make_stream, read_all

SHARD = "shardId-000000000000"
HOUR = 3600


def test_create_stream_twice_is_resource_in_use(kinesis):
    make_stream(kinesis)
    assert error_code(kinesis.create_stream, StreamName="s", ShardCount=1) == (
        "ResourceInUseException"
    )


def test_create_stream_needs_a_valid_name_and_shard_count(kinesis):
    assert error_code(kinesis.create_stream, StreamName="bad name", ShardCount=1) == (
        "ValidationException"
    )
    assert error_code(kinesis.create_stream, StreamName="s", ShardCount=0) == (
        "ValidationException"
    )


def test_describe_stream_summary(kinesis):
    make_stream(kinesis, 3)
    summary = kinesis.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "ACTIVE"
    assert summary["RetentionPeriodHours"] == 24
    assert summary["OpenShardCount"] == 3
    assert summary["StreamARN"] == "arn:aws:kinesis:us-east-1:000000000000:stream/s"


def test_missing_stream_is_resource_not_found(kinesis):
    assert error_code(kinesis.list_shards, StreamName="nope") == "ResourceNotFoundException"
    assert error_code(kinesis.describe_stream_summary, StreamName="nope") == (
        "ResourceNotFoundException"
    )


def test_delete_stream(kinesis):
    make_stream(kinesis)
    assert kinesis.delete_stream(StreamName="s") == {}
    assert kinesis.list_streams()["StreamNames"] == []


def test_records_older_than_24_hours_are_gone(kinesis, clock):
    make_stream(kinesis)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="old")
    clock.advance(12 * HOUR)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="new")
    clock.advance(12 * HOUR - 10)
    assert [r["Data"] for r in read_all(kinesis, SHARD)] == ["old", "new"]
    clock.advance(10)
    assert [r["Data"] for r in read_all(kinesis, SHARD)] == ["new"]


@pytest.mark.parametrize(
    ("action", "hours"),
    [
        ("increase_stream_retention_period", 8761),
        ("decrease_stream_retention_period", 23),
        ("decrease_stream_retention_period", 48),
    ],
)
def test_retention_must_stay_in_24_to_8760_hours_and_move_the_right_way(kinesis, action, hours):
    make_stream(kinesis)
    assert error_code(getattr(kinesis, action), StreamName="s", RetentionPeriodHours=hours) == (
        "InvalidArgumentException"
    )


def test_increase_retention_keeps_records_longer(kinesis, clock):
    make_stream(kinesis)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="kept")
    kinesis.increase_stream_retention_period(StreamName="s", RetentionPeriodHours=8760)
    clock.advance(100 * HOUR)
    assert [r["Data"] for r in read_all(kinesis, SHARD)] == ["kept"]
    summary = kinesis.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]
    assert summary["RetentionPeriodHours"] == 8760
    assert (
        error_code(
            kinesis.increase_stream_retention_period, StreamName="s", RetentionPeriodHours=24
        )
        == "InvalidArgumentException"
    )


def test_longer_retention_does_not_bring_back_expired_records(kinesis, clock):
    make_stream(kinesis)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="lost")
    clock.advance(25 * HOUR)
    kinesis.increase_stream_retention_period(StreamName="s", RetentionPeriodHours=48)
    assert read_all(kinesis, SHARD) == []


def test_decrease_retention_expires_records_sooner(kinesis, clock):
    make_stream(kinesis)
    kinesis.increase_stream_retention_period(StreamName="s", RetentionPeriodHours=72)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="x")
    clock.advance(30 * HOUR)
    assert len(read_all(kinesis, SHARD)) == 1
    kinesis.decrease_stream_retention_period(StreamName="s", RetentionPeriodHours=24)
    assert read_all(kinesis, SHARD) == []


def test_closed_parent_is_readable_until_retention_then_gone(kinesis, clock):
    make_stream(kinesis)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="old")
    kinesis.split_shard(StreamName="s", ShardToSplit=SHARD, NewStartingHashKey=str(2**127))
    clock.advance(23 * HOUR)
    assert [r["Data"] for r in read_all(kinesis, SHARD)] == ["old"]
    clock.advance(1 * HOUR)
    ids = [s["ShardId"] for s in kinesis.list_shards(StreamName="s")["Shards"]]
    assert SHARD not in ids
    assert (
        error_code(
            kinesis.get_shard_iterator, StreamName="s", ShardId=SHARD, ShardIteratorType="LATEST"
        )
        == "ResourceNotFoundException"
    )


def test_state_round_trips_through_json(kinesis, clock):
    make_stream(kinesis, 2)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="héllo")
    kinesis.split_shard(
        StreamName="s", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**126)
    )
    clock.advance(0.5)
    state = json.loads(json.dumps(kinesis.to_dict()))
    restored = Kinesis.from_dict(state)
    assert restored.to_dict() == kinesis.to_dict()
    assert restored.clock.now() == clock.now()
    assert restored.list_shards(StreamName="s") == kinesis.list_shards(StreamName="s")
    # Limits carry over: the same second's usage is remembered.
    assert stream_view(restored, "s") == stream_view(kinesis, "s")


def test_iterator_from_before_a_save_works_after_restore(kinesis):
    make_stream(kinesis)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="x")
    it = kinesis.get_shard_iterator(StreamName="s", ShardId=SHARD, ShardIteratorType="TRIM_HORIZON")
    restored = Kinesis.from_dict(json.loads(json.dumps(kinesis.to_dict())))
    assert restored.get_records(ShardIterator=it["ShardIterator"])["Records"][0]["Data"] == "x"


def test_stream_view_shows_shards_usage_and_recent_records(kinesis):
    make_stream(kinesis, 2)
    for i in range(3):
        kinesis.put_record(StreamName="s", PartitionKey="k", Data=f"r{i}")
    view = stream_view(kinesis, "s")
    assert view["OpenShardCount"] == 2
    assert view["limits"] == {
        "write_bytes": 1024 * 1024,
        "write_records": 1000,
        "read_bytes": 2 * 1024 * 1024,
        "read_calls": 5,
    }
    hot = next(s for s in view["shards"] if s["record_count"])
    assert hot["write"]["records"] == 3
    assert hot["write"]["bytes"] == 9  # "r0" + "k", three times
    assert [r["Data"] for r in hot["recent"]] == ["r0", "r1", "r2"]
    assert sum(s["width"] for s in view["shards"]) == pytest.approx(1.0)
    json.dumps(view)


def test_locate_and_describe_iterator_serve_the_page(kinesis, clock):
    make_stream(kinesis, 4)
    where = kinesis.locate("s", "abc")
    assert where["HashKey"] == str(0x900150983CD24FB0D6963F7D28E17F72)
    assert where["ShardId"] == "shardId-000000000002"
    it = kinesis.get_shard_iterator(StreamName="s", ShardId=SHARD, ShardIteratorType="LATEST")
    described = kinesis.describe_iterator(it["ShardIterator"])
    assert described["ShardId"] == SHARD
    assert described["ExpiresMs"] - described["IssuedMs"] == 300_000
    clock.advance(300)
    assert kinesis.describe_iterator(it["ShardIterator"])["Expired"] is True
