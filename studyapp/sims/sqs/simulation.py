"""The SQS simulator's state: an engine, three consumers, a preset in progress, the event log,
and how it is stored (in parts, see state.py: the engine's and the log's).

``run`` applies one engine action and logs it with its result; a consumer remembers the
receipt handles it received. ``check_room`` refuses what would grow the simulation past its
caps (too many queues, messages or bytes), before anything changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from studyapp.engines.clock import DEFAULT_EPOCH
from studyapp.engines.sqs import SqsEngine, engine_for

from .. import presets
from ..eventlog import EventLog
from ..state import Refused, join_parts, split_parts

STATE_VERSION = 2
MAX_QUEUES = 20
MAX_MESSAGES = 2_000
MAX_STORED_BYTES = 4 * 1024 * 1024  # all message bodies of one simulation together
MAX_BODY_BYTES = 1_048_576  # SQS's own maximum message size
MAX_ADVANCE = 300
LOG_LIMIT = 100
HELD_LIMIT = 50  # receipt handles one consumer remembers
CONSUMERS = 3
SPEEDS = (1, 2, 5, 10, 30, 60)
DELETES = frozenset({"DeleteMessage", "DeleteMessageBatch"})
SHOWN_BODY = 120  # characters of a body shown on the page and in the log
PRESETS = presets.SQS


def short(text: str, limit: int = SHOWN_BODY) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


def for_log(value: Any) -> Any:
    """A copy of an action or result fit for the log: long strings are cut."""
    if isinstance(value, str):
        return short(value)
    if isinstance(value, list):
        return [for_log(item) for item in value]
    if isinstance(value, dict):
        return {key: for_log(item) for key, item in value.items()}
    return value


def consumer_label(number: int) -> str:
    return _("Consumer %(n)d") % {"n": number}


@dataclass
class SqsSimulation:
    name: ClassVar[str] = "sqs"

    engine: SqsEngine = field(default_factory=SqsEngine)
    log: EventLog = field(default_factory=lambda: EventLog(LOG_LIMIT))
    consumers: list[list[dict[str, Any]]] = field(
        default_factory=lambda: [[] for _ in range(CONSUMERS)]
    )
    preset: dict[str, Any] | None = None  # name, title, description, steps, done, handles
    speed: int = 0  # virtual seconds per real second while playing; 0 is paused
    ui: dict[str, Any] = field(default_factory=dict)  # the last values of the forms
    wall: float | None = None  # wall time of the last SDK call (the clock follows it)

    @classmethod
    def fresh(cls, *, seed: int = 0, duplicates: float = 0.0, reorder: float = 0.0):
        return cls(engine=SqsEngine(seed=seed, duplicate_rate=duplicates, reorder_rate=reorder))

    @classmethod
    def from_preset(cls, preset: presets.Preset) -> SqsSimulation:
        """A fresh simulation with a preset's steps queued, ready to run one at a time."""
        sim = cls(engine=engine_for(preset.data))
        sim.preset = {
            "name": preset.name,
            "title": preset.title,
            "description": preset.description,
            "steps": preset.data["steps"],
            "done": 0,
            "handles": [],  # per step run: the receipt handles it returned, for "$N.I"
        }
        return sim

    # --- storage ----------------------------------------------------------------------------

    def to_parts(self, *, changed: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        engine_head, engine_parts = self.engine.to_parts(changed=changed)
        log_head, log_parts = self.log.to_parts(changed=changed)
        head = {
            "version": STATE_VERSION,
            "engine": engine_head,
            "log": log_head,
            "consumers": self.consumers,
            "preset": self.preset,
            "speed": self.speed,
            "ui": self.ui,
            "wall": self.wall,
        }
        return head, join_parts(engine=engine_parts, log=log_parts)

    @classmethod
    def from_parts(cls, head: dict[str, Any], parts: dict[str, Any]) -> SqsSimulation:
        if head.get("version") != STATE_VERSION:
            raise ValueError("a state from another version of the simulator")
        groups = split_parts(parts, "engine", "log")
        return cls(
            engine=SqsEngine.from_parts(head["engine"], groups["engine"]),
            log=EventLog.from_parts(head["log"], groups["log"]),
            consumers=[list(held) for held in head["consumers"]],
            preset=head["preset"],
            speed=int(head["speed"]),
            ui=dict(head["ui"]),
            wall=head.get("wall"),
        )

    # --- limits -----------------------------------------------------------------------------

    def check_room(self, action: dict[str, Any]) -> None:
        """Refuse an action that would grow the simulation beyond its caps."""
        name = action.get("Action")
        totals = self.engine.totals()
        if name == "CreateQueue":
            existing = self.engine.queue_names()
            if totals["Queues"] >= MAX_QUEUES and action.get("QueueName") not in existing:
                raise Refused(
                    _("This simulation already has %(n)d queues, the most it can hold.")
                    % {"n": MAX_QUEUES}
                )
            return
        if name == "SendMessage":
            found = [action.get("MessageBody")]
        elif name == "SendMessageBatch":
            entries = action.get("Entries")
            entries = entries if isinstance(entries, list) else []
            found = [e.get("MessageBody") for e in entries if isinstance(e, dict)]
        else:
            return
        # Only text is counted: the engine refuses anything else (SDK calls send any JSON).
        bodies = [body for body in found if isinstance(body, str)]
        if totals["Messages"] + len(bodies) > MAX_MESSAGES:
            raise Refused(
                _(
                    "This simulation already holds %(count)d messages; it can hold at most "
                    "%(max)d. Delete or purge some first."
                )
                % {"count": totals["Messages"], "max": MAX_MESSAGES}
            )
        if totals["Bytes"] + sum(len(body.encode()) for body in bodies) > MAX_STORED_BYTES:
            raise Refused(
                _(
                    "All messages of this simulation together may hold at most 4 MiB of text. "
                    "Delete or purge some first."
                )
            )

    # --- the engine, logged -----------------------------------------------------------------

    def run(self, action: Any, *, actor: str, consumer: int | None = None) -> dict[str, Any]:
        """Apply one engine action, log it, and let the consumer remember what it received."""
        at = self.engine.clock.now()
        deleting = isinstance(action, dict) and action.get("Action") in DELETES
        before = self.engine.totals()["Messages"] if deleting else 0
        result = self.engine.apply(action)
        if not isinstance(action, dict):
            self._log({"Action": repr(action)}, result, actor, at)
            return result
        if action.get("Action") == "Advance" and "Error" not in result:
            self._log_advance(action, actor, at)
        elif deleting:
            # A delete can succeed and do nothing (a stale receipt handle): say what it did.
            deleted = before - self.engine.totals()["Messages"]
            self._log(action, result, actor, at, deleted=deleted, message=self._held_id(action))
        else:
            self._log(action, result, actor, at)
        if consumer is not None:
            self._remember(consumer, action, result)
        return result

    def crash(self, consumer: int) -> None:
        """The consumer dies: it forgets its receipt handles and deletes nothing."""
        forgotten = len(self.consumers[consumer])
        self.consumers[consumer] = []
        self._log(
            {"Action": "(consumer crash)"},
            {"ForgottenReceiptHandles": forgotten},
            consumer_label(consumer + 1),
            self.engine.clock.now(),
        )

    def _log(self, action: Any, result: Any, actor: str, at: float, **facts: Any) -> None:
        """Log a call; ``facts`` are what the result alone does not say (what a delete did)."""
        self.log.append(
            {
                "at": at - DEFAULT_EPOCH,
                "actor": actor,
                "action": for_log(action),
                "result": for_log(result),
                "error": result.get("Error") if isinstance(result, dict) else None,
                **facts,
            }
        )

    def _held_id(self, action: dict[str, Any]) -> str | None:
        """The message a consumer received with this receipt handle, if one remembers it."""
        handle = action.get("ReceiptHandle")
        for held in self.consumers:
            for h in held:
                if h["ReceiptHandle"] == handle:
                    return h["MessageId"]
        return None

    def _log_advance(self, action: dict[str, Any], actor: str, at: float) -> None:
        """Consecutive clock advances make one entry, so that playing does not flood the log."""
        last = self.log.last
        if (
            last is not None
            and last["action"].get("Action") == "Advance"
            and last["actor"] == actor
            and last["error"] is None
        ):
            seconds = last["action"]["Seconds"] + action["Seconds"]
            self.log.update_last(action={"Action": "Advance", "Seconds": seconds})
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
                        "Body": short(m["Body"], 60),
                        # Present only when the receive asked for system attributes.
                        "ReceiveCount": m.get("Attributes", {}).get("ApproximateReceiveCount"),
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
