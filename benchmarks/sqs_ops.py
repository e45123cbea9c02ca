"""SQS engine benchmark: operations per second on a queue holding 100,000 messages, and
memory per queued small message.

    python benchmarks/sqs_ops.py [--messages 100000] [--fifo]

Every operation goes through ``SqsEngine.apply`` (the path the web page and the scenario
runner use). Targets (issue 6): >= 50,000 single operations/s on one core; send, receive(10)
and delete O(log n) or better; < 1 KB per small queued message. Issue 15: the web page saves
the engine in increments (to_parts); one send's save does not grow with the messages queued.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studyapp.engines.sqs import SqsEngine

QUEUE = "bench"


def make_engine(fifo: bool) -> SqsEngine:
    engine = SqsEngine()
    attributes = {"VisibilityTimeout": "43200"}
    name = QUEUE + (".fifo" if fifo else "")
    if fifo:
        attributes.update({"FifoQueue": "true", "ContentBasedDeduplication": "true"})
    result = engine.apply({"Action": "CreateQueue", "QueueName": name, "Attributes": attributes})
    assert "QueueUrl" in result, result
    return engine


def send_step(name: str, i: int, fifo: bool) -> dict[str, object]:
    step: dict[str, object] = {
        "Action": "SendMessage",
        "QueueName": name,
        "MessageBody": f"msg-{i:07d}",
    }
    if fifo:
        step["MessageGroupId"] = f"g{i % 5000}"
    return step


def fill(engine: SqsEngine, count: int, fifo: bool, start: int = 0) -> float:
    name = QUEUE + (".fifo" if fifo else "")
    apply = engine.apply
    began = time.perf_counter()
    for i in range(start, start + count):
        apply(send_step(name, i, fifo))
    return time.perf_counter() - began


def measure(queued: int, fifo: bool, operations: int) -> dict[str, float]:
    """ops/s for send, receive(10) and delete on a queue already holding ``queued`` messages."""
    engine = make_engine(fifo)
    name = QUEUE + (".fifo" if fifo else "")
    fill(engine, queued, fifo)
    gc.collect()
    apply = engine.apply

    sends = [send_step(name, queued + i, fifo) for i in range(operations)]
    began = time.perf_counter()
    for step in sends:
        apply(step)
    send_rate = operations / (time.perf_counter() - began)

    receives = operations // 10
    receive_step = {"Action": "ReceiveMessage", "QueueName": name, "MaxNumberOfMessages": 10}
    handles: list[str] = []
    began = time.perf_counter()
    for _ in range(receives):
        handles.extend(m["ReceiptHandle"] for m in apply(receive_step).get("Messages", []))
    receive_seconds = time.perf_counter() - began

    deletes = [{"Action": "DeleteMessage", "QueueName": name, "ReceiptHandle": h} for h in handles]
    began = time.perf_counter()
    for step in deletes:
        apply(step)
    delete_rate = len(deletes) / (time.perf_counter() - began)
    return {
        "send": send_rate,
        "receive10_calls": receives / receive_seconds,
        "receive10_messages": len(handles) / receive_seconds,
        "delete": delete_rate,
    }


def saved_send_ms(queued: int, fifo: bool, repeat: int = 50) -> float:
    """Best of `repeat`: one SendMessage then to_parts(changed=True) and JSON of what changed
    (what the web page stores after an action), on a queue holding ``queued`` messages."""
    engine = make_engine(fifo)
    fill(engine, queued, fifo)
    engine.to_parts()
    name = QUEUE + (".fifo" if fifo else "")
    best = []
    for i in range(repeat):
        started = time.perf_counter()
        engine.apply(send_step(name, queued + i, fifo))
        json.dumps(engine.to_parts(changed=True))
        best.append((time.perf_counter() - started) * 1000)
    return min(best)


def memory_per_message(count: int, fifo: bool) -> float:
    engine = make_engine(fifo)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    fill(engine, count, fifo)
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    return grown / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--operations", type=int, default=20_000)
    parser.add_argument(
        "--fifo", action="store_true", help="benchmark a FIFO queue (5,000 message groups)"
    )
    args = parser.parse_args()
    kind = "FIFO" if args.fifo else "standard"
    print(f"SQS engine, one {kind} queue, Python {sys.version.split()[0]}")
    for queued in (args.messages // 10, args.messages):
        r = measure(queued, args.fifo, args.operations)
        print(
            f"queue holding {queued:>7,} messages: "
            f"send {r['send']:>9,.0f} ops/s | "
            f"receive(10) {r['receive10_calls']:>8,.0f} calls/s ({r['receive10_messages']:>9,.0f} msgs/s) | "
            f"delete {r['delete']:>9,.0f} ops/s"
        )
    for queued in (0, 2_000, args.messages):
        print(
            f"one SendMessage saved in increments, queue holding {queued:>7,} messages: "
            f"{saved_send_ms(queued, args.fifo):.3f} ms"
        )
    per_message = memory_per_message(args.messages, args.fifo)
    print(
        f"memory per queued small message (tracemalloc, {args.messages:,} messages): {per_message:,.0f} bytes"
    )


if __name__ == "__main__":
    main()
