"""Policy grammar: parse and validate a JSON policy into a compiled ``Policy``.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html

Errors (``PolicyError``) say where: ``line``/``column`` for JSON syntax, ``path`` such as
``Statement[1].Condition.StringLike`` for grammar. Warnings flag legal but suspicious policies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import Condition, parse_condition
from .errors import PolicyError, PolicyWarning
from .match import GlobSet
from .principals import PrincipalSpec, parse_principal_element

KINDS = ("identity", "resource", "boundary", "session", "scp", "rcp")
VERSIONS = ("2012-10-17", "2008-10-17")
_POLICY_KEYS = {"Version", "Id", "Statement"}
_STATEMENT_KEYS = {
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
}
_ACTION = re.compile(r"[A-Za-z0-9*?_.-]+:[A-Za-z0-9*?_.-]*")
# Policy kinds whose statements name a principal.
_PRINCIPAL_KINDS = {"resource", "rcp"}


@dataclass(frozen=True, eq=False)
class Statement:
    index: int
    sid: str | None
    effect: str  # "Allow" or "Deny"
    actions: GlobSet
    not_action: bool
    resources: GlobSet | None  # None: no Resource element (a resource policy's own resource)
    not_resource: bool
    principal: PrincipalSpec | None
    not_principal: bool
    condition: Condition | None

    def matches_action(self, action_lower: str) -> bool:
        return self.actions.match(action_lower, {}) != self.not_action

    def matches_resource(self, resource: str, context: Mapping[str, object]) -> bool:
        if self.resources is None:
            return True
        return self.resources.match(resource, context) != self.not_resource


@dataclass(eq=False)
class Policy:
    """A parsed policy. ``kind`` is one of KINDS; ``name`` labels it in results."""

    kind: str
    name: str
    version: str | None
    id: str | None
    statements: tuple[Statement, ...]
    warnings: list[PolicyWarning]
    document: dict[str, Any]
    _by_action: dict[str, tuple[Statement, ...]] = field(default_factory=dict, repr=False)

    def for_action(self, action_lower: str) -> tuple[Statement, ...]:
        """Statements whose Action / NotAction covers the action (cached per action)."""
        found = self._by_action.get(action_lower)
        if found is None:
            if len(self._by_action) > 1024:
                self._by_action.clear()
            found = tuple(s for s in self.statements if s.matches_action(action_lower))
            self._by_action[action_lower] = found
        return found


def load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PolicyError(f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise PolicyError("invalid JSON: nested too deeply") from None


def parse_policy(
    source: str | bytes | Mapping[str, Any], kind: str = "identity", name: str = ""
) -> Policy:
    """Parse a policy from JSON text or an already-decoded dict."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    data = (
        load_json(source.decode() if isinstance(source, bytes) else source)
        if isinstance(source, str | bytes)
        else source
    )
    if not isinstance(data, Mapping):
        raise PolicyError("a policy is a JSON object", path="")
    warnings: list[PolicyWarning] = []
    for key in data:
        if key not in _POLICY_KEYS:
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
    elif not isinstance(version, str):
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
    if policy_id is not None and not isinstance(policy_id, str):
        raise PolicyError("Id must be a string", path="Id")
    if "Statement" not in data:
        raise PolicyError("a policy needs a Statement", path="Statement")
    raw_statements = data["Statement"]
    single = isinstance(raw_statements, Mapping)
    if single:
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, list):
        raise PolicyError("Statement must be an object or a list of objects", path="Statement")
    if not raw_statements:
        warnings.append(PolicyWarning("no-statements", "the policy has no statements", "Statement"))
    variables = version == "2012-10-17"
    statements = []
    sids: set[str] = set()
    for i, raw in enumerate(raw_statements):
        path = "Statement" if single else f"Statement[{i}]"
        stmt = _parse_statement(raw, i, path, kind, variables, warnings)
        if stmt.sid is not None:
            if stmt.sid in sids:
                warnings.append(
                    PolicyWarning("duplicate-sid", f"Sid {stmt.sid!r} is used twice", f"{path}.Sid")
                )
            sids.add(stmt.sid)
        statements.append(stmt)
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
        kind=kind,
        name=name or kind,
        version=version,
        id=policy_id,
        statements=tuple(statements),
        warnings=warnings,
        document=dict(data),
    )


def _strings(raw: object, path: str) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    if isinstance(raw, list) and not raw:
        raise PolicyError("needs at least one value", path=path)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item:
            where = f"{path}[{i}]" if isinstance(raw, list) else path
            raise PolicyError("must be a non-empty string", path=where)
    return items  # type: ignore[return-value]


def _one_of(raw: Mapping[str, Any], a: str, b: str, path: str, required: bool) -> str | None:
    if a in raw and b in raw:
        raise PolicyError(f"a statement has {a} or {b}, not both", path=f"{path}.{b}")
    if a in raw:
        return a
    if b in raw:
        return b
    if required:
        raise PolicyError(f"a statement needs {a} or {b}", path=path)
    return None


def _parse_statement(
    raw: object,
    index: int,
    path: str,
    kind: str,
    variables: bool,
    warnings: list[PolicyWarning],
) -> Statement:
    if not isinstance(raw, Mapping):
        raise PolicyError("a statement is a JSON object", path=path)
    for key in raw:
        if key not in _STATEMENT_KEYS:
            raise PolicyError(f"unknown statement element {key!r}", path=f"{path}.{key}")
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise PolicyError("Sid must be a string", path=f"{path}.Sid")
    if sid is not None and not re.fullmatch(r"[A-Za-z0-9 _.-]*", sid):
        warnings.append(
            PolicyWarning(
                "sid-characters",
                "IAM accepts only ASCII letters and digits in a Sid",
                f"{path}.Sid",
            )
        )
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError('Effect must be "Allow" or "Deny"', path=f"{path}.Effect")

    action_key = _one_of(raw, "Action", "NotAction", path, required=True)
    assert action_key is not None
    action_values = _strings(raw[action_key], f"{path}.{action_key}")
    for i, a in enumerate(action_values):
        if a != "*" and not _ACTION.fullmatch(a):
            where = f"{path}.{action_key}" + (f"[{i}]" if isinstance(raw[action_key], list) else "")
            raise PolicyError(
                f"action {a!r} must be '*' or 'service:Action', like 's3:GetObject'", path=where
            )
    actions = GlobSet(action_values, ignore_case=True)

    resource_key = _one_of(raw, "Resource", "NotResource", path, required=kind != "resource")
    resources = None
    if resource_key is not None:
        resource_values = _strings(raw[resource_key], f"{path}.{resource_key}")
        resources = GlobSet(resource_values, variables=variables)

    principal_key = _one_of(raw, "Principal", "NotPrincipal", path, required=kind == "resource")
    principal = None
    if principal_key is not None:
        if kind not in _PRINCIPAL_KINDS:
            warnings.append(
                PolicyWarning(
                    "principal-in-identity-policy",
                    f"{principal_key} is not used in {kind} policies (the principal is whoever "
                    "the policy is attached to); it is ignored here and IAM rejects it",
                    f"{path}.{principal_key}",
                )
            )
        else:
            principal = parse_principal_element(raw[principal_key], f"{path}.{principal_key}")
            if principal_key == "NotPrincipal" and effect == "Allow":
                warnings.append(
                    PolicyWarning(
                        "notprincipal-allow",
                        "Allow with NotPrincipal grants access to everyone not listed, "
                        "including anonymous users; AWS strongly advises against it",
                        f"{path}.NotPrincipal",
                    )
                )
            for ptype, value in principal.entries:
                if value != "*" and ("*" in value or "?" in value):
                    warnings.append(
                        PolicyWarning(
                            "principal-wildcard",
                            f"wildcards are not matched inside a principal ({value!r}); "
                            'only "*" alone means everyone',
                            f"{path}.{principal_key}.{ptype}",
                        )
                    )

    condition = None
    if "Condition" in raw:
        condition = parse_condition(raw["Condition"], f"{path}.Condition", variables=variables)
        for test in condition.tests:
            if test.set_op == "all" and effect == "Allow" and not test.if_exists:
                warnings.append(
                    PolicyWarning(
                        "forallvalues-allow",
                        "ForAllValues is also true when the key is missing or empty, so this "
                        "Allow can apply to requests without it; add a Null check",
                        f"{path}.Condition.{test.operator}",
                    )
                )

    if (
        effect == "Allow"
        and action_key == "Action"
        and actions.any
        and resource_key == "Resource"
        and resources is not None
        and resources.any
        and condition is None
    ):
        warnings.append(
            PolicyWarning(
                "allow-all",
                'Allow "*" on "*" grants every action on every resource (administrator access)',
                path,
            )
        )

    return Statement(
        index=index,
        sid=sid,
        effect=effect,
        actions=actions,
        not_action=action_key == "NotAction",
        resources=resources,
        not_resource=resource_key == "NotResource",
        principal=principal,
        not_principal=principal_key == "NotPrincipal",
        condition=condition,
    )
