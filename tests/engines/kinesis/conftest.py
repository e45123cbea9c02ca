import pytest

from studyapp.engines.clock import Clock
from studyapp.engines.kinesis import Kinesis, KinesisError


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def kinesis(clock: Clock) -> Kinesis:
    return Kinesis(clock)


def make_stream(kinesis: Kinesis, shards: int = 1, name: str = "s") -> str:
    kinesis.create_stream(StreamName=name, ShardCount=shards)
    return name


def error_code(call, **params) -> str:
    """The AWS error code a call fails with (the test fails if it succeeds)."""
    with pytest.raises(KinesisError) as caught:
        call(**params)
    return caught.value.code


def read_all(kinesis: Kinesis, shard_id: str, stream: str = "s") -> list[dict]:
    """Every record of a shard from TRIM_HORIZON, moving the clock to stay within limits."""
    iterator = kinesis.get_shard_iterator(
        StreamName=stream, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records: list[dict] = []
    while True:
        kinesis.clock.advance(1)
        result = kinesis.get_records(ShardIterator=iterator)
        records += result["Records"]
        if result["NextShardIterator"] is None or not result["Records"]:
            return records
        iterator = result["NextShardIterator"]
