"""The IAM simulator's form: editor texts in, the engine's scenario out (with size caps).

Every way a scenario arrives (a POSTed form, a preset file, a share link) ends here as the
flat field dict a browser would POST, so all are checked exactly like typed input.

Field names: ``identity_<n>``, ``resource_policy``, ``boundary``, ``session_policy``,
``scp_<level>`` and ``rcp_<level>`` (a level holds one policy, or a JSON list of the policies
attached there), ``principal``, ``action``, ``resource``, ``resource_account``, ``context``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from studyapp.engines.iam import PolicyError, PolicySet, Request, Scenario

from . import actions as catalogue
from .editors import (
    LIST_GROUPS,
    MAX_FIELD_CHARS,
    MAX_POLICIES_PER_LEVEL,
    MAX_TOTAL_CHARS,
    MIN_SHOWN,
    SINGLE_EDITORS,
    TEXT_FIELDS,
    Editor,
    Problem,
    parse_context,
)

_ACCOUNT = re.compile(r"\d{12}")


def _indexed(data: Mapping[str, str], group: str) -> list[str]:
    """The texts of ``<group>_<n>`` fields, in order of n."""
    pattern = re.compile(rf"{group}_(\d{{1,3}})")
    found = []
    for key in data:
        m = pattern.fullmatch(key)
        if m:
            found.append((int(m[1]), data.get(key) or ""))
    return [text for _n, text in sorted(found)]


class ScenarioForm:
    """The simulator's form, bound to field values; ``scenario`` is the engine's input."""

    def __init__(self, data: Mapping[str, str] | None = None, *, preset: str = "") -> None:
        data = data or {}
        self.problems: list[Problem] = []
        self.preset = preset or _text_value(data.get("preset"))[:100]
        self.groups: dict[str, list[Editor]] = {}
        total = 0
        for group, cap in LIST_GROUPS.items():
            texts = [str(t) for t in _indexed(data, group)]
            if len(texts) > cap:
                self.problems.append(
                    Problem("", _label_of_group(group), _("at most %(max)s") % {"max": cap})
                )
                texts = texts[:cap]
            shown = max(len(texts), MIN_SHOWN[group])
            texts += [""] * (shown - len(texts))
            self.groups[group] = [Editor(group, i, shown, text) for i, text in enumerate(texts)]
            total += sum(len(t) for t in texts)
        for group in SINGLE_EDITORS:
            text = str(data.get(group) or "")
            self.groups[group] = [Editor(group, 0, 1, text)]
            total += len(text)
        self.fields = {name: _text_value(data.get(name)).strip() for name in TEXT_FIELDS}
        self.context_text = _text_value(data.get("context"))
        total += len(self.context_text) + sum(len(v) for v in self.fields.values())
        self.scenario: dict[str, Any] | None = None
        self.compiled: Scenario | None = None
        self.policy_editors: dict[str, Editor] = {}
        if total > MAX_TOTAL_CHARS:
            self.problems.append(
                Problem(
                    "",
                    _("Scenario"),
                    _("too large: %(size)s characters in all, at most %(max)s")
                    % {"size": total, "max": MAX_TOTAL_CHARS},
                )
            )
            return
        self._parse()

    # -- editors, for the template
    @property
    def identity(self) -> list[Editor]:
        return self.groups["identity"]

    @property
    def scps(self) -> list[Editor]:
        return self.groups["scp"]

    @property
    def rcps(self) -> list[Editor]:
        return self.groups["rcp"]

    @property
    def resource_policy(self) -> Editor:
        return self.groups["resource_policy"][0]

    @property
    def boundary(self) -> Editor:
        return self.groups["boundary"][0]

    @property
    def session_policy(self) -> Editor:
        return self.groups["session_policy"][0]

    @property
    def editors(self) -> list[Editor]:
        """Every editor, in the page's order."""
        return [
            *self.identity,
            self.resource_policy,
            self.boundary,
            self.session_policy,
            *self.scps,
            *self.rcps,
        ]

    @property
    def field_checks(self) -> dict[str, dict[str, Any]]:
        """What to say beside each request field: its problem, and for the action a warning
        when AWS's catalogue has no such action."""
        problems = {p.field: p for p in self.problems if p.field in TEXT_FIELDS}
        checks = {name: {"name": name, "problem": problems.get(name)} for name in TEXT_FIELDS}
        action = self.fields["action"]
        checks["action"]["warning"] = catalogue.problem(action) if action else ""
        return checks

    @property
    def has_org_policies(self) -> bool:
        return any(not e.empty for e in self.scps + self.rcps)

    @property
    def is_valid(self) -> bool:
        return not self.problems and self.compiled is not None

    def can_add(self, group: str) -> bool:
        return group in LIST_GROUPS and len(self.groups[group]) < LIST_GROUPS[group]

    @property
    def addable(self) -> dict[str, bool]:
        return {group: self.can_add(group) for group in LIST_GROUPS}

    def add_editor(self, group: str) -> None:
        """Show one more (empty) editor in a list group, up to its cap."""
        if not self.can_add(group):
            return
        editors = self.groups[group]
        count = len(editors) + 1
        for editor in editors:
            editor.count = count
        editors.append(Editor(group, len(editors), count, autofocus=True))

    # -- parsing
    def _parse(self) -> None:
        scenario: dict[str, Any] = {}
        identity = []
        for editor in self.identity:
            if editor.empty:
                continue
            name = f"identity_policies[{len(identity)}]"
            identity += editor.check([name])
            self._note(editor)
        for group, key in (("scp", "scps"), ("rcp", "rcps")):
            levels = []
            for editor in self.groups[group]:
                if editor.empty:
                    continue
                names = [f"{key}[{len(levels)}][{j}]" for j in range(MAX_POLICIES_PER_LEVEL)]
                items = editor.check(names)
                self._note(editor)
                if items:
                    levels.append(items)
            if levels:
                scenario[key] = levels
        for group in SINGLE_EDITORS:
            editor = self.groups[group][0]
            items = editor.check([group])
            self._note(editor)
            if items:
                scenario[group] = items[0]
        context = self._context()
        for name, label in (
            ("principal", _("Principal ARN")),
            ("action", _("Action")),
            ("resource", _("Resource ARN")),
        ):
            value = self.fields[name]
            if not value:
                self.problems.append(Problem(name, label, _("required")))
            elif len(value) > MAX_FIELD_CHARS:
                self.problems.append(
                    Problem(name, label, _("at most %(max)s characters") % {"max": MAX_FIELD_CHARS})
                )
        account = self.fields["resource_account"]
        if account and not _ACCOUNT.fullmatch(account):
            self.problems.append(
                Problem("resource_account", _("Resource account"), _("a 12-digit account id"))
            )
        if self.problems:
            return
        scenario = {
            "principal": self.fields["principal"],
            "identity_policies": identity,
            **scenario,
            "request": {
                "action": self.fields["action"],
                "resource": self.fields["resource"],
                "context": context or {},
            },
        }
        if account:
            scenario["resource_account"] = account
        try:
            request = Request.build(
                self.fields["principal"],
                self.fields["action"],
                self.fields["resource"],
                context or {},
                account or None,
            )
        except PolicyError as exc:
            name = {"request.action": "action", "request.resource": "resource"}.get(
                exc.path or "", "principal" if exc.path == "principal" else "context"
            )
            label = {
                "principal": _("Principal ARN"),
                "action": _("Action"),
                "resource": _("Resource ARN"),
            }.get(name, _("Context keys"))
            self.problems.append(Problem.from_error(name, label, exc))
            return
        self.compiled = Scenario(
            request,
            PolicySet(
                identity=tuple(p for e in self.identity for p in e.policies),
                resource=_first(self.resource_policy.policies),
                boundary=_first(self.boundary.policies),
                session=_first(self.session_policy.policies),
                scps=tuple(tuple(e.policies) for e in self.scps if e.policies),
                rcps=tuple(tuple(e.policies) for e in self.rcps if e.policies),
            ),
        )
        self.scenario = scenario

    def _note(self, editor: Editor) -> None:
        if editor.error is not None:
            self.problems.append(editor.error)
        for policy in editor.policies:
            self.policy_editors[policy.name] = editor

    def _context(self) -> dict[str, Any] | None:
        data, problem = parse_context(self.context_text)
        if problem:
            self.problems.append(problem)
        return data

    def evaluate(self):
        """The engine's Result (with warnings); only for a valid form."""
        assert self.compiled is not None
        return self.compiled.evaluate()


def _first(items: list[Any] | None) -> Any:
    return items[0] if items else None


def _text_value(value: object) -> str:
    return value if isinstance(value, str) else ""


def _label_of_group(group: str) -> str:
    return {
        "identity": _("Identity-based policies"),
        "scp": _("SCP levels"),
        "rcp": _("RCP levels"),
    }[group]
