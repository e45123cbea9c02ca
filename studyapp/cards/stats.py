"""Memory statistics of one learner: activity, forecast, retention, states, retrievability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Avg, Count, IntegerField, Q, Sum
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from studyapp.notes.models import Topic

from . import aggregates, scheduling
from .models import Card, CardState, LearnerSettings, ReviewDay, ReviewLog

MATURE_DAYS = aggregates.MATURE_DAYS


@dataclass
class Retention:
    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


def reviews_per_day(user, today: date, days: int = 365) -> dict[date, int]:
    """Reviews of each day with any, over the last `days` days: counted days, then today live."""
    first = today - timedelta(days=days)
    counted = aggregates.summarise(user, today)
    past = ReviewDay.objects.filter(user=user, day__gt=first, day__lt=counted, reviews__gt=0)
    # One lower bound, so that the index range starts at today (SQLite takes the first one).
    live = (
        ReviewLog.objects.filter(user=user, review_day__gte=max(counted, first + timedelta(days=1)))
        .values("review_day")
        .annotate(n=Count("pk"))
    )
    per_day = dict(past.values_list("day", "reviews"))
    per_day.update((row["review_day"], row["n"]) for row in live)
    return per_day


def due_forecast(user, now: datetime, days: int = 30) -> list[int]:
    """Cards due on each of the next `days` days; overdue cards count for today."""
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    midnights = [start + timedelta(days=i) for i in range(1, days + 1)]  # the learner's
    # A card's day is the number of those midnights it is due after: plain comparisons of the
    # column in SQL, grouped, with no per-row date conversion (time zones and DST included).
    column = (
        f"{connection.ops.quote_name(CardState._meta.db_table)}.{connection.ops.quote_name('due')}"
    )
    sql, params = bucket_sql(
        column, [connection.ops.adapt_datetimefield_value(m) for m in midnights[:-1]]
    )
    day = RawSQL(sql, params, output_field=IntegerField())
    # Naming every state lets the (user, state, due) index bound the rows by `due`.
    rows = (
        CardState.objects.filter(user=user, state__in=CardState.State.values, due__lt=midnights[-1])
        .values(day=day)
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [0] * days
    for row in rows:
        counts[row["day"]] += row["n"]
    return counts


def bucket_sql(column: str, bounds: list) -> tuple[str, list]:
    """SQL for the number of `bounds` (ascending) that `column` is at or after, as a balanced
    tree of CASE expressions: about log2(len(bounds)) comparisons per row rather than one per
    bound, which is what a page pays for each of a busy learner's rows."""
    if not bounds:
        return "0", []
    mid = len(bounds) // 2
    above, above_params = bucket_sql(column, bounds[mid + 1 :])
    below, below_params = bucket_sql(column, bounds[:mid])
    sql = f"CASE WHEN {column} >= %s THEN {mid + 1} + {above} ELSE {below} END"
    return sql, [bounds[mid], *above_params, *below_params]


def true_retention(user, since: date | None = None, today: date | None = None) -> Retention:
    """Pass rate of reviews of mature cards (interval of 21 days or more): Anki's measure.

    A log whose card was in the Review state is that card's first review of its day (a
    lapse moves it to Relearning), so these are first daily reviews.
    """
    counted = aggregates.summarise(user, today or timezone.localdate())
    past = ReviewDay.objects.filter(user=user, day__lt=counted)
    live = ReviewLog.objects.filter(aggregates.MATURE, user=user, review_day__gte=counted)
    if since is not None:
        past, live = past.filter(day__gte=since), live.filter(review_day__gte=since)
    summed = past.aggregate(total=Sum("mature"), passed=Sum("mature_passed"))
    today_ = live.aggregate(total=Count("pk"), passed=Count("pk", filter=Q(rating__gt=1)))
    return Retention(
        passed=(summed["passed"] or 0) + today_["passed"],
        total=(summed["total"] or 0) + today_["total"],
    )


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
    """Average FSRS recall probability of the studied cards of each topic, computed in SQL."""
    settings = LearnerSettings.objects.filter(user=user).first()
    scheduler = scheduling.scheduler_for(settings)
    # Grouped by the topic's id alone (an integer, cheap to sort; joining the topic's text
    # columns into every card's row doubled the query at 5,000 cards), the topics read apart:
    # all of them, so that the queries are the same for every learner.
    groups = (
        CardState.objects.filter(user=user)
        .values_list("card__topic_id")
        .annotate(cards=Count("pk"), recall=Avg(aggregates.retrievability(scheduler, now)))
        .order_by()
    )
    topics = {
        pk: (slug, display_title or title, order)
        for pk, slug, title, display_title, order in Topic.objects.values_list(
            "pk", "slug", "title", "display_title", "order"
        )
    }
    url = reverse("notes:topic", args=["SLUG"])  # Topic.get_absolute_url, reversed once
    rows = [
        {
            "title": topics[topic_id][1],
            "url": url.replace("SLUG", topics[topic_id][0]),
            "cards": cards,
            "retrievability": recall,
            "order": topics[topic_id][2],
        }
        for topic_id, cards, recall in groups
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
