"""Policies: parse and check a JSON policy into a ``Policy``.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html

Errors (``PolicyError``) say where: ``line``/``column`` for JSON syntax, ``path`` such as
``Statement[1].Condition.StringLike`` for grammar. Warnings flag legal but suspicious policies.
Parsing checks every statement (validate.py) but compiles none: a request picks out the
statements that may cover its action by their service prefix, and only those are built
(statement.py), their patterns compiled on first use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .conditions import Condition
from .errors import PolicyError, PolicyWarning
from .match import match_once
from .principals import PrincipalSpec
from .statement import Applicable, Statement, build_statement
from .validate import WILD_SERVICE, check_statements

KINDS = ("identity", "resource", "boundary", "session", "scp", "rcp")
VERSIONS = ("2012-10-17", "2008-10-17")
_POLICY_KEYS = frozenset({"Version", "Id", "Statement"})
_NOTHING: tuple[Statement, ...] = ()
_NEITHER = (None, None)
_decode = json.JSONDecoder().decode


class Policy:
    """A parsed policy. ``kind`` is one of KINDS; ``name`` labels it in results."""

    __slots__ = (
        "_actions",
        "_built",
        "_by_action",
        "_lines",
        "_parsed",
        "_raw",
        "_uses",
        "_wild",
        "document",
        "id",
        "kind",
        "name",
        "variables",
        "version",
        "warnings",
    )

    def __init__(
        self,
        kind: str,
        name: str,
        version: str | None,
        policy_id: str | None,
        raw_statements: list[Mapping[str, Any]],
        parsed: dict[int, tuple[PrincipalSpec | None, Condition | None]],
        actions: list[str],
        wild: bool,
        warnings: list[PolicyWarning],
        document: dict[str, Any],
    ) -> None:
        self.kind = kind
        self.name = name
        self.version = version
        self.id = policy_id
        self.warnings = warnings
        self.document = document
        self.variables = version == "2012-10-17"
        self._raw = raw_statements
        self._parsed = parsed
        self._actions = actions
        self._lines: list[str] = []
        self._wild = wild
        self._built: list[Statement | None] = [None] * len(raw_statements)
        self._by_action: dict[str, tuple[Statement, ...]] = {}
        self._uses = 0

    def __repr__(self) -> str:
        return f"Policy(kind={self.kind!r}, name={self.name!r}, statements={len(self._raw)})"

    def __len__(self) -> int:
        return len(self._raw)

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(self.statement(i) for i in range(len(self._raw)))

    def statement(self, index: int) -> Statement:
        found = self._built[index]
        if found is None:
            principal, condition = self._parsed.get(index, (None, None))
            found = build_statement(self._raw[index], index, self.variables, principal, condition)
            self._built[index] = found
        return found

    def covering(
        self, action_lower: str, resource: str, context: Mapping[str, object]
    ) -> list[Statement] | list[Applicable]:
        """Statements whose Action / NotAction and Resource / NotResource cover the request.

        The first time, read straight from the JSON (a policy parsed for one request is
        never compiled); from the second, from compiled statements (policies kept in a
        PolicyCache, or reused by the caller)."""
        self._uses += 1
        if self._uses > 1:
            return [
                s for s in self.for_action(action_lower) if s.matches_resource(resource, context)
            ]
        out = []
        raws, parsed, variables = self._raw, self._parsed, self.variables
        candidates = self._candidates(action_lower.partition(":")[0])
        lines = self._lines
        # The action as a whole line of a statement's actions (never, if it holds a newline).
        exact = f"\n{action_lower}\n" if "\n" not in action_lower else "\0"
        for i in candidates:
            raw = raws[i]
            actions = raw.get("Action")
            if actions is None:
                if match_once(raw["NotAction"], action_lower, context, True):
                    continue
            elif exact not in lines[i] and (
                ("*" not in lines[i] and "?" not in lines[i])  # no wildcard pattern to try
                or not match_once(actions, action_lower, context, True)
            ):
                continue
            patterns = raw.get("Resource")
            if patterns is not None:
                if patterns != "*" and not match_once(
                    patterns, resource, context, False, variables, True
                ):
                    continue
            else:
                patterns = raw.get("NotResource")
                if patterns is not None and match_once(
                    patterns, resource, context, False, variables, True
                ):
                    continue
            principal, condition = parsed.get(i, _NEITHER)
            out.append(
                Applicable(
                    i, raw.get("Sid"), raw["Effect"], principal, "NotPrincipal" in raw, condition
                )
            )
        return out

    def for_action(self, action_lower: str) -> tuple[Statement, ...]:
        """Statements whose Action / NotAction covers the action (remembered per action)."""
        found = self._by_action.get(action_lower)
        if found is not None:
            return found
        statement = self.statement
        found = tuple(
            s
            for s in map(statement, self._candidates(action_lower.partition(":")[0]))
            if s.matches_action(action_lower)
        )
        if len(self._by_action) > 1024:
            self._by_action.clear()
        self._by_action[action_lower] = found or _NOTHING
        return found

    def _candidates(self, service: str) -> list[int]:
        """Statements that may cover an action of ``service`` (lowercase): those naming the
        service, those whose service part has a wildcard, and NotAction statements."""
        lines = self._lines
        if not lines:
            # Each statement's actions (a NotAction statement's: "*"), lowercased, one a line
            # between newlines.
            text = ("\n" + "\n\0\n".join(self._actions) + "\n").lower()
            lines = self._lines = text.split("\0")
        named = f"\n{service}:"
        if self._wild:
            wild = WILD_SERVICE.search
            return [i for i, line in enumerate(lines) if named in line or wild(line)]
        return [i for i, line in enumerate(lines) if named in line]


def load_json(text: str | bytes) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PolicyError(f"invalid JSON: not UTF-8 (byte {exc.start})") from None
    try:
        return _decode(text)
    except json.JSONDecodeError as exc:
        raise PolicyError(f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise PolicyError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise PolicyError(f"invalid JSON: {exc}") from None


def parse_policy(
    source: str | bytes | Mapping[str, Any], kind: str = "identity", name: str = ""
) -> Policy:
    """Parse a policy from JSON text or an already-decoded dict."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    data = load_json(source) if type(source) is str or type(source) is bytes else source
    if type(data) is not dict and not isinstance(data, Mapping):
        raise PolicyError("a policy is a JSON object", path="")
    warnings: list[PolicyWarning] = []
    if not data.keys() <= _POLICY_KEYS:
        key = next(k for k in data if k not in _POLICY_KEYS)
        raise PolicyError(
            f"unknown policy element {key!r}; a policy has Version, Id and Statement",
            path=str(key),
        )
    version = data.get("Version")
    if version is None:
        warnings.append(
            PolicyWarning(
                "version-missing",
                "no Version: the policy uses 2008-10-17 rules, so policy variables stay literal; "
                'add "Version": "2012-10-17"',
                "Version",
            )
        )
    elif type(version) is not str:
        raise PolicyError("Version must be a string", path="Version")
    elif version not in VERSIONS:
        warnings.append(
            PolicyWarning(
                "version-unknown",
                f"unknown Version {version!r}; the valid ones are 2012-10-17 and 2008-10-17",
                "Version",
            )
        )
    policy_id = data.get("Id")
    if policy_id is not None and type(policy_id) is not str:
        raise PolicyError("Id must be a string", path="Id")
    if "Statement" not in data:
        raise PolicyError("a policy needs a Statement", path="Statement")
    raw_statements = data["Statement"]
    single = type(raw_statements) is dict or (
        type(raw_statements) is not list and isinstance(raw_statements, Mapping)
    )
    if single:
        raw_statements = [raw_statements]
    if type(raw_statements) is not list:
        raise PolicyError("Statement must be an object or a list of objects", path="Statement")
    if not raw_statements:
        warnings.append(PolicyWarning("no-statements", "the policy has no statements", "Statement"))
    variables = version == "2012-10-17"
    parsed, actions, wild = check_statements(raw_statements, single, kind, variables, warnings)
    if not variables and "${" in json.dumps(data):
        warnings.append(
            PolicyWarning(
                "variables-literal",
                "policy variables like ${aws:username} are only replaced in Version 2012-10-17 "
                "policies; here they are literal text",
                "Version",
            )
        )
    return Policy(
        kind,
        name or kind,
        version,
        policy_id,
        raw_statements,
        parsed,
        actions,
        wild,
        warnings,
        dict(data),
    )


__all__ = ["KINDS", "VERSIONS", "Policy", "Statement", "load_json", "parse_policy"]
