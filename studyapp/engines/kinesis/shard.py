"""One shard: its hash key range, its records in sequence order and its usage this second."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

# A record is a tuple, lean enough for 100,000 puts a second:
# (sequence, arrival_ms, partition_key, data, size_bytes, hash_key)
SEQ, ARRIVAL, KEY, DATA, SIZE, HASH = range(6)


def shard_id_for(number: int) -> str:
    return f"shardId-{number:012d}"


def _arrival(record: tuple) -> int:
    return record[ARRIVAL]


def _seq(record: tuple) -> int:
    return record[SEQ]


class Shard:
    """Sequence numbers here are the stream's internal counters; see Stream.sequence_number."""

    __slots__ = (
        "adjacent_parent",
        "children",
        "closed_ms",
        "created_ms",
        "end",
        "end_seq",
        "number",
        "parent",
        "r_bytes",
        "r_calls",
        "r_sec",
        "records",
        "shard_id",
        "start",
        "start_seq",
        "w_bytes",
        "w_count",
        "w_sec",
        "x_count",
        "x_sec",
    )

    def __init__(
        self,
        number: int,
        start: int,
        end: int,
        start_seq: int,
        created_ms: int,
        parent: str | None = None,
        adjacent_parent: str | None = None,
    ) -> None:
        self.number = number
        self.shard_id = shard_id_for(number)
        self.start = start
        self.end = end
        self.start_seq = start_seq
        self.end_seq: int | None = None
        self.created_ms = created_ms
        self.closed_ms: int | None = None
        self.parent = parent
        self.adjacent_parent = adjacent_parent
        self.children: list[str] = []
        self.records: list[tuple] = []
        self.w_sec = self.w_bytes = self.w_count = 0
        self.r_sec = self.r_bytes = self.r_calls = 0
        self.x_sec = self.x_count = 0

    @property
    def is_open(self) -> bool:
        return self.end_seq is None

    def contains(self, hash_key: int) -> bool:
        return self.start <= hash_key <= self.end

    def trim(self, cutoff_ms: int) -> None:
        """Drop records that arrived at or before `cutoff_ms` (older than retention)."""
        records = self.records
        if records and records[0][ARRIVAL] <= cutoff_ms:
            del records[: bisect_right(records, cutoff_ms, key=_arrival)]

    def index_of(self, seq: int) -> int:
        """Index of the first record whose sequence is `seq` or later."""
        return bisect_left(self.records, seq, key=_seq)

    def index_at(self, when_ms: int) -> int:
        """Index of the first record that arrived at or after `when_ms`."""
        return bisect_left(self.records, when_ms, key=_arrival)

    def write_usage(self, second: int) -> tuple[int, int]:
        """(bytes, records) written in this whole second."""
        return (self.w_bytes, self.w_count) if self.w_sec == second else (0, 0)

    def read_usage(self, second: int) -> tuple[int, int]:
        """(bytes, GetRecords calls) read in this whole second."""
        return (self.r_bytes, self.r_calls) if self.r_sec == second else (0, 0)

    def throttled(self, second: int) -> int:
        """Calls refused with ProvisionedThroughputExceededException in this whole second."""
        return self.x_count if self.x_sec == second else 0

    def note_throttle(self, second: int) -> None:
        if self.x_sec != second:
            self.x_sec, self.x_count = second, 0
        self.x_count += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "start": str(self.start),
            "end": str(self.end),
            "start_seq": self.start_seq,
            "end_seq": self.end_seq,
            "created_ms": self.created_ms,
            "closed_ms": self.closed_ms,
            "parent": self.parent,
            "adjacent_parent": self.adjacent_parent,
            "children": list(self.children),
            "records": [[s, a, k, d, z, str(h)] for s, a, k, d, z, h in self.records],
            "write": [self.w_sec, self.w_bytes, self.w_count],
            "read": [self.r_sec, self.r_bytes, self.r_calls],
            "throttled": [self.x_sec, self.x_count],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Shard:
        shard = cls(
            int(data["number"]),
            int(data["start"]),
            int(data["end"]),
            int(data["start_seq"]),
            int(data["created_ms"]),
            data.get("parent"),
            data.get("adjacent_parent"),
        )
        shard.end_seq = data.get("end_seq")
        shard.closed_ms = data.get("closed_ms")
        shard.children = list(data.get("children", []))
        shard.records = [(s, a, k, d, z, int(h)) for s, a, k, d, z, h in data.get("records", [])]
        shard.w_sec, shard.w_bytes, shard.w_count = data.get("write", [0, 0, 0])
        shard.r_sec, shard.r_bytes, shard.r_calls = data.get("read", [0, 0, 0])
        shard.x_sec, shard.x_count = data.get("throttled", [0, 0])
        return shard
