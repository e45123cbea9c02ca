"""What the statistics read instead of a learner's whole history (issue #21).

- Reviews per day: past days are counted once into ReviewDay rows (lazily, up to yesterday,
  from the review logs), and kept right when a review lands on or leaves a counted day; only
  today's logs are counted live. The page then reads at most a row per day.
- FSRS recall probability: computed in the database, in one grouped query, with the
  scheduler's own forgetting curve (`scheduling.retrievability_sql`).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, F, FloatField, Q, Value
from django.db.models.functions import Coalesce

from . import scheduling
from .models import CardState, ReviewDay, ReviewLog, ReviewSummary

MATURE_DAYS = 21
# First daily reviews of mature cards (interval of 21 days or more): Anki's true retention.
# A log whose card was in the Review state is that card's first review of its day (a lapse
# moves it to Relearning).
MATURE = Q(state_before=CardState.State.REVIEW, elapsed_days__gte=MATURE_DAYS)
DAY_COUNTS = {
    "reviews": Count("pk"),
    "mature": Count("pk", filter=MATURE),
    "mature_passed": Count("pk", filter=MATURE & Q(rating__gt=1)),
}
COUNTED = list(DAY_COUNTS)


def summarise(user, today: date) -> date:
    """Count every day before `today` into ReviewDay rows; return the first day not counted.

    Once a day, this reads the logs since the last visit; otherwise it is one indexed lookup.
    Two requests doing it at once write the same counts.
    """
    mark = ReviewSummary.objects.filter(user=user).values_list("summarised_before", flat=True)
    mark = mark.first()
    if mark is not None and mark >= today:
        return mark
    logs = ReviewLog.objects.filter(user=user, review_day__lt=today)
    if mark is not None:
        logs = logs.filter(review_day__gte=mark)
    rows = logs.values("review_day").annotate(**DAY_COUNTS)
    with transaction.atomic():
        ReviewDay.objects.bulk_create(
            [
                ReviewDay(user=user, day=row["review_day"], **{k: row[k] for k in COUNTED})
                for row in rows
            ],
            update_conflicts=True,
            unique_fields=["user", "day"],
            update_fields=COUNTED,
        )
        ReviewSummary.objects.update_or_create(user=user, defaults={"summarised_before": today})
    return today


def review_counted(log: ReviewLog, sign: int) -> None:
    """A review was recorded (+1) or undone (-1): mend its day's row if that day is counted.

    Reviews land on today, which is counted live, so this is usually one lookup; undoing
    yesterday's last review after midnight is the case it is for.
    """
    counted = ReviewSummary.objects.filter(
        user_id=log.user_id, summarised_before__gt=log.review_day
    ).exists()
    if not counted:
        return
    mature = log.state_before == CardState.State.REVIEW and (log.elapsed_days or 0) >= MATURE_DAYS
    change = {
        "reviews": sign,
        "mature": sign if mature else 0,
        "mature_passed": sign if mature and log.rating > 1 else 0,
    }
    updated = ReviewDay.objects.filter(user_id=log.user_id, day=log.review_day).update(
        **{name: F(name) + value for name, value in change.items()}
    )
    if not updated and sign > 0:
        ReviewDay.objects.create(user_id=log.user_id, day=log.review_day, **change)


def retrievability(scheduler, now: datetime):
    """A card state's FSRS recall probability at `now`, as a query expression; 0 when the
    state has no stability or last review yet (as fsrs's get_card_retrievability), so that
    averages count those cards. The formula is `scheduling.retrievability_sql`, the app's one
    SQL form of FSRS (its decay does not depend on the learner's desired retention)."""
    return Coalesce(scheduling.retrievability_sql(now), Value(0.0), output_field=FloatField())
