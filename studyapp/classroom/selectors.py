"""Reads of the classroom; every one is scoped to the user who asks (owner or member)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q

from studyapp.quizzes import presentation
from studyapp.quizzes.models import Choice, Question

from .models import Assignment, Attempt, AttemptItem, Cohort, QuestionSet, SharedQuestion

INVITE_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,32}")


def own_questions(user):
    return Question.objects.owned_by(user).select_related("task").order_by("-pk")


def usable_questions(user):
    """What an instructor may put in a set: the public bank (authored and generated), their own."""
    return Question.objects.filter(retired=False).filter(Q(owner__isnull=True) | Q(owner=user))


def set_questions(question_set: QuestionSet) -> list[Question]:
    items = question_set.items.select_related("question", "question__task").filter(
        question__retired=False
    )
    return [item.question for item in items]


def sets_of(user):
    return QuestionSet.objects.filter(owner=user).annotate(size=Count("items"))


def cohorts_taught(user):
    return Cohort.objects.filter(owner=user).annotate(size=Count("memberships", distinct=True))


def cohorts_joined(user):
    return Cohort.objects.filter(memberships__learner=user).select_related("owner")


def cohort_for_invitation(token: str) -> Cohort | None:
    # Tokens are token_urlsafe's letters; anything else (a NUL, which PostgreSQL refuses in a
    # query) is no invitation.
    if not INVITE_TOKEN.fullmatch(token):
        return None
    return Cohort.objects.filter(invite_token=token).first()


def is_member(cohort: Cohort, user) -> bool:
    return user.is_authenticated and cohort.memberships.filter(learner=user).exists()


def shared_questions(cohort: Cohort):
    ids = SharedQuestion.objects.filter(cohort=cohort).values("question_id")
    return Question.objects.filter(pk__in=ids, retired=False).select_related("task")


@dataclass
class AssignmentRow:
    assignment: Assignment
    attempt: Attempt | None

    @property
    def status(self) -> str:
        if self.attempt is None:
            return "todo"
        if not self.attempt.submitted:
            return "started"
        return "late" if self.attempt.late else "done"


def assignments_for(learner, cohort: Cohort | None = None) -> list[AssignmentRow]:
    """The learner's assignments (in their cohorts) with their own attempt, if any."""
    assignments = Assignment.objects.filter(cohort__memberships__learner=learner).select_related(
        "cohort", "question_set"
    )
    if cohort is not None:
        assignments = assignments.filter(cohort=cohort)
    attempts = {
        a.assignment_id: a
        for a in Attempt.objects.filter(learner=learner).select_related("exam", "assignment")
    }
    return [AssignmentRow(a, attempts.get(a.pk)) for a in assignments.distinct()]


@dataclass
class ShownItem:
    """A question of an attempt as the learner sees it: options by place, never by id."""

    item: AttemptItem
    choices: list[Choice]
    picked: set[int]


def shown_items(attempt: Attempt) -> list[ShownItem]:
    items = list(attempt.items.select_related("question"))
    by_question: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question__in=[i.question_id for i in items]):
        by_question.setdefault(choice.question_id, []).append(choice)
    shown = []
    for item in items:
        choices = presentation.ordered(by_question.get(item.question_id, []), item.choice_order)
        shown.append(ShownItem(item, choices, presentation.places(item.selected, choices)))
    return shown
