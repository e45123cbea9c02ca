"""Reads of the exam guide: domains, task statements, the topics that teach each, and counts.

Counts of cards and questions come through the task's reverse relations (cards, questions),
so that the notes app does not import the apps built on it. Each function runs a fixed
number of queries, whatever the size of the bank or of the learner's history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import ExamDomain, TaskStatement, Topic, TopicRead


@dataclass
class TaskSummary:
    task: TaskStatement
    topics: list[Topic] = field(default_factory=list)
    cards: int = 0
    questions: int = 0
    studied_cards: int = 0
    answered_questions: int = 0
    read_topics: int = 0

    @property
    def guide_pages(self) -> list[Topic]:
        return [topic for topic in self.topics if topic.is_guide]

    @property
    def notes_topics(self) -> list[Topic]:
        return [topic for topic in self.topics if not topic.is_guide]

    @property
    def studied_percent(self) -> int:
        done = self.studied_cards + self.answered_questions
        total = self.cards + self.questions
        return round(100 * done / total) if total else 0


@dataclass
class DomainSummary:
    domain: ExamDomain
    tasks: list[TaskSummary]


def _counts(queryset, **annotation) -> dict[int, int]:
    (name,) = annotation
    return dict(queryset.annotate(**annotation).values_list("pk", name))


def task_summaries(user, tasks=None) -> list[TaskSummary]:
    """Each task with its topics (notes in reading order, then guide pages) and counts; the
    learner's progress when signed in."""
    tasks = list(tasks if tasks is not None else TaskStatement.objects.select_related("domain"))
    ids = [task.pk for task in tasks]
    scope = TaskStatement.objects.filter(pk__in=ids)
    cards = _counts(
        scope, n=Count("cards", filter=Q(cards__owner__isnull=True, cards__retired=False))
    )
    questions = _counts(scope, n=Count("questions", filter=Q(questions__retired=False)))
    links = Topic.tasks.through.objects.filter(
        taskstatement_id__in=ids, topic__retired=False
    ).select_related("topic")
    topics: dict[int, list[Topic]] = {}
    for link in links.order_by("topic__order"):
        topics.setdefault(link.taskstatement_id, []).append(link.topic)
    summaries = {
        task.pk: TaskSummary(
            task, topics.get(task.pk, []), cards.get(task.pk, 0), questions.get(task.pk, 0)
        )
        for task in tasks
    }
    if user.is_authenticated:
        studied = _counts(
            scope,
            n=Count("cards__states", filter=Q(cards__states__user=user, cards__retired=False)),
        )
        answered_ids = Q(questions__practiceanswer__user=user) | Q(
            questions__examitem__attempt__user=user, questions__examitem__answered_at__isnull=False
        )
        answered = _counts(scope, n=Count("questions", filter=answered_ids, distinct=True))
        read = dict(
            TopicRead.objects.filter(user=user, topic__tasks__in=ids)
            .values("topic__tasks")
            .annotate(n=Count("topic", distinct=True))
            .values_list("topic__tasks", "n")
        )
        for pk, summary in summaries.items():
            summary.studied_cards = studied.get(pk, 0)
            summary.answered_questions = answered.get(pk, 0)
            summary.read_topics = read.get(pk, 0)
    return [summaries[task.pk] for task in tasks]


def exam_guide(user) -> list[DomainSummary]:
    summaries = task_summaries(user)
    domains = list(ExamDomain.objects.all())
    return [
        DomainSummary(domain, [s for s in summaries if s.task.domain_id == domain.number])
        for domain in domains
    ]


def task_by_code(code: str) -> TaskStatement | None:
    if len(code) > 8 or "\x00" in code:  # PostgreSQL refuses NUL in a query
        return None
    return TaskStatement.objects.select_related("domain").filter(code=code).first()
