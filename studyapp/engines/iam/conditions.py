"""The Condition element: every operator, ``...IfExists``, ``Null`` and the set qualifiers.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html

- Operators AND together, keys within an operator AND together, values of one key OR
  together; a negated operator (``StringNotEquals``...) is true when the context value
  matches none of the values (NOR).
- A key absent from the request: the condition is false, but true for negated operators.
  ``...IfExists``: true when absent. ``Null``: tests only presence.
- Empty values are null: "it is possible to include an empty string. In this case, the value
  in the request context is null" (Condition element page). ``Null: true`` holds for a key
  whose value is empty; ``ForAllValues`` is true and ``ForAnyValue`` false on "a null data
  set, such as an empty string" (multivalued conditions page).
- A policy variable without a value is null: no context value equals or is like it, so
  StringEquals / StringLike do not match it and StringNotEquals / StringNotLike do.
- Condition key names are case-insensitive; string values are case-sensitive unless the
  operator says ``IgnoreCase``.

Values are checked when the policy is parsed (a bad number, date or address is an error
there); each key's matcher is built the first time a request reaches it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .errors import PolicyError
from .values import binary, in_networks, network, number, parse_date
from .variables import Parts, resolve, resolve_text, split_variables
from .wildcard import compile_arn, compile_glob, compile_pattern

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
_QUALIFIERS = {"ForAllValues": "all", "ForAnyValue": "any"}
# Policy variables work in string and ARN comparisons only (policy variables page).
_VARIABLE_FAMILIES = frozenset({"string", "string-ic", "string-like", "arn"})
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "eq": float.__eq__,
    "lt": float.__lt__,
    "le": float.__le__,
    "gt": float.__gt__,
    "ge": float.__ge__,
}

Match = Callable[[str, Mapping[str, object]], bool]
# (operator, key, set_op, if_exists, negated, family, values, checked, null_wants, dynamic)
Spec = tuple


def _spellings() -> dict[str, tuple[str | None, bool, str, bool]]:
    """Every valid operator name -> (set_op, if_exists, family, negated)."""
    table = {}
    for base, (family, negated) in _OPERATORS.items():
        if family == "null":
            table[base] = (None, False, family, negated)
            continue
        for prefix, set_op in (("", None), ("ForAllValues:", "all"), ("ForAnyValue:", "any")):
            for suffix in ("", "IfExists"):
                table[prefix + base + suffix] = (set_op, bool(suffix), family, negated)
    return table


_SPELLINGS = _spellings()


def split_operator(name: str) -> tuple[str | None, str, bool]:
    """``ForAnyValue:StringLikeIfExists`` -> ("any", "StringLike", True)."""
    set_op = None
    if ":" in name:
        qualifier, _, name = name.partition(":")
        set_op = _QUALIFIERS.get(qualifier, qualifier)
    if_exists = name.endswith("IfExists") and name != "IfExists"
    if if_exists:
        name = name[: -len("IfExists")]
    return set_op, name, if_exists


class Condition:
    """A parsed Condition block: one spec a key and operator, ANDed."""

    __slots__ = ("_matchers", "specs")

    def __init__(self, specs: list[Spec]) -> None:
        self.specs = specs
        self._matchers: list[Match | None] = [None] * len(specs)

    def evaluate(self, context: Mapping[str, object]) -> bool:
        for i, spec in enumerate(self.specs):  # noqa: SIM110 - a loop is faster than all()
            if not self._holds(i, spec, context):
                return False
        return True

    def _holds(self, i: int, spec: Spec, context: Mapping[str, object]) -> bool:
        _op, key, set_op, if_exists, negated, family, values, checked, null_wants, dyn = spec
        raw = context.get(key)
        if raw is None:
            found: tuple[str, ...] = ()
        elif type(raw) is str:
            found = (raw,)
        else:
            found = raw  # type: ignore[assignment]
        null = not any(found)  # no values, or only empty strings
        if null_wants is not None:
            return null in null_wants
        if not found:
            if if_exists or set_op == "all":
                return True
            return False if set_op == "any" else negated
        if set_op is not None and null:
            return set_op == "all"
        match = self._matchers[i]
        if match is None:
            match = self._matchers[i] = _matcher(family, values, checked, dyn)
        if set_op == "all":
            return all(match(v, context) is not negated for v in found)
        if set_op == "any":
            return any(match(v, context) is not negated for v in found)
        for v in found:
            if match(v, context):
                return not negated
        return negated


def _matcher(family: str, values: list[str], checked: list | None, dynamic: bool) -> Match:
    """``match(context_value, context)``: does the value match any of the policy values?"""
    if dynamic:
        return _dynamic_matcher(family, [split_variables(v) for v in values])
    if family == "string":
        return lambda v, _ctx: v in values
    if family == "string-ic":
        folded = {v.casefold() for v in values}
        return lambda v, _ctx: v.casefold() in folded
    if family == "string-like":
        likes = [compile_glob(v) for v in values]
        return lambda v, _ctx: any(m(v) for m in likes)
    if family == "arn":
        arns = [compile_arn(((v, False),)) for v in values]
        return lambda v, _ctx: any(m(v) for m in arns)
    if family == "bool":
        wanted = {v.lower() for v in values}
        return lambda v, _ctx: v.lower() in wanted
    if family == "binary":
        blobs = {binary(v) for v in values}
        return lambda v, _ctx: binary(v) in blobs
    if family == "ip":
        return lambda v, _ctx: in_networks(v, checked)  # type: ignore[arg-type]
    compare = _COMPARE[family.partition("-")[2]]
    read = number if family.startswith("num-") else parse_date
    limits = checked or []

    def ordered(v: str, _ctx: object) -> bool:
        n = read(v)
        return n is not None and any(compare(n, p) for p in limits)

    return ordered


def _dynamic_matcher(family: str, parts: list[Parts]) -> Match:
    """Policy values with variables; a value whose variable has no value matches nothing."""

    def match(value: str, context: Mapping[str, object]) -> bool:
        for p in parts:
            if family == "string" or family == "string-ic":
                text = resolve_text(p, context)
                if text is None:
                    continue
                if value == text or (family == "string-ic" and value.casefold() == text.casefold()):
                    return True
            else:
                pieces = resolve(p, context)
                if pieces is None:
                    continue
                m = compile_arn(pieces) if family == "arn" else compile_pattern(pieces)
                if m(value):
                    return True
        return False

    return match


def _scalar_values(raw: object, path: str) -> list[str]:
    items = raw if type(raw) is list else [raw]
    if not items:
        raise PolicyError("needs at least one value", path=path)
    out = []
    for i, item in enumerate(items):
        kind = type(item)
        if kind is str:
            out.append(item)
        elif kind is bool:
            out.append("true" if item else "false")
        elif kind is int or kind is float:
            out.append(str(item))
        else:
            where = f"{path}[{i}]" if type(raw) is list else path
            raise PolicyError("condition values must be strings, numbers or booleans", path=where)
    return out  # type: ignore[return-value]


def _at(path: str, values: list[str], i: int) -> str:
    return f"{path}[{i}]" if len(values) > 1 else path


def _check(family: str, values: list[str], path: str) -> list | None:
    """Read numbers, dates and addresses now, so that a bad one is a policy error."""
    if family == "ip":
        read, what = network, "is not an IP address or CIDR range"
    elif family.startswith("num-"):
        read, what = number, "is not a number"
    elif family.startswith("date-"):
        read, what = parse_date, "is not a date (ISO 8601 or epoch seconds)"
    else:
        return None
    out = []
    for i, v in enumerate(values):
        found = read(v)
        if found is None:
            raise PolicyError(f"{v!r} {what}", path=_at(path, values, i))
        out.append(found)
    return out


def parse_condition(raw: object, path: str, *, variables: bool) -> Condition:
    """Parse a Condition block; ``variables`` is True for Version 2012-10-17 policies."""
    if type(raw) is not dict:
        raise PolicyError("must be an object of operators", path=path)
    specs: list[Spec] = []
    for op_name, block in raw.items():
        known = _SPELLINGS.get(op_name)
        if known is None:
            _unknown_operator(op_name, f"{path}.{op_name}")
        set_op, if_exists, family, negated = known  # type: ignore[misc]
        if type(block) is not dict or not block:
            raise PolicyError(
                "must be an object of condition keys and values", path=f"{path}.{op_name}"
            )
        for key, raw_values in block.items():
            if not key:
                raise PolicyError("condition key names cannot be empty", path=f"{path}.{op_name}.")
            if type(raw_values) is str:
                values = [raw_values]
            else:
                values = _scalar_values(raw_values, f"{path}.{op_name}.{key}")
            if family == "null":
                specs.append(_null_spec(op_name, key, values, f"{path}.{op_name}.{key}"))
                continue
            # "\0" cannot make a "${" of two values
            dynamic = variables and family in _VARIABLE_FAMILIES and "${" in "\0".join(values)
            checked = (
                _check(family, values, f"{path}.{op_name}.{key}") if family in _CHECKED else None
            )
            specs.append(
                (
                    op_name,
                    key.lower(),
                    set_op,
                    if_exists,
                    negated,
                    family,
                    values,
                    checked,
                    None,
                    dynamic,
                )
            )
    return Condition(specs)


def _unknown_operator(op_name: str, path: str) -> None:
    set_op, base, if_exists = split_operator(op_name)
    if set_op not in (None, "all", "any"):
        raise PolicyError(
            f"unknown qualifier {set_op!r}; use ForAllValues or ForAnyValue", path=path
        )
    if base == "Null" and (if_exists or set_op):
        raise PolicyError("Null takes neither IfExists nor a set qualifier", path=path)
    hint = next((o for o in OPERATORS if o.lower() == base.lower()), None)
    extra = f" (did you mean {hint}?)" if hint else ""
    raise PolicyError(f"unknown condition operator {base!r}{extra}", path=path)


def _null_spec(op_name: str, key: str, values: list[str], path: str) -> Spec:
    wants = set()
    for i, v in enumerate(values):
        low = v.lower()
        if low not in ("true", "false"):
            raise PolicyError('Null takes "true" or "false"', path=_at(path, values, i))
        wants.add(low == "true")
    return (op_name, key.lower(), None, False, False, "null", values, None, frozenset(wants), False)


_CHECKED = frozenset(
    {"num-eq", "num-lt", "num-le", "num-gt", "num-ge", "ip"}
    | {"date-eq", "date-lt", "date-le", "date-gt", "date-ge"}
)


__all__ = ["OPERATORS", "Condition", "parse_condition", "parse_date", "split_operator"]
