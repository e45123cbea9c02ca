"""Writes of the readiness page: today's snapshot, and the forecasts set beside mock exams."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from studyapp.quizzes.models import ExamAttempt

from . import selectors
from .model import Prediction, predict
from .models import ExamForecast, Snapshot

# Forecasts computed per view for exams that have none yet (each is one evidence read):
# a learner's first visit after many exams catches up over a few visits, in bounded time.
FORECASTS_PER_VIEW = 2


def readiness_now(*, user, now: datetime) -> Prediction:
    """The prediction from everything the learner has done, recorded as today's snapshot."""
    prediction = predict(selectors.evidence(user, now))
    snapshot_record(user=user, prediction=prediction, now=now)
    return prediction


def snapshot_record(*, user, prediction: Prediction, now: datetime) -> None:
    """Keep the day's latest prediction (one row per learner and day); none without data."""
    if not prediction.enough:
        return
    day = timezone.localdate(now)
    values = {
        "score": prediction.score,
        "low": prediction.low,
        "high": prediction.high,
        "pass_probability": round(prediction.pass_probability, 4),
        "answers": prediction.answers,
        "tasks": {t.evidence.code: round(t.estimate, 4) for t in prediction.tasks},
        "computed_at": now,
    }
    if not Snapshot.objects.filter(user=user, day=day).update(**values):
        # Two first views of the day at once: one row wins, the other figure is as good.
        Snapshot.objects.bulk_create(
            [Snapshot(user=user, day=day, **values)], ignore_conflicts=True
        )


def forecast(*, user, attempt: ExamAttempt, now: datetime) -> ExamForecast:
    """What the model predicted from everything done before `attempt` started (unsaved)."""
    prediction = predict(selectors.evidence(user, now, at=attempt.started_at))
    return ExamForecast(
        attempt=attempt,
        user=user,
        score=prediction.score,
        low=prediction.low,
        high=prediction.high,
        pass_probability=prediction.pass_probability,
        answers=prediction.answers,
        computed_at=now,
    )


def forecasts_fill(
    *, user, now: datetime, shown: list[ExamAttempt], limit: int = FORECASTS_PER_VIEW
) -> int:
    """Forecast those of the exams the page shows (selectors.latest_exams) that have none
    yet; older ones are never shown, so never computed."""
    done = set(
        ExamForecast.objects.filter(attempt__in=[a.pk for a in shown]).values_list(
            "attempt_id", flat=True
        )
    )
    missing = [attempt for attempt in shown if attempt.pk not in done][:limit]
    made = [forecast(user=user, attempt=attempt, now=now) for attempt in missing]
    if made:
        ExamForecast.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)
