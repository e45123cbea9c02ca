"""DynamoDB errors, named as in the Amazon DynamoDB API Reference.

Every failed action raises ``DynamoDBError`` (a ``studyapp.engines.errors.ApiError``); the
scenario runner turns it into ``{"Error": {"Code": ..., "Message": ...}}``. Messages follow the
ones DynamoDB sends, so that they read like what a learner sees from an SDK.
"""

from __future__ import annotations

from typing import Any

from ..errors import ApiError

ACCOUNT_ID = "000000000000"
REGION = "us-east-1"

VALIDATION = "ValidationException"
CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailedException"
RESOURCE_NOT_FOUND = "ResourceNotFoundException"
RESOURCE_IN_USE = "ResourceInUseException"
LIMIT_EXCEEDED = "LimitExceededException"
THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException"
THROTTLING = "ThrottlingException"
TRANSACTION_CANCELED = "TransactionCanceledException"
IDEMPOTENT_MISMATCH = "IdempotentParameterMismatchException"
ITEM_COLLECTION_TOO_BIG = "ItemCollectionSizeLimitExceededException"
UNKNOWN_OPERATION = "UnknownOperationException"
INTERNAL = "InternalServerError"

CONDITION_FAILED_MESSAGE = "The conditional request failed"


class DynamoDBError(ApiError):
    """A failed DynamoDB action."""


def validation(message: str) -> DynamoDBError:
    return DynamoDBError(VALIDATION, message)


def invalid_parameters(message: str) -> DynamoDBError:
    return DynamoDBError(VALIDATION, f"One or more parameter values were invalid: {message}")


def missing(wire_name: str) -> DynamoDBError:
    return DynamoDBError(
        VALIDATION,
        f"1 validation error detected: Value null at '{wire_name}' failed to satisfy "
        "constraint: Member must not be null",
    )


def constraint(value: Any, wire_name: str, rule: str) -> DynamoDBError:
    return DynamoDBError(
        VALIDATION,
        f"1 validation error detected: Value '{value}' at '{wire_name}' failed to satisfy "
        f"constraint: {rule}",
    )


def table_not_found(name: str) -> DynamoDBError:
    return DynamoDBError(
        RESOURCE_NOT_FOUND, f"Requested resource not found: Table: {name} not found"
    )


def condition_failed(item: dict[str, Any] | None = None) -> DynamoDBError:
    """ConditionalCheckFailedException; ``Item`` when ReturnValuesOnConditionCheckFailure=ALL_OLD."""
    if item is None:
        return DynamoDBError(CONDITIONAL_CHECK_FAILED, CONDITION_FAILED_MESSAGE)
    return DynamoDBError(CONDITIONAL_CHECK_FAILED, CONDITION_FAILED_MESSAGE, Item=item)


def key_mismatch() -> DynamoDBError:
    return validation("The provided key element does not match the schema")


def transaction_canceled(reasons: list[dict[str, Any]]) -> DynamoDBError:
    codes = ", ".join(reason["Code"] for reason in reasons)
    return DynamoDBError(
        TRANSACTION_CANCELED,
        f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
        CancellationReasons=reasons,
    )


def table_arn(name: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{name}"
