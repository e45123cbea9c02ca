"""SDK calls per second through the endpoint (/aws/), beside a trivial Django view.

.venv/bin/python benchmarks/awsapi_calls.py [--calls 300]

One WSGI server (the standard library's, one request at a time) with DEBUG off, as in
production, on a throwaway test database (on SQLite a file, as the app runs) serves both; a real boto3 client (SigV4-signed, JSON parsed) calls SendMessage, PutRecord and
PutItem one after the other, as a learner's script does. The trivial view answers "ok" without
touching the database; it is fetched with the standard library's HTTP client, and a second
trivial view answers boto3 with an empty AWS JSON body (boto3's own cost, no endpoint). Each figure
comes twice: calls per second as the client sees them (boto3's own signing and parsing
included), and the server's time per call (the endpoint's cost alone).

Target (issue 17): SDK calls within 3x of the trivial view on the same server. The last
line says how much of a call is the simulator's own cost (the locked load and save of the
learner's state that every simulator action pays, from the page or the SDK).
"""

from __future__ import annotations

import os

os.environ["DEBUG"] = "0"  # as in production: no query log, no debug cursor
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-use")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import argparse
import http.client
import logging
import sys
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django_env import test_database


def trivial(request):
    return HttpResponse("ok")


@csrf_exempt
def trivial_aws(request):
    """An empty AWS JSON answer, checking nothing: the same boto3 call's floor (its signing,
    sending and parsing) on this server."""
    return HttpResponse("{}", content_type="application/x-amz-json-1.0")


urlpatterns = [
    path("trivial/", trivial),
    path("trivial-aws/", trivial_aws),
    path("", include("studyapp.urls")),
]


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Timed:
    """The WSGI application, timing the server's own part of each request (the client's
    signing and parsing, boto3's, are not the endpoint's cost)."""

    def __init__(self, application):
        self.application = application
        self.seconds = 0.0
        self.requests = 0

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        body = b"".join(self.application(environ, start_response))
        self.seconds += time.perf_counter() - started
        self.requests += 1
        return [body]

    def reset(self) -> None:
        self.seconds, self.requests = 0.0, 0

    def ms_each(self) -> float:
        return 1000 * self.seconds / max(1, self.requests)


def rate(label: str, calls: int, run, timed: Timed | None = None) -> tuple[float, float]:
    """(calls per second as the client sees them, the server's ms per call)."""
    run()  # warm up
    if timed is not None:
        timed.reset()
    started = time.perf_counter()
    for _ in range(calls):
        run()
    per_second = calls / (time.perf_counter() - started)
    server = timed.ms_each() if timed is not None else 0.0
    shown = f"; server {server:6.2f} ms" if timed is not None else ""
    print(f"{label:<36} {per_second:8.0f} calls/s  ({1000 / per_second:6.2f} ms each{shown})")
    return per_second, server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        sys.exit("boto3 is needed: pip install -e '.[dev]'")
    logging.disable(logging.WARNING)
    settings.ROOT_URLCONF = __name__
    settings.AWSAPI_CALLS_PER_SECOND = 1_000_000  # measure the endpoint, not its rate limit
    with test_database(on_disk=True):
        from studyapp.accounts.apikeys import api_key_create
        from studyapp.sims import state
        from studyapp.sims.sqs import service
        from studyapp.sims.sqs.simulation import SqsSimulation
        from studyapp.sims.state import Owner

        settings.ALLOWED_HOSTS = ["127.0.0.1"]
        user = get_user_model().objects.create_user("bench", "bench@example.com", "x")
        key, secret = api_key_create(user=user)
        timed = Timed(get_wsgi_application())
        server: WSGIServer = make_server("127.0.0.1", 0, timed, handler_class=Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        endpoint = f"http://127.0.0.1:{port}/aws/"

        def client(service, endpoint=endpoint):
            return boto3.client(
                service,
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id=key.access_key_id,
                aws_secret_access_key=secret,
                config=Config(retries={"total_max_attempts": 1}),
            )

        sqs, kinesis, dynamodb = client("sqs"), client("kinesis"), client("dynamodb")
        url = sqs.create_queue(QueueName="bench")["QueueUrl"]
        kinesis.create_stream(StreamName="bench", ShardCount=4)
        dynamodb.create_table(
            TableName="bench",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        counter = iter(range(10**9))

        def get_trivial():
            connection = http.client.HTTPConnection("127.0.0.1", port)
            connection.request("GET", "/trivial/")
            assert connection.getresponse().read() == b"ok"
            connection.close()

        print(f"{args.calls} calls each, one at a time ({connection_vendor()}):")
        base, base_ms = rate("trivial Django view", args.calls, get_trivial, timed)
        empty = client("sqs", f"http://127.0.0.1:{port}/trivial-aws/")
        floor_sdk, _ = rate("trivial view through boto3", args.calls, empty.list_queues, timed)
        send, send_ms = rate(
            "SQS SendMessage (boto3)",
            args.calls,
            lambda: sqs.send_message(QueueUrl=url, MessageBody="order"),
            timed,
        )
        put, put_ms = rate(
            "Kinesis PutRecord (boto3)",
            args.calls,
            lambda: kinesis.put_record(
                StreamName="bench", Data=b"click", PartitionKey=f"user-{next(counter)}"
            ),
            timed,
        )
        item, item_ms = rate(
            "DynamoDB PutItem (boto3)",
            args.calls,
            lambda: dynamodb.put_item(  # 1,000 keys: within the simulator's 6,000 items
                TableName="bench", Item={"pk": {"S": f"user-{next(counter) % 1000}"}}
            ),
            timed,
        )
        owner = Owner(user.pk)

        def edit_only():
            with state.edit(owner, SqsSimulation) as opened:
                step = {"Action": "SendMessage", "QueueName": "bench", "MessageBody": "order"}
                service.sdk_call(opened.simulation, step, actor="bench", wall=time.time())

        floor, _ = rate("SendMessage, simulator state only", args.calls, edit_only)
        print(
            f"as the client sees it, trivial view / SendMessage: {base / send:.1f}x; "
            f"/ PutRecord: {base / put:.1f}x; / PutItem: {base / item:.1f}x"
        )
        print(
            f"server time, SendMessage / trivial view: {send_ms / base_ms:.1f}x; "
            f"PutRecord: {put_ms / base_ms:.1f}x; PutItem: {item_ms / base_ms:.1f}x"
        )
        print(
            f"as the client sees it, trivial view through boto3 / SendMessage: "
            f"{floor_sdk / send:.1f}x; / PutRecord: {floor_sdk / put:.1f}x; "
            f"/ PutItem: {floor_sdk / item:.1f}x"
        )
        print("target: at most 3x")
        print(
            f"of a SendMessage's {1000 / send:.1f} ms, {1000 / floor:.1f} ms are the simulator's "
            "locked load and save of the learner's state (sims/state.py)"
        )
        server.shutdown()


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
