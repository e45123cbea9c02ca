"""The 128-bit hash key space: MD5 of a partition key, and an even split into shards."""

from __future__ import annotations

import hashlib

HASH_KEY_SPACE = 2**128
MAX_HASH_KEY = HASH_KEY_SPACE - 1


def hash_key_for(partition_key: str) -> int:
    """MD5 of the UTF-8 partition key read as a big-endian unsigned 128-bit integer."""
    digest = hashlib.md5(partition_key.encode("utf-8"), usedforsecurity=False).digest()
    return int.from_bytes(digest, "big")


def even_ranges(count: int) -> list[tuple[int, int]]:
    """Inclusive ranges of `count` shards: shard i starts at i * floor(2^128 / count)."""
    step = HASH_KEY_SPACE // count
    starts = [i * step for i in range(count)]
    ends = [s - 1 for s in starts[1:]] + [MAX_HASH_KEY]
    return list(zip(starts, ends, strict=True))


def fraction(hash_key: int) -> float:
    """Where a hash key sits on the bar, from 0.0 to 1.0."""
    return hash_key / MAX_HASH_KEY
