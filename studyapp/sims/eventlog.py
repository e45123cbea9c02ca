"""A simulation's event log: the latest calls and their results, capped, stored in parts.

Entries are plain JSON objects the simulator chooses (what was called, by whom, the result);
the log numbers them (``n``) and keeps the newest ``limit``. Each entry is a part of its own,
so saving after an action writes the new entry and deletes the one that fell off the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class EventLog:
    def __init__(
        self,
        limit: int,
        entries: list[dict[str, Any]] | None = None,
        next_n: int = 1,
        *,
        stored: bool = False,
    ):
        """``stored``: the entries are stored already (none has changed since)."""
        self.limit = limit
        self.entries: list[dict[str, Any]] = list(entries or [])
        self.next_n = next_n
        self._changed: set[int] = set() if stored else {entry["n"] for entry in self.entries}
        self._shown: dict[int, Any] = {}  # what a page made of each entry (not stored)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    @property
    def last(self) -> dict[str, Any] | None:
        return self.entries[-1] if self.entries else None

    def newest_first(self) -> list[dict[str, Any]]:
        return self.entries[::-1]

    def append(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Add an entry, numbered; the oldest goes when the log is full."""
        entry = {"n": self.next_n, **entry}
        self.next_n += 1
        self.entries.append(entry)
        self._changed.add(entry["n"])
        while len(self.entries) > self.limit:
            gone = self.entries.pop(0)["n"]
            self._changed.add(gone)
            self._shown.pop(gone, None)
        return entry

    def update_last(self, **changes: Any) -> None:
        """Change the newest entry in place (consecutive clock steps make one entry)."""
        last = self.entries[-1]
        last.update(changes)
        self._changed.add(last["n"])
        self._shown.pop(last["n"], None)

    def shown(self, entry: dict[str, Any], make: Callable[[dict[str, Any]], Any]) -> Any:
        """``make(entry)``, made once per entry while this log is in memory: an entry does
        not change (but the newest, see update_last), and a page draws every one each time."""
        found = self._shown.get(entry["n"])
        if found is None:
            found = self._shown[entry["n"]] = make(entry)
        return found

    def to_parts(self, *, changed: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        """(head, parts): one part per entry; with ``changed``, only new, changed and gone
        ones since the last call (a gone one as None)."""
        kept = {entry["n"]: entry for entry in self.entries}
        numbers = self._changed if changed else kept
        parts = {str(n): kept.get(n) for n in numbers}
        self._changed = set()
        return {"next": self.next_n, "limit": self.limit}, parts

    @classmethod
    def from_parts(cls, head: dict[str, Any], parts: dict[str, Any]) -> EventLog:
        entries = sorted(parts.values(), key=lambda entry: entry["n"])
        limit = int(head["limit"])
        return cls(limit, entries[-limit:], int(head["next"]), stored=True)
