"""Update expressions: SET, REMOVE, ADD and DELETE (Expressions.UpdateExpressions.html).

Documented behaviour implemented here: every operand is read from the item as it was before the
update; ``SET list[n]`` past the end appends, and several new elements are added in order of
element number; ``REMOVE`` of a missing attribute does nothing and list elements after a removed
one shift down; ``ADD`` adds a number (a missing attribute counts as 0) or adds set members;
``DELETE`` takes members out of a set (an emptied set is removed); ``if_not_exists`` and
``list_append``; ``+`` and ``-`` on numbers. Key attributes cannot be updated.
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from ..errors import DynamoDBError, validation
from ..values import SET_TYPES, format_decimal, kind_of
from .bind import Binder, Substitutions
from .evaluate import resolve
from .projection import check_overlaps

WHAT = "UpdateExpression"
_ARITHMETIC = Context(prec=80)
Path = tuple[str | int, ...]


class BoundUpdate:
    def __init__(self) -> None:
        self.set: list[tuple[Path, tuple[Any, ...]]] = []
        self.remove: list[Path] = []
        self.add: list[tuple[Path, dict[str, Any]]] = []
        self.delete: list[tuple[Path, dict[str, Any]]] = []

    def paths(self) -> list[Path]:
        return (
            [path for path, _ in self.set]
            + list(self.remove)
            + [path for path, _ in self.add]
            + [path for path, _ in self.delete]
        )


def bind_update(
    tree: tuple[tuple[str, Any], ...], subs: Substitutions, key_names: tuple[str, ...]
) -> BoundUpdate:
    binder = Binder(subs, WHAT)
    bound = BoundUpdate()
    for clause, actions in tree:
        for action in actions:
            if clause == "REMOVE":
                bound.remove.append(binder.path(action)[1])
                continue
            path = binder.path(action[0])[1]
            value = binder.operand(action[1])
            if clause == "SET":
                bound.set.append((path, value))
                continue
            kind = kind_of(value[1])
            allowed = ("N", *SET_TYPES) if clause == "ADD" else tuple(SET_TYPES)
            if kind not in allowed:
                binder.bad_type(clause, kind)
            (bound.add if clause == "ADD" else bound.delete).append((path, value[1]))
    paths = bound.paths()
    check_overlaps(paths, WHAT)
    for path in paths:
        if path[0] in key_names:
            raise validation(
                f"One or more parameter values were invalid: Cannot update attribute {path[0]}. "
                "This attribute is part of the key"
            )
    return bound


def _bad_type() -> DynamoDBError:
    return validation("An operand in the update expression has an incorrect data type")


def _invalid_path() -> DynamoDBError:
    return validation("The document path provided in the update expression is invalid for update")


def _value(node: tuple[Any, ...], item: dict[str, Any]) -> dict[str, Any]:
    kind = node[0]
    if kind == "const":
        return node[1]
    if kind == "path":
        value = resolve(item, node[1])
        if value is None:
            raise validation(
                "The provided expression refers to an attribute that does not exist in the item"
            )
        return value
    if kind == "if_not_exists":
        found = resolve(item, node[1][1])
        return found if found is not None else _value(node[2], item)
    left, right = _value(node[1], item), _value(node[2], item)
    if kind == "list_append":
        if "L" not in left or "L" not in right:
            raise _bad_type()
        return {"L": left["L"] + right["L"]}
    if "N" not in left or "N" not in right:
        raise _bad_type()
    a, b = Decimal(left["N"]), Decimal(right["N"])
    result = _ARITHMETIC.add(a, b) if kind == "+" else _ARITHMETIC.subtract(a, b)
    return {"N": format_decimal(result)}


def _order(path: Path) -> tuple[tuple[int, Any], ...]:
    return tuple((0, element) if isinstance(element, int) else (1, 0) for element in path)


def _replace(container: dict[str, Any], rest: Path, change: Any) -> dict[str, Any] | None:
    """A copy of ``container`` with ``change(old) -> new`` applied at ``rest``; None (from
    ``change``) removes the element. Intermediate elements must exist."""
    element = rest[0]
    if isinstance(element, int):
        if "L" not in container:
            raise _invalid_path()
        elements = list(container["L"])
        if len(rest) == 1:
            old = elements[element] if element < len(elements) else None
            new = change(old)
            if new is None:
                if old is not None:
                    del elements[element]
            elif old is None:
                elements.append(new)
            else:
                elements[element] = new
            return {"L": elements}
        if element >= len(elements):
            raise _invalid_path()
        elements[element] = _replace(elements[element], rest[1:], change)
        return {"L": elements}
    if "M" not in container:
        raise _invalid_path()
    members = dict(container["M"])
    if len(rest) == 1:
        new = change(members.get(element))
        if new is None:
            members.pop(element, None)
        else:
            members[element] = new
        return {"M": members}
    if element not in members:
        raise _invalid_path()
    members[element] = _replace(members[element], rest[1:], change)
    return {"M": members}


def _apply(item: dict[str, Any], path: Path, change: Any) -> None:
    name = path[0]
    if len(path) == 1:
        new = change(item.get(name))
        if new is None:
            item.pop(name, None)  # type: ignore[call-overload]
        else:
            item[name] = new  # type: ignore[index]
        return
    if name not in item:
        raise _invalid_path()
    item[name] = _replace(item[name], path[1:], change)  # type: ignore[index]


def _add(old: dict[str, Any] | None, value: dict[str, Any]) -> dict[str, Any]:
    if old is None:
        return value
    kind = kind_of(value)
    if kind_of(old) != kind:
        raise _bad_type()
    if kind == "N":
        return {"N": format_decimal(_ARITHMETIC.add(Decimal(old["N"]), Decimal(value["N"])))}
    members = list(old[kind])
    present = set(members)
    members += [member for member in value[kind] if member not in present]
    return {kind: members}


def _delete(old: dict[str, Any] | None, value: dict[str, Any]) -> dict[str, Any] | None:
    if old is None:
        return None
    kind = kind_of(value)
    if kind_of(old) != kind:
        raise _bad_type()
    removed = set(value[kind])
    members = [member for member in old[kind] if member not in removed]
    return {kind: members} if members else None


def apply_update(update: BoundUpdate, item: dict[str, Any]) -> dict[str, Any]:
    """The item after the update (a new dict; ``item`` is not changed)."""
    values = [(path, _value(node, item)) for path, node in update.set]
    result = dict(item)
    for path, value in sorted(values, key=lambda pair: _order(pair[0])):
        _apply(result, path, lambda _old, value=value: value)
    for path in sorted(update.remove, key=_order, reverse=True):
        _apply(result, path, lambda _old: None)
    for path, value in update.add:
        _apply(result, path, lambda old, value=value: _add(old, value))
    for path, value in update.delete:
        _apply(result, path, lambda old, value=value: _delete(old, value))
    return result
