"""Amazon SQS over AWS JSON 1.0 (``X-Amz-Target: AmazonSQS.<Action>``) -> the SQS simulator.

The JSON members are the API Reference's parameter names, which the engine takes as they
are; each call is one ``sims.sqs.service.sdk_call`` on the learner's own simulation, so the
page shows it in its event log.
"""

from __future__ import annotations

from typing import Any

from studyapp.sims import state
from studyapp.sims.sqs import service
from studyapp.sims.sqs.simulation import SqsSimulation

from .access import ACCOUNT, REGION, IamRequest
from .errors import SQS, AwsError
from .simulated import actor, on_simulation

SERVICE = SQS
OPERATIONS = service.SDK_ACTIONS
# Batch actions are authorized as their single action (the SQS Developer Guide's
# "Amazon SQS API permissions: Actions and resource reference").
IAM_ACTION = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}


def iam_action(operation: str) -> str:
    return "sqs:" + IAM_ACTION.get(operation, operation)


def resource(operation: str, body: dict[str, Any]) -> str:
    """The queue's ARN (``*`` for ListQueues), as IAM evaluates the call."""
    if operation == "ListQueues":
        return "*"
    ref = body.get("QueueUrl") or body.get("QueueName")
    name = ref.rstrip("/").rsplit("/", 1)[-1] if isinstance(ref, str) and ref else "*"
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def iam_requests(operation: str, body: dict[str, Any]) -> list[IamRequest]:
    return [IamRequest(iam_action(operation), resource(operation, body))]


def call(owner: state.Owner, operation: str, body: dict[str, Any], *, key_id: str, wall: float):
    step = {**body, "Action": operation}
    result = on_simulation(
        owner,
        SqsSimulation,
        SERVICE,
        lambda simulation: service.sdk_call(simulation, step, actor=actor(key_id), wall=wall),
    )
    error = result.get("Error")
    if error:
        raise AwsError(error["Code"], error["Message"])
    return result
