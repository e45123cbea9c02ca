"""The cohort report: per learner and per exam task statement, how they are doing.

Accuracy in the cohort's assignments (question sets and mock exams), in the live games of the
cohort's instructor (when the learner joined signed in), and in practice; cards studied and
due; the learner's last activity. A handful of grouped queries, whatever the cohort's size.
Quizzes' and live's answers are read here (the classroom builds on them); flashcards belong to
``cards``, read through its public selectors only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Q

from studyapp.cards import selectors as cards
from studyapp.live.models import Answer as LiveAnswer
from studyapp.notes.models import TaskStatement
from studyapp.quizzes.models import ExamItem, PracticeAnswer

from .models import Assignment, Attempt, AttemptItem, Cohort

HEADER = ["learner", "task", "task_title", "assignments_correct", "assignments_answered",
          "assignments_accuracy", "live_correct", "live_answered", "live_accuracy",
          "practice_correct", "practice_answered", "practice_accuracy", "cards_studied",
          "cards_due", "last_activity"]  # fmt: skip


@dataclass
class Tally:
    correct: int = 0
    answered: int = 0

    @property
    def accuracy(self) -> int | None:
        """Percent right, or None when nothing was answered."""
        return round(100 * self.correct / self.answered) if self.answered else None


@dataclass
class Row:
    learner: object
    task: TaskStatement
    assignments: Tally = field(default_factory=Tally)
    live: Tally = field(default_factory=Tally)
    practice: Tally = field(default_factory=Tally)
    cards_studied: int = 0
    cards_due: int = 0
    last_activity: datetime | None = None


def _tally(rows, into: dict, kind: str) -> None:
    for user_id, task_id, answered, correct in rows:
        if (user_id, task_id) in into:
            tally = getattr(into[(user_id, task_id)], kind)
            tally.answered += answered
            tally.correct += correct


def _counted(queryset, user: str, task: str, correct: str):
    return queryset.values_list(user, task).annotate(
        answered=Count("pk"), right=Count("pk", filter=Q(**{correct: True}))
    )


def cohort_rows(cohort: Cohort, learners, now: datetime) -> list[Row]:
    """Rows for these learners of the cohort (the caller decides whose rows may be seen)."""
    learners = sorted(learners, key=lambda u: u.get_username().lower())
    ids = [learner.pk for learner in learners]
    tasks = list(TaskStatement.objects.order_by("order"))
    rows = {(learner.pk, task.pk): Row(learner, task) for learner in learners for task in tasks}
    attempts = Attempt.objects.filter(
        assignment__cohort=cohort, learner_id__in=ids, submitted_at__isnull=False
    )
    _tally(
        _counted(
            AttemptItem.objects.filter(attempt__in=attempts),
            "attempt__learner_id", "question__task_id", "correct",
        ),
        rows, "assignments",
    )  # fmt: skip
    exams = attempts.filter(assignment__kind=Assignment.Kind.EXAM, exam__isnull=False)
    _tally(
        _counted(
            ExamItem.objects.filter(attempt_id__in=exams.values("exam_id")),
            "attempt__user_id", "question__task_id", "correct",
        ),
        rows, "assignments",
    )  # fmt: skip
    live = LiveAnswer.objects.filter(player__user_id__in=ids, player__session__host=cohort.owner)
    _tally(_counted(live, "player__user_id", "item__question__task_id", "correct"), rows, "live")
    practice = PracticeAnswer.objects.filter(user_id__in=ids)
    _tally(_counted(practice, "user_id", "question__task_id", "correct"), rows, "practice")
    for key, progress in cards.progress_by_task(ids, now).items():
        if key in rows:
            rows[key].cards_studied, rows[key].cards_due = progress.studied, progress.due
    last = last_activity(cohort, ids)
    for row in rows.values():
        row.last_activity = last.get(row.learner.pk)
    return list(rows.values())


def last_activity(cohort: Cohort, ids: list[int]) -> dict[int, datetime]:
    latest: dict[int, datetime] = {}
    sources = [
        Attempt.objects.filter(assignment__cohort=cohort, learner_id__in=ids)
        .values_list("learner_id").annotate(at=Max("submitted_at")),
        LiveAnswer.objects.filter(player__user_id__in=ids)
        .values_list("player__user_id").annotate(at=Max("answered_at")),
        PracticeAnswer.objects.filter(user_id__in=ids)
        .values_list("user_id").annotate(at=Max("answered_at")),
        cards.last_reviews(ids).items(),
    ]  # fmt: skip
    for source in sources:
        for user_id, at in source:
            if at is not None and (user_id not in latest or at > latest[user_id]):
                latest[user_id] = at
    return latest


def csv_rows(rows: list[Row]) -> list[list]:
    def pct(value):
        return "" if value is None else value

    return [
        [
            row.learner.get_username(),
            row.task.code,
            row.task.title,
            row.assignments.correct,
            row.assignments.answered,
            pct(row.assignments.accuracy),
            row.live.correct,
            row.live.answered,
            pct(row.live.accuracy),
            row.practice.correct,
            row.practice.answered,
            pct(row.practice.accuracy),
            row.cards_studied,
            row.cards_due,
            row.last_activity.isoformat() if row.last_activity else "",
        ]
        for row in rows
    ]
