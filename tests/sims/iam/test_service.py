"""The IAM simulator's service: share links (bounded), presets into the form, the decision."""

from __future__ import annotations

import json
import secrets

import pytest

from studyapp.sims import presets
from studyapp.sims.iam import service
from studyapp.sims.iam.forms import ScenarioForm

ALICE = "arn:aws:iam::111122223333:user/alice"
PAGE = "https://study.example/sims/iam/"


def scenario_with(resources: list[str]) -> dict:
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources}]}  # fmt: skip
    return {
        "principal": ALICE,
        "identity_policies": [policy],
        "request": {"action": "s3:GetObject", "resource": resources[0]},
    }


def test_every_preset_makes_a_link_well_within_the_bound():
    for preset in presets.available(presets.IAM):
        form = service.from_preset(preset)
        link, refused = service.share_link(PAGE, form.scenario)
        assert refused == "" and len(link) <= service.MAX_SHARE_URL // 2, preset.name


def test_a_link_is_never_longer_than_what_servers_accept():
    """Security review: a link the app made was refused with 414 by gunicorn's 4,094-byte
    request line."""
    resources = [f"arn:aws:s3:::bucket/{secrets.token_hex(20)}" for _ in range(100)]
    form = ScenarioForm(service.fields_from_scenario(scenario_with(resources)))
    assert form.is_valid
    link, refused = service.share_link(PAGE, form.scenario)
    assert link == ""
    assert "too large to share as a link" in refused
    assert "longer than 2,000 characters are refused by web servers" in refused


def test_the_longest_link_allowed_fits_a_request_line():
    request_line = len("GET ") + service.MAX_SHARE_URL + len(" HTTP/1.1\r\n")
    assert request_line < 4_094


def test_a_link_round_trips():
    form = service.from_preset(presets.load(presets.IAM, "scp-blocks-region"))
    link, _refused = service.share_link(PAGE, form.scenario)
    assert service.from_share(link.split("?s=")[1]).scenario == form.scenario


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ([1], "not a JSON object"),
        ({"evil": 1}, "Unknown key in the scenario: evil"),
        ({"identity_policies": [{}] * 11}, "at most 10 policies"),
        ({"scps": [{}] * 8}, "at most 7 levels"),
        ({"principal": 5}, "principal must be a string"),
        ({"identity_policies": [5]}, "A policy must be a JSON object."),
    ],
)
def test_a_scenario_of_the_wrong_shape_is_refused_with_a_reason(data, says):
    with pytest.raises(service.ShareError, match=says):
        service.fields_from_scenario(data)


def test_every_scenario_key_of_the_presets_is_known():
    for preset in presets.available(presets.IAM):
        assert set(preset.data) <= service.SCENARIO_KEYS | service.NOTE_KEYS


def test_the_expected_decision_holds_while_the_editors_hold_the_preset():
    preset = presets.load(presets.IAM, "explicit-deny-wins")
    form = service.from_preset(preset)
    assert service.expected(form) == "ExplicitDeny"
    fields = service.fields_from_scenario(preset.data)
    changed = ScenarioForm({**fields, "action": "s3:GetObject"}, preset=preset.name)
    assert service.expected(changed) == ""
    assert service.expected(ScenarioForm(fields)) == ""  # no preset named


def test_a_damaged_token_says_so():
    for token in ("!!", "A" * (service.MAX_SHARE_CHARS + 1)):
        with pytest.raises(service.ShareError):
            service.read_share_token(token)
    assert service.read_share_token(service.share_token({"a": 1})) == {"a": 1}
    assert json.loads(json.dumps(service.read_share_token(service.share_token({"b": [1]})))) == {
        "b": [1]
    }
