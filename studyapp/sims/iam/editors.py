"""One policy editor of the IAM simulator: its text, parsed into policies, with the error
(and where it is) or the linter's warnings; and the size caps every editor shares."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from studyapp.engines.iam import Policy, PolicyError, parse_policy

from . import actions as catalogue


def load_json(text: str) -> Any:
    """JSON text, or PolicyError with the line and column of a syntax error (as the engine
    reports errors in policies, so that the editors show both alike)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PolicyError(f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise PolicyError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise PolicyError(f"invalid JSON: {exc}") from None


# AWS's own limits are smaller (a role's inline policies: 10,240 characters; 5 SCPs per
# entity; root + 5 OU levels + account); these leave room to experiment and no more.
MAX_EDITOR_CHARS = 20_000
MAX_TOTAL_CHARS = 120_000
MAX_IDENTITY_POLICIES = 10
MAX_LEVELS = 7
MAX_POLICIES_PER_LEVEL = 5
MAX_FIELD_CHARS = 2_048
MAX_CONTEXT_CHARS = 5_000
MAX_CONTEXT_KEYS = 50

SINGLE_EDITORS = {
    "resource_policy": "resource",
    "boundary": "boundary",
    "session_policy": "session",
}
LIST_GROUPS = {"identity": MAX_IDENTITY_POLICIES, "scp": MAX_LEVELS, "rcp": MAX_LEVELS}
MIN_SHOWN = {"identity": 1, "scp": 3, "rcp": 1}
TEXT_FIELDS = ("principal", "action", "resource", "resource_account")


@dataclass(frozen=True)
class Problem:
    """Why the form cannot be evaluated, and where."""

    field: str  # the form field, or "" for the whole form
    label: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str | None = None

    @classmethod
    def from_error(cls, name: str, label: str, exc: PolicyError) -> Problem:
        return cls(name, label, exc.message, exc.line, exc.column, exc.path or None)

    @property
    def location(self) -> str:
        if self.line is not None:
            return _("line %(line)s, column %(column)s") % {
                "line": self.line,
                "column": self.column,
            }
        return self.path or ""

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"{self.label}: {self.message}{where}"


@dataclass
class Editor:
    """One policy textarea, with what checking its text found."""

    group: str  # "identity", "resource_policy", "boundary", "session_policy", "scp", "rcp"
    index: int  # place in its group (0 for the single editors)
    count: int  # how many editors its group shows (levels are labelled by position)
    text: str = ""
    error: Problem | None = None
    warnings: list[dict[str, str]] = field(default_factory=list)
    statements: int = 0
    autofocus: bool = False
    preview: str = ""  # the text highlighted, where the page shows it (see board.preview)
    policies: list[Policy] = field(default_factory=list, init=False, repr=False)

    @property
    def name(self) -> str:
        return self.group if self.group in SINGLE_EDITORS else f"{self.group}_{self.index}"

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def kind(self) -> str:
        return SINGLE_EDITORS.get(self.group, self.group)

    @property
    def is_level(self) -> bool:
        return self.group in ("scp", "rcp")

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def rows(self) -> int:
        """Tall enough for the text, within reason."""
        return min(max(self.text.count("\n") + 2, 4), 24)

    @property
    def label(self) -> str:
        n = self.index + 1
        if self.group == "identity":
            return _("Identity-based policy %(n)s") % {"n": n}
        if self.group == "resource_policy":
            return _("Resource-based policy")
        if self.group == "boundary":
            return _("Permissions boundary")
        if self.group == "session_policy":
            return _("Session policy")
        if self.index == 0:
            where = _("root")
        elif self.index == self.count - 1 and self.count >= 3:
            where = _("account")
        else:
            where = _("OU")
        if self.group == "scp":
            return _("SCPs, level %(n)s (%(where)s)") % {"n": n, "where": where}
        return _("RCPs, level %(n)s (%(where)s)") % {"n": n, "where": where}

    def check(self, names: list[str] | None = None) -> list[Any]:
        """Parse the text; set ``error`` / ``warnings``; return the JSON of each policy."""
        self.error, self.warnings, self.statements, self.policies = None, [], 0, []
        text = self.text  # not stripped: error lines must match the editor's
        if self.empty:
            return []
        if len(text) > MAX_EDITOR_CHARS:
            self.error = Problem(
                self.name,
                self.label,
                _("too long: %(size)s characters, at most %(max)s")
                % {"size": len(text), "max": MAX_EDITOR_CHARS},
            )
            return []
        try:
            data = load_json(text)
            items = data if self.is_level and isinstance(data, list) else [data]
            if self.is_level and not items:
                raise PolicyError(_("a level needs at least one policy"), path="")
            if len(items) > MAX_POLICIES_PER_LEVEL:
                raise PolicyError(
                    _("at most %(max)s policies per level") % {"max": MAX_POLICIES_PER_LEVEL},
                    path="",
                )
            for j, item in enumerate(items):
                prefix = f"[{j}]" if items is data else ""
                try:
                    name = names[j] if names else self.name
                    policy = parse_policy(item, self.kind, name)
                except PolicyError as exc:
                    raise (exc.with_prefix(prefix) if prefix else exc) from None
                self.statements += len(policy.statements)
                found_here = [w.to_dict() for w in policy.warnings]
                found_here += catalogue.warnings(policy.document)
                for found in found_here:
                    if prefix:
                        found["path"] = f"{prefix}.{found['path']}"
                    self.warnings.append(found)
                self.policies.append(policy)
        except PolicyError as exc:
            self.error = Problem.from_error(self.name, self.label, exc)
        except RecursionError:  # json and the engine give up on absurdly deep nesting
            self.error = Problem(self.name, self.label, _("nested too deeply"))
        else:
            return items
        self.policies = []
        return []


def parse_context(text: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """The context keys typed as a JSON object (None when blank), or the problem with them."""
    if not text.strip():
        return None, None
    label = _("Context keys")
    if len(text) > MAX_CONTEXT_CHARS:
        message = _("at most %(max)s characters") % {"max": MAX_CONTEXT_CHARS}
        return None, Problem("context", label, message)
    try:
        data = load_json(text)
    except PolicyError as exc:
        return None, Problem.from_error("context", label, exc)
    except RecursionError:
        return None, Problem("context", label, _("nested too deeply"))
    if not isinstance(data, dict):
        message = _('a JSON object of condition keys, like {"aws:SourceIp": "203.0.113.7"}')
        return None, Problem("context", label, message)
    if len(data) > MAX_CONTEXT_KEYS:
        message = _("at most %(max)s keys") % {"max": MAX_CONTEXT_KEYS}
        return None, Problem("context", label, message)
    return data, None


def check_editor(name: str, text: str) -> Editor | None:
    """Check one editor's text on its own (inline validation); None for an unknown field."""
    if name in SINGLE_EDITORS:
        editor = Editor(name, 0, 1, text)
    else:
        m = re.fullmatch(r"(identity|scp|rcp)_(\d{1,3})", name)
        if not m or int(m[2]) >= LIST_GROUPS[m[1]]:
            return None
        editor = Editor(m[1], int(m[2]), max(int(m[2]) + 1, MIN_SHOWN[m[1]]), text)
    editor.check()
    return editor
