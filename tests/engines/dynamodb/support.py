"""Helpers shared by the DynamoDB engine tests."""

from __future__ import annotations

from typing import Any

from studyapp.engines.dynamodb import DynamoDB

GUIDE = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
API = "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/"


def call(engine: DynamoDB, action: str, **params: Any) -> dict[str, Any]:
    return engine.apply({"Action": action, **params})


def ok(engine: DynamoDB, action: str, **params: Any) -> dict[str, Any]:
    result = call(engine, action, **params)
    assert "Error" not in result, result
    return result


def error(engine: DynamoDB, action: str, **params: Any) -> dict[str, Any]:
    """The {"Code", "Message"} of a call that must fail."""
    result = call(engine, action, **params)
    assert "Error" in result, result
    return result["Error"]


def code(engine: DynamoDB, action: str, **params: Any) -> str:
    return error(engine, action, **params)["Code"]


def create(
    engine: DynamoDB,
    name: str = "tbl",
    *,
    pk: tuple[str, str] = ("pk", "S"),
    sk: tuple[str, str] | None = None,
    rcu: int | None = 1000,
    wcu: int | None = 1000,
    on_demand: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """A table with a partition key (and a sort key), provisioned unless ``on_demand``."""
    definitions = {pk[0]: pk[1]}
    schema = [{"AttributeName": pk[0], "KeyType": "HASH"}]
    if sk is not None:
        definitions[sk[0]] = sk[1]
        schema.append({"AttributeName": sk[0], "KeyType": "RANGE"})
    for index in extra.get("GlobalSecondaryIndexes", []) + extra.get("LocalSecondaryIndexes", []):
        for element in index["KeySchema"]:
            definitions.setdefault(
                element["AttributeName"], extra.get("types", {}).get(element["AttributeName"], "S")
            )
    extra.pop("types", None)
    params: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": [
            {"AttributeName": attr, "AttributeType": kind} for attr, kind in definitions.items()
        ],
        "KeySchema": schema,
        **extra,
    }
    if on_demand:
        params["BillingMode"] = "PAY_PER_REQUEST"
    else:
        params["ProvisionedThroughput"] = {"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu}
    return ok(engine, "CreateTable", **params)


def gsi(
    name: str, hash_key: str, range_key: str | None = None, projection: str = "ALL", **extra: Any
) -> dict[str, Any]:
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    index: dict[str, Any] = {
        "IndexName": name,
        "KeySchema": schema,
        "Projection": {"ProjectionType": projection},
    }
    if "NonKeyAttributes" in extra:
        index["Projection"]["NonKeyAttributes"] = extra.pop("NonKeyAttributes")
    index.update(extra)
    return index


def put(engine: DynamoDB, table: str = "tbl", **attributes: Any) -> dict[str, Any]:
    return ok(engine, "PutItem", TableName=table, Item=item(**attributes))


def item(**attributes: Any) -> dict[str, Any]:
    """Python values to attribute values: str -> S, int/float -> N, bool -> BOOL."""
    return {name: value_of(value) for name, value in attributes.items()}


def value_of(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": str(value)}
    return {"S": value}


def units(result: dict[str, Any]) -> float:
    return result["ConsumedCapacity"]["CapacityUnits"]


def advance(engine: DynamoDB, seconds: float) -> None:
    ok(engine, "Advance", Seconds=seconds)


def load(engine: DynamoDB, table: str, items: list[dict[str, Any]]) -> None:
    """Put every item, letting the virtual clock move on (1 s) whenever a write throttles."""
    for entry in items:
        result = call(engine, "PutItem", TableName=table, Item=entry)
        while result.get("Error", {}).get("Code") in (
            "ProvisionedThroughputExceededException",
            "ThrottlingException",
        ):
            advance(engine, 1)
            result = call(engine, "PutItem", TableName=table, Item=entry)
        assert "Error" not in result, result
