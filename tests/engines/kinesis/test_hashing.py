"""Hash key space and placement.

Developer Guide, "Kinesis Data Streams terminology" (key-concepts) and API_PutRecord: an MD5
hash function maps partition keys to 128-bit integer values and records to shards.
API_CreateStream / re:Post "Logic for determining which Kinesis shard a partition key goes
to": with N shards, shard i starts at i * (2^128 / N) and the last ends at 2^128 - 1.
"""

import hashlib
import itertools

from studyapp.engines.kinesis import MAX_HASH_KEY, even_ranges, hash_key_for

from .conftest import make_stream


def test_hash_key_space_is_128_bits():
    assert MAX_HASH_KEY == 2**128 - 1 == 340282366920938463463374607431768211455


def test_create_stream_splits_hash_key_space_evenly(kinesis):
    make_stream(kinesis, 3)
    shards = kinesis.list_shards(StreamName="s")["Shards"]
    step = 2**128 // 3
    assert [s["ShardId"] for s in shards] == [
        "shardId-000000000000",
        "shardId-000000000001",
        "shardId-000000000002",
    ]
    for i, shard in enumerate(shards):
        assert int(shard["HashKeyRange"]["StartingHashKey"]) == i * step
    assert [s["HashKeyRange"]["EndingHashKey"] for s in shards] == [
        str(step - 1),
        str(2 * step - 1),
        str(2**128 - 1),
    ]


def test_two_shards_meet_at_two_to_the_127(kinesis):
    make_stream(kinesis, 2)
    first, second = kinesis.list_shards(StreamName="s")["Shards"]
    assert first["HashKeyRange"] == {
        "StartingHashKey": "0",
        "EndingHashKey": "170141183460469231731687303715884105727",
    }
    assert second["HashKeyRange"]["StartingHashKey"] == "170141183460469231731687303715884105728"


def test_even_ranges_cover_the_space_without_gaps():
    for n in (1, 2, 3, 7, 64, 500):
        ranges = even_ranges(n)
        assert ranges[0][0] == 0
        assert ranges[-1][1] == MAX_HASH_KEY
        for (_, end), (start, _) in itertools.pairwise(ranges):
            assert start == end + 1


def test_partition_key_hash_is_md5_read_big_endian():
    for key in ("a", "user-42", "ñandú", "x" * 256):
        expected = int(hashlib.md5(key.encode("utf-8")).hexdigest(), 16)
        assert hash_key_for(key) == expected


def test_partition_key_hash_matches_rfc_1321_test_suite():
    # RFC 1321, appendix A.5: MD5 ("abc") = 900150983cd24fb0d6963f7d28e17f72
    assert hash_key_for("abc") == 0x900150983CD24FB0D6963F7D28E17F72
    assert hash_key_for("a") == 0x0CC175B9C0F1B6A831C399E269772661


def test_record_goes_to_shard_whose_range_holds_its_hash_key(kinesis):
    make_stream(kinesis, 4)
    shards = kinesis.list_shards(StreamName="s")["Shards"]
    for key in ("a", "abc", "order-1", "order-2", "order-3", "customer-99"):
        result = kinesis.put_record(StreamName="s", PartitionKey=key, Data="d")
        hash_key = int(hashlib.md5(key.encode()).hexdigest(), 16)
        (holder,) = [
            s
            for s in shards
            if int(s["HashKeyRange"]["StartingHashKey"])
            <= hash_key
            <= int(s["HashKeyRange"]["EndingHashKey"])
        ]
        assert result["ShardId"] == holder["ShardId"]


def test_abc_lands_on_third_of_four_shards(kinesis):
    # 0x9001... is in [2 * 2^126, 3 * 2^126 - 1], the third quarter of the space.
    make_stream(kinesis, 4)
    assert kinesis.put_record(StreamName="s", PartitionKey="abc", Data="")["ShardId"] == (
        "shardId-000000000002"
    )


def test_same_partition_key_always_maps_to_same_shard(kinesis):
    make_stream(kinesis, 8)
    shards = {
        kinesis.put_record(StreamName="s", PartitionKey="sensor-7", Data=str(i))["ShardId"]
        for i in range(20)
    }
    assert len(shards) == 1
