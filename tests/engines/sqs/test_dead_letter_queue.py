"""Dead-letter queues and redrive.

Sources: SQS Developer Guide "Using dead-letter queues in Amazon SQS" (sqs-dead-letter-queues),
"Setting-up dead-letter queue retention in Amazon SQS" (setting-up-dead-letter-queue-retention),
"Configure a dead-letter queue using the Amazon SQS console" (queue types must match);
API Reference SetQueueAttributes (RedrivePolicy, maxReceiveCount 1-1,000).
"""

from __future__ import annotations

import json

from studyapp.engines.sqs import SqsEngine

from .support import advance, bodies, counts, create, error, ok, receive, send

DLQ_ARN = "arn:aws:sqs:us-east-1:000000000000:"


def redrive(name: str, max_receives: int) -> str:
    return json.dumps({"deadLetterTargetArn": DLQ_ARN + name, "maxReceiveCount": max_receives})


def with_dlq(max_receives: int = 3, fifo: bool = False, **source: object) -> SqsEngine:
    e = SqsEngine()
    suffix = ".fifo" if fifo else ""
    extra = {"FifoQueue": "true", "ContentBasedDeduplication": "true"} if fifo else {}
    create(e, "dlq" + suffix, **extra)
    create(
        e, "src" + suffix, RedrivePolicy=redrive("dlq" + suffix, max_receives), **extra, **source
    )
    return e


def test_poison_message_moves_to_the_dlq_when_receive_count_would_exceed_max():
    """A message received maxReceiveCount times without being deleted moves to the DLQ on the
    next receive attempt, instead of being delivered a further time."""
    e = with_dlq(3, VisibilityTimeout=10)
    send(e, "src", "poison")
    for attempt in range(1, 4):
        got = receive(e, "src")
        assert got[0]["Attributes"]["ApproximateReceiveCount"] == str(attempt)
        advance(e, 10)
    assert receive(e, "src") == []
    moved = receive(e, "dlq")
    assert bodies(moved) == ["poison"]
    assert moved[0]["Attributes"]["DeadLetterQueueSourceArn"] == DLQ_ARN + "src"
    assert counts(e, "src") == (0, 0, 0)


def test_moved_message_keeps_its_message_id():
    e = with_dlq(1, VisibilityTimeout=1)
    sent = send(e, "src", "poison")
    receive(e, "src")
    advance(e, 1)
    receive(e, "src")
    assert receive(e, "dlq")[0]["MessageId"] == sent["MessageId"]


def test_healthy_messages_are_still_delivered_past_a_poison_message():
    e = with_dlq(1, VisibilityTimeout=5)
    send(e, "src", "poison")
    receive(e, "src", 1)
    send(e, "src", "good")
    advance(e, 5)
    assert bodies(receive(e, "src")) == ["good"]
    assert bodies(receive(e, "dlq")) == ["poison"]


def test_standard_dlq_keeps_the_original_enqueue_timestamp_for_retention():
    """Standard queues: expiration is always based on the original enqueue timestamp (the
    guide's example: 1 day in the source, a 4-day DLQ deletes it 3 days later). Here the
    message spends 12 hours in the source, so a 4-day DLQ keeps it 3.5 days."""
    day, half = 86_400, 43_200
    e = SqsEngine()
    create(e, "dlq", MessageRetentionPeriod=4 * day)
    create(e, "src", RedrivePolicy=redrive("dlq", 1), VisibilityTimeout=half)
    send(e, "src", "A")
    receive(e, "src")
    advance(e, half)
    assert receive(e, "src") == []  # moved now
    assert counts(e, "dlq") == (1, 0, 0)
    advance(e, 4 * day - half - 1)
    assert counts(e, "dlq") == (1, 0, 0)
    advance(e, 1)
    assert counts(e, "dlq") == (0, 0, 0)


def test_fifo_dlq_resets_the_enqueue_timestamp_on_the_move():
    """FIFO queues: the enqueue timestamp resets when the message moves to the DLQ, so the
    same message stays the DLQ's full 4 days."""
    day, half = 86_400, 43_200
    e = SqsEngine()
    fifo = {"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    create(e, "dlq.fifo", MessageRetentionPeriod=4 * day, **fifo)
    create(e, "src.fifo", RedrivePolicy=redrive("dlq.fifo", 1), VisibilityTimeout=half, **fifo)
    send(e, "src.fifo", "A", MessageGroupId="g")
    receive(e, "src.fifo")
    advance(e, half)
    assert receive(e, "src.fifo") == []
    advance(e, 4 * day - 1)
    assert counts(e, "dlq.fifo") == (1, 0, 0)
    advance(e, 1)
    assert counts(e, "dlq.fifo") == (0, 0, 0)


def test_fifo_poison_message_unblocks_its_group_when_moved():
    e = with_dlq(2, fifo=True, VisibilityTimeout=5)
    for body in ("poison", "next"):
        send(e, "src.fifo", body, MessageGroupId="g")
    for _ in range(2):
        assert bodies(receive(e, "src.fifo", 1)) == ["poison"]
        advance(e, 5)
    assert bodies(receive(e, "src.fifo", 1)) == ["next"]
    assert bodies(receive(e, "dlq.fifo")) == ["poison"]


def test_dlq_must_exist_and_be_of_the_same_queue_type():
    e = SqsEngine()
    create(e, "std")
    create(e, "f.fifo", FifoQueue="true")
    code = error(
        e, "CreateQueue", QueueName="a", Attributes={"RedrivePolicy": redrive("missing", 3)}
    )
    assert code == "InvalidAttributeValue"
    code = error(
        e, "CreateQueue", QueueName="a", Attributes={"RedrivePolicy": redrive("f.fifo", 3)}
    )
    assert code == "InvalidAttributeValue"
    code = error(
        e,
        "CreateQueue",
        QueueName="b.fifo",
        Attributes={"FifoQueue": "true", "RedrivePolicy": redrive("std", 3)},
    )
    assert code == "InvalidAttributeValue"


def test_max_receive_count_must_be_from_1_to_1000():
    e = SqsEngine()
    create(e, "dlq")
    create(e, "src")
    for bad in (0, 1001):
        assert (
            error(
                e,
                "SetQueueAttributes",
                QueueName="src",
                Attributes={"RedrivePolicy": redrive("dlq", bad)},
            )
            == "InvalidAttributeValue"
        )
    ok(e, "SetQueueAttributes", QueueName="src", Attributes={"RedrivePolicy": redrive("dlq", 1000)})


def test_list_dead_letter_source_queues_names_the_sources():
    e = with_dlq(3)
    result = ok(e, "ListDeadLetterSourceQueues", QueueName="dlq")
    assert result == {"queueUrls": ["https://sqs.us-east-1.amazonaws.com/000000000000/src"]}
