"""The DynamoDB simulator page's view-model: plain values the template draws, nothing else.

Each table is drawn by partition: its partition keys in hash order, each item collection with
its items, and a heat colour per partition from the units it consumed in the last second that
saw traffic, against the per-partition limits (3,000 RCU, 1,000 WCU). Capacity meters show
that second and the seconds before it, red where requests were throttled. Items the last Query
or Scan read are marked, and those it returned.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studyapp.engines.clock import DEFAULT_EPOCH
from studyapp.engines.dynamodb import table_schemas, table_view

from .. import presets
from ..web import Outcome
from .editor import EDITOR_DEFAULTS, READER_DEFAULTS, WORKLOAD_DEFAULTS
from .explain import explain_read
from .facts import plain, size_text, units_text
from .sentences import sentence
from .simulation import MAX_ADVANCE, PRESETS, DynamoDBSimulation, seconds_text

KEYS_SHOWN = 8  # partition keys drawn per partition
ITEMS_SHOWN = 6  # items drawn per partition key
SPARK_SECONDS = 12  # seconds of history in a meter
CLOCK_STEPS = [
    (1, gettext_lazy("+1 s")),
    (5, gettext_lazy("+5 s")),
    (60, gettext_lazy("+1 min")),
    (3600, gettext_lazy("+1 h")),
    (86_400, gettext_lazy("+1 day")),
]


def build(sim: DynamoDBSimulation, outcome: Outcome | None = None) -> dict[str, Any]:
    """Everything the template needs, for the page or one of its fragments."""
    outcome = outcome or Outcome()
    schemas = table_schemas(sim.engine)
    names = [s["TableName"] for s in schemas]
    chosen = sim.ui.get("table") if sim.ui.get("table") in names else (names[0] if names else "")
    return {
        "board": board(sim),
        "presets": presets.available(PRESETS),
        "clock_steps": CLOCK_STEPS,
        "max_advance": MAX_ADVANCE,
        "tables": names,
        "indexes": [
            {"table": s["TableName"], "name": i["IndexName"], "kind": i["Kind"]}
            for s in schemas
            for i in s["Indexes"]
        ],
        "chosen_table": chosen,
        "editor": {**EDITOR_DEFAULTS, **sim.ui.get("editor", {})},
        "reader": {**READER_DEFAULTS, **sim.ui.get("read", {})},
        "workload": {**WORKLOAD_DEFAULTS, **sim.ui.get("workload", {})},
        "preview": None,
        "error": outcome.text if outcome.error else "",
        "invalid": outcome.status == 400,
        "announce": announcement(sim),
    }


def announcement(sim: DynamoDBSimulation) -> str:
    """What a screen reader hears after an action: the last entry's sentence."""
    last = sim.log.last
    return sim.log.shown(last, _log_row)["sentence"] if last is not None else ""


def board(sim: DynamoDBSimulation) -> dict[str, Any]:
    engine = sim.engine
    now = engine.clock.now()
    read = sim.last_read
    tables = []
    for schema in table_schemas(engine):
        view = table_view(
            engine, schema["TableName"], keys_shown=KEYS_SHOWN, items_shown=ITEMS_SHOWN
        )
        tables.append(_table(view, read if read and read["table"] == view["TableName"] else None))
    return {
        "clock": seconds_text(now - DEFAULT_EPOCH),
        "elapsed": now - DEFAULT_EPOCH,
        "tables": tables,
        "log": [sim.log.shown(entry, _log_row) for entry in sim.log.newest_first()],
        "preset": _preset(sim),
        "read": explain_read(read, has_next=bool(sim.ui.get("read_step"))) if read else None,
    }


# --- a table --------------------------------------------------------------------------------


def _table(view: dict[str, Any], read: dict[str, Any] | None) -> dict[str, Any]:
    capacity = view["Capacity"]
    history = capacity["History"]
    latest = history[-1]["Second"] if history else None
    marks = _marks(read, "") if read else {}
    keys = view["KeySchema"]
    indexes = []
    for index in view["Indexes"]:
        index_capacity = index.get("Capacity") or capacity
        index_history = index_capacity["History"]
        index_latest = index_history[-1]["Second"] if index_history else None
        indexes.append(
            {
                "name": index["IndexName"],
                "kind": index["Kind"],
                "keys": _keys_text(index["KeySchema"]),
                "projection": _projection_text(index["Projection"]),
                "count": index["ItemCount"],
                "size": size_text(index["IndexSizeBytes"]),
                "sparse": index["ItemCount"] < view["ItemCount"],
                "partitions": _partitions(
                    index["Partitions"],
                    index["KeySchema"],
                    index_latest,
                    _marks(read, index["IndexName"]) if read else {},
                    view["TableName"],
                    keys,
                ),
                "meters": _meters(index["Capacity"], view["Now"]) if "Capacity" in index else [],
            }
        )
    return {
        "name": view["TableName"],
        "keys": _keys_text(keys),
        "mode": _mode_text(capacity),
        "partition_count": capacity["Partitions"],
        "items": view["ItemCount"],
        "size": size_text(view["TableSizeBytes"]),
        "meters": _meters(capacity, view["Now"]),
        "partitions": _partitions(view["Partitions"], keys, latest, marks, view["TableName"], keys),
        "indexes": indexes,
        "ttl": view["TimeToLive"].get("AttributeName")
        if view["TimeToLive"]["TimeToLiveStatus"] == "ENABLED"
        else "",
        "stream": view["Stream"],
    }


def _keys_text(schema: list[dict[str, str]]) -> str:
    return " · ".join(
        f"{k['AttributeName']} ({'HASH' if k['KeyType'] == 'HASH' else 'RANGE'}, {k['AttributeType']})"
        for k in schema
    )


def _projection_text(projection: dict[str, Any]) -> str:
    extra = projection.get("NonKeyAttributes")
    return projection["ProjectionType"] + (f" ({', '.join(extra)})" if extra else "")


def _mode_text(capacity: dict[str, Any]) -> str:
    if capacity["BillingMode"] == "PAY_PER_REQUEST":
        return _("On-demand")
    return _("Provisioned: %(read)s RCU, %(write)s WCU") % {
        "read": f"{capacity['ReadCapacityUnits']:,}",
        "write": f"{capacity['WriteCapacityUnits']:,}",
    }


def _meters(capacity: dict[str, Any], now: float) -> list[dict[str, Any]]:
    """A meter per kind: the last second with traffic against the capacity of a second, and
    the seconds before it; red where requests were throttled."""
    provisioned = capacity["BillingMode"] != "PAY_PER_REQUEST"
    history = capacity["History"][-SPARK_SECONDS:]
    meters = []
    for kind, label, unit, units_key, throttled_key, rate_key, limit_key in (
        ("read", _("Reads"), "RCU", "ReadUnits", "ReadThrottled", "ReadCapacityUnits", "PartitionReadLimit"),
        ("write", _("Writes"), "WCU", "WriteUnits", "WriteThrottled", "WriteCapacityUnits", "PartitionWriteLimit"),
    ):  # fmt: skip
        scale = capacity[rate_key] if provisioned else capacity["Partitions"] * capacity[limit_key]
        last = history[-1] if history else None
        used = last[units_key] if last else 0.0
        throttled = last[throttled_key] if last else 0
        pct = 100 * used / scale if scale else 0.0
        meter = {
            "kind": kind,
            "label": label,
            "unit": unit,
            "scale": f"{scale:,}",
            "units": units_text(used),
            "pct": round(pct),
            "width": round(min(100.0, pct), 1),
            "throttled": throttled,
            "when": seconds_text(last["Second"] - DEFAULT_EPOCH) if last else "",
            "ago": max(0, math.floor(now) - last["Second"]) if last else None,
            "burst_used": provisioned and used > scale,
            "spark": [
                {
                    "height": round(min(100.0, 100 * s[units_key] / scale), 1) if scale else 0,
                    "throttled": s[throttled_key],
                    "title": _("%(when)s: %(units)s %(unit)s, %(throttled)s throttled")
                    % {
                        "when": seconds_text(s["Second"] - DEFAULT_EPOCH),
                        "units": units_text(s[units_key]),
                        "unit": unit,
                        "throttled": f"{s[throttled_key]:,}",
                    },
                }
                for s in history
            ],
        }
        if provisioned:
            meter["available"] = units_text(capacity[f"{kind.title()}Available"])
            meter["burst"] = units_text(capacity[f"{kind.title()}Burst"])
        meters.append(meter)
    return meters


def _marks(read: dict[str, Any], index: str) -> dict[str, str]:
    """Part name (first 12 characters) -> "returned" or "read", for the last read's target."""
    if read.get("index", "") != index:
        return {}
    return {name: "returned" if kept else "read" for name, _size, kept, *_rest in read["reads"]}


def _partitions(
    partitions: list[dict[str, Any]],
    schema: list[dict[str, str]],
    latest: int | None,
    marks: dict[str, str],
    table: str,
    table_keys: list[dict[str, str]],
) -> list[dict[str, Any]]:
    hash_name = schema[0]["AttributeName"]
    range_name = schema[1]["AttributeName"] if len(schema) > 1 else None
    key_names = [k["AttributeName"] for k in table_keys]
    drawn = []
    for p in partitions:
        used = p["Used"] if p["Used"] and p["Used"]["Second"] == latest else None
        read_units = used["ReadUnits"] if used else 0.0
        write_units = used["WriteUnits"] if used else 0.0
        share = max(read_units / 3000, write_units / 1000)
        collections = []
        for c in p["Collections"]:
            items = []
            for entry in c["Items"]:
                item = entry["Item"]
                shown = [n for n in (range_name,) if n]
                others = [n for n in item if n != hash_name and n not in shown]
                items.append(
                    {
                        "sort": plain(item[range_name]) if range_name in item else "",
                        "attributes": " · ".join(f"{n}={plain(item[n])}" for n in others)[:160],
                        "size": size_text(entry["Size"]),
                        "mark": marks.get(entry["PartName"][:12], ""),
                        "pick": json.dumps({n: item[n] for n in key_names if n in item}),
                        "table": table,
                    }
                )
            collections.append(
                {
                    "key": plain(c["PartitionKey"][hash_name]),
                    "count": c["Count"],
                    "items": items,
                    "more": c["Count"] - len(items),
                }
            )
        drawn.append(
            {
                "number": p["Partition"],
                "keys": p["Keys"],
                "items": p["Items"],
                "heat": _heat(share, used is not None),
                "pct": round(100 * share),
                "hot": share >= 1,
                "read_units": units_text(read_units),
                "write_units": units_text(write_units),
                "used": used is not None,
                "collections": collections,
                "more_keys": p["Keys"] - len(collections),
            }
        )
    return drawn


def _heat(share: float, used: bool) -> int:
    """0 idle, 1 to 4 by quarter of the per-partition limit, 5 at the limit (hot)."""
    if not used:
        return 0
    return 5 if share >= 1 else 1 + min(3, int(share * 4))


# --- the log and the preset ------------------------------------------------------------------


def _log_row(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "n": entry["n"],
        "clock": seconds_text(entry["at"]),
        "actor": entry["actor"],
        "error": entry["error"],
        "sentence": sentence(entry),
        "action_json": json.dumps(entry["action"], ensure_ascii=False),
        "result_json": json.dumps(entry["result"], ensure_ascii=False),
    }


def _topic(slug: str) -> dict[str, str] | None:
    """A study guide page the preset teaches, linked."""
    try:
        return {"slug": slug, "url": reverse("notes:topic", args=[slug])}
    except NoReverseMatch:
        return None


def _preset(sim: DynamoDBSimulation) -> dict[str, Any] | None:
    p = sim.preset
    if p is None:
        return None
    return {
        "name": p["name"],
        "title": p["title"],
        "description": p["description"],
        "teaches": [topic for topic in map(_topic, p["teaches"]) if topic],
        "done": p["done"],
        "total": len(p["steps"]),
        "steps": [
            {"json": json.dumps(s, ensure_ascii=False)[:400], "done": i < p["done"]}
            for i, s in enumerate(p["steps"])
        ],
    }
