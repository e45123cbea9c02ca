"""The simulator page's view of a stream: shards on the hash bar, meters and recent records."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from . import limits
from .hashing import HASH_KEY_SPACE
from .shard import ARRIVAL, DATA, HASH, KEY, SEQ
from .stream import sequence_number

if TYPE_CHECKING:
    from .service import Kinesis


def _pct(used: int, limit: int) -> float:
    return round(100 * used / limit, 1)


def stream_view(
    kinesis: Kinesis, stream_name: str, recent: int = 5, at: float | None = None
) -> dict[str, Any]:
    """Everything the page draws, as plain values (ResourceNotFoundException if no stream).

    Shards come in hash key order, open ones first then closed ones by shard number; each has
    its place on the bar (`left`, `width` as fractions of the key space), its usage in one
    whole second against the per-shard limits, and its newest `recent` records. The second is
    the current one, or the one holding the moment `at` (epoch seconds on the virtual clock);
    a shard keeps the usage of its latest busy second only, so an earlier one reads as idle
    unless nothing happened since.
    """
    stream = kinesis.stream(stream_name)
    now_ms = kinesis.clock.now_ms()
    second = math.floor(kinesis.clock.now() if at is None else at)
    stream.expire(now_ms)
    open_shards = stream.open_shards
    closed = sorted((s for s in stream.shards.values() if not s.is_open), key=lambda s: s.number)
    shards = []
    for shard in [*open_shards, *closed]:
        w_bytes, w_count = shard.write_usage(second)
        r_bytes, r_calls = shard.read_usage(second)
        throttled = shard.throttled(second)
        write_pct = max(
            _pct(w_bytes, limits.SHARD_WRITE_BYTES_PER_SECOND),
            _pct(w_count, limits.SHARD_WRITE_RECORDS_PER_SECOND),
        )
        shards.append(
            {
                "ShardId": shard.shard_id,
                "number": shard.number,
                "open": shard.is_open,
                "ParentShardId": shard.parent,
                "AdjacentParentShardId": shard.adjacent_parent,
                "children": list(shard.children),
                "StartingHashKey": str(shard.start),
                "EndingHashKey": str(shard.end),
                "left": shard.start / HASH_KEY_SPACE,
                "width": (shard.end - shard.start + 1) / HASH_KEY_SPACE,
                "StartingSequenceNumber": sequence_number(shard.start_seq),
                "EndingSequenceNumber": (
                    None if shard.end_seq is None else sequence_number(shard.end_seq)
                ),
                "record_count": len(shard.records),
                "write": {
                    "bytes": w_bytes,
                    "records": w_count,
                    "bytes_pct": _pct(w_bytes, limits.SHARD_WRITE_BYTES_PER_SECOND),
                    "records_pct": _pct(w_count, limits.SHARD_WRITE_RECORDS_PER_SECOND),
                    "pct": write_pct,
                },
                "read": {
                    "bytes": r_bytes,
                    "calls": r_calls,
                    "bytes_pct": _pct(r_bytes, limits.SHARD_READ_BYTES_PER_SECOND),
                    "calls_pct": _pct(r_calls, limits.SHARD_READ_CALLS_PER_SECOND),
                },
                "throttled": throttled,
                "hot": throttled > 0 or write_pct >= 100,
                "recent": [
                    {
                        "SequenceNumber": sequence_number(r[SEQ]),
                        "PartitionKey": r[KEY],
                        "Data": r[DATA],
                        "position": r[HASH] / HASH_KEY_SPACE,
                        "age_ms": now_ms - r[ARRIVAL],
                    }
                    for r in shard.records[-recent:]
                ]
                if recent
                else [],
            }
        )
    return {
        "StreamName": stream.name,
        "StreamARN": stream.arn,
        "StreamStatus": "ACTIVE",
        "RetentionPeriodHours": stream.retention_hours,
        "OpenShardCount": len(open_shards),
        "now_ms": now_ms,
        "second": second,
        "limits": {
            "write_bytes": limits.SHARD_WRITE_BYTES_PER_SECOND,
            "write_records": limits.SHARD_WRITE_RECORDS_PER_SECOND,
            "read_bytes": limits.SHARD_READ_BYTES_PER_SECOND,
            "read_calls": limits.SHARD_READ_CALLS_PER_SECOND,
        },
        "shards": shards,
    }
