"""Capacity units, computed as ProvisionedThroughput.html and the ReadWriteCapacityMode page say.

Reads are counted per 4 KB, writes per 1 KB, always rounded up:
- a strongly consistent read of up to 4 KB is 1 unit, an eventually consistent one 0.5, a
  transactional one 2; "reading a 3,500-byte item consumes the same throughput as reading a 4 KB
  item"; reading an item that does not exist still costs the minimum;
- GetItem, BatchGetItem and TransactGetItems round each item; Query and Scan round once over the
  total size of the items read (filters and projections do not change it); Query and Scan cost
  at least the minimum per partition they touch;
- a write of up to 1 KB is 1 unit, transactional 2; PutItem and UpdateItem count the larger of
  the item before and after, DeleteItem the deleted item (1 unit when there is none); a failed
  conditional write costs the units of the write it would have made (1 for a new item).
"""

from __future__ import annotations

from typing import Any

from .limits import READ_UNIT_BYTES, WRITE_UNIT_BYTES

EVENTUAL = 0.5
STRONG = 1.0
TRANSACTIONAL = 2.0


def read_blocks(size: int) -> int:
    """4 KB blocks, at least one."""
    return max(1, -(-size // READ_UNIT_BYTES))


def write_blocks(size: int) -> int:
    """1 KB blocks, at least one."""
    return max(1, -(-size // WRITE_UNIT_BYTES))


def read_units(size: int, factor: float) -> float:
    return read_blocks(size) * factor


def write_units(size: int, factor: float = STRONG) -> float:
    return write_blocks(size) * factor


def read_factor(consistent: bool) -> float:
    return STRONG if consistent else EVENTUAL


class Consumed:
    """Units an operation consumed, per table and per index, for ReturnConsumedCapacity."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = {}

    def _table(self, table: str) -> dict[str, Any]:
        found = self.tables.get(table)
        if found is None:
            found = self.tables[table] = {
                "table": 0.0,
                "read": 0.0,
                "write": 0.0,
                "GSI": {},
                "LSI": {},
            }
        return found

    def add(
        self, table: str, units: float, kind: str, index: tuple[str, str] | None = None
    ) -> None:
        """Count ``units`` of ``kind`` ("read" or "write") on the table or on an index
        (``("GSI", name)`` or ``("LSI", name)``)."""
        entry = self._table(table)
        entry[kind] += units
        if index is None:
            entry["table"] += units
        else:
            indexes = entry[index[0]]
            indexes[index[1]] = indexes.get(index[1], 0.0) + units

    def shape(self, table: str, mode: str, kinds: bool = False) -> dict[str, Any]:
        """One ConsumedCapacity object; ``mode`` is TOTAL or INDEXES."""
        entry = self._table(table)
        total = entry["table"] + sum(entry["GSI"].values()) + sum(entry["LSI"].values())
        shape: dict[str, Any] = {"TableName": table, "CapacityUnits": total}
        if kinds:
            if entry["read"]:
                shape["ReadCapacityUnits"] = entry["read"]
            if entry["write"]:
                shape["WriteCapacityUnits"] = entry["write"]
        if mode == "INDEXES":
            shape["Table"] = {"CapacityUnits": entry["table"]}
            for kind, key in (("LSI", "LocalSecondaryIndexes"), ("GSI", "GlobalSecondaryIndexes")):
                if entry[kind]:
                    shape[key] = {
                        name: {"CapacityUnits": units} for name, units in entry[kind].items()
                    }
        return shape

    def single(self, mode: str | None, table: str) -> dict[str, Any]:
        """{"ConsumedCapacity": {...}} for a single-table operation, or {} for NONE."""
        if mode in (None, "NONE"):
            return {}
        return {"ConsumedCapacity": self.shape(table, mode)}

    def multiple(self, mode: str | None, kinds: bool = False) -> dict[str, Any]:
        """{"ConsumedCapacity": [...]} for batch and transaction operations."""
        if mode in (None, "NONE"):
            return {}
        return {"ConsumedCapacity": [self.shape(table, mode, kinds) for table in self.tables]}

    def total(self) -> float:
        return sum(
            entry["table"] + sum(entry["GSI"].values()) + sum(entry["LSI"].values())
            for entry in self.tables.values()
        )
