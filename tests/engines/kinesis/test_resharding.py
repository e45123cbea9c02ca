"""SplitShard, MergeShards, UpdateShardCount.

API_SplitShard and kinesis-using-sdk-java-resharding-split: NewStartingHashKey and the keys
above it go to one child, the lower keys to the other; the service refuses a key that is not
greater than StartingHashKey + 1 and less than EndingHashKey (InvalidArgumentException).
API_MergeShards and kinesis-using-sdk-java-resharding-merge: two shards are adjacent if the
union of their hash key ranges is contiguous; the child covers both.
kinesis-using-sdk-java-after-resharding: parents become CLOSED (EndingSequenceNumber set),
take no new records, and their data stays readable until the retention period ends.
API_GetRecords: at the end of a closed shard NextShardIterator is null and ChildShards lists
the children. API_UpdateShardCount: uniform scaling, up to double / down to half.
"""

import pytest

from .conftest import error_code, make_stream, read_all

HALF = 2**127
QUARTER = 2**126


def shards(kinesis):
    return {s["ShardId"]: s for s in kinesis.list_shards(StreamName="s")["Shards"]}


def key_range(shard):
    r = shard["HashKeyRange"]
    return int(r["StartingHashKey"]), int(r["EndingHashKey"])


def split(kinesis, shard, at):
    return kinesis.split_shard(StreamName="s", ShardToSplit=shard, NewStartingHashKey=str(at))


def test_split_creates_two_children_with_next_ids_lower_range_first(kinesis):
    make_stream(kinesis, 2)
    assert split(kinesis, "shardId-000000000000", QUARTER) == {}
    listed = shards(kinesis)
    low, high = listed["shardId-000000000002"], listed["shardId-000000000003"]
    assert key_range(low) == (0, QUARTER - 1)
    assert key_range(high) == (QUARTER, HALF - 1)
    assert low["ParentShardId"] == high["ParentShardId"] == "shardId-000000000000"
    assert low["AdjacentParentShardId"] is None


def test_split_closes_the_parent_and_sets_its_ending_sequence_number(kinesis):
    make_stream(kinesis, 1)
    split(kinesis, "shardId-000000000000", HALF)
    parent = shards(kinesis)["shardId-000000000000"]
    assert parent["SequenceNumberRange"]["EndingSequenceNumber"] is not None
    child = shards(kinesis)["shardId-000000000001"]
    assert child["SequenceNumberRange"]["EndingSequenceNumber"] is None
    assert int(child["SequenceNumberRange"]["StartingSequenceNumber"]) > int(
        parent["SequenceNumberRange"]["EndingSequenceNumber"]
    )


@pytest.mark.parametrize("offset", [0, 1])
def test_split_key_must_be_above_start_plus_one(kinesis, offset):
    make_stream(kinesis, 2)
    assert (
        error_code(split, kinesis=kinesis, shard="shardId-000000000001", at=HALF + offset)
        == "InvalidArgumentException"
    )


def test_split_key_two_above_start_is_accepted(kinesis):
    make_stream(kinesis, 2)
    split(kinesis, "shardId-000000000001", HALF + 2)
    assert key_range(shards(kinesis)["shardId-000000000002"]) == (HALF, HALF + 1)


def test_split_key_must_be_below_the_ending_hash_key(kinesis):
    make_stream(kinesis, 2)
    assert error_code(split, kinesis=kinesis, shard="shardId-000000000000", at=HALF - 1) == (
        "InvalidArgumentException"
    )
    assert error_code(split, kinesis=kinesis, shard="shardId-000000000000", at=HALF + 5) == (
        "InvalidArgumentException"
    )
    split(kinesis, "shardId-000000000000", HALF - 2)


def test_closed_shard_cannot_be_split_again(kinesis):
    make_stream(kinesis, 1)
    split(kinesis, "shardId-000000000000", HALF)
    assert error_code(split, kinesis=kinesis, shard="shardId-000000000000", at=QUARTER) == (
        "InvalidArgumentException"
    )


def test_split_of_unknown_shard_is_resource_not_found(kinesis):
    make_stream(kinesis, 1)
    assert error_code(split, kinesis=kinesis, shard="shardId-000000000007", at=HALF) == (
        "ResourceNotFoundException"
    )


def merge(kinesis, a, b):
    return kinesis.merge_shards(StreamName="s", ShardToMerge=a, AdjacentShardToMerge=b)


def test_merge_adjacent_shards_covers_their_union(kinesis):
    make_stream(kinesis, 3)
    assert merge(kinesis, "shardId-000000000001", "shardId-000000000002") == {}
    child = shards(kinesis)["shardId-000000000003"]
    step = 2**128 // 3
    assert key_range(child) == (step, 2**128 - 1)
    assert child["ParentShardId"] == "shardId-000000000001"
    assert child["AdjacentParentShardId"] == "shardId-000000000002"


def test_merge_works_in_either_order(kinesis):
    make_stream(kinesis, 2)
    merge(kinesis, "shardId-000000000001", "shardId-000000000000")
    assert key_range(shards(kinesis)["shardId-000000000002"]) == (0, 2**128 - 1)


def test_merge_of_non_adjacent_shards_is_rejected(kinesis):
    make_stream(kinesis, 3)
    assert error_code(
        merge, kinesis=kinesis, a="shardId-000000000000", b="shardId-000000000002"
    ) == ("InvalidArgumentException")
    assert error_code(
        merge, kinesis=kinesis, a="shardId-000000000000", b="shardId-000000000000"
    ) == ("InvalidArgumentException")


def test_merge_with_a_closed_shard_is_rejected(kinesis):
    make_stream(kinesis, 2)
    split(kinesis, "shardId-000000000001", HALF + QUARTER)
    # shard 2 is adjacent to shard 0's range, but shard 1 (its parent) is closed.
    assert error_code(
        merge, kinesis=kinesis, a="shardId-000000000000", b="shardId-000000000001"
    ) == ("InvalidArgumentException")
    merge(kinesis, "shardId-000000000000", "shardId-000000000002")


def test_parent_keeps_its_records_and_children_get_only_new_ones(kinesis):
    make_stream(kinesis, 1)
    before = kinesis.put_record(StreamName="s", PartitionKey="a", Data="old")
    split(kinesis, "shardId-000000000000", HALF)
    after = kinesis.put_record(StreamName="s", PartitionKey="a", Data="new")
    assert before["ShardId"] == "shardId-000000000000"
    assert after["ShardId"] in ("shardId-000000000001", "shardId-000000000002")
    assert [r["Data"] for r in read_all(kinesis, "shardId-000000000000")] == ["old"]
    assert [r["Data"] for r in read_all(kinesis, after["ShardId"])] == ["new"]


def test_end_of_closed_shard_gives_null_iterator_and_child_shards(kinesis):
    make_stream(kinesis, 1)
    kinesis.put_record(StreamName="s", PartitionKey="a", Data="old")
    split(kinesis, "shardId-000000000000", HALF)
    it = kinesis.get_shard_iterator(
        StreamName="s", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    result = kinesis.get_records(ShardIterator=it)
    assert [r["Data"] for r in result["Records"]] == ["old"]
    assert result["NextShardIterator"] is None
    assert result["ChildShards"] == [
        {
            "ShardId": "shardId-000000000001",
            "ParentShards": ["shardId-000000000000"],
            "HashKeyRange": {"StartingHashKey": "0", "EndingHashKey": str(HALF - 1)},
        },
        {
            "ShardId": "shardId-000000000002",
            "ParentShards": ["shardId-000000000000"],
            "HashKeyRange": {"StartingHashKey": str(HALF), "EndingHashKey": str(2**128 - 1)},
        },
    ]


def test_merged_child_names_both_parents_in_child_shards(kinesis):
    make_stream(kinesis, 2)
    merge(kinesis, "shardId-000000000000", "shardId-000000000001")
    it = kinesis.get_shard_iterator(
        StreamName="s", ShardId="shardId-000000000001", ShardIteratorType="LATEST"
    )["ShardIterator"]
    result = kinesis.get_records(ShardIterator=it)
    assert result["NextShardIterator"] is None
    assert result["ChildShards"][0]["ParentShards"] == [
        "shardId-000000000000",
        "shardId-000000000001",
    ]


def test_update_shard_count_uniform_scaling_up_and_down(kinesis):
    make_stream(kinesis, 2)
    result = kinesis.update_shard_count(
        StreamName="s", TargetShardCount=3, ScalingType="UNIFORM_SCALING"
    )
    assert result["CurrentShardCount"] == 2
    assert result["TargetShardCount"] == 3
    open_ranges = sorted(
        key_range(s)
        for s in shards(kinesis).values()
        if s["SequenceNumberRange"]["EndingSequenceNumber"] is None
    )
    step = 2**128 // 3
    assert open_ranges == [(0, step - 1), (step, 2 * step - 1), (2 * step, 2**128 - 1)]
    kinesis.update_shard_count(StreamName="s", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    summary = kinesis.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]
    assert summary["OpenShardCount"] == 2


def test_update_shard_count_beyond_double_or_half_is_refused(kinesis):
    make_stream(kinesis, 4)
    for target in (9, 1):
        assert (
            error_code(
                kinesis.update_shard_count,
                StreamName="s",
                TargetShardCount=target,
                ScalingType="UNIFORM_SCALING",
            )
            == "LimitExceededException"
        )
