"""The IAM policy evaluation simulator: policy editors, a request, the flowchart with its path lit.

Every way in (the blank page, a preset, a share link, a POSTed form) becomes a
``ScenarioForm``; the engine decides; the template draws the result. htmx requests get the
matching fragment of ``sims/iam.html``; plain requests get the whole page.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import JsonLexer

from studyapp.engines.iam import ALLOW, EXPLICIT_DENY, IMPLICIT_DENY, STEPS, Result
from studyapp.notes.views import HtmxHttpRequest

from .. import iam_forms
from ..iam_forms import ScenarioForm

TEMPLATE = "sims/iam.html"

STEP_LABELS = {
    "explicit-deny": gettext_lazy("Explicit Deny in any policy?"),
    "rcp": gettext_lazy("RCPs allow, at every level?"),
    "scp": gettext_lazy("SCPs allow, at every level?"),
    "resource-policy": gettext_lazy("Resource-based policy?"),
    "identity": gettext_lazy("Identity-based policy allows?"),
    "boundary": gettext_lazy("Permissions boundary allows?"),
    "session": gettext_lazy("Session policy allows?"),
}
OUTCOME_LABELS = {
    "deny": gettext_lazy("a Deny applies"),
    "implicit-deny": gettext_lazy("not allowed: stop"),
    "allow": gettext_lazy("allowed here: stop"),
    "pass": gettext_lazy("allowed: go on"),
    "absent": gettext_lazy("none: go on"),
    "not-applicable": gettext_lazy("does not apply: go on"),
}
DECISION_LABELS = {
    ALLOW: gettext_lazy("Allow"),
    EXPLICIT_DENY: gettext_lazy("Explicit deny"),
    IMPLICIT_DENY: gettext_lazy("Implicit deny"),
}
DECISION_SUMMARIES = {
    ALLOW: gettext_lazy("The request is allowed."),
    EXPLICIT_DENY: gettext_lazy("A Deny statement applies, and an explicit deny always wins."),
    IMPLICIT_DENY: gettext_lazy("Nothing allows the request at one of the steps, so it is denied."),
}
ADDABLE = {"identity", "scp", "rcp"}


@require_GET
@vary_on_headers("HX-Request")
def page(request: HtmxHttpRequest) -> HttpResponse:
    """The simulator; ``?preset=<name>`` fills it (``&run=1`` evaluates), ``?s=`` restores a share."""
    evaluate, notice = False, ""
    if "s" in request.GET:
        try:
            form = iam_forms.from_share(request.GET["s"])
            evaluate = True
        except iam_forms.ShareError as exc:
            form, notice = ScenarioForm(), exc.message
    elif request.GET.get("preset"):
        name = request.GET["preset"]
        data = iam_forms.load_preset(name)
        if data is None:
            raise Http404(_("No preset with that name."))
        form = iam_forms.from_preset(name, data)
        evaluate = request.GET.get("run") == "1"
    else:
        form = ScenarioForm()
    context = _context(request, form, evaluate=evaluate, notice=notice)
    status = 400 if notice or (evaluate and not form.is_valid) else 200
    template = f"{TEMPLATE}#workspace" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


@require_POST
def evaluate(request: HtmxHttpRequest) -> HttpResponse:
    """Evaluate the form; or, for an "add" button, show one more editor."""
    form = ScenarioForm(request.POST)
    add = request.POST.get("add", "")
    if add in ADDABLE:
        form.add_editor(add)
        template = f"{TEMPLATE}#editors" if request.htmx else TEMPLATE
        return render(request, template, _context(request, form, evaluate=False))
    context = _context(request, form, evaluate=True)
    template = f"{TEMPLATE}#result" if request.htmx else TEMPLATE
    return render(request, template, context, status=200 if form.is_valid else 400)


@require_POST
def validate(request: HtmxHttpRequest) -> HttpResponse:
    """Check one editor as the learner types: the error with its place, the linter's warnings."""
    name = request.POST.get("field", "")
    text = request.POST.get(name, "") if name else ""
    if name == "context":
        return render(request, f"{TEMPLATE}#context-check", {"context_check": _context_check(text)})
    editor = iam_forms.check_editor(name, text)
    if editor is None:
        return HttpResponse(_("Unknown field."), status=400, content_type="text/plain")
    return render(request, f"{TEMPLATE}#check", {"editor": editor, "preview": _preview(editor)})


def _context(
    request: HtmxHttpRequest, form: ScenarioForm, *, evaluate: bool, notice: str = ""
) -> dict[str, Any]:
    preset = iam_forms.load_preset(form.preset) if form.preset else None
    context: dict[str, Any] = {
        "form": form,
        "presets": iam_forms.presets(),
        "preset": preset,
        "notice": notice,
        "evaluated": evaluate,
    }
    if evaluate and form.is_valid:
        result = form.evaluate()
        token = iam_forms.share_token(form.scenario or {})
        context.update(
            result=result,
            decision_label=DECISION_LABELS[result.decision],
            decision_summary=DECISION_SUMMARIES[result.decision],
            deciding=[_statement(form, ref) for ref in result.deciding],
            steps=_steps(form, result),
            flow=flowchart(result),
            warnings=result.warnings,
            share_url=(
                request.build_absolute_uri(f"{reverse('sims:iam')}?s={token}") if token else ""
            ),
            expected=_expected(preset, form),
        )
    return context


def _expected(preset: dict[str, Any] | None, form: ScenarioForm) -> str:
    """The preset's documented decision, while the editors still hold that preset."""
    if not preset or preset.get("expected") not in DECISION_LABELS:
        return ""
    try:
        original = iam_forms.from_preset(form.preset, preset).scenario
    except iam_forms.ShareError:
        return ""
    return preset["expected"] if original == form.scenario else ""


def _statement(form: ScenarioForm, ref: dict[str, Any]) -> dict[str, Any]:
    editor = form.policy_editors.get(ref["policy"])
    return {
        **ref,
        "label": editor.label if editor else ref["policy"],
        "anchor": editor.id if editor else "",
    }


def _outcome_label(step: str, outcome: str) -> str:
    if step == "explicit-deny" and outcome == "pass":
        return _("no Deny: go on")
    return str(OUTCOME_LABELS.get(outcome, outcome))


def _steps(form: ScenarioForm, result: Result) -> list[dict[str, Any]]:
    return [
        {
            **step,
            "label": STEP_LABELS.get(step["step"], step["step"]),
            "outcome_label": _outcome_label(step["step"], step["outcome"]),
            "statements": [_statement(form, ref) for ref in step["statements"]],
        }
        for step in result.trace
    ]


def _context_check(text: str) -> dict[str, Any]:
    data, problem = iam_forms.parse_context(text)
    if data is None and problem is None:
        return {"ok": True, "message": ""}
    if problem:
        return {"ok": False, "message": problem.message, "location": problem.location}
    return {"ok": True, "message": _("Valid context keys.")}


def _preview(editor: iam_forms.Editor) -> str:
    """The editor's text, highlighted, with the line of a syntax error marked."""
    if editor.empty or len(editor.text) > iam_forms.MAX_EDITOR_CHARS:
        return ""
    line = editor.error.line if editor.error else None
    formatter = HtmlFormatter(cssclass="highlight", hl_lines=[line] if line else [], wrapcode=True)
    return highlight(editor.text, JsonLexer(), formatter)


# -- the flowchart, as boxes and edges for the template's SVG

ROW, BOX_H, STEP_X, STEP_W, FINAL_X, FINAL_W, TOP = 62, 44, 40, 260, 380, 170, 12


def _row_y(row: int) -> int:
    return TOP + row * ROW


def flowchart(result: Result) -> dict[str, Any]:
    """Geometry of AWS's evaluation flowchart with the path ``result`` took marked ``lit``."""
    taken = {step["step"]: step["outcome"] for step in result.trace}
    last = result.trace[-1]["step"] if result.trace else None
    boxes, edges = [], []
    mid = STEP_X + STEP_W // 2
    for row, step in enumerate(STEPS):
        y = _row_y(row)
        outcome = taken.get(step)
        boxes.append(
            {
                "id": f"flow-{step}",
                "kind": "step",
                "x": STEP_X,
                "y": y,
                "w": STEP_W,
                "h": BOX_H,
                "label": f"{row + 1}. {STEP_LABELS[step]}",
                "sub": _outcome_label(step, outcome) if outcome else _("not reached"),
                "lit": outcome is not None,
                "outcome": outcome or "not-reached",
            }
        )
        if row:
            edges.append(
                {
                    "id": f"edge-to-{step}",
                    "d": f"M{mid},{y - ROW + BOX_H} V{y}",
                    "lit": outcome is not None,
                }
            )
        stops = outcome in ("deny", "implicit-deny")
        label = _("Deny") if step == "explicit-deny" else _("No")
        edges.append(
            {
                "id": f"edge-{step}-stop",
                "d": f"M{STEP_X + STEP_W},{y + BOX_H // 2} H{FINAL_X}",
                "lit": stops,
                "label": label,
                "lx": STEP_X + STEP_W + 8,
                "ly": y + BOX_H // 2 - 6,
            }
        )
    allow_y = _row_y(len(STEPS))
    rp_y = _row_y(STEPS.index("resource-policy")) + BOX_H // 2
    edges.append(
        {
            "id": "edge-session-allow",
            "d": f"M{mid},{allow_y - ROW + BOX_H} V{allow_y}",
            "lit": result.decision == ALLOW and last == "session",
        }
    )
    edges.append(
        {
            "id": "edge-resource-policy-allow",
            "d": f"M{STEP_X},{rp_y} H{STEP_X - 22} V{allow_y + BOX_H // 2} H{STEP_X}",
            "lit": taken.get("resource-policy") == "allow",
            "label": _("Allows"),
            "lx": 2,
            "ly": rp_y - 8,
        }
    )
    implicit_top = _row_y(1)
    finals = [
        (EXPLICIT_DENY, FINAL_X, _row_y(0), FINAL_W, BOX_H),
        (
            IMPLICIT_DENY,
            FINAL_X,
            implicit_top,
            FINAL_W,
            _row_y(len(STEPS) - 1) + BOX_H - implicit_top,
        ),
        (ALLOW, STEP_X, allow_y, STEP_W, BOX_H),
    ]
    for decision, x, y, w, h in finals:
        boxes.append(
            {
                "id": f"flow-final-{decision}",
                "kind": "final",
                "x": x,
                "y": y,
                "w": w,
                "h": h,
                "label": DECISION_LABELS[decision],
                "sub": "",
                "lit": result.decision == decision,
                "outcome": decision,
            }
        )
    for box in boxes:
        box["tx"] = box["x"] + box["w"] // 2
        box["ty"] = box["y"] + box["h"] // 2 + (-4 if box["sub"] else 5)
    return {
        "width": FINAL_X + FINAL_W + 10,
        "height": allow_y + BOX_H + TOP,
        "boxes": boxes,
        "edges": edges,
        "decision": DECISION_LABELS[result.decision],
    }
