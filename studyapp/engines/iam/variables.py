"""Policy variables: ``${aws:username}``, defaults, and the ``${*}`` ``${?}`` ``${$}`` escapes.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

- Variables are replaced only in policies whose Version is ``2012-10-17``; in ``2008-10-17``
  policies (and policies without a Version) ``${...}`` is literal text.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
- Key names are case-insensitive; a default goes after a comma in single quotes
  (``${aws:PrincipalTag/team, 'none'}``), ``''`` inside it is one quote.
- A variable whose key is absent, empty or multivalued, and has no default, has no value:
  "When policy variables reference a condition context key that has no value or is not
  present in an authorization context for a request, the value is effectively null. There is
  no equal or like value." A Resource pattern holding one matches nothing; in a condition,
  StringEquals / StringLike do not match it and StringNotEquals / StringNotLike do
  (conditions.py). ``resolve`` returns None for such a pattern.
- In the Resource element a variable may stand only after the fifth colon of the ARN
  ("You can't use a variable to replace parts of the ARN before the fifth colon, such as the
  service or account"): ``variable_before_fifth_colon``.
- Substitution is a single pass, and what it inserts is literal text, never a wildcard.
"""

from __future__ import annotations

from collections.abc import Mapping

# A part of a string: ("g", text) glob text where * and ? are wildcards,
# ("l", text) literal text, ("v", key, default) a variable (key lowercased; default or None).
Part = tuple
Parts = tuple[Part, ...]
# A resolved piece: (text, is_literal).
Piece = tuple[str, bool]

_ESCAPES = {"*": "*", "?": "?", "$": "$"}


def split_variables(text: str) -> Parts:
    """Split ``text`` into glob text, literal escapes and variables."""
    parts: list[Part] = []
    start = 0  # where the pending glob text begins
    at = text.find("${")
    while at >= 0:
        end = _closing_brace(text, at + 2)
        var = None if end is None else _parse_variable(text[at + 2 : end])
        if var is None or end is None:
            at = text.find("${", at + 1)
            continue
        if at > start:
            parts.append(("g", text[start:at]))
        parts.append(var)
        start = end + 1
        at = text.find("${", start)
    if start < len(text):
        parts.append(("g", text[start:]))
    return tuple(parts)


def _closing_brace(text: str, start: int) -> int | None:
    """The ``}`` that closes a variable; a default in single quotes may hold one."""
    close = text.find("}", start)
    if close < 0:
        return None
    if text.find("'", start, close) < 0:
        return close
    quoted = False
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "'":
            if quoted and text.startswith("''", i):
                i += 2
                continue
            quoted = not quoted
        elif ch == "}" and not quoted:
            return i
        i += 1
    return None


def _parse_variable(inner: str) -> Part | None:
    stripped = inner.strip()
    if stripped in _ESCAPES:
        return ("l", _ESCAPES[stripped])
    if "," in stripped:
        key, _, rest = stripped.partition(",")
        rest = rest.strip()
        if len(rest) >= 2 and rest[0] == "'" and rest[-1] == "'":
            default = rest[1:-1].replace("''", "'")
            key = key.strip()
            return ("v", key.lower(), default) if key else None
        return None
    if not stripped or "'" in stripped:
        return None
    return ("v", stripped.lower(), None)


def resolve(parts: Parts, context: Mapping[str, object]) -> tuple[Piece, ...] | None:
    """Replace variables from ``context`` (lowercased keys); None when one cannot be resolved."""
    pieces: list[Piece] = []
    for part in parts:
        tag = part[0]
        if tag == "g":
            pieces.append((part[1], False))
        elif tag == "l":
            pieces.append((part[1], True))
        else:
            value = context.get(part[1])
            if isinstance(value, str) and value:
                pieces.append((value, True))
            elif part[2] is not None:
                pieces.append((part[2], True))
            else:
                return None
    return tuple(pieces)


def variable_before_fifth_colon(parts: Parts) -> bool:
    """Does a variable (not a ``${*}``-style escape) come before the ARN's fifth colon?"""
    colons = 0
    for part in parts:
        if part[0] == "v":
            return colons < 5
        colons += part[1].count(":")
        if colons >= 5:
            return False
    return False


def resolve_text(parts: Parts, context: Mapping[str, object]) -> str | None:
    """The resolved string, with wildcards left as plain characters (for exact comparisons)."""
    pieces = resolve(parts, context)
    if pieces is None:
        return None
    return "".join(text for text, _ in pieces)
