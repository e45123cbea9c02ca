"""IAM: a set of policies (identity, resource, boundary, SCP, session) and one request.

The question asks for the decision (Allow, explicit deny, implicit deny) and what decides
it. The engine decides; each distractor is the engine's decision with one misconception
applied to the policies: an Allow thought to beat a Deny, a boundary thought to grant,
SCPs or the session policy forgotten, conditions ignored, a cross-account call treated as
same-account, the resource policy forgotten.
"""

from __future__ import annotations

import json
import random
import re

from studyapp.engines import iam

from .base import Generated, Retry, and_list, pick_options, run_attempts

KIND = "iam"
TASK = "2.1"  # the exam guide task statement its questions practise
HOME = "111122223333"
OTHER = "444455556666"
SOURCES = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
)

SERVICES = {
    "s3": {
        "actions": ["GetObject", "PutObject", "DeleteObject"],
        "names": ["reports", "invoices", "media-assets"],
        "prefixes": ["2024/", "drafts/", "public/"],
        "resource_policy": "bucket policy",
    },
    "sqs": {
        "actions": ["SendMessage", "ReceiveMessage", "DeleteMessage"],
        "names": ["orders", "payments", "audit-events"],
        "resource_policy": "queue policy",
    },
    "dynamodb": {
        "actions": ["GetItem", "PutItem", "DeleteItem"],
        "names": ["Orders", "Customers", "Sessions"],
        "resource_policy": None,
    },
}
NETWORKS = {"office": "203.0.113.0/24", "vpn": "198.51.100.0/24"}
ADDRESSES = {"office": "203.0.113.7", "vpn": "198.51.100.20", "cafe": "192.0.2.44"}

POLICY_LABELS = {
    "identity": "identity-based policy",
    "resource": "resource-based policy",
    "boundary": "permissions boundary",
    "session": "session policy",
    "scp": "SCP",
}
STOP_PHRASES = {
    "scp": "the SCPs do not allow it",
    "resource-policy": "no resource-based policy allows this cross-account call",
    "identity": "no identity-based policy allows it",
    "boundary": "the permissions boundary does not allow it",
    "session": "the session policy does not allow it",
}
STEP_TITLES = {
    "explicit-deny": "Explicit deny",
    "rcp": "Resource control policies",
    "scp": "Service control policies",
    "resource-policy": "Resource-based policy",
    "identity": "Identity-based policies",
    "boundary": "Permissions boundary",
    "session": "Session policy",
}


def _arn(service: str, name: str, account: str, region: str, rng: random.Random) -> str:
    if service == "s3":
        prefix = rng.choice(SERVICES["s3"]["prefixes"])
        return f"arn:aws:s3:::{name}/{prefix}{rng.choice(['q1.csv', 'logo.png', 'notes.txt'])}"
    return _resource_pattern(service, name, account, region)


def _resource_pattern(service: str, name: str, account: str, region: str) -> str:
    if service == "s3":
        return f"arn:aws:s3:::{name}/*"
    if service == "sqs":
        return f"arn:aws:sqs:{region}:{account}:{name}"
    return f"arn:aws:dynamodb:{region}:{account}:table/{name}"


def _verb(action_name: str) -> str:
    """The first word of an action name: GetObject -> Get, ReceiveMessage -> Receive."""
    return re.match(r"[A-Z][a-z]+", action_name)[0]


class Draw:
    """One random scenario: the request, then statements that may or may not cover it."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.service = rng.choice(sorted(SERVICES))
        spec = SERVICES[self.service]
        self.spec = spec
        self.action_name = rng.choice(spec["actions"])
        self.action = f"{self.service}:{self.action_name}"
        self.name = rng.choice(spec["names"])
        self.cross = spec["resource_policy"] is not None and rng.random() < 0.3
        self.caller_account = OTHER if self.cross else HOME
        self.role_session = rng.random() < 0.45
        person = rng.choice(["alice", "bob", "carol", "dan"])
        if self.role_session:
            self.role = rng.choice(["AppRole", "DeployRole", "ReportsRole"])
            self.principal = f"arn:aws:sts::{self.caller_account}:assumed-role/{self.role}/{person}"
            self.role_arn = f"arn:aws:iam::{self.caller_account}:role/{self.role}"
        else:
            self.role = None
            self.principal = f"arn:aws:iam::{self.caller_account}:user/{person}"
            self.role_arn = None
        self.person = person
        self.mfa = rng.random() < 0.5
        self.place = rng.choice(sorted(ADDRESSES))
        self.region = rng.choice(["us-east-1", "eu-west-1"])
        self.resource = _arn(self.service, self.name, HOME, self.region, rng)
        self.sids: set[str] = set()

    # Statement parts that match the request, or miss it -----------------------------------

    def action_element(self, match: bool) -> str | list[str]:
        rng, verb = self.rng, _verb(self.action_name)
        if match:
            options: list[str | list[str]] = [
                self.action,
                f"{self.service}:*",
                f"{self.service}:{verb}*",
                sorted({self.action, f"{self.service}:{rng.choice(self.spec['actions'])}"}),
            ]
            return rng.choice(options)
        others = [a for a in self.spec["actions"] if _verb(a) != verb]
        other_service = rng.choice([s for s in SERVICES if s != self.service])
        return rng.choice(
            [
                f"{self.service}:{rng.choice(others)}",
                f"{other_service}:*",
                f"{self.service}:{_verb(rng.choice(others))}*",
            ]
        )

    def resource_element(self, match: bool) -> str:
        if match:
            return self.rng.choice(
                ["*", _resource_pattern(self.service, self.name, HOME, self.region), self.resource]
            )
        other = self.rng.choice([n for n in self.spec["names"] if n != self.name])
        return _resource_pattern(self.service, other, HOME, self.region)

    def condition(self, holds: bool) -> tuple[dict, str]:
        """A condition that holds (or not) for this request, and a word for the Sid."""
        rng = self.rng
        kind = rng.choice(["mfa", "ip", "region"])
        if kind == "mfa":
            value = self.mfa if holds else not self.mfa
            operator = rng.choice(["Bool", "BoolIfExists"])
            word = "WithMfa" if value else "WithoutMfa"
            return {operator: {"aws:MultiFactorAuthPresent": str(value).lower()}}, word
        if kind == "ip":
            network = rng.choice(sorted(NETWORKS))
            inside = self.place == network
            operator = "IpAddress" if inside == holds else "NotIpAddress"
            word = ("From" if operator == "IpAddress" else "Outside") + network.capitalize()
            return {operator: {"aws:SourceIp": NETWORKS[network]}}, word
        region = rng.choice(["us-east-1", "eu-west-1"])
        same = region == self.region
        operator = "StringEquals" if same == holds else "StringNotEquals"
        word = ("In" if operator == "StringEquals" else "Outside") + (
            "Us" if region == "us-east-1" else "Eu"
        )
        return {operator: {"aws:RequestedRegion": region}}, word

    def statement(self, effect: str, covers: bool, *, principal: dict | None = None) -> dict:
        """A statement that covers the request (its action, resource and condition match)
        or that misses it in one of those three ways."""
        rng = self.rng
        miss = None if covers else rng.choice(["action", "resource", "condition"])
        action = self.action_element(miss != "action")
        resource = self.resource_element(miss != "resource")
        statement: dict = {"Sid": "", "Effect": effect}
        if principal is not None:
            statement["Principal"] = principal
        statement["Action"] = action
        statement["Resource"] = resource
        word = ""
        if miss == "condition" or rng.random() < 0.35:
            statement["Condition"], word = self.condition(miss != "condition")
        statement["Sid"] = self.sid(effect, action, resource, word)
        return statement

    def sid(self, effect: str, action, resource: str, word: str) -> str:
        if isinstance(action, list):
            verb = "Some"
        elif action.endswith(":*") or action == "*":
            verb = "All"
        else:
            verb = action.split(":")[1].rstrip("*")
        if resource == "*":
            target = "Any"
        else:
            name = resource.split(":::")[-1].split("/")[0] if ":::" in resource else resource
            name = name.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
            target = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name))
        base = f"{effect}{verb}{target}{word}"
        name, n = base, 2
        while name in self.sids:
            name, n = f"{base}{n}", n + 1
        self.sids.add(name)
        return name


def _policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def build(rng: random.Random) -> dict:
    """A random scenario in the engine's scenario format (see studyapp.engines.iam.run)."""
    d = Draw(rng)
    identity = [
        d.statement("Allow", rng.random() < 0.75),
        *(
            [d.statement(rng.choice(["Allow", "Deny"]), rng.random() < 0.4)]
            if rng.random() < 0.6
            else []
        ),
    ]
    scenario: dict = {
        "principal": d.principal,
        "identity_policies": [_policy(*identity)],
        "request": {
            "action": d.action,
            "resource": d.resource,
            "context": {
                "aws:MultiFactorAuthPresent": d.mfa,
                "aws:SourceIp": ADDRESSES[d.place],
                "aws:RequestedRegion": d.region,
            },
        },
    }
    if d.spec["resource_policy"] and (d.cross or rng.random() < 0.35):
        who = rng.choice(
            [f"arn:aws:iam::{d.caller_account}:root", d.role_arn or d.principal, d.principal]
        )
        statements = [d.statement("Allow", rng.random() < 0.7, principal={"AWS": who})]
        if rng.random() < 0.3:
            statements.append(d.statement("Deny", rng.random() < 0.5, principal={"AWS": "*"}))
        scenario["resource_policy"] = _policy(*statements)
        scenario["resource_account"] = HOME
    if rng.random() < 0.4:
        scenario["boundary"] = _policy(d.statement("Allow", rng.random() < 0.6))
    if d.role_session and rng.random() < 0.5:
        scenario["session_policy"] = _policy(d.statement("Allow", rng.random() < 0.65))
    if rng.random() < 0.35:
        full = {"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}
        d.sids.add("FullAWSAccess")
        account_level = d.statement(rng.choice(["Allow", "Deny"]), rng.random() < 0.5)
        if account_level["Effect"] == "Deny":
            account_level = [full, account_level]
        else:
            account_level = [account_level]
        scenario["scps"] = [[_policy(full)], [_policy(*account_level)]]
    scenario["_meta"] = {
        "service": d.service,
        "cross": d.cross,
        "role": d.role,
        "person": d.person,
        "place": d.place,
    }
    return scenario


def _engine_input(scenario: dict) -> dict:
    return {key: value for key, value in scenario.items() if not key.startswith("_")}


def evaluate(scenario: dict) -> iam.Result:
    return iam.run(_engine_input(scenario))


def _who(ref: dict) -> str:
    return f"`{ref['sid']}` ({POLICY_LABELS[ref['kind']]})"


def describe(result: iam.Result) -> str:
    """The answer as an option reads: the decision and what decides it."""
    if result.decision == iam.EXPLICIT_DENY:
        return f"Explicit deny, by {and_list([_who(ref) for ref in result.deciding])}"
    if result.decision == iam.IMPLICIT_DENY:
        return f"Implicit deny: {STOP_PHRASES[result.trace[-1]['step']]}"
    granting = [r for r in result.deciding if r["kind"] in ("identity", "resource")]
    granting = granting or result.deciding
    return f"Allow, granted by {and_list([_who(ref) for ref in granting])}"


def solve(scenario: dict) -> str:
    return describe(evaluate(scenario))


# Misconceptions: each changes the policies the way the misconception reads them -------------


def _copy(scenario: dict) -> dict:
    return json.loads(json.dumps(scenario))  # plain JSON data: faster than deepcopy


def _drop_denies(scenario: dict) -> dict | None:
    changed = _copy(scenario)
    found = False
    for policy in _all_policies(changed):
        kept = [s for s in policy["Statement"] if s["Effect"] != "Deny"]
        found |= len(kept) != len(policy["Statement"])
        policy["Statement"] = kept
    return changed if found else None


def _boundary_grants(scenario: dict) -> dict | None:
    if "boundary" not in scenario:
        return None
    changed = _copy(scenario)
    changed["identity_policies"].append(changed.pop("boundary"))
    return changed


def _without(key: str):
    def transform(scenario: dict) -> dict | None:
        if key not in scenario:
            return None
        changed = _copy(scenario)
        del changed[key]
        if key == "resource_policy":
            changed.pop("resource_account", None)
        return changed

    return transform


def _no_conditions(scenario: dict) -> dict | None:
    changed = _copy(scenario)
    found = False
    for policy in _all_policies(changed):
        for statement in policy["Statement"]:
            found |= statement.pop("Condition", None) is not None
    return changed if found else None


def _same_account(scenario: dict) -> dict | None:
    if not scenario["_meta"]["cross"]:
        return None
    changed = _copy(scenario)
    changed["resource_account"] = OTHER
    return changed


def _all_policies(scenario: dict):
    yield from scenario["identity_policies"]
    for key in ("resource_policy", "boundary", "session_policy"):
        if key in scenario:
            yield scenario[key]
    for level in scenario.get("scps", []):
        yield from level


MISCONCEPTIONS = [
    (
        "allow-beats-deny",
        _drop_denies,
        "This reads the Allow as winning over the Deny. An explicit Deny in any policy "
        "overrides every Allow.",
    ),
    (
        "boundary-grants",
        _boundary_grants,
        "This treats the permissions boundary as granting access. A boundary only limits: "
        "an identity-based policy must allow the action too.",
    ),
    (
        "boundary-forgotten",
        _without("boundary"),
        "This forgets the permissions boundary: the action must be allowed by both the "
        "identity-based policy and the boundary.",
    ),
    (
        "scp-forgotten",
        _without("scps"),
        "This forgets the SCPs: they limit every IAM user and role of a member account, "
        "and every level from the root down must allow the action.",
    ),
    (
        "session-forgotten",
        _without("session_policy"),
        "This forgets the session policy passed when the role was assumed: the session "
        "gets only what both the role's policies and the session policy allow.",
    ),
    (
        "conditions-ignored",
        _no_conditions,
        "This ignores the Condition elements: a statement applies only when its "
        "conditions hold for the request's context.",
    ),
    (
        "cross-account-as-same",
        _same_account,
        "This treats the call as coming from the bucket's or queue's own account. Across "
        "accounts, the resource-based policy and the caller's identity-based policy must "
        "both allow.",
    ),
    (
        "resource-policy-forgotten",
        _without("resource_policy"),
        "This leaves out the resource-based policy, which takes part in the decision "
        "(within one account it can allow on its own).",
    ),
]


def _statements(scenario: dict):
    for key, kind in (
        ("identity_policies", "identity"),
        ("resource_policy", "resource"),
        ("boundary", "boundary"),
        ("session_policy", "session"),
    ):
        policies = scenario.get(key)
        if policies is None:
            continue
        for policy in policies if isinstance(policies, list) else [policies]:
            for statement in policy["Statement"]:
                yield {"sid": statement["Sid"], "kind": kind, "effect": statement["Effect"]}


def _fillers(scenario: dict, result: iam.Result) -> list[tuple[str, str]]:
    """More plausible answers: statements that look decisive, steps that look like the stop;
    each with the reason the engine's trace gives against it."""
    steps = {step["step"]: step for step in result.trace}
    last = result.trace[-1]
    decision = result.decision
    deciding = {ref["sid"] for ref in result.deciding}
    out = []
    for ref in _statements(scenario):
        sid = ref["sid"]
        if ref["effect"] == "Deny":
            out.append(
                (
                    f"Explicit deny, by {_who(ref)}",
                    f"`{sid}` does not apply to this request: its action, resource or "
                    "condition does not match, so it denies nothing here.",
                )
            )
            continue
        if decision == iam.EXPLICIT_DENY:
            why = "An explicit Deny applies, and no Allow can override it."
        elif decision == iam.IMPLICIT_DENY:
            why = f"The request stops at the {STEP_TITLES[last['step']].lower()} step: {last['detail']}."
        elif ref["kind"] in ("boundary", "session"):
            why = f"`{sid}` is in the {POLICY_LABELS[ref['kind']]}, which only limits what other policies grant."
        elif sid in deciding:
            continue
        else:
            why = f"`{sid}` does not cover this request: its action, resource or condition does not match."
        out.append((f"Allow, granted by {_who(ref)}", why))
    present = {
        "identity": True,
        "boundary": "boundary" in scenario,
        "session": "session_policy" in scenario,
        "scp": "scps" in scenario,
        "resource-policy": scenario["_meta"]["cross"],
    }
    for step, phrase in STOP_PHRASES.items():
        if not present[step]:
            continue
        if decision == iam.EXPLICIT_DENY:
            why = "An explicit Deny applies: it decides before any Allow is looked for."
        elif step in steps:
            why = f"At the {STEP_TITLES[step].lower()} step: {steps[step]['detail']}."
        else:
            why = f"The flowchart never reaches that step: {last['detail']}."
        out.append((f"Implicit deny: {phrase}", why))
    return out


def _facts(scenario: dict) -> str:
    meta, request = scenario["_meta"], scenario["request"]
    context = request["context"]
    if meta["role"]:
        who = (
            f"An application assumed the role `{meta['role']}` in account "
            f"{scenario['principal'].split(':')[4]} (session name `{meta['person']}`)"
        )
    else:
        who = f"The IAM user `{meta['person']}` of account {scenario['principal'].split(':')[4]}"
    where = {
        "office": "from the office network",
        "vpn": "through the VPN",
        "cafe": "from a café's Wi-Fi",
    }[meta["place"]]
    mfa = "signed in with MFA" if context["aws:MultiFactorAuthPresent"] else "without MFA"
    return (
        f"{who} calls `{request['action']}` on `{request['resource']}` in "
        f"{context['aws:RequestedRegion']}, {where} (`aws:SourceIp` "
        f"{context['aws:SourceIp']}), {mfa}."
    )


def _policy_blocks(scenario: dict) -> str:
    blocks = []

    def block(title: str, policy: dict) -> None:
        blocks.append(f"**{title}**\n\n```json\n{json.dumps(policy, indent=2)}\n```")

    for policy in scenario["identity_policies"]:
        block("Identity-based policy", policy)
    if "resource_policy" in scenario:
        service = scenario["_meta"]["service"]
        block(
            f"Resource-based policy ({SERVICES[service]['resource_policy']})",
            scenario["resource_policy"],
        )
    if "boundary" in scenario:
        block("Permissions boundary", scenario["boundary"])
    if "session_policy" in scenario:
        block("Session policy (passed to AssumeRole)", scenario["session_policy"])
    for depth, level in enumerate(scenario.get("scps", [])):
        where = "the organization root" if depth == 0 else "the account"
        for policy in level:
            block(f"SCP attached to {where}", policy)
    return "\n\n".join(blocks)


def _explanation(result: iam.Result, answer: str) -> str:
    lines = ["The evaluation flowchart, step by step:", ""]
    for number, step in enumerate(result.trace, start=1):
        statements = [f"`{ref['sid']}`" for ref in step["statements"]]
        extra = f" ({and_list(statements)})" if statements else ""
        lines.append(f"{number}. {STEP_TITLES[step['step']]}: {step['detail']}{extra}.")
    lines += ["", f"So the answer is: {answer}."]
    return "\n".join(lines)


def draw(rng: random.Random, seed: int) -> Generated:
    target = rng.choice([iam.ALLOW, iam.EXPLICIT_DENY, iam.IMPLICIT_DENY])
    for _ in range(40):
        scenario = build(rng)
        result = evaluate(scenario)
        if result.decision == target:
            break
    else:
        raise Retry
    answer = describe(result)
    candidates = []
    misconceptions = MISCONCEPTIONS[:]
    rng.shuffle(misconceptions)
    for _name, transform, why in misconceptions:
        changed = transform(scenario)
        if changed is not None:
            candidates.append((solve(changed), why))
    fillers = _fillers(scenario, result)
    rng.shuffle(fillers)
    options = pick_options(rng, answer, candidates, fillers)
    stem = (
        f"{_facts(scenario)} The following policies apply to the request.\n\n"
        f"{_policy_blocks(scenario)}\n\n"
        "What does IAM decide, and which statement or policy decides it?"
    )
    return Generated(
        kind=KIND,
        seed=seed,
        shape="decision",
        task=TASK,
        topic="iam-policies",
        difficulty=2 + (len(_engine_input(scenario)) > 4),
        stem=stem,
        options=options,
        explanation=_explanation(result, answer),
        sources=SOURCES,
        scenario=scenario,
        answer=answer,
    )


def generate(seed: int) -> Generated:
    return run_attempts(KIND, seed, lambda rng: draw(rng, seed))
