"""ListShards' shard filters and parameter rules, against the API Reference.

https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListShards.html and
https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ShardFilter.html (as in botocore's
service model, 2026).
"""

import pytest

from studyapp.engines.clock import DEFAULT_EPOCH

from .conftest import error_code, make_stream

HALF = str(2**127)


def ids(kinesis, **params):
    return [s["ShardId"] for s in kinesis.list_shards(StreamName="s", **params)["Shards"]]


@pytest.fixture
def resharded(kinesis, clock):
    """Shard 0 from t=0, split at t=100 s into shards 1 and 2; shard 1 split at t=200 s into
    shards 3 and 4."""
    make_stream(kinesis)
    clock.advance(100)
    kinesis.split_shard(
        StreamName="s", ShardToSplit="shardId-000000000000", NewStartingHashKey=HALF
    )
    clock.advance(100)
    kinesis.split_shard(
        StreamName="s", ShardToSplit="shardId-000000000001", NewStartingHashKey=str(2**126)
    )
    return kinesis


def test_filters_pick_shards_by_when_they_were_open(resharded):
    """API_ShardFilter.html, Type: "AT_LATEST - the response includes only the currently open
    shards of the data stream."; "AT_TIMESTAMP - the response includes all shards whose start
    timestamp is less than or equal to the given timestamp and end timestamp is greater than or
    equal to the given timestamp or still open."; "FROM_TIMESTAMP - the response incldues all
    closed shards whose end timestamp is greater than or equal to the given timestamp and also
    all open shards."; "FROM_TRIM_HORIZON - (default), the response includes all the shards
    within the retention period of the data stream (trim to tip)."; "AT_TRIM_HORIZON - the
    response includes all the shards that were open at TRIM_HORIZON." """
    k = resharded
    every = [f"shardId-00000000000{n}" for n in range(5)]
    assert ids(k) == every
    assert ids(k, ShardFilter={"Type": "FROM_TRIM_HORIZON"}) == every
    assert ids(k, ShardFilter={"Type": "AT_LATEST"}) == [every[2], every[3], every[4]]
    at = {"Type": "AT_TIMESTAMP", "Timestamp": DEFAULT_EPOCH + 150}
    assert ids(k, ShardFilter=at) == [every[1], every[2]]
    at_split = {"Type": "AT_TIMESTAMP", "Timestamp": DEFAULT_EPOCH + 100}
    assert ids(k, ShardFilter=at_split) == every[:3]  # the parent ends as its children start
    since = {"Type": "FROM_TIMESTAMP", "Timestamp": DEFAULT_EPOCH + 150}
    assert ids(k, ShardFilter=since) == every[1:]
    assert ids(k, ShardFilter={"Type": "AT_TRIM_HORIZON"}) == [every[0]]


def test_a_timestamp_before_the_trim_horizon_counts_as_the_trim_horizon(resharded, clock):
    """API_ShardFilter.html, FROM_TIMESTAMP: "Corrected to TRIM_HORIZON of the data stream if
    FROM_TIMESTAMP is less than the TRIM_HORIZON value." API_ListShards.html: "This action does
    not list expired shards." At the trim horizon (24 hours ago, the default retention) shard 2
    and shard 1's two children were open; shards 0 and 1 have expired."""
    clock.advance(24 * 3600)
    assert ids(resharded, ShardFilter={"Type": "AT_TRIM_HORIZON"}) == [
        "shardId-000000000002",
        "shardId-000000000003",
        "shardId-000000000004",
    ]
    old = {"Type": "FROM_TIMESTAMP", "Timestamp": DEFAULT_EPOCH}
    assert ids(resharded, ShardFilter=old) == ids(resharded, ShardFilter={"Type": "AT_LATEST"})


def test_after_shard_id_and_exclusive_start_shard_id(resharded):
    """API_ShardFilter.html: "If you specify the AFTER_SHARD_ID type, you must also provide the
    value for the optional ShardId property. The ShardId property is identical in fuctionality
    to the ExclusiveStartShardId parameter of the ListShards API." """
    after = {"Type": "AFTER_SHARD_ID", "ShardId": "shardId-000000000002"}
    assert ids(resharded, ShardFilter=after) == ["shardId-000000000003", "shardId-000000000004"]
    assert ids(resharded, ExclusiveStartShardId="shardId-000000000002") == [
        "shardId-000000000003",
        "shardId-000000000004",
    ]


@pytest.mark.parametrize(
    ("shard_filter", "code"),
    [
        ({}, "ValidationException"),  # "the Type is the required property"
        ({"Type": "LATEST"}, "ValidationException"),  # not one of the six types
        ({"Type": "AFTER_SHARD_ID"}, "InvalidArgumentException"),  # ShardId needed
        ({"Type": "AT_TIMESTAMP"}, "InvalidArgumentException"),  # Timestamp needed
        ({"Type": "FROM_TIMESTAMP"}, "InvalidArgumentException"),
        ({"Type": "AT_LATEST", "ShardId": "shardId-000000000000"}, "InvalidArgumentException"),
        ({"Type": "AT_LATEST", "Timestamp": 1}, "InvalidArgumentException"),
        ({"Type": "AFTER_SHARD_ID", "ShardId": "no spaces"}, "ValidationException"),
        ({"Type": "AT_TIMESTAMP", "Timestamp": "yesterday"}, "InvalidArgumentException"),
        ("AT_LATEST", "ValidationException"),
    ],
)
def test_shard_filter_rules(kinesis, shard_filter, code):
    """API_ShardFilter.html: "If you use the ShardFilter parameter when invoking the ListShards
    API, the Type is the required property and must be specified."; the ShardId property "can
    only be used if the AFTER_SHARD_ID shard type is specified"; the Timestamp property "can
    only be used if FROM_TIMESTAMP or AT_TIMESTAMP shard types are specified"; "If you specify
    the AT_TIMESTAMP or FROM_TIMESTAMP_ID type, you must also provide the value for the
    optional Timestamp property." Type: Valid Values: AFTER_SHARD_ID | AT_TRIM_HORIZON |
    FROM_TRIM_HORIZON | AT_LATEST | AT_TIMESTAMP | FROM_TIMESTAMP."""
    make_stream(kinesis)
    assert error_code(kinesis.list_shards, StreamName="s", ShardFilter=shard_filter) == code


@pytest.mark.parametrize("bad", ["", "x" * 129, "shard 1", ["shardId-000000000000"], 7])
def test_exclusive_start_shard_id_is_a_shard_id(kinesis, bad):
    """API_ListShards.html, ExclusiveStartShardId: Length Constraints: Minimum length of 1.
    Maximum length of 128. Pattern: [a-zA-Z0-9_.-]+"""
    make_stream(kinesis)
    assert error_code(kinesis.list_shards, StreamName="s", ExclusiveStartShardId=bad) == (
        "ValidationException"
    )
    assert ids(kinesis, ExclusiveStartShardId="x" * 128) == []  # "x" sorts after "shardId-"


def all_pages(kinesis, **params):
    """Every shard ID, page by page, and the number of pages."""
    page = kinesis.list_shards(StreamName="s", **params)
    found, pages = [s["ShardId"] for s in page["Shards"]], 1
    while "NextToken" in page:
        extra = {"MaxResults": params["MaxResults"]} if "MaxResults" in params else {}
        page = kinesis.list_shards(NextToken=page["NextToken"], **extra)
        found += [s["ShardId"] for s in page["Shards"]]
        pages += 1
    return found, pages


def test_max_results_pages_and_next_token(kinesis):
    """API_ListShards.html, MaxResults: "The maximum number of shards to return in a single
    call to ListShards. ... The default value is 1000. If you specify a value greater than
    1000, at most 1000 results are returned." "When the number of shards to be listed is
    greater than the value of MaxResults, the response contains a NextToken value that you
    can use in a subsequent call to ListShards to list the next set of shards." """
    make_stream(kinesis, 5)
    every = [f"shardId-00000000000{n}" for n in range(5)]
    assert all_pages(kinesis, MaxResults=2) == (every, 3)
    assert all_pages(kinesis, MaxResults=5) == (every, 1)
    first = kinesis.list_shards(StreamName="s", MaxResults=2, ShardFilter={"Type": "AT_LATEST"})
    rest = kinesis.list_shards(NextToken=first["NextToken"])  # the filter goes on
    assert [s["ShardId"] for s in rest["Shards"]] == every[2:]
    for bad in (0, 10_001, "many"):
        assert error_code(kinesis.list_shards, StreamName="s", MaxResults=bad) == (
            "ValidationException"
        )


def test_a_thousand_at_most_per_call(kinesis, clock):
    """API_ListShards.html, MaxResults: "If you specify a value greater than 1000, at most 1000
    results are returned." 500 shards scaled down and up leave well over 1,000 shards to list
    (the short-lived ones of the scalings among them)."""
    make_stream(kinesis, 500)
    kinesis.update_shard_count(StreamName="s", TargetShardCount=250, ScalingType="UNIFORM_SCALING")
    kinesis.update_shard_count(StreamName="s", TargetShardCount=500, ScalingType="UNIFORM_SCALING")
    first = kinesis.list_shards(StreamName="s", MaxResults=10_000)
    assert len(first["Shards"]) == 1000 and "NextToken" in first
    listed, pages = all_pages(kinesis, MaxResults=10_000)
    total = len(kinesis.stream("s").shards)
    assert len(listed) == len(set(listed)) == total
    assert pages == -(-total // 1000)


def test_next_token_rules(kinesis, clock):
    """API_ListShards.html, NextToken: "Don't specify StreamName or StreamCreationTimestamp if
    you specify NextToken"; ExclusiveStartShardId: "You cannot specify this parameter if you
    specify NextToken."; "Tokens expire after 300 seconds. ... If you specify an expired token
    in a call to ListShards, you get ExpiredNextTokenException." """
    make_stream(kinesis, 3)
    token = kinesis.list_shards(StreamName="s", MaxResults=1)["NextToken"]
    assert error_code(kinesis.list_shards, StreamName="s", NextToken=token) == (
        "InvalidArgumentException"
    )
    assert error_code(
        kinesis.list_shards, NextToken=token, ExclusiveStartShardId="shardId-000000000000"
    ) == ("InvalidArgumentException")
    for bad in ("not a token", "W10", 5):
        assert error_code(kinesis.list_shards, NextToken=bad) == "InvalidArgumentException"
    clock.advance(300)
    assert len(kinesis.list_shards(NextToken=token)["Shards"]) == 2
    clock.advance(0.001)
    assert error_code(kinesis.list_shards, NextToken=token) == "ExpiredNextTokenException"
