"""Resource control policies, as the AWS Organizations User Guide describes them.

RCPs came after the offline IAM guide (2023), so the sentences quoted here are from the
current Organizations pages as known to the author, not from the offline mirror:
RCPS = https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
EVAL = https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
SYNTAX = https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
"""

from __future__ import annotations

import pytest

from studyapp.engines.iam import PolicyError, parse_policy, run
from studyapp.engines.iam.rcp import RCP_SERVICES

ALICE = "arn:aws:iam::111122223333:user/alice"
BOB_OTHER = "arn:aws:iam::444455556666:user/bob"
OBJECT = "arn:aws:s3:::examplebucket/a.txt"


def pol(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action="s3:GetObject", resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action="s3:GetObject", resource="*", **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, "Principal": "*", **extra}


RCP_FULL = pol({"Sid": "RCPFullAWSAccess", **allow(action="*", Principal="*")})
DENY_ALL = pol(deny(action="*"))


def decide(principal=ALICE, identity=(), action="s3:GetObject", resource=OBJECT, **kw):
    doc = {
        "principal": principal,
        "identity_policies": list(identity),
        "request": {"action": action, "resource": resource, "context": kw.pop("context", {})},
        **kw,
    }
    return run(doc)


def steps(result):
    return [(s["step"], s["outcome"]) for s in result.trace]


# --- RCPFullAWSAccess is always there (EVAL)
def test_a_level_holding_only_a_deny_does_not_implicitly_deny():
    # RCPS: "RCPFullAWSAccess [...] is automatically attached to the root, every OU, and
    # every account in your organization when you enable RCPs. You can't detach this policy."
    only_deny = pol(deny(action="s3:DeleteObject"))
    result = decide(identity=[pol(allow())], rcps=[[only_deny], [only_deny]])
    assert result.decision == "Allow"
    assert ("rcp", "pass") in steps(result)


def test_an_empty_rcp_level_still_has_full_access():
    assert decide(identity=[pol(allow())], rcps=[[RCP_FULL], []]).decision == "Allow"


def test_rcp_allow_does_not_grant_permissions():
    # EVAL: RCPs "don't grant permissions"; an identity or resource policy still must.
    assert decide(rcps=[[RCP_FULL]]).decision == "ImplicitDeny"


def test_the_full_access_statement_is_listed_when_given():
    result = decide(identity=[pol(allow())], rcps=[[RCP_FULL]])
    assert result.decision == "Allow"
    assert {"policy": "rcps[0][0]", "kind": "rcp", "index": 0} in [
        {k: d[k] for k in ("policy", "kind", "index")} for d in result.deciding
    ]


# --- syntax (SYNTAX)
def test_a_custom_rcp_cannot_allow():
    # SYNTAX, Effect: "The effect of Allow is only supported for the RCPFullAWSAccess policy".
    with pytest.raises(PolicyError) as err:
        parse_policy(pol(allow(action="sqs:*", Principal="*")), "rcp")
    assert err.value.path == "Statement[0].Effect"
    assert "RCPFullAWSAccess" in err.value.message


def test_an_allow_with_a_condition_is_not_full_access():
    narrowed = allow(action="*", Principal="*", Condition={"Bool": {"aws:SecureTransport": "true"}})
    with pytest.raises(PolicyError):
        parse_policy(pol(narrowed), "rcp")


def test_the_full_access_statement_parses_with_or_without_sid():
    parse_policy(RCP_FULL, "rcp")
    parse_policy(pol(allow(action=["*"], resource=["*"], Principal="*")), "rcp")


def test_an_rcp_principal_must_be_star():
    # SYNTAX, Principal: only "*"; principals are chosen with condition keys.
    with pytest.raises(PolicyError) as err:
        parse_policy(pol(deny(Principal={"AWS": "111122223333"})), "rcp")
    assert err.value.path == "Statement[0].Principal"
    no_principal = {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}
    with pytest.raises(PolicyError):
        parse_policy(pol(no_principal), "rcp")


def test_an_rcp_cannot_use_notprincipal():
    stmt = {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "NotPrincipal": {"AWS": "1"}}
    with pytest.raises(PolicyError) as err:
        parse_policy(pol(stmt), "rcp")
    assert err.value.path == "Statement[0].NotPrincipal"


# --- the services RCPs cover (RCPS, "List of AWS services that support RCPs")
def test_the_service_list():
    # S3, STS, KMS, SQS and Secrets Manager at launch; Cognito, CloudWatch Logs, DynamoDB,
    # ECR and OpenSearch Serverless since.
    assert {"s3", "sts", "kms", "sqs", "secretsmanager", "logs", "dynamodb"} <= RCP_SERVICES
    assert {"ecr", "aoss", "cognito-idp"} <= RCP_SERVICES
    assert not RCP_SERVICES & {"ec2", "iam", "lambda", "sns"}


def test_an_rcp_deny_on_everything_does_not_touch_an_unlisted_service():
    # RCPS: RCPs apply only to the services in the list; EC2 is not one of them.
    result = decide(
        identity=[pol(allow(action="ec2:*"))],
        action="ec2:TerminateInstances",
        resource="arn:aws:ec2:us-east-1:111122223333:instance/i-0abc",
        rcps=[[DENY_ALL]],
    )
    assert result.decision == "Allow"
    assert ("rcp", "not-applicable") in steps(result)


@pytest.mark.parametrize(
    "action",
    [
        "s3:GetObject",
        "sts:AssumeRole",
        "kms:Decrypt",
        "sqs:SendMessage",
        "secretsmanager:GetSecretValue",
        "cognito-idp:AdminGetUser",
        "logs:PutLogEvents",
        "dynamodb:GetItem",
        "ecr:BatchGetImage",
        "aoss:APIAccessAll",
    ],
)
def test_an_rcp_deny_applies_to_every_listed_service(action):
    result = decide(identity=[pol(allow(action="*"))], action=action, rcps=[[DENY_ALL]])
    assert result.decision == "ExplicitDeny"
    assert result.deciding[0]["policy"] == "rcps[0][0]"


# --- data perimeter examples (EVAL)
PERIMETER = pol(
    deny(
        action="s3:*",
        Condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}},
    )
)


def test_rcp_deny_outside_the_org_denies_a_cross_account_caller():
    result = decide(
        principal=BOB_OTHER,
        identity=[pol(allow())],
        resource_policy=pol(allow(Principal={"AWS": BOB_OTHER})),
        rcps=[[RCP_FULL, PERIMETER]],
        resource_account="111122223333",
    )
    assert result.decision == "ExplicitDeny"
    assert result.deciding[0]["policy"] == "rcps[0][1]"


def test_rcp_deny_spares_callers_inside_the_org():
    result = decide(
        identity=[pol(allow())], rcps=[[PERIMETER]], context={"aws:PrincipalOrgID": "o-abc"}
    )
    assert result.decision == "Allow"
