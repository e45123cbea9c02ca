"""The SQS simulator's actions: each is one engine call (or a clock step) on the simulation,
logged, and returns the message to show ("" when all went well); a refused one raises
``Refused`` before anything changes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from studyapp.engines.sqs import ACTIONS, resolve_references

from .simulation import SqsSimulation, consumer_label

# --- the actions the page offers: each returns the message to show ("" when all went well) ---


def outcome(result: dict[str, Any]) -> str:
    """The message for a failed call, or a partly failed batch; "" when all went well."""
    error = result.get("Error")
    if error:
        return f"{error.get('Code')}: {error.get('Message')}"
    failed = result.get("Failed") or []
    if failed:
        first = failed[0]
        return _("%(n)d of the batch's entries failed, first %(id)s: %(code)s: %(message)s") % {
            "n": len(failed),
            "id": first["Id"],
            "code": first["Code"],
            "message": first["Message"],
        }
    return ""


def produce(sim: SqsSimulation, action: dict[str, Any]) -> str:
    """SendMessage or SendMessageBatch, as the producer."""
    sim.check_room(action)
    sim.ui["queue"] = action["QueueName"]
    return outcome(sim.run(action, actor=_("Producer")))


def consume(
    sim: SqsSimulation, number: int, action: dict[str, Any], form: dict[str, Any] | None = None
) -> str:
    """ReceiveMessage, DeleteMessage or ChangeMessageVisibility, as consumer ``number``;
    ``form``: the receive form's values, shown again next time."""
    sim.ui["queue"] = action["QueueName"]
    if form is not None:
        sim.ui[f"receive{number}"] = form
    return outcome(sim.run(action, actor=consumer_label(number), consumer=number - 1))


def crash(sim: SqsSimulation, number: int) -> str:
    sim.crash(number - 1)
    return ""


def call(sim: SqsSimulation, action: dict[str, Any]) -> str:
    """Any other call the learner makes (CreateQueue, PurgeQueue, DeleteQueue)."""
    sim.check_room(action)
    return outcome(sim.run(action, actor=_("You")))


def advance(sim: SqsSimulation, seconds: int, *, actor: str = "") -> str:
    sim.run({"Action": "Advance", "Seconds": seconds}, actor=actor or _("Clock"))
    return ""


def play(sim: SqsSimulation, speed: int) -> str:
    sim.speed = speed
    return ""


def tick(sim: SqsSimulation) -> str:
    """One second of real time while playing: the clock moves `speed` virtual seconds."""
    if sim.speed:
        advance(sim, sim.speed)
    return ""


def preset_step(sim: SqsSimulation) -> str:
    """Run the preset's next step (as consumer 1 when it receives)."""
    p = sim.preset
    if p is None or p["done"] >= len(p["steps"]):
        return _("Every step of the preset has run.")
    index = p["done"]
    results = [{"Messages": [{"ReceiptHandle": h} for h in hs]} for hs in p["handles"]]
    step = resolve_references(p["steps"][index], results)
    actor = _("Preset step %(n)d") % {"n": index + 1}
    held_by_consumer_1 = ("ReceiveMessage", "DeleteMessage", "DeleteMessageBatch")
    consumer = 0 if isinstance(step, dict) and step.get("Action") in held_by_consumer_1 else None
    result = sim.run(step, actor=actor, consumer=consumer)
    p["handles"].append([m.get("ReceiptHandle") for m in result.get("Messages") or []])
    p["done"] = index + 1
    return outcome(result)


def preset_rest(sim: SqsSimulation) -> str:
    p = sim.preset
    while p is not None and p["done"] < len(p["steps"]):
        preset_step(sim)
    return ""


# --- calls through the SDK endpoint (/aws/) --------------------------------------------------

SDK_ACTIONS = frozenset(ACTIONS) - {"Advance"}  # the AWS actions; the clock is the page's
MAX_CATCH_UP = 3600.0  # a longer pause between SDK calls moves the clock this much


def sdk_call(sim: SqsSimulation, action: dict[str, Any], *, actor: str, wall: float) -> dict:
    """One SQS call of a learner's own code: the virtual clock first moves on by the wall
    time since their previous SDK call, then one engine call, logged as ``actor``. Returns
    AWS's response shape or ``{"Error": ...}``; raises Refused (nothing changed) past a cap."""
    sim.check_room(action)
    if sim.wall is not None and wall > sim.wall:
        sim.engine.apply({"Action": "Advance", "Seconds": min(wall - sim.wall, MAX_CATCH_UP)})
    sim.wall = wall
    return sim.run(action, actor=actor)
