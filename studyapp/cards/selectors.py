"""Reads for the review queue, and the learners' progress that other apps show (the classroom's
cohort report reads cards only through ``progress_by_task`` and ``last_reviews``). Each is a
fixed number of indexed queries, whatever the deck size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from studyapp.notes.models import TaskStatement, Topic
from studyapp.notes.selectors import topic_subtree

from .models import Card, CardState, LearnerSettings, ReviewLog


@dataclass
class QueueCounts:
    new: int
    learning: int
    due: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


@dataclass
class NextCard:
    card: Card | None
    state: CardState | None
    counts: QueueCounts
    learning_wait: datetime | None = None  # when the next learning card comes back


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def sibling_reviewed(user, day, card_ref: str) -> Q:
    """Whether the learner graded, on `day`, another card of the same note as the card at
    `card_ref` (the twin of a reversed card, another deletion of a cloze): such a card waits
    for tomorrow, as Anki buries siblings, so that one card never gives away the other's
    answer.

    A card is buried when its note was graded today through another card: its note is among
    today's notes, and it is not the one card graded today of its note. Both sets come from
    today's review logs alone (uncorrelated subqueries, computed once), so the cost follows
    today's reviews, not the learner's whole history."""
    today = ReviewLog.objects.filter(user=user, review_day=day)
    notes = today.values("card__note_key")
    only_card = (
        today.values("card__note_key")
        .annotate(cards=Count("card_id", distinct=True), card=Max("card_id"))
        .filter(cards=1)
        .values("card")
    )
    return Q(**{f"{card_ref}note_key__in": notes}) & ~Q(**{f"{card_ref}pk__in": only_card})


@dataclass
class Deck:
    """The cards a learner studies now: the authored deck and their own, maybe one topic's.

    With `day`, the cards whose sibling was reviewed that day are left out (buried)."""

    user: object
    topic_ids: list[int] | None = None
    task_id: int | None = None
    day: date | None = None

    @property
    def cards(self) -> QuerySet[Card]:
        cards = Card.objects.visible_to(self.user)
        if self.topic_ids is not None:
            cards = cards.filter(topic_id__in=self.topic_ids)
        if self.task_id is not None:
            cards = cards.filter(task_id=self.task_id)
        if self.day is not None:
            cards = cards.filter(~sibling_reviewed(self.user, self.day, ""))
        return cards

    @property
    def states(self) -> QuerySet[CardState]:
        """The learner's states of this deck's cards, joined rather than matched by a subquery."""
        states = CardState.objects.filter(user=self.user, card__retired=False)
        if self.topic_ids is not None:
            states = states.filter(card__topic_id__in=self.topic_ids)
        if self.task_id is not None:
            states = states.filter(card__task_id=self.task_id)
        if self.day is not None:
            states = states.filter(~sibling_reviewed(self.user, self.day, "card__"))
        return states

    def buried_on(self, day: date) -> Deck:
        return Deck(self.user, self.topic_ids, self.task_id, day)


def deck(user, topic: Topic | None = None, task: TaskStatement | None = None) -> Deck:
    return Deck(
        user,
        topic_subtree(topic) if topic is not None else None,
        task.pk if task is not None else None,
    )


def queue_counts(user, settings: LearnerSettings, deck: Deck, now: datetime) -> QueueCounts:
    """What is left today, siblings of today's reviews left out."""
    _start, end = day_bounds(now)
    deck = deck.buried_on(timezone.localdate(now))
    done_today = ReviewLog.objects.filter(user=user, review_day=timezone.localdate(now)).aggregate(
        new=Count("pk", filter=Q(state_before__isnull=True)),
        reviews=Count("pk", filter=Q(state_before=CardState.State.REVIEW)),
    )
    states = deck.states.aggregate(
        learning=Count(
            "pk",
            filter=Q(
                state__in=[CardState.State.LEARNING, CardState.State.RELEARNING], due__lte=now
            ),
        ),
        due=Count("pk", filter=Q(state=CardState.State.REVIEW, due__lt=end)),
    )
    new_available = deck.cards.exclude(states__user=user).count()
    new_left = max(0, min(new_available, settings.new_per_day - done_today["new"]))
    due_left = max(0, min(states["due"], settings.reviews_per_day - done_today["reviews"]))
    return QueueCounts(new=new_left, learning=states["learning"], due=due_left)


def next_card(user, settings: LearnerSettings, deck: Deck, now: datetime) -> NextCard:
    """Learning cards that are due, then reviews due today, then new cards, within the limits;
    never a sibling of a card reviewed today."""
    counts = queue_counts(user, settings, deck, now)
    _start, end = day_bounds(now)
    deck = deck.buried_on(timezone.localdate(now))
    mine = deck.states.select_related("card__topic", "card__erratum__topic")
    learning = mine.filter(
        state__in=[CardState.State.LEARNING, CardState.State.RELEARNING]
    ).order_by("due")
    state = learning.filter(due__lte=now).first() if counts.learning else None
    if state is None and counts.due:
        state = mine.filter(state=CardState.State.REVIEW, due__lt=end).order_by("due").first()
    if state is not None:
        return NextCard(state.card, state, counts)
    if counts.new:
        new_cards = deck.cards.exclude(states__user=user).select_related("topic", "erratum__topic")
        card = new_cards.order_by("order", "pk").first()
        if card is not None:
            return NextCard(card, None, counts)
    waiting = learning.filter(due__lt=end).values_list("due", flat=True).first()
    return NextCard(None, None, counts, learning_wait=waiting)


# --- for other apps -------------------------------------------------------------------------


@dataclass
class TaskProgress:
    """One learner's flashcards of one exam task statement."""

    studied: int = 0  # cards reviewed at least once
    due: int = 0  # cards due now (retired cards left out)


def progress_by_task(user_ids: list[int], now: datetime) -> dict[tuple[int, int], TaskProgress]:
    """(user id, task statement id) -> their progress, for every pair with any: two queries."""
    progress: dict[tuple[int, int], TaskProgress] = {}
    studied = (
        ReviewLog.objects.filter(user_id__in=user_ids, card__task__isnull=False)
        .values_list("user_id", "card__task_id")
        .annotate(n=Count("card_id", distinct=True))
    )
    for user_id, task_id, n in studied:
        progress.setdefault((user_id, task_id), TaskProgress()).studied = n
    due = (
        CardState.objects.filter(
            user_id__in=user_ids, due__lte=now, card__retired=False, card__task__isnull=False
        )
        .values_list("user_id", "card__task_id")
        .annotate(n=Count("pk"))
    )
    for user_id, task_id, n in due:
        progress.setdefault((user_id, task_id), TaskProgress()).due = n
    return progress


def last_reviews(user_ids: list[int]) -> dict[int, datetime]:
    """User id -> when they last reviewed a card (users who never did are left out)."""
    rows = (
        ReviewLog.objects.filter(user_id__in=user_ids)
        .values_list("user_id")
        .annotate(at=Max("reviewed_at"))
    )
    return dict(rows)
