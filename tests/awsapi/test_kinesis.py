"""Kinesis Data Streams through the endpoint with boto3, on the learner's own simulator."""

from datetime import UTC, datetime

import pytest
import time_machine

pytestmark = pytest.mark.django_db(transaction=True)


def _records(kinesis, stream, shard_id, kind="TRIM_HORIZON"):
    iterator = kinesis.get_shard_iterator(
        StreamName=stream, ShardId=shard_id, ShardIteratorType=kind
    )["ShardIterator"]
    return kinesis.get_records(ShardIterator=iterator, Limit=100)


def test_put_records_then_read_them_back_with_a_shard_iterator(kinesis):
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    put = kinesis.put_records(
        StreamName="clicks",
        Records=[{"Data": f"click {i}".encode(), "PartitionKey": f"user{i}"} for i in range(3)],
    )
    assert put["FailedRecordCount"] == 0
    shard = kinesis.list_shards(StreamName="clicks")["Shards"][0]["ShardId"]
    got = _records(kinesis, "clicks", shard)
    assert [r["Data"] for r in got["Records"]] == [b"click 0", b"click 1", b"click 2"]
    assert [r["SequenceNumber"] for r in got["Records"]] == [
        e["SequenceNumber"] for e in put["Records"]
    ]
    # An iterator reads on from where the last read stopped: nothing new yet.
    assert kinesis.get_records(ShardIterator=got["NextShardIterator"])["Records"] == []


def test_the_simulator_page_shows_the_stream_the_sdk_used(kinesis, client, learner):
    kinesis.create_stream(StreamName="orders-stream", ShardCount=2)
    kinesis.put_record(StreamName="orders-stream", Data=b"x", PartitionKey="k")
    client.force_login(learner)
    page = client.get("/sims/kinesis/").content.decode()
    assert "orders-stream" in page
    assert "PutRecord" in page


def test_a_split_shard_closes_the_parent_and_its_reader_finds_the_children(kinesis):
    # SplitShard: the parent is closed; GetRecords at its end returns ChildShards and no
    # NextShardIterator (Kinesis Data Streams API Reference, GetRecords).
    kinesis.create_stream(StreamName="s", ShardCount=1)
    kinesis.put_record(StreamName="s", Data=b"before", PartitionKey="k")
    kinesis.split_shard(
        StreamName="s", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127)
    )
    shards = kinesis.list_shards(StreamName="s")["Shards"]
    assert len(shards) == 3
    got = _records(kinesis, "s", "shardId-000000000000")
    assert [r["Data"] for r in got["Records"]] == [b"before"]
    assert "NextShardIterator" not in got
    assert sorted(c["ShardId"] for c in got["ChildShards"]) == [
        "shardId-000000000001",
        "shardId-000000000002",
    ]


def test_a_throttled_put_is_retried_by_botocore_then_succeeds_a_second_later(make_client, api_key):
    # A shard takes 1,000 records per second; past that PutRecord fails with
    # ProvisionedThroughputExceededException, which the SDKs retry with backoff.
    key, secret = api_key
    retrying = make_client("kinesis", key.access_key_id, secret, attempts=3)
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        retrying.create_stream(StreamName="hot", ShardCount=1)
        for _ in range(2):
            retrying.put_records(
                StreamName="hot",
                Records=[{"Data": b"r", "PartitionKey": "k"} for _ in range(500)],
            )
        with pytest.raises(retrying.exceptions.ProvisionedThroughputExceededException) as raised:
            retrying.put_record(StreamName="hot", Data=b"one too many", PartitionKey="k")
        assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 2
        traveller.shift(1)  # the clock follows wall time: the next second has room
        assert retrying.put_record(StreamName="hot", Data=b"later", PartitionKey="k")


def test_an_unknown_stream_raises_the_modelled_exception(kinesis):
    with pytest.raises(kinesis.exceptions.ResourceNotFoundException):
        kinesis.describe_stream_summary(StreamName="nope")


def test_data_that_is_not_utf8_is_refused_with_a_validation_error(kinesis):
    kinesis.create_stream(StreamName="bin", ShardCount=1)
    with pytest.raises(kinesis.exceptions.ClientError) as raised:
        kinesis.put_record(StreamName="bin", Data=b"\xff\xfe", PartitionKey="k")
    assert raised.value.response["Error"]["Code"] == "ValidationException"
