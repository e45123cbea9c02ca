"""A table as a page draws it: partitions, the item collections on each, capacity per second.

``table_view(engine, "orders")`` returns plain JSON, computed without changing anything:

- ``Partitions``: the table's partitions (see ``throughput.py``), each with the partition keys it
  holds in hash order (the order a Scan reads), the first ``keys_shown`` of them with their
  first ``items_shown`` items (an item collection), and the units it consumed in the last
  second it was used, against the per-partition limits;
- ``Capacity``: mode, provisioned rates, units available now (burst included), and the last
  seconds that saw traffic: units consumed and requests throttled;
- ``Indexes``: each secondary index drawn the same way (a GSI on its own partitions and
  capacity, an LSI on the table's), with its projection: a sparse index holds only the items
  that have its key attributes.

Every item and index entry carries its ``PartName`` (``Table.part_name``), the name that
``DynamoDB.apply_traced`` gives the items a Query or Scan read.

``table_schemas(engine)`` is the cheap part of that for forms: each table's name, key schema,
billing mode, stream view type (None without an enabled stream) and indexes.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from typing import Any

from . import limits
from .errors import table_not_found
from .indexes import GSI, Index
from .keys import KeySchema
from .storage import Store
from .table import Table
from .throughput import ON_DEMAND, Throughput

SPACE = 1 << 128


def table_view(
    engine: Any, name: str, *, keys_shown: int = 8, items_shown: int = 6
) -> dict[str, Any]:
    """The picture of one table (ResourceNotFoundException if there is none)."""
    table = engine.tables.get(name) if isinstance(name, str) else None
    if table is None:
        raise table_not_found(str(name))
    now = engine.clock.now()
    draw = _Drawer(table, keys_shown, items_shown)
    stream = table.stream
    return {
        "TableName": table.name,
        "KeySchema": _schema(table.schema),
        "BillingMode": table.throughput.mode,
        "ItemCount": table.store.count,
        "TableSizeBytes": table.size_bytes,
        "Now": now,
        "Capacity": capacity(table.throughput, now),
        "Partitions": draw.partitions(table.store, table.schema, table.throughput),
        "Indexes": [draw.index(index, now) for index in table.indexes()],
        "TimeToLive": table.ttl.describe(),
        "Stream": (
            {"StreamViewType": stream.view_type, "Records": len(stream.records)}
            if stream is not None
            else None
        ),
    }


def table_schemas(engine: Any) -> list[dict[str, Any]]:
    """Every table's name, key schema, billing mode, stream and indexes, by name."""
    return [
        {
            "TableName": table.name,
            "KeySchema": _schema(table.schema),
            "BillingMode": table.throughput.mode,
            "StreamViewType": table.stream.view_type if table.stream is not None else None,
            "Indexes": [
                {
                    "IndexName": index.name,
                    "Kind": index.kind,
                    "KeySchema": _schema(index.schema),
                    "Projection": index.projection_wire(),
                }
                for index in table.indexes()
            ],
        }
        for table in sorted(engine.tables.values(), key=lambda table: table.name)
    ]


def capacity(throughput: Throughput, now: float) -> dict[str, Any]:
    """Rates, what is available now, per-partition limits and the recent seconds."""
    second = math.floor(now)
    view: dict[str, Any] = {
        "BillingMode": throughput.mode,
        "Partitions": throughput.partitions,
        "ReadCapacityUnits": throughput.rates["read"],
        "WriteCapacityUnits": throughput.rates["write"],
        "PartitionReadLimit": limits.PARTITION_READ_UNITS,
        "PartitionWriteLimit": limits.PARTITION_WRITE_UNITS,
        "TableLimit": limits.TABLE_MAX_UNITS,
        "Second": second,
        "History": [
            {
                "Second": int(entry[0]),
                "ReadUnits": entry[1],
                "WriteUnits": entry[2],
                "ReadThrottled": int(entry[3]),
                "WriteThrottled": int(entry[4]),
            }
            for entry in throughput.history
        ],
        "Stats": dict(throughput.stats),
    }
    if throughput.mode != ON_DEMAND:
        for kind, label in (("read", "Read"), ("write", "Write")):
            available = _tokens(throughput, kind, second)
            view[f"{label}Available"] = available
            view[f"{label}Burst"] = max(0.0, available - throughput.rates[kind])
    return view


def _tokens(throughput: Throughput, kind: str, second: int) -> float:
    """The bucket at ``second``, computed as ``Throughput`` refills it (without refilling)."""
    tokens = throughput.tokens[kind]
    if second > throughput.second:
        rate = throughput.rates[kind]
        cap = rate * (1 + limits.BURST_SECONDS)
        tokens = min(tokens + rate * (second - throughput.second), float(cap))
    return tokens


def _schema(schema: KeySchema) -> list[dict[str, str]]:
    return [
        {"AttributeName": name, "KeyType": key_type, "AttributeType": kind}
        for name, kind, key_type in (
            (schema.hash_name, schema.hash_type, "HASH"),
            (schema.range_name, schema.range_type, "RANGE"),
        )
        if name is not None and kind is not None
    ]


class _Drawer:
    def __init__(self, table: Table, keys_shown: int, items_shown: int) -> None:
        self.table = table
        self.keys_shown = keys_shown
        self.items_shown = items_shown

    def index(self, index: Index, now: float) -> dict[str, Any]:
        throughput = index.throughput if index.kind == GSI else None
        found: dict[str, Any] = {
            "IndexName": index.name,
            "Kind": index.kind,
            "KeySchema": _schema(index.schema),
            "Projection": index.projection_wire(),
            "ItemCount": index.store.count,
            "IndexSizeBytes": index.size_bytes,
            "Partitions": self.partitions(
                index.store, index.schema, throughput or self.table.throughput
            ),
        }
        if throughput is not None:
            found["Capacity"] = capacity(throughput, now)
        return found

    def partitions(
        self, store: Store, schema: KeySchema, throughput: Throughput
    ) -> list[dict[str, Any]]:
        count = throughput.partitions
        order = store.order()
        found = []
        for number in range(count):
            start = bisect_left(order, (-(-number * SPACE // count),))
            stop = bisect_left(order, (-(-(number + 1) * SPACE // count),))
            used = throughput.used.get(number)
            items = 0
            collections = []
            for position in range(start, stop):
                pk = order[position][1]
                entries = store.by_pk[pk]
                size = len(entries.keys) if store.composite else 1
                items += size
                if position - start < self.keys_shown:
                    collections.append(self.collection(store, schema, pk, size))
            found.append(
                {
                    "Partition": number,
                    "Keys": stop - start,
                    "Items": items,
                    "Used": (
                        {"Second": int(used[0]), "ReadUnits": used[1], "WriteUnits": used[2]}
                        if used is not None
                        else None
                    ),
                    "Collections": collections,
                }
            )
        return found

    def collection(self, store: Store, schema: KeySchema, pk: Any, size: int) -> dict[str, Any]:
        shown = []
        for _, (item, item_size) in store.entries_of(pk):
            if len(shown) >= self.items_shown:
                break
            shown.append({"Item": item, "Size": item_size, "PartName": self.table.part_name(item)})
        return {
            "PartitionKey": {schema.hash_name: shown[0]["Item"][schema.hash_name]},
            "Count": size,
            "Items": shown,
        }
