"""The Kinesis simulator's actions: each is one engine call (a clock step with the producer
running is its Produce, then an Advance for the rest), logged by the simulation, and returns
the ``Notice`` to show. Whatever could refuse an action (``Refused``) is checked before
anything changes; an error the simulated API returns is raised after it was logged.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from studyapp.engines.kinesis import ACTIONS, KinesisError, Step, iterator_stream, run

from .. import presets
from ..state import Refused
from .simulation import (
    DEFAULT_PRODUCER,
    MAX_ADVANCE_SECONDS,
    MAX_CONSUMERS,
    MAX_PRODUCE_SECONDS,
    MAX_RECORDS_PER_REQUEST,
    SHOWN_RECORDS,
    KinesisSimulation,
    Notice,
)

# Presets and resets ------------------------------------------------------------------


def from_preset(preset: presets.Preset) -> tuple[KinesisSimulation, Notice]:
    """A fresh engine with every step of the preset run, each logged at its own time."""
    sim = KinesisSimulation(stream=None, preset=preset.name)
    producer: dict[str, Any] | None = None

    def heard(step: Step) -> None:
        nonlocal producer
        sim.record(step.action, step.params, step.result, step.at_ms)
        if "Error" in step.result:
            return
        if step.action == "CreateStream" and sim.stream is None:
            sim.stream = step.params.get("StreamName")
        if step.action == "Produce":
            _add_totals(sim, step.result)
            if producer is None:
                producer = step.params

    run(preset.data, sim.kinesis, on_step=heard)
    if producer is not None:
        sim.producer = {
            "strategy": producer.get("PartitionKeys", "random"),
            "rate": min(int(producer.get("RecordsPerSecond", 100)), MAX_RECORDS_PER_REQUEST),
            "size": int(producer.get("RecordSize", 100)),
            "key": str(producer.get("PartitionKey", DEFAULT_PRODUCER["key"])),
            "hot_share": float(producer.get("HotShare", DEFAULT_PRODUCER["hot_share"])),
            "running": True,
        }
    text = ngettext(
        "Loaded the preset “%(title)s”: %(n)s step, in the event log.",
        "Loaded the preset “%(title)s”: %(n)s steps, each in the event log.",
        len(preset.data["steps"]),
    ) % {
        "title": preset.title,
        "n": len(preset.data["steps"]),
    }
    return sim, Notice(text)


# Operations --------------------------------------------------------------------------


def _add_totals(sim: KinesisSimulation, result: dict[str, Any]) -> None:
    for shard_id, counts in result.get("Shards", {}).items():
        total = sim.totals.setdefault(shard_id, [0, 0])
        total[0] += counts.get("Accepted", 0)
        total[1] += counts.get("Throttled", 0)


def _produce(sim: KinesisSimulation, seconds: int) -> dict[str, Any]:
    producer = sim.producer
    sim.runs += 1
    params = {
        "StreamName": sim.stream,
        "RecordsPerSecond": producer["rate"],
        "Seconds": seconds,
        "RecordSize": producer["size"],
        "PartitionKeys": producer["strategy"],
        "PartitionKey": producer["key"],
        "HotShare": producer["hot_share"],
        "Seed": sim.runs,  # new random keys on every run
    }
    result = sim.call("Produce", params)
    _add_totals(sim, result)
    return result


def configure_producer(
    sim: KinesisSimulation, settings: dict[str, Any], do: str, seconds: int
) -> Notice:
    """Set the producer up, then run it now for `seconds`, or start or stop it."""
    if do == "run":
        count = settings["rate"] * seconds
        if count > MAX_RECORDS_PER_REQUEST:
            raise Refused(
                _(
                    "At most %(max)s records per request: %(rate)s a second for %(s)s s would be "
                    "%(n)s."
                )
                % {
                    "max": f"{MAX_RECORDS_PER_REQUEST:,}",
                    "rate": f"{settings['rate']:,}",
                    "s": seconds,
                    "n": f"{count:,}",
                }
            )
        sim.check_room(count, settings["size"])
        sim.producer.update(settings)
        result = _produce(sim, seconds)
        text = ngettext(
            "Produced %(n)s record in %(s)s s: %(ok)s accepted, %(bad)s throttled.",
            "Produced %(n)s records in %(s)s s: %(ok)s accepted, %(bad)s throttled.",
            result["Attempted"],
        ) % {
            "n": f"{result['Attempted']:,}",
            "s": seconds,
            "ok": f"{result['Accepted']:,}",
            "bad": f"{result['Throttled']:,}",
        }
        return Notice(text)
    sim.producer.update(settings, running=do == "start")
    if not sim.producer["running"]:
        sim.playing = False
        return Notice(_("The producer is stopped."))
    return Notice(_("The producer runs while the clock moves."))


def advance(sim: KinesisSimulation, seconds: int) -> Notice:
    """Move the clock on; a running producer sends records for as much of it as allowed."""
    if not 1 <= seconds <= MAX_ADVANCE_SECONDS:
        raise Refused(
            _("Advance from 1 to %(max)s seconds at a time.") % {"max": f"{MAX_ADVANCE_SECONDS:,}"}
        )
    busy = 0
    notice = Notice("")
    if sim.producer["running"] and sim.has_stream():
        per_request = MAX_RECORDS_PER_REQUEST // sim.producer["rate"]
        busy = min(seconds, max(per_request, 1), MAX_PRODUCE_SECONDS)
        try:
            sim.check_room(busy * sim.producer["rate"], sim.producer["size"])
        except Refused as full:
            sim.producer["running"] = sim.playing = False
            notice = Notice(_("Producer stopped. %(why)s") % {"why": full}, "error")
            busy = 0
        else:
            _produce(sim, busy)
    if seconds > busy:
        sim.call("Advance", {"Seconds": seconds - busy})
    if busy and busy < seconds:
        notice = Notice(
            _(
                "The producer ran for the first %(busy)s s only (at most %(max)s records per "
                "request); the clock moved %(s)s s."
            )
            % {"busy": f"{busy:,}", "max": f"{MAX_RECORDS_PER_REQUEST:,}", "s": f"{seconds:,}"}
        )
    return notice


def play(sim: KinesisSimulation, on: bool) -> Notice:
    sim.playing = on
    return Notice("")


def put_record(
    sim: KinesisSimulation, partition_key: str, data: str, explicit_hash_key: str
) -> Notice:
    sim.check_room(1, len(data.encode()))
    params = {"StreamName": sim.stream, "PartitionKey": partition_key, "Data": data}
    if explicit_hash_key:
        params["ExplicitHashKey"] = explicit_hash_key
    result = sim.call("PutRecord", params)
    return Notice(
        _("Record %(seq)s went to %(shard)s.")
        % {"seq": result["SequenceNumber"], "shard": result["ShardId"]}
    )


def split(sim: KinesisSimulation, shard_id: str, new_starting_hash_key: int) -> Notice:
    sim.call(
        "SplitShard",
        {
            "StreamName": sim.stream,
            "ShardToSplit": shard_id,
            "NewStartingHashKey": str(new_starting_hash_key),
        },
    )
    return Notice(_("%(shard)s is closed; its two children are open.") % {"shard": shard_id})


def merge(sim: KinesisSimulation, shard_id: str, adjacent_id: str) -> Notice:
    sim.call(
        "MergeShards",
        {"StreamName": sim.stream, "ShardToMerge": shard_id, "AdjacentShardToMerge": adjacent_id},
    )
    return Notice(
        _("%(a)s and %(b)s are closed; their child is open.") % {"a": shard_id, "b": adjacent_id}
    )


def update_shard_count(sim: KinesisSimulation, target: int) -> Notice:
    result = sim.call(
        "UpdateShardCount",
        {"StreamName": sim.stream, "TargetShardCount": target, "ScalingType": "UNIFORM_SCALING"},
    )
    return Notice(
        _("Scaled from %(old)s to %(new)s open shards.")
        % {"old": result["CurrentShardCount"], "new": target}
    )


def set_retention(sim: KinesisSimulation, action: str, hours: int) -> Notice:
    sim.call(action, {"StreamName": sim.stream, "RetentionPeriodHours": hours})
    return Notice(_("Retention is now %(hours)s hours.") % {"hours": hours})


def get_iterator(
    sim: KinesisSimulation, shard_id: str, kind: str, sequence_number: str, timestamp: float | None
) -> Notice:
    if shard_id not in sim.consumers and len(sim.consumers) >= MAX_CONSUMERS:
        raise Refused(_("At most %(max)s consumers; remove one first.") % {"max": MAX_CONSUMERS})
    params: dict[str, Any] = {
        "StreamName": sim.stream,
        "ShardId": shard_id,
        "ShardIteratorType": kind,
    }
    if sequence_number:
        params["StartingSequenceNumber"] = sequence_number
    if timestamp is not None:
        params["Timestamp"] = timestamp
    result = sim.call("GetShardIterator", params)
    sim.consumers[shard_id] = {
        "type": kind,
        "iterator": result["ShardIterator"],
        "records": [],
        "count": None,
        "behind": None,
        "children": [],
    }
    return Notice(
        _("A consumer of %(shard)s holds a %(kind)s iterator.") % {"shard": shard_id, "kind": kind}
    )


def get_records(sim: KinesisSimulation, shard_id: str, limit: int) -> Notice:
    consumer = sim.consumers.get(shard_id)
    if consumer is None or not consumer.get("iterator"):
        raise Refused(
            _("No consumer of %(shard)s holds an iterator; get one first.") % {"shard": shard_id}
        )
    result = sim.call("GetRecords", {"ShardIterator": consumer["iterator"], "Limit": limit})
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
    return Notice(
        ngettext(
            "%(shard)s: %(n)s record, %(ms)s ms behind.",
            "%(shard)s: %(n)s records, %(ms)s ms behind.",
            len(records),
        )
        % {
            "shard": shard_id,
            "n": f"{len(records):,}",
            "ms": f"{result['MillisBehindLatest']:,}",
        }
    )


def forget_consumer(sim: KinesisSimulation, shard_id: str) -> Notice:
    sim.consumers.pop(shard_id, None)
    return Notice("")


# Calls through the SDK endpoint (/aws/) -----------------------------------------------

SDK_ACTIONS = frozenset(ACTIONS) - {"Advance", "Produce"}  # the AWS actions only
MAX_CATCH_UP = 3600.0  # a longer pause between SDK calls moves the clock this much


def sdk_call(
    sim: KinesisSimulation, action: str, params: dict[str, Any], *, wall: float
) -> dict[str, Any]:
    """One Kinesis call of a learner's own code: the virtual clock first moves on by the wall
    time since their previous SDK call (so that per-second shard limits count real seconds),
    then one engine call, logged. The page then shows the stream the call named. Raises
    KinesisError (logged) or Refused (nothing changed, past the simulator's caps)."""
    records = params.get("Records") if action == "PutRecords" else [params]
    if action in ("PutRecord", "PutRecords") and isinstance(records, list) and records:
        sizes = [len(str(r.get("Data") or "").encode()) for r in records if isinstance(r, dict)]
        sim.check_room(len(records), -(-sum(sizes) // max(len(sizes), 1)))
    if sim.wall is not None and wall > sim.wall:
        sim.kinesis.call("Advance", {"Seconds": min(wall - sim.wall, MAX_CATCH_UP)})
    sim.wall = wall
    result = sim.call(action, params)
    name = params.get("StreamName")
    if isinstance(name, str) and name != sim.stream and action != "DeleteStream":
        sim.stream = name
        sim.consumers = {}  # the page's consumers held iterators of the other stream
    return result


def stream_of_iterator(token: Any) -> str | None:
    """The stream a shard iterator reads; None if it is not an iterator."""
    try:
        return iterator_stream(token)
    except KinesisError:
        return None
