"""The Kinesis Data Streams simulator page: each form is one engine operation.

Every action is a POST that works as a plain form (redirect back to the page, where its
message shows once) and, with htmx, re-renders the simulator panel. Bad input gets a message
and a 400; an engine error is the simulated API's answer, so it is logged and shown like any
other result.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp.http import HtmxHttpRequest

from .. import presets, state, web
from . import board, forms, service
from .simulation import PRESETS, KinesisSimulation, Notice

PAGE = "sims/kinesis.html"
PANEL = "sims/kinesis.html#sim"


def _form(form_class, *, needs_stream: bool = True, knows_state: bool = False):
    def make(data, simulation: KinesisSimulation):
        if needs_stream and not simulation.has_stream():
            return forms.NoStream(data)
        return form_class(data, state=simulation) if knows_state else form_class(data)

    return make


def _notice(notice: Notice) -> web.Outcome:
    return web.Outcome(notice.text, error=notice.level == "error")


def _run(operation):
    """An action that runs ``operation(simulation, cleaned_data)``."""
    return lambda opened, form: _notice(operation(opened.simulation, form.cleaned_data))


def _producer(sim: KinesisSimulation, data) -> Notice:
    keys = ("strategy", "rate", "size", "key", "hot_share")
    settings = {key: data[key] for key in keys}
    return service.configure_producer(sim, settings, data["do"], data["seconds"])


ACTIONS: dict[str, web.Action] = {
    "advance": web.Action(
        _form(forms.AdvanceForm, needs_stream=False),
        _run(lambda sim, data: service.advance(sim, data["seconds"])),
    ),
    "play": web.Action(
        _form(forms.PlayForm, needs_stream=False),
        _run(lambda sim, data: service.play(sim, data["on"])),
    ),
    "producer": web.Action(_form(forms.ProducerForm), _run(_producer)),
    "put": web.Action(
        _form(forms.PutForm),
        _run(
            lambda sim, data: service.put_record(
                sim, data["partition_key"], data["data"], data["explicit_hash_key"]
            )
        ),
    ),
    "split": web.Action(
        _form(forms.SplitForm, knows_state=True),
        _run(lambda sim, data: service.split(sim, data["shard"], data["new_key"])),
    ),
    "merge": web.Action(
        _form(forms.MergeForm, knows_state=True),
        _run(lambda sim, data: service.merge(sim, data["shard"], data["adjacent"])),
    ),
    "scale": web.Action(
        _form(forms.ScaleForm),
        _run(lambda sim, data: service.update_shard_count(sim, data["target"])),
    ),
    "retention": web.Action(
        _form(forms.RetentionForm),
        _run(lambda sim, data: service.set_retention(sim, data["action"], data["hours"])),
    ),
    "iterator": web.Action(
        _form(forms.IteratorForm, knows_state=True),
        _run(
            lambda sim, data: service.get_iterator(
                sim, data["shard"], data["type"], data["sequence_number"].strip(), data["timestamp"]
            )
        ),
    ),
    "records": web.Action(
        _form(forms.RecordsForm, knows_state=True),
        _run(lambda sim, data: service.get_records(sim, data["shard"], data["limit"])),
    ),
    "forget": web.Action(
        _form(forms.ConsumerForm, needs_stream=False),
        _run(lambda sim, data: service.forget_consumer(sim, data["shard"])),
    ),
}


def _answer(request: HtmxHttpRequest, context, outcome: web.Outcome) -> HttpResponse:
    """htmx gets the panel; a plain form goes back to the page, or sees the error (400)."""
    if not request.htmx and outcome.status < 400:
        if outcome.text:
            level = messages.ERROR if outcome.error else messages.INFO
            messages.add_message(request, level, outcome.text)
        return redirect("sims:kinesis")
    return render(request, PANEL if request.htmx else PAGE, context, status=outcome.status)


@require_safe
@vary_on_headers("HX-Request")
def page(request: HtmxHttpRequest) -> HttpResponse:
    shown = list(messages.get_messages(request))  # after a plain form's redirect: shown once
    outcome = web.Outcome()
    if shown:
        outcome = web.Outcome(str(shown[-1]), error=shown[-1].level >= messages.ERROR)
    owner = state.owner_of(request)
    stamp = state.stamp(owner, KinesisSimulation)
    with state.view(owner, KinesisSimulation) as simulation:
        context = {**board.build(simulation, outcome), **web.following(owner, stamp)}
    context["messages"] = ()  # shown in the panel, not again at the top of the page
    return render(request, PANEL if request.htmx else PAGE, context)


@require_POST
def action(request: HtmxHttpRequest, action: str) -> HttpResponse:
    chosen = web.find(ACTIONS, action)
    return _answer(request, *web.perform(request, KinesisSimulation, chosen, board.build))


@require_POST
def reset(request: HtmxHttpRequest) -> HttpResponse:
    def run(opened, form):
        opened.replace(KinesisSimulation.fresh(form.cleaned_data["shards"]))
        return ""

    chosen = web.Action(_form(forms.ResetForm, needs_stream=False), run)
    return _answer(request, *web.perform(request, KinesisSimulation, chosen, board.build))


@require_POST
def preset(request: HtmxHttpRequest) -> HttpResponse:
    try:
        found = presets.load(PRESETS, request.POST.get("name", ""))
    except presets.PresetNotFound:
        raise Http404(_("There is no preset of that name.")) from None
    except presets.PresetError:
        found = None

    def run(opened, form):
        if found is None:
            raise state.Refused(_("That preset file could not be read."))
        simulation, notice = service.from_preset(found)
        opened.replace(simulation)
        return _notice(notice)

    chosen = web.Action(web.no_form, run)
    return _answer(request, *web.perform(request, KinesisSimulation, chosen, board.build))


@require_safe
def changes(request: HtmxHttpRequest) -> HttpResponse:
    """The panel again when the stored simulation is no longer the one the page shows (an
    SDK call changed it); 204, nothing to swap, when it is."""
    if not web.changed(request, KinesisSimulation):
        return HttpResponse(status=204)
    return _answer(request, web.looking(request, KinesisSimulation, board.build), web.Outcome())
