"""docs/sdk.md's Python and AWS CLI examples run, as written, against the endpoint."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "sdk.md"


def python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", DOC.read_text(), re.DOTALL | re.MULTILINE)


def test_the_guide_has_an_example_for_each_lesson():
    code = "\n".join(python_blocks())
    lessons = (
        "WaitTimeSeconds",
        "RedrivePolicy",
        "delete_message_batch",
        "put_records",
        "ConditionExpression",
        "LastEvaluatedKey",
    )
    for call in lessons:
        assert call in code


def test_every_python_example_runs_against_the_endpoint(live_server, api_key, monkeypatch, capsys):
    pytest.importorskip("boto3")
    key, secret = api_key
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("STUDYAPP_ENDPOINT", f"{live_server.url}/aws/")
    namespace: dict = {}
    try:
        for block in python_blocks():
            exec(compile(block, str(DOC), "exec"), namespace)
    finally:
        for name in ("sqs", "kinesis", "dynamodb"):
            if name in namespace:
                namespace[name].close()
    out = capsys.readouterr().out
    assert "received again, count 2" in out
    assert "in the DLQ: ['poison']" in out
    assert "10 sent, 0 failed" in out
    assert "not deleted: stale ReceiptHandleIsInvalid" in out
    assert "1500 records read" in out
    assert "alice exists already" in out
    assert "conflict: the item is at version 2" in out
    assert "balance 140 at version 3" in out
    assert "60 orders in 3 pages" in out
    assert "page: 25 read, 0 kept\npage: 25 read, 0 kept\npage: 10 read, 10 kept" in out


def cli_lines() -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", DOC.read_text(), re.DOTALL | re.MULTILINE)
    return [line for block in blocks for line in block.splitlines() if line.startswith("aws ")]


def test_every_aws_cli_example_runs_against_the_endpoint(live_server, api_key, make_client):
    """The AWS CLI (version 1, the same botocore as boto3) with --endpoint-url, as the guide
    shows it: each line exits 0 and prints AWS's JSON."""
    pytest.importorskip("awscli")
    aws = Path(sys.executable).with_name("aws")
    key, secret = api_key
    endpoint = f"{live_server.url}/aws/"
    # What the guide's lines refer to and create no line of their own for: the table.
    make_client("dynamodb", key.access_key_id, secret).create_table(
        TableName="accounts",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_ACCESS_KEY_ID": key.access_key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "STUDYAPP_ENDPOINT": endpoint,
    }
    lines = cli_lines()
    assert len(lines) >= 4
    printed = []
    for line in lines:
        argv = [str(aws), *shlex.split(line.replace('"$STUDYAPP_ENDPOINT"', endpoint))[1:]]
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        printed.append(json.loads(done.stdout))
    queue, sent, streams, table = printed
    assert queue["QueueUrl"].endswith("/000000000000/orders")
    assert len(sent["MD5OfMessageBody"]) == 32
    assert "StreamNames" in streams
    assert table["Table"]["TableName"] == "accounts"
