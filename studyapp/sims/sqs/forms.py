"""The SQS simulator's forms: each turns what a learner submitted into one engine action."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studyapp.engines.sqs import queue_arn

from .simulation import CONSUMERS, MAX_ADVANCE, MAX_BODY_BYTES, SPEEDS


class QueueField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=80, label=gettext_lazy("Queue"), **kwargs)


def _optional_int(low: int, high: int, label: str) -> forms.IntegerField:
    return forms.IntegerField(min_value=low, max_value=high, required=False, label=label)


class ConsumerForm(forms.Form):
    consumer = forms.IntegerField(min_value=1, max_value=CONSUMERS, label=gettext_lazy("Consumer"))


class SendForm(forms.Form):
    queue = QueueField()
    body = forms.CharField(strip=False, label=gettext_lazy("Message body"))
    delay = _optional_int(0, 900, gettext_lazy("DelaySeconds"))
    group = forms.CharField(max_length=128, required=False, label=gettext_lazy("MessageGroupId"))
    dedup = forms.CharField(
        max_length=128, required=False, label=gettext_lazy("MessageDeduplicationId")
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        size = len(body.encode())
        if size > MAX_BODY_BYTES:
            raise forms.ValidationError(
                _(
                    "The message body is %(size)s bytes; SQS accepts at most 1 MiB "
                    "(1,048,576 bytes)."
                )
                % {"size": f"{size:,}"}
            )
        return body

    def action(self) -> dict[str, Any]:
        data = self.cleaned_data
        step: dict[str, Any] = {
            "Action": "SendMessage",
            "QueueName": data["queue"],
            "MessageBody": data["body"],
        }
        if data["delay"] is not None:
            step["DelaySeconds"] = data["delay"]
        if data["group"]:
            step["MessageGroupId"] = data["group"]
        if data["dedup"]:
            step["MessageDeduplicationId"] = data["dedup"]
        return step


class BatchForm(forms.Form):
    queue = QueueField()
    bodies = forms.CharField(strip=False, label=gettext_lazy("Message bodies, one per line"))
    delay = _optional_int(0, 900, gettext_lazy("DelaySeconds"))
    group = forms.CharField(max_length=128, required=False, label=gettext_lazy("MessageGroupId"))

    def clean_bodies(self) -> list[str]:
        lines = [line for line in self.cleaned_data["bodies"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Write at least one message body."))
        if len(lines) > 20:
            raise forms.ValidationError(
                _("A batch has at most 10 entries; this form takes at most 20 lines.")
            )
        return lines

    def action(self) -> dict[str, Any]:
        data = self.cleaned_data
        entries = []
        for number, body in enumerate(data["bodies"], start=1):
            entry: dict[str, Any] = {"Id": f"m{number}", "MessageBody": body}
            if data["delay"] is not None:
                entry["DelaySeconds"] = data["delay"]
            if data["group"]:
                entry["MessageGroupId"] = data["group"]
            entries.append(entry)
        return {"Action": "SendMessageBatch", "QueueName": data["queue"], "Entries": entries}


class ReceiveForm(ConsumerForm):
    queue = QueueField()
    max = forms.IntegerField(min_value=1, max_value=10, label=gettext_lazy("MaxNumberOfMessages"))
    visibility = _optional_int(0, 43_200, gettext_lazy("VisibilityTimeout"))
    wait = _optional_int(0, 20, gettext_lazy("WaitTimeSeconds"))

    def action(self) -> dict[str, Any]:
        data = self.cleaned_data
        step: dict[str, Any] = {
            "Action": "ReceiveMessage",
            "QueueName": data["queue"],
            "MaxNumberOfMessages": data["max"],
        }
        if data["visibility"] is not None:
            step["VisibilityTimeout"] = data["visibility"]
        if data["wait"] is not None:
            step["WaitTimeSeconds"] = data["wait"]
        return step

    def remembered(self) -> dict[str, Any]:
        """The values to fill the consumer's form with next time."""
        return {key: self.cleaned_data[key] for key in ("queue", "max", "visibility", "wait")}


class DeleteForm(ConsumerForm):
    queue = QueueField()
    handle = forms.CharField(max_length=1024, label=gettext_lazy("ReceiptHandle"))

    def action(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "Action": "DeleteMessage",
            "QueueName": data["queue"],
            "ReceiptHandle": data["handle"],
        }


class VisibilityForm(DeleteForm):
    timeout = forms.IntegerField(
        min_value=0, max_value=43_200, label=gettext_lazy("VisibilityTimeout")
    )

    def action(self) -> dict[str, Any]:
        step = super().action()
        step["Action"] = "ChangeMessageVisibility"
        step["VisibilityTimeout"] = self.cleaned_data["timeout"]
        return step


class QueueForm(forms.Form):
    queue = QueueField()


class CreateQueueForm(forms.Form):
    name = forms.CharField(max_length=80, label=gettext_lazy("QueueName"))
    fifo = forms.BooleanField(required=False, label=gettext_lazy("FIFO queue"))
    visibility = _optional_int(0, 43_200, gettext_lazy("VisibilityTimeout"))
    delay = _optional_int(0, 900, gettext_lazy("DelaySeconds"))
    retention = _optional_int(60, 1_209_600, gettext_lazy("MessageRetentionPeriod"))
    wait = _optional_int(0, 20, gettext_lazy("ReceiveMessageWaitTimeSeconds"))
    content_dedup = forms.BooleanField(
        required=False, label=gettext_lazy("ContentBasedDeduplication")
    )
    dedup_scope = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("queue", "queue"), ("messageGroup", "messageGroup")],
        label=gettext_lazy("DeduplicationScope"),
    )
    throughput = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("perQueue", "perQueue"), ("perMessageGroupId", "perMessageGroupId")],
        label=gettext_lazy("FifoThroughputLimit"),
    )
    dlq = forms.CharField(max_length=80, required=False, label=gettext_lazy("Dead-letter queue"))
    max_receive = _optional_int(1, 1000, gettext_lazy("maxReceiveCount"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("dlq") and data.get("max_receive") is None:
            self.add_error("max_receive", _("A redrive policy needs a maxReceiveCount."))
        return data

    def action(self) -> dict[str, Any]:
        data = self.cleaned_data
        attributes: dict[str, str] = {}
        if data["fifo"]:
            attributes["FifoQueue"] = "true"
        for key, name in (
            ("visibility", "VisibilityTimeout"),
            ("delay", "DelaySeconds"),
            ("retention", "MessageRetentionPeriod"),
            ("wait", "ReceiveMessageWaitTimeSeconds"),
        ):
            if data[key] is not None:
                attributes[name] = str(data[key])
        if data["content_dedup"]:
            attributes["ContentBasedDeduplication"] = "true"
        if data["dedup_scope"]:
            attributes["DeduplicationScope"] = data["dedup_scope"]
        if data["throughput"]:
            attributes["FifoThroughputLimit"] = data["throughput"]
        if data["dlq"]:
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": queue_arn(data["dlq"]),
                    "maxReceiveCount": data["max_receive"],
                }
            )
        step: dict[str, Any] = {"Action": "CreateQueue", "QueueName": data["name"]}
        if attributes:
            step["Attributes"] = attributes
        return step


class AdvanceForm(forms.Form):
    seconds = forms.IntegerField(
        min_value=1, max_value=MAX_ADVANCE, label=gettext_lazy("Seconds to advance")
    )


class PlayForm(forms.Form):
    speed = forms.TypedChoiceField(
        coerce=int, choices=[(0, "0"), *((s, str(s)) for s in SPEEDS)], label=gettext_lazy("Speed")
    )


class ResetForm(forms.Form):
    seed = _optional_int(0, 2**31 - 1, gettext_lazy("Seed"))
    duplicates = _optional_int(0, 100, gettext_lazy("Duplicate deliveries (%)"))
    reorder = _optional_int(0, 100, gettext_lazy("Out-of-order deliveries (%)"))
