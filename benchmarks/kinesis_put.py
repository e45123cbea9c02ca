"""Kinesis engine figures: PutRecord calls a second into a 64-shard stream, page state time.

Run: python benchmarks/kinesis_put.py [CALLS]
Targets (issue 7): >= 100,000 PutRecord calls/s on one core; page state of 64 shards < 50 ms.
Issue 15: the web page saves the state in increments (to_parts); one put's save does not grow
with the records stored.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studyapp.engines.kinesis import Kinesis, stream_view

SHARDS = 64
# 64 shards take 64,000 records in a second; move the virtual clock on well before that so
# the benchmark measures the engine, not its throughput limits.
CALLS_PER_VIRTUAL_SECOND = 32_000


def bench_put(calls: int) -> tuple[float, Kinesis]:
    kinesis = Kinesis()
    kinesis.create_stream(StreamName="bench", ShardCount=SHARDS)
    keys = [f"user-{i}" for i in range(10_000)]
    put = kinesis.put_record
    advance = kinesis.clock.advance
    started = time.perf_counter()
    done = 0
    while done < calls:
        batch = min(CALLS_PER_VIRTUAL_SECOND, calls - done)
        for i in range(batch):
            put(StreamName="bench", PartitionKey=keys[i % 10_000], Data="payload-0123456789")
        done += batch
        advance(1)
    elapsed = time.perf_counter() - started
    stored = kinesis.totals("bench")["Records"]
    assert stored == calls, f"{calls - stored} puts were throttled; advance the clock sooner"
    return calls / elapsed, kinesis


def bench_saved_put(kinesis: Kinesis, repeat: int = 20) -> float:
    """Best of `repeat`: one PutRecord then to_parts(changed=True) and JSON of what changed
    (what the web page stores after an action), in ms."""
    kinesis.to_parts()
    best = []
    for i in range(repeat):
        kinesis.clock.advance(1)
        started = time.perf_counter()
        kinesis.put_record(StreamName="bench", PartitionKey=f"k{i}", Data="payload-0123456789")
        json.dumps(kinesis.to_parts(changed=True))
        best.append((time.perf_counter() - started) * 1000)
    return min(best)


def bench_page_state(kinesis: Kinesis, repeat: int = 20) -> tuple[float, float]:
    """Best of `repeat`: (view-model ms, full to_dict + JSON + from_dict ms)."""
    view_ms = []
    for _ in range(repeat):
        started = time.perf_counter()
        stream_view(kinesis, "bench")
        view_ms.append((time.perf_counter() - started) * 1000)
    state_ms = []
    for _ in range(max(1, repeat // 4)):
        started = time.perf_counter()
        Kinesis.from_dict(json.loads(json.dumps(kinesis.to_dict())))
        state_ms.append((time.perf_counter() - started) * 1000)
    return min(view_ms), min(state_ms)


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    rate, kinesis = bench_put(calls)
    print(f"PutRecord into a {SHARDS}-shard stream: {rate:,.0f} calls/s ({calls:,} calls)")
    view_ms, _ = bench_page_state(kinesis)
    print(f"page view of {SHARDS} shards ({calls:,} records stored): {view_ms:.2f} ms")
    print(
        f"one PutRecord saved in increments ({calls:,} records stored): "
        f"{bench_saved_put(kinesis):.2f} ms"
    )
    page = Kinesis()
    page.create_stream(StreamName="bench", ShardCount=SHARDS)
    page.produce(StreamName="bench", RecordsPerSecond=6_400, Seconds=1, Seed=1)
    view_ms, state_ms = bench_page_state(page)
    print(
        f"page state of {SHARDS} shards (6,400 records): view {view_ms:.2f} ms, "
        f"to_dict+JSON+from_dict round trip {state_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()
