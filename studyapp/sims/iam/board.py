"""The IAM simulator page's view-model: the decision with its labels, the steps taken, and
the geometry of AWS's evaluation flowchart with the path lit, as plain values."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import JsonLexer

from studyapp.engines.iam import ALLOW, EXPLICIT_DENY, IMPLICIT_DENY, STEPS, Result

from .editors import MAX_EDITOR_CHARS, Editor, parse_context
from .forms import ScenarioForm

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


def result(form: ScenarioForm, outcome: Result) -> dict[str, Any]:
    """What the page shows of an evaluation (the share link aside)."""
    return {
        "result": outcome,
        "decision_label": DECISION_LABELS[outcome.decision],
        "decision_summary": DECISION_SUMMARIES[outcome.decision],
        "deciding": [_statement(form, ref) for ref in outcome.deciding],
        "steps": _steps(form, outcome),
        "flow": flowchart(outcome),
        "warnings": outcome.warnings,
    }


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


def context_check(text: str) -> dict[str, Any]:
    data, problem = parse_context(text)
    if data is None and problem is None:
        return {"ok": True, "message": ""}
    if problem:
        return {"ok": False, "message": problem.message, "location": problem.location}
    return {"ok": True, "message": _("Valid context keys.")}


def preview(editor: Editor) -> str:
    """The editor's text, highlighted, with the line of a syntax error marked."""
    if editor.empty or len(editor.text) > MAX_EDITOR_CHARS:
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
