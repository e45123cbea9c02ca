"""UpdateTable: capacity, billing mode, global secondary indexes, streams, deletion protection.

Changes apply at once (the table stays ACTIVE). As documented: one global secondary index can be
created or deleted per call (ServiceQuotas.html, "You can create or delete only one global
secondary index per UpdateTable operation"); a new index is backfilled from the items; enabling
a stream on a table that has one is a ResourceInUseException and disabling a missing one a
ValidationException (Streams.html); a throughput update that changes nothing is refused.
Partitions split when capacity grows and never merge (``throughput.py``).
"""

from __future__ import annotations

from typing import Any

from .control import (
    capacity,
    check_table_quota,
    enable_stream,
    stream_specification,
)
from .errors import LIMIT_EXCEEDED, RESOURCE_IN_USE, DynamoDBError, invalid_parameters, validation
from .indexes import GSI, build_index
from .keys import parse_definitions
from .params import boolean, check_known, enum, listing
from .table import Table
from .throughput import ON_DEMAND, PROVISIONED, Throughput
from .values import item_size

UPDATE_PARAMETERS = frozenset(
    {
        "TableName",
        "AttributeDefinitions",
        "BillingMode",
        "ProvisionedThroughput",
        "GlobalSecondaryIndexUpdates",
        "StreamSpecification",
        "DeletionProtectionEnabled",
        "SSESpecification",
        "TableClass",
    }
)


def update_table(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, UPDATE_PARAMETERS)
    table = engine.table_for(params)
    now = engine.clock.now()
    changes = [
        key
        for key in (
            "BillingMode",
            "ProvisionedThroughput",
            "GlobalSecondaryIndexUpdates",
            "StreamSpecification",
            "DeletionProtectionEnabled",
            "SSESpecification",
            "TableClass",
        )
        if params.get(key) is not None
    ]
    if not changes:
        raise validation(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
            "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required"
        )
    mode = enum(params, "BillingMode", (PROVISIONED, ON_DEMAND), table.throughput.mode)
    index_updates = listing(params, "GlobalSecondaryIndexUpdates", required=False) or []
    _update_capacity(table, params, mode, index_updates, now)
    _update_indexes(engine, table, params, mode, index_updates, now)
    if params.get("StreamSpecification") is not None:
        _update_stream(table, params["StreamSpecification"], now)
    if params.get("DeletionProtectionEnabled") is not None:
        table.deletion_protection = boolean(params, "DeletionProtectionEnabled")
    return {"TableDescription": table.describe()}


def _update_capacity(
    table: Table, params: dict[str, Any], mode: str, updates: list[Any], now: float
) -> None:
    raw = params.get("ProvisionedThroughput")
    switching = mode != table.throughput.mode
    if raw is None and not switching:
        return
    rates = capacity(raw, mode, table.name)
    current = table.throughput.rates
    if not switching and rates == (current["read"], current["write"]):
        raise validation(
            "The provisioned throughput for the table will not change. The requested value "
            "equals the current value. Current ReadCapacityUnits provisioned for the table: "
            f"{current['read']}. Requested ReadCapacityUnits: {rates[0]}. Current "
            f"WriteCapacityUnits provisioned for the table: {current['write']}. Requested "
            f"WriteCapacityUnits: {rates[1]}. Refer to the Amazon DynamoDB Developer Guide for "
            "current limits and how to request higher limits."
        )
    index_rates = {}
    for update in updates:
        change = update.get("Update") if isinstance(update, dict) else None
        if isinstance(change, dict) and change.get("IndexName") in table.gsis:
            index_rates[change["IndexName"]] = capacity(
                change.get("ProvisionedThroughput"), mode, f"index {change['IndexName']}"
            )
    if switching:
        for name in table.gsis:
            if name not in index_rates:
                if mode == PROVISIONED:
                    raise invalid_parameters(
                        f"ProvisionedThroughput must be specified for index: {name}"
                    )
                index_rates[name] = (0, 0)
    check_table_quota(
        rates,
        [
            index_rates.get(name, (i.throughput.rates["read"], i.throughput.rates["write"]))  # type: ignore[union-attr]
            for name, i in table.gsis.items()
        ],
    )
    if switching and mode == ON_DEMAND:
        table.pay_per_request_since = now
    table.throughput.update(mode, *rates, now, table.size_bytes)
    for name, (rcu, wcu) in index_rates.items():
        index = table.gsis[name]
        index.throughput.update(mode, rcu, wcu, now, index.size_bytes)  # type: ignore[union-attr]


def _update_indexes(
    engine: Any, table: Table, params: dict[str, Any], mode: str, updates: list[Any], now: float
) -> None:
    creates = [u["Create"] for u in updates if isinstance(u, dict) and "Create" in u]
    deletes = [u["Delete"] for u in updates if isinstance(u, dict) and "Delete" in u]
    for update in updates:
        if (
            not isinstance(update, dict)
            or len(update) != 1
            or not ({"Create", "Update", "Delete"} & set(update))
        ):
            raise invalid_parameters(
                "A GlobalSecondaryIndexUpdate has one Create, Update or Delete"
            )
        change = update.get("Update")
        if change is not None and (
            not isinstance(change, dict) or change.get("IndexName") not in table.gsis
        ):
            name = change.get("IndexName") if isinstance(change, dict) else change
            raise DynamoDBError(
                "ResourceNotFoundException", f"Requested resource not found: Index: {name}"
            )
    if len(creates) + len(deletes) > 1:
        raise DynamoDBError(
            LIMIT_EXCEEDED,
            "Subscriber limit exceeded: Only 1 online index can be created or deleted "
            "simultaneously per table",
        )
    for delete in deletes:
        name = delete.get("IndexName") if isinstance(delete, dict) else None
        if name not in table.gsis:
            raise DynamoDBError(
                "ResourceNotFoundException", f"Requested resource not found: Index: {name}"
            )
        del table.gsis[name]
        _keep_used_definitions(table)
    for create in creates:
        _create_index(table, params, mode, create, now)


def _create_index(table: Table, params: dict[str, Any], mode: str, raw: Any, now: float) -> None:
    definitions = dict(table.definitions)
    if params.get("AttributeDefinitions") is not None:
        for name, kind in parse_definitions(params["AttributeDefinitions"]).items():
            if definitions.get(name, kind) != kind:
                raise invalid_parameters(f"Cannot change the type of attribute {name}")
            definitions[name] = kind
    if not isinstance(raw, dict):
        raise invalid_parameters("Create needs an index definition")
    name = raw.get("IndexName")
    if name in table.gsis or name in table.lsis:
        raise DynamoDBError(
            RESOURCE_IN_USE, f"Attempting to create an index which already exists: {name}"
        )
    if len(table.gsis) >= 20:
        raise DynamoDBError(
            LIMIT_EXCEEDED, "Subscriber limit exceeded: at most 20 global secondary indexes"
        )
    rates = capacity(raw.get("ProvisionedThroughput"), mode, f"index {name}")
    index = build_index(GSI, raw, definitions, table.schema, Throughput(mode, *rates, now))
    table.definitions = definitions
    _keep_used_definitions(table, extra=index.schema.names)
    for item, size in table.store.entries():
        try:
            index.check_item(item)
        except DynamoDBError:
            continue  # backfill skips items whose index key has the wrong type
        entry = index.project(item)
        if entry is not None:
            index.add(entry, size if entry is item else item_size(entry))
    index.throughput.grow_for_size(index.size_bytes)  # type: ignore[union-attr]
    table.gsis[index.name] = index


def _keep_used_definitions(table: Table, extra: tuple[str, ...] = ()) -> None:
    used = set(table.schema.names) | set(extra)
    for index in table.indexes():
        used.update(index.schema.names)
    table.definitions = {name: kind for name, kind in table.definitions.items() if name in used}


def _update_stream(table: Table, raw: Any, now: float) -> None:
    view = stream_specification(raw)
    current = table.stream
    if view is not None:
        if current is not None:
            raise DynamoDBError(
                RESOURCE_IN_USE, f"Table {table.name} already has an enabled stream: {current.arn}"
            )
        enable_stream(table, view, now)
        return
    if current is None:
        raise validation(f"Table {table.name} does not have an enabled stream to disable")
    current.enabled = False
    current.disabled_at = now
