"""Queue attributes: defaults, AWS's valid ranges, and validation with AWS's error codes.

Ranges and defaults follow the API Reference pages CreateQueue and SetQueueAttributes
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html):
VisibilityTimeout 0-43,200 s (default 30), DelaySeconds 0-900 (0), MessageRetentionPeriod
60-1,209,600 s (345,600), MaximumMessageSize 1,024-1,048,576 bytes (1,048,576 = 1 MiB),
ReceiveMessageWaitTimeSeconds 0-20 (0), RedrivePolicy maxReceiveCount 1-1,000.
RedriveAllowPolicy: redrivePermission allowAll (default), denyAll or byQueue, with up to 10
sourceQueueArns for byQueue only. FifoThroughputLimit perMessageGroupId is allowed only when
DeduplicationScope is messageGroup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping

from .errors import (
    INVALID_PARAMETER_VALUE,
    SqsError,
    invalid_attribute,
    unknown_attribute,
)

REGION = "us-east-1"
ACCOUNT = "000000000000"
ARN_PREFIX = f"arn:aws:sqs:{REGION}:{ACCOUNT}:"
URL_PREFIX = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/"

MAX_MESSAGE_SIZE = 1_048_576
MAX_VISIBILITY_TIMEOUT = 43_200
MAX_WAIT_TIME = 20
MAX_DELAY = 900
DEDUPLICATION_INTERVAL = 300.0
PURGE_INTERVAL = 60.0
QUEUE_RECREATE_INTERVAL = 60.0

INT_RANGES: dict[str, tuple[int, int]] = {
    "DelaySeconds": (0, MAX_DELAY),
    "MaximumMessageSize": (1024, MAX_MESSAGE_SIZE),
    "MessageRetentionPeriod": (60, 1_209_600),
    "ReceiveMessageWaitTimeSeconds": (0, MAX_WAIT_TIME),
    "VisibilityTimeout": (0, MAX_VISIBILITY_TIMEOUT),
    "KmsDataKeyReusePeriodSeconds": (60, 86_400),
}
DEFAULTS: dict[str, str] = {
    "DelaySeconds": "0",
    "MaximumMessageSize": str(MAX_MESSAGE_SIZE),
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "0",
    "VisibilityTimeout": "30",
}
FIFO_DEFAULTS: dict[str, str] = {
    "FifoQueue": "true",
    "ContentBasedDeduplication": "false",
    "DeduplicationScope": "queue",
    "FifoThroughputLimit": "perQueue",
}
FIFO_ONLY = frozenset({"ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"})
CHOICES: dict[str, tuple[str, ...]] = {
    "DeduplicationScope": ("messageGroup", "queue"),
    "FifoThroughputLimit": ("perQueue", "perMessageGroupId"),
}
BOOLEANS = frozenset({"FifoQueue", "ContentBasedDeduplication", "SqsManagedSseEnabled"})
FREE_TEXT = frozenset({"Policy", "KmsMasterKeyId"})
SETTABLE = (
    frozenset(INT_RANGES)
    | FIFO_ONLY
    | BOOLEANS
    | FREE_TEXT
    | {"RedrivePolicy", "RedriveAllowPolicy"}
)
REDRIVE_PERMISSIONS = ("allowAll", "denyAll", "byQueue")
MAX_REDRIVE_SOURCE_QUEUES = 10
COMPUTED = (
    "QueueArn",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
)
READABLE = SETTABLE | frozenset(COMPUTED)

# Given a dead-letter target ARN, says whether that queue exists and is FIFO (None: absent).
DlqResolver = Callable[[str], "bool | None"]


def queue_arn(name: str) -> str:
    return ARN_PREFIX + name


def queue_url(name: str) -> str:
    return URL_PREFIX + name


def name_from_reference(ref: str) -> str:
    """A QueueUrl, a queue ARN or a bare QueueName, reduced to the name."""
    if ref.startswith("arn:"):
        return ref.rsplit(":", 1)[-1]
    if "/" in ref:
        return ref.rstrip("/").rsplit("/", 1)[-1]
    return ref


_INTEGER = re.compile(r"-?[0-9]{1,20}")


def as_int(value: object) -> int | None:
    """An integer given as a JSON number or a string of digits; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        # ASCII digits only: str.isdigit() and int() also take "²" or Arabic-Indic digits.
        if _INTEGER.fullmatch(text):
            return int(text)
    return None


def _as_bool(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower()
    return None


def parse_redrive_policy(value: object, *, fifo: bool, resolve_dlq: DlqResolver) -> str:
    """Validate a RedrivePolicy (a JSON string or object); return its canonical JSON text.

    The dead-letter queue must exist and be of the same type as the source queue
    (SQS Developer Guide, "Using dead-letter queues"); maxReceiveCount is 1-1,000.
    """
    if value in ("", None, {}):
        return ""
    policy = value
    if isinstance(value, str):
        try:
            policy = json.loads(value)
        except ValueError:
            raise invalid_attribute(
                "RedrivePolicy", value, "Redrive policy is not a valid JSON map."
            ) from None
    if not isinstance(policy, dict):
        raise invalid_attribute("RedrivePolicy", value, "Redrive policy is not a valid JSON map.")
    arn = policy.get("deadLetterTargetArn")
    count = as_int(policy.get("maxReceiveCount"))
    if not isinstance(arn, str) or not arn:
        raise invalid_attribute(
            "RedrivePolicy",
            value,
            "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.",
        )
    if count is None:
        raise invalid_attribute(
            "RedrivePolicy",
            value,
            "Redrive policy does not contain mandatory attribute: maxReceiveCount.",
        )
    if not 1 <= count <= 1000:
        raise invalid_attribute(
            "RedrivePolicy",
            value,
            f"Invalid value for maxReceiveCount: {count}, valid values are from 1 to 1000 both inclusive.",
        )
    target_fifo = resolve_dlq(arn)
    if target_fifo is None:
        raise invalid_attribute("RedrivePolicy", value, "Dead letter target does not exist.")
    if target_fifo != fifo:
        kind = "a FIFO" if fifo else "a standard"
        raise invalid_attribute(
            "RedrivePolicy",
            value,
            f"The dead-letter queue of {kind} queue must also be {kind} queue.",
        )
    return json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": count}, separators=(",", ":"))


def parse_redrive_allow_policy(value: object) -> str:
    """Validate a RedriveAllowPolicy (a JSON string or object); return its canonical JSON text.

    API Reference, SetQueueAttributes: redrivePermission is allowAll (the default), denyAll or
    byQueue; sourceQueueArns may be given only with byQueue, up to 10 of them.
    """
    if value in ("", None, {}):
        return ""
    policy = value
    if isinstance(value, str):
        try:
            policy = json.loads(value)
        except ValueError:
            policy = None
    if not isinstance(policy, dict):
        raise invalid_attribute(
            "RedriveAllowPolicy", value, "Redrive allow policy is not a valid JSON map."
        )
    unknown = sorted(set(policy) - {"redrivePermission", "sourceQueueArns"})
    if unknown:
        raise invalid_attribute(
            "RedriveAllowPolicy", value, f"Unknown redrive allow policy attribute: {unknown[0]}."
        )
    permission = policy.get("redrivePermission")
    if permission not in REDRIVE_PERMISSIONS:
        raise invalid_attribute(
            "RedriveAllowPolicy",
            value,
            "redrivePermission must be one of allowAll, denyAll or byQueue.",
        )
    arns = policy.get("sourceQueueArns")
    if permission != "byQueue":
        if arns is not None:
            raise invalid_attribute(
                "RedriveAllowPolicy",
                value,
                "sourceQueueArns can be specified only when redrivePermission is byQueue.",
            )
        return json.dumps({"redrivePermission": permission}, separators=(",", ":"))
    if (
        not isinstance(arns, list)
        or not 1 <= len(arns) <= MAX_REDRIVE_SOURCE_QUEUES
        or not all(isinstance(arn, str) and arn for arn in arns)
    ):
        raise invalid_attribute(
            "RedriveAllowPolicy",
            value,
            f"byQueue needs sourceQueueArns: 1 to {MAX_REDRIVE_SOURCE_QUEUES} queue ARNs.",
        )
    return json.dumps(
        {"redrivePermission": permission, "sourceQueueArns": arns}, separators=(",", ":")
    )


def redrive_allows(policy_text: str | None, source_arn: str) -> bool:
    """Whether a queue with this RedriveAllowPolicy may be the dead-letter queue of the source
    queue: allowAll (also when no policy is set), byQueue listing the source, never denyAll."""
    try:
        policy = json.loads(policy_text) if policy_text else {}
    except ValueError:
        policy = {}  # free text kept by an older version of the engine: no restriction
    if not isinstance(policy, dict):
        return True
    permission = policy.get("redrivePermission", "allowAll")
    if permission == "denyAll":
        return False
    if permission == "byQueue":
        arns = policy.get("sourceQueueArns")
        return isinstance(arns, list) and source_arn in arns
    return True


def check_throughput(attributes: Mapping[str, str]) -> None:
    """FifoThroughputLimit perMessageGroupId needs DeduplicationScope messageGroup (API
    Reference, CreateQueue and SetQueueAttributes); ``attributes`` are the queue's, merged."""
    if (
        attributes.get("FifoThroughputLimit") == "perMessageGroupId"
        and attributes.get("DeduplicationScope") != "messageGroup"
    ):
        raise invalid_attribute(
            "FifoThroughputLimit",
            "perMessageGroupId",
            "The perMessageGroupId value is allowed only when the value for "
            "DeduplicationScope is messageGroup.",
        )


def validate(
    attributes: object,
    *,
    fifo: bool,
    creating: bool,
    resolve_dlq: DlqResolver,
) -> dict[str, str]:
    """Check attributes as CreateQueue (creating=True) or SetQueueAttributes would.

    Returns the given attributes normalised to AWS's string form. Unknown names raise
    InvalidAttributeName; values out of range raise InvalidAttributeValue.
    """
    if attributes is None:
        return {}
    if not isinstance(attributes, Mapping):
        raise SqsError(INVALID_PARAMETER_VALUE, "Attributes must be a map of names to values.")
    out: dict[str, str] = {}
    for name, value in attributes.items():
        if name not in SETTABLE or (name in FIFO_ONLY and not fifo):
            raise unknown_attribute(name)
        if name == "FifoQueue" and not creating:
            # A queue's type is chosen when it is created and cannot be changed.
            raise unknown_attribute(name)
        if name in INT_RANGES:
            low, high = INT_RANGES[name]
            number = as_int(value)
            if number is None or not low <= number <= high:
                raise invalid_attribute(
                    name, value, f"{name} must be an integer from {low} to {high}."
                )
            out[name] = str(number)
        elif name in BOOLEANS:
            flag = _as_bool(value)
            if flag is None:
                raise invalid_attribute(name, value, f"{name} must be true or false.")
            out[name] = flag
        elif name in CHOICES:
            if value not in CHOICES[name]:
                allowed = " or ".join(CHOICES[name])
                raise invalid_attribute(name, value, f"{name} must be {allowed}.")
            out[name] = str(value)
        elif name == "RedrivePolicy":
            out[name] = parse_redrive_policy(value, fifo=fifo, resolve_dlq=resolve_dlq)
        elif name == "RedriveAllowPolicy":
            out[name] = parse_redrive_allow_policy(value)
        else:
            out[name] = value if isinstance(value, str) else json.dumps(value)
    return out
