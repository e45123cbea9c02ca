"""Per-shard throughput, counted in whole seconds of the virtual clock.

service-sizes-and-limits (Developer Guide, "Quotas and limits"): each shard supports writes
up to 1,000 records per second, up to 1 MiB per second, and reads up to 2 MiB per second
and 5 GetRecords transactions per second; beyond them ProvisionedThroughputExceededException.
One GetRecords call may return up to 10 MiB (see test_documented_limits.py).
"""

import pytest

from studyapp.engines.kinesis import KinesisError

from .conftest import error_code, make_stream

MIB = 1024 * 1024
SHARD = "shardId-000000000000"


def put(kinesis, data="x", key="k"):
    return kinesis.put_record(StreamName="s", PartitionKey=key, Data=data)


def test_thousand_records_a_second_then_throughput_exceeded(kinesis):
    make_stream(kinesis)
    for _ in range(1000):
        put(kinesis)
    assert error_code(put, kinesis=kinesis) == "ProvisionedThroughputExceededException"


def test_limit_window_is_the_whole_second(kinesis, clock):
    make_stream(kinesis)
    clock.advance(0.25)
    for _ in range(1000):
        put(kinesis)
    clock.advance(0.7)  # still the same whole second (0.95)
    assert error_code(put, kinesis=kinesis) == "ProvisionedThroughputExceededException"
    clock.advance(0.05)  # the next whole second starts
    assert put(kinesis)["ShardId"] == SHARD


def test_one_mib_a_second_counts_partition_key_bytes(kinesis, clock):
    make_stream(kinesis)
    half = MIB // 2
    put(kinesis, "x" * (half - 1))  # with the 1-byte key: exactly half a MiB
    put(kinesis, "x" * (half - 1))
    assert error_code(put, kinesis=kinesis, data="") == "ProvisionedThroughputExceededException"
    clock.advance(1)
    assert put(kinesis, data="")


def test_throughput_error_names_the_shard_and_stream(kinesis):
    make_stream(kinesis)
    for _ in range(1000):
        put(kinesis)
    with pytest.raises(KinesisError) as caught:
        put(kinesis)
    assert SHARD in caught.value.message
    assert "stream s" in caught.value.message


def test_limits_are_per_shard(kinesis):
    make_stream(kinesis, 2)
    low, high = "0", str(2**127)
    for _ in range(1000):
        kinesis.put_record(StreamName="s", PartitionKey="k", Data="x", ExplicitHashKey=low)
    assert kinesis.put_record(StreamName="s", PartitionKey="k", Data="x", ExplicitHashKey=high)


def iterator(kinesis, kind="TRIM_HORIZON"):
    return kinesis.get_shard_iterator(StreamName="s", ShardId=SHARD, ShardIteratorType=kind)[
        "ShardIterator"
    ]


def test_five_get_records_calls_a_second_then_throughput_exceeded(kinesis, clock):
    make_stream(kinesis)
    it = iterator(kinesis)
    for _ in range(5):
        it = kinesis.get_records(ShardIterator=it)["NextShardIterator"]
    assert error_code(kinesis.get_records, ShardIterator=it) == (
        "ProvisionedThroughputExceededException"
    )
    clock.advance(1)
    assert kinesis.get_records(ShardIterator=it)["Records"] == []


def test_one_call_reads_past_two_mib_and_the_next_second_pays_it_back(kinesis, clock):
    """https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html: "The
    maximum size of data that GetRecords can return is 10 MiB." and "If there is insufficient
    provisioned throughput on the stream, subsequent calls made within the next 1 second throw
    ProvisionedThroughputExceededException." (2 MiB a second per shard.)"""
    make_stream(kinesis)
    for _ in range(3):
        put(kinesis, "x" * (MIB - 1))  # 1 MiB each with the key
        clock.advance(1)
    result = kinesis.get_records(ShardIterator=iterator(kinesis))
    assert len(result["Records"]) == 3  # 3 MiB in one call: more than a second's 2 MiB
    assert result["MillisBehindLatest"] == 0
    assert error_code(kinesis.get_records, ShardIterator=result["NextShardIterator"]) == (
        "ProvisionedThroughputExceededException"
    )
    clock.advance(1)  # 1 MiB still owed: less than a second's capacity
    assert kinesis.get_records(ShardIterator=result["NextShardIterator"])["Records"] == []
