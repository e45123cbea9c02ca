"""The simulator page's picture of the queues: counts, messages with their states and
countdowns, dead-letter links, FIFO groups and deduplication ids, as plain values."""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING, Any

from . import attributes as attrs
from .fifo import FifoQueue
from .message import DELAYED, INFLIGHT, VISIBLE

if TYPE_CHECKING:
    from .service import SqsEngine


def snapshot(engine: SqsEngine, limit: int = 200) -> dict[str, Any]:
    """Every queue (by name) with at most ``limit`` of its messages, oldest first."""
    engine.settle()
    now = engine.clock.now()
    queues = []
    for name, q in sorted(engine.queues.items()):
        view: dict[str, Any] = {
            "QueueName": name,
            "QueueUrl": q.url,
            "QueueArn": q.arn,
            "Fifo": q.fifo,
            "Attributes": dict(q.attributes),
            "Counts": {
                "Visible": q.counts[VISIBLE],
                "InFlight": q.counts[INFLIGHT],
                "Delayed": q.counts[DELAYED],
            },
            "DeadLetterQueue": (
                {"QueueName": q.dead_letter_queue, "MaxReceiveCount": q.max_receive_count}
                if q.dead_letter_queue
                else None
            ),
            "DeadLetterSourceQueues": sorted(
                s.name for s in engine.queues.values() if s.dead_letter_queue == name
            ),
            "SecondsUntilPurgeAllowed": (
                max(0.0, q.last_purge + attrs.PURGE_INTERVAL - now)
                if q.last_purge is not None
                else 0.0
            ),
            "Messages": [q.describe(m, now) for m in islice(q.messages.values(), limit)],
        }
        if isinstance(q, FifoQueue):
            view["MessageGroups"] = q.group_views()
            view["Deduplication"] = q.dedup_views(now)
        queues.append(view)
    return {
        "Now": now,
        "NowMs": engine.clock.now_ms(),
        "NextChangeAt": engine.next_change_at(),
        "Queues": queues,
        "Stats": dict(engine.stats),
        "DemoMode": {
            "Seed": engine.seed,
            "DuplicateRate": engine.duplicate_rate,
            "ReorderRate": engine.reorder_rate,
        },
    }
