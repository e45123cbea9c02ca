"""Render time of /sims/kinesis/ with a 64-shard stream after a busy second of writes.

DEBUG=1 .venv/bin/python benchmarks/kinesis_page.py
"""

import statistics
import time

from django.test import Client
from django_env import test_database

ROUNDS = 50


def main():
    with test_database():
        client = Client()
        client.post("/sims/kinesis/reset/", {"shards": "64"})
        client.post(
            "/sims/kinesis/do/producer/",
            {
                "strategy": "random",
                "rate": "5000",
                "size": "100",
                "key": "k",
                "hot_share": "0.5",
                "seconds": "1",
                "do": "run",
            },
        )
        client.get("/sims/kinesis/")  # warm up
        full, panel = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            response = client.get("/sims/kinesis/")
            full.append((time.perf_counter() - start) * 1000)
            assert response.content.decode().count("data-shard-row=") == 64
            start = time.perf_counter()
            client.get("/sims/kinesis/", headers={"HX-Request": "true"})
            panel.append((time.perf_counter() - start) * 1000)
        print("kinesis page with 64 shards (5,000 records in the last second):")
        print(
            f"  full page: median {statistics.median(full):.1f} ms, max {max(full):.1f} ms over {ROUNDS}"
        )
        print(
            f"  htmx panel: median {statistics.median(panel):.1f} ms, max {max(panel):.1f} ms over {ROUNDS}"
        )


if __name__ == "__main__":
    main()
