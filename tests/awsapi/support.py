"""Requests to the endpoint through Django's test client, signed by botocore's own signer."""

import json
from datetime import UTC, datetime

import time_machine
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SQS_TARGET = "AmazonSQS.ListQueues"


def signed(client, key_id, secret, *, service="sqs", target=SQS_TARGET, body=b"{}", at=None):
    """POST /aws/ through Django's test client, signed by botocore's own SigV4 signer."""
    request = AWSRequest(
        method="POST",
        url="http://testserver/aws/",
        data=body,
        headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target},
    )
    with time_machine.travel(at or datetime.now(UTC), tick=False):
        SigV4Auth(Credentials(key_id, secret), service, "us-east-1").add_auth(request)
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-type"}
    headers["Host"] = "testserver"  # what botocore signed (an HTTP client sends it)
    return client.post(
        "/aws/", data=body, content_type="application/x-amz-json-1.0", headers=headers
    )


def error_of(response):
    body = json.loads(response.content)
    return response.status_code, body["__type"].rsplit("#", 1)[-1]
