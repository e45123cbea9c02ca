from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired=False)


class Topic(models.Model):
    """One heading of the notes and the text under it, rendered once at load time."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField()
    order = models.PositiveIntegerField(db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    source_file = models.CharField(max_length=200)
    source_line = models.PositiveIntegerField()
    body_markdown = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    body_text = models.TextField(blank=True, help_text="Plain text, for search.")
    toc = models.JSONField(default=list, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64)
    retired = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notes:topic", args=[self.slug])


class Erratum(models.Model):
    """A statement of the notes that AWS documentation contradicts, with the corrected fact."""

    class Status(models.TextChoices):
        WRONG = "wrong", _("Wrong")
        OUTDATED = "outdated", _("Outdated")
        IMPRECISE = "imprecise", _("Imprecise")

    key = models.SlugField(max_length=120, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="errata")
    quote = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices)
    sources = models.JSONField(default=list)
    body_html = models.TextField()
    order = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["order"]
        verbose_name = _("erratum")
        verbose_name_plural = _("errata")

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        return f"{self.topic.get_absolute_url()}#erratum-{self.key}"


class TopicRead(models.Model):
    """A learner opened a topic: drives "continue reading" on the home page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_read_per_topic")]
        indexes = [models.Index(fields=["user", "-read_at"])]

    def __str__(self) -> str:
        return f"{self.user} read {self.topic}"
