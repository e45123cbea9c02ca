"""The statistics' aggregates agree with the review logs and with fsrs, however they are reached."""

import random
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from studyapp.cards import aggregates, scheduling, services, stats
from studyapp.cards.models import CardState, ReviewDay, ReviewLog, ReviewSummary
from tests.cards.conftest import NOW

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


def grade(user, card, when, rating=3):
    state = CardState.objects.filter(user=user, card=card).first()
    key = services.review_key(user.pk, card.pk, state)
    return services.review_record(user=user, card=card, rating=rating, key=key, now=when).log


def counts_from_logs(user, today):
    """What the statistics showed when they read every log: the reference."""
    per_day = {}
    for log in ReviewLog.objects.filter(user=user, review_day__gt=today - timedelta(days=365)):
        per_day[log.review_day] = per_day.get(log.review_day, 0) + 1
    mature = ReviewLog.objects.filter(aggregates.MATURE, user=user)
    return per_day, (mature.filter(rating__gt=1).count(), mature.count())


def test_past_days_are_counted_once_and_today_live(learner, small_deck):
    for days_ago, card in zip([3, 2, 2, 0], small_deck, strict=False):
        grade(learner, card, NOW - timedelta(days=days_ago))
    assert stats.reviews_per_day(learner, TODAY) == {
        TODAY - timedelta(days=3): 1,
        TODAY - timedelta(days=2): 2,
        TODAY: 1,
    }
    assert set(ReviewDay.objects.filter(user=learner).values_list("day", "reviews")) == {
        (TODAY - timedelta(days=3), 1),
        (TODAY - timedelta(days=2), 2),
    }
    grade(learner, small_deck[4], NOW)  # today: read live, no row written
    assert stats.reviews_per_day(learner, TODAY)[TODAY] == 2
    assert not ReviewDay.objects.filter(user=learner, day=TODAY).exists()


def test_undoing_a_review_of_a_counted_day_mends_its_row(learner, small_deck):
    late = NOW.replace(hour=23, minute=59) - timedelta(days=1)
    grade(learner, small_deck[0], late - timedelta(hours=1))
    grade(learner, small_deck[1], late)
    assert stats.reviews_per_day(learner, TODAY) == {TODAY - timedelta(days=1): 2}
    services.review_undo(user=learner)  # after midnight, yesterday's last review
    assert stats.reviews_per_day(learner, TODAY) == {TODAY - timedelta(days=1): 1}
    services.review_undo(user=learner)
    per_day = stats.reviews_per_day(learner, TODAY)
    assert per_day == {}
    assert stats.streak(set(per_day), TODAY) == 0  # an emptied day is not a day of study


def test_a_review_recorded_on_a_counted_day_is_added_to_it(learner, small_deck):
    stats.reviews_per_day(learner, TODAY)  # everything before today is now counted
    grade(learner, small_deck[0], NOW - timedelta(days=2))  # a clock set back, say
    assert stats.reviews_per_day(learner, TODAY) == {TODAY - timedelta(days=2): 1}


def test_aggregates_match_the_logs_over_random_histories(learner, small_deck):
    rng = random.Random(21)
    for step in range(60):
        when = NOW - timedelta(days=rng.uniform(0, 40))
        card = rng.choice(small_deck)
        state = CardState.objects.filter(user=learner, card=card).first()
        if state is None or state.last_review <= when:
            grade(learner, card, when, rating=rng.choice([1, 2, 3, 4]))
        if step % 7 == 0:
            services.review_undo(user=learner)
        if step % 5 == 0:  # the page visited now and then, on some day of the history
            stats.reviews_per_day(learner, TODAY - timedelta(days=rng.randint(0, 40)))
    # Mature reviews too, written directly, as an import would.
    for i in range(6):
        ReviewLog.objects.create(
            user=learner,
            card=small_deck[i % 5],
            rating=1 + i % 4,
            reviewed_at=NOW - timedelta(days=50 + i),
            review_day=TODAY - timedelta(days=50 + i),
            state_before=CardState.State.REVIEW,
            elapsed_days=20 + i,
            scheduled_days=30,
            idempotency_key=f"import-{i}",
        )
    ReviewSummary.objects.filter(user=learner).update(summarised_before=TODAY - timedelta(days=60))
    ReviewDay.objects.filter(user=learner, day__gte=TODAY - timedelta(days=60)).delete()
    per_day, (passed, total) = counts_from_logs(learner, TODAY)
    assert stats.reviews_per_day(learner, TODAY) == per_day
    retention = stats.true_retention(learner, today=TODAY)
    assert (retention.passed, retention.total) == (passed, total)
    assert total > 0


@pytest.mark.parametrize("zone", ["UTC", "Europe/Madrid", "America/Santiago"])
def test_due_forecast_uses_the_learners_days_across_dst(learner, make_cards, zone, settings):
    settings.TIME_ZONE = zone
    cards = make_cards(40, prefix="dst")
    tz = ZoneInfo(zone)
    now = NOW.replace(month=10, day=20)  # both zones change their clocks within 30 days
    rng = random.Random(3)
    for card in cards:
        CardState.objects.create(
            user=learner,
            card=card,
            state=rng.choice([1, 2, 3]),
            stability=5,
            difficulty=5,
            due=now + timedelta(hours=rng.uniform(-48, 32 * 24)),
            last_review=now - timedelta(days=1),
            reps=2,
        )
    with timezone.override(tz):
        forecast = stats.due_forecast(learner, now)
    today = now.astimezone(tz).date()
    expected = [0] * 30
    for due in CardState.objects.filter(user=learner).values_list("due", flat=True):
        index = (due.astimezone(tz).date() - today).days
        if index < 30:
            expected[max(0, index)] += 1
    assert forecast == expected


def test_recall_in_sql_is_fsrs_recall(learner, make_cards):
    """Fractional days, a review in the future, a missing stability: fsrs's own answer."""
    cards = make_cards(30, prefix="recall")
    rng = random.Random(5)
    states = [
        CardState.objects.create(
            user=learner,
            card=card,
            state=2,
            stability=None if i == 0 else rng.uniform(0.5, 300),
            difficulty=5,
            due=NOW,
            last_review=NOW
            - timedelta(days=rng.uniform(-1, 400), microseconds=rng.randrange(10**6)),
            reps=3,
        )
        for i, card in enumerate(cards)
    ]
    for retention in (0.80, 0.95):
        scheduler = scheduling.scheduler_for(
            services.settings_update(
                user=learner, desired_retention=retention, new_per_day=20, reviews_per_day=200
            )
        )
        computed = dict(
            CardState.objects.filter(user=learner)
            .annotate(recall=aggregates.retrievability(scheduler, NOW))
            .values_list("pk", "recall")
        )
        for state in states:
            expected = scheduling.retrievability(scheduler, state, NOW)
            assert computed[state.pk] == pytest.approx(expected, rel=1e-9), state.last_review
