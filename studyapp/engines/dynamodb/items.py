"""PutItem, GetItem, UpdateItem and DeleteItem, with AWS's request and response shapes."""

from __future__ import annotations

from typing import Any

from . import limits
from .access import admit, check_condition, finish_write, read_entry
from .capacity import Consumed, read_factor, read_units
from .errors import validation
from .expressions import Expressions, apply_update, project
from .params import boolean, check_known, enum, mapping, return_capacity
from .values import check_item, item_size
from .writes import Write

WRITE_COMMON = frozenset(
    {
        "TableName",
        "ConditionExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
        "ReturnValues",
        "ReturnConsumedCapacity",
        "ReturnItemCollectionMetrics",
        "ReturnValuesOnConditionCheckFailure",
    }
)
PUT_PARAMETERS = WRITE_COMMON | {"Item"}
UPDATE_PARAMETERS = WRITE_COMMON | {"Key", "UpdateExpression"}
DELETE_PARAMETERS = WRITE_COMMON | {"Key"}
GET_PARAMETERS = frozenset(
    {
        "TableName",
        "Key",
        "ConsistentRead",
        "ProjectionExpression",
        "ExpressionAttributeNames",
        "ReturnConsumedCapacity",
    }
)
UPDATE_RETURN_VALUES = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")
EXPRESSION_FREE = frozenset(
    {"ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues"}
)


def _return_values(params: dict[str, Any], choices: tuple[str, ...]) -> str:
    value = params.get("ReturnValues")
    if value is None:
        return "NONE"
    if value not in choices:
        if value in UPDATE_RETURN_VALUES:
            raise validation("ReturnValues can only be ALL_OLD or NONE")
        return enum(params, "ReturnValues", UPDATE_RETURN_VALUES, "NONE")
    return value


def _on_failure(params: dict[str, Any]) -> str:
    return enum(params, "ReturnValuesOnConditionCheckFailure", ("ALL_OLD", "NONE"), "NONE")


def checked_item(raw: Any, table: Any) -> tuple[dict[str, Any], int, Any, Any]:
    """(item, size, partition key, sort key) of a new item: valid values, at most 400 KB, keys
    and index keys of the right types."""
    item, size = check_item(raw)
    if size > limits.MAX_ITEM_BYTES:
        raise validation("Item size has exceeded the maximum allowed size")
    pk, sk = table.schema.item_key(item)
    if table.lsis or table.gsis:
        for index in table.indexes():
            index.check_item(item)
    return item, size, pk, sk


def put_item(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, PUT_PARAMETERS)
    table = engine.table_for(params)
    item, size, pk, sk = checked_item(mapping(params, "Item"), table)
    condition = None
    if not EXPRESSION_FREE.isdisjoint(params):
        expressions = Expressions(params)
        condition = expressions.condition(params.get("ConditionExpression"))
        expressions.done()
    returns = _return_values(params, ("NONE", "ALL_OLD"))
    on_failure = _on_failure(params)
    mode = return_capacity(params)
    old = table.entry(pk, sk)
    write = Write(table, table.schema.key_of(item), pk, sk, old, item, size)
    if condition is not None:  # else finish_write checks the capacity
        now = engine.clock.now()
        admit(table, table.throughput, "write", write.partition, now)
        check_condition(table, condition, old, size, write.partition, now, on_failure)
    consumed = Consumed() if mode != "NONE" else None
    finish_write(engine, write, consumed)
    result: dict[str, Any] = {}
    if returns == "ALL_OLD" and old is not None:
        result["Attributes"] = old[0]
    if consumed is not None:
        result.update(consumed.single(mode, table.name))
    return result


def get_item(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, GET_PARAMETERS)
    table = engine.table_for(params)
    key, pk, sk = table.schema.request_key(mapping(params, "Key"))
    expressions = Expressions(params)
    paths = expressions.projection(params.get("ProjectionExpression"))
    expressions.done()
    consistent = boolean(params, "ConsistentRead")
    mode = return_capacity(params)
    now = engine.clock.now()
    partition = table.throughput.partition_of(table.hash_of(pk, key))
    admit(table, table.throughput, "read", partition, now)
    entry = read_entry(engine, table, pk, sk, consistent)
    units = read_units(entry[1] if entry is not None else 0, read_factor(consistent))
    table.throughput.charge("read", partition, units, now)
    consumed = Consumed()
    consumed.add(table.name, units, "read")
    result: dict[str, Any] = {}
    if entry is not None:
        result["Item"] = project(entry[0], paths) if paths is not None else dict(entry[0])
    result.update(consumed.single(mode, table.name))
    return result


def update_item(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, UPDATE_PARAMETERS)
    table = engine.table_for(params)
    key, pk, sk = table.schema.request_key(mapping(params, "Key"))
    expressions = Expressions(params)
    update = expressions.update(params.get("UpdateExpression"), table.schema.names)
    condition = expressions.condition(params.get("ConditionExpression"))
    expressions.done()
    returns = _return_values(params, UPDATE_RETURN_VALUES)
    on_failure = _on_failure(params)
    mode = return_capacity(params)
    old = table.entry(pk, sk)
    now = engine.clock.now()
    partition = table.throughput.partition_of(table.hash_of(pk, key))
    admit(table, table.throughput, "write", partition, now)
    base = old[0] if old is not None else key

    def updated() -> dict[str, Any]:
        return apply_update(update, base) if update is not None else dict(base)

    check_condition(table, condition, old, lambda: item_size(updated()), partition, now, on_failure)
    new = updated()
    size = item_size(new)
    if size > limits.MAX_ITEM_BYTES:
        raise validation("Item size to update has exceeded the maximum allowed size")
    for index in table.indexes():
        index.check_item(new)
    write = Write(table, key, pk, sk, old, new, size)
    consumed = Consumed()
    finish_write(engine, write, consumed)
    result: dict[str, Any] = {}
    attributes = _updated_attributes(returns, old[0] if old is not None else None, new, update)
    if attributes:
        result["Attributes"] = attributes
    result.update(consumed.single(mode, table.name))
    return result


def _updated_attributes(
    returns: str, old: dict[str, Any] | None, new: dict[str, Any], update: Any
) -> dict[str, Any] | None:
    if returns == "ALL_OLD":
        return old
    if returns == "ALL_NEW":
        return new
    if returns in ("UPDATED_OLD", "UPDATED_NEW") and update is not None:
        source = old if returns == "UPDATED_OLD" else new
        return project(source, update.paths()) if source is not None else None
    return None


def delete_item(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, DELETE_PARAMETERS)
    table = engine.table_for(params)
    key, pk, sk = table.schema.request_key(mapping(params, "Key"))
    expressions = Expressions(params)
    condition = expressions.condition(params.get("ConditionExpression"))
    expressions.done()
    returns = _return_values(params, ("NONE", "ALL_OLD"))
    on_failure = _on_failure(params)
    mode = return_capacity(params)
    old = table.entry(pk, sk)
    write = Write(table, key, pk, sk, old, None)
    if condition is not None:  # else finish_write checks the capacity
        now = engine.clock.now()
        admit(table, table.throughput, "write", write.partition, now)
        check_condition(table, condition, old, 0, write.partition, now, on_failure)
    consumed = Consumed() if mode != "NONE" else None
    finish_write(engine, write, consumed)
    result: dict[str, Any] = {}
    if returns == "ALL_OLD" and old is not None:
        result["Attributes"] = old[0]
    if consumed is not None:
        result.update(consumed.single(mode, table.name))
    return result
