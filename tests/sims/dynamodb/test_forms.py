"""The DynamoDB simulator's forms: what a learner submits becomes one request, or a clear error."""

from __future__ import annotations

import json

import pytest

from studyapp.sims.dynamodb import forms, service
from studyapp.sims.dynamodb.simulation import DynamoDBSimulation


@pytest.fixture
def sim() -> DynamoDBSimulation:
    sim = DynamoDBSimulation.fresh()
    step = {
        "Action": "CreateTable",
        "TableName": "Orders",
        "AttributeDefinitions": [
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "orderId", "AttributeType": "N"},
            {"AttributeName": "status", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "customer", "KeyType": "HASH"},
            {"AttributeName": "orderId", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "ByStatus",
                "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }
    assert service.call(sim, step) == ""
    return sim


ITEM = json.dumps({"customer": {"S": "c1"}, "orderId": {"N": "7"}, "total": {"N": "12"}})


def test_an_update_sends_only_the_key_with_its_expressions(sim):
    form = forms.ItemForm(
        {
            "table": "Orders",
            "operation": "UpdateItem",
            "item": ITEM,
            "update": "SET total = total + :d",
            "condition": "attribute_exists(customer)",
            "values": '{":d": {"N": "1"}}',
        },
        sim,
    )
    assert form.is_valid(), form.errors
    assert form.step() == {
        "Action": "UpdateItem",
        "TableName": "Orders",
        "Key": {"customer": {"S": "c1"}, "orderId": {"N": "7"}},
        "UpdateExpression": "SET total = total + :d",
        "ConditionExpression": "attribute_exists(customer)",
        "ExpressionAttributeValues": {":d": {"N": "1"}},
    }


def test_a_put_sends_the_whole_item_and_a_get_its_consistency(sim):
    put = forms.ItemForm({"table": "Orders", "operation": "PutItem", "item": ITEM}, sim)
    assert put.is_valid() and put.step()["Item"] == json.loads(ITEM)
    get = forms.ItemForm(
        {"table": "Orders", "operation": "GetItem", "item": ITEM, "consistent": "on"}, sim
    )
    assert get.is_valid() and get.step()["ConsistentRead"] is True
    assert "Item" not in get.step()


@pytest.mark.parametrize(
    ("item", "says"),
    [
        ("{not json", "The item is not valid JSON"),
        ("[1, 2]", "The item must be a JSON object"),
        ('{"a": ' * 60 + "1" + "}" * 60, "nested too deeply"),
    ],
)
def test_an_item_that_is_not_a_json_object_is_a_form_error(sim, item, says):
    form = forms.ItemForm({"table": "Orders", "operation": "PutItem", "item": item}, sim)
    assert not form.is_valid()
    assert says in str(form.errors["item"])


def test_only_the_simulations_tables_and_their_indexes_are_accepted(sim):
    form = forms.ItemForm({"table": "Other", "operation": "PutItem", "item": ITEM}, sim)
    assert not form.is_valid() and "table" in form.errors
    read = forms.ReadForm({"table": "Orders", "operation": "Scan", "index": "Nope"}, sim)
    assert not read.is_valid()
    assert "The table Orders has no index Nope." in str(read.errors["index"])
    ok = forms.ReadForm({"table": "Orders", "operation": "Scan", "index": "ByStatus"}, sim)
    assert ok.is_valid() and ok.step()["IndexName"] == "ByStatus"


def test_without_a_table_the_form_says_to_create_one():
    form = forms.ItemForm(
        {"table": "x", "operation": "PutItem", "item": "{}"}, DynamoDBSimulation.fresh()
    )
    assert not form.is_valid()


def test_a_query_builds_the_request_the_api_takes(sim):
    form = forms.ReadForm(
        {
            "table": "Orders",
            "operation": "Query",
            "key_condition": "customer = :c",
            "filter": "total > :t",
            "projection": "orderId",
            "values": '{":c": {"S": "c1"}, ":t": {"N": "5"}}',
            "limit": "3",
            "descending": "on",
        },
        sim,
    )
    assert form.is_valid(), form.errors
    assert form.step() == {
        "Action": "Query",
        "TableName": "Orders",
        "KeyConditionExpression": "customer = :c",
        "FilterExpression": "total > :t",
        "ProjectionExpression": "orderId",
        "ExpressionAttributeValues": {":c": {"S": "c1"}, ":t": {"N": "5"}},
        "Limit": 3,
        "ScanIndexForward": False,
    }


def test_create_table_with_a_gsi_declares_each_key_attribute_once():
    form = forms.CreateTableForm(
        {
            "name": "Orders",
            "pk": "customer",
            "pk_type": "S",
            "sk": "orderId",
            "sk_type": "N",
            "mode": "PROVISIONED",
            "rcu": "10",
            "wcu": "5",
            "gsi": "ByCustomer",
            "gsi_pk": "customer",
            "gsi_pk_type": "S",
            "gsi_sk_type": "S",
            "gsi_projection": "KEYS_ONLY",
        }
    )
    assert form.is_valid(), form.errors
    step = form.step()
    assert step["AttributeDefinitions"] == [
        {"AttributeName": "customer", "AttributeType": "S"},
        {"AttributeName": "orderId", "AttributeType": "N"},
    ]
    index = step["GlobalSecondaryIndexes"][0]
    assert index["ProvisionedThroughput"] == {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}


def test_create_table_refuses_a_key_given_two_types_and_provisioned_without_units():
    form = forms.CreateTableForm(
        {
            "name": "Orders",
            "pk": "id",
            "pk_type": "S",
            "sk": "id",
            "sk_type": "N",
            "mode": "PROVISIONED",
            "gsi_pk_type": "S",
            "gsi_sk_type": "S",
            "gsi_projection": "ALL",
        }
    )
    assert not form.is_valid()
    assert "id is given two different types." in str(form.errors["sk_type"])
    assert "Provisioned capacity needs a number of units." in str(form.errors["rcu"])


def test_a_workload_is_capped():
    sim = DynamoDBSimulation.fresh()
    service.call(
        sim,
        {
            "Action": "CreateTable",
            "TableName": "Events",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    data = {"table": "Events", "operation": "PutItem", "rate": "5000", "seconds": "3", "keys": "9"}
    form = forms.WorkloadForm(data, sim)
    assert not form.is_valid()
    assert "at most 10,000 requests" in str(form.errors)
    form = forms.WorkloadForm({**data, "seconds": "2", "hot_key": "k"}, sim)
    assert form.is_valid(), form.errors
    assert form.step()["HotShare"] == 1.0
