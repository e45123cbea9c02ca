"""The SQS forms: each valid one is one engine action with AWS's parameter names."""

import json

from studyapp.sims.sqs import forms


def test_send_form_makes_send_message_with_only_what_was_given():
    form = forms.SendForm({"queue": "q", "body": " spaced ", "delay": "", "group": "g"})
    assert form.is_valid()
    assert form.action() == {
        "Action": "SendMessage",
        "QueueName": "q",
        "MessageBody": " spaced ",
        "MessageGroupId": "g",
    }


def test_a_body_over_one_mib_is_refused_with_its_size():
    form = forms.SendForm({"queue": "q", "body": "é" * 524_289})
    assert not form.is_valid()
    assert "1,048,578 bytes" in form.errors["body"][0]


def test_batch_form_takes_one_body_per_line():
    form = forms.BatchForm({"queue": "q", "bodies": "a\n\nb\n", "delay": "3"})
    assert form.is_valid()
    assert form.action()["Entries"] == [
        {"Id": "m1", "MessageBody": "a", "DelaySeconds": 3},
        {"Id": "m2", "MessageBody": "b", "DelaySeconds": 3},
    ]
    assert not forms.BatchForm({"queue": "q", "bodies": "x\n" * 21}).is_valid()
    assert not forms.BatchForm({"queue": "q", "bodies": " \n "}).is_valid()


def test_create_queue_form_builds_the_redrive_policy():
    form = forms.CreateQueueForm(
        {"name": "jobs", "dlq": "jobs-dlq", "max_receive": "3", "fifo": ""}
    )
    assert form.is_valid()
    policy = json.loads(form.action()["Attributes"]["RedrivePolicy"])
    assert policy == {
        "deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:jobs-dlq",
        "maxReceiveCount": 3,
    }
    without_count = forms.CreateQueueForm({"name": "jobs", "dlq": "jobs-dlq"})
    assert not without_count.is_valid() and "max_receive" in without_count.errors


def test_receive_form_remembers_its_values():
    form = forms.ReceiveForm({"consumer": "2", "queue": "q", "max": "5", "wait": "20"})
    assert form.is_valid()
    assert form.action() == {
        "Action": "ReceiveMessage",
        "QueueName": "q",
        "MaxNumberOfMessages": 5,
        "WaitTimeSeconds": 20,
    }
    assert form.remembered() == {"queue": "q", "max": 5, "visibility": None, "wait": 20}


def test_consumer_and_speed_are_checked():
    assert not forms.ConsumerForm({"consumer": "4"}).is_valid()
    assert not forms.PlayForm({"speed": "7"}).is_valid()
    assert forms.PlayForm({"speed": "60"}).is_valid()
