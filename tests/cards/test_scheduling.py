from datetime import UTC, datetime, timedelta

import fsrs
import pytest
from django.db.models import Sum

from studyapp.cards import scheduling
from studyapp.cards.models import Card, CardState, LearnerSettings


def fuzz_range(days: int) -> tuple[int, int]:
    """The bounds fsrs documents for fuzzed intervals (fsrs.scheduler.FUZZ_RANGES)."""
    from fsrs.scheduler import FUZZ_RANGES

    delta = 1.0 + sum(r["factor"] * max(min(days, r["end"]) - r["start"], 0.0) for r in FUZZ_RANGES)
    return max(2, round(days - delta)), round(days + delta)


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=2), "2d"),
        (timedelta(days=29), "29d"),
        (timedelta(days=40), "1.3mo"),
        (timedelta(days=60), "2mo"),
        (timedelta(days=400), "1.1y"),
    ],
)
def test_intervals_are_shown_like_anki(interval, text):
    assert scheduling.format_interval(interval) == text


def test_scheduler_uses_fsrs6_defaults_steps_and_the_learners_retention():
    scheduler = scheduling.scheduler_for(LearnerSettings(desired_retention=0.85))
    assert scheduler.desired_retention == 0.85
    assert tuple(scheduler.parameters) == tuple(fsrs.Scheduler().parameters)
    assert len(scheduler.parameters) == 21  # FSRS-6
    assert scheduler.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert scheduler.relearning_steps == (timedelta(minutes=10),)
    assert scheduler.enable_fuzzing is True


def test_new_card_previews_match_fsrs_learning_steps():
    from tests.cards.conftest import NOW

    intervals = scheduling.preview(
        scheduling.scheduler_for(None), None, card_id=1, user_id=1, now=NOW
    )
    # FSRS: Again -> first learning step, Hard -> between steps, Good -> next step, Easy -> review.
    plain = fsrs.Scheduler(
        learning_steps=scheduling.LEARNING_STEPS,
        relearning_steps=scheduling.RELEARNING_STEPS,
        enable_fuzzing=False,
    )
    for rating in fsrs.Rating:
        card, _log = plain.review_card(fsrs.Card(card_id=1), rating, NOW)
        expected = card.due - NOW
        if expected.days < 3:  # fsrs fuzzes only intervals of 2.5 days or more
            assert intervals[rating.value] == expected
        else:
            low, high = fuzz_range(expected.days)
            assert low <= intervals[rating.value].days <= high
    assert scheduling.format_interval(intervals[1]) == "1m"
    assert scheduling.format_interval(intervals[3]) == "10m"


def test_fuzz_is_seeded_so_the_preview_is_the_outcome():
    from tests.cards.conftest import NOW

    scheduler = scheduling.scheduler_for(None)
    card = fsrs.Card(
        card_id=7,
        state=fsrs.State.Review,
        stability=40.0,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - timedelta(days=30),
    )

    class Row:  # the fields of CardState that scheduling reads
        state, step, stability, difficulty, due, last_review, reps = (
            2,
            None,
            40.0,
            5.0,
            NOW,
            card.last_review,
            6,
        )

    first = scheduling.schedule(scheduler, Row, card_id=7, user_id=3, rating=3, now=NOW).interval
    again = scheduling.schedule(scheduler, Row, card_id=7, user_id=3, rating=3, now=NOW).interval
    other_user = {
        scheduling.schedule(scheduler, Row, card_id=7, user_id=u, rating=3, now=NOW).interval
        for u in range(4, 40)
    }
    assert first == again
    assert first > timedelta(days=21)
    assert len(other_user) > 1  # fuzz still spreads intervals across learners and cards


@pytest.mark.django_db
def test_retrievability_summed_in_sql_is_fsrs_retrievability(learner):
    """The SQL form gives what fsrs gives, card by card: whole days elapsed (fsrs floors
    them), across day boundaries, and nothing for a card without a review."""
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    cases = [  # (stability, time since the last review)
        (0.5, timedelta(hours=3)),
        (2.0, timedelta(days=1)),  # exactly one day
        (2.0, timedelta(days=1) - timedelta(seconds=1)),  # not quite: zero whole days
        (7.3, timedelta(days=9, hours=23)),
        (40.0, timedelta(days=120)),
        (300.0, timedelta(days=3, minutes=1)),
        (5.0, -timedelta(hours=2)),  # reviewed after `now`: no days elapsed
    ]
    cards = list(Card.objects.filter(owner__isnull=True)[: len(cases) + 1])
    states = CardState.objects.bulk_create(
        CardState(
            user=learner,
            card=card,
            state=CardState.State.REVIEW,
            stability=stability,
            difficulty=5.0,
            due=now,
            last_review=now - elapsed,
        )
        for card, (stability, elapsed) in zip(cards, cases, strict=False)
    )
    CardState.objects.create(  # in learning, never graded: no stability, no last review
        user=learner, card=cards[-1], state=CardState.State.LEARNING, due=now
    )
    scheduler = scheduling.scheduler_for(None)
    by_card = dict(
        CardState.objects.filter(user=learner)
        .annotate(r=scheduling.retrievability_sql(now))
        .values_list("card_id", "r")
    )
    for state in states:
        assert by_card[state.card_id] == pytest.approx(
            scheduling.retrievability(scheduler, state, now), abs=1e-12
        )
    assert by_card[cards[-1].pk] is None
    total = CardState.objects.filter(user=learner).aggregate(
        r=Sum(scheduling.retrievability_sql(now))
    )["r"]
    expected = sum(scheduling.retrievability(scheduler, s, now) for s in states)
    assert total == pytest.approx(expected, abs=1e-9)
    assert by_card[states[1].card_id] < by_card[states[2].card_id] == pytest.approx(1.0)
