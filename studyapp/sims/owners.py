"""Who a simulator's state belongs to: a signed-in learner, or an anonymous visitor (a random
id kept in their session). A visitor who signs in keeps what they did, unless their account
has its own."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from studyapp.http import client_address

from .models import SimulatorState

VISITOR_KEY = "sims:visitor"
# Where simulators kept their whole state before it moved to the database.
LEGACY_SESSION_KEYS = ("sims_sqs", "sims:kinesis")


@dataclass(frozen=True)
class Owner:
    user_id: int | None
    visitor: str = ""
    address: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    def rows(self) -> QuerySet[SimulatorState]:
        if self.user_id is not None:
            return SimulatorState.objects.filter(user_id=self.user_id)
        return SimulatorState.objects.filter(user=None, visitor=self.visitor)


def owner_of(request, *, create: bool = False) -> Owner | None:
    """Who the request's simulators belong to; None for a visitor with nothing stored
    (unless ``create``: then the visitor gets an id in their session)."""
    session = request.session
    for key in LEGACY_SESSION_KEYS:
        session.pop(key, None)
    visitor = session.get(VISITOR_KEY)
    if request.user.is_authenticated:
        if visitor:
            _adopt(request.user.pk, str(visitor))
            del session[VISITOR_KEY]
        return Owner(request.user.pk)
    if not isinstance(visitor, str) or not visitor:
        if not create:
            return None
        visitor = secrets.token_urlsafe(24)
        session[VISITOR_KEY] = visitor
    return Owner(None, visitor, client_address(request))


def _adopt(user_id: int, visitor: str) -> None:
    """A visitor who signs in keeps what they did, unless their account has its own."""
    with transaction.atomic():
        theirs = SimulatorState.objects.filter(user=None, visitor=visitor)
        mine = SimulatorState.objects.filter(user_id=user_id).values("simulator")
        theirs.filter(simulator__in=mine).delete()
        theirs.update(user_id=user_id, visitor="", address=None)
