"""The IAM page's view-model: the flowchart's boxes and edges, lit along the path taken."""

from studyapp.engines.iam import STEPS
from studyapp.sims import presets
from studyapp.sims.iam import board, service


def evaluated(name):
    form = service.from_preset(presets.load(presets.IAM, name))
    return form, form.evaluate()


def test_explicit_deny_lights_the_first_step_and_its_box_only():
    _form, result = evaluated("explicit-deny-wins")
    flow = board.flowchart(result)
    lit = {box["id"] for box in flow["boxes"] if box["lit"]}
    assert lit == {"flow-explicit-deny", "flow-final-ExplicitDeny"}
    assert flow["decision"] == "Explicit deny"
    assert len([b for b in flow["boxes"] if b["kind"] == "step"]) == len(STEPS)


def test_an_allow_lights_every_step_down_to_allow():
    _form, result = evaluated("identity-policy-allows")
    flow = board.flowchart(result)
    assert all(box["lit"] for box in flow["boxes"] if box["kind"] == "step")
    assert next(e for e in flow["edges"] if e["id"] == "edge-session-allow")["lit"]


def test_the_result_names_the_deciding_statements_by_their_editor():
    form, result = evaluated("explicit-deny-wins")
    shown = board.result(form, result)
    assert shown["decision_label"] == "Explicit deny"
    assert [(d["label"], d["anchor"], d["sid"]) for d in shown["deciding"]] == [
        ("Identity-based policy 2", "id_identity_1", "NoDeletes")
    ]
    assert [s["step"] for s in shown["steps"]] == ["explicit-deny"]


def test_the_context_check_and_the_preview():
    assert board.context_check("") == {"ok": True, "message": ""}
    assert board.context_check('{"a": 1}')["message"] == "Valid context keys."
    assert board.context_check("{")["ok"] is False
