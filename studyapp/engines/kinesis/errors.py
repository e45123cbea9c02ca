"""Errors with the codes of the Kinesis Data Streams API Reference."""

from __future__ import annotations

from ..errors import ApiError

ACCOUNT_ID = "000000000000"
REGION = "us-east-1"

INVALID_ARGUMENT = "InvalidArgumentException"
VALIDATION = "ValidationException"
RESOURCE_NOT_FOUND = "ResourceNotFoundException"
RESOURCE_IN_USE = "ResourceInUseException"
LIMIT_EXCEEDED = "LimitExceededException"
THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException"
EXPIRED_ITERATOR = "ExpiredIteratorException"
EXPIRED_NEXT_TOKEN = "ExpiredNextTokenException"
UNKNOWN_OPERATION = "UnknownOperationException"


class KinesisError(ApiError):
    """A failed action: `code` is the AWS error code, `message` says why; `to_result()` gives
    {"Error": {"Code", "Message"}}."""


def stream_not_found(name: str) -> KinesisError:
    return KinesisError(RESOURCE_NOT_FOUND, f"Stream {name} under account {ACCOUNT_ID} not found.")


def shard_not_found(shard_id: str, stream: str) -> KinesisError:
    return KinesisError(
        RESOURCE_NOT_FOUND,
        f"Shard {shard_id} in stream {stream} under account {ACCOUNT_ID} does not exist",
    )


def rate_exceeded(shard_id: str, stream: str) -> KinesisError:
    # The PutRecordsResultEntry page: the message names the account, stream and shard.
    return KinesisError(
        THROUGHPUT_EXCEEDED,
        f"Rate exceeded for shard {shard_id} in stream {stream} under account {ACCOUNT_ID}.",
    )


def missing(parameter: str) -> KinesisError:
    return KinesisError(
        VALIDATION,
        f"1 validation error detected: Value null at '{parameter}' failed to satisfy "
        "constraint: Member must not be null",
    )


def invalid(message: str) -> KinesisError:
    return KinesisError(INVALID_ARGUMENT, message)


def validation(message: str) -> KinesisError:
    return KinesisError(VALIDATION, f"1 validation error detected: {message}")
