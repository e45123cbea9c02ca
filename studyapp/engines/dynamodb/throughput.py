"""Throughput on the virtual clock: partitions, per-second capacity, burst, throttling.

The model (explicit, deterministic, and documented here because AWS does not publish one):

Partitions. A table, and separately each global secondary index, has N partitions:
    provisioned:  N = max(1, ceil(RCU / 3,000 + WCU / 1,000), ceil(size / 10 GB))
    on-demand:    N = max(4, ceil(size / 10 GB))
(bp-partition-key-design.html: "every partition in the table will strive to deliver the full
capacity of 3,000 RCU and 1,000 WCU"; a partition holds up to 10 GB; a new on-demand table
sustains 4,000 writes and 12,000 reads a second at once, that is 4 partitions.) N only grows:
raising capacity or storing more data splits partitions, nothing merges them. Partition i holds
the partition keys whose 128-bit hash h satisfies floor(h * N / 2**128) = i.

Per-partition limit. In any whole second of the clock a partition admits requests while it has
consumed less than 3,000 read units and 1,000 write units in that second. Past that, requests for
its keys throttle even if the table has capacity left: a hot key.

Provisioned capacity and burst (provisioned mode only). The table (or GSI) has a bucket of units
for reads and one for writes. At the start of each whole second it gains one second of its
provisioned capacity; what is not used is kept as burst capacity, up to 300 seconds' worth
("DynamoDB currently retains up to 5 minutes (300 seconds) of unused read and write capacity"),
so the bucket never holds more than 301 seconds of capacity. A new table, or one whose capacity
changed, starts with one second's worth and no burst. Adaptive capacity is taken as instant: any
partition may use the table's whole bucket, within its own per-partition limit.

Admission. A request is admitted while the bucket holds more than 0 units and every partition it
touches is under its limit; it is then charged its full cost, which may leave the bucket below
zero (a debt the next seconds repay). This is what lets a Scan bigger than one second of
capacity run once, then throttles the requests that follow.

On-demand tables have no bucket; a table admits up to 40,000 read and 40,000 write units a
second (the default table quota), besides the per-partition limit. Doubling of the previous peak
is not modelled.

Throttled requests consume nothing. A write throttles if the table or any GSI it must update is
out of capacity (GSI.html: "For a table write to succeed, the provisioned throughput settings for
the table and all of its global secondary indexes must have enough write capacity").

History. For views (a capacity meter per second), each table and GSI keeps its last
``HISTORY_SECONDS`` seconds that saw traffic: units consumed and requests throttled, per kind.
"""

from __future__ import annotations

import math
from typing import Any

from . import limits

PROVISIONED = "PROVISIONED"
ON_DEMAND = "PAY_PER_REQUEST"
KINDS = ("read", "write")
HISTORY_SECONDS = 60

PROVISIONED_EXCEEDED = "ProvisionedThroughputExceeded"
KEY_RANGE_EXCEEDED = "KeyRangeThroughputExceeded"
ACCOUNT_LIMIT_EXCEEDED = "AccountLimitExceeded"


def partitions_needed(mode: str, rcu: int, wcu: int, size: int) -> int:
    by_size = math.ceil(size / limits.PARTITION_BYTES)
    if mode == ON_DEMAND:
        return max(limits.ON_DEMAND_INITIAL_PARTITIONS, by_size)
    by_capacity = -(-(rcu + 3 * wcu) // limits.PARTITION_READ_UNITS)
    return max(1, by_capacity, by_size)


class Throughput:
    """Capacity state of one table or one global secondary index."""

    def __init__(self, mode: str, rcu: int, wcu: int, now: float, size: int = 0) -> None:
        self.mode = mode
        self.rates = {"read": rcu, "write": wcu}
        self.partitions = partitions_needed(mode, rcu, wcu, size)
        self.second = math.floor(now)
        self.tokens = {"read": float(rcu), "write": float(wcu)}
        # partition -> [second, read units, write units] consumed in that second
        self.used: dict[int, list[float]] = {}
        self.table_used = [float(self.second), 0.0, 0.0]
        self.stats = {
            "ConsumedReadCapacityUnits": 0.0,
            "ConsumedWriteCapacityUnits": 0.0,
            "ReadThrottleEvents": 0,
            "WriteThrottleEvents": 0,
        }
        # [second, read units, write units, read throttles, write throttles], oldest first
        self.history: list[list[float]] = []

    def partition_of(self, key_hash: int) -> int:
        return (key_hash * self.partitions) >> 128

    def _refill(self, second: int) -> None:
        if second <= self.second:
            return
        elapsed = second - self.second
        for kind in KINDS:
            rate = self.rates[kind]
            cap = rate * (1 + limits.BURST_SECONDS)
            self.tokens[kind] = min(self.tokens[kind] + rate * elapsed, float(cap))
        self.second = second

    def check(self, kind: str, partition: int, now: float) -> str | None:
        """None if a request may proceed, else the limit type it exceeds."""
        second = int(now)  # the clock is never negative: int() is floor()
        if second > self.second:
            self._refill(second)
        if self.mode == PROVISIONED:
            if self.tokens[kind] <= 0:
                return PROVISIONED_EXCEEDED
        else:
            table = self.table_used
            used = table[1 if kind == "read" else 2] if table[0] == second else 0.0
            if used >= limits.TABLE_MAX_UNITS:
                return ACCOUNT_LIMIT_EXCEEDED
        entry = self.used.get(partition)
        if entry is not None and entry[0] == second:
            used = entry[1] if kind == "read" else entry[2]
            limit = limits.PARTITION_READ_UNITS if kind == "read" else limits.PARTITION_WRITE_UNITS
            if used >= limit:
                return KEY_RANGE_EXCEEDED
        return None

    def throttled(self, kind: str) -> None:
        """Count a throttled request (in the second of the ``check`` that refused it)."""
        self.stats["ReadThrottleEvents" if kind == "read" else "WriteThrottleEvents"] += 1
        self._second_of_history(self.second)[3 if kind == "read" else 4] += 1

    def _second_of_history(self, second: int) -> list[float]:
        history = self.history
        if history and history[-1][0] == second:
            return history[-1]
        entry = [float(second), 0.0, 0.0, 0.0, 0.0]
        history.append(entry)
        if len(history) > HISTORY_SECONDS:
            del history[0]
        return entry

    def charge(self, kind: str, partition: int, units: float, now: float) -> None:
        second = int(now)
        if second > self.second:
            self._refill(second)
        slot = 1 if kind == "read" else 2
        if self.mode == PROVISIONED:
            self.tokens[kind] -= units
        else:
            if self.table_used[0] != second:
                self.table_used = [float(second), 0.0, 0.0]
            self.table_used[slot] += units
        entry = self.used.get(partition)
        if entry is None or entry[0] != second:
            entry = self.used[partition] = [float(second), 0.0, 0.0]
        entry[slot] += units
        name = "ConsumedReadCapacityUnits" if kind == "read" else "ConsumedWriteCapacityUnits"
        self.stats[name] += units
        self._second_of_history(second)[slot] += units

    def grow_for_size(self, size: int) -> None:
        if size > self.partitions * limits.PARTITION_BYTES:
            self.partitions = math.ceil(size / limits.PARTITION_BYTES)

    def update(self, mode: str, rcu: int, wcu: int, now: float, size: int) -> None:
        """New capacity settings: partitions split if needed; the bucket restarts."""
        self._refill(math.floor(now))
        self.mode = mode
        self.rates = {"read": rcu, "write": wcu}
        self.partitions = max(self.partitions, partitions_needed(mode, rcu, wcu, size))
        for kind in KINDS:
            self.tokens[kind] = min(self.tokens[kind], float(self.rates[kind]))

    def burst(self, kind: str, now: float) -> float:
        """Units available beyond this second's provisioned capacity (for views and tests)."""
        self._refill(math.floor(now))
        return max(0.0, self.tokens[kind] - self.rates[kind])

    def available(self, kind: str, now: float) -> float:
        self._refill(math.floor(now))
        return self.tokens[kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "rates": dict(self.rates),
            "partitions": self.partitions,
            "second": self.second,
            "tokens": dict(self.tokens),
            "used": [[partition, *entry] for partition, entry in self.used.items()],
            "table_used": list(self.table_used),
            "stats": dict(self.stats),
            "history": [list(entry) for entry in self.history],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Throughput:
        throughput = cls(data["mode"], data["rates"]["read"], data["rates"]["write"], 0.0)
        throughput.partitions = int(data["partitions"])
        throughput.second = int(data["second"])
        throughput.tokens = {kind: float(data["tokens"][kind]) for kind in KINDS}
        throughput.used = {int(row[0]): [float(x) for x in row[1:]] for row in data["used"]}
        throughput.table_used = [float(x) for x in data["table_used"]]
        throughput.stats = dict(data["stats"])
        throughput.history = [[float(x) for x in entry] for entry in data.get("history", [])]
        return throughput
