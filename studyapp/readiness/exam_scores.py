"""Finished mock exams' answers per task, summed in SQL with their recency weights.

Each finished exam keeps its right and total answers per task code (ExamAttempt.task_scores,
{"1.1": [right, total], ...}); all of an exam's answers share one weight, model.answer_weight
of when it was finished. Reading fifty exams' JSON into Python and adding them up cost the
readiness panel of a heavy learner more than its queries (benchmarks/pages.py); the database
expands the JSON (SQLite's json_each, PostgreSQL's jsonb_each) and returns one row per task,
however many exams there are. The statement is written once per database vendor, names from
the model, values as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection

from studyapp.cards import scheduling
from studyapp.quizzes.models import ExamAttempt

from .model import HALF_LIFE_DAYS


@dataclass(frozen=True)
class TaskSums:
    code: str
    answers: int  # answers, unweighted
    seen: float  # answers, each weighted by its exam's recency
    right: float  # right answers, weighted the same way


@cache
def _statement(vendor: str) -> str:
    q = connection.ops.quote_name
    table = q(ExamAttempt._meta.db_table)
    user, finished, scores, pk = q("user_id"), q("finished_at"), q("task_scores"), q("id")
    finished_since = f"{user} = %s AND {finished} < %s AND {finished} >= %s"
    if vendor == "postgresql":
        expand = "CROSS JOIN LATERAL jsonb_each(e.scores) AS j"
        right, total = "(j.value->>0)::double precision", "(j.value->>1)::double precision"
        age_floor = "GREATEST"
    else:
        expand = ", json_each(e.scores) AS j"
        right, total = "json_extract(j.value, '$[0]')", "json_extract(j.value, '$[1]')"
        age_floor = "MAX"
    # The weight, as selectors._recency writes it for querysets: 0.5 ** (days before the
    # moment / half-life), never above 1.
    epoch = scheduling.epoch_sql(vendor, finished)
    weight = f"POWER(0.5, {age_floor}((%s - {epoch}) / 86400.0, 0.0) / {HALF_LIFE_DAYS!r})"
    return (
        f"SELECT j.key, SUM({total}), SUM(e.weight * {total}), SUM(e.weight * {right}) "
        f"FROM (SELECT {scores} AS scores, {weight} AS weight FROM {table} "
        f"WHERE {finished_since} AND {scores} IS NOT NULL) AS e {expand} GROUP BY j.key "
        # Exams scored without task_scores, one row each: the caller counts them from
        # their items (quizzes.services.exam_task_scores_fill).
        f"UNION ALL SELECT NULL, {pk}, NULL, NULL FROM {table} "
        f"WHERE {finished_since} AND {scores} IS NULL"
    )


def exam_sums(user_id: int, moment: datetime, since: datetime) -> tuple[list[TaskSums], list[int]]:
    """The sums per task code of the exams `user_id` finished in [since, moment), and the
    ids of those among them without task_scores."""
    adapt = connection.ops.adapt_datetimefield_value
    window = [user_id, adapt(moment), adapt(since)]
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor), [moment.timestamp(), *window, *window])
        rows = cursor.fetchall()
    sums, missing = [], []
    for code, answers, seen, right in rows:
        if code is None:
            missing.append(int(answers))  # the exam's id
        else:
            sums.append(TaskSums(code, int(answers), seen, right))
    return sums, missing
