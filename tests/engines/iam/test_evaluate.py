"""The evaluation flowchart, rule by rule, as the IAM User Guide states it.

DENYALLOW = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
BASICS = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
XACCT = https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
BOUNDARIES = https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
SESSION = https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
SCPS = https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
RCPS = https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
"""

from __future__ import annotations

import json

import pytest

from studyapp.engines.iam import STEPS, PolicyError, PolicySet, Request, evaluate, parse_policy, run

ALICE = "arn:aws:iam::111122223333:user/alice"
BOB_OTHER = "arn:aws:iam::444455556666:user/bob"
ROLE = "arn:aws:iam::111122223333:role/AppRole"
SESSION_ARN = "arn:aws:sts::111122223333:assumed-role/AppRole/s1"
OBJECT = "arn:aws:s3:::examplebucket/a.txt"


def allow(action="s3:GetObject", resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action="s3:GetObject", resource="*", **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def pol(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def rp_allow(principal, **extra):
    return pol(
        allow(resource="arn:aws:s3:::examplebucket/*", Principal={"AWS": principal}, **extra)
    )


def decide(
    principal=ALICE, identity=(), action="s3:GetObject", resource=OBJECT, context=None, **kw
):
    doc = {
        "principal": principal,
        "identity_policies": list(identity),
        "request": {"action": action, "resource": resource, "context": context or {}},
        **kw,
    }
    return run(doc)


def steps(result):
    return [(s["step"], s["outcome"]) for s in result.trace]


# --- the basics (DENYALLOW)
def test_everything_is_implicitly_denied_by_default():
    assert decide().decision == "ImplicitDeny"


def test_identity_allow_is_enough_in_one_account():
    assert decide(identity=[pol(allow())]).decision == "Allow"


def test_explicit_deny_overrides_allow_in_the_same_policy():
    assert decide(identity=[pol(allow(), deny())]).decision == "ExplicitDeny"


def test_explicit_deny_in_another_identity_policy_overrides_allow():
    assert decide(identity=[pol(allow()), pol(deny())]).decision == "ExplicitDeny"


def test_explicit_deny_in_resource_policy_overrides_identity_allow():
    rp = pol(deny(Principal="*", resource="arn:aws:s3:::examplebucket/*"))
    assert decide(identity=[pol(allow())], resource_policy=rp).decision == "ExplicitDeny"


@pytest.mark.parametrize("where", ["boundary", "session_policy", "scps", "rcps"])
def test_explicit_deny_in_any_policy_type_wins(where):
    everything = pol(allow(action="*"))
    who = {"Principal": "*"} if where == "rcps" else {}
    denying = pol(allow(action="*", **who), deny(**who))
    kw = {
        "boundary": everything,
        "session_policy": everything,
        "scps": [[everything]],
        "rcps": [[{"Version": "2012-10-17", "Statement": [allow(action="*", Principal="*")]}]],
    }
    kw[where] = [[denying]] if where in ("scps", "rcps") else denying
    result = decide(principal=SESSION_ARN, identity=[pol(allow())], **kw)
    assert result.decision == "ExplicitDeny"
    assert result.deciding[0]["policy"].startswith(where)


def test_explicit_deny_beats_a_resource_policy_naming_the_caller():
    result = decide(identity=[pol(deny())], resource_policy=rp_allow(ALICE))
    assert result.decision == "ExplicitDeny"


def test_deny_that_does_not_match_the_action_does_not_apply():
    assert decide(identity=[pol(allow(), deny(action="s3:PutObject"))]).decision == "Allow"


def test_deny_with_false_condition_does_not_apply():
    d = deny(Condition={"Bool": {"aws:SecureTransport": "false"}})
    result = decide(identity=[pol(allow(), d)], context={"aws:SecureTransport": "true"})
    assert result.decision == "Allow"


# --- same account: identity OR resource policy (BASICS)
def test_resource_policy_naming_the_user_is_enough_in_one_account():
    result = decide(resource_policy=rp_allow(ALICE))
    assert result.decision == "Allow"
    assert ("resource-policy", "allow") in steps(result)


def test_resource_policy_naming_only_the_account_delegates_to_identity_policies():
    assert decide(resource_policy=rp_allow("111122223333")).decision == "ImplicitDeny"
    assert (
        decide(
            identity=[pol(allow())], resource_policy=rp_allow("arn:aws:iam::111122223333:root")
        ).decision
        == "Allow"
    )


def test_resource_policy_for_someone_else_leaves_identity_to_decide():
    rp = rp_allow("arn:aws:iam::111122223333:user/carol")
    assert decide(resource_policy=rp).decision == "ImplicitDeny"
    assert decide(identity=[pol(allow())], resource_policy=rp).decision == "Allow"


def test_resource_policy_with_star_principal_allows_anyone():
    assert decide(resource_policy=pol(allow(Principal="*"))).decision == "Allow"


def test_resource_policy_allow_for_other_action_does_not_help():
    rp = pol(allow(action="s3:PutObject", Principal={"AWS": ALICE}))
    assert decide(resource_policy=rp).decision == "ImplicitDeny"


# --- cross-account (XACCT)
def test_cross_account_needs_identity_and_resource_policy():
    rp = rp_allow(BOB_OTHER)
    assert (
        decide(
            principal=BOB_OTHER,
            identity=[pol(allow())],
            resource_policy=rp,
            resource_account="111122223333",
        ).decision
        == "Allow"
    )
    assert (
        decide(principal=BOB_OTHER, resource_policy=rp, resource_account="111122223333").decision
        == "ImplicitDeny"
    )
    assert (
        decide(
            principal=BOB_OTHER, identity=[pol(allow())], resource_account="111122223333"
        ).decision
        == "ImplicitDeny"
    )


def test_cross_account_resource_policy_may_name_the_trusted_account():
    rp = rp_allow("444455556666")
    result = decide(
        principal=BOB_OTHER,
        identity=[pol(allow())],
        resource_policy=rp,
        resource_account="111122223333",
    )
    assert result.decision == "Allow"


def test_cross_account_resource_policy_alone_stops_at_identity_step():
    result = decide(
        principal=BOB_OTHER, resource_policy=rp_allow(BOB_OTHER), resource_account="111122223333"
    )
    assert steps(result)[-1] == ("identity", "implicit-deny")


def test_cross_account_without_resource_policy_stops_at_resource_step():
    result = decide(principal=BOB_OTHER, identity=[pol(allow())], resource_account="111122223333")
    assert steps(result)[-1] == ("resource-policy", "implicit-deny")


def test_cross_account_boundary_still_limits_the_caller():
    result = decide(
        principal=BOB_OTHER,
        identity=[pol(allow())],
        resource_policy=rp_allow(BOB_OTHER),
        boundary=pol(allow(action="s3:PutObject")),
        resource_account="111122223333",
    )
    assert result.decision == "ImplicitDeny"


def test_resource_account_is_read_from_the_resource_arn():
    table = "arn:aws:dynamodb:us-east-1:444455556666:table/T"
    assert (
        decide(
            identity=[pol(allow(action="dynamodb:GetItem"))],
            action="dynamodb:GetItem",
            resource=table,
        ).decision
        == "ImplicitDeny"
    )


def test_missing_resource_account_means_the_callers_account():
    assert decide(identity=[pol(allow())]).decision == "Allow"


# --- permissions boundaries (BOUNDARIES)
def test_boundary_limits_identity_permissions():
    result = decide(
        identity=[pol(allow(action="s3:*"))], boundary=pol(allow(action="s3:PutObject"))
    )
    assert result.decision == "ImplicitDeny"
    assert steps(result)[-1] == ("boundary", "implicit-deny")


def test_boundary_alone_grants_nothing():
    assert decide(boundary=pol(allow(action="*"))).decision == "ImplicitDeny"


def test_boundary_and_identity_both_allowing_allows():
    assert (
        decide(identity=[pol(allow())], boundary=pol(allow(action="s3:Get*"))).decision == "Allow"
    )


def test_resource_policy_naming_the_user_is_not_limited_by_the_boundary():
    # "Within an account, an implicit deny in a permissions boundary does not limit the
    # permissions granted to an IAM user by a resource-based policy."
    result = decide(boundary=pol(allow(action="ec2:*")), resource_policy=rp_allow(ALICE))
    assert result.decision == "Allow"


def test_resource_policy_naming_the_role_is_limited_by_the_boundary():
    result = decide(
        principal=SESSION_ARN, boundary=pol(allow(action="ec2:*")), resource_policy=rp_allow(ROLE)
    )
    assert result.decision == "ImplicitDeny"
    assert steps(result)[-1] == ("boundary", "implicit-deny")


def test_resource_policy_naming_the_role_needs_no_identity_allow():
    result = decide(principal=SESSION_ARN, resource_policy=rp_allow(ROLE))
    assert result.decision == "Allow"
    assert ("identity", "not-applicable") in steps(result)


def test_resource_policy_naming_the_role_session_is_not_limited_by_the_boundary():
    result = decide(
        principal=SESSION_ARN,
        boundary=pol(allow(action="ec2:*")),
        resource_policy=rp_allow(SESSION_ARN),
    )
    assert result.decision == "Allow"


def test_deny_notprincipal_always_denies_a_principal_with_a_boundary():
    # BOUNDARIES, "Important": NotPrincipal with Deny always denies an IAM principal that
    # has a permissions boundary, whatever NotPrincipal lists.
    rp = pol(
        deny(
            resource="arn:aws:s3:::examplebucket/*", NotPrincipal={"AWS": [ALICE, "111122223333"]}
        ),
        allow(resource="arn:aws:s3:::examplebucket/*", Principal={"AWS": ALICE}),
    )
    assert decide(resource_policy=rp).decision == "Allow"
    assert decide(resource_policy=rp, boundary=pol(allow(action="*"))).decision == "ExplicitDeny"


# --- session policies (SESSION)
def test_session_policy_limits_identity_permissions():
    result = decide(
        principal=SESSION_ARN,
        identity=[pol(allow(action="s3:*"))],
        session_policy=pol(allow(action="s3:List*")),
    )
    assert result.decision == "ImplicitDeny"
    assert steps(result)[-1] == ("session", "implicit-deny")


def test_session_policy_alone_grants_nothing():
    assert (
        decide(principal=SESSION_ARN, session_policy=pol(allow(action="*"))).decision
        == "ImplicitDeny"
    )


def test_resource_policy_naming_the_session_is_not_limited_by_the_session_policy():
    result = decide(
        principal=SESSION_ARN,
        session_policy=pol(allow(action="ec2:*")),
        resource_policy=rp_allow(SESSION_ARN),
    )
    assert result.decision == "Allow"


def test_resource_policy_naming_the_role_is_limited_by_the_session_policy():
    result = decide(
        principal=SESSION_ARN,
        session_policy=pol(allow(action="ec2:*")),
        resource_policy=rp_allow(ROLE),
    )
    assert result.decision == "ImplicitDeny"


def test_resource_policy_naming_the_role_with_allowing_boundary_and_session_allows():
    result = decide(
        principal=SESSION_ARN,
        boundary=pol(allow(action="s3:*")),
        session_policy=pol(allow()),
        resource_policy=rp_allow(ROLE),
    )
    assert result.decision == "Allow"


# --- SCPs (SCPS)
FULL = pol(allow(action="*"))


def test_scp_must_allow_at_every_level():
    result = decide(
        identity=[pol(allow(action="s3:*"))], scps=[[FULL], [pol(allow(action="ec2:*"))], [FULL]]
    )
    assert result.decision == "ImplicitDeny"
    assert steps(result)[-1] == ("scp", "implicit-deny")
    assert "level 1" in result.trace[-1]["detail"]


def test_one_allowing_scp_per_level_is_enough():
    scps = [[FULL], [pol(allow(action="ec2:*")), pol(allow(action="s3:Get*"))], [FULL]]
    assert decide(identity=[pol(allow())], scps=scps).decision == "Allow"


def test_scp_allow_does_not_grant_permissions():
    assert decide(scps=[[FULL]]).decision == "ImplicitDeny"


def test_scp_limits_even_a_resource_policy_that_names_the_user():
    result = decide(resource_policy=rp_allow(ALICE), scps=[[pol(allow(action="ec2:*"))]])
    assert result.decision == "ImplicitDeny"


def test_scp_limits_the_member_account_root_user():
    root = "arn:aws:iam::111122223333:root"
    assert decide(principal=root).decision == "Allow"
    assert decide(principal=root, scps=[[pol(allow(action="ec2:*"))]]).decision == "ImplicitDeny"


def test_scp_deny_applies_to_the_root_user():
    root = "arn:aws:iam::111122223333:root"
    assert (
        decide(principal=root, scps=[[pol(allow(action="*"), deny())]]).decision == "ExplicitDeny"
    )


def test_empty_scp_level_allows_nothing():
    assert decide(identity=[pol(allow())], scps=[[FULL], []]).decision == "ImplicitDeny"


# RCPs: test_rcp.py
RCP_FULL = pol(allow(action="*", Principal="*"))


# --- service principals
QUEUE = "arn:aws:sqs:us-east-1:111122223333:orders"
TOPIC = "arn:aws:sns:us-east-1:111122223333:events"


def queue_policy():
    return pol(
        allow(
            action="sqs:SendMessage",
            resource=QUEUE,
            Principal={"Service": "sns.amazonaws.com"},
            Condition={"ArnEquals": {"aws:SourceArn": TOPIC}},
        )
    )


def test_queue_policy_allows_the_sns_topic():
    result = decide(
        principal="sns.amazonaws.com",
        action="sqs:SendMessage",
        resource=QUEUE,
        context={"aws:SourceArn": TOPIC},
        resource_policy=queue_policy(),
        resource_account="111122223333",
    )
    assert result.decision == "Allow"


def test_queue_policy_refuses_another_topic():
    result = decide(
        principal="sns.amazonaws.com",
        action="sqs:SendMessage",
        resource=QUEUE,
        context={"aws:SourceArn": TOPIC + "-other"},
        resource_policy=queue_policy(),
        resource_account="111122223333",
    )
    assert result.decision == "ImplicitDeny"


def test_scps_do_not_apply_to_service_principals():
    result = decide(
        principal="sns.amazonaws.com",
        action="sqs:SendMessage",
        resource=QUEUE,
        context={"aws:SourceArn": TOPIC},
        resource_policy=queue_policy(),
        scps=[[pol(deny(action="*"))]],
        resource_account="111122223333",
    )
    assert result.decision == "Allow"
    assert ("scp", "not-applicable") in steps(result)


# --- NotAction / NotResource
def test_allow_notresource_covers_everything_else():
    p = pol({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"})
    assert decide(identity=[p]).decision == "Allow"
    assert decide(identity=[p], resource="arn:aws:s3:::secret/x").decision == "ImplicitDeny"


def test_deny_notaction_denies_every_other_action():
    p = pol(allow(action="*"), {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"})
    assert decide(identity=[p]).decision == "Allow"
    assert decide(identity=[p], action="ec2:RunInstances").decision == "ExplicitDeny"


def test_action_case_does_not_matter():
    assert (
        decide(identity=[pol(allow(action="S3:getobject"))], action="s3:GETOBJECT").decision
        == "Allow"
    )


# --- request context filled in from the principal
def test_username_variable_comes_from_the_principal():
    p = pol(allow(resource="arn:aws:s3:::examplebucket/home/${aws:username}/*"))
    assert (
        decide(identity=[p], resource="arn:aws:s3:::examplebucket/home/alice/x").decision == "Allow"
    )
    assert (
        decide(identity=[p], resource="arn:aws:s3:::examplebucket/home/bob/x").decision
        == "ImplicitDeny"
    )


def test_principal_arn_of_a_role_session_is_the_role_arn():
    p = pol(allow(Condition={"ArnEquals": {"aws:PrincipalArn": ROLE}}))
    assert decide(principal=SESSION_ARN, identity=[p]).decision == "Allow"


def test_explicit_context_overrides_the_derived_keys():
    p = pol(allow(Condition={"StringEquals": {"aws:PrincipalAccount": "999999999999"}}))
    assert (
        decide(identity=[p], context={"aws:PrincipalAccount": "999999999999"}).decision == "Allow"
    )
    assert decide(identity=[p]).decision == "ImplicitDeny"


def test_unresolved_variable_in_resource_matches_nothing():
    p = pol(allow(resource="arn:aws:s3:::b/${aws:PrincipalTag/team}/*"))
    assert decide(identity=[p], resource="arn:aws:s3:::b/red/x").decision == "ImplicitDeny"
    assert (
        decide(
            identity=[p], resource="arn:aws:s3:::b/red/x", context={"aws:PrincipalTag/team": "red"}
        ).decision
        == "Allow"
    )


def test_variable_default_in_resource():
    p = pol(allow(resource="arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*"))
    assert decide(identity=[p], resource="arn:aws:s3:::b/shared/x").decision == "Allow"


# --- the result explains itself
def test_trace_steps_follow_the_flowchart_order():
    result = decide(
        principal=SESSION_ARN,
        identity=[pol(allow())],
        boundary=pol(allow()),
        session_policy=pol(allow()),
        scps=[[FULL]],
        rcps=[[RCP_FULL]],
    )
    assert result.decision == "Allow"
    assert [s["step"] for s in result.trace] == list(STEPS)
    assert all(s["outcome"] in ("pass", "absent") for s in result.trace)


def test_explicit_deny_trace_stops_at_the_first_step():
    result = decide(identity=[pol(allow(), {**deny(), "Sid": "NoGet"})])
    assert steps(result) == [("explicit-deny", "deny")]
    assert result.deciding == [
        {
            "policy": "identity_policies[0]",
            "kind": "identity",
            "index": 1,
            "sid": "NoGet",
            "effect": "Deny",
        }
    ]


def test_allow_lists_the_statements_that_allowed():
    result = decide(
        identity=[pol(allow(action="ec2:*"), {**allow(), "Sid": "Read"})], boundary=pol(allow())
    )
    assert [(d["policy"], d["index"]) for d in result.deciding] == [
        ("identity_policies[0]", 1),
        ("boundary", 0),
    ]


def test_implicit_deny_has_no_deciding_statement():
    assert decide().deciding == []


def test_result_to_dict_is_json_and_lists_warnings():
    data = decide(identity=[pol(allow(action="*"))]).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"decision", "deciding", "trace", "warnings"}
    assert data["warnings"][0]["code"] == "allow-all"
    assert data["warnings"][0]["policy"] == "identity_policies[0]"


def test_library_api_without_the_scenario_format():
    request = Request.build(ALICE, "s3:GetObject", OBJECT, {"aws:SourceIp": "203.0.113.7"})
    policy = parse_policy(pol(allow(Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})))
    assert evaluate(request, PolicySet(identity=[policy])).allowed


def test_parsed_policies_can_be_reused_across_requests():
    policy = parse_policy(pol(allow(action="s3:Get*")))
    policies = PolicySet(identity=[policy])
    assert evaluate(Request.build(ALICE, "s3:GetObject", OBJECT), policies).allowed
    assert not evaluate(Request.build(ALICE, "s3:PutObject", OBJECT), policies).allowed
    assert evaluate(Request.build(ALICE, "s3:GetObjectAcl", OBJECT), policies).allowed


# --- scenario input errors
def test_missing_required_keys_are_errors():
    for key in ("principal", "identity_policies", "request"):
        doc = {
            "principal": ALICE,
            "identity_policies": [],
            "request": {"action": "s3:GetObject", "resource": OBJECT},
        }
        del doc[key]
        with pytest.raises(PolicyError) as err:
            run(doc)
        assert err.value.path == key


def test_policy_errors_are_located_inside_the_scenario():
    with pytest.raises(PolicyError) as err:
        decide(identity=[pol(allow()), pol({"Effect": "Permit", "Action": "*", "Resource": "*"})])
    assert err.value.path == "identity_policies[1].Statement[0].Effect"


def test_scp_errors_name_the_level():
    with pytest.raises(PolicyError) as err:
        decide(scps=[[FULL], [pol({"Effect": "Allow", "Resource": "*"})]])
    assert err.value.path == "scps[1][0].Statement[0]"


def test_unknown_scenario_key_is_an_error():
    with pytest.raises(PolicyError) as err:
        decide(boundry=FULL)
    assert err.value.path == "boundry"


def test_context_values_must_be_scalars_or_lists():
    with pytest.raises(PolicyError) as err:
        decide(context={"aws:SourceIp": {"ip": "1.2.3.4"}})
    assert err.value.path == "request.context.aws:SourceIp"


def test_null_optional_keys_are_fine():
    result = decide(
        identity=[pol(allow())],
        resource_policy=None,
        boundary=None,
        session_policy=None,
        scps=None,
        rcps=None,
        resource_account=None,
    )
    assert result.decision == "Allow"


# --- NotPrincipal (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
def bucket_with_notprincipal_deny(listed):
    return pol(
        deny(resource="arn:aws:s3:::examplebucket/*", NotPrincipal={"AWS": listed}),
        allow(resource="arn:aws:s3:::examplebucket/*", Principal={"AWS": "444455556666"}),
    )


def test_deny_notprincipal_spares_a_user_listed_with_their_account():
    rp = bucket_with_notprincipal_deny([BOB_OTHER, "arn:aws:iam::444455556666:root"])
    result = decide(
        principal=BOB_OTHER,
        identity=[pol(allow())],
        resource_policy=rp,
        resource_account="111122223333",
    )
    assert result.decision == "Allow"


def test_deny_notprincipal_listing_only_the_user_still_denies_them():
    rp = bucket_with_notprincipal_deny([BOB_OTHER])
    result = decide(
        principal=BOB_OTHER,
        identity=[pol(allow())],
        resource_policy=rp,
        resource_account="111122223333",
    )
    assert result.decision == "ExplicitDeny"


def test_deny_notprincipal_denies_everyone_else():
    rp = bucket_with_notprincipal_deny([BOB_OTHER, "arn:aws:iam::444455556666:root"])
    other = "arn:aws:iam::444455556666:user/carol"
    result = decide(
        principal=other,
        identity=[pol(allow())],
        resource_policy=rp,
        resource_account="111122223333",
    )
    assert result.decision == "ExplicitDeny"


def test_allow_notprincipal_allows_those_not_listed():
    rp = pol(
        allow(
            resource="arn:aws:s3:::examplebucket/*",
            NotPrincipal={"AWS": "arn:aws:iam::111122223333:user/carol"},
        )
    )
    assert decide(resource_policy=rp).decision == "Allow"
    assert (
        decide(principal="arn:aws:iam::111122223333:user/carol", resource_policy=rp).decision
        == "ImplicitDeny"
    )


# --- federated users and the root user
def test_resource_policy_naming_a_federated_user_session_allows_it():
    fed = "arn:aws:sts::111122223333:federated-user/dana"
    assert (
        decide(
            principal=fed, resource_policy=rp_allow(fed), session_policy=pol(allow(action="ec2:*"))
        ).decision
        == "Allow"
    )


def test_root_user_has_full_access_without_policies():
    result = decide(
        principal="arn:aws:iam::111122223333:root", action="iam:DeleteUser", resource="*"
    )
    assert result.decision == "Allow"
    assert ("identity", "pass") in steps(result)


def test_root_user_cross_account_still_needs_the_resource_policy():
    result = decide(principal="arn:aws:iam::444455556666:root", resource_account="111122223333")
    assert result.decision == "ImplicitDeny"
