"""How a question's options are shown, so that nothing on the page tells which one is right.

An option is sent and read back by its place on the screen (1, 2, 3, ...), never by its
database id: ids follow the authored order, and authors often write the right answer first.
The order itself is random: a mock exam or a live game stores the order it drew; a practice
question derives it from the form's one-time token (an HMAC with the site's secret), so the
same showing always has the same order: after an empty submit, and on its result page.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext as _


class SelectionError(ValueError):
    """The submitted places do not name options of this showing (a tampered form)."""


def practice_order(choices: Sequence, token: str) -> list:
    """The options of one practice showing, in the order that token's HMACs give."""
    key = settings.SECRET_KEY.encode()

    def rank(choice) -> bytes:
        return hmac.new(key, f"practice:{token}:{choice.pk}".encode(), hashlib.sha256).digest()

    return sorted(choices, key=rank)


def ordered(choices: Sequence, order: Sequence[int]) -> list:
    """The options in a stored order of ids (a mock exam's or a live game's draw)."""
    by_id = {choice.pk: choice for choice in choices}
    return [by_id[pk] for pk in order if pk in by_id]


def selected_ids(values: Sequence[str], shown: Sequence) -> list[int]:
    """Map the places a learner picked (`"1"`, `"3"`) back to option ids."""
    picked: list[int] = []
    for value in values:
        if not (value.isdecimal() and len(value) <= 2 and 1 <= int(value) <= len(shown)):
            raise SelectionError(_("that answer could not be read"))
        pk = shown[int(value) - 1].pk
        if pk in picked:
            raise SelectionError(_("that answer could not be read"))
        picked.append(pk)
    return picked


def places(selected: Sequence[int], shown: Sequence) -> set[int]:
    """The places (1-based) of selected option ids in a showing: to tick them again."""
    chosen = set(selected)
    return {place for place, choice in enumerate(shown, start=1) if choice.pk in chosen}
