"""IAM decides every SDK call: the key's identity-based policy, evaluated by the IAM engine.

Each key is a simulated IAM user of the learner's account; its principal ARN, the action
name (``sqs:SendMessage``) and the resource ARN are what AWS itself would evaluate. A denial
carries AWS's message (it names the user, the action, the resource and why) and the engine's
trace, which the API access page shows for the key's last denied call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studyapp.engines.iam import PolicyCache, PolicyError, PolicySet, Request, evaluate

ACCOUNT = "000000000000"  # the simulators' account, as in their queue URLs and ARNs
REGION = "us-east-1"
_cache = PolicyCache(maxsize=256)


def principal_arn(username: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:user/{username}"


def policy_problem(text: str) -> str:
    """Why a policy text cannot be used ("" if it can): the engine's parser's message."""
    try:
        _cache.parse(text, "identity", "key policy")
    except PolicyError as error:
        return str(error)
    return ""


@dataclass(frozen=True)
class IamRequest:
    """One evaluation: ``action`` (``sqs:SendMessage``) on ``resource`` (an ARN or ``*``), with
    the service's own condition keys (``dynamodb:EnclosingOperation``)."""

    action: str
    resource: str
    context: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    message: str  # AWS's AccessDenied message, when denied
    trace: list[dict[str, Any]]


def decide(*, username: str, policy: str, request: IamRequest) -> Decision:
    """May this key's user make ``request``?"""
    who = principal_arn(username)
    action, resource = request.action, request.resource
    try:
        parsed = _cache.parse(policy, "identity", "key policy")
    except PolicyError as error:
        return Decision(False, f"The key's policy cannot be read: {error}", [])
    built = Request.build(who, action, resource, request.context)
    result = evaluate(built, PolicySet(identity=[parsed]))
    if result.allowed:
        return Decision(True, "", result.trace)
    why = (
        "with an explicit deny in an identity-based policy"
        if result.decision == "ExplicitDeny"
        else "because no identity-based policy allows the " + action + " action"
    )
    message = f"User: {who} is not authorized to perform: {action} on resource: {resource} {why}"
    return Decision(False, message, result.trace)
