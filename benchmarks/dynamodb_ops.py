"""DynamoDB engine benchmark: GetItem and PutItem operations per second on a 100,000-item table.

    python benchmarks/dynamodb_ops.py [--items 100000] [--operations 50000]

Every operation goes through ``DynamoDB.apply`` with AWS's request shape (the path the web page
and the scenario runner use): parameter checks, attribute value validation, item size, capacity
accounting, partition limits. The table is on-demand with a partition key and a sort key; the
virtual clock moves one second every 2,000 operations so that the per-partition limits (1,000
WCU / 3,000 RCU a second on each of the table's 4 partitions) are not what is measured.
Goal (issue): >= 50,000 GetItem and PutItem operations a second.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studyapp.engines.dynamodb import DynamoDB

TABLE = "bench"
PER_VIRTUAL_SECOND = 2_000


def make_engine() -> DynamoDB:
    engine = DynamoDB()
    result = engine.apply(
        {
            "Action": "CreateTable",
            "TableName": TABLE,
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
            ],
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "BillingMode": "PAY_PER_REQUEST",
        }
    )
    assert "TableDescription" in result, result
    return engine


def put_step(i: int) -> dict[str, object]:
    return {
        "Action": "PutItem",
        "TableName": TABLE,
        "Item": {
            "pk": {"S": f"user-{i // 4:06d}"},
            "sk": {"N": str(i % 4)},
            "name": {"S": f"name {i}"},
            "score": {"N": str(i * 7 % 1000)},
            "active": {"BOOL": i % 2 == 0},
        },
    }


def get_step(i: int) -> dict[str, object]:
    return {
        "Action": "GetItem",
        "TableName": TABLE,
        "Key": {"pk": {"S": f"user-{i // 4:06d}"}, "sk": {"N": str(i % 4)}},
    }


def run(engine: DynamoDB, steps: list[dict[str, object]]) -> tuple[float, float]:
    """(operations per second of wall-clock time, of this process's CPU time) over ``steps``,
    advancing the virtual clock as it goes. CPU time is the fairer figure on a shared machine."""
    apply = engine.apply
    tick = {"Action": "Advance", "Seconds": 1}
    began, cpu = time.perf_counter(), time.process_time()
    for n, step in enumerate(steps, 1):
        result = apply(step)
        if "Error" in result:
            raise SystemExit(f"unexpected error: {result}")
        if n % PER_VIRTUAL_SECOND == 0:
            apply(tick)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    return len(steps) / wall, len(steps) / max(cpu, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--operations", type=int, default=50_000)
    args = parser.parse_args()
    print(f"DynamoDB engine, Python {sys.version.split()[0]}")
    engine = make_engine()
    fill, _ = run(engine, [put_step(i) for i in range(args.items)])
    count = engine.apply({"Action": "DescribeTable", "TableName": TABLE})["Table"]["ItemCount"]
    print(f"filled {count:,} items at {fill:,.0f} PutItem/s")
    shuffle = random.Random(1)
    keys = [shuffle.randrange(args.items) for _ in range(args.operations)]
    gc.collect()
    wall, cpu = run(engine, [get_step(i) for i in keys])
    print(
        f"GetItem on a {count:,}-item table: {wall:>9,.0f} ops/s wall clock, "
        f"{cpu:>9,.0f} ops/s CPU time"
    )
    new = [args.items + i for i in range(args.operations // 2)]
    wall, cpu = run(engine, [put_step(i) for i in keys[: args.operations // 2] + new])
    print(
        f"PutItem on a {count:,}-item table: {wall:>9,.0f} ops/s wall clock, "
        f"{cpu:>9,.0f} ops/s CPU time (half overwrite, half new)"
    )


if __name__ == "__main__":
    main()
