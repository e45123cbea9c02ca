import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from studyapp.cards import charts, scheduling, stats
from studyapp.cards.models import CardState, ReviewLog
from tests.cards.conftest import NOW

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


def log(user, card, *, day: date, rating=3, state_before=2, elapsed=30.0, key=None):
    return ReviewLog.objects.create(
        user=user,
        card=card,
        rating=rating,
        reviewed_at=NOW.replace(year=day.year, month=day.month, day=day.day),
        review_day=day,
        state_before=state_before,
        elapsed_days=elapsed,
        scheduled_days=10,
        idempotency_key=key or f"{card.pk}:{day}:{rating}:{elapsed}",
    )


def test_true_retention_counts_only_mature_review_cards(learner, small_deck):
    card = small_deck[0]
    log(learner, card, day=TODAY, rating=3, elapsed=30)
    log(learner, card, day=TODAY - timedelta(days=40), rating=1, elapsed=25)
    log(learner, card, day=TODAY - timedelta(days=80), rating=4, elapsed=21)
    log(learner, card, day=TODAY - timedelta(days=81), rating=1, elapsed=5)  # young: ignored
    log(
        learner, card, day=TODAY - timedelta(days=82), rating=1, state_before=3, elapsed=30
    )  # relearning
    log(
        learner, card, day=TODAY - timedelta(days=83), rating=1, state_before=None, elapsed=None
    )  # new
    retention = stats.true_retention(learner)
    assert (retention.passed, retention.total) == (2, 3)
    assert retention.rate == pytest.approx(2 / 3)


def test_streak_counts_consecutive_days_up_to_today_or_yesterday():
    days = {TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=2), TODAY - timedelta(days=5)}
    assert stats.streak(days, TODAY) == 3
    assert stats.streak(days - {TODAY}, TODAY) == 2
    assert stats.streak(set(), TODAY) == 0


def test_due_forecast_puts_overdue_cards_today(learner, small_deck):
    for offset, card in zip([-3, 0, 1, 1, 29], small_deck, strict=True):
        CardState.objects.create(
            user=learner,
            card=card,
            state=2,
            stability=5,
            difficulty=5,
            due=NOW + timedelta(days=offset),
            last_review=NOW - timedelta(days=5),
            reps=2,
        )
    forecast = stats.due_forecast(learner, NOW)
    assert len(forecast) == 30
    assert forecast[0] == 2 and forecast[1] == 2 and forecast[29] == 1
    assert sum(forecast) == 5


def test_topic_retrievability_is_fsrs_recall_probability_averaged(learner, small_deck):
    a = CardState.objects.create(
        user=learner,
        card=small_deck[0],
        state=2,
        stability=10,
        difficulty=5,
        due=NOW,
        last_review=NOW - timedelta(days=10),
        reps=2,
    )
    b = CardState.objects.create(
        user=learner,
        card=small_deck[1],
        state=2,
        stability=40,
        difficulty=5,
        due=NOW,
        last_review=NOW - timedelta(days=2),
        reps=2,
    )
    (row,) = stats.topic_retrievability(learner, NOW)
    scheduler = scheduling.scheduler_for(None)
    expected = (
        scheduler.get_card_retrievability(scheduling.to_fsrs(a, a.card_id), NOW)
        + scheduler.get_card_retrievability(scheduling.to_fsrs(b, b.card_id), NOW)
    ) / 2
    assert row["cards"] == 2
    assert row["retrievability"] == pytest.approx(expected)
    assert 0.85 < row["retrievability"] < 0.99  # reviewed at its due date, a card sits near 90%


def test_heatmap_has_a_cell_per_day_with_counts_in_text():
    per_day = {TODAY: 3, TODAY - timedelta(days=10): 20}
    svg = str(charts.heatmap(per_day, TODAY))
    days = re.findall(r'data-day="([\d-]+)" data-count="(\d+)"', svg)
    assert len(days) >= 365
    assert (TODAY.isoformat(), "3") in days
    assert f"<title>{TODAY.isoformat()}: 3 reviews</title>" in svg
    assert 'aria-label="23 reviews on 2 days in the last year"' in svg


def test_stats_page_reflects_reviews(client, learner, small_deck, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(learner)
    for card in small_deck[:3]:
        state = CardState.objects.filter(user=learner, card=card).first()
        from studyapp.cards import services

        services.review_record(
            user=learner, card=card, rating=3, key=services.review_key(card.pk, state), now=NOW
        )
    response = client.get(reverse("cards:stats"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-stat="reviews-today">3<' in body
    assert 'data-state="learning">3<' in body
    assert 'data-state="new">2<' in body
    assert "1-day streak" in body
    assert f'data-day="{TODAY.isoformat()}" data-count="3"' in body


def test_stats_are_private(client, learner, other_learner, small_deck):
    from studyapp.cards import services

    services.review_record(user=learner, card=small_deck[0], rating=3, key=f"{small_deck[0].pk}:0")
    client.force_login(other_learner)
    body = client.get(reverse("cards:stats")).content.decode()
    assert 'data-stat="reviews-today">0<' in body
