"""Kinesis Data Streams simulator: shards on the 128-bit hash key space, limits, resharding.

Standard library only. State is a plain JSON value: Kinesis.to_dict() / Kinesis.from_dict().
"""

from .errors import KinesisError
from .hashing import MAX_HASH_KEY, even_ranges, hash_key_for
from .scenario import run
from .service import ACTIONS, Kinesis
from .view import stream_view

__all__ = [
    "ACTIONS",
    "MAX_HASH_KEY",
    "Kinesis",
    "KinesisError",
    "even_ranges",
    "hash_key_for",
    "run",
    "stream_view",
]
