"""DynamoDB's expression language: tokenizer, parser, binding, evaluation, updates, projections.

``Expressions(params)`` reads a request's ExpressionAttributeNames/Values; its methods compile
the request's expressions (parsing is cached per text); ``done()`` then refuses placeholders
that no expression used, as DynamoDB does.
"""

from __future__ import annotations

from typing import Any

from ..errors import validation
from .bind import Substitutions, bind_condition, bind_paths
from .evaluate import evaluate, resolve
from .parser import parse_condition, parse_projection, parse_update
from .projection import check_overlaps, project
from .update import BoundUpdate, apply_update, bind_update

EXPRESSION_PARAMETERS = (
    "ConditionExpression",
    "FilterExpression",
    "KeyConditionExpression",
    "ProjectionExpression",
    "UpdateExpression",
)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise validation(f"Invalid {what}: an expression is a string")
    return value


class Expressions:
    """The expressions of one request, sharing its placeholders."""

    def __init__(self, params: dict[str, Any]) -> None:
        if "ExpressionAttributeNames" in params or "ExpressionAttributeValues" in params:
            self.subs = Substitutions.from_request(params)
        else:
            self.subs = Substitutions({}, {})
        self.any = False

    def condition(self, text: Any, what: str = "ConditionExpression") -> tuple[Any, ...] | None:
        if text is None:
            return None
        self.any = True
        return bind_condition(parse_condition(_text(text, what), what), self.subs, what)

    def projection(self, text: Any) -> list[tuple[str | int, ...]] | None:
        if text is None:
            return None
        self.any = True
        what = "ProjectionExpression"
        paths = bind_paths(parse_projection(_text(text, what), what), self.subs, what)
        check_overlaps(paths, what)
        return paths

    def update(self, text: Any, key_names: tuple[str, ...]) -> BoundUpdate | None:
        if text is None:
            return None
        self.any = True
        return bind_update(
            parse_update(_text(text, "UpdateExpression"), "UpdateExpression"),
            self.subs,
            key_names,
        )

    def done(self) -> None:
        """Refuse placeholders given without expressions, or given and never used."""
        if not self.subs.names and not self.subs.values:
            return
        if not self.any:
            if self.subs.names:
                raise validation(
                    "ExpressionAttributeNames can only be specified when using expressions"
                )
            if self.subs.values:
                raise validation(
                    "ExpressionAttributeValues can only be specified when using expressions"
                )
        self.subs.check_all_used()


__all__ = [
    "EXPRESSION_PARAMETERS",
    "BoundUpdate",
    "Expressions",
    "apply_update",
    "evaluate",
    "project",
    "resolve",
]
