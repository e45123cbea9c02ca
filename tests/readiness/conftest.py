from datetime import UTC, datetime, timedelta

import pytest

from studyapp.cards.models import Card, CardState
from studyapp.notes.models import TaskStatement
from studyapp.quizzes.models import PracticeAnswer, Question
from tests.history import answers_written

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def answer(user, question, correct, when, token=None):
    return PracticeAnswer(
        user=user,
        question=question,
        selected=[],
        correct=correct,
        answered_at=when,
        token=token or f"t-{question.pk}-{when.timestamp()}",
    )


@pytest.fixture
def answers(learner):
    """Practice answers for the learner: `answers(task_code, right, wrong, days_ago=0)`."""

    def make(code, right, wrong, days_ago: float = 0, repeat: bool = False, offset: int = 0):
        questions = list(Question.objects.active().filter(task__code=code))
        when = NOW - timedelta(days=days_ago)
        rows = []
        for n in range(right + wrong):
            question = questions[offset] if repeat else questions[(offset + n) % len(questions)]
            rows.append(
                answer(
                    learner,
                    question,
                    n < right,
                    when - timedelta(seconds=n + 1),
                    f"{code}-{when}-{n}",
                )
            )
        written = PracticeAnswer.objects.bulk_create(rows)
        answers_written()
        return written

    return make


@pytest.fixture
def studied(learner):
    """Card states for the learner: `studied(task_code, count, stability, days_ago)`."""

    def make(code: str, count: int, stability: float = 10.0, days_ago: float = 1.0):
        cards = Card.objects.filter(owner__isnull=True, retired=False, task__code=code)[:count]
        reviewed = NOW - timedelta(days=days_ago)
        return CardState.objects.bulk_create(
            CardState(
                user=learner,
                card=card,
                state=CardState.State.REVIEW,
                stability=stability,
                difficulty=5.0,
                due=reviewed + timedelta(days=stability),
                last_review=reviewed,
                reps=2,
            )
            for card in cards
        )

    return make


@pytest.fixture
def heavy_learner(learner):
    """5,000 card states and 2,000 practice answers spread over 300 days."""
    tasks = list(TaskStatement.objects.all())
    topic_of = {task.pk: task.topics.first() for task in tasks}
    cards = Card.objects.bulk_create(
        Card(
            key=f"heavy-{i}",
            note_key=f"heavy-{i}",
            kind="basic",
            topic=topic_of[tasks[i % len(tasks)].pk],
            task=tasks[i % len(tasks)],
            front_text="f",
            back_text="b",
            front_html="f",
            back_html="b",
            order=100_000 + i,
        )
        for i in range(5_000)
    )
    CardState.objects.bulk_create(
        CardState(
            user=learner,
            card=card,
            state=CardState.State.REVIEW,
            stability=1.0 + i % 60,
            difficulty=5.0,
            due=NOW + timedelta(days=i % 30),
            last_review=NOW - timedelta(days=i % 40),
            reps=3,
        )
        for i, card in enumerate(cards)
    )
    questions = list(Question.objects.active()[:400])
    PracticeAnswer.objects.bulk_create(
        answer(
            learner,
            questions[i % len(questions)],
            i % 3 != 0,
            NOW - timedelta(hours=3 * i),
            f"h{i}",
        )
        for i in range(2_000)
    )
    answers_written()
    return learner
