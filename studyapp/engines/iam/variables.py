"""Policy variables: ``${aws:username}``, defaults, and the ``${*}`` ``${?}`` ``${$}`` escapes.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

- Variables are replaced only in policies whose Version is ``2012-10-17``; in ``2008-10-17``
  policies (and policies without a Version) ``${...}`` is literal text.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
- Key names are case-insensitive; a default goes after a comma in single quotes
  (``${aws:PrincipalTag/team, 'none'}``), ``''`` inside it is one quote.
- A variable whose key is absent (or multivalued) and has no default cannot be resolved; the
  element that holds it matches nothing ("might cause the entire statement to be invalid").
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


def has_variables(text: str) -> bool:
    return "${" in text


def split_variables(text: str) -> Parts:
    """Split ``text`` into glob text, literal escapes and variables."""
    parts: list[Part] = []
    buf: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        if text.startswith("${", i):
            end = _closing_brace(text, i + 2)
            if end is not None:
                inner = text[i + 2 : end]
                var = _parse_variable(inner)
                if var is not None:
                    if buf:
                        parts.append(("g", "".join(buf)))
                        buf = []
                    parts.append(var)
                    i = end + 1
                    continue
        buf.append(text[i])
        i += 1
    if buf:
        parts.append(("g", "".join(buf)))
    return tuple(parts)


def _closing_brace(text: str, start: int) -> int | None:
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
            if isinstance(value, str):
                pieces.append((value, True))
            elif part[2] is not None:
                pieces.append((part[2], True))
            else:
                return None
    return tuple(pieces)


def resolve_text(parts: Parts, context: Mapping[str, object]) -> str | None:
    """The resolved string, with wildcards left as plain characters (for exact comparisons)."""
    pieces = resolve(parts, context)
    if pieces is None:
        return None
    return "".join(text for text, _ in pieces)
