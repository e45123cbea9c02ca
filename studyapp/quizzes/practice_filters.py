"""Which questions a practice round draws from: topics, a task, a domain, missed ones, the
questions a learner got wrong in one of their mock exams, or those a simulator writes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studyapp.notes.models import TaskStatement, Topic
from studyapp.notes.selectors import topic_subtree

from .generated import KINDS
from .models import Domain, ExamAttempt, ExamItem, PracticeAnswer, Question

MAX_TOPICS = 60
GENERATED_LABELS = {
    "iam": gettext_lazy("IAM policy evaluation"),
    "sqs": gettext_lazy("SQS timelines"),
    "kinesis": gettext_lazy("Kinesis shards"),
    "dynamodb": gettext_lazy("DynamoDB capacity and conditions"),
}


@dataclass(frozen=True)
class PracticeFilter:
    topics: tuple[Topic, ...] = ()
    task: TaskStatement | None = None
    domain: int | None = None
    missed: bool = False
    exam: ExamAttempt | None = None
    everything: bool = False
    chosen: frozenset[str] = field(default_factory=frozenset)
    generated: str = ""  # a generator's kind: questions that simulator writes, never ending

    @property
    def started(self) -> bool:
        return bool(
            self.topics
            or self.task
            or self.domain
            or self.missed
            or self.exam
            or self.everything
            or self.generated
        )

    @property
    def fields(self) -> list[tuple[str, str]]:
        """The filter as form fields: hidden inputs of the question form, the next link."""
        pairs = [("topic", topic.slug) for topic in self.topics]
        if self.task:
            pairs.append(("task", self.task.code))
        if self.domain:
            pairs.append(("domain", str(self.domain)))
        if self.missed:
            pairs.append(("missed", "1"))
        if self.exam:
            pairs.append(("exam", str(self.exam.pk)))
        if self.generated:
            pairs.append(("generated", self.generated))
        if self.everything and not pairs:
            pairs.append(("all", "1"))
        return pairs

    @property
    def query(self) -> str:
        return urlencode(self.fields)

    @property
    def title(self) -> str:
        if self.exam:
            return _("the questions you missed in that mock exam")
        parts = [f"{self.task.code} {self.task.title}"] if self.task else []
        if self.domain:
            parts.append(str(Domain(self.domain).label))
        parts += [topic.title for topic in self.topics]
        if self.generated:
            parts.append(
                _("%(kind)s, written by the simulator") % {"kind": GENERATED_LABELS[self.generated]}
            )
        if self.missed:
            parts.append(_("missed before"))
        return ", ".join(parts)

    def pool(self, user) -> QuerySet[Question]:
        # Authored rounds stay authored; a missed generated question comes back first in its
        # simulator's round, and among "missed before".
        if self.generated:
            questions = Question.objects.generated(self.generated)
        elif self.missed:
            questions = Question.objects.practicable()
        else:
            questions = Question.objects.active()
        if self.topics:
            ids = {pk for topic in self.topics for pk in topic_subtree(topic)}
            questions = questions.filter(topic_id__in=ids)
        if self.task:
            questions = questions.filter(task=self.task)
        if self.domain:
            questions = questions.filter(domain=self.domain)
        if self.missed:
            wrong_in_practice = PracticeAnswer.objects.filter(user=user, correct=False)
            wrong_in_exams = ExamItem.objects.filter(
                attempt__user=user, attempt__finished_at__isnull=False, correct=False
            )
            questions = questions.filter(
                Q(pk__in=wrong_in_practice.values("question_id"))
                | Q(pk__in=wrong_in_exams.values("question_id"))
            )
        if self.exam:
            questions = questions.filter(
                pk__in=self.exam.items.filter(correct=False).values("question_id")
            )
        return questions


def _text(value: str) -> str:
    if "\x00" in value:  # never a slug or a code; PostgreSQL refuses NUL in a query
        raise Http404(_("No such filter."))
    return value


def from_request(request) -> PracticeFilter:
    """The filter a page or form asks for; anything unknown is a 404, never a silent default."""
    data = request.POST if request.method == "POST" else request.GET
    slugs = [_text(slug) for slug in data.getlist("topic")[:MAX_TOPICS]]
    topics = tuple(Topic.objects.active().filter(slug__in=slugs))
    if len(topics) != len(set(slugs)):
        raise Http404(_("No topic with that name."))
    task = None
    if code := _text(data.get("task", "")):
        task = TaskStatement.objects.filter(code=code[:8]).first()
        if task is None:
            raise Http404(_("No task statement with that number."))
    domain = None
    if raw := data.get("domain", ""):
        if not (raw.isascii() and raw.isdigit() and int(raw) in Domain.values):
            raise Http404(_("No domain with that number."))
        domain = int(raw)
    exam = None
    if raw := data.get("exam", ""):
        exam = (
            ExamAttempt.objects.filter(user=request.user, finished_at__isnull=False, pk=raw).first()
            if raw.isascii() and raw.isdigit() and len(raw) < 12
            else None
        )
        if exam is None:
            raise Http404(_("No finished mock exam of yours has that number."))
    generated = data.get("generated", "")
    if generated and generated not in KINDS:
        raise Http404(_("No simulator writes questions of that kind."))
    return PracticeFilter(
        topics=topics,
        task=task,
        domain=domain,
        missed=data.get("missed") == "1",
        exam=exam,
        everything=bool(data.get("all")),
        chosen=frozenset(topic.slug for topic in topics),
        generated=generated,
    )
