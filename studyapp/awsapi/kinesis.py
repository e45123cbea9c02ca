"""Kinesis Data Streams over AWS JSON 1.1 (``X-Amz-Target: Kinesis_20131202.<Action>``).

Records' ``Data`` travels base64-encoded (a blob); the simulator keeps it as UTF-8 text, so
data that is not UTF-8 is refused with a ValidationException. Each call is one
``sims.kinesis.service.sdk_call`` on the learner's own simulation.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from studyapp.sims import state
from studyapp.sims.kinesis import service
from studyapp.sims.kinesis.simulation import KinesisSimulation

from .access import ACCOUNT, REGION, IamRequest
from .errors import KINESIS, SERIALIZATION, AwsError
from .simulated import on_simulation

SERVICE = KINESIS
OPERATIONS = service.SDK_ACTIONS


def iam_action(operation: str) -> str:
    return "kinesis:" + operation


def resource(operation: str, body: dict[str, Any]) -> str:
    """The stream's ARN (``*`` for ListStreams), as IAM evaluates the call."""
    if operation == "ListStreams":
        return "*"
    arn = body.get("StreamARN")
    if isinstance(arn, str) and arn:
        return arn
    name = body.get("StreamName")
    if operation == "GetRecords":
        name = service.stream_of_iterator(body.get("ShardIterator"))
    if not isinstance(name, str) or not name:
        name = "*"
    return f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}"


def iam_requests(operation: str, body: dict[str, Any]) -> list[IamRequest]:
    return [IamRequest(iam_action(operation), resource(operation, body))]


def _blob(value: Any, where: str) -> Any:
    """A record's Data as the text the simulator keeps."""
    if not isinstance(value, str):
        return value  # the engine says what is wrong with it
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise AwsError(SERIALIZATION, f"{where}: Data is not valid base64.") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AwsError(
            "ValidationException",
            f"1 validation error detected: {where}: this simulator keeps Data as UTF-8 text.",
        ) from None


def _decoded(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    if operation == "PutRecord" and "Data" in body:
        return {**body, "Data": _blob(body["Data"], "PutRecord")}
    if operation == "PutRecords" and isinstance(body.get("Records"), list):
        records = [
            {**r, "Data": _blob(r["Data"], f"Records[{i}]")}
            if isinstance(r, dict) and "Data" in r
            else r
            for i, r in enumerate(body["Records"])
        ]
        return {**body, "Records": records}
    return body


def _encoded(operation: str, result: dict[str, Any]) -> dict[str, Any]:
    if operation == "GetRecords":
        for record in result.get("Records", []):
            record["Data"] = base64.b64encode(record["Data"].encode()).decode()
    return result


def call(owner: state.Owner, operation: str, body: dict[str, Any], *, key_id: str, wall: float):
    params = _decoded(operation, body)

    def run(simulation):
        try:
            return service.sdk_call(simulation, operation, params, wall=wall), None
        except service.KinesisError as error:  # logged: the simulation keeps it
            return None, error

    result, failure = on_simulation(owner, KinesisSimulation, SERVICE, run)
    if failure is not None:
        raise AwsError(failure.code, failure.message)
    return _encoded(operation, result)
