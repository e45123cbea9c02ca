"""Practice and mock-exam accuracy by exam domain, week by week, for the statistics page.

It reads the quizzes app's answers through the ORM (three queries, whatever the history's
size) and writes nothing: the quizzes app stays the only one that records answers.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.formats import date_format

from studyapp.quizzes.models import Domain, ExamAttempt, ExamItem, PracticeAnswer

WEEKS = 12


@dataclass
class Cell:
    right: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        return 100 * self.right / self.total if self.total else None


@dataclass
class Accuracy:
    """One source (practice or mock exams): a row per week with answers, a cell per domain."""

    weeks: list[date] = field(default_factory=list)
    domains: list[tuple[int, str]] = field(default_factory=list)
    cells: dict[tuple[date, int], Cell] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[str, list[Cell]]]:
        """(week label, one cell per domain) for the weeks that have answers."""
        return [
            (
                week_label(week),
                [self.cells.get((week, number), Cell()) for number, _t in self.domains],
            )
            for week in self.weeks
            if any((week, number) in self.cells for number, _t in self.domains)
        ]

    @property
    def totals(self) -> list[Cell]:
        return [
            Cell(
                sum(self.cells[key].right for key in self.cells if key[1] == number),
                sum(self.cells[key].total for key in self.cells if key[1] == number),
            )
            for number, _title in self.domains
        ]

    @property
    def empty(self) -> bool:
        return not self.cells

    def series(self) -> list[tuple[str, list[float | None]]]:
        return [
            (title, [self.cells.get((week, number), Cell()).percent for week in self.weeks])
            for number, title in self.domains
        ]


def week_label(week: date) -> str:
    return date_format(week, "j M")


def recent_weeks(today: date, weeks: int = WEEKS) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=weeks - 1 - index) for index in range(weeks)]


def _start_of(week: date) -> datetime:
    return timezone.make_aware(datetime.combine(week, time.min))


def _bucket(when: str, bounds: list[datetime]):
    """The number of `bounds` (ascending) that `when` is at or after, as a balanced tree of
    CASE expressions: about log2(len(bounds)) comparisons per answer, not one per bound."""
    if not bounds:
        return Value(0)
    mid = len(bounds) // 2
    return Case(
        When(
            **{f"{when}__gte": bounds[mid]}, then=Value(mid + 1) + _bucket(when, bounds[mid + 1 :])
        ),
        default=_bucket(when, bounds[:mid]),
        output_field=IntegerField(),
    )


def _by_week(answers, when: str, right: Q, weeks: list[date]) -> Accuracy:
    """Right and total answers per domain and week, in one query that returns a row per
    domain and week. An answer's week is the number of week starts it is at or after: plain
    comparisons of ``when`` (_bucket), so the database never calls a date function per answer
    (which SQLite does in Python), and two counts per group rather than two per week and row."""
    starts = [_start_of(week) for week in weeks]
    end = _start_of(weeks[-1] + timedelta(weeks=1))
    index = _bucket(when, starts[1:])
    rows = (
        answers.filter(**{f"{when}__gte": starts[0], f"{when}__lt": end})
        .values(domain=F("question__domain"), week=index)
        .annotate(total=Count("pk"), right=Count("pk", filter=right))
        .order_by()
    )
    result = Accuracy(weeks=weeks, domains=[(value, str(label)) for value, label in Domain.choices])
    for row in rows:
        result.cells[(weeks[row["week"]], row["domain"])] = Cell(row["right"], row["total"])
    return result


def practice_accuracy(user, today: date, weeks: int = WEEKS) -> Accuracy:
    """Share of practice answers that were right, per domain and week."""
    answers = PracticeAnswer.objects.filter(user=user)
    return _by_week(answers, "answered_at", Q(correct=True), recent_weeks(today, weeks))


def exam_accuracy(user, today: date, weeks: int = WEEKS) -> Accuracy:
    """Share of mock-exam questions answered right (unanswered ones count as wrong), per domain
    and the week each exam was finished.

    A finished exam keeps its count per domain (ExamAttempt.domain_scores, written once by
    quizzes.services.exam_finish): those are read, a row per exam, rather than every item of
    every exam. Exams finished without them (rows written directly) are counted from their
    items; that second query finds none in the app's own use."""
    weeks_ = recent_weeks(today, weeks)
    starts = [_start_of(week) for week in weeks_]
    finished = ExamAttempt.objects.filter(
        user=user,
        finished_at__gte=starts[0],
        finished_at__lt=_start_of(weeks_[-1] + timedelta(weeks=1)),
    )
    result = Accuracy(
        weeks=weeks_, domains=[(value, str(label)) for value, label in Domain.choices]
    )
    scored = finished.exclude(domain_scores={}).values_list("finished_at", "domain_scores")
    for finished_at, scores in scored:
        week = weeks_[bisect_right(starts, finished_at) - 1]
        for domain, counts in scores.items():
            cell = result.cells.setdefault((week, int(domain)), Cell())
            cell.right += counts["correct"]
            cell.total += counts["total"]
    items = ExamItem.objects.filter(attempt__in=finished.filter(domain_scores={}))
    unscored = _by_week(items, "attempt__finished_at", Q(correct=True), weeks_)
    for key, counts in unscored.cells.items():
        cell = result.cells.setdefault(key, Cell())
        cell.right += counts.right
        cell.total += counts.total
    return result
