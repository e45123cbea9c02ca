"""The DynamoDB simulator's state: an engine, a preset in progress, the event log, what the last
Query or Scan read, the forms' last values, and how it is stored (in parts, see state.py: the
engine's and the log's).

``run`` applies one engine action and logs it with the facts the page tells in a sentence
(units consumed, item size, what was read and returned; see ``facts.py``). ``check_room``
refuses what would grow the simulation past its caps, before anything changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from studyapp.engines.clock import DEFAULT_EPOCH
from studyapp.engines.dynamodb import DynamoDB, engine_for, table_schemas

from .. import presets
from ..eventlog import EventLog
from ..state import Refused, join_parts, split_parts
from . import facts

STATE_VERSION = 1
PRESETS = presets.DYNAMODB
LOG_LIMIT = 100
MAX_TABLES = 6
MAX_ITEMS = 6_000
MAX_BYTES = 3 * 1024 * 1024  # item data of one simulation together
MAX_STREAM_RECORDS = 5_000
MAX_ADVANCE = 3 * 24 * 3600  # past TTL's 48 hours
READS_KEPT = 300  # items of the last Query or Scan the page can mark as read
REMEMBERED_TEXT = 20_000  # a form value longer than this is not kept for next time
_REFERENCE = re.compile(r'"\$(\d+)\.')
WRITES = {"PutItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems", "Workload"}


def seconds_text(seconds: float) -> str:
    """Virtual time since the start, as 00:00:05 (days as 2d 00:00:05)."""
    whole = int(seconds)
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if seconds - whole > 1e-6:
        text += f".{round((seconds - whole) * 1000):03d}"
    return f"{days}d {text}" if days else text


@dataclass
class DynamoDBSimulation:
    name: ClassVar[str] = "dynamodb"

    engine: DynamoDB = field(default_factory=DynamoDB)
    log: EventLog = field(default_factory=lambda: EventLog(LOG_LIMIT))
    # name, title, description, teaches, steps, done, and the results later steps refer to
    preset: dict[str, Any] | None = None
    last_read: dict[str, Any] | None = None  # what the last Query or Scan read and returned
    ui: dict[str, Any] = field(default_factory=dict)  # the forms' last values
    wall: float | None = None  # wall time of the last SDK call (the clock follows it)

    @classmethod
    def fresh(cls) -> DynamoDBSimulation:
        return cls()

    @classmethod
    def from_preset(cls, preset: presets.Preset) -> DynamoDBSimulation:
        """A fresh engine with the preset's steps queued, ready to run one at a time."""
        steps = preset.data["steps"]
        referred = {int(n) for step in steps for n in _REFERENCE.findall(json.dumps(step))}
        sim = cls(engine=engine_for(preset.data))
        sim.preset = {
            "name": preset.name,
            "title": preset.title,
            "description": preset.description,
            "teaches": [t for t in preset.data.get("teaches") or [] if isinstance(t, str)],
            "steps": steps,
            "done": 0,
            "referred": sorted(referred),
            "results": {},
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
            "preset": self.preset,
            "last_read": self.last_read,
            "ui": self.ui,
            "wall": self.wall,
        }
        return head, join_parts(engine=engine_parts, log=log_parts)

    @classmethod
    def from_parts(cls, head: dict[str, Any], parts: dict[str, Any]) -> DynamoDBSimulation:
        if head.get("version") != STATE_VERSION:
            raise ValueError("a state from another version of the simulator")
        groups = split_parts(parts, "engine", "log")
        return cls(
            engine=DynamoDB.from_parts(head["engine"], groups["engine"]),
            log=EventLog.from_parts(head["log"], groups["log"]),
            preset=head["preset"],
            last_read=head["last_read"],
            ui=dict(head["ui"]),
            wall=head.get("wall"),
        )

    # --- limits -----------------------------------------------------------------------------

    def check_room(self, step: dict[str, Any]) -> None:
        """Refuse an action that would grow the simulation beyond its caps."""
        action = step.get("Action")
        totals = self.engine.totals()
        if action == "CreateTable" and totals["Tables"] >= MAX_TABLES:
            raise Refused(
                _("This simulation already has %(n)d tables, the most it can hold. Delete one.")
                % {"n": MAX_TABLES}
            )
        if action not in WRITES:
            return
        items, size = facts.potential_items(step)
        if totals["Items"] + items > MAX_ITEMS or totals["Bytes"] + size > MAX_BYTES:
            raise Refused(
                _(
                    "This simulation holds %(items)s items (%(size)s); it can hold at most "
                    "%(max)s items and 3 MB. Delete items or a table, or reset."
                )
                % {
                    "items": f"{totals['Items']:,}",
                    "size": facts.size_text(totals["Bytes"]),
                    "max": f"{MAX_ITEMS:,}",
                }
            )
        streaming = {s["TableName"] for s in table_schemas(self.engine) if s["StreamViewType"]}
        if streaming & facts.written_tables(step) and (
            totals["StreamRecords"] + items > MAX_STREAM_RECORDS
        ):
            raise Refused(
                _(
                    "The tables' streams hold %(n)s records, the most this simulation keeps. "
                    "Advance the clock by a day: stream records are kept for 24 hours."
                )
                % {"n": f"{totals['StreamRecords']:,}"}
            )

    # --- the engine, logged -----------------------------------------------------------------

    def run(self, step: Any, *, actor: str) -> dict[str, Any]:
        """Apply one engine action and log it with the facts its sentence tells."""
        engine = self.engine
        at = engine.clock.now()
        if not isinstance(step, dict):
            result = engine.apply(step)
            self._log({"Action": repr(step)[:80]}, result, actor, at, {"kind": "other"})
            return result
        action = step.get("Action")
        if action == "Advance":
            result = engine.apply(step)
            if "Error" not in result:
                self._log_advance(step, actor, at)
                return result
            self._log(step, result, actor, at, {"kind": "other"})
            return result
        before = facts.before(engine, step)
        used = engine.usage()
        if action in ("Query", "Scan"):
            result, reads = engine.apply_traced(step)
        else:
            result, reads = engine.apply(step), []
        told = facts.after(engine, step, result, before, used, reads)
        if action in ("Query", "Scan") and "Error" not in result:
            self.last_read = facts.read_summary(step, result, told, reads[:READS_KEPT])
        self._log(step, result, actor, at, told)
        return result

    def _log(
        self, action: dict[str, Any], result: Any, actor: str, at: float, told: dict[str, Any]
    ) -> None:
        error = result.get("Error") if isinstance(result, dict) else None
        self.log.append(
            {
                "at": at - DEFAULT_EPOCH,
                "actor": actor,
                "action": facts.for_log(action),
                "result": facts.for_log(result),
                "error": {"Code": error.get("Code"), "Message": error.get("Message")}
                if error
                else None,
                "facts": told,
            }
        )

    def _log_advance(self, step: dict[str, Any], actor: str, at: float) -> None:
        """Consecutive clock advances make one entry."""
        last = self.log.last
        seconds = step.get("Seconds", 0)
        if (
            last is not None
            and last["action"].get("Action") == "Advance"
            and last["actor"] == actor
            and last["error"] is None
        ):
            total = last["action"]["Seconds"] + seconds
            self.log.update_last(
                action={"Action": "Advance", "Seconds": total},
                facts={"kind": "Advance", "seconds": total},
            )
            return
        self._log(step, {}, actor, at, {"kind": "Advance", "seconds": seconds})

    # --- forms ------------------------------------------------------------------------------

    def remember(self, form: str, values: dict[str, Any]) -> None:
        """Keep a form's values to show them again (long texts are not kept)."""
        self.ui[form] = {
            key: value
            for key, value in values.items()
            if not isinstance(value, str) or len(value) <= REMEMBERED_TEXT
        }
