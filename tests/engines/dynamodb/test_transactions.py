"""TransactWriteItems and TransactGetItems (GUIDE + "transaction-apis.html"; API +
"API_TransactWriteItems.html", "API_TransactionCanceledException.html")."""

from __future__ import annotations

import pytest

from studyapp.engines.dynamodb import DynamoDB

from .support import call, code, create, item, ok

T = "Accounts"


@pytest.fixture
def bank(engine: DynamoDB) -> DynamoDB:
    create(engine, T, pk=("id", "S"), rcu=100, wcu=100)
    ok(engine, "PutItem", TableName=T, Item=item(id="alice", balance=100))
    ok(engine, "PutItem", TableName=T, Item=item(id="bob", balance=10))
    return engine


def transfer(amount: int) -> list[dict]:
    value = {":a": {"N": str(amount)}}
    return [
        {
            "Update": {
                "TableName": T,
                "Key": item(id="alice"),
                "UpdateExpression": "SET balance = balance - :a",
                "ConditionExpression": "balance >= :a",
                "ExpressionAttributeValues": value,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
        {
            "Update": {
                "TableName": T,
                "Key": item(id="bob"),
                "UpdateExpression": "SET balance = balance + :a",
                "ExpressionAttributeValues": value,
            }
        },
    ]


def balances(engine) -> dict[str, str]:
    items = ok(engine, "Scan", TableName=T, ConsistentRead=True)["Items"]
    return {entry["id"]["S"]: entry["balance"]["N"] for entry in items}


def test_all_or_nothing(bank):
    # transaction-apis.html: "The actions are completed atomically so that either all of them
    # succeed or none of them succeeds."
    assert ok(bank, "TransactWriteItems", TransactItems=transfer(30)) == {}
    assert balances(bank) == {"alice": "70", "bob": "40"}
    failed = call(bank, "TransactWriteItems", TransactItems=transfer(500))
    assert balances(bank) == {"alice": "70", "bob": "40"}
    # API Reference, TransactionCanceledException: "Transaction cancellation reasons are ordered
    # in the order of requested items, if an item has no error it will have None code and Null
    # message."
    assert failed["Error"] == {
        "Code": "TransactionCanceledException",
        "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[ConditionalCheckFailed, None]",
    }
    assert failed["CancellationReasons"] == [
        {
            "Code": "ConditionalCheckFailed",
            "Message": "The conditional request failed",
            "Item": item(id="alice", balance=70),
        },
        {"Code": "None"},
    ]


def test_condition_check_guards_an_item_not_written(bank):
    # "ConditionCheck — Checks that an item exists or checks the condition of specific
    # attributes of the item."
    check = {
        "ConditionCheck": {
            "TableName": T,
            "Key": item(id="carol"),
            "ConditionExpression": "attribute_exists(id)",
        }
    }
    put = {"Put": {"TableName": T, "Item": item(id="dave", balance=0)}}
    failed = call(bank, "TransactWriteItems", TransactItems=[put, check])
    assert [r["Code"] for r in failed["CancellationReasons"]] == ["None", "ConditionalCheckFailed"]
    assert "dave" not in balances(bank)


def test_one_item_twice_is_a_validation_error(bank):
    # "You can't target the same item with multiple operations within the same transaction."
    items = [*transfer(1), {"Delete": {"TableName": T, "Key": item(id="bob")}}]
    found = call(bank, "TransactWriteItems", TransactItems=items)["Error"]
    assert found == {
        "Code": "ValidationException",
        "Message": "Transaction request cannot include multiple operations on one item",
    }


def test_at_most_100_actions(bank):
    # "TransactWriteItems is a synchronous and idempotent write operation that groups up to 100
    # write actions"
    items = [{"Put": {"TableName": T, "Item": item(id=f"u{n}")}} for n in range(101)]
    assert code(bank, "TransactWriteItems", TransactItems=items) == "ValidationException"
    assert ok(bank, "TransactWriteItems", TransactItems=items[:100]) == {}


def test_errors_in_an_update_cancel_with_a_validation_error_reason(bank):
    items = [
        {"Put": {"TableName": T, "Item": item(id="erin", balance=1)}},
        {
            "Update": {
                "TableName": T,
                "Key": item(id="bob"),
                "UpdateExpression": "SET balance = nothing + :a",
                "ExpressionAttributeValues": {":a": {"N": "1"}},
            }
        },
    ]
    failed = call(bank, "TransactWriteItems", TransactItems=items)
    assert failed["CancellationReasons"][1]["Code"] == "ValidationError"
    assert "erin" not in balances(bank)


def test_throttled_transactions_are_cancelled(engine):
    # API Reference, TransactionCanceledException: "Provisioned Throughput Exceeded: Code:
    # ProvisionedThroughputExceeded".
    create(engine, T, pk=("id", "S"), rcu=1, wcu=1)
    items = [
        {"Put": {"TableName": T, "Item": item(id="a")}},
        {"Put": {"TableName": T, "Item": item(id="b")}},
    ]
    assert ok(engine, "TransactWriteItems", TransactItems=items) == {}
    failed = call(engine, "TransactWriteItems", TransactItems=items)
    assert [r["Code"] for r in failed["CancellationReasons"]] == [
        "ProvisionedThroughputExceeded"
    ] * 2


def test_client_request_token_makes_the_call_idempotent(bank):
    # "If the original TransactWriteItems call was successful, the subsequent TransactWriteItems
    # calls with the same client token return successfully without making any changes." "If you
    # repeat a request with the same client token within the 10-minute idempotency window but
    # change some other request parameter, DynamoDB returns an IdempotentParameterMismatch
    # exception." "After 10 minutes, any request that uses the same client token is treated as a
    # new request."
    ok(bank, "TransactWriteItems", TransactItems=transfer(10), ClientRequestToken="t-1")
    ok(bank, "TransactWriteItems", TransactItems=transfer(10), ClientRequestToken="t-1")
    assert balances(bank) == {"alice": "90", "bob": "20"}
    assert code(
        bank, "TransactWriteItems", TransactItems=transfer(20), ClientRequestToken="t-1"
    ) == ("IdempotentParameterMismatchException")
    ok(bank, "Advance", Seconds=600)
    ok(bank, "TransactWriteItems", TransactItems=transfer(10), ClientRequestToken="t-1")
    assert balances(bank) == {"alice": "80", "bob": "30"}


def test_transact_get_items(bank):
    # "Get — Initiates a GetItem operation ... If no matching item is found, Get does not
    # return any data."
    result = ok(
        bank,
        "TransactGetItems",
        TransactItems=[
            {"Get": {"TableName": T, "Key": item(id="alice"), "ProjectionExpression": "balance"}},
            {"Get": {"TableName": T, "Key": item(id="nobody")}},
        ],
    )
    assert result == {"Responses": [{"Item": item(balance=100)}, {}]}


def test_transaction_streams_all_changes(bank):
    ok(
        bank,
        "UpdateTable",
        TableName=T,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    ok(bank, "TransactWriteItems", TransactItems=transfer(5))
    records = bank.stream_records(T)
    assert [r["eventName"] for r in records] == ["MODIFY", "MODIFY"]
    assert records[0]["dynamodb"]["NewImage"]["balance"] == {"N": "95"}
