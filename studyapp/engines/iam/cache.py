"""Parsed policies kept by content, for requests that repeat the same policies.

``PolicyCache.parse`` is ``parse_policy`` with memory: the key is the policy's kind, its name
and its content (the JSON text as given, the policy's own text inside a scenario's JSON text
(jsontext.py), or a compact JSON dump of a decoded document), so
an edited policy is a new entry and never a stale hit. Least recently used entries go first.
A cached ``Policy`` is shared: evaluation only reads it (and remembers, per action, which
statements cover the action). Invalid policies are not cached.

    cache = PolicyCache()
    run(scenario_text, cache=cache)
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from .parse import Policy, parse_policy


class PolicyCache:
    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[str, str, str | bytes], Policy] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def parse(
        self,
        source: str | bytes | Mapping[str, Any],
        kind: str = "identity",
        name: str = "",
        text: str | None = None,
    ) -> Policy:
        """``text``: the JSON text ``source`` was decoded from, if known (the key then)."""
        if text is not None:
            content: str | bytes | None = text
        elif type(source) is str or type(source) is bytes:
            content = source
        else:
            content = _dump(source)
        if content is None:
            return parse_policy(source, kind, name)
        key = (kind, name, content)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found
        policy = parse_policy(source, kind, name)
        with self._lock:
            self.misses += 1
            self._items[key] = policy
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return policy

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _dump_slow(document: Mapping[str, Any]) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


# The json module's C encoder, made once: json.dumps builds an encoder a call, which costs
# as much as dumping a small policy. Without a circularity check (a cycle is a RecursionError
# rather than a ValueError: the same None below).
_encoder = (
    None
    if c_make_encoder is None
    else c_make_encoder(
        None, json.JSONEncoder().default, encode_basestring, None, ":", ",", False, False, True
    )
)


def _dump(document: Mapping[str, Any]) -> str | None:
    """The compact JSON of a decoded document, as json.dumps(separators=(",", ":"),
    ensure_ascii=False) writes it."""
    try:
        if _encoder is None:
            return _dump_slow(document)
        return "".join(_encoder(document, 0))
    except (TypeError, ValueError, RecursionError):  # not JSON data: parse without the cache
        return None


__all__ = ["PolicyCache"]
