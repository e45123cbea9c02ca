"""In-memory storage of a table's or an index's entries, built for speed.

``Store`` keeps a dict by partition key. Without a sort key, that dict holds the entries; with
one, it holds a ``Collection``: a dict by sort key plus the sort keys in a sorted list, so that a
key lookup is one or two dict lookups and a Query range is two ``bisect`` calls. An entry is a
tuple ``(item, size in bytes)``. Scans walk partition keys in hash order (then by sort key),
which is how DynamoDB lays items out on partitions; that order is sorted lazily and cached
until a partition key is added or removed.

Index stores sort an item collection by a tuple: (index sort key, table keys...) or, without an
index sort key, (table keys...), so that entries sharing index key values stay distinct.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from typing import Any

Entry = tuple[dict[str, Any], int]


class Collection:
    """The entries of one partition key, in sort-key order."""

    __slots__ = ("entries", "keys")

    def __init__(self) -> None:
        self.keys: list[Any] = []
        self.entries: dict[Any, Entry] = {}

    def put(self, sort: Any, entry: Entry) -> Entry | None:
        old = self.entries.get(sort)
        if old is None:
            insort(self.keys, sort)
        self.entries[sort] = entry
        return old

    def remove(self, sort: Any) -> Entry | None:
        old = self.entries.pop(sort, None)
        if old is not None:
            del self.keys[bisect_left(self.keys, sort)]
        return old

    def span(self, low: Any, high: Any, low_inclusive: bool, high_inclusive: bool, by_first: bool):
        """(start, stop) positions of the sort keys within the bounds; None is unbounded."""
        key = (lambda sort: sort[0]) if by_first else None
        keys = self.keys
        start = 0
        stop = len(keys)
        if low is not None:
            start = (bisect_left if low_inclusive else bisect_right)(keys, low, key=key)
        if high is not None:
            stop = (bisect_right if high_inclusive else bisect_left)(keys, high, key=key)
        return start, max(start, stop)


class Store:
    """Entries by (partition key, sort key); ``composite`` when there is a sort key."""

    def __init__(self, composite: bool) -> None:
        self.composite = composite
        self.by_pk: dict[Any, Any] = {}
        self.hashes: dict[Any, int] = {}
        self.count = 0
        self._order: list[tuple[int, Any]] | None = []

    def get(self, pk: Any, sk: Any = None) -> Entry | None:
        found = self.by_pk.get(pk)
        if found is None or not self.composite:
            return found
        return found.entries.get(sk)

    def put(self, pk: Any, sk: Any, entry: Entry, pk_hash: int) -> Entry | None:
        by_pk = self.by_pk
        if not self.composite:
            old = by_pk.get(pk)
            by_pk[pk] = entry
        else:
            collection = by_pk.get(pk)
            if collection is None:
                collection = by_pk[pk] = Collection()
            old = collection.put(sk, entry)
        if old is None:
            self.count += 1
            if pk not in self.hashes:
                self.hashes[pk] = pk_hash
                self._order = None
        return old

    def remove(self, pk: Any, sk: Any = None) -> Entry | None:
        if not self.composite:
            old = self.by_pk.pop(pk, None)
            if old is None:
                return None
        else:
            collection = self.by_pk.get(pk)
            if collection is None:
                return None
            old = collection.remove(sk)
            if old is None:
                return None
            if not collection.keys:
                del self.by_pk[pk]
            else:
                self.count -= 1
                return old
        self.count -= 1
        del self.hashes[pk]
        self._order = None
        return old

    def collection(self, pk: Any) -> Collection | None:
        return self.by_pk.get(pk) if self.composite else None

    def order(self) -> list[tuple[int, Any]]:
        """(hash, partition key) of every partition key, in Scan order."""
        if self._order is None:
            self._order = sorted((pk_hash, pk) for pk, pk_hash in self.hashes.items())
        return self._order

    def entries_of(self, pk: Any) -> Iterator[tuple[Any, Entry]]:
        """(sort key, entry) of one partition key in order ((None, entry) without sort key)."""
        found = self.by_pk.get(pk)
        if found is None:
            return
        if not self.composite:
            yield None, found
            return
        entries = found.entries
        for sort in found.keys:
            yield sort, entries[sort]

    def entries(self) -> Iterator[Entry]:
        """Every entry, in Scan order."""
        for _, pk in self.order():
            for _, entry in self.entries_of(pk):
                yield entry

    def position(self, pk_hash: int, pk: Any) -> int:
        """Index in ``order()`` of the first partition key at or after (hash, pk)."""
        return bisect_left(self.order(), (pk_hash, pk))
