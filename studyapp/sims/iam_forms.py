"""The IAM simulator's form: editor texts in, the engine's scenario out (with size caps).

One path for every way a scenario arrives: a POSTed form, a preset file, a share link. Presets
and share links are turned into the same flat field dict a browser would POST, then parsed
by ``ScenarioForm``, so they are checked exactly like typed input.

Field names: ``identity_<n>``, ``resource_policy``, ``boundary``, ``session_policy``,
``scp_<level>`` and ``rcp_<level>`` (a level holds one policy, or a JSON list of the policies
attached there), ``principal``, ``action``, ``resource``, ``resource_account``, ``context``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from studyapp.engines.iam import Policy, PolicyError, PolicySet, Request, Scenario, parse_policy
from studyapp.engines.iam.parse import load_json
from studyapp.engines.iam.scenario import INPUT_KEYS, META_KEYS

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
MAX_SHARE_CHARS = 16_000  # the ?s= token; URLs much longer than this break in some browsers
MAX_SHARE_BYTES = 200_000  # the token inflated; stops zip bombs

SINGLE_EDITORS = {
    "resource_policy": "resource",
    "boundary": "boundary",
    "session_policy": "session",
}
LIST_GROUPS = {"identity": MAX_IDENTITY_POLICIES, "scp": MAX_LEVELS, "rcp": MAX_LEVELS}
MIN_SHOWN = {"identity": 1, "scp": 3, "rcp": 1}
TEXT_FIELDS = ("principal", "action", "resource", "resource_account")
_ACCOUNT = re.compile(r"\d{12}")
_PRESET_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


class ShareError(ValueError):
    """A share link or preset that cannot be read; ``message`` says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
                for warning in policy.warnings:
                    found = warning.to_dict()
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


# -- presets and share links: both become the field dict a browser would POST


def fields_from_scenario(data: object) -> dict[str, str]:
    """The form fields that show a scenario document; ShareError if it has the wrong shape."""
    if not isinstance(data, dict):
        raise ShareError(_("The scenario is not a JSON object."))
    unknown = sorted(set(data) - INPUT_KEYS - META_KEYS)
    if unknown:
        raise ShareError(_("Unknown key in the scenario: %(key)s") % {"key": unknown[0]})
    fields: dict[str, str] = {}
    for key in ("principal", "resource_account"):
        fields[key] = _scalar(data.get(key), key)
    identity = data.get("identity_policies") or []
    if not isinstance(identity, list) or len(identity) > MAX_IDENTITY_POLICIES:
        raise ShareError(
            _("identity_policies must be a list of at most %(max)s policies")
            % {"max": MAX_IDENTITY_POLICIES}
        )
    for i, policy in enumerate(identity):
        fields[f"identity_{i}"] = _policy_text(policy)
    for key in SINGLE_EDITORS:
        if data.get(key) is not None:
            fields[key] = _policy_text(data[key])
    for group, key in (("scp", "scps"), ("rcp", "rcps")):
        levels = data.get(key) or []
        if not isinstance(levels, list) or len(levels) > MAX_LEVELS:
            raise ShareError(
                _("%(key)s must be a list of at most %(max)s levels")
                % {"key": key, "max": MAX_LEVELS}
            )
        for i, level in enumerate(levels):
            if isinstance(level, list) and len(level) == 1:
                level = level[0]
            fields[f"{group}_{i}"] = _policy_text(level)
    request = data.get("request") or {}
    if not isinstance(request, dict):
        raise ShareError(_("request must be a JSON object"))
    fields["action"] = _scalar(request.get("action"), "request.action")
    fields["resource"] = _scalar(request.get("resource"), "request.resource")
    context = request.get("context")
    fields["context"] = json.dumps(context, indent=2, ensure_ascii=False) if context else ""
    return fields


def _scalar(value: object, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ShareError(_("%(key)s must be a string") % {"key": key})
    return value


def _policy_text(policy: object) -> str:
    if isinstance(policy, str):
        return policy
    if isinstance(policy, dict | list):
        return json.dumps(policy, indent=2, ensure_ascii=False)
    raise ShareError(_("A policy must be a JSON object."))


def share_token(scenario: Mapping[str, Any]) -> str | None:
    """The ``?s=`` value for a scenario: compact JSON, deflated, URL-safe base64; None if too long."""
    raw = json.dumps(scenario, separators=(",", ":"), ensure_ascii=False).encode()
    token = base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")
    return token if len(token) <= MAX_SHARE_CHARS else None


def read_share_token(token: str) -> dict[str, Any]:
    """The scenario a ``?s=`` value holds; ShareError for anything damaged or oversized."""
    damaged = _("This share link is damaged or incomplete; ask for the link again.")
    if len(token) > MAX_SHARE_CHARS:
        raise ShareError(_("This share link is too long."))
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_SHARE_BYTES)
        if inflater.unconsumed_tail:
            raise ShareError(_("This share link holds too large a scenario."))
        if not inflater.eof:
            raise ShareError(damaged)
        data = json.loads(raw.decode())
    except (binascii.Error, ValueError, zlib.error, RecursionError):
        # ValueError covers bad base64 characters, UnicodeDecodeError and JSONDecodeError.
        raise ShareError(damaged) from None
    if not isinstance(data, dict):
        raise ShareError(damaged)
    return data


def from_share(token: str) -> ScenarioForm:
    try:
        return ScenarioForm(fields_from_scenario(read_share_token(token)))
    except RecursionError:
        raise ShareError(_("This share link holds a scenario nested too deeply.")) from None


# -- presets: content/scenarios/iam/<name>.json


def preset_dir() -> Path:
    return Path(settings.CONTENT_DIR) / "scenarios" / "iam"


def preset_names() -> list[str]:
    folder = preset_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if _PRESET_NAME.fullmatch(p.stem))


def load_preset(name: str) -> dict[str, Any] | None:
    """A preset by name (only names of files in the folder are accepted); None if unknown."""
    if name not in preset_names():
        return None
    data = json.loads((preset_dir() / f"{name}.json").read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def presets() -> list[dict[str, str]]:
    """Name and title of every preset, for the picker."""
    found = []
    for name in preset_names():
        data = load_preset(name) or {}
        found.append({"name": name, "title": str(data.get("title") or name)})
    return found


def from_preset(name: str, data: Mapping[str, Any]) -> ScenarioForm:
    return ScenarioForm(fields_from_scenario(dict(data)), preset=name)
