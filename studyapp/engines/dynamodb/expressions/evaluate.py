"""Evaluating bound conditions and operands against an item (Expressions.OperatorsAndFunctions).

Documented behaviour implemented here:
- a comparison is false when an operand is missing or the types differ (``"3"`` is not ``3``),
  except ``<>``, which is true when the values are not equal;
- ``<``, ``<=``, ``>``, ``>=`` and BETWEEN order strings by UTF-8 bytes (the same order as code
  points), numbers numerically, binaries bytewise;
- ``begins_with`` works on strings and binaries; ``contains`` finds a substring, a set member or
  a list element; ``size`` is the length of a string, the bytes of a binary and the number of
  elements of a set, list or map; ``attribute_type`` compares the value's type.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

from ..values import SET_TYPES, equal, kind_of, sort_key

Item = dict[str, dict[str, Any]]


def resolve(item: Item, path: tuple[str | int, ...]) -> dict[str, Any] | None:
    """The value at a document path, or None when there is none."""
    value = item.get(path[0])  # type: ignore[call-overload]
    for element in path[1:]:
        if value is None:
            return None
        if isinstance(element, int):
            elements = value.get("L")
            if elements is None or element >= len(elements):
                return None
            value = elements[element]
        else:
            members = value.get("M")
            if members is None:
                return None
            value = members.get(element)
    return value


def operand(node: tuple[Any, ...], item: Item) -> dict[str, Any] | None:
    kind = node[0]
    if kind == "const":
        return node[1]
    if kind == "path":
        return resolve(item, node[1])
    value = resolve(item, node[1][1])  # size(path)
    if value is None:
        return None
    for type_name, raw in value.items():
        if type_name == "S":
            return {"N": str(len(raw))}
        if type_name == "B":
            return {"N": str(len(base64.b64decode(raw)))}
        if type_name in SET_TYPES or type_name in ("L", "M"):
            return {"N": str(len(raw))}
    return None


def _ordered(a: dict[str, Any] | None, b: dict[str, Any] | None) -> tuple[Any, Any] | None:
    """(a, b) as comparable Python values, or None when they cannot be ordered."""
    if a is None or b is None:
        return None
    kind = kind_of(a)
    if kind not in ("S", "N", "B") or kind != kind_of(b):
        return None
    return sort_key(a), sort_key(b)


def _compare(operator: str, a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if operator == "=":
        return a is not None and b is not None and equal(a, b)
    if operator == "<>":
        return not (a is not None and b is not None and equal(a, b))
    pair = _ordered(a, b)
    if pair is None:
        return False
    left, right = pair
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    return left >= right


def _contains(container: dict[str, Any] | None, value: dict[str, Any] | None) -> bool:
    if container is None or value is None:
        return False
    kind = kind_of(container)
    raw = container[kind]
    if kind == "S":
        return "S" in value and value["S"] in raw
    if kind == "B":
        return "B" in value and base64.b64decode(value["B"]) in base64.b64decode(raw)
    if kind in SET_TYPES:
        element_kind = SET_TYPES[kind]
        if element_kind not in value:
            return False
        if element_kind == "N":
            wanted = Decimal(value["N"])
            return any(Decimal(member) == wanted for member in raw)
        return value[element_kind] in raw
    if kind == "L":
        return any(equal(element, value) for element in raw)
    return False


def _begins_with(value: dict[str, Any] | None, prefix: dict[str, Any] | None) -> bool:
    if value is None or prefix is None:
        return False
    if "S" in value and "S" in prefix:
        return value["S"].startswith(prefix["S"])
    if "B" in value and "B" in prefix:
        return base64.b64decode(value["B"]).startswith(base64.b64decode(prefix["B"]))
    return False


def evaluate(node: tuple[Any, ...], item: Item) -> bool:
    """Whether a bound condition holds for ``item`` (``{}`` for an item that does not exist)."""
    kind = node[0]
    if kind == "and":
        return evaluate(node[1], item) and evaluate(node[2], item)
    if kind == "or":
        return evaluate(node[1], item) or evaluate(node[2], item)
    if kind == "not":
        return not evaluate(node[1], item)
    if kind == "cmp":
        return _compare(node[1], operand(node[2], item), operand(node[3], item))
    if kind == "between":
        value = operand(node[1], item)
        return _compare(">=", value, operand(node[2], item)) and _compare(
            "<=", value, operand(node[3], item)
        )
    if kind == "in":
        value = operand(node[1], item)
        return any(_compare("=", value, operand(choice, item)) for choice in node[2])
    name, arguments = node[1], node[2]
    target = resolve(item, arguments[0][1])
    if name == "attribute_exists":
        return target is not None
    if name == "attribute_not_exists":
        return target is None
    other = operand(arguments[1], item)
    if name == "attribute_type":
        return target is not None and other is not None and kind_of(target) == other.get("S")
    if name == "begins_with":
        return _begins_with(target, other)
    return _contains(target, other)
