"""A learner's history written in bulk: memory states, review logs, finished mock exams and
practice answers. Shared by tests/test_page_queries.py and the benchmarks (pages.py,
cards_review.py), which build the same kind of learner at different sizes."""

from __future__ import annotations

import importlib
import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.apps import apps

from studyapp.cards.models import Card, CardState, ReviewLog
from studyapp.notes.models import Topic
from studyapp.quizzes import services
from studyapp.quizzes.models import ExamAttempt, ExamItem, PracticeAnswer


def deck_of(total: int) -> list[int]:
    """The ids of ``total`` public cards: the authored deck, with plain cards added to reach
    ``total`` (spread over the notes' topics)."""
    topics = list(Topic.objects.filter(kind="notes"))
    missing = total - Card.objects.filter(owner__isnull=True).count()
    Card.objects.bulk_create(
        Card(
            key=f"bench-{i}",
            note_key=f"bench-{i}",
            kind="basic",
            topic=topics[i % len(topics)],
            front_text=f"Question {i}",
            back_text=f"Answer {i}",
            front_html=f"<p>Question {i}</p>",
            back_html=f"<p>Answer {i}</p>",
            order=100_000 + i,
        )
        for i in range(max(0, missing))
    )
    return list(Card.objects.filter(owner__isnull=True).values_list("pk", flat=True)[:total])


def card_states(
    user, card_ids: Sequence[int], rng: random.Random, now: datetime, *, every_state=False
) -> None:
    """A memory state per card, reviewed in the last 100 days; ``every_state``: learning,
    review and relearning in turn (else all in review)."""
    CardState.objects.bulk_create(
        CardState(
            user=user,
            card_id=pk,
            state=1 + i % 3 if every_state else 2,
            step=0 if every_state and i % 3 != 1 else None,
            stability=rng.uniform(0.5, 200),
            difficulty=rng.uniform(1, 10),
            due=now + timedelta(days=rng.uniform(-5, 120)),
            last_review=now - timedelta(days=rng.uniform(1, 100)),
            reps=20,
        )
        for i, pk in enumerate(card_ids)
    )


def review_logs(
    user, card_ids: Sequence[int], count: int, rng: random.Random, now: datetime, *, key: str
) -> None:
    """``count`` reviews of the cards in turn, spread over the year before the last two days:
    none falls on the learner's today, whatever the time of day and the time zone, so the
    review page does not depend on when it runs (at ~270 reviews a day, the daily review limit
    would be reached by late afternoon)."""
    logs = []
    for i in range(count):
        when = now - timedelta(days=rng.uniform(2, 367))
        logs.append(
            ReviewLog(
                user=user,
                card_id=card_ids[i % len(card_ids)],
                rating=rng.choice([1, 3, 3, 4]),
                reviewed_at=when,
                review_day=when.date(),
                state_before=2,
                elapsed_days=rng.uniform(1, 60),
                scheduled_days=rng.uniform(1, 60),
                idempotency_key=f"{key}-{i}",
            )
        )
    ReviewLog.objects.bulk_create(logs, batch_size=5_000)


def finished_exams(user, count: int, now: datetime) -> ExamAttempt | None:
    """``count`` mock exams, one a day before ``now``, each answered with every first option;
    the last one."""
    attempt = None
    for exam in range(count):
        started = now - timedelta(days=count - exam)
        attempt = services.exam_start(user=user, now=started, rng=random.Random(exam))
        items = list(attempt.items.all())
        for item in items:
            item.selected = item.choice_order[:1]
        ExamItem.objects.bulk_update(items, ["selected"])
        attempt = services.exam_finish(attempt=attempt, now=started + timedelta(minutes=90))
    return attempt


def practice_answers(
    user, question_ids: Sequence[int], count: int, rng: random.Random, now: datetime, *, key: str
) -> None:
    """``count`` answers to the questions in turn, a minute apart, 70% right."""
    PracticeAnswer.objects.bulk_create(
        PracticeAnswer(
            user=user,
            question_id=question_ids[i % len(question_ids)],
            selected=[],
            correct=rng.random() < 0.7,
            answered_at=now - timedelta(minutes=i),
            token=f"{key}-{i}",
        )
        for i in range(count)
    )
    answers_written()


def answers_written() -> None:
    """What the practice service sets on each answer it records, set on answers written in
    bulk, as the migrations that added the fields set them: PracticeAnswer.first (each
    question's earliest answer, by id, is its first) and PracticeAnswer.task."""
    firsts = importlib.import_module("studyapp.quizzes.migrations.0008_practiceanswer_first")
    firsts.mark_firsts(apps, None)
    tasks = importlib.import_module("studyapp.quizzes.migrations.0009_practiceanswer_task")
    tasks.fill_tasks(apps, None)
