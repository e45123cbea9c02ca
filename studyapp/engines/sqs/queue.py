"""A standard queue: at-least-once delivery, visibility timeouts, delays, retention, DLQ redrive.

Every operation is O(log n) or better: visible messages wait in a heap keyed by send order
(so a receive hands out the oldest first), delayed and in-flight messages in a heap keyed by
the moment they become visible, and every message in a heap keyed by its retention expiry.
Heap entries are checked lazily against the message; stale entries are dropped when popped,
and a heap is rebuilt when stale entries outnumber live ones (amortised O(1)).

``changed`` collects the sequence numbers of messages whose stored form an explicit operation
changed (sent, received, deleted, given a new visibility timeout, moved, purged), so that the
engine can save itself in increments. Changes the clock makes (a message becoming visible,
expiring) are not recorded: a queue restored from older message states settles into the same
state on its next access.
"""

from __future__ import annotations

import json
from heapq import heapify, heappop, heappush
from typing import Any

from .attributes import DEFAULTS, MAX_VISIBILITY_TIMEOUT, name_from_reference, queue_arn, queue_url
from .errors import MESSAGE_NOT_INFLIGHT, SqsError, invalid_parameter
from .message import DELAYED, INFLIGHT, STATE_NAMES, VISIBLE, Message

_COMPACT_SLACK = 1024


class Untracked:
    """The set of changed parts before anyone asked for parts: all of them will be given
    anyway, so nothing is recorded (and no memory grows while the engine is used alone)."""

    def add(self, item: object) -> None:
        pass

    def update(self, items: object) -> None:
        pass

    def clear(self) -> None:
        pass

    def __iter__(self):
        return iter(())


UNTRACKED = Untracked()


def text_bytes(text: str) -> int:
    """Bytes of a string in UTF-8 (the size SQS counts)."""
    return len(text) if text.isascii() else len(text.encode())


class Queue:
    """One standard queue. Times are seconds on the engine's virtual clock."""

    fifo = False

    def __init__(self, name: str, qid: int, attributes: dict[str, str], now: float) -> None:
        self.name = name
        self.qid = qid  # distinguishes a re-created queue of the same name in receipt handles
        self.attributes = {**self.default_attributes(), **attributes}
        self._drop_empty_policies()
        self.created = now
        self.modified = now
        self.last_purge: float | None = None
        self.messages: dict[int, Message] = {}
        self.next_seq = 1
        self.counts = [0, 0, 0]  # by state: delayed, visible, in flight
        self.ready: list[int] = []
        self.pending: list[tuple[float, int]] = []
        self.expiry: list[tuple[float, int]] = []
        self.body_bytes = 0  # of every stored message body together
        self.changed: set[int] | Untracked = UNTRACKED
        self.configure()

    @staticmethod
    def default_attributes() -> dict[str, str]:
        return dict(DEFAULTS)

    @property
    def arn(self) -> str:
        return queue_arn(self.name)

    @property
    def url(self) -> str:
        return queue_url(self.name)

    def configure(self) -> None:
        """Cache the attributes the hot paths read."""
        a = self.attributes
        self.visibility_timeout = int(a["VisibilityTimeout"])
        self.delay = int(a["DelaySeconds"])
        self.retention = int(a["MessageRetentionPeriod"])
        self.max_size = int(a["MaximumMessageSize"])
        self.wait_time = int(a["ReceiveMessageWaitTimeSeconds"])
        self.dead_letter_queue: str | None = None
        self.max_receive_count = 0
        if a.get("RedrivePolicy"):
            policy = json.loads(a["RedrivePolicy"])
            self.dead_letter_queue = name_from_reference(policy["deadLetterTargetArn"])
            self.max_receive_count = int(policy["maxReceiveCount"])

    def set_attributes(self, changes: dict[str, str], now: float) -> None:
        retention = self.retention
        self.attributes.update(changes)
        self._drop_empty_policies()
        self.modified = now
        self.configure()
        if self.retention != retention:
            # SetQueueAttributes: a shorter period expires existing messages older than it.
            for m in self.messages.values():
                m.expires_at = m.enqueued_at + self.retention
            self._rebuild_expiry()

    def _drop_empty_policies(self) -> None:
        """An empty RedrivePolicy or RedriveAllowPolicy removes it (API Reference)."""
        for name in ("RedrivePolicy", "RedriveAllowPolicy"):
            if not self.attributes.get(name):
                self.attributes.pop(name, None)

    # --- the life of a message -------------------------------------------------------------

    def add(self, m: Message, now: float, delay: int) -> None:
        """Store a message (sent, or moved here as to a dead-letter queue)."""
        seq = self.next_seq
        self.next_seq = seq + 1
        m.seq = seq
        self.messages[seq] = m
        self.changed.add(seq)
        self.body_bytes += text_bytes(m.body)
        self._attach(m)
        m.expires_at = m.enqueued_at + self.retention
        heappush(self.expiry, (m.expires_at, seq))
        if delay > 0:
            m.state = DELAYED
            m.visible_at = now + delay
            heappush(self.pending, (m.visible_at, seq))
            self.counts[DELAYED] += 1
        else:
            m.state = VISIBLE
            m.visible_at = now
            self.counts[VISIBLE] += 1
            self._on_visible(m, DELAYED)
        self._maybe_compact()

    def settle(self, now: float) -> None:
        """Apply everything the clock has made due: retention expiry, then visibility."""
        messages = self.messages
        expiry = self.expiry
        while expiry and expiry[0][0] <= now:
            at, seq = heappop(expiry)
            m = messages.get(seq)
            if m is not None and m.expires_at == at:
                self._remove(m)
        pending = self.pending
        while pending and pending[0][0] <= now:
            at, seq = heappop(pending)
            m = messages.get(seq)
            if m is not None and m.state != VISIBLE and m.visible_at == at:
                self._make_visible(m)

    def next_visible_at(self) -> float | None:
        """When the next delayed or in-flight message becomes visible (None: never)."""
        pending = self.pending
        messages = self.messages
        while pending:
            at, seq = pending[0]
            m = messages.get(seq)
            if m is not None and m.state != VISIBLE and m.visible_at == at:
                return at
            heappop(pending)
        return None

    def next_expiry_at(self) -> float | None:
        """When the next message reaches the end of its retention period."""
        expiry = self.expiry
        messages = self.messages
        while expiry:
            at, seq = expiry[0]
            m = messages.get(seq)
            if m is not None and m.expires_at == at:
                return at
            heappop(expiry)
        return None

    def take(
        self,
        now: float,
        max_messages: int,
        visibility_timeout: int,
        dead_letter_queue: Queue | None,
        skip_first: bool = False,
    ) -> list[Message]:
        """Receive up to max_messages visible messages, oldest first.

        A message already received maxReceiveCount times is moved to the dead-letter queue
        instead of being delivered again (SQS Developer Guide, "Using dead-letter queues").
        skip_first leaves the oldest one for a later receive (the out-of-order demo mode).
        """
        out: list[Message] = []
        ready = self.ready
        messages = self.messages
        limit = self.max_receive_count if dead_letter_queue is not None else 0
        held: Message | None = None
        while ready and len(out) < max_messages:
            m = messages.get(heappop(ready))
            if m is None or m.state != VISIBLE:
                continue
            if limit and m.receive_count >= limit:
                self._move(m, dead_letter_queue, now)  # type: ignore[arg-type]
                continue
            if skip_first and held is None:
                held = m
                continue
            self._mark_inflight(m, now, visibility_timeout)
            out.append(m)
        if held is not None:
            if out:
                heappush(ready, held.seq)
            else:
                self._mark_inflight(held, now, visibility_timeout)
                out.append(held)
        self._maybe_compact()
        return out

    def delete(self, seq: int, receive_count: int, handle: str) -> None:
        """DeleteMessage with the receipt handle of receive number ``receive_count``.

        API Reference, DeleteMessage: with an older receipt handle the request succeeds but
        the message is not deleted; a message already gone makes no error either.
        """
        m = self.messages.get(seq)
        if m is None or m.receive_count != receive_count:
            return
        self._remove(m)
        self._maybe_compact()

    def change_visibility(
        self, seq: int, receive_count: int, timeout: int, now: float, handle: str
    ) -> None:
        """ChangeMessageVisibility: the new timeout counts from now, capped at 12 hours
        after the receive; 0 makes the message visible at once (API Reference,
        ChangeMessageVisibility; Developer Guide, "Amazon SQS visibility timeout")."""
        m = self.messages.get(seq)
        if m is None or m.receive_count != receive_count:
            raise invalid_parameter(
                "ReceiptHandle",
                handle,
                "Message does not exist or is not available for visibility timeout change.",
            )
        if m.state != INFLIGHT:
            raise SqsError(MESSAGE_NOT_INFLIGHT, "The message referred to isn't in flight.")
        self.changed.add(seq)
        if now + timeout - m.received_at > MAX_VISIBILITY_TIMEOUT:
            raise invalid_parameter(
                "VisibilityTimeout",
                timeout,
                f"Total VisibilityTimeout for the message is beyond the limit "
                f"[{MAX_VISIBILITY_TIMEOUT} seconds]",
            )
        if timeout == 0:
            m.visible_at = now
            self._make_visible(m)
        else:
            m.visible_at = now + timeout
            heappush(self.pending, (m.visible_at, seq))
            self._maybe_compact()

    def purge(self, now: float) -> None:
        """PurgeQueue deletes every message, in-flight ones included (API Reference)."""
        self.changed.update(self.messages)
        self.body_bytes = 0
        self.messages.clear()
        self.counts = [0, 0, 0]
        self.ready = []
        self.pending = []
        self.expiry = []
        self.last_purge = now

    def add_duplicate(self, m: Message, now: float) -> None:
        """A second copy of a standard-queue message (at-least-once delivery demo mode)."""
        copy = Message(m.message_id, m.body, m.sent_ms, m.enqueued_at, m.attributes)
        copy.duplicate = True
        self.add(copy, now, 0)

    # --- internals ---------------------------------------------------------------------------

    def _move(self, m: Message, target: Queue, now: float) -> None:
        self._remove(m)
        m.source_arn = self.arn
        if target.fifo:
            # Developer Guide, "Setting-up dead-letter queue retention": for FIFO queues the
            # enqueue timestamp resets on the move; for standard queues it is unchanged.
            m.enqueued_at = now
            # Developer Guide, "Amazon SQS dead-letter queues": moved from a FIFO queue to a
            # FIFO DLQ, the message's deduplication ID is replaced with its message ID.
            m.dedup_id = m.message_id
        target.add(m, now, 0)

    def _make_visible(self, m: Message) -> None:
        previous = m.state
        self.counts[previous] -= 1
        self.counts[VISIBLE] += 1
        m.state = VISIBLE
        self._on_visible(m, previous)

    def _mark_inflight(self, m: Message, now: float, timeout: int) -> None:
        self.counts[m.state] -= 1
        self.counts[INFLIGHT] += 1
        m.state = INFLIGHT
        self.changed.add(m.seq)
        m.receive_count += 1
        if m.first_receive_ms is None:
            m.first_receive_ms = round(now * 1000)
        m.received_at = now
        m.visible_at = now + timeout
        heappush(self.pending, (m.visible_at, m.seq))

    def _remove(self, m: Message) -> None:
        del self.messages[m.seq]
        self.changed.add(m.seq)
        self.body_bytes -= text_bytes(m.body)
        self.counts[m.state] -= 1
        self._detach(m)

    def _attach(self, m: Message) -> None:
        """Hook: a message joined the queue."""

    def _detach(self, m: Message) -> None:
        """Hook: a message left the queue (its state is still the one it left in)."""

    def _on_visible(self, m: Message, previous: int) -> None:
        heappush(self.ready, m.seq)

    def _maybe_compact(self) -> None:
        live = len(self.messages)
        if len(self.expiry) > 2 * live + _COMPACT_SLACK:
            self._rebuild_expiry()
        waiting = self.counts[DELAYED] + self.counts[INFLIGHT]
        if len(self.pending) > 2 * waiting + _COMPACT_SLACK:
            self.pending = [
                (m.visible_at, seq) for seq, m in self.messages.items() if m.state != VISIBLE
            ]
            heapify(self.pending)
        if len(self.ready) > 2 * self.counts[VISIBLE] + _COMPACT_SLACK:
            self._rebuild_ready()

    def _rebuild_expiry(self) -> None:
        self.expiry = [(m.expires_at, seq) for seq, m in self.messages.items()]
        heapify(self.expiry)

    def _rebuild_ready(self) -> None:
        self.ready = [seq for seq, m in self.messages.items() if m.state == VISIBLE]
        heapify(self.ready)

    # --- views and serialisation ------------------------------------------------------------

    def describe(self, m: Message, now: float) -> dict[str, Any]:
        """One message as the simulator page shows it: state, countdowns, receive count."""
        view: dict[str, Any] = {
            "MessageId": m.message_id,
            "Body": m.body,
            "State": STATE_NAMES[m.state],
            "ReceiveCount": m.receive_count,
            "SentTimestamp": m.sent_ms,
            "SecondsUntilVisible": max(0.0, m.visible_at - now) if m.state != VISIBLE else 0.0,
            "SecondsUntilExpiry": max(0.0, m.expires_at - now),
        }
        if m.state == INFLIGHT:
            view["ReceiptHandle"] = receipt_handle(self.qid, m.seq, m.receive_count)
        if m.group is not None:
            view["MessageGroupId"] = m.group
        if m.sequence_number is not None:
            view["SequenceNumber"] = m.sequence_number
            view["MessageDeduplicationId"] = m.dedup_id
        if m.source_arn is not None:
            view["DeadLetterQueueSourceArn"] = m.source_arn
        if m.duplicate:
            view["Duplicate"] = True
        return view

    def to_dict(self, *, messages: bool = True) -> dict[str, Any]:
        """The queue as plain JSON; ``messages=False`` leaves out what ``parts()`` holds."""
        data = {
            "name": self.name,
            "qid": self.qid,
            "fifo": self.fifo,
            "attributes": dict(self.attributes),
            "created": self.created,
            "modified": self.modified,
            "last_purge": self.last_purge,
            "next_seq": self.next_seq,
        }
        if messages:
            data["messages"] = [m.to_dict() for m in self.messages.values()]
        return data

    def part_key(self, seq: int) -> str:
        return f"q{self.qid}/m{seq}"

    def track(self) -> None:
        """Record changes from now on (the parts as they are now are stored)."""
        self.changed = set()

    def parts(self, *, changed: bool) -> dict[str, Any]:
        """Each message as a part (see SqsEngine.to_parts); ``changed``: only those changed
        since the last call, None for a message that is gone."""
        messages = self.messages
        if changed:
            parts = {}
            for seq in self.changed:
                m = messages.get(seq)
                parts[self.part_key(seq)] = None if m is None else m.to_dict()
        else:
            parts = {self.part_key(seq): m.to_dict() for seq, m in messages.items()}
        self.track()
        return parts

    def all_part_keys(self) -> list[str]:
        return [self.part_key(seq) for seq in self.messages]

    def restore(self, data: dict[str, Any]) -> None:
        """Load messages and counters saved by to_dict (the queue was built from its attributes)."""
        self.created = data["created"]
        self.modified = data["modified"]
        self.last_purge = data["last_purge"]
        self.next_seq = data["next_seq"]
        for item in sorted(data["messages"], key=lambda d: d["seq"]):
            m = Message.from_dict(item)
            m.expires_at = m.enqueued_at + self.retention
            self.messages[m.seq] = m
            self.body_bytes += text_bytes(m.body)
            self.counts[m.state] += 1
            self._attach(m)
        self._rebuild_expiry()
        self.pending = [(m.visible_at, s) for s, m in self.messages.items() if m.state != VISIBLE]
        heapify(self.pending)
        self._rebuild_ready()


def receipt_handle(qid: int, seq: int, receive_count: int) -> str:
    """A receipt handle names one receive of one message: queue, message, receive number."""
    return f"AQEB{qid:x}-{seq:x}-{receive_count:x}"


def parse_receipt_handle(handle: object) -> tuple[int, int, int] | None:
    if not isinstance(handle, str) or not handle.startswith("AQEB"):
        return None
    parts = handle[4:].split("-")
    if len(parts) != 3:
        return None
    try:
        qid, seq, count = (int(p, 16) for p in parts)
    except ValueError:
        return None
    return qid, seq, count
