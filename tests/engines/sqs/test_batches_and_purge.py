"""Batch actions and PurgeQueue.

Sources: API Reference SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch (at
most 10 entries; ids unique, alphanumeric, hyphens and underscores, up to 80 characters; each
entry succeeds or fails on its own; the whole request at most 1 MiB), PurgeQueue (deletes the
messages including in-flight ones; another purge within 60 seconds fails with
PurgeQueueInProgress); SQS Developer Guide "Amazon SQS message quotas" (message batch of 10).
"""

from __future__ import annotations

from studyapp.engines.sqs import SqsEngine

from .support import advance, bodies, call, counts, create, error, ok, receive, send


def entries(n: int, **extra: object) -> list[dict[str, object]]:
    return [{"Id": f"m{i}", "MessageBody": f"body-{i}", **extra} for i in range(n)]


def test_send_batch_of_ten_succeeds_in_order():
    e = SqsEngine()
    create(e, "q")
    result = ok(e, "SendMessageBatch", QueueName="q", Entries=entries(10))
    assert [s["Id"] for s in result["Successful"]] == [f"m{i}" for i in range(10)]
    assert result["Failed"] == []
    assert bodies(receive(e, "q", 10)) == [f"body-{i}" for i in range(10)]


def test_batch_of_eleven_entries_is_rejected_whole():
    e = SqsEngine()
    create(e, "q")
    code = error(e, "SendMessageBatch", QueueName="q", Entries=entries(11))
    assert code == "TooManyEntriesInBatchRequest"
    assert counts(e, "q") == (0, 0, 0)


def test_batch_entry_ids_must_be_distinct_and_well_formed():
    e = SqsEngine()
    create(e, "q")
    same = [{"Id": "x", "MessageBody": "a"}, {"Id": "x", "MessageBody": "b"}]
    assert error(e, "SendMessageBatch", QueueName="q", Entries=same) == "BatchEntryIdsNotDistinct"
    bad = [{"Id": "has space", "MessageBody": "a"}]
    assert error(e, "SendMessageBatch", QueueName="q", Entries=bad) == "InvalidBatchEntryId"
    assert error(e, "SendMessageBatch", QueueName="q", Entries=[]) == "EmptyBatchRequest"


def test_batch_reports_failures_per_entry():
    e = SqsEngine()
    create(e, "q")
    batch = [
        {"Id": "good", "MessageBody": "fine"},
        {"Id": "late", "MessageBody": "x", "DelaySeconds": 901},
        {"Id": "empty"},
    ]
    result = ok(e, "SendMessageBatch", QueueName="q", Entries=batch)
    assert [s["Id"] for s in result["Successful"]] == ["good"]
    failed = {f["Id"]: f["Code"] for f in result["Failed"]}
    assert failed == {"late": "InvalidParameterValue", "empty": "MissingParameter"}
    assert all(f["SenderFault"] for f in result["Failed"])


def test_batch_whose_messages_total_more_than_one_mebibyte_is_rejected():
    e = SqsEngine()
    create(e, "q")
    big = [{"Id": f"m{i}", "MessageBody": "x" * 300_000} for i in range(4)]
    assert error(e, "SendMessageBatch", QueueName="q", Entries=big) == "BatchRequestTooLong"


def test_delete_and_change_visibility_batches():
    e = SqsEngine()
    create(e, "q", VisibilityTimeout=30)
    ok(e, "SendMessageBatch", QueueName="q", Entries=entries(3))
    got = receive(e, "q", 10)
    change = [
        {"Id": "c0", "ReceiptHandle": got[0]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 0},
    ]
    result = ok(e, "ChangeMessageVisibilityBatch", QueueName="q", Entries=change)
    assert [s["Id"] for s in result["Successful"]] == ["c0"]
    assert result["Failed"][0]["Code"] == "ReceiptHandleIsInvalid"
    delete = [{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got[1:])]
    result = ok(e, "DeleteMessageBatch", QueueName="q", Entries=delete)
    assert len(result["Successful"]) == 2
    assert counts(e, "q") == (1, 0, 0)


def test_fifo_batch_keeps_order_and_drops_duplicates():
    e = SqsEngine()
    create(e, "q.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    batch = [
        {"Id": "a", "MessageBody": "1", "MessageGroupId": "g"},
        {"Id": "b", "MessageBody": "2", "MessageGroupId": "g"},
        {"Id": "c", "MessageBody": "1", "MessageGroupId": "g"},
    ]
    result = ok(e, "SendMessageBatch", QueueName="q.fifo", Entries=batch)
    assert len(result["Successful"]) == 3  # the duplicate is accepted...
    assert bodies(receive(e, "q.fifo", 10)) == ["1", "2"]  # ...but not delivered


def test_purge_deletes_every_message_in_flight_ones_included():
    e = SqsEngine()
    create(e, "q", DelaySeconds=0)
    for body in "ABC":
        send(e, "q", body)
    send(e, "q", "delayed", DelaySeconds=60)
    receive(e, "q", 1)
    assert counts(e, "q") == (2, 1, 1)
    assert ok(e, "PurgeQueue", QueueName="q") == {}
    assert counts(e, "q") == (0, 0, 0)
    advance(e, 120)
    assert receive(e, "q") == []


def test_second_purge_within_60_seconds_fails():
    e = SqsEngine()
    create(e, "q")
    ok(e, "PurgeQueue", QueueName="q")
    advance(e, 59)
    assert error(e, "PurgeQueue", QueueName="q") == "PurgeQueueInProgress"
    advance(e, 1)
    assert call(e, "PurgeQueue", QueueName="q") == {}


def test_purged_messages_receipt_handles_delete_nothing_and_fail_nothing():
    e = SqsEngine()
    create(e, "q")
    send(e, "q", "A")
    m = receive(e, "q")[0]
    ok(e, "PurgeQueue", QueueName="q")
    assert call(e, "DeleteMessage", QueueName="q", ReceiptHandle=m["ReceiptHandle"]) == {}
