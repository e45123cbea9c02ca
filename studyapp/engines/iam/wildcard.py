"""Wildcards (``*`` and ``?``) matched in linear time: no regular expressions, no backtracking.

A pattern is a sequence of pieces ``(text, literal)``; in a literal piece (what a policy
variable or ``${*}`` put there) ``*`` and ``?`` are plain characters. ``compile_pattern``
returns ``match(value) -> bool`` built from one of four plans:

- exact: no wildcard, a string comparison;
- prefix: a single ``*`` at the end, ``str.startswith``;
- chunks: ``*`` only. The literal runs between the stars are found left to right with
  ``str.find``, each at its leftmost place: the rest of the pattern then has the most room
  left, so a match exists iff this finds one. O(len(value) + len(pattern)) steps;
- automaton: ``?``, or (segment mode) a star that may cross colons followed by one that may
  not. The pattern's automaton is run bit-parallel over the value, one step a character:
  O(len(value) * len(pattern) / word size) and never exponential.

Two modes:

- plain (actions, ``StringLike``): ``*`` matches any run of characters, ``?`` any one.
- segment (the Resource element): "You can use wildcard characters (* and ?) within ARN
  segments (the parts separated by colons)". ``?`` never matches a colon; ``*`` stays in its
  segment unless it is the last character of the segment ("If the * wildcard is the last
  character of a resource ARN segment, it can expand to match beyond the colon boundaries").
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Matcher = Callable[[str], bool]
Piece = tuple[str, bool]

_STAR = object()
_ONE = object()


def _never(_value: str) -> bool:
    return False


def _always(_value: str) -> bool:
    return True


def _tokens(pieces: Iterable[Piece]) -> list[object]:
    """Characters, with _STAR and _ONE for wildcards; runs of stars become one star."""
    out: list[object] = []
    for text, literal in pieces:
        if literal:
            out.extend(text)
            continue
        for ch in text:
            if ch == "*":
                if not out or out[-1] is not _STAR:
                    out.append(_STAR)
            elif ch == "?":
                out.append(_ONE)
            else:
                out.append(ch)
    return out


def compile_pattern(pieces: Iterable[Piece], segment: bool = False) -> Matcher:
    """``match(value)`` for a pattern given as pieces (see the module docstring)."""
    pieces = tuple(pieces)
    for text, literal in pieces:
        if literal and ("*" in text or "?" in text):
            return _compile_tokens(_tokens(pieces), segment)
    return compile_glob("".join(text for text, _ in pieces), segment)


def compile_glob(pattern: str, segment: bool = False) -> Matcher:
    """``match(value)`` for a pattern string in which ``*`` and ``?`` are wildcards."""
    if "*" not in pattern:
        if "?" not in pattern:
            return pattern.__eq__
        return _automaton(_tokens(((pattern, False),)), segment)
    if "?" in pattern:
        return _automaton(_tokens(((pattern, False),)), segment)
    if pattern[-1] == "*" and pattern.count("*") == 1:
        return _prefix(pattern[:-1]) if len(pattern) > 1 else _always
    split = pattern.split("*")
    chunks = [split[0]]
    spans: list[bool] = []  # for each star: may it cross colons?
    last = len(split) - 1
    for j in range(1, len(split)):
        chunk = split[j]
        if not chunk and j < last:
            continue  # "**" is one star
        spans.append(not segment or not chunk or chunk[0] == ":")
        chunks.append(chunk)
    return _plan(chunks, spans, segment, pattern)


def _compile_tokens(tokens: list[object], segment: bool) -> Matcher:
    """Tokens where some ``*`` or ``?`` are literal characters (from ``${*}`` or a variable)."""
    if _ONE in tokens:
        return _automaton(tokens, segment)
    chunks: list[str] = []
    spans: list[bool] = []
    buf: list[str] = []
    for i, tok in enumerate(tokens):
        if tok is _STAR:
            chunks.append("".join(buf))
            buf = []
            spans.append(not segment or i + 1 == len(tokens) or tokens[i + 1] == ":")
        else:
            buf.append(tok)  # type: ignore[arg-type]
    chunks.append("".join(buf))
    return _plan(chunks, spans, segment, tokens)


def _plan(chunks: list[str], spans: list[bool], segment: bool, source: object) -> Matcher:
    if not spans:
        return chunks[0].__eq__
    if len(spans) == 1 and chunks[1] == "" and spans[0]:
        return _prefix(chunks[0]) if chunks[0] else _always
    # Leftmost placement is right while no colon-bound star follows a colon-crossing one.
    if True in spans and False in spans[spans.index(True) :]:
        tokens = _tokens(((source, False),)) if isinstance(source, str) else source
        return _automaton(tokens, segment)  # type: ignore[arg-type]
    return _chunks(chunks, spans)


def _prefix(text: str) -> Matcher:
    def match(value: str) -> bool:
        return value.startswith(text)

    return match


def _chunks(chunks: list[str], spans: list[bool]) -> Matcher:
    first, last = chunks[0], chunks[-1]
    middles = tuple(zip(chunks[1:-1], spans[:-1], strict=True))
    last_spans = spans[-1]
    min_len = sum(len(c) for c in chunks)
    len_first, len_last = len(first), len(last)

    def match(value: str) -> bool:
        n = len(value)
        if n < min_len or not value.startswith(first) or not value.endswith(last):
            return False
        pos, end = len_first, n - len_last
        for chunk, spanning in middles:
            limit = end
            if not spanning:
                # The star before this chunk cannot cover a colon: the chunk starts at or
                # before the next colon.
                colon = value.find(":", pos, end)
                if colon >= 0 and colon + len(chunk) < limit:
                    limit = colon + len(chunk)
            at = value.find(chunk, pos, limit)
            if at < 0:
                return False
            pos = at + len(chunk)
        return last_spans or value.find(":", pos, end) < 0

    return match


def _automaton(tokens: list[object], segment: bool) -> Matcher:
    """Bit i of the state: the first i tokens match what has been read so far."""
    literal: dict[str, int] = {}
    one = star = star_span = 0
    for i, tok in enumerate(tokens):
        bit = 1 << i
        if tok is _STAR:
            star |= bit
            if not segment or i + 1 == len(tokens) or tokens[i + 1] == ":":
                star_span |= bit
        elif tok is _ONE:
            one |= bit
        else:
            literal[tok] = literal.get(tok, 0) | bit  # type: ignore[index]
    final = 1 << len(tokens)
    advance = {ch: mask | one for ch, mask in literal.items()}
    if segment:
        advance[":"] = literal.get(":", 0)  # "?" never matches a colon
    stay_colon = star_span if segment else star
    start = 1 | ((1 & star) << 1)
    fixed = len(tokens) - bin(star).count("1")  # characters the value needs at least

    def match(value: str) -> bool:
        if len(value) < fixed or (not star and len(value) != fixed):
            return False
        state = start
        get = advance.get
        for ch in value:
            state = ((state & get(ch, one)) << 1) | (state & (stay_colon if ch == ":" else star))
            state |= (state & star) << 1
            if not state:
                return False
        return bool(state & final)

    return match


def arn_components(pieces: Iterable[Piece]) -> list[list[Piece]] | None:
    """Split a pattern at its first five colons (the six ARN components), or None."""
    parts: list[list[Piece]] = [[]]
    for text, literal in pieces:
        start = 0
        while len(parts) < 6:
            colon = text.find(":", start)
            if colon < 0:
                break
            parts[-1].append((text[start:colon], literal))
            parts.append([])
            start = colon + 1
        parts[-1].append((text[start:], literal))
    return parts if len(parts) == 6 else None


def compile_arn(pieces: Iterable[Piece]) -> Matcher:
    """``ArnLike``: "Each of the six colon-delimited components of the ARN is checked
    separately" (condition operators page); the sixth, the resource, may hold colons."""
    components = arn_components(pieces)
    if components is None:
        return _never
    matchers = [compile_pattern(c) for c in components]

    def match(value: str) -> bool:
        parts = value.split(":", 5)
        if len(parts) != 6:
            return False
        return all(m(p) for m, p in zip(matchers, parts, strict=True))

    return match


__all__ = ["Matcher", "arn_components", "compile_arn", "compile_glob", "compile_pattern"]
