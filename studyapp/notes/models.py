from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired=False)


class ExamDomain(models.Model):
    """One of the exam guide's content domains, with its share of the exam."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    title = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(help_text="Percent of the exam.")
    sources = models.JSONField(default=list)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class TaskStatement(models.Model):
    """A task statement of the exam guide (`1.3`): what it asks, and its share of its domain."""

    code = models.CharField(max_length=8, unique=True)
    domain = models.ForeignKey(ExamDomain, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(help_text="Percent of its domain's questions.")
    body_html = models.TextField()
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("notes:task", args=[self.code])


class Topic(models.Model):
    """A page to read: a heading of the notes, or a study guide page, rendered at load time."""

    class Kind(models.TextChoices):
        NOTES = "notes", _("Notes")
        GUIDE = "guide", _("Study guide")

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.NOTES)
    summary = models.TextField(blank=True)
    tasks = models.ManyToManyField(TaskStatement, blank=True, related_name="topics")
    home_task = models.ForeignKey(
        TaskStatement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="home_topics",
        help_text="Where the topic sits in the exam guide: a guide page's first task.",
    )
    covers = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="covered_by",
        help_text="For a guide page: the notes topic whose empty or thin section it completes.",
    )
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
    # Navigation shows corrected titles and a tree that reads well; the page keeps the
    # notes' heading as written (content/notes-display.md; filled by load_content).
    display_title = models.CharField(max_length=200, blank=True)
    display_parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="display_children",
        help_text="The topic's parent in the navigation tree (may differ from the notes').",
    )
    display_level = models.PositiveSmallIntegerField(default=1)
    display_order = models.PositiveIntegerField(default=0, db_index=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.display_title or self.title

    def get_absolute_url(self) -> str:
        return reverse("notes:topic", args=[self.slug])

    @property
    def title_corrected(self) -> bool:
        """True when navigation shows another title than the notes' heading."""
        return bool(self.display_title) and self.display_title != self.title

    @property
    def is_guide(self) -> bool:
        return self.kind == self.Kind.GUIDE


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


class SearchEntry(models.Model):
    """One searchable item (a topic, a correction, a card, a question), written by load_content.

    The notes app does not import the apps built on it: the loader gives each entry its text,
    its link and what may be shown of it. On PostgreSQL a generated `document` tsvector column
    (added by migration 0005, unknown to the ORM) is matched; on SQLite an FTS5 table is.
    """

    class Kind(models.TextChoices):
        NOTES = "notes", _("Notes")
        GUIDE = "guide", _("Study guide page")
        ERRATUM = "erratum", _("Correction")
        CARD = "card", _("Card")
        QUESTION = "question", _("Question")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=160)
    title = models.CharField(max_length=300)
    text = models.TextField(help_text="Everything matched, answers included.")
    keywords = models.TextField(blank=True, help_text="Extra words: camelCase split, old titles.")
    shown_text = models.TextField(help_text="What a result may show: never an answer.")
    url = models.CharField(max_length=300)
    context = models.CharField(max_length=300, blank=True, help_text="Where the item sits.")
    order = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="one_search_entry_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class SearchTerm(models.Model):
    """The vocabulary of the search index: one row per normalised word, for fuzzy matching."""

    word = models.CharField(max_length=60, unique=True)
    documents = models.PositiveIntegerField(default=0, help_text="Entries holding the word.")

    def __str__(self) -> str:
        return self.word


class SearchTrigram(models.Model):
    """The trigrams of each vocabulary word, for fuzzy matching where pg_trgm is not available."""

    gram = models.CharField(max_length=3, db_index=True)
    term = models.ForeignKey(SearchTerm, on_delete=models.CASCADE, related_name="trigrams")

    def __str__(self) -> str:
        return f"{self.gram} {self.term_id}"


class SimulatorPreset(models.Model):
    """A simulator preset that shows a topic (the preset's "teaches" list), written by
    load_content so that the topic page can link to it."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="presets")
    simulator = models.CharField(max_length=20, help_text="sqs, kinesis, iam or dynamodb")
    name = models.CharField(max_length=80, help_text="The preset's file name, without .json.")
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "simulator", "name"], name="one_link_per_topic_and_preset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.simulator}/{self.name} → {self.topic.slug}"

    def get_absolute_url(self) -> str:
        """The simulator's page with the preset chosen in its picker."""
        return f"{reverse(f'sims:{self.simulator}')}?{urlencode({'preset': self.name})}"
