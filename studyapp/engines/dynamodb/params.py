"""Request parameters: presence, types and enumerations, with DynamoDB's messages.

Parameter names are AWS's (``TableName``, ``ReturnConsumedCapacity``...). Unknown parameters
are refused (as botocore refuses them) so that a typo in a scenario does not pass silently;
legacy parameters (``AttributesToGet``, ``KeyConditions``, ``Expected``...) are refused with a
pointer to the expression that replaces them, since the simulator implements expressions only.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import constraint, missing, validation

LEGACY = {
    "AttributesToGet": "ProjectionExpression",
    "KeyConditions": "KeyConditionExpression",
    "QueryFilter": "FilterExpression",
    "ScanFilter": "FilterExpression",
    "Expected": "ConditionExpression",
    "AttributeUpdates": "UpdateExpression",
    "ConditionalOperator": "an expression",
}
_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,255}")
_ARN = re.compile(r"arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/([a-zA-Z0-9_.-]{3,255})")
MAX_INT = 2**31 - 1


def wire(name: str) -> str:
    """The parameter name as DynamoDB's messages spell it (``TableName`` -> ``tableName``)."""
    return name[:1].lower() + name[1:]


def check_known(params: dict[str, Any], allowed: frozenset[str] | set[str]) -> None:
    for name in params:
        if name in allowed:
            continue
        if name in LEGACY:
            raise validation(
                f"The legacy parameter {name} is not simulated; use {LEGACY[name]} instead."
            )
        raise validation(
            f'Unknown parameter in input: "{name}", must be one of: {", ".join(sorted(allowed))}'
        )


def table_name(params: dict[str, Any], key: str = "TableName") -> str:
    name = params.get(key)
    if name is None:
        raise missing(wire(key))
    if not isinstance(name, str):
        raise validation(f"Invalid type for parameter {key}, value: {name}, valid types: str")
    found = _ARN.fullmatch(name)
    if found:
        return found.group(1)
    if len(name) < 3:
        raise constraint(name, wire(key), "Member must have length greater than or equal to 3")
    if len(name) > 255:
        raise constraint(name[:64], wire(key), "Member must have length less than or equal to 255")
    if not _TABLE_NAME.fullmatch(name):
        raise constraint(
            name, wire(key), "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        )
    return name


def enum(params: dict[str, Any], key: str, choices: tuple[str, ...], default: str | None) -> Any:
    value = params.get(key)
    if value is None:
        return default
    if value not in choices:
        raise constraint(
            value, wire(key), f"Member must satisfy enum value set: [{', '.join(choices)}]"
        )
    return value


def boolean(params: dict[str, Any], key: str, default: bool = False) -> bool:
    value = params.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise validation(f"Invalid type for parameter {key}, value: {value}, valid types: bool")
    return value


def integer(
    params: dict[str, Any], key: str, low: int, high: int = MAX_INT, default: int | None = None
) -> int | None:
    value = params.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise validation(f"Invalid type for parameter {key}, value: {value}, valid types: int")
    if value < low:
        raise constraint(value, wire(key), f"Member must have value greater than or equal to {low}")
    if value > high:
        raise constraint(value, wire(key), f"Member must have value less than or equal to {high}")
    return value


def mapping(params: dict[str, Any], key: str, required: bool = True) -> dict[str, Any] | None:
    value = params.get(key)
    if value is None:
        if required:
            raise missing(wire(key))
        return None
    if not isinstance(value, dict):
        raise validation(f"Invalid type for parameter {key}: expected an object")
    return value


def listing(params: dict[str, Any], key: str, required: bool = True) -> list[Any] | None:
    value = params.get(key)
    if value is None:
        if required:
            raise missing(wire(key))
        return None
    if not isinstance(value, list):
        raise validation(f"Invalid type for parameter {key}: expected a list")
    return value


RETURN_CAPACITY = ("INDEXES", "TOTAL", "NONE")


def return_capacity(params: dict[str, Any]) -> str:
    return enum(params, "ReturnConsumedCapacity", RETURN_CAPACITY, "NONE")
