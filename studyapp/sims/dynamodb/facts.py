"""What an action did, as plain facts for the event log's sentence (``sentences.py`` tells
them): the units it consumed (from the engine's ``usage`` before and after), the size of the
item it wrote or found, what a Query or Scan read and returned, why it failed or did nothing.

Facts are stored with the log entry; the sentence is made when the page is drawn, in the
reader's language.
"""

from __future__ import annotations

import json
from typing import Any

from studyapp.engines.dynamodb import DynamoDB, DynamoDBError, item_size, preview, table_view

SHOWN_TEXT = 120  # characters of a string kept in the log
SHOWN_LIST = 5  # elements of a list kept in the log
ITEM_ACTIONS = ("PutItem", "UpdateItem", "DeleteItem", "GetItem")
SHOWN_ITEMS = 20  # items of the last read kept to show
SHOWN_VALUE = 40  # characters of an attribute value drawn


def plain(value: Any) -> str:
    """An attribute value as short text: S and N as they are, the rest as compact JSON."""
    if not isinstance(value, dict) or len(value) != 1:
        text = json.dumps(value, ensure_ascii=False)
    else:
        kind, raw = next(iter(value.items()))
        if kind in ("S", "N"):
            text = str(raw)
        elif kind == "BOOL":
            text = "true" if raw else "false"
        elif kind == "NULL":
            text = "null"
        elif kind == "B":
            text = "binary"
        else:
            text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= SHOWN_VALUE else text[:SHOWN_VALUE] + "…"


def size_text(size: float) -> str:
    """Bytes as DynamoDB counts them: 1 KB = 1,024 bytes."""
    if size < 1024:
        return f"{int(size):,} B"
    if size < 1024 * 1024:
        return f"{size / 1024:,.1f} KB"
    return f"{size / (1024 * 1024):,.1f} MB"


def units_text(units: float) -> str:
    return f"{units:,.0f}" if units == int(units) else f"{units:,.1f}"


def for_log(value: Any) -> Any:
    """A copy of a request or response fit for the log: long strings and lists cut."""
    if isinstance(value, str):
        return value if len(value) <= SHOWN_TEXT else value[:SHOWN_TEXT] + "…"
    if isinstance(value, list):
        kept = [for_log(item) for item in value[:SHOWN_LIST]]
        if len(value) > SHOWN_LIST:
            kept.append(f"… {len(value) - SHOWN_LIST:,} more")
        return kept
    if isinstance(value, dict):
        return {str(key)[:SHOWN_TEXT]: for_log(item) for key, item in value.items()}
    return value


def _size(item: Any) -> int:
    try:
        return item_size(item)
    except (DynamoDBError, TypeError, ValueError, AttributeError, RecursionError):
        return 0


def potential_items(step: dict[str, Any]) -> tuple[int, int]:
    """(items, bytes) a write could add at most: what check_room counts before it runs."""
    action = step.get("Action")
    if action == "PutItem":
        return 1, _size(step.get("Item"))
    if action == "UpdateItem":
        return 1, 1024
    if action == "BatchWriteItem":
        tables = step.get("RequestItems")
        puts = [
            request["PutRequest"].get("Item")
            for requests in (tables.values() if isinstance(tables, dict) else ())
            if isinstance(requests, list)
            for request in requests
            if isinstance(request, dict) and isinstance(request.get("PutRequest"), dict)
        ]
        return len(puts), sum(_size(item) for item in puts)
    if action == "TransactWriteItems":
        entries = [e for e in _listed(step.get("TransactItems")) if isinstance(e, dict)]
        puts = [e["Put"].get("Item") for e in entries if isinstance(e.get("Put"), dict)]
        updates = sum(1 for e in entries if "Update" in e)
        return len(puts) + updates, sum(_size(item) for item in puts) + 1024 * updates
    if action == "Workload" and step.get("Operation", "PutItem") == "PutItem":
        requests = _whole(step.get("RequestsPerSecond"), 0) * _whole(step.get("Seconds"), 1)
        keys = _whole(step.get("Keys"), 1000) + (1 if step.get("HotKey") else 0)
        items = min(requests, keys)
        return items, items * _whole(step.get("ItemSize"), 100)
    return 0, 0


def written_tables(step: dict[str, Any]) -> set[str]:
    """The tables a write request names (BatchWriteItem and transactions may name several)."""
    action = step.get("Action")
    if action == "BatchWriteItem":
        requests = step.get("RequestItems")
        return {str(name) for name in requests} if isinstance(requests, dict) else set()
    if action == "TransactWriteItems":
        return {
            str(inner.get("TableName"))
            for entry in _listed(step.get("TransactItems"))
            if isinstance(entry, dict)
            for inner in entry.values()
            if isinstance(inner, dict)
        }
    return {str(step.get("TableName"))}


def _listed(value: Any) -> list[Any]:
    """A list parameter, or none when the request has something else there (an SDK call may:
    the engine then refuses it)."""
    return value if isinstance(value, list) else []


def _whole(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def before(engine: DynamoDB, step: dict[str, Any]) -> dict[str, Any] | None:
    """What the engine says of an item action before it runs (None when it cannot say)."""
    if step.get("Action") not in ITEM_ACTIONS:
        return None
    try:
        return preview(engine, step)
    except DynamoDBError:
        return None


def _spent(engine: DynamoDB, used: dict[str, dict[str, float]]) -> dict[str, float]:
    """Units consumed and requests throttled since ``used`` was taken, every table together."""
    spent = {"rcu": 0.0, "wcu": 0.0, "throttled": 0.0}
    for name, now in engine.usage().items():
        then = used.get(name, {})
        spent["rcu"] += now["ConsumedReadCapacityUnits"] - then.get("ConsumedReadCapacityUnits", 0)
        spent["wcu"] += now["ConsumedWriteCapacityUnits"] - then.get(
            "ConsumedWriteCapacityUnits", 0
        )
        spent["throttled"] += (now["ReadThrottleEvents"] + now["WriteThrottleEvents"]) - (
            then.get("ReadThrottleEvents", 0) + then.get("WriteThrottleEvents", 0)
        )
    return {key: round(value, 3) for key, value in spent.items()}


def _count(value: Any) -> int:
    """Requests or keys in a RequestItems-like object ({table: [...] or {"Keys": [...]}})."""
    total = 0
    for entry in (value or {}).values() if isinstance(value, dict) else ():
        if isinstance(entry, list):
            total += len(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("Keys"), list):
            total += len(entry["Keys"])
    return total


def after(
    engine: DynamoDB,
    step: dict[str, Any],
    result: dict[str, Any],
    seen: dict[str, Any] | None,
    used: dict[str, dict[str, float]],
    reads: list[dict[str, Any]],
) -> dict[str, Any]:
    """The facts of one action (see the module)."""
    action = step.get("Action")
    table = step.get("TableName")
    told: dict[str, Any] = {"kind": action, "table": table if isinstance(table, str) else ""}
    told.update(_spent(engine, used))
    error = result.get("Error")
    if error:
        told["error"] = error.get("Code")
        told["message"] = str(error.get("Message", ""))[:300]
        reasons = result.get("ThrottlingReasons") or result.get("throttlingReasons") or []
        if reasons:
            told["limit"] = str(reasons[0].get("reason", ""))
        cancelled = result.get("CancellationReasons")
        if isinstance(cancelled, list):
            told["reasons"] = [str(r.get("Code")) for r in cancelled if isinstance(r, dict)]
        if seen is not None:
            told["size"] = seen["ItemBytes"]
        return told
    if seen is not None:
        told.update(
            size=seen["ItemBytes"],
            old_size=seen["OldItemBytes"],
            existed=seen["Exists"],
            changes=seen["Changes"],
            indexes=[[i["IndexName"], i["Units"]] for i in seen["IndexUnits"]],
        )
    if action == "GetItem":
        told["found"] = "Item" in result
        told["consistent"] = step.get("ConsistentRead") is True
        # A strongly consistent look just before: a different answer is a stale read.
        told["stale"] = (
            seen is not None
            and "ProjectionExpression" not in step
            and result.get("Item") != seen["Item"]
        )
        if told["found"]:
            told["size"] = _size(result["Item"])
    elif action in ("Query", "Scan"):
        told.update(
            index=step.get("IndexName") or "",
            scanned=result.get("ScannedCount", 0),
            count=result.get("Count", 0),
            bytes=sum(r["Size"] for r in reads),
            filtered="FilterExpression" in step,
            more="LastEvaluatedKey" in result,
            consistent=step.get("ConsistentRead") is True,
        )
    elif action == "BatchWriteItem":
        told.update(
            requests=_count(step.get("RequestItems")), left=_count(result.get("UnprocessedItems"))
        )
    elif action == "BatchGetItem":
        told.update(
            requests=_count(step.get("RequestItems")),
            left=_count(result.get("UnprocessedKeys")),
            found=sum(len(v) for v in (result.get("Responses") or {}).values()),
        )
    elif action in ("TransactWriteItems", "TransactGetItems"):
        told["requests"] = len(step.get("TransactItems") or [])
        told["repeat"] = bool(step.get("ClientRequestToken")) and not told["wcu"]
    elif action in ("CreateTable", "UpdateTable"):
        told.update(_table_facts(engine, told["table"]))
    elif action == "UpdateTimeToLive":
        spec = step.get("TimeToLiveSpecification") or {}
        told.update(enabled=spec.get("Enabled") is True, attribute=str(spec.get("AttributeName")))
    elif action == "Workload":
        told.update(
            operation=step.get("Operation", "PutItem"),
            requests=result.get("Requests", 0),
            succeeded=result.get("Succeeded", 0),
            throttles=result.get("Throttled", 0),
            seconds=len(result.get("PerSecond") or []),
        )
    return told


def _table_facts(engine: DynamoDB, name: str) -> dict[str, Any]:
    try:
        capacity = table_view(engine, name, keys_shown=0)["Capacity"]
    except DynamoDBError:
        return {}
    return {
        "mode": capacity["BillingMode"],
        "read": capacity["ReadCapacityUnits"],
        "write": capacity["WriteCapacityUnits"],
        "partitions": capacity["Partitions"],
    }


def read_summary(
    step: dict[str, Any], result: dict[str, Any], told: dict[str, Any], reads: list[dict[str, Any]]
) -> dict[str, Any]:
    """What the page explains of the last Query or Scan: what it read, what it returned."""
    items = result.get("Items") or []
    return {
        **told,
        "request": for_log(step),
        "key_condition": str(step.get("KeyConditionExpression") or ""),
        "filter": str(step.get("FilterExpression") or ""),
        "projection": str(step.get("ProjectionExpression") or ""),
        "limit": step.get("Limit"),
        "select": str(step.get("Select") or ""),
        "last_key": result.get("LastEvaluatedKey"),
        "reads": [
            [r["PartName"][:12], r["Size"], r["Kept"], " / ".join(map(plain, r["Key"].values()))]
            for r in reads
        ],
        "items": for_log(items[:SHOWN_ITEMS]),
        "items_left": max(0, len(items) - SHOWN_ITEMS),
    }
