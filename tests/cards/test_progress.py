"""What other apps read of learners' flashcards (the classroom's cohort report): per exam task
statement, cards studied and due now, and the last review; a fixed number of queries."""

from datetime import timedelta

import pytest

from studyapp.cards import selectors, services
from studyapp.cards.models import Card, CardState
from studyapp.notes.models import TaskStatement

from .conftest import NOW

pytestmark = pytest.mark.django_db


def review(user, card, now, rating=3):
    state = CardState.objects.filter(user=user, card=card).first()
    key = services.review_key(user.pk, card.pk, state)
    services.review_record(user=user, card=card, rating=rating, key=key, now=now)


@pytest.fixture
def tasks():
    return list(TaskStatement.objects.order_by("order")[:2])


@pytest.fixture
def deck(make_cards, tasks):
    """Two cards of the first task, one of the second, one of no task."""
    cards = make_cards(4)
    for card, task in zip(cards, [tasks[0], tasks[0], tasks[1], None], strict=True):
        card.task = task
    Card.objects.bulk_update(cards, ["task"])
    return cards


def test_cards_studied_and_due_per_learner_and_task(learner, other_learner, deck, tasks):
    for card in deck:
        review(learner, card, NOW, rating=1)  # Again: due again within minutes
    review(learner, deck[0], NOW + timedelta(minutes=30), rating=4)  # Easy: days away
    review(other_learner, deck[2], NOW)
    Card.objects.filter(pk=deck[1].pk).update(retired=True)  # studied, no longer due

    later = NOW + timedelta(hours=1)
    progress = selectors.progress_by_task([learner.pk, other_learner.pk], later)
    first, second = tasks
    assert progress[(learner.pk, first.pk)] == selectors.TaskProgress(studied=2, due=0)
    assert progress[(learner.pk, second.pk)] == selectors.TaskProgress(studied=1, due=1)
    assert progress[(other_learner.pk, second.pk)].studied == 1
    assert (other_learner.pk, first.pk) not in progress
    assert all(task_id is not None for _user, task_id in progress)  # no task: not reported
    assert selectors.progress_by_task([], later) == {}


def test_the_last_review_of_each_learner(learner, other_learner, django_user_model, deck):
    review(learner, deck[0], NOW)
    review(learner, deck[3], NOW + timedelta(minutes=5))  # a card of no task counts too
    never = django_user_model.objects.create_user("never", password="x-long-password-9")
    last = selectors.last_reviews([learner.pk, other_learner.pk, never.pk])
    assert last == {learner.pk: NOW + timedelta(minutes=5)}


def test_three_queries_whatever_the_number_of_learners_and_cards(
    django_user_model, make_cards, tasks, django_assert_num_queries
):
    cards = make_cards(12)
    for card in cards:
        card.task = tasks[card.order % 2]
    Card.objects.bulk_update(cards, ["task"])
    users = [
        django_user_model.objects.create_user(f"u{n}", password="x-long-password-9")
        for n in range(8)
    ]
    for user in users:
        for card in cards[: 3 + user.pk % 5]:
            review(user, card, NOW)
    ids = [user.pk for user in users]
    with django_assert_num_queries(3):
        progress = selectors.progress_by_task(ids, NOW + timedelta(days=30))
        last = selectors.last_reviews(ids)
    assert len(last) == len(users) and sum(p.studied for p in progress.values()) > len(users)
