"""The DynamoDB simulator's actions: each is one engine call (or a clock step) on the
simulation, logged, and returns the message to show as an error ("" when all went well); a
refused one raises ``Refused`` before anything changes. ``preview`` and ``pick`` call nothing:
they read the engine (``preview``) to show a write's size and cost, or fill the item editor.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from studyapp.engines.dynamodb import ACTIONS, DynamoDBError, preview, resolve_references

from ..state import Refused
from .sentences import sentence
from .simulation import REMEMBERED_TEXT, DynamoDBSimulation


def outcome(sim: DynamoDBSimulation, result: dict[str, Any]) -> str:
    """The sentence of a failed call (the log's), "" when it went well."""
    if "Error" not in result or sim.log.last is None:
        return ""
    return sentence(sim.log.last)


def call(sim: DynamoDBSimulation, step: dict[str, Any], *, table: str = "") -> str:
    """Any request the learner makes: checked against the caps, run, logged."""
    sim.check_room(step)
    if table:
        sim.ui["table"] = table
    return outcome(sim, sim.run(step, actor=_("You")))


def write_item(sim: DynamoDBSimulation, step: dict[str, Any], form: dict[str, Any]) -> str:
    """An item editor action (PutItem, UpdateItem, DeleteItem, GetItem)."""
    sim.remember("editor", form)
    return call(sim, step, table=step["TableName"])


def read(sim: DynamoDBSimulation, step: dict[str, Any], form: dict[str, Any]) -> str:
    """A Query or Scan of the expression playground; remembered for "Next page"."""
    sim.remember("read", form)
    text = json.dumps(step)
    sim.ui["read_step"] = step if len(text) <= REMEMBERED_TEXT else None
    return call(sim, step, table=step["TableName"])


def next_page(sim: DynamoDBSimulation) -> str:
    """The last Query or Scan again, from its LastEvaluatedKey."""
    step = sim.ui.get("read_step")
    last = (sim.last_read or {}).get("last_key")
    if not step or not last:
        raise Refused(_("There is no next page: the last Query or Scan returned everything."))
    return call(sim, {**step, "ExclusiveStartKey": last})


def workload(sim: DynamoDBSimulation, step: dict[str, Any], form: dict[str, Any]) -> str:
    sim.remember("workload", form)
    return call(sim, step, table=step["TableName"])


def advance(sim: DynamoDBSimulation, seconds: int) -> str:
    sim.run({"Action": "Advance", "Seconds": seconds}, actor=_("Clock"))
    return ""


def preview_item(sim: DynamoDBSimulation, step: dict[str, Any]) -> dict[str, Any]:
    """What the item editor's action would do and cost: the engine's preview, or its error."""
    try:
        return {"ok": True, **preview(sim.engine, step)}
    except DynamoDBError as error:
        return {"ok": False, "Code": error.code, "Message": error.message}


def pick(sim: DynamoDBSimulation, table: str, key: dict[str, Any]) -> str:
    """Load a stored item into the item editor, as a PutItem to edit."""
    found = preview_item(sim, {"Action": "GetItem", "TableName": table, "Key": key})
    if not found["ok"] or found["Item"] is None:
        raise Refused(_("That item is no longer in the table."))
    text = json.dumps(found["Item"], indent=1, ensure_ascii=False)
    sim.remember(
        "editor",
        {**sim.ui.get("editor", {}), "table": table, "operation": "PutItem", "item": text},
    )
    sim.ui["table"] = table
    return ""


def preset_step(sim: DynamoDBSimulation) -> str:
    """Run the preset's next step; ``$N.Field`` in it names a part of step N's result."""
    p = sim.preset
    if p is None or p["done"] >= len(p["steps"]):
        return _("Every step of the preset has run.")
    index = p["done"]
    results = [p["results"].get(str(n), {}) for n in range(index)]
    step = resolve_references(p["steps"][index], results)
    result = sim.run(step, actor=_("Preset step %(n)d") % {"n": index + 1})
    if index in p["referred"]:
        p["results"][str(index)] = result
    p["done"] = index + 1
    if isinstance(step, dict) and isinstance(step.get("TableName"), str):
        sim.ui["table"] = step["TableName"]
    return outcome(sim, result)


def preset_rest(sim: DynamoDBSimulation) -> str:
    p = sim.preset
    while p is not None and p["done"] < len(p["steps"]):
        preset_step(sim)
    return ""


# --- calls through the SDK endpoint (/aws/) --------------------------------------------------

SDK_ACTIONS = frozenset(ACTIONS)  # the AWS actions; Advance and Workload are the page's
MAX_CATCH_UP = 3600.0  # a longer pause between SDK calls moves the clock this much


def sdk_call(sim: DynamoDBSimulation, step: dict[str, Any], *, actor: str, wall: float) -> dict:
    """One DynamoDB call of a learner's own code: the virtual clock first moves on by the wall
    time since their previous SDK call (so that capacity per second, burst and TTL count real
    seconds), then one engine call, logged as ``actor``; the page's forms then name the table
    it used. Returns AWS's response shape or ``{"Error": ...}`` with the exception's other
    members; raises Refused (nothing changed) past a cap."""
    sim.check_room(step)
    if sim.wall is not None and wall > sim.wall:
        sim.engine.apply({"Action": "Advance", "Seconds": min(wall - sim.wall, MAX_CATCH_UP)})
    sim.wall = wall
    result = sim.run(step, actor=actor)
    if isinstance(step.get("TableName"), str) and step["Action"] != "DeleteTable":
        sim.ui["table"] = step["TableName"]
    return result
