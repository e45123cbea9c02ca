"""What one SDK call costs the database, whatever the learner stores: the key, the lock, the
row, the parts it changed, the head (benchmarks/awsapi_calls.py times it)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .support import signed

pytestmark = pytest.mark.django_db


def send(client, key, secret, queue_url, body):
    return signed(
        client,
        key.access_key_id,
        secret,
        target="AmazonSQS.SendMessage",
        body=json.dumps({"QueueUrl": queue_url, "MessageBody": body}).encode(),
    )


def test_a_send_runs_a_fixed_handful_of_statements(client, api_key):
    key, secret = api_key
    created = signed(
        client,
        key.access_key_id,
        secret,
        target="AmazonSQS.CreateQueue",
        body=json.dumps({"QueueName": "orders"}).encode(),
    )
    queue_url = json.loads(created.content)["QueueUrl"]
    send(client, key, secret, queue_url, "first")  # the key's "last used" is written once
    counts = []
    for number in range(120):  # past the event log's cap: then each send drops its oldest entry
        with CaptureQueriesContext(connection) as queries:
            assert send(client, key, secret, queue_url, f"order {number}").status_code == 200
        counts.append(len(queries))
    # The key; SAVEPOINT; (SQLite) the write lock; the row; the log entry dropped; the parts
    # written; the head; RELEASE: 8, whether the queue holds 1 message or 120.
    assert max(counts) <= 8, counts
    assert counts[-1] == counts[-20], counts
