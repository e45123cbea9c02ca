from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from studyapp.cards.models import MemoryState
from studyapp.notes.models import TaskStatement, Topic


class Domain(models.IntegerChoices):
    """DVA-C02 content domains and their weights in the exam."""

    DEVELOPMENT = 1, _("Development with AWS Services")
    SECURITY = 2, _("Security")
    DEPLOYMENT = 3, _("Deployment")
    TROUBLESHOOTING = 4, _("Troubleshooting and Optimization")


def is_correct(selected, correct) -> bool:
    """All or nothing: exactly the correct choices, no more, no fewer (every quiz mode)."""
    return bool(selected) and set(selected) == set(correct)


class QuestionQuerySet(models.QuerySet):
    def active(self):
        """The public bank: authored questions in use. An instructor's own are not in it, nor
        those a simulator writes (`generated()`): mock exams, live topic draws, exports and the
        content-quality bar all read this."""
        return self.filter(retired=False, owner__isnull=True, generator="")

    def generated(self, kind: str = ""):
        """Questions a simulator wrote and checked (quizzes.generated), of one generator if
        `kind` is given: they are practised in their own rounds, never in the authored bank."""
        questions = self.filter(retired=False, owner__isnull=True).exclude(generator="")
        return questions.filter(generator=kind) if kind else questions

    def practicable(self):
        """What a learner may answer in practice: the public bank and the generated questions."""
        return self.filter(retired=False, owner__isnull=True)

    def owned_by(self, user):
        """An instructor's own questions, private to them and their cohorts."""
        return self.filter(retired=False, owner=user)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Multiple choice")
        MULTIPLE = "multiple", _("Multiple response")

    key = models.SlugField(max_length=160, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_questions",
        help_text=_("Empty for the public bank; the instructor who wrote the question otherwise."),
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    task = models.ForeignKey(
        TaskStatement, null=True, on_delete=models.PROTECT, related_name="questions"
    )
    domain = models.PositiveSmallIntegerField(choices=Domain.choices, db_index=True)
    difficulty = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    stem_text = models.TextField()
    stem_html = models.TextField()
    explanation_text = models.TextField()
    explanation_html = models.TextField()
    sources = models.JSONField(default=list)
    order = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    retired = models.BooleanField(default=False)
    generator = models.CharField(
        max_length=16,
        blank=True,
        default="",
        db_index=True,
        help_text=_(
            "The simulator that wrote and checked this question (iam, sqs, kinesis, dynamodb); "
            "empty for an authored one."
        ),
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["retired", "domain"])]

    def __str__(self) -> str:
        return self.key

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(help_text=_("Order as authored; shown shuffled."))
    text = models.TextField()
    text_html = models.TextField()
    correct = models.BooleanField(default=False)
    why_html = models.TextField(blank=True, help_text=_("Why this option is wrong."))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="one_choice_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.question.key} #{self.position}"


class QuestionState(MemoryState):
    """A learner's FSRS memory of a question they answered in practice (missed ones come back)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="states")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_state_per_question")
        ]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.question}"


class PracticeAnswer(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    question = models.ForeignKey(Question, on_delete=models.CASCADE)
    selected = models.JSONField(default=list)
    correct = models.BooleanField()
    answered_at = models.DateTimeField()
    token = models.CharField(
        max_length=64, help_text="One per question shown: a resubmit is not a new answer."
    )
    first = models.BooleanField(
        default=True,
        help_text="The learner's first answer to this question: a later one may be remembered "
        "rather than known, and the readiness model weighs it less. Written with the answer "
        "(rows written in bulk must set it).",
    )
    task = models.ForeignKey(
        TaskStatement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # read through the learner's index below, never on its own
        help_text="The question's task statement when it was answered, as a finished exam keeps "
        "its scores per task: the readiness model sums answers per task without reading every "
        "question. Written with the answer (rows written in bulk must set it).",
    )

    class Meta:
        indexes = [
            # Also covers what the readiness model sums of a learner's recent answers.
            models.Index(
                fields=["user", "-answered_at", "task", "first", "correct"],
                name="practice_user_recent",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="one_practice_answer_per_token")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} · {'right' if self.correct else 'wrong'}"


class ExamAttempt(models.Model):
    EXAM_QUESTIONS = 65
    EXAM_MINUTES = 130
    PASS_SCORE = 720

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(default=EXAM_QUESTIONS)
    scaled_score = models.PositiveSmallIntegerField(null=True, blank=True)
    domain_scores = models.JSONField(default=dict, blank=True)
    task_scores = models.JSONField(
        null=True,
        blank=True,
        help_text="Task code -> [right, total] of the questions with a task, written when the "
        "exam is scored; the readiness model reads it rather than every item (issue #21).",
    )

    class Meta:
        indexes = [models.Index(fields=["user", "-started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(finished_at__isnull=True),
                name="one_unfinished_exam_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} exam {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def passed(self) -> bool:
        return self.scaled_score is not None and self.scaled_score >= self.PASS_SCORE


class ExamItem(models.Model):
    attempt = models.ForeignKey(ExamAttempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(help_text="Choice ids in the order this attempt shows them.")
    selected = models.JSONField(default=list, blank=True)
    flagged = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    correct = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="one_item_per_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="one_item_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} #{self.position}"
