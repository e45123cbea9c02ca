"""FSRS scheduling through the `fsrs` package: conversion to and from our rows, previews.

Fuzz is on, as FSRS recommends, but seeded per learner, card and repetition: the interval a
grade button shows is exactly the one that grade then gives.
"""

from __future__ import annotations

import math
import random
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs
import fsrs.scheduler
from django.db.models import Expression, F, FloatField, Func, Value
from django.db.models.functions import Floor, Greatest, Power

from .models import CardState, LearnerSettings

LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
RELEARNING_STEPS = (timedelta(minutes=10),)
RATINGS = [fsrs.Rating.Again, fsrs.Rating.Hard, fsrs.Rating.Good, fsrs.Rating.Easy]

_fuzz_lock = threading.Lock()


def scheduler_for(settings: LearnerSettings | None) -> fsrs.Scheduler:
    retention = settings.desired_retention if settings else 0.90
    return fsrs.Scheduler(
        desired_retention=retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        enable_fuzzing=True,
    )


@contextmanager
def seeded_fuzz(seed: str):
    """Make fsrs's fuzz draw from a generator seeded by `seed` (fsrs calls random.random())."""
    generator = random.Random(seed)
    with _fuzz_lock:
        original = fsrs.scheduler.random
        fsrs.scheduler.random = generator.random
        try:
            yield
        finally:
            fsrs.scheduler.random = original


def fuzz_seed(user_id: int, card_id: int, reps: int) -> str:
    return f"{user_id}:{card_id}:{reps}"


def to_fsrs(state: CardState | None, card_id: int) -> fsrs.Card:
    if state is None:
        return fsrs.Card(card_id=card_id)
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def snapshot(state: CardState | None) -> dict | None:
    """The fields of a state that a review changes, to restore them on undo."""
    if state is None:
        return None
    return {
        "state": state.state,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": state.due.isoformat(),
        "last_review": state.last_review.isoformat() if state.last_review else None,
        "reps": state.reps,
        "lapses": state.lapses,
    }


def restore(state: CardState, data: dict) -> None:
    state.state = data["state"]
    state.step = data["step"]
    state.stability = data["stability"]
    state.difficulty = data["difficulty"]
    state.due = datetime.fromisoformat(data["due"])
    state.last_review = datetime.fromisoformat(data["last_review"]) if data["last_review"] else None
    state.reps = data["reps"]
    state.lapses = data["lapses"]


@dataclass
class Outcome:
    card: fsrs.Card
    interval: timedelta


def schedule(
    scheduler: fsrs.Scheduler,
    state: CardState | None,
    *,
    card_id: int,
    user_id: int,
    rating: int,
    now: datetime,
) -> Outcome:
    reps = state.reps if state else 0
    with seeded_fuzz(fuzz_seed(user_id, card_id, reps)):
        card, _log = scheduler.review_card(to_fsrs(state, card_id), fsrs.Rating(rating), now)
    return Outcome(card=card, interval=card.due - now)


def preview(
    scheduler: fsrs.Scheduler, state: CardState | None, *, card_id: int, user_id: int, now: datetime
) -> dict[int, timedelta]:
    """The interval each grade would give now, keyed by rating value."""
    return {
        rating.value: schedule(
            scheduler, state, card_id=card_id, user_id=user_id, rating=rating.value, now=now
        ).interval
        for rating in RATINGS
    }


def retrievability(scheduler: fsrs.Scheduler, state: CardState, now: datetime) -> float:
    return scheduler.get_card_retrievability(to_fsrs(state, state.card_id), now)


def epoch_sql(vendor: str, sql: str) -> str:
    """Seconds since 1970 of the datetime that `sql` gives, in the SQL of `vendor` (SQLite
    or PostgreSQL): Epoch for querysets, and for the statements written out by hand."""
    if vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({sql})::timestamptz)::double precision"
    return f"((julianday({sql}) - 2440587.5) * 86400.0)"


class Epoch(Func):
    """Seconds since 1970 of a datetime (a column, or an ISO 8601 text), on SQLite and
    PostgreSQL: what the SQL form of retrievability needs to count elapsed days."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return epoch_sql("sqlite", sql), params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return epoch_sql("postgresql", sql), params


def retrievability_sql(
    now: datetime, *, stability: Expression | str = "stability", last_review="last_review"
) -> Expression:
    """`retrievability` as an SQL expression, so that a page can sum it over thousands of
    cards in the query: R = (1 + FACTOR * t / S) ** DECAY, t the whole days elapsed since the
    last review (as fsrs counts them), FACTOR and DECAY those of fsrs's default parameters
    (they do not depend on the desired retention). Rows without stability or last review
    give NULL, which SQL sums skip (fsrs says 0 for them)."""
    scheduler = scheduler_for(None)
    decay = -scheduler.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    stability = F(stability) if isinstance(stability, str) else stability
    last = F(last_review) if isinstance(last_review, str) else last_review

    def number(value: float) -> Value:
        return Value(value, output_field=FloatField())

    # A millisecond of slack absorbs the float error of SQLite's julianday at day boundaries.
    elapsed = (number(now.timestamp() + 0.001) - Epoch(last)) / number(86_400.0)
    days = Greatest(Floor(elapsed), number(0.0), output_field=FloatField())
    return Power(number(1.0) + number(factor) * days / stability, number(decay))


def format_interval(interval: timedelta) -> str:
    """Anki-style short interval: 45s, 10m, 3h, 2d, 1.3mo, 2.1y."""
    seconds = max(0.0, interval.total_seconds())
    if seconds < 60:
        return f"{round(seconds)}s"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def seconds_until(moment: datetime, now: datetime) -> int:
    """Whole seconds until `moment`, rounded up and at least 1: a card due in 0.2 s is not due."""
    return max(1, math.ceil((moment - now).total_seconds()))


def format_wait(seconds: int) -> str:
    """A countdown in unit symbols, which need no plural and no translation: 45 s, 4 min 5 s,
    1 h 10 min. Never "0": review.js counts down with the same format and stops at 1 s."""
    seconds = max(1, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    return f"{seconds} s"


def state_after(card: fsrs.Card, previous: CardState | None, rating: int) -> dict:
    lapses = previous.lapses if previous else 0
    if previous is not None and previous.state == CardState.State.REVIEW and rating == 1:
        lapses += 1
    return {
        "state": int(card.state.value),
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": card.due,
        "last_review": card.last_review,
        "reps": (previous.reps if previous else 0) + 1,
        "lapses": lapses,
    }


def elapsed_days(previous: CardState | None, now: datetime) -> float | None:
    if previous is None or previous.last_review is None:
        return None
    return (now - previous.last_review).total_seconds() / 86400


def now_utc() -> datetime:
    return datetime.now(UTC)
