"""The scenario runner: ``{"steps": [...]}`` in, one result per step out.

A step is an SQS action with AWS's parameter names, or ``{"Action": "Advance", "Seconds": n}``.
Any string ``"$N.I"`` in a step stands for the receipt handle of message I returned by step N
(both 0-based). A failed step yields ``{"Error": {...}}`` and the run goes on. An optional
``"simulation"`` object (``seed``, ``duplicate_rate``, ``reorder_rate``) turns on the seeded
duplicate / out-of-order demo mode for standard queues.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .service import SqsEngine

_REFERENCE = re.compile(r"\$(\d+)\.(\d+)")


def resolve_references(value: Any, results: list[dict[str, Any]]) -> Any:
    """Replace every "$N.I" string with the receipt handle it names, at any depth.

    A reference to a step not yet run, or to a message it did not return, is left as it is,
    so the action fails the way AWS fails an invalid receipt handle.
    """
    if isinstance(value, str):
        match = _REFERENCE.fullmatch(value)
        if match:
            step, index = int(match.group(1)), int(match.group(2))
            if step < len(results):
                messages = results[step].get("Messages") or []
                if index < len(messages):
                    return messages[index].get("ReceiptHandle", value)
        return value
    if isinstance(value, list):
        return [resolve_references(item, results) for item in value]
    if isinstance(value, dict):
        return {key: resolve_references(item, results) for key, item in value.items()}
    return value


def engine_for(scenario: dict[str, Any]) -> SqsEngine:
    """A fresh engine with the scenario's optional demo-mode settings."""
    options = scenario.get("simulation") or {}
    return SqsEngine(
        seed=int(options.get("seed", 0)),
        duplicate_rate=float(options.get("duplicate_rate", 0.0)),
        reorder_rate=float(options.get("reorder_rate", 0.0)),
    )


def run_steps(engine: SqsEngine, steps: list[Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for step in steps:
        results.append(engine.apply(resolve_references(step, results)))
    return results


def run_scenario(scenario: dict[str, Any], engine: SqsEngine | None = None) -> list[dict[str, Any]]:
    """Run every step of a scenario document; returns one result per step."""
    steps = scenario.get("steps")
    if not isinstance(steps, list):
        raise ValueError('a scenario is an object with a "steps" list')
    return run_steps(engine if engine is not None else engine_for(scenario), steps)


def load_scenario(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ValueError(f'{path}: a scenario is an object with a "steps" list')
    return data
