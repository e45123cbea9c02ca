"""The engine saved in increments: a head plus the parts each action changed restores to the
same engine as the whole state does, and it goes on to give the same answers."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.engines.sqs import SqsEngine, snapshot

from .support import advance, create, ok, receive, send

ARN = "arn:aws:sqs:us-east-1:000000000000:"


class Store:
    """What a web page keeps: the last head and every part, updated from to_parts()."""

    def __init__(self, engine: SqsEngine) -> None:
        self.head, self.parts = _json(engine.to_parts())

    def save(self, engine: SqsEngine) -> dict:
        head, changes = _json(engine.to_parts(changed=True))
        self.head = head
        for key, value in changes.items():
            if value is None:
                self.parts.pop(key, None)
            else:
                self.parts[key] = value
        return changes

    def load(self) -> SqsEngine:
        return SqsEngine.from_parts(self.head, dict(self.parts))


def _json(value):
    return json.loads(json.dumps(value))


def same(a: SqsEngine, b: SqsEngine) -> None:
    """Equal once both have caught up with the clock (the page's view settles every queue)."""
    assert snapshot(a, limit=10_000) == snapshot(b, limit=10_000)
    assert a.to_dict() == b.to_dict()
    assert a.totals() == b.totals()


def build() -> SqsEngine:
    e = SqsEngine(seed=7, duplicate_rate=0.2, reorder_rate=0.2)
    create(e, "dlq", MessageRetentionPeriod=900)
    policy = json.dumps({"deadLetterTargetArn": ARN + "dlq", "maxReceiveCount": 2})
    create(e, "src", VisibilityTimeout=15, MessageRetentionPeriod=600, RedrivePolicy=policy)
    create(e, "dlq.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    fifo_policy = json.dumps({"deadLetterTargetArn": ARN + "dlq.fifo", "maxReceiveCount": 2})
    create(
        e,
        "f.fifo",
        FifoQueue="true",
        ContentBasedDeduplication="true",
        VisibilityTimeout=10,
        RedrivePolicy=fifo_policy,
    )
    return e


QUEUES = ["src", "dlq", "f.fifo", "dlq.fifo"]
operations = st.lists(
    st.one_of(
        st.tuples(st.just("send"), st.integers(0, 3), st.integers(0, 20)),
        st.tuples(st.just("receive"), st.integers(0, 3), st.integers(1, 10), st.integers(0, 30)),
        st.tuples(st.just("delete"), st.integers(0, 100)),
        st.tuples(st.just("change"), st.integers(0, 100), st.integers(0, 40)),
        st.tuples(st.just("advance"), st.floats(0, 400)),
        st.tuples(st.just("purge"), st.integers(0, 3)),
        st.tuples(st.just("recreate"), st.integers(0, 3)),
        st.tuples(st.just("save")),
    ),
    max_size=60,
)


def step(e: SqsEngine, op: tuple, handles: list[tuple[str, str]]) -> dict:
    kind = op[0]
    if kind == "send":
        queue = QUEUES[op[1]]
        params = {"MessageBody": f"m{op[2] % 5}", "MessageGroupId": f"g{op[2] % 3}"}
        if not queue.endswith(".fifo"):
            params["DelaySeconds"] = op[2]
        return e.apply({"Action": "SendMessage", "QueueName": queue, **params})
    if kind == "receive":
        queue = QUEUES[op[1]]
        result = e.apply(
            {
                "Action": "ReceiveMessage",
                "QueueName": queue,
                "MaxNumberOfMessages": op[2],
                "VisibilityTimeout": op[3],
            }
        )
        handles += [(queue, m["ReceiptHandle"]) for m in result.get("Messages", [])]
        return result
    if kind in ("delete", "change"):
        if not handles:
            return {}
        queue, handle = handles[op[1] % len(handles)]
        action = {"Action": "DeleteMessage", "QueueName": queue, "ReceiptHandle": handle}
        if kind == "change":
            action.update(Action="ChangeMessageVisibility", VisibilityTimeout=op[2])
        return e.apply(action)
    if kind == "advance":
        return e.apply({"Action": "Advance", "Seconds": op[1]})
    if kind == "purge":
        return e.apply({"Action": "PurgeQueue", "QueueName": QUEUES[op[1]]})
    if kind == "recreate":
        queue = QUEUES[op[1]]
        attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true"}
        e.apply({"Action": "DeleteQueue", "QueueName": queue})
        e.apply({"Action": "Advance", "Seconds": 61})
        return e.apply(
            {
                "Action": "CreateQueue",
                "QueueName": queue,
                "Attributes": attributes if queue.endswith(".fifo") else {},
            }
        )
    return {}


@settings(max_examples=200, deadline=None)
@given(operations, operations)
def test_parts_restore_the_engine_and_it_goes_on_alike(ops, more):
    live = build()
    store = Store(live)
    handles: list[tuple[str, str]] = []
    for op in ops:
        if op[0] == "save":
            store.save(live)
        else:
            step(live, op, handles)
    store.save(live)
    restored = store.load()
    same(live, restored)
    # Both go on the same way, and the restored one saves in increments too.
    other_handles = list(handles)
    for op in more:
        if op[0] == "save":
            store.save(restored)
            continue
        assert step(live, op, handles) == step(restored, op, other_handles)
    store.save(restored)
    same(live, restored)
    same(live, store.load())


def test_a_new_engine_gives_every_part_then_only_what_changed():
    e = SqsEngine()
    create(e, "q")
    for body in "abc":
        send(e, "q", body)
    head, parts = e.to_parts(changed=True)
    assert len(parts) == 3 and all(value is not None for value in parts.values())
    assert "messages" not in head["queues"][0]
    assert e.to_parts(changed=True)[1] == {}
    got = receive(e, "q", 1)
    changes = e.to_parts(changed=True)[1]
    assert list(changes) == ["q1/m1"] and changes["q1/m1"]["receives"] == 1
    ok(e, "DeleteMessage", QueueName="q", ReceiptHandle=got[0]["ReceiptHandle"])
    assert e.to_parts(changed=True)[1] == {"q1/m1": None}


def test_time_passing_changes_no_part():
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=5)
    send(e, "q", "a")
    receive(e, "q")
    e.to_parts()
    advance(e, 10)
    assert snapshot(e)["Queues"][0]["Messages"][0]["State"] == "visible"
    assert e.to_parts(changed=True)[1] == {}


def test_deleting_a_queue_reports_its_parts_gone():
    e = SqsEngine()
    create(e, "q.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    send(e, "q.fifo", "a", MessageGroupId="g")
    _head, parts = e.to_parts()
    assert sorted(key.split("/")[1][0] for key in parts) == ["d", "m"]  # message, dedup id
    ok(e, "DeleteQueue", QueueName="q.fifo")
    assert e.to_parts(changed=True)[1] == dict.fromkeys(parts)


def test_from_parts_refuses_a_foreign_part():
    head, _parts = SqsEngine().to_parts()
    try:
        SqsEngine.from_parts(head, {"shard/0": []})
    except ValueError as error:
        assert "shard/0" in str(error)
    else:
        raise AssertionError("a foreign part was accepted")


def test_totals_count_messages_and_body_bytes_as_they_come_and_go():
    e = SqsEngine()
    create(e, "q", MessageRetentionPeriod=60)
    send(e, "q", "abc")
    send(e, "q", "é")  # two bytes in UTF-8
    assert e.totals() == {"Queues": 1, "Messages": 2, "Bytes": 5}
    got = receive(e, "q", 1)
    ok(e, "DeleteMessage", QueueName="q", ReceiptHandle=got[0]["ReceiptHandle"])
    assert e.totals() == {"Queues": 1, "Messages": 1, "Bytes": 2}
    advance(e, 61)  # retention ends
    assert e.totals() == {"Queues": 1, "Messages": 0, "Bytes": 0}
    send(e, "q", "xyz")
    ok(e, "PurgeQueue", QueueName="q")
    assert e.totals()["Bytes"] == 0


def test_a_deduplication_id_leaves_the_parts_when_its_interval_ends():
    e = SqsEngine()
    create(e, "q.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    send(e, "q.fifo", "a", MessageGroupId="g")
    e.to_parts()
    advance(e, 301)
    snapshot(e)  # the page's view forgets ids whose interval ended
    changes = e.to_parts(changed=True)[1]
    assert [value for key, value in changes.items() if "/d" in key] == [None]


def test_queue_names_are_read_without_counting_a_request():
    e = SqsEngine()
    create(e, "b")
    create(e, "a")
    requests = e.stats["Requests"]
    assert e.queue_names() == ["a", "b"]
    assert e.stats["Requests"] == requests
