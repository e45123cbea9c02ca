"""The authored deck: size, coverage of the notes, and loading that keeps learners' history."""

import re
import shutil

import pytest
from django.conf import settings

from studyapp.authoring.loader import load_content
from studyapp.cards.models import Card, CardState, ReviewLog
from studyapp.notes.models import Topic

pytestmark = pytest.mark.django_db


def facts(topic: Topic) -> int:
    """Lines of a topic that state something: not images, not bare links, not empty."""
    count = 0
    for line in topic.body_markdown.splitlines():
        text = re.sub(r"^\s*[-*+]\s+", "", line).strip()
        if (
            text
            and not text.startswith(("![", "```", "http"))
            and not re.fullmatch(r"[{}\[\],\"]+.*", text)
        ):
            count += 1
    return count


def test_the_deck_has_at_least_250_cards():
    assert Card.objects.filter(owner__isnull=True, retired=False).count() >= 250


def test_every_topic_with_three_facts_has_three_cards():
    short = []
    for topic in Topic.objects.active():
        if facts(topic) >= 3 and topic.cards.filter(retired=False).count() < 3:
            short.append(f"{topic.slug}: {topic.cards.count()} cards for {facts(topic)} facts")
    assert short == []


def test_every_card_cites_an_aws_source():
    for card in Card.objects.filter(owner__isnull=True):
        assert card.sources, card.key
        assert all(
            re.match(r"https://([a-z0-9.-]+\.)?(aws\.amazon\.com|amazon\.com|repost\.aws)/", url)
            for url in card.sources
        ), card.key


def test_card_page_links_to_its_topic(client, learner):
    card = Card.objects.filter(owner__isnull=True).select_related("topic").first()
    client.force_login(learner)
    body = client.get(f"/cards/{card.key}/").content.decode()
    assert f'href="{card.topic.get_absolute_url()}"' in body


def test_editing_a_card_keeps_its_review_history(tmp_path, learner):
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    load_content(content)
    card = Card.objects.filter(owner__isnull=True, kind="basic").first()
    ReviewLog.objects.create(
        user=learner,
        card=card,
        rating=3,
        reviewed_at="2026-11-01T10:00Z",
        review_day="2026-11-01",
        scheduled_days=1,
        idempotency_key="k",
    )
    CardState.objects.create(user=learner, card=card, state=2, due="2026-11-02T10:00Z", reps=1)
    path = next(
        path for path in (content / "cards").glob("*.md") if f"### {card.key}\n" in path.read_text()
    )
    text = path.read_text()
    start = text.index(f"### {card.key}\n")
    separator = text.index("\n---\n", start)
    path.write_text(text[:separator] + " (edited)" + text[separator:])
    report = load_content(content)
    assert report.counts["cards updated"] == 1
    card.refresh_from_db()
    assert "(edited)" in card.front_text
    assert ReviewLog.objects.filter(card=card).count() == 1
    assert CardState.objects.filter(card=card).exists()


def test_a_removed_card_with_history_is_retired_not_deleted(tmp_path, learner):
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    load_content(content)
    card = Card.objects.filter(owner__isnull=True, kind="basic").first()
    ReviewLog.objects.create(
        user=learner,
        card=card,
        rating=3,
        reviewed_at="2026-11-01T10:00Z",
        review_day="2026-11-01",
        scheduled_days=1,
        idempotency_key="k",
    )
    path = next(
        path for path in (content / "cards").glob("*.md") if f"### {card.key}\n" in path.read_text()
    )
    text = path.read_text()
    start = text.index(f"### {card.key}\n")
    end = text.find("\n### ", start + 1)
    path.write_text(text[:start] + (text[end + 1 :] if end > 0 else ""))
    report = load_content(content)
    assert report.counts["cards retired"] == 1
    card.refresh_from_db()
    assert card.retired
    assert not Card.objects.visible_to(learner).filter(pk=card.pk).exists()


def test_loading_twice_leaves_cards_unchanged(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    load_content(content)
    report = load_content(content)
    assert report.counts["cards created"] == report.counts["cards updated"] == 0
    assert report.counts["cards unchanged"] == Card.objects.filter(owner__isnull=True).count()


def test_new_cards_come_in_the_order_of_the_notes(client, learner):
    client.force_login(learner)
    first = client.get("/review/").context["found"].card
    assert first.topic.slug == "aim"  # the first section of the notes with cards
    orders = list(
        Card.objects.filter(owner__isnull=True)
        .order_by("order")
        .values_list("topic__order", flat=True)
    )
    assert orders == sorted(orders)
