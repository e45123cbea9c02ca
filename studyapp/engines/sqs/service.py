"""The SQS API over the model: one engine holds a virtual clock and every queue.

``SqsEngine.apply({"Action": "SendMessage", "QueueName": "orders", "MessageBody": "A"})``
runs one action with AWS's parameter names and returns AWS's response shape, or
``{"Error": {"Code", "Message"}}``. ``to_dict()``/``from_dict()`` turn the whole engine into
plain JSON and back, so a web page can keep it in a session between requests.
"""

from __future__ import annotations

import hashlib
import math
import re
import uuid
from collections.abc import Callable
from itertools import islice
from typing import Any

from ..clock import Clock
from . import attributes as attrs
from .errors import (
    BATCH_ENTRY_IDS_NOT_DISTINCT,
    BATCH_REQUEST_TOO_LONG,
    EMPTY_BATCH_REQUEST,
    INVALID_ACTION,
    INVALID_BATCH_ENTRY_ID,
    INVALID_MESSAGE_CONTENTS,
    INVALID_PARAMETER_VALUE,
    PURGE_QUEUE_IN_PROGRESS,
    QUEUE_DELETED_RECENTLY,
    QUEUE_NAME_EXISTS,
    TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
    SqsError,
    invalid_parameter,
    invalid_receipt_handle,
    missing_parameter,
    queue_does_not_exist,
    unknown_attribute,
)
from .fifo import FifoQueue
from .message import DELAYED, INFLIGHT, VISIBLE, Message
from .queue import Queue, parse_receipt_handle, receipt_handle

STATE_VERSION = 1
MAX_BATCH_ENTRIES = 10
_STANDARD_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")
_FIFO_NAME = re.compile(r"[A-Za-z0-9_-]{1,75}\.fifo")
_BATCH_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")
_GROUP_ID = re.compile(r"[!-~]{1,128}")
# API Reference, SendMessage: the only characters a message may contain.
_BAD_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MASK64 = (1 << 64) - 1
_NOT_FOR_THIS_TYPE = "The request include parameter that is not valid for this queue type."


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _byte_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode())


def _int_parameter(
    params: dict[str, Any], name: str, default: int, low: int, high: int, reason: str
) -> int:
    value = params.get(name)
    if value is None:
        return default
    number = attrs.as_int(value)
    if number is None or not low <= number <= high:
        raise invalid_parameter(name, value, reason)
    return number


class SqsEngine:
    """Every queue of one simulated account, driven by a virtual clock.

    The optional demo mode of standard queues (off by default, seeded so that runs are
    reproducible) shows what at-least-once delivery allows: ``duplicate_rate`` is the chance
    that a received message is delivered again later, ``reorder_rate`` the chance that a
    receive skips the oldest visible message.
    """

    def __init__(
        self,
        clock: Clock | None = None,
        *,
        seed: int = 0,
        duplicate_rate: float = 0.0,
        reorder_rate: float = 0.0,
    ) -> None:
        self.clock = clock if clock is not None else Clock()
        self.queues: dict[str, Queue] = {}
        self.deleted: dict[str, float] = {}
        self.next_qid = 1
        self.next_message = 1
        self.seed = int(seed)
        self.rng_state = self.seed & _MASK64
        self.duplicate_rate = float(duplicate_rate)
        self.reorder_rate = float(reorder_rate)
        self.stats: dict[str, int] = {"Requests": 0, "EmptyReceives": 0}

    # --- entry point -------------------------------------------------------------------------

    def apply(self, step: dict[str, Any]) -> dict[str, Any]:
        """Run one action; an AWS error becomes {"Error": {...}} instead of an exception."""
        if not isinstance(step, dict):
            return SqsError(
                INVALID_ACTION, "A step must be an object with an Action."
            ).to_response()
        action = step.get("Action")
        handler = _HANDLERS.get(action) if isinstance(action, str) else None
        if handler is None:
            return SqsError(
                INVALID_ACTION, f"The action or operation requested is invalid: {action}."
            ).to_response()
        if action != "Advance":
            self.stats["Requests"] += 1
            self.stats[action] = self.stats.get(action, 0) + 1  # type: ignore[index]
        try:
            return handler(self, step)
        except SqsError as error:
            return error.to_response()
        except (TypeError, ValueError, AttributeError) as error:
            # Parameters come from web forms and files: a value of a type no check foresaw
            # is still the caller's fault, never a crash.
            return SqsError(
                INVALID_PARAMETER_VALUE, f"One or more parameters are invalid. Reason: {error}"
            ).to_response()

    # --- queues ------------------------------------------------------------------------------

    def queue(self, step: dict[str, Any]) -> Queue:
        """The queue a step names by QueueUrl, QueueName or ARN, brought up to the clock."""
        ref = step.get("QueueUrl") or step.get("QueueName")
        if not ref:
            raise missing_parameter("QueueUrl")
        if not isinstance(ref, str):
            raise invalid_parameter("QueueUrl", ref, "The queue URL must be a string.")
        q = self.queues.get(attrs.name_from_reference(ref))
        if q is None:
            raise queue_does_not_exist()
        q.settle(self.clock.now())
        return q

    def _dlq_type(self, arn: str) -> bool | None:
        q = self.queues.get(attrs.name_from_reference(arn))
        return None if q is None else q.fifo

    def _dead_letter_queue(self, q: Queue) -> Queue | None:
        if q.dead_letter_queue is None:
            return None
        target = self.queues.get(q.dead_letter_queue)
        if target is None or target.fifo != q.fifo or target is q:
            return None
        target.settle(self.clock.now())
        return target

    def create_queue(self, step: dict[str, Any]) -> dict[str, Any]:
        name = step.get("QueueName")
        if not name:
            raise missing_parameter("QueueName")
        given = step.get("Attributes") or {}
        if not isinstance(given, dict):
            raise SqsError(INVALID_PARAMETER_VALUE, "Attributes must be a map of names to values.")
        fifo_flag = given.get("FifoQueue")
        fifo = fifo_flag is True or (isinstance(fifo_flag, str) and fifo_flag.lower() == "true")
        if not isinstance(name, str) or not (_FIFO_NAME if fifo else _STANDARD_NAME).fullmatch(
            name
        ):
            if fifo or (isinstance(name, str) and name.endswith(".fifo")):
                reason = (
                    "The name of a FIFO queue can only include alphanumeric characters, hyphens, "
                    "or underscores, must end with .fifo suffix and be 1 to 80 in length."
                )
            else:
                reason = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
            raise invalid_parameter("QueueName", name, reason)
        checked = attrs.validate(given, fifo=fifo, creating=True, resolve_dlq=self._dlq_type)
        now = self.clock.now()
        existing = self.queues.get(name)
        if existing is not None:
            for key, value in checked.items():
                if existing.attributes.get(key, "") != value:
                    raise SqsError(
                        QUEUE_NAME_EXISTS,
                        f"A queue already exists with the same name and a different value for attribute {key}",
                    )
            return {"QueueUrl": existing.url}
        deleted_at = self.deleted.get(name)
        if deleted_at is not None and now - deleted_at < attrs.QUEUE_RECREATE_INTERVAL:
            raise SqsError(
                QUEUE_DELETED_RECENTLY,
                "You must wait 60 seconds after deleting a queue before you can create "
                "another queue with the same name.",
            )
        cls = FifoQueue if fifo else Queue
        q = cls(name, self.next_qid, checked, now)
        self.next_qid += 1
        self.queues[name] = q
        return {"QueueUrl": q.url}

    def delete_queue(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        del self.queues[q.name]
        self.deleted[q.name] = self.clock.now()
        return {}

    def get_queue_url(self, step: dict[str, Any]) -> dict[str, Any]:
        if not step.get("QueueName"):
            raise missing_parameter("QueueName")
        return {"QueueUrl": self.queue({"QueueName": step["QueueName"]}).url}

    def list_queues(self, step: dict[str, Any]) -> dict[str, Any]:
        prefix = step.get("QueueNamePrefix") or ""
        if not isinstance(prefix, str):
            raise invalid_parameter("QueueNamePrefix", prefix, "Must be a string.")
        urls = [q.url for name, q in sorted(self.queues.items()) if name.startswith(prefix)]
        return {"QueueUrls": urls} if urls else {}

    def list_dead_letter_source_queues(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        sources = [s.url for s in self.queues.values() if s.dead_letter_queue == q.name]
        return {"queueUrls": sorted(sources)}

    def get_queue_attributes(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        names = step.get("AttributeNames") or []
        if isinstance(names, str):
            names = [names]
        for name in names:
            if name != "All" and name not in attrs.READABLE:
                raise unknown_attribute(name)
        everything = self.queue_attributes(q)
        if "All" in names:
            chosen = everything
        else:
            chosen = {n: everything[n] for n in names if n in everything}
        return {"Attributes": chosen} if chosen else {}

    def queue_attributes(self, q: Queue) -> dict[str, str]:
        """What GetQueueAttributes with All returns (the approximate counts are exact here)."""
        out = dict(q.attributes)
        out.update(
            {
                "QueueArn": q.arn,
                "ApproximateNumberOfMessages": str(q.counts[VISIBLE]),
                "ApproximateNumberOfMessagesNotVisible": str(q.counts[INFLIGHT]),
                "ApproximateNumberOfMessagesDelayed": str(q.counts[DELAYED]),
                "CreatedTimestamp": str(int(q.created)),
                "LastModifiedTimestamp": str(int(q.modified)),
            }
        )
        return out

    def set_queue_attributes(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        given = step.get("Attributes")
        if not given:
            raise missing_parameter("Attributes")
        checked = attrs.validate(given, fifo=q.fifo, creating=False, resolve_dlq=self._dlq_type)
        q.set_attributes(checked, self.clock.now())
        q.settle(self.clock.now())
        return {}

    def purge_queue(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        now = self.clock.now()
        if q.last_purge is not None and now - q.last_purge < attrs.PURGE_INTERVAL:
            raise SqsError(
                PURGE_QUEUE_IN_PROGRESS,
                f"Only one PurgeQueue operation on {q.name} is allowed every 60 seconds.",
            )
        q.purge(now)
        return {}

    # --- messages ----------------------------------------------------------------------------

    def send_message(self, step: dict[str, Any]) -> dict[str, Any]:
        return self._send(self.queue(step), step)

    def _send(self, q: Queue, entry: dict[str, Any]) -> dict[str, Any]:
        body = entry.get("MessageBody")
        if body is None:
            raise missing_parameter("MessageBody")
        if not isinstance(body, str) or not body:
            raise invalid_parameter(
                "MessageBody", body, "The message body must be a non-empty string."
            )
        if _BAD_CHARACTER.search(body):
            raise SqsError(
                INVALID_MESSAGE_CONTENTS,
                "Invalid binary character was found in the message body, the set of allowed "
                "characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | "
                "#x10000 to #x10FFFF",
            )
        message_attributes = entry.get("MessageAttributes") or None
        size = _byte_length(body) + _attributes_size(message_attributes)
        if size > q.max_size:
            raise SqsError(
                INVALID_PARAMETER_VALUE,
                f"One or more parameters are invalid. Reason: Message must be shorter than "
                f"{q.max_size} bytes.",
            )
        now = self.clock.now()
        delay_value = entry.get("DelaySeconds")
        if isinstance(q, FifoQueue):
            # API Reference, SendMessage: FIFO queues take a delay only at queue level.
            if delay_value is not None and attrs.as_int(delay_value) != 0:
                raise invalid_parameter("DelaySeconds", delay_value, _NOT_FOR_THIS_TYPE)
            return self._send_fifo(q, entry, body, message_attributes, now)
        if entry.get("MessageDeduplicationId") is not None:
            raise invalid_parameter(
                "MessageDeduplicationId", entry["MessageDeduplicationId"], _NOT_FOR_THIS_TYPE
            )
        delay = _int_parameter(
            entry,
            "DelaySeconds",
            q.delay,
            0,
            attrs.MAX_DELAY,
            "Must be >= 0 and <= 900, if provided.",
        )
        m = Message(self._message_id(), body, round(now * 1000), now, message_attributes)
        group = entry.get("MessageGroupId")
        if group is not None:
            m.group = str(group)  # fair queues: accepted and shown, no ordering on standard queues
        q.add(m, now, delay)
        return {"MessageId": m.message_id, "MD5OfMessageBody": _md5(body)}

    def _send_fifo(
        self,
        q: FifoQueue,
        entry: dict[str, Any],
        body: str,
        message_attributes: dict[str, Any] | None,
        now: float,
    ) -> dict[str, Any]:
        group = entry.get("MessageGroupId")
        if group is None or group == "":
            raise missing_parameter("MessageGroupId")
        if not isinstance(group, str) or not _GROUP_ID.fullmatch(group):
            raise invalid_parameter(
                "MessageGroupId",
                group,
                "MessageGroupId can only include 1 to 128 printable ASCII characters.",
            )
        dedup_id = entry.get("MessageDeduplicationId")
        if dedup_id is None:
            if not q.content_based:
                raise invalid_parameter(
                    "MessageDeduplicationId",
                    None,
                    "The queue should either have ContentBasedDeduplication enabled or "
                    "MessageDeduplicationId provided explicitly",
                )
            # Content-based deduplication: a SHA-256 hash of the body (not the attributes).
            dedup_id = hashlib.sha256(body.encode()).hexdigest()
        elif not isinstance(dedup_id, str) or not _GROUP_ID.fullmatch(dedup_id):
            raise invalid_parameter(
                "MessageDeduplicationId",
                dedup_id,
                "It can only include 1 to 128 printable ASCII characters.",
            )
        key = q.dedup_key(group, dedup_id)
        earlier = q.find_duplicate(key, now)
        if earlier is not None:
            # Accepted successfully but not delivered; the interval is not extended.
            return {
                "MessageId": earlier[1],
                "MD5OfMessageBody": _md5(body),
                "SequenceNumber": earlier[2],
            }
        m = Message(self._message_id(), body, round(now * 1000), now, message_attributes)
        m.group = group
        m.dedup_id = dedup_id
        m.sequence_number = q.sequence_number()
        q.remember(key, now, m.message_id, m.sequence_number)
        q.add(m, now, q.delay)
        return {
            "MessageId": m.message_id,
            "MD5OfMessageBody": _md5(body),
            "SequenceNumber": m.sequence_number,
        }

    def receive_message(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        max_messages = _int_parameter(
            step,
            "MaxNumberOfMessages",
            1,
            1,
            MAX_BATCH_ENTRIES,
            "Must be between 1 and 10, if provided.",
        )
        timeout = _int_parameter(
            step,
            "VisibilityTimeout",
            q.visibility_timeout,
            0,
            attrs.MAX_VISIBILITY_TIMEOUT,
            "Must be >= 0 and <= 43200, if provided.",
        )
        wait = _int_parameter(
            step,
            "WaitTimeSeconds",
            q.wait_time,
            0,
            attrs.MAX_WAIT_TIME,
            "Must be >= 0 and <= 20, if provided.",
        )
        clock = self.clock
        deadline = clock.now() + wait
        while True:
            taken = self._take(q, max_messages, timeout)
            if taken or wait == 0:
                break
            # Long polling: wait for the next message to become visible, up to the deadline.
            due = q.next_visible_at()
            if due is None or due > deadline:
                clock.advance_to(deadline)
                q.settle(deadline)
                taken = self._take(q, max_messages, timeout)
                break
            clock.advance_to(due)
            q.settle(due)
        if not taken:
            self.stats["EmptyReceives"] += 1
            return {}
        wanted = step.get("MessageAttributeNames") or ()
        return {"Messages": [self._message_view(q, m, wanted) for m in taken]}

    def _take(self, q: Queue, max_messages: int, timeout: int) -> list[Message]:
        now = self.clock.now()
        dlq = self._dead_letter_queue(q)
        if q.fifo or not (self.duplicate_rate or self.reorder_rate):
            return q.take(now, max_messages, timeout, dlq)
        skip = self.reorder_rate > 0 and self._random() < self.reorder_rate
        taken = q.take(now, max_messages, timeout, dlq, skip_first=skip)
        if self.duplicate_rate:
            for m in taken:
                if self._random() < self.duplicate_rate:
                    q.add_duplicate(m, now)
        return taken

    def _message_view(self, q: Queue, m: Message, wanted: Any) -> dict[str, Any]:
        system = {
            "SenderId": attrs.ACCOUNT,
            "ApproximateReceiveCount": str(m.receive_count),
            "SentTimestamp": str(m.sent_ms),
            "ApproximateFirstReceiveTimestamp": str(m.first_receive_ms),
        }
        if m.group is not None:
            system["MessageGroupId"] = m.group
        if m.sequence_number is not None:
            system["MessageDeduplicationId"] = m.dedup_id  # type: ignore[assignment]
            system["SequenceNumber"] = m.sequence_number
        if m.source_arn is not None:
            system["DeadLetterQueueSourceArn"] = m.source_arn
        view: dict[str, Any] = {
            "MessageId": m.message_id,
            "ReceiptHandle": receipt_handle(q.qid, m.seq, m.receive_count),
            "MD5OfBody": _md5(m.body),
            "Body": m.body,
            "Attributes": system,
        }
        if m.attributes and wanted:
            chosen = {
                name: value
                for name, value in m.attributes.items()
                if _attribute_wanted(name, wanted)
            }
            if chosen:
                view["MessageAttributes"] = chosen
        return view

    def _handle(self, q: Queue, handle: Any) -> tuple[int, int]:
        if handle is None or handle == "":
            raise missing_parameter("ReceiptHandle")
        parsed = parse_receipt_handle(handle)
        if parsed is None or parsed[0] != q.qid:
            raise invalid_receipt_handle(handle)
        return parsed[1], parsed[2]

    def delete_message(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        self._delete(q, step)
        return {}

    def _delete(self, q: Queue, entry: dict[str, Any]) -> None:
        handle = entry.get("ReceiptHandle")
        seq, count = self._handle(q, handle)
        q.delete(seq, count, handle)

    def change_message_visibility(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        self._change_visibility(q, step)
        return {}

    def _change_visibility(self, q: Queue, entry: dict[str, Any]) -> None:
        handle = entry.get("ReceiptHandle")
        seq, count = self._handle(q, handle)
        if entry.get("VisibilityTimeout") is None:
            raise missing_parameter("VisibilityTimeout")
        timeout = _int_parameter(
            entry,
            "VisibilityTimeout",
            0,
            0,
            attrs.MAX_VISIBILITY_TIMEOUT,
            "Must be >= 0 and <= 43200.",
        )
        q.change_visibility(seq, count, timeout, self.clock.now(), handle)

    # --- batches -----------------------------------------------------------------------------

    def send_message_batch(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        entries = _batch_entries(step, "SendMessageBatchRequestEntry")
        total = sum(
            _byte_length(e.get("MessageBody") or "") + _attributes_size(e.get("MessageAttributes"))
            for e in entries
            if isinstance(e.get("MessageBody") or "", str)
        )
        if total > attrs.MAX_MESSAGE_SIZE:
            raise SqsError(
                BATCH_REQUEST_TOO_LONG,
                f"Batch requests cannot be longer than {attrs.MAX_MESSAGE_SIZE} bytes. "
                f"You have sent {total} bytes.",
            )

        def send(entry: dict[str, Any]) -> dict[str, Any]:
            sent = self._send(q, entry)
            return {"Id": entry["Id"], **sent}

        return _run_batch(entries, send)

    def delete_message_batch(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        entries = _batch_entries(step, "DeleteMessageBatchRequestEntry")

        def delete(entry: dict[str, Any]) -> dict[str, Any]:
            self._delete(q, entry)
            return {"Id": entry["Id"]}

        return _run_batch(entries, delete)

    def change_message_visibility_batch(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        entries = _batch_entries(step, "ChangeMessageVisibilityBatchRequestEntry")

        def change(entry: dict[str, Any]) -> dict[str, Any]:
            self._change_visibility(q, entry)
            return {"Id": entry["Id"]}

        return _run_batch(entries, change)

    # --- the clock ---------------------------------------------------------------------------

    def advance(self, step: dict[str, Any]) -> dict[str, Any]:
        seconds = step.get("Seconds")
        if seconds is None:
            raise missing_parameter("Seconds")
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or seconds < 0
        ):
            raise invalid_parameter("Seconds", seconds, "Must be a number >= 0.")
        self.clock.advance(seconds)
        return {}

    def next_change_at(self) -> float | None:
        """The next moment a message changes state by itself (for a page's play button)."""
        moments = []
        for q in self.queues.values():
            due = q.next_visible_at()
            if due is not None:
                moments.append(due)
            expires = q.next_expiry_at()
            if expires is not None:
                moments.append(expires)
        return min(moments) if moments else None

    # --- helpers -----------------------------------------------------------------------------

    def _message_id(self) -> str:
        n = self.next_message
        self.next_message = n + 1
        digest = hashlib.md5(f"sqs-message-{n}".encode(), usedforsecurity=False).digest()
        return str(uuid.UUID(bytes=digest, version=4))

    def _random(self) -> float:
        """splitmix64: a tiny seeded generator whose whole state is one integer."""
        self.rng_state = (self.rng_state + 0x9E3779B97F4A7C15) & _MASK64
        z = self.rng_state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        z ^= z >> 31
        return z / 2**64

    # --- views and serialisation ------------------------------------------------------------

    def snapshot(self, limit: int = 200) -> dict[str, Any]:
        """Everything the simulator page draws: each queue, its counts and messages
        (state, countdowns, receive counts), its DLQ, FIFO groups and deduplication ids."""
        now = self.clock.now()
        queues = []
        for q in self.queues.values():
            q.settle(now)
        for name, q in sorted(self.queues.items()):
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
                    s.name for s in self.queues.values() if s.dead_letter_queue == name
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
            "NowMs": self.clock.now_ms(),
            "NextChangeAt": self.next_change_at(),
            "Queues": queues,
            "Stats": dict(self.stats),
            "DemoMode": {
                "Seed": self.seed,
                "DuplicateRate": self.duplicate_rate,
                "ReorderRate": self.reorder_rate,
            },
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "clock": self.clock.to_dict(),
            "next_qid": self.next_qid,
            "next_message": self.next_message,
            "seed": self.seed,
            "rng_state": self.rng_state,
            "duplicate_rate": self.duplicate_rate,
            "reorder_rate": self.reorder_rate,
            "deleted": dict(self.deleted),
            "stats": dict(self.stats),
            "queues": [q.to_dict() for q in self.queues.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SqsEngine:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported SQS engine state version: {data.get('version')}")
        engine = cls(
            Clock.from_dict(data["clock"]),
            seed=data["seed"],
            duplicate_rate=data["duplicate_rate"],
            reorder_rate=data["reorder_rate"],
        )
        engine.rng_state = data["rng_state"]
        engine.next_qid = data["next_qid"]
        engine.next_message = data["next_message"]
        engine.deleted = dict(data["deleted"])
        engine.stats = dict(data["stats"])
        for item in data["queues"]:
            cls_ = FifoQueue if item["fifo"] else Queue
            q = cls_(item["name"], item["qid"], item["attributes"], item["created"])
            q.restore(item)
            engine.queues[q.name] = q
        return engine


def _attributes_size(message_attributes: Any) -> int:
    """Message attributes count toward the size limit: name, type and value."""
    if not message_attributes:
        return 0
    if not isinstance(message_attributes, dict) or len(message_attributes) > 10:
        raise invalid_parameter(
            "MessageAttributes", "...", "A message can have at most 10 message attributes."
        )
    size = 0
    for name, value in message_attributes.items():
        if not isinstance(value, dict) or "DataType" not in value:
            raise invalid_parameter(
                "MessageAttributes", name, "Each message attribute needs a DataType and a value."
            )
        size += _byte_length(str(name)) + _byte_length(str(value["DataType"]))
        data = value.get("StringValue", value.get("BinaryValue", ""))
        size += _byte_length(str(data))
    return size


def _attribute_wanted(name: str, wanted: Any) -> bool:
    if isinstance(wanted, str):
        wanted = [wanted]
    for pattern in wanted:
        if not isinstance(pattern, str):
            continue
        if pattern in ("All", ".*") or pattern == name:
            return True
        if pattern.endswith(".*") and name.startswith(pattern[:-1]):
            return True
    return False


def _batch_entries(step: dict[str, Any], entry_type: str) -> list[dict[str, Any]]:
    """The checks every batch action shares (API Reference, SendMessageBatch and others)."""
    entries = step.get("Entries")
    if not entries:
        raise SqsError(
            EMPTY_BATCH_REQUEST, f"There should be at least one {entry_type} in the request."
        )
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SqsError(INVALID_PARAMETER_VALUE, "Entries must be a list of objects.")
    if len(entries) > MAX_BATCH_ENTRIES:
        raise SqsError(
            TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
            f"Maximum number of entries per request are {MAX_BATCH_ENTRIES}. "
            f"You have sent {len(entries)}.",
        )
    seen: set[str] = set()
    for entry in entries:
        entry_id = entry.get("Id")
        if not isinstance(entry_id, str) or not _BATCH_ID.fullmatch(entry_id):
            raise SqsError(
                INVALID_BATCH_ENTRY_ID,
                "A batch entry id can only contain alphanumeric characters, hyphens and "
                "underscores. It can be at most 80 letters long.",
            )
        if entry_id in seen:
            raise SqsError(BATCH_ENTRY_IDS_NOT_DISTINCT, f"Id {entry_id} repeated.")
        seen.add(entry_id)
    return entries


def _run_batch(
    entries: list[dict[str, Any]], run: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """Each entry succeeds or fails on its own: {"Successful": [...], "Failed": [...]}."""
    successful: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for entry in entries:
        try:
            successful.append(run(entry))
        except SqsError as error:
            failed.append(
                {
                    "Id": entry["Id"],
                    "SenderFault": True,
                    "Code": error.code,
                    "Message": error.message,
                }
            )
    return {"Successful": successful, "Failed": failed}


_HANDLERS: dict[str, Callable[[SqsEngine, dict[str, Any]], dict[str, Any]]] = {
    "CreateQueue": SqsEngine.create_queue,
    "DeleteQueue": SqsEngine.delete_queue,
    "GetQueueUrl": SqsEngine.get_queue_url,
    "ListQueues": SqsEngine.list_queues,
    "ListDeadLetterSourceQueues": SqsEngine.list_dead_letter_source_queues,
    "GetQueueAttributes": SqsEngine.get_queue_attributes,
    "SetQueueAttributes": SqsEngine.set_queue_attributes,
    "PurgeQueue": SqsEngine.purge_queue,
    "SendMessage": SqsEngine.send_message,
    "SendMessageBatch": SqsEngine.send_message_batch,
    "ReceiveMessage": SqsEngine.receive_message,
    "DeleteMessage": SqsEngine.delete_message,
    "DeleteMessageBatch": SqsEngine.delete_message_batch,
    "ChangeMessageVisibility": SqsEngine.change_message_visibility,
    "ChangeMessageVisibilityBatch": SqsEngine.change_message_visibility_batch,
    "Advance": SqsEngine.advance,
}
ACTIONS = tuple(_HANDLERS)
