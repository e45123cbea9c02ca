"""Properties of the evaluation that hold for any policies (hypothesis).

- statement and policy order never change the decision;
- a matching Deny added to any policy yields ExplicitDeny;
- an Allow added to an identity policy never turns Allow into a deny;
- evaluation never raises on any policy the parser accepts.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.engines.iam import PolicyError, PolicySet, Request, evaluate, parse_policy, run

SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

PRINCIPALS = [
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::444455556666:user/bob",
    "arn:aws:sts::111122223333:assumed-role/AppRole/s1",
    "arn:aws:iam::111122223333:root",
]
ACTIONS = ["s3:GetObject", "s3:PutObject", "ec2:RunInstances", "iam:ListUsers"]
ACTION_PATTERNS = [
    "*",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "s3:PutObject",
    "ec2:*",
    "iam:List*",
    "*:*Object",
    "s3:?etObject",
]
RESOURCES = ["arn:aws:s3:::bucket/a.txt", "arn:aws:s3:::bucket/logs/x", "arn:aws:s3:::other/k", "*"]
RESOURCE_PATTERNS = [
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::*log*",
    "arn:aws:s3:::other/?",
    "arn:aws:s3:::${aws:username}/*",
]
PRINCIPAL_ELEMENTS = [
    "*",
    {"AWS": "111122223333"},
    {"AWS": "arn:aws:iam::444455556666:root"},
    {"AWS": "arn:aws:iam::111122223333:user/alice"},
    {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
    {"AWS": "arn:aws:sts::111122223333:assumed-role/AppRole/s1"},
]
CONDITIONS = [
    {"StringEquals": {"aws:PrincipalTag/team": "red"}},
    {"StringNotEquals": {"aws:PrincipalTag/team": ["red", "blue"]}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    {"NumericLessThan": {"s3:max-keys": "10"}},
    {"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}},
    {"ForAnyValue:StringLike": {"aws:TagKeys": "a*"}},
    {"Null": {"aws:PrincipalTag/team": "false"}},
    {"StringLike": {"s3:prefix": "home/${aws:username}/*"}},
]
CONTEXTS = st.fixed_dictionaries(
    {},
    optional={
        "aws:PrincipalTag/team": st.sampled_from(["red", "blue", "green"]),
        "aws:SecureTransport": st.sampled_from(["true", "false"]),
        "aws:MultiFactorAuthPresent": st.booleans(),
        "aws:SourceIp": st.sampled_from(["203.0.113.7", "198.51.100.1"]),
        "s3:max-keys": st.sampled_from(["5", "50"]),
        "aws:TagKeys": st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
        "s3:prefix": st.sampled_from(["home/alice/x", "home/bob/"]),
    },
)


@st.composite
def statements(draw, with_principal=False):
    s = {"Effect": draw(st.sampled_from(["Allow", "Deny"]))}
    s["NotAction" if draw(st.integers(0, 5)) == 0 else "Action"] = draw(
        st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3)
    )
    s["NotResource" if draw(st.integers(0, 5)) == 0 else "Resource"] = draw(
        st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2)
    )
    if with_principal:
        s["NotPrincipal" if draw(st.integers(0, 6)) == 0 else "Principal"] = draw(
            st.sampled_from(PRINCIPAL_ELEMENTS)
        )
    if draw(st.booleans()):
        s["Condition"] = draw(st.sampled_from(CONDITIONS))
    if draw(st.booleans()):
        s["Sid"] = f"S{draw(st.integers(0, 99))}"
    return s


RCP_FULL_ACCESS = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}


@st.composite
def rcp_statements(draw):
    """What an RCP may hold: Deny statements naming "*", and RCPFullAWSAccess."""
    if draw(st.integers(0, 4)) == 0:
        return dict(RCP_FULL_ACCESS)
    s = draw(statements())
    return {**s, "Effect": "Deny", "Principal": "*"}


RCPS = st.builds(
    lambda stmts: {"Version": "2012-10-17", "Statement": stmts},
    st.lists(rcp_statements(), min_size=1, max_size=3),
)


def policies(with_principal=False):
    return st.builds(
        lambda stmts: {"Version": "2012-10-17", "Statement": stmts},
        st.lists(statements(with_principal), min_size=1, max_size=4),
    )


@st.composite
def scenarios(draw):
    doc = {
        "principal": draw(st.sampled_from(PRINCIPALS)),
        "identity_policies": draw(st.lists(policies(), max_size=3)),
        "request": {
            "action": draw(st.sampled_from(ACTIONS)),
            "resource": draw(st.sampled_from(RESOURCES)),
            "context": draw(CONTEXTS),
        },
        "resource_account": draw(st.sampled_from([None, "111122223333", "444455556666"])),
    }
    if draw(st.booleans()):
        doc["resource_policy"] = draw(policies(with_principal=True))
    for key in ("boundary", "session_policy"):
        if draw(st.integers(0, 2)) == 0:
            doc[key] = draw(policies())
    if draw(st.integers(0, 2)) == 0:
        doc["scps"] = draw(
            st.lists(st.lists(policies(), min_size=1, max_size=2), min_size=1, max_size=3)
        )
    if draw(st.integers(0, 3)) == 0:
        doc["rcps"] = draw(st.lists(st.lists(RCPS, max_size=2), min_size=1, max_size=2))
    return doc


def _reversed(doc):
    out = copy.deepcopy(doc)
    out["identity_policies"].reverse()
    for key in ("resource_policy", "boundary", "session_policy"):
        if out.get(key):
            out[key]["Statement"].reverse()
    for p in out["identity_policies"]:
        p["Statement"].reverse()
    for key in ("scps", "rcps"):
        for level in out.get(key) or []:
            level.reverse()
            for p in level:
                p["Statement"].reverse()
    return out


@SETTINGS
@given(scenarios())
def test_statement_and_policy_order_never_change_the_decision(doc):
    assert run(doc).decision == run(_reversed(doc)).decision


@SETTINGS
@given(
    scenarios(),
    st.sampled_from(["identity", "resource_policy", "boundary", "session_policy", "scps", "rcps"]),
)
def test_a_matching_deny_added_anywhere_yields_explicit_deny(doc, where):
    before = run(doc).decision
    doc = copy.deepcopy(doc)
    blanket = {"Effect": "Deny", "Action": "*", "Resource": "*"}
    if where == "identity":
        if not doc["identity_policies"]:
            doc["identity_policies"].append({"Version": "2012-10-17", "Statement": []})
        doc["identity_policies"][0]["Statement"].append(blanket)
    elif where in ("scps", "rcps"):
        stmt = {**blanket, "Principal": "*"} if where == "rcps" else blanket
        levels = doc.get(where) or [[{"Version": "2012-10-17", "Statement": []}]]
        if not levels[-1]:
            levels[-1].append({"Version": "2012-10-17", "Statement": []})
        levels[-1][0]["Statement"].append(stmt)
        doc[where] = levels
    else:
        stmt = {**blanket, "Principal": "*"} if where == "resource_policy" else blanket
        target = doc.get(where) or {"Version": "2012-10-17", "Statement": []}
        target["Statement"].append(stmt)
        doc[where] = target
    if where == "rcps" and not doc["request"]["action"].startswith("s3:"):
        # RCPs limit only the services AWS lists (test_rcp.py); EC2 and IAM are not listed.
        assert run(doc).decision == before
    else:
        assert run(doc).decision == "ExplicitDeny"


@SETTINGS
@given(scenarios(), statements())
def test_an_identity_allow_never_turns_allow_into_deny(doc, extra):
    before = run(doc).decision
    extra = {**extra, "Effect": "Allow"}
    doc = copy.deepcopy(doc)
    doc["identity_policies"].append({"Version": "2012-10-17", "Statement": [extra]})
    after = run(doc).decision
    if before == "Allow":
        assert after == "Allow"


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=12),
    st.sampled_from(
        ["*", "s3:*", "arn:aws:s3:::b/*", "${aws:username}", "10.0.0.0/8", "2020-01-01", "true"]
    ),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
OPERATOR_NAMES = st.sampled_from(
    [
        "StringEquals",
        "StringNotLike",
        "NumericLessThan",
        "DateGreaterThan",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "ArnLike",
        "Null",
        "ForAllValues:StringLike",
        "ForAnyValue:StringEqualsIfExists",
        "NotIpAddress",
        "Bogus",
    ]
)
RAW_CONDITIONS = st.dictionaries(
    OPERATOR_NAMES,
    st.dictionaries(
        st.sampled_from(["aws:SourceIp", "aws:TagKeys", "k", "aws:CurrentTime"]),
        st.one_of(JSON_SCALARS, st.lists(JSON_SCALARS, max_size=3)),
        min_size=1,
        max_size=2,
    ),
    max_size=2,
)


@st.composite
def raw_statements(draw):
    """Mostly valid statements, some with one element replaced by arbitrary JSON."""
    s = draw(statements(with_principal=True))
    if draw(st.booleans()):
        s["Condition"] = draw(RAW_CONDITIONS)
    if draw(st.integers(0, 3)) == 0:
        key = draw(
            st.sampled_from(["Sid", "Effect", "Action", "Resource", "Principal", "Condition"])
        )
        if draw(st.booleans()):
            s.pop(key, None)
        else:
            s[key] = draw(JSON_VALUES)
    return s


RAW_STATEMENTS = raw_statements()


@SETTINGS
@given(
    st.sampled_from(["identity", "resource", "boundary", "session", "scp", "rcp"]),
    st.fixed_dictionaries(
        {"Statement": st.lists(RAW_STATEMENTS, max_size=3)},
        optional={"Version": st.sampled_from(["2012-10-17", "2008-10-17", "x"])},
    ),
    st.sampled_from([*PRINCIPALS, "sns.amazonaws.com"]),
    st.sampled_from(ACTIONS),
    st.sampled_from(RESOURCES),
    st.dictionaries(
        st.sampled_from(["aws:SourceIp", "aws:TagKeys", "k", "aws:username"]),
        st.one_of(JSON_SCALARS, st.lists(JSON_SCALARS.filter(lambda v: v is not None), max_size=3)),
    ),
)
def test_evaluation_never_raises_on_an_accepted_policy(
    kind, document, principal, action, resource, context
):
    try:
        policy = parse_policy(document, kind)
    except PolicyError:
        return
    request = Request.build(principal, action, resource, context)
    slot = {
        "identity": {"identity": [policy]},
        "resource": {"resource": policy},
        "boundary": {"identity": [policy], "boundary": policy},
        "session": {"session": policy},
        "scp": {"scps": [[policy]]},
        "rcp": {"rcps": [[policy]]},
    }[kind]
    result = evaluate(request, PolicySet(**slot))
    assert result.decision in ("Allow", "ExplicitDeny", "ImplicitDeny")
    result.to_dict()
