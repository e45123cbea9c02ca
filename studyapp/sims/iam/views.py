"""The IAM policy evaluation simulator: policy editors, a request, the flowchart with its path lit.

Every way in (the blank page, a preset, a share link, a POSTed form) becomes a
``ScenarioForm``; the engine decides; the template draws the board. htmx requests get the
matching fragment of ``sims/iam.html``; plain requests get the whole page. Its actions:
``do/evaluate/`` (or, with ``add``, one more editor) and ``do/validate/`` (one editor, as the
learner types).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from studyapp.http import HtmxHttpRequest

from .. import presets
from . import board, service
from .editors import check_editor
from .forms import ScenarioForm

logger = logging.getLogger(__name__)
TEMPLATE = "sims/iam.html"
ADDABLE = {"identity", "scp", "rcp"}


@require_safe
@vary_on_headers("HX-Request")
def page(request: HtmxHttpRequest) -> HttpResponse:
    """The simulator; ``?preset=<name>`` fills it (``&run=1`` evaluates), ``?s=`` restores a share."""
    evaluate, notice = False, ""
    form = ScenarioForm()
    if "s" in request.GET:
        try:
            form = service.from_share(request.GET["s"])
            evaluate = True
        except service.ShareError as exc:
            notice = exc.message
    elif request.GET.get("preset"):
        try:
            form = service.from_preset(presets.load(service.PRESETS, request.GET["preset"]))
            evaluate = request.GET.get("run") == "1"
        except presets.PresetNotFound:
            raise Http404(_("No preset with that name.")) from None
        except (presets.PresetError, service.ShareError) as error:
            logger.warning("sims: IAM preset %r cannot be shown: %s", request.GET["preset"], error)
            notice = _("That preset could not be read.")
    context = _context(request, form, evaluate=evaluate, notice=notice)
    status = 400 if notice or (evaluate and not form.is_valid) else 200
    # htmx restoring a page its history cache lost wants the whole page, not the fragment.
    fragment = request.htmx and not request.htmx.history_restore_request
    template = f"{TEMPLATE}#workspace" if fragment else TEMPLATE
    return render(request, template, context, status=status)


@require_POST
def action(request: HtmxHttpRequest, action: str) -> HttpResponse:
    if action == "evaluate":
        return _evaluate(request)
    if action == "validate":
        return _validate(request)
    raise Http404(_("No such simulator action."))


def _evaluate(request: HtmxHttpRequest) -> HttpResponse:
    """Evaluate the form; or, for an "add" button, show one more editor."""
    form = ScenarioForm(request.POST)
    add = request.POST.get("add", "")
    if add in ADDABLE:
        form.add_editor(add)
        template = f"{TEMPLATE}#editors" if request.htmx else TEMPLATE
        return render(request, template, _context(request, form, evaluate=False))
    context = _context(request, form, evaluate=True)
    status = 200 if form.is_valid else 400
    if not request.htmx:  # the whole page: the editors keep their text, errors beside them
        return render(request, TEMPLATE, context, status=status)
    # The result, and each editor's and field's check beside it (out of band): an error
    # shows where it is, whether or not the learner's typing had been checked yet.
    html = render_to_string(f"{TEMPLATE}#result", context, request)
    html += render_to_string(f"{TEMPLATE}#checks-oob", context, request)
    return HttpResponse(html, status=status)


def _validate(request: HtmxHttpRequest) -> HttpResponse:
    """Check one editor as the learner types: the error with its place, the linter's warnings."""
    name = request.POST.get("field", "")
    text = request.POST.get(name, "") if name else ""
    if name == "context":
        context = {"context_check": board.context_check(text)}
        return render(request, f"{TEMPLATE}#context-check", context)
    editor = check_editor(name, text)
    if editor is None:
        return HttpResponse(_("Unknown field."), status=400, content_type="text/plain")
    return render(
        request, f"{TEMPLATE}#check", {"editor": editor, "preview": board.preview(editor)}
    )


def _context(
    request: HtmxHttpRequest, form: ScenarioForm, *, evaluate: bool, notice: str = ""
) -> dict[str, Any]:
    preset = None
    if form.preset:
        try:
            preset = presets.load(service.PRESETS, form.preset)
        except (presets.PresetNotFound, presets.PresetError):
            preset = None
    context: dict[str, Any] = {
        "form": form,
        "presets": presets.available(service.PRESETS),
        "preset": preset.data if preset else None,
        "notice": notice,
        "evaluated": evaluate,
    }
    if evaluate:
        context["context_check"] = board.context_check(form.context_text)
        for editor in form.editors:
            if editor.error is not None and editor.error.line:
                editor.preview = board.preview(editor)  # where the syntax error is
    if evaluate and form.is_valid:
        context.update(board.result(form, form.evaluate()))
        page_url = request.build_absolute_uri(reverse("sims:iam"))
        context["share_url"], context["share_refused"] = service.share_link(
            page_url, form.scenario or {}
        )
        context["expected"] = service.expected(form)
    return context
