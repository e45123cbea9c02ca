"""One SDK call on the key owner's simulation: what every service's translator shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from studyapp.sims import state

from .errors import Service, error_for


def actor(key_id: str) -> str:
    """How the simulator's event log names a call made with this key."""
    return _("SDK %(key)s") % {"key": key_id}


def on_simulation(owner: state.Owner, kind: type, service: Service, run: Callable[[Any], Any]):
    """``run(simulation)`` on the owner's simulation, under its row lock, saved after. A
    refusal (a simulator cap, or the learner's storage budget) changes nothing and becomes the
    service's over-limit error."""
    try:
        with state.edit(owner, kind) as opened:
            try:
                return run(opened.simulation)
            except state.Refused:
                opened.nothing_changed()
                raise
    except state.Refused as refused:
        raise error_for(service, "over-limit", str(refused)) from None
