"""Amazon DynamoDB over AWS JSON 1.0 (``X-Amz-Target: DynamoDB_20120810.<Operation>``).

Requests and responses are the engine's own shapes (attribute values as ``{"S": ...}``,
binaries as base64), so the JSON passes through as it is; each call is one
``sims.dynamodb.service.sdk_call`` on the learner's own simulation. A failed call keeps the
exception's other members (``CancellationReasons``, ``Item``, ``ThrottlingReasons``) beside
``__type`` and ``message``, where botocore reads them.
"""

from __future__ import annotations

from typing import Any

from studyapp.sims import state
from studyapp.sims.dynamodb import service
from studyapp.sims.dynamodb.simulation import DynamoDBSimulation

from .access import ACCOUNT, REGION, IamRequest
from .errors import DYNAMODB, AwsError
from .simulated import actor, on_simulation

SERVICE = DYNAMODB
OPERATIONS = service.SDK_ACTIONS
BATCHES = ("BatchGetItem", "BatchWriteItem")
# A transaction is authorized as its items' own actions ("Permissions for Put, Update, Delete,
# and Get actions are governed by the permissions used for the underlying PutItem, UpdateItem,
# DeleteItem, and GetItem operations. For the ConditionCheck action, you can use the
# dynamodb:ConditionCheckItem permission": Developer Guide, "Using IAM with DynamoDB
# transactions"), with dynamodb:EnclosingOperation naming the transaction.
TRANSACTIONS = ("TransactGetItems", "TransactWriteItems")
ITEM_ACTIONS = {
    "Get": "GetItem",
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
# A valid call names at most 100 (action, table) pairs (100 keys of BatchGetItem, 100 items of
# a transaction); past that the engine refuses the call, so evaluating more adds nothing.
MAX_REQUESTS = 100


def iam_action(operation: str) -> str:
    return "dynamodb:" + operation


def resource(table: Any) -> str:
    """The table's ARN, as IAM evaluates a call on it (a TableName may be the ARN itself)."""
    if isinstance(table, str) and table.startswith("arn:"):
        return table
    name = table if isinstance(table, str) and table else "*"
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"


def iam_requests(operation: str, body: dict[str, Any]) -> list[IamRequest]:
    """ListTables on ``*``; a batch as its own action on each table it names (the IAM
    reference's BatchGetItem and BatchWriteItem take the table resource); a transaction as
    each item's action on its table; any other call as its action on its table."""
    if operation == "ListTables":
        return [IamRequest(iam_action(operation), "*")]
    if operation in BATCHES:
        tables = body.get("RequestItems")
        names = list(tables)[:MAX_REQUESTS] if isinstance(tables, dict) and tables else [None]
        return [IamRequest(iam_action(operation), resource(name)) for name in names]
    if operation in TRANSACTIONS:
        context = {"dynamodb:EnclosingOperation": operation}
        found = {
            (ITEM_ACTIONS[kind], resource(inner.get("TableName"))): None
            for entry in _listed(body.get("TransactItems"))
            if isinstance(entry, dict)
            for kind, inner in entry.items()
            if kind in ITEM_ACTIONS and isinstance(inner, dict)
        }
        pairs = list(found)[:MAX_REQUESTS] or [(operation, resource(None))]
        return [IamRequest(iam_action(action), arn, context) for action, arn in pairs]
    return [IamRequest(iam_action(operation), resource(body.get("TableName")))]


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def call(owner: state.Owner, operation: str, body: dict[str, Any], *, key_id: str, wall: float):
    step = {**body, "Action": operation}
    result = on_simulation(
        owner,
        DynamoDBSimulation,
        SERVICE,
        lambda simulation: service.sdk_call(simulation, step, actor=actor(key_id), wall=wall),
    )
    error = result.get("Error")
    if error:
        shape = {name: value for name, value in result.items() if name != "Error"}
        raise AwsError(error["Code"], error["Message"], **shape)
    return result
