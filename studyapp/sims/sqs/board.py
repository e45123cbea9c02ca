"""The SQS simulator page's view-model: plain values the template draws, nothing else.

Queues come as lanes, each dead-letter queue right after its source; each consumer's receipt
handles are marked current, stale or gone; the log newest first.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from studyapp.engines.clock import DEFAULT_EPOCH
from studyapp.engines.sqs import snapshot

from .. import presets
from ..web import Outcome
from .simulation import CONSUMERS, MAX_ADVANCE, PRESETS, SPEEDS, SqsSimulation, for_log, short

STEP_BUTTONS = (1, 5, 30, 60, 300)
# Per queue lane, oldest first; the lane says how many more there are. Enough to watch a
# visibility timeout or a redrive, and the page costs the same at 60 messages as at 2,000.
MESSAGES_SHOWN = 50
SHOWN_ATTRIBUTES = (
    "VisibilityTimeout",
    "DelaySeconds",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
)


def build(sim: SqsSimulation, outcome: Outcome | None = None) -> dict[str, Any]:
    """Everything the template needs, for the page or one of its fragments."""
    outcome = outcome or Outcome()
    receivers = []
    for number in range(1, CONSUMERS + 1):
        last = sim.ui.get(f"receive{number}") or {}
        receivers.append(
            {
                "number": number,
                "queue": last.get("queue") or sim.ui.get("queue", ""),
                "max": last.get("max") or 1,
                "visibility": "" if last.get("visibility") is None else last["visibility"],
                "wait": "" if last.get("wait") is None else last["wait"],
            }
        )
    return {
        "board": board(sim),
        "presets": presets.available(PRESETS),
        "speeds": SPEEDS,
        "step_buttons": STEP_BUTTONS,
        "max_advance": MAX_ADVANCE,
        "receivers": receivers,
        "last_queue": sim.ui.get("queue", ""),
        "error": outcome.text if outcome.error else "",
        "invalid": outcome.status == 400,
        "announce": announcement(sim),
    }


def announcement(sim: SqsSimulation) -> str:
    """What a screen reader hears after an action: the last call and how it went."""
    last = sim.log.last
    if last is None:
        return ""
    name = last["action"].get("Action", "")
    if last["error"]:
        return _("%(action)s failed: %(code)s") % {"action": name, "code": last["error"]["Code"]}
    return _("%(action)s done") % {"action": name}


def board(sim: SqsSimulation) -> dict[str, Any]:
    """The snapshot arranged for the template: each DLQ lane right after its source."""
    snap = snapshot(sim.engine, limit=MESSAGES_SHOWN)
    now = snap["Now"]
    by_name = {q["QueueName"]: q for q in snap["Queues"]}
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place(q: dict[str, Any], depth: int) -> None:
        if q["QueueName"] in placed:
            return
        placed.add(q["QueueName"])
        ordered.append(_lane(q, depth))
        dlq = q["DeadLetterQueue"] and by_name.get(q["DeadLetterQueue"]["QueueName"])
        if dlq:
            place(dlq, depth + 1)

    for q in snap["Queues"]:
        sources = [s for s in q["DeadLetterSourceQueues"] if s in by_name and s != q["QueueName"]]
        if not sources:
            place(q, 0)
    for q in snap["Queues"]:
        place(q, 0)  # DLQs whose sources form a cycle

    next_in = None
    if snap["NextChangeAt"] is not None:
        next_in = max(1, math.ceil(snap["NextChangeAt"] - now - 1e-9))
    return {
        "elapsed": now - DEFAULT_EPOCH,
        "clock": clock_text(now - DEFAULT_EPOCH),
        "next_change_in": next_in,
        "lanes": ordered,
        "queue_names": sorted(by_name),
        "consumers": _consumers(sim, snap),
        "log": [sim.log.shown(entry, _log_row) for entry in sim.log.newest_first()],
        "stats": snap["Stats"],
        "demo": snap["DemoMode"],
        "speed": sim.speed,
        "preset": _preset(sim),
    }


def _log_row(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        **entry,
        "clock": clock_text(entry["at"]),
        "text": log_sentence(entry),
        "did_nothing": entry.get("deleted") == 0 and not entry["error"],
        "action_json": json.dumps(entry["action"]),
        "result_json": json.dumps(entry["result"]),
    }


def _ids(messages: list[Any]) -> str:
    return ", ".join(str(m.get("MessageId", ""))[:8] for m in messages if isinstance(m, dict))


def log_sentence(entry: dict[str, Any]) -> str:
    """One log entry as a sentence ("Consumer 2 deleted 1f0c9a2e from orders."); it says so
    when a call succeeded and changed nothing (a DeleteMessage with a stale receipt handle)."""
    action, result = entry["action"], entry["result"]
    name = str(action.get("Action", ""))
    who = {"actor": entry["actor"], "action": name, "q": action.get("QueueName", "")}
    if entry["error"]:
        return _("%(actor)s called %(action)s: it failed with %(code)s (%(message)s).") % {
            **who,
            "code": entry["error"].get("Code", ""),
            "message": entry["error"].get("Message", ""),
        }
    said = {
        "CreateQueue": _("%(actor)s created the queue %(q)s."),
        "DeleteQueue": _("%(actor)s deleted the queue %(q)s."),
        "PurgeQueue": _("%(actor)s purged %(q)s: every message in it is gone."),
        "SetQueueAttributes": _("%(actor)s changed the attributes of %(q)s."),
    }
    if name in said:
        return said[name] % who
    if name == "SendMessage":
        return _("%(actor)s sent %(id)s to %(q)s: “%(body)s”.") % {
            **who,
            "id": str(result.get("MessageId", ""))[:8],
            "body": short(str(action.get("MessageBody", "")), 40),
        }
    if name == "SendMessageBatch":
        sent, failed = result.get("Successful") or [], result.get("Failed") or []
        text = ngettext(
            "%(actor)s sent %(n)s message to %(q)s in a batch.",
            "%(actor)s sent %(n)s messages to %(q)s in a batch.",
            len(sent),
        ) % {**who, "n": len(sent)}
        if failed:
            text += " " + _("%(n)s failed.") % {"n": len(failed)}
        return text
    if name == "ReceiveMessage":
        got = result.get("Messages") or []
        if not got:
            return _("%(actor)s received nothing from %(q)s: no message was visible.") % who
        return _("%(actor)s received %(ids)s from %(q)s.") % {**who, "ids": _ids(got)}
    if name == "DeleteMessage":
        message = (entry.get("message") or "")[:8] or _("a message")
        if entry.get("deleted") == 0:
            return _(
                "%(actor)s's DeleteMessage did nothing: the receipt handle is no longer the "
                "latest for %(id)s (it was received again, or it is gone), so SQS answered "
                "success and deleted nothing."
            ) % {**who, "id": message}
        return _("%(actor)s deleted %(id)s from %(q)s.") % {**who, "id": message}
    if name == "DeleteMessageBatch":
        asked = len(action.get("Entries") or [])
        if entry.get("deleted") == 0:
            return _("%(actor)s's DeleteMessageBatch did nothing: no message was deleted.") % who
        return _("%(actor)s deleted %(n)s of %(asked)s messages from %(q)s in a batch.") % {
            **who,
            "n": entry.get("deleted", len(result.get("Successful") or [])),
            "asked": asked,
        }
    if name == "ChangeMessageVisibility":
        return _("%(actor)s set the visibility timeout of a message in %(q)s to %(s)s s.") % {
            **who,
            "s": action.get("VisibilityTimeout", ""),
        }
    if name == "Advance":
        return _("The clock moved on by %(s)s s.") % {"s": action.get("Seconds")}
    if name == "(consumer crash)" and not result.get("ForgottenReceiptHandles"):
        return _("%(actor)s crashed; it held no receipt handle.") % who
    if name == "(consumer crash)":
        return ngettext(
            "%(actor)s crashed and forgot %(n)s receipt handle; its message will be visible "
            "again when its visibility timeout ends.",
            "%(actor)s crashed and forgot %(n)s receipt handles; their messages will be "
            "visible again when their visibility timeouts end.",
            result.get("ForgottenReceiptHandles", 0),
        ) % {**who, "n": result.get("ForgottenReceiptHandles", 0)}
    if who["q"]:
        return _("%(actor)s called %(action)s on %(q)s.") % who
    return _("%(actor)s called %(action)s.") % who


def _consumers(sim: SqsSimulation, snap: dict[str, Any]) -> list[dict[str, Any]]:
    """What each consumer holds; a handle is current while its message is in flight on it."""
    in_flight = {
        m["MessageId"]: m.get("ReceiptHandle") for q in snap["Queues"] for m in q["Messages"]
    }
    consumers = []
    for index, held in enumerate(sim.consumers):
        items = []
        for h in held:
            if h["MessageId"] not in in_flight:
                status = "gone"
            elif in_flight[h["MessageId"]] == h["ReceiptHandle"]:
                status = "held"
            else:
                status = "stale"
            items.append({**h, "status": status})
        consumers.append({"index": index, "number": index + 1, "held": items})
    return consumers


def _preset(sim: SqsSimulation) -> dict[str, Any] | None:
    p = sim.preset
    if p is None:
        return None
    return {
        "name": p["name"],
        "title": p["title"],
        "description": p["description"],
        "done": p["done"],
        "total": len(p["steps"]),
        "steps": [
            {"number": i + 1, "json": json.dumps(for_log(s)), "done": i < p["done"]}
            for i, s in enumerate(p["steps"])
        ],
    }


def clock_text(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    fraction = seconds - whole
    if fraction > 1e-6:
        text += f".{round(fraction * 1000):03d}"
    return text


def _seconds(value: float) -> int:
    """Countdowns shown in whole seconds, rounded up: 0.2 s left is not 'visible now'."""
    return max(0, math.ceil(value - 1e-9))


def _message(m: dict[str, Any]) -> dict[str, Any]:
    """One message row. Its texts are made here, not in the template: a queue may show 200
    rows, and every key the template reads is present (a missing one is slow to look up)."""
    countdown = _seconds(m["SecondsUntilVisible"])
    if m["State"] == "visible":
        state = _("visible")
    elif m["State"] == "inflight":
        state = _("in flight · visible again in %(n)s s") % {"n": countdown}
    else:
        state = _("delayed · visible in %(n)s s") % {"n": countdown}
    source = (m.get("DeadLetterQueueSourceArn") or "").rsplit(":", 1)[-1]
    return {
        "MessageId": m["MessageId"],
        "State": m["State"],
        "ReceiveCount": m["ReceiveCount"],
        "ShortId": m["MessageId"][:8],
        "Body": short(m["Body"], 60),
        "state_text": state,
        "received_text": _("received %(n)s×") % {"n": m["ReceiveCount"]},
        "MessageGroupId": m.get("MessageGroupId"),
        "sequence_end": (m.get("SequenceNumber") or "")[-4:],
        "moved_text": _("moved from %(q)s") % {"q": source} if source else "",
        "Duplicate": m.get("Duplicate", False),
    }


def _lane(q: dict[str, Any], depth: int) -> dict[str, Any]:
    counts = q["Counts"]
    total = counts["Visible"] + counts["InFlight"] + counts["Delayed"]
    messages = [_message(m) for m in q["Messages"]]
    groups = []
    for name, g in sorted((q.get("MessageGroups") or {}).items()):
        waiting = g["Messages"] - g["InFlight"]
        groups.append(
            {
                "name": name,
                "messages": g["Messages"],
                "inflight": g["InFlight"],
                "blocked": g["InFlight"] > 0 and waiting > 0,
                "waiting": waiting,
            }
        )
    dedup = [
        {**d, "Seconds": _seconds(d["SecondsLeft"]), "ShortId": d["MessageId"][:8]}
        for d in q.get("Deduplication") or []
    ]
    attributes = q["Attributes"]
    return {
        "name": q["QueueName"],
        "fifo": q["Fifo"],
        "depth": depth,
        "counts": counts,
        "total": total,
        "hidden": max(0, total - len(messages)),
        "messages": messages,
        "attributes": {
            key: attributes.get(key)
            for key in SHOWN_ATTRIBUTES
            if attributes.get(key) not in (None, "")
        },
        "dlq": q["DeadLetterQueue"],
        "sources": q["DeadLetterSourceQueues"],
        "purge_wait": _seconds(q["SecondsUntilPurgeAllowed"]),
        "groups": groups,
        "dedup": dedup,
    }
