"""AWS's JSON error shape, and the one table of codes and HTTP statuses per service.

botocore reads ``__type`` (the part after ``#``) as the error code and ``message`` as its
message, then raises the modelled exception of that name (``client.exceptions.X``), with the
body's other members of its shape in ``response`` (``CancellationReasons``), and retries the
codes its retry policy lists (``ThrottlingException``,
``ProvisionedThroughputExceededException``) with backoff.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse


@dataclass(frozen=True)
class Service:
    name: str  # the SigV4 signing name and the IAM prefix: "sqs", "kinesis"
    target: str  # X-Amz-Target's prefix
    content_type: str
    type_prefix: str  # what precedes "#" in __type ("" for none)
    statuses: dict[str, int]  # HTTP status per error code; others are 400
    # Codes for what happens before the service sees the call.
    auth_codes: dict[str, str]


SQS = Service(
    name="sqs",
    target="AmazonSQS",
    content_type="application/x-amz-json-1.0",
    type_prefix="com.amazonaws.sqs",
    statuses={
        "AccessDenied": 403,
        "OverLimit": 403,
        "InvalidClientTokenId": 403,
        "SignatureDoesNotMatch": 403,
        "IncompleteSignature": 403,
        "MissingAuthenticationToken": 403,
        "RequestEntityTooLarge": 413,
    },
    auth_codes={
        "missing": "MissingAuthenticationToken",
        "malformed": "IncompleteSignature",
        "mismatch": "SignatureDoesNotMatch",
        "expired": "SignatureDoesNotMatch",
        "unknown-key": "InvalidClientTokenId",
        "denied": "AccessDenied",
        "over-limit": "OverLimit",
        "unknown-operation": "InvalidAction",
    },
)
KINESIS = Service(
    name="kinesis",
    target="Kinesis_20131202",
    content_type="application/x-amz-json-1.1",
    type_prefix="",
    statuses={"MissingAuthenticationTokenException": 403, "RequestEntityTooLarge": 413},
    auth_codes={
        "missing": "MissingAuthenticationTokenException",
        "malformed": "IncompleteSignatureException",
        "mismatch": "InvalidSignatureException",
        "expired": "InvalidSignatureException",
        "unknown-key": "UnrecognizedClientException",
        "denied": "AccessDeniedException",
        "over-limit": "LimitExceededException",
        "unknown-operation": "UnknownOperationException",
    },
)
# DynamoDB answers every client error with 400, authentication ones included, and
# InternalServerError with 500 (Developer Guide, "Error handling with DynamoDB").
DYNAMODB = Service(
    name="dynamodb",
    target="DynamoDB_20120810",
    content_type="application/x-amz-json-1.0",
    type_prefix="com.amazonaws.dynamodb.v20120810",
    statuses={"InternalServerError": 500, "RequestEntityTooLarge": 413},
    auth_codes=KINESIS.auth_codes,
)
SERVICES = {service.target: service for service in (SQS, KINESIS, DYNAMODB)}


class AwsError(Exception):
    """An error to answer in the service's wire format; ``code`` is AWS's error code, ``extra``
    the other members of its shape (DynamoDB's ``CancellationReasons``, ``Item``)."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.extra = extra


def error_for(service: Service, kind: str, message: str) -> AwsError:
    """An error of a kind every service has ("unknown-key", "denied"...) in its own code."""
    return AwsError(service.auth_codes[kind], message)


def json_response(service: Service, body: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, separators=(",", ":"), ensure_ascii=False),
        status=status,
        content_type=service.content_type,
    )


def error_response(service: Service, error: AwsError) -> HttpResponse:
    kind = f"{service.type_prefix}#{error.code}" if service.type_prefix else error.code
    status = service.statuses.get(error.code, 400)
    return json_response(service, {"__type": kind, "message": error.message, **error.extra}, status)


THROTTLED = "ThrottlingException"  # every SDK's retry policy backs off and retries it
TOO_LARGE = "RequestEntityTooLarge"
SERIALIZATION = "SerializationException"
