"""The SDK endpoint: one URL speaking AWS's JSON protocols, each call signed with SigV4.

A call goes: its service (X-Amz-Target) -> size limit -> signature (the key's secret) ->
the key's rate limit -> its JSON -> the key's IAM policy -> the simulator's service, on the
key owner's own state -> AWS's response, or AWS's error shape. Only this view is exempt from
CSRF: it takes no cookie, every request is signed.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from types import ModuleType

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from studyapp.accounts.apikeys import ActiveKey, api_key_active, secret_of
from studyapp.accounts.models import ApiKey
from studyapp.sims.state import Owner

from . import dynamodb, kinesis, sigv4, sqs
from .access import decide
from .errors import (
    SERIALIZATION,
    SERVICES,
    SQS,
    THROTTLED,
    TOO_LARGE,
    AwsError,
    Service,
    error_for,
    error_response,
    json_response,
)

# Each service's translator: its operations, what IAM evaluates (``iam_requests``), ``call``.
PROTOCOLS: dict[str, ModuleType] = {
    "AmazonSQS": sqs,
    "Kinesis_20131202": kinesis,
    "DynamoDB_20120810": dynamodb,
}

MAX_BODY_BYTES = 2 * 1024 * 1024  # an SQS message may be 1 MiB, JSON-escaped
# DynamoDB nests attribute values 32 levels deep, two JSON levels each, in a few levels of request
MAX_JSON_DEPTH = 100
CALLS_PER_SECOND = 50  # per key, averaged over RATE_WINDOW; AWSAPI_CALLS_PER_SECOND overrides
RATE_WINDOW = 10  # seconds
USED_EVERY = timedelta(minutes=1)  # how often a key's "last used" time is written


@csrf_exempt
@require_POST
def endpoint(request: HttpRequest) -> HttpResponse:
    target = request.headers.get("X-Amz-Target", "")
    prefix, _, operation = target.partition(".")
    service = SERVICES.get(prefix, SQS)
    try:
        response = json_response(service, _handle(request, service, prefix, operation))
    except AwsError as error:
        response = error_response(service, error)
    response["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


def _handle(request: HttpRequest, service: Service, prefix: str, operation: str) -> dict:
    protocol = PROTOCOLS.get(prefix)
    if protocol is None:
        raise error_for(service, "unknown-operation", f"Unknown target: {prefix or '(none)'}.")
    body = _body(request)
    key = _authenticate(request, service, body)
    _throttle(key)
    params = _json(body)
    if operation not in protocol.OPERATIONS:
        raise error_for(service, "unknown-operation", f"Unsupported operation: {operation}.")
    _authorize(key, protocol, operation, params)
    return protocol.call(
        Owner(key.user_id), operation, params, key_id=key.access_key_id, wall=time.time()
    )


def _body(request: HttpRequest) -> bytes:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise AwsError(TOO_LARGE, f"The request body may have at most {MAX_BODY_BYTES} bytes.")
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise AwsError(TOO_LARGE, f"The request body may have at most {MAX_BODY_BYTES} bytes.")
    return body


def _authenticate(request: HttpRequest, service: Service, body: bytes) -> ActiveKey:
    try:
        auth = sigv4.parse(request.headers.get("Authorization", ""))
        if "host" not in auth.signed_headers:
            raise sigv4.SignatureError("malformed", "'Host' must be a signed header.")
        if auth.service != service.name:
            raise sigv4.SignatureError(
                "mismatch", f"Credential should be scoped to correct service: '{service.name}'."
            )
        amz_date = request.headers.get("X-Amz-Date", "")
        sigv4.request_time(amz_date, auth.date, datetime.now(UTC))
        key = api_key_active(auth.access_key_id, used_since=timezone.now() - USED_EVERY)
        secret = secret_of(key) if key is not None else None
        if key is None or secret is None:
            raise error_for(
                service, "unknown-key", "The security token included in the request is invalid."
            )
        headers = {name.lower(): value for name, value in request.headers.items()}
        canonical = sigv4.canonical_request(
            request.method or "POST",
            request.path,
            [(k, v) for k, values in request.GET.lists() for v in values],
            headers,
            auth.signed_headers,
            body,
        )
        sigv4.verify(secret, auth, amz_date, canonical)
    except sigv4.SignatureError as error:
        raise error_for(service, error.kind, error.message) from None
    if not key.used_since:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def _throttle(key: ActiveKey) -> None:
    """A fixed window per key in the cache (Redis when configured: shared by app servers)."""
    rate = getattr(settings, "AWSAPI_CALLS_PER_SECOND", CALLS_PER_SECOND)
    name = f"awsapi:calls:{key.access_key_id}:{int(time.time() // RATE_WINDOW)}"
    cache.add(name, 0, RATE_WINDOW * 2)
    try:
        calls = cache.incr(name)
    except ValueError:  # expired between add and incr
        calls = 1
    if calls > rate * RATE_WINDOW:
        raise AwsError(
            THROTTLED, f"Rate exceeded: at most {rate} calls per second for each access key."
        )


def _json(body: bytes) -> dict:
    try:
        params = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        raise AwsError(SERIALIZATION, "The request body is not valid JSON.") from None
    if not isinstance(params, dict):
        raise AwsError(SERIALIZATION, "The request body must be a JSON object.")
    if _too_deep(params):
        raise AwsError(
            SERIALIZATION, f"The request body is nested more than {MAX_JSON_DEPTH} levels deep."
        )
    return params


def _too_deep(value: object) -> bool:
    """Nested past MAX_JSON_DEPTH (the simulators walk a request recursively)."""
    pending = [(value, 1)]
    while pending:
        current, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        if isinstance(current, dict):
            pending.extend((item, depth + 1) for item in current.values())
        elif isinstance(current, list):
            pending.extend((item, depth + 1) for item in current)
    return False


def _authorize(key: ActiveKey, protocol: ModuleType, operation: str, params: dict) -> None:
    """Every request IAM evaluates for the call must be allowed (a DynamoDB batch or
    transaction is one per table and item action); the first denied one is reported."""
    for request in protocol.iam_requests(operation, params):
        decision = decide(username=key.username, policy=key.policy, request=request)
        if not decision.allowed:
            break
    else:
        return
    ApiKey.objects.filter(pk=key.pk).update(
        last_denial={
            "at": timezone.now().strftime("%Y-%m-%d %H:%M:%S UTC"),
            "action": request.action,
            "resource": request.resource,
            "message": decision.message,
            "trace": decision.trace,
        }
    )
    raise error_for(protocol.SERVICE, "denied", decision.message)
