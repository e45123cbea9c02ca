"""Key condition expressions of Query (Query.html, "Key condition expressions for query").

"You must specify the partition key name and value as an equality condition. You cannot use a
non-key attribute in a Key Condition Expression." The optional sort key condition is one of
``= < <= > >=``, ``BETWEEN`` or ``begins_with``; the conditions are joined by AND. The result is
the partition key value and the sort key bounds for ``Collection.span``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import invalid_parameters, validation
from .keys import KeySchema, ScalarKey, comparable

FLIPPED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
WHAT = "KeyConditionExpression"


@dataclass
class KeyRange:
    partition: dict[str, Any]  # the partition key value, e.g. {"S": "Dog"}
    low: ScalarKey | None = None
    high: ScalarKey | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    prefix: Any = None  # begins_with: the prefix (str or bytes)

    def admits(self, sort: ScalarKey) -> bool:
        """Whether a sort key value satisfies the sort key condition."""
        if self.prefix is not None:
            return sort.startswith(self.prefix)  # type: ignore[union-attr]
        if self.low is not None and (
            sort < self.low or (sort == self.low and not self.low_inclusive)
        ):
            return False
        return not (
            self.high is not None
            and (sort > self.high or (sort == self.high and not self.high_inclusive))
        )


def _conjuncts(node: tuple[Any, ...], found: list[tuple[Any, ...]]) -> None:
    kind = node[0]
    if kind == "and":
        _conjuncts(node[1], found)
        _conjuncts(node[2], found)
        return
    if kind in ("or", "not", "in"):
        raise validation(f"Invalid operator used in KeyConditionExpression: {kind.upper()}")
    if kind == "cmp" and node[1] == "<>":
        raise validation("Invalid operator used in KeyConditionExpression: <>")
    if kind == "func" and node[1] != "begins_with":
        raise validation(f"Invalid operator used in KeyConditionExpression: {node[1]}")
    found.append(node)


def _attribute(node: tuple[Any, ...]) -> str | None:
    if node[0] == "path" and len(node[1]) == 1 and isinstance(node[1][0], str):
        return node[1][0]
    return None


def _normal(node: tuple[Any, ...]) -> tuple[str, str, list[dict[str, Any]]]:
    """(attribute, operator, constant operands) of one condition."""
    kind = node[0]
    if kind == "cmp":
        left, right = node[2], node[3]
        operator = node[1]
        if _attribute(left) is None and _attribute(right) is not None:
            left, right, operator = right, left, FLIPPED[operator]
        operands = [left, right]
    elif kind == "between":
        operator = "BETWEEN"
        operands = [node[1], node[2], node[3]]
    else:
        operator = "begins_with"
        operands = list(node[2])
    name = _attribute(operands[0])
    constants = operands[1:]
    if name is None or any(operand[0] != "const" for operand in constants):
        raise validation("Query key condition not supported")
    return name, operator, [operand[1] for operand in constants]


def key_range(node: tuple[Any, ...], schema: KeySchema) -> KeyRange:
    conditions: list[tuple[Any, ...]] = []
    _conjuncts(node, conditions)
    if len(conditions) > 2:
        raise validation("Conditions can be of length 1 or 2 only")
    by_name: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for condition in conditions:
        name, operator, values = _normal(condition)
        if name not in schema.names:
            raise validation(
                f"Query condition missed key schema element: {schema.hash_name}"
                if name != schema.hash_name
                and schema.hash_name not in by_name
                and len(conditions) == 1
                else "Query key condition not supported"
            )
        if name in by_name:
            raise validation("KeyConditionExpressions must only contain one condition per key")
        by_name[name] = (operator, values)
    if schema.hash_name not in by_name:
        raise validation(f"Query condition missed key schema element: {schema.hash_name}")
    operator, values = by_name.pop(schema.hash_name)
    if operator != "=":
        raise validation("Query key condition not supported")
    if schema.hash_type not in values[0]:
        raise invalid_parameters("Condition parameter type does not match schema type")
    found = KeyRange(values[0])
    if not by_name:
        return found
    operator, values = by_name[schema.range_name]  # type: ignore[index]
    kind = schema.range_type
    if any(kind not in value for value in values):
        raise invalid_parameters("Condition parameter type does not match schema type")
    bounds = [comparable(kind, value[kind]) for value in values]  # type: ignore[arg-type, index]
    if operator == "=":
        found.low = found.high = bounds[0]
    elif operator in ("<", "<="):
        found.high, found.high_inclusive = bounds[0], operator == "<="
    elif operator in (">", ">="):
        found.low, found.low_inclusive = bounds[0], operator == ">="
    elif operator == "BETWEEN":
        found.low, found.high = bounds
        if found.low > found.high:  # type: ignore[operator]
            raise validation(
                f"Invalid {WHAT}: The BETWEEN operator requires upper bound to be greater than "
                "or equal to lower bound"
            )
    else:
        if kind == "N":
            raise validation(
                f"Invalid {WHAT}: Incorrect operand type for operator or function; operator or "
                "function: begins_with, operand type: N"
            )
        found.prefix = bounds[0]
        found.low = bounds[0]
        found.high = _successor(bounds[0])
        found.high_inclusive = False
    return found


def _successor(prefix: Any) -> Any:
    """The least value greater than every value starting with ``prefix`` (None: no bound)."""
    if isinstance(prefix, str):
        while prefix and prefix[-1] == "\U0010ffff":
            prefix = prefix[:-1]
        return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else None
    while prefix and prefix[-1] == 0xFF:
        prefix = prefix[:-1]
    return prefix[:-1] + bytes([prefix[-1] + 1]) if prefix else None
