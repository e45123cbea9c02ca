"""What is asked (``Request``) and every policy that applies to it (``PolicySet``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .errors import PolicyError
from .parse import Policy
from .principals import Principal, parse_principal

_ARN_ACCOUNT = re.compile(r"arn:[^:]*:[^:]*:[^:]*:(\d{12}):")
_STRINGS = {str}

ContextValue = str | tuple[str, ...]


def _context_value(value: object, path: str) -> ContextValue | None:
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if value is None:
        return None
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    if kind is list:
        if set(map(type, value)) <= _STRINGS:  # type: ignore[call-overload]
            return tuple(value)  # type: ignore[arg-type]
        return tuple(_scalar(v, f"{path}[{i}]") for i, v in enumerate(value))  # type: ignore[arg-type]
    raise PolicyError("context values are strings, numbers, booleans or lists", path=path)


def _scalar(value: object, path: str) -> str:
    result = _context_value(value, path)
    if type(result) is not str:
        raise PolicyError("a list of context values holds strings, numbers or booleans", path=path)
    return result


class Request:
    """What is asked: who, which action, on which resource, with which context keys.

    ``context`` keys are lowercased (condition keys are case-insensitive). Keys that follow
    from the principal (``aws:PrincipalArn``, ``aws:PrincipalAccount``, ``aws:PrincipalType``,
    ``aws:username`` for IAM users, ``aws:PrincipalIsAWSService``, ``aws:ResourceAccount``)
    are filled in unless the caller gives them.
    """

    __slots__ = ("action", "action_lower", "context", "principal", "resource", "resource_account")

    def __init__(
        self,
        principal: Principal,
        action: str,
        resource: str,
        context: Mapping[str, ContextValue],
        resource_account: str | None,
    ) -> None:
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
        self.resource_account = resource_account
        self.action_lower = action.lower()

    def __repr__(self) -> str:
        return f"Request({self.principal.arn!r}, {self.action!r}, {self.resource!r})"

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
        if type(action) is not str or not action:
            raise PolicyError("action must be a string like 's3:GetObject'", path="request.action")
        if type(resource) is not str or not resource:
            raise PolicyError("resource must be an ARN or '*'", path="request.resource")
        if resource_account is None:
            m = _ARN_ACCOUNT.match(resource)
            resource_account = m[1] if m else who.account
        kind = who.kind
        ctx: dict[str, ContextValue] = {
            "aws:principalarn": who.principal_arn,
            "aws:principaltype": who.type_name,
            "aws:principalisawsservice": "true" if kind == "service" else "false",
        }
        if who.account is not None:
            ctx["aws:principalaccount"] = who.account
        if kind == "user" and who.name is not None:
            ctx["aws:username"] = who.name
        if kind == "service":
            ctx["aws:principalservicename"] = who.arn
        if resource_account is not None:
            ctx["aws:resourceaccount"] = resource_account
        for key, value in (context or {}).items():
            if type(key) is not str:
                raise PolicyError("context keys are strings", path="request.context")
            if type(value) is str:
                ctx[key.lower()] = value
                continue
            normalized = _context_value(value, f"request.context.{key}")
            if normalized is None:
                ctx.pop(key.lower(), None)
            else:
                ctx[key.lower()] = normalized
        return cls(who, action, resource, ctx, resource_account)


class PolicySet:
    """Every policy that applies to a request, by type.

    ``scps`` and ``rcps`` are lists of levels (root, OUs..., account), each a list of the
    policies attached at that level: the SCPs of the caller's account, the RCPs of the
    resource's account. SCPs do not limit AWS service principals ("SCPs affect only IAM users
    and roles that are managed by accounts that are part of the organization").
    """

    __slots__ = ("_all", "boundary", "identity", "rcps", "resource", "scps", "session")

    def __init__(
        self,
        identity: Sequence[Policy] = (),
        resource: Policy | None = None,
        boundary: Policy | None = None,
        session: Policy | None = None,
        scps: Sequence[Sequence[Policy]] = (),
        rcps: Sequence[Sequence[Policy]] = (),
    ) -> None:
        self.identity = identity
        self.resource = resource
        self.boundary = boundary
        self.session = session
        self.scps = scps
        self.rcps = rcps
        everything = [p for level in rcps for p in level]
        everything += [p for level in scps for p in level]
        if resource is not None:
            everything.append(resource)
        everything += identity
        if boundary is not None:
            everything.append(boundary)
        if session is not None:
            everything.append(session)
        self._all = tuple(everything)

    def all(self) -> tuple[Policy, ...]:
        """Every policy: RCPs and SCPs from the root down, the resource-based policy, the
        identity policies, the boundary, the session policy."""
        return self._all


__all__ = ["ContextValue", "PolicySet", "Request"]
