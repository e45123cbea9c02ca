"""Run a scenario: {"steps": [...]} of actions, one result per step, "$N" for earlier results.

"$N" (N counts steps from 0) stands for what step N returned for that parameter:
- ShardIterator: its NextShardIterator, else its ShardIterator;
- StartingSequenceNumber, SequenceNumberForOrdering: its SequenceNumber;
  "$N.I" takes the SequenceNumber of Records[I] (a PutRecords or GetRecords result);
- ShardId, ShardToSplit, ShardToMerge, AdjacentShardToMerge: its ShardId ("$N.I" as above).
A failed step returns {"Error": {"Code", "Message"}} and the run goes on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from .errors import VALIDATION, KinesisError
from .service import Kinesis

REFERENCE = re.compile(r"\$(\d{1,9})(?:\.(\d{1,9}))?")
SEQUENCE_PARAMETERS = ("StartingSequenceNumber", "SequenceNumberForOrdering")
SHARD_PARAMETERS = ("ShardId", "ShardToSplit", "ShardToMerge", "AdjacentShardToMerge")


def _bad_reference(text: str, parameter: str, why: str) -> KinesisError:
    return KinesisError("InvalidScenarioReference", f"{text} for {parameter}: {why}")


def _resolve(parameter: str, text: str, results: list[dict[str, Any]]) -> Any:
    match = REFERENCE.fullmatch(text)
    if match is None:
        return text
    step = int(match.group(1))
    if step >= len(results):
        raise _bad_reference(text, parameter, f"step {step} has not run yet")
    result = results[step]
    if "Error" in result:
        raise _bad_reference(text, parameter, f"step {step} failed")
    if match.group(2) is not None:
        records = result.get("Records") or []
        index = int(match.group(2))
        if index >= len(records):
            raise _bad_reference(text, parameter, f"step {step} has no record {index}")
        result = records[index]
    if parameter == "ShardIterator":
        if "NextShardIterator" in result:
            return result["NextShardIterator"]
        key = "ShardIterator"
    elif parameter in SEQUENCE_PARAMETERS:
        key = "SequenceNumber"
    else:
        key = "ShardId"
    if key not in result:
        raise _bad_reference(text, parameter, f"step {step} returned no {key}")
    return result[key]


def _parameters(step: dict[str, Any], results: list[dict[str, Any]]) -> dict[str, Any]:
    params = {}
    for name, value in step.items():
        if name == "Action":
            continue
        if isinstance(value, str) and (
            name == "ShardIterator" or name in SEQUENCE_PARAMETERS or name in SHARD_PARAMETERS
        ):
            value = _resolve(name, value, results)
        params[name] = value
    return params


class Step(NamedTuple):
    """One step as it ran, for a log: what it called, with references resolved, and when."""

    index: int
    action: str  # "?" when the step names none
    params: dict[str, Any]
    result: dict[str, Any]
    at_ms: int  # the clock when the step began


def run(
    scenario: dict[str, Any] | list[Any],
    kinesis: Kinesis | None = None,
    *,
    on_step: Callable[[Step], None] | None = None,
) -> list[dict]:
    """Run every step on `kinesis` (a fresh one by default) and return their results.

    `on_step`, if given, hears of each step once it has run (see Step). ValueError if the
    scenario is not one: an object whose "steps" is a list, or the list of steps alone.
    """
    kinesis = kinesis if kinesis is not None else Kinesis()
    steps = scenario.get("steps", []) if isinstance(scenario, dict) else scenario
    if not isinstance(steps, list):
        raise ValueError('a scenario is an object with a "steps" list')
    results: list[dict[str, Any]] = []
    for index, step in enumerate(steps):
        at_ms = kinesis.clock.now_ms()
        is_step = isinstance(step, dict) and isinstance(step.get("Action"), str)
        params = {k: v for k, v in step.items() if k != "Action"} if isinstance(step, dict) else {}
        try:
            if not is_step:
                raise KinesisError(VALIDATION, "A step is an object with an Action.")
            params = _parameters(step, results)
            result = kinesis.call(step["Action"], params)
        except KinesisError as error:
            result = error.to_result()
        results.append(result)
        if on_step is not None:
            action = str(step.get("Action", "?")) if isinstance(step, dict) else "?"
            on_step(Step(index, action, params, result, at_ms))
    return results
