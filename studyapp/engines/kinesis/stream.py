"""A provisioned data stream: its shards, per-shard limits, resharding and retention."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from . import limits
from .errors import (
    ACCOUNT_ID,
    LIMIT_EXCEEDED,
    REGION,
    KinesisError,
    invalid,
    rate_exceeded,
    shard_not_found,
)
from .hashing import even_ranges
from .shard import ARRIVAL, SEQ, SIZE, Shard

# Real sequence numbers are 56-digit decimal strings such as "4954...". The stream counts
# 1, 2, 3, ... internally and shows SEQ_BASE + n, so numbers look real and sort as numbers.
SEQ_BASE = 49 * 10**54
# API Reference, SequenceNumber: Pattern: 0|([1-9]\d{0,128}) (ASCII digits).
SEQUENCE = re.compile(r"0|[1-9][0-9]{0,128}")


def sequence_number(n: int) -> str:
    return str(SEQ_BASE + n)


def parse_sequence_number(text: Any, parameter: str) -> int:
    """The internal counter of a sequence number string; InvalidArgumentException if malformed."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not SEQUENCE.fullmatch(text) or int(text) < SEQ_BASE:
        raise invalid(f"{parameter} {text} is not a valid sequence number.")
    return int(text) - SEQ_BASE


class Stream:
    def __init__(
        self,
        name: str,
        shard_count: int,
        created_ms: int,
        retention_hours: int = limits.RETENTION_DEFAULT_HOURS,
    ) -> None:
        self.name = name
        self.created_ms = created_ms
        self.retention_hours = retention_hours
        self.seq = 0
        self.next_number = 0
        self.scalings: list[int] = []  # when UpdateShardCount succeeded (ms), last 24 hours
        self.shards: dict[str, Shard] = {}
        self._open: list[Shard] = []
        self._starts: list[int] = []
        for start, end in even_ranges(shard_count):
            self._new_shard(start, end, created_ms)
        self._reindex()

    @property
    def arn(self) -> str:
        return f"arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/{self.name}"

    @property
    def retention_ms(self) -> int:
        return self.retention_hours * 3_600_000

    @property
    def open_shards(self) -> list[Shard]:
        """Open shards in hash key order."""
        return self._open

    def _new_shard(
        self, start: int, end: int, now_ms: int, parent: str | None = None, adjacent=None
    ) -> Shard:
        self.seq += 1
        shard = Shard(self.next_number, start, end, self.seq, now_ms, parent, adjacent)
        self.next_number += 1
        self.shards[shard.shard_id] = shard
        return shard

    def _close(self, shard: Shard, now_ms: int) -> None:
        self.seq += 1
        shard.end_seq = self.seq
        shard.closed_ms = now_ms

    def _reindex(self) -> None:
        self._open = sorted((s for s in self.shards.values() if s.is_open), key=lambda s: s.start)
        self._starts = [s.start for s in self._open]

    def shard(self, shard_id: Any) -> Shard:
        shard = self.shards.get(shard_id) if isinstance(shard_id, str) else None
        if shard is None:
            raise shard_not_found(str(shard_id), self.name)
        return shard

    def shard_for(self, hash_key: int) -> Shard:
        """The open shard whose inclusive range holds `hash_key` (bisection, not a scan)."""
        return self._open[bisect_right(self._starts, hash_key) - 1]

    # Writes ---------------------------------------------------------------------------

    def put(
        self, partition_key: str, data: str, size: int, hash_key: int, now_ms: int, second: int
    ) -> tuple[Shard, int]:
        """Append one record; ProvisionedThroughputExceededException past the shard's limits."""
        shard = self._open[bisect_right(self._starts, hash_key) - 1]
        if shard.w_sec != second:
            shard.w_sec = second
            shard.w_bytes = shard.w_count = 0
        if (
            shard.w_count >= limits.SHARD_WRITE_RECORDS_PER_SECOND
            or shard.w_bytes + size > limits.SHARD_WRITE_BYTES_PER_SECOND
        ):
            shard.note_throttle(second)
            raise rate_exceeded(shard.shard_id, self.name)
        shard.w_count += 1
        shard.w_bytes += size
        self.seq += 1
        shard.append((self.seq, now_ms, partition_key, data, size, hash_key))
        return shard, self.seq

    # Reads ----------------------------------------------------------------------------

    def read(
        self, shard: Shard, position: int, limit: int, now_ms: int, second: int
    ) -> tuple[list[tuple], int, int, bool]:
        """Records from `position` on: (records, next position, millis behind, at shard end).

        API_GetRecords and service-sizes-and-limits: a shard serves 5 calls and 2 MiB a
        second; one call returns up to 10 MiB (and `limit` records), and what it reads beyond
        the second's 2 MiB is paid off at 2 MiB a second, the calls until then throwing
        ProvisionedThroughputExceededException (10 MiB: the next 5 seconds).
        """
        shard.trim(now_ms - self.retention_ms)
        per_second = limits.SHARD_READ_BYTES_PER_SECOND
        used, calls = shard.read_load(second, per_second)
        if calls >= limits.SHARD_READ_CALLS_PER_SECOND or used >= per_second:
            shard.note_throttle(second)
            raise rate_exceeded(shard.shard_id, self.name)
        records = shard.records
        first = shard.index_of(position)
        stop = min(len(records), first + limit)
        end = first
        budget = limits.GET_RECORDS_MAX_BYTES
        while end < stop and records[end][SIZE] <= budget:
            budget -= records[end][SIZE]
            end += 1
        shard.r_sec = second
        shard.r_bytes = used + limits.GET_RECORDS_MAX_BYTES - budget
        shard.r_calls = calls + 1
        batch = records[first:end]
        next_position = batch[-1][SEQ] + 1 if batch else position
        behind = now_ms - records[end][ARRIVAL] if end < len(records) else 0
        at_end = not shard.is_open and end == len(records)
        return batch, next_position, behind, at_end

    def owner_of(self, seq: int) -> Shard | None:
        """The shard a sequence number belongs to, among the numbers still known: a kept
        record's, or a shard's starting or ending sequence number (None: unknown)."""
        for shard in self.shards.values():
            if seq == shard.start_seq or seq == shard.end_seq:
                return shard
            records = shard.records
            if records and records[0][SEQ] <= seq <= records[-1][SEQ]:
                index = shard.index_of(seq)
                if records[index][SEQ] == seq:
                    return shard
        return None

    def check_sequence_number(self, shard: Shard, seq: int, text: str, parameter: str) -> None:
        """InvalidArgumentException unless `seq` can be a sequence number of `shard`: in its
        range, and not a number of another shard (key-concepts: each shard is a uniquely
        identified sequence of records; API_GetShardIterator: the sequence number of a data
        record in the shard). A number too old to tell (trimmed) is taken as it is."""
        last = self.seq if shard.is_open else shard.end_seq
        if not shard.start_seq <= seq <= last:  # type: ignore[operator]
            raise invalid(
                f"{parameter} {text} used in GetShardIterator on shard {shard.shard_id} in "
                f"stream {self.name} under account {ACCOUNT_ID} is invalid because it did not "
                "come from this stream."
            )
        owner = self.owner_of(seq)
        if owner is shard:
            return
        trimmed = shard.written > len(shard.records)
        if owner is None and trimmed and (not shard.records or seq < shard.records[0][SEQ]):
            return
        encodes = owner.shard_id if owner is not None else "another shard"
        raise invalid(
            f"Invalid {parameter}. It encodes {encodes}, while it was used in a call to a "
            f"shard with {shard.shard_id}"
        )

    # Retention ------------------------------------------------------------------------

    def expire(self, now_ms: int) -> None:
        """Drop records older than retention, and closed shards once all their data expired."""
        cutoff = now_ms - self.retention_ms
        for shard_id, shard in list(self.shards.items()):
            shard.trim(cutoff)
            if shard.closed_ms is not None and shard.closed_ms <= cutoff:
                del self.shards[shard_id]

    def set_retention(self, hours: int, now_ms: int) -> None:
        # Expire under the old period first: a longer period never revives expired data.
        self.expire(now_ms)
        self.retention_hours = hours

    # Resharding -----------------------------------------------------------------------

    def _check_reshardable(self, shard: Shard) -> None:
        if not shard.is_open:
            raise invalid(
                f"Shard {shard.shard_id} in stream {self.name} under account {ACCOUNT_ID} has "
                "already been merged or split, and thus is not eligible for merging or splitting."
            )

    def split(
        self, shard_id: Any, new_start: int, now_ms: int, *, check_limit: bool = True
    ) -> tuple[Shard, Shard]:
        parent = self.shard(shard_id)
        self._check_reshardable(parent)
        if not parent.start + 1 < new_start < parent.end:
            raise invalid(
                f"NewStartingHashKey {new_start} used in SplitShard() on shard "
                f"{parent.shard_id} in stream {self.name} under account {ACCOUNT_ID} is not "
                "both greater than one plus the shard's StartingHashKey "
                f"{parent.start} and less than the shard's EndingHashKey {parent.end}."
            )
        if check_limit and len(self._open) + 1 > limits.MAX_OPEN_SHARDS:
            raise KinesisError(
                LIMIT_EXCEEDED,
                f"This request would exceed the shard limit of {limits.MAX_OPEN_SHARDS}.",
            )
        self._close(parent, now_ms)
        low = self._new_shard(parent.start, new_start - 1, now_ms, parent.shard_id)
        high = self._new_shard(new_start, parent.end, now_ms, parent.shard_id)
        parent.children = [low.shard_id, high.shard_id]
        self._reindex()
        return low, high

    def merge(self, shard_id: Any, adjacent_id: Any, now_ms: int) -> Shard:
        first = self.shard(shard_id)
        second = self.shard(adjacent_id)
        self._check_reshardable(first)
        self._check_reshardable(second)
        if first is second or not (first.end + 1 == second.start or second.end + 1 == first.start):
            raise invalid(
                f"Shard {first.shard_id} and shard {second.shard_id} in stream {self.name} "
                f"under account {ACCOUNT_ID} are not an adjacent pair of shards eligible "
                "for merging."
            )
        self._close(first, now_ms)
        self._close(second, now_ms)
        child = self._new_shard(
            min(first.start, second.start),
            max(first.end, second.end),
            now_ms,
            first.shard_id,
            second.shard_id,
        )
        first.children = [child.shard_id]
        second.children = [child.shard_id]
        self._reindex()
        return child

    def update_shard_count(self, target: int, now_ms: int) -> int:
        """Uniform scaling as a sequence of splits then merges; returns the previous count.

        All or nothing: every limit is checked first (API_UpdateShardCount: up to double,
        down to half, within the shard limit, at most ten scalings per rolling 24 hours), and
        should a step still fail, the stream is put back as it was.
        """
        current = len(self._open)
        if target < 1 or target > 2 * current or 2 * target < current:
            raise KinesisError(
                LIMIT_EXCEEDED,
                f"UpdateShardCount cannot scale from {current} to {target} shards: a stream "
                "can scale up to double or down to half its open shard count at a time.",
            )
        if target > limits.MAX_OPEN_SHARDS:
            raise KinesisError(
                LIMIT_EXCEEDED,
                f"This request would exceed the shard limit of {limits.MAX_OPEN_SHARDS}.",
            )
        self.scalings = [t for t in self.scalings if now_ms - t < limits.SCALING_WINDOW_MS]
        if len(self.scalings) >= limits.MAX_SCALINGS_PER_DAY:
            raise KinesisError(
                LIMIT_EXCEEDED,
                f"Stream {self.name} under account {ACCOUNT_ID} has already been scaled "
                f"{limits.MAX_SCALINGS_PER_DAY} times in the rolling 24-hour period; try "
                "again later.",
            )
        saved = self._save_shards()
        try:
            self._scale(target, now_ms)
        except BaseException:
            self._restore_shards(saved)
            raise
        self.scalings.append(now_ms)
        return current

    def _save_shards(self) -> tuple[Any, ...]:
        """What resharding changes: counters, the shard table, and the open shards' ends."""
        opened = [(s, s.end_seq, s.closed_ms, list(s.children)) for s in self._open]
        return self.seq, self.next_number, dict(self.shards), opened

    def _restore_shards(self, saved: tuple[Any, ...]) -> None:
        self.seq, self.next_number, shards, opened = saved
        self.shards = shards
        for shard, end_seq, closed_ms, children in opened:
            shard.end_seq, shard.closed_ms, shard.children = end_seq, closed_ms, children
        self._reindex()

    def _scale(self, target: int, now_ms: int) -> None:
        """Split at every boundary of the even ranges, then merge what lies within each
        (short-lived shards appear on the way, as the API Reference says they do)."""
        ranges = even_ranges(target)
        for boundary, _ in ranges[1:]:
            shard = self.shard_for(boundary)
            if shard.start == boundary:
                continue
            while not shard.start + 1 < boundary < shard.end:
                # Too near an edge to split there: widen the shard by merging the neighbour
                # on that side (a tiny shard may need both sides).
                index = self._open.index(shard)
                neighbour = self._open[index - 1 if boundary <= shard.start + 1 else index + 1]
                shard = self.merge(shard.shard_id, neighbour.shard_id, now_ms)
            self.split(shard.shard_id, boundary, now_ms, check_limit=False)
        for start, end in ranges:
            pieces = [s for s in self._open if start <= s.start and s.end <= end]
            while len(pieces) > 1:
                merged = self.merge(pieces[0].shard_id, pieces[1].shard_id, now_ms)
                pieces[:2] = [merged]

    def child_shards(self, shard: Shard) -> list[dict[str, Any]]:
        """The ChildShards of a closed shard, as GetRecords returns them at its end."""
        result = []
        for child_id in shard.children:
            child = self.shards.get(child_id)
            if child is None:
                continue
            parents = [p for p in (child.parent, child.adjacent_parent) if p]
            result.append(
                {
                    "ShardId": child.shard_id,
                    "ParentShards": parents,
                    "HashKeyRange": {
                        "StartingHashKey": str(child.start),
                        "EndingHashKey": str(child.end),
                    },
                }
            )
        return result

    # State ----------------------------------------------------------------------------

    def to_dict(self, *, records: bool = True) -> dict[str, Any]:
        return {
            "name": self.name,
            "created_ms": self.created_ms,
            "retention_hours": self.retention_hours,
            "seq": self.seq,
            "next_number": self.next_number,
            "scalings": list(self.scalings),
            "shards": [s.to_dict(records=records) for s in self.shards.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stream:
        stream = cls.__new__(cls)
        stream.name = data["name"]
        stream.created_ms = int(data["created_ms"])
        stream.retention_hours = int(data["retention_hours"])
        stream.seq = int(data["seq"])
        stream.next_number = int(data["next_number"])
        stream.scalings = [int(t) for t in data.get("scalings", [])]
        stream.shards = {}
        for item in data["shards"]:
            shard = Shard.from_dict(item)
            stream.shards[shard.shard_id] = shard
        stream._reindex()
        return stream
