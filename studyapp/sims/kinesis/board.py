"""The Kinesis simulator page's view-model: the stream, shards with meters and SVG geometry,
consumers and the log, as plain values the template draws."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from studyapp.engines.kinesis import STRATEGIES, KinesisError, stream_view

from .. import presets
from ..web import Outcome
from .simulation import (
    ITERATOR_TYPES,
    MAX_PRODUCE_SECONDS,
    MAX_RECORDS_PER_REQUEST,
    PRESETS,
    KinesisSimulation,
    format_time,
)

CLOCK_STEPS = [
    (1, gettext_lazy("+1 s")),
    (10, gettext_lazy("+10 s")),
    (60, gettext_lazy("+1 min")),
    (3600, gettext_lazy("+1 h")),
    (86400, gettext_lazy("+1 day")),
]


def build(sim: KinesisSimulation, outcome: Outcome | None = None) -> dict[str, Any]:
    """Everything the template needs: the picture, the message to show, the controls."""
    outcome = outcome or Outcome()
    context = picture(sim)
    context.update(
        notice=(
            {"level": "error" if outcome.error else "info", "text": outcome.text}
            if outcome.text
            else None
        ),
        presets=presets.available(PRESETS),
        clock_steps=CLOCK_STEPS,
        strategies=STRATEGIES,
        iterator_types=ITERATOR_TYPES,
        limits={
            "MAX_RECORDS_PER_REQUEST": MAX_RECORDS_PER_REQUEST,
            "MAX_PRODUCE_SECONDS": MAX_PRODUCE_SECONDS,
        },
    )
    if sim.preset:
        try:
            preset = presets.load(PRESETS, sim.preset)
        except (presets.PresetNotFound, presets.PresetError):
            context["preset_title"], context["preset_description"] = sim.preset, ""
        else:
            context["preset_title"] = preset.title
            context["preset_description"] = preset.description
    if context["stream"] is not None:
        context["open_shards"] = [s for s in context["stream"]["shards"] if s["open"]]
    return context


def _active(shard: dict[str, Any]) -> bool:
    return bool(shard["write"]["records"] or shard["read"]["calls"] or shard["throttled"])


def abbreviated(key: str, keep: int = 6) -> str:
    """A 39-digit hash key as its first and last digits ("340282…211455"), for narrow screens."""
    return key if len(key) <= 2 * keep else f"{key[:keep]}\N{HORIZONTAL ELLIPSIS}{key[-keep:]}"


def _log_row(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, "text": log_sentence(entry), "did_nothing": _did_nothing(entry)}


def _did_nothing(entry: dict[str, Any]) -> bool:
    facts = entry.get("facts") or {}
    if entry["error"]:
        return False
    if entry["action"] == "Produce":
        return facts.get("Accepted") == 0
    return entry["action"] == "GetRecords" and facts.get("RecordCount") == 0


def log_sentence(entry: dict[str, Any]) -> str:
    """One log entry as a sentence; it says so when a call did nothing (no record read)."""
    facts = {"action": entry["action"], **(entry.get("facts") or {})}
    name = entry["action"]
    if entry["error"]:
        return _("%(action)s failed with %(code)s: %(message)s") % {
            **facts,
            "code": entry["error"],
            "message": facts.get("ErrorMessage", ""),
        }
    if name == "Produce":
        accepted, throttled = facts.get("Accepted", 0), facts.get("Throttled", 0)
        if not accepted and not throttled:
            return _("The producer ran and sent nothing.")
        text = ngettext(
            "The producer put %(n)s record over %(s)s s.",
            "The producer put %(n)s records over %(s)s s.",
            accepted,
        ) % {"n": accepted, "s": facts.get("Seconds", "?")}
        if throttled:
            text += " " + ngettext(
                "%(n)s was throttled (ProvisionedThroughputExceededException): its shard was "
                "over its limit.",
                "%(n)s were throttled (ProvisionedThroughputExceededException): their shards "
                "were over their limits.",
                throttled,
            ) % {"n": throttled}
        return text
    if name == "GetRecords":
        count = facts.get("RecordCount", 0)
        if not count:
            return _("GetRecords read nothing: no new record after the iterator's position.")
        return ngettext(
            "GetRecords read %(n)s record.", "GetRecords read %(n)s records.", count
        ) % {"n": count}
    said = {
        "CreateStream": _("Created the stream %(StreamName)s with %(ShardCount)s shards."),
        "PutRecord": _("Put a record with the partition key “%(PartitionKey)s” on %(ShardId)s."),
        "SplitShard": _(
            "Split %(ShardToSplit)s at hash key %(key)s: it is closed, its two children are open."
        ),
        "MergeShards": _(
            "Merged %(ShardToMerge)s and %(AdjacentShardToMerge)s: both are closed, their "
            "child is open."
        ),
        "UpdateShardCount": _(
            "Scaled the stream from %(CurrentShardCount)s to %(TargetShardCount)s open shards."
        ),
        "IncreaseStreamRetentionPeriod": _("Retention is now %(RetentionPeriodHours)s hours."),
        "DecreaseStreamRetentionPeriod": _("Retention is now %(RetentionPeriodHours)s hours."),
        "GetShardIterator": _("A consumer of %(ShardId)s got a %(ShardIteratorType)s iterator."),
        "Advance": _("The clock moved on by %(Seconds)s s."),
    }
    if name in said:
        facts["key"] = abbreviated(str(facts.get("NewStartingHashKey", "")))
        try:
            return said[name] % facts
        except KeyError:  # an entry logged before these facts were kept
            pass
    return _("%(action)s done.") % facts


def _bar(x: float) -> float:
    return round(1000 * x, 2)


def picture(sim: KinesisSimulation) -> dict[str, Any]:
    """The stream with its shards and meters, the consumers, the log."""
    now_ms = sim.kinesis.clock.now_ms()
    context: dict[str, Any] = {
        "now": format_time(now_ms),
        "stream": None,
        "preset": sim.preset,
        "producer": sim.producer,
        "playing": sim.playing,
        "log": [sim.log.shown(entry, _log_row) for entry in sim.log.newest_first()],
        "consumers": [],
        "kept": sim.kept(),
    }
    if not sim.has_stream():
        return context
    shard_count = len(sim.shard_ids())
    recent = max(2, min(25, 400 // max(shard_count, 1)))
    view = stream_view(sim.kinesis, sim.stream, recent=recent)
    window = view["second"]
    if not any(_active(s) for s in view["shards"]):
        # The producer ends each run on a whole second, so the current second is still empty:
        # show the second that just finished instead (a shard keeps its latest busy second).
        before = stream_view(sim.kinesis, sim.stream, recent=0, at=sim.kinesis.clock.now() - 0.001)
        if any(_active(s) for s in before["shards"]):  # else nothing has happened yet
            for shard, last in zip(view["shards"], before["shards"], strict=True):
                shard.update(write=last["write"], read=last["read"], throttled=last["throttled"])
                shard["hot"] = last["hot"]
            window = before["second"]
    open_rows = 0
    for shard in view["shards"]:
        accepted, throttled = sim.totals.get(shard["ShardId"], [0, 0])
        shard["total_accepted"], shard["total_throttled"] = accepted, throttled
        shard["x"], shard["w"] = _bar(shard["left"]), _bar(shard["width"])
        shard["cx"] = _bar(shard["left"] + shard["width"] / 2)
        shard["range_pct"] = (
            f"{100 * shard['left']:.2f}%\N{EN DASH}{100 * (shard['left'] + shard['width']):.2f}%"
        )
        shard["start_short"] = abbreviated(shard["StartingHashKey"])
        shard["end_short"] = abbreviated(shard["EndingHashKey"])
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
    if sim.producer["strategy"] in ("fixed", "skewed"):
        located = sim.kinesis.locate(sim.stream, sim.producer["key"])
        context["hot_key"] = {**located, "x": _bar(located["position"])}
    known = {s["ShardId"] for s in view["shards"]}
    for shard_id in sorted(sim.consumers):
        consumer = dict(sim.consumers[shard_id], ShardId=shard_id, gone=shard_id not in known)
        if consumer.get("iterator"):
            try:
                where = sim.kinesis.describe_iterator(consumer["iterator"])
            except KinesisError:
                where = {"Expired": True, "ExpiresMs": now_ms}
            consumer["expired"] = where["Expired"]
            consumer["expires_in"] = max(0, math.ceil((where["ExpiresMs"] - now_ms) / 1000))
        context["consumers"].append(consumer)
    return context
