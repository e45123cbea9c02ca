"""Secondary indexes: key schemas, projections, entries (GSI.html, LSI.html).

An index entry is the projection of a table item: the table's key attributes, the index's key
attributes and, by ProjectionType, nothing else (KEYS_ONLY), the NonKeyAttributes (INCLUDE) or
every attribute (ALL). An item without the index key attributes has no entry: the index is
sparse ("If a table contains an item where a particular attribute is not defined, but that
attribute is defined as an index partition key or sort key, DynamoDB doesn't write any data for
that item to the index"). Entries of one index partition key are ordered by the index sort key,
then by the table key.
"""

from __future__ import annotations

from typing import Any

from . import limits
from .errors import invalid_parameters, validation
from .keys import KeySchema, ScalarKey, comparable, parse_key_schema
from .storage import Store
from .throughput import Throughput
from .values import utf8_length

GSI = "GSI"
LSI = "LSI"
PROJECTION_TYPES = ("ALL", "KEYS_ONLY", "INCLUDE")


class Index:
    def __init__(
        self,
        kind: str,
        name: str,
        schema: KeySchema,
        table_schema: KeySchema,
        projection_type: str,
        non_key: tuple[str, ...],
        throughput: Throughput | None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.schema = schema
        self.table_schema = table_schema
        self.projection_type = projection_type
        self.non_key = non_key
        self.throughput = throughput
        self.store = Store(composite=True)
        self.size_bytes = 0
        keys = dict.fromkeys(table_schema.names + schema.names)
        self.key_names = tuple(keys)
        self.projected = frozenset(keys) | frozenset(non_key)

    # Entries -----------------------------------------------------------------------------

    def check_item(self, item: dict[str, Any]) -> None:
        """ValidationException if the item has an index key attribute of the wrong type."""
        for name, kind in self.schema.types().items():
            value = item.get(name)
            if value is None:
                continue
            raw = value.get(kind)
            if raw is None:
                actual = next(iter(value))
                raise invalid_parameters(
                    f"Type mismatch for Index Key {name} Expected: {kind} Actual: {actual} "
                    f"IndexName: {self.name}"
                )
            if kind in ("S", "B") and raw == "":
                raise validation(
                    "One or more parameter values are not valid. A value specified for a "
                    "secondary index key is not supported. The AttributeValue for a key "
                    f"attribute cannot contain an empty string value. IndexName: {self.name}, "
                    f"IndexKey: {name}"
                )
            most = (
                limits.MAX_PARTITION_KEY_BYTES
                if name == self.schema.hash_name
                else limits.MAX_SORT_KEY_BYTES
            )
            if kind == "S" and utf8_length(raw) > most:
                raise invalid_parameters(
                    f"Size of index key {name} has exceeded the maximum size limit of {most} bytes"
                )

    def project(self, item: dict[str, Any]) -> dict[str, Any] | None:
        """The entry an item has in this index, or None (sparse)."""
        schema = self.schema
        if schema.hash_name not in item:
            return None
        if schema.range_name is not None and schema.range_name not in item:
            return None
        if self.projection_type == "ALL":
            return item
        return {name: value for name, value in item.items() if name in self.projected}

    def position(self, entry: dict[str, Any]) -> tuple[ScalarKey, tuple[Any, ...]]:
        """(index partition key, sort tuple) of an entry."""
        schema, table = self.schema, self.table_schema
        pk = comparable(schema.hash_type, entry[schema.hash_name][schema.hash_type])
        table_key: tuple[Any, ...] = (
            comparable(table.hash_type, entry[table.hash_name][table.hash_type]),
        )
        if table.range_name is not None:
            table_key += (
                comparable(table.range_type, entry[table.range_name][table.range_type]),  # type: ignore[arg-type]
            )
        if schema.range_name is None:
            return pk, table_key
        sk = comparable(schema.range_type, entry[schema.range_name][schema.range_type])  # type: ignore[arg-type]
        return pk, (sk, *table_key)

    def add(self, entry: dict[str, Any], size: int) -> None:
        pk, sort = self.position(entry)
        old = self.store.put(pk, sort, (entry, size), self.schema.partition_hash(entry))
        self.size_bytes += size - (old[1] if old is not None else 0)

    def remove(self, entry: dict[str, Any]) -> None:
        pk, sort = self.position(entry)
        old = self.store.remove(pk, sort)
        if old is not None:
            self.size_bytes -= old[1]

    # Description --------------------------------------------------------------------------

    def projection_wire(self) -> dict[str, Any]:
        projection: dict[str, Any] = {"ProjectionType": self.projection_type}
        if self.non_key:
            projection["NonKeyAttributes"] = list(self.non_key)
        return projection

    def describe(self, table_arn: str) -> dict[str, Any]:
        description: dict[str, Any] = {
            "IndexName": self.name,
            "KeySchema": self.schema.to_wire(),
            "Projection": self.projection_wire(),
            "IndexSizeBytes": self.size_bytes,
            "ItemCount": self.store.count,
            "IndexArn": f"{table_arn}/index/{self.name}",
        }
        if self.kind == GSI and self.throughput is not None:
            description["IndexStatus"] = "ACTIVE"
            description["ProvisionedThroughput"] = {
                "NumberOfDecreasesToday": 0,
                "ReadCapacityUnits": self.throughput.rates["read"],
                "WriteCapacityUnits": self.throughput.rates["write"],
            }
        return description

    def definition(self) -> dict[str, Any]:
        """The part of the state that rebuilds this index (its entries come from the items)."""
        data: dict[str, Any] = {
            "IndexName": self.name,
            "KeySchema": self.schema.to_wire(),
            "Projection": self.projection_wire(),
        }
        if self.throughput is not None:
            data["Throughput"] = self.throughput.to_dict()
        return data


def parse_projection(raw: Any, where: str) -> tuple[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise invalid_parameters(f"Projection of index {where} is required")
    kind = raw.get("ProjectionType")
    non_key = raw.get("NonKeyAttributes")
    if kind not in PROJECTION_TYPES:
        raise invalid_parameters(f"Unknown ProjectionType for index {where}: {kind}")
    if kind == "INCLUDE":
        if not isinstance(non_key, list) or not non_key:
            raise invalid_parameters(
                "NonKeyAttributes must be specified when ProjectionType is INCLUDE"
            )
        if not all(isinstance(name, str) and name for name in non_key):
            raise invalid_parameters("NonKeyAttributes must be attribute names")
        return kind, tuple(dict.fromkeys(non_key))
    if non_key is not None:
        raise invalid_parameters(f"ProjectionType is {kind}, but NonKeyAttributes is specified")
    return kind, ()


def build_index(
    kind: str,
    raw: Any,
    definitions: dict[str, str],
    table_schema: KeySchema,
    throughput: Throughput | None,
) -> Index:
    if not isinstance(raw, dict):
        raise invalid_parameters(f"Invalid {kind} definition")
    name = raw.get("IndexName")
    if not isinstance(name, str) or not (
        limits.MIN_NAME_LENGTH <= len(name) <= limits.MAX_NAME_LENGTH
    ):
        raise validation(
            f"1 validation error detected: Value '{name}' at 'indexName' failed to satisfy "
            "constraint: Member must have length greater than or equal to 3"
        )
    schema = parse_key_schema(raw.get("KeySchema"), definitions, name)
    if kind == LSI:
        if not table_schema.composite:
            raise invalid_parameters(
                "Table KeySchema does not have a range key, which is required when specifying "
                "a LocalSecondaryIndex"
            )
        if schema.hash_name != table_schema.hash_name or schema.range_name is None:
            raise invalid_parameters(
                f"Index KeySchema does not have the same leading hash key as table KeySchema "
                f"for index: {name}. index hash key: {schema.hash_name}, table hash key: "
                f"{table_schema.hash_name}"
            )
    projection_type, non_key = parse_projection(raw.get("Projection"), name)
    return Index(kind, name, schema, table_schema, projection_type, non_key, throughput)
