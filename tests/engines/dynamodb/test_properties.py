"""Property tests: Query returns what a brute-force filter returns; capacity is never negative;
no item is ever lost or invented; expressions never crash the parser.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.engines.dynamodb import DynamoDB
from studyapp.engines.dynamodb.errors import DynamoDBError

from .support import call, create, item, ok

T = "tbl"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

rows = st.lists(
    st.tuples(st.sampled_from("abc"), st.integers(-20, 20), st.integers(0, 3), st.booleans()),
    max_size=40,
    unique_by=lambda row: row[:2],
)
operators = st.sampled_from(["=", "<", "<=", ">", ">=", "BETWEEN", None])


def fill(rows_) -> DynamoDB:
    engine = DynamoDB()
    create(engine, T, sk=("sk", "N"), on_demand=True)
    for pk, sk, v, flag in rows_:
        attributes = {"pk": pk, "sk": sk, "v": v}
        if flag:
            attributes["w"] = "x" * (sk + 20) * 50
        ok(engine, "PutItem", TableName=T, Item=item(**attributes))
    return engine


def all_pages(engine, **params) -> list[dict]:
    found, start = [], None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = ok(engine, "Query", TableName=T, **params, **extra)
        found += page["Items"]
        assert page["ConsumedCapacity"]["CapacityUnits"] >= 0.5
        start = page.get("LastEvaluatedKey")
        if start is None:
            return found


@SETTINGS
@given(
    rows,
    st.sampled_from("abc"),
    operators,
    st.integers(-25, 25),
    st.integers(0, 10),
    st.booleans(),
    st.one_of(st.none(), st.integers(1, 7)),
    st.booleans(),
)
def test_query_matches_brute_force(rows_, pk, operator, low, width, forward, limit, filtered):
    engine = fill(rows_)
    values = {":p": {"S": pk}}
    condition = "pk = :p"
    if operator == "BETWEEN":
        condition += " AND sk BETWEEN :a AND :b"
        values.update({":a": {"N": str(low)}, ":b": {"N": str(low + width)}})
    elif operator is not None:
        condition += f" AND sk {operator} :a"
        values[":a"] = {"N": str(low)}
    params = {
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": values,
        "ScanIndexForward": forward,
        "ReturnConsumedCapacity": "TOTAL",
    }
    if limit:
        params["Limit"] = limit
    if filtered:
        params["FilterExpression"] = "v <= :v OR attribute_exists(w)"
        values[":v"] = {"N": "1"}
    tests = {
        None: lambda s: True,
        "=": lambda s: s == low,
        "<": lambda s: s < low,
        "<=": lambda s: s <= low,
        ">": lambda s: s > low,
        ">=": lambda s: s >= low,
        "BETWEEN": lambda s: low <= s <= low + width,
    }
    expected = sorted(
        (row for row in rows_ if row[0] == pk and tests[operator](row[1])),
        key=lambda row: row[1],
        reverse=not forward,
    )
    if filtered:
        expected = [row for row in expected if row[2] <= 1 or row[3]]
    found = all_pages(engine, **params)
    assert [(e["pk"]["S"], int(e["sk"]["N"])) for e in found] == [row[:2] for row in expected]


actions = st.lists(
    st.one_of(
        st.tuples(
            st.just("put"),
            st.integers(0, 9),
            st.integers(0, 5),
            st.sampled_from([None, "new", "exists"]),
        ),
        st.tuples(st.just("update"), st.integers(0, 9), st.integers(-3, 3), st.booleans()),
        st.tuples(st.just("delete"), st.integers(0, 9), st.booleans()),
        st.tuples(
            st.just("batch"), st.lists(st.integers(0, 9), max_size=8, unique=True), st.booleans()
        ),
        st.tuples(
            st.just("transact"),
            st.lists(st.integers(0, 9), min_size=1, max_size=4, unique=True),
            st.integers(0, 5),
        ),
        st.tuples(st.just("advance"), st.sampled_from([0.2, 1, 3, 400])),
    ),
    max_size=40,
)


def key(n: int) -> dict:
    return item(pk=f"k{n}")


def apply(engine: DynamoDB, model: dict[int, int], action: tuple) -> None:
    """Run one action and update ``model`` (key -> value) only as the engine reports."""
    kind = action[0]
    if kind == "put":
        _, n, v, guard = action
        params = {"TableName": T, "Item": item(pk=f"k{n}", v=v), "ReturnConsumedCapacity": "TOTAL"}
        if guard:
            params["ConditionExpression"] = (
                "attribute_not_exists(pk)" if guard == "new" else "attribute_exists(pk)"
            )
        result = call(engine, "PutItem", **params)
        if "Error" not in result:
            model[n] = v
    elif kind == "update":
        _, n, delta, only_existing = action
        params = {
            "TableName": T,
            "Key": key(n),
            "UpdateExpression": "SET v = if_not_exists(v, :zero) + :d",
            "ExpressionAttributeValues": {":zero": {"N": "0"}, ":d": {"N": str(delta)}},
        }
        if only_existing:
            params["ConditionExpression"] = "attribute_exists(pk)"
        if "Error" not in call(engine, "UpdateItem", **params):
            model[n] = model.get(n, 0) + delta
    elif kind == "delete":
        _, n, _guarded = action
        if "Error" not in call(engine, "DeleteItem", TableName=T, Key=key(n)):
            model.pop(n, None)
    elif kind == "batch":
        _, keys, as_delete = action
        if not keys:
            return
        requests = [
            {"DeleteRequest": {"Key": key(n)}}
            if as_delete
            else {"PutRequest": {"Item": item(pk=f"k{n}", v=n)}}
            for n in keys
        ]
        result = call(engine, "BatchWriteItem", RequestItems={T: requests})
        if "Error" in result:
            return
        left = result["UnprocessedItems"].get(T, [])
        for n, request in zip(keys, requests, strict=True):
            if request not in left:
                if as_delete:
                    model.pop(n, None)
                else:
                    model[n] = n
    elif kind == "transact":
        _, keys, v = action
        items = [
            {
                "Put": {
                    "TableName": T,
                    "Item": item(pk=f"k{n}", v=v),
                    "ConditionExpression": "attribute_not_exists(v) OR v < :v",
                    "ExpressionAttributeValues": {":v": {"N": str(v)}},
                }
            }
            for n in keys
        ]
        if "Error" not in call(engine, "TransactWriteItems", TransactItems=items):
            for n in keys:
                model[n] = v
    else:
        ok(engine, "Advance", Seconds=action[1])


def stored(engine: DynamoDB) -> dict[int, int]:
    """The table's items, read through paginated strongly consistent Scans (waiting out any
    throttling)."""
    found, start = {}, None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = call(engine, "Scan", TableName=T, ConsistentRead=True, Limit=3, **extra)
        if page.get("Error", {}).get("Code") == "ProvisionedThroughputExceededException":
            ok(engine, "Advance", Seconds=1)
            continue
        for entry in page["Items"]:
            found[int(entry["pk"]["S"][1:])] = int(Decimal(entry["v"]["N"]))
        start = page.get("LastEvaluatedKey")
        if not start:
            return found


def in_store(engine: DynamoDB) -> dict[int, int]:
    """The table's items as stored (no read, no capacity)."""
    return {
        int(entry["pk"]["S"][1:]): int(Decimal(entry["v"]["N"]))
        for entry, _ in engine.tables[T].store.entries()
    }


@SETTINGS
@given(actions, st.sampled_from([(1, 1), (2, 3), (1000, 1000)]))
def test_items_are_never_lost_and_capacity_never_negative(actions_, capacity):
    engine = DynamoDB()
    create(engine, T, rcu=capacity[0], wcu=capacity[1])
    model: dict[int, int] = {}
    for action in actions_:
        apply(engine, model, action)
        assert in_store(engine) == model
        stats = engine.tables[T].throughput.stats
        assert stats["ConsumedReadCapacityUnits"] >= 0 and stats["ConsumedWriteCapacityUnits"] >= 0
    assert stored(engine) == model
    restored = DynamoDB.from_dict(engine.to_dict())
    assert stored(restored) == model


tokens = st.sampled_from(
    [
        "a",
        "b.c",
        "#n",
        ":v",
        "(",
        ")",
        "[",
        "]",
        "0",
        "99",
        ",",
        ".",
        "=",
        "<>",
        "<",
        "<=",
        ">",
        ">=",
        "+",
        "-",
        "AND",
        "OR",
        "NOT",
        "BETWEEN",
        "IN",
        "SET",
        "REMOVE",
        "ADD",
        "DELETE",
        "size",
        "contains",
        "begins_with",
        "attribute_exists",
        "if_not_exists",
        "list_append",
        "Comment",
        "$",
        "é",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(tokens, max_size=30),
    st.sampled_from(
        ["FilterExpression", "ProjectionExpression", "UpdateExpression", "KeyConditionExpression"]
    ),
)
def test_any_expression_is_accepted_or_refused_never_crashes(parts, parameter):
    engine = DynamoDB()
    create(engine, T, sk=("sk", "N"), on_demand=True)
    text = " ".join(parts)
    params = {
        "TableName": T,
        "ExpressionAttributeNames": {"#n": "n"},
        "ExpressionAttributeValues": {":v": {"N": "1"}},
    }
    if parameter == "UpdateExpression":
        action = "UpdateItem"
        params.update(Key=item(pk="a", sk=1), UpdateExpression=text)
    elif parameter == "KeyConditionExpression":
        action = "Query"
        params["KeyConditionExpression"] = text
    else:
        action = "Scan"
        params[parameter] = text
    try:
        engine.call(action, params)
    except DynamoDBError as error:
        assert error.code == "ValidationException"
