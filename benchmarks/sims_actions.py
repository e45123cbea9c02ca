"""The cost of one simulator action, with an empty state and with the state at its caps.

DEBUG=1 .venv/bin/python benchmarks/sims_actions.py [--rounds 30]

SQS: one standard queue, empty or holding 2,000 messages (the cap); Kinesis: a 32-shard
stream, empty or keeping 30,000 records of 100 bytes (the cap). For each action, the median
of ``--rounds``:

- request: the whole htmx POST, as the learner's browser waits for it (load the state under
  its row lock, one engine call, save, render the panel);
- service: the same without rendering (state.edit, the action, the save);
- cold: the service part in a process that has no copy of the state in memory (another app
  server, or the first action after a restart), which reads every part from the database.

Target (issue 15): an action at the caps costs under 2x the same action on an empty state.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time

from django.test import Client
from django.urls import reverse
from django_env import test_database

from studyapp.sims import state
from studyapp.sims.kinesis import service as kinesis
from studyapp.sims.kinesis import simulation as kinesis_state
from studyapp.sims.kinesis.simulation import KinesisSimulation
from studyapp.sims.sqs import service as sqs
from studyapp.sims.sqs import simulation as sqs_state
from studyapp.sims.sqs.simulation import SqsSimulation

HTMX = {"HX-Request": "true"}


def medians_ms(runs: dict[str, object], rounds: int, before=None) -> dict[str, float]:
    """The median time of each run, taking turns round by round, so that whatever else the
    machine does weighs on every run alike."""
    times: dict[str, list[float]] = {label: [] for label in runs}
    for run in runs.values():
        run()  # warm up: templates, caches
    for _ in range(rounds):
        for label, run in runs.items():
            if before is not None:
                before()
            started = time.perf_counter()
            run()
            times[label].append((time.perf_counter() - started) * 1000)
    return {label: statistics.median(found) for label, found in times.items()}


def owner(client: Client) -> state.Owner:
    return state.Owner(None, client.session[state.VISITOR_KEY], "127.0.0.1")


def service_run(client: Client, kind, operation):
    def run():
        with state.edit(owner(client), kind) as opened:
            operation(opened.simulation)

    return run


def sqs_client(full: bool, room: int) -> Client:
    client = Client()
    client.post(
        reverse("sims:sqs-action", args=["create"]), {"name": "bench", "visibility": "43200"}
    )
    if full:
        batch = reverse("sims:sqs-action", args=["batch"])
        for i in range(0, sqs_state.MAX_MESSAGES - room, 10):
            count = min(10, sqs_state.MAX_MESSAGES - room - i)
            bodies = "\n".join(f"message {i + j:05d} " + "x" * 80 for j in range(count))
            assert client.post(batch, {"queue": "bench", "bodies": bodies}).status_code == 302
    return client


def kinesis_client(full: bool, room: int) -> Client:
    client = Client()
    client.post(reverse("sims:kinesis-reset"), {"shards": "32"})
    if full:
        producer = reverse("sims:kinesis-action", args=["producer"])
        left = kinesis_state.MAX_RECORDS_KEPT - room
        while left:
            rate = min(10_000, left)
            form = {
                "strategy": "random",
                "rate": str(rate),
                "size": "100",
                "key": "k",
                "hot_share": "0.5",
                "seconds": "1",
                "do": "run",
            }
            assert client.post(producer, form).status_code == 302
            left -= rate
        client.post(reverse("sims:kinesis-action", args=["advance"]), {"seconds": "1"})
    return client


def measure(name: str, kind, make_client, actions, rounds: int) -> None:
    # Each round of each action may add a message or record: leave room for all of them.
    room = 3 * (rounds + 1) * sum(adds for *_rest, adds in actions)
    clients = {"empty": make_client(False, room), "full": make_client(True, room)}
    totals = {label: _totals(kind, client) for label, client in clients.items()}
    print(f"{name}: empty = {totals['empty']}, full = {totals['full']}")
    for action, (url, data), operation, _adds in actions:
        request = medians_ms(
            {
                label: lambda client=client, url=url, data=data: client.post(
                    url, data, headers=HTMX
                )
                for label, client in clients.items()
            },
            rounds,
        )
        runs = {label: service_run(client, kind, operation) for label, client in clients.items()}
        served = medians_ms(runs, rounds)
        cold = medians_ms(runs, rounds, before=state.forget)
        print(
            f"  {action:<12} request {request['empty']:6.1f} ms -> {request['full']:6.1f} ms "
            f"({request['full'] / request['empty']:.2f}x) | "
            f"service {served['empty']:6.1f} ms -> {served['full']:6.1f} ms "
            f"({served['full'] / served['empty']:.2f}x) | "
            f"cold {cold['empty']:6.1f} ms -> {cold['full']:6.1f} ms"
        )


def _totals(kind, client: Client) -> str:
    with state.view(owner(client), kind) as simulation:
        if kind is SqsSimulation:
            return f"{simulation.engine.totals()['Messages']:,} messages"
        return f"{simulation.kinesis.totals()['Records']:,} records"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    logging.disable(logging.WARNING)
    print(f"One simulator action, median of {rounds} (Python {sys.version.split()[0]})")
    with test_database():
        send = {"Action": "SendMessage", "QueueName": "bench", "MessageBody": "one more"}
        measure(
            "SQS, one standard queue",
            SqsSimulation,
            sqs_client,
            [
                (
                    "SendMessage",
                    (
                        reverse("sims:sqs-action", args=["send"]),
                        {"queue": "bench", "body": "one more"},
                    ),
                    lambda sim: sqs.produce(sim, dict(send)),
                    1,
                ),
                (
                    "Advance 1 s",
                    (reverse("sims:sqs-action", args=["advance"]), {"seconds": "1"}),
                    lambda sim: sqs.advance(sim, 1),
                    0,
                ),
            ],
            rounds,
        )
        measure(
            "Kinesis, a 32-shard stream",
            KinesisSimulation,
            kinesis_client,
            [
                (
                    "PutRecord",
                    (
                        reverse("sims:kinesis-action", args=["put"]),
                        {"partition_key": "customer-42", "data": "hello"},
                    ),
                    lambda sim: kinesis.put_record(sim, "customer-42", "hello", ""),
                    1,
                ),
                (
                    "Advance 1 s",
                    (reverse("sims:kinesis-action", args=["advance"]), {"seconds": "1"}),
                    lambda sim: kinesis.advance(sim, 1),
                    0,
                ),
            ],
            rounds,
        )


if __name__ == "__main__":
    main()
