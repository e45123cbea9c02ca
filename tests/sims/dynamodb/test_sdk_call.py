"""Calls of a learner's own code (through /aws/): logged as their key, on a clock that follows
wall time, checked against the same caps as the page's, whatever JSON they carry."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.sims.dynamodb import service, simulation
from studyapp.sims.dynamodb.simulation import DynamoDBSimulation
from studyapp.sims.state import Refused

TABLE = {
    "Action": "CreateTable",
    "TableName": "tbl",
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "BillingMode": "PAY_PER_REQUEST",
}
PUT = {"Action": "PutItem", "TableName": "tbl", "Item": {"pk": {"S": "a"}}}


def test_an_sdk_call_is_logged_as_its_key_and_the_clock_follows_wall_time():
    sim = DynamoDBSimulation.fresh()
    start = sim.engine.clock.now()
    assert "TableDescription" in service.sdk_call(sim, TABLE, actor="SDK AKIA1", wall=1000.0)
    assert sim.engine.clock.now() == start  # the first call only notes the wall time
    assert service.sdk_call(sim, PUT, actor="SDK AKIA1", wall=1030.5) == {}
    assert sim.engine.clock.now() == start + 30.5
    service.sdk_call(sim, PUT, actor="SDK AKIA1", wall=1030.5 + 86400)
    assert sim.engine.clock.now() == start + 30.5 + service.MAX_CATCH_UP
    assert [e["actor"] for e in sim.log] == ["SDK AKIA1"] * 3
    assert sim.log.last["facts"]["kind"] == "PutItem"
    assert sim.ui["table"] == "tbl"  # the page's forms name the table the script uses


def test_the_wall_time_of_the_last_call_is_kept_with_the_state():
    sim = DynamoDBSimulation.fresh()
    service.sdk_call(sim, TABLE, actor="k", wall=1000.0)
    head, parts = sim.to_parts(changed=False)
    again = DynamoDBSimulation.from_parts(*json.loads(json.dumps([head, parts])))
    assert again.wall == 1000.0


def test_an_sdk_call_past_a_cap_is_refused_before_anything_changes():
    sim = DynamoDBSimulation.fresh()
    for n in range(simulation.MAX_TABLES):
        service.sdk_call(sim, {**TABLE, "TableName": f"tbl{n}"}, actor="k", wall=0)
    with pytest.raises(Refused):
        service.sdk_call(sim, {**TABLE, "TableName": "one-more"}, actor="k", wall=5)
    assert len(sim.log) == simulation.MAX_TABLES
    assert sim.wall == 0


def test_the_sdk_can_neither_move_the_clock_nor_run_a_workload():
    assert {"Advance", "Workload"}.isdisjoint(service.SDK_ACTIONS)
    assert {"CreateTable", "Query", "TransactWriteItems", "UpdateTimeToLive"} <= (
        service.SDK_ACTIONS
    )


@pytest.mark.parametrize(
    "step",
    [
        {"Action": "BatchWriteItem", "RequestItems": [{"PutRequest": {}}]},
        {"Action": "TransactWriteItems", "TransactItems": 1.5},
        {"Action": "PutItem", "TableName": "tbl", "Item": [1]},
        {**TABLE, "TableName": "t2", "KeySchema": [{"AttributeName": [], "KeyType": "HASH"}]},
        {
            "Action": "UpdateTable",
            "TableName": "tbl",
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": {"ReadCapacityUnits": None, "WriteCapacityUnits": 1},
        },
    ],
)
def test_an_sdk_call_of_the_wrong_shape_is_the_engines_error_not_a_crash(step):
    # SDK calls carry any JSON the caller wrote, not what the page's forms allow.
    sim = DynamoDBSimulation.fresh()
    service.sdk_call(sim, TABLE, actor="k", wall=0)
    result = service.sdk_call(sim, step, actor="k", wall=0)
    assert result["Error"]["Code"] == "ValidationException"
    assert sim.log.last["error"]["Code"] == "ValidationException"


# --- any JSON: a valid request of each kind with one part replaced by something else --------

KEY = {"pk": {"S": "a"}}
VALID = [
    PUT,
    {**PUT, "ConditionExpression": "attribute_not_exists(pk)", "ReturnValues": "ALL_OLD"},
    {
        "Action": "UpdateItem",
        "TableName": "tbl",
        "Key": KEY,
        "UpdateExpression": "SET #n = if_not_exists(#n, :z) + :one, l = list_append(:l, :l)",
        "ExpressionAttributeNames": {"#n": "n"},
        "ExpressionAttributeValues": {":z": {"N": "0"}, ":one": {"N": "1"}, ":l": {"L": []}},
    },
    {"Action": "GetItem", "TableName": "tbl", "Key": KEY, "ProjectionExpression": "pk, m.x[0]"},
    {"Action": "DeleteItem", "TableName": "tbl", "Key": KEY, "ReturnValues": "ALL_OLD"},
    {
        "Action": "Query",
        "TableName": "tbl",
        "KeyConditionExpression": "pk = :p",
        "FilterExpression": "size(pk) > :z",
        "ExpressionAttributeValues": {":p": {"S": "a"}, ":z": {"N": "0"}},
        "Limit": 1,
        "ExclusiveStartKey": KEY,
    },
    {"Action": "Scan", "TableName": "tbl", "Segment": 0, "TotalSegments": 2, "Select": "COUNT"},
    {
        "Action": "BatchWriteItem",
        "RequestItems": {"tbl": [{"PutRequest": {"Item": KEY}}, {"DeleteRequest": {"Key": KEY}}]},
    },
    {"Action": "BatchGetItem", "RequestItems": {"tbl": {"Keys": [KEY], "ConsistentRead": True}}},
    {
        "Action": "TransactWriteItems",
        "ClientRequestToken": "token",
        "TransactItems": [
            {"Put": {"TableName": "tbl", "Item": {"pk": {"S": "b"}}}},
            {"ConditionCheck": {"TableName": "tbl", "Key": KEY, "ConditionExpression": "true"}},
        ],
    },
    {"Action": "TransactGetItems", "TransactItems": [{"Get": {"TableName": "tbl", "Key": KEY}}]},
    {
        "Action": "UpdateTable",
        "TableName": "tbl",
        "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    },
    {
        "Action": "UpdateTimeToLive",
        "TableName": "tbl",
        "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "n"},
    },
    {"Action": "ListTables", "Limit": 1, "ExclusiveStartTableName": "a"},
    {**TABLE, "TableName": "t2", "StreamSpecification": {"StreamEnabled": True}},
]
WORDS = ["", "tbl", "pk", "S", "N", "HASH", "ALL_OLD", ":z", "#n", "a = :z", "x" * 300]
NAMES = ["S", "N", "L", "M", "Item", "Key", "TableName", "Put", "PutRequest", "Keys", "Limit"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(WORDS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(NAMES), inner),
    max_leaves=8,
)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict | list):
        for key, child in value.items() if isinstance(value, dict) else enumerate(value):
            yield from _paths(child, (*path, key))


@st.composite
def mutated(draw):
    """A valid request with one part (not its Action) replaced, or removed."""
    step = copy.deepcopy(draw(st.sampled_from(VALID)))
    path = draw(st.sampled_from([p for p in _paths(step) if p and p != ("Action",)]))
    parent = step
    for key in path[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(JSON)
    return step


@settings(max_examples=400, deadline=None)
@given(step=mutated())
def test_any_json_is_a_result_or_the_engines_error_never_a_crash(step):
    sim = DynamoDBSimulation.fresh()
    service.sdk_call(sim, TABLE, actor="k", wall=0)
    service.sdk_call(sim, {**PUT, "Item": {**KEY, "n": {"N": "1"}}}, actor="k", wall=0)
    result = service.sdk_call(sim, step, actor="k", wall=1)
    json.dumps(result)
    sim.to_parts(changed=True)
