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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import rcp
from .parse import Policy, Statement
from .principals import ACCOUNT, DIRECT, ROLE
from .request import PolicySet, Request

ALLOW = "Allow"
EXPLICIT_DENY = "ExplicitDeny"
IMPLICIT_DENY = "ImplicitDeny"

STEPS = ("explicit-deny", "rcp", "scp", "resource-policy", "identity", "boundary", "session")
_STRENGTH = {None: 0, ACCOUNT: 1, ROLE: 2, DIRECT: 3}

_PRINCIPAL_KINDS = frozenset({"resource", "rcp"})
_PRINCIPAL_SIDE = frozenset({"scp", "identity", "boundary", "session"})


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


def _scan(
    policy: Policy,
    request: Request,
    has_boundary: bool,
    denies: list[tuple[Policy, Statement]],
) -> list[tuple[Statement, str]]:
    """Append the Deny statements of ``policy`` that apply; return its Allows that apply."""
    ctx = request.context
    resource = request.resource
    allows: list[tuple[Statement, str]] = []
    names_principal = policy.kind in _PRINCIPAL_KINDS
    for stmt in policy.covering(request.action_lower, resource, ctx):
        grant = DIRECT
        if names_principal and stmt.principal is not None:
            who = request.principal
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
            denies.append((policy, stmt))
        else:
            allows.append((stmt, grant))
    return allows


def _step(step: str, outcome: str, detail: str, refs: list[dict[str, Any]] | None = None):
    return {"step": step, "outcome": outcome, "detail": detail, "statements": refs or []}


def _refs(policy: Policy, allows: list[tuple[Statement, str]]) -> list[dict[str, Any]]:
    return [_ref(policy, s) for (s, _g) in allows] if allows else []


def _stop(trace: list[dict[str, Any]], step: str, detail: str) -> Result:
    trace.append(_step(step, "implicit-deny", detail))
    return Result(IMPLICIT_DENY, [], trace)


def _scp_levels(
    levels: Sequence[Sequence[Policy]], found: Mapping[int, list[tuple[Statement, str]]]
) -> tuple[bool, str, list[dict[str, Any]]]:
    refs: list[dict[str, Any]] = []
    for depth, level in enumerate(levels):
        level_refs = [r for p in level for r in _refs(p, found[id(p)])]
        if not level_refs:
            where = "root" if depth == 0 else f"level {depth}"
            return False, f"no SCP attached at {where} allows the request", refs
        refs.extend(level_refs)
    return True, "SCPs at every level, from the root down, allow the request", refs


def evaluate(request: Request, policies: PolicySet) -> Result:
    """Decide ``request`` as AWS does. See the package docstring for the trace steps."""
    who = request.principal
    service = who.kind == "service"
    has_boundary = policies.boundary is not None
    rcps_apply = bool(policies.rcps) and rcp.applies_to(request.action_lower)
    found: dict[int, list[tuple[Statement, str]]] = {}
    deny_matches: list[tuple[Policy, Statement]] = []
    for policy in policies.all():
        kind = policy.kind
        if service and kind in _PRINCIPAL_SIDE:
            continue  # a service principal has no identity policies and no SCPs
        if (kind == "rcp" and not rcps_apply) or id(policy) in found:
            continue  # RCPs limit only the services AWS lists (rcp.py)
        found[id(policy)] = _scan(policy, request, has_boundary, deny_matches)

    if deny_matches:
        denies = [_ref(p, s) for (p, s) in deny_matches]
        trace = [_step("explicit-deny", "deny", "a Deny statement applies", denies)]
        return Result(EXPLICIT_DENY, denies, trace)
    trace = [_step("explicit-deny", "pass", "no Deny statement applies")]
    deciding: list[dict[str, Any]] = []

    if not policies.rcps:
        trace.append(_step("rcp", "absent", "no RCPs apply"))
    elif not rcps_apply:
        service_name = request.action_lower.partition(":")[0]
        trace.append(
            _step(
                "rcp",
                "not-applicable",
                f"RCPs do not limit {service_name}: they apply only to "
                + ", ".join(sorted(rcp.RCP_SERVICES)),
            )
        )
    else:
        # RCPFullAWSAccess sits at every level: RCPs never deny implicitly.
        refs = [r for level in policies.rcps for p in level for r in _refs(p, found[id(p)])]
        trace.append(
            _step(
                "rcp",
                "pass",
                "no RCP denies the request, and RCPFullAWSAccess, attached at every level, "
                "allows it",
                refs,
            )
        )
        deciding.extend(refs)

    if service:
        trace.append(_step("scp", "not-applicable", "SCPs do not limit AWS service principals"))
    elif policies.scps:
        ok, detail, refs = _scp_levels(policies.scps, found)
        if not ok:
            return _stop(trace, "scp", detail)
        trace.append(_step("scp", "pass", detail, refs))
        deciding.extend(refs)
    else:
        trace.append(_step("scp", "absent", "no SCPs apply"))

    rp = policies.resource
    rp_allows = found.get(id(rp), []) if rp is not None else []
    best = None
    for _s, grant in rp_allows:
        if _STRENGTH[grant] > _STRENGTH[best]:
            best = grant
    rp_refs = _refs(rp, rp_allows) if rp is not None else []
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
            return _stop(
                trace,
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
        refs = [r for pol in policies.identity for r in _refs(pol, found[id(pol)])]
        if not refs:
            return _stop(trace, "identity", "no identity-based policy allows the request")
        trace.append(_step("identity", "pass", "an identity-based policy allows the request", refs))
        deciding.extend(refs)

    for step, policy, label in (
        ("boundary", policies.boundary, "permissions boundary"),
        ("session", policies.session, "session policy"),
    ):
        if policy is None:
            trace.append(_step(step, "absent", f"no {label}"))
            continue
        refs = _refs(policy, found[id(policy)])
        if not refs:
            return _stop(trace, step, f"the {label} does not allow the request")
        trace.append(_step(step, "pass", f"the {label} allows the request", refs))
        deciding.extend(refs)
    return Result(ALLOW, deciding, trace)
