"""The SQS API over the model: one engine holds a virtual clock and every queue.

``SqsEngine.apply({"Action": "SendMessage", "QueueName": "orders", "MessageBody": "A"})``
runs one action with AWS's parameter names and returns AWS's response shape, or
``{"Error": {"Code", "Message"}}``. The queue actions live here, the message actions in
``messages.py``, the page's picture of the queues in ``view.py``.

State is plain JSON, whole (``to_dict()`` / ``from_dict()``) or in parts (``to_parts()`` /
``from_parts()``): a small head plus one part per message and per remembered FIFO
deduplication id, so that a web page can store only what an action changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Callable
from typing import Any

from ..clock import Clock
from . import attributes as attrs
from . import messages
from .errors import (
    INVALID_ACTION,
    INVALID_PARAMETER_VALUE,
    PURGE_QUEUE_IN_PROGRESS,
    QUEUE_DELETED_RECENTLY,
    QUEUE_NAME_EXISTS,
    SqsError,
    invalid_attribute,
    invalid_parameter,
    missing_parameter,
    queue_does_not_exist,
    unknown_attribute,
)
from .fifo import FifoQueue
from .message import DELAYED, INFLIGHT, VISIBLE
from .queue import Queue

STATE_VERSION = 1
_STANDARD_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")
_FIFO_NAME = re.compile(r"[A-Za-z0-9_-]{1,75}\.fifo")
_PART_KEY = re.compile(r"q(\d+)/([md])(.*)", re.DOTALL)
_MASK64 = (1 << 64) - 1


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
        # Parts of deleted queues, to report as gone; every part is new until to_parts().
        self._gone: set[str] = set()
        self._unreported = True

    # --- entry point -------------------------------------------------------------------------

    def apply(self, step: dict[str, Any]) -> dict[str, Any]:
        """Run one action; an AWS error becomes {"Error": {...}} instead of an exception."""
        if not isinstance(step, dict):
            return SqsError(INVALID_ACTION, "A step must be an object with an Action.").to_result()
        action = step.get("Action")
        handler = _HANDLERS.get(action) if isinstance(action, str) else None
        if handler is None:
            return SqsError(
                INVALID_ACTION, f"The action or operation requested is invalid: {action}."
            ).to_result()
        if action != "Advance":
            self.stats["Requests"] += 1
            self.stats[action] = self.stats.get(action, 0) + 1  # type: ignore[index]
        try:
            return handler(self, step)
        except SqsError as error:
            return error.to_result()
        except (TypeError, ValueError, AttributeError, ArithmeticError, RecursionError) as error:
            # Parameters come from web forms and files: a value of a type no check foresaw
            # is still the caller's fault, never a crash.
            return SqsError(
                INVALID_PARAMETER_VALUE, f"One or more parameters are invalid. Reason: {error}"
            ).to_result()

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

    def dead_letter_queue(self, q: Queue) -> Queue | None:
        """The queue's dead-letter queue, brought up to the clock (None: it has none)."""
        if q.dead_letter_queue is None:
            return None
        target = self.queues.get(q.dead_letter_queue)
        if target is None or target.fifo != q.fifo or target is q:
            return None
        if not attrs.redrive_allows(target.attributes.get("RedriveAllowPolicy"), q.arn):
            # The dead-letter queue's RedriveAllowPolicy (denyAll, or byQueue without this
            # queue) refuses it: nothing moves there, the message stays in its queue.
            return None
        target.settle(self.clock.now())
        return target

    def _check_redrive(self, source_name: str, attributes: dict[str, str], fifo: bool) -> None:
        """The rules that involve more than one attribute or queue (API Reference,
        SetQueueAttributes): perMessageGroupId throughput needs messageGroup deduplication,
        and a dead-letter queue's RedriveAllowPolicy says which source queues can specify it."""
        if fifo:
            attrs.check_throughput(attributes)
        policy = attributes.get("RedrivePolicy")
        if policy:
            target_arn = json.loads(policy)["deadLetterTargetArn"]
            target = self.queues.get(attrs.name_from_reference(target_arn))
            if target is not None and not attrs.redrive_allows(
                target.attributes.get("RedriveAllowPolicy"), attrs.queue_arn(source_name)
            ):
                raise invalid_attribute(
                    "RedrivePolicy",
                    policy,
                    f"The RedriveAllowPolicy of {target.name} does not allow "
                    f"{source_name} to specify it as its dead-letter queue.",
                )

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
        defaults = attrs.FIFO_DEFAULTS if fifo else {}
        self._check_redrive(name, {**defaults, **checked}, fifo)
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
        if not self._unreported:
            q.track()  # a new queue's parts are new: record them from the start
        self.next_qid += 1
        self.queues[name] = q
        return {"QueueUrl": q.url}

    def delete_queue(self, step: dict[str, Any]) -> dict[str, Any]:
        q = self.queue(step)
        self._gone.update(q.all_part_keys())
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
        self._check_redrive(q.name, {**q.attributes, **checked}, q.fifo)
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
        if seconds > self.clock.headroom():
            # The virtual clock stops at the end of year 9999 (clock.MAX_NOW).
            raise invalid_parameter(
                "Seconds",
                seconds,
                f"The clock can move at most {self.clock.headroom():.0f} more seconds "
                "(to 9999-12-31T23:59:59Z).",
            )
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

    def settle(self) -> None:
        """Bring every queue up to the clock (delays, visibility timeouts, retention)."""
        now = self.clock.now()
        for q in self.queues.values():
            q.settle(now)

    def queue_names(self) -> list[str]:
        """The name of every queue, sorted (no request is counted, unlike ListQueues)."""
        return sorted(self.queues)

    def totals(self) -> dict[str, int]:
        """What the engine stores: queues, messages, and the bytes of every message body."""
        self.settle()
        queues = self.queues.values()
        return {
            "Queues": len(self.queues),
            "Messages": sum(len(q.messages) for q in queues),
            "Bytes": sum(q.body_bytes for q in queues),
        }

    # --- helpers -----------------------------------------------------------------------------

    def new_message_id(self) -> str:
        """The next MessageId: a UUID, reproducible from the engine's counter."""
        n = self.next_message
        self.next_message = n + 1
        digest = hashlib.md5(f"sqs-message-{n}".encode(), usedforsecurity=False).digest()
        return str(uuid.UUID(bytes=digest, version=4))

    def random(self) -> float:
        """splitmix64: a tiny seeded generator whose whole state is one integer."""
        self.rng_state = (self.rng_state + 0x9E3779B97F4A7C15) & _MASK64
        z = self.rng_state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        z ^= z >> 31
        return z / 2**64

    # --- state -------------------------------------------------------------------------------

    def to_dict(self, *, messages: bool = True) -> dict[str, Any]:
        """The whole engine as plain JSON (``messages=False``: the head of ``to_parts``)."""
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
            "queues": [q.to_dict(messages=messages) for q in self.queues.values()],
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

    def to_parts(self, *, changed: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
        """The state as a small head plus keyed parts (one per message and per FIFO
        deduplication id); ``from_parts`` puts them together again.

        ``changed=True``: only the parts changed since the last ``to_parts``, a part that is
        gone as None. An engine that never gave its parts (new, or from ``from_dict``) gives
        them all: store them in place of whatever was stored.
        """
        changed = changed and not self._unreported
        parts: dict[str, Any] = dict.fromkeys(self._gone) if changed else {}
        for q in self.queues.values():
            parts.update(q.parts(changed=changed))
        self._gone.clear()
        self._unreported = False
        return self.to_dict(messages=False), parts

    @classmethod
    def from_parts(cls, head: dict[str, Any], parts: dict[str, Any]) -> SqsEngine:
        """The engine that ``to_parts`` described: its head and every part stored since."""
        by_queue: dict[int, tuple[list[Any], list[Any]]] = {}
        for key, value in parts.items():
            match = _PART_KEY.fullmatch(key)
            if match is None or value is None:
                raise ValueError(f"not a part of an SQS engine: {key!r}")
            found = by_queue.setdefault(int(match[1]), ([], []))
            if match[2] == "m":
                found[0].append(value)
            else:
                found[1].append([match[3], *value])
        data = dict(head)
        data["queues"] = []
        for item in head["queues"]:
            stored, dedup = by_queue.get(item["qid"], ([], []))
            # As kept: by the end of the interval, then by the order of the sends.
            dedup.sort(key=lambda entry: (entry[1], int(entry[3])))
            data["queues"].append({**item, "messages": stored, "dedup": dedup})
        engine = cls.from_dict(data)
        engine._unreported = False
        for q in engine.queues.values():
            q.track()
        return engine


_HANDLERS: dict[str, Callable[[SqsEngine, dict[str, Any]], dict[str, Any]]] = {
    "CreateQueue": SqsEngine.create_queue,
    "DeleteQueue": SqsEngine.delete_queue,
    "GetQueueUrl": SqsEngine.get_queue_url,
    "ListQueues": SqsEngine.list_queues,
    "ListDeadLetterSourceQueues": SqsEngine.list_dead_letter_source_queues,
    "GetQueueAttributes": SqsEngine.get_queue_attributes,
    "SetQueueAttributes": SqsEngine.set_queue_attributes,
    "PurgeQueue": SqsEngine.purge_queue,
    "SendMessage": messages.send_message,
    "SendMessageBatch": messages.send_message_batch,
    "ReceiveMessage": messages.receive_message,
    "DeleteMessage": messages.delete_message,
    "DeleteMessageBatch": messages.delete_message_batch,
    "ChangeMessageVisibility": messages.change_message_visibility,
    "ChangeMessageVisibilityBatch": messages.change_message_visibility_batch,
    "Advance": SqsEngine.advance,
}
ACTIONS = tuple(_HANDLERS)
