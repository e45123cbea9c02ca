"""CreateTable, DescribeTable, DeleteTable, ListTables, UpdateTimeToLive, DescribeTimeToLive.

Tables are ACTIVE as soon as they are created (the simulator has no CREATING phase). Local
secondary indexes are defined at creation only; global ones also by UpdateTable (``tables.py``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from . import limits
from .errors import (
    LIMIT_EXCEEDED,
    RESOURCE_IN_USE,
    DynamoDBError,
    invalid_parameters,
    missing,
    validation,
)
from .indexes import GSI, LSI, build_index
from .keys import parse_definitions, parse_key_schema
from .params import boolean, check_known, enum, integer, listing, mapping, table_name
from .streams import VIEW_TYPES, Stream, stream_label
from .table import Table
from .throughput import ON_DEMAND, PROVISIONED, Throughput

CREATE_PARAMETERS = frozenset(
    {
        "AttributeDefinitions",
        "TableName",
        "KeySchema",
        "LocalSecondaryIndexes",
        "GlobalSecondaryIndexes",
        "BillingMode",
        "ProvisionedThroughput",
        "StreamSpecification",
        "SSESpecification",
        "Tags",
        "TableClass",
        "DeletionProtectionEnabled",
    }
)


def capacity(raw: Any, mode: str, where: str) -> tuple[int, int]:
    """(RCU, WCU) of a ProvisionedThroughput parameter under a billing mode."""
    if mode == ON_DEMAND:
        if raw is not None:
            raise invalid_parameters(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                f"BillingMode is PAY_PER_REQUEST ({where})"
            )
        return 0, 0
    if (
        not isinstance(raw, dict)
        or raw.get("ReadCapacityUnits") is None
        or raw.get("WriteCapacityUnits") is None
    ):
        raise invalid_parameters(
            "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
            f"PROVISIONED ({where})"
        )
    rcu = integer(raw, "ReadCapacityUnits", 1, 10**11)
    wcu = integer(raw, "WriteCapacityUnits", 1, 10**11)
    return rcu, wcu  # type: ignore[return-value]


def check_table_quota(table_rates: tuple[int, int], index_rates: list[tuple[int, int]]) -> None:
    """Per-table quota: 40,000 RCU and 40,000 WCU for the table and its GSIs together."""
    for position, kind in enumerate(("ReadCapacityUnits", "WriteCapacityUnits")):
        total = table_rates[position] + sum(rates[position] for rates in index_rates)
        if total > limits.TABLE_MAX_UNITS:
            raise DynamoDBError(
                LIMIT_EXCEEDED,
                f"Subscriber limit exceeded: {kind} for the table and its global secondary "
                f"indexes ({total}) exceed the per-table quota of {limits.TABLE_MAX_UNITS}",
            )


def stream_specification(raw: Any) -> str | None:
    """The view type of an enabled stream, or None for a disabled one."""
    if not isinstance(raw, dict) or not isinstance(raw.get("StreamEnabled"), bool):
        raise missing("streamSpecification.streamEnabled")
    view = raw.get("StreamViewType")
    if not raw["StreamEnabled"]:
        return None
    if view not in VIEW_TYPES:
        raise invalid_parameters("You must specify a StreamViewType when enabling a stream")
    return view


def create_table(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, CREATE_PARAMETERS)
    name = table_name(params)
    definitions = parse_definitions(params.get("AttributeDefinitions"))
    schema = parse_key_schema(params.get("KeySchema"), definitions, name)
    mode = enum(params, "BillingMode", (PROVISIONED, ON_DEMAND), PROVISIONED)
    now = engine.clock.now()
    rates = capacity(params.get("ProvisionedThroughput"), mode, name)
    used = set(schema.names)
    indexes = []
    projected = 0
    for kind, key in ((LSI, "LocalSecondaryIndexes"), (GSI, "GlobalSecondaryIndexes")):
        raw_indexes = listing(params, key, required=False) or []
        most = limits.MAX_LSIS if kind == LSI else limits.MAX_GSIS
        if len(raw_indexes) > most:
            raise invalid_parameters(f"Too many {key}: at most {most}")
        for raw in raw_indexes:
            throughput = None
            if kind == GSI:
                index_rates = capacity(
                    raw.get("ProvisionedThroughput") if isinstance(raw, dict) else None,
                    mode,
                    f"index {raw.get('IndexName') if isinstance(raw, dict) else raw}",
                )
                throughput = Throughput(mode, *index_rates, now)
            index = build_index(kind, raw, definitions, schema, throughput)
            indexes.append(index)
            used.update(index.schema.names)
            projected += len(index.non_key)
    names = [index.name for index in indexes]
    if len(set(names)) != len(names):
        raise invalid_parameters(f"Duplicate index name: {sorted(names)}")
    if projected > limits.MAX_PROJECTED_ATTRIBUTES:
        raise invalid_parameters(
            "Number of projected attributes in all indexes exceeds limit of "
            f"{limits.MAX_PROJECTED_ATTRIBUTES}"
        )
    if set(definitions) != used:
        raise invalid_parameters(
            "Number of attributes in KeySchema does not exactly match number of attributes "
            "defined in AttributeDefinitions"
        )
    check_table_quota(
        rates,
        [
            (i.throughput.rates["read"], i.throughput.rates["write"])
            for i in indexes
            if i.throughput
        ],
    )
    view = None
    if params.get("StreamSpecification") is not None:
        view = stream_specification(params["StreamSpecification"])
    if name in engine.tables:
        raise DynamoDBError(RESOURCE_IN_USE, f"Table already exists: {name}")
    if len(engine.tables) >= limits.MAX_TABLES:
        raise DynamoDBError(
            LIMIT_EXCEEDED, f"Subscriber limit exceeded: at most {limits.MAX_TABLES} tables"
        )
    table_id = hashlib.md5(
        f"{engine.seed}:{name}:{now}".encode(), usedforsecurity=False
    ).hexdigest()
    table_id = "-".join(
        (table_id[:8], table_id[8:12], table_id[12:16], table_id[16:20], table_id[20:])
    )
    table = Table(name, schema, definitions, Throughput(mode, *rates, now), now, table_id)
    for index in indexes:
        (table.lsis if index.kind == LSI else table.gsis)[index.name] = index
    if view is not None:
        enable_stream(table, view, now)
    table.deletion_protection = boolean(params, "DeletionProtectionEnabled")
    engine.tables[name] = table
    return {"TableDescription": table.describe()}


def enable_stream(table: Table, view: str, now: float) -> None:
    label = stream_label(now)
    table.streams.append(Stream(label, view, f"{table.arn}/stream/{label}"))


def describe_table(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, {"TableName"})
    return {"Table": engine.table_for(params).describe()}


def delete_table(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, {"TableName"})
    table = engine.table_for(params)
    if table.deletion_protection:
        raise validation(
            "Resource cannot be deleted as it is currently protected against deletion. Disable "
            "deletion protection first."
        )
    description = table.describe()
    description["TableStatus"] = "DELETING"
    del engine.tables[table.name]
    return {"TableDescription": description}


def list_tables(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, {"ExclusiveStartTableName", "Limit"})
    limit = integer(params, "Limit", 1, limits.LIST_TABLES_MAX, limits.LIST_TABLES_MAX)
    names = sorted(engine.tables)
    start = params.get("ExclusiveStartTableName")
    if start is not None:
        start = table_name(params, "ExclusiveStartTableName")
        names = [name for name in names if name > start]
    result: dict[str, Any] = {"TableNames": names[:limit]}
    if len(names) > limit:  # type: ignore[operator]
        result["LastEvaluatedTableName"] = names[limit - 1]  # type: ignore[operator]
    return result


def update_time_to_live(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, {"TableName", "TimeToLiveSpecification"})
    table = engine.table_for(params)
    spec = mapping(params, "TimeToLiveSpecification")
    enabled, attribute = spec.get("Enabled"), spec.get("AttributeName")  # type: ignore[union-attr]
    if not isinstance(enabled, bool):
        raise missing("timeToLiveSpecification.enabled")
    if not isinstance(attribute, str) or not 1 <= len(attribute) <= 255:
        raise missing("timeToLiveSpecification.attributeName")
    ttl = table.ttl
    if enabled:
        if ttl.enabled and ttl.attribute != attribute:
            raise validation(
                f"TimeToLive is active on a different AttributeName: current AttributeName is "
                f"{ttl.attribute}"
            )
        if ttl.enabled:
            raise validation("TimeToLive is already enabled")
        ttl.enabled, ttl.attribute = True, attribute
        now = engine.clock.now()
        for item, _ in table.store.entries():
            ttl.schedule(item, table.schema.key_of(item), now, engine.seed, table.name)
    else:
        if not ttl.enabled:
            raise validation("TimeToLive is already disabled")
        ttl.enabled = False
        ttl.queue.clear()
    return {"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}}


def describe_time_to_live(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, {"TableName"})
    return {"TimeToLiveDescription": engine.table_for(params).ttl.describe()}
