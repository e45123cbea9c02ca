"""TransactGetItems and TransactWriteItems (transaction-apis.html).

All or nothing: every condition is checked and every write is planned against the table as it
is before the transaction; if any action fails, nothing is written and the call fails with
TransactionCanceledException, whose ``CancellationReasons`` lists, in the order of the
actions, ``{"Code": "None"}`` for the actions that were fine and the reason for the others
(ConditionalCheckFailed, with the item when ReturnValuesOnConditionCheckFailure is ALL_OLD;
ValidationError; ProvisionedThroughputExceeded or ThrottlingError). A transaction may not touch
one item twice, nor more than 100 items or 4 MB. Transactional reads and writes cost twice the
units of standard ones ("one to prepare the transaction and one to commit the transaction");
a ConditionCheck is counted as a transactional write of the checked item (a simulator choice:
the guide does not say). A cancelled transaction consumes nothing here (the guide does not say
either). A ClientRequestToken makes TransactWriteItems idempotent for 10 minutes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import limits
from .capacity import TRANSACTIONAL, Consumed, read_units, write_units
from .errors import (
    CONDITION_FAILED_MESSAGE,
    IDEMPOTENT_MISMATCH,
    DynamoDBError,
    transaction_canceled,
    validation,
)
from .expressions import Expressions, apply_update, evaluate, project
from .items import checked_item
from .params import check_known, listing, return_capacity
from .values import item_size
from .writes import Write, cancellation_code

ACTION_PARAMETERS = {
    "ConditionCheck": {"Key", "ConditionExpression"},
    "Put": {"Item", "ConditionExpression"},
    "Delete": {"Key", "ConditionExpression"},
    "Update": {"Key", "UpdateExpression", "ConditionExpression"},
}
COMMON = {
    "TableName",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ReturnValuesOnConditionCheckFailure",
}


def _items(params: dict[str, Any]) -> list[Any]:
    items = listing(params, "TransactItems")
    if not 1 <= len(items) <= limits.TRANSACTION_MAX_ITEMS:  # type: ignore[arg-type]
        raise validation(
            "1 validation error detected: Value at 'transactItems' failed to satisfy "
            "constraint: Member must have length less than or equal to 100"
        )
    return items  # type: ignore[return-value]


def _no_repeats(targets: list[tuple[str, Any, Any]]) -> None:
    if len(set(targets)) != len(targets):
        raise validation("Transaction request cannot include multiple operations on one item")


def transact_get_items(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, {"TransactItems", "ReturnConsumedCapacity"})
    mode = return_capacity(params)
    plans = []
    for entry in _items(params):
        if (
            not isinstance(entry, dict)
            or set(entry) != {"Get"}
            or not isinstance(entry["Get"], dict)
        ):
            raise validation("A TransactGetItem has exactly one Get")
        get = entry["Get"]
        check_known(get, {"Key", "TableName", "ProjectionExpression", "ExpressionAttributeNames"})
        table = engine.table_for(get)
        key, pk, sk = table.schema.request_key(get.get("Key"))
        expressions = Expressions(get)
        paths = expressions.projection(get.get("ProjectionExpression"))
        expressions.done()
        plans.append((table, key, pk, sk, paths))
    _no_repeats([(table.name, pk, sk) for table, _, pk, sk, _ in plans])
    now = engine.clock.now()
    reasons = []
    partitions = []
    for table, key, pk, _, _ in plans:
        partition = table.throughput.partition_of(table.hash_of(pk, key))
        partitions.append(partition)
        if table.throughput.check("read", partition, now) is None:
            reasons.append({"Code": "None"})
        else:
            table.throughput.throttled("read")
            reasons.append({"Code": cancellation_code(table.throughput.mode)})
    if any(reason["Code"] != "None" for reason in reasons):
        raise transaction_canceled(reasons)
    consumed = Consumed()
    responses = []
    for (table, _, pk, sk, paths), partition in zip(plans, partitions, strict=True):
        found = table.entry(pk, sk)
        units = read_units(found[1] if found is not None else 0, TRANSACTIONAL)
        table.throughput.charge("read", partition, units, now)
        consumed.add(table.name, units, "read")
        if found is None:
            responses.append({})
        else:
            responses.append(
                {"Item": project(found[0], paths) if paths is not None else dict(found[0])}
            )
    result: dict[str, Any] = {"Responses": responses}
    result.update(consumed.multiple(mode, kinds=True))
    return result


class _Action:
    """One action of a TransactWriteItems request, validated."""

    def __init__(self, engine: Any, entry: Any) -> None:
        if (
            not isinstance(entry, dict)
            or len(entry) != 1
            or next(iter(entry)) not in ACTION_PARAMETERS
        ):
            raise validation(
                "A TransactWriteItem has exactly one of ConditionCheck, Put, Delete or Update"
            )
        self.kind, body = next(iter(entry.items()))
        if not isinstance(body, dict):
            raise validation(f"Invalid {self.kind} action")
        check_known(body, ACTION_PARAMETERS[self.kind] | COMMON)
        self.table = table = engine.table_for(body)
        self.size = 0
        self.item: dict[str, Any] | None = None
        if self.kind == "Put":
            self.item, self.size, self.pk, self.sk = checked_item(body.get("Item"), table)
            self.key = table.schema.key_of(self.item)
        else:
            self.key, self.pk, self.sk = table.schema.request_key(body.get("Key"))
        expressions = Expressions(body)
        self.update = None
        if self.kind == "Update":
            if body.get("UpdateExpression") is None:
                raise validation("Update requires an UpdateExpression")
            self.update = expressions.update(body["UpdateExpression"], table.schema.names)
        if self.kind == "ConditionCheck" and body.get("ConditionExpression") is None:
            raise validation("ConditionCheck requires a ConditionExpression")
        self.condition = expressions.condition(body.get("ConditionExpression"))
        expressions.done()
        self.on_failure = body.get("ReturnValuesOnConditionCheckFailure", "NONE")
        if self.on_failure not in ("ALL_OLD", "NONE"):
            raise validation("ReturnValuesOnConditionCheckFailure must be ALL_OLD or NONE")
        self.write: Write | None = None

    def plan(self, now: float) -> dict[str, Any]:
        """The cancellation reason of this action, {"Code": "None"} when it may proceed."""
        table = self.table
        old = table.entry(self.pk, self.sk)
        if self.condition is not None and not evaluate(self.condition, old[0] if old else {}):
            reason: dict[str, Any] = {
                "Code": "ConditionalCheckFailed",
                "Message": CONDITION_FAILED_MESSAGE,
            }
            if self.on_failure == "ALL_OLD" and old is not None:
                reason["Item"] = old[0]
            return reason
        try:
            if self.kind == "Update":
                self.item = apply_update(self.update, old[0] if old else self.key)  # type: ignore[arg-type]
                self.size = item_size(self.item)
                if self.size > limits.MAX_ITEM_BYTES:
                    raise validation("Item size to update has exceeded the maximum allowed size")
                for index in table.indexes():
                    index.check_item(self.item)
            if self.kind == "ConditionCheck":
                self.units = write_units(old[1] if old else 0, TRANSACTIONAL)
                self.partition = table.throughput.partition_of(table.hash_of(self.pk, self.key))
                if table.throughput.check("write", self.partition, now) is not None:
                    table.throughput.throttled("write")
                    return {"Code": cancellation_code(table.throughput.mode)}
                return {"Code": "None"}
            new = self.item if self.kind != "Delete" else None
            self.write = Write(
                table, self.key, self.pk, self.sk, old, new, self.size, TRANSACTIONAL
            )
            self.write.check_collection()
        except DynamoDBError as error:
            if error.code == "ItemCollectionSizeLimitExceededException":
                return {"Code": "ItemCollectionSizeLimitExceeded", "Message": error.message}
            return {"Code": "ValidationError", "Message": error.message}
        if self.write.reasons(now):
            return {"Code": cancellation_code(table.throughput.mode)}
        return {"Code": "None"}


def _fingerprint(params: dict[str, Any]) -> str:
    body = {
        k: v for k, v in params.items() if k not in ("ClientRequestToken", "ReturnConsumedCapacity")
    }
    text = json.dumps(body, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def transact_write_items(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(
        params,
        {
            "TransactItems",
            "ClientRequestToken",
            "ReturnConsumedCapacity",
            "ReturnItemCollectionMetrics",
        },
    )
    mode = return_capacity(params)
    token = params.get("ClientRequestToken")
    now = engine.clock.now()
    if token is not None:
        if not isinstance(token, str) or not 1 <= len(token) <= 36:
            raise validation("ClientRequestToken must be 1 to 36 characters")
        seen = engine.client_tokens.get(token)
        if seen is not None and now - seen["at"] < limits.CLIENT_TOKEN_SECONDS:
            if seen["fingerprint"] != _fingerprint(params):
                raise DynamoDBError(
                    IDEMPOTENT_MISMATCH,
                    "Request has the same ClientRequestToken as a previous request but different "
                    "parameters",
                )
            return dict(seen["result"])
    actions = [_Action(engine, entry) for entry in _items(params)]
    _no_repeats([(a.table.name, a.pk, a.sk) for a in actions])
    if sum(action.size for action in actions) > limits.TRANSACTION_MAX_BYTES:
        raise validation("Transaction request cannot be larger than 4 MB")
    reasons = [action.plan(now) for action in actions]
    if any(reason["Code"] != "None" for reason in reasons):
        raise transaction_canceled(reasons)
    consumed = Consumed()
    for action in actions:
        if action.write is None:
            action.table.throughput.charge("write", action.partition, action.units, now)
            consumed.add(action.table.name, action.units, "write")
            continue
        action.write.charge(consumed, now)
        action.write.commit(engine)
    result: dict[str, Any] = {}
    result.update(consumed.multiple(mode, kinds=True))
    if token is not None:
        engine.client_tokens[token] = {"at": now, "fingerprint": _fingerprint(params), "result": {}}
    return result
