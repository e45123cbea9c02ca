"""The message actions of the SQS API: send, receive, delete, change visibility, and batches.

Each handler takes the engine and a step with AWS's parameter names and returns AWS's
response shape, or raises ``SqsError``; ``SqsEngine.apply`` dispatches to them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import attributes as attrs
from . import message_attributes
from .errors import (
    BATCH_ENTRY_IDS_NOT_DISTINCT,
    BATCH_REQUEST_TOO_LONG,
    EMPTY_BATCH_REQUEST,
    INVALID_BATCH_ENTRY_ID,
    INVALID_MESSAGE_CONTENTS,
    INVALID_PARAMETER_VALUE,
    TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
    SqsError,
    invalid_parameter,
    invalid_receipt_handle,
    missing_parameter,
)
from .fifo import FifoQueue
from .message import Message
from .queue import Queue, parse_receipt_handle, receipt_handle, text_bytes

if TYPE_CHECKING:
    from .service import SqsEngine

MAX_BATCH_ENTRIES = 10
_BATCH_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")
_GROUP_ID = re.compile(r"[!-~]{1,128}")
_NOT_FOR_THIS_TYPE = "The request include parameter that is not valid for this queue type."


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def int_parameter(
    params: dict[str, Any], name: str, default: int, low: int, high: int, reason: str
) -> int:
    """An integer parameter within AWS's range, or InvalidParameterValue with AWS's reason."""
    value = params.get(name)
    if value is None:
        return default
    number = attrs.as_int(value)
    if number is None or not low <= number <= high:
        raise invalid_parameter(name, value, reason)
    return number


# --- sending ---------------------------------------------------------------------------------


def send_message(engine: SqsEngine, step: dict[str, Any]) -> dict[str, Any]:
    return _send(engine, engine.queue(step), step)


def _send(engine: SqsEngine, q: Queue, entry: dict[str, Any]) -> dict[str, Any]:
    body = entry.get("MessageBody")
    if body is None:
        raise missing_parameter("MessageBody")
    if not isinstance(body, str) or not body:
        raise invalid_parameter("MessageBody", body, "The message body must be a non-empty string.")
    if message_attributes.BAD_CHARACTER.search(body):
        raise SqsError(
            INVALID_MESSAGE_CONTENTS,
            "Invalid binary character was found in the message body, the set of allowed "
            "characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | "
            "#x10000 to #x10FFFF",
        )
    attributes, attributes_size = message_attributes.check(entry.get("MessageAttributes"))
    size = text_bytes(body) + attributes_size
    if size > q.max_size:
        raise SqsError(
            INVALID_PARAMETER_VALUE,
            f"One or more parameters are invalid. Reason: Message must be shorter than "
            f"{q.max_size} bytes.",
        )
    now = engine.clock.now()
    if isinstance(q, FifoQueue):
        # API Reference, SendMessage: FIFO queues take a delay only at queue level.
        delay_value = entry.get("DelaySeconds")
        if delay_value is not None and attrs.as_int(delay_value) != 0:
            raise invalid_parameter("DelaySeconds", delay_value, _NOT_FOR_THIS_TYPE)
        sent = _send_fifo(engine, q, entry, body, attributes, now)
    else:
        sent = _send_standard(engine, q, entry, body, attributes, now)
    if attributes:
        sent["MD5OfMessageAttributes"] = message_attributes.md5(attributes)
    return sent


def _send_standard(
    engine: SqsEngine,
    q: Queue,
    entry: dict[str, Any],
    body: str,
    attributes: dict[str, Any] | None,
    now: float,
) -> dict[str, Any]:
    if entry.get("MessageDeduplicationId") is not None:
        raise invalid_parameter(
            "MessageDeduplicationId", entry["MessageDeduplicationId"], _NOT_FOR_THIS_TYPE
        )
    delay = int_parameter(
        entry, "DelaySeconds", q.delay, 0, attrs.MAX_DELAY, "Must be >= 0 and <= 900, if provided."
    )
    m = Message(engine.new_message_id(), body, round(now * 1000), now, attributes)
    group = entry.get("MessageGroupId")
    if group is not None:
        # Fair queues: accepted, checked as on FIFO queues and shown; no ordering here.
        m.group = _check_group_id(group)
    q.add(m, now, delay)
    return {"MessageId": m.message_id, "MD5OfMessageBody": _md5(body)}


def _send_fifo(
    engine: SqsEngine,
    q: FifoQueue,
    entry: dict[str, Any],
    body: str,
    attributes: dict[str, Any] | None,
    now: float,
) -> dict[str, Any]:
    group = entry.get("MessageGroupId")
    if group is None or group == "":
        raise missing_parameter("MessageGroupId")
    group = _check_group_id(group)
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
    m = Message(engine.new_message_id(), body, round(now * 1000), now, attributes)
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


def _check_group_id(group: Any) -> str:
    """API Reference, SendMessage, MessageGroupId (FIFO and fair standard queues alike): up to
    128 characters, alphanumeric and punctuation."""
    if not isinstance(group, str) or not _GROUP_ID.fullmatch(group):
        raise invalid_parameter(
            "MessageGroupId",
            group,
            "MessageGroupId can only include 1 to 128 printable ASCII characters.",
        )
    return group


# --- receiving -------------------------------------------------------------------------------


def receive_message(engine: SqsEngine, step: dict[str, Any]) -> dict[str, Any]:
    q = engine.queue(step)
    max_messages = int_parameter(
        step,
        "MaxNumberOfMessages",
        1,
        1,
        MAX_BATCH_ENTRIES,
        "Must be between 1 and 10, if provided.",
    )
    timeout = int_parameter(
        step,
        "VisibilityTimeout",
        q.visibility_timeout,
        0,
        attrs.MAX_VISIBILITY_TIMEOUT,
        "Must be >= 0 and <= 43200, if provided.",
    )
    wait = int_parameter(
        step,
        "WaitTimeSeconds",
        q.wait_time,
        0,
        attrs.MAX_WAIT_TIME,
        "Must be >= 0 and <= 20, if provided.",
    )
    attempt_id = step.get("ReceiveRequestAttemptId") if isinstance(q, FifoQueue) else None
    if attempt_id is not None:
        # API Reference, ReceiveMessage: up to 128 alphanumeric and punctuation characters;
        # the parameter applies only to FIFO queues (standard queues ignore it).
        if not isinstance(attempt_id, str) or not _GROUP_ID.fullmatch(attempt_id):
            raise invalid_parameter(
                "ReceiveRequestAttemptId",
                attempt_id,
                "ReceiveRequestAttemptId can only include 1 to 128 printable ASCII characters.",
            )
        again = q.retry_attempt(attempt_id, engine.clock.now())  # type: ignore[union-attr]
        if again:
            return {"Messages": [_message_view(q, m, step) for m in again]}
    clock = engine.clock
    deadline = clock.now() + wait
    while True:
        taken = _take(engine, q, max_messages, timeout)
        if taken or wait == 0:
            break
        # Long polling: wait for the next message to become visible, up to the deadline.
        due = q.next_visible_at()
        if due is None or due > deadline:
            clock.advance_to(deadline)
            q.settle(deadline)
            taken = _take(engine, q, max_messages, timeout)
            break
        clock.advance_to(due)
        q.settle(due)
    if not taken:
        engine.stats["EmptyReceives"] += 1
        return {}
    if attempt_id is not None:
        q.remember_attempt(attempt_id, clock.now(), timeout, taken)  # type: ignore[union-attr]
    return {"Messages": [_message_view(q, m, step) for m in taken]}


def _names(step: dict[str, Any], *keys: str) -> list[str]:
    """The names a receive asks for under any of these parameters (a list, or one name)."""
    names: list[str] = []
    for key in keys:
        value = step.get(key)
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            names += [name for name in value if isinstance(name, str)]
    return names


def _take(engine: SqsEngine, q: Queue, max_messages: int, timeout: int) -> list[Message]:
    now = engine.clock.now()
    dlq = engine.dead_letter_queue(q)
    if q.fifo or not (engine.duplicate_rate or engine.reorder_rate):
        return q.take(now, max_messages, timeout, dlq)
    skip = engine.reorder_rate > 0 and engine.random() < engine.reorder_rate
    taken = q.take(now, max_messages, timeout, dlq, skip_first=skip)
    if engine.duplicate_rate:
        for m in taken:
            if engine.random() < engine.duplicate_rate:
                q.add_duplicate(m, now)
    return taken


def _message_view(q: Queue, m: Message, step: dict[str, Any]) -> dict[str, Any]:
    """A received message: the system attributes and message attributes the receive asked
    for (API Reference, ReceiveMessage: MessageSystemAttributeNames, or the older
    AttributeNames, and MessageAttributeNames; "All" for every one)."""
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
    }
    asked = _names(step, "MessageSystemAttributeNames", "AttributeNames")
    if "All" not in asked:
        system = {name: value for name, value in system.items() if name in asked}
    if system:
        view["Attributes"] = system
    wanted = _names(step, "MessageAttributeNames")
    if m.attributes and wanted:
        chosen = {
            name: value for name, value in m.attributes.items() if _attribute_wanted(name, wanted)
        }
        if chosen:
            view["MD5OfMessageAttributes"] = message_attributes.md5(chosen)
            view["MessageAttributes"] = chosen
    return view


# --- deleting and changing visibility ------------------------------------------------------


def _handle(q: Queue, handle: Any) -> tuple[int, int]:
    if handle is None or handle == "":
        raise missing_parameter("ReceiptHandle")
    parsed = parse_receipt_handle(handle)
    if parsed is None or parsed[0] != q.qid:
        raise invalid_receipt_handle(handle)
    return parsed[1], parsed[2]


def delete_message(engine: SqsEngine, step: dict[str, Any]) -> dict[str, Any]:
    _delete(engine.queue(step), step)
    return {}


def _delete(q: Queue, entry: dict[str, Any]) -> None:
    handle = entry.get("ReceiptHandle")
    seq, count = _handle(q, handle)
    q.delete(seq, count, handle)


def change_message_visibility(engine: SqsEngine, step: dict[str, Any]) -> dict[str, Any]:
    _change_visibility(engine, engine.queue(step), step)
    return {}


def _change_visibility(engine: SqsEngine, q: Queue, entry: dict[str, Any]) -> None:
    handle = entry.get("ReceiptHandle")
    seq, count = _handle(q, handle)
    if entry.get("VisibilityTimeout") is None:
        raise missing_parameter("VisibilityTimeout")
    timeout = int_parameter(
        entry,
        "VisibilityTimeout",
        0,
        0,
        attrs.MAX_VISIBILITY_TIMEOUT,
        "Must be >= 0 and <= 43200.",
    )
    q.change_visibility(seq, count, timeout, engine.clock.now(), handle)


# --- batches ---------------------------------------------------------------------------------


def send_message_batch(engine: SqsEngine, step: dict[str, Any]) -> dict[str, Any]:
    q = engine.queue(step)
    entries = _batch_entries(step, "SendMessageBatchRequestEntry")
    total = sum(_entry_size(e) for e in entries)
    if total > attrs.MAX_MESSAGE_SIZE:
        raise SqsError(
            BATCH_REQUEST_TOO_LONG,
            f"Batch requests cannot be longer than {attrs.MAX_MESSAGE_SIZE} bytes. "
            f"You have sent {total} bytes.",
        )

    def send(entry: dict[str, Any]) -> dict[str, Any]:
        return {"Id": entry["Id"], **_send(engine, q, entry)}

    return _run_batch(entries, send)


def delete_message_batch(engine: SqsEngine, step: dict[str, Any]) -> dict[str, Any]:
    q = engine.queue(step)
    entries = _batch_entries(step, "DeleteMessageBatchRequestEntry")

    def delete(entry: dict[str, Any]) -> dict[str, Any]:
        _delete(q, entry)
        return {"Id": entry["Id"]}

    return _run_batch(entries, delete)


def change_message_visibility_batch(engine: SqsEngine, step: dict[str, Any]) -> dict[str, Any]:
    q = engine.queue(step)
    entries = _batch_entries(step, "ChangeMessageVisibilityBatchRequestEntry")

    def change(entry: dict[str, Any]) -> dict[str, Any]:
        _change_visibility(engine, q, entry)
        return {"Id": entry["Id"]}

    return _run_batch(entries, change)


def _entry_size(entry: dict[str, Any]) -> int:
    """What a batch entry adds to the batch's payload; an entry that is invalid adds nothing
    here and fails on its own ("The result of sending each message is reported
    individually")."""
    body = entry.get("MessageBody") or ""
    if not isinstance(body, str):
        return 0
    try:
        return text_bytes(body) + message_attributes.check(entry.get("MessageAttributes"))[1]
    except SqsError:
        return text_bytes(body)


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
