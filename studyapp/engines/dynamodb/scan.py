"""The order a Scan walks, and parallel scan segments (Scan.html, "Parallel scan").

A Scan walks partition keys in the order of their 128-bit hash, and the items of one partition
key by sort key. Segment s of T covers the hashes h with floor(h * T / 2**128) = s, so that the
T segments split the table into disjoint, contiguous ranges that together cover it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

from .errors import validation
from .params import integer
from .storage import Entry, Store

SPACE = 1 << 128


def check_segments(params: dict[str, Any]) -> tuple[int, int]:
    """(Segment, TotalSegments); (0, 1) for a sequential Scan."""
    segment = integer(params, "Segment", 0, 999_999)
    total = integer(params, "TotalSegments", 1, 1_000_000)
    if segment is None and total is None:
        return 0, 1
    if total is None:
        raise validation(
            "The TotalSegments parameter is required but was not present in the request when "
            "Segment parameter is present"
        )
    if segment is None:
        raise validation(
            "The Segment parameter is required but was not present in the request when "
            "parameter TotalSegments is present"
        )
    if segment >= total:
        raise validation(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
            f"Segment: {segment} is not less than TotalSegments: {total}"
        )
    return segment, total


class ScanCursor:
    """Entries of one segment, from just after an ExclusiveStartKey ``(pk, sort, hash)``."""

    def __init__(
        self, store: Store, segment: int, total: int, start: tuple[Any, Any, int] | None
    ) -> None:
        self.store = store
        self.begin_hash = -(-segment * SPACE // total)
        self.end_hash = -(-(segment + 1) * SPACE // total)
        self.start = start
        if start is not None and not self.begin_hash <= start[2] < self.end_hash:
            raise validation(
                "The provided starting key is invalid: it is not in the requested segment"
            )
        self.first_hash = start[2] if start is not None else self.begin_hash
        self.last_hash = self.first_hash

    def entries(self) -> Iterator[Entry]:
        store = self.store
        order = store.order()
        start = self.start
        if start is None:
            position = bisect_left(order, (self.begin_hash,))
        else:
            position = bisect_left(order, (start[2], start[0]))
        stop = bisect_left(order, (self.end_hash,))
        for index in range(position, stop):
            pk_hash, pk = order[index]
            self.last_hash = pk_hash
            if not store.composite:
                if start is not None and index == position and pk == start[0]:
                    continue
                yield store.by_pk[pk]
                continue
            collection = store.by_pk[pk]
            keys, entries = collection.keys, collection.entries
            first = 0
            if start is not None and index == position and pk == start[0]:
                first = bisect_right(keys, start[1])
            for sort in keys[first:]:
                yield entries[sort]
