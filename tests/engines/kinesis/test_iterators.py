"""GetShardIterator and GetRecords.

API_GetShardIterator: TRIM_HORIZON (oldest untrimmed record), LATEST (just after the most
recent record), AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP; "A shard iterator
expires 5 minutes after it is returned to the requester" (ExpiredIteratorException).
API_GetRecords: Limit up to 10,000 (above: InvalidArgumentException); every response carries
a new NextShardIterator; MillisBehindLatest 0 means caught up.
"""

import pytest

from studyapp.engines.kinesis import KinesisError, iterator_stream

from .conftest import error_code, make_stream

SHARD = "shardId-000000000000"


@pytest.fixture
def three(kinesis):
    """A one-shard stream with records a, b, c put one second apart."""
    make_stream(kinesis)
    results = []
    for data in "abc":
        results.append(kinesis.put_record(StreamName="s", PartitionKey="k", Data=data))
        kinesis.clock.advance(1)
    return results


def iterator(kinesis, kind, **extra):
    return kinesis.get_shard_iterator(
        StreamName="s", ShardId=SHARD, ShardIteratorType=kind, **extra
    )["ShardIterator"]


def data(kinesis, it, **extra):
    return [r["Data"] for r in kinesis.get_records(ShardIterator=it, **extra)["Records"]]


def test_trim_horizon_reads_from_the_oldest_record(kinesis, three):
    assert data(kinesis, iterator(kinesis, "TRIM_HORIZON")) == ["a", "b", "c"]


def test_latest_reads_only_records_put_afterwards(kinesis, three):
    it = iterator(kinesis, "LATEST")
    assert data(kinesis, it) == []
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="d")
    assert data(kinesis, it) == ["d"]


def test_at_and_after_sequence_number(kinesis, three):
    b = three[1]["SequenceNumber"]
    assert data(kinesis, iterator(kinesis, "AT_SEQUENCE_NUMBER", StartingSequenceNumber=b)) == [
        "b",
        "c",
    ]
    after = iterator(kinesis, "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=b)
    assert data(kinesis, after) == ["c"]


def test_at_timestamp_reads_records_that_arrived_at_or_after_it(kinesis, clock, three):
    start = clock.now() - 3  # "a" arrived at start, "b" at start + 1
    assert data(kinesis, iterator(kinesis, "AT_TIMESTAMP", Timestamp=start + 1)) == ["b", "c"]
    assert data(kinesis, iterator(kinesis, "AT_TIMESTAMP", Timestamp="2024-01-01T00:00:02Z")) == [
        "c"
    ]


def test_sequence_number_iterators_need_a_starting_sequence_number(kinesis, three):
    assert (
        error_code(
            kinesis.get_shard_iterator,
            StreamName="s",
            ShardId=SHARD,
            ShardIteratorType="AT_SEQUENCE_NUMBER",
        )
        == "InvalidArgumentException"
    )


def test_unknown_iterator_type_is_rejected(kinesis, three):
    assert (
        error_code(
            kinesis.get_shard_iterator, StreamName="s", ShardId=SHARD, ShardIteratorType="OLDEST"
        )
        == "ValidationException"
    )


def test_iterator_for_missing_shard_is_resource_not_found(kinesis, three):
    assert (
        error_code(
            kinesis.get_shard_iterator,
            StreamName="s",
            ShardId="shardId-000000000009",
            ShardIteratorType="LATEST",
        )
        == "ResourceNotFoundException"
    )


def test_iterator_expires_after_five_minutes(kinesis, clock, three):
    it = iterator(kinesis, "TRIM_HORIZON")
    clock.advance(299)
    fresh = kinesis.get_records(ShardIterator=it)["NextShardIterator"]
    clock.advance(1)
    assert error_code(kinesis.get_records, ShardIterator=it) == "ExpiredIteratorException"
    # Each NextShardIterator is new: it has its own five minutes.
    assert kinesis.get_records(ShardIterator=fresh)["Records"] == []


def test_garbage_iterator_is_invalid_argument(kinesis, three):
    assert error_code(kinesis.get_records, ShardIterator="not-an-iterator") == (
        "InvalidArgumentException"
    )


def test_limit_caps_the_batch_and_the_next_iterator_continues(kinesis, three):
    first = kinesis.get_records(ShardIterator=iterator(kinesis, "TRIM_HORIZON"), Limit=2)
    assert [r["Data"] for r in first["Records"]] == ["a", "b"]
    assert data(kinesis, first["NextShardIterator"]) == ["c"]


@pytest.mark.parametrize("limit", [0, 10_001])
def test_limit_must_be_1_to_10000(kinesis, three, limit):
    it = iterator(kinesis, "TRIM_HORIZON")
    assert error_code(kinesis.get_records, ShardIterator=it, Limit=limit) == (
        "InvalidArgumentException"
    )
    assert kinesis.get_records(ShardIterator=it, Limit=10_000)["Records"]


def test_millis_behind_latest_is_age_of_unread_records_then_zero(kinesis, clock, three):
    # "b" arrived 2 s ago; after reading "a" the consumer is that far behind the tip.
    first = kinesis.get_records(ShardIterator=iterator(kinesis, "TRIM_HORIZON"), Limit=1)
    assert first["MillisBehindLatest"] == 2000
    rest = kinesis.get_records(ShardIterator=first["NextShardIterator"])
    assert rest["MillisBehindLatest"] == 0


def test_records_carry_sequence_number_arrival_data_and_partition_key(kinesis, clock, three):
    (record, *_) = kinesis.get_records(ShardIterator=iterator(kinesis, "TRIM_HORIZON"))["Records"]
    assert record == {
        "SequenceNumber": three[0]["SequenceNumber"],
        "ApproximateArrivalTimestamp": clock.now() - 3,
        "Data": "a",
        "PartitionKey": "k",
    }


def test_open_shard_always_returns_a_next_iterator(kinesis, three):
    result = kinesis.get_records(ShardIterator=iterator(kinesis, "LATEST"))
    assert result["NextShardIterator"]
    assert "ChildShards" not in result


def test_an_iterator_names_the_stream_it_reads(kinesis):
    make_stream(kinesis, name="orders")
    token = iterator_of(kinesis, "orders")
    assert iterator_stream(token) == "orders"
    with pytest.raises(KinesisError):
        iterator_stream("not an iterator")


def iterator_of(kinesis, stream):
    return kinesis.get_shard_iterator(
        StreamName=stream, ShardId=SHARD, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
