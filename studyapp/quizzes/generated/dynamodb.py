"""DynamoDB: capacity units of a read or write, Query against Scan, conditional writes.

The DynamoDB engine answers (its ReturnConsumedCapacity, its ConditionalCheckFailedException);
distractors are its answers with a misconception applied: an eventually consistent read
thought to cost as much as a strong one (or the reverse), a transaction thought to cost the
same as a plain call, BatchGetItem thought to round the total, an update thought to count
only the new item or the changed attribute, a filter thought to save capacity, a condition
checked against the new values, a failed condition thought to write anyway.
"""

from __future__ import annotations

import copy
import json
import math
import random

from studyapp.engines.dynamodb import DynamoDB, check_item

from .base import Generated, Retry, and_list, pick_options, run_attempts

KIND = "dynamodb"
TASK = "1.3"  # the exam guide task statement its questions practise
TABLE = "Orders"
PAD = "details"
SOURCES = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html",
)
CUSTOMERS = ["alice", "bob", "carol", "dan"]


def _engine(items: list[dict]) -> DynamoDB:
    engine = DynamoDB()
    engine.call(
        "CreateTable",
        {
            "TableName": TABLE,
            "AttributeDefinitions": [
                {"AttributeName": "customer", "AttributeType": "S"},
                {"AttributeName": "order_id", "AttributeType": "N"},
            ],
            "KeySchema": [
                {"AttributeName": "customer", "KeyType": "HASH"},
                {"AttributeName": "order_id", "KeyType": "RANGE"},
            ],
            "ProvisionedThroughput": {"ReadCapacityUnits": 100, "WriteCapacityUnits": 100},
        },
    )
    for item in items:
        engine.call("PutItem", {"TableName": TABLE, "Item": item})
    return engine


def _sized(customer: str, order_id: int, size: int, **attributes) -> dict:
    """An item of exactly ``size`` bytes (attribute names plus values), padded by `details`."""
    base = {"customer": {"S": customer}, "order_id": {"N": str(order_id)}}
    for name, value in attributes.items():
        base[name] = {"N": str(value)} if isinstance(value, int) else {"S": value}
    room = size - check_item(base)[1] - len(PAD)
    if room < 1:
        raise Retry
    item = {**base, PAD: {"S": "x" * room}}
    assert check_item(item)[1] == size
    return item


def _key(item: dict) -> dict:
    return {"customer": item["customer"], "order_id": item["order_id"]}


def _units(result: dict) -> float:
    consumed = result["ConsumedCapacity"]
    if isinstance(consumed, list):
        return sum(entry["CapacityUnits"] for entry in consumed)
    return consumed["CapacityUnits"]


def _n(value: float) -> str:
    return f"{value:g}"


def _a(words: str) -> str:
    return ("An " if words[0] in "aeiou" else "A ") + words


def _compact_json(data: dict) -> str:
    """One line per top-level key: a request reads at a glance."""
    rows = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in data.items()]
    return "{\n" + ",\n".join(rows) + "\n}"


def _bytes(size: int) -> str:
    return f"{size:,} bytes"


# Capacity of one operation ------------------------------------------------------------------

READS = ("get", "transact-get", "batch-get")
WRITES = ("put-new", "put-replace", "update", "delete", "transact-put")


def _capacity(scenario: dict, *, op: str | None = None, consistent=None) -> float:
    """Run the scenario's operation (or another) and return the units the engine reports."""
    op = op or scenario["op"]
    consistent = scenario["consistent"] if consistent is None else consistent
    stored = [json.loads(text) for text in scenario["stored"]]
    engine = _engine(stored)
    target = json.loads(scenario["target"]) if scenario["target"] else None
    total = {"ReturnConsumedCapacity": "TOTAL"}
    if op == "get":
        result = engine.call(
            "GetItem",
            {"TableName": TABLE, "Key": _key(stored[0]), "ConsistentRead": consistent, **total},
        )
    elif op == "transact-get":
        result = engine.call(
            "TransactGetItems",
            {"TransactItems": [{"Get": {"TableName": TABLE, "Key": _key(stored[0])}}], **total},
        )
    elif op == "batch-get":
        keys = [_key(item) for item in stored]
        result = engine.call(
            "BatchGetItem",
            {"RequestItems": {TABLE: {"Keys": keys, "ConsistentRead": consistent}}, **total},
        )
    elif op == "query-same":  # the batch's items read by one Query: the total rounded once
        result = engine.call(
            "Query",
            {
                "TableName": TABLE,
                "KeyConditionExpression": "customer = :c",
                "ExpressionAttributeValues": {":c": stored[0]["customer"]},
                "ConsistentRead": consistent,
                **total,
            },
        )
    elif op in ("put-new", "put-replace", "put-empty"):
        if op == "put-empty":
            engine = _engine([])
        result = engine.call("PutItem", {"TableName": TABLE, "Item": target, **total})
    elif op == "update":
        result = engine.call(
            "UpdateItem",
            {
                "TableName": TABLE,
                "Key": _key(stored[0]),
                "UpdateExpression": "SET notes = :n",
                "ExpressionAttributeValues": {":n": target["notes"]},
                **total,
            },
        )
    elif op == "delete":
        result = engine.call("DeleteItem", {"TableName": TABLE, "Key": _key(stored[0]), **total})
    elif op == "transact-put":
        result = engine.call(
            "TransactWriteItems",
            {"TransactItems": [{"Put": {"TableName": TABLE, "Item": target}}], **total},
        )
    else:  # pragma: no cover - the ops above are the whole list
        raise ValueError(op)
    return _units(result)


def _unit_text(value: float, op: str) -> str:
    name = "RCU" if op in READS or op == "query-same" else "WCU"
    return f"{_n(value)} {name}{'' if value == 1 else 's'}"


def _solve_capacity(scenario: dict) -> str:
    return _unit_text(_capacity(scenario), scenario["op"])


def _draw_capacity(rng: random.Random, seed: int) -> Generated:
    op = rng.choice([*READS, *WRITES])
    consistent = op == "transact-get" or (op in ("get", "batch-get") and rng.random() < 0.5)
    size = rng.choice(range(600, 24_000, 100))
    stored: list[dict] = []
    target = None
    customer = rng.choice(CUSTOMERS)
    if op in ("get", "transact-get", "delete"):
        stored = [_sized(customer, 1, size, status="open")]
    elif op == "batch-get":
        stored = [
            _sized(customer, n, rng.choice(range(600, 9_000, 100)), status="open")
            for n in range(1, rng.choice([3, 4]))
        ]
    elif op in ("put-new", "transact-put"):
        target = _sized(customer, 1, size, status="open")
    elif op == "put-replace":
        stored = [_sized(customer, 1, size, status="open")]
        target = _sized(customer, 1, rng.choice(range(600, 24_000, 100)), status="shipped")
    else:  # update: the item grows by a `notes` attribute
        stored = [_sized(customer, 1, size, status="open")]
        grown = rng.choice(range(300, 6_000, 100))
        target = {"notes": {"S": "n" * grown}}
    scenario = {
        "shape": "capacity",
        "op": op,
        "consistent": consistent,
        "stored": [json.dumps(item, sort_keys=True) for item in stored],
        "target": json.dumps(target, sort_keys=True) if target else "",
    }
    units = _capacity(scenario)
    answer = _unit_text(units, op)
    sizes = [check_item(item)[1] for item in stored]
    misconceptions = _capacity_misconceptions(scenario, op, consistent, sizes, target)
    rng.shuffle(misconceptions)
    fillers = []
    step = 0.5 if op in READS and not consistent else 1
    for value in (units + step, units - step, units * 2, units + 2 * step, units / 2):
        if value > 0 and value != units and (value * 2) == int(value * 2):
            fillers.append(
                (
                    _unit_text(value, op),
                    f"The simulator reports {answer}: see the arithmetic in the explanation.",
                )
            )
    options = pick_options(rng, answer, misconceptions, fillers)
    stem, explanation = _capacity_text(scenario, op, consistent, stored, target, sizes, answer)
    return _question(seed, scenario, "capacity", stem, options, explanation, answer, 2)


def _capacity_misconceptions(scenario, op, consistent, sizes, target) -> list[tuple[str, str]]:
    out = []
    if op in ("get", "batch-get"):
        flipped = _capacity(scenario, consistent=not consistent)
        why = (
            "This prices the eventually consistent read as a strongly consistent one: an "
            "eventually consistent read costs half."
            if not consistent
            else "This prices the strongly consistent read as an eventually consistent one: "
            "ConsistentRead=true costs twice as much."
        )
        out.append((_unit_text(flipped, op), why))
    if op == "transact-get":
        out.append(
            (
                _unit_text(_capacity(scenario, op="get", consistent=True), op),
                "This prices a transactional read as a plain strongly consistent read: "
                "TransactGetItems costs twice as much.",
            )
        )
    if op == "transact-put":
        out.append(
            (
                _unit_text(_capacity(scenario, op="put-new"), op),
                "This prices a transactional write as a plain PutItem: TransactWriteItems "
                "costs twice as much.",
            )
        )
    if op == "batch-get":
        out.append(
            (
                _unit_text(_capacity(scenario, op="query-same"), op),
                "This adds up the sizes before rounding, as Query does. BatchGetItem rounds "
                "each item up to the next 4 KB.",
            )
        )
    if op in ("put-replace", "update"):
        new_item = copy.deepcopy(json.loads(scenario["stored"][0]))
        if op == "put-replace":
            new_item = json.loads(scenario["target"])
        else:
            new_item["notes"] = target["notes"]
        only_new = {**scenario, "target": json.dumps(new_item, sort_keys=True)}
        out.append(
            (
                _unit_text(_capacity(only_new, op="put-empty"), op),
                "This counts only the item as written. A write that replaces or updates an "
                "item costs the larger of the item before and after.",
            )
        )
    if op == "update":
        changed = {**json.loads(scenario["stored"][0])}
        changed = {"customer": changed["customer"], "order_id": changed["order_id"], **target}
        only_change = {**scenario, "target": json.dumps(changed, sort_keys=True)}
        out.append(
            (
                _unit_text(_capacity(only_change, op="put-empty"), op),
                "This counts only the attribute that changed. UpdateItem costs the size of the "
                "whole item (the larger of before and after).",
            )
        )
    if op == "delete":
        out.append(
            (
                _unit_text(1, op),
                "This prices every delete at 1 unit. DeleteItem costs the size of the item it "
                "deletes, in 1 KB blocks.",
            )
        )
    if op in READS:
        factor = 2 if op == "transact-get" else (1 if consistent else 0.5)
        per_kb = sum(math.ceil(size / 1024) for size in sizes) * factor
        out.append(
            (
                _unit_text(per_kb, op),
                "This counts reads in 1 KB blocks, as writes are. A read capacity unit covers "
                "up to 4 KB.",
            )
        )
    else:
        size = _write_size(scenario, op, sizes, target)
        factor = 2 if op == "transact-put" else 1
        out.append(
            (
                _unit_text(math.ceil(size / 4096) * factor, op),
                "This counts writes in 4 KB blocks, as reads are. A write capacity unit covers "
                "up to 1 KB.",
            )
        )
    return out


def _write_size(scenario, op, sizes, target) -> int:
    if op in ("put-new", "transact-put"):
        return check_item(target)[1]
    if op == "delete":
        return sizes[0]
    if op == "put-replace":
        return max(sizes[0], check_item(target)[1])
    return sizes[0] + len("notes") + len(target["notes"]["S"])


def _capacity_text(scenario, op, consistent, stored, target, sizes, answer) -> tuple[str, str]:
    intro = (
        f"The table `{TABLE}` (partition key `customer`, sort key `order_id`) uses provisioned "
        "capacity. Item sizes below count attribute names and values, as DynamoDB does."
    )
    read_kind = "strongly consistent" if consistent else "eventually consistent"
    if op == "get":
        action = f"{_a(read_kind)} GetItem reads one item of {_bytes(sizes[0])}."
    elif op == "transact-get":
        action = f"A TransactGetItems call reads one item of {_bytes(sizes[0])}."
    elif op == "batch-get":
        action = (
            f"{_a(read_kind)} BatchGetItem reads {len(sizes)} items of "
            f"{and_list([_bytes(size) for size in sizes])}."
        )
    elif op == "put-new":
        action = f"A PutItem writes a new item of {_bytes(check_item(target)[1])}."
    elif op == "transact-put":
        action = f"A TransactWriteItems call puts one new item of {_bytes(check_item(target)[1])}."
    elif op == "put-replace":
        action = (
            f"A PutItem replaces an item of {_bytes(sizes[0])} with a new version of "
            f"{_bytes(check_item(target)[1])}."
        )
    elif op == "update":
        added = len("notes") + len(target["notes"]["S"])
        action = (
            f"An UpdateItem adds a `notes` attribute of {_bytes(added)} (name and value) to an "
            f"item of {_bytes(sizes[0])}."
        )
    else:
        action = f"A DeleteItem deletes an item of {_bytes(sizes[0])}."
    unit = "read" if op in READS else "write"
    stem = f"{intro} {action}\n\nHow many {unit} capacity units does the call consume?"
    if op in READS:
        blocks = [math.ceil(size / 4096) for size in sizes]
        factor = {"transact-get": 2, "get": 1 if consistent else 0.5}.get(
            op, 1 if consistent else 0.5
        )
        explanation = (
            "Reads are counted in 4 KB (4,096-byte) blocks, each item rounded up: "
            + and_list(
                [
                    f"{_bytes(size)} → {n} block{'s' if n > 1 else ''}"
                    for size, n in zip(sizes, blocks, strict=True)
                ]
            )
            + ". "
            + {
                "transact-get": "A transactional read costs 2 units per block",
                "get": f"{_a(read_kind)} read costs {_n(factor)} unit per block",
                "batch-get": f"{_a(read_kind)} read costs {_n(factor)} unit per block",
            }[op]
            + f", so the simulator reports {answer}.\n\nSo the answer is: {answer}."
        )
    else:
        size = _write_size(scenario, op, sizes, target)
        blocks = math.ceil(size / 1024)
        basis = {
            "put-replace": "the larger of the item before and after",
            "update": "the larger of the item before and after the update",
            "delete": "the size of the deleted item",
        }.get(op, "the size of the new item")
        cost = "2 units per block (a transaction)" if op == "transact-put" else "1 unit per block"
        explanation = (
            f"Writes are counted in 1 KB (1,024-byte) blocks of {basis}: {_bytes(size)} → "
            f"{blocks} block{'s' if blocks > 1 else ''}, at {cost}, so the simulator reports "
            f"{answer}.\n\nSo the answer is: {answer}."
        )
    return stem, explanation


# Query or Scan? -----------------------------------------------------------------------------


def _read_both(scenario: dict, *, items=None, consistent=None) -> tuple[float, float]:
    items = [json.loads(text) for text in (items if items is not None else scenario["items"])]
    consistent = scenario["consistent"] if consistent is None else consistent
    engine = _engine(items)
    names = {"#s": "status"}
    values = {":c": {"S": scenario["customer"]}, ":s": {"S": scenario["status"]}}
    common = {"ConsistentRead": consistent, "ReturnConsumedCapacity": "TOTAL"}
    query = engine.call(
        "Query",
        {
            "TableName": TABLE,
            "KeyConditionExpression": "customer = :c",
            "FilterExpression": "#s = :s",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            **common,
        },
    )
    scan = engine.call(
        "Scan",
        {
            "TableName": TABLE,
            "FilterExpression": "customer = :c AND #s = :s",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            **common,
        },
    )
    return _units(query), _units(scan)


def _both_text(query: float, scan: float) -> str:
    return f"Query {_unit_text(query, 'get')}, Scan {_unit_text(scan, 'get')}"


def _solve_query_scan(scenario: dict) -> str:
    return _both_text(*_read_both(scenario))


def _draw_query_scan(rng: random.Random, seed: int) -> Generated:
    customer = rng.choice(CUSTOMERS)
    status = rng.choice(["open", "shipped"])
    items = []
    counts: dict[str, int] = {}
    for _ in range(rng.choice([6, 7, 8])):
        who = rng.choice([customer, customer, *CUSTOMERS])
        counts[who] = counts.get(who, 0) + 1
        items.append(
            _sized(
                who,
                100 + counts[who],
                rng.choice(range(600, 7_000, 100)),
                status=rng.choice(["open", "shipped"]),
            )
        )
    if counts.get(customer, 0) < 2:
        raise Retry
    scenario = {
        "shape": "query-scan",
        "customer": customer,
        "status": status,
        "consistent": rng.random() < 0.35,
        "items": [json.dumps(item, sort_keys=True) for item in items],
    }
    query, scan = _read_both(scenario)
    answer = _both_text(query, scan)
    matching = [
        json.dumps(item, sort_keys=True)
        for item in items
        if item["customer"]["S"] == customer and item["status"]["S"] == status
    ]
    misconceptions = [
        (
            _both_text(*_read_both(scenario, items=matching)),
            "This counts only the items the filter keeps. Capacity is consumed by every item "
            "read; a FilterExpression is applied afterwards and saves nothing.",
        ),
        (
            _both_text(*_read_both(scenario, consistent=not scenario["consistent"])),
            "This gets the read consistency wrong: Query and Scan are eventually consistent "
            "(half price) unless ConsistentRead is true.",
        ),
        (
            _both_text(query, query),
            "This assumes the Scan reads only that customer's items. A Scan reads the whole "
            "table; its filter narrows only what it returns.",
        ),
    ]
    factor = 1 if scenario["consistent"] else 0.5
    per_item_query = sum(
        math.ceil(check_item(item)[1] / 4096) for item in items if item["customer"]["S"] == customer
    )
    per_item_scan = sum(math.ceil(check_item(item)[1] / 4096) for item in items)
    misconceptions.append(
        (
            _both_text(per_item_query * factor, per_item_scan * factor),
            "This rounds each item up to 4 KB, as GetItem and BatchGetItem do. Query and Scan "
            "add up the sizes of the items read and round the total once.",
        )
    )
    rng.shuffle(misconceptions)
    step = factor
    fillers = [
        (
            _both_text(query + step, scan),
            "The Query reads only this customer's items: see their total in the explanation.",
        ),
        (
            _both_text(query, scan - step),
            "The Scan reads every item of the table: see the total in the explanation.",
        ),
    ]
    options = pick_options(rng, answer, misconceptions, fillers)
    consistency = (
        "strongly consistent (ConsistentRead true)"
        if scenario["consistent"]
        else "eventually consistent (the default)"
    )
    lines = [
        f"The table `{TABLE}` has partition key `customer` and sort key `order_id`, and "
        "holds these items (sizes count attribute names and values):",
        "",
        "| customer | order_id | status | size |",
        "|---|---|---|---|",
    ]
    for item in items:
        lines.append(
            f"| {item['customer']['S']} | {item['order_id']['N']} | {item['status']['S']} | "
            f"{_bytes(check_item(item)[1])} |"
        )
    lines += [
        "",
        f"A report needs {customer}'s {status} orders. One developer proposes a Query on "
        f"`customer = {customer}` with the FilterExpression `status = {status}`; another, a "
        f"Scan with the FilterExpression `customer = {customer} AND status = {status}`. Both "
        f"are {consistency}, and the table is small enough to be one partition.",
        "",
        "How many read capacity units does each consume?",
    ]
    mine = [check_item(item)[1] for item in items if item["customer"]["S"] == customer]
    everything = [check_item(item)[1] for item in items]
    explanation = (
        f"The Query reads all of {customer}'s items before filtering: "
        f"{' + '.join(f'{size:,}' for size in mine)} = {sum(mine):,} bytes, rounded up once to "
        f"{math.ceil(sum(mine) / 4096)} blocks of 4 KB. The Scan reads every item: "
        f"{sum(everything):,} bytes, {math.ceil(sum(everything) / 4096)} blocks. "
        f"{'A strongly consistent read costs 1 unit' if scenario['consistent'] else 'An eventually consistent read costs 0.5 unit'} "
        f"per block; the filters change what is returned, not what is consumed.\n\n"
        f"So the answer is: {answer}."
    )
    return _question(
        seed, scenario, "query-scan", "\n".join(lines), options, explanation, answer, 2
    )


# Conditional writes -------------------------------------------------------------------------

WRITES_CONDITIONAL = {
    "version": (
        "UpdateItem",
        "SET version = version + :one, #s = :new",
        "version = :expected",
    ),
    "create": ("PutItem", None, "attribute_not_exists(order_id)"),
    "total": ("UpdateItem", "SET #t = :total", "#t < :limit"),
    "coupon": ("UpdateItem", "SET #t = :total", "discount < :limit"),
    "cancel": ("DeleteItem", None, "#s = :cancelled"),
}


def _write_params(scenario: dict, *, conditional: bool = True) -> tuple[str, dict]:
    action, update, condition = WRITES_CONDITIONAL[scenario["write"]]
    values = json.loads(scenario["values"])
    key = {"customer": {"S": scenario["customer"]}, "order_id": {"N": str(scenario["order"])}}
    params: dict = {"TableName": TABLE}
    used_values = {}
    expressions = []
    if action == "PutItem":
        params["Item"] = json.loads(scenario["new_item"])
    else:
        params["Key"] = key
    if update:
        params["UpdateExpression"] = update
        expressions.append(update)
    if conditional:
        params["ConditionExpression"] = condition
        expressions.append(condition)
    for name, value in values.items():
        if any(name in text for text in expressions):
            used_values[name] = value
    if used_values:
        params["ExpressionAttributeValues"] = used_values
    names = {
        alias: name
        for alias, name in (("#s", "status"), ("#t", "total"))
        if any(alias in text for text in expressions)
    }
    if names:
        params["ExpressionAttributeNames"] = names
    return action, params


def _write(scenario: dict, *, existing=None, conditional: bool = True) -> tuple[bool, dict | None]:
    """(did the write happen, the item afterwards) as the engine says."""
    stored = json.loads(existing if existing is not None else scenario["existing"])
    engine = _engine([stored] if stored else [])
    action, params = _write_params(scenario, conditional=conditional)
    result = engine.apply({"Action": action, **params})
    ok = "Error" not in result
    if not ok and result["Error"]["Code"] != "ConditionalCheckFailedException":
        raise RuntimeError(result["Error"])  # a scenario the generator should never build
    after = engine.call(
        "GetItem",
        {
            "TableName": TABLE,
            "Key": {
                "customer": {"S": scenario["customer"]},
                "order_id": {"N": str(scenario["order"])},
            },
            "ConsistentRead": True,
        },
    ).get("Item")
    return ok, after


def _state(item: dict | None) -> str:
    if item is None:
        return "no item is left under that key"
    parts = [f"status {item['status']['S']}"]
    for name in ("version", "total", "discount"):
        if name in item:
            parts.append(f"{name} {item[name]['N']}")
    return "the item has " + and_list(parts)


def _outcome_text(ok: bool, after: dict | None) -> str:
    # Both heads are 45 characters: the outcome must not be guessable from the option's length.
    head = (
        "The write succeeds with HTTP 200 and no error"
        if ok
        else "It fails with ConditionalCheckFailedException"
    )
    return f"{head}; {_state(after)}"


def _solve_conditional(scenario: dict) -> str:
    return _outcome_text(*_write(scenario))


def _draw_conditional(rng: random.Random, seed: int) -> Generated:
    write = rng.choice(sorted(WRITES_CONDITIONAL))
    customer = rng.choice(CUSTOMERS)
    order = rng.choice(range(100, 130))
    version = rng.choice(range(2, 9))
    total = rng.choice(range(20, 200, 5))
    status = rng.choice(["open", "shipped", "cancelled"])
    existing: dict | None = {
        "customer": {"S": customer},
        "order_id": {"N": str(order)},
        "status": {"S": status},
        "version": {"N": str(version)},
        "total": {"N": str(total)},
    }
    if rng.random() < 0.4:
        existing["discount"] = {"N": str(rng.choice([5, 10, 15, 20]))}
    values = {
        ":one": {"N": "1"},
        ":new": {"S": rng.choice(["shipped", "paid"])},
        ":expected": {"N": str(version - rng.choice([0, 0, 1]))},
        ":total": {"N": str(total + rng.choice([-10, 15, 30]))},
        ":limit": {"N": str(rng.choice(range(20, 200, 10)))},
        ":cancelled": {"S": "cancelled"},
    }
    new_item = None
    if write == "create":
        if rng.random() < 0.4:
            existing = None
        new_item = {
            "customer": {"S": customer},
            "order_id": {"N": str(order)},
            "status": {"S": "open"},
            "version": {"N": "1"},
            "total": {"N": str(rng.choice(range(20, 200, 5)))},
        }
    scenario = {
        "shape": "conditional",
        "write": write,
        "customer": customer,
        "order": order,
        "existing": json.dumps(existing, sort_keys=True),
        "values": json.dumps(values, sort_keys=True),
        "new_item": json.dumps(new_item, sort_keys=True) if new_item else "",
    }
    ok, after = _write(scenario)
    answer = _outcome_text(ok, after)
    misconceptions = []
    if existing is not None:
        # Checked against the new values: write unconditionally, then test the condition there.
        _done, written = _write(scenario, conditional=False)
        if written is not None:
            passes, _after = _write(scenario, existing=json.dumps(written))
            misconceptions.append(
                (
                    _outcome_text(passes, written if passes else existing),
                    "This checks the condition against the values being written. DynamoDB "
                    "checks it against the item as stored before the write.",
                )
            )
    if not ok:
        _done, written = _write(scenario, conditional=False)
        misconceptions.append(
            (
                _outcome_text(False, written),
                "This assumes a failed condition still writes. When the condition is false, "
                "DynamoDB changes nothing and returns ConditionalCheckFailedException.",
            )
        )
        misconceptions.append(
            (
                _outcome_text(True, written),
                "This ignores the condition: it is false for the stored item, so the write is "
                "refused.",
            )
        )
    else:
        misconceptions.append(
            (
                _outcome_text(False, json.loads(scenario["existing"])),
                "The condition holds for the stored item, so the write goes ahead.",
            )
        )
    if write == "coupon" and existing is not None and "discount" not in existing:
        with_zero = {**existing, "discount": {"N": "0"}}
        passes, after_zero = _write(scenario, existing=json.dumps(with_zero))
        if after_zero is not None:
            after_zero = {k: v for k, v in after_zero.items() if k != "discount"}
        misconceptions.append(
            (
                _outcome_text(passes, after_zero if passes else existing),
                "This treats the missing `discount` attribute as 0. A comparison with an "
                "attribute the item does not have is false.",
            )
        )
    if write == "create" and existing is None:
        misconceptions.append(
            (
                _outcome_text(False, None),
                "attribute_not_exists(order_id) looks only at the item with this key, not at "
                "the other items of the table: no item has this key yet, so the put succeeds.",
            )
        )
    rng.shuffle(misconceptions)
    before = json.loads(scenario["existing"])
    _done, unconditional = _write(scenario, conditional=False)
    fillers = [
        (
            _outcome_text(flag, item),
            "See the explanation: the condition is evaluated on the stored item.",
        )
        for flag in (True, False)
        for item in (before, unconditional)
    ]
    options = pick_options(rng, answer, misconceptions, fillers)
    stem = _conditional_stem(scenario, existing, values, new_item)
    explanation = _conditional_explanation(scenario, existing, ok, answer)
    return _question(seed, scenario, "conditional", stem, options, explanation, answer, 2)


def _item_text(item: dict) -> str:
    return "`" + json.dumps(item, sort_keys=True) + "`"


def _conditional_stem(scenario, existing, values, new_item) -> str:
    action, params = _write_params(scenario)
    stored = (
        f"The table `{TABLE}` (partition key `customer`, sort key `order_id`) holds this item "
        f"for {scenario['customer']}'s order {scenario['order']}: {_item_text(existing)}."
        if existing
        else f"The table `{TABLE}` (partition key `customer`, sort key `order_id`) holds "
        f"orders of several customers, but none for {scenario['customer']}'s order "
        f"{scenario['order']} yet."
    )
    lines = [
        stored + f" An application now sends this {action} request:",
        "",
        "```json",
        _compact_json(params),
        "```",
        "",
        "What happens, and what is stored under that key afterwards?",
    ]
    return "\n".join(lines)


def _conditional_explanation(scenario, existing, ok, answer) -> str:
    _action, _update, condition = WRITES_CONDITIONAL[scenario["write"]]
    verdict = "true" if ok else "false"
    return (
        f"DynamoDB evaluates `{condition}` against the item stored under the key before the "
        f"write ({'none' if existing is None else 'the item shown'}). The simulator finds it "
        f"{verdict}: "
        + (
            "the write is applied."
            if ok
            else "nothing changes, and the call fails with ConditionalCheckFailedException."
        )
        + f"\n\nSo the answer is: {answer}."
    )


def _question(seed, scenario, shape, stem, options, explanation, answer, difficulty) -> Generated:
    topic = {
        "capacity": "dynamodb-keys-and-capacity",
        "query-scan": "dynamodb-queries-and-indexes",
        "conditional": "dynamodb-writes-transactions-streams",
    }[shape]
    return Generated(
        kind=KIND,
        seed=seed,
        shape=shape,
        task=TASK,
        topic=topic,
        difficulty=difficulty,
        stem=stem,
        options=options,
        explanation=explanation,
        sources=SOURCES,
        scenario=scenario,
        answer=answer,
    )


SOLVERS = {
    "capacity": _solve_capacity,
    "query-scan": _solve_query_scan,
    "conditional": _solve_conditional,
}
DRAWS = {
    "capacity": _draw_capacity,
    "query-scan": _draw_query_scan,
    "conditional": _draw_conditional,
}


def solve(scenario: dict) -> str:
    return SOLVERS[scenario["shape"]](scenario)


def generate(seed: int) -> Generated:
    def draw(rng: random.Random) -> Generated:
        return DRAWS[rng.choice(["capacity", "capacity", "query-scan", "conditional"])](rng, seed)

    return run_attempts(KIND, seed, draw)
