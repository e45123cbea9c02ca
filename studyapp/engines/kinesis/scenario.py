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
from typing import Any

from .errors import VALIDATION, KinesisError
from .service import Kinesis

REFERENCE = re.compile(r"\$(\d+)(?:\.(\d+))?")
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


def run(scenario: dict[str, Any] | list[Any], kinesis: Kinesis | None = None) -> list[dict]:
    """Run every step on `kinesis` (a fresh one by default) and return their results."""
    kinesis = kinesis if kinesis is not None else Kinesis()
    steps = scenario.get("steps", []) if isinstance(scenario, dict) else scenario
    results: list[dict[str, Any]] = []
    for step in steps:
        try:
            if not isinstance(step, dict) or not isinstance(step.get("Action"), str):
                raise KinesisError(VALIDATION, "A step is an object with an Action.")
            result = kinesis.call(step["Action"], _parameters(step, results))
        except KinesisError as error:
            result = error.to_dict()
        results.append(result)
    return results
