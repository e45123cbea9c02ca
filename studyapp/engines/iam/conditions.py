"""The Condition element: every operator, ``...IfExists``, ``Null`` and the set qualifiers.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html

- Operators AND together, keys within an operator AND together, values of one key OR
  together; a negated operator (``StringNotEquals``...) is true when the context value
  matches none of the values (NOR).
- A key absent from the request: the condition is false, but true for negated operators.
  ``...IfExists``: true when absent. ``Null``: tests only presence.
- ``ForAllValues:``: true when every context value matches (and when the key is absent or
  empty). ``ForAnyValue:``: true when at least one matches (false when absent or empty).
- Condition key names are case-insensitive; string values are case-sensitive unless the
  operator says ``IgnoreCase``.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import PolicyError
from .match import compile_arn, compile_pieces
from .variables import Parts, has_variables, resolve, resolve_text, split_variables

# family, negated
_OPERATORS: dict[str, tuple[str, bool]] = {
    "StringEquals": ("string", False),
    "StringNotEquals": ("string", True),
    "StringEqualsIgnoreCase": ("string-ic", False),
    "StringNotEqualsIgnoreCase": ("string-ic", True),
    "StringLike": ("string-like", False),
    "StringNotLike": ("string-like", True),
    "NumericEquals": ("num-eq", False),
    "NumericNotEquals": ("num-eq", True),
    "NumericLessThan": ("num-lt", False),
    "NumericLessThanEquals": ("num-le", False),
    "NumericGreaterThan": ("num-gt", False),
    "NumericGreaterThanEquals": ("num-ge", False),
    "DateEquals": ("date-eq", False),
    "DateNotEquals": ("date-eq", True),
    "DateLessThan": ("date-lt", False),
    "DateLessThanEquals": ("date-le", False),
    "DateGreaterThan": ("date-gt", False),
    "DateGreaterThanEquals": ("date-ge", False),
    "Bool": ("bool", False),
    "BinaryEquals": ("binary", False),
    "IpAddress": ("ip", False),
    "NotIpAddress": ("ip", True),
    "ArnEquals": ("arn", False),
    "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True),
    "ArnNotLike": ("arn", True),
    "Null": ("null", False),
}
OPERATORS = tuple(_OPERATORS)
# Policy variables work in string and ARN comparisons only (policy variables page).
_VARIABLE_FAMILIES = {"string", "string-ic", "string-like", "arn"}
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def parse_date(text: str) -> float | None:
    """ISO 8601 (``2019-07-16T12:00:00Z``, ``2019-07-16``) or epoch seconds, as epoch seconds."""
    number = _number(text)
    if number is not None and re.fullmatch(r"-?\d+(\.\d+)?", text.strip()):
        return number
    try:
        when = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _binary(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text.encode()


def split_operator(name: str) -> tuple[str | None, str, bool]:
    """``ForAnyValue:StringLikeIfExists`` -> ("any", "StringLike", True)."""
    set_op = None
    if ":" in name:
        qualifier, _, name = name.partition(":")
        set_op = {"ForAllValues": "all", "ForAnyValue": "any"}.get(qualifier, qualifier)
    if_exists = name.endswith("IfExists") and name != "IfExists"
    if if_exists:
        name = name[: -len("IfExists")]
    return set_op, name, if_exists


@dataclass(frozen=True)
class KeyTest:
    """One operator applied to one context key, with its policy values."""

    operator: str
    key: str
    set_op: str | None
    if_exists: bool
    negated: bool
    match_one: Callable[[str, Mapping[str, object]], bool | None]
    null_wants: frozenset[bool] = frozenset()

    def evaluate(self, context: Mapping[str, object]) -> bool:
        raw = context.get(self.key)
        values: tuple[str, ...]
        if raw is None:
            values = ()
        elif isinstance(raw, tuple):
            values = raw
        else:
            values = (raw,)  # type: ignore[assignment]
        if self.null_wants:
            return (not values) in self.null_wants
        if not values:
            if self.if_exists:
                return True
            if self.set_op == "all":
                return True
            if self.set_op == "any":
                return False
            return self.negated
        results = []
        for value in values:
            hit = self.match_one(value, context)
            if hit is None:  # a policy variable could not be resolved
                return False
            results.append(hit)
        if self.set_op == "all":
            return all((not r) if self.negated else r for r in results)
        if self.set_op == "any":
            return any((not r) if self.negated else r for r in results)
        return not any(results) if self.negated else any(results)


def _scalar_values(raw: object, path: str) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    if isinstance(raw, list) and not raw:
        raise PolicyError("needs at least one value", path=path)
    out = []
    for i, item in enumerate(items):
        where = f"{path}[{i}]" if isinstance(raw, list) else path
        if isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, int | float):
            out.append(str(item))
        elif isinstance(item, str):
            out.append(item)
        else:
            raise PolicyError("condition values must be strings, numbers or booleans", path=where)
    return out


def _matcher(family: str, values: list[str], variables: bool, path: str):
    """Build ``match_one(context_value, context) -> bool | None`` (None: unresolved variable)."""
    if family in _VARIABLE_FAMILIES and variables and any(has_variables(v) for v in values):
        parts = [split_variables(v) for v in values]
        return _dynamic_matcher(family, parts)
    if family == "string":
        exact = frozenset(values)
        return lambda v, _ctx: v in exact
    if family == "string-ic":
        folded = frozenset(v.casefold() for v in values)
        return lambda v, _ctx: v.casefold() in folded
    if family == "string-like":
        regexes = [compile_pieces(((v, False),)) for v in values]
        return lambda v, _ctx: any(r.fullmatch(v) for r in regexes)
    if family == "arn":
        regexes = [compile_arn(((v, False),)) for v in values]
        return lambda v, _ctx: any(r.fullmatch(v) for r in regexes)
    if family.startswith("num-"):
        numbers = []
        for i, v in enumerate(values):
            n = _number(v)
            if n is None:
                raise PolicyError(f"{v!r} is not a number", path=_at(path, values, i))
            numbers.append(n)
        cmp = _COMPARE[family[4:]]

        def numeric(v: str, _ctx: object) -> bool:
            n = _number(v)
            return n is not None and any(cmp(n, p) for p in numbers)

        return numeric
    if family.startswith("date-"):
        dates = []
        for i, v in enumerate(values):
            d = parse_date(v)
            if d is None:
                raise PolicyError(
                    f"{v!r} is not a date (ISO 8601 or epoch seconds)", path=_at(path, values, i)
                )
            dates.append(d)
        cmp = _COMPARE[family[5:]]

        def date(v: str, _ctx: object) -> bool:
            d = parse_date(v)
            return d is not None and any(cmp(d, p) for p in dates)

        return date
    if family == "bool":
        wanted = frozenset(v.lower() for v in values)
        return lambda v, _ctx: v.lower() in wanted
    if family == "binary":
        blobs = frozenset(_binary(v) for v in values)
        return lambda v, _ctx: _binary(v) in blobs
    if family == "ip":
        networks = []
        for i, v in enumerate(values):
            net = _network(v)
            if net is None:
                raise PolicyError(
                    f"{v!r} is not an IP address or CIDR range", path=_at(path, values, i)
                )
            networks.append(net)

        def ip(v: str, _ctx: object) -> bool:
            addr = _address(v)
            return addr is not None and any(
                addr.version == net.version and addr in net for net in networks
            )

        return ip
    raise AssertionError(family)  # pragma: no cover


def _at(path: str, values: list[str], i: int) -> str:
    return f"{path}[{i}]" if len(values) > 1 else path


def _dynamic_matcher(family: str, parts: list[Parts]):
    def match(value: str, context: Mapping[str, object]) -> bool | None:
        hit = False
        for p in parts:
            if family == "string":
                text = resolve_text(p, context)
                if text is None:
                    return None
                hit = hit or value == text
            elif family == "string-ic":
                text = resolve_text(p, context)
                if text is None:
                    return None
                hit = hit or value.casefold() == text.casefold()
            else:
                pieces = resolve(p, context)
                if pieces is None:
                    return None
                regex = compile_arn(pieces) if family == "arn" else compile_pieces(pieces)
                hit = hit or regex.fullmatch(value) is not None
        return hit

    return match


@dataclass(frozen=True)
class Condition:
    tests: tuple[KeyTest, ...]

    def evaluate(self, context: Mapping[str, object]) -> bool:
        return all(t.evaluate(context) for t in self.tests)


def parse_condition(raw: object, path: str, *, variables: bool) -> Condition:
    """Parse a Condition block; ``variables`` is True for Version 2012-10-17 policies."""
    if not isinstance(raw, dict):
        raise PolicyError("must be an object of operators", path=path)
    tests: list[KeyTest] = []
    for op_name, block in raw.items():
        op_path = f"{path}.{op_name}"
        if not isinstance(op_name, str):
            raise PolicyError("operator names are strings", path=op_path)  # pragma: no cover
        set_op, base, if_exists = split_operator(op_name)
        if set_op not in (None, "all", "any"):
            raise PolicyError(
                f"unknown qualifier {set_op!r}; use ForAllValues or ForAnyValue", path=op_path
            )
        if base not in _OPERATORS:
            hint = next((o for o in OPERATORS if o.lower() == base.lower()), None)
            extra = f" (did you mean {hint}?)" if hint else ""
            raise PolicyError(f"unknown condition operator {base!r}{extra}", path=op_path)
        family, negated = _OPERATORS[base]
        if family == "null" and (if_exists or set_op):
            raise PolicyError("Null takes neither IfExists nor a set qualifier", path=op_path)
        if not isinstance(block, dict) or not block:
            raise PolicyError("must be an object of condition keys and values", path=op_path)
        for key, raw_values in block.items():
            key_path = f"{op_path}.{key}"
            if not key:
                raise PolicyError("condition key names cannot be empty", path=key_path)
            values = _scalar_values(raw_values, key_path)
            if family == "null":
                wants = set()
                for i, v in enumerate(values):
                    if v.lower() not in ("true", "false"):
                        raise PolicyError(
                            'Null takes "true" or "false"', path=_at(key_path, values, i)
                        )
                    wants.add(v.lower() == "true")
                tests.append(
                    KeyTest(
                        op_name,
                        key.lower(),
                        None,
                        False,
                        False,
                        lambda v, c: False,
                        frozenset(wants),
                    )
                )
                continue
            match_one = _matcher(family, values, variables, key_path)
            tests.append(KeyTest(op_name, key.lower(), set_op, if_exists, negated, match_one))
    return Condition(tuple(tests))
