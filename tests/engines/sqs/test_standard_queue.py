"""Standard queues: visibility timeout, delays, retention, long polling, message limits.

Sources: Amazon SQS Developer Guide pages "Amazon SQS visibility timeout"
(sqs-visibility-timeout), "Amazon SQS delay queues" (sqs-delay-queues), "Amazon SQS message
timers", "Amazon SQS short and long polling" (sqs-short-and-long-polling), "Amazon SQS message
quotas" (quotas-messages); API Reference pages SendMessage, ReceiveMessage, DeleteMessage,
ChangeMessageVisibility.
"""

from __future__ import annotations

from studyapp.engines.sqs import SqsEngine

from .support import (
    advance,
    bodies,
    call,
    counts,
    create,
    delete,
    error,
    ok,
    receive,
    send,
)


def test_received_message_is_invisible_until_visibility_timeout_ends():
    """Visibility timeout guide: a received message stays in the queue, hidden from other
    consumers for the visibility timeout (default 30 s), then becomes visible again."""
    e = SqsEngine()
    create(e, "q")
    send(e, "q", "A")
    first = receive(e, "q")
    assert bodies(first) == ["A"]
    assert receive(e, "q") == []
    advance(e, 29.9)
    assert receive(e, "q") == []
    advance(e, 0.1)
    again = receive(e, "q")
    assert bodies(again) == ["A"]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"
    assert again[0]["ReceiptHandle"] != first[0]["ReceiptHandle"]


def test_receive_returns_oldest_first_up_to_max_number_of_messages():
    e = SqsEngine()
    create(e, "q")
    for body in "ABCDEFGHIJKL":
        send(e, "q", body)
    assert bodies(receive(e, "q", 10)) == list("ABCDEFGHIJ")
    assert bodies(receive(e, "q", 10)) == ["K", "L"]


def test_receive_attributes_carry_counts_and_timestamps():
    """ReceiveMessage with All: ApproximateReceiveCount, SentTimestamp,
    ApproximateFirstReceiveTimestamp (epoch milliseconds)."""
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=5)
    start = e.clock.now_ms()
    send(e, "q", "A")
    advance(e, 2)
    first = receive(e, "q")[0]["Attributes"]
    advance(e, 5)
    second = receive(e, "q")[0]["Attributes"]
    assert first["SentTimestamp"] == str(start)
    assert first["ApproximateFirstReceiveTimestamp"] == str(start + 2000)
    assert second["ApproximateFirstReceiveTimestamp"] == str(start + 2000)
    assert (first["ApproximateReceiveCount"], second["ApproximateReceiveCount"]) == ("1", "2")


def test_receive_visibility_timeout_parameter_overrides_the_queue_default():
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=300)
    send(e, "q", "A")
    receive(e, "q", VisibilityTimeout=10)
    advance(e, 10)
    assert bodies(receive(e, "q")) == ["A"]


def test_deleted_message_is_never_received_again():
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=1)
    send(e, "q", "A")
    delete(e, "q", receive(e, "q")[0])
    advance(e, 60)
    assert receive(e, "q") == []
    assert counts(e, "q") == (0, 0, 0)


def test_delete_with_an_older_receipt_handle_succeeds_but_keeps_the_message():
    """API Reference, DeleteMessage: without the most recently received receipt handle the
    request succeeds, but the message is not deleted."""
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=1)
    send(e, "q", "A")
    old = receive(e, "q")[0]
    advance(e, 1)
    new = receive(e, "q")[0]
    ok(e, "DeleteMessage", QueueName="q", ReceiptHandle=old["ReceiptHandle"])
    assert counts(e, "q") == (0, 1, 0)
    delete(e, "q", new)
    assert counts(e, "q") == (0, 0, 0)


def test_deleting_twice_is_not_an_error():
    e = SqsEngine()
    create(e, "q")
    send(e, "q", "A")
    m = receive(e, "q")[0]
    delete(e, "q", m)
    delete(e, "q", m)


def test_malformed_receipt_handle_is_rejected():
    e = SqsEngine()
    create(e, "q")
    assert error(e, "DeleteMessage", QueueName="q", ReceiptHandle="nonsense") == (
        "ReceiptHandleIsInvalid"
    )
    assert error(e, "DeleteMessage", QueueName="q") == "MissingParameter"


def test_receipt_handle_of_another_queue_is_rejected():
    e = SqsEngine()
    create(e, "a")
    create(e, "b")
    send(e, "a", "A")
    m = receive(e, "a")[0]
    assert error(e, "DeleteMessage", QueueName="b", ReceiptHandle=m["ReceiptHandle"]) == (
        "ReceiptHandleIsInvalid"
    )


def test_change_visibility_counts_from_the_call_not_from_the_receive():
    """API Reference, ChangeMessageVisibility: with a 60 s queue timeout, 15 s after the receive
    a change to 10 s makes the message visible 10 s after the call (25 s in all)."""
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=60)
    send(e, "q", "A")
    m = receive(e, "q")[0]
    advance(e, 15)
    ok(
        e,
        "ChangeMessageVisibility",
        QueueName="q",
        ReceiptHandle=m["ReceiptHandle"],
        VisibilityTimeout=10,
    )
    advance(e, 9.9)
    assert receive(e, "q") == []
    advance(e, 0.1)
    assert bodies(receive(e, "q")) == ["A"]


def test_change_visibility_to_zero_makes_the_message_visible_at_once():
    """Visibility timeout guide: a timeout of 0 makes the message visible to others at once."""
    e = SqsEngine()
    create(e, "q")
    send(e, "q", "A")
    m = receive(e, "q")[0]
    ok(
        e,
        "ChangeMessageVisibility",
        QueueName="q",
        ReceiptHandle=m["ReceiptHandle"],
        VisibilityTimeout=0,
    )
    assert counts(e, "q") == (1, 0, 0)
    assert bodies(receive(e, "q")) == ["A"]


def test_change_visibility_is_capped_at_12_hours_from_the_receive():
    """ChangeMessageVisibility: the total visibility timeout of a received message cannot
    exceed 12 hours (43,200 s) counted from the receive; beyond it the request is rejected."""
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=7200)
    send(e, "q", "A")
    handle = receive(e, "q")[0]["ReceiptHandle"]
    advance(e, 3600)
    assert (
        error(
            e,
            "ChangeMessageVisibility",
            QueueName="q",
            ReceiptHandle=handle,
            VisibilityTimeout=39_601,
        )
        == "InvalidParameterValue"
    )
    ok(e, "ChangeMessageVisibility", QueueName="q", ReceiptHandle=handle, VisibilityTimeout=39_600)
    advance(e, 39_599)
    assert receive(e, "q") == []
    advance(e, 1)
    assert bodies(receive(e, "q")) == ["A"]


def test_change_visibility_rejects_values_outside_0_to_43200():
    e = SqsEngine()
    create(e, "q")
    send(e, "q", "A")
    handle = receive(e, "q")[0]["ReceiptHandle"]
    for bad in (-1, 43_201):
        assert (
            error(
                e,
                "ChangeMessageVisibility",
                QueueName="q",
                ReceiptHandle=handle,
                VisibilityTimeout=bad,
            )
            == "InvalidParameterValue"
        )


def test_change_visibility_of_a_message_no_longer_in_flight_fails():
    """API Reference, ChangeMessageVisibility errors: MessageNotInflight."""
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=5)
    send(e, "q", "A")
    handle = receive(e, "q")[0]["ReceiptHandle"]
    advance(e, 5)
    assert (
        error(
            e, "ChangeMessageVisibility", QueueName="q", ReceiptHandle=handle, VisibilityTimeout=5
        )
        == "MessageNotInflight"
    )


def test_delay_queue_hides_new_messages_for_delay_seconds():
    """Delay queues guide: DelaySeconds (0-900) postpones delivery of every new message."""
    e = SqsEngine()
    create(e, "q", DelaySeconds=45)
    send(e, "q", "A")
    assert counts(e, "q") == (0, 0, 1)
    advance(e, 44)
    assert receive(e, "q") == []
    advance(e, 1)
    assert bodies(receive(e, "q")) == ["A"]


def test_message_timer_overrides_the_queue_delay():
    """Message timers guide: a per-message DelaySeconds overrides the queue's DelaySeconds."""
    e = SqsEngine()
    create(e, "q", DelaySeconds=60)
    send(e, "q", "timer", DelaySeconds=0)
    send(e, "q", "queue-delay")
    got = receive(e, "q")
    assert bodies(got) == ["timer"]
    delete(e, "q", got[0])
    advance(e, 60)
    assert bodies(receive(e, "q")) == ["queue-delay"]


def test_message_timer_above_900_seconds_is_rejected():
    e = SqsEngine()
    create(e, "q")
    assert error(e, "SendMessage", QueueName="q", MessageBody="A", DelaySeconds=901) == (
        "InvalidParameterValue"
    )


def test_changing_the_queue_delay_does_not_affect_messages_already_sent():
    """Delay queues guide: changing DelaySeconds does not affect messages already in the queue."""
    e = SqsEngine()
    create(e, "q", DelaySeconds=100)
    send(e, "q", "A")
    ok(e, "SetQueueAttributes", QueueName="q", Attributes={"DelaySeconds": "0"})
    assert receive(e, "q") == []
    advance(e, 100)
    assert bodies(receive(e, "q")) == ["A"]


def test_message_expires_after_the_retention_period():
    """MessageRetentionPeriod (60 s to 14 days): SQS deletes messages older than it."""
    e = SqsEngine()
    create(e, "q", MessageRetentionPeriod=60, VisibilityTimeout=10)
    send(e, "q", "A")
    receive(e, "q")
    advance(e, 59)
    assert counts(e, "q") == (1, 0, 0)
    advance(e, 1)
    assert counts(e, "q") == (0, 0, 0)
    assert receive(e, "q") == []


def test_in_flight_messages_expire_too():
    e = SqsEngine()
    create(e, "q", MessageRetentionPeriod=60, VisibilityTimeout=3600)
    send(e, "q", "A")
    receive(e, "q")
    advance(e, 60)
    assert counts(e, "q") == (0, 0, 0)


def test_shortening_retention_expires_messages_older_than_the_new_period():
    """SetQueueAttributes: reducing MessageRetentionPeriod below the age of existing messages
    expires and deletes them."""
    e = SqsEngine()
    create(e, "q")
    send(e, "q", "old")
    advance(e, 120)
    send(e, "q", "new")
    ok(e, "SetQueueAttributes", QueueName="q", Attributes={"MessageRetentionPeriod": "60"})
    assert bodies(receive(e, "q")) == ["new"]


def test_short_poll_on_an_empty_queue_returns_at_once_with_nothing():
    e = SqsEngine()
    create(e, "q")
    before = e.clock.now()
    assert call(e, "ReceiveMessage", QueueName="q") == {}
    assert e.clock.now() == before


def test_long_poll_returns_as_soon_as_a_message_becomes_available():
    """Short and long polling guide: long polling returns as soon as a message is available;
    here the clock advances to the moment the delayed message becomes visible."""
    e = SqsEngine()
    create(e, "q")
    start = e.clock.now()
    send(e, "q", "A", DelaySeconds=7)
    got = receive(e, "q", WaitTimeSeconds=20)
    assert bodies(got) == ["A"]
    assert e.clock.now() == start + 7


def test_long_poll_waits_out_the_whole_wait_time_when_nothing_arrives():
    e = SqsEngine()
    create(e, "q")
    start = e.clock.now()
    send(e, "q", "late", DelaySeconds=30)
    assert call(e, "ReceiveMessage", QueueName="q", WaitTimeSeconds=20) == {}
    assert e.clock.now() == start + 20


def test_queue_receive_wait_time_enables_long_polling_by_default():
    """ReceiveMessageWaitTimeSeconds (0-20) is the default WaitTimeSeconds of a receive."""
    e = SqsEngine()
    create(e, "q", ReceiveMessageWaitTimeSeconds=20, VisibilityTimeout=12)
    start = e.clock.now()
    send(e, "q", "A")
    receive(e, "q")
    assert bodies(receive(e, "q")) == ["A"]
    assert e.clock.now() == start + 12


def test_receive_parameter_ranges():
    """ReceiveMessage: MaxNumberOfMessages 1-10, WaitTimeSeconds 0-20, VisibilityTimeout 0-43,200."""
    e = SqsEngine()
    create(e, "q")
    for params in (
        {"MaxNumberOfMessages": 0},
        {"MaxNumberOfMessages": 11},
        {"WaitTimeSeconds": 21},
        {"VisibilityTimeout": 43_201},
    ):
        assert error(e, "ReceiveMessage", QueueName="q", **params) == "InvalidParameterValue"


def test_message_of_exactly_one_mebibyte_is_accepted_and_one_byte_more_rejected():
    """Message quotas: the maximum message size is 1 MiB (1,048,576 bytes)."""
    e = SqsEngine()
    create(e, "q")
    send(e, "q", "x" * 1_048_576)
    assert error(e, "SendMessage", QueueName="q", MessageBody="x" * 1_048_577) == (
        "InvalidParameterValue"
    )


def test_message_size_counts_utf8_bytes_and_message_attributes():
    e = SqsEngine()
    create(e, "q", MaximumMessageSize=1024)
    send(e, "q", "é" * 512)  # 1,024 bytes
    assert error(e, "SendMessage", QueueName="q", MessageBody="é" * 513) == "InvalidParameterValue"
    too_big = {"k": {"DataType": "String", "StringValue": "v"}}
    assert (
        error(e, "SendMessage", QueueName="q", MessageBody="x" * 1020, MessageAttributes=too_big)
        == "InvalidParameterValue"
    )


def test_body_with_characters_outside_the_allowed_set_is_rejected():
    """SendMessage: only #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000+."""
    e = SqsEngine()
    create(e, "q")
    assert error(e, "SendMessage", QueueName="q", MessageBody="bad\x00byte") == (
        "InvalidMessageContents"
    )
    assert error(e, "SendMessage", QueueName="q") == "MissingParameter"


def test_message_attributes_are_returned_when_asked_for():
    e = SqsEngine()
    create(e, "q")
    attributes = {"kind": {"DataType": "String", "StringValue": "order"}}
    send(e, "q", "A", MessageAttributes=attributes)
    got = receive(e, "q", MessageAttributeNames=["All"])
    assert got[0]["MessageAttributes"] == attributes


def test_unknown_queue_and_unknown_action_use_aws_error_codes():
    e = SqsEngine()
    assert error(e, "SendMessage", QueueName="nope", MessageBody="A") == "QueueDoesNotExist"
    assert error(e, "Explode") == "InvalidAction"


def test_queue_can_be_named_by_url_or_arn():
    e = SqsEngine()
    url = ok(e, "CreateQueue", QueueName="orders")["QueueUrl"]
    assert url == "https://sqs.us-east-1.amazonaws.com/000000000000/orders"
    ok(e, "SendMessage", QueueUrl=url, MessageBody="A")
    ok(e, "SendMessage", QueueUrl="arn:aws:sqs:us-east-1:000000000000:orders", MessageBody="B")
    assert bodies(receive(e, "orders")) == ["A", "B"]
