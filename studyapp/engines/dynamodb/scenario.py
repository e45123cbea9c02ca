"""The scenario runner: ``{"steps": [...]}`` in, one result per step out.

A step is a DynamoDB action with AWS's request shape plus ``"Action"``, or a simulator step
(``{"Action": "Advance", "Seconds": n}``, ``{"Action": "Workload", ...}``). A failed step
yields ``{"Error": {"Code": ..., "Message": ...}}`` (plus the exception's extra fields, such as
``CancellationReasons``) and the run goes on.

References: a parameter value that is exactly ``"$N.Field"`` (or ``"$N.Field.Sub.0"``) is
replaced by that part of step N's result (steps count from 0), so a scenario can page with
``"ExclusiveStartKey": "$3.LastEvaluatedKey"`` or retry ``"RequestItems":
"$5.UnprocessedItems"``. A reference to something that is not there is left as it is, and the
action then fails the way AWS fails on a bad value.

An optional ``"simulation"`` object sets ``seed`` (TTL delays, identifiers) and
``consistency_lag`` (seconds during which eventually consistent reads may miss a write).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .errors import INTERNAL, VALIDATION, DynamoDBError
from .service import DynamoDB

_REFERENCE = re.compile(r"\$(\d+)\.([A-Za-z0-9_.]+)")
MAX_STEP_DEPTH = 100


def engine_for(scenario: dict[str, Any] | list[Any]) -> DynamoDB:
    options = scenario.get("simulation") if isinstance(scenario, dict) else None
    if options is None:
        return DynamoDB()
    if not isinstance(options, dict):
        raise ValueError('"simulation" is an object')
    seed = options.get("seed", 0)
    lag = options.get("consistency_lag", 0.0)
    return DynamoDB(seed=seed, consistency_lag=lag)


def check_step(step: Any) -> str | None:
    """Why a step cannot be run (nested too deeply, or text that is not valid Unicode)."""
    pending = [(step, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_STEP_DEPTH:
            return f"The step is nested more than {MAX_STEP_DEPTH} levels deep."
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return "The step contains a string that is not valid Unicode (UTF-8)."
        elif isinstance(value, dict):
            for key, item in value.items():
                pending.append((key, depth))
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return None


def _lookup(result: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(result, dict) and part in result:
            result = result[part]
        elif isinstance(result, list) and part.isdigit() and int(part) < len(result):
            result = result[int(part)]
        else:
            return None
    return result


def resolve_references(value: Any, results: list[dict[str, Any]]) -> Any:
    """Replace every ``"$N.Field"`` string with what it names, at any depth."""
    if isinstance(value, str):
        match = _REFERENCE.fullmatch(value)
        if match is not None:
            step = int(match.group(1))
            if step < len(results):
                found = _lookup(results[step], match.group(2))
                if found is not None:
                    return found
        return value
    if isinstance(value, list):
        return [resolve_references(item, results) for item in value]
    if isinstance(value, dict):
        return {key: resolve_references(item, results) for key, item in value.items()}
    return value


def run_steps(engine: DynamoDB, steps: list[Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for step in steps:
        problem = check_step(step)
        if problem is not None:
            results.append(DynamoDBError(VALIDATION, problem).to_result())
            continue
        try:
            result = engine.apply(resolve_references(step, results))
        except Exception as error:
            # Never expected (the tests look for it): a bug of the simulator, reported like
            # AWS's HTTP 500 so that a command-line run still ends with its JSON results.
            result = DynamoDBError(INTERNAL, f"Internal simulator error: {error!r}").to_result()
        results.append(result)
    return results


def run_scenario(
    scenario: dict[str, Any] | list[Any], engine: DynamoDB | None = None
) -> list[dict[str, Any]]:
    """Run every step of a scenario; one result per step. ValueError if it has no steps list."""
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
