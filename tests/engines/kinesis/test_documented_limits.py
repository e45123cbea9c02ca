"""Issue #20 (Kinesis): edge cases checked against AWS's documentation, one test per rule.

Each test quotes its page: the API Reference as it is now (botocore's service model, 2026) or
the Kinesis Data Streams Developer Guide (awsdocs/amazon-kinesis-data-streams-developer-guide,
2022-2023 text).
"""

import json
import math

import pytest

from studyapp.engines.clock import MAX_NOW
from studyapp.engines.kinesis import Kinesis, KinesisError, even_ranges, run
from studyapp.engines.kinesis.stream import Stream

from .conftest import error_code, make_stream

MIB = 1024 * 1024
SHARD0, SHARD1 = "shardId-000000000000", "shardId-000000000001"
API = "https://docs.aws.amazon.com/kinesis/latest/APIReference/"


def iterator(kinesis, shard=SHARD0, kind="TRIM_HORIZON", **extra):
    return kinesis.get_shard_iterator(
        StreamName="s", ShardId=shard, ShardIteratorType=kind, **extra
    )["ShardIterator"]


def put_mib(kinesis, hash_key="0"):
    """One record of exactly 1 MiB: data plus the one-byte partition key."""
    return kinesis.put_record(
        StreamName="s", PartitionKey="k", Data="x" * (MIB - 1), ExplicitHashKey=hash_key
    )


# --- GetRecords: 10 MiB per call ---------------------------------------------------------------


def test_get_records_returns_up_to_10_mib_then_the_next_5_seconds_throw(kinesis, clock):
    """API_GetRecords.html: "The maximum size of data that GetRecords can return is 10 MiB. If a
    call returns this amount of data, subsequent calls made within the next 5 seconds throw
    ProvisionedThroughputExceededException." (service-sizes-and-limits.html: "If a call to
    GetRecords returns 10 MB, subsequent calls made within the next 5 seconds throw an
    exception.")"""
    make_stream(kinesis)
    for _ in range(11):
        put_mib(kinesis)
        clock.advance(1)  # a shard takes 1 MiB a second
    result = kinesis.get_records(ShardIterator=iterator(kinesis))
    assert len(result["Records"]) == 10
    assert sum(len(r["Data"]) + len(r["PartitionKey"]) for r in result["Records"]) == 10 * MIB
    assert result["MillisBehindLatest"] > 0
    following = result["NextShardIterator"]
    read_at = clock.now()
    for offset in (0, 0.5, 1, 2, 3, 4, 4.999):
        clock.advance_to(read_at + offset)
        assert error_code(kinesis.get_records, ShardIterator=following) == (
            "ProvisionedThroughputExceededException"
        )
    clock.advance_to(read_at + 5)
    assert len(kinesis.get_records(ShardIterator=following)["Records"]) == 1


def test_a_fresh_iterator_is_throttled_too_after_a_10_mib_read(kinesis, clock):
    """API_GetRecords.html: the limit is per shard ("This operation has a limit of five
    transactions per second per shard."), so a new iterator on the same shard waits too."""
    make_stream(kinesis, 2)
    for _ in range(10):
        put_mib(kinesis)
        clock.advance(1)
    kinesis.get_records(ShardIterator=iterator(kinesis))
    clock.advance(2)
    assert error_code(kinesis.get_records, ShardIterator=iterator(kinesis)) == (
        "ProvisionedThroughputExceededException"
    )
    assert kinesis.get_records(ShardIterator=iterator(kinesis, SHARD1))["Records"] == []


# --- Sequence numbers belong to a shard --------------------------------------------------------


@pytest.mark.parametrize("kind", ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"])
def test_a_sequence_number_of_another_shard_is_invalid_argument(kinesis, kind):
    """API_PutRecord.html: "Sequence numbers increase over time and are specific to a shard
    within a stream, not across all shards within a stream." API_GetShardIterator.html,
    StartingSequenceNumber: "The sequence number of the data record in the shard from which to
    start reading." """
    make_stream(kinesis, 2)
    high = str(2**127)
    a = kinesis.put_record(StreamName="s", PartitionKey="k", Data="a", ExplicitHashKey="0")
    b = kinesis.put_record(StreamName="s", PartitionKey="k", Data="b", ExplicitHashKey=high)
    c = kinesis.put_record(StreamName="s", PartitionKey="k", Data="c", ExplicitHashKey="0")
    assert (a["ShardId"], b["ShardId"], c["ShardId"]) == (SHARD0, SHARD1, SHARD0)
    # b's number lies between a's and c's, but it is shard 1's.
    with pytest.raises(KinesisError) as caught:
        iterator(kinesis, SHARD0, kind, StartingSequenceNumber=b["SequenceNumber"])
    assert caught.value.code == "InvalidArgumentException"
    assert SHARD1 in caught.value.message and SHARD0 in caught.value.message
    with pytest.raises(KinesisError) as caught:
        iterator(kinesis, SHARD1, kind, StartingSequenceNumber=c["SequenceNumber"])
    assert caught.value.code == "InvalidArgumentException"
    it = iterator(kinesis, SHARD0, kind, StartingSequenceNumber=a["SequenceNumber"])
    data = [r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]]
    assert data == (["a", "c"] if kind == "AT_SEQUENCE_NUMBER" else ["c"])


def test_a_shards_own_numbers_stay_valid_after_a_split(kinesis):
    """kinesis-using-sdk-java-after-resharding.html: the parent's data stays readable; a
    closed shard's records keep their sequence numbers (API_GetShardIterator.html: "If the
    shard is closed, GetShardIterator returns a valid iterator for the last sequence number of
    the shard.")."""
    make_stream(kinesis, 1)
    old = kinesis.put_record(StreamName="s", PartitionKey="k", Data="old")
    kinesis.split_shard(StreamName="s", ShardToSplit=SHARD0, NewStartingHashKey=str(2**127))
    new = kinesis.put_record(StreamName="s", PartitionKey="k", Data="new")
    it = iterator(
        kinesis, SHARD0, "AT_SEQUENCE_NUMBER", StartingSequenceNumber=old["SequenceNumber"]
    )
    assert [r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]] == ["old"]
    assert error_code(
        kinesis.get_shard_iterator,
        StreamName="s",
        ShardId=SHARD0,
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        StartingSequenceNumber=new["SequenceNumber"],
    ) == ("InvalidArgumentException")


# --- UpdateShardCount: all or nothing, ten a day -----------------------------------------------


def open_ranges(kinesis):
    shards = kinesis.list_shards(StreamName="s", ShardFilter={"Type": "AT_LATEST"})["Shards"]
    return sorted(
        (int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
        for s in shards
    )


def scale(kinesis, target):
    return kinesis.update_shard_count(
        StreamName="s", TargetShardCount=target, ScalingType="UNIFORM_SCALING"
    )


def test_scaling_250_to_500_succeeds_with_even_ranges(kinesis):
    """API_UpdateShardCount.html: "You can specify any target value within your shard limit."
    (500 here: service-sizes-and-limits.html, "The default shard quota is 500 shards per AWS
    account for ... US East (N. Virginia)"); "To update the shard count, Kinesis Data Streams
    performs splits or merges on individual shards. This can cause short-lived shards to be
    created, in addition to the final shards." ScalingType: "Uniform scaling creates shards of
    equal size." """
    make_stream(kinesis, 250)
    result = scale(kinesis, 500)
    assert (result["CurrentShardCount"], result["TargetShardCount"]) == (250, 500)
    assert open_ranges(kinesis) == even_ranges(500)
    scale(kinesis, 250)
    assert open_ranges(kinesis) == even_ranges(250)


def test_a_scaling_that_fails_half_way_leaves_the_stream_as_it_was(kinesis, monkeypatch):
    """Issue #20: UpdateShardCount is all or nothing. Should a split or merge fail on the way,
    the stream is put back: the same open shards, no new ones."""
    make_stream(kinesis, 6)
    kinesis.put_record(StreamName="s", PartitionKey="k", Data="kept")
    before = kinesis.list_shards(StreamName="s")["Shards"]
    merges = 0
    real_merge = Stream.merge

    def failing_merge(self, *args, **kwargs):
        nonlocal merges
        merges += 1
        if merges == 3:
            raise KinesisError("InternalFailure", "a merge failed half-way")
        return real_merge(self, *args, **kwargs)

    monkeypatch.setattr(Stream, "merge", failing_merge)
    assert error_code(scale, kinesis=kinesis, target=10) == "InternalFailure"
    assert merges == 3  # it failed after several splits and two merges
    assert kinesis.list_shards(StreamName="s")["Shards"] == before
    monkeypatch.undo()
    scale(kinesis, 10)
    assert open_ranges(kinesis) == even_ranges(10)
    assert kinesis.put_record(StreamName="s", PartitionKey="k", Data="x")["ShardId"]


def test_at_most_ten_scalings_per_rolling_24_hours(kinesis, clock):
    """API_UpdateShardCount.html: "By default, you cannot do the following: Scale more than ten
    times per rolling 24-hour period per stream"; errors: LimitExceededException."""
    make_stream(kinesis, 2)
    for i in range(10):
        scale(kinesis, 4 if i % 2 == 0 else 2)
        clock.advance(3600)
    before = kinesis.list_shards(StreamName="s")["Shards"]
    assert error_code(scale, kinesis=kinesis, target=4) == "LimitExceededException"
    assert kinesis.list_shards(StreamName="s")["Shards"] == before
    clock.advance(24 * 3600 - 10 * 3600 - 1)  # one second short of 24 h after the first
    assert error_code(scale, kinesis=kinesis, target=4) == "LimitExceededException"
    clock.advance(1)  # the first scaling has left the window
    scale(kinesis, 4)
    assert len(open_ranges(kinesis)) == 4
    assert error_code(scale, kinesis=kinesis, target=2) == "LimitExceededException"


def test_refused_scalings_do_not_count_toward_the_ten(kinesis):
    """API_UpdateShardCount.html: a stream cannot "Scale up to more than double your current
    shard count"; such a request changes nothing, so it is not one of the ten scalings."""
    make_stream(kinesis, 2)
    for _ in range(20):
        assert error_code(scale, kinesis=kinesis, target=5) == "LimitExceededException"
    scale(kinesis, 4)


# --- PutRecords: 10 MiB a request ------------------------------------------------------------


def test_put_records_takes_10_mib_a_request_and_refuses_more(kinesis):
    """API_PutRecords.html: "Each PutRecords request can support up to 500 records. Each record
    in the request can be as large as 10 MiB, up to a limit of 10 MiB for the entire request,
    including partition keys." Records keep the 1 MiB default size (see
    test_record_over_one_mib_counting_the_partition_key_is_rejected)."""
    make_stream(kinesis, 10)
    starts = [str(start) for start, _ in even_ranges(10)]
    records = [{"PartitionKey": "k", "Data": "x" * (MIB - 1), "ExplicitHashKey": h} for h in starts]
    too_many = [*records, {"PartitionKey": "k", "Data": ""}]  # one byte more: the key
    assert error_code(kinesis.put_records, StreamName="s", Records=too_many) == (
        "InvalidArgumentException"
    )
    assert sum(len(s.records) for s in kinesis.stream("s").shards.values()) == 0
    result = kinesis.put_records(StreamName="s", Records=records)
    assert result["FailedRecordCount"] == 0
    assert len({r["ShardId"] for r in result["Records"]}) == 10


# --- GetShardIterator: five a second per shard -----------------------------------------------


def test_get_shard_iterator_five_calls_a_second_per_shard(kinesis, clock):
    """API_GetShardIterator.html: "GetShardIterator has a limit of five transactions per second
    per account per open shard." and "If a GetShardIterator request is made too often, you
    receive a ProvisionedThroughputExceededException." """
    make_stream(kinesis, 2)
    clock.advance(0.5)
    for _ in range(5):
        iterator(kinesis, SHARD0)
    assert error_code(iterator, kinesis=kinesis) == "ProvisionedThroughputExceededException"
    assert iterator(kinesis, SHARD1)  # another shard has its own five
    clock.advance(0.5)  # the next whole second
    assert iterator(kinesis, SHARD0)


# --- Robustness --------------------------------------------------------------------------------


@pytest.mark.parametrize("steps", [None, "abc", 5, {"Action": "ListStreams"}])
def test_steps_that_are_not_a_list_are_a_value_error_not_a_type_error(steps):
    """Issue #20: {"steps": null} gave a TypeError traceback; it is not a scenario."""
    with pytest.raises(ValueError, match="steps"):
        run({"steps": steps})


def test_a_lone_surrogate_in_a_partition_key_fails_only_its_step():
    """API_PutRecord.html: "Partition keys are Unicode strings"; a lone surrogate is not
    Unicode text a request can carry: ValidationException for that step, and the run goes
    on."""
    results = run(
        [
            {"Action": "CreateStream", "StreamName": "s", "ShardCount": 1},
            {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "\ud800", "Data": "x"},
            {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "k", "Data": "\udfff"},
            {
                "Action": "PutRecords",
                "StreamName": "s",
                "Records": [{"PartitionKey": "a\ud83d", "Data": "x"}],
            },
            {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "😀", "Data": "ok"},
        ]
    )
    assert [r.get("Error", {}).get("Code") for r in results[1:4]] == ["ValidationException"] * 3
    assert results[4]["ShardId"] == SHARD0


def test_an_advance_of_1e308_seconds_is_an_error_result(kinesis):
    """Issue #20: the clock is bounded (9999-12-31T23:59:59Z); past it, an error result."""
    results = run(
        [
            {"Action": "CreateStream", "StreamName": "s", "ShardCount": 1},
            {"Action": "Advance", "Seconds": 1e308},
            {"Action": "PutRecord", "StreamName": "s", "PartitionKey": "k", "Data": "x"},
            {"Action": "Advance", "Seconds": MAX_NOW},
            {"Action": "Produce", "StreamName": "s", "Seconds": 1, "RecordsPerSecond": 1},
        ]
    )
    assert results[1]["Error"]["Code"] == "ValidationException"
    assert results[2]["ShardId"] == SHARD0
    assert results[3]["Error"]["Code"] == "ValidationException"
    assert results[4]["Accepted"] == 1
    clock_near_the_end = Kinesis()
    clock_near_the_end.call("Advance", {"Seconds": MAX_NOW - clock_near_the_end.clock.now()})
    with pytest.raises(KinesisError):
        clock_near_the_end.call("Advance", {"Seconds": 1})


# --- Beyond the list -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "hours"),
    [("IncreaseStreamRetentionPeriod", 24), ("DecreaseStreamRetentionPeriod", 24)],
)
def test_retention_must_actually_change(kinesis, action, hours):
    """API_IncreaseStreamRetentionPeriod.html, RetentionPeriodHours: "Must be more than the
    current retention period." API_DecreaseStreamRetentionPeriod.html: "Must be less than the
    current retention period." """
    make_stream(kinesis)
    assert error_code(
        kinesis.call, action=action, params={"StreamName": "s", "RetentionPeriodHours": hours}
    ) == ("InvalidArgumentException")
    kinesis.call("IncreaseStreamRetentionPeriod", {"StreamName": "s", "RetentionPeriodHours": 25})
    kinesis.call("DecreaseStreamRetentionPeriod", {"StreamName": "s", "RetentionPeriodHours": 24})


@pytest.mark.parametrize("when", [1e308, -1e308, "nan", "inf", "1e400", 10**400, "yesterday"])
def test_at_timestamp_out_of_any_range_is_invalid_argument(kinesis, when):
    """API_GetShardIterator.html, Timestamp: "A time stamp is the Unix epoch date with precision
    in milliseconds. For example, 2016-04-04T19:58:46.480-00:00 or 1459799926.480." """
    make_stream(kinesis)
    assert error_code(iterator, kinesis=kinesis, kind="AT_TIMESTAMP", Timestamp=when) == (
        "InvalidArgumentException"
    )
    assert iterator(kinesis, kind="AT_TIMESTAMP", Timestamp="2016-04-04T19:58:46.480-00:00")
    assert iterator(kinesis, kind="AT_TIMESTAMP", Timestamp=1459799926.480)


def test_shard_iterator_has_at_most_512_characters(kinesis):
    """API_GetRecords.html, ShardIterator: Length Constraints: Minimum length of 1. Maximum
    length of 512."""
    make_stream(kinesis)
    token = iterator(kinesis)
    assert len(token) <= 512
    for bad in ("", token + "A" * (513 - len(token))):
        assert error_code(kinesis.get_records, ShardIterator=bad) == "ValidationException"


def test_an_iterator_of_impossible_numbers_is_invalid_argument(kinesis):
    """API_GetRecords.html lists InvalidArgumentException for an iterator that is not one."""
    import base64

    make_stream(kinesis)
    raw = b'["s",1,0,Infinity,1]'
    token = "AAAAAAAAAAE" + base64.urlsafe_b64encode(raw).decode().rstrip("=")
    assert error_code(kinesis.get_records, ShardIterator=token) == "InvalidArgumentException"


def test_values_of_the_wrong_kind_are_errors_of_their_call(kinesis):
    """Bad input is an error result for its step, never an exception of another kind."""
    make_stream(kinesis)
    for action, params in [
        ("CreateStream", {"StreamName": "t", "ShardCount": "9" * 5000}),
        ("GetRecords", {"ShardIterator": "AAAAAAAAAAE" + "A" * 40}),
        ("UpdateShardCount", {"StreamName": "s", "TargetShardCount": math.inf}),
    ]:
        with pytest.raises(KinesisError):
            kinesis.call(action, params)
    with pytest.raises(KinesisError):
        kinesis.call("PutRecord", ["not", "a", "dict"])  # type: ignore[arg-type]


def test_numbers_on_the_wire_are_ascii_digits(kinesis):
    """API_PutRecord.html, ExplicitHashKey: Pattern: 0|([1-9]\\d{0,38}); API_GetShardIterator.html,
    StartingSequenceNumber: Pattern: 0|([1-9]\\d{0,128}); ShardCount: Type: Integer. Python's
    str.isdigit() and int() also read "²" and Arabic-Indic digits (U+0661 is 1 to int())."""
    make_stream(kinesis)
    assert error_code(
        kinesis.put_record, StreamName="s", PartitionKey="k", Data="x", ExplicitHashKey="\u0661"
    ) == ("ValidationException")
    seq = kinesis.put_record(StreamName="s", PartitionKey="k", Data="x")["SequenceNumber"]
    arabic = seq[:-1] + "\u0661"  # the same number to int(), with its last digit Arabic-Indic
    assert error_code(
        iterator, kinesis=kinesis, kind="AT_SEQUENCE_NUMBER", StartingSequenceNumber=arabic
    ) == ("InvalidArgumentException")
    for count in ("²", "\u0661", "1" * 5000):
        assert error_code(kinesis.create_stream, StreamName="t", ShardCount=count) == (
            "ValidationException"
        )


@pytest.mark.parametrize(
    ("action", "limit", "params"),
    [
        ("CreateStream", 5, lambda i: {"StreamName": f"t{i}", "ShardCount": 1}),
        ("DeleteStream", 5, lambda i: {"StreamName": f"t{i}"}),
        (
            "SplitShard",
            5,
            lambda i: {
                "StreamName": "s",
                "ShardToSplit": f"shardId-{i:012d}",
                "NewStartingHashKey": str(2**120),
            },
        ),
        ("UpdateShardCount", 10, lambda i: {"StreamName": "wide", "TargetShardCount": 0}),
    ],
)
def test_control_plane_calls_a_second_per_account(kinesis, clock, action, limit, params):
    """API_CreateStream.html, API_DeleteStream.html, API_SplitShard.html, API_MergeShards.html:
    "... has a limit of five transactions per second per account." API_UpdateShardCount.html:
    "Make over 10 TPS. TPS over 10 will trigger the LimitExceededException". A call refused
    for its rate does not run; the next whole second has its own calls."""
    for i in range(limit + 1):
        kinesis.call("CreateStream", {"StreamName": f"t{i}", "ShardCount": 1})
        clock.advance(1)
    kinesis.call("CreateStream", {"StreamName": "s", "ShardCount": limit + 1})
    clock.advance(1)
    for i in range(limit):
        try:
            kinesis.call(action, params(i))
        except KinesisError as error:
            assert error.code != "LimitExceededException"  # only its own errors
    streams = kinesis.call("ListStreams")["StreamNames"]
    shards = kinesis.call("ListShards", {"StreamName": "s"})["Shards"]
    with pytest.raises(KinesisError) as caught:
        kinesis.call(action, params(limit))
    assert caught.value.code == "LimitExceededException"
    assert kinesis.call("ListStreams")["StreamNames"] == streams
    assert kinesis.call("ListShards", {"StreamName": "s"})["Shards"] == shards
    clock.advance(1)
    try:
        kinesis.call(action, params(limit))
    except KinesisError as error:
        assert error.code != "LimitExceededException"


def test_the_calls_of_this_second_survive_a_save(kinesis):
    """The count is part of the state: saved and restored, a page cannot reset it."""
    for i in range(5):
        kinesis.call("CreateStream", {"StreamName": f"t{i}", "ShardCount": 1})
    head, parts = kinesis.to_parts()
    restored = Kinesis.from_parts(json.loads(json.dumps(head)), json.loads(json.dumps(parts)))
    with pytest.raises(KinesisError) as caught:
        restored.call("CreateStream", {"StreamName": "t5", "ShardCount": 1})
    assert caught.value.code == "LimitExceededException"
