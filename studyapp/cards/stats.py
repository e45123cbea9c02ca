"""Memory statistics of one learner: activity, forecast, retention, states, retrievability."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from . import scheduling
from .models import Card, CardState, LearnerSettings, ReviewLog

MATURE_DAYS = 21


@dataclass
class Retention:
    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


def reviews_per_day(user, today: date, days: int = 365) -> dict[date, int]:
    rows = (
        ReviewLog.objects.filter(user=user, review_day__gt=today - timedelta(days=days))
        .values("review_day")
        .annotate(n=Count("pk"))
    )
    return {row["review_day"]: row["n"] for row in rows}


def due_forecast(user, now: datetime, days: int = 30) -> list[int]:
    """Cards due on each of the next `days` days; overdue cards count for today."""
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    rows = (
        CardState.objects.filter(user=user, due__lt=start + timedelta(days=days))
        .annotate(day=TruncDate("due"))
        .values("day")
        .annotate(n=Count("pk"))
    )
    counts = [0] * days
    for row in rows:
        index = max(0, (row["day"] - today).days)
        counts[index] += row["n"]
    return counts


def true_retention(user, since: date | None = None) -> Retention:
    """Pass rate of reviews of mature cards (interval of 21 days or more): Anki's measure.

    A log whose card was in the Review state is that card's first review of its day (a
    lapse moves it to Relearning), so these are first daily reviews.
    """
    logs = ReviewLog.objects.filter(
        user=user, state_before=CardState.State.REVIEW, elapsed_days__gte=MATURE_DAYS
    )
    if since is not None:
        logs = logs.filter(review_day__gte=since)
    result = logs.aggregate(total=Count("pk"), passed=Count("pk", filter=Q(rating__gt=1)))
    return Retention(passed=result["passed"], total=result["total"])


def state_counts(user) -> dict[str, int]:
    rows = dict(CardState.objects.filter(user=user).values_list("state").annotate(n=Count("pk")))
    studied = sum(rows.values())
    deck = Card.objects.visible_to(user).count()
    return {
        "new": max(0, deck - studied),
        "learning": rows.get(CardState.State.LEARNING, 0),
        "review": rows.get(CardState.State.REVIEW, 0),
        "relearning": rows.get(CardState.State.RELEARNING, 0),
    }


def topic_retrievability(user, now: datetime) -> list[dict]:
    """Average FSRS recall probability of the studied cards of each topic."""
    settings = LearnerSettings.objects.filter(user=user).first()
    scheduler = scheduling.scheduler_for(settings)
    sums: dict[int, list[float]] = defaultdict(list)
    titles: dict[int, tuple[int, str, str]] = {}
    states = CardState.objects.filter(user=user).select_related("card__topic")
    for state in states:
        topic = state.card.topic
        titles[topic.pk] = (topic.order, topic.title, topic.get_absolute_url())
        sums[topic.pk].append(scheduling.retrievability(scheduler, state, now))
    rows = [
        {
            "title": titles[pk][1],
            "url": titles[pk][2],
            "cards": len(values),
            "retrievability": sum(values) / len(values),
            "order": titles[pk][0],
        }
        for pk, values in sums.items()
    ]
    return sorted(rows, key=lambda row: row["order"])


def streak(days_with_reviews: set[date], today: date) -> int:
    """Consecutive days with reviews, ending today (or yesterday, if today has none yet)."""
    day = today if today in days_with_reviews else today - timedelta(days=1)
    count = 0
    while day in days_with_reviews:
        count += 1
        day -= timedelta(days=1)
    return count
