"""Reads for the review queue. Each is a fixed number of indexed queries, whatever the deck size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from studyapp.notes.models import Topic

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


@dataclass
class Deck:
    """The cards a learner studies now: the authored deck and their own, maybe one topic's."""

    user: object
    topic_ids: list[int] | None = None

    @property
    def cards(self) -> QuerySet[Card]:
        cards = Card.objects.visible_to(self.user)
        if self.topic_ids is not None:
            cards = cards.filter(topic_id__in=self.topic_ids)
        return cards

    @property
    def states(self) -> QuerySet[CardState]:
        """The learner's states of this deck's cards, joined rather than matched by a subquery."""
        states = CardState.objects.filter(user=self.user, card__retired=False)
        if self.topic_ids is not None:
            states = states.filter(card__topic_id__in=self.topic_ids)
        return states


def deck(user, topic: Topic | None = None) -> Deck:
    return Deck(user, topic_subtree(topic) if topic is not None else None)


def topic_subtree(topic: Topic) -> list[int]:
    """The topic and every topic nested under it (they follow it in document order)."""
    following = (
        Topic.objects.active()
        .filter(order__gt=topic.order, level__lte=topic.level)
        .order_by("order")
        .values_list("order", flat=True)
        .first()
    )
    subtree = Topic.objects.active().filter(order__gte=topic.order)
    if following is not None:
        subtree = subtree.filter(order__lt=following)
    return list(subtree.values_list("pk", flat=True))


def queue_counts(user, settings: LearnerSettings, deck: Deck, now: datetime) -> QueueCounts:
    _start, end = day_bounds(now)
    done_today = ReviewLog.objects.filter(user=user, review_day=timezone.localdate(now)).aggregate(
        new=Count("pk", filter=Q(state_before__isnull=True)),
        reviews=Count("pk", filter=Q(state_before=CardState.State.REVIEW)),
    )
    states = deck.states.aggregate(
        studied=Count("pk"),
        learning=Count(
            "pk",
            filter=Q(
                state__in=[CardState.State.LEARNING, CardState.State.RELEARNING], due__lte=now
            ),
        ),
        due=Count("pk", filter=Q(state=CardState.State.REVIEW, due__lt=end)),
    )
    new_available = deck.cards.count() - states["studied"]
    new_left = max(0, min(new_available, settings.new_per_day - done_today["new"]))
    due_left = max(0, min(states["due"], settings.reviews_per_day - done_today["reviews"]))
    return QueueCounts(new=new_left, learning=states["learning"], due=due_left)


def next_card(user, settings: LearnerSettings, deck: Deck, now: datetime) -> NextCard:
    """Learning cards that are due, then reviews due today, then new cards, within the limits."""
    counts = queue_counts(user, settings, deck, now)
    _start, end = day_bounds(now)
    mine = deck.states.select_related("card__topic")
    learning = mine.filter(
        state__in=[CardState.State.LEARNING, CardState.State.RELEARNING]
    ).order_by("due")
    state = learning.filter(due__lte=now).first() if counts.learning else None
    if state is None and counts.due:
        state = mine.filter(state=CardState.State.REVIEW, due__lt=end).order_by("due").first()
    if state is not None:
        return NextCard(state.card, state, counts)
    if counts.new:
        new_cards = deck.cards.exclude(states__user=user).select_related("topic")
        card = new_cards.order_by("order", "pk").first()
        if card is not None:
            return NextCard(card, None, counts)
    waiting = learning.filter(due__lt=end).values_list("due", flat=True).first()
    return NextCard(None, None, counts, learning_wait=waiting)
