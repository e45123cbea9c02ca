"""The evidence the readiness model reads, gathered in a fixed number of queries.

Everything is aggregated in SQL: answers per task with their recency and repeat weights, and
card memory per task (FSRS retrievability summed in the query, cards.scheduling.retrievability_sql),
so neither the queries nor the rows they return grow with the learner's history. `at` gives
the evidence as it stood at that moment, for the forecast made before a mock exam: answers
before it, and each card's FSRS state then (its current state, or the state saved in the
first review log after that moment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, FloatField, Min, Q, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Greatest, Power
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from studyapp.cards import scheduling
from studyapp.cards.models import Card, CardState, ReviewLog
from studyapp.notes.models import TaskStatement
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.generated import TASKS
from studyapp.quizzes.models import ExamAttempt, PracticeAnswer
from studyapp.quizzes.practice_filters import GENERATED_LABELS

from . import exam_scores
from .model import HALF_LIFE_DAYS, REPEAT_WEIGHT, TaskEvidence, answer_weight
from .models import ExamForecast, Snapshot

# Answers older than this weigh under 1/64 of a fresh one: they are left out.
HORIZON = timedelta(days=6 * HALF_LIFE_DAYS)


@dataclass
class StudyLinks:
    """Where a task is studied: its cards, its questions, its guide page, its simulators."""

    cards: str
    questions: str
    guide: str
    simulators: list[tuple[str, str]]  # (label, url)
    generated: list[tuple[str, str]]  # (label, url of a practice round a simulator writes)


def evidence(user, now: datetime, *, at: datetime | None = None) -> list[TaskEvidence]:
    """Each task statement's evidence for `user`, as of `at` (default: now)."""
    moment = at or now
    tasks = {
        task.pk: TaskEvidence(
            code=task.code,
            title=task.title,
            weight=task.domain.weight * task.weight / 10_000,
        )
        for task in TaskStatement.objects.select_related("domain")
    }
    deck = Card.objects.filter(owner__isnull=True, retired=False, task__isnull=False)
    for task_id, n in (
        deck.values("task_id").annotate(n=Count("id")).values_list("task_id", "n").order_by()
    ):
        tasks[task_id].cards = n
    _add_memory(user, tasks, moment, at is not None)
    _add_answers(user, tasks, moment)
    return list(tasks.values())


def _add_memory(user, tasks: dict[int, TaskEvidence], moment: datetime, past: bool) -> None:
    """Cards studied and the sum of their FSRS retrievability per task, summed in SQL."""
    deck = {"card__owner__isnull": True, "card__retired": False, "card__task__isnull": False}
    states = CardState.objects.filter(user=user, **deck)
    if past:
        states = states.filter(last_review__lt=moment)  # not reviewed since: the state then
    recall = scheduling.retrievability_sql(moment)
    # A state has a retrievability when it has a stability and a last review (fsrs's 0
    # otherwise): counting those rather than the non-null results spares SQLite computing
    # the formula twice a row.
    studied = Count("pk", filter=Q(stability__isnull=False, last_review__isnull=False))
    rows = list(_per_task(states, recall, studied))
    if past:
        # A card reviewed at or after `moment`: its state just before, kept in the first
        # review log after that moment (empty when the card was new then).
        after = ReviewLog.objects.filter(user=user, reviewed_at__gte=moment)
        first_after = after.values("card_id").annotate(first=Min("id")).values("first")
        logs = ReviewLog.objects.filter(pk__in=first_after, before__isnull=False, **deck)
        then = scheduling.retrievability_sql(
            moment,
            stability=Cast(KeyTextTransform("stability", "before"), FloatField()),
            last_review=KeyTextTransform("last_review", "before"),
        )
        rows += _per_task(logs, then)
    for task_id, studied, recall_sum in rows:
        tasks[task_id].studied += studied
        tasks[task_id].recall_sum += recall_sum or 0.0


def _per_task(rows, recall, studied=None):
    """(task id, cards with a memory state, sum of their retrievability) per task; `studied`
    counts the rows whose retrievability is not null (default: counts it)."""
    return (
        rows.annotate(recall=recall)
        .values("card__task_id")
        .annotate(studied=studied or Count("recall"), recall_sum=Sum("recall"))
        .values_list("card__task_id", "studied", "recall_sum")
        .order_by()
    )


def _add_answers(user, tasks: dict[int, TaskEvidence], moment: datetime) -> None:
    """Answers per task with their weights (model.answer_weight): practice answers summed in
    SQL, mock exams from their stored counts per task, summed in SQL too (exam_scores)."""
    since = moment - HORIZON
    # Answers are grouped by task (PracticeAnswer.task, the question's when answered), by
    # first-or-repeat (PracticeAnswer.first) and by right or wrong, the repeat weight applied
    # to each group's sum here: one sum of the weights a row (SQLite would compute the weight
    # again for a second, filtered sum). The learner's index covers every column read.
    practice = (
        PracticeAnswer.objects.filter(
            user=user, answered_at__lt=moment, answered_at__gte=since, task__isnull=False
        )
        .annotate(weight=_recency(moment, "answered_at"))
        .values("task_id", "first", "correct")
        .annotate(n=Count("id"), weights=Sum("weight"))
        .values_list("task_id", "first", "correct", "n", "weights")
        .order_by()
    )
    for task_id, is_first, correct, n, weights in practice:
        task = tasks[task_id]
        weight = (1.0 if is_first else REPEAT_WEIGHT) * (weights or 0.0)
        task.answers += n
        task.seen += weight
        if correct:
            task.right += weight
    by_code = {task.code: task for task in tasks.values()}
    sums, missing = exam_scores.exam_sums(user.pk, moment, since)
    for row in sums:
        task = by_code.get(row.code)
        if task is not None:  # else a task no longer in the exam guide
            task.answers += row.answers
            task.seen += row.seen
            task.right += row.right
    if missing:  # exams scored without task_scores: counted once from their items
        filled = quiz_services.exam_task_scores_fill(missing)
        finished = ExamAttempt.objects.filter(pk__in=missing).values_list("pk", "finished_at")
        _add_exam_scores(by_code, moment, [(at, filled[pk]) for pk, at in finished])


def _add_exam_scores(by_code: dict[str, TaskEvidence], moment: datetime, exams) -> None:
    """Finished mock exams from their counts per task (ExamAttempt.task_scores), as
    exam_scores.exam_sums adds them up in SQL: all of an exam's answers share its weight,
    model.answer_weight of when it was finished."""
    for finished_at, scores in exams:
        weight = answer_weight((moment - finished_at).total_seconds() / 86_400)
        for code, (right, total) in scores.items():
            task = by_code.get(code)
            if task is None:  # a task no longer in the exam guide
                continue
            task.answers += total
            task.seen += weight * total
            task.right += weight * right


def _number(value: float) -> Value:
    return Value(value, output_field=FloatField())


def _recency(moment: datetime, column: str):
    """model.answer_weight in SQL: 0.5 ** (days before `moment` / HALF_LIFE_DAYS)."""
    age = (_number(moment.timestamp()) - scheduling.Epoch(F(column))) / _number(86_400.0)
    return Power(_number(0.5), Greatest(age, _number(0.0)) / _number(HALF_LIFE_DAYS))


CHART_DAYS = 180
EXAMS_SHOWN = 12


@dataclass
class ExamComparison:
    attempt: object  # ExamAttempt
    forecast: object | None  # ExamForecast, or None while not computed yet

    @property
    def difference(self) -> int | None:
        if self.forecast is None or self.forecast.score is None:
            return None
        return self.attempt.scaled_score - self.forecast.score


def latest_exams(user) -> list:
    """The learner's latest finished mock exams (EXAMS_SHOWN), newest first, with what the
    page shows of them (not their stored scores per domain and task)."""
    return list(
        ExamAttempt.objects.filter(user=user, finished_at__isnull=False)
        .only("pk", "user_id", "started_at", "finished_at", "scaled_score")
        .order_by("-started_at")[:EXAMS_SHOWN]
    )


def history(user, now: datetime, attempts: list) -> tuple[list, list[ExamComparison]]:
    """The snapshots of the last CHART_DAYS days, and `attempts` (latest_exams) with their
    forecasts, oldest first."""
    since = timezone.localdate(now) - timedelta(days=CHART_DAYS)
    snapshots = list(Snapshot.objects.filter(user=user, day__gte=since).order_by("day"))
    forecasts = {
        forecast.attempt_id: forecast
        for forecast in ExamForecast.objects.filter(attempt__in=[a.pk for a in attempts])
    }
    comparisons = [ExamComparison(a, forecasts.get(a.pk)) for a in reversed(attempts)]
    return snapshots, comparisons


SIMULATORS = {
    "1.1": [(_("Amazon SQS"), "sims:sqs"), (_("Kinesis Data Streams"), "sims:kinesis")],
    "1.3": [(_("DynamoDB"), "sims:dynamodb")],
    "2.1": [(_("IAM policy evaluation"), "sims:iam")],
}


def study_links(code: str) -> StudyLinks:
    """Links to study a task: cards, questions, guide page, and where they exist the
    simulators and the practice rounds they write."""
    base = reverse("quizzes:practice")
    simulators = []
    for label, name in SIMULATORS.get(code, []):
        try:
            simulators.append((label, reverse(name)))
        except NoReverseMatch:
            continue  # that simulator's page is not installed yet
    generated = [
        (GENERATED_LABELS[kind], f"{base}?{urlencode({'generated': kind, 'new_set': 1})}")
        for kind, task in TASKS.items()
        if task == code
    ]
    return StudyLinks(
        cards=f"{reverse('cards:review')}?{urlencode({'task': code})}",
        questions=f"{base}?{urlencode({'task': code, 'new_set': 1})}",
        guide=reverse("notes:task", args=[code]),
        simulators=simulators,
        generated=generated,
    )
