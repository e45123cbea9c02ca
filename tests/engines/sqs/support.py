"""Small helpers shared by the SQS engine tests."""

from __future__ import annotations

from typing import Any

from studyapp.engines.sqs import SqsEngine


def call(engine: SqsEngine, action: str, **params: Any) -> dict[str, Any]:
    return engine.apply({"Action": action, **params})


def ok(engine: SqsEngine, action: str, **params: Any) -> dict[str, Any]:
    result = call(engine, action, **params)
    assert "Error" not in result, result
    return result


def error(engine: SqsEngine, action: str, **params: Any) -> str:
    result = call(engine, action, **params)
    assert "Error" in result, result
    return result["Error"]["Code"]


def create(engine: SqsEngine, name: str = "q", **attributes: Any) -> str:
    ok(engine, "CreateQueue", QueueName=name, Attributes={k: str(v) for k, v in attributes.items()})
    return name


def send(engine: SqsEngine, queue: str, body: str, **params: Any) -> dict[str, Any]:
    return ok(engine, "SendMessage", QueueName=queue, MessageBody=body, **params)


def receive(engine: SqsEngine, queue: str, n: int = 10, **params: Any) -> list[dict[str, Any]]:
    """ReceiveMessage asking for every system attribute (unless the test says otherwise), as
    the tests read them; without MessageSystemAttributeNames SQS returns none."""
    params.setdefault("MessageSystemAttributeNames", ["All"])
    return ok(engine, "ReceiveMessage", QueueName=queue, MaxNumberOfMessages=n, **params).get(
        "Messages", []
    )


def bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [m["Body"] for m in messages]


def delete(engine: SqsEngine, queue: str, message: dict[str, Any]) -> None:
    ok(engine, "DeleteMessage", QueueName=queue, ReceiptHandle=message["ReceiptHandle"])


def advance(engine: SqsEngine, seconds: float) -> None:
    ok(engine, "Advance", Seconds=seconds)


def counts(engine: SqsEngine, queue: str) -> tuple[int, int, int]:
    """(visible, in flight, delayed) as GetQueueAttributes reports them."""
    a = ok(engine, "GetQueueAttributes", QueueName=queue, AttributeNames=["All"])["Attributes"]
    return (
        int(a["ApproximateNumberOfMessages"]),
        int(a["ApproximateNumberOfMessagesNotVisible"]),
        int(a["ApproximateNumberOfMessagesDelayed"]),
    )
