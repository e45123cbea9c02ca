"""Give the search index what it needs of every topic, correction, card and question.

The notes app owns the index but does not import the apps built on it; the loader, which
knows all of them, describes each item here: its words, its link, and what a result may show
(a card's front, a question's stem: never an answer).
"""

from __future__ import annotations

import html

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import urlencode

from studyapp.cards.models import Card
from studyapp.notes.models import Erratum, Topic
from studyapp.notes.search import (
    IndexReport,
    SearchDocument,
    camel_parts,
    index_replace,
    short_title,
)
from studyapp.quizzes.models import Question

Kind = Topic.Kind


def plain(rendered_html: str) -> str:
    return " ".join(html.unescape(strip_tags(rendered_html)).split())


def search_documents() -> list[SearchDocument]:
    documents: list[SearchDocument] = []
    topics = Topic.objects.active().select_related("display_parent", "home_task")
    for topic in topics:
        title = topic.display_title or topic.title
        if topic.is_guide:
            context = f"{topic.home_task.code} {topic.home_task.title}" if topic.home_task else ""
        else:
            context = topic.display_parent.display_title if topic.display_parent else ""
        old_title = topic.title if topic.title != title else ""
        documents.append(
            SearchDocument(
                kind=topic.kind,
                key=topic.slug,
                title=title,
                text=topic.body_text,
                shown_text=topic.body_text,
                url=topic.get_absolute_url(),
                context=context,
                keywords=_keywords(old_title, title, topic.body_text),
                order=topic.order,
            )
        )
    errata = Erratum.objects.filter(topic__retired=False).select_related("topic")
    for erratum in errata:
        fact = plain(erratum.body_html)
        topic_title = erratum.topic.display_title or erratum.topic.title
        documents.append(
            SearchDocument(
                kind="erratum",
                # What the notes say (the correction is the snippet), under its topic's title.
                title=f"“{short_title(erratum.quote)}”",
                key=erratum.key,
                text=f"{erratum.quote} {fact}",
                shown_text=fact,
                url=erratum.get_absolute_url(),
                context=topic_title,
                keywords=_keywords("", "", f"{erratum.quote} {fact}"),
                order=erratum.topic.order,
            )
        )
    cards = Card.objects.filter(owner__isnull=True, retired=False).select_related("topic")
    for card in cards:
        front, back = plain(card.front_html), plain(card.back_html)
        documents.append(
            SearchDocument(
                kind="card",
                key=card.key,
                title=short_title(front),
                text=f"{front} {back} {card.tags}",
                shown_text=front,
                url=reverse("cards:card", args=[card.key]),
                context=card.topic.display_title or card.topic.title,
                keywords=_keywords("", "", f"{front} {back}"),
                order=card.order,
            )
        )
    questions = Question.objects.active().filter(owner__isnull=True).select_related("topic")
    for question in questions:
        stem = plain(question.stem_html)
        documents.append(
            SearchDocument(
                kind="question",
                key=question.key,
                title=short_title(stem),
                # Only the stem: options and explanation would tell the answer.
                text=stem,
                shown_text=stem,
                url=reverse("quizzes:practice") + "?" + urlencode({"topic": question.topic.slug}),
                context=question.topic.display_title or question.topic.title,
                keywords=_keywords("", "", stem),
                order=question.order,
            )
        )
    return documents


def _keywords(old_title: str, title: str, text: str) -> str:
    """Words a reader may type that the text does not hold as such: the notes' own heading
    where navigation shows a corrected one, and the parts of camelCase names."""
    return " ".join(filter(None, [old_title, " ".join(camel_parts(f"{title} {text}"))]))


def store_search_index() -> IndexReport:
    return index_replace(search_documents())
