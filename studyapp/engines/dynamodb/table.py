"""A table: its definition, items, indexes, capacity, stream and TTL settings.

State is plain JSON (``to_dict``/``from_dict``): the definition, the items, and the capacity,
stream, TTL and recent-write bookkeeping. Index entries are not stored; they are rebuilt from
the items. For saving in increments (``DynamoDB.to_parts``), each item has a stable part name
(a digest of its key) and a table can track the items that changed since it was last saved.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .errors import table_arn, validation
from .indexes import GSI, LSI, Index, build_index
from .keys import KeySchema, ScalarKey, key_hash, parse_key_schema
from .storage import Entry, Store
from .streams import Stream
from .throughput import ON_DEMAND, Throughput
from .ttl import Ttl
from .values import item_size


class Table:
    def __init__(
        self,
        name: str,
        schema: KeySchema,
        definitions: dict[str, str],
        throughput: Throughput,
        created: float,
        table_id: str,
    ) -> None:
        self.name = name
        self.schema = schema
        self.definitions = definitions
        self.throughput = throughput
        self.created = created
        self.table_id = table_id
        self.arn = table_arn(name)
        self.store = Store(schema.composite)
        self.size_bytes = 0
        self.lsis: dict[str, Index] = {}
        self.gsis: dict[str, Index] = {}
        self.streams: list[Stream] = []
        self.ttl = Ttl()
        # (partition, sort) -> (time of the last write, the item before it or None, key item),
        # for the simulated replication lag of eventually consistent reads
        self.recent: dict[tuple[Any, Any], tuple[float, dict[str, Any] | None, dict[str, Any]]] = {}
        # partition key -> bytes of its item collection (tables with an LSI)
        self.collections: dict[Any, int] = {}
        self.pay_per_request_since: float | None = created if throughput.mode == ON_DEMAND else None
        self.deletion_protection = False
        # (partition, sort) -> part name of every item written since the last to_parts; None
        # while nobody asks (a table never saved in parts is saved whole)
        self.changed: dict[tuple[Any, Any], str] | None = None

    def part_name(self, item: dict[str, Any]) -> str:
        """A stable name for an item (or index entry) of this table: a digest of its key."""
        key = json.dumps(self.schema.key_of(item), sort_keys=True, separators=(",", ":"))
        return hashlib.md5(key.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()

    # Lookups -----------------------------------------------------------------------------

    def indexes(self) -> list[Index]:
        return [*self.lsis.values(), *self.gsis.values()]

    def index(self, name: Any) -> Index:
        found = self.lsis.get(name) or self.gsis.get(name) if isinstance(name, str) else None
        if found is None:
            raise validation(f"The table does not have the specified index: {name}")
        return found

    def hash_of(self, pk: ScalarKey, key_item: dict[str, Any]) -> int:
        found = self.store.hashes.get(pk)
        if found is not None:
            return found
        schema = self.schema
        return key_hash(schema.hash_type, key_item[schema.hash_name][schema.hash_type])

    def entry(self, pk: ScalarKey, sk: ScalarKey | None) -> Entry | None:
        return self.store.get(pk, sk)

    @property
    def stream(self) -> Stream | None:
        """The enabled stream, if any."""
        if self.streams and self.streams[-1].enabled:
            return self.streams[-1]
        return None

    # Description -------------------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        throughput = self.throughput
        description: dict[str, Any] = {
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": kind}
                for name, kind in self.definitions.items()
            ],
            "TableName": self.name,
            "KeySchema": self.schema.to_wire(),
            "TableStatus": "ACTIVE",
            "CreationDateTime": self.created,
            "ProvisionedThroughput": {
                "NumberOfDecreasesToday": 0,
                "ReadCapacityUnits": throughput.rates["read"],
                "WriteCapacityUnits": throughput.rates["write"],
            },
            "TableSizeBytes": self.size_bytes,
            "ItemCount": self.store.count,
            "TableArn": self.arn,
            "TableId": self.table_id,
            "DeletionProtectionEnabled": self.deletion_protection,
        }
        if throughput.mode == ON_DEMAND:
            description["BillingModeSummary"] = {
                "BillingMode": ON_DEMAND,
                "LastUpdateToPayPerRequestDateTime": self.pay_per_request_since,
            }
        if self.lsis:
            description["LocalSecondaryIndexes"] = [
                i.describe(self.arn) for i in self.lsis.values()
            ]
        if self.gsis:
            description["GlobalSecondaryIndexes"] = [
                i.describe(self.arn) for i in self.gsis.values()
            ]
        stream = self.stream
        if stream is not None:
            description["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": stream.view_type,
            }
        if self.streams:
            description["LatestStreamLabel"] = self.streams[-1].label
            description["LatestStreamArn"] = self.streams[-1].arn
        return description

    # State -------------------------------------------------------------------------------

    def to_dict(self, *, items: bool = True) -> dict[str, Any]:
        """The table as plain JSON; ``items=False``: without items and stream records (the
        head of ``DynamoDB.to_parts``), with the counts that check them."""
        return {
            "TableName": self.name,
            "KeySchema": self.schema.to_wire(),
            "AttributeDefinitions": dict(self.definitions),
            "CreationDateTime": self.created,
            "TableId": self.table_id,
            "PayPerRequestSince": self.pay_per_request_since,
            "DeletionProtectionEnabled": self.deletion_protection,
            "Throughput": self.throughput.to_dict(),
            "LocalSecondaryIndexes": [index.definition() for index in self.lsis.values()],
            "GlobalSecondaryIndexes": [index.definition() for index in self.gsis.values()],
            "Streams": [stream.to_dict(records=items) for stream in self.streams],
            "Ttl": self.ttl.to_dict(),
            "Recent": [[at, key, previous] for at, previous, key in self.recent.values()],
            "ItemCount": self.store.count,
            "Items": [item for item, _ in self.store.entries()] if items else [],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        definitions = dict(data["AttributeDefinitions"])
        schema = parse_key_schema(data["KeySchema"], definitions, data["TableName"])
        table = cls(
            data["TableName"],
            schema,
            definitions,
            Throughput.from_dict(data["Throughput"]),
            data["CreationDateTime"],
            data["TableId"],
        )
        table.pay_per_request_since = data["PayPerRequestSince"]
        table.deletion_protection = data["DeletionProtectionEnabled"]
        for kind, key in ((LSI, "LocalSecondaryIndexes"), (GSI, "GlobalSecondaryIndexes")):
            for raw in data[key]:
                throughput = (
                    Throughput.from_dict(raw["Throughput"]) if "Throughput" in raw else None
                )
                index = build_index(kind, raw, definitions, schema, throughput)
                (table.lsis if kind == LSI else table.gsis)[index.name] = index
        table.streams = [Stream.from_dict(stream) for stream in data["Streams"]]
        table.ttl = Ttl.from_dict(data["Ttl"])
        for item in data["Items"]:
            table.load(item)
        for at, key, previous in data["Recent"]:
            table.recent[schema.item_key(key)] = (at, previous, key)
        return table

    def load(self, item: dict[str, Any]) -> None:
        """Store an item without any checks, capacity or side effects (restoring state)."""
        pk, sk = self.schema.item_key(item)
        size = item_size(item)
        self.store.put(pk, sk, (item, size), self.schema.partition_hash(item))
        self.size_bytes += size
        for index in self.indexes():
            entry = index.project(item)
            if entry is not None:
                entry_size = size if entry is item else item_size(entry)
                index.add(entry, entry_size)
                if index.kind == LSI:
                    self.collections[pk] = self.collections.get(pk, 0) + entry_size
        if self.lsis:
            self.collections[pk] = self.collections.get(pk, 0) + size
