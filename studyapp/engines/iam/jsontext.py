"""A scenario's JSON decoded together with the text of each object inside its lists and
under its top-level keys: what a PolicyCache keys a policy by, so a warm request never
serialises a policy again to know whether it has seen it.

The top-level object and the lists under it (a level of SCPs is a list inside a list) are
walked here; every other value is decoded by the json module's own scanner, which returns
where it ended. The result equals ``json.loads`` (a repeated key keeps its first place and
its last value, as there); anything unusual (bad JSON, a top level that is not an object)
returns None, and the caller decodes the ordinary way, for the ordinary errors.
"""

from __future__ import annotations

import json
import re
from json.scanner import make_scanner
from typing import Any

_scan = make_scanner(json.JSONDecoder())
_WS = re.compile(r"[ \t\n\r]*").match
Spans = dict[int, tuple[Any, str]]
_MAX_DEPTH = 4  # lists nested deeper are decoded whole (no policy sits there)


# One call a step. A key has nothing to unescape (else: None, and json.loads decodes it).
_W = r"[ \t\n\r]*"
_KEY = rf'"([^"\\\x00-\x1f]*)"{_W}:{_W}'
_OBJECT_FIRST = re.compile(rf"{_W}\{{{_W}(?:{_KEY}|(\}}))").match  # a key, or "}"
_OBJECT_NEXT = re.compile(rf"{_W}(?:,{_W}{_KEY}|(\}}))").match  # ", key", or "}"
_LIST_FIRST = re.compile(rf"{_W}(\])?").match  # after "[": "]", or the first item
_LIST_NEXT = re.compile(rf"{_W}(?:,{_W}|(\]))").match  # ", item", or "]"


def _list(text: str, at: int, depth: int, spans: Spans) -> tuple[list, int]:
    """The list whose "[" is just before ``at``, and where it ends."""
    out: list[Any] = []
    step = _LIST_FIRST(text, at)
    if step[1] is not None:
        return out, step.end()
    while True:
        at = step.end()
        if text.startswith("[", at) and depth < _MAX_DEPTH:
            value, at = _list(text, at + 1, depth + 1, spans)
        else:
            value, end = _scan(text, at)
            if type(value) is dict:
                spans[id(value)] = (value, text[at:end])  # held: its id stays its own
            at = end
        out.append(value)
        step = _LIST_NEXT(text, at)
        if step is None:
            raise ValueError("not a list")
        if step[1] is not None:
            return out, step.end()


def decode_with_spans(text: str) -> tuple[dict[str, Any], Spans] | None:
    """The decoded top-level object, and ``id(obj) -> (obj, its JSON text)`` for every
    object that is a top-level value or an item of a list under one (see ``text_of``).
    None when the text is not a plain JSON object (or has a key with escapes)."""
    spans: Spans = {}
    data: dict[str, Any] = {}
    try:
        step = _OBJECT_FIRST(text)
        while step is not None and step[2] is None:
            at = step.end()
            if text.startswith("[", at):
                value, at = _list(text, at + 1, 2, spans)
            else:
                value, end = _scan(text, at)
                if type(value) is dict:
                    spans[id(value)] = (value, text[at:end])
                at = end
            data[step[1]] = value
            step = _OBJECT_NEXT(text, at)
        if step is None or _WS(text, step.end()).end() != len(text):
            return None
    except (StopIteration, ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return None
    return data, spans


def text_of(value: object, spans: Spans) -> str | None:
    """The JSON text ``value`` was decoded from, if ``decode_with_spans`` noted it."""
    found = spans.get(id(value))
    return found[1] if found is not None and found[0] is value else None


__all__ = ["Spans", "decode_with_spans", "text_of"]
