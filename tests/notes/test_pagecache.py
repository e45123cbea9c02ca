"""Topic pages are rendered once per language and content version (notes.pagecache)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from studyapp.cards.models import Card
from studyapp.notes import pagecache
from studyapp.notes.models import Topic

pytestmark = pytest.mark.django_db
URL = "/notes/sqs-message-visibility-timeout/"


def body(response) -> str:
    """The page without what changes on every response (the CSRF token is masked afresh)."""
    return re.sub(r"[A-Za-z0-9]{64}", "(token)", response.content.decode())


def test_a_topic_page_is_rendered_once_then_served_from_the_cache(client, learner):
    client.force_login(learner)
    with CaptureQueriesContext(connection) as first:
        rendered = client.get(URL)
    with CaptureQueriesContext(connection) as second:
        cached = client.get(URL)
    assert body(cached) == body(rendered)
    title = Topic.objects.get(slug="sqs-message-visibility-timeout").title
    assert f'<h1 id="topic-title">{title}</h1>' in body(cached)
    assert len(second) < len(first) - 4  # no neighbours, children, errata or breadcrumbs read


def test_the_cache_is_per_language(client):
    english = client.get(URL, headers={"Accept-Language": "en"}).content.decode()
    spanish = client.get(URL, headers={"Accept-Language": "es"}).content.decode()
    assert "Breadcrumbs" in english and "Ruta de navegación" in spanish
    assert (
        "Ruta de navegación" in client.get(URL, headers={"Accept-Language": "es"}).content.decode()
    )
    assert "Breadcrumbs" in client.get(URL, headers={"Accept-Language": "en"}).content.decode()


def test_new_content_is_shown_once_the_loader_forgets_the_version(client):
    client.get(URL)
    topic = Topic.objects.get(slug="sqs-message-visibility-timeout")
    Topic.objects.filter(pk=topic.pk).update(
        body_html="<p>Rewritten for this test.</p>", content_hash="changed"
    )
    pagecache.content_changed()  # what load_content does once it has stored the content
    assert "Rewritten for this test." in client.get(URL).content.decode()


def test_cards_added_to_a_topic_show_at_once(client):
    topic = Topic.objects.get(slug="sqs-message-visibility-timeout")
    count = topic.cards.filter(owner__isnull=True, retired=False).count()
    client.get(URL)
    Card.objects.bulk_create(
        Card(key=f"cached-{i}", note_key=f"cached-{i}", kind="basic", topic=topic,
             front_text="F", back_text="B", front_html="<p>F</p>", back_html="<p>B</p>")
        for i in range(3)
    )  # fmt: skip
    assert f"Review {count + 3} cards" in client.get(URL).content.decode()
