"""Who makes the request, and how a Principal / NotPrincipal element names them.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html

A resource-based policy can name the caller in three strengths, and they matter in the
flowchart (see evaluate.py):

- ``direct``: the caller's own ARN (IAM user, role-session or federated-user ARN, service
  principal) or ``"*"``;
- ``role``: the ARN of the role whose session is calling;
- ``account``: the caller's account (``123456789012`` or ``arn:aws:iam::123456789012:root``),
  which delegates the decision to the account's identity-based policies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import PolicyError

DIRECT = "direct"
ROLE = "role"
ACCOUNT = "account"
_STRENGTH = {None: 0, ACCOUNT: 1, ROLE: 2, DIRECT: 3}

_ACCOUNT_ID = re.compile(r"\d{12}")
_ARN = re.compile(
    r"arn:(?P<partition>[^:]+):(?P<service>iam|sts)::(?P<account>\d{12}):(?P<rest>.+)"
)
PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
_TYPE_NAMES = {
    "root": "Account",
    "user": "User",
    "role": "AssumedRole",
    "role-session": "AssumedRole",
    "federated-user": "FederatedUser",
    "service": "Service",
}


@dataclass(slots=True)
class Principal:
    """The caller. ``kind`` is root, user, role, role-session, federated-user or service."""

    arn: str
    kind: str
    account: str | None = None
    name: str | None = None
    role_name: str | None = None

    @property
    def role_arn(self) -> str | None:
        if self.role_name is None:
            return None
        return f"arn:aws:iam::{self.account}:role/{self.role_name}"

    @property
    def principal_arn(self) -> str:
        """The value of ``aws:PrincipalArn``: a role session reports its role's ARN."""
        if self.kind == "role-session" and self.role_arn:
            return self.role_arn
        return self.arn

    @property
    def type_name(self) -> str:
        """The value of ``aws:PrincipalType``."""
        return _TYPE_NAMES[self.kind]


def parse_principal(arn: str) -> Principal:
    """Read a caller ARN (or a service principal such as ``sns.amazonaws.com``)."""
    if not isinstance(arn, str) or not arn:
        raise PolicyError("principal must be an ARN string", path="principal")
    if arn.endswith(".amazonaws.com") and not arn.startswith("arn:"):
        return Principal(arn=arn, kind="service", name=arn)
    m = _ARN.fullmatch(arn)
    if not m:
        raise PolicyError(
            f"principal {arn!r} is not an IAM user, role, role-session, federated-user or "
            "root ARN, nor a service principal like 'sns.amazonaws.com'",
            path="principal",
        )
    service, account, rest = m["service"], m["account"], m["rest"]
    if service == "iam" and rest == "root":
        return Principal(arn=arn, kind="root", account=account)
    kind_name, _, tail = rest.partition("/")
    if service == "iam" and kind_name == "user" and tail:
        return Principal(arn=arn, kind="user", account=account, name=tail.rsplit("/", 1)[-1])
    if service == "iam" and kind_name == "role" and tail:
        name = tail.rsplit("/", 1)[-1]
        return Principal(arn=arn, kind="role", account=account, name=name, role_name=name)
    if service == "sts" and kind_name == "assumed-role" and "/" in tail:
        role, _, session = tail.partition("/")
        return Principal(
            arn=arn, kind="role-session", account=account, name=session, role_name=role
        )
    if service == "sts" and kind_name == "federated-user" and tail:
        return Principal(arn=arn, kind="federated-user", account=account, name=tail)
    raise PolicyError(f"principal {arn!r} is not a caller AWS knows", path="principal")


@dataclass(slots=True)
class PrincipalSpec:
    """A parsed Principal or NotPrincipal element."""

    everyone: bool
    entries: tuple[tuple[str, str], ...]  # (type, value)

    def grant(self, who: Principal) -> str | None:
        """The strongest way this element names ``who`` (direct, role, account) or None."""
        if self.everyone:
            return DIRECT
        best: str | None = None
        for kind, value in self.entries:
            found = _entry_grant(kind, value, who)
            if _STRENGTH[found] > _STRENGTH[best]:
                best = found
        return best

    def lists_fully(self, who: Principal) -> bool:
        """For Deny + NotPrincipal: is ``who`` exempt?

        The caller is exempt only if the element names every identity the request carries:
        the account, the role and the session for a role session (the NotPrincipal page asks
        for all of them), the account and the user for a user.
        """
        if self.everyone:
            return True
        needs = [DIRECT]
        if who.kind == "role-session":
            needs.append(ROLE)
        if who.account is not None and who.kind != "root":
            needs.append(ACCOUNT)
        if who.kind == "root":
            needs = [ACCOUNT]
        found = {_entry_grant(kind, value, who) for kind, value in self.entries}
        return all(need in found for need in needs)


def _entry_grant(kind: str, value: str, who: Principal) -> str | None:
    if kind == "AWS":
        if value == "*":
            return DIRECT
        if who.account is not None and (
            value == who.account or value == f"arn:aws:iam::{who.account}:root"
        ):
            return DIRECT if who.kind == "root" else ACCOUNT
        if value == who.arn:
            return ROLE if who.kind == "role" else DIRECT
        if who.role_name is not None:
            m = _ARN.fullmatch(value)
            if (
                m
                and m["service"] == "iam"
                and m["account"] == who.account
                and m["rest"].startswith("role/")
                and m["rest"].rsplit("/", 1)[-1] == who.role_name
            ):
                return ROLE
        return None
    if kind == "Service":
        return DIRECT if who.kind == "service" and value.lower() == who.arn.lower() else None
    return DIRECT if value == who.arn else None


def parse_principal_element(value: object, path: str) -> PrincipalSpec:
    if value == "*":
        return PrincipalSpec(everyone=True, entries=())
    if not isinstance(value, dict) or not value:
        raise PolicyError('must be "*" or an object such as {"AWS": "..."}', path=path)
    entries: list[tuple[str, str]] = []
    everyone = False
    for kind, raw in value.items():
        if kind not in PRINCIPAL_TYPES:
            raise PolicyError(
                f"unknown principal type {kind!r}; use one of {', '.join(PRINCIPAL_TYPES)}",
                path=f"{path}.{kind}",
            )
        items = raw if isinstance(raw, list) else [raw]
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item:
                where = f"{path}.{kind}[{i}]" if isinstance(raw, list) else f"{path}.{kind}"
                raise PolicyError("must be a non-empty string", path=where)
            if kind == "AWS" and item == "*":
                everyone = True
            entries.append((kind, item))
    return PrincipalSpec(everyone=everyone, entries=tuple(entries))
