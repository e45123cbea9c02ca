"""A statement ready to match requests, built from its (already checked) JSON the first time a
request's action reaches it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .conditions import Condition
from .match import GlobSet
from .principals import PrincipalSpec


class Statement:
    """One statement. ``resources`` is None when there is no Resource element."""

    __slots__ = (
        "actions",
        "condition",
        "effect",
        "index",
        "not_action",
        "not_principal",
        "not_resource",
        "principal",
        "resources",
        "sid",
    )

    def __init__(
        self,
        index: int,
        sid: str | None,
        effect: str,
        actions: GlobSet,
        not_action: bool,
        resources: GlobSet | None,
        not_resource: bool,
        principal: PrincipalSpec | None,
        not_principal: bool,
        condition: Condition | None,
    ) -> None:
        self.index = index
        self.sid = sid
        self.effect = effect
        self.actions = actions
        self.not_action = not_action
        self.resources = resources
        self.not_resource = not_resource
        self.principal = principal
        self.not_principal = not_principal
        self.condition = condition

    def __repr__(self) -> str:
        return f"Statement(index={self.index}, sid={self.sid!r}, effect={self.effect!r})"

    def matches_action(self, action_lower: str) -> bool:
        return self.actions.match(action_lower, {}) is not self.not_action

    def matches_resource(self, resource: str, context: Mapping[str, object]) -> bool:
        if self.resources is None:
            return True
        return self.resources.match(resource, context) is not self.not_resource


class Applicable:
    """A statement whose Action and Resource elements cover the request: what the rest of
    the evaluation reads (a Statement has the same attributes)."""

    __slots__ = ("condition", "effect", "index", "not_principal", "principal", "sid")

    def __init__(
        self,
        index: int,
        sid: str | None,
        effect: str,
        principal: PrincipalSpec | None,
        not_principal: bool,
        condition: Condition | None,
    ) -> None:
        self.index = index
        self.sid = sid
        self.effect = effect
        self.principal = principal
        self.not_principal = not_principal
        self.condition = condition


def _listed(value: Any) -> list[str]:
    return [value] if type(value) is str else value


def build_statement(
    raw: Mapping[str, Any],
    index: int,
    variables: bool,
    principal: PrincipalSpec | None,
    condition: Condition | None,
) -> Statement:
    """The Statement for checked JSON (validate.py); principal and condition come parsed."""
    not_action = "Action" not in raw
    actions = GlobSet(_listed(raw["NotAction" if not_action else "Action"]), True)
    not_resource = "NotResource" in raw
    resource_raw = raw.get("NotResource" if not_resource else "Resource")
    resources = (
        None if resource_raw is None else GlobSet(_listed(resource_raw), False, variables, True)
    )
    return Statement(
        index,
        raw.get("Sid"),
        raw["Effect"],
        actions,
        not_action,
        resources,
        not_resource,
        principal,
        "NotPrincipal" in raw,
        condition,
    )


__all__ = ["Applicable", "Statement", "build_statement"]
