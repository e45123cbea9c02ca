"""FIFO queues: message groups, ordering, deduplication, sequence numbers.

Sources: SQS Developer Guide "Amazon SQS FIFO queue key terms" (FIFO-key-terms), "Exactly-once
processing in Amazon SQS" (FIFO-queues-exactly-once-processing), "Using the message
deduplication ID" (using-messagededuplicationid-property); API Reference SendMessage
(MessageGroupId required, DelaySeconds only at queue level on FIFO queues, content-based
deduplication = SHA-256 of the body); AWS Knowledge Center "Why doesn't my Amazon SQS FIFO queue
return all messages or messages in other message groups?" (in-flight messages block their group;
a receive returns as many messages of one group as possible).
"""

from __future__ import annotations

import hashlib

from studyapp.engines.sqs import SqsEngine

from .support import advance, bodies, call, counts, create, delete, error, ok, receive, send


def fifo(e: SqsEngine, name: str = "q.fifo", **attributes: object) -> str:
    return create(e, name, FifoQueue="true", **attributes)


def test_fifo_queue_name_must_end_in_fifo():
    e = SqsEngine()
    assert error(e, "CreateQueue", QueueName="orders", Attributes={"FifoQueue": "true"}) == (
        "InvalidParameterValue"
    )
    assert error(e, "CreateQueue", QueueName="orders.fifo") == "InvalidParameterValue"


def test_message_group_id_is_required():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    assert error(e, "SendMessage", QueueName="q.fifo", MessageBody="A") == "MissingParameter"


def test_deduplication_id_or_content_based_deduplication_is_required():
    e = SqsEngine()
    fifo(e)
    code = error(e, "SendMessage", QueueName="q.fifo", MessageBody="A", MessageGroupId="g")
    assert code == "InvalidParameterValue"
    send(e, "q.fifo", "A", MessageGroupId="g", MessageDeduplicationId="d1")


def test_per_message_delay_is_rejected_on_fifo_queues():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    code = error(
        e, "SendMessage", QueueName="q.fifo", MessageBody="A", MessageGroupId="g", DelaySeconds=5
    )
    assert code == "InvalidParameterValue"


def test_queue_level_delay_applies_to_fifo_queues():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true", DelaySeconds=10)
    send(e, "q.fifo", "A", MessageGroupId="g")
    assert counts(e, "q.fifo") == (0, 0, 1)
    advance(e, 10)
    assert bodies(receive(e, "q.fifo")) == ["A"]


def test_every_send_gets_an_increasing_sequence_number():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    numbers = [int(send(e, "q.fifo", body, MessageGroupId="g")["SequenceNumber"]) for body in "ABC"]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    got = receive(e, "q.fifo")
    assert [int(m["Attributes"]["SequenceNumber"]) for m in got] == numbers
    assert all(m["Attributes"]["MessageGroupId"] == "g" for m in got)


def test_content_based_deduplication_id_is_the_sha256_of_the_body():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    send(e, "q.fifo", "hello", MessageGroupId="g")
    got = receive(e, "q.fifo")[0]
    expected = hashlib.sha256(b"hello").hexdigest()
    assert got["Attributes"]["MessageDeduplicationId"] == expected


def test_explicit_deduplication_id_overrides_the_content_hash():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    send(e, "q.fifo", "same", MessageGroupId="g", MessageDeduplicationId="one")
    send(e, "q.fifo", "same", MessageGroupId="g", MessageDeduplicationId="two")
    assert counts(e, "q.fifo") == (2, 0, 0)


def test_duplicate_within_five_minutes_is_accepted_but_not_delivered():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    first = send(e, "q.fifo", "A", MessageGroupId="g")
    advance(e, 299)
    again = send(e, "q.fifo", "A", MessageGroupId="g")
    assert again["MessageId"] == first["MessageId"]
    assert bodies(receive(e, "q.fifo")) == ["A"]
    assert counts(e, "q.fifo") == (0, 1, 0)


def test_duplicate_after_five_minutes_is_delivered():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    send(e, "q.fifo", "A", MessageGroupId="g")
    advance(e, 300)
    send(e, "q.fifo", "A", MessageGroupId="g")
    assert counts(e, "q.fifo") == (2, 0, 0)


def test_dropped_duplicates_do_not_extend_the_interval():
    """The interval runs 5 minutes from the first accepted send, however many duplicates follow."""
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    send(e, "q.fifo", "A", MessageGroupId="g")
    for _ in range(4):
        advance(e, 60)
        send(e, "q.fifo", "A", MessageGroupId="g")
    advance(e, 60)  # 300 s after the first send
    send(e, "q.fifo", "A", MessageGroupId="g")
    assert counts(e, "q.fifo") == (2, 0, 0)


def test_deduplication_is_tracked_even_after_the_original_was_deleted():
    """FIFO key terms: SQS keeps tracking the deduplication ID after the message is received
    and deleted."""
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    send(e, "q.fifo", "A", MessageGroupId="g")
    delete(e, "q.fifo", receive(e, "q.fifo")[0])
    advance(e, 100)
    send(e, "q.fifo", "A", MessageGroupId="g")
    assert counts(e, "q.fifo") == (0, 0, 0)
    assert receive(e, "q.fifo") == []


def test_deduplication_scope_queue_spans_groups_and_message_group_does_not():
    e = SqsEngine()
    fifo(e, "queue.fifo", ContentBasedDeduplication="true")
    fifo(e, "group.fifo", ContentBasedDeduplication="true", DeduplicationScope="messageGroup")
    for name in ("queue.fifo", "group.fifo"):
        send(e, name, "A", MessageGroupId="g1")
        send(e, name, "A", MessageGroupId="g2")
    assert counts(e, "queue.fifo") == (1, 0, 0)
    assert counts(e, "group.fifo") == (2, 0, 0)


def test_one_receive_returns_several_messages_of_a_group_in_order():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true")
    for body in ("1", "2", "3"):
        send(e, "q.fifo", body, MessageGroupId="g")
    assert bodies(receive(e, "q.fifo", 10)) == ["1", "2", "3"]


def test_group_is_blocked_while_one_of_its_messages_is_in_flight():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true", VisibilityTimeout=30)
    for body in ("a1", "a2"):
        send(e, "q.fifo", body, MessageGroupId="a")
    send(e, "q.fifo", "b1", MessageGroupId="b")
    first = receive(e, "q.fifo", 1)
    assert bodies(first) == ["a1"]
    assert bodies(receive(e, "q.fifo", 10)) == ["b1"]
    assert receive(e, "q.fifo", 10) == []
    delete(e, "q.fifo", first[0])
    assert bodies(receive(e, "q.fifo", 10)) == ["a2"]


def test_group_resumes_with_the_same_message_after_its_visibility_timeout():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true", VisibilityTimeout=30)
    for body in ("1", "2"):
        send(e, "q.fifo", body, MessageGroupId="g")
    assert bodies(receive(e, "q.fifo", 1)) == ["1"]
    advance(e, 30)
    assert bodies(receive(e, "q.fifo", 10)) == ["1", "2"]


def test_fifo_receipt_handle_expires_with_the_visibility_timeout():
    e = SqsEngine()
    fifo(e, ContentBasedDeduplication="true", VisibilityTimeout=5)
    send(e, "q.fifo", "A", MessageGroupId="g")
    m = receive(e, "q.fifo")[0]
    advance(e, 5)
    code = error(e, "DeleteMessage", QueueName="q.fifo", ReceiptHandle=m["ReceiptHandle"])
    assert code == "InvalidParameterValue"


def test_fifo_only_attributes_are_unknown_on_standard_queues():
    e = SqsEngine()
    code = error(e, "CreateQueue", QueueName="s", Attributes={"ContentBasedDeduplication": "true"})
    assert code == "InvalidAttributeName"
    create(e, "s")
    assert (
        error(e, "SendMessage", QueueName="s", MessageBody="A", MessageDeduplicationId="x")
        == "InvalidParameterValue"
    )


def test_fifo_attribute_values_are_checked():
    e = SqsEngine()
    for attributes in (
        {"FifoQueue": "true", "DeduplicationScope": "everything"},
        {"FifoQueue": "true", "FifoThroughputLimit": "fast"},
        {"FifoQueue": "true", "ContentBasedDeduplication": "maybe"},
    ):
        assert error(e, "CreateQueue", QueueName="x.fifo", Attributes=attributes) == (
            "InvalidAttributeValue"
        )
    created = call(
        e,
        "CreateQueue",
        QueueName="high.fifo",
        Attributes={
            "FifoQueue": "true",
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
        },
    )
    assert "QueueUrl" in created
    attrs = ok(e, "GetQueueAttributes", QueueName="high.fifo", AttributeNames=["All"])["Attributes"]
    assert attrs["FifoQueue"] == "true" and attrs["FifoThroughputLimit"] == "perMessageGroupId"
