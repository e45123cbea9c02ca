"""Instructors' classrooms: question sets, cohorts of learners, assignments and their attempts.

An instructor's own questions are ``quizzes.Question`` rows with ``owner`` set (never in the
public bank); sharing one with a cohort is a ``SharedQuestion`` row.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from studyapp.quizzes.models import ExamAttempt, Question


def new_invite_token() -> str:
    return secrets.token_urlsafe(18)


class QuestionSet(models.Model):
    """Questions an instructor picked (bank, own, generated), to reuse in games and homework."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_sets"
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("classroom:set", args=[self.pk])


class QuestionSetItem(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "question"], name="classroom_question_once_per_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_set} #{self.position}"


class Cohort(models.Model):
    """A class: learners who joined by the instructor's invitation link."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohorts_taught"
    )
    name = models.CharField(_("name"), max_length=120)
    # The secret in the invitation link; a new one makes the old link stop working.
    invite_token = models.CharField(max_length=32, unique=True, default=new_invite_token)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="cohorts"
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classroom:cohort", args=[self.pk])


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "learner"], name="classroom_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.cohort}"


class SharedQuestion(models.Model):
    """An instructor's own question, shared with one of their cohorts for practice."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="shared")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "question"], name="classroom_share_once")
        ]

    def __str__(self) -> str:
        return f"{self.question} -> {self.cohort}"


class Assignment(models.Model):
    """Homework: a question set or a mock exam, open from ``opens_at``; late after ``closes_at``."""

    class Kind(models.TextChoices):
        SET = "set", _("A question set")
        EXAM = "exam", _("A mock exam")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("what"), max_length=8, choices=Kind.choices, default=Kind.SET)
    question_set = models.ForeignKey(
        QuestionSet, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="classroom_assignment_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("classroom:assignment", args=[self.pk])


class Attempt(models.Model):
    """One learner's work on one assignment (one each); late when handed in after closing."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempts")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignment_attempts"
    )
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveIntegerField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    late = models.BooleanField(default=False)
    # A mock exam assignment is taken in the mock exam pages; this is that attempt.
    exam = models.ForeignKey(
        ExamAttempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "learner"], name="classroom_one_attempt_per_learner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.assignment}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class AttemptItem(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(help_text="Choice ids in the order this attempt shows them.")
    selected = models.JSONField(default=list, blank=True)
    correct = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="classroom_one_item_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt} #{self.position}"
