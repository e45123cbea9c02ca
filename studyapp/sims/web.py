"""What the simulator pages share: one routing style, and one way to run an action.

Every simulator with state has the same URLs: its page, ``preset/``, ``reset/`` and
``do/<action>/``, where each action is a form plus what it does (``Action``). A POST finds
the owner, opens their simulation under its row lock (``state.edit``), validates the form,
runs the action, builds the page's view-model (the board) and saves: a thin view then only
renders the board (``perform``). Bad input and refused actions are a 400 with a message and
change nothing; an error the simulated API returns is part of the simulation, a 200.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _

from studyapp.engines.errors import ApiError
from studyapp.http import HtmxHttpRequest

from . import presets, state


@dataclass(frozen=True)
class Outcome:
    """What the answer to an action says: ``text`` (or nothing), as an error or not."""

    text: str = ""
    status: int = 200
    error: bool = False

    @classmethod
    def refused(cls, text: str) -> Outcome:
        return cls(text, 400, True)


@dataclass(frozen=True)
class Action:
    """One POST: a form bound to the request (it may look at the simulation, to offer only
    its shards, say) and what a valid one does; ``run`` returns the Outcome, or a text to
    show as an error ("" when all went well), and may raise state.Refused."""

    form: Callable[[QueryDict, Any], forms.Form]
    run: Callable[[state.Opened, forms.Form], Outcome | str]
    part: str = ""  # the fragment an htmx request gets ("": the simulator's panel)


def no_form(data: QueryDict, simulation: Any) -> forms.Form:
    return forms.Form(data)


def form_errors(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts) or _("Check the form.")


Board = Callable[[Any, Outcome], dict[str, Any]]


def perform(
    request: HtmxHttpRequest, kind: type[state.Simulation], action: Action, board: Board
) -> tuple[dict[str, Any], Outcome]:
    """Run one action on the requester's simulation: (the board after it, the outcome)."""
    owner = state.owner_of(request, create=True)
    assert owner is not None
    try:
        with state.edit(owner, kind) as opened:
            form = action.form(request.POST, opened.simulation)
            if not form.is_valid():
                opened.nothing_changed()
                outcome = Outcome.refused(form_errors(form))
            else:
                try:
                    result = action.run(opened, form)
                except state.Refused as refused:
                    opened.nothing_changed()
                    result = Outcome.refused(str(refused))
                except ApiError as error:  # logged by the simulation: its answer, kept
                    result = Outcome(f"{error.code}: {error.message}", error=True)
                outcome = (
                    result if isinstance(result, Outcome) else Outcome(result, error=bool(result))
                )
            context = board(opened.simulation, outcome)
        stamp = opened.stamp
    except state.BudgetExceeded as full:
        outcome = Outcome.refused(str(full))
        stamp = state.stamp(owner, kind)
        with state.view(owner, kind) as simulation:
            context = board(simulation, outcome)
    return {**context, **following(owner, stamp)}, outcome


def answer(
    request: HtmxHttpRequest,
    template: str,
    page: str,
    context: dict[str, Any],
    outcome: Outcome,
    part: str = "panel",
) -> HttpResponse:
    """htmx gets the template's `part` (with the panel, the status line out of band, outside the
    panel so that screen readers hear each change); a plain form goes back to the page (URL
    name `page`) with the outcome as a message, or sees the page with its error (4xx)."""
    if request.htmx:
        html = render_to_string(f"{template}#{part}", context, request)
        if part == "panel":
            html += render_to_string(f"{template}#announce", {**context, "oob": True}, request)
        return HttpResponse(html, status=outcome.status)
    if outcome.status >= 400:
        return render(request, template, context, status=outcome.status)
    if outcome.text:
        messages.error(request, outcome.text)
    return redirect(page)


def looking(request: HtmxHttpRequest, kind: type[state.Simulation], board: Board) -> dict[str, Any]:
    """The board of the requester's simulation, for a GET (nothing is saved)."""
    owner = state.owner_of(request)
    stamp = state.stamp(owner, kind)  # read first: a change meanwhile is shown at the next look
    with state.view(owner, kind) as simulation:
        return {**board(simulation, Outcome()), **following(owner, stamp)}


# A signed-in learner's simulation also changes through the SDK endpoint (/aws/): their page
# asks every FOLLOW_SECONDS whether the stored state is still the one it shows, and gets the
# panel again when it is not (static/js/app.js skips the question while a field is in use).
FOLLOW_SECONDS = 2


def following(owner: state.Owner | None, stamp: str) -> dict[str, Any]:
    """The page's part of that conversation: the stamp it shows (signed-in owners only)."""
    if owner is None or not owner.signed_in:
        return {"follow": None}
    return {"follow": {"since": stamp, "every": FOLLOW_SECONDS}}


def changed(request: HtmxHttpRequest, kind: type[state.Simulation]) -> bool:
    """Whether the requester's stored simulation is no longer the one stamped ``?since=``."""
    return request.GET.get("since", "") != state.stamp(state.owner_of(request), kind)


def find(actions: dict[str, Action], name: str) -> Action:
    if name not in actions:
        raise Http404(_("No such simulator action."))
    return actions[name]


def routes(name: str, views: ModuleType) -> list:
    """A simulator's URLs: its page, then ``preset/``, ``reset/``, ``changes/`` and
    ``do/<action>/`` for the views it has; URL names ``<name>``, ``<name>-preset``,
    ``<name>-reset``, ``<name>-changes``, ``<name>-action``."""
    found = [path(f"{name}/", views.page, name=name)]
    for suffix in ("preset", "reset", "changes"):
        view = getattr(views, suffix, None)
        if view is not None:
            found.append(path(f"{name}/{suffix}/", view, name=f"{name}-{suffix}"))
    found.append(path(f"{name}/do/<slug:action>/", views.action, name=f"{name}-action"))
    return found


def preset_action(folder, kind: type[state.Simulation], name: str) -> Action:
    """The action that replaces the owner's simulation with the preset `name` of `folder`:
    Http404 for an unknown name, a refusal (shown in the page) for a file that cannot be read."""
    try:
        found = presets.load(folder, name)
    except presets.PresetNotFound:
        raise Http404(_("No preset with that name.")) from None
    except presets.PresetError:
        return Action(no_form, _unreadable)

    def load(opened, form) -> str:
        opened.replace(kind.from_preset(found))
        return ""

    return Action(no_form, load)


def _unreadable(opened, form):
    raise state.Refused(_("That preset file could not be read."))
