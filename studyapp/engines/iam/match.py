"""Matching actions, resources and ARNs against a statement's patterns.

- Actions are case-insensitive; ``*`` and ``?`` are wildcards.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
- Resources are case-sensitive; wildcards follow the ARN segment rules of wildcard.py
  (``DOC-EXAMPLE-BUCKET//test/object.jpg`` matches ``DOC-EXAMPLE-BUCKET/*/test/*``).
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
- ARN condition operators compare each of the six colon-separated parts separately.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN

``match_once`` tries each pattern as it is (a set matched once, as when a policy is parsed
for one request, is never compiled); a ``GlobSet`` matched again sorts its patterns and
compiles the ones with wildcards. Nothing is shared between policies.
"""

from __future__ import annotations

from collections.abc import Mapping

from .variables import Parts, resolve, split_variables
from .wildcard import Matcher, compile_arn, compile_glob, compile_pattern


def glob_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """Plain wildcards (actions, ``StringLike``): ``*`` any run, ``?`` any one character."""
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()
    return compile_glob(pattern)(value)


def resource_match(pattern: str, value: str) -> bool:
    """The Resource element's rules: wildcards stay inside ARN segments (wildcard.py)."""
    return compile_glob(pattern, segment=True)(value)


def arn_match(pattern: str, value: str) -> bool:
    """ArnLike semantics for one pattern with no variables."""
    return compile_arn(((pattern, False),))(value)


class GlobSet:
    """A list of patterns, some perhaps holding policy variables.

    Sorted the first time it is matched: patterns without wildcards into a set, ``text*``
    into a tuple of prefixes for one ``str.startswith``, the rest compiled when a value shares
    their literal start; patterns with variables are resolved against the request context
    at match time (a variable without a value makes its pattern match nothing).
    """

    __slots__ = ("_sorted", "ignore_case", "patterns", "segment", "variables")

    def __init__(
        self,
        patterns: list[str],
        ignore_case: bool = False,
        variables: bool = False,
        segment: bool = False,
    ) -> None:
        self.patterns = patterns
        self.ignore_case = ignore_case
        self.variables = variables
        self.segment = segment
        self._sorted: _Sorted | object | None = None

    @property
    def any(self) -> bool:
        return "*" in self.patterns

    def match(self, value: str, context: Mapping[str, object]) -> bool:
        """``value`` must already be lowercased when the set ignores case."""
        found = self._sorted
        if found is None:
            self._sorted = _ONCE
            return self._match_once(value, context)
        if found is _ONCE:
            found = self._sorted = _Sorted(self)
        if found.any or value in found.exact or value.startswith(found.prefixes):
            return True
        for i, (start, pattern) in enumerate(found.wild):
            if value.startswith(start):
                matcher = found.compiled[i]
                if matcher is None:
                    matcher = found.compiled[i] = compile_glob(pattern, self.segment)
                if matcher(value):
                    return True
        for parts in found.dynamic:
            pieces = resolve(parts, context)
            if pieces is not None and compile_pattern(pieces, self.segment)(value):
                return True
        return False

    def _match_once(self, value: str, context: Mapping[str, object]) -> bool:
        return match_once(
            self.patterns, value, context, self.ignore_case, self.variables, self.segment
        )


def match_once(
    patterns: list[str] | str,
    value: str,
    context: Mapping[str, object],
    ignore_case: bool = False,
    variables: bool = False,
    segment: bool = False,
) -> bool:
    """Does ``value`` match one of the patterns? Each is tried as it is, compiling nothing
    that is not needed: for a set matched once (most are, when requests do not repeat)."""
    for raw in [patterns] if type(patterns) is str else patterns:
        pattern = raw.lower() if ignore_case else raw
        if pattern == value or pattern == "*":
            return True
        if variables and "${" in pattern:
            head = pattern[: pattern.find("${")]  # without wildcards, the value's start
            if "*" not in head and "?" not in head and not value.startswith(head):
                continue
            pieces = resolve(split_variables(pattern), context)
            if pieces is not None and compile_pattern(pieces, segment)(value):
                return True
        elif "*" in pattern or "?" in pattern:
            if pattern[-1] == "*" and pattern.count("*") == 1 and "?" not in pattern:
                if value.startswith(pattern[:-1]):
                    return True
            elif compile_glob(pattern, segment)(value):
                return True
    return False


_ONCE = object()  # GlobSet._sorted after one match: sort the patterns on the next


class _Sorted:
    __slots__ = ("any", "compiled", "dynamic", "exact", "prefixes", "wild")

    def __init__(self, owner: GlobSet) -> None:
        self.any = False
        exact: set[str] = set()
        prefixes: list[str] = []
        wild: list[tuple[str, str]] = []
        dynamic: list[Parts] = []
        for raw in owner.patterns:
            pattern = raw.lower() if owner.ignore_case else raw
            star = pattern.find("*")
            if pattern == "*":
                self.any = True
            elif owner.variables and "${" in pattern:
                dynamic.append(split_variables(pattern))
            elif "?" in pattern:
                wild.append(
                    (pattern[: min(pattern.find("?"), len(pattern) if star < 0 else star)], pattern)
                )
            elif star < 0:
                exact.add(pattern)
            elif star == len(pattern) - 1:
                prefixes.append(pattern[:-1])
            else:
                wild.append((pattern[:star], pattern))
        self.exact = exact
        self.prefixes = tuple(prefixes)
        self.wild = wild
        self.compiled: list[Matcher | None] = [None] * len(wild)
        self.dynamic = dynamic


__all__ = ["GlobSet", "arn_match", "glob_match", "match_once", "resource_match"]
