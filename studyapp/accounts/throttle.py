"""Limits on guessable things: passwords, password resets, live-quiz join codes.

An attempt is counted before it is tried (an atomic increment of the current window's
row), so parallel requests cannot all slip under the limit; an attempt that succeeds is
given back, so only failures use up the allowance. A window's count and the one before it,
weighted by how much of it overlaps the last `window`, approximate a sliding window.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ThrottleCount


@dataclass(frozen=True)
class Limit:
    scope: str
    allowed: int
    window: timedelta


# Passwords: ten wrong ones lock the account for a while, whoever tries; fifty lock an address.
LOGIN_ACCOUNT = Limit("login-account", 10, timedelta(minutes=15))
LOGIN_ADDRESS = Limit("login-address", 50, timedelta(minutes=15))
RESET_ADDRESS = Limit("reset-address", 10, timedelta(hours=1))
RESET_EMAIL = Limit("reset-email", 3, timedelta(hours=1))
# Join codes: 1,000,000 of them. A class of 100 behind one NAT, each mistyping twice, fits in
# the allowance; an attacker at 300 wrong codes a day needs, with 1,000 games running at
# once, about 1,000,000 / 1,000 = 1,000 guesses on average: more than three days.
JOIN_ADDRESS = Limit("join-address", 300, timedelta(days=1))


@dataclass(frozen=True)
class Ticket:
    limit: Limit
    subject: str
    window: int
    allowed: bool
    retry_after: int  # seconds until the count falls under the limit, when refused


def _subject(limit: Limit, subject: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{limit.scope}:{subject}".encode(), hashlib.sha256).hexdigest()


def attempt(limit: Limit, subject: str, *, now: datetime | None = None) -> Ticket:
    """Count one attempt by `subject`; `allowed` is False once it is over the limit."""
    now = now or timezone.now()
    length = limit.window.total_seconds()
    position = now.timestamp() / length
    window = int(position)
    hashed = _subject(limit, subject)
    rows = ThrottleCount.objects.filter(scope=limit.scope, subject=hashed, window=window)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                ThrottleCount.objects.create(
                    scope=limit.scope, subject=hashed, window=window, count=1
                )
        except IntegrityError:  # another request created it first
            rows.update(count=F("count") + 1)
    current = rows.values_list("count", flat=True).first() or 0
    previous = (
        ThrottleCount.objects.filter(scope=limit.scope, subject=hashed, window=window - 1)
        .values_list("count", flat=True)
        .first()
        or 0
    )
    weight = 1 - (position - window)
    total = current + previous * weight
    allowed = total <= limit.allowed
    retry_after = 0 if allowed else math.ceil((1 - (position - window)) * length)
    return Ticket(limit, hashed, window, allowed, retry_after)


def give_back(ticket: Ticket) -> None:
    """An attempt that succeeded (or was never tried) does not count."""
    ThrottleCount.objects.filter(
        scope=ticket.limit.scope, subject=ticket.subject, window=ticket.window, count__gt=0
    ).update(count=F("count") - 1)


def forget_old(*, now: datetime | None = None) -> int:
    """Delete windows no limit looks at any more (run by `manage.py clear_expired`)."""
    now = now or timezone.now()
    deleted = 0
    for limit in (LOGIN_ACCOUNT, LOGIN_ADDRESS, RESET_ADDRESS, RESET_EMAIL, JOIN_ADDRESS):
        oldest = int(now.timestamp() / limit.window.total_seconds()) - 1
        deleted += ThrottleCount.objects.filter(scope=limit.scope, window__lt=oldest).delete()[0]
    return deleted
