"""Reads of the notes that need care: the tree, neighbours, search with snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Topic, TopicRead

SNIPPET_RADIUS = 90
MAX_RESULTS = 50
MAX_QUERY_LENGTH = 100


def topic_tree() -> QuerySet[Topic]:
    """All topics in document order; the template indents them by level."""
    return Topic.objects.active().only("slug", "title", "level", "word_count", "order")


def topic_with_ancestors(slug: str) -> Topic:
    return Topic.objects.active().select_related("parent__parent__parent").get(slug=slug)


def breadcrumbs(topic: Topic) -> list[Topic]:
    chain = []
    node = topic.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def neighbours(topic: Topic) -> tuple[Topic | None, Topic | None]:
    active = Topic.objects.active().only("slug", "title", "order")
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
        if last is not None:
            following = topics.filter(order__gt=last.topic.order).order_by("order").first()
            return last.topic, following
    return None, topics.order_by("order").first()


def record_read(user, topic: Topic) -> None:
    if user.is_authenticated:
        TopicRead.objects.update_or_create(user=user, topic=topic)


@dataclass
class SearchResult:
    topic: Topic
    snippet: SafeString
    hits: int


def search_terms(query: str) -> list[str]:
    return [term for term in query[:MAX_QUERY_LENGTH].split() if term][:8]


def search_topics(query: str) -> list[SearchResult]:
    terms = search_terms(query)
    if not terms:
        return []
    matches = reduce(
        and_, [Q(title__icontains=term) | Q(body_text__icontains=term) for term in terms]
    )
    topics = (
        Topic.objects.active()
        .filter(matches)
        .only("slug", "title", "level", "order", "body_text")[: MAX_RESULTS * 2]
    )
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    results = []
    for topic in topics:
        hits = len(pattern.findall(topic.body_text)) + 10 * len(pattern.findall(topic.title))
        results.append(SearchResult(topic, highlighted_snippet(topic.body_text, pattern), hits))
    results.sort(key=lambda result: (-result.hits, result.topic.order))
    return results[:MAX_RESULTS]


def highlighted_snippet(text: str, pattern: re.Pattern) -> SafeString:
    match = pattern.search(text)
    if match is None:
        window, prefix, suffix = text[: 2 * SNIPPET_RADIUS], "", "…" if len(text) > 180 else ""
    else:
        start = max(0, match.start() - SNIPPET_RADIUS)
        end = min(len(text), match.end() + SNIPPET_RADIUS)
        window = text[start:end]
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(text) else ""
    parts = []
    position = 0
    for hit in pattern.finditer(window):
        parts.append(escape(window[position : hit.start()]))
        parts.append(f"<mark>{escape(hit.group())}</mark>")
        position = hit.end()
    parts.append(escape(window[position:]))
    return mark_safe(prefix + "".join(parts) + suffix)
