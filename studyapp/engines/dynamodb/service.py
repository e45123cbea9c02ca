"""The DynamoDB engine: every table of one simulated account and region, on a virtual clock.

``DynamoDB.apply({"Action": "PutItem", "TableName": "t", "Item": {...}})`` runs one action with
AWS's request shape and returns AWS's response shape (``{}`` for an empty body), or
``{"Error": {"Code": ..., "Message": ...}}`` with the API Reference's exception name.
``call(action, params)`` does the same but raises ``DynamoDBError``. Besides the AWS actions,
the simulator understands ``{"Action": "Advance", "Seconds": n}`` (move the clock) and
``{"Action": "Workload", ...}`` (generate traffic, see ``workload.py``).

Before each action the engine catches up with the clock: TTL deletions that are due happen,
stream records older than 24 hours go, finished idempotency windows close.

State is plain JSON, whole (``to_dict``/``from_dict``) or in increments (``to_parts``/
``from_parts``): a small head plus one part per item and one per block of stream records, so
that saving after an action writes what the action changed, not the whole table.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any

from ..clock import Clock
from . import batch, control, items, limits, reads, tables, transactions, workload
from .errors import (
    UNKNOWN_OPERATION,
    VALIDATION,
    DynamoDBError,
    missing,
    table_not_found,
    validation,
)
from .params import table_name
from .table import Table
from .writes import Write

STATE_VERSION = 1
STREAM_BLOCK = 64  # stream records per part

Handler = Callable[[Any, dict[str, Any]], dict[str, Any]]

ACTIONS: dict[str, Handler] = {
    "CreateTable": control.create_table,
    "DescribeTable": control.describe_table,
    "UpdateTable": tables.update_table,
    "DeleteTable": control.delete_table,
    "ListTables": control.list_tables,
    "UpdateTimeToLive": control.update_time_to_live,
    "DescribeTimeToLive": control.describe_time_to_live,
    "PutItem": items.put_item,
    "GetItem": items.get_item,
    "UpdateItem": items.update_item,
    "DeleteItem": items.delete_item,
    "Query": reads.query,
    "Scan": reads.scan,
    "BatchGetItem": batch.batch_get_item,
    "BatchWriteItem": batch.batch_write_item,
    "TransactGetItems": transactions.transact_get_items,
    "TransactWriteItems": transactions.transact_write_items,
}
SIMULATOR_ACTIONS = ("Advance", "Workload")


class DynamoDB:
    """Tables of one account on a virtual clock; state is plain JSON (``to_dict``)."""

    def __init__(
        self, clock: Clock | None = None, *, seed: int = 0, consistency_lag: float = 0.0
    ) -> None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ValueError("seed must be an integer")
        if not isinstance(consistency_lag, int | float) or not 0 <= consistency_lag <= 3600:
            raise ValueError("consistency_lag must be a number of seconds from 0 to 3600")
        self.clock = clock if clock is not None else Clock()
        self.seed = seed
        self.consistency_lag = float(consistency_lag)
        self.tables: dict[str, Table] = {}
        self.sequence = 0
        self.client_tokens: dict[str, dict[str, Any]] = {}
        self._caught_up = -math.inf
        # What a Query or Scan read, while apply_traced asks (see reads.Page.read)
        self.trace: list[dict[str, Any]] | None = None
        # table name -> (the table, {stream key: (stream, first block, records written)}) as
        # last given by to_parts; None before the first call
        self._reported: dict[str, tuple[Table, dict[str, tuple[Any, int, int]]]] | None = None

    # Entry points ------------------------------------------------------------------------

    def call(self, action: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one action by its AWS name; raises DynamoDBError."""
        params = params if params is not None else {}
        if not isinstance(params, dict):
            raise validation("The parameters of an action are an object")
        self.catch_up()
        if action == "Advance":
            return self.advance(params)
        if action == "Workload":
            return workload.run(self, params)
        handler = ACTIONS.get(action) if isinstance(action, str) else None
        if handler is None:
            raise DynamoDBError(UNKNOWN_OPERATION, f"Unknown operation: {action}")
        return handler(self, params)

    def apply(self, step: Any) -> dict[str, Any]:
        """Run one step ``{"Action": ..., **parameters}``; errors come back as results."""
        if not isinstance(step, dict) or not isinstance(step.get("Action"), str):
            return DynamoDBError(VALIDATION, "A step is an object with an Action.").to_result()
        params = dict(step)
        action = params.pop("Action")
        try:
            return self.call(action, params)
        except DynamoDBError as error:
            return error.to_result()

    def apply_traced(self, step: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """``apply``, and what a Query or Scan read: one entry per item read, in order, with
        its table ``Key``, ``PartName`` (see ``Table.part_name``), ``Size`` in bytes and
        whether the filter ``Kept`` it. Other actions read nothing here."""
        self.trace = []
        try:
            result = self.apply(step)
            return result, self.trace
        finally:
            self.trace = None

    def usage(self) -> dict[str, dict[str, float]]:
        """Per table, the capacity units consumed and the requests throttled so far (its
        global secondary indexes included): compare two calls to see what an action cost."""
        found = {}
        for table in self.tables.values():
            totals = dict.fromkeys(
                (
                    "ConsumedReadCapacityUnits",
                    "ConsumedWriteCapacityUnits",
                    "ReadThrottleEvents",
                    "WriteThrottleEvents",
                ),
                0.0,
            )
            for throughput in (table.throughput, *(i.throughput for i in table.gsis.values())):
                if throughput is not None:
                    for name in totals:
                        totals[name] += throughput.stats[name]
            found[table.name] = totals
        return found

    def totals(self) -> dict[str, int]:
        """What the engine stores: tables, items, item bytes, stream records."""
        tables = self.tables.values()
        return {
            "Tables": len(self.tables),
            "Items": sum(table.store.count for table in tables),
            "Bytes": sum(table.size_bytes for table in tables),
            "StreamRecords": sum(len(s.records) for table in tables for s in table.streams),
        }

    # Helpers for the actions -------------------------------------------------------------

    def table_for(self, params: dict[str, Any]) -> Table:
        given = params.get("TableName")
        found = self.tables.get(given) if type(given) is str else None
        if found is not None:  # an existing table's name is valid
            return found
        name = table_name(params)
        table = self.tables.get(name)
        if table is None:
            raise table_not_found(name)
        return table

    def next_sequence(self) -> int:
        self.sequence += 1
        return self.sequence

    def advance(self, params: dict[str, Any]) -> dict[str, Any]:
        unknown = set(params) - {"Seconds"}
        if unknown:
            raise validation(
                f'Unknown parameter in input: "{sorted(unknown)[0]}", must be one of: Seconds'
            )
        seconds = params.get("Seconds")
        if seconds is None:
            raise missing("seconds")
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or (isinstance(seconds, float) and not math.isfinite(seconds))
            or not 0 <= seconds <= limits.MAX_ADVANCE_SECONDS
        ):
            raise validation(
                f"Seconds must be a number from 0 to {limits.MAX_ADVANCE_SECONDS}; "
                f"got {str(seconds)[:40]}"
            )
        self.clock.advance(float(seconds))
        self.catch_up()
        return {}

    def catch_up(self) -> None:
        """Apply what the passing of time does: TTL deletions, stream trimming, expiries."""
        now = self.clock.now()
        if now == self._caught_up:
            return
        self._caught_up = now
        for table in self.tables.values():
            if table.ttl.queue and table.ttl.queue[0][0] <= now:
                self._expire(table, now)
            for stream in table.streams:
                stream.trim(now)
            table.streams = [s for s in table.streams if not (s.expired(now) and not s.records)]
            if table.recent:
                lag = self.consistency_lag
                table.recent = {k: v for k, v in table.recent.items() if now - v[0] < lag}
        if self.client_tokens:
            self.client_tokens = {
                token: seen
                for token, seen in self.client_tokens.items()
                if now - seen["at"] < limits.CLIENT_TOKEN_SECONDS
            }

    def _expire(self, table: Table, now: float) -> None:
        attribute = table.ttl.attribute
        for at, key, value in table.ttl.due(now):
            pk, sk = table.schema.item_key(key)
            old = table.entry(pk, sk)
            if old is None or old[0].get(attribute) != {"N": value}:  # type: ignore[arg-type]
                continue  # deleted or TTL changed since: nothing to do
            Write(table, key, pk, sk, old, None).commit(self, system=True, at=at)

    # Streams -----------------------------------------------------------------------------

    def stream_records(
        self, table: str, *, after: str | None = None, label: str | None = None
    ) -> list[dict[str, Any]]:
        """Records of a table's latest stream (or the stream with ``label``), oldest first,
        after sequence number ``after``: the public API the Lambda simulator will read."""
        found = self.tables.get(table)
        if found is None:
            raise table_not_found(table)
        self.catch_up()
        streams = [s for s in found.streams if label is None or s.label == label]
        if not streams:
            return []
        records = streams[-1].records
        if after is not None:
            records = [r for r in records if r["dynamodb"]["SequenceNumber"] > after]
        return [dict(record) for record in records]

    # State -------------------------------------------------------------------------------

    def to_dict(self, *, items: bool = True) -> dict[str, Any]:
        """The whole engine as plain JSON (``items=False``: the head of ``to_parts``)."""
        return {
            "version": STATE_VERSION,
            "clock": self.clock.to_dict(),
            "seed": self.seed,
            "consistency_lag": self.consistency_lag,
            "sequence": self.sequence,
            "client_tokens": self.client_tokens,
            "tables": [table.to_dict(items=items) for table in self.tables.values()],
        }

    def to_parts(self, *, changed: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
        """The state as a small head plus keyed parts: ``<table>/<part name>`` per item and
        ``<table>/s<stream>.<n>`` per block of stream records; ``from_parts`` joins them.

        ``changed=True``: only the parts changed since the last ``to_parts``, a part that is
        gone (a deleted item, trimmed records, a deleted table) as None. An engine that never
        gave its parts (new, or from ``from_dict``) gives them all: store them in place of
        whatever was stored.
        """
        changed = changed and self._reported is not None
        before = dict(self._reported or {}) if changed else {}
        parts: dict[str, Any] = {}
        reported: dict[str, tuple[Table, dict[str, tuple[Any, int, int]]]] = {}
        for table in self.tables.values():
            old = before.pop(table.name, None)
            if old is not None and old[0] is table and table.changed is not None:
                for slot, name in table.changed.items():
                    entry = table.entry(*slot)
                    parts[f"{table.name}/{name}"] = entry[0] if entry is not None else None
                streams = _stream_parts(table, old[1], parts)
            else:
                if old is not None:  # deleted and created again since
                    _forget_table(old, parts)
                for item, _ in table.store.entries():
                    parts[f"{table.name}/{table.part_name(item)}"] = item
                streams = _stream_parts(table, {}, parts)
            table.changed = {}
            reported[table.name] = (table, streams)
        for old in before.values():
            _forget_table(old, parts)
        self._reported = reported
        return self.to_dict(items=False), parts

    @classmethod
    def from_parts(cls, head: dict[str, Any], parts: dict[str, Any]) -> DynamoDB:
        """The engine that ``to_parts`` described: its head and every part stored since."""
        items: dict[str, list[Any]] = {}
        blocks: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for key, value in parts.items():
            table, _, name = key.rpartition("/")
            if not table or not isinstance(value, dict):
                raise ValueError(f"not a part of a DynamoDB engine: {key!r}")
            if name.startswith("s"):
                stream, _, number = name.partition(".")
                if not number.isdigit():
                    raise ValueError(f"not a part of a DynamoDB engine: {key!r}")
                blocks.setdefault(f"{table}/{stream}", []).append((int(number), value))
            else:
                items.setdefault(table, []).append(value)
        data = {**head, "tables": []}
        for raw in head["tables"]:
            name = raw["TableName"]
            found = items.get(name, [])
            if len(found) != raw["ItemCount"]:
                raise ValueError(f"{name}: the stored parts do not hold every item")
            streams = []
            for stream in raw["Streams"]:
                first = stream["written"] - stream["kept"]
                records: list[Any] = []
                stored = blocks.get(f"{name}/{_stream_key(stream['label'])}", [])
                for _number, block in sorted(stored, key=lambda b: b[0]):
                    records += block["records"][max(0, first - block["from"]) :]
                if len(records) != stream["kept"]:
                    raise ValueError(f"{name}: the stored parts do not hold every stream record")
                streams.append({**stream, "records": records})
            data["tables"].append({**raw, "Items": found, "Streams": streams})
        engine = cls.from_dict(data)
        engine._reported = {}
        for table in engine.tables.values():
            table.changed = {}
            engine._reported[table.name] = (table, _stream_marks(table))
        return engine

    @classmethod
    def from_dict(cls, data: dict[str, Any], clock: Clock | None = None) -> DynamoDB:
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError("unsupported DynamoDB engine state")
        engine = cls(
            clock if clock is not None else Clock.from_dict(data["clock"]),
            seed=data["seed"],
            consistency_lag=data["consistency_lag"],
        )
        engine.sequence = data["sequence"]
        engine.client_tokens = dict(data["client_tokens"])
        for raw in data["tables"]:
            table = Table.from_dict(raw)
            engine.tables[table.name] = table
        return engine


# Parts ---------------------------------------------------------------------------------------


def _stream_key(label: str) -> str:
    return "s" + hashlib.md5(label.encode(), usedforsecurity=False).hexdigest()[:12]


def _stream_marks(table: Table) -> dict[str, tuple[Any, int, int]]:
    """What to_parts remembers of each stream: (stream, first stored block, records written)."""
    return {
        _stream_key(s.label): (s, _first_block(s.written, len(s.records)), s.written)
        for s in table.streams
    }


def _first_block(written: int, kept: int) -> int:
    """The block of the oldest record kept (with none kept, the block after the last)."""
    if not kept:
        return -(-written // STREAM_BLOCK)
    return (written - kept) // STREAM_BLOCK


def _stream_parts(
    table: Table, before: dict[str, tuple[Any, int, int]], parts: dict[str, Any]
) -> dict[str, tuple[Any, int, int]]:
    """Add the blocks of stream records written (and None for those trimmed) since ``before``;
    returns what to remember now."""
    size = STREAM_BLOCK
    marks = _stream_marks(table)
    for key, (stream, low, written) in marks.items():
        high = (written - 1) // size
        old = before.pop(key, None)
        if old is not None and old[0] is stream:
            parts.update(dict.fromkeys(f"{table.name}/{key}.{b}" for b in range(old[1], low)))
            # the block the last record stored was in, and the new ones (none if no new record)
            first_new = max(low, old[2] // size) if written > old[2] else high + 1
        else:
            first_new = low
        for b in range(first_new, high + 1):
            parts[f"{table.name}/{key}.{b}"] = stream.block(b, size)
    _forget_streams(table.name, before, parts)  # streams gone
    return marks


def _forget_streams(
    table: str, streams: dict[str, tuple[Any, int, int]], parts: dict[str, Any]
) -> None:
    for key, (_stream, low, written) in streams.items():
        for b in range(low, (written - 1) // STREAM_BLOCK + 1):
            parts.setdefault(f"{table}/{key}.{b}", None)


def _forget_table(
    old: tuple[Table, dict[str, tuple[Any, int, int]]], parts: dict[str, Any]
) -> None:
    """Mark every part a table had stored as gone (a value set later for a key wins): its
    items now, those changed since it was saved, its streams' blocks as saved."""
    table, streams = old
    for item, _ in table.store.entries():
        parts.setdefault(f"{table.name}/{table.part_name(item)}", None)
    for name in (table.changed or {}).values():
        parts.setdefault(f"{table.name}/{name}", None)
    _forget_streams(table.name, streams, parts)
