"""The SQS page's view-model: lanes in DLQ order, what consumers hold, the clock."""

from studyapp.sims.sqs import board, service
from studyapp.sims.sqs.simulation import SqsSimulation
from studyapp.sims.web import Outcome


def build_with_dlq() -> SqsSimulation:
    sim = SqsSimulation.fresh()
    service.call(sim, {"Action": "CreateQueue", "QueueName": "z-dlq"})
    policy = (
        '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:z-dlq", "maxReceiveCount": 1}'
    )
    attributes = {"RedrivePolicy": policy, "VisibilityTimeout": "10"}
    service.call(sim, {"Action": "CreateQueue", "QueueName": "a-src", "Attributes": attributes})
    service.call(sim, {"Action": "CreateQueue", "QueueName": "m-other"})
    return sim


def test_a_dead_letter_queue_comes_right_after_its_source():
    lanes = board.board(build_with_dlq())["lanes"]
    assert [(lane["name"], lane["depth"]) for lane in lanes] == [
        ("a-src", 0),
        ("z-dlq", 1),
        ("m-other", 0),
    ]
    assert lanes[1]["sources"] == ["a-src"]


def test_what_a_consumer_holds_is_current_stale_or_gone():
    sim = build_with_dlq()
    for body in ("one", "two"):
        service.produce(sim, {"Action": "SendMessage", "QueueName": "a-src", "MessageBody": body})
    receive = {"Action": "ReceiveMessage", "QueueName": "a-src", "MaxNumberOfMessages": 1}
    service.consume(sim, 1, receive)
    service.consume(sim, 1, receive)
    handle = sim.consumers[0][1]["ReceiptHandle"]
    service.consume(
        sim, 1, {"Action": "ChangeMessageVisibility", "QueueName": "a-src", "ReceiptHandle": handle, "VisibilityTimeout": 0}
    )  # fmt: skip
    held = board.board(sim)["consumers"][0]["held"]
    assert [h["status"] for h in held] == ["held", "stale"]
    service.advance(sim, 11)
    service.consume(sim, 2, receive)  # received once already: both move to the DLQ
    assert [h["status"] for h in board.board(sim)["consumers"][0]["held"]] == ["stale", "stale"]
    service.call(sim, {"Action": "PurgeQueue", "QueueName": "z-dlq"})
    assert [h["status"] for h in board.board(sim)["consumers"][0]["held"]] == ["gone", "gone"]


def test_a_long_queue_shows_its_first_messages_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr(board, "MESSAGES_SHOWN", 2)
    sim = build_with_dlq()
    bodies = "\n".join("abcde")
    service.produce(sim, {"Action": "SendMessageBatch", "QueueName": "m-other", "Entries": [{"Id": f"m{i}", "MessageBody": b} for i, b in enumerate(bodies.split())]})  # fmt: skip
    lane = next(lane for lane in board.board(sim)["lanes"] if lane["name"] == "m-other")
    assert [m["Body"] for m in lane["messages"]] == ["a", "b"]
    assert lane["hidden"] == 3


def test_the_clock_and_the_next_change():
    sim = build_with_dlq()
    service.produce(
        sim,
        {"Action": "SendMessage", "QueueName": "m-other", "MessageBody": "x", "DelaySeconds": 7},
    )
    service.advance(sim, 3661)
    view = board.board(sim)
    assert view["clock"] == "01:01:01"
    assert board.clock_text(0.25) == "00:00:00.250"
    sim2 = build_with_dlq()
    service.produce(
        sim2,
        {"Action": "SendMessage", "QueueName": "m-other", "MessageBody": "x", "DelaySeconds": 7},
    )
    assert board.board(sim2)["next_change_in"] == 7


def test_the_context_carries_the_error_and_the_announcement():
    sim = SqsSimulation.fresh()
    service.produce(sim, {"Action": "SendMessage", "QueueName": "nope", "MessageBody": "x"})
    context = board.build(sim, Outcome("QueueDoesNotExist: gone", error=True))
    assert context["error"] == "QueueDoesNotExist: gone" and not context["invalid"]
    assert context["announce"] == "SendMessage failed: QueueDoesNotExist"
    assert board.build(sim, Outcome.refused("bad"))["invalid"]
    assert [p.name for p in context["presets"]][:1] == ["at-least-once-delivery"]


# Issue #14, item 13: the log speaks in sentences and says when a call did nothing.
# AWS, DeleteMessage (Amazon SQS API Reference): "you must provide the most recently received
# ReceiptHandle for the message (otherwise, the request succeeds, but the message will not be
# deleted)."


def log_texts(sim):
    return [row["text"] for row in reversed(board.board(sim)["log"])]


def test_the_log_says_who_did_what_in_sentences():
    sim = SqsSimulation.fresh()
    service.call(sim, {"Action": "CreateQueue", "QueueName": "orders"})
    service.produce(sim, {"Action": "SendMessage", "QueueName": "orders", "MessageBody": "hi"})
    service.consume(sim, 2, {"Action": "ReceiveMessage", "QueueName": "orders"})
    held = sim.consumers[1][0]
    service.consume(
        sim, 2, {"Action": "DeleteMessage", "QueueName": "orders", "ReceiptHandle": held["ReceiptHandle"]}
    )  # fmt: skip
    service.consume(sim, 1, {"Action": "ReceiveMessage", "QueueName": "orders"})
    short = held["MessageId"][:8]
    texts = log_texts(sim)
    assert texts[-4:] == [
        f"Producer sent {short} to orders: “hi”.",
        f"Consumer 2 received {short} from orders.",
        f"Consumer 2 deleted {short} from orders.",
        "Consumer 1 received nothing from orders: no message was visible.",
    ]
    assert all("{" not in text for text in texts)  # no raw JSON


def test_a_delete_with_a_stale_receipt_handle_is_logged_as_doing_nothing():
    sim = SqsSimulation.fresh()
    service.call(sim, {"Action": "CreateQueue", "QueueName": "orders"})
    service.produce(sim, {"Action": "SendMessage", "QueueName": "orders", "MessageBody": "hi"})
    first = {"Action": "ReceiveMessage", "QueueName": "orders", "VisibilityTimeout": 0}
    service.consume(sim, 1, first)  # visible again at once: consumer 2 receives it again
    service.consume(sim, 2, {"Action": "ReceiveMessage", "QueueName": "orders"})
    stale = sim.consumers[0][0]
    service.consume(
        sim, 1, {"Action": "DeleteMessage", "QueueName": "orders", "ReceiptHandle": stale["ReceiptHandle"]}
    )  # fmt: skip
    row = board.board(sim)["log"][0]
    assert row["error"] is None and row["result"] == {}  # SQS answers success...
    assert row["did_nothing"]  # ...and deletes nothing; the log says so
    assert row["text"].startswith("Consumer 1's DeleteMessage did nothing")
    assert stale["MessageId"][:8] in row["text"]
    assert sim.engine.totals()["Messages"] == 1
