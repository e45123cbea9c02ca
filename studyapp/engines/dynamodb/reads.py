"""Query and Scan: pages of at most 1 MB or ``Limit`` items, LastEvaluatedKey, capacity.

Query.html and Scan.html: a page reads items in key order until it has read 1 MB ("This limit
applies before any FilterExpression or ProjectionExpression is applied") or ``Limit`` items
("The maximum number of items to evaluate"); the filter then drops items (``ScannedCount``
counts those read, ``Count`` those kept). When a page stops early the response carries
``LastEvaluatedKey``, the key of the last item read, to pass as ``ExclusiveStartKey``. The page
costs the read units of the total size read, rounded up to 4 KB once, at least the minimum per
partition touched. A Query of a global secondary index reads index entries (its projection) and
cannot be strongly consistent; a Query of a local secondary index that needs attributes the
index does not project fetches each item from the table, at a table read per item.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

from . import limits
from .access import admit, stale
from .capacity import Consumed, read_blocks, read_factor
from .errors import invalid_parameters, validation
from .expressions import Expressions, evaluate, project
from .indexes import GSI, Index
from .keycondition import KeyRange, key_range
from .keys import KeySchema, comparable, key_hash
from .params import boolean, check_known, enum, integer, mapping, return_capacity
from .scan import ScanCursor, check_segments
from .table import Table
from .values import item_size

COMMON = frozenset(
    {
        "TableName",
        "IndexName",
        "Select",
        "Limit",
        "ConsistentRead",
        "ExclusiveStartKey",
        "ReturnConsumedCapacity",
        "ProjectionExpression",
        "FilterExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
    }
)
QUERY_PARAMETERS = COMMON | {"KeyConditionExpression", "ScanIndexForward"}
SCAN_PARAMETERS = COMMON | {"Segment", "TotalSegments"}
SELECTS = ("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT")


class Page:
    """What one Query or Scan request reads, keeps and costs."""

    def __init__(self, engine: Any, table: Table, index: Index | None, params: dict[str, Any]):
        self.engine = engine
        self.table = table
        self.index = index
        self.schema: KeySchema = index.schema if index is not None else table.schema
        self.consistent = boolean(params, "ConsistentRead")
        if self.consistent and index is not None and index.kind == GSI:
            raise validation("Consistent reads are not supported on global secondary indexes")
        self.limit = integer(params, "Limit", 1)
        self.items: list[dict[str, Any]] = []
        self.scanned = 0
        self.bytes = 0
        self.fetch_units = 0.0
        self.last: dict[str, Any] | None = None
        self.last_key: dict[str, Any] | None = None
        self.lag = engine.consistency_lag if not self.consistent else 0.0
        self.now = engine.clock.now()

    def options(self, params: dict[str, Any], expressions: Expressions, filter_: Any, paths: Any):
        select = enum(params, "Select", SELECTS, None)
        index = self.index
        if paths is not None:
            if select not in (None, "SPECIFIC_ATTRIBUTES"):
                raise validation(
                    f"Cannot specify the ProjectionExpression when choosing to get {select}"
                )
            select = "SPECIFIC_ATTRIBUTES"
        if select is None:
            select = "ALL_ATTRIBUTES" if index is None else "ALL_PROJECTED_ATTRIBUTES"
        if select == "SPECIFIC_ATTRIBUTES" and paths is None:
            raise validation("Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression")
        if select == "ALL_PROJECTED_ATTRIBUTES" and index is None:
            raise invalid_parameters(
                "Select type ALL_PROJECTED_ATTRIBUTES is not allowed when not querying an index"
            )
        if (
            select == "ALL_ATTRIBUTES"
            and index is not None
            and index.projection_type != "ALL"
            and index.kind == GSI
        ):
            raise invalid_parameters(
                f"Select type ALL_ATTRIBUTES is not supported for global secondary index "
                f"{index.name} because its projection type is not ALL"
            )
        self.select = select
        self.filter = filter_
        self.paths = paths
        self.fetch = (
            index is not None
            and index.kind != GSI
            and index.projection_type != "ALL"
            and (
                select == "ALL_ATTRIBUTES"
                or (paths is not None and any(path[0] not in index.projected for path in paths))
            )
        )

    # Visibility ----------------------------------------------------------------------------

    def visible(self, entry: tuple[dict[str, Any], int]) -> tuple[dict[str, Any], int] | None:
        """The entry as this read sees it (eventual consistency lag)."""
        if not self.lag or not self.table.recent:
            return entry
        table_schema = self.table.schema
        slot = table_schema.item_key(entry[0])
        seen = stale(self.table, slot, entry, self.now, self.lag)
        if seen is entry or seen is None or self.index is None:
            return seen
        projected = self.index.project(seen[0])
        if projected is None or self.index.position(projected) != self.index.position(entry[0]):
            return None
        return projected, item_size(projected)

    # Reading -------------------------------------------------------------------------------

    def read(self, entries: Iterator[tuple[dict[str, Any], int]]) -> None:
        """Read entries until the page is full; ``self.last`` is set if it stopped early."""
        table = self.table
        factor = read_factor(self.consistent)
        trace = self.engine.trace
        for found in entries:
            entry = self.visible(found)
            if entry is None:
                continue
            item, size = entry
            if self.scanned and self.bytes + size > limits.PAGE_BYTES:
                self.last = self.last_key
                return
            self.scanned += 1
            self.bytes += size
            self.last_key = self.key_of(item)
            if self.fetch:
                slot = table.schema.item_key(item)
                full = table.entry(*slot)
                if full is not None:
                    self.fetch_units += read_blocks(full[1]) * factor
                    item = full[0]
            kept = self.filter is None or evaluate(self.filter, item)
            if kept:
                if self.select != "COUNT":
                    self.items.append(
                        project(item, self.paths) if self.paths is not None else dict(item)
                    )
                else:
                    self.items.append(item)
            if trace is not None:
                trace.append(
                    {
                        "Key": table.schema.key_of(item),
                        "PartName": table.part_name(item),
                        "Size": size,
                        "Kept": kept,
                    }
                )
            if self.limit is not None and self.scanned >= self.limit:
                self.last = self.last_key
                return

    def key_of(self, item: dict[str, Any]) -> dict[str, Any]:
        key = self.table.schema.key_of(item)
        if self.index is not None:
            for name in self.index.schema.names:
                key[name] = item[name]
        return key

    def units(self, partitions: int = 1) -> float:
        blocks = -(-self.bytes // limits.READ_UNIT_BYTES)
        return max(blocks, partitions) * read_factor(self.consistent)

    def result(self, units: float, mode: str) -> dict[str, Any]:
        table, index = self.table, self.index
        consumed = Consumed()
        if index is None:
            consumed.add(table.name, units, "read")
        else:
            consumed.add(table.name, units, "read", (index.kind, index.name))
        if self.fetch_units:
            consumed.add(table.name, self.fetch_units, "read")
        result: dict[str, Any] = {}
        if self.select != "COUNT":
            result["Items"] = self.items
        result["Count"] = len(self.items)
        result["ScannedCount"] = self.scanned
        if self.last is not None:
            result["LastEvaluatedKey"] = self.last
        result.update(consumed.single(mode, table.name))
        return result

    def throughput(self) -> Any:
        index = self.index
        if index is not None and index.kind == GSI:
            return index.throughput
        return self.table.throughput

    def charge(self, partition: int, units: float) -> None:
        self.throughput().charge("read", partition, units, self.now)
        if self.fetch_units:
            self.table.throughput.charge("read", partition, self.fetch_units, self.now)

    def start_key(self, params: dict[str, Any]) -> tuple[Any, Any, int] | None:
        """(partition key, sort position, partition key hash) of ExclusiveStartKey, or None."""
        raw = mapping(params, "ExclusiveStartKey", required=False)
        if raw is None:
            return None
        table, index = self.table, self.index
        names = table.schema.names + (index.schema.names if index is not None else ())
        if set(raw) != set(names):
            raise validation(
                "The provided starting key is invalid: The provided key element does not match "
                "the schema"
            )
        try:
            key, pk, sk = table.schema.request_key({name: raw[name] for name in table.schema.names})
            if index is None:
                return pk, sk, table.hash_of(pk, key)
            entry = dict(key)
            for name, kind in index.schema.types().items():
                part, _, _ = KeySchema(name, kind, None, None).request_key({name: raw[name]})
                entry.update(part)
            index_pk, sort = index.position(entry)
            return index_pk, sort, index.schema.partition_hash(entry)
        except Exception as error:
            if getattr(error, "code", None) != "ValidationException":
                raise
            raise validation(
                "The provided starting key is invalid: The provided key element does not match "
                "the schema"
            ) from None


def _target(engine: Any, params: dict[str, Any]) -> tuple[Table, Index | None]:
    table = engine.table_for(params)
    name = params.get("IndexName")
    return table, table.index(name) if name is not None else None


def _filter_keys(node: Any, names: tuple[str, ...]) -> None:
    """A Query filter cannot name the key attributes of what it queries."""
    if not isinstance(node, tuple) or not node:
        return
    if node[0] == "path":
        if node[1][0] in names:
            raise validation(
                "Filter Expression can only contain non-primary key attributes: Primary key "
                f"attribute: {node[1][0]}"
            )
        return
    if node[0] == "const":
        return
    for part in node[1:]:
        if isinstance(part, tuple):
            _filter_keys(part, names)


def query(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, QUERY_PARAMETERS)
    table, index = _target(engine, params)
    page = Page(engine, table, index, params)
    expressions = Expressions(params)
    text = params.get("KeyConditionExpression")
    if text is None:
        raise validation(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in "
            "the request."
        )
    keys = key_range(expressions.condition(text, "KeyConditionExpression"), page.schema)  # type: ignore[arg-type]
    filter_ = expressions.condition(params.get("FilterExpression"), "FilterExpression")
    _filter_keys(filter_, page.schema.names)
    paths = expressions.projection(params.get("ProjectionExpression"))
    expressions.done()
    page.options(params, expressions, filter_, paths)
    forward = boolean(params, "ScanIndexForward", True)
    mode = return_capacity(params)
    start = page.start_key(params)
    schema = page.schema
    pk_value = keys.partition
    store = index.store if index is not None else table.store
    pk = comparable(schema.hash_type, pk_value[schema.hash_type])
    if start is not None and start[0] != pk:
        raise validation("The provided starting key is invalid: the partition key does not match")
    throughput = page.throughput()
    partition = throughput.partition_of(
        store.hashes.get(pk) or key_hash(schema.hash_type, pk_value[schema.hash_type])
    )
    admit(
        table,
        throughput,
        "read",
        partition,
        page.now,
        index.name if index and index.kind == GSI else None,
    )
    page.read(
        _query_entries(store, pk, keys, index is not None and schema.composite, start, forward)
    )
    units = page.units()
    page.charge(partition, units)
    return page.result(units, mode)


def _query_entries(store: Any, pk: Any, keys: KeyRange, by_first: bool, start: Any, forward: bool):
    if not store.composite:
        entry = store.get(pk)
        if entry is not None and start is None:
            yield entry
        return
    collection = store.collection(pk)
    if collection is None:
        return
    first, stop = collection.span(
        keys.low, keys.high, keys.low_inclusive, keys.high_inclusive, by_first
    )
    if start is not None:
        if forward:
            first = max(first, bisect_right(collection.keys, start[1]))
        else:
            stop = min(stop, bisect_left(collection.keys, start[1]))
    positions = range(first, stop) if forward else range(stop - 1, first - 1, -1)
    keys_list, entries = collection.keys, collection.entries
    for position in positions:
        yield entries[keys_list[position]]


def scan(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, SCAN_PARAMETERS)
    table, index = _target(engine, params)
    page = Page(engine, table, index, params)
    segment, total = check_segments(params)
    expressions = Expressions(params)
    filter_ = expressions.condition(params.get("FilterExpression"), "FilterExpression")
    paths = expressions.projection(params.get("ProjectionExpression"))
    expressions.done()
    page.options(params, expressions, filter_, paths)
    mode = return_capacity(params)
    start = page.start_key(params)
    store = index.store if index is not None else table.store
    throughput = page.throughput()
    cursor = ScanCursor(store, segment, total, start)
    admit(
        table,
        throughput,
        "read",
        throughput.partition_of(cursor.first_hash),
        page.now,
        index.name if index and index.kind == GSI else None,
    )
    page.read(cursor.entries())
    last_hash = cursor.last_hash if page.last is not None else cursor.end_hash - 1
    first = throughput.partition_of(cursor.first_hash)
    partitions = max(1, throughput.partition_of(max(last_hash, cursor.first_hash)) - first + 1)
    units = page.units(partitions)
    page.charge(first, units)
    return page.result(units, mode)
