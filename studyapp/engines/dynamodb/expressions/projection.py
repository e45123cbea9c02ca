"""Projections: the parts of an item that document paths name (Expressions.ProjectionExpressions).

Requesting ``Description, RelatedItems[0], ProductReviews.FiveStar`` returns a map with
``Description``, a one-element ``RelatedItems`` list and ``ProductReviews`` holding only
``FiveStar``, as in the guide's example. Paths that overlap (``a`` and ``a.b``) are refused.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from ..errors import validation

Path = tuple[str | int, ...]


def _shown(path: Path) -> str:
    return "[" + ", ".join(str(element) for element in path) + "]"


def check_overlaps(paths: list[Path], what: str) -> None:
    """ValidationException when one path is a prefix of another, or two paths go through the
    same element as a list and as a map."""
    ordered = sorted(paths, key=lambda path: [(type(e).__name__, e) for e in path])
    for first, second in pairwise(ordered):
        shared = 0
        while shared < len(first) and shared < len(second) and first[shared] == second[shared]:
            shared += 1
        if shared == min(len(first), len(second)):
            raise validation(
                f"Invalid {what}: Two document paths overlap with each other; must remove or "
                f"rewrite one of these paths; path one: {_shown(first)}, path two: "
                f"{_shown(second)}"
            )
    seen: dict[Path, type] = {}
    for path in paths:
        for depth in range(1, len(path)):
            prefix, kind = path[:depth], type(path[depth])
            if seen.setdefault(prefix, kind) is not kind:
                raise validation(
                    f"Invalid {what}: Two document paths conflict with each other; must remove "
                    f"or rewrite one of these paths; path one: {_shown(path)}"
                )


def _tree(paths: list[Path]) -> dict[Any, Any]:
    root: dict[Any, Any] = {}
    for path in paths:
        node = root
        for element in path[:-1]:
            node = node.setdefault(element, {})
            if node is None:  # pragma: no cover - overlaps are refused first
                break
        else:
            node[path[-1]] = None
    return root


def _extract(value: dict[str, Any], tree: dict[Any, Any]) -> dict[str, Any] | None:
    """The part of ``value`` that ``tree`` names (None when it names nothing there)."""
    if all(isinstance(key, int) for key in tree):
        elements = value.get("L")
        if elements is None:
            return None
        picked = []
        for index in sorted(tree):
            if index < len(elements):
                part = (
                    elements[index]
                    if tree[index] is None
                    else _extract(elements[index], tree[index])
                )
                if part is not None:
                    picked.append(part)
        return {"L": picked} if picked else None
    members = value.get("M")
    if members is None:
        return None
    kept = {}
    for name, subtree in tree.items():
        if isinstance(name, str) and name in members:
            part = members[name] if subtree is None else _extract(members[name], subtree)
            if part is not None:
                kept[name] = part
    return {"M": kept} if kept else None


def project(item: dict[str, Any], paths: list[Path]) -> dict[str, Any]:
    """The attributes of ``item`` that ``paths`` name, keeping their nesting."""
    result = {}
    for name, subtree in _tree(paths).items():
        value = item.get(name)
        if value is None:
            continue
        part = value if subtree is None else _extract(value, subtree)
        if part is not None:
            result[name] = part
    return result
