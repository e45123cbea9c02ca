"""Wildcard matching for actions, resources and ARNs, compiled once per policy.

- Actions are case-insensitive; ``*`` and ``?`` are wildcards.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
- Resources are case-sensitive; ``*`` matches any run of characters, including ``/``, ``:``
  and the empty string (``DOC-EXAMPLE-BUCKET//test/object.jpg`` matches ``/*/test/*``),
  ``?`` exactly one character.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
- ARN condition operators compare each of the six colon-separated parts separately.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from .variables import Parts, Piece, has_variables, resolve, split_variables

_NEVER = re.compile(r"(?!)")


def _glob_fragment(text: str) -> str:
    out = []
    for ch in text:
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _pieces_regex(pieces: Iterable[Piece]) -> str:
    return "".join(re.escape(text) if literal else _glob_fragment(text) for text, literal in pieces)


@lru_cache(maxsize=4096)
def compile_pieces(pieces: tuple[Piece, ...], ignore_case: bool = False) -> re.Pattern[str]:
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(_pieces_regex(pieces), flags)


def compile_globs(patterns: Iterable[str], ignore_case: bool = False) -> re.Pattern[str]:
    """One regex for a list of glob patterns (use with ``fullmatch``)."""
    body = "|".join(_glob_fragment(p) for p in patterns)
    if not body:
        return _NEVER
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(f"(?:{body})", flags)


def glob_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    return compile_pieces(((pattern, False),), ignore_case).fullmatch(value) is not None


class GlobSet:
    """A list of glob patterns, some perhaps holding policy variables.

    Patterns without wildcards go in a set; the rest in one compiled regex; those with
    variables are resolved against the request context at match time.
    """

    __slots__ = ("any", "dynamic", "exact", "ignore_case", "regex")

    def __init__(
        self, patterns: Iterable[str], *, ignore_case: bool = False, variables: bool = False
    ) -> None:
        self.ignore_case = ignore_case
        exact: set[str] = set()
        wild: list[str] = []
        dynamic: list[Parts] = []
        self.any = False
        for raw in patterns:
            pattern = raw.lower() if ignore_case else raw
            if variables and has_variables(pattern):
                dynamic.append(split_variables(pattern))
            elif pattern == "*":
                self.any = True
            elif "*" in pattern or "?" in pattern:
                wild.append(pattern)
            else:
                exact.add(pattern)
        self.exact = frozenset(exact)
        self.regex = compile_globs(wild, ignore_case) if wild else None
        self.dynamic = tuple(dynamic)

    def match(self, value: str, context: Mapping[str, object]) -> bool:
        """``value`` must already be lowercased when the set ignores case."""
        if self.any or value in self.exact:
            return True
        if self.regex is not None and self.regex.fullmatch(value):
            return True
        for parts in self.dynamic:
            pieces = resolve(parts, context)
            if pieces is not None and compile_pieces(pieces, self.ignore_case).fullmatch(value):
                return True
        return False


def _arn_regex(pieces: Iterable[Piece]) -> str:
    # Wildcards stay inside their ARN part in the first five parts; the sixth (the resource
    # id) may itself contain colons.
    out: list[str] = []
    colons = 0
    for text, literal in pieces:
        for ch in text:
            if ch == ":":
                colons += 1
                out.append(":")
            elif not literal and ch == "*":
                out.append(".*" if colons >= 5 else "[^:]*")
            elif not literal and ch == "?":
                out.append("." if colons >= 5 else "[^:]")
            else:
                out.append(re.escape(ch))
    if colons < 5:
        return "(?!)"
    return "".join(out)


@lru_cache(maxsize=4096)
def compile_arn(pieces: tuple[Piece, ...]) -> re.Pattern[str]:
    return re.compile(_arn_regex(pieces), re.DOTALL)


def arn_match(pattern: str, value: str) -> bool:
    """ArnLike semantics for one pattern with no variables."""
    return compile_arn(((pattern, False),)).fullmatch(value) is not None


def arn_parts(parts: Parts, context: Mapping[str, object]) -> re.Pattern[str] | None:
    pieces = resolve(parts, context)
    return None if pieces is None else compile_arn(pieces)


__all__ = [
    "GlobSet",
    "arn_match",
    "arn_parts",
    "compile_arn",
    "compile_globs",
    "compile_pieces",
    "glob_match",
]
