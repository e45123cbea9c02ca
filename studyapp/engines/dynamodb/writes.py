"""One item write planned against a table: its cost, index updates, admission and commit.

Index costs follow GSI.html and LSI.html ("Write capacity units"): putting an entry into an
index is one write, changing an index key value is two (delete the old entry, put the new one),
removing an entry is one, an item that is in the index neither before nor after costs nothing,
and a change to projected attributes only is one write. Each is counted per 1 KB of the index
entry. LSI writes are charged to the table's capacity, GSI writes to the index's own. A
transactional write doubles the table write (prepare and commit); index updates, made after the
commit, are counted once.
"""

from __future__ import annotations

from typing import Any

from . import limits
from .capacity import Consumed, write_units
from .errors import (
    ITEM_COLLECTION_TOO_BIG,
    THROTTLING,
    THROUGHPUT_EXCEEDED,
    DynamoDBError,
)
from .indexes import GSI, LSI, Index
from .keys import ScalarKey
from .storage import Entry
from .table import Table
from .throughput import KEY_RANGE_EXCEEDED, PROVISIONED
from .values import item_size

HOT_KEY_MESSAGE = (
    "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically "
    "scaling your table or index so please try again shortly. If exceptions persist, check if "
    "you have a hot key: "
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
)
TABLE_MESSAGE = (
    "The level of configured provisioned throughput for the table was exceeded. Consider "
    "increasing your provisioning level with the UpdateTable API."
)
INDEX_MESSAGE = (
    "The level of configured provisioned throughput for one or more global secondary indexes of "
    "the table was exceeded. Consider increasing your provisioning level for the "
    "under-provisioned global secondary indexes with the UpdateTable API."
)

Reason = tuple[str, str]  # (throttling reason, resource ARN)


def throttle_error(mode: str, reasons: list[Reason]) -> DynamoDBError:
    """ProvisionedThroughputExceededException on provisioned tables, ThrottlingException on
    on-demand ones; the ThrottlingReasons say which resource and which limit."""
    reason = reasons[0][0]
    if reason.endswith(KEY_RANGE_EXCEEDED):
        message = HOT_KEY_MESSAGE
    elif reason.startswith("Index"):
        message = INDEX_MESSAGE
    else:
        message = TABLE_MESSAGE
    listed = [{"reason": r, "resource": arn} for r, arn in reasons]
    if mode == PROVISIONED:
        return DynamoDBError(THROUGHPUT_EXCEEDED, message, ThrottlingReasons=listed)
    return DynamoDBError(THROTTLING, message, throttlingReasons=listed)


def cancellation_code(mode: str) -> str:
    return "ProvisionedThroughputExceeded" if mode == PROVISIONED else "ThrottlingError"


def _limit(resource: str, kind: str, limit: str) -> str:
    return f"{resource}{'Read' if kind == 'read' else 'Write'}{limit}"


class Write:
    """A put (``new`` given) or delete (``new`` None) of one item."""

    def __init__(
        self,
        table: Table,
        key: dict[str, Any],
        pk: ScalarKey,
        sk: ScalarKey | None,
        old: Entry | None,
        new: dict[str, Any] | None,
        new_size: int = 0,
        factor: float = 1.0,
    ) -> None:
        self.table = table
        self.key = key
        self.pk = pk
        self.sk = sk
        self.old = old
        self.new = new
        self.new_size = new_size
        self.pk_hash = table.hash_of(pk, key)
        self.partition = table.throughput.partition_of(self.pk_hash)
        old_size = old[1] if old is not None else 0
        if new is None:
            self.units = write_units(old_size, factor)
        else:
            self.units = write_units(max(old_size, new_size), factor)
        # (index, old entry, new entry, new entry size, units, GSI partitions touched)
        self.index_work: list[tuple[Index, Any, Any, int, float, list[int]]] = []
        self.collection_delta = new_size - old_size
        if table.gsis or table.lsis:
            self._plan_indexes(old[0] if old is not None else None, old_size)

    def _plan_indexes(self, old_item: dict[str, Any] | None, old_size: int) -> None:
        for index in self.table.indexes():
            before = index.project(old_item) if old_item is not None else None
            after = index.project(self.new) if self.new is not None else None
            if before is None and after is None:
                continue
            before_size = (
                0 if before is None else old_size if before is old_item else item_size(before)
            )
            after_size = (
                0 if after is None else self.new_size if after is self.new else item_size(after)
            )
            moved = (
                before is not None
                and after is not None
                and (index.position(before) != index.position(after))
            )
            if before is None:
                units = write_units(after_size)
            elif after is None:
                units = write_units(before_size)
            elif moved:
                units = write_units(before_size) + write_units(after_size)
            elif before == after:
                continue
            else:
                units = write_units(max(before_size, after_size))
            partitions: list[int] = []
            if index.kind == GSI and index.throughput is not None:
                for entry in (before, after):
                    if entry is not None:
                        part = index.throughput.partition_of(index.schema.partition_hash(entry))
                        if part not in partitions:
                            partitions.append(part)
            else:
                self.collection_delta += after_size - before_size
            self.index_work.append((index, before, after, after_size, units, partitions))

    @property
    def changed(self) -> bool:
        old_item = self.old[0] if self.old is not None else None
        return old_item != self.new

    def check_collection(self) -> None:
        """ItemCollectionSizeLimitExceededException when an item collection of a table with a
        local secondary index would grow past 10 GB (LSI.html, "Item collection size limit")."""
        table = self.table
        if not table.lsis or self.collection_delta <= 0:
            return
        if (
            table.collections.get(self.pk, 0) + self.collection_delta
            > limits.ITEM_COLLECTION_MAX_BYTES
        ):
            raise DynamoDBError(ITEM_COLLECTION_TOO_BIG, "Collection size exceeded.")

    def reasons(self, now: float) -> list[Reason]:
        """Why the write would throttle ([] when it may proceed)."""
        found: list[Reason] = []
        table = self.table
        reason = table.throughput.check("write", self.partition, now)
        if reason is not None:
            found.append((_limit("Table", "write", reason), table.arn))
        for index, _, _, _, _, partitions in self.index_work:
            for part in partitions:
                reason = index.throughput.check("write", part, now)  # type: ignore[union-attr]
                if reason is not None:
                    found.append(
                        (_limit("Index", "write", reason), f"{table.arn}/index/{index.name}")
                    )
        for _, arn in found:
            if arn == table.arn:
                table.throughput.throttled("write")
            else:
                table.gsis[arn.rsplit("/", 1)[1]].throughput.throttled("write")  # type: ignore[union-attr]
        return found

    def charge(self, consumed: Consumed | None, now: float) -> None:
        """Charge the write to the table and its indexes; count it in ``consumed`` (if any)."""
        table = self.table
        table.throughput.charge("write", self.partition, self.units, now)
        if consumed is not None:
            consumed.add(table.name, self.units, "write")
        for index, _, _, _, units, partitions in self.index_work:
            if index.kind == LSI:
                table.throughput.charge("write", self.partition, units, now)
                if consumed is not None:
                    consumed.add(table.name, units, "write", (LSI, index.name))
                continue
            share = units / len(partitions)
            for part in partitions:
                index.throughput.charge("write", part, share, now)  # type: ignore[union-attr]
            if consumed is not None:
                consumed.add(table.name, units, "write", (GSI, index.name))

    def commit(self, engine: Any, system: bool = False, at: float | None = None) -> None:
        """Apply the write: items, indexes, sizes, stream, TTL, recent writes. ``system``
        marks a TTL deletion, made at time ``at``."""
        table = self.table
        now = engine.clock.now() if at is None else at
        old_item = self.old[0] if self.old is not None else None
        old_size = self.old[1] if self.old is not None else 0
        if self.new is None:
            if self.old is None:
                return
            table.store.remove(self.pk, self.sk)
        else:
            table.store.put(self.pk, self.sk, (self.new, self.new_size), self.pk_hash)
        if table.changed is not None:
            stored = self.new if self.new is not None else old_item
            table.changed[(self.pk, self.sk)] = table.part_name(stored)  # type: ignore[arg-type]
        table.size_bytes += self.new_size - old_size
        table.throughput.grow_for_size(table.size_bytes)
        for index, before, after, after_size, _, _ in self.index_work:
            if before is not None:
                index.remove(before)
            if after is not None:
                index.add(after, after_size)
                if index.throughput is not None:
                    index.throughput.grow_for_size(index.size_bytes)
        if table.lsis:
            total = table.collections.get(self.pk, 0) + self.collection_delta
            if total > 0:
                table.collections[self.pk] = total
            else:
                table.collections.pop(self.pk, None)
        if engine.consistency_lag > 0 and self.changed:
            slot = (self.pk, self.sk)
            recent = table.recent.get(slot)
            if recent is not None and now - recent[0] < engine.consistency_lag:
                old_item = recent[1]
            table.recent[slot] = (now, old_item, self.key)
            old_item = self.old[0] if self.old is not None else None
        stream = table.stream
        if stream is not None and self.changed:
            stream.append(
                key=self.key,
                old=old_item,
                new=self.new,
                now=now,
                sequence=engine.next_sequence(),
                seed=engine.seed,
                system=system,
            )
        if self.new is not None and table.ttl.enabled:
            table.ttl.schedule(self.new, self.key, now, engine.seed, table.name)
