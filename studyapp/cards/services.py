"""Writes that touch several models: recording and undoing reviews, learner settings."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import aggregates, scheduling
from .models import Card, CardState, LearnerSettings, ReviewLog


class ReviewError(Exception):
    """A review that cannot be recorded (unknown card, stale form); shown as a 4xx."""


@dataclass
class Recorded:
    log: ReviewLog
    created: bool


def learner_settings(user) -> LearnerSettings:
    settings, _created = LearnerSettings.objects.get_or_create(user=user)
    return settings


def review_key(user_id: int, card_id: int, state: CardState | None) -> str:
    """The key the review page gives a card it shows: the same card in the same state gives
    the same key (a second submit is a duplicate), and only the server can make one (an HMAC),
    so a card the learner was never shown cannot be graded."""
    reps = state.reps if state else 0
    message = f"review:{user_id}:{card_id}:{reps}".encode()
    digest = hmac.new(django_settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]
    return f"{card_id}:{reps}:{digest}"


@transaction.atomic
def review_record(
    *,
    user,
    card: Card,
    rating: int,
    key: str,
    now: datetime | None = None,
    duration_ms: int | None = None,
) -> Recorded:
    """Grade a card once: update the learner's FSRS state and append a review log."""
    if rating not in ReviewLog.Rating.values:
        raise ReviewError("rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
    now = now or scheduling.now_utc()
    existing = ReviewLog.objects.filter(user=user, idempotency_key=key).first()
    if existing is not None:
        return Recorded(existing, created=False)
    state = CardState.objects.select_for_update().filter(user=user, card=card).first()
    if not hmac.compare_digest(key.encode(), review_key(user.pk, card.pk, state).encode()):
        raise ReviewError("this card was already graded (the page was out of date)")
    scheduler = scheduling.scheduler_for(learner_settings(user))
    outcome = scheduling.schedule(
        scheduler, state, card_id=card.pk, user_id=user.pk, rating=rating, now=now
    )
    log = ReviewLog(
        user=user,
        card=card,
        rating=rating,
        reviewed_at=now,
        review_day=timezone.localdate(now),
        duration_ms=duration_ms,
        state_before=state.state if state else None,
        elapsed_days=scheduling.elapsed_days(state, now),
        scheduled_days=outcome.interval.total_seconds() / 86400,
        before=scheduling.snapshot(state),
        idempotency_key=key,
    )
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        # Another request recorded this very review a moment ago.
        return Recorded(ReviewLog.objects.get(user=user, idempotency_key=key), created=False)
    aggregates.review_counted(log, +1)
    values = scheduling.state_after(outcome.card, state, rating)
    if state is None:
        CardState.objects.create(user=user, card=card, **values)
    else:
        for name, value in values.items():
            setattr(state, name, value)
        state.save()
    return Recorded(log, created=True)


@transaction.atomic
def review_undo(*, user) -> ReviewLog | None:
    """Take back the learner's last review: the card returns to its state before it."""
    log = (
        ReviewLog.objects.select_for_update()
        .filter(user=user)
        .order_by("-reviewed_at", "-pk")
        .first()
    )
    if log is None:
        return None
    if log.before is None:
        CardState.objects.filter(user=user, card_id=log.card_id).delete()
    else:
        state = CardState.objects.get(user=user, card_id=log.card_id)
        scheduling.restore(state, log.before)
        state.save()
    aggregates.review_counted(log, -1)
    log.delete()
    return log


def settings_update(*, user, desired_retention: float, new_per_day: int, reviews_per_day: int):
    settings = learner_settings(user)
    settings.desired_retention = desired_retention
    settings.new_per_day = new_per_day
    settings.reviews_per_day = reviews_per_day
    settings.full_clean()
    settings.save()
    return settings
