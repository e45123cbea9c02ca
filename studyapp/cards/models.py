from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from studyapp.notes.models import Erratum, TaskStatement, Topic


class CardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The authored deck plus the cards this learner imported; never another's."""
        mine = models.Q(owner=user) if user.is_authenticated else models.Q(pk__in=[])
        return self.filter(models.Q(owner__isnull=True) | mine, retired=False)


class Card(models.Model):
    """One reviewable card. A reversed note gives two cards, a cloze note one per deletion."""

    class Kind(models.TextChoices):
        BASIC = "basic", _("Basic")
        REVERSED = "reversed", _("Basic and reversed")
        CLOZE = "cloze", _("Cloze")

    key = models.SlugField(max_length=160, unique=True)
    note_key = models.SlugField(max_length=160, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="cards")
    task = models.ForeignKey(
        TaskStatement, null=True, blank=True, on_delete=models.PROTECT, related_name="cards"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_cards",
        help_text=_("Empty for the authored deck; the learner who imported the card otherwise."),
    )
    tags = models.CharField(max_length=300, blank=True)
    front_text = models.TextField()
    back_text = models.TextField()
    front_html = models.TextField()
    back_html = models.TextField()
    sources = models.JSONField(default=list, blank=True)
    erratum = models.ForeignKey(Erratum, null=True, blank=True, on_delete=models.SET_NULL)
    order = models.PositiveIntegerField(default=0, db_index=True)
    content_hash = models.CharField(max_length=64, blank=True)
    retired = models.BooleanField(default=False)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.key


class MemoryState(models.Model):
    """A learner's FSRS memory of one item (a card, a practice question): the fsrs.Card fields."""

    class State(models.IntegerChoices):
        LEARNING = 1, _("Learning")
        REVIEW = 2, _("Review")
        RELEARNING = 3, _("Relearning")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    state = models.PositiveSmallIntegerField(choices=State.choices)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class CardState(MemoryState):
    """A learner's state for one card; no row means the card is still new."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="states")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "card"], name="one_state_per_card")]
        indexes = [
            models.Index(fields=["user", "state", "due"]),
            # Covering what recall sums read of a learner's states (readiness, statistics):
            # the database reads the index alone, not thousands of table rows.
            models.Index(
                fields=["user", "card", "last_review", "stability"], name="cardstate_user_recall"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.card}"


class ReviewLog(models.Model):
    """One grade given to one card; `before` keeps the prior state so a review can be undone."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, _("Again")
        HARD = 2, _("Hard")
        GOOD = 3, _("Good")
        EASY = 4, _("Easy")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField()
    review_day = models.DateField(help_text=_("The learner's day of the review."))
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    state_before = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Empty when the card was new.")
    )
    elapsed_days = models.FloatField(
        null=True, blank=True, help_text=_("Days since the previous review of the card.")
    )
    scheduled_days = models.FloatField(help_text=_("The interval this review gave, in days."))
    before = models.JSONField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="one_review_per_key")
        ]
        indexes = [
            models.Index(fields=["user", "-reviewed_at"]),
            models.Index(fields=["user", "review_day"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.card} · {self.get_rating_display()}"


class LearnerSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_settings"
    )
    desired_retention = models.FloatField(
        _("desired retention"),
        default=0.90,
        validators=[MinValueValidator(0.70), MaxValueValidator(0.97)],
        help_text=_("How much of what you study you want to remember (0.70–0.97)."),
    )
    new_per_day = models.PositiveSmallIntegerField(
        _("new cards per day"), default=20, validators=[MaxValueValidator(500)]
    )
    reviews_per_day = models.PositiveSmallIntegerField(
        _("reviews per day"), default=200, validators=[MaxValueValidator(5000)]
    )

    def __str__(self) -> str:
        return f"{self.user} settings"


class ReviewDay(models.Model):
    """A learner's reviews of one past day, counted once: the statistics read these rows rather
    than every review log, so the page costs the same after a year of study (issue #21)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    day = models.DateField()
    reviews = models.PositiveIntegerField(default=0)
    mature = models.PositiveIntegerField(
        default=0, help_text=_("First reviews of the day of mature cards (true retention).")
    )
    mature_passed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_review_day")]

    def __str__(self) -> str:
        return f"{self.user} · {self.day}"


class ReviewSummary(models.Model):
    """How far a learner's ReviewDay rows go: every day before `summarised_before` is counted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_summary"
    )
    summarised_before = models.DateField()

    def __str__(self) -> str:
        return f"{self.user} summarised before {self.summarised_before}"
