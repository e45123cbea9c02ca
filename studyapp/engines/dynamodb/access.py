"""Shared steps of item actions: admission, consistent and eventually consistent reads,
conditional writes.

Eventual consistency: by default every read sees the latest write. With the engine's
``consistency_lag`` set (a scenario's ``"simulation": {"consistency_lag": 1}``), an eventually
consistent read made less than that many seconds after a write of an item sees the item as it
was before the writes of that window (missing, if it was new), deterministically; strongly
consistent reads always see the latest write (HowItWorks.ReadConsistency.html: "The data is
eventually consistent across all storage locations, usually within one second or less"). A
recently deleted item is not brought back by Query and Scan (only GetItem and BatchGetItem see
it), a simplification of the simulator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .capacity import write_units
from .errors import DynamoDBError, condition_failed
from .expressions import evaluate
from .keys import ScalarKey
from .storage import Entry
from .table import Table
from .throughput import Throughput
from .values import item_size
from .writes import Write, throttle_error


def admit(
    table: Table,
    throughput: Throughput,
    kind: str,
    partition: int,
    now: float,
    index: str | None = None,
) -> None:
    """Raise the throttling error if a request may not proceed on ``throughput``."""
    reason = throughput.check(kind, partition, now)
    if reason is None:
        return
    throughput.throttled(kind)
    resource = "Index" if index is not None else "Table"
    arn = table.arn if index is None else f"{table.arn}/index/{index}"
    verb = "Read" if kind == "read" else "Write"
    raise throttle_error(table.throughput.mode, [(f"{resource}{verb}{reason}", arn)])


def stale(
    table: Table, slot: tuple[Any, Any], entry: Entry | None, now: float, lag: float
) -> Entry | None:
    """What an eventually consistent read sees of one item."""
    recent = table.recent.get(slot)
    if recent is None or now - recent[0] >= lag:
        return entry
    previous = recent[1]
    return None if previous is None else (previous, item_size(previous))


def read_entry(
    engine: Any, table: Table, pk: ScalarKey, sk: ScalarKey | None, consistent: bool
) -> Entry | None:
    entry = table.entry(pk, sk)
    lag = engine.consistency_lag
    if lag > 0 and not consistent and table.recent:
        return stale(table, (pk, sk), entry, engine.clock.now(), lag)
    return entry


def check_condition(
    table: Table,
    condition: tuple[Any, ...] | None,
    old: Entry | None,
    new_size: int | Callable[[], int],
    partition: int,
    now: float,
    return_on_failure: str,
) -> None:
    """ConditionalCheckFailedException when the condition is false for the current item. The
    failed write still consumes capacity (ProvisionedThroughput.html): for an existing item the
    units of the write it would have made, for a new item one unit."""
    if condition is None:
        return
    if evaluate(condition, old[0] if old is not None else {}):
        return
    units = 1.0
    if old is not None:
        try:
            size = new_size() if callable(new_size) else new_size
        except DynamoDBError:  # the update itself is invalid: count the item as it is
            size = old[1]
        units = write_units(max(old[1], size))
    table.throughput.charge("write", partition, units, now)
    if return_on_failure == "ALL_OLD" and old is not None:
        raise condition_failed(old[0])
    raise condition_failed()


def finish_write(engine: Any, write: Write, consumed: Any | None) -> None:
    """Admit the write on the table and every GSI it updates, charge it, apply it."""
    now = engine.clock.now()
    reasons = write.reasons(now)
    if reasons:
        raise throttle_error(write.table.throughput.mode, reasons)
    write.check_collection()
    write.charge(consumed, now)
    write.commit(engine)
