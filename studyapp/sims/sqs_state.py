"""The SQS simulator of one browser session: engine state, consumers, event log, presets.

Everything lives in the user's Django session as plain JSON (the engine's own ``to_dict``),
so any app server can answer the next request. The caps below keep one session small: a
session is not a place for gigabytes of messages, and a click must not run for minutes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from studyapp.engines.clock import DEFAULT_EPOCH
from studyapp.engines.sqs import SqsEngine, engine_for
from studyapp.engines.sqs.scenario import resolve_references

SESSION_KEY = "sims_sqs"
MAX_QUEUES = 20
MAX_MESSAGES = 2_000
MAX_STORED_BYTES = 4 * 1024 * 1024  # all message bodies of one session together
MAX_BODY_BYTES = 1_048_576  # SQS's own maximum message size
MAX_ADVANCE = 300
LOG_LIMIT = 100
HELD_LIMIT = 50  # receipt handles one consumer remembers
CONSUMERS = 3
SPEEDS = (1, 2, 5, 10, 30, 60)
SHOWN_BODY = 120  # characters of a body shown on the page and in the log
MESSAGES_SHOWN = 200  # per queue lane


class LimitExceeded(Exception):
    """A request this session may not make (too many queues, messages or bytes)."""


class PresetNotFound(LookupError):
    pass


def _short(text: str, limit: int = SHOWN_BODY) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


def _for_log(value: Any) -> Any:
    """A copy of an action or result fit for the log: long strings are cut."""
    if isinstance(value, str):
        return _short(value)
    if isinstance(value, list):
        return [_for_log(item) for item in value]
    if isinstance(value, dict):
        return {key: _for_log(item) for key, item in value.items()}
    return value


# --- presets --------------------------------------------------------------------------------


def preset_dir() -> Path:
    return Path(settings.CONTENT_DIR) / "scenarios" / "sqs"


def preset_names() -> list[str]:
    folder = preset_dir()
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.json"))


def preset_choices() -> list[dict[str, str]]:
    """Name and title of every preset, for the picker."""
    choices = []
    for name in preset_names():
        try:
            data = _read_preset(name)
        except ValueError:
            continue  # a broken file is the content validator's business, not the page's
        choices.append({"name": name, "title": str(data.get("title") or name)})
    return choices


def _read_preset(name: str) -> dict[str, Any]:
    # The name is checked against the files present, never joined into a path as given.
    if name not in preset_names():
        raise PresetNotFound(name)
    path = preset_dir() / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ValueError(f'{path}: a scenario is an object with a "steps" list')
    return data


# --- the simulation -------------------------------------------------------------------------


@dataclass
class SqsSim:
    engine: SqsEngine = field(default_factory=SqsEngine)
    log: list[dict[str, Any]] = field(default_factory=list)
    next_event: int = 1
    consumers: list[list[dict[str, Any]]] = field(
        default_factory=lambda: [[] for _ in range(CONSUMERS)]
    )
    preset: dict[str, Any] | None = None  # name, title, description, steps, done, results
    speed: int = 0  # virtual seconds per real second while playing; 0 is paused
    ui: dict[str, Any] = field(default_factory=dict)  # the last values of the forms

    # --- session ----------------------------------------------------------------------------

    @classmethod
    def load(cls, session: Any) -> SqsSim:
        data = session.get(SESSION_KEY)
        if not data:
            return cls()
        try:
            return cls(
                engine=SqsEngine.from_dict(data["engine"]),
                log=list(data["log"]),
                next_event=int(data["next_event"]),
                consumers=[list(held) for held in data["consumers"]],
                preset=data.get("preset"),
                speed=int(data.get("speed", 0)),
                ui=dict(data.get("ui") or {}),
            )
        except (KeyError, TypeError, ValueError):
            return cls()  # state from an older version of the page: start afresh

    def save(self, session: Any) -> None:
        session[SESSION_KEY] = {
            "engine": self.engine.to_dict(),
            "log": self.log,
            "next_event": self.next_event,
            "consumers": self.consumers,
            "preset": self.preset,
            "speed": self.speed,
            "ui": self.ui,
        }

    @classmethod
    def fresh(cls, *, seed: int = 0, duplicate_rate: float = 0.0, reorder_rate: float = 0.0):
        engine = SqsEngine(seed=seed, duplicate_rate=duplicate_rate, reorder_rate=reorder_rate)
        return cls(engine=engine)

    # --- limits -----------------------------------------------------------------------------

    def _message_totals(self) -> tuple[int, int]:
        count = size = 0
        for q in self.engine.queues.values():
            count += len(q.messages)
            size += sum(len(m.body.encode()) for m in q.messages.values())
        return count, size

    def check_room(self, action: dict[str, Any]) -> None:
        """Refuse an action that would grow the session beyond its caps."""
        name = action.get("Action")
        if name == "CreateQueue":
            if (
                len(self.engine.queues) >= MAX_QUEUES
                and action.get("QueueName") not in self.engine.queues
            ):
                raise LimitExceeded(
                    _("This simulation already has %(n)d queues, the most it can hold.")
                    % {"n": MAX_QUEUES}
                )
            return
        if name == "SendMessage":
            bodies = [action.get("MessageBody") or ""]
        elif name == "SendMessageBatch":
            bodies = [e.get("MessageBody") or "" for e in action.get("Entries") or []]
        else:
            return
        count, size = self._message_totals()
        if count + len(bodies) > MAX_MESSAGES:
            raise LimitExceeded(
                _(
                    "This simulation already holds %(count)d messages; it can hold at most "
                    "%(max)d. Delete or purge some first."
                )
                % {"count": count, "max": MAX_MESSAGES}
            )
        if size + sum(len(body.encode()) for body in bodies) > MAX_STORED_BYTES:
            raise LimitExceeded(
                _(
                    "All messages of this simulation together may hold at most 4 MiB of text. "
                    "Delete or purge some first."
                )
            )

    # --- actions ----------------------------------------------------------------------------

    def run(self, action: dict[str, Any], *, actor: str, consumer: int | None = None):
        """Apply one engine action, log it, and let the consumer remember what it received."""
        at = self.engine.clock.now()
        result = self.engine.apply(action)
        if not isinstance(action, dict):
            self._log({"Action": repr(action)}, result, actor, at)
            return result
        if action.get("Action") == "Advance" and "Error" not in result:
            self._log_advance(action, actor, at)
        else:
            self._log(action, result, actor, at)
        if consumer is not None:
            self._remember(consumer, action, result)
        return result

    def advance(self, seconds: int, *, actor: str) -> dict[str, Any]:
        return self.run({"Action": "Advance", "Seconds": seconds}, actor=actor)

    def crash(self, consumer: int) -> int:
        """The consumer dies: it forgets its receipt handles and deletes nothing."""
        forgotten = len(self.consumers[consumer])
        self.consumers[consumer] = []
        self._log(
            {"Action": "(consumer crash)"},
            {"ForgottenReceiptHandles": forgotten},
            _("Consumer %(n)d") % {"n": consumer + 1},
            self.engine.clock.now(),
        )
        return forgotten

    def set_speed(self, speed: int) -> None:
        self.speed = speed

    def tick(self) -> None:
        """One second of real time while playing: the clock moves `speed` virtual seconds."""
        if self.speed:
            self.advance(self.speed, actor=_("Clock"))

    def _log(self, action, result, actor, at) -> None:
        self.log.append(
            {
                "n": self.next_event,
                "at": at - DEFAULT_EPOCH,
                "actor": actor,
                "action": _for_log(action),
                "result": _for_log(result),
                "error": result.get("Error") if isinstance(result, dict) else None,
            }
        )
        self.next_event += 1
        del self.log[:-LOG_LIMIT]

    def _log_advance(self, action, actor, at) -> None:
        """Consecutive clock advances make one entry, so that playing does not flood the log."""
        last = self.log[-1] if self.log else None
        if (
            last is not None
            and last["action"].get("Action") == "Advance"
            and last["actor"] == actor
            and last["error"] is None
        ):
            last["action"] = {
                "Action": "Advance",
                "Seconds": last["action"]["Seconds"] + action["Seconds"],
            }
            return
        self._log(action, {}, actor, at)

    def _remember(self, consumer: int, action: dict[str, Any], result: dict[str, Any]) -> None:
        held = self.consumers[consumer]
        name = action.get("Action")
        if name == "ReceiveMessage":
            for m in result.get("Messages") or []:
                held.append(
                    {
                        "QueueName": str(action.get("QueueName")),
                        "ReceiptHandle": m["ReceiptHandle"],
                        "MessageId": m["MessageId"],
                        "Body": _short(m["Body"], 60),
                        "ReceiveCount": m["Attributes"].get("ApproximateReceiveCount"),
                    }
                )
            del held[:-HELD_LIMIT]
        elif name == "DeleteMessage" and "Error" not in result:
            handle = action.get("ReceiptHandle")
            self.consumers[consumer] = [h for h in held if h["ReceiptHandle"] != handle]
        elif name == "DeleteMessageBatch" and "Error" not in result:
            done = {entry.get("Id") for entry in result.get("Successful") or []}
            handles = {
                e.get("ReceiptHandle")
                for e in action.get("Entries") or []
                if isinstance(e, dict) and e.get("Id") in done
            }
            self.consumers[consumer] = [h for h in held if h["ReceiptHandle"] not in handles]

    # --- presets ----------------------------------------------------------------------------

    @classmethod
    def from_preset(cls, name: str) -> SqsSim:
        """A fresh simulation with a preset's steps queued, ready to run one at a time."""
        data = _read_preset(name)
        sim = cls(engine=engine_for(data))
        sim.preset = {
            "name": name,
            "title": str(data.get("title") or name),
            "description": str(data.get("description") or ""),
            "steps": data["steps"],
            "done": 0,
            "handles": [],  # per step run: the receipt handles it returned, for "$N.I"
        }
        return sim

    def preset_step(self) -> dict[str, Any] | None:
        """Run the preset's next step (as consumer 1 when it receives); None when all ran."""
        p = self.preset
        if p is None or p["done"] >= len(p["steps"]):
            return None
        index = p["done"]
        results = [{"Messages": [{"ReceiptHandle": h} for h in hs]} for hs in p["handles"]]
        step = resolve_references(p["steps"][index], results)
        actor = _("Preset step %(n)d") % {"n": index + 1}
        held_by_consumer_1 = ("ReceiveMessage", "DeleteMessage", "DeleteMessageBatch")
        consumer = (
            0 if isinstance(step, dict) and step.get("Action") in held_by_consumer_1 else None
        )
        result = self.run(step, actor=actor, consumer=consumer)
        p["handles"].append([m.get("ReceiptHandle") for m in result.get("Messages") or []])
        p["done"] = index + 1
        return result

    def preset_rest(self) -> None:
        while self.preset_step() is not None:
            pass

    # --- the page ---------------------------------------------------------------------------

    def board(self) -> dict[str, Any]:
        """The snapshot arranged for the template: each DLQ lane right after its source."""
        snap = self.engine.snapshot(limit=MESSAGES_SHOWN)
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
            sources = [
                s for s in q["DeadLetterSourceQueues"] if s in by_name and s != q["QueueName"]
            ]
            if not sources:
                place(q, 0)
        for q in snap["Queues"]:
            place(q, 0)  # DLQs whose sources form a cycle

        messages = {m["MessageId"]: m for q in snap["Queues"] for m in q["Messages"]}
        consumers = []
        for index, held in enumerate(self.consumers):
            items = []
            for h in held:
                m = messages.get(h["MessageId"])
                if m is None:
                    status = "gone"
                elif m.get("ReceiptHandle") == h["ReceiptHandle"]:
                    status = "held"
                else:
                    status = "stale"
                items.append({**h, "status": status})
            consumers.append({"index": index, "number": index + 1, "held": items})

        next_in = None
        if snap["NextChangeAt"] is not None:
            next_in = max(1, math.ceil(snap["NextChangeAt"] - now - 1e-9))
        preset = None
        if self.preset is not None:
            p = self.preset
            preset = {
                "name": p["name"],
                "title": p["title"],
                "description": p["description"],
                "done": p["done"],
                "total": len(p["steps"]),
                "steps": [
                    {"number": i + 1, "json": json.dumps(_for_log(s)), "done": i < p["done"]}
                    for i, s in enumerate(p["steps"])
                ],
            }
        return {
            "elapsed": now - DEFAULT_EPOCH,
            "clock": _clock_text(now - DEFAULT_EPOCH),
            "next_change_in": next_in,
            "lanes": ordered,
            "queue_names": sorted(by_name),
            "consumers": consumers,
            "log": [
                {
                    **entry,
                    "clock": _clock_text(entry["at"]),
                    "action_json": json.dumps(entry["action"]),
                    "result_json": json.dumps(entry["result"]),
                }
                for entry in reversed(self.log)
            ],
            "stats": snap["Stats"],
            "demo": snap["DemoMode"],
            "speed": self.speed,
            "preset": preset,
        }


def _clock_text(seconds: float) -> str:
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


def _lane(q: dict[str, Any], depth: int) -> dict[str, Any]:
    counts = q["Counts"]
    total = counts["Visible"] + counts["InFlight"] + counts["Delayed"]
    messages = []
    for m in q["Messages"]:
        messages.append(
            {
                **m,
                "ShortId": m["MessageId"][:8],
                "Body": _short(m["Body"], 60),
                "Countdown": _seconds(m["SecondsUntilVisible"]),
                "SourceQueue": (m.get("DeadLetterQueueSourceArn") or "").rsplit(":", 1)[-1],
            }
        )
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
            for key in (
                "VisibilityTimeout",
                "DelaySeconds",
                "MessageRetentionPeriod",
                "ReceiveMessageWaitTimeSeconds",
                "ContentBasedDeduplication",
                "DeduplicationScope",
                "FifoThroughputLimit",
            )
            if attributes.get(key) not in (None, "")
        },
        "dlq": q["DeadLetterQueue"],
        "sources": q["DeadLetterSourceQueues"],
        "purge_wait": _seconds(q["SecondsUntilPurgeAllowed"]),
        "groups": groups,
        "dedup": dedup,
    }
