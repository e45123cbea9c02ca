"""Finished mock exams keep their right and total answers per task (ExamAttempt.task_scores):
the readiness evidence reads them rather than every item, and must give what the items give."""

import importlib
import random
from datetime import timedelta

import pytest
from django.apps import apps
from django.db.models import Count, Q

from studyapp.quizzes import services as quiz
from studyapp.quizzes.models import ExamAttempt, ExamItem
from studyapp.readiness import selectors

from .conftest import NOW

pytestmark = pytest.mark.django_db


def recount(attempt) -> dict[str, list[int]]:
    """task_scores counted from the raw items, as the readiness model counts answers."""
    rows = (
        ExamItem.objects.filter(
            attempt=attempt, correct__isnull=False, question__task__isnull=False
        )
        .values_list("question__task__code")
        .annotate(right=Count("pk", filter=Q(correct=True)), total=Count("pk"))
    )
    return {code: [right, total] for code, right, total in rows}


def evidence(user, **kwargs):
    return {
        task.code: (task.answers, round(task.seen, 9), round(task.right, 9))
        for task in selectors.evidence(user, NOW, **kwargs)
    }


@pytest.fixture
def exams(learner):
    """Three finished exams: answered in part on different days, one expired unanswered."""
    for seed, days_ago in enumerate([30, 8, 1]):
        started = NOW - timedelta(days=days_ago, hours=3)
        attempt = quiz.exam_start(user=learner, now=started, rng=random.Random(seed))
        items = list(attempt.items.all())
        for index, item in enumerate(items):  # right, wrong and unanswered mixed
            item.selected = item.choice_order[: (index + seed) % 3]
        ExamItem.objects.bulk_update(items, ["selected"])
        if seed == 2:  # the browser closed: scored when it expired
            quiz.exam_expire_overdue(user=learner, now=NOW)
        else:
            quiz.exam_finish(attempt=attempt, now=started + timedelta(hours=1))
    return list(ExamAttempt.objects.filter(user=learner))


def test_stored_task_scores_equal_a_recount_of_the_items(exams):
    assert len(exams) == 3 and all(attempt.finished_at for attempt in exams)
    for attempt in exams:
        assert attempt.task_scores == recount(attempt)
        assert sum(total for _right, total in attempt.task_scores.values()) > 0
    rights = [sum(r for r, _t in a.task_scores.values()) for a in exams]
    assert any(rights)


def test_evidence_from_stored_scores_equals_evidence_from_the_items(learner, exams):
    stored, before_last = evidence(learner), evidence(learner, at=exams[-1].started_at)
    assert sum(answers for answers, _seen, _right in stored.values()) > 0
    ExamAttempt.objects.filter(user=learner).update(task_scores=None)
    assert evidence(learner) == stored  # counted from the items, and kept
    assert evidence(learner, at=exams[-1].started_at) == before_last
    for attempt in ExamAttempt.objects.filter(user=learner):
        assert attempt.task_scores == recount(attempt)


def test_the_migration_counts_the_exams_scored_before_it(learner, exams):
    ExamAttempt.objects.filter(user=learner).update(task_scores=None)
    migration = importlib.import_module("studyapp.quizzes.migrations.0007_examattempt_task_scores")
    migration.count_task_scores(apps, None)
    for attempt in ExamAttempt.objects.filter(user=learner):
        assert attempt.task_scores == recount(attempt)
