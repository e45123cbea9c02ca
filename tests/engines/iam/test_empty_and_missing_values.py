"""Empty values are null (set qualifiers, the Null operator); missing keys and IfExists.

MULTI = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
CONDITION = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
OPS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

import pytest

from studyapp.engines.iam import run
from studyapp.engines.iam.conditions import parse_condition


def holds(block, context):
    ctx = {k.lower(): tuple(v) if isinstance(v, list) else v for k, v in context.items()}
    return parse_condition(block, "Condition", variables=True).evaluate(ctx)


@pytest.mark.parametrize("empty", ["", [""], [], ["", ""]])
def test_for_all_values_is_true_on_an_empty_value(empty):
    # MULTI: ForAllValues "also returns true if there are no keys in the request, or if the
    # key values resolve to a null data set, such as an empty string."
    assert holds({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": empty})
    assert holds({"ForAllValues:StringNotLike": {"aws:TagKeys": "*"}}, {"aws:TagKeys": empty})


@pytest.mark.parametrize("empty", ["", [""], []])
def test_for_any_value_is_false_on_an_empty_value(empty):
    # MULTI: ForAnyValue: "For no matching key or a null dataset, the condition returns false."
    assert not holds({"ForAnyValue:StringLike": {"aws:TagKeys": "*"}}, {"aws:TagKeys": empty})
    assert not holds({"ForAnyValue:StringNotEquals": {"aws:TagKeys": "a"}}, {"aws:TagKeys": empty})


def test_null_true_matches_a_key_with_an_empty_value():
    # CONDITION: "it is possible to include an empty string. In this case, the value in the
    # request context is null." OPS, Null: "true (the key doesn't exist — it is null) or false
    # (the key exists and its value is not null)".
    assert holds({"Null": {"aws:RequestTag/team": "true"}}, {"aws:RequestTag/team": ""})
    assert not holds({"Null": {"aws:RequestTag/team": "false"}}, {"aws:RequestTag/team": ""})
    assert holds({"Null": {"aws:TagKeys": "true"}}, {"aws:TagKeys": [""]})


def test_null_false_needs_a_real_value():
    assert holds({"Null": {"aws:RequestTag/team": "false"}}, {"aws:RequestTag/team": "red"})
    assert not holds({"Null": {"aws:TagKeys": "true"}}, {"aws:TagKeys": ["", "a"]})


def test_a_plain_operator_still_compares_an_empty_string():
    # The S3 console's listing asks with s3:prefix "" (the bucket's root); the IAM guide's
    # home-folder example allows it with "s3:prefix": ["", "home/"].
    assert holds({"StringEquals": {"s3:prefix": ["", "home/"]}}, {"s3:prefix": ""})


def test_an_allow_with_for_all_values_applies_to_an_empty_tag_list():
    allow = {
        "Effect": "Allow",
        "Action": "ec2:CreateTags",
        "Resource": "*",
        "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["project", "owner"]}},
    }
    doc = {
        "principal": "arn:aws:iam::111122223333:user/alice",
        "identity_policies": [{"Version": "2012-10-17", "Statement": [allow]}],
        "request": {"action": "ec2:CreateTags", "resource": "*", "context": {"aws:TagKeys": ""}},
    }
    result = run(doc)
    assert result.decision == "Allow"
    assert result.warnings[0]["code"] == "forallvalues-allow"


def test_a_deny_with_a_negated_if_exists_operator_denies_when_the_key_is_missing():
    # OPS, IfExists: "If you are using an "Effect": "Deny" element with a negated condition
    # operator like StringNotEqualsIfExists, the request is still denied even if the tag is
    # missing."
    deny = {
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"StringNotEqualsIfExists": {"aws:ResourceTag/team": "red"}},
    }
    allow = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    doc = {
        "principal": "arn:aws:iam::111122223333:user/alice",
        "identity_policies": [{"Version": "2012-10-17", "Statement": [allow, deny]}],
        "request": {"action": "ec2:StartInstances", "resource": "*"},
    }
    assert run(doc).decision == "ExplicitDeny"
