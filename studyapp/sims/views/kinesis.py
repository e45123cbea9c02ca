"""The Kinesis Data Streams simulator page: each form is one engine operation on the session's state.

Every action is a POST that works as a plain form (redirect back to the page) and, with htmx,
re-renders the simulator panel. Bad input gets a message and a 400; an engine error is the
simulated API's answer, so it is logged and shown like any other result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from studyapp.engines.kinesis import MAX_HASH_KEY, KinesisError
from studyapp.notes.views import HtmxHttpRequest

from .. import kinesis_state as sim
from ..kinesis_state import SimState, TooMuchWork

PAGE = "sims/kinesis.html"
PANEL = "sims/kinesis.html#sim"
HASH_KEY = re.compile(r"0|[1-9]\d{0,38}")
FRACTION = re.compile(r"0?\.\d{1,12}")
CLOCK_STEPS = [
    (1, gettext_lazy("+1 s")),
    (10, gettext_lazy("+10 s")),
    (60, gettext_lazy("+1 min")),
    (3600, gettext_lazy("+1 h")),
    (86400, gettext_lazy("+1 day")),
]


# Forms: each knows the state, so that shard choices are the stream's shards --------------


class StateForm(forms.Form):
    def __init__(self, data, *, state: SimState) -> None:
        super().__init__(data)
        self.state = state

    def shard_field(self, name: str, *, open_only: bool = False) -> str:
        value = self.cleaned_data.get(name, "")
        if value not in self.state.shard_ids(open_only=open_only):
            raise forms.ValidationError(_("There is no shard %(shard)s.") % {"shard": value})
        return value


class ResetForm(forms.Form):
    shards = forms.IntegerField(label=gettext_lazy("Shards"), min_value=1, max_value=64)


class AdvanceForm(forms.Form):
    seconds = forms.IntegerField(
        label=gettext_lazy("Seconds"), min_value=1, max_value=sim.MAX_ADVANCE_SECONDS
    )


class ProducerForm(forms.Form):
    strategy = forms.ChoiceField(
        label=gettext_lazy("Partition keys"), choices=[(s, s) for s in sim.STRATEGIES]
    )
    rate = forms.IntegerField(
        label=gettext_lazy("Records per second"),
        min_value=1,
        max_value=sim.MAX_RECORDS_PER_REQUEST,
    )
    size = forms.IntegerField(
        label=gettext_lazy("Record size (bytes)"), min_value=0, max_value=1024 * 1024 - 256
    )
    key = forms.CharField(label=gettext_lazy("Hot partition key"), max_length=256)
    hot_share = forms.FloatField(label=gettext_lazy("Hot key share"), min_value=0, max_value=1)
    seconds = forms.IntegerField(
        label=gettext_lazy("Seconds to run"), min_value=1, max_value=sim.MAX_PRODUCE_SECONDS
    )
    do = forms.ChoiceField(choices=[(d, d) for d in ("run", "start", "stop")])


class PutForm(forms.Form):
    partition_key = forms.CharField(label=gettext_lazy("Partition key"), max_length=256)
    data = forms.CharField(label=gettext_lazy("Data"), max_length=1000, strip=False)
    explicit_hash_key = forms.CharField(
        label=gettext_lazy("Explicit hash key"), max_length=39, required=False
    )

    def clean_explicit_hash_key(self) -> str:
        value = self.cleaned_data["explicit_hash_key"].strip()
        if value and (not HASH_KEY.fullmatch(value) or int(value) > MAX_HASH_KEY):
            raise forms.ValidationError(_("A hash key is a whole number from 0 to 2^128 - 1."))
        return value


class SplitForm(StateForm):
    shard = forms.CharField(label=gettext_lazy("Shard to split"), max_length=40, required=False)
    hash_key = forms.CharField(
        label=gettext_lazy("New starting hash key"), max_length=39, required=False
    )
    at = forms.CharField(max_length=14, required=False)  # a point on the bar, 0 to 1
    middle = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        at = data.get("at", "")
        if at:
            if not FRACTION.fullmatch(at):
                raise forms.ValidationError(_("The point on the bar must be between 0 and 1."))
            key = int(Fraction(at) * (MAX_HASH_KEY + 1))
            data["shard"] = sim.shard_at(self.state, key)
            data["new_key"] = key
            return data
        data["shard"] = self.shard_field("shard", open_only=True)
        if data.get("middle"):
            data["new_key"] = sim.middle_of(self.state, data["shard"])
            return data
        text = data.get("hash_key", "").strip()
        if not HASH_KEY.fullmatch(text) or int(text) > MAX_HASH_KEY:
            raise forms.ValidationError(_("A hash key is a whole number from 0 to 2^128 - 1."))
        data["new_key"] = int(text)
        return data


class MergeForm(StateForm):
    shard = forms.CharField(label=gettext_lazy("Shard to merge"), max_length=40)
    adjacent = forms.CharField(label=gettext_lazy("Adjacent shard"), max_length=40)

    def clean_shard(self) -> str:
        return self.shard_field("shard", open_only=True)

    def clean_adjacent(self) -> str:
        return self.shard_field("adjacent", open_only=True)


class ScaleForm(forms.Form):
    target = forms.IntegerField(label=gettext_lazy("Target shard count"), min_value=1, max_value=64)


class RetentionForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[
            ("IncreaseStreamRetentionPeriod", "IncreaseStreamRetentionPeriod"),
            ("DecreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod"),
        ],
    )
    hours = forms.IntegerField(label=gettext_lazy("Hours"), min_value=1, max_value=100_000)


class IteratorForm(StateForm):
    shard = forms.CharField(label=gettext_lazy("Shard"), max_length=40)
    type = forms.ChoiceField(
        label=gettext_lazy("Iterator type"), choices=[(t, t) for t in sim.ITERATOR_TYPES]
    )
    sequence_number = forms.CharField(
        label=gettext_lazy("Sequence number"), max_length=64, required=False
    )
    timestamp = forms.FloatField(
        label=gettext_lazy("Timestamp (epoch seconds)"),
        required=False,
        min_value=0,
        max_value=10**11,
    )

    def clean_shard(self) -> str:
        return self.shard_field("shard")


class RecordsForm(StateForm):
    shard = forms.CharField(max_length=40)
    limit = forms.IntegerField(label=gettext_lazy("Limit"), min_value=1, max_value=10_000)


class ConsumerForm(forms.Form):
    shard = forms.CharField(max_length=40)


class PlayForm(forms.Form):
    on = forms.BooleanField(required=False)


# Rendering -------------------------------------------------------------------------------


def _context(state: SimState, *, error: str = "") -> dict[str, Any]:
    notice = sim.take_notice(state)
    if error:
        notice = {"level": "error", "text": error}
    context = sim.picture(state)
    context.update(
        notice=notice,
        presets=sim.preset_choices(),
        clock_steps=CLOCK_STEPS,
        strategies=sim.STRATEGIES,
        iterator_types=sim.ITERATOR_TYPES,
        limits=sim,
    )
    if state.preset:
        try:
            scenario = sim.read_preset(state.preset)
        except (sim.PresetNotFound, OSError, ValueError):
            scenario = {}
        context["preset_title"] = scenario.get("title", state.preset)
        context["preset_description"] = scenario.get("description", "")
    if context["stream"] is not None:
        context["open_shards"] = [s for s in context["stream"]["shards"] if s["open"]]
    return context


def _first_error(form: forms.Form) -> str:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return _("Check the form.")


def _respond(
    request: HtmxHttpRequest, state: SimState, *, error: str = "", changed: bool = True
) -> HttpResponse:
    """htmx gets the panel; a plain form goes back to the page, or sees the error (400).

    A changed state is stored after the response's context is built, so that a message shown
    now is not shown again; after a redirect the page shows it.
    """
    if not request.htmx and not error:
        if changed:
            sim.store(request.session, state)
        return redirect("sims:kinesis")
    context = _context(state, error=error)
    if changed:
        sim.store(request.session, state)
    return render(request, PANEL if request.htmx else PAGE, context, status=400 if error else 200)


def _act(
    request: HtmxHttpRequest,
    make_form: Callable[[SimState], forms.Form],
    operation: Callable[[SimState, dict[str, Any]], None],
    *,
    needs_stream: bool = True,
) -> HttpResponse:
    state = sim.load(request.session)
    if needs_stream and not state.has_stream():
        return _respond(
            request, state, error=_("There is no stream: load a preset or reset."), changed=False
        )
    form = make_form(state)
    if not form.is_valid():
        return _respond(request, state, error=_first_error(form), changed=False)
    try:
        operation(state, form.cleaned_data)
    except TooMuchWork as refused:
        return _respond(request, sim.load(request.session), error=str(refused), changed=False)
    except KinesisError:
        pass  # the state logged it and will show it: that is the simulated API's answer
    return _respond(request, state)


# Views -----------------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def page(request: HtmxHttpRequest) -> HttpResponse:
    state = sim.load(request.session)
    had_notice = state.notice is not None
    context = _context(state)
    if had_notice:
        sim.store(request.session, state)  # the message is shown once
    return render(request, PANEL if request.htmx else PAGE, context)


@require_POST
def preset(request: HtmxHttpRequest) -> HttpResponse:
    name = request.POST.get("name", "")
    try:
        state = sim.load_preset(name)
    except sim.PresetNotFound as missing:
        raise Http404(_("There is no preset of that name.")) from missing
    return _respond(request, state)


@require_POST
def reset(request: HtmxHttpRequest) -> HttpResponse:
    form = ResetForm(request.POST)
    if not form.is_valid():
        return _respond(request, sim.load(request.session), error=_first_error(form), changed=False)
    return _respond(request, sim.new_state(form.cleaned_data["shards"]))


@require_POST
def advance(request: HtmxHttpRequest) -> HttpResponse:
    return _act(
        request,
        lambda state: AdvanceForm(request.POST),
        lambda state, data: sim.advance(state, data["seconds"]),
        needs_stream=False,
    )


@require_POST
def play(request: HtmxHttpRequest) -> HttpResponse:
    def operation(state: SimState, data: dict[str, Any]) -> None:
        state.playing = data["on"]

    return _act(request, lambda state: PlayForm(request.POST), operation, needs_stream=False)


@require_POST
def producer(request: HtmxHttpRequest) -> HttpResponse:
    def operation(state: SimState, data: dict[str, Any]) -> None:
        state.producer.update(
            strategy=data["strategy"],
            rate=data["rate"],
            size=data["size"],
            key=data["key"],
            hot_share=data["hot_share"],
        )
        if data["do"] == "run":
            sim.produce(state, data["seconds"])
        else:
            state.producer["running"] = data["do"] == "start"
            if not state.producer["running"]:
                state.playing = False
            state.say(
                _("The producer runs while the clock moves.")
                if state.producer["running"]
                else _("The producer is stopped.")
            )

    return _act(request, lambda state: ProducerForm(request.POST), operation)


@require_POST
def put(request: HtmxHttpRequest) -> HttpResponse:
    return _act(
        request,
        lambda state: PutForm(request.POST),
        lambda state, data: sim.put_record(
            state, data["partition_key"], data["data"], data["explicit_hash_key"]
        ),
    )


@require_POST
def split(request: HtmxHttpRequest) -> HttpResponse:
    return _act(
        request,
        lambda state: SplitForm(request.POST, state=state),
        lambda state, data: sim.split(state, data["shard"], data["new_key"]),
    )


@require_POST
def merge(request: HtmxHttpRequest) -> HttpResponse:
    return _act(
        request,
        lambda state: MergeForm(request.POST, state=state),
        lambda state, data: sim.merge(state, data["shard"], data["adjacent"]),
    )


@require_POST
def scale(request: HtmxHttpRequest) -> HttpResponse:
    return _act(
        request,
        lambda state: ScaleForm(request.POST),
        lambda state, data: sim.update_shard_count(state, data["target"]),
    )


@require_POST
def retention(request: HtmxHttpRequest) -> HttpResponse:
    return _act(
        request,
        lambda state: RetentionForm(request.POST),
        lambda state, data: sim.set_retention(state, data["action"], data["hours"]),
    )


@require_POST
def iterator(request: HtmxHttpRequest) -> HttpResponse:
    return _act(
        request,
        lambda state: IteratorForm(request.POST, state=state),
        lambda state, data: sim.get_iterator(
            state, data["shard"], data["type"], data["sequence_number"].strip(), data["timestamp"]
        ),
    )


@require_POST
def records(request: HtmxHttpRequest) -> HttpResponse:
    return _act(
        request,
        lambda state: RecordsForm(request.POST, state=state),
        lambda state, data: sim.get_records(state, data["shard"], data["limit"]),
    )


@require_POST
def forget(request: HtmxHttpRequest) -> HttpResponse:
    return _act(
        request,
        lambda state: ConsumerForm(request.POST),
        lambda state, data: sim.forget_consumer(state, data["shard"]),
        needs_stream=False,
    )
