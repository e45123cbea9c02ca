"""decode_with_spans decodes exactly as json.loads, and each noted text is its object's JSON:
a PolicyCache keys policies by that text (scenario.py), so a wrong span would be a wrong hit."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.engines.iam import PolicyCache, run
from studyapp.engines.iam.jsontext import decode_with_spans, text_of
from studyapp.engines.iam.scenario import WALK_FROM

from .test_properties import scenarios

SETTINGS = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _check(text: str) -> None:
    decoded = decode_with_spans(text)
    assert decoded is not None
    data, spans = decoded
    assert data == json.loads(text)
    assert list(data) == list(json.loads(text))
    for obj, span in spans.values():
        assert json.loads(span) == obj
        assert text_of(obj, spans) == span


@SETTINGS
@given(scenarios(), st.sampled_from([None, 2]))
def test_a_scenario_decodes_as_json_loads_does(doc, indent):
    _check(json.dumps(doc, indent=indent))


def test_policies_at_every_depth_get_their_text():
    text = '{ "a" : { "x" : 1 } , "b" : [ {"y":[ ]} , [ {"z":2} ] ] , "a" : {"w": 3} }'
    data, spans = decode_with_spans(text)
    assert data == json.loads(text)
    assert text_of(data["a"], spans) == '{"w": 3}'
    assert text_of(data["b"][0], spans) == '{"y":[ ]}'
    assert text_of(data["b"][1][0], spans) == '{"z":2}'
    assert text_of({"w": 3}, spans) is None  # an equal object is not the one decoded


@pytest.mark.parametrize(
    "text",
    ["[1]", '{"a":1}x', '{"a":[1,]}', '{"a":1,}', "{,}", '{"a":1', '{"a\\u0041":1}', '{"a\x01":1}'],
)
def test_anything_unusual_is_left_to_json_loads(text):
    assert decode_with_spans(text) is None


def test_a_long_scenario_is_keyed_by_its_policies_text():
    statements = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": "s3:Get*", "Resource": f"arn:aws:s3:::b{i}/*"}
        for i in range(60)
    ]
    doc = {
        "principal": "arn:aws:iam::111122223333:user/alice",
        "identity_policies": [{"Version": "2012-10-17", "Statement": statements}],
        "request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::b7/k"},
    }
    text = json.dumps(doc)
    assert len(text) > WALK_FROM  # else the policies are keyed by their dumps
    cache = PolicyCache()
    first = run(text, cache=cache).to_dict()
    doc["request"]["resource"] = "arn:aws:s3:::other/k"
    second = run(json.dumps(doc), cache=cache).to_dict()
    assert (cache.hits, cache.misses) == (1, 1)
    # keyed by the policy's text as it stands in the scenario, not by a compact dump
    assert [key[2] for key in cache._items] == [json.dumps(doc["identity_policies"][0])]
    assert first["decision"] == "Allow" and second["decision"] == "ImplicitDeny"
    assert run(json.dumps(doc)).to_dict() == second
