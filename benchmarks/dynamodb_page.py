"""Render time of /sims/dynamodb/, and the cost of one action, small state and at the caps.

DEBUG=1 .venv/bin/python benchmarks/dynamodb_page.py [--rounds 30]

Two simulations: "preset" is the hot-partition lesson run to its end (one provisioned table of
4 partitions holding over 2,000 items); "full" is a provisioned table of 10 partitions with a
global secondary index, filled by a workload (10,000 writes in 10 s to 5,990 keys) close to the
simulator's cap of 6,000 items. Every item has the same index key, so one GSI partition takes
every index write (at most 1,000 WCU a second, which is why the workload is spread over 10 s).
For each, the median of ``--rounds``:

- page: GET of the whole page (the state is in the process's memory, as on a warm server);
- Advance 1 s: the clock's htmx POST (the panel it answers with is the whole board);
- PutItem: the item editor's POST (load under the row lock, one engine call, save what changed,
  render the panel);
- preview: the item editor's size-and-cost preview (nothing is saved);
- cold page: the page in a process with no copy of the state (every part read from the database).
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time

from django.test import Client
from django.urls import reverse
from django_env import test_database

from studyapp.sims import state
from studyapp.sims.dynamodb.simulation import DynamoDBSimulation

HTMX = {"HX-Request": "true"}
PAGE = reverse("sims:dynamodb")


def action(name: str) -> str:
    return reverse("sims:dynamodb-action", args=[name])


def median_ms(run, rounds: int, before=None) -> float:
    run()  # warm up: templates, caches
    times = []
    for _ in range(rounds):
        if before is not None:
            before()
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def preset_client() -> Client:
    client = Client()
    client.post(reverse("sims:dynamodb-preset"), {"preset": "hot-partition"})
    client.post(action("preset-rest"))
    return client


def full_client() -> Client:
    client = Client()
    table = {
        "name": "Events",
        "pk": "pk",
        "pk_type": "S",
        "sk": "",
        "sk_type": "S",
        "mode": "PROVISIONED",
        "rcu": "1000",
        "wcu": "10000",
        "gsi": "ByData",
        "gsi_pk": "data",
        "gsi_pk_type": "S",
        "gsi_sk_type": "S",
        "gsi_projection": "KEYS_ONLY",
    }
    assert client.post(action("create-table"), table).status_code == 302
    workload = {
        "table": "Events",
        "operation": "PutItem",
        "rate": "1000",
        "seconds": "10",
        "keys": "5990",
        "size": "200",
    }
    assert client.post(action("workload"), workload).status_code == 302
    client.post(action("advance"), {"seconds": "1"})
    return client


def measure(label: str, client: Client, table: str, key: str, rounds: int) -> None:
    owner = state.Owner(None, client.session[state.VISITOR_KEY], "127.0.0.1")
    with state.view(owner, DynamoDBSimulation) as simulation:
        totals = simulation.engine.totals()
    size = len(client.get(PAGE).content)
    print(
        f"{label}: {totals['Items']:,} items, {totals['Bytes'] / 1024:,.0f} KB stored, "
        f"page {size / 1024:,.0f} KB of HTML"
    )
    item = json.dumps({key: {"S": "benchmark"}, "note": {"S": "x" * 300}})
    put = {"table": table, "operation": "PutItem", "item": item}
    figures = {
        "page": median_ms(lambda: client.get(PAGE), rounds),
        "Advance 1 s": median_ms(lambda: client.post(action("advance"), {"seconds": "1"}, headers=HTMX), rounds),
        "PutItem": median_ms(lambda: client.post(action("item"), put, headers=HTMX), rounds),
        "preview": median_ms(lambda: client.post(action("preview"), put, headers=HTMX), rounds),
        "cold page": median_ms(lambda: client.get(PAGE), rounds, before=state.forget),
    }  # fmt: skip
    print("  " + " | ".join(f"{name} {ms:6.1f} ms" for name, ms in figures.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    logging.disable(logging.WARNING)
    print(f"/sims/dynamodb/, median of {rounds} (Python {sys.version.split()[0]})")
    with test_database():
        measure("preset (hot partition, run to its end)", preset_client(), "Events", "pk", rounds)
        measure("full (10 partitions, a GSI, near the cap)", full_client(), "Events", "pk", rounds)


if __name__ == "__main__":
    main()
