"""The Kinesis simulator's state: an engine with one stream on show, a producer, consumers,
totals per shard and the event log, and how it is stored (in parts, see state.py).

Every engine call goes through ``call``, which logs it with its parameters and result; an
error the simulated API returns is logged, then raised (``KinesisError``). The stream's shards
are read through the API (ListShards), never from the engine's model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, NamedTuple

from django.utils.translation import gettext as _

from studyapp.engines.kinesis import Kinesis, KinesisError

from .. import presets
from ..eventlog import EventLog
from ..state import Refused, join_parts, split_parts

STATE_VERSION = 2
DEFAULT_STREAM = "sim"
DEFAULT_SHARDS = 4
PRESETS = presets.KINESIS

# Work and storage per request and per simulation, so that no request can hurt the server.
MAX_RECORDS_PER_REQUEST = 10_000
MAX_PRODUCE_SECONDS = 3600  # the engine's limit for one Produce step
MAX_ADVANCE_SECONDS = 366 * 24 * 3600  # a year: past the longest retention period
MAX_RECORDS_KEPT = 30_000
MAX_BYTES_KEPT = 8 * 1024 * 1024
MAX_LOG = 60
MAX_CONSUMERS = 32
SHOWN_RECORDS = 10

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


class Notice(NamedTuple):
    text: str
    level: str = "info"  # or "error"


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


# What a log sentence needs from a call (board.log_sentence says it in the page's language).
_PARAM_FACTS = (
    "StreamName", "ShardCount", "PartitionKey", "ShardId", "ShardToSplit", "NewStartingHashKey",
    "ShardToMerge", "AdjacentShardToMerge", "TargetShardCount", "RetentionPeriodHours",
    "Seconds", "ShardIteratorType",
)  # fmt: skip
_RESULT_FACTS = ("ShardId", "Accepted", "Throttled", "CurrentShardCount", "MillisBehindLatest")


def _facts(params: dict[str, Any], result: Any) -> dict[str, Any]:
    facts = {k: params[k] for k in _PARAM_FACTS if isinstance(params.get(k), str | int)}
    if not isinstance(result, dict):
        return facts
    facts.update({k: result[k] for k in _RESULT_FACTS if isinstance(result.get(k), str | int)})
    if isinstance(result.get("Records"), list):
        facts["RecordCount"] = len(result["Records"])
    if isinstance(result.get("Error"), dict):
        facts["ErrorMessage"] = str(result["Error"].get("Message", ""))[:200]
    return facts


def _compact(value: Any, limit: int) -> str:
    text = json.dumps(_shorten(value), ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


@dataclass
class KinesisSimulation:
    name: ClassVar[str] = "kinesis"

    kinesis: Kinesis = field(default_factory=Kinesis)
    stream: str | None = DEFAULT_STREAM
    preset: str | None = None
    producer: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PRODUCER))
    consumers: dict[str, dict[str, Any]] = field(default_factory=dict)
    totals: dict[str, list[int]] = field(default_factory=dict)  # shard -> [accepted, throttled]
    log: EventLog = field(default_factory=lambda: EventLog(MAX_LOG))
    playing: bool = False
    runs: int = 0
    wall: float | None = None  # wall time of the last SDK call (the clock follows it)

    @classmethod
    def fresh(cls, shards: int = DEFAULT_SHARDS) -> KinesisSimulation:
        sim = cls()
        sim.call("CreateStream", {"StreamName": DEFAULT_STREAM, "ShardCount": shards})
        return sim

    # Storage -------------------------------------------------------------------------

    def to_parts(self, *, changed: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        engine_head, engine_parts = self.kinesis.to_parts(changed=changed)
        log_head, log_parts = self.log.to_parts(changed=changed)
        head = {
            "version": STATE_VERSION,
            "engine": engine_head,
            "log": log_head,
            "stream": self.stream,
            "preset": self.preset,
            "producer": self.producer,
            "consumers": self.consumers,
            "totals": self.totals,
            "playing": self.playing,
            "runs": self.runs,
            "wall": self.wall,
        }
        return head, join_parts(engine=engine_parts, log=log_parts)

    @classmethod
    def from_parts(cls, head: dict[str, Any], parts: dict[str, Any]) -> KinesisSimulation:
        if head.get("version") != STATE_VERSION:
            raise ValueError("a state from another version of the simulator")
        groups = split_parts(parts, "engine", "log")
        return cls(
            kinesis=Kinesis.from_parts(head["engine"], groups["engine"]),
            log=EventLog.from_parts(head["log"], groups["log"]),
            stream=head["stream"],
            preset=head["preset"],
            producer={**DEFAULT_PRODUCER, **head["producer"]},
            consumers=dict(head["consumers"]),
            totals=dict(head["totals"]),
            playing=bool(head["playing"]),
            runs=int(head["runs"]),
            wall=head.get("wall"),
        )

    # The engine, logged --------------------------------------------------------------

    def record(
        self, action: str, params: dict[str, Any], result: dict[str, Any], at_ms: int
    ) -> None:
        """Append one API call and its result (or error) to the capped event log."""
        error = result.get("Error") if isinstance(result, dict) else None
        self.log.append(
            {
                "at": format_time(at_ms),
                "action": action,
                "request": _compact(params, 240),
                "response": _compact(result, 480),
                "error": error.get("Code", "") if isinstance(error, dict) else "",
                "facts": _facts(params, result),
            }
        )

    def call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """One engine action, logged; raises KinesisError after logging it."""
        at_ms = self.kinesis.clock.now_ms()
        try:
            result = self.kinesis.call(action, params)
        except KinesisError as error:
            self.record(action, params, error.to_result(), at_ms)
            raise
        self.record(action, params, result, at_ms)
        return result

    # Reading -------------------------------------------------------------------------

    def has_stream(self) -> bool:
        return (
            self.stream is not None
            and self.stream in self.kinesis.call("ListStreams")["StreamNames"]
        )

    def shards(self, *, open_only: bool = False) -> list[dict[str, Any]]:
        """The stream's shards (ListShards), each with its ShardId and hash key range."""
        if not self.has_stream():
            return []
        params: dict[str, Any] = {"StreamName": self.stream}
        if open_only:
            params["ShardFilter"] = {"Type": "AT_LATEST"}
        page = self.kinesis.call("ListShards", params)
        shards = page["Shards"]
        while "NextToken" in page:  # more than 1,000 shards: ListShards gives them in pages
            page = self.kinesis.call("ListShards", {"NextToken": page["NextToken"]})
            shards += page["Shards"]
        return shards

    def shard_ids(self, *, open_only: bool = False) -> list[str]:
        return [shard["ShardId"] for shard in self.shards(open_only=open_only)]

    def kept(self) -> tuple[int, int]:
        """(records, bytes) the stream keeps."""
        if not self.has_stream():
            return 0, 0
        totals = self.kinesis.totals(self.stream)
        return totals["Records"], totals["Bytes"]

    def check_room(self, records: int, record_size: int) -> None:
        totals = self.kinesis.totals()
        if totals["Records"] + records > MAX_RECORDS_KEPT or (
            totals["Bytes"] + records * record_size > MAX_BYTES_KEPT
        ):
            raise Refused(
                _(
                    "This simulator keeps at most %(max)s records (%(mib)s MiB) per stream, and "
                    "it holds %(kept)s. Reset, or advance the clock past the retention period so "
                    "that old records expire."
                )
                % {
                    "max": f"{MAX_RECORDS_KEPT:,}",
                    "mib": MAX_BYTES_KEPT // (1024 * 1024),
                    "kept": f"{totals['Records']:,}",
                }
            )


def _hash_range(shard: dict[str, Any]) -> tuple[int, int]:
    keys = shard["HashKeyRange"]
    return int(keys["StartingHashKey"]), int(keys["EndingHashKey"])


def middle_of(sim: KinesisSimulation, shard_id: str) -> int:
    """The hash key that splits a shard in two equal halves."""
    shard = next(s for s in sim.shards() if s["ShardId"] == shard_id)
    start, end = _hash_range(shard)
    return start + (end - start + 1) // 2


def shard_at(sim: KinesisSimulation, hash_key: int) -> str:
    """The open shard whose range holds a hash key."""
    for shard in sim.shards(open_only=True):
        start, end = _hash_range(shard)
        if start <= hash_key <= end:
            return shard["ShardId"]
    raise Refused(_("There is no stream: load a preset or reset."))
