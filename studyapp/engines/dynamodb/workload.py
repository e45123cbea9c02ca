"""The ``Workload`` step: steady traffic against a table, to show throttling and hot keys.

``{"Action": "Workload", "TableName": "t", "Operation": "PutItem", "RequestsPerSecond": 1500,
"Seconds": 2, "ItemSize": 1000, "Keys": 1000, "HotKey": "tenant-1", "HotShare": 0.6,
"Seed": 1}`` sends ``RequestsPerSecond`` requests a second, evenly spread, for ``Seconds``
seconds of the virtual clock (which moves on accordingly). Each request is a PutItem (an item
of about ``ItemSize`` bytes) or a GetItem (``ConsistentRead`` optional) of one of ``Keys``
partition keys ``key-0``... chosen by a seeded generator, or of ``HotKey`` with probability
``HotShare``. The result counts the requests that succeeded and throttled, overall, per second
and per partition, with the capacity consumed. Not an AWS action: a simulator control, like
``Advance``.
"""

from __future__ import annotations

import base64
import random
from typing import Any

from . import items
from .errors import THROTTLING, THROUGHPUT_EXCEEDED, DynamoDBError, validation
from .keys import key_hash
from .params import check_known, integer

PARAMETERS = frozenset(
    {
        "TableName",
        "Operation",
        "RequestsPerSecond",
        "Seconds",
        "ItemSize",
        "Keys",
        "HotKey",
        "HotShare",
        "Seed",
        "ConsistentRead",
    }
)
MAX_REQUESTS = 100_000


def _value(kind: str, text: str) -> dict[str, str]:
    if kind == "S":
        return {"S": text}
    if kind == "N":
        return {"N": str(int.from_bytes(text.encode(), "big") % 10**30)}
    return {"B": base64.b64encode(text.encode()).decode()}


def run(engine: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_known(params, PARAMETERS)
    table = engine.table_for(params)
    operation = params.get("Operation", "PutItem")
    if operation not in ("PutItem", "GetItem"):
        raise validation("Operation must be PutItem or GetItem")
    rate = integer(params, "RequestsPerSecond", 1, MAX_REQUESTS)
    seconds = integer(params, "Seconds", 1, 3600, 1)
    if rate is None:
        raise validation("RequestsPerSecond is required")
    if rate * seconds > MAX_REQUESTS:  # type: ignore[operator]
        raise validation(f"A workload sends at most {MAX_REQUESTS} requests")
    size = integer(params, "ItemSize", 1, 400 * 1024, 100)
    key_count = integer(params, "Keys", 1, 1_000_000, 1000)
    hot_key = params.get("HotKey")
    share = params.get("HotShare", 0.0 if hot_key is None else 1.0)
    if hot_key is not None and not isinstance(hot_key, str):
        raise validation("HotKey must be a string")
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        raise validation("HotShare must be a number from 0 to 1")
    consistent = params.get("ConsistentRead", False)
    if not isinstance(consistent, bool):
        raise validation("ConsistentRead must be a boolean")
    generator = random.Random(integer(params, "Seed", 0, 2**31 - 1, 0))
    schema = table.schema
    start = engine.clock.now()
    partitions: dict[int, dict[str, Any]] = {}
    per_second: list[dict[str, Any]] = []
    totals = {"Requests": 0, "Succeeded": 0, "Throttled": 0, "ConsumedCapacityUnits": 0.0}
    for second in range(seconds):  # type: ignore[arg-type]
        tally = {"Second": second, "Succeeded": 0, "Throttled": 0}
        per_second.append(tally)
        for n in range(rate):
            engine.clock.advance_to(start + second + n / rate)
            engine.catch_up()
            if hot_key is not None and generator.random() < share:
                name = hot_key
            else:
                name = f"key-{generator.randrange(key_count)}"  # type: ignore[arg-type]
            key = {schema.hash_name: _value(schema.hash_type, name)}
            if schema.range_name is not None:
                key[schema.range_name] = _value(schema.range_type, "0")  # type: ignore[arg-type]
            partition = table.throughput.partition_of(
                key_hash(schema.hash_type, key[schema.hash_name][schema.hash_type])
            )
            row = partitions.setdefault(
                partition,
                {
                    "Partition": partition,
                    "Requests": 0,
                    "Throttled": 0,
                    "ConsumedCapacityUnits": 0.0,
                },
            )
            row["Requests"] += 1
            totals["Requests"] += 1
            request: dict[str, Any] = {"TableName": table.name, "ReturnConsumedCapacity": "TOTAL"}
            try:
                if operation == "PutItem":
                    padding = max(0, size - sum(len(k) + 16 for k in key) - 4)  # type: ignore[operator]
                    request["Item"] = {**key, "data": {"S": "x" * padding}}
                    result = items.put_item(engine, request)
                else:
                    request.update(Key=key, ConsistentRead=consistent)
                    result = items.get_item(engine, request)
            except DynamoDBError as error:
                if error.code not in (THROUGHPUT_EXCEEDED, THROTTLING):
                    raise
                row["Throttled"] += 1
                tally["Throttled"] += 1
                totals["Throttled"] += 1
                continue
            units = result["ConsumedCapacity"]["CapacityUnits"]
            row["ConsumedCapacityUnits"] += units
            totals["ConsumedCapacityUnits"] += units
            tally["Succeeded"] += 1
            totals["Succeeded"] += 1
    engine.clock.advance_to(start + seconds)  # type: ignore[operator]
    engine.catch_up()
    return {
        **totals,
        "TablePartitions": table.throughput.partitions,
        "PerSecond": per_second,
        "Partitions": [partitions[p] for p in sorted(partitions)],
    }
