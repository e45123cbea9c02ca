"""Live quiz state: everything a request needs is here, so any worker can serve any request.

Time is stored as timestamps (``opened_at``, ``deadline``); nothing waits in a process. The
question closes lazily, when a request sees its deadline passed (see ``services.session_tick``).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from studyapp.quizzes.models import Question

TEAM_NAMES = [_("Red"), _("Blue"), _("Gold"), _("Green"), _("Purple"), _("Grey")]
MAX_TEAMS = len(TEAM_NAMES)


def team_name(number: int) -> str:
    return str(TEAM_NAMES[number % MAX_TEAMS])


class LiveSession(models.Model):
    class State(models.TextChoices):
        LOBBY = "lobby", _("Lobby")
        OPEN = "open", _("Question open")
        CLOSED = "closed", _("Answer shown")
        FINISHED = "finished", _("Finished")

    DEFAULT_TIME_LIMIT = 20

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_sessions"
    )
    title = models.CharField(max_length=200)
    code = models.CharField(max_length=6, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.LOBBY)
    time_limit = models.PositiveSmallIntegerField(default=DEFAULT_TIME_LIMIT)
    streak_bonus = models.BooleanField(default=True)
    # Position (0-based) of the question on screen; null in the lobby.
    current = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the current question opened, moved forward on resume so that paused time
    # never counts as time taken.
    opened_at = models.DateTimeField(null=True, blank=True)
    # When the current question closes; null while paused.
    deadline = models.DateTimeField(null=True, blank=True)
    paused_remaining_ms = models.PositiveIntegerField(null=True, blank=True)
    # Bumped on every change of state players can see: the ETag of the polled fragments.
    version = models.PositiveIntegerField(default=1)
    # The host closed the lobby: nobody new may join (players already in stay).
    locked = models.BooleanField(default=False)
    # Team mode: players are dealt into this many teams as they join (0: everyone for
    # themselves); a team's score is the mean of its members' scores.
    team_count = models.PositiveSmallIntegerField(default=0)
    # Nobody sees ranks or the leaderboard until the podium.
    hide_leaderboard = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(state="finished"),
                name="live_code_unique_while_running",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("live:host", args=[self.pk])

    @property
    def paused(self) -> bool:
        return self.state == self.State.OPEN and self.paused_remaining_ms is not None

    @property
    def finished(self) -> bool:
        return self.state == self.State.FINISHED

    @property
    def teams(self) -> bool:
        return self.team_count > 0

    def deadline_ms(self) -> int | None:
        """The running countdown's end, in milliseconds since the epoch (browsers count down)."""
        return int(self.deadline.timestamp() * 1000) if self.deadline else None


class LiveQuestion(models.Model):
    """One question of a session, in order, with the choice order everyone sees."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice_order = models.JSONField(help_text="Choice ids in the order shown (A, B, C, ...).")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="live_one_item_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.position + 1}"

    @property
    def number(self) -> int:
        return self.position + 1


class Player(models.Model):
    """An anonymous player; ``token_hash`` is the SHA-256 of the secret in their cookie."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="players")
    nickname = models.CharField(max_length=24)
    # nicknames.skeleton(nickname): look-alike nicknames share it, and a game holds it once.
    nickname_key = models.CharField(max_length=96)
    token_hash = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    kicked = models.BooleanField(default=False)
    score = models.IntegerField(default=0)
    # 0-based team number in team mode (see LiveSession.team_count), else null.
    team = models.PositiveSmallIntegerField(null=True, blank=True)
    # A signed-in learner who joined: their answers count in their cohort's report.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_players",
    )
    # Bumped when this player's own view changes (an answer): part of their ETag.
    rev = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "nickname_key"], name="live_nickname_unique_in_session"
            )
        ]

    def __str__(self) -> str:
        return self.nickname

    @property
    def team_name(self) -> str:
        return team_name(self.team) if self.team is not None else ""


class Answer(models.Model):
    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="answers")
    choice_ids = models.JSONField(default=list)
    correct = models.BooleanField()
    elapsed_ms = models.PositiveIntegerField()
    points = models.PositiveIntegerField()
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["player", "item"], name="live_one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.player} · {self.item}"
