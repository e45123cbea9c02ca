"""Each main learner page runs a bounded number of queries for a learner with a long history:
an N+1 (a query per card, review, exam or answer) fails here (issue #21).

The history is smaller than benchmarks/pages.py's year of study, to keep the suite fast, but
far larger than any budget below, so a query per row cannot hide under one.
"""

import random

import pytest

from studyapp.cards import scheduling
from studyapp.cards.models import Card
from studyapp.notes.models import Topic, TopicRead
from studyapp.quizzes import services
from studyapp.quizzes.models import ExamAttempt, Question

from . import history

pytestmark = pytest.mark.django_db

STATES, LOGS, EXAMS, ANSWERS = 300, 3_000, 3, 300


@pytest.fixture
def long_history(learner):
    """A learner deep in their studies, written in bulk: states in every FSRS state, a year of
    review logs, finished mock exams and one in progress, practice answers, topics read."""
    rng = random.Random(21)
    now = scheduling.now_utc()
    cards = list(Card.objects.filter(owner__isnull=True).values_list("pk", flat=True)[:STATES])
    assert len(cards) >= 100, "the authored deck is too small for this test"
    history.card_states(learner, cards, rng, now, every_state=True)
    history.review_logs(learner, cards, LOGS, rng, now, key="history")
    history.finished_exams(learner, EXAMS, now)
    current = services.exam_start(user=learner, now=now, rng=random.Random(99))
    questions = list(Question.objects.active().values_list("pk", flat=True))
    history.practice_answers(learner, questions, ANSWERS, rng, now, key="history")
    TopicRead.objects.bulk_create(
        TopicRead(user=learner, topic=topic) for topic in Topic.objects.active()[:50]
    )
    finished = ExamAttempt.objects.filter(user=learner, finished_at__isnull=False).first()
    return {"current": current, "finished": finished}


PAGES = {
    # page: (url, most queries), the url filled from the history
    "home": ("/", 5),
    "review": ("/review/", 9),  # the card back links to its topic's simulator presets
    "stats": ("/stats/", 17),  # accuracy by domain, one query each; topics read apart
    "topic": ("/notes/sqs-message-visibility-timeout/", 15),
    "practice": ("/quiz/practice/?all=1", 9),
    "exam home": ("/exam/", 9),
    "exam question": ("/exam/{current}/q/7/", 6),
    "exam results": ("/exam/{finished}/results/", 5),
    # the readiness page itself: tests/readiness/test_views.py (its exam forecasts fill first)
    "readiness panel": ("/readiness/panel/", 8),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_are_bounded_for_a_long_history(
    client, learner, long_history, page, django_assert_max_num_queries
):
    url, budget = PAGES[page]
    url = url.format(current=long_history["current"].pk, finished=long_history["finished"].pk)
    client.force_login(learner)
    client.get(url)  # the first visit of the day may count past days once (cards.aggregates)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
