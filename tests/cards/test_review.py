from datetime import timedelta

import fsrs
import pytest
from django.core.exceptions import ValidationError

from studyapp.cards import scheduling, selectors, services
from studyapp.cards.models import CardState, ReviewLog
from tests.cards.conftest import NOW

pytestmark = pytest.mark.django_db


def grade(user, card, rating, now=NOW):
    state = CardState.objects.filter(user=user, card=card).first()
    return services.review_record(
        user=user,
        card=card,
        rating=rating,
        key=services.review_key(user.pk, card.pk, state),
        now=now,
    )


def next_up(user, now=NOW, topic=None):
    settings = services.learner_settings(user)
    return selectors.next_card(user, settings, selectors.deck(user, topic), now)


def test_first_grade_creates_the_state_fsrs_computes(learner, small_deck):
    card = small_deck[0]
    recorded = grade(learner, card, 3)
    state = CardState.objects.get(user=learner, card=card)
    expected, _log = fsrs.Scheduler(learning_steps=scheduling.LEARNING_STEPS).review_card(
        fsrs.Card(card_id=card.pk), fsrs.Rating.Good, NOW
    )
    assert recorded.created
    assert state.state == CardState.State.LEARNING
    assert state.due == expected.due == NOW + timedelta(minutes=10)
    assert state.stability == pytest.approx(expected.stability)
    assert state.difficulty == pytest.approx(expected.difficulty)
    assert state.reps == 1
    log = ReviewLog.objects.get(user=learner)
    assert log.state_before is None and log.before is None
    assert log.scheduled_days == pytest.approx(10 / 1440)


def test_submitting_the_same_grade_twice_records_one_review(learner, small_deck):
    card = small_deck[0]
    key = services.review_key(learner.pk, card.pk, None)
    first = services.review_record(user=learner, card=card, rating=3, key=key, now=NOW)
    second = services.review_record(
        user=learner, card=card, rating=3, key=key, now=NOW + timedelta(seconds=1)
    )
    assert first.created and not second.created
    assert second.log.pk == first.log.pk
    assert ReviewLog.objects.filter(user=learner).count() == 1
    assert CardState.objects.get(user=learner, card=card).reps == 1


def test_a_second_tab_grading_the_same_card_state_counts_once(learner, small_deck):
    card = small_deck[0]
    grade(learner, card, 3)
    # Both tabs showed the card after its first review.
    key = services.review_key(learner.pk, card.pk, CardState.objects.get(user=learner, card=card))
    services.review_record(
        user=learner, card=card, rating=3, key=key, now=NOW + timedelta(minutes=11)
    )
    other_tab = services.review_record(
        user=learner, card=card, rating=1, key=key, now=NOW + timedelta(minutes=12)
    )
    assert not other_tab.created
    assert ReviewLog.objects.filter(user=learner).count() == 2


def test_a_grade_whose_key_matches_no_state_of_the_card_is_refused(learner, small_deck):
    card = small_deck[0]
    with pytest.raises(services.ReviewError):
        services.review_record(user=learner, card=card, rating=3, key=f"{card.pk}:7", now=NOW)
    with pytest.raises(services.ReviewError):
        services.review_record(
            user=learner, card=card, rating=3, key=f"{small_deck[1].pk}:0", now=NOW
        )
    assert not ReviewLog.objects.filter(user=learner).exists()


def test_bad_rating_is_refused(learner, small_deck):
    with pytest.raises(services.ReviewError):
        services.review_record(
            user=learner, card=small_deck[0], rating=5, key=f"{small_deck[0].pk}:0"
        )


def test_undo_restores_the_previous_state_and_forgets_the_review(learner, small_deck):
    card = small_deck[0]
    grade(learner, card, 3)
    before = CardState.objects.get(user=learner, card=card)
    grade(learner, card, 1, now=NOW + timedelta(minutes=10))
    undone = services.review_undo(user=learner)
    after = CardState.objects.get(user=learner, card=card)
    assert undone.rating == 1
    assert (after.state, after.due, after.stability, after.reps) == (
        before.state,
        before.due,
        before.stability,
        before.reps,
    )
    services.review_undo(user=learner)
    assert not CardState.objects.filter(user=learner).exists()
    assert not ReviewLog.objects.filter(user=learner).exists()
    assert services.review_undo(user=learner) is None


def test_queue_order_is_due_learning_then_reviews_then_new(learner, small_deck):
    learning, review = small_deck[0], small_deck[1]
    CardState.objects.create(
        user=learner,
        card=review,
        state=2,
        stability=10,
        difficulty=5,
        due=NOW - timedelta(hours=1),
        last_review=NOW - timedelta(days=10),
        reps=3,
    )
    first = next_up(learner)
    assert first.card == review
    assert (first.counts.new, first.counts.learning, first.counts.due) == (4, 0, 1)
    CardState.objects.create(
        user=learner,
        card=learning,
        state=1,
        step=1,
        stability=1,
        difficulty=5,
        due=NOW - timedelta(minutes=1),
        last_review=NOW - timedelta(minutes=11),
        reps=1,
    )
    assert next_up(learner).card == learning
    CardState.objects.filter(card=learning).update(due=NOW + timedelta(minutes=5))
    CardState.objects.filter(card=review).update(due=NOW + timedelta(days=3))
    assert next_up(learner).card == small_deck[2]  # the first new card


def test_learning_card_not_due_yet_is_announced(learner, small_deck):
    for card in small_deck:
        CardState.objects.create(
            user=learner,
            card=card,
            state=1,
            step=0,
            stability=1,
            difficulty=5,
            due=NOW + timedelta(minutes=7),
            last_review=NOW,
            reps=1,
        )
    found = next_up(learner)
    assert found.card is None
    assert found.learning_wait == NOW + timedelta(minutes=7)


def test_daily_new_card_limit(learner, small_deck):
    settings = services.learner_settings(learner)
    settings.new_per_day = 2
    settings.save()
    for _ in range(2):
        found = next_up(learner)
        grade(learner, found.card, 4)
    found = next_up(learner)
    assert found.counts.new == 0
    assert found.card is None


def test_daily_review_limit(learner, small_deck):
    settings = services.learner_settings(learner)
    settings.reviews_per_day = 1
    settings.new_per_day = 0
    settings.save()
    for card in small_deck[:3]:
        CardState.objects.create(
            user=learner,
            card=card,
            state=2,
            stability=10,
            difficulty=5,
            due=NOW - timedelta(hours=1),
            last_review=NOW - timedelta(days=10),
            reps=3,
        )
    found = next_up(learner)
    assert found.counts.due == 1
    grade(learner, found.card, 3)
    assert next_up(learner).card is None


def test_desired_retention_must_be_between_070_and_097(learner):
    with pytest.raises(ValidationError):
        services.settings_update(
            user=learner, desired_retention=0.99, new_per_day=20, reviews_per_day=200
        )
    settings = services.settings_update(
        user=learner, desired_retention=0.8, new_per_day=5, reviews_per_day=50
    )
    assert settings.desired_retention == 0.8


def test_higher_retention_gives_shorter_intervals(learner, other_learner, small_deck):
    services.settings_update(
        user=learner, desired_retention=0.95, new_per_day=20, reviews_per_day=200
    )
    services.settings_update(
        user=other_learner, desired_retention=0.75, new_per_day=20, reviews_per_day=200
    )
    card = small_deck[0]
    for user in (learner, other_learner):
        CardState.objects.create(
            user=user,
            card=card,
            state=2,
            stability=20,
            difficulty=5,
            due=NOW,
            last_review=NOW - timedelta(days=20),
            reps=4,
        )
        grade(user, card, 3)
    strict = CardState.objects.get(user=learner, card=card).due
    relaxed = CardState.objects.get(user=other_learner, card=card).due
    assert strict < relaxed


def test_one_learners_reviews_do_not_touch_anothers(learner, other_learner, small_deck):
    grade(learner, small_deck[0], 3)
    assert next_up(other_learner).counts.new == 5
    assert not CardState.objects.filter(user=other_learner).exists()


def test_topic_filter_includes_nested_topics(learner, make_cards):
    from studyapp.cards.models import Card
    from studyapp.notes.models import Topic

    Card.objects.update(retired=True)
    chapter = Topic.objects.get(slug="20-aws-integrations-messaging-sqs-sns-kinesis")
    make_cards(2, topic=Topic.objects.get(slug="sqs-fifo-queue"), prefix="fifo")
    make_cards(1, topic=Topic.objects.get(slug="aws-lambda"), prefix="lambda")
    assert next_up(learner, topic=chapter).counts.new == 2
    assert (
        next_up(learner, topic=Topic.objects.get(slug="21-aws-serverless-lambda")).counts.new == 1
    )
