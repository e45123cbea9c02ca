"""What an item action would do and cost, before it is made: nothing changes, nothing is charged.

``preview(engine, {"Action": "PutItem", "TableName": "t", "Item": {...}})`` checks the request
as the action would (a DynamoDBError when it is invalid) and returns:

- ``ItemBytes``: the size of the item the action would leave (PutItem, UpdateItem) or finds
  (GetItem, DeleteItem; 0 when there is none), ``OldItemBytes`` the size of the stored one;
- ``ConditionPasses``: whether the ConditionExpression holds for the stored item now (None
  without one); a write whose condition fails costs the units of the write it would have made
  (1 for a new item) and changes nothing;
- ``Units``: the table's read or write units (``capacity.py``), ``IndexUnits`` those of each
  secondary index the write would update, ``TotalUnits`` both; a GetItem gives its units for
  each kind of read in ``ReadUnits``;
- ``Changes``: whether the write would change the stored item; ``Item``: the item a GetItem
  finds, as stored (a strongly consistent read), or the one a PutItem or UpdateItem would store.
"""

from __future__ import annotations

from typing import Any

from . import limits
from .capacity import EVENTUAL, STRONG, TRANSACTIONAL, read_units, write_units
from .errors import validation
from .expressions import Expressions, apply_update, evaluate
from .items import (
    DELETE_PARAMETERS,
    GET_PARAMETERS,
    PUT_PARAMETERS,
    UPDATE_PARAMETERS,
    checked_item,
)
from .params import check_known, mapping
from .values import item_size
from .writes import Write

PREVIEWED = ("PutItem", "UpdateItem", "DeleteItem", "GetItem")


def preview(engine: Any, step: dict[str, Any]) -> dict[str, Any]:
    """The effect and cost of one PutItem, UpdateItem, DeleteItem or GetItem (see module)."""
    if not isinstance(step, dict) or step.get("Action") not in PREVIEWED:
        raise validation(f"Only {', '.join(PREVIEWED)} can be previewed")
    params = {key: value for key, value in step.items() if key != "Action"}
    action = step["Action"]
    if action == "GetItem":
        return _get(engine, params)
    check_known(
        params,
        {"PutItem": PUT_PARAMETERS, "UpdateItem": UPDATE_PARAMETERS}.get(action, DELETE_PARAMETERS),
    )
    table = engine.table_for(params)
    expressions = Expressions(params)
    update = None
    if action == "PutItem":
        new, size, pk, sk = checked_item(mapping(params, "Item"), table)
        key = table.schema.key_of(new)
    else:
        key, pk, sk = table.schema.request_key(mapping(params, "Key"))
        if action == "UpdateItem":
            update = expressions.update(params.get("UpdateExpression"), table.schema.names)
    condition = expressions.condition(params.get("ConditionExpression"))
    expressions.done()
    old = table.entry(pk, sk)
    passes = None
    if condition is not None:
        passes = bool(evaluate(condition, old[0] if old is not None else {}))
    if action == "UpdateItem":
        base = old[0] if old is not None else key
        new = apply_update(update, base) if update is not None else dict(base)
        size = item_size(new)
        if size > limits.MAX_ITEM_BYTES:
            raise validation("Item size to update has exceeded the maximum allowed size")
        for index in table.indexes():
            index.check_item(new)
    elif action == "DeleteItem":
        new, size = None, 0
    write = Write(table, key, pk, sk, old, new, size)
    found: dict[str, Any] = {
        "Action": action,
        "TableName": table.name,
        "Kind": "write",
        "Exists": old is not None,
        "ItemBytes": size if new is not None else (old[1] if old is not None else 0),
        "OldItemBytes": old[1] if old is not None else None,
        "ConditionPasses": passes,
        "Changes": write.changed and passes is not False,
        "Item": new,
    }
    if passes is False:
        units = write_units(max(old[1], size)) if old is not None else 1.0
        found.update(Units=units, IndexUnits=[], TotalUnits=units)
        return found
    indexes = [
        {
            "IndexName": index.name,
            "Kind": index.kind,
            "Units": units,
            "Change": _change(index, b, a),
        }
        for index, b, a, _, units, _ in write.index_work
    ]
    found.update(
        Units=write.units,
        IndexUnits=indexes,
        TotalUnits=write.units + sum(entry["Units"] for entry in indexes),
        TransactionalUnits=write_units(max(found["OldItemBytes"] or 0, size), TRANSACTIONAL),
    )
    return found


def _change(index: Any, before: Any, after: Any) -> str:
    """What a write does to an item's index entry: add, remove, move (new index key) or update."""
    if before is None:
        return "add"
    if after is None:
        return "remove"
    return "move" if index.position(before) != index.position(after) else "update"


def _get(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, GET_PARAMETERS)
    table = engine.table_for(params)
    _, pk, sk = table.schema.request_key(mapping(params, "Key"))
    expressions = Expressions(params)
    expressions.projection(params.get("ProjectionExpression"))
    expressions.done()
    entry = table.entry(pk, sk)
    size = entry[1] if entry is not None else 0
    units = {
        "Eventual": read_units(size, EVENTUAL),
        "Strong": read_units(size, STRONG),
        "Transactional": read_units(size, TRANSACTIONAL),
    }
    chosen = units["Strong" if params.get("ConsistentRead") is True else "Eventual"]
    return {
        "Action": "GetItem",
        "TableName": table.name,
        "Kind": "read",
        "Exists": entry is not None,
        "ItemBytes": size,
        "OldItemBytes": size if entry is not None else None,
        "ConditionPasses": None,
        "Changes": False,
        "Item": entry[0] if entry is not None else None,
        "Units": chosen,
        "ReadUnits": units,
        "IndexUnits": [],
        "TotalUnits": chosen,
    }
