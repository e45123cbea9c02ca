"""The IAM form and its editors: text in, the engine's scenario out, problems located."""

import json

from studyapp.sims.iam import editors
from studyapp.sims.iam.forms import ScenarioForm

ALICE = "arn:aws:iam::111122223333:user/alice"
ALLOW = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})  # fmt: skip


def fields(**extra):
    return {"principal": ALICE, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", **extra}


def test_a_valid_form_gives_the_scenario_and_evaluates():
    form = ScenarioForm(fields(identity_0=ALLOW, context='{"aws:SourceIp": "203.0.113.7"}'))
    assert form.is_valid
    assert form.scenario["request"]["context"] == {"aws:SourceIp": "203.0.113.7"}
    assert form.evaluate().decision == "Allow"


def test_a_syntax_error_has_its_line_and_column():
    editor = editors.check_editor("identity_0", '{\n  "Statement": [,]\n}')
    assert editor.error is not None
    assert (editor.error.line, editor.error.column) == (2, 17)
    assert editor.error.message.startswith("invalid JSON")


def test_a_level_holds_one_policy_or_a_list_and_names_which():
    level = json.dumps([json.loads(ALLOW), {"Statement": [{"Effect": "Maybe"}]}])
    editor = editors.check_editor("scp_0", level)
    assert editor.error.path.startswith("[1].")
    assert editors.check_editor("scp_0", ALLOW).statements == 1
    assert editors.check_editor("scp_99", ALLOW) is None
    assert editors.check_editor("whatever", ALLOW) is None


def test_the_context_must_be_an_object_of_keys():
    assert editors.parse_context("") == (None, None)
    data, problem = editors.parse_context("[1]")
    assert data is None and problem.field == "context"
    many = json.dumps({f"k{i}": 1 for i in range(editors.MAX_CONTEXT_KEYS + 1)})
    assert editors.parse_context(many)[1].message == "at most 50 keys"


def test_more_editors_up_to_the_cap():
    form = ScenarioForm()
    for _ in range(20):
        form.add_editor("scp")
    assert len(form.scps) == editors.MAX_LEVELS
    assert not form.addable["scp"] and form.addable["identity"]
