"""Condition operators, IfExists, Null, set qualifiers and the AND/OR rules.

Pages:
OPS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
MULTI = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
SETS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
VARIABLES = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
"""

from __future__ import annotations

import pytest

from studyapp.engines.iam import PolicyError
from studyapp.engines.iam.conditions import OPERATORS, parse_condition, split_operator


def holds(block, context=None, *, variables=True):
    ctx = {}
    for key, value in (context or {}).items():
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        ctx[key.lower()] = value
    return parse_condition(block, "Condition", variables=variables).evaluate(ctx)


# --- string operators (OPS, "String condition operators")
def test_string_equals_is_case_sensitive():
    assert holds(
        {"StringEquals": {"aws:PrincipalTag/job": "admin"}}, {"aws:PrincipalTag/job": "admin"}
    )
    assert not holds(
        {"StringEquals": {"aws:PrincipalTag/job": "admin"}}, {"aws:PrincipalTag/job": "Admin"}
    )


def test_string_equals_ignore_case():
    assert holds({"StringEqualsIgnoreCase": {"k": "ADMIN"}}, {"k": "admin"})
    assert not holds({"StringNotEqualsIgnoreCase": {"k": "ADMIN"}}, {"k": "admin"})


def test_string_not_equals_is_true_when_value_matches_none():
    assert holds({"StringNotEquals": {"k": ["a", "b"]}}, {"k": "c"})
    assert not holds({"StringNotEquals": {"k": ["a", "b"]}}, {"k": "b"})


def test_string_like_wildcards():
    assert holds({"StringLike": {"s3:prefix": "home/*"}}, {"s3:prefix": "home/ana/x"})
    assert holds({"StringLike": {"s3:prefix": "fil?"}}, {"s3:prefix": "file"})
    assert not holds({"StringLike": {"s3:prefix": "fil?"}}, {"s3:prefix": "files"})


def test_string_like_empty_value_matches_empty_string():
    assert holds({"StringLike": {"s3:prefix": ["", "home/"]}}, {"s3:prefix": ""})


def test_string_not_like():
    assert holds({"StringNotLike": {"k": "t2.*"}}, {"k": "m5.large"})
    assert not holds({"StringNotLike": {"k": "t2.*"}}, {"k": "t2.micro"})


def test_string_equals_does_not_treat_star_as_wildcard():
    assert not holds({"StringEquals": {"k": "a*"}}, {"k": "abc"})


def test_condition_key_names_are_case_insensitive():
    assert holds({"StringEquals": {"AWS:SOURCEVPC": "vpc-1"}}, {"aws:SourceVpc": "vpc-1"})


# --- missing keys (OPS, the "Important" note at the top)
@pytest.mark.parametrize(
    "op",
    [
        "StringEquals",
        "StringLike",
        "NumericEquals",
        "DateEquals",
        "Bool",
        "IpAddress",
        "ArnLike",
        "BinaryEquals",
    ],
)
def test_missing_key_makes_positive_operator_false(op):
    value = {
        "NumericEquals": "1",
        "DateEquals": "2020-01-01",
        "Bool": "true",
        "IpAddress": "10.0.0.0/8",
        "ArnLike": "arn:aws:s3:::b",
        "BinaryEquals": "QmluYXJ5",
    }.get(op, "x")
    assert not holds({op: {"some:key": value}}, {})


@pytest.mark.parametrize(
    "op,value",
    [
        ("StringNotEquals", "x"),
        ("StringNotLike", "x*"),
        ("NumericNotEquals", "1"),
        ("DateNotEquals", "2020-01-01"),
        ("NotIpAddress", "10.0.0.0/8"),
        ("ArnNotLike", "arn:aws:s3:::b"),
        ("ArnNotEquals", "arn:aws:s3:::b"),
        ("StringNotEqualsIgnoreCase", "x"),
    ],
)
def test_missing_key_makes_negated_operator_true(op, value):
    assert holds({op: {"some:key": value}}, {})


# --- IfExists (OPS, "...IfExists condition operators")
def test_if_exists_is_true_when_key_missing():
    assert holds({"StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*"]}}, {})


def test_if_exists_applies_the_operator_when_key_present():
    assert holds(
        {"StringLikeIfExists": {"ec2:InstanceType": "t2.*"}}, {"ec2:InstanceType": "t2.micro"}
    )
    assert not holds(
        {"StringLikeIfExists": {"ec2:InstanceType": "t2.*"}}, {"ec2:InstanceType": "m5.large"}
    )


def test_bool_if_exists_false_mfa():
    block = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
    assert holds(block, {})
    assert holds(block, {"aws:MultiFactorAuthPresent": "false"})
    assert not holds(block, {"aws:MultiFactorAuthPresent": "true"})


# --- Null (OPS, "Condition operator to check existence of condition keys")
def test_null_true_means_key_absent():
    assert holds({"Null": {"aws:TokenIssueTime": "true"}}, {})
    assert not holds(
        {"Null": {"aws:TokenIssueTime": "true"}}, {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}
    )


def test_null_false_means_key_present():
    assert holds({"Null": {"aws:TokenIssueTime": "false"}}, {"aws:TokenIssueTime": "x"})
    assert not holds({"Null": {"aws:TokenIssueTime": False}}, {})


def test_null_treats_empty_list_as_absent():
    assert holds({"Null": {"aws:TagKeys": "true"}}, {"aws:TagKeys": []})


def test_null_rejects_values_other_than_true_false():
    with pytest.raises(PolicyError) as err:
        parse_condition({"Null": {"k": "yes"}}, "Statement[0].Condition", variables=True)
    assert err.value.path == "Statement[0].Condition.Null.k"


# --- numeric (OPS, "Numeric condition operators")
@pytest.mark.parametrize(
    "op,value,ctx,expected",
    [
        ("NumericEquals", "10", "10", True),
        ("NumericEquals", "10", "10.0", True),
        ("NumericNotEquals", "10", "11", True),
        ("NumericLessThan", "10", "9", True),
        ("NumericLessThan", "10", "10", False),
        ("NumericLessThanEquals", "10", "10", True),
        ("NumericLessThanEquals", "10", "11", False),
        ("NumericGreaterThan", "10", "11", True),
        ("NumericGreaterThan", "10", "10", False),
        ("NumericGreaterThanEquals", "10", "10", True),
        ("NumericGreaterThanEquals", 10, "9", False),
    ],
)
def test_numeric_operators(op, value, ctx, expected):
    assert holds({op: {"s3:max-keys": value}}, {"s3:max-keys": ctx}) is expected


def test_numeric_context_value_that_is_not_a_number_does_not_match():
    assert not holds({"NumericLessThan": {"k": "10"}}, {"k": "ten"})


def test_numeric_policy_value_must_be_a_number():
    with pytest.raises(PolicyError) as err:
        parse_condition({"NumericLessThan": {"k": "ten"}}, "Statement[2].Condition", variables=True)
    assert err.value.path == "Statement[2].Condition.NumericLessThan.k"


# --- dates (OPS, "Date condition operators")
def test_date_operators_compare_iso_dates():
    assert holds(
        {"DateGreaterThan": {"aws:CurrentTime": "2020-04-01T00:00:00Z"}},
        {"aws:CurrentTime": "2020-06-30T00:00:00Z"},
    )
    assert not holds(
        {"DateLessThan": {"aws:CurrentTime": "2020-04-01T00:00:00Z"}},
        {"aws:CurrentTime": "2020-06-30T00:00:00Z"},
    )


def test_date_accepts_epoch_seconds():
    assert holds(
        {"DateEquals": {"aws:EpochTime": "1577836800"}}, {"aws:EpochTime": "2020-01-01T00:00:00Z"}
    )


def test_date_accepts_date_only_and_offsets():
    assert holds({"DateLessThanEquals": {"k": "2020-01-01"}}, {"k": "2020-01-01T00:00:00+00:00"})
    assert holds({"DateEquals": {"k": "2020-01-01T01:00:00+01:00"}}, {"k": "2020-01-01T00:00:00Z"})


def test_date_not_equals():
    assert holds({"DateNotEquals": {"k": "2020-01-01"}}, {"k": "2021-01-01"})


def test_invalid_policy_date_is_an_error():
    with pytest.raises(PolicyError):
        parse_condition({"DateLessThan": {"k": "yesterday"}}, "C", variables=True)


# --- Bool, Binary, IP
def test_bool_compares_true_false():
    assert holds({"Bool": {"aws:SecureTransport": "false"}}, {"aws:SecureTransport": "false"})
    assert holds({"Bool": {"aws:SecureTransport": False}}, {"aws:SecureTransport": False})
    assert not holds({"Bool": {"aws:SecureTransport": "false"}}, {"aws:SecureTransport": "true"})


def test_binary_equals_compares_base64_bytes():
    assert holds(
        {"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
        {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
    )
    assert not holds({"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}, {"key": "b3RoZXI="})


def test_ip_address_cidr_and_single_address():
    assert holds(
        {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}},
        {"aws:SourceIp": "203.0.113.7"},
    )
    assert holds(
        {"IpAddress": {"aws:SourceIp": "2001:DB8:1234:5678::/64"}},
        {"aws:SourceIp": "2001:db8:1234:5678::1"},
    )
    assert holds({"IpAddress": {"aws:SourceIp": "203.0.113.7"}}, {"aws:SourceIp": "203.0.113.7"})
    assert not holds(
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "198.51.100.1"}
    )


def test_not_ip_address():
    assert holds(
        {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "198.51.100.1"}
    )
    assert not holds(
        {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "203.0.113.9"}
    )


def test_ip_context_value_that_is_not_an_address_does_not_match():
    assert not holds({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, {"aws:SourceIp": "vpc"})


def test_bad_cidr_is_an_error():
    with pytest.raises(PolicyError):
        parse_condition({"IpAddress": {"aws:SourceIp": "300.1.1.1/8"}}, "C", variables=True)


# --- ARN operators (OPS, "Amazon Resource Name (ARN) condition operators")
def test_arn_equals_and_like_honour_wildcards():
    topic = "arn:aws:sns:us-east-1:123456789012:my-topic"
    assert holds(
        {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:123456789012:my-topic"}},
        {"aws:SourceArn": topic},
    )
    assert holds(
        {"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:*"}},
        {"aws:SourceArn": topic},
    )
    assert not holds(
        {"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:999999999999:*"}},
        {"aws:SourceArn": topic},
    )


def test_arn_not_like():
    assert holds(
        {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}},
        {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Dev"},
    )
    assert not holds(
        {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}},
        {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Admin"},
    )


# --- AND / OR / NOR (MULTI)
def test_several_operators_are_anded():
    block = {"StringEquals": {"a": "1"}, "Bool": {"b": "true"}}
    assert holds(block, {"a": "1", "b": "true"})
    assert not holds(block, {"a": "1", "b": "false"})


def test_several_keys_in_one_operator_are_anded():
    block = {
        "StringEquals": {"aws:PrincipalTag/department": "finance", "aws:PrincipalTag/role": "audit"}
    }
    assert holds(
        block, {"aws:PrincipalTag/department": "finance", "aws:PrincipalTag/role": "audit"}
    )
    assert not holds(block, {"aws:PrincipalTag/department": "finance"})


def test_values_of_one_key_are_ored():
    assert holds({"StringEquals": {"a": ["1", "2", "3"]}}, {"a": "2"})


def test_negated_operator_values_are_nored():
    assert not holds(
        {"StringNotEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}},
        {"aws:PrincipalAccount": "444455556666"},
    )
    assert holds(
        {"StringNotEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}},
        {"aws:PrincipalAccount": "777788889999"},
    )


# --- set qualifiers (SETS)
def test_for_all_values_true_when_every_value_matches():
    block = {"ForAllValues:StringLike": {"aws:TagKeys": "Created*"}}
    assert holds(block, {"aws:TagKeys": ["CreatedBy", "CreatedAt"]})
    assert not holds(block, {"aws:TagKeys": ["CreatedBy", "Owner"]})


def test_for_all_values_true_when_key_missing_or_empty():
    block = {"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}
    assert holds(block, {})
    assert holds(block, {"aws:TagKeys": []})


def test_for_any_value_true_when_one_value_matches():
    block = {"ForAnyValue:StringEquals": {"dynamodb:Attributes": ["ID", "PostDateTime"]}}
    assert holds(block, {"dynamodb:Attributes": ["UserName", "ID"]})
    assert not holds(block, {"dynamodb:Attributes": ["UserName"]})


def test_for_any_value_false_when_key_missing_or_empty():
    block = {"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}}
    assert not holds(block, {})
    assert not holds(block, {"aws:TagKeys": []})


def test_for_all_values_with_negated_operator_means_every_value_matches_none():
    # The DenyRestrictedTags example on the multivalued context keys examples page.
    block = {"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}
    assert not holds(block, {"aws:TagKeys": ["key1:legal"]})
    assert not holds(block, {"aws:TagKeys": ["key1:hr", "key1:personnel"]})
    assert holds(block, {"aws:TagKeys": ["key2:audit"]})
    assert holds(block, {})


def test_for_any_value_with_negated_operator_means_some_value_matches_none():
    block = {"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a", "b"]}}
    assert holds(block, {"aws:TagKeys": ["a", "z"]})
    assert not holds(block, {"aws:TagKeys": ["a", "b"]})


def test_for_any_value_if_exists_true_when_missing():
    assert holds({"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "a"}}, {})


def test_single_valued_operator_on_list_matches_any_value():
    assert holds({"StringEquals": {"aws:TagKeys": "b"}}, {"aws:TagKeys": ["a", "b"]})


# --- policy variables in conditions
def test_variable_in_string_like_value():
    block = {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}
    assert holds(block, {"aws:username": "ana", "s3:prefix": "home/ana/x"})
    assert not holds(block, {"aws:username": "ana", "s3:prefix": "home/bob/x"})


def test_variable_in_string_equals_against_another_key():
    block = {"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}
    assert holds(block, {"aws:username": "ana", "aws:ResourceTag/owner": "ana"})


def test_a_variable_without_a_value_matches_only_negated_operators():
    # VARIABLES, "Policy variables with no value": "When you use a variable with no value in
    # the condition element of an IAM policy, condition operators like StringEquals or
    # StringLike do not match [...] Inverted condition operators like StringNotEquals or
    # StringNotLike do match against a null value".
    assert not holds({"StringEquals": {"k": "${aws:username}"}}, {"k": "ana"})
    assert not holds({"StringLike": {"k": "${aws:username}*"}}, {"k": "ana"})
    assert holds({"StringNotEquals": {"k": "${aws:username}"}}, {"k": "ana"})
    assert holds({"StringNotLike": {"k": "${aws:username}*"}}, {"k": "ana"})
    assert holds({"ArnNotLike": {"k": "arn:aws:iam::1:user/${aws:username}"}}, {"k": "x"})


def test_a_variable_without_a_value_is_one_value_among_others():
    # The values of one key are ORed: the null one matches nothing, the others still count.
    assert holds({"StringEquals": {"k": ["${aws:username}", "ana"]}}, {"k": "ana"})
    assert not holds({"StringNotEquals": {"k": ["${aws:username}", "ana"]}}, {"k": "ana"})


def test_an_empty_context_value_gives_a_variable_no_value():
    # VARIABLES: "a condition context key that has no value or is not present".
    assert holds(
        {"StringNotEquals": {"k": "${aws:PrincipalTag/team}"}},
        {"k": "", "aws:PrincipalTag/team": ""},
    )
    assert not holds(
        {"StringEquals": {"k": "${aws:PrincipalTag/team}"}}, {"k": "", "aws:PrincipalTag/team": ""}
    )


def test_variables_are_literal_without_version_2012():
    block = {"StringEquals": {"k": "${aws:username}"}}
    assert holds(block, {"k": "${aws:username}", "aws:username": "ana"}, variables=False)


# --- grammar
def test_every_documented_operator_is_known():
    for name in OPERATORS:
        if name == "Null":
            continue
        for full in (name, name + "IfExists", "ForAllValues:" + name, "ForAnyValue:" + name):
            parse_condition(
                {
                    full: {
                        "k": "1"
                        if "Numeric" in name
                        else "2020-01-01"
                        if "Date" in name
                        else "10.0.0.1"
                        if "Ip" in name
                        else "arn:aws:s3:::b"
                        if "Arn" in name
                        else "true"
                    }
                },
                "C",
                variables=True,
            )


def test_split_operator():
    assert split_operator("ForAnyValue:StringLikeIfExists") == ("any", "StringLike", True)
    assert split_operator("Bool") == (None, "Bool", False)


def test_unknown_operator_names_the_path_and_suggests():
    with pytest.raises(PolicyError) as err:
        parse_condition({"stringlike": {"k": "v"}}, "Statement[1].Condition", variables=True)
    assert err.value.path == "Statement[1].Condition.stringlike"
    assert "StringLike" in err.value.message


def test_unknown_qualifier_is_an_error():
    with pytest.raises(PolicyError):
        parse_condition({"ForSomeValues:StringLike": {"k": "v"}}, "C", variables=True)


@pytest.mark.parametrize(
    "bad",
    [
        {"StringLike": "v"},
        {"StringLike": {}},
        {"StringLike": {"k": []}},
        {"StringLike": {"k": {"x": 1}}},
        [],
    ],
)
def test_malformed_condition_blocks_are_errors(bad):
    with pytest.raises(PolicyError):
        parse_condition(bad, "C", variables=True)


def test_null_with_if_exists_is_an_error():
    with pytest.raises(PolicyError):
        parse_condition({"NullIfExists": {"k": "true"}}, "C", variables=True)
