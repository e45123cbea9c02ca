"""The scenario document the command line and the presets use, turned into a request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .cache import PolicyCache
from .errors import PolicyError
from .evaluate import Result, evaluate
from .jsontext import Spans, decode_with_spans, text_of
from .parse import Policy, load_json, parse_policy
from .request import PolicySet, Request

INPUT_KEYS = {
    "principal",
    "identity_policies",
    "resource_policy",
    "boundary",
    "session_policy",
    "scps",
    "rcps",
    "request",
    "resource_account",
}
# Keys presets carry for people; the engine ignores them.
META_KEYS = {"id", "title", "description", "expected", "source", "reason", "teaches"}
_KEYS = frozenset(INPUT_KEYS | META_KEYS)


class Scenario:
    __slots__ = ("policies", "request")

    def __init__(self, request: Request, policies: PolicySet) -> None:
        self.request = request
        self.policies = policies

    def evaluate(self) -> Result:
        result = evaluate(self.request, self.policies)
        result.warnings = [
            {"policy": p.name, **w.to_dict()} for p in self.policies.all() for w in p.warnings
        ]
        return result


_NO_SPANS: Spans = {}
WALK_FROM = 1200  # characters: about where a walk costs less than the dumps


def _policy(raw: object, kind: str, name: str, cache: PolicyCache | None, spans: Spans) -> Policy:
    source = raw if type(raw) is dict or type(raw) is str else _mapping(raw, name)
    try:
        if cache is not None:
            return cache.parse(source, kind, name, text_of(source, spans))
        return parse_policy(source, kind, name)
    except PolicyError as exc:
        raise exc.with_prefix(name) from None


def _mapping(raw: object, path: str) -> Mapping[str, Any]:
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise PolicyError("must be a JSON object", path=path)
    return raw


def _levels(
    raw: object, kind: str, name: str, cache: PolicyCache | None, spans: Spans
) -> list[list[Policy]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise PolicyError("must be a list of levels, each a list of policies", path=name)
    levels = []
    for i, level in enumerate(raw):
        items = level if type(level) is list or not isinstance(level, Mapping) else [level]
        if not isinstance(items, list):
            raise PolicyError("a level is a list of policies", path=f"{name}[{i}]")
        levels.append(
            [_policy(p, kind, f"{name}[{i}][{j}]", cache, spans) for j, p in enumerate(items)]
        )
    return levels


def parse_input(
    source: str | bytes | Mapping[str, Any], cache: PolicyCache | None = None
) -> Scenario:
    """Read a scenario document (JSON text or dict); raises PolicyError with a path.

    With a ``cache``, policies seen before (same kind, name and content) are not parsed again.
    """
    spans = _NO_SPANS
    if cache is not None and type(source) is str and len(source) > WALK_FROM:
        # Each policy's own text, to key the cache by: cheaper than a dump of its dict
        # (for a short scenario, the walk costs more than the dumps it saves).
        decoded = decode_with_spans(source)
        data, spans = decoded if decoded is not None else (load_json(source), _NO_SPANS)
    elif type(source) is str or type(source) is bytes:
        data = load_json(source)
    else:
        data = source
    data = _mapping(data, "")
    if not data.keys() <= _KEYS:
        key = next(k for k in data if k not in _KEYS)
        raise PolicyError(
            f"unknown key {key!r}; expected {', '.join(sorted(INPUT_KEYS))}", path=str(key)
        )
    if "principal" not in data or "identity_policies" not in data or "request" not in data:
        key = next(k for k in ("principal", "identity_policies", "request") if k not in data)
        raise PolicyError(f"{key} is required", path=key)
    get = data.get
    identity_raw = data["identity_policies"]
    if identity_raw is None:
        identity_raw = []
    if type(identity_raw) is not list:
        raise PolicyError("must be a list of policies", path="identity_policies")
    identity = tuple(
        [
            _policy(p, "identity", f"identity_policies[{i}]", cache, spans)
            for i, p in enumerate(identity_raw)
        ]
    )
    raw = get("resource_policy")
    resource = None if raw is None else _policy(raw, "resource", "resource_policy", cache, spans)
    raw = get("boundary")
    boundary = None if raw is None else _policy(raw, "boundary", "boundary", cache, spans)
    raw = get("session_policy")
    session = None if raw is None else _policy(raw, "session", "session_policy", cache, spans)
    req = data["request"]
    if type(req) is not dict:
        req = _mapping(req, "request")
    context = req.get("context") or {}
    if type(context) is not dict and not isinstance(context, Mapping):
        raise PolicyError("must be an object of context keys", path="request.context")
    if "action" not in req or "resource" not in req:
        key = "action" if "action" not in req else "resource"
        raise PolicyError(f"{key} is required", path=f"request.{key}")
    account = get("resource_account")
    if account is not None and not (type(account) is str and account.isdigit()):
        raise PolicyError("must be a 12-digit account id", path="resource_account")
    request = Request.build(data["principal"], req["action"], req["resource"], context, account)
    raw = get("scps")
    scps = () if raw is None else tuple(map(tuple, _levels(raw, "scp", "scps", cache, spans)))
    raw = get("rcps")
    rcps = () if raw is None else tuple(map(tuple, _levels(raw, "rcp", "rcps", cache, spans)))
    policies = PolicySet(identity, resource, boundary, session, scps, rcps)
    return Scenario(request, policies)


def run(source: str | bytes | Mapping[str, Any], cache: PolicyCache | None = None) -> Result:
    """Parse a scenario document and evaluate it (``cache``: see parse_input)."""
    return parse_input(source, cache).evaluate()
