"""Invariants under any sequence of operations (hypothesis).

kinesis-using-sdk-java-resharding-merge: "The set of all OPEN shards in a stream - as a
group - always spans the entire range of MD5 hash key values." Key concepts: each shard is a
uniquely identified sequence of data records, each with a sequence number assigned by Kinesis;
after a reshard the parents keep their records (kinesis-using-sdk-java-after-resharding).
"""

import itertools

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from studyapp.engines.clock import Clock
from studyapp.engines.kinesis import MAX_HASH_KEY, Kinesis, KinesisError

from .conftest import read_all

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

reshard_ops = st.one_of(
    st.tuples(st.just("split"), st.integers(0, 63), st.integers(0, 2**20)),
    st.tuples(st.just("merge"), st.integers(0, 63), st.just(0)),
    st.tuples(st.just("scale"), st.integers(1, 16), st.just(0)),
)


def open_shards(kinesis):
    shards = kinesis.list_shards(StreamName="s")["Shards"]
    result = [
        (int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]), s)
        for s in shards
        if s["SequenceNumberRange"]["EndingSequenceNumber"] is None
    ]
    return sorted(result, key=lambda r: r[0])


def apply(kinesis, op):
    kind, index, where = op
    shards = open_shards(kinesis)
    if kind == "split":
        start, end, shard = shards[index % len(shards)]
        if end - start < 3:
            return
        at = start + 2 + (end - start - 3) * where // 2**20
        kinesis.split_shard(
            StreamName="s", ShardToSplit=shard["ShardId"], NewStartingHashKey=str(at)
        )
    elif kind == "scale":
        target = min(max(index, (len(shards) + 1) // 2), 2 * len(shards))
        try:
            kinesis.update_shard_count(
                StreamName="s", TargetShardCount=target, ScalingType="UNIFORM_SCALING"
            )
        except KinesisError as error:
            # API_UpdateShardCount: at most ten scalings per rolling 24 hours; a refused
            # scaling leaves the stream as it was.
            assert error.code == "LimitExceededException"
            assert open_shards(kinesis) == shards
            return
        assert len(open_shards(kinesis)) == target
    elif len(shards) > 1:
        i = index % (len(shards) - 1)
        kinesis.merge_shards(
            StreamName="s",
            ShardToMerge=shards[i][2]["ShardId"],
            AdjacentShardToMerge=shards[i + 1][2]["ShardId"],
        )


@SETTINGS
@given(
    initial=st.integers(1, 8),
    ops=st.lists(reshard_ops, max_size=25),
    keys=st.lists(st.integers(0, MAX_HASH_KEY), min_size=1, max_size=10),
)
# Found by hypothesis: UpdateShardCount after splits that left a two-key shard at a boundary.
@example(
    initial=6,
    ops=[("scale", 12, 0), ("split", 15, 0), ("split", 0, 0), ("split", 1, 0), ("scale", 1, 0)],
    keys=[0],
)
def test_every_hash_key_belongs_to_exactly_one_open_shard(initial, ops, keys):
    kinesis = Kinesis(Clock())
    kinesis.create_stream(StreamName="s", ShardCount=initial)
    for op in ops:
        apply(kinesis, op)
    shards = open_shards(kinesis)
    assert shards[0][0] == 0
    assert shards[-1][1] == MAX_HASH_KEY
    for (_, end, _), (start, _, _) in itertools.pairwise(shards):
        assert start == end + 1
    for key in [*keys, 0, MAX_HASH_KEY, *(s[0] for s in shards), *(s[1] for s in shards)]:
        holders = [s["ShardId"] for start, end, s in shards if start <= key <= end]
        assert len(holders) == 1
        put = kinesis.put_record(
            StreamName="s", PartitionKey="k", Data="", ExplicitHashKey=str(key)
        )
        assert put["ShardId"] == holders[0]


write_ops = st.one_of(
    reshard_ops,
    st.tuples(st.just("put"), st.sampled_from(["a", "b", "c", "d", "e", "f"]), st.integers(0, 3)),
    st.tuples(st.just("batch"), st.integers(1, 30), st.integers(0, 99)),
    st.tuples(st.just("advance"), st.floats(0, 2), st.just(0)),
)


@SETTINGS
@given(initial=st.integers(1, 4), ops=st.lists(write_ops, max_size=40))
def test_records_are_never_lost_or_reordered_within_a_shard(initial, ops):
    kinesis = Kinesis(Clock())
    kinesis.create_stream(StreamName="s", ShardCount=initial)
    expected: dict[str, list[tuple[str, str]]] = {}
    counter = 0
    for op in ops:
        kind = op[0]
        if kind == "put":
            counter += 1
            data = f"{op[1]}-{counter}"
            try:
                result = kinesis.put_record(StreamName="s", PartitionKey=op[1], Data=data)
            except KinesisError:
                continue
            expected.setdefault(result["ShardId"], []).append((result["SequenceNumber"], data))
        elif kind == "batch":
            entries = []
            for i in range(op[1]):
                counter += 1
                entries.append({"PartitionKey": f"p{(op[2] + i) % 7}", "Data": f"b-{counter}"})
            result = kinesis.put_records(StreamName="s", Records=entries)
            for entry, outcome in zip(entries, result["Records"], strict=True):
                if "SequenceNumber" in outcome:
                    expected.setdefault(outcome["ShardId"], []).append(
                        (outcome["SequenceNumber"], entry["Data"])
                    )
        elif kind == "advance":
            kinesis.clock.advance(op[1])
        else:
            apply(kinesis, op)
    listed = [s["ShardId"] for s in kinesis.list_shards(StreamName="s")["Shards"]]
    assert set(expected) <= set(listed)
    for shard_id in listed:
        got = [(r["SequenceNumber"], r["Data"]) for r in read_all(kinesis, shard_id)]
        assert got == expected.get(shard_id, [])
        numbers = [int(n) for n, _ in got]
        assert numbers == sorted(numbers)
