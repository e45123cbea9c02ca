"""A policy evaluated again, or kept in a PolicyCache, decides exactly as a fresh one.

The first request that reaches a policy reads its statements straight from the JSON; later
ones use compiled statements (parse.py). Both must give the same result, trace included.
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings

from studyapp.engines.iam import PolicyCache, PolicyError, parse_input, parse_policy, run

from .test_properties import scenarios

SETTINGS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(scenarios())
def test_a_reused_scenario_gives_the_same_result(doc):
    scenario = parse_input(doc)
    first = scenario.evaluate().to_dict()
    assert scenario.evaluate().to_dict() == first
    assert scenario.evaluate().to_dict() == first


@SETTINGS
@given(scenarios())
def test_the_cache_gives_the_same_result(doc):
    cache = PolicyCache()
    fresh = run(doc).to_dict()
    assert run(doc, cache=cache).to_dict() == fresh
    assert run(copy.deepcopy(doc), cache=cache).to_dict() == fresh
    assert run(json.dumps(doc), cache=cache).to_dict() == fresh


def test_the_cache_parses_a_policy_once():
    doc = {
        "principal": "arn:aws:iam::111122223333:user/alice",
        "identity_policies": [
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
            }
        ],
        "request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
    }
    cache = PolicyCache()
    for action in ("s3:GetObject", "s3:GetObjectAcl", "s3:PutObject"):
        doc["request"]["action"] = action
        run(json.dumps(doc), cache=cache)
    assert (cache.hits, cache.misses, len(cache)) == (2, 1, 1)


def test_the_key_holds_kind_name_and_content():
    cache = PolicyCache()
    text = '{"Version": "2012-10-17", "Statement": []}'
    a = cache.parse(text, "identity", "a")
    assert cache.parse(text, "identity", "a") is a
    assert cache.parse(text, "identity", "b") is not a
    assert cache.parse(text, "boundary", "a") is not a
    assert cache.parse(text.replace("[]", "[ ]"), "identity", "a") is not a
    assert cache.parse(json.loads(text), "identity", "a") is not a  # a dict is keyed by its dump


def test_the_least_recently_used_policy_goes_first():
    cache = PolicyCache(maxsize=2)
    texts = [json.dumps({"Version": "2012-10-17", "Id": str(i), "Statement": []}) for i in range(3)]
    first = cache.parse(texts[0])
    cache.parse(texts[1])
    cache.parse(texts[0])
    cache.parse(texts[2])  # evicts texts[1]
    assert len(cache) == 2
    assert cache.parse(texts[0]) is first
    assert cache.misses == 3


def test_an_invalid_policy_is_not_cached_and_raises_each_time():
    cache = PolicyCache()
    for _ in range(2):
        with pytest.raises(PolicyError):
            cache.parse('{"Statement": [{"Effect": "Maybe"}]}')
    assert len(cache) == 0


def test_a_document_that_is_not_json_data_is_parsed_without_the_cache():
    class Odd(dict):
        pass

    cache = PolicyCache()
    doc = {"Version": "2012-10-17", "Statement": [], "Id": Odd()}
    with pytest.raises(PolicyError):
        cache.parse(doc)
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": {1, 2}}],
    }
    with pytest.raises(PolicyError):
        cache.parse(doc)
    assert len(cache) == 0
    assert parse_policy({"Version": "2012-10-17", "Statement": []}).statements == ()


@SETTINGS
@given(scenarios())
def test_a_decoded_policy_is_keyed_by_its_compact_dump(doc):
    from studyapp.engines.iam.cache import _dump

    for policy in doc["identity_policies"]:
        assert _dump(policy) == json.dumps(policy, separators=(",", ":"), ensure_ascii=False)


def test_what_is_not_json_data_is_not_cached():
    from studyapp.engines.iam.cache import _dump

    looped: list = []
    looped.append(looped)
    assert _dump({"Statement": {1, 2}}) is None
    assert _dump({"Statement": looped}) is None
    assert _dump({"Id": "ü\u2028", "Statement": [1.5, None, True]}) == (
        '{"Id":"ü\u2028","Statement":[1.5,null,true]}'
    )
