"""Policy variables without a value, and where a variable may stand.

VARIABLES = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
"""

from __future__ import annotations

import pytest

from studyapp.engines.iam import PolicyError, parse_policy, run

ALICE = "arn:aws:iam::111122223333:user/alice"
OBJECT = "arn:aws:s3:::example-bucket/report.csv"


def pol(*statements, version="2012-10-17"):
    return {"Version": version, "Statement": list(statements)}


def team_guarded(context):
    # VARIABLES, "Policy variables with no value", the page's own example policy.
    deny = {
        "Effect": "Deny",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::example-bucket/*",
        "Condition": {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
    }
    allow = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    doc = {
        "principal": ALICE,
        "identity_policies": [pol(allow, deny)],
        "request": {"action": "s3:GetObject", "resource": OBJECT, "context": context},
    }
    return run(doc).decision


def test_a_principal_without_the_tag_is_denied():
    # VARIABLES: "Inverted condition operators like StringNotEquals or StringNotLike do match
    # against a null value [...] Access is specifically denied when aws:principaltag/Team is
    # not set."
    assert team_guarded({"s3:ExistingObjectTag/Team": "red"}) == "ExplicitDeny"
    assert team_guarded({}) == "ExplicitDeny"


def test_a_principal_with_the_same_tag_is_allowed_and_another_denied():
    assert team_guarded({"s3:ExistingObjectTag/Team": "red", "aws:PrincipalTag/Team": "red"}) == (
        "Allow"
    )
    assert team_guarded({"s3:ExistingObjectTag/Team": "red", "aws:PrincipalTag/Team": "blue"}) == (
        "ExplicitDeny"
    )


def test_a_positive_operator_with_a_null_variable_does_not_apply():
    # VARIABLES: "When you use a variable with no value in the condition element of an IAM
    # policy, condition operators like StringEquals or StringLike do not match, and the
    # policy statement does not take effect."
    allow = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {"StringEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
    }
    doc = {
        "principal": ALICE,
        "identity_policies": [pol(allow)],
        "request": {
            "action": "s3:GetObject",
            "resource": OBJECT,
            "context": {"s3:ExistingObjectTag/Team": "red"},
        },
    }
    assert run(doc).decision == "ImplicitDeny"


# --- "You can use a policy variable in the Resource element, but only in the resource portion
# of the ARN. This portion of the ARN appears after the fifth colon (:). You can't use a
# variable to replace parts of the ARN before the fifth colon, such as the service or
# account." (VARIABLES, "Resource element")
@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:iam::${aws:PrincipalAccount}:user/x",
        "arn:aws:${aws:username}:::bucket",
        "arn:aws:sqs:${aws:RequestedRegion}:111122223333:queue",
        "arn:${aws:PrincipalTag/partition}:s3:::bucket",
        "${aws:username}",
    ],
)
def test_a_variable_before_the_fifth_colon_is_an_error(resource):
    with pytest.raises(PolicyError) as err:
        parse_policy(pol({"Effect": "Allow", "Action": "s3:*", "Resource": ["*", resource]}))
    assert err.value.path == "Statement[0].Resource[1]"
    assert "fifth colon" in err.value.message


def test_the_rule_holds_for_not_resource_too():
    with pytest.raises(PolicyError) as err:
        parse_policy(
            pol({"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:iam::${aws:userid}:x"})
        )
    assert err.value.path == "Statement[0].NotResource"


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:s3:::mybucket/${aws:username}/*",
        "arn:aws:dynamodb:us-east-2:111122223333:table/${aws:username}",
        "arn:aws:s3:::${aws:username}-bucket",
        "arn:aws:s3:::bucket/${*}",
    ],
)
def test_a_variable_after_the_fifth_colon_is_fine(resource):
    parse_policy(pol({"Effect": "Allow", "Action": "s3:*", "Resource": resource}))


def test_in_a_2008_policy_the_text_is_literal_and_allowed():
    # In Version 2008-10-17 policies ${...} is plain text, so it is no variable at all.
    policy = parse_policy(
        pol(
            {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:iam::${x}:u"},
            version="2008-10-17",
        )
    )
    assert "variables-literal" in {w.code for w in policy.warnings}
