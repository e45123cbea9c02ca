"""Wildcards, ARNs, policy variables and principals."""

from __future__ import annotations

import pytest

from studyapp.engines.iam import PolicyError, parse_principal
from studyapp.engines.iam.match import GlobSet, arn_match, glob_match
from studyapp.engines.iam.principals import ACCOUNT, DIRECT, ROLE, parse_principal_element
from studyapp.engines.iam.variables import resolve, resolve_text, split_variables

RESOURCE_PAGE = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"
)


# Resource wildcards (RESOURCE_PAGE, "Including wildcard characters (*) in resource ARNs")
@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:s3:::DOC-EXAMPLE-BUCKET/1/test/object.jpg",
        "arn:aws:s3:::DOC-EXAMPLE-BUCKET/1/2/test/3/object.jpg",
        "arn:aws:s3:::DOC-EXAMPLE-BUCKET//test/object.jpg",
        "arn:aws:s3:::DOC-EXAMPLE-BUCKET/1/test/",
    ],
)
def test_star_spans_slashes_and_matches_empty(value):
    assert glob_match("arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*", value)


def test_star_pattern_needs_the_literal_parts():
    assert not glob_match(
        "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/test.jpg"
    )


def test_question_mark_matches_exactly_one_character():
    assert glob_match("file?.txt", "file1.txt")
    assert not glob_match("file?.txt", "file10.txt")
    assert not glob_match("file?.txt", "file.txt")


def test_resource_matching_is_case_sensitive():
    assert not glob_match(
        "arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/bob"
    )


def test_regex_characters_in_patterns_are_literal():
    assert glob_match("arn:aws:s3:::a.b+c(d)/[x]", "arn:aws:s3:::a.b+c(d)/[x]")
    assert not glob_match("arn:aws:s3:::a.b", "arn:aws:s3:::aXb")


def test_action_globset_ignores_case():
    actions = GlobSet(["s3:Get*", "iam:ListUsers"], ignore_case=True)
    assert actions.match("s3:getobject", {})
    assert actions.match("iam:listusers", {})
    assert not actions.match("s3:putobject", {})


def test_action_wildcard_in_the_middle():
    actions = GlobSet(["iam:*AccessKey*"], ignore_case=True)
    assert actions.match("iam:createaccesskey", {})
    assert actions.match("iam:listaccesskeys", {})
    assert not actions.match("iam:createuser", {})


def test_star_alone_matches_everything():
    assert GlobSet(["*"]).match("anything at all", {})


def test_empty_globset_matches_nothing():
    assert not GlobSet([]).match("x", {})


# ARN condition operators compare each of the six parts separately.
def test_arn_like_matches_part_by_part():
    assert arn_match("arn:aws:sns:*:123456789012:*", "arn:aws:sns:us-east-1:123456789012:topic")


def test_arn_like_star_does_not_cross_a_colon_before_the_resource_part():
    assert not arn_match("arn:aws:*:123456789012:x", "arn:aws:sns:us-east-1:123456789012:x")


def test_arn_like_resource_part_may_contain_colons():
    assert arn_match(
        "arn:aws:logs:us-east-1:111122223333:*", "arn:aws:logs:us-east-1:111122223333:log-group:g:*"
    )


def test_arn_like_rejects_a_value_that_is_not_an_arn():
    assert not arn_match("arn:aws:s3:::bucket", "bucket")
    assert not arn_match("*", "arn:aws:s3:::bucket")


# Policy variables (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
def test_variable_is_replaced_with_the_context_value():
    parts = split_variables("arn:aws:s3:::bucket/${aws:username}/*")
    assert resolve_text(parts, {"aws:username": "david"}) == "arn:aws:s3:::bucket/david/*"


def test_variable_key_names_are_case_insensitive():
    parts = split_variables("home/${AWS:UserName}/")
    assert resolve_text(parts, {"aws:username": "ana"}) == "home/ana/"


def test_variable_default_used_when_key_missing():
    parts = split_variables("team-${aws:PrincipalTag/team, 'company-wide'}")
    assert resolve_text(parts, {}) == "team-company-wide"
    assert resolve_text(parts, {"aws:principaltag/team": "red"}) == "team-red"


def test_default_with_doubled_quote_is_one_quote():
    parts = split_variables("${aws:username, 'it''s'}")
    assert resolve_text(parts, {}) == "it's"


def test_missing_variable_without_default_cannot_be_resolved():
    assert resolve(split_variables("${aws:username}"), {}) is None


def test_multivalued_key_cannot_be_a_variable():
    assert resolve(split_variables("${aws:TagKeys}"), {"aws:tagkeys": ("a", "b")}) is None


def test_special_character_escapes_are_literal():
    pieces = resolve(split_variables("a${*}b${?}c${$}d"), {})
    assert pieces == (
        ("a", False),
        ("*", True),
        ("b", False),
        ("?", True),
        ("c", False),
        ("$", True),
        ("d", False),
    )


def test_escaped_star_matches_only_a_literal_star():
    resources = GlobSet(["arn:aws:s3:::bucket/${*}"], variables=True)
    assert resources.match("arn:aws:s3:::bucket/*", {})
    assert not resources.match("arn:aws:s3:::bucket/anything", {})


def test_substituted_value_is_literal_not_a_wildcard():
    resources = GlobSet(["arn:aws:s3:::bucket/${aws:username}/x"], variables=True)
    assert not resources.match("arn:aws:s3:::bucket/bob/x", {"aws:username": "*"})
    assert resources.match("arn:aws:s3:::bucket/*/x", {"aws:username": "*"})


def test_substitution_is_a_single_pass():
    parts = split_variables("${aws:username, '${aws:userid}'}")
    assert resolve_text(parts, {"aws:userid": "AID"}) == "${aws:userid}"


def test_unclosed_variable_is_plain_text():
    assert resolve_text(split_variables("a${aws:username"), {}) == "a${aws:username"


# Principals (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
def test_parse_user_principal():
    who = parse_principal("arn:aws:iam::111122223333:user/division/alice")
    assert (who.kind, who.account, who.name) == ("user", "111122223333", "alice")


def test_parse_role_session_principal_and_its_role():
    who = parse_principal("arn:aws:sts::111122223333:assumed-role/AppRole/s1")
    assert who.kind == "role-session"
    assert who.role_arn == "arn:aws:iam::111122223333:role/AppRole"
    assert who.principal_arn == "arn:aws:iam::111122223333:role/AppRole"


def test_parse_service_principal():
    assert parse_principal("sns.amazonaws.com").kind == "service"


def test_parse_principal_rejects_garbage():
    with pytest.raises(PolicyError) as err:
        parse_principal("alice")
    assert err.value.path == "principal"


def test_account_id_and_root_arn_name_the_account():
    alice = parse_principal("arn:aws:iam::111122223333:user/alice")
    for value in ("111122223333", "arn:aws:iam::111122223333:root"):
        assert parse_principal_element({"AWS": value}, "P").grant(alice) == ACCOUNT


def test_user_arn_names_the_user_directly():
    alice = parse_principal("arn:aws:iam::111122223333:user/alice")
    spec = parse_principal_element({"AWS": ["arn:aws:iam::111122223333:user/alice"]}, "P")
    assert spec.grant(alice) == DIRECT


def test_role_arn_names_its_sessions_as_role():
    who = parse_principal("arn:aws:sts::111122223333:assumed-role/AppRole/s1")
    spec = parse_principal_element({"AWS": "arn:aws:iam::111122223333:role/path/AppRole"}, "P")
    assert spec.grant(who) == ROLE


def test_other_account_is_not_named():
    alice = parse_principal("arn:aws:iam::111122223333:user/alice")
    assert parse_principal_element({"AWS": "444455556666"}, "P").grant(alice) is None


def test_wildcard_inside_principal_is_not_a_wildcard():
    alice = parse_principal("arn:aws:iam::111122223333:user/alice")
    spec = parse_principal_element({"AWS": "arn:aws:iam::111122223333:user/*"}, "P")
    assert spec.grant(alice) is None


def test_star_principal_names_everyone():
    alice = parse_principal("arn:aws:iam::111122223333:user/alice")
    assert parse_principal_element("*", "P").grant(alice) == DIRECT
    assert parse_principal_element({"AWS": "*"}, "P").grant(alice) == DIRECT


def test_service_principal_match_is_case_insensitive():
    sns = parse_principal("sns.amazonaws.com")
    assert parse_principal_element({"Service": "SNS.amazonaws.com"}, "P").grant(sns) == DIRECT


def test_not_principal_exempts_a_user_only_with_their_account():
    bob = parse_principal("arn:aws:iam::444455556666:user/Bob")
    user_only = parse_principal_element({"AWS": "arn:aws:iam::444455556666:user/Bob"}, "P")
    both = parse_principal_element(
        {"AWS": ["arn:aws:iam::444455556666:user/Bob", "arn:aws:iam::444455556666:root"]}, "P"
    )
    assert not user_only.lists_fully(bob)
    assert both.lists_fully(bob)


def test_not_principal_exempts_a_role_session_only_with_session_role_and_account():
    who = parse_principal("arn:aws:sts::444455556666:assumed-role/R/s")
    partial = parse_principal_element(
        {"AWS": ["arn:aws:iam::444455556666:role/R", "arn:aws:iam::444455556666:root"]}, "P"
    )
    full = parse_principal_element(
        {
            "AWS": [
                "arn:aws:sts::444455556666:assumed-role/R/s",
                "arn:aws:iam::444455556666:role/R",
                "444455556666",
            ]
        },
        "P",
    )
    assert not partial.lists_fully(who)
    assert full.lists_fully(who)


@pytest.mark.parametrize("bad", [[], "alice", {"Users": "x"}, {"AWS": ""}, {"AWS": [1]}])
def test_principal_element_rejects_bad_shapes(bad):
    with pytest.raises(PolicyError):
        parse_principal_element(bad, "Statement[0].Principal")
