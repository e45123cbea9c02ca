"""Binding: a parsed expression plus ExpressionAttributeNames/Values gives a tree ready to run.

Binding applies the documented rules (Expressions.ExpressionAttributeNames.html,
Expressions.ExpressionAttributeValues.html, ReservedWords.html): a placeholder must be defined,
every defined placeholder must be used by some expression of the request, and a reserved word
cannot name an attribute. It also refuses what DynamoDB refuses before reading any item: a
function given a value where it needs a document path, a comparison of sets or documents with
``<``, an ``attribute_type`` that is not a type, and ``contains(a, a)``.

Bound trees use ``("path", ("a", 0, "b"))`` for ``a[0].b`` and ``("const", value)`` for values.
"""

from __future__ import annotations

from typing import Any

from .. import limits
from ..errors import validation
from ..values import SCALARS, TYPE_NAMES, check_value, kind_of, sort_key, utf8_length
from .reserved import is_reserved

ORDERING = ("<", "<=", ">", ">=")


class Substitutions:
    """The request's ExpressionAttributeNames and ExpressionAttributeValues, and which of them
    the request's expressions used."""

    def __init__(self, names: dict[str, str], values: dict[str, dict[str, Any]]) -> None:
        self.names = names
        self.values = values
        self.used_names: set[str] = set()
        self.used_values: set[str] = set()

    @classmethod
    def from_request(cls, params: dict[str, Any]) -> Substitutions:
        names = params.get("ExpressionAttributeNames")
        values = params.get("ExpressionAttributeValues")
        checked_names: dict[str, str] = {}
        checked_values: dict[str, dict[str, Any]] = {}
        total = 0
        if names is not None:
            if not isinstance(names, dict) or not names:
                raise validation("ExpressionAttributeNames must not be empty")
            for key, name in names.items():
                if not isinstance(name, str) or not name:
                    raise validation(
                        f"ExpressionAttributeNames contains invalid value: empty attribute name "
                        f"for key {key}"
                    )
                if not key.startswith("#") or len(key) < 2:
                    raise validation(
                        f'ExpressionAttributeNames contains invalid key: Syntax error; key: "{key}"'
                    )
                checked_names[key] = name
                total += utf8_length(key) + utf8_length(name)
                _check_placeholder_size(key)
        if values is not None:
            if not isinstance(values, dict) or not values:
                raise validation("ExpressionAttributeValues must not be empty")
            for key, value in values.items():
                if not key.startswith(":") or len(key) < 2:
                    raise validation(
                        f'ExpressionAttributeValues contains invalid key: Syntax error; key: "{key}"'
                    )
                _check_placeholder_size(key)
                try:
                    checked_values[key], size = check_value(value)
                except Exception as error:
                    message = getattr(error, "message", str(error))
                    raise validation(
                        f"ExpressionAttributeValues contains invalid value: {message} for key {key}"
                    ) from None
                total += utf8_length(key) + size
        if total > limits.MAX_SUBSTITUTION_BYTES:
            raise validation("ExpressionAttributeNames and ExpressionAttributeValues exceed 2 MB")
        return cls(checked_names, checked_values)

    def check_all_used(self) -> None:
        unused_names = sorted(set(self.names) - self.used_names)
        if unused_names:
            raise validation(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: "
                f"{{{', '.join(unused_names)}}}"
            )
        unused_values = sorted(set(self.values) - self.used_values)
        if unused_values:
            raise validation(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: "
                f"{{{', '.join(unused_values)}}}"
            )


def _check_placeholder_size(key: str) -> None:
    if utf8_length(key) > limits.MAX_PLACEHOLDER_BYTES:
        raise validation(f"Expression attribute name or value is too long: {key[:32]}...")


class Binder:
    def __init__(self, subs: Substitutions, what: str) -> None:
        self.subs = subs
        self.what = what

    def path(self, node: tuple[Any, ...]) -> tuple[str, tuple[str | int, ...]]:
        if node[0] != "path":
            raise validation(f"Invalid {self.what}: Operator or function requires a document path")
        elements: list[str | int] = []
        for kind, value in node[1]:
            if kind == "index":
                elements.append(value)
            elif kind == "attr":
                name = self.subs.names.get(value)
                if name is None:
                    raise validation(
                        f"Invalid {self.what}: An expression attribute name used in the "
                        f"document path is not defined; attribute name: {value}"
                    )
                self.subs.used_names.add(value)
                elements.append(name)
            else:
                if is_reserved(value):
                    raise validation(
                        f"Invalid {self.what}: Attribute name is a reserved keyword; "
                        f"reserved keyword: {value}"
                    )
                elements.append(value)
        return ("path", tuple(elements))

    def operand(self, node: tuple[Any, ...]) -> tuple[Any, ...]:
        kind = node[0]
        if kind == "value":
            value = self.subs.values.get(node[1])
            if value is None:
                raise validation(
                    f"Invalid {self.what}: An expression attribute value used in expression is "
                    f"not defined; attribute value: {node[1]}"
                )
            self.subs.used_values.add(node[1])
            return ("const", value)
        if kind == "size":
            return ("size", self.function_path("size", node[1]))
        if kind == "path":
            return self.path(node)
        if kind in ("+", "-", "list_append"):
            return (kind, self.operand(node[1]), self.operand(node[2]))
        if kind == "if_not_exists":
            return (kind, self.path(node[1]), self.operand(node[2]))
        raise validation(f"Invalid {self.what}: unexpected operand")  # pragma: no cover

    def function_path(self, function: str, node: tuple[Any, ...]) -> tuple[Any, ...]:
        if node[0] != "path":
            raise validation(
                f"Invalid {self.what}: Operator or function requires a document path; "
                f"operator or function: {function}"
            )
        return self.path(node)

    def condition(self, node: tuple[Any, ...]) -> tuple[Any, ...]:
        kind = node[0]
        if kind in ("and", "or"):
            return (kind, self.condition(node[1]), self.condition(node[2]))
        if kind == "not":
            return ("not", self.condition(node[1]))
        if kind == "cmp":
            left, right = self.operand(node[2]), self.operand(node[3])
            if node[1] in ORDERING:
                self.require_scalar(node[1], left, right)
            return ("cmp", node[1], left, right)
        if kind == "between":
            value, low, high = (self.operand(part) for part in node[1:])
            self.require_scalar("BETWEEN", value, low, high)
            if (
                low[0] == "const"
                and high[0] == "const"
                and kind_of(low[1]) == kind_of(high[1])
                and sort_key(low[1]) > sort_key(high[1])
            ):
                raise validation(
                    f"Invalid {self.what}: The BETWEEN operator requires upper bound to be "
                    f"greater than or equal to lower bound; lower bound operand: "
                    f"AttributeValue: {low[1]}, upper bound operand: AttributeValue: {high[1]}"
                )
            return ("between", value, low, high)
        if kind == "in":
            return ("in", self.operand(node[1]), tuple(self.operand(c) for c in node[2]))
        return self.function(node[1], node[2])

    def function(self, name: str, arguments: tuple[Any, ...]) -> tuple[Any, ...]:
        target = self.function_path(name, arguments[0])
        if name in ("attribute_exists", "attribute_not_exists"):
            return ("func", name, (target,))
        other = self.operand(arguments[1])
        if name == "attribute_type":
            kind = other[1].get("S") if other[0] == "const" else None
            if kind not in TYPE_NAMES:
                raise validation(
                    f"Invalid {self.what}: Invalid attribute type name found; type: "
                    f"{kind if kind is not None else other[1] if other[0] == 'const' else 'path'}"
                )
        elif name == "begins_with":
            if other[0] == "const" and kind_of(other[1]) not in ("S", "B"):
                self.bad_type(name, kind_of(other[1]))
        elif name == "contains" and other == target:
            raise validation(
                f"Invalid {self.what}: The parameters must be different for the function; "
                f"function: contains"
            )
        return ("func", name, (target, other))

    def require_scalar(self, operator: str, *operands: tuple[Any, ...]) -> None:
        for operand in operands:
            if operand[0] == "const" and kind_of(operand[1]) not in SCALARS:
                self.bad_type(operator, kind_of(operand[1]))

    def bad_type(self, operator: str, kind: str) -> None:
        raise validation(
            f"Invalid {self.what}: Incorrect operand type for operator or function; "
            f"operator or function: {operator}, operand type: {kind}"
        )


def bind_condition(node: tuple[Any, ...], subs: Substitutions, what: str) -> tuple[Any, ...]:
    return Binder(subs, what).condition(node)


def bind_paths(
    paths: tuple[tuple[Any, ...], ...], subs: Substitutions, what: str
) -> list[tuple[str | int, ...]]:
    binder = Binder(subs, what)
    return [binder.path(path)[1] for path in paths]
