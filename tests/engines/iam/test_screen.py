"""The whole-policy screen and the statement-by-statement check agree (validate.py).

A policy's Sid, Effect, Action and Resource elements are first checked all at once, over
joined text; only when that screen finds something to report is each statement checked on
its own. Either way the result must be the same: the same first error with its path, or the
same warnings in the same order and the same parsed Principal and Condition elements.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.engines.iam import PolicyError, parse_policy
from studyapp.engines.iam.validate import check_statements, one_by_one

from .test_properties import JSON_VALUES, RAW_STATEMENTS, statements

SETTINGS = settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
KINDS = st.sampled_from(["identity", "resource", "boundary", "session", "scp", "rcp"])
# Text that trips the joined-text checks: newlines, wildcards, colons, variables.
AWKWARD = st.text(alphabet="*?:${}\n aAs3rn-_.", max_size=16)
ELEMENTS = [
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
    "Bogus",
]


@st.composite
def awkward_statements(draw):
    s = draw(statements(with_principal=draw(st.booleans())))
    if draw(st.integers(0, 2)) == 0:
        s = draw(RAW_STATEMENTS)
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 1, 2]))):
        key = draw(st.sampled_from(ELEMENTS))
        if draw(st.booleans()):
            s.pop(key, None)
        else:
            s[key] = draw(st.one_of(AWKWARD, st.lists(AWKWARD, max_size=3), JSON_VALUES))
    return s


def _checked(check, raws, kind, variables):
    warnings: list = []
    try:
        parsed = check(raws, False, kind, variables, warnings)
    except PolicyError as err:
        return ("error", err.message, err.path)
    if check is check_statements:
        parsed = parsed[0]
    return (
        [w.to_dict() for w in warnings],
        {
            i: (principal, condition and condition.specs)
            for i, (principal, condition) in parsed.items()
        },
    )


@SETTINGS
@given(KINDS, st.lists(awkward_statements(), max_size=5), st.booleans())
def test_the_screen_and_the_one_by_one_check_agree(kind, raws, variables):
    assert _checked(check_statements, raws, kind, variables) == _checked(
        one_by_one, raws, kind, variables
    )


def test_an_action_holding_a_newline_is_still_an_error():
    # The screen reads actions one a line: one holding a newline must not pass as two.
    statement = {"Effect": "Allow", "Action": ["s3:GetObject\ns3:PutObject"], "Resource": "*"}
    with pytest.raises(PolicyError) as err:
        parse_policy({"Version": "2012-10-17", "Statement": [statement]})
    assert err.value.path == "Statement[0].Action[0]"
