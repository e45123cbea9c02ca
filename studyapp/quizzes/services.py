"""Practice answers (with FSRS memory of missed questions) and timed mock exams."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet

from studyapp.cards import scheduling
from studyapp.cards.services import learner_settings
from studyapp.notes.models import ExamDomain, TaskStatement

from .models import (
    Choice,
    ExamAttempt,
    ExamItem,
    PracticeAnswer,
    Question,
    QuestionState,
    is_correct,
)


class AnswerError(Exception):
    """An answer that cannot be accepted: tampered ids, wrong number of choices (a 400)."""


class ExamClosed(Exception):
    """The exam is over (finished, or its time ran out): no more answers (a 409)."""


@dataclass
class Graded:
    correct: bool
    selected: list[int]
    correct_ids: list[int]
    first_time: bool = True  # False when a resubmitted form shows the answer already given


def grade_selection(question: Question, selected: list[int]) -> Graded:
    """All-or-nothing: the selection must be exactly the set of correct choices."""
    choices = list(question.choices.all())
    ids = {choice.pk for choice in choices}
    if not selected:
        raise AnswerError("choose an answer first")
    if len(set(selected)) != len(selected) or not set(selected) <= ids:
        raise AnswerError("that answer does not belong to this question")
    correct_ids = sorted(choice.pk for choice in choices if choice.correct)
    if question.kind == Question.Kind.SINGLE and len(selected) != 1:
        raise AnswerError("choose exactly one answer")
    return Graded(
        correct=is_correct(selected, correct_ids),
        selected=sorted(selected),
        correct_ids=correct_ids,
    )


# Practice


@transaction.atomic
def practice_answer(
    *, user, question: Question, selected: list[int], token: str, now: datetime
) -> Graded:
    """Record a practice answer once per token; the question enters the learner's FSRS schedule
    (a miss is graded Again, so it comes back within minutes; a hit is graded Good)."""
    graded = grade_selection(question, selected)
    # The question's schedule exists once it has been answered: without it, this is the first.
    state = QuestionState.objects.select_for_update().filter(user=user, question=question).first()
    try:
        with transaction.atomic():  # a savepoint: a double click races to the same token
            PracticeAnswer.objects.create(
                user=user,
                question=question,
                selected=graded.selected,
                correct=graded.correct,
                answered_at=now,
                token=token,
                first=state is None,
                task_id=question.task_id,
            )
    except IntegrityError:
        previous = PracticeAnswer.objects.get(user=user, token=token)
        if previous.question_id != question.pk:
            raise AnswerError("this form was for another question") from None
        return Graded(previous.correct, previous.selected, graded.correct_ids, first_time=False)
    scheduler = scheduling.scheduler_for(learner_settings(user))
    rating = 3 if graded.correct else 1
    outcome = scheduling.schedule(
        scheduler, state, card_id=question.pk, user_id=user.pk, rating=rating, now=now
    )
    values = scheduling.state_after(outcome.card, state, rating)
    QuestionState.objects.update_or_create(user=user, question=question, defaults=values)
    return graded


def in_unfinished_exam(user, question: Question) -> bool:
    """Practice must not grade (and so reveal) a question of the learner's exam in progress."""
    return ExamItem.objects.filter(
        attempt__user=user, attempt__finished_at__isnull=True, question=question
    ).exists()


def practice_next(user, pool: QuerySet[Question], now: datetime, *, exclude: int | None = None):
    """From `pool`: missed (due) questions first, then ones never practised, then the oldest.

    Questions of the learner's exam in progress are left out: practice would reveal them.
    """
    questions = pool.exclude(
        pk__in=ExamItem.objects.filter(
            attempt__user=user, attempt__finished_at__isnull=True
        ).values("question_id")
    )
    if exclude:
        questions = questions.exclude(pk=exclude)
    due = (
        QuestionState.objects.filter(user=user, due__lte=now, question__in=questions)
        .order_by("due")
        .values_list("question_id", flat=True)
        .first()
    )
    if due is not None:
        return questions.get(pk=due), "due"
    unseen = list(questions.exclude(states__user=user).values_list("pk", flat=True)[:500])
    if unseen:
        return questions.get(pk=random.choice(unseen)), "new"
    oldest = (
        QuestionState.objects.filter(user=user, question__in=questions)
        .order_by("last_review")
        .values_list("question_id", flat=True)
        .first()
    )
    return (questions.get(pk=oldest), "again") if oldest is not None else (None, "empty")


# Mock exams


def largest_remainder(total: int, weights: dict) -> dict:
    """Split `total` in proportion to `weights`, rounding by largest remainder."""
    whole = sum(weights.values())
    if not whole:
        return dict.fromkeys(weights, 0)
    exact = {key: total * weight / whole for key, weight in weights.items()}
    share = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: exact[key] - share[key], reverse=True)
    for key in by_remainder[: total - sum(share.values())]:
        share[key] += 1
    return share


def domain_quota(total: int = ExamAttempt.EXAM_QUESTIONS) -> dict[int, int]:
    """Questions per domain by the exam guide's weights (content/guide/exam.md)."""
    weights = dict(ExamDomain.objects.values_list("number", "weight"))
    return largest_remainder(total, weights)


def recently_seen(user, attempts: int = 2) -> set[int]:
    """Questions of the learner's last `attempts` mock exams: the next one avoids them."""
    recent = ExamAttempt.objects.filter(user=user).order_by("-started_at")[:attempts]
    return set(ExamItem.objects.filter(attempt__in=recent).values_list("question_id", flat=True))


def draw_exam_questions(
    rng: random.Random, total: int = ExamAttempt.EXAM_QUESTIONS, *, avoid: set[int] = frozenset()
) -> list[int]:
    """Question ids by domain weight, and inside each domain by task weight.

    Questions in `avoid` (seen in the learner's last exams) are drawn only when a task has
    too few others; a task or domain short of questions is topped up from the rest.
    """
    pools: dict[int, list[int]] = {}
    for pk, task_id in Question.objects.active().values_list("pk", "task_id"):
        pools.setdefault(task_id, []).append(pk)
    tasks = list(TaskStatement.objects.values_list("pk", "domain_id", "weight"))
    chosen: list[int] = []

    def take(pool: list[int], wanted: int) -> None:
        fresh = [pk for pk in pool if pk not in avoid and pk not in taken]
        seen = [pk for pk in pool if pk in avoid and pk not in taken]
        picked = rng.sample(fresh, min(wanted, len(fresh)))
        picked += rng.sample(seen, min(wanted - len(picked), len(seen)))
        chosen.extend(picked)
        taken.update(picked)

    taken: set[int] = set()
    for domain, wanted in domain_quota(total).items():
        weights = {pk: weight for pk, task_domain, weight in tasks if task_domain == domain}
        for task_id, task_wanted in largest_remainder(wanted, weights).items():
            take(pools.get(task_id, []), task_wanted)
        domain_pool = [pk for task_id in weights for pk in pools.get(task_id, [])]
        in_domain = set(domain_pool)
        take(domain_pool, wanted - sum(1 for pk in chosen if pk in in_domain))
    take([pk for pool in pools.values() for pk in pool], total - len(chosen))
    rng.shuffle(chosen)
    return chosen


def unfinished_exam(user) -> ExamAttempt | None:
    return ExamAttempt.objects.filter(user=user, finished_at__isnull=True).first()


@transaction.atomic
def exam_start(*, user, now: datetime, rng: random.Random | None = None) -> ExamAttempt:
    """Start a mock exam, or return the one in progress (one at a time)."""
    exam_expire_overdue(user=user, now=now)
    current = unfinished_exam(user)
    if current is not None:
        return current
    rng = rng or random.Random()
    question_ids = draw_exam_questions(rng, avoid=recently_seen(user))
    if not question_ids:
        raise AnswerError("the question bank is empty")
    try:
        with transaction.atomic():  # one unfinished attempt per learner: a double click
            attempt = ExamAttempt.objects.create(
                user=user,
                started_at=now,
                deadline=now + timedelta(minutes=ExamAttempt.EXAM_MINUTES),
                total=len(question_ids),
            )
    except IntegrityError:
        return ExamAttempt.objects.get(user=user, finished_at__isnull=True)
    choices: dict[int, list[int]] = {}
    for question_id, choice_id in Choice.objects.filter(question_id__in=question_ids).values_list(
        "question_id", "pk"
    ):
        choices.setdefault(question_id, []).append(choice_id)
    items = []
    for position, question_id in enumerate(question_ids, start=1):
        order = choices[question_id]
        rng.shuffle(order)
        items.append(
            ExamItem(
                attempt=attempt, question_id=question_id, position=position, choice_order=order
            )
        )
    ExamItem.objects.bulk_create(items)
    return attempt


def exam_answer(
    *, attempt: ExamAttempt, position: int, selected: list[int], now: datetime
) -> ExamItem:
    """Save (or change) the answer to one question; the server's clock decides if time is up."""
    if now > attempt.deadline:
        exam_finish(attempt=attempt, now=now)
        raise ExamClosed("time is up: the exam was submitted")
    return _save_answer(attempt=attempt, position=position, selected=selected, now=now)


@transaction.atomic
def _save_answer(
    *, attempt: ExamAttempt, position: int, selected: list[int], now: datetime
) -> ExamItem:
    attempt = ExamAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.finished_at is not None:
        raise ExamClosed("this exam is already finished")
    item = (
        ExamItem.objects.select_related("question")
        .filter(attempt=attempt, position=position)
        .first()
    )
    if item is None:
        raise AnswerError("there is no such question in this exam")
    if selected:
        if not set(selected) <= set(item.choice_order) or len(set(selected)) != len(selected):
            raise AnswerError("that answer does not belong to this question")
        if item.question.kind == Question.Kind.SINGLE and len(selected) != 1:
            raise AnswerError("choose exactly one answer")
    item.selected = sorted(selected)
    item.answered_at = now if selected else None
    item.save(update_fields=["selected", "answered_at"])
    return item


def exam_flag(*, attempt: ExamAttempt, position: int, flagged: bool, now: datetime) -> None:
    if attempt.finished_at is not None or now > attempt.deadline:
        raise ExamClosed("this exam is over")
    updated = ExamItem.objects.filter(attempt=attempt, position=position).update(flagged=flagged)
    if not updated:
        raise AnswerError("there is no such question in this exam")


def scaled_score(correct: int, total: int) -> int:
    """An ESTIMATE on AWS's 100-1000 scale: linear in the share of right answers.

    AWS scales scores with equating across exam forms and does not publish the mapping;
    this estimate puts 720 (the pass line) at about 69% correct.
    """
    if total == 0:
        return 100
    return round(100 + 900 * correct / total)


@transaction.atomic
def exam_finish(*, attempt: ExamAttempt, now: datetime) -> ExamAttempt:
    """Score the exam once: per question (all-or-nothing), per domain, and scaled."""
    attempt = ExamAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.finished_at is not None:
        return attempt
    items = list(
        attempt.items.select_related("question__task").prefetch_related("question__choices")
    )
    per_domain: dict[str, list[int]] = {}
    per_task: dict[str, list[int]] = {}
    correct_total = 0
    for item in items:
        correct_ids = sorted(choice.pk for choice in item.question.choices.all() if choice.correct)
        item.correct = is_correct(item.selected, correct_ids)
        correct_total += item.correct
        stats = per_domain.setdefault(str(item.question.domain), [0, 0])
        stats[0] += item.correct
        stats[1] += 1
        if item.question.task is not None:
            counts = per_task.setdefault(item.question.task.code, [0, 0])
            counts[0] += item.correct
            counts[1] += 1
    ExamItem.objects.bulk_update(items, ["correct"])
    attempt.finished_at = min(now, attempt.deadline)
    attempt.correct = correct_total
    attempt.total = len(items)
    attempt.scaled_score = scaled_score(correct_total, len(items))
    attempt.domain_scores = {
        domain: {"correct": right, "total": total, "percent": round(100 * right / total)}
        for domain, (right, total) in sorted(per_domain.items())
    }
    attempt.task_scores = dict(sorted(per_task.items()))
    attempt.save()
    return attempt


def exam_task_scores_fill(attempt_ids: list[int]) -> dict[int, dict[str, list[int]]]:
    """Count and keep task_scores of finished exams that have none (scored before the field
    existed, or written directly): right and total per task code of the items with an answer
    recorded and a question with a task. Two queries, whatever the number of exams."""
    scores: dict[int, dict[str, list[int]]] = {pk: {} for pk in attempt_ids}
    rows = (
        ExamItem.objects.filter(
            attempt__in=attempt_ids, correct__isnull=False, question__task__isnull=False
        )
        .values_list("attempt_id", "question__task__code")
        .annotate(right=Count("pk", filter=Q(correct=True)), total=Count("pk"))
        .order_by()
    )
    for attempt_id, code, right, total in rows:
        scores[attempt_id][code] = [right, total]
    scores = {pk: dict(sorted(counts.items())) for pk, counts in scores.items()}
    ExamAttempt.objects.bulk_update(
        [ExamAttempt(pk=pk, task_scores=counts) for pk, counts in scores.items()],
        ["task_scores"],
        batch_size=500,
    )
    return scores


def exam_expire_overdue(*, user, now: datetime) -> int:
    """Score every attempt whose time ran out, even if its browser was closed long ago."""
    overdue = ExamAttempt.objects.filter(user=user, finished_at__isnull=True, deadline__lt=now)
    count = 0
    for attempt in overdue:
        exam_finish(attempt=attempt, now=now)
        count += 1
    return count
