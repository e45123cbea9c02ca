"""PutRecord and PutRecords.

API_PutRecord: PartitionKey 1-256 characters; ExplicitHashKey overrides the partition key
hash; SequenceNumber increases over time per partition key within a shard.
API_PutRecordsRequestEntry: data plus partition key at most the maximum record size (1 MiB,
the default); API_PutRecords: up to 500 records; a failed record has ErrorCode and
ErrorMessage, the others SequenceNumber and ShardId, in request order (partial success).
"""

import pytest

from .conftest import error_code, make_stream

MIB = 1024 * 1024


def test_put_record_returns_shard_id_and_decimal_sequence_number(kinesis):
    make_stream(kinesis, 2)
    result = kinesis.put_record(StreamName="s", PartitionKey="k", Data="hello")
    assert set(result) == {"ShardId", "SequenceNumber"}
    assert result["SequenceNumber"].isdigit()


def test_sequence_numbers_increase_within_a_shard(kinesis):
    make_stream(kinesis, 1)
    numbers = [
        int(kinesis.put_record(StreamName="s", PartitionKey=f"k{i}", Data="x")["SequenceNumber"])
        for i in range(50)
    ]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 50


def test_explicit_hash_key_overrides_partition_key(kinesis):
    make_stream(kinesis, 4)
    last = str(2**128 - 1)
    result = kinesis.put_record(StreamName="s", PartitionKey="abc", Data="", ExplicitHashKey=last)
    assert result["ShardId"] == "shardId-000000000003"
    first = kinesis.put_record(StreamName="s", PartitionKey="abc", Data="", ExplicitHashKey="0")
    assert first["ShardId"] == "shardId-000000000000"


def test_explicit_hash_key_outside_the_space_is_rejected(kinesis):
    make_stream(kinesis)
    assert (
        error_code(
            kinesis.put_record,
            StreamName="s",
            PartitionKey="k",
            Data="",
            ExplicitHashKey=str(2**128),
        )
        == "InvalidArgumentException"
    )
    assert (
        error_code(
            kinesis.put_record, StreamName="s", PartitionKey="k", Data="", ExplicitHashKey="-1"
        )
        == "ValidationException"
    )


@pytest.mark.parametrize("key", ["", "k" * 257])
def test_partition_key_must_have_1_to_256_characters(kinesis, key):
    make_stream(kinesis)
    assert error_code(kinesis.put_record, StreamName="s", PartitionKey=key, Data="x") == (
        "ValidationException"
    )


def test_partition_key_of_256_characters_is_accepted(kinesis):
    make_stream(kinesis)
    assert kinesis.put_record(StreamName="s", PartitionKey="é" * 256, Data="x")["ShardId"]


def test_record_of_exactly_one_mib_with_its_key_is_accepted(kinesis):
    make_stream(kinesis)
    assert kinesis.put_record(StreamName="s", PartitionKey="k", Data="x" * (MIB - 1))


def test_record_over_one_mib_counting_the_partition_key_is_rejected(kinesis):
    """https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html, Data: "When
    the data blob (the payload before base64-encoding) is added to the partition key size, the
    total size must not exceed the maximum record size"; the Data member itself has a maximum
    length of 10485760 (10 MiB): past it, ValidationException.
    https://docs.aws.amazon.com/streams/latest/dev/large-records.html: "The default maximum
    record size for existing, and newly created streams is set to 1 MiB." """
    make_stream(kinesis)
    assert (
        error_code(kinesis.put_record, StreamName="s", PartitionKey="kk", Data="x" * (MIB - 1))
        == "InvalidArgumentException"
    )
    assert (
        error_code(kinesis.put_record, StreamName="s", PartitionKey="k", Data="x" * (MIB + 1))
        == "InvalidArgumentException"
    )
    assert (
        error_code(kinesis.put_record, StreamName="s", PartitionKey="k", Data="x" * (10 * MIB + 1))
        == "ValidationException"
    )


def test_put_record_to_missing_stream_is_resource_not_found(kinesis):
    assert error_code(kinesis.put_record, StreamName="nope", PartitionKey="k", Data="x") == (
        "ResourceNotFoundException"
    )


def test_stream_can_be_named_by_arn(kinesis):
    make_stream(kinesis)
    arn = "arn:aws:kinesis:us-east-1:000000000000:stream/s"
    assert kinesis.put_record(StreamARN=arn, PartitionKey="k", Data="x")["ShardId"]


def test_put_records_accepts_500_and_refuses_501(kinesis):
    make_stream(kinesis, 2)
    records = [{"PartitionKey": f"k{i}", "Data": "x"} for i in range(501)]
    result = kinesis.put_records(StreamName="s", Records=records[:500])
    assert result["FailedRecordCount"] == 0
    assert len(result["Records"]) == 500
    assert error_code(kinesis.put_records, StreamName="s", Records=records) == (
        "ValidationException"
    )


def test_put_records_results_are_in_request_order(kinesis):
    make_stream(kinesis, 4)
    keys = ["a", "b", "c", "abc", "zzz"]
    result = kinesis.put_records(
        StreamName="s", Records=[{"PartitionKey": k, "Data": k} for k in keys]
    )
    for key, entry in zip(keys, result["Records"], strict=True):
        single = kinesis.put_record(StreamName="s", PartitionKey=key, Data=key)
        assert entry["ShardId"] == single["ShardId"]


def test_put_records_partial_failure_reports_each_record_in_order(kinesis):
    make_stream(kinesis, 1)
    kinesis.put_records(
        StreamName="s", Records=[{"PartitionKey": "k", "Data": "x"} for _ in range(400)]
    )
    kinesis.put_records(
        StreamName="s", Records=[{"PartitionKey": "k", "Data": "x"} for _ in range(500)]
    )
    # 900 records so far this second: 100 more fit, the last 400 of this batch do not.
    result = kinesis.put_records(
        StreamName="s", Records=[{"PartitionKey": f"k{i}", "Data": "x"} for i in range(500)]
    )
    assert result["FailedRecordCount"] == 400
    assert all("SequenceNumber" in r and "ShardId" in r for r in result["Records"][:100])
    for failed in result["Records"][100:]:
        assert failed["ErrorCode"] == "ProvisionedThroughputExceededException"
        assert "shardId-000000000000" in failed["ErrorMessage"]
        assert "SequenceNumber" not in failed


def test_put_records_later_smaller_record_can_succeed_after_a_failed_one(kinesis):
    make_stream(kinesis, 1)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="x" * (MIB - 200_000))
    result = kinesis.put_records(
        StreamName="s",
        Records=[
            {"PartitionKey": "k", "Data": "x" * 300_000},
            {"PartitionKey": "k", "Data": "x" * 1000},
        ],
    )
    assert result["FailedRecordCount"] == 1
    assert result["Records"][0]["ErrorCode"] == "ProvisionedThroughputExceededException"
    assert "SequenceNumber" in result["Records"][1]


def test_put_records_invalid_entry_fails_the_whole_request(kinesis):
    make_stream(kinesis)
    records = [{"PartitionKey": "k", "Data": "x"}, {"PartitionKey": "", "Data": "x"}]
    assert error_code(kinesis.put_records, StreamName="s", Records=records) == (
        "ValidationException"
    )
    assert kinesis.list_shards(StreamName="s")["Shards"]  # nothing written, stream intact


def test_bytes_data_is_accepted_as_utf8(kinesis):
    make_stream(kinesis)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="café".encode())
    iterator = kinesis.get_shard_iterator(
        StreamName="s", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    assert kinesis.get_records(ShardIterator=iterator)["Records"][0]["Data"] == "café"
