"""The statement grammar: what is an error (with its path) and what earns a warning.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

Every statement of a policy is checked when the policy is parsed: the hot path of a parse.
``check_statements`` first screens the whole policy: one pass gathers every Sid, Effect,
Action and Resource, and a few regular-expression calls check them all at once, over joined
text. When the screen finds nothing to report, only Principal, Condition and policy
variables are left to look at statement by statement; otherwise each statement is checked
in full (``one_by_one``), which says where the error or warning is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from . import rcp
from .conditions import Condition, parse_condition
from .errors import PolicyError, PolicyWarning
from .principals import PrincipalSpec, parse_principal_element
from .variables import split_variables, variable_before_fifth_colon

STATEMENT_KEYS = frozenset(
    {
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
)
_ACTION = r"(?:\*|[A-Za-z0-9*?_.-]++:[A-Za-z0-9*?_.-]*+)"  # possessive: no backtracking
_ACTION_OK = re.compile(_ACTION).fullmatch
_ACTIONS_OK = re.compile(rf"{_ACTION}(?:\n{_ACTION})*+").fullmatch  # one action a line
# The same without a wildcard in any service part (and without "*" alone).
_PLAIN = r"[A-Za-z0-9_.-]++:[A-Za-z0-9*?_.-]*+"
_PLAIN_ACTIONS_OK = re.compile(rf"{_PLAIN}(?:\n{_PLAIN})*+").fullmatch
# An action whose service part has a wildcard ("*", "*:Get*", "s3*:x"), in "\n"-led lines.
WILD_SERVICE = re.compile(r"\n[^:\n*?]*+[*?]")
_SID_OK = re.compile(r"[A-Za-z0-9 _.-]*").fullmatch  # true of good Sids run together, too
# "You can't use a wildcard in the service segment that identifies the AWS product."
_SERVICE_WILDCARD = re.compile(r"arn:[^:]*:[^:]*[*?]").match
# The same after any newline, in "\n" + resources joined by newlines: a resource holding a
# newline itself may raise a false alarm (then each statement is checked on its own), but
# no resource is missed.
_ANY_SERVICE_WILDCARD = re.compile(r"\narn:[^:]*+:[^:*?]*+[*?]").search
_EFFECTS = frozenset({"Allow", "Deny"})
_DICTS = {dict}
_STRINGS = {str}
_MISSING = object()
# Policy kinds whose statements name a principal.
PRINCIPAL_KINDS = frozenset({"resource", "rcp"})

Parsed = dict[int, tuple[PrincipalSpec | None, Condition | None]]
_Screened = tuple[list[str], list[str], set[str], bool, bool]


def statement_path(single: bool, index: int) -> str:
    return "Statement" if single else f"Statement[{index}]"


def check_statements(
    raws: list[Any], single: bool, kind: str, variables: bool, warnings: list[PolicyWarning]
) -> tuple[Parsed, list[str], bool]:
    """Raise PolicyError for the first bad statement; add every statement's warnings. Return
    the parsed Principal and Condition of the statements that have either, by index; each
    statement's actions, one a line ("*" for a NotAction statement: it may cover any); and
    whether any of those has a wildcard in its service part."""
    screened = _screen(raws, kind == "resource") if raws else None
    if screened is None:
        parsed = one_by_one(raws, single, kind, variables, warnings)
        actions = [_lines(raw["Action"]) if "Action" in raw else "*" for raw in raws]
        return parsed, actions, WILD_SERVICE.search("\n" + "\n".join(actions)) is not None
    actions, resources, keys, star, wild = screened
    dollar = variables and "${" in "".join(resources)
    every = kind in PRINCIPAL_KINDS or star
    principals = "Principal" in keys or "NotPrincipal" in keys
    parsed: Parsed = {}
    for i, raw in enumerate(raws):
        if dollar and "${" in resources[i]:
            key = "Resource" if "Resource" in raw else "NotResource"
            _check_variables(raw[key], statement_path(single, i), key)
        if (
            every
            or "Condition" in raw
            or (principals and ("Principal" in raw or "NotPrincipal" in raw))
        ):
            principal, condition = _check_rest(raw, i, single, kind, variables, warnings)
            if principal is not None or condition is not None:
                parsed[i] = (principal, condition)
    return parsed, actions, wild


def _lines(values: str | list[str]) -> str:
    return values if type(values) is str else "\n".join(values)


def _screen(raws: list[Any], resource_optional: bool) -> _Screened | None:
    """None if a Sid, Effect, Action or Resource element of any statement has an error or a
    warning to report. Else each statement's actions ("*" for NotAction) and its resources,
    one a line ("" for none); the elements found in any statement; whether an action or
    NotAction anywhere is "*"; and whether any of the actions returned has a wildcard in
    its service part."""
    if set(map(type, raws)) != _DICTS:
        return None
    keys = set().union(*raws)
    if not STATEMENT_KEYS.issuperset(keys):
        return None
    not_action, not_resource = "NotAction" in keys, "NotResource" in keys
    actions: list[str] = []
    resources: list[str] = []
    count = 0  # actions, to tell one holding a newline
    try:  # a TypeError: a value that is not a string where one belongs, or is unhashable
        if "Sid" in keys:
            sids = [raw["Sid"] for raw in raws if "Sid" in raw]
            if (
                not set(map(type, sids)) <= _STRINGS
                or not _SID_OK("".join(sids))
                or len(set(sids)) < len(sids)
            ):
                return None
        for raw in raws:
            if raw.get("Effect") not in _EFFECTS:
                return None
            value = raw.get("Action", _MISSING)
            if not_action:
                if value is _MISSING:
                    value = raw.get("NotAction")
                elif "NotAction" in raw:
                    return None
            if type(value) is str:
                actions.append(value)
                count += 1
            elif type(value) is list and value:
                actions.append("\n".join(value))
                count += len(value)
            else:
                return None
            value = raw.get("Resource", _MISSING)
            if not_resource:
                if value is _MISSING:
                    value = raw.get("NotResource", _MISSING)
                elif "NotResource" in raw:
                    return None
            if type(value) is str and value:
                resources.append(value)
            elif type(value) is list and value and "" not in value:
                resources.append("\n".join(value))
            elif value is _MISSING and resource_optional:
                resources.append("")
            else:
                return None
    except TypeError:
        return None
    text = "\n".join(actions)
    if text.count("\n") + 1 != count:
        return None  # an action holding a newline
    plain = _PLAIN_ACTIONS_OK(text) is not None
    if not plain and not _ACTIONS_OK(text):
        return None
    if _ANY_SERVICE_WILDCARD("\n" + "\n".join(resources)):
        return None
    star = not plain and "\n*\n" in f"\n{text}\n"
    if not_action:
        actions = [a if "Action" in raw else "*" for a, raw in zip(actions, raws, strict=True)]
        return actions, resources, keys, star, True
    return actions, resources, keys, star, not plain


def one_by_one(
    raws: list[Any], single: bool, kind: str, variables: bool, warnings: list[PolicyWarning]
) -> Parsed:
    """Each statement checked on its own (``check_statement``), then repeated Sids."""
    parsed: Parsed = {}
    sids: set[str] = set()
    for i, raw in enumerate(raws):
        sid, principal, condition = check_statement(raw, i, single, kind, variables, warnings)
        if principal is not None or condition is not None:
            parsed[i] = (principal, condition)
        if sid is not None:
            if sid in sids:
                path = statement_path(single, i)
                warnings.append(
                    PolicyWarning("duplicate-sid", f"Sid {sid!r} is used twice", f"{path}.Sid")
                )
            sids.add(sid)
    return parsed


def _strings(raw: object, path: str) -> list[str]:
    if type(raw) is str:
        if raw:
            return [raw]
        raise PolicyError("must be a non-empty string", path=path)
    if type(raw) is not list:
        raise PolicyError("must be a non-empty string", path=path)
    if not raw:
        raise PolicyError("needs at least one value", path=path)
    for i, item in enumerate(raw):
        if type(item) is not str or not item:
            raise PolicyError("must be a non-empty string", path=f"{path}[{i}]")
    return raw


def _where(path: str, key: str, raw: object, i: int) -> str:
    return f"{path}.{key}[{i}]" if type(raw) is list else f"{path}.{key}"


def _pair(raw: Mapping[str, Any], a: str, b: str, path: str) -> str | None:
    if a in raw:
        if b in raw:
            raise PolicyError(f"a statement has {a} or {b}, not both", path=f"{path}.{b}")
        return a
    return b if b in raw else None


def _check_actions(raw: object, single: bool, index: int, key: str) -> None:
    if type(raw) is list and raw:
        try:
            if all(map(_ACTION_OK, raw)):
                return
        except TypeError:
            pass
    path = statement_path(single, index)
    for i, a in enumerate(_strings(raw, f"{path}.{key}")):
        if not _ACTION_OK(a):
            raise PolicyError(
                f"action {a!r} must be '*' or 'service:Action', like 's3:GetObject'",
                path=_where(path, key, raw, i),
            )


def _check_resources(
    raw: object, path: str, key: str, variables: bool, warnings: list[PolicyWarning]
) -> None:
    values: list[str] | None = None
    if type(raw) is str:
        if raw:
            values = [raw]
    elif type(raw) is list and raw:
        try:
            if all(map(str.__len__, raw)):
                values = raw
        except TypeError:
            pass
    if values is None:
        values = _strings(raw, f"{path}.{key}")
    if variables and "${" in "".join(values):
        _check_variables(raw, path, key)
    for i, value in enumerate(values):
        if _SERVICE_WILDCARD(value):
            warnings.append(
                PolicyWarning(
                    "wildcard-in-service",
                    "AWS says: You can't use a wildcard in the service segment that "
                    "identifies the AWS product",
                    _where(path, key, raw, i),
                )
            )


def _check_variables(raw: str | list[str], path: str, key: str) -> None:
    """Policy variables page: "You can't use a variable to replace parts of the ARN before
    the fifth colon, such as the service or account." """
    for i, value in enumerate([raw] if type(raw) is str else raw):
        at = value.find("${")
        if at < 0 or value.count(":", 0, at) >= 5:
            continue  # no variable, or five colons before the first "${" and so before any
        if variable_before_fifth_colon(split_variables(value)):
            raise PolicyError(
                "a policy variable can stand only in the resource part of an ARN, after "
                "the fifth colon, not in the partition, service, region or account",
                path=_where(path, key, raw, i),
            )


def _forallvalues_warnings(condition: Condition, path: str, warnings: list) -> None:
    for spec in condition.specs:
        if spec[2] == "all" and not spec[3]:
            warnings.append(
                PolicyWarning(
                    "forallvalues-allow",
                    "ForAllValues is also true when the key is missing or empty, so "
                    "this Allow can apply to requests without it; add a Null check",
                    f"{path}.{spec[0]}",
                )
            )


def check_statement(
    raw: object,
    index: int,
    single: bool,
    kind: str,
    variables: bool,
    warnings: list[PolicyWarning],
) -> tuple[str | None, PrincipalSpec | None, Condition | None]:
    """Raise PolicyError for a bad statement; add its warnings; return its Sid, Principal
    and Condition (parsed)."""
    if type(raw) is not dict:
        if not isinstance(raw, Mapping):
            raise PolicyError("a statement is a JSON object", path=statement_path(single, index))
        raw = dict(raw)
    if not raw.keys() <= STATEMENT_KEYS:
        key = next(k for k in raw if k not in STATEMENT_KEYS)
        path = statement_path(single, index)
        raise PolicyError(f"unknown statement element {key!r}", path=f"{path}.{key}")
    sid = raw.get("Sid")
    if sid is not None and (type(sid) is not str or not _SID_OK(sid)):
        path = statement_path(single, index)
        if type(sid) is not str:
            raise PolicyError("Sid must be a string", path=f"{path}.Sid")
        warnings.append(
            PolicyWarning(
                "sid-characters",
                "IAM accepts only ASCII letters and digits in a Sid",
                f"{path}.Sid",
            )
        )
    effect = raw.get("Effect")
    if effect != "Allow" and effect != "Deny":
        path = statement_path(single, index)
        raise PolicyError('Effect must be "Allow" or "Deny"', path=f"{path}.Effect")

    path = statement_path(single, index)
    action_key = _pair(raw, "Action", "NotAction", path)
    if action_key is None:
        raise PolicyError("a statement needs Action or NotAction", path=path)
    action = raw[action_key]
    if type(action) is not str or not _ACTION_OK(action):
        _check_actions(action, single, index, action_key)

    resource_key = _pair(raw, "Resource", "NotResource", path)
    if resource_key is None:
        if kind != "resource":
            raise PolicyError("a statement needs Resource or NotResource", path=path)
    else:
        _check_resources(raw[resource_key], path, resource_key, variables, warnings)
    return (sid, *_check_rest(raw, index, single, kind, variables, warnings))


def _star(value: object) -> bool:
    return value == "*" or (type(value) is list and "*" in value)


def _check_rest(
    raw: dict[str, Any],
    index: int,
    single: bool,
    kind: str,
    variables: bool,
    warnings: list[PolicyWarning],
) -> tuple[PrincipalSpec | None, Condition | None]:
    """Principal, Condition and the allow-all warning, for a statement whose other elements
    are checked."""
    effect = raw["Effect"]
    principal = condition = None
    if kind in PRINCIPAL_KINDS or "Principal" in raw or "NotPrincipal" in raw:
        principal = _check_principal(raw, effect, kind, statement_path(single, index), warnings)
    if "Condition" in raw:
        path = f"{statement_path(single, index)}.Condition"
        condition = parse_condition(raw["Condition"], path, variables=variables)
        if effect == "Allow":
            _forallvalues_warnings(condition, path, warnings)
    elif (
        effect == "Allow"
        and kind != "rcp"
        and _star(raw.get("Action"))
        and _star(raw.get("Resource"))
    ):
        warnings.append(
            PolicyWarning(
                "allow-all",
                'Allow "*" on "*" grants every action on every resource (administrator access)',
                statement_path(single, index),
            )
        )
    return principal, condition


def _check_principal(
    raw: dict[str, Any], effect: str, kind: str, path: str, warnings: list[PolicyWarning]
) -> PrincipalSpec | None:
    key = _pair(raw, "Principal", "NotPrincipal", path)
    if kind == "rcp":
        _check_rcp_statement(raw, effect, key, path)
    if key is None:
        if kind == "resource":
            raise PolicyError("a statement needs Principal or NotPrincipal", path=path)
        return None
    if kind not in PRINCIPAL_KINDS:
        warnings.append(
            PolicyWarning(
                "principal-in-identity-policy",
                f"{key} is not used in {kind} policies (the principal is whoever "
                "the policy is attached to); it is ignored here and IAM rejects it",
                f"{path}.{key}",
            )
        )
        return None
    principal = parse_principal_element(raw[key], f"{path}.{key}")
    if key == "NotPrincipal" and effect == "Allow":
        warnings.append(
            PolicyWarning(
                "notprincipal-allow",
                "Allow with NotPrincipal grants access to everyone not listed, "
                "including anonymous users; AWS strongly advises against it",
                f"{path}.NotPrincipal",
            )
        )
    for ptype, entry in principal.entries:
        if entry != "*" and ("*" in entry or "?" in entry):
            warnings.append(
                PolicyWarning(
                    "principal-wildcard",
                    f"wildcards are not matched inside a principal ({entry!r}); "
                    'only "*" alone means everyone',
                    f"{path}.{key}.{ptype}",
                )
            )
    return principal


def _check_rcp_statement(raw: Mapping[str, Any], effect: str, key: str | None, path: str) -> None:
    """RCP syntax (rcp.py): Allow only as RCPFullAWSAccess; Principal "*"; no NotPrincipal."""
    if effect == "Allow" and not rcp.is_full_access(raw):
        raise PolicyError(
            'an RCP statement cannot Allow: AWS says "The effect of Allow is only supported for '
            'the RCPFullAWSAccess policy" (Allow, Principal "*", Action "*", Resource "*"); '
            "RCPs restrict with Deny",
            path=f"{path}.Effect",
        )
    if key == "NotPrincipal":
        raise PolicyError(
            'RCPs do not support NotPrincipal; use Principal "*" with a condition',
            path=f"{path}.NotPrincipal",
        )
    if key is None:
        raise PolicyError('an RCP statement needs "Principal": "*"', path=path)
    if raw["Principal"] != "*":
        raise PolicyError(
            'an RCP\'s Principal must be "*"; pick principals with conditions such as '
            "aws:PrincipalOrgID",
            path=f"{path}.Principal",
        )


__all__ = [
    "PRINCIPAL_KINDS",
    "STATEMENT_KEYS",
    "WILD_SERVICE",
    "check_statement",
    "check_statements",
    "one_by_one",
]
