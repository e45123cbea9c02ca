"""The evaluation flowchart: one request against every policy that applies to it.

Sources (IAM User Guide):
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
- https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
- https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import PolicyError
from .parse import Policy, Statement
from .principals import ACCOUNT, DIRECT, ROLE, Principal, parse_principal

ALLOW = "Allow"
EXPLICIT_DENY = "ExplicitDeny"
IMPLICIT_DENY = "ImplicitDeny"

STEPS = ("explicit-deny", "rcp", "scp", "resource-policy", "identity", "boundary", "session")
_STRENGTH = {None: 0, ACCOUNT: 1, ROLE: 2, DIRECT: 3}
_ARN_ACCOUNT = re.compile(r"arn:[^:]*:[^:]*:[^:]*:(\d{12}):")

ContextValue = str | tuple[str, ...]


def _context_value(value: object, path: str) -> ContextValue | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return tuple(_scalar(v, f"{path}[{i}]") for i, v in enumerate(value))
    raise PolicyError("context values are strings, numbers, booleans or lists", path=path)


def _scalar(value: object, path: str) -> str:
    result = _context_value(value, path)
    if not isinstance(result, str):
        raise PolicyError("a list of context values holds strings, numbers or booleans", path=path)
    return result


@dataclass(frozen=True)
class Request:
    """What is asked: who, which action, on which resource, with which context keys.

    ``context`` keys are lowercased (condition keys are case-insensitive). Keys that follow
    from the principal (``aws:PrincipalArn``, ``aws:PrincipalAccount``, ``aws:PrincipalType``,
    ``aws:username`` for IAM users, ``aws:PrincipalIsAWSService``, ``aws:ResourceAccount``)
    are filled in unless the caller gives them.
    """

    principal: Principal
    action: str
    resource: str
    context: Mapping[str, ContextValue]
    resource_account: str | None
    action_lower: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "action_lower", self.action.lower())

    @classmethod
    def build(
        cls,
        principal: str | Principal,
        action: str,
        resource: str,
        context: Mapping[str, object] | None = None,
        resource_account: str | None = None,
    ) -> Request:
        who = principal if isinstance(principal, Principal) else parse_principal(principal)
        if not isinstance(action, str) or not action:
            raise PolicyError("action must be a string like 's3:GetObject'", path="request.action")
        if not isinstance(resource, str) or not resource:
            raise PolicyError("resource must be an ARN or '*'", path="request.resource")
        if resource_account is None:
            m = _ARN_ACCOUNT.match(resource)
            resource_account = m[1] if m else who.account
        ctx: dict[str, ContextValue] = {}
        derived: dict[str, str | None] = {
            "aws:principalarn": who.principal_arn,
            "aws:principalaccount": who.account,
            "aws:principaltype": who.type_name,
            "aws:username": who.name if who.kind == "user" else None,
            "aws:principalisawsservice": "true" if who.kind == "service" else "false",
            "aws:principalservicename": who.arn if who.kind == "service" else None,
            "aws:resourceaccount": resource_account,
        }
        for key, value in derived.items():
            if value is not None:
                ctx[key] = value
        for key, value in (context or {}).items():
            if not isinstance(key, str):
                raise PolicyError("context keys are strings", path="request.context")
            normalized = _context_value(value, f"request.context.{key}")
            if normalized is None:
                ctx.pop(key.lower(), None)
            else:
                ctx[key.lower()] = normalized
        return cls(who, action, resource, ctx, resource_account)


@dataclass(frozen=True)
class PolicySet:
    """Every policy that applies to a request, by type.

    ``scps`` and ``rcps`` are lists of levels (root, OUs..., account), each a list of the
    policies attached at that level: the SCPs of the caller's account, the RCPs of the
    resource's account. SCPs do not limit AWS service principals ("SCPs affect only IAM users
    and roles that are managed by accounts that are part of the organization").
    """

    identity: Sequence[Policy] = ()
    resource: Policy | None = None
    boundary: Policy | None = None
    session: Policy | None = None
    scps: Sequence[Sequence[Policy]] = ()
    rcps: Sequence[Sequence[Policy]] = ()

    def all(self) -> Iterable[Policy]:
        for level in self.rcps:
            yield from level
        for level in self.scps:
            yield from level
        if self.resource is not None:
            yield self.resource
        yield from self.identity
        if self.boundary is not None:
            yield self.boundary
        if self.session is not None:
            yield self.session


def _ref(policy: Policy, stmt: Statement) -> dict[str, Any]:
    return {
        "policy": policy.name,
        "kind": policy.kind,
        "index": stmt.index,
        "sid": stmt.sid,
        "effect": stmt.effect,
    }


@dataclass
class Result:
    """The decision, the statements that decided it, and the flowchart steps taken."""

    decision: str
    deciding: list[dict[str, Any]]
    trace: list[dict[str, Any]]
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOW

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "deciding": self.deciding,
            "trace": self.trace,
            "warnings": self.warnings,
        }


@dataclass
class _Matches:
    denies: list[tuple[Policy, Statement]] = field(default_factory=list)
    allows: list[tuple[Policy, Statement, str]] = field(default_factory=list)


def _scan(policy: Policy, request: Request, has_boundary: bool, out: _Matches) -> None:
    """Find the statements of ``policy`` that apply to ``request``."""
    ctx = request.context
    who = request.principal
    names_principal = policy.kind in ("resource", "rcp")
    for stmt in policy.for_action(request.action_lower):
        if not stmt.matches_resource(request.resource, ctx):
            continue
        grant = DIRECT
        if names_principal and stmt.principal is not None:
            if not stmt.not_principal:
                grant = stmt.principal.grant(who)
                if grant is None:
                    continue
            elif stmt.effect == "Deny":
                # "The NotPrincipal element with a Deny effect will always deny any IAM
                # principal that has a permissions boundary policy attached" (boundaries page).
                exempt = stmt.principal.lists_fully(who) and not (
                    has_boundary and policy.kind == "resource"
                )
                if exempt:
                    continue
            elif stmt.principal.grant(who) is not None:
                continue
        if stmt.condition is not None and not stmt.condition.evaluate(ctx):
            continue
        if stmt.effect == "Deny":
            out.denies.append((policy, stmt))
        else:
            out.allows.append((policy, stmt, grant))


def _step(step: str, outcome: str, detail: str, refs: list[dict[str, Any]] | None = None):
    return {"step": step, "outcome": outcome, "detail": detail, "statements": refs or []}


def _levels(
    name: str, levels: Sequence[Sequence[Policy]], found: Mapping[int, _Matches]
) -> tuple[bool, str, list[dict[str, Any]]]:
    refs: list[dict[str, Any]] = []
    for depth, level in enumerate(levels):
        level_refs = [_ref(p, s) for p in level for (_p, s, _g) in found[id(p)].allows]
        if not level_refs:
            where = "root" if depth == 0 else f"level {depth}"
            return False, f"no {name} attached at {where} allows the request", refs
        refs.extend(level_refs)
    return True, f"{name}s at every level, from the root down, allow the request", refs


def evaluate(request: Request, policies: PolicySet) -> Result:
    """Decide ``request`` as AWS does. See the package docstring for the trace steps."""
    who = request.principal
    service = who.kind == "service"
    has_boundary = policies.boundary is not None
    found: dict[int, _Matches] = {}
    for policy in policies.all():
        if service and policy.kind in ("scp", "identity", "boundary", "session"):
            continue  # a service principal has no identity policies and no SCPs
        m = found[id(policy)] = _Matches()
        _scan(policy, request, has_boundary, m)

    trace: list[dict[str, Any]] = []
    denies = [_ref(p, s) for m in found.values() for (p, s) in m.denies]
    if denies:
        trace.append(_step("explicit-deny", "deny", "a Deny statement applies", denies))
        return Result(EXPLICIT_DENY, denies, trace)
    trace.append(_step("explicit-deny", "pass", "no Deny statement applies"))

    def stop(step: str, detail: str) -> Result:
        trace.append(_step(step, "implicit-deny", detail))
        return Result(IMPLICIT_DENY, [], trace)

    deciding: list[dict[str, Any]] = []

    if policies.rcps:
        ok, detail, refs = _levels("RCP", policies.rcps, found)
        if not ok:
            return stop("rcp", detail)
        trace.append(_step("rcp", "pass", detail, refs))
        deciding.extend(refs)
    else:
        trace.append(_step("rcp", "absent", "no RCPs apply"))

    if service:
        trace.append(_step("scp", "not-applicable", "SCPs do not limit AWS service principals"))
    elif policies.scps:
        ok, detail, refs = _levels("SCP", policies.scps, found)
        if not ok:
            return stop("scp", detail)
        trace.append(_step("scp", "pass", detail, refs))
        deciding.extend(refs)
    else:
        trace.append(_step("scp", "absent", "no SCPs apply"))

    rp = policies.resource
    rp_allows = found[id(rp)].allows if rp is not None else []
    best = max((g for (_p, _s, g) in rp_allows), key=_STRENGTH.__getitem__, default=None)
    rp_refs = [_ref(p, s) for (p, s, _g) in rp_allows]
    same_account = not service and who.account == request.resource_account
    role_grant = False
    if same_account:
        if best == DIRECT:
            trace.append(
                _step(
                    "resource-policy",
                    "allow",
                    "the resource-based policy names the caller: within one account that is "
                    "enough, whatever the identity policies, boundary or session policy say",
                    rp_refs,
                )
            )
            return Result(ALLOW, deciding + rp_refs, trace)
        if best == ROLE:
            role_grant = True
            trace.append(
                _step(
                    "resource-policy",
                    "pass",
                    "the resource-based policy names the role: no identity-based Allow is "
                    "needed, but the permissions boundary and session policy still limit it",
                    rp_refs,
                )
            )
            deciding.extend(rp_refs)
        elif rp is None:
            trace.append(_step("resource-policy", "absent", "no resource-based policy"))
        else:
            detail = (
                "the resource-based policy names only the account: identity policies decide"
                if best == ACCOUNT
                else "the resource-based policy does not allow the request"
            )
            trace.append(_step("resource-policy", "pass", detail, rp_refs))
    else:
        if best is None:
            kind = "service principal" if service else "cross-account request"
            return stop(
                "resource-policy",
                f"a {kind} needs a resource-based policy that allows it",
            )
        deciding.extend(rp_refs)
        if service:
            trace.append(
                _step(
                    "resource-policy",
                    "allow",
                    "the resource-based policy allows the service",
                    rp_refs,
                )
            )
            return Result(ALLOW, deciding, trace)
        trace.append(
            _step(
                "resource-policy",
                "pass",
                "cross-account: the resource-based policy allows; the caller's own account "
                "must allow too",
                rp_refs,
            )
        )

    if who.kind == "root":
        trace.append(_step("identity", "pass", "the account root user has full access"))
    elif role_grant:
        trace.append(
            _step(
                "identity", "not-applicable", "not needed: the resource-based policy names the role"
            )
        )
    else:
        refs = [_ref(p, s) for pol in policies.identity for (p, s, _g) in found[id(pol)].allows]
        if not refs:
            return stop("identity", "no identity-based policy allows the request")
        trace.append(_step("identity", "pass", "an identity-based policy allows the request", refs))
        deciding.extend(refs)

    for step, policy, label in (
        ("boundary", policies.boundary, "permissions boundary"),
        ("session", policies.session, "session policy"),
    ):
        if policy is None:
            trace.append(_step(step, "absent", f"no {label}"))
            continue
        refs = [_ref(p, s) for (p, s, _g) in found[id(policy)].allows]
        if not refs:
            return stop(step, f"the {label} does not allow the request")
        trace.append(_step(step, "pass", f"the {label} allows the request", refs))
        deciding.extend(refs)
    return Result(ALLOW, deciding, trace)
