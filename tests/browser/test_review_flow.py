"""A new learner signs up and reviews 20 cards with the keyboard only, then sees the statistics."""

import re
from datetime import timedelta

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
