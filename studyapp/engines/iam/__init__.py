"""IAM policy evaluation, as the IAM User Guide documents it (standard library only).

Use::

    from studyapp.engines.iam import parse_policy, Request, PolicySet, evaluate, run

    policy = parse_policy(text_or_dict, kind="identity")       # PolicyError on bad input
    request = Request.build("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
                            "arn:aws:s3:::bucket/key", {"aws:SourceIp": "203.0.113.7"})
    result = evaluate(request, PolicySet(identity=[policy]))
    result.to_dict()   # {"decision", "deciding", "trace", "warnings"}
    run(scenario_dict_or_json).to_dict()                      # the command line's format
    run(scenario_text, cache=PolicyCache())   # policies already seen are not parsed again

Policy kinds: identity, resource, boundary, session, scp, rcp.

Result: ``decision`` is "Allow", "ExplicitDeny" or "ImplicitDeny". ``deciding`` lists the
statements that decided it as ``{"policy", "kind", "index", "sid", "effect"}`` (``policy``
is the policy's name: its place in the scenario, like ``identity_policies[0]`` or
``scps[1][0]``): the matching Deny statements for ExplicitDeny, the Allow statements that
passed every gate for Allow, nothing for ImplicitDeny (the last trace step says why).

Trace: the flowchart steps taken, in order, each ``{"step", "outcome", "detail",
"statements"}``. Step ids, in flowchart order:

- ``explicit-deny``: does a Deny statement in any policy apply?
- ``rcp``: do resource control policies apply? They cover only the services AWS lists
  (rcp.py), and RCPFullAWSAccess is attached at every level, so they deny only explicitly.
- ``scp``: do the service control policies allow (every level from the root)?
- ``resource-policy``: does the resource-based policy allow, and how does it name the caller?
- ``identity``: does an identity-based policy allow?
- ``boundary``: does the permissions boundary allow?
- ``session``: does the session policy allow?

Outcomes: ``deny`` (explicit deny, final), ``implicit-deny`` (final), ``allow`` (final Allow
taken at this step), ``pass`` (go on), ``absent`` (no such policy; go on),
``not-applicable`` (the step does not apply to this caller or service; go on). When the last step is
not final, the decision is Allow.
"""

from __future__ import annotations

from .cache import PolicyCache
from .errors import PolicyError, PolicyWarning
from .evaluate import ALLOW, EXPLICIT_DENY, IMPLICIT_DENY, STEPS, Result, evaluate
from .parse import KINDS, Policy, Statement, parse_policy
from .principals import Principal, parse_principal
from .request import PolicySet, Request
from .scenario import Scenario, parse_input, run

__all__ = [
    "ALLOW",
    "EXPLICIT_DENY",
    "IMPLICIT_DENY",
    "KINDS",
    "STEPS",
    "Policy",
    "PolicyCache",
    "PolicyError",
    "PolicySet",
    "PolicyWarning",
    "Principal",
    "Request",
    "Result",
    "Scenario",
    "Statement",
    "evaluate",
    "parse_input",
    "parse_policy",
    "parse_principal",
    "run",
]
