"""The engine state is plain JSON: it survives a round trip mid-run (the web session case)."""

from __future__ import annotations

import json

from studyapp.engines.sqs import SqsEngine, run_steps, snapshot

from .support import advance, bodies, create, ok, receive, send

STEPS = [
    {"Action": "CreateQueue", "QueueName": "dlq"},
    {
        "Action": "CreateQueue",
        "QueueName": "src",
        "Attributes": {
            "VisibilityTimeout": "10",
            "RedrivePolicy": '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":2}',
        },
    },
    {
        "Action": "CreateQueue",
        "QueueName": "f.fifo",
        "Attributes": {"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    },
    {"Action": "SendMessage", "QueueName": "src", "MessageBody": "A"},
    {"Action": "SendMessage", "QueueName": "src", "MessageBody": "B", "DelaySeconds": 5},
    {"Action": "SendMessage", "QueueName": "f.fifo", "MessageBody": "1", "MessageGroupId": "g"},
    {"Action": "SendMessage", "QueueName": "f.fifo", "MessageBody": "2", "MessageGroupId": "g"},
    {"Action": "ReceiveMessage", "QueueName": "src"},
    {"Action": "ReceiveMessage", "QueueName": "f.fifo"},
    {"Action": "Advance", "Seconds": 3},
]
MORE = [
    {"Action": "SendMessage", "QueueName": "f.fifo", "MessageBody": "1", "MessageGroupId": "g"},
    {
        "Action": "ReceiveMessage",
        "QueueName": "f.fifo",
        "WaitTimeSeconds": 20,
        "MaxNumberOfMessages": 10,
    },
    {
        "Action": "ReceiveMessage",
        "QueueName": "src",
        "WaitTimeSeconds": 20,
        "MaxNumberOfMessages": 10,
    },
    {"Action": "Advance", "Seconds": 30},
    {"Action": "ReceiveMessage", "QueueName": "src", "MaxNumberOfMessages": 10},
    {"Action": "Advance", "Seconds": 30},
    {"Action": "ReceiveMessage", "QueueName": "src", "MaxNumberOfMessages": 10},
    {"Action": "ReceiveMessage", "QueueName": "dlq", "MaxNumberOfMessages": 10},
    {"Action": "GetQueueAttributes", "QueueName": "f.fifo", "AttributeNames": ["All"]},
]


def test_state_round_trips_through_json_and_the_run_continues_identically():
    straight = SqsEngine(seed=3, duplicate_rate=0.3)
    run_steps(straight, STEPS)
    expected = run_steps(straight, MORE)

    paused = SqsEngine(seed=3, duplicate_rate=0.3)
    run_steps(paused, STEPS)
    state = json.loads(json.dumps(paused.to_dict()))
    resumed = SqsEngine.from_dict(state)
    assert resumed.to_dict() == paused.to_dict()
    assert run_steps(resumed, MORE) == expected


def test_snapshot_shows_each_message_state_and_countdown():
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=30)
    send(e, "q", "visible")
    send(e, "q", "in-flight")
    send(e, "q", "delayed", DelaySeconds=45)
    ok(e, "ReceiveMessage", QueueName="q")  # takes "visible", the oldest
    advance(e, 10)
    view = snapshot(e)
    (queue,) = view["Queues"]
    states = {m["Body"]: m for m in queue["Messages"]}
    assert states["visible"]["State"] == "inflight"
    assert states["visible"]["SecondsUntilVisible"] == 20
    assert states["visible"]["ReceiveCount"] == 1
    assert "ReceiptHandle" in states["visible"]
    assert states["in-flight"]["State"] == "visible"
    assert states["delayed"]["State"] == "delayed"
    assert states["delayed"]["SecondsUntilVisible"] == 35
    assert queue["Counts"] == {"Visible": 1, "InFlight": 1, "Delayed": 1}
    assert view["NextChangeAt"] == e.clock.now() + 20
    json.dumps(view)


def test_snapshot_shows_fifo_groups_deduplication_and_dlq_links():
    e = SqsEngine()
    create(e, "d.fifo", FifoQueue="true")
    policy = (
        '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:d.fifo","maxReceiveCount":3}'
    )
    create(e, "f.fifo", FifoQueue="true", ContentBasedDeduplication="true", RedrivePolicy=policy)
    send(e, "f.fifo", "1", MessageGroupId="g")
    send(e, "f.fifo", "2", MessageGroupId="g")
    receive(e, "f.fifo", 1)
    view = {q["QueueName"]: q for q in snapshot(e)["Queues"]}
    f = view["f.fifo"]
    assert f["MessageGroups"] == {"g": {"Messages": 2, "InFlight": 1}}
    assert len(f["Deduplication"]) == 2
    assert f["DeadLetterQueue"] == {"QueueName": "d.fifo", "MaxReceiveCount": 3}
    assert view["d.fifo"]["DeadLetterSourceQueues"] == ["f.fifo"]


def test_duplicate_demo_mode_is_reproducible_from_its_seed():
    def run(seed: int) -> list[str]:
        e = SqsEngine(seed=seed, duplicate_rate=0.5)
        create(e, "q")
        for i in range(20):
            send(e, "q", str(i))
        seen = []
        for _ in range(10):
            got = receive(e, "q", 10)
            seen += bodies(got)
            for m in got:
                ok(e, "DeleteMessage", QueueName="q", ReceiptHandle=m["ReceiptHandle"])
        return seen

    first = run(7)
    assert first == run(7)
    assert len(first) > 20  # some messages were delivered twice
    assert sorted(set(first), key=int) == [str(i) for i in range(20)]


def test_reorder_demo_mode_delivers_out_of_order():
    e = SqsEngine(seed=1, reorder_rate=1.0)
    create(e, "q")
    for body in "AB":
        send(e, "q", body)
    assert bodies(receive(e, "q", 1)) == ["B"]
    assert bodies(receive(e, "q", 1)) == ["A"]


def test_demo_mode_is_off_by_default():
    e = SqsEngine()
    create(e, "q")
    for i in range(50):
        send(e, "q", str(i))
    seen = []
    while got := receive(e, "q", 10):
        seen += bodies(got)
    assert seen == [str(i) for i in range(50)]
