"""Reads of the notes that need care: the tree, breadcrumbs, neighbours (search: search.py)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Topic, TopicRead


def topic_tree() -> QuerySet[Topic]:
    """The notes' topics in the navigation tree's order; the template indents them by depth."""
    return (
        Topic.objects.active()
        .filter(kind=Topic.Kind.NOTES)
        .only("slug", "title", "display_title", "display_level", "word_count", "display_order")
        .order_by("display_order", "order")
    )


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


def study_counts(topic: Topic) -> dict[str, int]:
    """How many authored cards and questions train this topic and the topics under it."""
    return Topic.objects.filter(pk__in=topic_subtree(topic)).aggregate(
        cards=Count(
            "cards", filter=Q(cards__owner__isnull=True, cards__retired=False), distinct=True
        ),
        questions=Count("questions", filter=Q(questions__retired=False), distinct=True),
    )


def topic_with_ancestors(slug: str) -> Topic:
    return (
        Topic.objects.active()
        .select_related(
            "display_parent__display_parent__display_parent__display_parent",
            "home_task__domain",
            "covers",
        )
        .get(slug=slug)
    )


def breadcrumbs(topic: Topic) -> list[Topic]:
    """The topic's ancestors in the navigation tree, outermost first."""
    chain = []
    node = topic.display_parent
    while node is not None and len(chain) < 10:
        chain.append(node)
        node = node.display_parent
    return list(reversed(chain))


def neighbours(topic: Topic) -> tuple[Topic | None, Topic | None]:
    """The topics before and after, in the notes' order or in the study guide's."""
    active = (
        Topic.objects.active()
        .filter(kind=topic.kind)
        .only("slug", "title", "display_title", "order")
    )
    previous = active.filter(order__lt=topic.order).order_by("-order").first()
    following = active.filter(order__gt=topic.order).order_by("order").first()
    return previous, following


def next_to_study(user) -> tuple[Topic | None, Topic | None]:
    """(last topic read, the topic after it) for a learner; the first topic for anyone else."""
    topics = Topic.objects.active().filter(word_count__gt=0)
    if user.is_authenticated:
        last = (
            TopicRead.objects.filter(user=user, topic__retired=False)
            .select_related("topic")
            .order_by("-read_at")
            .first()
        )
        if last is not None:  # the next page of the same path: the notes', or the guide's
            following = (
                topics.filter(kind=last.topic.kind, order__gt=last.topic.order)
                .order_by("order")
                .first()
            )
            return last.topic, following
    return None, topics.filter(kind=Topic.Kind.NOTES).order_by("order").first()


def record_read(user, topic: Topic) -> None:
    if user.is_authenticated:
        TopicRead.objects.update_or_create(user=user, topic=topic)
