"""Time to Live: expired items are deleted some time later, deterministically (TTL.html).

An item is eligible when TTL is enabled, it has the TTL attribute as a top-level Number (epoch
seconds), and that time has passed but not by five years or more ("the timestamp value is older
than the current time but not five years older or more"). DynamoDB deletes it "typically within
48 hours of expiration"; here the delay is a hash of the engine's seed, the table, the key and
the TTL value, between 0 and 48 hours, so a run is reproducible. Until then the item can still
be read, queried, scanned and updated ("Items that have expired, but haven't yet been deleted by
TTL, still appear in reads, queries, and scans"); an update that changes or removes the TTL
attribute cancels the pending deletion. The deletion consumes no capacity and is a system
delete in the stream.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from decimal import Decimal
from typing import Any

from .limits import TTL_MAX_AGE_SECONDS, TTL_MAX_DELAY_SECONDS


class Ttl:
    def __init__(self) -> None:
        self.attribute: str | None = None
        self.enabled = False
        # heap of [delete_at, sequence, key item, TTL value as stored]
        self.queue: list[list[Any]] = []
        self.sequence = 0

    def describe(self) -> dict[str, Any]:
        if not self.enabled:
            return {"TimeToLiveStatus": "DISABLED"}
        return {"TimeToLiveStatus": "ENABLED", "AttributeName": self.attribute}

    def delay(self, seed: int, table: str, key: dict[str, Any], value: str) -> int:
        text = f"{seed}|{table}|{json.dumps(key, sort_keys=True)}|{value}"
        digest = hashlib.md5(text.encode(), usedforsecurity=False).digest()
        return int.from_bytes(digest[:8], "big") % TTL_MAX_DELAY_SECONDS

    def schedule(
        self, item: dict[str, Any], key: dict[str, Any], now: float, seed: int, table: str
    ) -> None:
        """Queue the deletion of ``item`` if it has a valid TTL attribute."""
        if not self.enabled:
            return
        value = item.get(self.attribute)  # type: ignore[arg-type]
        if value is None or "N" not in value:
            return
        expires = Decimal(value["N"])
        if expires <= Decimal(repr(now)) - TTL_MAX_AGE_SECONDS:
            return
        at = max(float(expires), now) + self.delay(seed, table, key, value["N"])
        self.sequence += 1
        heapq.heappush(self.queue, [at, self.sequence, key, value["N"]])

    def due(self, now: float) -> list[tuple[float, dict[str, Any], str]]:
        """(deletion time, key, TTL value) of every deletion due by ``now``, oldest first."""
        found = []
        queue = self.queue
        while queue and queue[0][0] <= now:
            at, _, key, value = heapq.heappop(queue)
            found.append((at, key, value))
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.attribute,
            "enabled": self.enabled,
            "queue": self.queue,
            "sequence": self.sequence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ttl:
        ttl = cls()
        ttl.attribute = data["attribute"]
        ttl.enabled = data["enabled"]
        ttl.queue = [list(entry) for entry in data["queue"]]
        heapq.heapify(ttl.queue)
        ttl.sequence = data["sequence"]
        return ttl
