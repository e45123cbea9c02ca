"""BatchGetItem and BatchWriteItem (API Reference).

Each item of a batch is its own GetItem, PutItem or DeleteItem for capacity ("DynamoDB processes
each item in the batch as an individual GetItem request", rounded per item). Items that throttle
are returned in ``UnprocessedKeys``/``UnprocessedItems`` for the caller to retry with backoff;
"If none of the items can be processed due to insufficient provisioned throughput on all of the
tables in the request", the whole call fails with the throttling error. A batch may not name the
same item twice, and at most 100 keys (BatchGetItem) or 25 requests (BatchWriteItem).
"""

from __future__ import annotations

from typing import Any

from . import limits
from .access import admit, read_entry
from .capacity import Consumed, read_factor, read_units
from .errors import DynamoDBError, key_mismatch, validation
from .expressions import Expressions, project
from .items import checked_item
from .params import check_known, mapping, return_capacity
from .writes import Write, throttle_error

GET_TABLE_PARAMETERS = frozenset(
    {"Keys", "ProjectionExpression", "ExpressionAttributeNames", "ConsistentRead"}
)


def _requests(params: dict[str, Any]) -> dict[str, Any]:
    requests = mapping(params, "RequestItems")
    if not requests:
        raise validation(
            "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy "
            "constraint: Member must have length greater than or equal to 1"
        )
    return requests  # type: ignore[return-value]


def batch_get_item(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, {"RequestItems", "ReturnConsumedCapacity"})
    requests = _requests(params)
    mode = return_capacity(params)
    plans = []
    total = 0
    for name, request in requests.items():
        table = engine.table_for({"TableName": name})
        if not isinstance(request, dict):
            raise validation(f"Invalid request for table {name}")
        check_known(request, GET_TABLE_PARAMETERS)
        keys = request.get("Keys")
        if not isinstance(keys, list) or not keys:
            raise validation("The list of Keys must contain at least one key")
        total += len(keys)
        if total > limits.BATCH_GET_MAX_KEYS:
            raise validation("Too many items requested for the BatchGetItem call")
        expressions = Expressions(request)
        paths = expressions.projection(request.get("ProjectionExpression"))
        expressions.done()
        consistent = request.get("ConsistentRead", False)
        if not isinstance(consistent, bool):
            raise validation("ConsistentRead must be a boolean")
        seen = set()
        parsed = []
        for key in keys:
            key_item, pk, sk = table.schema.request_key(key)
            if (pk, sk) in seen:
                raise validation("Provided list of item keys contains duplicates")
            seen.add((pk, sk))
            parsed.append((key, key_item, pk, sk))
        plans.append((table, request, paths, consistent, parsed))
    consumed = Consumed()
    responses: dict[str, list[Any]] = {}
    unprocessed: dict[str, Any] = {}
    reasons: list[Any] = []
    processed = 0
    returned = 0
    now = engine.clock.now()
    for table, request, paths, consistent, parsed in plans:
        responses[table.name] = []
        consumed.add(table.name, 0.0, "read")
        for raw_key, key_item, pk, sk in parsed:
            partition = table.throughput.partition_of(table.hash_of(pk, key_item))
            try:
                if returned > limits.BATCH_GET_MAX_BYTES:
                    raise DynamoDBError("ResponseTooBig", "16 MB of results reached")
                admit(table, table.throughput, "read", partition, now)
            except DynamoDBError as error:
                if error.code != "ResponseTooBig":
                    reasons += error.extra.get("ThrottlingReasons") or error.extra.get(
                        "throttlingReasons", []
                    )
                entry = dict(request)
                entry["Keys"] = [*unprocessed.get(table.name, {}).get("Keys", []), raw_key]
                unprocessed[table.name] = entry
                continue
            found = read_entry(engine, table, pk, sk, consistent)
            units = read_units(found[1] if found is not None else 0, read_factor(consistent))
            table.throughput.charge("read", partition, units, now)
            consumed.add(table.name, units, "read")
            processed += 1
            if found is not None:
                returned += found[1]
                item = project(found[0], paths) if paths is not None else dict(found[0])
                responses[table.name].append(item)
    if not processed and reasons:
        first = plans[0][0]
        raise throttle_error(first.throughput.mode, [(r["reason"], r["resource"]) for r in reasons])
    result: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": unprocessed}
    result.update(consumed.multiple(mode))
    return result


def batch_write_item(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, {"RequestItems", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics"})
    requests = _requests(params)
    mode = return_capacity(params)
    plans = []
    total = 0
    size_total = 0
    for name, entries in requests.items():
        table = engine.table_for({"TableName": name})
        if not isinstance(entries, list) or not entries:
            raise validation(f"The list of write requests for table {name} must not be empty")
        total += len(entries)
        if total > limits.BATCH_WRITE_MAX_REQUESTS:
            raise validation(
                "1 validation error detected: Value at 'requestItems' failed to satisfy "
                "constraint: Map value must satisfy constraint: [Member must have length less "
                "than or equal to 25, Member must have length greater than or equal to 1]"
            )
        seen = set()
        for request in entries:
            if not isinstance(request, dict) or len(request) != 1:
                raise validation("A write request has exactly one PutRequest or DeleteRequest")
            if "PutRequest" in request:
                body = request["PutRequest"]
                if not isinstance(body, dict) or set(body) != {"Item"}:
                    raise validation("A PutRequest has exactly one Item")
                item, size, pk, sk = checked_item(body["Item"], table)
                key = table.schema.key_of(item)
                size_total += size
            elif "DeleteRequest" in request:
                body = request["DeleteRequest"]
                if not isinstance(body, dict) or set(body) != {"Key"}:
                    raise key_mismatch()
                key, pk, sk = table.schema.request_key(body["Key"])
                item, size = None, 0
            else:
                raise validation("A write request has exactly one PutRequest or DeleteRequest")
            if (pk, sk) in seen:
                raise validation("Provided list of item keys contains duplicates")
            seen.add((pk, sk))
            plans.append((table, request, key, pk, sk, item, size))
    if size_total > limits.BATCH_GET_MAX_BYTES:
        raise validation("Item size has exceeded the maximum allowed size of a batch (16 MB)")
    consumed = Consumed()
    unprocessed: dict[str, list[Any]] = {}
    reasons: list[Any] = []
    processed = 0
    now = engine.clock.now()
    for name in requests:
        consumed.add(engine.table_for({"TableName": name}).name, 0.0, "write")
    for table, request, key, pk, sk, item, size in plans:
        write = Write(table, key, pk, sk, table.entry(pk, sk), item, size)
        found = write.reasons(now)
        if found:
            reasons += found
            unprocessed.setdefault(table.name, []).append(request)
            continue
        write.check_collection()
        write.charge(consumed, now)
        write.commit(engine)
        processed += 1
    if not processed and reasons:
        raise throttle_error(plans[0][0].throughput.mode, reasons)
    result: dict[str, Any] = {"UnprocessedItems": unprocessed}
    result.update(consumed.multiple(mode))
    return result
