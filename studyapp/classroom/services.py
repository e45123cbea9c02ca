"""Writes of the classroom: question sets, cohorts and invitations, assignments, attempts."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from studyapp.live import services as live_services
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.models import Choice, Question, is_correct

from . import selectors, sources
from .models import (
    Assignment,
    Attempt,
    AttemptItem,
    Cohort,
    Membership,
    QuestionSet,
    QuestionSetItem,
    SharedQuestion,
    new_invite_token,
)

MAX_SET_SIZE = 100


class ClassroomError(Exception):
    """A request the classroom cannot accept; the message is shown to the user."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# --- question sets ------------------------------------------------------------------------------


def set_create(*, owner, title: str) -> QuestionSet:
    return QuestionSet.objects.create(owner=owner, title=title.strip() or _("Untitled set"))


def set_add(*, question_set: QuestionSet, questions: Iterable[Question]) -> int:
    """Append questions the owner may use (bank, own, generated); returns how many were new."""
    usable = {q.pk for q in selectors.usable_questions(question_set.owner)}
    wanted = [q for q in questions if q.pk in usable]
    with transaction.atomic():
        QuestionSet.objects.select_for_update().get(pk=question_set.pk)
        present = set(question_set.items.values_list("question_id", flat=True))
        fresh = [q for q in dict.fromkeys(wanted) if q.pk not in present]
        if len(present) + len(fresh) > MAX_SET_SIZE:
            raise ClassroomError(_("A set holds at most 100 questions."))
        start = (question_set.items.aggregate(m=Max("position"))["m"] or 0) + 1
        QuestionSetItem.objects.bulk_create(
            QuestionSetItem(question_set=question_set, question=q, position=start + index)
            for index, q in enumerate(fresh)
        )
        question_set.save(update_fields=["updated_at"])
    return len(fresh)


def set_add_generated(*, question_set: QuestionSet, kind: str, count: int) -> int:
    """Add ``count`` fresh engine-written questions of generator ``kind``."""
    try:
        questions = sources.generated_questions(kind=kind, count=count)
    except (LookupError, ValueError) as error:
        raise ClassroomError(str(error)) from None
    return set_add(question_set=question_set, questions=questions)


def set_remove(*, item: QuestionSetItem) -> None:
    item.delete()
    item.question_set.save(update_fields=["updated_at"])


def set_live_game(*, question_set: QuestionSet, host, **options):
    """A live quiz of the set's questions, in the set's order (live.services does the rest)."""
    questions = selectors.set_questions(question_set)
    return live_services.session_create(
        host=host, title=question_set.title, questions=questions, **options
    )


# --- cohorts --------------------------------------------------------------------------------


def cohort_create(*, owner, name: str) -> Cohort:
    return Cohort.objects.create(owner=owner, name=name.strip())


def cohort_new_invitation(*, cohort: Cohort) -> None:
    """A new invitation link; the old one stops working (members stay)."""
    cohort.invite_token = new_invite_token()
    cohort.save(update_fields=["invite_token"])


def cohort_join(*, token: str, learner) -> Cohort:
    cohort = selectors.cohort_for_invitation(token)
    if cohort is None:
        raise ClassroomError(_("This invitation link is not valid (any more)."), 404)
    if cohort.owner_id == learner.pk:
        raise ClassroomError(_("You teach this cohort."), 409)
    Membership.objects.get_or_create(cohort=cohort, learner=learner)
    return cohort


def cohort_remove(*, membership: Membership) -> None:
    membership.delete()


def question_share(*, question: Question, owner, cohorts: Sequence[Cohort]) -> None:
    """Share an own question with exactly these cohorts of its owner (none: private)."""
    if question.owner_id != owner.pk or any(c.owner_id != owner.pk for c in cohorts):
        raise ClassroomError(_("Only your own questions, with your own cohorts."), 403)
    with transaction.atomic():
        SharedQuestion.objects.filter(question=question).exclude(cohort__in=cohorts).delete()
        for cohort in cohorts:
            SharedQuestion.objects.get_or_create(question=question, cohort=cohort)


# --- assignments ----------------------------------------------------------------------------


def assignment_create(
    *,
    cohort: Cohort,
    title: str,
    kind: str,
    question_set: QuestionSet | None,
    opens_at: datetime,
    closes_at: datetime,
) -> Assignment:
    if closes_at <= opens_at:
        raise ClassroomError(_("The assignment must close after it opens."))
    if kind == Assignment.Kind.SET:
        if question_set is None or question_set.owner_id != cohort.owner_id:
            raise ClassroomError(_("Choose one of your question sets."))
        if not selectors.set_questions(question_set):
            raise ClassroomError(_("That question set is empty."))
    else:
        question_set = None
    return Assignment.objects.create(
        cohort=cohort, title=title.strip(), kind=kind, question_set=question_set,
        opens_at=opens_at, closes_at=closes_at,
    )  # fmt: skip


def attempt_start(*, assignment: Assignment, learner, now: datetime) -> Attempt:
    """The learner's attempt (one each): the set's questions, each with its own option order."""
    if not selectors.is_member(assignment.cohort, learner):
        raise ClassroomError(_("This assignment is for another cohort."), 403)
    if now < assignment.opens_at:
        raise ClassroomError(_("This assignment is not open yet."), 409)
    existing = Attempt.objects.filter(assignment=assignment, learner=learner).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(assignment=assignment, learner=learner, started_at=now)
            if assignment.kind == Assignment.Kind.EXAM:
                attempt.exam = quiz_services.exam_start(user=learner, now=now)
                attempt.total = attempt.exam.total
                attempt.save(update_fields=["exam", "total"])
                return attempt
            questions = selectors.set_questions(assignment.question_set)
            choices: dict[int, list[int]] = {}
            for question_id, choice_id in Choice.objects.filter(
                question__in=[q.pk for q in questions]
            ).values_list("question_id", "pk"):
                choices.setdefault(question_id, []).append(choice_id)
            shuffler = secrets.SystemRandom()
            AttemptItem.objects.bulk_create(
                AttemptItem(
                    attempt=attempt,
                    question=question,
                    position=position,
                    choice_order=shuffler.sample(choices[question.pk], len(choices[question.pk])),
                )
                for position, question in enumerate(questions, start=1)
            )
            attempt.total = len(questions)
            attempt.save(update_fields=["total"])
            return attempt
    except IntegrityError:  # a double click: the other request made it
        return Attempt.objects.get(assignment=assignment, learner=learner)


def attempt_submit(*, attempt: Attempt, selections: dict[int, list[int]], now: datetime) -> Attempt:
    """Hand in: grade every question (all or nothing, as everywhere); late after closing."""
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update().select_related("assignment").get(pk=attempt.pk)
        )
        if attempt.submitted:
            raise ClassroomError(_("You already handed this in."), 409)
        items = list(attempt.items.all())
        correct_ids: dict[int, set[int]] = {}
        for question_id, choice_id in Choice.objects.filter(
            question__in=[item.question_id for item in items], correct=True
        ).values_list("question_id", "pk"):
            correct_ids.setdefault(question_id, set()).add(choice_id)
        score = 0
        for item in items:
            item.selected = sorted(selections.get(item.position, []))
            item.correct = is_correct(item.selected, correct_ids.get(item.question_id, set()))
            score += item.correct
        AttemptItem.objects.bulk_update(items, ["selected", "correct"])
        attempt.submitted_at = now
        attempt.correct = score
        attempt.late = now > attempt.assignment.closes_at
        attempt.save(update_fields=["submitted_at", "correct", "late"])
    return attempt


def attempt_sync_exam(*, attempt: Attempt) -> Attempt:
    """A mock exam assignment is handed in when its exam is finished (in the exam pages)."""
    exam = attempt.exam
    if attempt.submitted or exam is None or exam.finished_at is None:
        return attempt
    Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        submitted_at=exam.finished_at,
        correct=exam.correct or 0,
        total=exam.total,
        late=exam.finished_at > attempt.assignment.closes_at,
    )
    attempt.refresh_from_db()
    return attempt
