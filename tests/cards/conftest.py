from datetime import UTC, datetime

import pytest

from studyapp.cards.models import Card
from studyapp.notes.models import Topic

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def topic(db):
    return Topic.objects.get(slug="sqs-message-visibility-timeout")


@pytest.fixture
def make_cards(topic):
    """Authored cards of a small private deck, isolated from the real one by retiring it."""

    def make(count: int, *, topic=topic, prefix: str = "t"):
        return Card.objects.bulk_create(
            Card(
                key=f"{prefix}-{i}",
                note_key=f"{prefix}-{i}",
                kind="basic",
                topic=topic,
                front_text=f"Front {i}",
                back_text=f"Back {i}",
                front_html=f"<p>Front {i}</p>",
                back_html=f"<p>Back {i}</p>",
                order=i,
            )
            for i in range(count)
        )

    return make


@pytest.fixture
def small_deck(db, make_cards):
    Card.objects.update(retired=True)
    return make_cards(5)


@pytest.fixture(autouse=True)
def english_unless_asked():
    """A request with a Spanish cookie leaves Spanish active in the thread; each test starts in
    English again."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
