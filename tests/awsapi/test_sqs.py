"""SQS through the endpoint with boto3: the API Reference's behaviour, on the learner's state."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_send_receive_delete(sqs):
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    assert url.endswith("/000000000000/orders")
    sent = sqs.send_message(QueueUrl=url, MessageBody="hello")
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["hello"]
    assert got[0]["MessageId"] == sent["MessageId"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_the_simulator_page_shows_the_sdk_queue_and_each_call(sqs, client, learner, api_key):
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="from my script")
    client.force_login(learner)
    page = client.get("/sims/sqs/").content.decode()
    assert "orders" in page
    assert "from my script" in page
    assert f"SDK {api_key[0].access_key_id}" in page


def test_a_message_not_deleted_comes_back_after_its_visibility_timeout(sqs):
    # "If you don't delete the message before the visibility timeout expires, the message
    # becomes visible to other consumers" (SQS Developer Guide, visibility timeout).
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="job")
    first = sqs.receive_message(QueueUrl=url)["Messages"][0]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    sqs.change_message_visibility(
        QueueUrl=url, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0
    )
    again = sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"][0]
    assert again["MessageId"] == first["MessageId"]
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"


def test_a_batch_reports_each_entry_and_a_partial_failure_is_not_an_exception(sqs):
    # SendMessageBatch: "The result of sending each message is reported individually".
    url = sqs.create_queue(QueueName="batch")["QueueUrl"]
    sent = sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": "a", "MessageBody": "one"}, {"Id": "b", "MessageBody": "two"}],
    )
    assert sorted(e["Id"] for e in sent["Successful"]) == ["a", "b"]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    deleted = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "ok", "ReceiptHandle": got[0]["ReceiptHandle"]},
            {"Id": "bad", "ReceiptHandle": "not-a-receipt-handle"},
        ],
    )
    assert [e["Id"] for e in deleted["Successful"]] == ["ok"]
    assert [(e["Id"], e["Code"], e["SenderFault"]) for e in deleted["Failed"]] == [
        ("bad", "ReceiptHandleIsInvalid", True)
    ]


def test_a_missing_queue_raises_the_modelled_exception(sqs):
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as raised:
        sqs.get_queue_url(QueueName="nowhere")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_message_received_too_often_moves_to_the_dead_letter_queue(sqs):
    # Redrive policy: after maxReceiveCount receives, SQS moves the message to the DLQ.
    dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    assert arn == "arn:aws:sqs:us-east-1:000000000000:orders-dlq"
    url = sqs.create_queue(
        QueueName="orders",
        Attributes={
            "VisibilityTimeout": "0",
            "RedrivePolicy": f'{{"deadLetterTargetArn":"{arn}","maxReceiveCount":"2"}}',
        },
    )["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="poison")
    assert "Messages" in sqs.receive_message(QueueUrl=url)
    assert "Messages" in sqs.receive_message(QueueUrl=url)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    moved = sqs.receive_message(QueueUrl=dlq)["Messages"]
    assert [m["Body"] for m in moved] == ["poison"]
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [url]
