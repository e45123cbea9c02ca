"""Kinesis Data Streams simulator: shards on the 128-bit hash key space, limits, resharding.

Standard library only. State is a plain JSON value, whole (Kinesis.to_dict() /
Kinesis.from_dict()) or in increments (Kinesis.to_parts() / Kinesis.from_parts()).

    kinesis = Kinesis()
    kinesis.call("CreateStream", {"StreamName": "s", "ShardCount": 4})   # KinesisError
    kinesis.dispatch("PutRecord", {...})          # {"Error": {...}} instead of raising
    kinesis.totals()                              # {"Records", "Bytes"} kept
    stream_view(kinesis, "s", at=...)             # the page's picture of a stream
    run(scenario, kinesis, on_step=log)           # a preset, step by step (see Step)
    iterator_stream(token)                        # the stream a shard iterator reads
"""

from .errors import KinesisError
from .hashing import MAX_HASH_KEY, even_ranges, hash_key_for
from .iterators import iterator_stream
from .producer import STRATEGIES
from .scenario import Step, run
from .service import ACTIONS, Kinesis
from .view import stream_view

__all__ = [
    "ACTIONS",
    "MAX_HASH_KEY",
    "STRATEGIES",
    "Kinesis",
    "KinesisError",
    "Step",
    "even_ranges",
    "hash_key_for",
    "iterator_stream",
    "run",
    "stream_view",
]
