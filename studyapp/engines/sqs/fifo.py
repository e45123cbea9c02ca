"""A FIFO queue: message groups delivered in order, one in-flight batch per group, deduplication.

SQS Developer Guide, "FIFO queue key terms" and "Exactly-once processing": every message
carries a MessageGroupId; while a message of a group is in flight no later message of that
group is delivered; one receive may return several messages of a group, in order; a message
whose deduplication id was accepted in the last 5 minutes is accepted but not delivered, and
SQS keeps tracking the id after the original is received and deleted.

A ReceiveMessage with a ReceiveRequestAttemptId is remembered for 5 minutes: retried while
its messages are still in flight and unchanged, it returns the same messages and receipt
handles and restarts their visibility timeout (API Reference, ReceiveMessage). The queue-level
DelaySeconds is retroactive on FIFO queues (Developer Guide, "Amazon SQS delay queues").

Groups ready for delivery wait in a heap keyed by their oldest message, so a receive costs
O(log n) per group it touches.
"""

from __future__ import annotations

from collections import deque
from heapq import heapify, heappop, heappush
from typing import Any

from .attributes import DEDUPLICATION_INTERVAL, FIFO_DEFAULTS, MAX_VISIBILITY_TIMEOUT
from .errors import invalid_parameter
from .message import DELAYED, INFLIGHT, VISIBLE, Message
from .queue import UNTRACKED, Queue, Untracked

# API Reference, ReceiveMessage: "You can use ReceiveRequestAttemptId only for 5 minutes
# after a ReceiveMessage action."
RECEIVE_ATTEMPT_INTERVAL = 300.0


class Attempt:
    """A remembered receive: when it can no longer be retried, the visibility timeout it gave,
    and each message it returned as (seq, receive number, visible_at) at the time."""

    __slots__ = ("ends", "items", "timeout")

    def __init__(self, ends: float, timeout: int, items: list[list[Any]]) -> None:
        self.ends = ends
        self.timeout = timeout
        self.items = items


class Group:
    """The messages of one group, in order; deleted ones are skipped lazily."""

    __slots__ = ("inflight", "name", "seqs", "token")

    def __init__(self, name: str) -> None:
        self.name = name
        self.seqs: deque[int] = deque()
        self.inflight = 0
        self.token = 0  # non-zero while the group waits in the ready heap


class FifoQueue(Queue):
    fifo = True

    def __init__(self, name: str, qid: int, attributes: dict[str, str], now: float) -> None:
        self.groups: dict[str, Group] = {}
        self.group_heap: list[tuple[int, str, int]] = []
        self.next_token = 1
        self.taking: str | None = None
        # deduplication key -> (interval end, MessageId, SequenceNumber) of the accepted send
        self.dedup: dict[str, tuple[float, str, str]] = {}
        self.dedup_order: deque[tuple[float, str]] = deque()
        self.dedup_changed: set[str] | Untracked = UNTRACKED
        self.next_sequence = 1
        self.attempts: dict[str, Attempt] = {}
        super().__init__(name, qid, attributes, now)

    @staticmethod
    def default_attributes() -> dict[str, str]:
        return {**Queue.default_attributes(), **FIFO_DEFAULTS}

    def configure(self) -> None:
        super().configure()
        self.content_based = self.attributes["ContentBasedDeduplication"] == "true"
        self.group_scope = self.attributes["DeduplicationScope"] == "messageGroup"

    # --- deduplication -----------------------------------------------------------------------

    def dedup_key(self, group: str, dedup_id: str) -> str:
        # DeduplicationScope messageGroup: the same id in two groups is not a duplicate.
        return f"{group} {dedup_id}" if self.group_scope else dedup_id

    def find_duplicate(self, key: str, now: float) -> tuple[float, str, str] | None:
        order = self.dedup_order
        while order and order[0][0] <= now:
            ends, old = order.popleft()
            entry = self.dedup.get(old)
            if entry is not None and entry[0] == ends:
                del self.dedup[old]
                self.dedup_changed.add(old)
        return self.dedup.get(key)

    def remember(self, key: str, now: float, message_id: str, sequence_number: str) -> None:
        """Start the 5-minute interval at the first accepted send; duplicates never extend it."""
        ends = now + DEDUPLICATION_INTERVAL
        self.dedup[key] = (ends, message_id, sequence_number)
        self.dedup_order.append((ends, key))
        self.dedup_changed.add(key)

    def sequence_number(self) -> str:
        """A large, non-consecutive number, increasing with every send (FIFO key terms)."""
        n = self.next_sequence
        self.next_sequence = n + 1
        return str(18_000_000_000_000_000_000 + n * 65_536 + self.qid)

    def set_attributes(self, changes: dict[str, str], now: float) -> None:
        """A new DelaySeconds also applies to the messages still delayed: each waits the new
        delay from when it was sent (shorter: released at once if that moment has passed)."""
        delay = self.delay
        super().set_attributes(changes, now)
        if self.delay == delay:
            return
        for m in list(self.messages.values()):
            if m.state != DELAYED:
                continue
            self.changed.add(m.seq)
            due = m.enqueued_at + self.delay
            if due <= now:
                m.visible_at = now
                self._make_visible(m)
            else:
                m.visible_at = due
                heappush(self.pending, (due, m.seq))
        self._maybe_compact()

    # --- receive -----------------------------------------------------------------------------

    def retry_attempt(self, attempt_id: str, now: float) -> list[Message] | None:
        """The messages of an earlier receive with this ReceiveRequestAttemptId, if it can be
        retried: within 5 minutes, every message still in flight from that receive and not
        deleted or given a new visibility timeout since. Their visibility timeout restarts.
        None: no such receive (any earlier one with the id is forgotten)."""
        self._forget_attempts(now)
        attempt = self.attempts.get(attempt_id)
        if attempt is None:
            return None
        found = []
        for seq, count, visible_at in attempt.items:
            m = self.messages.get(seq)
            if (
                m is None
                or m.state != INFLIGHT
                or m.receive_count != count
                or m.visible_at != visible_at
            ):
                del self.attempts[attempt_id]
                return None
            found.append(m)
        for item, m in zip(attempt.items, found, strict=True):
            # The retry "resets the visibility timeout", within the 12 hours from the receive.
            m.visible_at = min(now + attempt.timeout, m.received_at + MAX_VISIBILITY_TIMEOUT)
            item[2] = m.visible_at
            self.changed.add(m.seq)
            heappush(self.pending, (m.visible_at, m.seq))
        self._maybe_compact()
        return found

    def remember_attempt(
        self, attempt_id: str, now: float, timeout: int, taken: list[Message]
    ) -> None:
        self.attempts[attempt_id] = Attempt(
            now + RECEIVE_ATTEMPT_INTERVAL,
            timeout,
            [[m.seq, m.receive_count, m.visible_at] for m in taken],
        )

    def _forget_attempts(self, now: float) -> None:
        for key in [k for k, a in self.attempts.items() if a.ends <= now]:
            del self.attempts[key]

    def take(
        self,
        now: float,
        max_messages: int,
        visibility_timeout: int,
        dead_letter_queue: Queue | None,
        skip_first: bool = False,
    ) -> list[Message]:
        out: list[Message] = []
        heap = self.group_heap
        messages = self.messages
        if dead_letter_queue is self:
            dead_letter_queue = None
        limit = self.max_receive_count if dead_letter_queue is not None else 0
        while heap and len(out) < max_messages:
            _, name, token = heappop(heap)
            group = self.groups.get(name)
            if group is None or group.token != token:
                continue
            group.token = 0
            if group.inflight:
                continue
            self.taking = name
            seqs = group.seqs
            i = 0
            while i < len(seqs) and len(out) < max_messages:
                m = messages.get(seqs[i])
                i += 1
                if m is None:
                    continue
                if m.state != VISIBLE:
                    break  # order within a group: nothing overtakes a delayed message
                if limit and m.receive_count >= limit:
                    self._move(m, dead_letter_queue, now)  # type: ignore[arg-type]
                    continue
                self._mark_inflight(m, now, visibility_timeout)
                out.append(m)
            self.taking = None
            self._tidy(name, group)
        self._maybe_compact()
        return out

    def delete(self, seq: int, receive_count: int, handle: str) -> None:
        """On a FIFO queue a receipt handle expires with its visibility timeout."""
        m = self.messages.get(seq)
        if m is None:
            return
        if m.receive_count != receive_count or m.state != INFLIGHT:
            raise invalid_parameter("ReceiptHandle", handle, "The receipt handle has expired.")
        self._remove(m)
        self._maybe_compact()

    def purge(self, now: float) -> None:
        super().purge(now)
        self.groups.clear()
        self.group_heap = []
        self.attempts.clear()

    # --- hooks and internals -----------------------------------------------------------------

    def _attach(self, m: Message) -> None:
        group = self.groups.get(m.group)  # type: ignore[arg-type]
        if group is None:
            group = self.groups[m.group] = Group(m.group)  # type: ignore[index,arg-type]
        else:
            m.group = group.name  # share one string per group: less memory per message
        group.seqs.append(m.seq)

    def _detach(self, m: Message) -> None:
        group = self.groups[m.group]  # type: ignore[index]
        if m.state == INFLIGHT:
            group.inflight -= 1
        if self.taking != m.group:
            self._tidy(m.group, group)  # type: ignore[arg-type]

    def _on_visible(self, m: Message, previous: int) -> None:
        group = self.groups[m.group]  # type: ignore[index]
        if previous == INFLIGHT:
            group.inflight -= 1
        self._enqueue_group(m.group, group)  # type: ignore[arg-type]

    def _mark_inflight(self, m: Message, now: float, timeout: int) -> None:
        super()._mark_inflight(m, now, timeout)
        self.groups[m.group].inflight += 1  # type: ignore[index]

    def _tidy(self, name: str, group: Group) -> None:
        """Drop deleted messages from the front; forget an empty group; re-key the group."""
        seqs = group.seqs
        messages = self.messages
        while seqs and seqs[0] not in messages:
            seqs.popleft()
        if not seqs:
            del self.groups[name]
            return
        group.token = 0
        self._enqueue_group(name, group)

    def _enqueue_group(self, name: str, group: Group) -> None:
        """Queue the group for delivery if nothing of it is in flight and its head is visible."""
        if group.token or group.inflight:
            return
        seqs = group.seqs
        messages = self.messages
        while seqs and seqs[0] not in messages:
            seqs.popleft()
        if not seqs:
            return
        head = messages[seqs[0]]
        if head.state == VISIBLE:
            token = self.next_token
            self.next_token = token + 1
            group.token = token
            heappush(self.group_heap, (head.seq, name, token))
            if len(self.group_heap) > 2 * len(self.groups) + 1024:
                self._rebuild_group_heap()

    def _rebuild_group_heap(self) -> None:
        self.group_heap = [
            (self.messages[g.seqs[0]].seq, name, g.token)
            for name, g in self.groups.items()
            if g.token and g.seqs and g.seqs[0] in self.messages
        ]
        heapify(self.group_heap)

    def _rebuild_ready(self) -> None:
        """FIFO queues deliver through the group heap; the per-message heap stays empty."""
        self.ready = []

    # --- views and serialisation ------------------------------------------------------------

    def group_views(self) -> dict[str, dict[str, Any]]:
        return {
            name: {"Messages": sum(1 for s in g.seqs if s in self.messages), "InFlight": g.inflight}
            for name, g in self.groups.items()
        }

    def dedup_views(self, now: float) -> list[dict[str, Any]]:
        self.find_duplicate("", now)
        return [
            {"Key": key, "MessageId": mid, "SecondsLeft": round(ends - now, 3)}
            for key, (ends, mid, _) in self.dedup.items()
        ]

    def to_dict(self, *, messages: bool = True) -> dict[str, Any]:
        data = super().to_dict(messages=messages)
        data["next_sequence"] = self.next_sequence
        if self.attempts:
            data["attempts"] = [
                [key, a.ends, a.timeout, [list(item) for item in a.items]]
                for key, a in self.attempts.items()
            ]
        if messages:
            data["dedup"] = [
                [key, *self.dedup[key]]
                for ends, key in self.dedup_order
                if key in self.dedup and self.dedup[key][0] == ends
            ]
        return data

    def dedup_part_key(self, key: str) -> str:
        return f"q{self.qid}/d{key}"

    def track(self) -> None:
        super().track()
        self.dedup_changed = set()

    def parts(self, *, changed: bool) -> dict[str, Any]:
        """Messages, and each remembered deduplication id as a part of its own."""
        keys = list(self.dedup_changed if changed else self.dedup)
        parts = super().parts(changed=changed)
        for key in keys:
            entry = self.dedup.get(key)
            parts[self.dedup_part_key(key)] = None if entry is None else list(entry)
        return parts

    def all_part_keys(self) -> list[str]:
        return [*super().all_part_keys(), *(self.dedup_part_key(key) for key in self.dedup)]

    def restore(self, data: dict[str, Any]) -> None:
        super().restore(data)
        self.next_sequence = data["next_sequence"]
        for key, ends, timeout, items in data.get("attempts", []):
            self.attempts[key] = Attempt(ends, timeout, [list(item) for item in items])
        for key, ends, mid, sn in data["dedup"]:
            self.dedup[key] = (ends, mid, sn)
            self.dedup_order.append((ends, key))
        for m in self.messages.values():
            if m.state == INFLIGHT:
                self.groups[m.group].inflight += 1  # type: ignore[index]
        for name, group in list(self.groups.items()):
            self._enqueue_group(name, group)
