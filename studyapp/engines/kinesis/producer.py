"""A producer on the virtual clock: N records a second with a partition key strategy."""

from __future__ import annotations

import math
import random
from typing import Any

from ..clock import Clock
from . import limits
from .errors import KinesisError, validation
from .records import check_record
from .stream import Stream

STRATEGIES = ("fixed", "random", "skewed")
MAX_CALLS = 200_000


def _number(p: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = p.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise validation(f"{key} must be a number from {low} to {high}; got {value}.")
    return value


def produce(stream: Stream, clock: Clock, p: dict[str, Any]) -> dict[str, Any]:
    """PutRecord calls spread evenly over each second, as a producer panel would send them.

    Parameters: RecordsPerSecond, Seconds (default 1), RecordSize (data bytes, default 100),
    PartitionKeys ("fixed", "random" or "skewed"), PartitionKey (the fixed or hot key),
    HotShare (the share of the hot key when skewed, default 0.8), Seed.
    The clock ends `Seconds` later. Returns the counts accepted and throttled per shard.
    """
    rate = int(_number(p, "RecordsPerSecond", 100, 1, MAX_CALLS))
    seconds = int(_number(p, "Seconds", 1, 1, 3600))
    size = int(_number(p, "RecordSize", 100, 0, limits.MAX_RECORD_BYTES - 256))
    hot_share = _number(p, "HotShare", 0.8, 0, 1)
    strategy = p.get("PartitionKeys", "random")
    if strategy not in STRATEGIES:
        raise validation(f"PartitionKeys must be one of {', '.join(STRATEGIES)}.")
    if rate * seconds > MAX_CALLS:
        raise validation(f"At most {MAX_CALLS} records per Produce step.")
    hot_key = p.get("PartitionKey", "hot-key")
    rng = random.Random(p.get("Seed", 0))
    data = "x" * size
    hot = check_record(hot_key, data, None)
    per_shard: dict[str, dict[str, int]] = {}
    accepted = throttled = 0
    start = clock.now()
    for s in range(seconds):
        for k in range(rate):
            clock.advance_to(start + s + k / rate)
            if strategy == "fixed" or (strategy == "skewed" and rng.random() < hot_share):
                key, _, record_size, hash_key = hot
            else:
                key, _, record_size, hash_key = check_record(
                    f"key-{rng.getrandbits(32):08x}", data, None
                )
            now = clock.now()
            try:
                shard, _ = stream.put(
                    key, data, record_size, hash_key, round(now * 1000), math.floor(now)
                )
            except KinesisError:
                shard = stream.shard_for(hash_key)
                counts = per_shard.setdefault(shard.shard_id, {"Accepted": 0, "Throttled": 0})
                counts["Throttled"] += 1
                throttled += 1
            else:
                counts = per_shard.setdefault(shard.shard_id, {"Accepted": 0, "Throttled": 0})
                counts["Accepted"] += 1
                accepted += 1
    clock.advance_to(start + seconds)
    return {
        "Attempted": accepted + throttled,
        "Accepted": accepted,
        "Throttled": throttled,
        "Shards": dict(sorted(per_shard.items())),
    }
