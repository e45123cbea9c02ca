"""The Amazon DynamoDB simulator page: each form is one DynamoDB API call (or a clock step).

htmx gets the panel and the status line; a plain form goes back to the page. Bad input is a
400 with a message; an error the simulated DynamoDB returns is an event like any other.
``preview`` changes nothing: it answers with the item editor's size and cost.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST, require_safe

from studyapp.http import HtmxHttpRequest

from .. import state, web
from . import board, editor, forms, service
from .simulation import PRESETS, DynamoDBSimulation

TEMPLATE = "sims/dynamodb.html"


def _form(form_class, *, knows_simulation: bool = True):
    if knows_simulation:
        return lambda data, simulation: form_class(data, simulation)
    return lambda data, simulation: form_class(data)


def _call(opened, form):
    return service.call(opened.simulation, form.step(), table=form.cleaned_data.get("table", ""))


ACTIONS: dict[str, web.Action] = {
    "item": web.Action(
        _form(forms.ItemForm),
        lambda opened, form: service.write_item(opened.simulation, form.step(), form.remembered()),
    ),
    "read": web.Action(
        _form(forms.ReadForm),
        lambda opened, form: service.read(opened.simulation, form.step(), form.remembered()),
    ),
    "next-page": web.Action(web.no_form, lambda opened, form: service.next_page(opened.simulation)),
    "workload": web.Action(
        _form(forms.WorkloadForm),
        lambda opened, form: service.workload(opened.simulation, form.step(), form.remembered()),
    ),
    "create-table": web.Action(_form(forms.CreateTableForm, knows_simulation=False), _call),
    "capacity": web.Action(_form(forms.CapacityForm), _call),
    "delete-table": web.Action(
        _form(forms.TableForm),
        lambda opened, form: service.call(
            opened.simulation, {"Action": "DeleteTable", "TableName": form.cleaned_data["table"]}
        ),
    ),
    "pick": web.Action(
        _form(forms.PickForm),
        lambda opened, form: service.pick(
            opened.simulation, form.cleaned_data["table"], form.cleaned_data["key"]
        ),
    ),
    "advance": web.Action(
        _form(forms.AdvanceForm, knows_simulation=False),
        lambda opened, form: service.advance(opened.simulation, form.cleaned_data["seconds"]),
    ),
    "preset-step": web.Action(
        web.no_form, lambda opened, form: service.preset_step(opened.simulation)
    ),
    "preset-rest": web.Action(
        web.no_form, lambda opened, form: service.preset_rest(opened.simulation)
    ),
}
PREVIEW = "preview"  # changes nothing: answered from a look at the simulation


def _answer(request: HtmxHttpRequest, context, outcome: web.Outcome, part: str = "panel"):
    return web.answer(request, TEMPLATE, "sims:dynamodb", context, outcome, part)


@require_safe
def page(request: HtmxHttpRequest) -> HttpResponse:
    """The page; ``?preset=<name>`` picks a preset in the picker (a card or a question links to
    its lesson that way), without loading it: a GET changes nothing."""
    context = web.looking(request, DynamoDBSimulation, board.build)
    wanted = request.GET.get("preset", "")
    if any(p.name == wanted for p in context["presets"]):
        context["wanted_preset"] = wanted
    return render(request, TEMPLATE, context)


@require_POST
def action(request: HtmxHttpRequest, action: str) -> HttpResponse:
    if action == PREVIEW:
        return _preview(request)
    chosen = web.find(ACTIONS, action)
    return _answer(request, *web.perform(request, DynamoDBSimulation, chosen, board.build))


def _preview(request: HtmxHttpRequest) -> HttpResponse:
    """The item editor's size and cost: the preview fragment (htmx) or the page with it."""
    with state.view(state.owner_of(request), DynamoDBSimulation) as simulation:
        form = forms.ItemForm(request.POST, simulation)
        if form.is_valid():
            found, status = service.preview_item(simulation, form.step()), 200
        else:
            # While typing, an unfinished item is the normal case: htmx gets the message, a 200.
            found = {"ok": False, "Message": web.form_errors(form)}
            status = 200 if request.htmx else 400
        context = board.build(simulation) if not request.htmx else {}
    context["preview"] = editor.preview_view(found)
    if request.htmx:
        return HttpResponse(
            render_to_string(f"{TEMPLATE}#preview", context, request), status=status
        )
    context["editor"] = editor.editor_values(request.POST)
    return render(request, TEMPLATE, context, status=status)


@require_POST
def reset(request: HtmxHttpRequest) -> HttpResponse:
    def run(opened, form):
        opened.replace(DynamoDBSimulation.fresh())
        return ""

    chosen = web.Action(web.no_form, run)
    return _answer(request, *web.perform(request, DynamoDBSimulation, chosen, board.build))


@require_POST
def preset(request: HtmxHttpRequest) -> HttpResponse:
    chosen = web.preset_action(PRESETS, DynamoDBSimulation, request.POST.get("preset", ""))
    return _answer(request, *web.perform(request, DynamoDBSimulation, chosen, board.build))


@require_safe
def changes(request: HtmxHttpRequest) -> HttpResponse:
    """The panel again when the stored simulation is no longer the one the page shows (an
    SDK call changed it); 204, nothing to swap, when it is."""
    if not web.changed(request, DynamoDBSimulation):
        return HttpResponse(status=204)
    return _answer(request, web.looking(request, DynamoDBSimulation, board.build), web.Outcome())
