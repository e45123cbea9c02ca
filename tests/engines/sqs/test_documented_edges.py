"""Issue #20 (SQS): edge cases checked against AWS's documentation, one test per rule.

Each test quotes its page: the API Reference as it is now (botocore's service model, 2026) or
the SQS Developer Guide (awsdocs/amazon-sqs-developer-guide, 2023 text).
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from studyapp.engines.clock import MAX_NOW
from studyapp.engines.sqs import SqsEngine, run_scenario

from .support import advance, bodies, call, counts, create, delete, error, ok, receive, send

API = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/"
GUIDE = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
ARN = "arn:aws:sqs:us-east-1:000000000000:"


def fifo(e: SqsEngine, name: str = "q.fifo", **attributes: object) -> str:
    return create(e, name, FifoQueue="true", ContentBasedDeduplication="true", **attributes)


def handles(messages: list[dict]) -> list[str]:
    return [m["ReceiptHandle"] for m in messages]


# --- FIFO: ReceiveRequestAttemptId -----------------------------------------------------------


def test_retried_receive_with_the_same_attempt_id_returns_the_same_messages_and_handles():
    """API_ReceiveMessage.html, ReceiveRequestAttemptId: "During a visibility timeout,
    subsequent calls with the same ReceiveRequestAttemptId return the same messages and receipt
    handles." Without the id the group stays blocked ("While messages with a particular
    MessageGroupId are invisible, no more messages belonging to the same MessageGroupId are
    returned until the visibility timeout expires.")."""
    e = SqsEngine()
    fifo(e, VisibilityTimeout=30)
    for body in ("1", "2", "3"):
        send(e, "q.fifo", body, MessageGroupId="g")
    first = receive(e, "q.fifo", 2, ReceiveRequestAttemptId="attempt-1")
    assert bodies(first) == ["1", "2"]
    advance(e, 10)
    again = receive(e, "q.fifo", 2, ReceiveRequestAttemptId="attempt-1")
    assert bodies(again) == ["1", "2"]
    assert handles(again) == handles(first)
    assert [m["Attributes"]["ApproximateReceiveCount"] for m in again] == ["1", "1"]
    assert receive(e, "q.fifo", 10) == []  # the group is still blocked
    assert receive(e, "q.fifo", 10, ReceiveRequestAttemptId="attempt-2") == []
    for m in again:  # the receipt handles of the retry delete the messages
        delete(e, "q.fifo", m)
    assert bodies(receive(e, "q.fifo", 10)) == ["3"]


def test_a_retry_resets_the_visibility_timeout():
    """API_ReceiveMessage.html, ReceiveRequestAttemptId: "If a retry occurs within the
    deduplication interval, it resets the visibility timeout." """
    e = SqsEngine()
    fifo(e, VisibilityTimeout=30)
    send(e, "q.fifo", "A", MessageGroupId="g")
    receive(e, "q.fifo", ReceiveRequestAttemptId="a")
    advance(e, 20)
    receive(e, "q.fifo", ReceiveRequestAttemptId="a")  # visible again 30 s from now
    advance(e, 29)
    assert counts(e, "q.fifo") == (0, 1, 0)
    advance(e, 1)
    assert counts(e, "q.fifo") == (1, 0, 0)


def test_no_retry_once_a_message_of_the_receive_was_changed_or_deleted():
    """API_ReceiveMessage.html, ReceiveRequestAttemptId: "It is possible to retry the
    ReceiveMessage action with the same ReceiveRequestAttemptId if none of the messages have
    been modified (deleted or had their visibility changes)." A later call with the id is a
    new receive."""
    e = SqsEngine()
    fifo(e, VisibilityTimeout=30)
    for body in ("1", "2"):
        send(e, "q.fifo", body, MessageGroupId="g")
    first = receive(e, "q.fifo", 1, ReceiveRequestAttemptId="a")
    delete(e, "q.fifo", first[0])
    again = receive(e, "q.fifo", 1, ReceiveRequestAttemptId="a")
    assert bodies(again) == ["2"]
    ok(
        e,
        "ChangeMessageVisibility",
        QueueName="q.fifo",
        ReceiptHandle=again[0]["ReceiptHandle"],
        VisibilityTimeout=0,
    )
    third = receive(e, "q.fifo", 1, ReceiveRequestAttemptId="a")
    assert bodies(third) == ["2"]
    assert handles(third) != handles(again)  # a new receive: a new receipt handle


def test_an_attempt_id_can_be_retried_only_for_five_minutes():
    """API_ReceiveMessage.html: "You can use ReceiveRequestAttemptId only for 5 minutes after a
    ReceiveMessage action." """
    e = SqsEngine()
    fifo(e, VisibilityTimeout=600)
    send(e, "q.fifo", "A", MessageGroupId="g")
    first = receive(e, "q.fifo", ReceiveRequestAttemptId="a")
    advance(e, 299)
    assert handles(receive(e, "q.fifo", ReceiveRequestAttemptId="a")) == handles(first)
    advance(e, 1)
    assert receive(e, "q.fifo", ReceiveRequestAttemptId="a") == []  # still in flight


def test_attempt_id_is_checked_and_survives_a_save():
    """API_ReceiveMessage.html: "The maximum length of ReceiveRequestAttemptId is 128
    characters. ReceiveRequestAttemptId can contain alphanumeric characters (a-z, A-Z, 0-9)
    and punctuation"; "This parameter applies only to FIFO (first-in-first-out) queues." """
    e = SqsEngine()
    fifo(e)
    create(e, "std")
    for bad in ("", "x" * 129, "with space", 7):
        code = error(e, "ReceiveMessage", QueueName="q.fifo", ReceiveRequestAttemptId=bad)
        assert code == "InvalidParameterValue"
    send(e, "std", "A")
    assert bodies(receive(e, "std", ReceiveRequestAttemptId="ignored here")) == ["A"]
    send(e, "q.fifo", "A", MessageGroupId="g")
    first = receive(e, "q.fifo", ReceiveRequestAttemptId="x" * 128)
    head, parts = e.to_parts()
    restored = SqsEngine.from_parts(json.loads(json.dumps(head)), json.loads(json.dumps(parts)))
    assert handles(receive(restored, "q.fifo", ReceiveRequestAttemptId="x" * 128)) == handles(first)


# --- FIFO: retroactive queue delay -----------------------------------------------------------


def test_lowering_a_fifo_queue_delay_releases_waiting_messages():
    """sqs-delay-queues.html: "For FIFO queues, the per-queue delay setting is
    retroactive—changing the setting affects the delay of messages already in the queue." """
    e = SqsEngine()
    fifo(e, DelaySeconds=600, VisibilityTimeout=600)
    send(e, "q.fifo", "A", MessageGroupId="g")
    advance(e, 100)
    send(e, "q.fifo", "B", MessageGroupId="g")
    advance(e, 50)
    assert counts(e, "q.fifo") == (0, 0, 2)
    ok(e, "SetQueueAttributes", QueueName="q.fifo", Attributes={"DelaySeconds": "120"})
    # A was sent 150 s ago: released at once; B (50 s ago) waits 70 s more.
    assert counts(e, "q.fifo") == (1, 0, 1)
    assert bodies(receive(e, "q.fifo")) == ["A"]
    advance(e, 69)
    assert counts(e, "q.fifo") == (0, 1, 1)
    advance(e, 1)
    assert counts(e, "q.fifo") == (1, 1, 0)


def test_raising_a_fifo_queue_delay_holds_waiting_messages_longer():
    """sqs-delay-queues.html: the FIFO per-queue delay "affects the delay of messages already
    in the queue" (for standard queues it is "not retroactive": see
    test_changing_the_queue_delay_does_not_affect_messages_already_sent)."""
    e = SqsEngine()
    fifo(e, DelaySeconds=10)
    send(e, "q.fifo", "A", MessageGroupId="g")
    ok(e, "SetQueueAttributes", QueueName="q.fifo", Attributes={"DelaySeconds": "60"})
    advance(e, 59)
    assert receive(e, "q.fifo") == []
    advance(e, 1)
    assert bodies(receive(e, "q.fifo")) == ["A"]


# --- FIFO: high throughput --------------------------------------------------------------------


def test_per_message_group_throughput_requires_message_group_deduplication():
    """API_CreateQueue.html and API_SetQueueAttributes.html, FifoThroughputLimit: "The
    perMessageGroupId value is allowed only when the value for DeduplicationScope is
    messageGroup." """
    e = SqsEngine()
    code = error(
        e,
        "CreateQueue",
        QueueName="a.fifo",
        Attributes={"FifoQueue": "true", "FifoThroughputLimit": "perMessageGroupId"},
    )
    assert code == "InvalidAttributeValue"
    code = error(
        e,
        "CreateQueue",
        QueueName="a.fifo",
        Attributes={
            "FifoQueue": "true",
            "FifoThroughputLimit": "perMessageGroupId",
            "DeduplicationScope": "queue",
        },
    )
    assert code == "InvalidAttributeValue"
    create(e, "b.fifo", FifoQueue="true")
    code = error(
        e,
        "SetQueueAttributes",
        QueueName="b.fifo",
        Attributes={"FifoThroughputLimit": "perMessageGroupId"},
    )
    assert code == "InvalidAttributeValue"
    ok(
        e,
        "SetQueueAttributes",
        QueueName="b.fifo",
        Attributes={
            "FifoThroughputLimit": "perMessageGroupId",
            "DeduplicationScope": "messageGroup",
        },
    )
    # Going back to queue-wide deduplication while the limit is per group is refused too.
    code = error(
        e, "SetQueueAttributes", QueueName="b.fifo", Attributes={"DeduplicationScope": "queue"}
    )
    assert code == "InvalidAttributeValue"


# --- Dead-letter queues: RedriveAllowPolicy ----------------------------------------------------


def redrive(dlq: str, max_receives: int = 1) -> str:
    return json.dumps({"deadLetterTargetArn": ARN + dlq, "maxReceiveCount": max_receives})


def allow(permission: str, *sources: str) -> str:
    policy: dict[str, object] = {"redrivePermission": permission}
    if sources:
        policy["sourceQueueArns"] = [ARN + s for s in sources]
    return json.dumps(policy)


def poison_twice(e: SqsEngine, queue: str) -> None:
    """Receive the queue's only message twice without deleting it (maxReceiveCount 1)."""
    receive(e, queue, VisibilityTimeout=0)
    receive(e, queue, VisibilityTimeout=0)


@pytest.mark.parametrize(
    ("policy", "moves"),
    [
        (allow("allowAll"), True),
        (allow("denyAll"), False),
        (allow("byQueue", "src"), True),
        (allow("byQueue", "other"), False),
    ],
)
def test_redrive_allow_policy_decides_whether_messages_move_to_the_dlq(policy, moves):
    """API_SetQueueAttributes.html, RedriveAllowPolicy: "allowAll - (Default) Any source queues
    in this Amazon Web Services account in the same Region can specify this queue as the
    dead-letter queue. denyAll - No source queues can specify this queue as the dead-letter
    queue. byQueue - Only queues specified by the sourceQueueArns parameter can specify this
    queue as the dead-letter queue." sqs-dead-letter-queues.html: "If you specify denyAll, the
    queue cannot be used as a dead-letter queue." Here the DLQ changes its policy after the
    source chose it: the policy is enforced when a message would move."""
    e = SqsEngine()
    create(e, "dlq")
    create(e, "other")
    create(e, "src", RedrivePolicy=redrive("dlq"))
    ok(e, "SetQueueAttributes", QueueName="dlq", Attributes={"RedriveAllowPolicy": policy})
    send(e, "src", "poison")
    poison_twice(e, "src")
    if moves:
        assert counts(e, "dlq") == (1, 0, 0) and counts(e, "src") == (0, 0, 0)
    else:
        assert counts(e, "dlq") == (0, 0, 0)
        assert bodies(receive(e, "src")) == ["poison"]  # still delivered from its own queue


def test_a_source_queue_cannot_specify_a_dlq_whose_policy_refuses_it():
    """API_CreateQueue.html, RedriveAllowPolicy: "denyAll - No source queues can specify this
    queue as the dead-letter queue. byQueue - Only queues specified by the sourceQueueArns
    parameter can specify this queue as the dead-letter queue." """
    e = SqsEngine()
    create(e, "closed", RedriveAllowPolicy=allow("denyAll"))
    create(e, "picky", RedriveAllowPolicy=allow("byQueue", "friend"))
    for dlq in ("closed", "picky"):
        code = error(e, "CreateQueue", QueueName="src", Attributes={"RedrivePolicy": redrive(dlq)})
        assert code == "InvalidAttributeValue"
    create(e, "friend", RedrivePolicy=redrive("picky"))
    create(e, "src")
    code = error(
        e, "SetQueueAttributes", QueueName="src", Attributes={"RedrivePolicy": redrive("closed")}
    )
    assert code == "InvalidAttributeValue"


@pytest.mark.parametrize(
    "policy",
    [
        "not json",
        json.dumps({"redrivePermission": "someQueues"}),
        json.dumps({"redrivePermission": "allowAll", "sourceQueueArns": [ARN + "a"]}),
        json.dumps({"redrivePermission": "byQueue"}),
        json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": []}),
        allow("byQueue", *(f"q{i}" for i in range(11))),
    ],
)
def test_redrive_allow_policy_values_are_checked(policy):
    """API_SetQueueAttributes.html, RedriveAllowPolicy: "Valid values are: allowAll ...
    denyAll ... byQueue"; sourceQueueArns: "You can specify this parameter only when the
    redrivePermission parameter is set to byQueue. You can specify up to 10 source queue
    ARNs." """
    e = SqsEngine()
    code = error(e, "CreateQueue", QueueName="dlq", Attributes={"RedriveAllowPolicy": policy})
    assert code == "InvalidAttributeValue"
    create(e, "dlq", RedriveAllowPolicy=allow("byQueue", *(f"q{i}" for i in range(10))))


def test_fifo_message_moved_to_a_fifo_dlq_takes_its_message_id_as_deduplication_id():
    """sqs-dead-letter-queues.html: "When a message is moved from a FIFO queue to a FIFO DLQ,
    the original message's deduplication ID will be replaced with the original message's
    ID." """
    e = SqsEngine()
    fifo(e, "dlq.fifo")
    fifo(e, "src.fifo", RedrivePolicy=redrive("dlq.fifo"))
    sent = send(e, "src.fifo", "poison", MessageGroupId="g", MessageDeduplicationId="d-1")
    poison_twice(e, "src.fifo")
    moved = receive(e, "dlq.fifo")[0]
    assert moved["MessageId"] == sent["MessageId"]
    assert moved["Attributes"]["MessageDeduplicationId"] == sent["MessageId"]


# --- Message attributes -----------------------------------------------------------------------


def attribute(data_type: str, value: object) -> dict[str, object]:
    key = "BinaryValue" if data_type.startswith("Binary") else "StringValue"
    return {"DataType": data_type, key: value}


@pytest.mark.parametrize(
    "data_type", ["String", "Number", "Binary", "Number.int", "Binary.png", "String.label"]
)
def test_message_attribute_types_are_string_number_binary_with_custom_labels(data_type):
    """sqs-message-metadata.html, "Message attribute data types": "Amazon SQS supports the
    logical data types String, Number, and Binary with optional custom data type labels with
    the format .custom-data-type"."""
    e = SqsEngine()
    create(e, "q")
    value = "MTI=" if data_type.startswith("Binary") else "12"  # b"12" as base64 text
    send(e, "q", "A", MessageAttributes={"a": attribute(data_type, value)})
    got = receive(e, "q", MessageAttributeNames=["All"])[0]
    assert got["MessageAttributes"]["a"] == attribute(data_type, value)


@pytest.mark.parametrize("data_type", ["Integer", "string", "", "StringList", "Number.", 5])
def test_other_message_attribute_types_are_rejected(data_type):
    """sqs-message-metadata.html: "Supported types include String, Number, and Binary. You can
    also add custom information for any data type." """
    e = SqsEngine()
    create(e, "q")
    code = error(
        e,
        "SendMessage",
        QueueName="q",
        MessageBody="A",
        MessageAttributes={"a": {"DataType": data_type, "StringValue": "x"}},
    )
    assert code == "InvalidParameterValue"


@pytest.mark.parametrize(
    "value",
    [
        {"DataType": "String", "StringValue": ""},
        {"DataType": "String"},
        {"DataType": "Binary", "BinaryValue": ""},
        {"DataType": "Binary", "StringValue": "x"},
        {"DataType": "Number", "StringValue": "twelve"},
        {"DataType": "Number", "StringValue": "1" * 39},
        {"DataType": "Number", "StringValue": "1e127"},
        {"DataType": "String", "StringValue": "bell \x07"},
    ],
)
def test_message_attribute_values_must_not_be_empty_and_must_fit_their_type(value):
    """API_MessageAttributeValue.html: "Name, type, value and the message body must not be
    empty or null." sqs-message-metadata.html: "if the type is Number, Amazon SQS validates
    numerical values", "A number can have up to 38 digits of precision, and it can be between
    10^-128 and 10^+126"; "For String data types, the attribute values has the same
    restrictions as the message body." """
    e = SqsEngine()
    create(e, "q")
    code = error(e, "SendMessage", QueueName="q", MessageBody="A", MessageAttributes={"a": value})
    assert code == "InvalidParameterValue"
    for number in ("-1.5", "0", "1e126", "0.000001", "1" * 38):
        send(e, "q", "A", MessageAttributes={"n": attribute("Number", number)})


@pytest.mark.parametrize(
    "name",
    [
        "AWS.trace",
        "aws.x",
        "Amazon.x",
        "AMAZON.x",
        ".start",
        "end.",
        "two..dots",
        "sp ace",
        "é",
        "",
    ],
)
def test_message_attribute_names_follow_the_naming_rules(name):
    """sqs-message-metadata.html, "Message attribute components": the name "can contain the
    following characters: A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.)", "Can't
    start with AWS. or Amazon. (or any casing variations)", "Must not start or end with a
    period", "Must not have periods in a sequence"."""
    e = SqsEngine()
    create(e, "q")
    code = error(
        e,
        "SendMessage",
        QueueName="q",
        MessageBody="A",
        MessageAttributes={name: attribute("String", "x")},
    )
    assert code == "InvalidParameterValue"
    send(e, "q", "A", MessageAttributes={"my.attr_1-x": attribute("String", "x")})
    send(e, "q", "A", MessageAttributes={"AWSome": attribute("String", "x")})
    send(e, "q", "A", MessageAttributes={"n" * 256: attribute("String", "x")})


def test_message_attribute_errors_in_a_batch_fail_only_their_entry():
    """API_SendMessageBatch.html: "The result of sending each message is reported individually
    in the response." """
    e = SqsEngine()
    create(e, "q")
    result = ok(
        e,
        "SendMessageBatch",
        QueueName="q",
        Entries=[
            {"Id": "good", "MessageBody": "A"},
            {
                "Id": "bad",
                "MessageBody": "B",
                "MessageAttributes": {"AWS.x": attribute("String", "x")},
            },
        ],
    )
    assert [s["Id"] for s in result["Successful"]] == ["good"]
    assert [(f["Id"], f["Code"]) for f in result["Failed"]] == [("bad", "InvalidParameterValue")]


# --- The clock --------------------------------------------------------------------------------


def test_an_advance_of_1e308_seconds_is_an_error_result_and_the_run_goes_on():
    """Issue #20: the virtual clock is bounded (9999-12-31T23:59:59Z); an Advance past it is an
    error for that step, never an OverflowError."""
    results = run_scenario(
        {
            "steps": [
                {"Action": "CreateQueue", "QueueName": "q"},
                {"Action": "Advance", "Seconds": 1e308},
                {"Action": "SendMessage", "QueueName": "q", "MessageBody": "A"},
                {"Action": "Advance", "Seconds": MAX_NOW},
                {"Action": "Advance", "Seconds": 86_400},
            ]
        }
    )
    assert results[1]["Error"]["Code"] == "InvalidParameterValue"
    assert "MessageId" in results[2]
    assert results[3]["Error"]["Code"] == "InvalidParameterValue"
    assert results[4] == {}


def test_the_clock_can_be_advanced_right_up_to_its_bound():
    e = SqsEngine()
    create(e, "q")
    advance(e, MAX_NOW - e.clock.now())
    send(e, "q", "A")
    assert error(e, "Advance", Seconds=1) == "InvalidParameterValue"
    assert bodies(receive(e, "q")) == ["A"]


# --- Beyond the list: more of the same kinds of edges ----------------------------------------


def test_fifo_change_visibility_with_an_expired_receipt_handle_fails():
    """sqs-visibility-timeout.html: "When working with FIFO queues, DeleteMessage operations
    will fail if the request is received outside of the visibility timeout window." and
    API_ChangeMessageVisibility.html lists MessageNotInflight for a message not in flight."""
    e = SqsEngine()
    fifo(e, VisibilityTimeout=5)
    send(e, "q.fifo", "A", MessageGroupId="g")
    old = receive(e, "q.fifo")[0]["ReceiptHandle"]
    advance(e, 5)
    change = {"QueueName": "q.fifo", "ReceiptHandle": old, "VisibilityTimeout": 10}
    assert error(e, "ChangeMessageVisibility", **change) == "MessageNotInflight"
    receive(e, "q.fifo")  # received again: the old handle names an earlier receive
    assert error(e, "ChangeMessageVisibility", **change) == "InvalidParameterValue"


@pytest.mark.parametrize("action", ["DeleteMessageBatch", "ChangeMessageVisibilityBatch"])
def test_batch_actions_share_the_entry_limits(action):
    """API_DeleteMessageBatch.html / API_ChangeMessageVisibilityBatch.html, Id: "This
    identifier can have up to 80 characters. The following characters are accepted:
    alphanumeric characters, hyphens(-), and underscores (_)."; "Deletes up to ten messages";
    errors TooManyEntriesInBatchRequest, EmptyBatchRequest, BatchEntryIdsNotDistinct,
    InvalidBatchEntryId."""
    e = SqsEngine()
    create(e, "q")

    def entries(*ids: str) -> list[dict[str, object]]:
        return [{"Id": i, "ReceiptHandle": "AQEB1-1-1", "VisibilityTimeout": 5} for i in ids]

    assert error(e, action, QueueName="q", Entries=[]) == "EmptyBatchRequest"
    eleven = entries(*(f"e{i}" for i in range(11)))
    assert error(e, action, QueueName="q", Entries=eleven) == "TooManyEntriesInBatchRequest"
    assert error(e, action, QueueName="q", Entries=entries("a", "a")) == (
        "BatchEntryIdsNotDistinct"
    )
    for bad in ("x" * 81, "a.b", ""):
        assert error(e, action, QueueName="q", Entries=entries(bad)) == "InvalidBatchEntryId"
    result = call(e, action, QueueName="q", Entries=entries("x" * 80, "A-b_9"))
    assert len(result["Successful"]) + len(result["Failed"]) == 2


@pytest.mark.parametrize("bad", ["", "x" * 129, "with space", "é", 7, {"a": 1}])
def test_a_standard_queue_takes_a_message_group_id_for_fair_queues_checked_as_on_fifo(bad):
    """API_SendMessage.html, MessageGroupId: "In standard queues, using MessageGroupId enables
    fair queues."; "The length of MessageGroupId is 128 characters. Valid values: alphanumeric
    characters and punctuation (!"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~)." """
    e = SqsEngine()
    create(e, "q")
    fifo(e)
    code = error(e, "SendMessage", QueueName="q", MessageBody="A", MessageGroupId=bad)
    assert code == "InvalidParameterValue"
    code = error(e, "SendMessage", QueueName="q.fifo", MessageBody="A", MessageGroupId=bad)
    assert code == ("MissingParameter" if bad == "" else "InvalidParameterValue")
    send(e, "q", "A", MessageGroupId="tenant-1")
    got = receive(e, "q")[0]
    assert got["Attributes"]["MessageGroupId"] == "tenant-1"


@pytest.mark.parametrize("text", ["\u0661\u0660", "²", "1" * 5000, "--5"])
def test_integers_and_numbers_are_ascii_digits(text):
    """API_ReceiveMessage.html, VisibilityTimeout: Type: Integer; sqs-message-metadata.html:
    "if the type is Number, Amazon SQS validates numerical values". Python's str.isdigit() and
    int() also read "²" and Arabic-Indic digits (U+0661 U+0660 is 10 to int()): not numbers on the
    wire."""
    e = SqsEngine()
    create(e, "q")
    send(e, "q", "A")
    assert error(e, "ReceiveMessage", QueueName="q", VisibilityTimeout=text) == (
        "InvalidParameterValue"
    )
    code = error(
        e,
        "SendMessage",
        QueueName="q",
        MessageBody="A",
        MessageAttributes={"n": attribute("Number", text)},
    )
    assert code == "InvalidParameterValue"
    assert error(e, "CreateQueue", QueueName="r", Attributes={"DelaySeconds": text}) == (
        "InvalidAttributeValue"
    )


# MD5 digests of message attributes. The expected digests are those other SQS implementations
# test against (LocalStack's test_sqs_message_attrs_md5, sqslite's md5_test.go, and an SQS
# JavaScript library's example): independent of this engine.
MD5_CASES = [
    ({"timestamp": attribute("Number", "1493147359900")}, "235c5c510d26fb653d073faed50ae77c"),
    (
        {"ordinal": attribute("Number", "1"), "category": attribute("String", "test")},
        "d21ae90c49061e927f57df5f5d72be1f",
    ),
    ({"SellerName": attribute("String", "Example Store")}, "cd28f3b68aeee4b2eac9c66f2f694b58"),
]


@pytest.mark.parametrize(("message_attributes", "digest"), MD5_CASES)
def test_send_and_receive_give_the_md5_of_the_message_attributes(message_attributes, digest):
    """sqs-message-metadata.html, "Calculating the MD5 message digest for message attributes":
    "Sort all message attributes by name in ascending order. Encode the individual parts of
    each attribute (Name, Type, and Value) into a buffer. Compute the message digest of the
    entire buffer." (the length in 4 bytes and the UTF-8 bytes of the name and of the type,
    1 byte for the transport type, 1 for String and Number; the length and bytes of the
    value). API_SendMessage.html and API_ReceiveMessage.html return it as
    MD5OfMessageAttributes."""
    e = SqsEngine()
    create(e, "q")
    assert send(e, "q", "A", MessageAttributes=message_attributes)["MD5OfMessageAttributes"] == (
        digest
    )
    got = receive(e, "q", MessageAttributeNames=["All"])[0]
    assert got["MD5OfMessageAttributes"] == digest
    batch = ok(
        e,
        "SendMessageBatch",
        QueueName="q",
        Entries=[{"Id": "a", "MessageBody": "A", "MessageAttributes": message_attributes}],
    )
    assert batch["Successful"][0]["MD5OfMessageAttributes"] == digest


def test_binary_attributes_use_the_binary_transport_and_their_raw_bytes():
    """sqs-message-metadata.html: "For the Binary transport type, encode 2." and "encode the
    attribute value: the length (4 bytes) and the raw bytes of the value"; a Binary value is
    base64 text in the JSON protocol, and its raw bytes count toward the size."""
    e = SqsEngine()
    create(e, "q", MaximumMessageSize=1024)
    raw = bytes(range(256)) * 3
    as_text = base64.b64encode(raw).decode()
    sent = send(e, "q", "A", MessageAttributes={"b": attribute("Binary.raw", as_text)})
    expected = hashlib.md5(
        b"\x00\x00\x00\x01b"
        + b"\x00\x00\x00\x0aBinary.raw"
        + b"\x02"
        + len(raw).to_bytes(4, "big")
        + raw,
        usedforsecurity=False,
    ).hexdigest()
    assert sent["MD5OfMessageAttributes"] == expected
    assert (
        send(e, "q", "A", MessageAttributes={"b": attribute("Binary", raw)})[
            "MD5OfMessageAttributes"
        ]
        == hashlib.md5(
            b"\x00\x00\x00\x01b\x00\x00\x00\x06Binary\x02" + len(raw).to_bytes(4, "big") + raw,
            usedforsecurity=False,
        ).hexdigest()
    )
    # 768 raw bytes (1,024 as base64) + name + type + body fit in 1,024 bytes.
    assert len(as_text) == 1024
    assert error(
        e,
        "SendMessage",
        QueueName="q",
        MessageBody="A",
        MessageAttributes={"b": attribute("Binary", "not base64!")},
    ) == ("InvalidParameterValue")


def test_receive_digests_only_the_attributes_it_returns():
    """API_ReceiveMessage.html, MessageAttributeNames: "you can send a list of attribute names
    to receive, or you can return all of the attributes by specifying All or .* in your
    request. You can also use all message attributes starting with a prefix, for example
    bar.*"; MD5OfMessageAttributes is the digest of what is returned."""
    e = SqsEngine()
    create(e, "q")
    both = {"timestamp": MD5_CASES[0][0]["timestamp"], "bar.x": attribute("String", "y")}
    send(e, "q", "A", MessageAttributes=both)
    got = receive(e, "q", MessageAttributeNames=["timestamp"])[0]
    assert set(got["MessageAttributes"]) == {"timestamp"}
    assert got["MD5OfMessageAttributes"] == MD5_CASES[0][1]
    advance(e, 30)
    assert set(receive(e, "q", MessageAttributeNames=["bar.*"])[0]["MessageAttributes"]) == {
        "bar.x"
    }
    advance(e, 30)
    plain = receive(e, "q")[0]
    assert "MessageAttributes" not in plain and "MD5OfMessageAttributes" not in plain


def test_receive_returns_only_the_system_attributes_asked_for():
    """API_ReceiveMessage.html, MessageSystemAttributeNames: "A list of attributes that need
    to be returned along with each message. These attributes include: All - Returns all
    values." AttributeNames: "This parameter has been discontinued but will be supported for
    backward compatibility." Asked for nothing, a message has no Attributes."""
    e = SqsEngine()
    fifo(e)
    send(e, "q.fifo", "A", MessageGroupId="g")
    plain = ok(e, "ReceiveMessage", QueueName="q.fifo", VisibilityTimeout=0)["Messages"][0]
    assert "Attributes" not in plain
    some = ok(
        e,
        "ReceiveMessage",
        QueueName="q.fifo",
        VisibilityTimeout=0,
        MessageSystemAttributeNames=["ApproximateReceiveCount", "MessageGroupId"],
    )["Messages"][0]
    assert some["Attributes"] == {"ApproximateReceiveCount": "2", "MessageGroupId": "g"}
    old = ok(e, "ReceiveMessage", QueueName="q.fifo", VisibilityTimeout=0, AttributeNames=["All"])[
        "Messages"
    ][0]
    assert set(old["Attributes"]) == {
        "SenderId",
        "ApproximateReceiveCount",
        "SentTimestamp",
        "ApproximateFirstReceiveTimestamp",
        "MessageGroupId",
        "MessageDeduplicationId",
        "SequenceNumber",
    }
    assert old["Attributes"]["ApproximateReceiveCount"] == "3"
