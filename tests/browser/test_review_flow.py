"""A new learner signs up and reviews 20 cards with the keyboard only, then sees the statistics."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from studyapp.cards.models import ReviewLog
from studyapp.cards.scheduling import format_interval

pytestmark = pytest.mark.usefixtures("loaded_content")
RATINGS = ["3", "4", "1", "3", "2"]  # Good, Easy, Again, Good, Hard, ...


def test_sign_up_and_review_twenty_cards_by_keyboard(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("newlearner")
    page.get_by_label("Email").fill("new@example.com")
    page.locator("#id_password1").fill("a-long-enough-passphrase")
    page.locator("#id_password2").fill("a-long-enough-passphrase")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Welcome! Your account is ready.")).to_be_visible()

    page.goto("/review/")
    expect(page.locator('[data-count="new"]')).to_have_text("20")
    expect(page.locator("html[data-keys='review']")).to_be_attached()
    shown = []
    for index in range(20):
        card = page.locator("article.flashcard")
        key = card.get_attribute("data-card")
        expect(page.locator("#answer")).to_be_hidden()
        page.keyboard.press("Space" if index % 2 else "Enter")
        expect(page.locator("#answer")).to_be_visible()
        rating = RATINGS[index % len(RATINGS)]
        shown.append(
            page.locator(f"#answer button[data-rating='{rating}'] .grade-interval").inner_text()
        )
        page.keyboard.press(rating)
        if index < 19:
            expect(page.locator("article.flashcard")).not_to_have_attribute("data-card", key)
    expect(page.get_by_role("heading", name="Done for now")).to_be_visible()

    logs = list(ReviewLog.objects.order_by("reviewed_at", "pk"))
    assert len(logs) == 20
    assert [str(log.rating) for log in logs] == [RATINGS[i % 5] for i in range(20)]
    assert shown == [format_interval(timedelta(days=log.scheduled_days)) for log in logs]

    page.keyboard.press("u")  # undo the last review: its card is back
    expect(page.locator("article.flashcard")).to_be_visible()
    assert ReviewLog.objects.count() == 19

    page.goto("/stats/")
    expect(page.locator('[data-stat="reviews-today"]')).to_have_text("19")
    expect(page.get_by_text(re.compile(r"1-day streak"))).to_be_visible()
    expect(page.locator(".heatmap")).to_be_visible()


def test_review_works_with_the_mouse_and_without_htmx(page, django_user_model):
    django_user_model.objects.create_user("mouse", password="a-long-enough-passphrase")
    page.goto("/accounts/login/?next=/review/")
    page.get_by_label("Username").fill("mouse")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=re.compile("Show answer")).click()
    page.get_by_role("button", name=re.compile("^Good")).click()
    expect(page.locator('[data-count="new"]')).to_have_text("19")
    assert ReviewLog.objects.count() == 1


def log_in(page, django_user_model, username="sibling"):
    user = django_user_model.objects.create_user(username, password="a-long-enough-passphrase")
    page.goto("/accounts/login/?next=/review/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Log in").click()
    return user


def private_deck(*specs):
    """Only these cards, in this order: (key, note_key) pairs, in the SQS topic."""
    from studyapp.cards.models import Card
    from studyapp.notes.models import Topic

    Card.objects.update(retired=True)
    topic = Topic.objects.get(slug="sqs")
    return [
        Card.objects.create(
            key=key,
            note_key=note,
            kind="reversed" if note == "rev" else "basic",
            topic=topic,
            front_text=f"Front {key}",
            back_text=f"Back {key}",
            front_html=f"<p>Front {key}</p>",
            back_html=f"<p>Back {key}</p>",
            order=order,
        )
        for order, (key, note) in enumerate(specs)
    ]


def test_a_reversed_cards_twin_is_not_shown_the_same_day(page, django_user_model, time_machine):
    private_deck(("rev", "rev"), ("rev-reverse", "rev"), ("solo", "solo"))
    log_in(page, django_user_model)
    expect(page.locator("html[data-keys='review']")).to_be_attached()
    expect(page.locator("article.flashcard")).to_have_attribute("data-card", "rev")
    expect(page.locator('[data-count="new"]')).to_have_text("3")
    page.keyboard.press("Space")
    page.keyboard.press("4")  # Easy: "rev" leaves learning for days
    # Its twin would show the answer just seen: the lone card comes instead, and the twin is
    # not counted among today's new cards.
    expect(page.locator("article.flashcard")).to_have_attribute("data-card", "solo")
    expect(page.locator('[data-count="new"]')).to_have_text("1")
    page.keyboard.press("Space")
    page.keyboard.press("4")
    expect(page.get_by_role("heading", name="Done for now")).to_be_visible()
    assert not ReviewLog.objects.filter(card__key="rev-reverse").exists()

    time_machine.move_to(datetime.now(UTC) + timedelta(days=1))  # the server's tomorrow
    page.goto("/review/")
    expect(page.locator("article.flashcard")).to_have_attribute("data-card", "rev-reverse")


def test_done_for_now_counts_down_and_brings_the_learning_card_back(page, django_user_model):
    from studyapp.cards.models import CardState

    (card,) = private_deck(("learn", "learn"))
    user = log_in(page, django_user_model)
    CardState.objects.create(
        user=user,
        card=card,
        state=CardState.State.LEARNING,
        step=0,
        stability=1,
        difficulty=5,
        due=datetime.now(UTC) + timedelta(seconds=4),
        last_review=datetime.now(UTC),
        reps=1,
    )
    page.goto("/review/")
    expect(page.get_by_role("heading", name="Done for now")).to_be_visible()
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^[1-4] s$"))
    first = timer.inner_text()
    expect(timer).not_to_have_text(first)  # it counts down...
    assert not re.search(r"\b0 (s|min)", page.locator("#panel").inner_text())
    # ...and the card comes back by itself, without a reload or a click.
    expect(page.locator("article.flashcard")).to_have_attribute("data-card", "learn")
    assert page.url.endswith("/review/")
    assert "0 minutes" not in page.content()
