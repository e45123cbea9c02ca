"""Amazon DynamoDB through the endpoint with boto3, on the learner's own simulator."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from studyapp.accounts.models import ApiKey
from studyapp.awsapi.dynamodb import OPERATIONS

pytest.importorskip("botocore")  # the dev extra: its signer is the reference
from .support import signed

pytestmark = pytest.mark.django_db(transaction=True)

ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/"
TYPE = "com.amazonaws.dynamodb.v20120810#"


def create_orders(dynamodb, name="orders", **capacity):
    """A table keyed by customer (partition) and order number (sort)."""
    billing = (
        {"ProvisionedThroughput": capacity} if capacity else {"BillingMode": "PAY_PER_REQUEST"}
    )
    return dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "order", "AttributeType": "N"},
        ],
        KeySchema=[
            {"AttributeName": "customer", "KeyType": "HASH"},
            {"AttributeName": "order", "KeyType": "RANGE"},
        ],
        **billing,
    )["TableDescription"]


def order(customer, number, **attributes):
    return {
        "customer": {"S": customer},
        "order": {"N": str(number)},
        **{name: {"N": str(value)} for name, value in attributes.items()},
    }


def test_create_put_get_and_list(dynamodb):
    created = create_orders(dynamodb)
    assert created["TableArn"] == ARN + "orders"
    assert created["TableStatus"] == "ACTIVE"
    dynamodb.put_item(TableName="orders", Item=order("ana", 1, total=30))
    got = dynamodb.get_item(TableName="orders", Key=order("ana", 1), ConsistentRead=True)
    assert got["Item"] == order("ana", 1, total=30)
    assert "Item" not in dynamodb.get_item(TableName="orders", Key=order("bo", 1))
    assert dynamodb.list_tables()["TableNames"] == ["orders"]
    assert dynamodb.describe_table(TableName="orders")["Table"]["ItemCount"] == 1


def test_a_failed_condition_raises_the_modelled_exception_with_the_item(dynamodb):
    # Optimistic locking: write only if the version is still the one read. "If the condition
    # evaluates to false, [...] ConditionalCheckFailedException"; with
    # ReturnValuesOnConditionCheckFailure=ALL_OLD the item is returned with it (UpdateItem).
    create_orders(dynamodb)
    dynamodb.put_item(
        TableName="orders",
        Item=order("ana", 1, version=1),
        ConditionExpression="attribute_not_exists(customer)",
    )
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException) as raised:
        dynamodb.update_item(
            TableName="orders",
            Key=order("ana", 1),
            UpdateExpression="SET version = :next",
            ConditionExpression="version = :read",
            ExpressionAttributeValues={":read": {"N": "0"}, ":next": {"N": "1"}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    response = raised.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Message"] == "The conditional request failed"
    assert response["Item"] == order("ana", 1, version=1)


def test_a_query_is_read_page_by_page(dynamodb):
    # "If LastEvaluatedKey is present in the response, you need to paginate the result set":
    # the next Query starts at ExclusiveStartKey = that key (Query API Reference).
    create_orders(dynamodb)
    for number in range(7):
        dynamodb.put_item(TableName="orders", Item=order("ana", number))
    dynamodb.put_item(TableName="orders", Item=order("bo", 1))
    query = {
        "TableName": "orders",
        "KeyConditionExpression": "customer = :c",
        "ExpressionAttributeValues": {":c": {"S": "ana"}},
        "Limit": 3,
    }
    pages, start = [], {}
    while True:
        page = dynamodb.query(**query, **start)
        pages.append([int(item["order"]["N"]) for item in page["Items"]])
        if "LastEvaluatedKey" not in page:
            break
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
    assert pages == [[0, 1, 2], [3, 4, 5], [6]]

    paginator = dynamodb.get_paginator("query")
    del query["Limit"]
    seen = [
        int(item["order"]["N"])
        for page in paginator.paginate(**query, PaginationConfig={"PageSize": 2})
        for item in page["Items"]
    ]
    assert seen == list(range(7))


def test_a_cancelled_transaction_carries_a_reason_per_action(dynamodb):
    # TransactionCanceledException: "CancellationReasons [...] ordered by the actions of the
    # request", Code "None" for the actions that did not fail; nothing is written.
    create_orders(dynamodb)
    dynamodb.put_item(TableName="orders", Item=order("ana", 1))
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException) as raised:
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "orders", "Item": order("bo", 1)}},
                {
                    "Put": {
                        "TableName": "orders",
                        "Item": order("ana", 1),
                        "ConditionExpression": "attribute_not_exists(customer)",
                    }
                },
            ]
        )
    reasons = raised.value.response["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == ["None", "ConditionalCheckFailed"]
    assert "Item" not in dynamodb.get_item(TableName="orders", Key=order("bo", 1))


def test_a_throttled_write_is_retried_by_botocore_then_succeeds_a_second_later(
    make_client, api_key
):
    # A provisioned table of 1 WCU starts with one second's capacity and no burst; past it,
    # ProvisionedThroughputExceededException, which "the AWS SDKs for DynamoDB automatically
    # retry" (Developer Guide, error handling).
    key, secret = api_key
    retrying = make_client("dynamodb", key.access_key_id, secret, attempts=3)
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        create_orders(retrying, ReadCapacityUnits=1, WriteCapacityUnits=1)
        retrying.put_item(TableName="orders", Item=order("ana", 1))
        with pytest.raises(retrying.exceptions.ProvisionedThroughputExceededException) as raised:
            retrying.put_item(TableName="orders", Item=order("ana", 2))
        response = raised.value.response
        assert response["ResponseMetadata"]["RetryAttempts"] == 2
        assert response["ThrottlingReasons"][0]["resource"] == ARN + "orders"
        traveller.shift(1)  # the clock follows wall time: the next second has capacity
        retrying.put_item(TableName="orders", Item=order("ana", 2))


def test_a_policy_that_denies_delete_item_is_access_denied(make_client, api_key):
    key, secret = api_key
    key.policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
                {"Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": ARN + "orders"},
            ],
        }
    )
    key.save()
    dynamodb = make_client("dynamodb", key.access_key_id, secret)
    create_orders(dynamodb)
    dynamodb.put_item(TableName="orders", Item=order("ana", 1))
    with pytest.raises(dynamodb.exceptions.ClientError) as raised:
        dynamodb.delete_item(TableName="orders", Key=order("ana", 1))
    error = raised.value.response
    assert error["Error"]["Code"] == "AccessDeniedException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "dynamodb:DeleteItem on resource: " + ARN + "orders" in error["Error"]["Message"]
    # A transaction's Delete is authorized as DeleteItem too.
    with pytest.raises(dynamodb.exceptions.ClientError):
        dynamodb.transact_write_items(
            TransactItems=[{"Delete": {"TableName": "orders", "Key": order("ana", 1)}}]
        )
    assert "Item" in dynamodb.get_item(TableName="orders", Key=order("ana", 1))
    denial = ApiKey.objects.get(pk=key.pk).last_denial
    assert (denial["action"], denial["resource"]) == ("dynamodb:DeleteItem", ARN + "orders")


def test_a_batch_is_authorized_as_its_own_action_on_each_table(make_client, api_key):
    key, secret = api_key
    key.policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "dynamodb:CreateTable", "Resource": "*"},
                {"Effect": "Allow", "Action": "dynamodb:BatchWriteItem", "Resource": ARN + "a-1"},
            ],
        }
    )
    key.save()
    dynamodb = make_client("dynamodb", key.access_key_id, secret)
    create_orders(dynamodb, "a-1")
    create_orders(dynamodb, "b-2")
    put = {"PutRequest": {"Item": order("ana", 1)}}
    dynamodb.batch_write_item(RequestItems={"a-1": [put]})
    with pytest.raises(dynamodb.exceptions.ClientError) as raised:
        dynamodb.batch_write_item(RequestItems={"a-1": [put], "b-2": [put]})
    assert "dynamodb:BatchWriteItem on resource: " + ARN + "b-2" in str(raised.value)


def test_the_simulator_page_shows_the_table_and_each_sdk_call(dynamodb, client, learner, api_key):
    create_orders(dynamodb, "sdk-orders")
    dynamodb.put_item(TableName="sdk-orders", Item=order("from-my-script", 1))
    client.force_login(learner)
    page = client.get("/sims/dynamodb/").content.decode()
    assert "sdk-orders" in page
    assert "from-my-script" in page
    assert f"SDK {api_key[0].access_key_id}" in page
    assert "PutItem on sdk-orders" in page


def nested(levels):
    """An item whose map attribute holds a map ... ``levels`` deep (two JSON levels each)."""
    value = {"S": "bottom"}
    for _ in range(levels):
        value = {"M": {"m": value}}
    return {"pk": {"S": "a"}, "m": value}


def call_raw(client, api_key, operation, body):
    """A signed DynamoDB call with any body (boto3 would refuse to send a wrong type)."""
    key, secret = api_key
    target = f"DynamoDB_20120810.{operation}"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = signed(
        client, key.access_key_id, secret, service="dynamodb", target=target, body=data
    )
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize(
    ("operation", "body", "code"),
    [
        ("ListTables", b"{not json", "SerializationException"),
        ("ListTables", b"[" * 100_000, "SerializationException"),  # nested past the parser
        ("PutItem", {"TableName": "tbl", "Item": nested(200)}, "SerializationException"),
        ("ListTables", b"[]", "SerializationException"),
        ("Advance", {"Seconds": 60}, "UnknownOperationException"),  # the page's clock only
        ("Workload", {}, "UnknownOperationException"),
        ("PutItem", {"TableName": 5, "Item": {}}, "ValidationException"),
        ("BatchWriteItem", {"RequestItems": [1]}, "ValidationException"),
        (
            "GetItem",
            {"TableName": "missing", "Key": {"k": {"S": "x"}}},
            "ResourceNotFoundException",
        ),
    ],
)
def test_bad_input_gets_dynamodbs_error_shape_and_a_400(client, api_key, operation, body, code):
    status, answer = call_raw(client, api_key, operation, body)
    assert (status, answer["__type"]) == (400, TYPE + code)
    assert answer["message"]


WRONG_TYPE = {
    "ListTables": {"Limit": "ten"},
    "BatchGetItem": {"RequestItems": 7},
    "BatchWriteItem": {"RequestItems": 7},
    "TransactGetItems": {"TransactItems": 7},
    "TransactWriteItems": {"TransactItems": {"Put": {}}},
}


def test_every_operation_answers_a_wrong_type_with_a_validation_error(client, api_key):
    # The deeper shapes are fuzzed on the simulator (tests/sims/dynamodb/test_sdk_call.py).
    for operation in sorted(OPERATIONS):
        body = WRONG_TYPE.get(operation, {"TableName": 7})
        status, answer = call_raw(client, api_key, operation, body)
        assert (status, answer["__type"]) == (400, TYPE + "ValidationException"), operation
