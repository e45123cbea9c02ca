"""Errors with the codes of the Amazon SQS API Reference.

A failed action becomes ``{"Error": {"Code": ..., "Message": ...}}``, the shape the AWS SDKs
(botocore) expose for every SQS error (``SqsError.to_result()``, from the shared ``ApiError``).
"""

from __future__ import annotations

from ..errors import ApiError

INVALID_ACTION = "InvalidAction"
MISSING_PARAMETER = "MissingParameter"
INVALID_PARAMETER_VALUE = "InvalidParameterValue"
INVALID_ATTRIBUTE_NAME = "InvalidAttributeName"
INVALID_ATTRIBUTE_VALUE = "InvalidAttributeValue"
INVALID_MESSAGE_CONTENTS = "InvalidMessageContents"
QUEUE_DOES_NOT_EXIST = "QueueDoesNotExist"
QUEUE_NAME_EXISTS = "QueueNameExists"
QUEUE_DELETED_RECENTLY = "QueueDeletedRecently"
RECEIPT_HANDLE_IS_INVALID = "ReceiptHandleIsInvalid"
MESSAGE_NOT_INFLIGHT = "MessageNotInflight"
PURGE_QUEUE_IN_PROGRESS = "PurgeQueueInProgress"
EMPTY_BATCH_REQUEST = "EmptyBatchRequest"
TOO_MANY_ENTRIES_IN_BATCH_REQUEST = "TooManyEntriesInBatchRequest"
BATCH_ENTRY_IDS_NOT_DISTINCT = "BatchEntryIdsNotDistinct"
INVALID_BATCH_ENTRY_ID = "InvalidBatchEntryId"
BATCH_REQUEST_TOO_LONG = "BatchRequestTooLong"


class SqsError(ApiError):
    """An SQS API error: ``code`` is the API Reference's error code."""


def missing_parameter(name: str) -> SqsError:
    return SqsError(MISSING_PARAMETER, f"The request must contain the parameter {name}.")


def invalid_parameter(name: str, value: object, reason: str) -> SqsError:
    return SqsError(
        INVALID_PARAMETER_VALUE,
        f"Value {value} for parameter {name} is invalid. Reason: {reason}",
    )


def invalid_attribute(name: str, value: object, reason: str) -> SqsError:
    return SqsError(
        INVALID_ATTRIBUTE_VALUE,
        f"Invalid value for the parameter {name}: {value}. Reason: {reason}",
    )


def unknown_attribute(name: str) -> SqsError:
    return SqsError(INVALID_ATTRIBUTE_NAME, f"Unknown Attribute {name}.")


def queue_does_not_exist() -> SqsError:
    return SqsError(QUEUE_DOES_NOT_EXIST, "The specified queue does not exist.")


def invalid_receipt_handle(handle: object) -> SqsError:
    return SqsError(
        RECEIPT_HANDLE_IS_INVALID,
        f'The input receipt handle "{handle}" is not a valid receipt handle.',
    )
