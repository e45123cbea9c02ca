"""What the readiness page remembers: one prediction per learner and day, and the forecast
made before each mock exam, to set beside the score the exam gave."""

from django.conf import settings
from django.db import models

from studyapp.quizzes.models import ExamAttempt


class Snapshot(models.Model):
    """The learner's predicted score on one day: a point of the chart. Written when the
    readiness page or panel is viewed, at most one row per day (the day's latest figure)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    day = models.DateField()
    score = models.PositiveSmallIntegerField()
    low = models.PositiveSmallIntegerField()
    high = models.PositiveSmallIntegerField()
    pass_probability = models.FloatField()
    answers = models.PositiveIntegerField(help_text="Answers the prediction was based on.")
    tasks = models.JSONField(default=dict, help_text="Task code -> estimated share right.")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_readiness_snapshot_per_day")
        ]
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.user} {self.day}: {self.score}"


class ExamForecast(models.Model):
    """What the model predicted from everything done before a mock exam started.

    Empty figures mean there was too little data then for a prediction."""

    attempt = models.OneToOneField(ExamAttempt, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    low = models.PositiveSmallIntegerField(null=True, blank=True)
    high = models.PositiveSmallIntegerField(null=True, blank=True)
    pass_probability = models.FloatField(null=True, blank=True)
    answers = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.score}"
