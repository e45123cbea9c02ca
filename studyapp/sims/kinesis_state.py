"""The Kinesis simulator's state in the user's session: the engine, a producer, consumers, a log.

The engine's state is a plain JSON value (Kinesis.to_dict()), kept in the session with what
the page adds around it. Every operation here is one or a few engine calls, logged with their
parameters and results; views parse forms and call these functions, templates only draw.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from studyapp.engines.clock import Clock
from studyapp.engines.kinesis import Kinesis, KinesisError, stream_view
from studyapp.engines.kinesis.scenario import run as run_scenario

SESSION_KEY = "sims:kinesis"
STATE_VERSION = 1
DEFAULT_STREAM = "sim"
DEFAULT_SHARDS = 4

# Work and storage per request and per session, so that no request can hurt the server.
MAX_RECORDS_PER_REQUEST = 10_000
MAX_PRODUCE_SECONDS = 3600  # the engine's limit for one Produce step
MAX_ADVANCE_SECONDS = 366 * 24 * 3600  # a year: past the longest retention period
MAX_RECORDS_KEPT = 30_000
MAX_BYTES_KEPT = 8 * 1024 * 1024
MAX_LOG = 60
MAX_CONSUMERS = 32
SHOWN_RECORDS = 10

STRATEGIES = ("fixed", "random", "skewed")
ITERATOR_TYPES = (
    "TRIM_HORIZON",
    "LATEST",
    "AT_SEQUENCE_NUMBER",
    "AFTER_SEQUENCE_NUMBER",
    "AT_TIMESTAMP",
)
DEFAULT_PRODUCER = {
    "strategy": "random",
    "rate": 100,
    "size": 100,
    "key": "hot-key",
    "hot_share": 0.8,
    "running": False,
}


class PresetNotFound(LookupError):
    """No preset file of that name."""


class TooMuchWork(ValueError):
    """The request would do or keep more than this simulator allows; the message says why."""


# Presets ---------------------------------------------------------------------------------


def presets_dir() -> Path:
    return Path(settings.CONTENT_DIR) / "scenarios" / "kinesis"


def preset_files() -> dict[str, Path]:
    """Preset name (the file's stem) -> file; only names of files that exist are valid."""
    return {path.stem: path for path in sorted(presets_dir().glob("*.json"))}


def preset_choices() -> list[tuple[str, str]]:
    """(name, title) of every preset, for the picker."""
    choices = []
    for name, path in preset_files().items():
        try:
            title = json.loads(path.read_text(encoding="utf-8")).get("title") or name
        except (OSError, ValueError, AttributeError):
            continue
        choices.append((name, str(title)))
    return choices


def read_preset(name: str) -> dict[str, Any]:
    path = preset_files().get(name)
    if path is None:
        raise PresetNotFound(name)
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise PresetNotFound(name)
    return data


# Log summaries ---------------------------------------------------------------------------


def _shorten(value: Any) -> Any:
    """A small copy of a request or response for the log: long lists and strings cut."""
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        head = [_shorten(v) for v in value[:3]]
        if len(value) > 3:
            head.append(f"… {len(value) - 3} more")
        return head
    if isinstance(value, str) and len(value) > 48:
        return value[:20] + "…" + value[-12:]
    return value


def _compact(value: Any, limit: int) -> str:
    text = json.dumps(_shorten(value), ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


# State -----------------------------------------------------------------------------------


@dataclass
class SimState:
    kinesis: Kinesis
    stream: str | None = DEFAULT_STREAM
    preset: str | None = None
    producer: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PRODUCER))
    consumers: dict[str, dict[str, Any]] = field(default_factory=dict)
    totals: dict[str, list[int]] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)
    notice: dict[str, str] | None = None
    playing: bool = False
    runs: int = 0
    log_count: int = 0

    # Storage -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "engine": self.kinesis.to_dict(),
            "stream": self.stream,
            "preset": self.preset,
            "producer": self.producer,
            "consumers": self.consumers,
            "totals": self.totals,
            "log": self.log,
            "notice": self.notice,
            "playing": self.playing,
            "runs": self.runs,
            "log_count": self.log_count,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SimState:
        if data.get("version") != STATE_VERSION:
            raise ValueError("an older state")
        return cls(
            kinesis=Kinesis.from_dict(data["engine"]),
            stream=data.get("stream"),
            preset=data.get("preset"),
            producer={**DEFAULT_PRODUCER, **data.get("producer", {})},
            consumers=dict(data.get("consumers", {})),
            totals=dict(data.get("totals", {})),
            log=list(data.get("log", [])),
            notice=data.get("notice"),
            playing=bool(data.get("playing")),
            runs=int(data.get("runs", 0)),
            log_count=int(data.get("log_count", 0)),
        )

    # Logging -----------------------------------------------------------------------------

    def record(
        self,
        action: str,
        params: dict[str, Any],
        result: dict[str, Any],
        *,
        at_ms: int | None = None,
    ) -> None:
        """Append one API call and its result (or error) to the capped event log."""
        self.log_count += 1
        at_ms = self.kinesis.clock.now_ms() if at_ms is None else at_ms
        error = result.get("Error") if isinstance(result, dict) else None
        self.log.append(
            {
                "n": self.log_count,
                "at": format_time(at_ms),
                "action": action,
                "request": _compact(params, 240),
                "response": _compact(result, 480),
                "error": error.get("Code", "") if isinstance(error, dict) else "",
            }
        )
        del self.log[:-MAX_LOG]

    def say(self, text: str, level: str = "info") -> None:
        self.notice = {"level": level, "text": text}

    def call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """One engine action, logged; raises KinesisError after logging it."""
        try:
            result = self.kinesis.call(action, params)
        except KinesisError as error:
            self.record(action, params, error.to_dict())
            self.say(f"{error.code}: {error.message}", "error")
            raise
        self.record(action, params, result)
        return result

    # Reading -----------------------------------------------------------------------------

    def has_stream(self) -> bool:
        return self.stream is not None and self.stream in self.kinesis.streams

    def shard_ids(self, *, open_only: bool = False) -> list[str]:
        if not self.has_stream():
            return []
        shards = self.kinesis.stream(self.stream).shards.values()
        return [
            s.shard_id for s in sorted(shards, key=lambda s: s.number) if s.is_open or not open_only
        ]

    def kept(self) -> tuple[int, int]:
        """(records, bytes) the stream keeps: what the session has to store."""
        if not self.has_stream():
            return 0, 0
        records = size = 0
        for shard in self.kinesis.stream(self.stream).shards.values():
            records += len(shard.records)
            size += sum(r[4] for r in shard.records)
        return records, size

    def _check_room(self, records: int, record_size: int) -> None:
        kept_records, kept_bytes = self.kept()
        if kept_records + records > MAX_RECORDS_KEPT or (
            kept_bytes + records * record_size > MAX_BYTES_KEPT
        ):
            raise TooMuchWork(
                _(
                    "This simulator keeps at most %(max)s records (%(mib)s MiB) per stream, and "
                    "it holds %(kept)s. Reset, or advance the clock past the retention period so "
                    "that old records expire."
                )
                % {
                    "max": f"{MAX_RECORDS_KEPT:,}",
                    "mib": MAX_BYTES_KEPT // (1024 * 1024),
                    "kept": f"{kept_records:,}",
                }
            )


# Building states -------------------------------------------------------------------------


def new_state(shards: int = DEFAULT_SHARDS) -> SimState:
    state = SimState(kinesis=Kinesis())
    state.call("CreateStream", {"StreamName": DEFAULT_STREAM, "ShardCount": shards})
    return state


def load(session) -> SimState:
    """The session's simulator, or a fresh one when there is none (or it cannot be read)."""
    data = session.get(SESSION_KEY)
    if isinstance(data, dict):
        try:
            return SimState.from_dict(data)
        except (KeyError, ValueError, TypeError, AttributeError):
            pass  # a state from an older version of the page: start again
    return new_state()


def store(session, state: SimState) -> None:
    session[SESSION_KEY] = state.to_dict()


def take_notice(state: SimState) -> dict[str, str] | None:
    """The message for this response; shown once."""
    notice, state.notice = state.notice, None
    return notice


class _TimedKinesis(Kinesis):
    """Notes the clock and the resolved parameters of each call, for a preset's event log."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[int, dict[str, Any]]] = []

    def call(self, action: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.calls.append((self.clock.now_ms(), dict(params or {})))
        return super().call(action, params)


def _ran(step: Any, result: dict[str, Any]) -> bool:
    """Whether the scenario runner called the engine for this step (see scenario.run)."""
    error = result.get("Error") or {}
    return (
        isinstance(step, dict)
        and isinstance(step.get("Action"), str)
        and error.get("Code") != "InvalidScenarioReference"
    )


def load_preset(name: str) -> SimState:
    """A fresh engine with every step of the preset run, each logged at its own time."""
    scenario = read_preset(name)
    timed = _TimedKinesis()
    steps = scenario["steps"]
    results = run_scenario(scenario, timed)
    engine = Kinesis(timed.clock)
    engine.streams = timed.streams
    state = SimState(kinesis=engine, stream=None, preset=name)
    calls = iter(timed.calls)
    producer: dict[str, Any] | None = None
    at_ms = state.kinesis.clock.now_ms()
    for step, result in zip(steps, results, strict=True):
        action = str(step.get("Action", "?")) if isinstance(step, dict) else "?"
        params = {k: v for k, v in step.items() if k != "Action"} if isinstance(step, dict) else {}
        if _ran(step, result):
            at_ms, params = next(calls, (at_ms, params))
        state.record(action, params, result, at_ms=at_ms)
        if action == "CreateStream" and state.stream is None and "Error" not in result:
            state.stream = params.get("StreamName")
        if action == "Produce" and "Error" not in result:
            _add_totals(state, result)
            if producer is None:
                producer = params
    if producer is not None:
        state.producer = {
            "strategy": producer.get("PartitionKeys", "random"),
            "rate": min(int(producer.get("RecordsPerSecond", 100)), MAX_RECORDS_PER_REQUEST),
            "size": int(producer.get("RecordSize", 100)),
            "key": str(producer.get("PartitionKey", DEFAULT_PRODUCER["key"])),
            "hot_share": float(producer.get("HotShare", DEFAULT_PRODUCER["hot_share"])),
            "running": True,
        }
    state.say(
        _("Loaded the preset “%(title)s”: %(n)s steps, each in the event log.")
        % {"title": scenario.get("title", name), "n": len(steps)}
    )
    return state


# Operations ------------------------------------------------------------------------------


def _add_totals(state: SimState, result: dict[str, Any]) -> None:
    for shard_id, counts in result.get("Shards", {}).items():
        total = state.totals.setdefault(shard_id, [0, 0])
        total[0] += counts.get("Accepted", 0)
        total[1] += counts.get("Throttled", 0)


def _produce(state: SimState, seconds: int) -> dict[str, Any]:
    producer = state.producer
    state.runs += 1
    params = {
        "StreamName": state.stream,
        "RecordsPerSecond": producer["rate"],
        "Seconds": seconds,
        "RecordSize": producer["size"],
        "PartitionKeys": producer["strategy"],
        "PartitionKey": producer["key"],
        "HotShare": producer["hot_share"],
        "Seed": state.runs,  # new random keys on every run
    }
    result = state.call("Produce", params)
    _add_totals(state, result)
    return result


def produce(state: SimState, seconds: int) -> dict[str, Any]:
    """Run the producer now for `seconds` of virtual time (the clock moves on that much)."""
    count = state.producer["rate"] * seconds
    if count > MAX_RECORDS_PER_REQUEST:
        raise TooMuchWork(
            _("At most %(max)s records per request: %(rate)s a second for %(s)s s would be %(n)s.")
            % {
                "max": f"{MAX_RECORDS_PER_REQUEST:,}",
                "rate": f"{state.producer['rate']:,}",
                "s": seconds,
                "n": f"{count:,}",
            }
        )
    state._check_room(count, state.producer["size"])
    result = _produce(state, seconds)
    state.say(
        _("Produced %(n)s records in %(s)s s: %(ok)s accepted, %(bad)s throttled.")
        % {
            "n": f"{result['Attempted']:,}",
            "s": seconds,
            "ok": f"{result['Accepted']:,}",
            "bad": f"{result['Throttled']:,}",
        }
    )
    return result


def advance(state: SimState, seconds: int) -> None:
    """Move the clock on; a running producer sends records for as much of it as allowed."""
    if not 1 <= seconds <= MAX_ADVANCE_SECONDS:
        raise TooMuchWork(
            _("Advance from 1 to %(max)s seconds at a time.") % {"max": f"{MAX_ADVANCE_SECONDS:,}"}
        )
    busy = 0
    if state.producer["running"] and state.has_stream():
        per_request = MAX_RECORDS_PER_REQUEST // state.producer["rate"]
        busy = min(seconds, max(per_request, 1), MAX_PRODUCE_SECONDS)
        try:
            state._check_room(busy * state.producer["rate"], state.producer["size"])
        except TooMuchWork as full:
            state.producer["running"] = state.playing = False
            state.say(_("Producer stopped. %(why)s") % {"why": full}, "error")
            busy = 0
        else:
            _produce(state, busy)
    if seconds > busy:
        state.call("Advance", {"Seconds": seconds - busy})
    if busy and busy < seconds:
        state.say(
            _(
                "The producer ran for the first %(busy)s s only (at most %(max)s records per "
                "request); the clock moved %(s)s s."
            )
            % {"busy": f"{busy:,}", "max": f"{MAX_RECORDS_PER_REQUEST:,}", "s": f"{seconds:,}"}
        )


def put_record(state: SimState, partition_key: str, data: str, explicit_hash_key: str) -> None:
    state._check_room(1, len(data.encode()))
    params = {"StreamName": state.stream, "PartitionKey": partition_key, "Data": data}
    if explicit_hash_key:
        params["ExplicitHashKey"] = explicit_hash_key
    result = state.call("PutRecord", params)
    state.say(
        _("Record %(seq)s went to %(shard)s.")
        % {"seq": result["SequenceNumber"], "shard": result["ShardId"]}
    )


def split(state: SimState, shard_id: str, new_starting_hash_key: int) -> None:
    state.call(
        "SplitShard",
        {
            "StreamName": state.stream,
            "ShardToSplit": shard_id,
            "NewStartingHashKey": str(new_starting_hash_key),
        },
    )
    state.say(_("%(shard)s is closed; its two children are open.") % {"shard": shard_id})


def middle_of(state: SimState, shard_id: str) -> int:
    shard = state.kinesis.stream(state.stream).shard(shard_id)
    return shard.start + (shard.end - shard.start + 1) // 2


def shard_at(state: SimState, hash_key: int) -> str:
    return state.kinesis.stream(state.stream).shard_for(hash_key).shard_id


def merge(state: SimState, shard_id: str, adjacent_id: str) -> None:
    state.call(
        "MergeShards",
        {"StreamName": state.stream, "ShardToMerge": shard_id, "AdjacentShardToMerge": adjacent_id},
    )
    state.say(
        _("%(a)s and %(b)s are closed; their child is open.") % {"a": shard_id, "b": adjacent_id}
    )


def update_shard_count(state: SimState, target: int) -> None:
    result = state.call(
        "UpdateShardCount",
        {"StreamName": state.stream, "TargetShardCount": target, "ScalingType": "UNIFORM_SCALING"},
    )
    state.say(
        _("Scaled from %(old)s to %(new)s open shards.")
        % {"old": result["CurrentShardCount"], "new": target}
    )


def set_retention(state: SimState, action: str, hours: int) -> None:
    state.call(action, {"StreamName": state.stream, "RetentionPeriodHours": hours})
    state.say(_("Retention is now %(hours)s hours.") % {"hours": hours})


def get_iterator(
    state: SimState, shard_id: str, kind: str, sequence_number: str, timestamp: float | None
) -> None:
    if shard_id not in state.consumers and len(state.consumers) >= MAX_CONSUMERS:
        raise TooMuchWork(
            _("At most %(max)s consumers; remove one first.") % {"max": MAX_CONSUMERS}
        )
    params: dict[str, Any] = {
        "StreamName": state.stream,
        "ShardId": shard_id,
        "ShardIteratorType": kind,
    }
    if sequence_number:
        params["StartingSequenceNumber"] = sequence_number
    if timestamp is not None:
        params["Timestamp"] = timestamp
    result = state.call("GetShardIterator", params)
    state.consumers[shard_id] = {
        "type": kind,
        "iterator": result["ShardIterator"],
        "records": [],
        "count": None,
        "behind": None,
        "children": [],
    }
    state.say(
        _("A consumer of %(shard)s holds a %(kind)s iterator.") % {"shard": shard_id, "kind": kind}
    )


def get_records(state: SimState, shard_id: str, limit: int) -> None:
    consumer = state.consumers.get(shard_id)
    if consumer is None or not consumer.get("iterator"):
        raise TooMuchWork(
            _("No consumer of %(shard)s holds an iterator; get one first.") % {"shard": shard_id}
        )
    result = state.call("GetRecords", {"ShardIterator": consumer["iterator"], "Limit": limit})
    records = result["Records"]
    consumer.update(
        iterator=result["NextShardIterator"],
        count=len(records),
        behind=result["MillisBehindLatest"],
        children=[c["ShardId"] for c in result.get("ChildShards", [])],
        records=[
            {
                "SequenceNumber": r["SequenceNumber"],
                "PartitionKey": r["PartitionKey"][:40],
                "Data": r["Data"][:40] + ("…" if len(r["Data"]) > 40 else ""),
            }
            for r in records[:SHOWN_RECORDS]
        ],
    )
    state.say(
        _("%(shard)s: %(n)s records, %(ms)s ms behind.")
        % {
            "shard": shard_id,
            "n": f"{len(records):,}",
            "ms": f"{result['MillisBehindLatest']:,}",
        }
    )


def forget_consumer(state: SimState, shard_id: str) -> None:
    state.consumers.pop(shard_id, None)


# The page's picture ----------------------------------------------------------------------


def _active(shard: dict[str, Any]) -> bool:
    return bool(shard["write"]["records"] or shard["read"]["calls"] or shard["throttled"])


def _bar(x: float) -> float:
    return round(1000 * x, 2)


def picture(state: SimState) -> dict[str, Any]:
    """Everything the page draws, as plain values: stream, shards with meters, consumers, log."""
    now_ms = state.kinesis.clock.now_ms()
    context: dict[str, Any] = {
        "now": format_time(now_ms),
        "stream": None,
        "preset": state.preset,
        "producer": state.producer,
        "playing": state.playing,
        "log": list(reversed(state.log)),
        "consumers": [],
        "kept": state.kept(),
    }
    if not state.has_stream():
        return context
    shard_count = len(state.kinesis.stream(state.stream).shards)
    recent = max(2, min(25, 400 // max(shard_count, 1)))
    view = stream_view(state.kinesis, state.stream, recent=recent)
    window = view["second"]
    if not any(_active(s) for s in view["shards"]):
        # The producer ends each run on a whole second, so the current second is still empty:
        # show the second that just finished instead (the engine keeps each shard's last one).
        earlier = Kinesis(Clock(state.kinesis.clock.now() - 0.001))
        earlier.streams = state.kinesis.streams
        before = stream_view(earlier, state.stream, recent=0)
        if any(_active(s) for s in before["shards"]):  # else nothing has happened yet
            for shard, last in zip(view["shards"], before["shards"], strict=True):
                shard.update(write=last["write"], read=last["read"], throttled=last["throttled"])
                shard["hot"] = last["hot"]
            window = before["second"]
    open_rows = 0
    for shard in view["shards"]:
        accepted, throttled = state.totals.get(shard["ShardId"], [0, 0])
        shard["total_accepted"], shard["total_throttled"] = accepted, throttled
        shard["x"], shard["w"] = _bar(shard["left"]), _bar(shard["width"])
        shard["cx"] = _bar(shard["left"] + shard["width"] / 2)
        shard["range_pct"] = (
            f"{100 * shard['left']:.2f}%\N{EN DASH}{100 * (shard['left'] + shard['width']):.2f}%"
        )
        shard["write_width"] = min(100.0, shard["write"]["pct"])
        shard["read_pct"] = max(shard["read"]["bytes_pct"], shard["read"]["calls_pct"])
        shard["read_width"] = min(100.0, shard["read_pct"])
        shard["read_hot"] = shard["read_pct"] >= 100
        row = 0 if shard["open"] else 1
        open_rows += shard["open"]
        for i, record in enumerate(shard["recent"]):
            record["x"] = _bar(record["position"])
            record["y"] = (28 if row == 0 else 126) + (i * 37) % 44
    view["window"] = window
    view["window_time"] = format_time(window * 1000)
    view["closed_count"] = len(view["shards"]) - open_rows
    context["stream"] = view
    if state.producer["strategy"] in ("fixed", "skewed"):
        located = state.kinesis.locate(state.stream, state.producer["key"])
        context["hot_key"] = {**located, "x": _bar(located["position"])}
    known = {s["ShardId"] for s in view["shards"]}
    for shard_id in sorted(state.consumers):
        consumer = dict(state.consumers[shard_id], ShardId=shard_id, gone=shard_id not in known)
        if consumer.get("iterator"):
            try:
                where = state.kinesis.describe_iterator(consumer["iterator"])
            except KinesisError:
                where = {"Expired": True, "ExpiresMs": now_ms}
            consumer["expired"] = where["Expired"]
            consumer["expires_in"] = max(0, math.ceil((where["ExpiresMs"] - now_ms) / 1000))
        context["consumers"].append(consumer)
    return context
