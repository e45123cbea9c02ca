"""One shard: its hash key range, its records in sequence order and its usage this second.

Records are only ever appended (at the end) and trimmed (from the front, past retention), so
``written`` (records appended in the shard's life) numbers each record for good: the one at
``records[i]`` is record ``written - len(records) + i``. A page that stores the shard in
blocks of those numbers rewrites only the blocks an action appended to.
"""

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
        "i_calls",
        "i_sec",
        "number",
        "parent",
        "r_bytes",
        "r_calls",
        "r_sec",
        "records",
        "shard_id",
        "start",
        "start_seq",
        "stored_bytes",
        "w_bytes",
        "w_count",
        "w_sec",
        "written",
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
        self.written = 0  # records appended in the shard's life
        self.stored_bytes = 0  # of the records kept: data plus partition keys
        self.w_sec = self.w_bytes = self.w_count = 0
        # Reads: the second of the last GetRecords, the bytes charged since that second began
        # (a call may read up to 10 MiB, more than a second's 2 MiB: the rest is paid off in
        # the seconds after), and the calls in that second.
        self.r_sec = self.r_bytes = self.r_calls = 0
        self.i_sec = self.i_calls = 0  # GetShardIterator calls in whole second i_sec
        self.x_sec = self.x_count = 0

    @property
    def is_open(self) -> bool:
        return self.end_seq is None

    def contains(self, hash_key: int) -> bool:
        return self.start <= hash_key <= self.end

    def append(self, record: tuple) -> None:
        self.records.append(record)
        self.written += 1
        self.stored_bytes += record[SIZE]

    def trim(self, cutoff_ms: int) -> None:
        """Drop records that arrived at or before `cutoff_ms` (older than retention)."""
        records = self.records
        if records and records[0][ARRIVAL] <= cutoff_ms:
            end = bisect_right(records, cutoff_ms, key=_arrival)
            self.stored_bytes -= sum(r[SIZE] for r in records[:end])
            del records[:end]

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

    def read_load(self, second: int, per_second: int) -> tuple[int, int]:
        """(bytes still charged, GetRecords calls) at the start of a read in this second:
        what was read beyond earlier seconds' capacity is still owed."""
        if self.r_sec == second:
            return self.r_bytes, self.r_calls
        return max(0, self.r_bytes - (second - self.r_sec) * per_second), 0

    def iterator_calls(self, second: int) -> int:
        """GetShardIterator calls in this whole second."""
        return self.i_calls if self.i_sec == second else 0

    def note_iterator(self, second: int) -> None:
        if self.i_sec != second:
            self.i_sec, self.i_calls = second, 0
        self.i_calls += 1

    def throttled(self, second: int) -> int:
        """Calls refused with ProvisionedThroughputExceededException in this whole second."""
        return self.x_count if self.x_sec == second else 0

    def note_throttle(self, second: int) -> None:
        if self.x_sec != second:
            self.x_sec, self.x_count = second, 0
        self.x_count += 1

    def block(self, index: int, size: int) -> dict[str, Any]:
        """The kept records numbered ``index * size`` up to the next block, as plain JSON:
        {"from": the number of the first one, "records": [...]}."""
        first = self.written - len(self.records)
        low = max(index * size, first)
        high = min((index + 1) * size, self.written)
        chosen = self.records[low - first : max(low, high) - first]
        return {"from": low, "records": [[s, a, k, d, z, str(h)] for s, a, k, d, z, h in chosen]}

    def to_dict(self, *, records: bool = True) -> dict[str, Any]:
        """The shard as plain JSON; ``records=False`` gives how many are kept instead."""
        data = {
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
            "written": self.written,
            "write": [self.w_sec, self.w_bytes, self.w_count],
            "read": [self.r_sec, self.r_bytes, self.r_calls],
            "iterators": [self.i_sec, self.i_calls],
            "throttled": [self.x_sec, self.x_count],
        }
        if records:
            data["records"] = [[s, a, k, d, z, str(h)] for s, a, k, d, z, h in self.records]
        else:
            data["kept"] = len(self.records)
        return data

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
        shard.written = int(data.get("written", len(shard.records)))
        shard.stored_bytes = sum(r[SIZE] for r in shard.records)
        shard.w_sec, shard.w_bytes, shard.w_count = data.get("write", [0, 0, 0])
        shard.r_sec, shard.r_bytes, shard.r_calls = data.get("read", [0, 0, 0])
        shard.i_sec, shard.i_calls = data.get("iterators", [0, 0])
        shard.x_sec, shard.x_count = data.get("throttled", [0, 0])
        return shard
