"""Queue creation and attributes: AWS's ranges, defaults and error codes.

Sources: API Reference CreateQueue, SetQueueAttributes, GetQueueAttributes, DeleteQueue
(wait 60 seconds before re-creating a queue of the same name), ListQueues; SQS Developer
Guide "Amazon SQS message quotas" (retention 60 s to 14 days, default 4 days; 1 MiB).
"""

from __future__ import annotations

import pytest

from studyapp.engines.sqs import SqsEngine

from .support import advance, call, counts, create, error, ok, receive, send


def test_defaults_are_those_of_the_api_reference():
    e = SqsEngine()
    create(e, "q")
    a = ok(e, "GetQueueAttributes", QueueName="q", AttributeNames=["All"])["Attributes"]
    assert a["VisibilityTimeout"] == "30"
    assert a["DelaySeconds"] == "0"
    assert a["MessageRetentionPeriod"] == "345600"
    assert a["MaximumMessageSize"] == "1048576"
    assert a["ReceiveMessageWaitTimeSeconds"] == "0"
    assert a["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:q"


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("VisibilityTimeout", 0, 43_200),
        ("DelaySeconds", 0, 900),
        ("MessageRetentionPeriod", 60, 1_209_600),
        ("MaximumMessageSize", 1024, 1_048_576),
        ("ReceiveMessageWaitTimeSeconds", 0, 20),
    ],
)
def test_integer_attributes_accept_their_range_and_reject_outside_it(name, low, high):
    e = SqsEngine()
    create(e, "q")
    for good in (low, high):
        ok(e, "SetQueueAttributes", QueueName="q", Attributes={name: str(good)})
    for bad in (low - 1, high + 1, "ten"):
        code = error(e, "SetQueueAttributes", QueueName="q", Attributes={name: str(bad)})
        assert code == "InvalidAttributeValue"
    code = error(e, "CreateQueue", QueueName="other", Attributes={name: str(high + 1)})
    assert code == "InvalidAttributeValue"


def test_unknown_attribute_name_is_rejected():
    e = SqsEngine()
    assert error(e, "CreateQueue", QueueName="q", Attributes={"Colour": "red"}) == (
        "InvalidAttributeName"
    )
    create(e, "q")
    assert error(e, "GetQueueAttributes", QueueName="q", AttributeNames=["Colour"]) == (
        "InvalidAttributeName"
    )


def test_queue_type_cannot_change_after_creation():
    e = SqsEngine()
    create(e, "q")
    assert error(e, "SetQueueAttributes", QueueName="q", Attributes={"FifoQueue": "true"}) == (
        "InvalidAttributeName"
    )


def test_queue_name_rules():
    e = SqsEngine()
    assert error(e, "CreateQueue", QueueName="bad name") == "InvalidParameterValue"
    assert error(e, "CreateQueue", QueueName="x" * 81) == "InvalidParameterValue"
    assert error(e, "CreateQueue") == "MissingParameter"
    create(e, "x" * 80)


def test_create_queue_is_idempotent_but_not_with_different_attributes():
    e = SqsEngine()
    first = ok(e, "CreateQueue", QueueName="q", Attributes={"VisibilityTimeout": "60"})
    again = ok(e, "CreateQueue", QueueName="q", Attributes={"VisibilityTimeout": "60"})
    assert first == again
    code = error(e, "CreateQueue", QueueName="q", Attributes={"VisibilityTimeout": "61"})
    assert code == "QueueNameExists"


def test_deleted_queue_name_is_free_again_after_60_seconds():
    e = SqsEngine()
    create(e, "q")
    ok(e, "DeleteQueue", QueueName="q")
    assert error(e, "GetQueueUrl", QueueName="q") == "QueueDoesNotExist"
    assert error(e, "CreateQueue", QueueName="q") == "QueueDeletedRecently"
    advance(e, 60)
    create(e, "q")


def test_approximate_counts_follow_visible_in_flight_and_delayed_messages():
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=30)
    send(e, "q", "visible")
    send(e, "q", "in-flight")
    send(e, "q", "delayed", DelaySeconds=60)
    receive(e, "q", 1)
    assert counts(e, "q") == (1, 1, 1)
    advance(e, 30)
    assert counts(e, "q") == (2, 0, 1)
    advance(e, 30)
    assert counts(e, "q") == (3, 0, 0)


def test_get_queue_attributes_returns_only_what_was_asked():
    e = SqsEngine()
    create(e, "q")
    send(e, "q", "A")
    result = ok(
        e, "GetQueueAttributes", QueueName="q", AttributeNames=["ApproximateNumberOfMessages"]
    )
    assert result == {"Attributes": {"ApproximateNumberOfMessages": "1"}}
    assert call(e, "GetQueueAttributes", QueueName="q") == {}


def test_list_queues_filters_by_prefix():
    e = SqsEngine()
    for name in ("orders", "orders-dlq", "payments"):
        create(e, name)
    urls = ok(e, "ListQueues", QueueNamePrefix="orders")["QueueUrls"]
    assert [u.rsplit("/", 1)[1] for u in urls] == ["orders", "orders-dlq"]
    assert call(e, "ListQueues", QueueNamePrefix="zzz") == {}
