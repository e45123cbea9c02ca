"""The IAM simulator's service: presets and share links become the form, the engine decides.

Nothing is stored: a scenario lives in the page's form, in a preset file, or in a share link
(``?s=``: the scenario as compact JSON, deflated, in URL-safe base64). A link must fit what
web servers accept in a request line (gunicorn: 4,094 bytes), so no link longer than
MAX_SHARE_URL characters is made; the page says why instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from .. import presets
from .editors import MAX_IDENTITY_POLICIES, MAX_LEVELS, SINGLE_EDITORS
from .forms import ScenarioForm

PRESETS = presets.IAM
MAX_SHARE_URL = 2_000  # characters of a whole share link made by the page
MAX_SHARE_CHARS = 16_000  # of a ?s= token read; longer ones never reach the app anyway
MAX_SHARE_BYTES = 200_000  # the token inflated; stops zip bombs
# The scenario document (see studyapp.engines.iam.scenario), and what presets add for people.
SCENARIO_KEYS = frozenset(
    {
        "principal",
        "identity_policies",
        "resource_policy",
        "boundary",
        "session_policy",
        "scps",
        "rcps",
        "request",
        "resource_account",
    }
)
NOTE_KEYS = frozenset({"id", "title", "description", "expected", "source", "reason", "teaches"})


class ShareError(ValueError):
    """A share link or preset that cannot be read; ``message`` says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fields_from_scenario(data: object) -> dict[str, str]:
    """The form fields that show a scenario document; ShareError if it has the wrong shape."""
    if not isinstance(data, dict):
        raise ShareError(_("The scenario is not a JSON object."))
    unknown = sorted(set(data) - SCENARIO_KEYS - NOTE_KEYS)
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


# -- share links


def share_token(scenario: Mapping[str, Any]) -> str:
    """The ``?s=`` value for a scenario: compact JSON, deflated, URL-safe base64."""
    raw = json.dumps(scenario, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def share_link(page_url: str, scenario: Mapping[str, Any]) -> tuple[str, str]:
    """(the link to the page with the scenario, "") or ("", why there is none)."""
    link = f"{page_url}?s={share_token(scenario)}"
    if len(link) > MAX_SHARE_URL:
        return "", _(
            "This scenario is too large to share as a link: it would take %(n)s characters, "
            "and links longer than %(max)s characters are refused by web servers. Share fewer "
            "or shorter policies."
        ) % {"n": f"{len(link):,}", "max": f"{MAX_SHARE_URL:,}"}
    return link, ""


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


def from_preset(preset: presets.Preset) -> ScenarioForm:
    """The form holding a preset; ShareError if the preset does not fit the form."""
    try:
        return ScenarioForm(fields_from_scenario(preset.data), preset=preset.name)
    except RecursionError:
        raise ShareError(_("That preset could not be read.")) from None


def expected(form: ScenarioForm) -> str:
    """The decision a preset documents, while the editors still hold that preset."""
    if not form.preset:
        return ""
    try:
        preset = presets.load(PRESETS, form.preset)
        original = from_preset(preset).scenario
    except (presets.PresetNotFound, presets.PresetError, ShareError):
        return ""
    return preset.data.get("expected", "") if original == form.scenario else ""
