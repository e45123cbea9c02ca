"""The Amazon SQS simulator page: each form is one SQS API call (or a clock step).

htmx gets the panel (or, for the play clock's tick, the board) and the status line; a plain
form goes back to the page. Bad input is a 400 with a message; an error the simulated SQS
returns is an event like any other.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from studyapp.http import HtmxHttpRequest

from .. import web
from . import board, forms, service
from .simulation import PRESETS, SqsSimulation

TEMPLATE = "sims/sqs.html"


def _form(form_class):
    return lambda data, simulation: form_class(data)


def _producer(opened, form):
    return service.produce(opened.simulation, form.action())


def _consumer(opened, form):
    remembered = form.remembered() if isinstance(form, forms.ReceiveForm) else None
    return service.consume(
        opened.simulation, form.cleaned_data["consumer"], form.action(), remembered
    )


def _queue(action_name: str):
    def run(opened, form):
        action = {"Action": action_name, "QueueName": form.cleaned_data["queue"]}
        return service.call(opened.simulation, action)

    return run


ACTIONS: dict[str, web.Action] = {
    "send": web.Action(_form(forms.SendForm), _producer),
    "batch": web.Action(_form(forms.BatchForm), _producer),
    "receive": web.Action(_form(forms.ReceiveForm), _consumer),
    "delete": web.Action(_form(forms.DeleteForm), _consumer),
    "visibility": web.Action(_form(forms.VisibilityForm), _consumer),
    "crash": web.Action(
        _form(forms.ConsumerForm),
        lambda opened, form: service.crash(opened.simulation, form.cleaned_data["consumer"]),
    ),
    "create": web.Action(
        _form(forms.CreateQueueForm),
        lambda opened, form: service.call(opened.simulation, form.action()),
    ),
    "purge": web.Action(_form(forms.QueueForm), _queue("PurgeQueue")),
    "delete-queue": web.Action(_form(forms.QueueForm), _queue("DeleteQueue")),
    "advance": web.Action(
        _form(forms.AdvanceForm),
        lambda opened, form: service.advance(opened.simulation, form.cleaned_data["seconds"]),
    ),
    "play": web.Action(
        _form(forms.PlayForm),
        lambda opened, form: service.play(opened.simulation, form.cleaned_data["speed"]),
    ),
    "tick": web.Action(web.no_form, lambda opened, form: service.tick(opened.simulation), "board"),
    "preset-step": web.Action(
        web.no_form, lambda opened, form: service.preset_step(opened.simulation)
    ),
    "preset-rest": web.Action(
        web.no_form, lambda opened, form: service.preset_rest(opened.simulation)
    ),
}


def _reset(opened, form):
    data = form.cleaned_data
    opened.replace(
        SqsSimulation.fresh(
            seed=data["seed"] or 0,
            duplicates=(data["duplicates"] or 0) / 100,
            reorder=(data["reorder"] or 0) / 100,
        )
    )
    return ""


def _answer(request: HtmxHttpRequest, context, outcome: web.Outcome, part: str = "panel"):
    return web.answer(request, TEMPLATE, "sims:sqs", context, outcome, part)


@require_safe
def page(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, TEMPLATE, web.looking(request, SqsSimulation, board.build))


@require_POST
def action(request: HtmxHttpRequest, action: str) -> HttpResponse:
    chosen = web.find(ACTIONS, action)
    context, outcome = web.perform(request, SqsSimulation, chosen, board.build)
    return _answer(request, context, outcome, chosen.part or "panel")


@require_POST
def reset(request: HtmxHttpRequest) -> HttpResponse:
    chosen = web.Action(_form(forms.ResetForm), _reset)
    return _answer(request, *web.perform(request, SqsSimulation, chosen, board.build))


@require_POST
def preset(request: HtmxHttpRequest) -> HttpResponse:
    chosen = web.preset_action(PRESETS, SqsSimulation, request.POST.get("preset", ""))
    return _answer(request, *web.perform(request, SqsSimulation, chosen, board.build))


@require_safe
def changes(request: HtmxHttpRequest) -> HttpResponse:
    """The panel again when the stored simulation is no longer the one the page shows (an
    SDK call changed it); 204, nothing to swap, when it is."""
    if not web.changed(request, SqsSimulation):
        return HttpResponse(status=204)
    return _answer(request, web.looking(request, SqsSimulation, board.build), web.Outcome())
