"""The Amazon SQS simulator page: each form is one SQS API call (or a clock step).

Every POST loads the session's simulation, applies one operation, stores it and answers with
the sim panel fragment (htmx) or a redirect back to the page (plain forms). Bad input is a
400 with a message; an error the simulated SQS returns is an event like any other.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from studyapp.engines.sqs.attributes import ARN_PREFIX
from studyapp.notes.views import HtmxHttpRequest

from ..sqs_state import (
    CONSUMERS,
    MAX_ADVANCE,
    MAX_BODY_BYTES,
    SPEEDS,
    LimitExceeded,
    PresetNotFound,
    SqsSim,
    preset_choices,
)

TEMPLATE = "sims/sqs.html"
STEP_BUTTONS = (1, 5, 30, 60, 300)

# --- forms: each turns a submitted form into one engine action -------------------------------


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
                    "deadLetterTargetArn": ARN_PREFIX + data["dlq"],
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


# --- what each form does ------------------------------------------------------------------


def _consumer_label(number: int) -> str:
    return _("Consumer %(n)d") % {"n": number}


def _outcome(result: dict[str, Any]) -> str:
    """The message to show for a failed call, or a partly failed batch; "" when all went well."""
    error = result.get("Error")
    if error:
        return f"{error.get('Code')}: {error.get('Message')}"
    failed = result.get("Failed") or []
    if failed:
        first = failed[0]
        return _("%(n)d of the batch's entries failed, first %(id)s: %(code)s: %(message)s") % {
            "n": len(failed),
            "id": first["Id"],
            "code": first["Code"],
            "message": first["Message"],
        }
    return ""


def _do_producer(sim: SqsSim, form: Any) -> str:
    action = form.action()
    sim.check_room(action)
    sim.ui["queue"] = action["QueueName"]
    return _outcome(sim.run(action, actor=_("Producer")))


def _do_consumer(sim: SqsSim, form: Any) -> str:
    number = form.cleaned_data["consumer"]
    action = form.action()
    sim.ui["queue"] = action["QueueName"]
    if action["Action"] == "ReceiveMessage":
        sim.ui[f"receive{number}"] = {
            key: form.cleaned_data[key] for key in ("queue", "max", "visibility", "wait")
        }
    result = sim.run(action, actor=_consumer_label(number), consumer=number - 1)
    return _outcome(result)


def _do_crash(sim: SqsSim, form: Any) -> str:
    sim.crash(form.cleaned_data["consumer"] - 1)
    return ""


def _do_queue(action_name: str) -> Callable[[SqsSim, Any], str]:
    def run(sim: SqsSim, form: Any) -> str:
        action = {"Action": action_name, "QueueName": form.cleaned_data["queue"]}
        return _outcome(sim.run(action, actor=_("You")))

    return run


def _do_create(sim: SqsSim, form: CreateQueueForm) -> str:
    action = form.action()
    sim.check_room(action)
    return _outcome(sim.run(action, actor=_("You")))


def _do_advance(sim: SqsSim, form: AdvanceForm) -> str:
    sim.advance(form.cleaned_data["seconds"], actor=_("Clock"))
    return ""


def _do_play(sim: SqsSim, form: PlayForm) -> str:
    sim.set_speed(form.cleaned_data["speed"])
    return ""


def _do_tick(sim: SqsSim, form: Any) -> str:
    sim.tick()
    return ""


def _do_preset_step(sim: SqsSim, form: Any) -> str:
    result = sim.preset_step()
    return _outcome(result) if result is not None else _("Every step of the preset has run.")


def _do_preset_rest(sim: SqsSim, form: Any) -> str:
    sim.preset_rest()
    return ""


# name -> (form class, what to do). The handler returns the error to show, or "".
ACTIONS: dict[str, tuple[type[forms.Form], Callable[[SqsSim, Any], str]]] = {
    "send": (SendForm, _do_producer),
    "batch": (BatchForm, _do_producer),
    "receive": (ReceiveForm, _do_consumer),
    "delete": (DeleteForm, _do_consumer),
    "visibility": (VisibilityForm, _do_consumer),
    "crash": (ConsumerForm, _do_crash),
    "create": (CreateQueueForm, _do_create),
    "purge": (QueueForm, _do_queue("PurgeQueue")),
    "delete-queue": (QueueForm, _do_queue("DeleteQueue")),
    "advance": (AdvanceForm, _do_advance),
    "play": (PlayForm, _do_play),
    "tick": (forms.Form, _do_tick),
    "preset-step": (forms.Form, _do_preset_step),
    "preset-rest": (forms.Form, _do_preset_rest),
}


# --- rendering ----------------------------------------------------------------------------


def _form_errors(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def _announcement(sim: SqsSim) -> str:
    if not sim.log:
        return ""
    last = sim.log[-1]
    name = last["action"].get("Action", "")
    if last["error"]:
        return _("%(action)s failed: %(code)s") % {"action": name, "code": last["error"]["Code"]}
    return _("%(action)s done") % {"action": name}


def _context(sim: SqsSim, *, error: str = "", invalid: bool = False) -> dict[str, Any]:
    board = sim.board()
    receive_defaults = []
    for number in range(1, CONSUMERS + 1):
        last = sim.ui.get(f"receive{number}") or {}
        receive_defaults.append(
            {
                "number": number,
                "queue": last.get("queue") or sim.ui.get("queue", ""),
                "max": last.get("max") or 1,
                "visibility": "" if last.get("visibility") is None else last["visibility"],
                "wait": "" if last.get("wait") is None else last["wait"],
            }
        )
    return {
        "board": board,
        "presets": preset_choices(),
        "speeds": SPEEDS,
        "step_buttons": STEP_BUTTONS,
        "max_advance": MAX_ADVANCE,
        "receivers": receive_defaults,
        "last_queue": sim.ui.get("queue", ""),
        "error": error,
        "invalid": invalid,
        "announce": _announcement(sim),
    }


def _fragment(
    request: HtmxHttpRequest, sim: SqsSim, part: str, status: int, **kwargs
) -> HttpResponse:
    context = _context(sim, **kwargs)
    html = render_to_string(f"{TEMPLATE}#{part}", context, request)
    if part == "panel":
        # The status line sits outside the panel so that screen readers hear each change.
        html += render_to_string(f"{TEMPLATE}#announce", {**context, "oob": True}, request)
    return HttpResponse(html, status=status)


def _answer(
    request: HtmxHttpRequest,
    sim: SqsSim,
    *,
    part: str = "panel",
    error: str = "",
    status: int = 200,
):
    if request.htmx:
        return _fragment(request, sim, part, status, error=error, invalid=status == 400)
    if status >= 400:
        return render(request, TEMPLATE, _context(sim, error=error, invalid=True), status=status)
    if error:
        messages.error(request, error)
    return redirect("sims:sqs")


# --- views --------------------------------------------------------------------------------


@require_GET
def page(request: HtmxHttpRequest) -> HttpResponse:
    sim = SqsSim.load(request.session)
    return render(request, TEMPLATE, _context(sim))


@require_POST
def action(request: HtmxHttpRequest, name: str) -> HttpResponse:
    if name not in ACTIONS:
        raise Http404(_("No such simulator action."))
    form_class, handler = ACTIONS[name]
    sim = SqsSim.load(request.session)
    part = "board" if name == "tick" else "panel"
    form = form_class(request.POST)
    if not form.is_valid():
        return _answer(request, sim, part=part, error=_form_errors(form), status=400)
    try:
        error = handler(sim, form)
    except LimitExceeded as limit:
        return _answer(request, sim, part=part, error=str(limit), status=400)
    sim.save(request.session)
    return _answer(request, sim, part=part, error=error)


@require_POST
def reset(request: HtmxHttpRequest) -> HttpResponse:
    form = ResetForm(request.POST)
    if not form.is_valid():
        sim = SqsSim.load(request.session)
        return _answer(request, sim, error=_form_errors(form), status=400)
    data = form.cleaned_data
    sim = SqsSim.fresh(
        seed=data["seed"] or 0,
        duplicate_rate=(data["duplicates"] or 0) / 100,
        reorder_rate=(data["reorder"] or 0) / 100,
    )
    sim.save(request.session)
    return _answer(request, sim)


@require_POST
def preset(request: HtmxHttpRequest) -> HttpResponse:
    name = request.POST.get("preset", "")
    try:
        sim = SqsSim.from_preset(name)
    except PresetNotFound:
        raise Http404(_("No preset with that name.")) from None
    except ValueError:
        sim = SqsSim.load(request.session)
        return _answer(request, sim, error=_("That preset file could not be read."), status=400)
    sim.save(request.session)
    return _answer(request, sim)
