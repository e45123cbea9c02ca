"""Property tests: no message is lost, and FIFO order within a group is never broken.

Invariants from the SQS Developer Guide: a stored message leaves a queue only when it is
deleted, when its retention period ends ("Amazon SQS message quotas": MessageRetentionPeriod),
or when it moves to the dead-letter queue ("Using dead-letter queues"); standard queues deliver
at least once; FIFO queues deliver the messages of a group in order and never while another
message of the group is in flight ("Amazon SQS FIFO queue key terms").
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.engines.sqs import ACTIONS, SqsEngine, snapshot
from studyapp.engines.sqs.message import INFLIGHT

from .support import ok

SRC_RETENTION = 600
DLQ_RETENTION = 900
ARN = "arn:aws:sqs:us-east-1:000000000000:"

operations = st.lists(
    st.one_of(
        st.tuples(st.just("send"), st.integers(0, 30)),
        st.tuples(st.just("receive"), st.integers(1, 10), st.integers(0, 40), st.integers(0, 20)),
        st.tuples(st.just("delete"), st.integers(0, 200)),
        st.tuples(st.just("change"), st.integers(0, 200), st.integers(0, 60)),
        st.tuples(st.just("advance"), st.floats(0, 400)),
    ),
    max_size=50,
)


def build(fifo: bool) -> tuple[SqsEngine, str, str]:
    e = SqsEngine()
    suffix = ".fifo" if fifo else ""
    extra = {"FifoQueue": "true", "ContentBasedDeduplication": "true"} if fifo else {}
    src, dlq = "src" + suffix, "dlq" + suffix
    ok(
        e,
        "CreateQueue",
        QueueName=dlq,
        Attributes={"MessageRetentionPeriod": str(DLQ_RETENTION), **extra},
    )
    policy = json.dumps({"deadLetterTargetArn": ARN + dlq, "maxReceiveCount": 3})
    attributes = {"MessageRetentionPeriod": str(SRC_RETENTION), "VisibilityTimeout": "15", **extra}
    ok(e, "CreateQueue", QueueName=src, Attributes={**attributes, "RedrivePolicy": policy})
    return e, src, dlq


def present(e: SqsEngine, *queues: str) -> dict[str, str]:
    """MessageId -> queue name, for every stored message; fails on any duplicate id."""
    where: dict[str, str] = {}
    for name in queues:
        e.queues[name].settle(e.clock.now())
        for m in e.queues[name].messages.values():
            assert m.message_id not in where, "a message is stored twice"
            where[m.message_id] = name
    return where


@settings(max_examples=120, deadline=None)
@given(operations, st.booleans())
def test_no_message_is_lost(ops, fifo):
    e, src, dlq = build(fifo)
    sent_at: dict[str, float] = {}
    handles: list[str] = []
    deleted: set[str] = set()
    counter = 0

    def check(before: dict[str, str]) -> dict[str, str]:
        now = e.clock.now()
        after = present(e, src, dlq)
        for mid, queue in before.items():
            if mid in after:
                continue
            if mid in deleted:
                continue
            # Standard queues keep the enqueue timestamp in the DLQ; FIFO DLQs restart it,
            # so a FIFO message in the DLQ may only expire DLQ_RETENTION after its move.
            retention = SRC_RETENTION if queue == src else DLQ_RETENTION
            assert now >= sent_at[mid] + retention, f"{mid} vanished from {queue} at {now}"
        return after

    stored = present(e, src, dlq)
    for op in ops:
        kind = op[0]
        if kind == "send":
            counter += 1
            params = {"MessageBody": f"m{counter}"}
            if fifo:
                params["MessageGroupId"] = f"g{counter % 3}"
            elif op[1]:
                params["DelaySeconds"] = op[1]
            result = ok(e, "SendMessage", QueueName=src, **params)
            sent_at[result["MessageId"]] = e.clock.now()
        elif kind == "receive":
            _, n, timeout, wait = op
            result = ok(
                e,
                "ReceiveMessage",
                QueueName=src if n % 2 else dlq,
                MaxNumberOfMessages=n,
                VisibilityTimeout=timeout,
                WaitTimeSeconds=wait,
            )
            handles += [m["ReceiptHandle"] for m in result.get("Messages", [])]
        elif kind in ("delete", "change") and handles:
            handle = handles[op[1] % len(handles)]
            for queue in (src, dlq):
                before_delete = present(e, queue)
                if kind == "delete":
                    result = e.apply(
                        {"Action": "DeleteMessage", "QueueName": queue, "ReceiptHandle": handle}
                    )
                else:
                    result = e.apply(
                        {
                            "Action": "ChangeMessageVisibility",
                            "QueueName": queue,
                            "ReceiptHandle": handle,
                            "VisibilityTimeout": op[2],
                        }
                    )
                gone = set(before_delete) - set(present(e, queue))
                assert len(gone) <= 1
                deleted |= gone
        elif kind == "advance":
            ok(e, "Advance", Seconds=op[1])
        stored = check(stored)

    # Drain: keep receiving and deleting; every message must leave one way or another.
    for _ in range(200):
        if not stored:
            break
        for queue in (src, dlq):
            got = ok(
                e, "ReceiveMessage", QueueName=queue, MaxNumberOfMessages=10, WaitTimeSeconds=20
            )
            for m in got.get("Messages", []):
                before_delete = present(e, queue)
                ok(e, "DeleteMessage", QueueName=queue, ReceiptHandle=m["ReceiptHandle"])
                deleted |= set(before_delete) - set(present(e, queue))
        ok(e, "Advance", Seconds=5)
        stored = check(stored)
    assert not stored
    # Whatever we did not delete ended its retention period (in the source or the DLQ).
    for mid in set(sent_at) - deleted:
        assert e.clock.now() >= sent_at[mid] + SRC_RETENTION


fifo_operations = st.lists(
    st.one_of(
        st.tuples(st.just("send"), st.sampled_from("abc")),
        st.tuples(st.just("receive"), st.integers(1, 10), st.integers(0, 30)),
        st.tuples(st.just("delete"), st.integers(0, 100)),
        st.tuples(st.just("change"), st.integers(0, 100), st.integers(0, 30)),
        st.tuples(st.just("advance"), st.floats(0, 60)),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(fifo_operations)
def test_fifo_order_within_a_group_is_never_broken(ops):
    e, src, _ = build(fifo=True)
    queue = e.queues[src]
    next_index = {g: 0 for g in "abc"}
    handles: list[str] = []
    for op in ops:
        kind = op[0]
        if kind == "send":
            group = op[1]
            ok(
                e,
                "SendMessage",
                QueueName=src,
                MessageBody=f"{group}{next_index[group]}",
                MessageGroupId=group,
            )
            next_index[group] += 1
        elif kind == "receive":
            queue.settle(e.clock.now())
            blocked = {m.group for m in queue.messages.values() if m.state == INFLIGHT}
            waiting = {m.message_id: m.group for m in queue.messages.values()}
            earlier = {
                mid: [o.seq for o in queue.messages.values() if o.group == g]
                for mid, g in waiting.items()
            }
            result = ok(
                e,
                "ReceiveMessage",
                QueueName=src,
                MaxNumberOfMessages=op[1],
                VisibilityTimeout=op[2],
                MessageSystemAttributeNames=["MessageGroupId"],
            )
            got = result.get("Messages", [])
            handles += [m["ReceiptHandle"] for m in got]
            last: dict[str, int] = {}
            for m in got:
                group = m["Attributes"]["MessageGroupId"]
                index = int(m["Body"][1:])
                assert group not in blocked, "a group was delivered while in flight"
                assert index > last.get(group, -1), "a group came out of order in one receive"
                last[group] = index
                # Everything older in the group was deleted, moved or is in this same batch.
                seq = next(s for s, o in queue.messages.items() if o.message_id == m["MessageId"])
                older = [s for s in earlier.get(m["MessageId"], []) if s < seq]
                batch = {h["MessageId"] for h in got}
                for s in older:
                    o = queue.messages.get(s)
                    assert o is None or o.message_id in batch
        elif kind in ("delete", "change") and handles:
            handle = handles[op[1] % len(handles)]
            if kind == "delete":
                e.apply({"Action": "DeleteMessage", "QueueName": src, "ReceiptHandle": handle})
            else:
                e.apply(
                    {
                        "Action": "ChangeMessageVisibility",
                        "QueueName": src,
                        "ReceiptHandle": handle,
                        "VisibilityTimeout": op[2],
                    }
                )
        elif kind == "advance":
            ok(e, "Advance", Seconds=op[1])


junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 50)
    | st.floats(allow_nan=True)
    | st.text(max_size=5)
    | st.sampled_from(["q", "q.fifo", "$0.0", "All", "true", "AQEB1-1-1"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["Id", "MessageBody", "ReceiptHandle", "VisibilityTimeout", "DataType"]
            ),
            inner,
            max_size=3,
        )
    ),
    max_leaves=6,
)
PARAMETERS = [
    "QueueName",
    "Attributes",
    "MessageBody",
    "DelaySeconds",
    "MessageGroupId",
    "MaxNumberOfMessages",
    "WaitTimeSeconds",
    "VisibilityTimeout",
    "ReceiptHandle",
    "Entries",
    "AttributeNames",
    "MessageAttributeNames",
    "MessageAttributes",
    "QueueNamePrefix",
    "Seconds",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.builds(
            lambda action, params: {"Action": action, **params},
            st.sampled_from(ACTIONS),
            st.dictionaries(st.sampled_from(PARAMETERS), junk, max_size=5),
        ),
        max_size=8,
    )
)
def test_any_step_gives_a_result_or_an_aws_error_and_state_stays_json(steps):
    """The web page feeds form input to the engine: nothing it sends may crash the engine."""
    e = SqsEngine()
    ok(e, "CreateQueue", QueueName="q")
    ok(e, "CreateQueue", QueueName="q.fifo", Attributes={"FifoQueue": "true"})
    ok(e, "SendMessage", QueueName="q", MessageBody="x")
    for step in steps:
        result = e.apply(step)
        assert isinstance(result, dict)
    state = json.loads(json.dumps(e.to_dict()))
    assert SqsEngine.from_dict(state).to_dict() == state
    json.dumps(snapshot(e))
