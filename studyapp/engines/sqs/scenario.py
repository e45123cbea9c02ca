"""The scenario runner: ``{"steps": [...]}`` in, one result per step out.

A step is an SQS action with AWS's parameter names, or ``{"Action": "Advance", "Seconds": n}``.
Any string ``"$N.I"`` in a step stands for the receipt handle of message I returned by step N
(both 0-based). A failed step yields ``{"Error": {...}}`` and the run goes on. An optional
``"simulation"`` object (``seed``, ``duplicate_rate``, ``reorder_rate``) turns on the seeded
duplicate / out-of-order demo mode for standard queues.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from pathlib import Path
from typing import Any

from .errors import INVALID_PARAMETER_VALUE, SqsError
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


def _option(options: dict[str, Any], name: str, default: float, integer: bool) -> Any:
    value = options.get(name, default)
    if isinstance(value, str):  # "11", "0.3": numbers in text, as older scenarios may have
        with contextlib.suppress(ValueError):
            value = int(value) if integer else float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"simulation.{name} must be a number, not {value!r}")
    if integer:
        if not isinstance(value, int) and not (math.isfinite(value) and value.is_integer()):
            raise ValueError(f"simulation.{name} must be a whole number, not {value!r}")
        return int(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"simulation.{name} must be from 0 to 1, not {value!r}")
    return float(value)


def engine_for(scenario: dict[str, Any] | list[Any]) -> SqsEngine:
    """A fresh engine with the scenario's optional demo-mode settings (ValueError if they
    are not numbers: a seed, and rates from 0 to 1)."""
    options = (scenario.get("simulation") if isinstance(scenario, dict) else None) or {}
    if not isinstance(options, dict):
        raise ValueError('"simulation" is an object: {"seed", "duplicate_rate", "reorder_rate"}')
    return SqsEngine(
        seed=_option(options, "seed", 0, integer=True),
        duplicate_rate=_option(options, "duplicate_rate", 0.0, integer=False),
        reorder_rate=_option(options, "reorder_rate", 0.0, integer=False),
    )


def run_steps(engine: SqsEngine, steps: list[Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for step in steps:
        try:
            resolved = resolve_references(step, results)
        except RecursionError:
            results.append(
                SqsError(INVALID_PARAMETER_VALUE, "The step is nested too deeply.").to_result()
            )
            continue
        results.append(engine.apply(resolved))
    return results


def run_scenario(
    scenario: dict[str, Any] | list[Any], engine: SqsEngine | None = None
) -> list[dict[str, Any]]:
    """Run every step of a scenario document ({"steps": [...]}, or the list of steps alone);
    returns one result per step. ValueError if it is not a scenario."""
    steps = scenario.get("steps") if isinstance(scenario, dict) else scenario
    if not isinstance(steps, list):
        raise ValueError('a scenario is an object with a "steps" list')
    return run_steps(engine if engine is not None else engine_for(scenario), steps)


def load_scenario(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ValueError(f'{path}: a scenario is an object with a "steps" list')
    return data
